"""「基本目標２の施策の方向は？」: a plan numbers its goals, policies and measures; a statement
standing under another number of the kind the question numbers (a row 「基本目標１ …」, a
sentence in the section 「基本方針3」) does not answer it."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.docview import DocumentView, Statement
from assistant.lexicon import lexicon
from assistant.query import Query
from assistant.text import ROMAN


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    kinds = "|".join(re.escape(k) for k in sorted(lexicon().numbered_kinds, key=len, reverse=True))
    return re.compile(rf"({kinds})\s*(\d+|[{ROMAN}])")  # (full-width digits too; not NFKC: Ⅲ would be III)


def numbers(text: str) -> dict[str, set[str]]:
    """The numbered kinds a text names, with their numbers (「基本目標２」 -> {基本目標: {2}})."""
    out: dict[str, set[str]] = {}
    for m in _pattern().finditer(text):
        n = m.group(2)
        out.setdefault(m.group(1), set()).add(str(ROMAN.index(n) + 1) if n in ROMAN else str(int(n)))
    return out


def under_another(asked: dict[str, set[str]], st: Statement, view: DocumentView) -> bool:
    """Whether the statement (with its section path) names another number of an asked kind and
    not the asked one."""
    around = numbers(st.text + " " + view.section_at(st.chunk.source, st.start))
    return any(kind in around and not (around[kind] & ns) for kind, ns in asked.items())


def numbered_as_asked(query: Query, statements: list[Statement], view: DocumentView) -> list[Statement]:
    asked = numbers(query.original)
    if not asked or len(statements) < 2:
        return statements
    kept = [st for st in statements if not under_another(asked, st, view)]
    return kept if kept else statements
