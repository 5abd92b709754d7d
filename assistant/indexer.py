"""Incremental index builds: `assistant index`.

Documents are compared by content hash with the current generation's manifest; only
added or changed documents are loaded, chunked and embedded. Unchanged documents are
carried over from the previous generation's files: their chunk records, layouts, vector
rows and token ids are copied, never recomputed, so an update costs the changed documents'
embedding plus array copies. A re-loaded document's chunks whose embedded text is unchanged
(most of them, after a one-paragraph edit or a new loader version) take their vectors from
the previous generation (`vector_reuse.py`): only the chunks whose text changed are embedded.
See `store.py` for the layout and why a build never disturbs the index being read.
"""

from __future__ import annotations

import fcntl
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from assistant import corpus_index, store, vector_reuse
from assistant.catalog import CATALOG_FILE, read_catalog
from assistant.chunking import CHUNKER_VERSION, chunk_document
from assistant.corpus_terms import terms_of
from assistant.embeddings import cached_embedder, embedder_dimension, using_threads
from assistant.keyword import KeywordIndex, flatten
from assistant.tokens import TOKENIZER_VERSION, tokenize
from assistant.loaders import DocumentLoadError, load_document, scan_corpus
from assistant.settings import Settings
from assistant.types import Chunk, LoadedDocument

COPY_BATCH = 256  # vectors per request when a Chroma server receives carried-over rows
EMBEDDED_COPY_BATCH = 4096  # per call into an embedded Chroma (below its maximum batch of 5,461)
KEEP_OLD_GENERATIONS = 1  # a reader that opened the previous generation keeps working

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class IndexBusy(RuntimeError):
    pass


class CorpusNotFound(RuntimeError):
    pass


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    chunks: int = 0
    embedded: int = 0  # chunks given to the embedder
    reused: int = 0  # chunks of re-loaded documents whose vectors came from the previous generation
    seconds: float = 0.0
    embed_seconds: float = 0.0  # of `seconds`, the time spent embedding
    generation: str | None = None
    rebuilt: bool = False
    notice: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def search_text(chunk: Chunk) -> str:
    """What is embedded and keyword-indexed: the passage with its title and section path.

    The section path carries words the body leaves implicit (「基本方針2」, the project name).
    """
    return f"{chunk.title}\n{chunk.section}\n{chunk.text}"


def pipeline_signature(settings: Settings) -> str:
    """What, besides the documents, determines the stored chunks and tokens."""
    c = settings.chunking
    return f"chunker={CHUNKER_VERSION};chunk={c.size}/{c.min_size};tokens={TOKENIZER_VERSION}"


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(
                "別の索引の更新が実行中です。終了してからもう一度実行してください。"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _new_generation_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:4]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def build_index(settings: Settings, rebuild: bool = False, progress: Progress = _no_progress) -> IndexReport:
    started = time.perf_counter()
    with build_lock(settings.index_dir):
        report = _build(settings, rebuild, progress)
    report.seconds = time.perf_counter() - started
    return report


