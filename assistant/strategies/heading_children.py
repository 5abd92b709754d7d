"""「基本方針2の施策は？」: a heading the question names is answered by its sub-headings."""

from __future__ import annotations

from assistant.docview import DocumentView
from assistant.query import Query
from assistant.strategies.base import Picker, Scope, Selection
from assistant.text import compact

NAME = "heading_children"
CANDIDATES = 5  # the best statements that may be the named heading
NAME_CHARS = 40  # a short table cell names a heading too


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if query.answer_type != "other":
        return None
    cfg = view.cfg
    best = scope.statements[0].score
    for st in scope.statements[:CANDIDATES]:
        named = st.segment.kind == "heading" or (st.segment.kind == "table" and len(compact(st.text)) <= NAME_CHARS)
        if named and st.score >= cfg.named_heading_floor * best and st.coverage >= cfg.names_heading:
            kids = view.sub_headings(st)
            if len(kids) >= 2:
                picker = Picker(cfg.max_statements)
                for item in [st, *kids]:
                    picker.add(item, cfg.list_items)
                return Selection(picker.chosen, NAME, f"見出し「{st.text.strip()[:30]}」の下位の見出しで答えました。")
    return None
