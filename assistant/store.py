"""On-disk layout of an index and the vector stores it can use.

    index/
      CURRENT                  {"generation": "..."} — replaced atomically; readers follow it
      .lock                    held by the one `assistant index` allowed to run
      generations/<gen>/
        manifest.json          embedder, dimension, collection, per-document hashes (written last)
        chunks.jsonl           chunk records, in row order
        documents.jsonl        full document texts (citations are verified against them)
        layouts.jsonl          each document's outline and heading lines, one line per document
                               (not recomputed at open; read per document when first needed;
                               `layouts.json`, one object, in generations written before)
        corpus/                which documents hold which characters, pairs and triples; NFKC
                               texts; candidate definition terms (assistant/corpus_index.py)
        vectors.npy            float32 embeddings, one row per chunk (memory-mapped when read)
        chroma/                the embedded Chroma collection (only with vectors.backend=chroma)
        keyword/               BM25 (bm25s format), token ids per chunk, synonym groups

A build writes a new generation beside the current one and only then moves CURRENT, so
the previous index stays readable during a build and a crash leaves it untouched. An
update copies the unchanged documents' rows (vectors, token ids) from the previous
generation's arrays, so it costs the changed documents' embedding plus array copies.

With the Chroma backend (`ASSISTANT_VECTORS__BACKEND=chroma`: an embedded Chroma in
`generations/<gen>/chroma/`) or a Chroma server (`ASSISTANT_CHROMA_URL`: one collection per
generation on the server) the vectors also go to that collection, which answers every dense
search; the generation's own vector file then only spares an update reading the unchanged
vectors back from Chroma.
Generations of format 1 (vectors only in Chroma) are read once by the next
`assistant index`, which carries their vectors over without re-embedding.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from collections.abc import Mapping
from typing import Any, Iterable, Iterator
from urllib.parse import urlparse

import numpy as np

from assistant.chunking import HeadingLine, heading_lines, outline
from assistant.lazy_records import KeyedLines
from assistant.types import Chunk, LoadedDocument, PageSpan

CURRENT = "CURRENT"
GENERATIONS = "generations"
FORMAT_VERSION = 2
VECTORS = "vectors.npy"
LAYOUTS = "layouts.jsonl"
LEGACY_LAYOUTS = "layouts.json"  # one JSON object: generations written before layouts.jsonl
KEYWORD = "keyword"


@dataclass
class DocumentRecord:
    source: str
    title: str
    city: str | None
    content_hash: str
    chunk_ids: list[str]
    indexed_at: str


@dataclass
class Manifest:
    generation: str
    embedder: str
    dimension: int
    collection: str
    created_at: str
    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # source -> reason
    chunk_size: int = 0
    signature: str = ""  # chunking + tokenizer settings; a change forces a rebuild
    # Where the dense searches go: "embedded" (the numpy array), "chroma" (an embedded Chroma
    # in the generation folder) or "server:<url>" (vector_location). Format 1 "embedded" was Chroma.
    vector_store: str = "embedded"
    format_version: int = FORMAT_VERSION

    @property
    def chunk_count(self) -> int:
        return sum(len(d.chunk_ids) for d in self.documents.values())

    def to_json(self) -> str:
        # Shallow (asdict deep-copies) and not indented (the C encoder): at 100,000 chunk ids
        # the indented copy took over a second to write.
        raw = {**self.__dict__, "documents": {k: v.__dict__ for k, v in self.documents.items()}}
        return json.dumps(raw, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        raw = json.loads(text)
        raw["documents"] = {k: DocumentRecord(**v) for k, v in raw.get("documents", {}).items()}
        return cls(**raw)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def generations_dir(index_dir: Path) -> Path:
    return index_dir / GENERATIONS


def current_generation(index_dir: Path) -> str | None:
    try:
        return json.loads((index_dir / CURRENT).read_text(encoding="utf-8"))["generation"]
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        return None


def set_current_generation(index_dir: Path, generation: str) -> None:
    _write_atomic(index_dir / CURRENT, json.dumps({"generation": generation}))


def read_manifest(index_dir: Path, generation: str) -> Manifest:
    return Manifest.from_json((generations_dir(index_dir) / generation / "manifest.json").read_text("utf-8"))


def write_manifest(gen_dir: Path, manifest: Manifest) -> None:
    """The manifest goes last: it marks the generation complete."""
    _write_atomic(gen_dir / "manifest.json", manifest.to_json())


# A document's chunks as one record of columns; title, city and text come from the document
# (a chunk's text is `prefix + document.text[start:end]`), so they are not stored twice.
CHUNK_COLUMNS = ("id", "section", "page", "start", "end", "content_hash", "prefix", "navigation")


def chunk_group(chunks: list[Chunk]) -> dict[str, Any]:
    """One document's chunks (in row order) as a stored record."""
    group: dict[str, Any] = {"source": chunks[0].source if chunks else ""}
    for column in CHUNK_COLUMNS:
        group[column] = [getattr(c, column) for c in chunks]
    return group