def _build(settings: Settings, rebuild: bool, progress: Progress) -> IndexReport:
    report = IndexReport()
    index_dir = settings.index_dir
    gens = store.generations_dir(index_dir)
    gens.mkdir(parents=True, exist_ok=True)

    old_gen = store.current_generation(index_dir)
    old: store.Manifest | None = None
    relocate = False  # the vectors move to another backend: a new generation, nothing re-embedded
    if old_gen and not rebuild:
        try:
            old = store.read_manifest(index_dir, old_gen)
        except (OSError, ValueError, TypeError):
            old = None
            report.notice = "既存の索引を読めなかったため、最初から作り直します。"
        if old and (old.embedder != settings.embedder or old.signature != pipeline_signature(settings)):
            report.notice = "埋め込みモデルまたはチャンク設定が変わったため、最初から作り直します。"
            old = None
        wanted = store.location_of(settings)
        moved = f"ベクトルの保存先が変わったため（{store.describe_location(old.vector_store)} → {store.describe_location(wanted)}）、" if old else ""
        if old and old.vector_store != wanted:
            if old.format_version == store.FORMAT_VERSION:
                # Every format 2 generation keeps its vectors in vectors.npy: they move, unembedded.
                report.notice = moved + "ベクトルを移します（埋め込みは引き継ぎます）。"
                relocate = True
            elif not (old.format_version == 1 and old.vector_store == "embedded" and not settings.chroma_url):
                # (A format 1 generation kept its vectors in an embedded Chroma, "embedded" then: the
                # conversion below reads them from it, whichever local backend is chosen now.)
                report.notice = moved + "最初から作り直します。"
                old = None
        if old and old.format_version not in CONVERTIBLE_FORMATS:
            report.notice = "索引の形式が変わったため、最初から作り直します。"
            old = None
        elif old and old.format_version != store.FORMAT_VERSION:
            report.notice = "索引を新しい形式に変換します（埋め込みは引き継ぎます）。"
    report.rebuilt = old is None

    if not settings.corpus_dir.is_dir():
        # Never read a missing folder as "every document was removed".
        raise CorpusNotFound(f"文書フォルダが見つかりません: {settings.corpus_dir}")
    try:
        checked = read_catalog(settings.corpus_dir)
        catalog = checked.entries
        if checked.problems:  # the bad fields are left out; the documents still index
            report.failed[CATALOG_FILE] = "\n".join(checked.problems)
    except ValueError as exc:
        catalog = {}
        report.failed[CATALOG_FILE] = str(exc)  # titles fall back to the documents' own
    files = scan_corpus(settings.corpus_dir, catalog, max_bytes=settings.max_document_mb * 1024 * 1024)
    old_docs = old.documents if old else {}
    current = {f.source: f for f in files}
    report.removed = sorted(s for s in old_docs if s not in current)
    to_load = []
    for sf in files:
        prev = old_docs.get(sf.source)
        if prev and prev.content_hash == sf.content_hash:
            report.unchanged.append(sf.source)
        else:
            to_load.append(sf)

    loaded: list[LoadedDocument] = []
    new_chunks: list[Chunk] = []
    for i, sf in enumerate(to_load):
        progress("load", i, len(to_load))
        try:
            doc = load_document(sf, catalog)
        except DocumentLoadError as exc:
            report.failed[sf.source] = exc.reason
            continue
        chunks = chunk_document(doc, settings.chunking.size, settings.chunking.min_size)
        if len(chunks) > settings.max_document_chunks:
            report.failed[sf.source] = too_many_chunks_reason(len(chunks), settings.max_document_chunks)
            continue
        loaded.append(doc)
        new_chunks.extend(chunks)
    progress("load", len(to_load), len(to_load))
    for doc in loaded:
        (report.updated if doc.source in old_docs else report.added).append(doc.source)
    # A document that used to index but now fails keeps nothing stale: it is removed.
    report.removed += sorted(s for s in report.failed if s in old_docs and s not in report.removed)

    if old is not None and not report.changed and old.format_version == store.FORMAT_VERSION and not relocate:
        report.generation = old_gen
        report.chunks = old.chunk_count
        if report.failed != old.failures:
            _rewrite_failures(index_dir, old_gen, old, report.failed)  # type: ignore[arg-type]
        old_dir = gens / old_gen  # type: ignore[operator]
        store.upgrade_layouts(old_dir)
        if not corpus_index.is_stored(old_dir, settings.answer.whole_row_chars):
            # Made by a version without the corpus lookups: added in place (its meta.json last).
            documents = [(d["source"], d["text"]) for d in store.read_document_records(old_dir)]
            corpus_index.write_corpus(old_dir, documents, None, set(), settings.answer.whole_row_chars,
                                      terms_of(settings.answer.whole_row_chars))
        _prune(settings, current=old_gen)  # type: ignore[arg-type]
        return report

    generation = _new_generation_id()
    gen_dir = gens / generation
    gen_dir.mkdir()
    embedder = cached_embedder(settings.embedder, settings.embedding.threads, settings.embedding.openmp_wait)
    manifest = store.Manifest(
        generation=generation,
        embedder=settings.embedder,
        dimension=embedder_dimension(embedder),
        collection=store.collection_name(settings.collection, generation),
        created_at=_now(),
        failures=dict(report.failed),
        chunk_size=settings.chunking.size,
        signature=pipeline_signature(settings),
        vector_store=store.location_of(settings),
    )
    keep_sources = set(report.unchanged)
    old_gen_dir = gens / old_gen if old_gen else None
    carried = _carry_over(settings, old, old_gen, keep_sources) if old is not None and old_gen else _Carried.empty()
    for source in keep_sources:
        manifest.documents[source] = old_docs[source]

    n_old, total = carried.rows, len(new_chunks)
    vectors = store.create_vectors(gen_dir, n_old + total, manifest.dimension)
    carried.copy_vectors(vectors)
    collection = _chroma_collection(settings, manifest, gen_dir, carried, vectors) if store.uses_chroma(manifest.vector_store) else None

    # A re-loaded document's chunks whose embedded text is unchanged take their previous rows.
    texts = [search_text(c) for c in new_chunks]
    previous = _previous_vectors(old, old_gen_dir, manifest, set(old_docs) - keep_sources) if texts else vector_reuse.NONE
    to_embed = previous.fill(vectors, texts, first_row=n_old)
    report.reused, report.embedded = total - len(to_embed), len(to_embed)
    del previous

    batch_size = settings.embedding.batch
    embed_started = time.perf_counter()
    with using_threads(embedder, settings.embedding.build_threads):
        for done in range(0, len(to_embed), batch_size):
            progress("embed", done, len(to_embed))
            rows = to_embed[done : done + batch_size]
            got = embedder.embed_documents([texts[i] for i in rows])
            vectors[[n_old + i for i in rows]] = np.asarray(got, dtype=np.float32)
    report.embed_seconds = time.perf_counter() - embed_started
    progress("embed", len(to_embed), len(to_embed))
    if collection is not None:  # every new row, embedded or reused, goes into the new collection
        _copy_to_chroma(settings, collection, new_chunks, vectors[n_old:])
    new_tokens = [tokenize(t) for t in texts]
    vectors.flush()
    del vectors

    # BM25 over every row: the carried rows' token ids (in the previous vocabulary, which the
    # new words extend) and the new rows' tokens. Words no longer used are dropped.
    ids, offsets, vocab = flatten(new_tokens, dict(carried.vocab))
    keyword = KeywordIndex.from_ids(
        np.concatenate([carried.token_ids, ids]).astype(np.int32),
        np.concatenate([carried.offsets[:-1], carried.offsets[-1] + offsets]),
        vocab,
    )
    keyword.save(gen_dir / store.KEYWORD)

    now = _now()
    by_source: dict[str, list[Chunk]] = {}
    for c in new_chunks:
        by_source.setdefault(c.source, []).append(c)
    for doc in loaded:
        manifest.documents[doc.source] = store.DocumentRecord(
            source=doc.source,
            title=doc.title,
            city=doc.city,
            content_hash=doc.content_hash,
            chunk_ids=[c.id for c in by_source.get(doc.source, [])],  # grouped once: a full build has 100,000
            indexed_at=now,
        )
    store.write_chunks(gen_dir, [*carried.chunks, *(store.chunk_group(cs) for cs in by_source.values())])
    store.write_documents(gen_dir, [*carried.documents, *loaded])
    store.write_layouts(gen_dir, {**carried.layouts, **{d.source: store.Layout.of(d.text).to_json() for d in loaded}})
    corpus_index.write_corpus(gen_dir, [*((d["source"], d["text"]) for d in carried.documents), *((d.source, d.text) for d in loaded)],
                 old_gen_dir, keep_sources, settings.answer.whole_row_chars, terms_of(settings.answer.whole_row_chars))
    store.write_manifest(gen_dir, manifest)
    # The switch: until this line, readers (and a crash) see only the previous generation.
    store.set_current_generation(index_dir, generation)
    report.generation = generation
    report.chunks = manifest.chunk_count
    _prune(settings, current=generation)
    return report


