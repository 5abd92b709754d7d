"""A value per document (its outline, heading lines, title words), computed when first
read and kept: opening an index of thousands of documents computes none of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from assistant.types import LoadedDocument


class PerDocument(Mapping[str, Any]):
    """A value per document, computed on first use and kept."""

    def __init__(self, documents: Mapping[str, LoadedDocument], make: Callable[[LoadedDocument], Any],
                 by_source: bool = False) -> None:
        """`by_source`: `make` takes the source, so a value that needs only the document's
        title or city (lazy_records.head_of) does not parse its text."""
        self._documents, self._make, self._made, self._by_source = documents, make, {}, by_source

    def __getitem__(self, source: str) -> Any:
        got = self._made.get(source)
        if got is None:
            got = self._made[source] = self._make(source if self._by_source else self._documents[source])
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)
