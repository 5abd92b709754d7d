"""Two or more cities named: each city is answered from its own statements, in turn."""

from __future__ import annotations

from assistant.docview import DocumentView
from assistant.query import Query
from assistant.strategies.base import Scope, Selection

NAME = "comparison"


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if len(query.cities) < 2:
        return None
    chosen = []
    used: list[str] = []
    for city in query.cities:
        own = [st for st in scope.statements if st.chunk.city == city]
        own_passages = [p for p in scope.passages if p.chunk.city == city]
        got = scope.then(Scope(own, own_passages, scope.evidence, scope.then))
        if got is not None:
            chosen.extend(got.statements)
            used.append(f"{city}: {got.reason}")
    return Selection(chosen, NAME, "市ごとに答えました（" + " / ".join(used) + "）")