def too_many_chunks_reason(chunks: int, limit: int) -> str:
    minutes = chunks * 0.15 / 60  # embedding speed measured on 2 cores (README)
    return (
        f"文書が長すぎるため（{chunks} チャンク、埋め込みに約 {minutes:.0f} 分）索引に入れませんでした。"
        f"1文書 {limit} チャンクまでです（設定 ASSISTANT_MAX_DOCUMENT_CHUNKS）。文書を分割するか、上限を上げてください。"
    )


CONVERTIBLE_FORMATS = (1, store.FORMAT_VERSION)


@dataclass
class _Carried:
    """The unchanged documents as the previous generation stored them, in its row order."""

    chunks: list[dict]  # per-document chunk records
    documents: list[dict]  # document records
    layouts: dict[str, list]
    vector_runs: list[tuple[int, int, np.ndarray]]  # (first new row, rows, their vectors) to copy
    token_ids: np.ndarray
    offsets: np.ndarray
    vocab: dict[str, int]

    @classmethod
    def empty(cls) -> "_Carried":
        return cls([], [], {}, [], np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64), {})

    @property
    def rows(self) -> int:
        return len(self.offsets) - 1

    def copy_vectors(self, vectors: np.ndarray) -> None:
        for start, count, source in self.vector_runs:
            vectors[start : start + count] = source

    def chunk_objects(self) -> list[Chunk]:
        docs = {d["source"]: d for d in self.documents}
        return [c for group in self.chunks for c in store.chunks_of_group(group, docs[group["source"]])]


