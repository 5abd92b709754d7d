"""Vectors an update takes from the previous generation instead of embedding them again.

A re-loaded document (an edit, a catalog change, a new loader version) mostly yields chunks
whose embedded text is what it was: such a chunk gets the previous generation's row for that
exact text. Rows are found by a hash of the embedded string, so a vector is reused only when
the embedder would be given the same input; the caller checks that the embedder is the same.
Only the named documents' chunk groups and records are kept; the previous generation is
only read (its vectors memory-mapped), never written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from assistant import store
from assistant.types import Chunk


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass
class PreviousVectors:
    rows: dict[bytes, int]  # embedded text's key -> row of `vectors`
    vectors: np.ndarray | None  # the previous generation's vectors, memory-mapped

    def fill(self, target: np.ndarray, texts: list[str], first_row: int, block: int = 8192) -> list[int]:
        """Copy the previous row of each text that has one into `target[first_row + i]`;
        return the positions `i` of the texts that must be embedded."""
        pairs, missing = [], []
        for i, text in enumerate(texts):
            row = self.rows.get(text_key(text))
            if row is None:
                missing.append(i)
            else:
                pairs.append((first_row + i, row))
        for start in range(0, len(pairs), block):
            part = np.asarray(pairs[start : start + block], dtype=np.int64)
            target[part[:, 0]] = self.vectors[part[:, 1]]  # type: ignore[index]
        return missing


NONE = PreviousVectors({}, None)


def previous_vectors(gen_dir: Path, sources: set[str], rows: int, dimension: int,
                     text_of: Callable[[Chunk], str]) -> PreviousVectors:
    """The rows of `sources`' chunks in the generation `gen_dir`, by embedded text. Nothing
    when its vector file is missing or not the shape its manifest says (`rows` x `dimension`)."""
    if not sources or not store.has_vectors(gen_dir):
        return NONE
    vectors = store.read_vectors(gen_dir)
    if vectors.shape != (rows, dimension):
        return NONE
    documents = {d["source"]: d for d in store.read_document_records(gen_dir) if d["source"] in sources}
    found: dict[bytes, int] = {}
    row = 0
    for group in store.read_chunk_groups(gen_dir):  # rows are in chunks.jsonl order
        if group["source"] in documents:
            for i, chunk in enumerate(store.chunks_of_group(group, documents[group["source"]])):
                found.setdefault(text_key(text_of(chunk)), row + i)
        row += len(group["id"])
    return PreviousVectors(found, vectors) if found and row == rows else NONE
