"""Any other question: the best statements (see picking.py). The last strategy."""

from __future__ import annotations

from assistant.docview import DocumentView
from assistant.query import Query
from assistant.strategies.base import Scope, Selection
from assistant.strategies.picking import announced_items, pick, rest_of_paragraph

NAME = "statements"


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    chosen = pick(query, scope, view)
    reason = "質問の語を最も多く含む文で答えました。"
    rest = {(f.chunk.source, f.start) for f in rest_of_paragraph(chosen[0], view)} if chosen else set()
    if any((st.chunk.source, st.start) in rest for st in chosen):
        reason += " 短い文なので、同じ段落の続く文も引用しました。"
    elif chosen and len(chosen) > 1 and announced_items(chosen[0], view):
        reason += " 項目があることを示す文なので、続く項目も引用しました。"
    return Selection(chosen, NAME, reason)
