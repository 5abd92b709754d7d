"""Quotes cut to what answers: a long sentence is quoted from the clauses that hold the asked
value and the question's words, not whole. The quote stays a verbatim span of the document
(`document.text[start:end]`), so it is verified like any other; the source card still shows
the whole passage around it."""

from __future__ import annotations

import re

from assistant.docview import DocumentView, Segment, Statement
from assistant.evidence import Evidence

_CLAUSE_END = re.compile(r"[、，,。；;]")


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of text[start:end], each ending after its 「、」 (offsets in the document)."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _CLAUSE_END.finditer(text, start, end):
        if m.end() - cursor >= 2:
            spans.append((cursor, m.end()))
            cursor = m.end()
    if end - cursor >= 1:
        if spans and end - cursor < 2:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((cursor, end))
    return spans


def trim(st: Statement, evidence: Evidence, view: DocumentView, limit: int) -> Statement:
    """The statement, or the run of its clauses that best answers, within `limit` characters."""
    if len(st.text) <= limit or st.segment.kind != "text":
        return st
    text = view.documents[st.chunk.source].text
    spans = clause_spans(text, st.start, st.end)
    if len(spans) < 2:
        return st

    def worth(i: int) -> tuple[bool, float]:
        s, e = spans[i]
        clause = text[s:e]
        return evidence.is_typed(Segment(s, e, "text"), clause), evidence.coverage(view.phrase_tokens(clause))

    scores = [worth(i) for i in range(len(spans))]
    best = max(range(len(spans)), key=lambda i: (scores[i][0], scores[i][1], -i))
    if not scores[best][0]:
        return st  # no clause holds the asked value: the whole sentence says what it says
    lo = hi = best
    covered = set(view.phrase_tokens(text[spans[best][0] : spans[best][1]]))
    while True:
        options = []
        for j in (lo - 1, hi + 1):
            if 0 <= j < len(spans):
                s0, e0 = spans[min(lo, j)][0], spans[max(hi, j)][1]
                if e0 - s0 <= limit:
                    gain = evidence.coverage(covered | view.phrase_tokens(text[spans[j][0] : spans[j][1]])) - evidence.coverage(covered)
                    options.append((gain, -abs(j - best), j))
        if not options:
            break
        gain, _, j = max(options)
        if gain <= 0 and (spans[max(hi, j)][1] - spans[min(lo, j)][0]) > limit * 0.6:
            break
        lo, hi = min(lo, j), max(hi, j)
        covered |= view.phrase_tokens(text[spans[j][0] : spans[j][1]])
    s, e = spans[lo][0], spans[hi][1]
    while e > s and text[e - 1] in "、，,":
        e -= 1  # a quote does not end on a comma
    if (s, e) == (st.start, st.end):
        return st
    return Statement(Segment(s, e, "text"), st.chunk, st.rank, text[s:e], st.score, st.coverage, st.typed)
