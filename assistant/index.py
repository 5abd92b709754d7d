"""Opening a built index for reading: chunks, documents, dense and keyword search."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_chroma import Chroma

from assistant import store
from assistant.chunking import outline
from assistant.embeddings import cached_embedder, embedder_dimension
from assistant.keyword import KeywordIndex
from assistant.settings import Settings
from assistant.types import Chunk, LoadedDocument


class IndexNotFound(RuntimeError):
    pass


class EmbedderMismatch(RuntimeError):
    """The index was built differently from the current settings; `assistant index` rebuilds it."""


class VectorStoreMismatch(EmbedderMismatch):
    """The index's vectors live elsewhere (embedded vs a Chroma server, or another server)."""


@dataclass(frozen=True)
class Hit:
    index: int  # position in Index.chunks
    score: float


class Index:
    """A read-only view of one generation. Cheap to query, loaded once per process."""

    def __init__(self, settings: Settings, generation: str) -> None:
        self.settings = settings
        self.generation = generation
        gen_dir = store.generations_dir(settings.index_dir) / generation
        self.manifest = store.read_manifest(settings.index_dir, generation)
        if self.manifest.embedder != settings.embedder:
            raise EmbedderMismatch(
                f"索引は埋め込みモデル '{self.manifest.embedder}' で作成されていますが、"
                f"設定は '{settings.embedder}' です。`assistant index --rebuild` で索引を作り直してください。"
            )
        stored, wanted = self.manifest.vector_store, store.vector_location(settings.chroma_url)
        if stored != wanted:
            raise VectorStoreMismatch(
                f"索引のベクトルは{store.describe_location(stored)}にありますが、設定は{store.describe_location(wanted)}です。"
                "`assistant index` を実行して索引を作り直してください。"
            )
        self.embedder = cached_embedder(settings.embedder)
        dim = embedder_dimension(self.embedder)
        if dim != self.manifest.dimension:
            raise EmbedderMismatch(
                f"埋め込みの次元が索引({self.manifest.dimension})と設定({dim})で異なります。"
                "`assistant index --rebuild` で索引を作り直してください。"
            )
        records = list(store.read_chunks(gen_dir))
        self.chunks: list[Chunk] = [c for c, _ in records]
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self.documents: dict[str, LoadedDocument] = {d.source: d for d in store.read_documents(gen_dir)}
        self.outlines = {s: outline(d.text) for s, d in self.documents.items()}
        self.keyword = KeywordIndex([t for _, t in records])
        self._cities = np.array([c.city or "" for c in self.chunks])
        self._content = np.array([not c.navigation for c in self.chunks], dtype=bool)
        self._sources = np.array([c.source for c in self.chunks])
        self.vectorstore = Chroma(
            client=store.chroma_client(settings.chroma_url, gen_dir),
            collection_name=self.manifest.collection,
            embedding_function=self.embedder,
            create_collection_if_not_exists=False,
        )

    @property
    def cities(self) -> list[str]:
        return sorted({d.city for d in self.manifest.documents.values() if d.city})

    def mask(self, cities: list[str] | None = None, sources: list[str] | None = None) -> np.ndarray:
        allowed = self._content.copy()
        if cities:
            allowed &= np.isin(self._cities, cities)
        if sources:
            allowed &= np.isin(self._sources, sources)
        return allowed

    def dense_search(
        self, query: str, k: int, cities: list[str] | None = None, sources: list[str] | None = None
    ) -> list[Hit]:
        clauses: list[dict] = []
        if cities:
            clauses.append({"city": {"$in": list(cities)}})
        if sources:
            clauses.append({"source": {"$in": list(sources)}})
        where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        k = min(k, len(self.chunks))
        if k == 0:
            return []
        results = self.vectorstore.similarity_search_with_score(query, k=k, filter=where)
        hits = []
        for doc, distance in results:
            pos = self.position.get(doc.id or "")
            if pos is not None and not self.chunks[pos].navigation:
                hits.append(Hit(pos, 1.0 - float(distance)))  # cosine distance -> similarity
        return hits

    def keyword_search(
        self, query: str, k: int, cities: list[str] | None = None, sources: list[str] | None = None
    ) -> list[Hit]:
        return [Hit(i, s) for i, s in self.keyword.search(query, k, self.mask(cities, sources))]


def open_index(settings: Settings) -> Index:
    generation = store.current_generation(settings.index_dir)
    if not generation:
        raise IndexNotFound(
            f"索引がありません（{Path(settings.index_dir)}）。先に `assistant index` を実行してください。"
        )
    return Index(settings, generation)
