"""A value question (how many, how much, when, how long, where): the statement holding a
value of the asked kind, with what completes it (see picking.py)."""

from __future__ import annotations

from dataclasses import replace

from assistant.docview import DocumentView
from assistant.query import VALUE_TYPES, Query
from assistant.strategies.base import Scope, Selection
from assistant.strategies.picking import pick
from assistant.text import compact, nfkc
from assistant.values import names_another_edition, names_other_plans_period

NAME = "value"
_KIND_JA = {"count": "数", "amount": "金額", "date": "日付", "period": "期間", "place": "場所"}


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if query.answer_type not in VALUE_TYPES:
        return None
    # A statement giving the value of another edition of what is asked (「第１次計画（平成30年度
    # ～令和５年度）」 for the 第2次 plan) answers nothing about it, when others are left.
    question = compact(query.normalized)
    set_aside = ""
    own = [st for st in scope.statements if not names_another_edition(question, compact(nfkc(st.text)))]
    if own and len(own) < len(scope.statements):
        scope = replace(scope, statements=own)
    if query.answer_type == "period":
        # A span written beside another plan's name (「第３次環境基本計画」（令和5年度～令和14年度）,
        # 第１次計画（平成27年度～令和元年度）) is that plan's period, not the asked one's.
        asked = view.without_city_names(question)  # another plan's name shares the city's, not the plan's words
        own = [st for st in scope.statements
               if not names_other_plans_period(asked, _spaceless(st.text), compact(st.chunk.title))]
        if own and len(own) < len(scope.statements):
            scope = replace(scope, statements=own)
            set_aside = "別の計画の名前に添えて書かれた期間は除きました。"
    chosen = pick(query, scope, view)
    typed = any(st.typed for st in chosen)
    kind = _KIND_JA[query.answer_type]
    reason = f"{kind}が書かれた文で答えました。" if typed else f"{kind}を含む文が見つからず、最も近い文で答えました。"
    return Selection(chosen, NAME, reason + (f" {set_aside}" if set_aside else ""))


def _spaceless(text: str) -> str:
    return "".join(nfkc(text).split())  # brackets kept: they delimit the names
