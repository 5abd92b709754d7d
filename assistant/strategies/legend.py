"""「B評価ってどういう意味？」「◎○△×はそれぞれ何を表す？」: a mark (a grade letter, a symbol in a
table's cells) is defined by the legend printed with the table (「※評価の区分 A：目標を大きく上回った
B：概ね目標どおり…」「◎　目標を達成した　○　目標の８割以上…」「Ａ＝目標達成、Ｂ＝…」): the legend
line answers, not the sentences that share the question's other words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.docview import DocumentView, Statement
from assistant.lexicon import lexicon
from assistant.query import Query
from assistant.strategies.base import Scope, Selection
from assistant.text import nfkc

NAME = "legend"
LEGEND_DOCUMENTS = 3  # the documents of the best passages searched for a legend, best first
LEGEND_LINES = 5  # legend lines quoted at most (a legend may be one line per mark)
LEGEND_LINES_AFTER = 6  # lines after a line naming a legend (「【評価の凡例】」) read as its entries


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], str]:
    lex = lexicon()
    symbols = "".join(re.escape(s) for s in lex.legend_symbols)
    letters = "".join(lex.legend_letters)
    grades = "|".join(map(re.escape, lex.legend_grade_words))
    # A letter is a grade only as one: 「B評価」, 「Ａ・Ｂ・Ｃ」, 「「A」」 (not the 「A」 of 「会議室A」).
    letter = re.compile(rf"(?<![A-Za-z0-9])([{letters}])(?=\s*(?:{grades})|\s*[・、,/と]\s*[{letters}](?![A-Za-z])|[」』])"
                        rf"|(?<=[・、,/と])\s*([{letters}])(?![A-Za-z0-9])")
    symbol = re.compile(rf"([{symbols}])")
    return letter, symbol, symbols


def asked_marks(query: Query) -> list[str]:
    """The marks whose meaning the question asks, in its order (NFKC: 「Ｂ」 is B)."""
    text = nfkc(query.normalized)
    if not lexicon().cue("asks_meaning").search(text):
        return []
    letter, symbol, _ = _patterns()
    found = [m.group(1) or m.group(2) for m in letter.finditer(text)] + [m.group(1) for m in symbol.finditer(text)]
    return list(dict.fromkeys(found))


def _entries(text: str, marks: str, loose: bool = False) -> set[str]:
    """The marks a line defines: a mark, then 「：」「＝」 or a gap, then words (not another mark nor
    an arrow: 「○	●	●」「● → ◎」 are rows of a table the legend explains). `loose`, in a line
    that says it is a legend (「凡例：●実施　○検討」), the words may follow the mark directly."""
    gap = r"\s*(?:[:：=＝]|\s)\s*" if not loose else r"\s*[:：=＝]?\s*"
    pattern = rf"(?<![A-Za-z0-9])([{marks}]){gap}[^\s:：=＝|｜→←↓\-－―\d{marks}]"
    return set(re.findall(pattern, text))


def _family(asked: list[str]) -> str:
    _, _, symbols = _patterns()
    letters = "".join(lexicon().legend_letters)
    return letters if asked[0] in letters else symbols


def is_legend(text: str, asked: list[str]) -> bool:
    """A line that defines the asked marks as a legend does: two marks of their family or more,
    one of them asked, each followed by its meaning (or one, in a line that says 「凡例」)."""
    plain = nfkc(text)
    named = any(w in plain for w in lexicon().legend_words)
    defined = _entries(plain, _family(asked), loose=named)
    return len(defined) >= (1 if named else 2) and bool(defined & set(asked))


def _one_entry(text: str, asked: list[str]) -> bool:
    """A line of a legend that defines one mark (「- ◎：目標達成（達成率100％以上）」)."""
    plain = nfkc(text).lstrip("-・*＊ 　")
    return bool(re.match(rf"[{re.escape(''.join(asked))}]\s*[:：=＝]\s*\S", plain))


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    asked = asked_marks(query)
    if not asked or query.yes_no:
        return scope.then(scope)
    sources = list(dict.fromkeys(p.chunk.source for p in scope.passages))[:LEGEND_DOCUMENTS]
    for source in sources:
        lines: list[Statement] = []
        seen: set[str] = set()
        after = 0  # lines left in a legend announced by a line of its own (「【評価の凡例】」)
        family = _family(asked)
        for seg in view.segments(source):
            text = view.text_of(source, seg)
            if seg.kind not in ("text", "table", "heading"):
                continue
            if any(w in nfkc(text) for w in lexicon().legend_words):
                after = LEGEND_LINES_AFTER
            elif after:
                after -= 1
            if text in seen:
                continue  # (a legend printed under each page's table is quoted once)
            if (seg.kind != "heading" and is_legend(text, asked)) or (after and _one_entry(text, list(family))):
                seen.add(text)
                lines.append(view.statement(source, seg, 0))
        if lines:
            return Selection(lines[:LEGEND_LINES], NAME, "記号の意味を、表の凡例の行で答えました。")
    return scope.then(scope)
