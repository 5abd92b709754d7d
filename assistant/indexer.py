"""Incremental index builds: `assistant index`.

Documents are compared by content hash with the current generation's manifest; only
added or changed documents are loaded, chunked and embedded. Unchanged chunks are copied
with their stored embeddings into the new generation. See `store.py` for the layout and
why a build never disturbs the index being read.
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

from assistant import store
from assistant.catalog import CATALOG_FILE, read_catalog
from assistant.chunking import CHUNKER_VERSION, chunk_document
from assistant.embeddings import cached_embedder, embedder_dimension
from assistant.tokens import TOKENIZER_VERSION, tokenize
from assistant.loaders import DocumentLoadError, load_document, scan_corpus
from assistant.settings import Settings
from assistant.types import Chunk, LoadedDocument

EMBED_BATCH = 16
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
    embedded: int = 0
    seconds: float = 0.0
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
    if old_gen and not rebuild:
        try:
            old = store.read_manifest(index_dir, old_gen)
        except (OSError, ValueError, TypeError):
            old = None
            report.notice = "既存の索引を読めなかったため、最初から作り直します。"
        if old and (old.embedder != settings.embedder or old.signature != pipeline_signature(settings)):
            report.notice = "埋め込みモデルまたはチャンク設定が変わったため、最初から作り直します。"
            old = None
        if old and old.vector_store != store.vector_location(settings.chroma_url):
            report.notice = (
                f"ベクトルの保存先が変わったため（{store.describe_location(old.vector_store)} → "
                f"{store.describe_location(store.vector_location(settings.chroma_url))}）、最初から作り直します。"
            )
            old = None
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

    if old is not None and not report.changed:
        report.generation = old_gen
        report.chunks = old.chunk_count
        if report.failed != old.failures:
            _rewrite_failures(index_dir, old_gen, old, report.failed)  # type: ignore[arg-type]
        _prune(settings, current=old_gen)  # type: ignore[arg-type]
        return report

    generation = _new_generation_id()
    gen_dir = gens / generation
    gen_dir.mkdir()
    embedder = cached_embedder(settings.embedder)
    manifest = store.Manifest(
        generation=generation,
        embedder=settings.embedder,
        dimension=embedder_dimension(embedder),
        collection=store.collection_name(settings.collection, generation),
        created_at=_now(),
        failures=dict(report.failed),
        chunk_size=settings.chunking.size,
        signature=pipeline_signature(settings),
        vector_store=store.vector_location(settings.chroma_url),
    )
    client = store.chroma_client(settings.chroma_url, gen_dir)
    collection = client.create_collection(
        manifest.collection,
        metadata={"hnsw:space": "cosine", "embedder": settings.embedder},
        embedding_function=None,  # never let Chroma's default (downloading) embedder run
    )

    keep_sources = set(report.unchanged)
    records: list[tuple[Chunk, list[str]]] = []
    documents: list[LoadedDocument] = []
    if old is not None and old_gen:
        records, documents = _copy_unchanged(settings, old, old_gen, keep_sources, collection)
    for source in keep_sources:
        manifest.documents[source] = old_docs[source]

    total = len(new_chunks)
    for done, batch in enumerate(store.batched(new_chunks, EMBED_BATCH)):
        progress("embed", done * EMBED_BATCH, total)
        texts = [search_text(c) for c in batch]
        vectors = embedder.embed_documents(texts)
        collection.upsert(
            ids=[c.id for c in batch],
            embeddings=vectors,
            documents=[c.text for c in batch],
            metadatas=[store.chunk_metadata(c) for c in batch],
        )
        records.extend((c, tokenize(t)) for c, t in zip(batch, texts))
    progress("embed", total, total)
    report.embedded = total

    now = _now()
    for doc in loaded:
        manifest.documents[doc.source] = store.DocumentRecord(
            source=doc.source,
            title=doc.title,
            city=doc.city,
            content_hash=doc.content_hash,
            chunk_ids=[c.id for c in new_chunks if c.source == doc.source],
            indexed_at=now,
        )
    documents.extend(loaded)
    store.write_generation(gen_dir, manifest, records, documents)
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


def _copy_unchanged(
    settings: Settings,
    old: store.Manifest,
    old_gen: str,
    keep_sources: set[str],
    collection: object,
) -> tuple[list[tuple[Chunk, list[str]]], list[LoadedDocument]]:
    """Carry unchanged documents' chunks, tokens and embeddings into the new generation."""
    old_dir = store.generations_dir(settings.index_dir) / old_gen
    records = [(c, t) for c, t in store.read_chunks(old_dir) if c.source in keep_sources]
    documents = [d for d in store.read_documents(old_dir) if d.source in keep_sources]
    if not records:
        return records, documents
    old_collection = store.chroma_client(settings.chroma_url, old_dir).get_collection(old.collection)
    by_id = {c.id: c for c, _ in records}
    for ids in store.batched(list(by_id), 256):
        got = old_collection.get(ids=ids, include=["embeddings", "documents", "metadatas"])
        collection.upsert(  # type: ignore[attr-defined]
            ids=got["ids"],
            embeddings=got["embeddings"],
            documents=got["documents"],
            metadatas=got["metadatas"],
        )
    return records, documents


def _rewrite_failures(index_dir: Path, generation: str, manifest: store.Manifest, failures: dict[str, str]) -> None:
    manifest.failures = dict(failures)
    store._write_atomic(store.generations_dir(index_dir) / generation / "manifest.json", manifest.to_json())


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
