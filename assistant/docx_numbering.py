"""Word's automatic numbering, rendered as Word shows it.

A heading style or a list paragraph may take its number from the document's numbering
definitions (「第%1章」, 「%1.%2」, 「(%1)」) instead of typed text: python-docx reads only the
typed text, so 「第2章」「基本目標２」 or 「(3)」 would be missing from every quote and heading.
Counters run per abstract list, as Word runs them: a level restarts when a level above it
advances, and a list's `startOverride` restarts it where the list is first used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = 9
_KANJI_DIGITS = "〇一二三四五六七八九"
_AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARENED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_SEPARATORS = {"tab": "\u3000", "space": " ", "nothing": ""}


def _val(el: Any, tag: str) -> str | None:
    child = el.find(_W + tag) if el is not None else None
    return child.get(_W + "val") if child is not None else None


def _kanji(n: int) -> str:
    """一, 十, 十二, 二十三, 百五 (Word's japaneseCounting); digits past 999."""
    if n < 10:
        return _KANJI_DIGITS[n]
    if n >= 1000:
        return str(n)
    out = ""
    for value, mark in ((100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            out += ("" if digit == 1 else _KANJI_DIGITS[digit]) + mark
    return out + (_KANJI_DIGITS[n] if n else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int, first: str) -> str:
    return chr(ord(first) + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's number formats (an unknown one is written in digits)."""
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= len(_PARENED):
        return _PARENED[n - 1]
    if fmt in ("japaneseCounting", "chineseCounting", "ideographTraditional", "japaneseDigitalTenThousand") and n >= 0:
        return _kanji(n)
    if fmt in ("aiueo", "aiueoFullWidth") and 1 <= n:
        return _AIUEO[(n - 1) % len(_AIUEO)]
    if fmt in ("iroha", "irohaFullWidth") and 1 <= n:
        return _IROHA[(n - 1) % len(_IROHA)]
    if fmt == "upperLetter" and n >= 1:
        return _letters(n, "A")
    if fmt == "lowerLetter" and n >= 1:
        return _letters(n, "a")
    if fmt == "upperRoman" and n >= 1:
        return _roman(n)
    if fmt == "lowerRoman" and n >= 1:
        return _roman(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    separator: str
    legal: bool
    style: str | None


@dataclass
class Numbering:
    """The numbering definitions of one document, and its counters as the body is read."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId -> ilvl -> level
    lists: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId -> (abstractNumId, start overrides)
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    restarted: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, document: Any) -> "Numbering":
        out = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return out  # no numbering part: nothing is numbered automatically
        for abstract in root.findall(_W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl", "0"))
                levels[ilvl] = _Level(
                    start=int(_val(lvl, "start") or 1),
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    separator=_SEPARATORS.get(_val(lvl, "suff") or "tab", "\u3000"),
                    legal=lvl.find(_W + "isLgl") is not None,
                    style=_val(lvl, "pStyle"),
                )
            out.levels[abstract.get(_W + "abstractNumId", "")] = levels
        for num in root.findall(_W + "num"):
            overrides = {}
            for override in num.findall(_W + "lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(_W + "ilvl", "0"))] = int(start)
            out.lists[num.get(_W + "numId", "")] = (_val(num, "abstractNumId") or "", overrides)
        return out

    def label(self, paragraph: Any) -> str:
        """The number (or bullet) Word shows before this paragraph, with its separator; "" when
        the paragraph is not numbered. Advances the counters."""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl, style_id = found
        abstract_id, overrides = self.lists.get(num_id, ("", {}))
        levels = self.levels.get(abstract_id)
        if not levels:
            return ""
        if ilvl is None:
            # A heading style linked to a level of the list (<w:pStyle> in the level).
            ilvl = next((i for i, lv in levels.items() if style_id and lv.style == style_id), 0)
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * _LEVELS)
        if num_id not in self.restarted:
            self.restarted.add(num_id)
            for i, start in overrides.items():
                if 0 <= i < _LEVELS:
                    counters[i] = start - 1
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1  # type: ignore[operator]
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        if level.fmt == "bullet":
            return "・"
        text = level.text
        for i in range(_LEVELS):
            token = f"%{i + 1}"
            if token not in text:
                continue
            lv = levels.get(i, level)
            value = counters[i] if counters[i] is not None else lv.start
            text = text.replace(token, format_number(value, "decimal" if level.legal else lv.fmt))
        return text + level.separator if text.strip() else ""

    def _num_pr(self, paragraph: Any) -> tuple[str, int | None, str | None] | None:
        """(numId, ilvl or None, style id) of the paragraph's own numbering or its style's."""
        style = paragraph.style
        style_id = style.style_id if style is not None else None
        ppr = paragraph._p.pPr
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        while num_pr is None and style is not None:
            spr = style.element.pPr
            num_pr = spr.find(_W + "numPr") if spr is not None else None
            style = style.base_style
        if num_pr is None:
            return None
        num_id = _val(num_pr, "numId")
        if not num_id or num_id == "0":
            return None
        ilvl = _val(num_pr, "ilvl")
        return num_id, int(ilvl) if ilvl is not None else None, style_id
