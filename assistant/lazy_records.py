"""Records of a generation read when first used: opening an index of thousands of documents
parses no document text and makes no chunk object until a question needs it.

- `KeyedLines`: a JSON-lines file whose records start with their key field (our writers put
  `source` first); opening finds each line and reads its key only.
- `LazyDocuments`: the documents of `documents.jsonl` as a mapping, each parsed on first read.
- `ChunkTable`: the chunks of `chunks.jsonl` as a sequence, made into `Chunk`s one document
  at a time; what opening needs (row count, ids, navigation flags, each document's rows)
  comes from the stored columns without making any.
"""

from __future__ import annotations

import bisect
import json
import mmap
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np

from assistant.types import Chunk, LoadedDocument

_KEY_HEAD = re.compile(rb'\{"(\w+)": ("(?:[^"\\]|\\.)*")')


class KeyedLines(Mapping[str, dict[str, Any]]):
    """Key -> record of a JSON-lines file, each line parsed when its key is first read.
    Opening finds each line's end and reads its key, copying no line; the file is memory-mapped,
    so the text of documents no question reads is never held by the process."""

    def __init__(self, path: Path, key: str = "source") -> None:
        with open(path, "rb") as fh:
            self._data: bytes | mmap.mmap = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if path.stat().st_size else b""
        self._spans: dict[str, tuple[int, int]] = {}
        self._parsed: dict[str, dict[str, Any]] = {}
        data, start = self._data, 0
        while start < len(data):
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            if data[start:end].strip():
                head = _KEY_HEAD.match(data, start, end)
                if head and head.group(1).decode() == key:
                    self._spans[json.loads(head.group(2))] = (start, end)
                else:  # written by something that does not put the key first
                    record = json.loads(data[start:end])
                    self._spans[record[key]] = (start, end)
                    self._parsed[record[key]] = record
            start = end + 1

    def __getitem__(self, key: str) -> dict[str, Any]:
        got = self._parsed.get(key)
        if got is None:
            start, end = self._spans[key]
            got = self._parsed[key] = json.loads(self._data[start:end])
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)


class LazyDocuments(Mapping[str, LoadedDocument]):
    """Source -> document, each parsed on first read; `on_load` sees every document made.
    `heads` gives each document's (title, city) without parsing it (from the manifest)."""

    def __init__(self, records: Mapping[str, dict[str, Any]], make: Callable[[dict[str, Any]], LoadedDocument],
                 on_load: Callable[[LoadedDocument], None] | None = None,
                 heads: Mapping[str, tuple[str, str | None]] | None = None) -> None:
        self._records, self._make, self._on_load = records, make, on_load
        self._made: dict[str, LoadedDocument] = {}
        self._heads = heads or {}

    def head(self, source: str) -> tuple[str, str | None]:
        got = self._heads.get(source)
        if got is None:
            doc = self[source]
            got = (doc.title, doc.city)
        return got

    def __getitem__(self, source: str) -> LoadedDocument:
        got = self._made.get(source)
        if got is None:
            got = self._made[source] = self._make(self._records[source])
            if self._on_load is not None:
                self._on_load(got)
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


def head_of(documents: Mapping[str, LoadedDocument], source: str) -> tuple[str, str | None]:
    """A document's (title, city), without parsing its text where the mapping can tell."""
    head = getattr(documents, "head", None)
    if head is not None:
        return head(source)  # type: ignore[no-any-return]
    doc = documents[source]
    return doc.title, doc.city


class ChunkTable(Sequence[Chunk]):
    """Every chunk of a generation in row order; one document's `Chunk`s are made together,
    when one of them is first read."""

    def __init__(self, groups: list[dict[str, Any]], documents: Mapping[str, LoadedDocument],
                 make: Callable[[dict[str, Any], LoadedDocument], list[Chunk]]) -> None:
        self._groups, self._documents, self._make = groups, documents, make
        counts = [len(g["id"]) for g in groups]
        self._starts = [0]
        for n in counts:
            self._starts.append(self._starts[-1] + n)
        self._group_of = {g["source"]: k for k, g in enumerate(groups)}
        self._made: dict[int, list[Chunk]] = {}

    def __len__(self) -> int:
        return self._starts[-1]

    def _group(self, k: int) -> list[Chunk]:
        got = self._made.get(k)
        if got is None:
            group = self._groups[k]
            got = self._made[k] = self._make(group, self._documents[group["source"]])
        return got

    @overload
    def __getitem__(self, i: int) -> Chunk: ...
    @overload
    def __getitem__(self, i: slice) -> list[Chunk]: ...
    def __getitem__(self, i: int | slice) -> Chunk | list[Chunk]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        k = bisect.bisect_right(self._starts, i) - 1
        return self._group(k)[i - self._starts[k]]

    def __iter__(self) -> Iterator[Chunk]:
        for k in range(len(self._groups)):
            yield from self._group(k)

    # What opening an index needs, from the stored columns.
    def ids(self) -> Iterator[str]:
        for group in self._groups:
            yield from group["id"]

    def navigation(self) -> np.ndarray:
        flags = [f for group in self._groups for f in group["navigation"]]
        return np.array(flags, dtype=bool)

    def sources(self) -> list[str]:
        return [g["source"] for g in self._groups]

    def rows_of(self, source: str) -> range:
        k = self._group_of.get(source)
        return range(0) if k is None else range(self._starts[k], self._starts[k + 1])

    def of_source(self, source: str) -> list[Chunk]:
        k = self._group_of.get(source)
        return [] if k is None else self._group(k)