def _carry_over(settings: Settings, old: store.Manifest, old_gen: str, keep: set[str]) -> _Carried:
    """What the unchanged documents need in the new generation, read from the previous
    one: records as stored (never turned into objects), vector rows and token ids by
    position. Format 1 generations give their vectors from Chroma and their tokens from
    their chunk records."""
    old_dir = store.generations_dir(settings.index_dir) / old_gen
    documents = [raw for raw in store.read_document_records(old_dir) if raw["source"] in keep]
    if old.format_version == 1:
        return _carry_over_v1(settings, old, old_dir, documents)
    layouts = {s: v for s, v in store.read_layout_records(old_dir).items() if s in keep}
    groups, positions, row = [], [], 0
    for group in store.read_chunk_groups(old_dir):
        count = len(group["id"])
        if group["source"] in keep:
            groups.append(group)
            positions.extend(range(row, row + count))
        row += count
    rows = np.asarray(positions, dtype=np.int64)
    old_vectors = store.read_vectors(old_dir)
    runs, new_row = [], 0
    for s, e in _position_runs(rows):
        runs.append((new_row, e - s, old_vectors[s:e]))
        new_row += e - s
    keyword = KeywordIndex.load(old_dir / store.KEYWORD)
    token_ids, offsets = keyword.rows(rows)
    return _Carried(groups, documents, layouts, runs, token_ids, offsets, keyword.vocabulary())


def _carry_over_v1(settings: Settings, old: store.Manifest, old_dir: Path, documents: list[dict]) -> _Carried:
    keep = {d["source"] for d in documents}
    kept = [(c, t) for c, t in store.read_v1_chunks(old_dir) if c.source in keep]
    by_source: dict[str, list[Chunk]] = {}
    for c, _ in kept:
        by_source.setdefault(c.source, []).append(c)
    ids = [c.id for c, _ in kept]
    by_id: dict[str, list[float]] = {}
    if ids:
        collection = store.chroma_client(settings.chroma_url, old_dir).get_collection(old.collection)
        for part in store.batched(ids, COPY_BATCH):
            got = collection.get(ids=part, include=["embeddings"])
            by_id.update(zip(got["ids"], got["embeddings"]))
    matrix = np.asarray([by_id[i] for i in ids], dtype=np.float32).reshape(len(ids), old.dimension)
    token_ids, offsets, vocab = flatten([t for _, t in kept])
    # Format 1 rows were already grouped by document, in document order.
    groups = [store.chunk_group(cs) for cs in by_source.values()]
    layouts = {d["source"]: store.Layout.of(d["text"]).to_json() for d in documents}
    return _Carried(groups, documents, layouts, [(0, len(ids), matrix)], token_ids, offsets, vocab)


