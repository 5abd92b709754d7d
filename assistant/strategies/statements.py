"""Any other question: the best statements (see picking.py). The last strategy."""

from __future__ import annotations

from assistant.docview import DocumentView
from assistant.query import Query
from assistant.strategies.base import Scope, Selection
from assistant.strategies.picking import pick

NAME = "statements"


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    chosen = pick(query, scope, view)
    return Selection(chosen, NAME, "質問の語を最も多く含む文で答えました。")
