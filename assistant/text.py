"""Small text helpers shared by every stage: normalisation, compact forms, city names."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

_COMPACT = re.compile(r"[\s「」『』]")
_CIRCLED = re.compile(r"[①-⑳]")
# 「3-3 地域協働体…」: a leading section number, not a quantity.
_NUMBERING = re.compile(r"^\s*\d{1,2}(?:-\d{1,2})*[.．、]?[ \t\u3000]+")
CITY_SUFFIXES = "市町村区"
ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"  # numerals of sections (基本施策Ⅲ)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def compact(text: str) -> str:
    """NFKC without white space and quote brackets: how names are compared."""
    return _COMPACT.sub("", nfkc(text))


def value_text(text: str) -> str:
    """NFKC for finding values, minus list markers and leading section numbers: NFKC turns
    「①」 into 「1」, and 「3-3 地域協働体…」 is not 「3地域」."""
    return _NUMBERING.sub("", nfkc(_CIRCLED.sub(" ", text)))


def city_stem(city: str) -> str:
    """「一関市」 -> 「一関」: how a city is often named in speech."""
    return re.sub(rf"[{CITY_SUFFIXES}]$", "", city)


_CITY_PARTICLES = ("の", "における", "で")  # what may follow a city that opens a phrase


@lru_cache(maxsize=16)
def _city_starts(cities: tuple[str, ...]) -> tuple[dict[str, list[int]], tuple[int, ...]]:
    """Each city name and stem -> the positions of the cities it names (ascending), and the
    names' lengths (longest first): which cities a phrase starts with, found by looking up
    its first characters instead of trying every city."""
    by_name: dict[str, list[int]] = {}
    for i, city in enumerate(cities):
        for name in {city, city_stem(city)}:
            if name:
                by_name.setdefault(name, []).append(i)
    return by_name, tuple(sorted({len(n) for n in by_name}, reverse=True))


def strip_city(phrase: str, cities: list[str] | tuple[str, ...]) -> str:
    """A phrase without the city it starts with: 「一関市の計画期間」 -> 「計画期間」.

    One city at a time, in the given order (a phrase may name two: 「一関市と…」): each city's
    name or stem (the longer first) is taken off the start, with a particle after it. The
    cities a phrase can start with are looked up, so a long list of cities costs no more."""
    cities = tuple(cities)
    by_name, lengths = _city_starts(cities)
    after = 0  # cities before this position have had their turn
    while True:
        starts = [by_name[phrase[:n]] for n in lengths if n <= len(phrase) and phrase[:n] in by_name]
        due = [i for positions in starts for i in positions[bisect.bisect_left(positions, after) :][:1]]
        if not due:
            break
        turn = min(due)
        city = cities[turn]
        for name in sorted({n for n in (city, city_stem(city)) if n}, key=len, reverse=True):
            if phrase.startswith(name):
                phrase = phrase[len(name) :]
                particle = next((p for p in _CITY_PARTICLES if phrase.startswith(p)), "")
                phrase = phrase[len(particle) :]
                break
        after = turn + 1
    return phrase.strip("、 ")


class NameScanner:
    """Finds the names of a list, however long, in a text as one regex alternation of them,
    longest first, would (leftmost match, then the longest name there; no overlaps), without
    compiling such a pattern: for thousands of city names that took 0.1 s per process."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(n for n in names if n)
        self._lengths = tuple(sorted({len(n) for n in self.names}, reverse=True))
        self._firsts = frozenset(n[0] for n in self.names)

    def __bool__(self) -> bool:
        return bool(self.names)

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        i, size = 0, len(text)
        while i < size:
            if text[i] in self._firsts:
                n = next((n for n in self._lengths if i + n <= size and text[i : i + n] in self.names), 0)
                if n:
                    yield i, i + n
                    i += n
                    continue
            i += 1

    def sub(self, replacement: str, text: str) -> str:
        pieces, last = [], 0
        for start, end in self.spans(text):
            pieces += [text[last:start], replacement]
            last = end
        return "".join(pieces) + text[last:] if pieces else text


_CELL = re.compile(r"[\t|｜│┃]")


def table_cells(row: str) -> list[str]:
    """The cells of a table row as text writes it (tabs, pipes, box-drawing bars)."""
    parts = [c.strip(" \u3000") for c in _CELL.split(row)]
    while parts and not parts[0]:
        parts.pop(0)
    while parts and not parts[-1]:
        parts.pop()
    return parts