def chunks_of_group(group: dict[str, Any], doc: LoadedDocument | dict[str, Any]) -> list[Chunk]:
    text, title, city = (doc.text, doc.title, doc.city) if isinstance(doc, LoadedDocument) else (doc["text"], doc["title"], doc["city"])
    source = group["source"]
    return [
        Chunk(id=i, source=source, title=title, city=city, section=section, page=page, start=start, end=end,
              text=prefix + text[start:end], content_hash=content_hash, prefix=prefix, navigation=navigation)
        for i, section, page, start, end, content_hash, prefix, navigation in zip(*(group[c] for c in CHUNK_COLUMNS))
    ]


def write_chunks(gen_dir: Path, groups: Iterable[dict[str, Any]]) -> None:
    """One line per document, documents in row order (each document's rows are contiguous)."""
    with open(gen_dir / "chunks.jsonl", "w", encoding="utf-8") as fh:
        for group in groups:
            fh.write(json.dumps(group, ensure_ascii=False) + "\n")


def read_chunk_groups(gen_dir: Path) -> Iterator[dict[str, Any]]:
    with open(gen_dir / "chunks.jsonl", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def read_chunks(gen_dir: Path, documents: dict[str, LoadedDocument]) -> list[Chunk]:
    return [c for group in read_chunk_groups(gen_dir) for c in chunks_of_group(group, documents[group["source"]])]


def read_v1_chunks(gen_dir: Path) -> Iterator[tuple[Chunk, list[str]]]:
    """A format 1 generation's chunks, each with its tokens (one line per chunk)."""
    with open(gen_dir / "chunks.jsonl", encoding="utf-8") as fh:
        for line in fh:
            raw = json.loads(line)
            yield Chunk(**raw["chunk"]), raw["tokens"]


def write_documents(gen_dir: Path, documents: Iterable[LoadedDocument | dict[str, Any]]) -> None:
    with open(gen_dir / "documents.jsonl", "w", encoding="utf-8") as fh:
        for doc in documents:
            raw = doc if isinstance(doc, dict) else asdict(doc)
            fh.write(json.dumps(raw, ensure_ascii=False) + "\n")


def read_document_records(gen_dir: Path) -> Iterator[dict[str, Any]]:
    with open(gen_dir / "documents.jsonl", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def document_from_record(raw: dict[str, Any]) -> LoadedDocument:
    raw = dict(raw)
    raw["pages"] = tuple(PageSpan(**p) for p in raw.get("pages", ()))
    return LoadedDocument(**raw)


def read_documents(gen_dir: Path) -> Iterator[LoadedDocument]:
    return (document_from_record(raw) for raw in read_document_records(gen_dir))


# ----------------------------------------------------------------------------- layouts


@dataclass
class Layout:
    """A document's outline and heading lines: what opening an index would otherwise
    recompute by splitting every document into lines. Stored as one row per heading
    (line start, title start, title end, rank, section path): the outline is the line
    starts with the paths."""

    outline: list[tuple[int, str]]
    headings: list[HeadingLine]

    @classmethod
    def of(cls, text: str) -> "Layout":
        return cls(outline(text), heading_lines(text))

    def to_json(self) -> list[list[Any]]:
        if len(self.outline) != len(self.headings):  # both list every heading line, in order
            raise ValueError("outline and heading lines disagree")
        return [[o, h.start, h.end, h.rank, h.path] for (o, _), h in zip(self.outline, self.headings)]

    @classmethod
    def from_json(cls, rows: list[list[Any]]) -> "Layout":
        return cls([(row[0], row[4]) for row in rows], [HeadingLine(*row[1:]) for row in rows])


def write_layouts(gen_dir: Path, layouts: dict[str, list[list[Any]]]) -> None:
    """One line per document, its source first, so a reader can find a document's line
    without parsing the others (`KeyedLines`). Written whole, then renamed: a generation
    upgraded in place (`upgrade_layouts`) never shows a partial file."""
    _write_atomic(gen_dir / LAYOUTS, "".join(
        json.dumps({"source": source, "rows": rows}, ensure_ascii=False) + "\n" for source, rows in layouts.items()))


def upgrade_layouts(gen_dir: Path) -> bool:
    """Give a generation written with `layouts.json` its `layouts.jsonl` (same rows), so it
    opens without parsing every document's layout; the old file stays for older readers."""
    if (gen_dir / LAYOUTS).exists() or not (gen_dir / LEGACY_LAYOUTS).exists():
        return False
    write_layouts(gen_dir, read_layout_records(gen_dir))
    return True


class _LayoutRows(Mapping[str, list[list[Any]]]):
    def __init__(self, lines: KeyedLines) -> None:
        self._lines = lines

    def __getitem__(self, source: str) -> list[list[Any]]:
        return self._lines[source]["rows"]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


def stored_layouts(gen_dir: Path) -> Mapping[str, list[list[Any]]]:
    """Source -> stored layout rows, each document's parsed when first read."""
    if (gen_dir / LAYOUTS).exists():
        return _LayoutRows(KeyedLines(gen_dir / LAYOUTS))
    legacy = gen_dir / LEGACY_LAYOUTS
    if legacy.exists():
        with open(legacy, encoding="utf-8") as fh:
            return json.load(fh)  # type: ignore[no-any-return]
    return {}


def read_layout_records(gen_dir: Path) -> dict[str, list[list[Any]]]:
    return dict(stored_layouts(gen_dir))


def lazy_documents(gen_dir: Path) -> Mapping[str, dict[str, Any]]:
    """Source -> document record of `documents.jsonl`, each parsed when first read."""
    return KeyedLines(gen_dir / "documents.jsonl")


# ----------------------------------------------------------------------------- vectors


def create_vectors(gen_dir: Path, rows: int, dimension: int) -> np.ndarray:
    """The generation's vector file, allocated at its final size and filled in place."""
    return np.lib.format.open_memmap(gen_dir / VECTORS, mode="w+", dtype=np.float32, shape=(rows, dimension))


def read_vectors(gen_dir: Path) -> np.ndarray:
    """The generation's vectors, memory-mapped: opening costs nothing, and a search
    restricted to some cities reads only their rows."""
    return np.load(gen_dir / VECTORS, mmap_mode="r")


def has_vectors(gen_dir: Path) -> bool:
    return (gen_dir / VECTORS).exists()


def chroma_client(chroma_url: str | None, gen_dir: Path) -> Any:
    """An HttpClient for a Chroma server, else an embedded client inside the generation."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises ValueError("Could not connect ...") over httpx errors
            raise ChromaUnavailable(chroma_url) from exc
    return chromadb.PersistentClient(path=str(gen_dir / "chroma"), settings=chroma_settings)


EMBEDDED_CHROMA = "chroma"


def vector_location(chroma_url: str | None, backend: str = "numpy") -> str:
    """Where a generation's dense searches go, as recorded in its manifest: "embedded" (the
    memory-mapped numpy array), "chroma" (a Chroma inside the generation folder) or
    "server:<scheme>://<host>:<port>" (normalised)."""
    if not chroma_url:
        return EMBEDDED_CHROMA if backend == "chroma" else "embedded"
    url = urlparse(chroma_url.strip())
    scheme = url.scheme or "http"
    port = url.port or (443 if scheme == "https" else 8000)
    return f"server:{scheme}://{(url.hostname or 'localhost').lower()}:{port}"


def location_of(settings: Any) -> str:
    """The vector location the settings ask for."""
    return vector_location(settings.chroma_url, settings.vectors.backend)


def uses_chroma(location: str) -> bool:
    """Whether a generation at this location keeps a Chroma collection (embedded or server)."""
    return location == EMBEDDED_CHROMA or location.startswith("server:")


def describe_location(location: str) -> str:
    """Japanese, for staff: where the vectors are searched."""
    if location.startswith("server:"):
        return f"Chroma サーバー {location.removeprefix('server:')}"
    if location == EMBEDDED_CHROMA:
        return "索引フォルダ内の Chroma"
    return "索引フォルダ内のベクトル配列（numpy）"


class ChromaUnavailable(ConnectionError):
    """The Chroma server cannot be reached; the message is Japanese, for staff."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"Chroma サーバー（{url}）に接続できません。サーバーが起動しているか、設定 ASSISTANT_CHROMA_URL が正しいかを確認してください。"
        )
        self.url = url


def collection_name(prefix: str, generation: str) -> str:
    # One collection per generation, so a server keeps serving the old one during a build.
    return f"{prefix}-{generation}"[:512]


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    # Chroma metadata values must be scalars; None is not allowed.
    return {
        "source": chunk.source,
        "title": chunk.title,
        "city": chunk.city or "",
        "section": chunk.section,
        "page": chunk.page if chunk.page is not None else -1,
        "start": chunk.start,
        "end": chunk.end,
        "content_hash": chunk.content_hash,
    }


def batched(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
