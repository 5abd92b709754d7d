"""What answer strategies share: the scope they choose from, their selection, a picker.

See assistant/strategies/__init__.py for how strategies are chained.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    cell: tuple[str, str] | None = None  # (column, value) read from a table row, the last statement
    because: str | None = None  # what decided the verdict, said after it (「実績 347人、目標 400人」)


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
