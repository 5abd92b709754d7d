"""Quotes cut to what answers: a long sentence is quoted from the clauses that hold the asked
value and the question's words, not whole. The quote stays a verbatim span of the document
(`document.text[start:end]`), so it is verified like any other; the source card still shows
the whole passage around it."""

from __future__ import annotations

import re

from assistant.docview import DocumentView, Segment, Statement
from assistant.evidence import Evidence
from assistant.text import compact

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


def _named_before(text: str, st: Statement, spans: list[tuple[int, int]], typed: list[bool], evidence: Evidence) -> list[int]:
    """For each clause holding a value, how many of the question's focus phrases are written
    since the value before it: 「①…補助金：「スタート支援コース」（上限10万円、補助率10分の10、…）と、
    「ステップアップコース」（上限50万円、補助率3分の2、」 gives the second 補助率 to ステップアップ.
    The sentence's head, up to a colon, is said of every value and counts for none."""
    focus = [compact(f.text) for f in evidence.query.focus if not f.frame]
    head = re.search(r"[:：]", text[st.start : st.end])
    cursor = st.start + head.end() if head else st.start
    out = []
    for (s, e), holds in zip(spans, typed):
        if e <= cursor:
            out.append(0)
            continue
        part = compact(text[cursor:e])
        out.append(sum(f in part for f in focus) if holds else 0)
        if holds:
            cursor = e
    return out


def trim(st: Statement, evidence: Evidence, view: DocumentView, limit: int) -> Statement:
    """The statement, or the run of its clauses that best answers, within `limit` characters."""
    if len(st.text) <= limit or st.segment.kind != "text":
        return st
    text = view.documents[st.chunk.source].text
    spans = clause_spans(text, st.start, st.end)
    if len(spans) < 2:
        return st

    typed = [evidence.is_typed(Segment(s, e, "text"), text[s:e]) for s, e in spans]
    named = _named_before(text, st, spans, typed, evidence)

    def worth(i: int) -> tuple[bool, int, float]:
        s, e = spans[i]
        # (the clause before counts too: 「…の県地域づくり交付金、」 then 「2,000千円」)
        before = text[spans[i - 1][0] : spans[i - 1][1]] if i else ""
        return typed[i], named[i], evidence.coverage(view.phrase_tokens(before + text[s:e]))

    scores = [worth(i) for i in range(len(spans))]
    best = max(range(len(spans)), key=lambda i: (scores[i][0], scores[i][1], scores[i][2], -i))
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
