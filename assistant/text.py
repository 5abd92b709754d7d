"""Small text helpers shared by every stage: normalisation, compact forms, city names."""

from __future__ import annotations

import re
import unicodedata
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


@lru_cache(maxsize=256)
def _city_prefix(cities: tuple[str, ...]) -> re.Pattern[str] | None:
    names = sorted({n for c in cities for n in (c, city_stem(c)) if n}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(rf"^(?:{'|'.join(re.escape(n) for n in names)})(?:の|における|で)?")


def strip_city(phrase: str, cities: list[str] | tuple[str, ...]) -> str:
    """A phrase without the city it starts with: 「一関市の計画期間」 -> 「計画期間」."""
    for city in cities:
        # One city at a time, in the given order, as a phrase may name two (「一関市と…」).
        pattern = _city_prefix((city,))
        if pattern:
            phrase = pattern.sub("", phrase)
    return phrase.strip("、 ")
