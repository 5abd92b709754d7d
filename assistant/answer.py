"""The default answer engine, with no language model.

gates (assistant/gates.py) -> the first strategy that answers (assistant/strategies) ->
verified citations -> the lead (assistant/lead.py). Every quote is `document.text[start:end]`
and is verified before it is shown; every decision goes into the answer's trace.
"""

from __future__ import annotations

import re

from assistant.citations import make_citation, verify
from assistant.docview import DocumentView, Statement
from assistant.evidence import Evidence
from assistant.gates import GATES, Case, Decline
from assistant.lead import lead
from assistant.messages import QUOTES_HEADING, not_found_text
from assistant.query import Query
from assistant.settings import AnswerSettings
from assistant.strategies import Scope, Selection, choose
from assistant.trace import ChosenStatement, Trace
from assistant.types import Answer, Citation, Passage

_SPACES = re.compile(r"[ \t]+")


class AnswerEngine:
    def __init__(self, view: DocumentView, cfg: AnswerSettings) -> None:
        self.view = view
        self.cfg = cfg
        self.gates = [GATES[name] for name in cfg.gates]

    def answer(self, query: Query, passages: list[Passage], evidence: Evidence, trace: Trace | None = None) -> Answer:
        trace = trace if trace is not None else Trace(query=query.summary())
        case = Case(query, passages, evidence, self.view, self.cfg)
        decline = self._passes("evidence", case, trace)
        if decline:
            return self._abstain(query, passages, trace, decline)
        selection = choose(self.cfg.strategies, query, Scope(case.statements, passages, evidence), self.view)
        case.chosen = selection.statements
        trace.strategy, trace.strategy_reason = selection.strategy, selection.reason
        decline = self._passes("selection", case, trace)
        if decline:
            return self._abstain(query, passages, trace, decline)
        return self._compose(query, passages, selection, trace)

    def _passes(self, stage: str, case: Case, trace: Trace) -> Decline | None:
        """The first gate of this stage that declines, or None."""
        for gate in self.gates:
            if gate.stage != stage:
                continue
            decline = gate.check(case)
            trace.gate(gate.name, decline.reason if decline else None)
            if decline:
                return decline
        return None

    def _abstain(self, query: Query, passages: list[Passage], trace: Trace, decline: Decline | None = None) -> Answer:
        trace.outcome = "abstained"
        text = not_found_text(decline.missing if decline else None)
        return Answer(question=query.original, text=text, abstained=True, passages=passages, trace=trace)

    def _compose(self, query: Query, passages: list[Passage], selection: Selection, trace: Trace) -> Answer:
        citations: list[Citation] = []
        lines: list[str] = []
        cited: list[Statement] = []
        for st in selection.statements:
            doc = self.view.documents[st.chunk.source]
            citation = make_citation(len(citations) + 1, st.chunk, doc, st.start, st.end, self.view.outlines[st.chunk.source])
            if not verify(citation, self.view.documents):
                continue  # never show a statement whose quote cannot be found in its source
            citations.append(citation)
            cited.append(st)
            label = f"{st.chunk.city}: " if len(query.cities) >= 2 and st.chunk.city else ""
            lines.append(f"{label}{_SPACES.sub(' ', st.text.strip().replace(chr(10), ''))} [{citation.n}]")
        if not citations:
            trace.notes.append("引用を検証できる文がありませんでした。")
            return self._abstain(query, passages, trace)
        first = lead(query, cited, citations, selection.verdict)
        body = "\n".join(f"- {line}" for line in lines)
        trace.chosen = [
            ChosenStatement(st.chunk.source, c.section, st.text.strip()[:120], round(st.score, 4), round(st.coverage, 4), st.typed)
            for st, c in zip(cited, citations)
        ]
        trace.outcome = "answered"
        return Answer(
            question=query.original,
            text=f"{first}\n\n{QUOTES_HEADING}\n{body}" if first else body,
            abstained=False,
            citations=citations,
            passages=cited_first(passages, cited),
            trace=trace,
        )


def _interleave_cities(statements: list[Statement]) -> list[Statement]:
    """A comparison's statements, alternating between cities (each city's own order kept)."""
    by_city: dict[str | None, list[Statement]] = {}
    for st in statements:
        by_city.setdefault(st.chunk.city, []).append(st)
    if len(by_city) < 2:
        return statements
    out: list[Statement] = []
    for i in range(max(len(v) for v in by_city.values())):
        out.extend(v[i] for v in by_city.values() if i < len(v))
    return out


def cited_first(passages: list[Passage], cited: list[Statement]) -> list[Passage]:
    """The passages the answer was built from come first, including those reached by a
    structural lookup (a definition, the items after a heading) outside the top list."""
    by_id = {p.chunk.id: p for p in passages}
    top = passages[0].score if passages else 0.0
    first: list[Passage] = []
    for st in _interleave_cities(cited):
        if st.chunk.id not in {p.chunk.id for p in first}:
            first.append(by_id.get(st.chunk.id) or Passage(st.chunk, top))
    seen = {p.chunk.id for p in first}
    return first + [p for p in passages if p.chunk.id not in seen]
