"""A few lines of a plan as a document view, without an index: for unit tests of one rule.

BM25 over the fixture's chunks stands in for retrieval (the real Sudachi tokens, no
embedder), so a strategy or gate test runs in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer import AnswerEngine
from assistant.docview import DocumentView, Statement
from assistant.evidence import Evidence
from assistant.gates import Case
from assistant.query import Query, parse_query
from assistant.settings import AnswerSettings
from assistant.strategies import Scope
from assistant.types import Answer, Passage


@dataclass
class Small:
    view: DocumentView
    query: Query
    passages: list[Passage]
    evidence: Evidence

    @property
    def statements(self) -> list[Statement]:
        return self.evidence.statements(self.passages)

    @property
    def scope(self) -> Scope:
        return Scope(self.statements, self.passages, self.evidence)

    def case(self, chosen: list[Statement] | None = None) -> Case:
        return Case(self.query, self.passages, self.evidence, self.view, self.view.cfg, chosen=chosen or [])

    def answer(self) -> Answer:
        return AnswerEngine(self.view, self.view.cfg).answer(self.query, self.passages, self.evidence)


def small(texts: dict[str, str], question: str, cities: dict[str, str] | None = None, **cfg: object) -> Small:
    view = DocumentView.from_texts(texts, cities, AnswerSettings(**cfg))  # type: ignore[arg-type]
    query = parse_query(question, view.cities)
    allowed = None
    if query.cities:
        import numpy as np

        allowed = np.array([c.city in query.cities for c in view.chunks])
    hits = view.keyword.search(query.keyword_text, 10, allowed)
    passages = [Passage(view.chunks[i], score, None, rank) for rank, (i, score) in enumerate(hits, 1)]
    return Small(view, query, passages, Evidence(query, view, view.cfg))
