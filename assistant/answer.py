"""The default answer engine, with no language model.

gates (assistant/gates.py) -> the first strategy that answers (assistant/strategies) ->
verified citations -> the lead (assistant/lead.py). Every quote is `document.text[start:end]`
and is verified before it is shown; every decision goes into the answer's trace.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from assistant.citations import make_citation, verify
from assistant.clauses import trim
from assistant.docview import DocumentView, Statement
from assistant.evidence import Evidence
from assistant.gates import (
    GATES, Case, Decline, contact_statements, covering_statements, covering_statements_around, names_every_focus,
    naming_statements, quotes_contact, year_statements,
)
from assistant.lead import cell_lead, facet_label, lead, value_lead
from assistant.messages import QUOTES_HEADING, not_found_text
from assistant.query import VALUE_TYPES, Facet, Query, facet_query
from assistant.settings import AnswerSettings
from assistant.strategies import Scope, Selection, choose
from assistant.text import compact
from assistant.trace import ChosenStatement, GateVerdict, Trace
from assistant.types import Answer, Citation, Passage

_SPACES = re.compile(r"[ \t]+")
# With several parts asked at once, the question as a whole is judged only by the gates about
# the question (an unknown place, words no document uses, no evidence at all); each part is
# judged by the gates about its value.
QUESTION_LEVEL_SKIP = ("value_missing",)
FACET_SKIP = ("unknown_place", "off_topic", "weak_evidence")
# Gates whose decline is worth a second look among the other statements found (what they
# require, some statement may have).
SECOND_LOOK: dict[str, Callable[[Case], list[Statement]]] = {
    "focus_not_covered": covering_statements,
    "no_person_named": naming_statements,
    "year_not_stated": year_statements,
    "value_of_a_sibling": covering_statements,
}


class AnswerEngine:
    def __init__(self, view: DocumentView, cfg: AnswerSettings) -> None:
        self.view = view
        self.cfg = cfg
        self.gates = [GATES[name] for name in cfg.gates]

    def answer(
        self, query: Query, passages: list[Passage], evidence: Evidence, trace: Trace | None = None,
        facet_passages: dict[str, list[Passage]] | None = None,
    ) -> Answer:
        trace = trace if trace is not None else Trace(query=query.summary())
        case = Case(query, passages, evidence, self.view, self.cfg)
        if query.facets and len(query.cities) < 2:
            return self._answer_facets(query, passages, case, trace, facet_passages or {})
        decline = self._passes("evidence", case, trace)
        if decline:
            return self._abstain(query, passages, trace, decline)
        selection = choose(self.cfg.strategies, query, Scope(case.statements, passages, evidence), self.view)
        case.chosen = selection.statements
        trace.strategy, trace.strategy_reason = selection.strategy, selection.reason
        decline = self._passes("selection", case, trace)
        if decline and trace.gates[-1].name in SECOND_LOOK:
            gate = trace.gates[-1].name
            again = self._choose_again(query, case, trace, SECOND_LOOK[gate])
            if again is None and gate == "focus_not_covered":
                again = self._choose_again(query, case, trace, covering_statements_around)
            if again is None and gate == "focus_not_covered" and case.missing_focus:
                again = self._look_where_named(query, case, trace)
            if again is not None:
                selection, decline = again, None
        if not decline and not quotes_contact(case, selection.statements):
            # 「住所は？」 answered by the centre's hours while another statement found writes its
            # address: chosen again among those (the first choice stands if none passes the gates).
            again = self._choose_again(query, case, trace, contact_statements)
            if again is None:
                trace.notes.append("連絡先の書かれた文から選び直せなかったため、最初に選んだ文で答えました。")
            selection = again or selection
        if not decline and query.person_title:
            # 「委員長はだれ」 answered by 「（三宅委員長）」 while the roster gives the full name
            # (also after a second look chose among statements naming what was asked).
            named = naming_statements(case)
            # (a table cell's answer is its row, quoted after the header row)
            answering = selection.statements[1:2] if selection.cell else selection.statements[:1]
            if named and not any(st is a for a in answering for st in named):
                selection = self._choose_again(query, case, trace, lambda _: named) or selection
        if decline:
            return self._abstain(query, passages, trace, decline)
        return self._compose(query, passages, selection, trace, evidence=evidence)

    def _choose_again(
        self, query: Query, case: Case, trace: Trace, candidates: Callable[[Case], list[Statement]]
    ) -> Selection | None:
        """A gate declined the quotes the strategy chose, while other statements found satisfy
        it (「サマボラ」 in their section heading; the row that names the 委員長): choose again
        among those, and the gates judge the new choice."""
        statements = candidates(case)
        if not statements:
            return None
        ids = {st.chunk.id for st in statements}
        covering = [p for p in case.passages if p.chunk.id in ids]
        scope = Scope(statements, covering, case.evidence)
        selection = choose(self.cfg.strategies, query, scope, self.view)
        again = Case(query, covering, case.evidence, self.view, self.cfg, chosen=selection.statements,
                     _statements=scope.statements)
        sub = Trace()
        if not selection.statements or all(self.view.is_header_row(st) for st in selection.statements):
            return None  # (a header row alone names columns, it answers nothing)
        if self._passes("selection", again, sub):
            return None
        trace.gate("second_look", None)
        trace.notes.append(f"質問の対象を含む{len(statements)}件の文から選び直しました。")
        trace.strategy, trace.strategy_reason = selection.strategy, selection.reason
        case.chosen = selection.statements
        return selection

    def _look_where_named(self, query: Query, case: Case, trace: Trace) -> Selection | None:
        """The quotes found lack a phrase the question names (「若者まちづくりゼミ」) that the
        documents use elsewhere, and no statement found names it: the passages that name it
        (best sharing the question's words first) are read, and answer if every gate passes."""
        view, missing = self.view, list(case.missing_focus)
        if any(len(compact(t)) < self.cfg.where_named_chars for t in missing):
            return None  # 「経費」「定員」: a general word stands in many places, none of them named by it
        chunks = view.chunks_naming(missing, tuple(sorted(query.cities)), self.cfg.named_documents_read)
        if not chunks:
            return None
        asked = set(query.tokens)
        ranked = sorted(chunks, key=lambda c: -len(asked & view.phrase_tokens(c.text)))[: self.cfg.where_named_passages]
        top = case.passages[0].score if case.passages else 1.0
        passages = [Passage(c, top) for c in ranked]
        again = Case(query, passages, case.evidence, view, self.cfg)
        sub = Trace()
        if not again.statements or self._passes("evidence", again, sub):
            return None
        wanted = [compact(t) for t in missing]
        noun = query.asked_noun
        naming = [st for st in again.statements
                  if all(w in compact(st.text + view.section_at(st.chunk.source, st.start)) for w in wanted)
                  and (not noun or noun in compact(st.chunk.text) or noun in view.phrase_tokens(st.chunk.text))]
        if not naming:
            return None
        selection = choose(self.cfg.strategies, query, Scope(naming, passages, case.evidence), view)
        again.chosen = selection.statements
        if not selection.statements or not names_every_focus(again, selection.statements) or self._passes("selection", again, sub):
            return None
        trace.gate("where_named", None)
        trace.notes.append("「" + "」「".join(missing) + "」と書かれた箇所を読み直して答えました。")
        trace.strategy, trace.strategy_reason = selection.strategy, selection.reason
        case.chosen = selection.statements
        return selection

    def _passes(self, stage: str, case: Case, trace: Trace, skip: tuple[str, ...] = ()) -> Decline | None:
        """The first gate of this stage that declines, or None."""
        for gate in self.gates:
            if gate.stage != stage or gate.name in skip:
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

    def _header(self, st: Statement) -> str:
        start, end = st.segment.header or (0, 0)
        return self.view.documents[st.chunk.source].text[start:end]

    # -- questions asking several things ---------------------------------------------------
    def _answer_facets(
        self, query: Query, passages: list[Passage], case: Case, trace: Trace, facet_passages: dict[str, list[Passage]]
    ) -> Answer:
        """「いつ、どこで開催されて、何団体が出展した？」: each part is answered on its own (its own
        value, its own gates); a part the documents do not answer is said to be missing, and the
        question is declined only when no part is answered."""
        decline = self._passes("evidence", case, trace, skip=QUESTION_LEVEL_SKIP)
        if decline:
            return self._abstain(query, passages, trace, decline)
        parts: list[tuple[Facet, Query, Selection | None, Decline | None]] = []
        for facet in query.facets:
            fq = facet_query(query, facet)
            fq = replace(fq, focus=tuple(f for f in query.focus if f.text in facet.text))
            fev = Evidence(fq, self.view, self.cfg)
            own = facet_passages.get(facet.text, passages)
            fcase = Case(fq, own, fev, self.view, self.cfg)
            sub = Trace()
            decline = self._passes("evidence", fcase, sub, skip=FACET_SKIP)
            selection = None
            if decline is None:
                order = [s for s in self.cfg.strategies if s not in ("comparison", "yes_no")]
                selection = choose(order, fq, Scope(fcase.statements, own, fev), self.view)
                fcase.chosen = selection.statements
                decline = self._passes("selection", fcase, sub) or (None if selection.statements else Decline("答えに使える記述がありません。"))
            trace.gates.extend(GateVerdict(f"{g.name}[{facet.text[:12]}]", g.passed, g.reason) for g in sub.gates)
            parts.append((facet, fq, selection if decline is None else None, decline))
        answered = [p for p in parts if p[2] is not None]
        if not answered:
            return self._abstain(query, passages, trace, parts[0][3])
        trace.strategy = "facets"
        trace.strategy_reason = " / ".join(
            f"{f.text[:20]}: {sel.reason if sel else '記載なし'}" for f, _, sel, _ in parts
        )
        statements: list[Statement] = []
        owners: list[int] = []
        for i, (_, _, sel, _) in enumerate(parts):
            for st in sel.statements if sel else []:
                if not any(st.overlaps(c) for c in statements):
                    statements.append(st)
                    owners.append(i)
        answer = self._compose(query, passages, Selection(statements, "facets", trace.strategy_reason), trace, lead_text="")
        if answer.abstained:
            return answer
        leads = []
        by_statement = {id(st): c for st, c in zip(statements, answer.citations)} if len(answer.citations) == len(statements) else {}
        for i, (facet, fq, sel, decline) in enumerate(parts):
            label = facet_label(facet, fq)
            if sel is None:
                leads.append(f"{label}: 資料に記載なし")
                continue
            # The part's own statements, or those of another part that quote the same place.
            mine = [
                (st, by_statement[id(st)]) for st in statements
                if id(st) in by_statement and any(st.overlaps(own) for own in sel.statements)
            ]
            value = value_lead(fq, [st for st, _ in mine], [c for _, c in mine]) if mine else None
            if sel.cell and mine:
                value = cell_lead(sel.cell, [c for _, c in mine], labelled=False) or value
            if value:
                leads.append(f"{label}: {value.rstrip('。')}")
            elif mine:
                leads.append(f"{label}: [{mine[0][1].n}]")
        first = "、".join(leads) + "。"
        return replace(answer, text=f"{first}\n\n{answer.text}" if not answer.text.startswith(first) else answer.text)

    def _compose(
        self, query: Query, passages: list[Passage], selection: Selection, trace: Trace, lead_text: str | None = None,
        evidence: Evidence | None = None,
    ) -> Answer:
        citations: list[Citation] = []
        lines: list[str] = []
        cited: list[Statement] = []
        statements = selection.statements
        if evidence is not None and query.answer_type in VALUE_TYPES:
            statements = [trim(st, evidence, self.view, self.cfg.quote_chars) for st in statements]
        for st in statements:
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
        headers = {id(st): self._header(st) for st in cited if st.segment.header}
        first = lead(query, cited, citations, selection.verdict, headers) if lead_text is None else lead_text
        if selection.cell and lead_text is None:
            first = cell_lead(selection.cell, citations) or first
        if selection.verdict and selection.because and lead_text is None:
            first = f"{selection.verdict}。{selection.because} [{citations[0].n}]。"
        body = "\n".join(f"- {line}" for line in lines)
        trace.chosen = [
            ChosenStatement(st.chunk.source, c.section, st.text.strip()[:120], round(st.score, 4), round(st.coverage, 4), st.typed)
            for st, c in zip(cited, citations)
        ]
        trace.outcome = "answered"
        return Answer(
            question=query.original,
            text=f"{first}\n\n{QUOTES_HEADING}\n{body}" if first else (f"{QUOTES_HEADING}\n{body}" if lead_text == "" else body),
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
