"""「岩国市の基本方針は？」: the question names a kind of item, not one of them. Several
sibling headings match equally (基本方針1, 2, 3), or the best match announces a list
(「次の3つの基本方針に基づき…」): the items answer."""

from __future__ import annotations

from assistant.docview import DocumentView
from assistant.lexicon import lexicon
from assistant.query import Query
from assistant.strategies.base import Picker, Scope, Selection

NAME = "named_kind"
SIBLING_WINDOW = 8  # the best statements among which sibling headings are looked for


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if query.answer_type != "other":
        return None
    cfg = view.cfg
    statements = scope.statements
    best = statements[0].score
    siblings = view.sibling_headings(statements[:SIBLING_WINDOW], cfg.sibling_floor * best)
    reason = "同じ種類の見出しを並べて答えました。"
    if not siblings and lexicon().introduces_list.search(statements[0].text):
        items = view.list_after(statements[0])
        siblings = [statements[0], *items] if items else []
        reason = "一覧を予告する文と、その後の項目で答えました。"
    if not siblings:
        return None
    picker = Picker(cfg.max_statements)
    for item in siblings:
        picker.add(item, cfg.list_items)
    return Selection(picker.chosen, NAME, reason)
