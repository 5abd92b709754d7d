"""A value per document (its outline, heading lines, title words), computed when first
read and kept: opening an index of thousands of documents computes none of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from assistant.types import LoadedDocument


class PerDocument(Mapping[str, Any]):
    """A value per document, computed on first use and kept."""

    def __init__(self, documents: Mapping[str, LoadedDocument], make: Callable[[LoadedDocument], Any]) -> None:
        self._documents, self._make, self._made = documents, make, {}

    def __getitem__(self, source: str) -> Any:
        got = self._made.get(source)
        if got is None:
            got = self._made[source] = self._make(self._documents[source])
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)
