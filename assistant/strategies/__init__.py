"""Answer strategies: each picks the statements that answer one kind of question.

A strategy is `select(query, scope, view) -> Selection | None`: None means "not mine, try
the next one". Their order is data (`answer.strategies` in the settings). A strategy may
also wrap the ones after it (`scope.then`): a comparison runs them once per city, a yes/no
question adds 「はい」/「いいえ」 to what they choose.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Protocol

from assistant.docview import DocumentView, Statement
from assistant.evidence import Evidence
from assistant.query import Query
from assistant.types import Passage


@dataclass
class Selection:
    statements: list[Statement]
    strategy: str
    reason: str  # why, in Japanese, for the trace
    verdict: str | None = None  # 「はい」 or 「いいえ」 for a yes/no question, decided by statements[0]


@dataclass
class Scope:
    """The statements and passages a strategy chooses from (one city's, in a comparison)."""

    statements: list[Statement]
    passages: list[Passage]
    evidence: Evidence
    then: Callable[["Scope"], Selection | None] = lambda scope: None  # the strategies after this one


class Select(Protocol):
    def __call__(self, query: Query, scope: Scope, view: DocumentView) -> Selection | None: ...


class Picker:
    """Chosen statements, without overlaps, up to a cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chosen: list[Statement] = []

    def add(self, st: Statement, cap: int | None = None) -> None:
        if len(self.chosen) < (cap or self.limit) and not any(st.overlaps(c) for c in self.chosen):
            self.chosen.append(st)


def _registry() -> dict[str, Select]:
    from assistant.strategies import (
        comparison, cover_date, definition, heading_children, listing, named_kind, statements, value, yes_no,
    )

    modules = (comparison, yes_no, cover_date, definition, listing, named_kind, heading_children, value, statements)
    return {m.NAME: m.select for m in modules}


def choose(order: list[str], query: Query, scope: Scope, view: DocumentView) -> Selection:
    """The selection of the first strategy, in `order`, that answers."""
    registry = _registry()
    chain = [(name, registry[name]) for name in order]

    def run(i: int, current: Scope) -> Selection | None:
        if not current.statements:
            return None
        for j in range(i, len(chain)):
            name, select = chain[j]
            got = select(query, replace(current, then=lambda s, j=j: run(j + 1, s)), view)
            if got is not None:
                return got
        return None

    return run(0, scope) or Selection([], "none", "答えに使える記述がありません。")
