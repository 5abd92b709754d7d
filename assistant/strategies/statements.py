"""Any other question: the best statements (see picking.py). The last strategy."""

from __future__ import annotations

from assistant.docview import DocumentView
from assistant.query import Query
from assistant.strategies.base import Scope, Selection
from assistant.strategies.picking import announced_items, echoes, pick, reason_after, rest_of_paragraph

NAME = "statements"


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    chosen = pick(query, scope, view)
    reason = "質問の語を最も多く含む文で答えました。"
    rest = {(f.chunk.source, f.start) for f in rest_of_paragraph(chosen[0], view)} if chosen else set()
    if any((st.chunk.source, st.start) in rest for st in chosen):
        reason += " 短い文なので、同じ段落の続く文も引用しました。"
    elif chosen and len(chosen) > 1 and announced_items(chosen[0], view):
        reason += " 項目があることを示す文なので、続く項目も引用しました。"
    elif chosen and len(chosen) > 1 and echoes(chosen[0], query):
        reason += " 質問の語をそのまま掲げた見出しのような短い行なので、その下の行も引用しました。"
    said_why = reason_after(chosen[0], query, view) if chosen else None
    if said_why is not None and any(st.overlaps(said_why) for st in chosen):
        reason += " 理由を述べる段落の続く文も引用しました。"
    return Selection(chosen, NAME, reason)
