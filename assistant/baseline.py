"""The tutorial RAG pipeline, kept as the eval's baseline.

RecursiveCharacterTextSplitter (500 characters), dense search only with the same bundled
e5 model, the top passage as the answer. Built in memory (an ephemeral Chroma) from the
corpus, so it never touches the real index.
"""

from __future__ import annotations

import time
from typing import Any

from assistant.messages import ABSTAIN_TEXT
from assistant.embeddings import cached_embedder
from assistant.loaders import load_corpus
from assistant.settings import Settings
from assistant.types import Answer, Chunk, Citation, Passage, Turn

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50


class BaselinePipeline:
    def __init__(self, settings: Settings) -> None:
        import chromadb
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
        )
        documents, _ = load_corpus(settings.corpus_dir)
        self.chunks: dict[str, Chunk] = {}
        texts, metadatas, ids = [], [], []
        for doc in documents:
            for i, piece in enumerate(splitter.create_documents([doc.text])):
                start = piece.metadata["start_index"]
                chunk = Chunk(
                    id=f"{doc.source}#{i}", source=doc.source, title=doc.title, city=doc.city, section="",
                    page=doc.page_at(start), start=start, end=start + len(piece.page_content),
                    text=piece.page_content, content_hash="",
                )
                self.chunks[chunk.id] = chunk
                texts.append(chunk.text)
                metadatas.append({"source": doc.source})
                ids.append(chunk.id)
        client = chromadb.EphemeralClient()
        self.store = Chroma(
            client=client, collection_name="baseline", embedding_function=cached_embedder(settings.embedder),
            collection_metadata={"hnsw:space": "cosine"},
        )
        # One add per Chroma batch: a single call above its max batch size (~5,000) fails.
        step = client.get_max_batch_size()
        for i in range(0, len(texts), step):
            self.store.add_texts(texts[i : i + step], metadatas=metadatas[i : i + step], ids=ids[i : i + step])
        self.k = settings.retrieval.k

    def describe(self) -> dict[str, Any]:
        return {"splitter": "RecursiveCharacterTextSplitter", "chunk_size": CHUNK_SIZE,
                "chunk_overlap": CHUNK_OVERLAP, "retrieval": "dense", "k": self.k}

    def ask(self, question: str, history: list[Turn] | None = None) -> Answer:
        started = time.perf_counter()
        results = self.store.similarity_search_with_score(question, k=self.k)
        passages = [Passage(self.chunks[doc.id], 1.0 - score) for doc, score in results if doc.id in self.chunks]
        if not passages:
            return Answer(question=question, text=ABSTAIN_TEXT, abstained=True)
        top = passages[0].chunk
        citation = Citation(n=1, source=top.source, title=top.title, city=top.city, section="", page=top.page,
                            quote=top.text, chunk_id=top.id, start=top.start, end=top.end)
        return Answer(question=question, text=f"{top.text} [1]", abstained=False, citations=[citation],
                      passages=passages, mode="baseline", latency_ms=(time.perf_counter() - started) * 1000)