def _previous_vectors(old: store.Manifest | None, old_dir: Path | None, manifest: store.Manifest,
                      sources: set[str]) -> vector_reuse.PreviousVectors:
    """The previous generation's vectors of `sources` (the documents re-loaded or gone), by
    embedded text: only when the same embedder made them, in a generation of this format."""
    if (old is None or old_dir is None or old.format_version != store.FORMAT_VERSION
            or (old.embedder, old.dimension) != (manifest.embedder, manifest.dimension)):
        return vector_reuse.NONE
    return vector_reuse.previous_vectors(old_dir, sources, old.chunk_count, old.dimension, search_text)


def _position_runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive positions as [start, end) runs: unchanged documents are contiguous."""
    if not len(rows):
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [len(rows)]])
    return [(int(rows[a]), int(rows[b - 1]) + 1) for a, b in zip(starts, ends)]


def _chroma_collection(
    settings: Settings, manifest: store.Manifest, gen_dir: Path, carried: _Carried, vectors: np.ndarray
) -> object:
    """The new generation's Chroma collection (on the server, or embedded in the generation
    folder), holding the carried rows: Chroma's copy of what is unchanged is what an update
    costs beyond the changed documents with this backend."""
    client = store.chroma_client(settings.chroma_url, gen_dir)
    collection = client.create_collection(
        manifest.collection,
        metadata={"hnsw:space": "cosine", "embedder": settings.embedder},
        embedding_function=None,  # never let Chroma's default (downloading) embedder run
    )
    _copy_to_chroma(settings, collection, carried.chunk_objects(), vectors)
    return collection


def _copy_to_chroma(settings: Settings, collection: object, chunks: list[Chunk], vectors: np.ndarray) -> None:
    """`chunks` with the first `len(chunks)` rows of `vectors`, in batches."""
    size = COPY_BATCH if settings.chroma_url else EMBEDDED_COPY_BATCH
    for start in range(0, len(chunks), size):
        part = chunks[start : start + size]
        _upsert(collection, part, vectors[start : start + len(part)])


def _upsert(collection: object, chunks: list[Chunk], vectors: np.ndarray) -> None:
    collection.upsert(  # type: ignore[attr-defined]
        ids=[c.id for c in chunks],
        embeddings=np.asarray(vectors, dtype=np.float32),
        documents=[c.text for c in chunks],
        metadatas=[store.chunk_metadata(c) for c in chunks],
    )


def _rewrite_failures(index_dir: Path, generation: str, manifest: store.Manifest, failures: dict[str, str]) -> None:
    manifest.failures = dict(failures)
    store.write_manifest(store.generations_dir(index_dir) / generation, manifest)


def _prune(settings: Settings, current: str) -> None:
    """Keep the current generation and the newest complete older ones (a reader that opened
    them keeps working); delete the rest, including leftovers of crashed builds."""
    gens = store.generations_dir(settings.index_dir)
    others = [p for p in gens.iterdir() if p.is_dir() and p.name != current] if gens.exists() else []
    complete = sorted((p for p in others if (p / "manifest.json").exists()), key=lambda p: p.name, reverse=True)
    keep = {p.name for p in complete[:KEEP_OLD_GENERATIONS]}
    for path in others:
        if path.name in keep:
            continue
        if settings.chroma_url:
            name = store.collection_name(settings.collection, path.name)
            try:
                store.chroma_client(settings.chroma_url, path).delete_collection(name)
            except Exception:  # a crashed build may never have created it
                pass
        shutil.rmtree(path, ignore_errors=True)
