"""「すみサポの利用者がいちばん多かった月は？」「一番最近できた協議会は？」: the row of a table
holding the largest (or smallest, or latest) value in the column the question is about,
quoted with the table's header row. Total rows (合計) are not compared."""

from __future__ import annotations

import re

from assistant.dates import asked_years
from assistant.docview import DocumentView, Segment, Statement
from assistant.lexicon import lexicon
from assistant.query import QUOTED, Query
from assistant.strategies.base import Scope, Selection
from assistant.text import compact, nfkc, table_cells as cells
from assistant.values import NUMBER

NAME = "superlative"
TABLE_WINDOW = 10  # the best statements whose tables are looked at
_NUMBER = re.compile(NUMBER)
_MONTH = re.compile(r"(\d{1,2})月")
_SENTENCE_END = re.compile(r"[。？?]\s*$")


def _number(cell: str) -> float | None:
    m = _NUMBER.search(nfkc(cell))
    return float(m.group(0).replace(",", "")) if m else None


def _when(cell: str) -> float | None:
    """A year (with its month) as one number, for 「最近」「新しい」."""
    text = nfkc(cell)
    years = asked_years(text)
    if not years:
        return None
    month = _MONTH.search(text)
    return years[0] + (int(month.group(1)) / 100 if month else 0.0)


def table_rows(view: DocumentView, source: str, header: tuple[int, int]) -> list[Statement]:
    """The table's rows, and those of its continuation after a page break (the same header
    printed again), up to a sentence between (after which the same column names head another
    table: a survey's next question)."""
    same = compact(view.text_of(source, Segment(*header, "table")))
    segments = view.segments(source)
    start = next((i for i, seg in enumerate(segments) if seg.header == header), None)
    if start is None:
        return []
    rows: list[Statement] = []
    for seg in segments[start:]:
        if seg.kind == "table" and seg.header is not None and (
                seg.header == header or compact(view.text_of(source, Segment(*seg.header, "table"))) == same):
            rows.append(view.statement(source, seg, 0))
        elif seg.kind != "table" and _SENTENCE_END.search(view.text_of(source, seg)):
            break  # 「問5　…は何ですか。」: the next table under the same column names is another question's
    return rows


def _column(query: Query, view: DocumentView, source: str, header_cells: list[str], rows: list[list[str]], when: bool) -> int | None:
    """The column the question is about: of the columns holding values, the one whose header
    shares most words with the question (else the first)."""
    read = _when if when else _number
    usable = [i for i in range(1, len(header_cells)) if sum(read(r[i]) is not None for r in rows if i < len(r)) >= 2]
    if not usable:
        return None
    words = set(query.tokens)
    return max(usable, key=lambda i: (len(words & view.phrase_tokens(header_cells[i])), -i))


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if not query.superlative or query.yes_no:
        return None
    statements = scope.statements
    if not statements:
        return None
    floor = view.cfg.superlative_table_floor * statements[0].score
    # A statement that says it (「最も多かったのは「時間がない」」, a row 「高齢化率が町内で最も
    # 高い」) answers better than a comparison of the table's numbers.
    says_words = lexicon().superlative_says
    says = next((st for st in statements[:TABLE_WINDOW] if any(w in st.text for w in says_words) and st.score >= floor), None)
    table = _extreme_row(query, statements, view, floor)
    if says is not None and query.top_n == 1:
        # The table's row beside it gives the figure (「10月の利用者数が最も多く」, 「10月 1,102人」).
        if says.segment.kind == "table" and says.segment.header:  # a row that says it, under its header
            rows = [view.statement(says.chunk.source, Segment(*says.segment.header, "table"), says.rank)]
            return Selection([*rows, says], NAME, "「最も」「一番」と述べる行で答えました。")
        rows = [st for st in (table[0] if table else []) if not st.overlaps(says)]
        return Selection([says, *rows], NAME, "「最も」「一番」と述べる記述で答えました。")
    if says is not None and query.top_n > 1 and len(QUOTED.findall(says.text)) >= query.top_n:
        # 「「時間がない」（52.1％）が最も多く、次いで「きっかけがない」…「知らない」」: a sentence
        # giving the ranking itself answers 「上位3つ」.
        return Selection([says], NAME, "「最も」「次いで」と順に述べる記述で答えました。")
    if table is None:
        return None
    return Selection(table[0], NAME, table[1])


INTRO_REACH = 4  # segments after a statement looked at for the table it introduces


def _shared(query: Query, view: DocumentView, source: str, header: tuple[int, int]) -> int:
    """Words of the question in a table's header row and in the lines right above it (its
    caption or the survey question it answers)."""
    head = view.statement(source, Segment(*header, "table"), 0)
    above = view.preceding(head, 2)
    text = " ".join([head.text, *(b.text for b in above if b.segment.kind != "table")])
    return len(set(query.tokens) & view.phrase_tokens(text))


def _extreme_row(query: Query, statements: list[Statement], view: DocumentView, floor: float) -> tuple[list[Statement], str] | None:
    """A table's header and its row with the extreme value in the asked column, with why."""
    when = any(w in query.normalized for w in lexicon().superlative_by_date)
    totals = lexicon().total_rows
    seen: set[tuple[str, tuple[int, int]]] = set()
    candidates: list[tuple[int, int, Statement, tuple[int, int]]] = []  # (-words shared, order, statement, header)
    for st in statements[:TABLE_WINDOW]:
        if st.score < floor:
            continue
        header = st.segment.header
        if st.segment.kind != "table":
            # 「問5　市に期待することは何ですか。」: a survey's question line introduces the table
            # of answers right under it.
            header = next((f.segment.header for f in view.following(st, INTRO_REACH)
                           if f.segment.kind == "table" and f.segment.header is not None), None)
        if header is None or (st.chunk.source, header) in seen:
            continue
        seen.add((st.chunk.source, header))
        candidates.append((-_shared(query, view, st.chunk.source, header), len(candidates), st, header))
    # The table about what is asked: its header and the line introducing it share the most words
    # with the question (the first found, on a tie).
    for _, _, st, header in sorted(candidates, key=lambda c: c[:2]):
        source = st.chunk.source
        header_cells = cells(view.text_of(source, Segment(*header, "table")))
        rows = [r for r in table_rows(view, source, header) if cells(r.text) and compact(cells(r.text)[0]) not in totals]
        split = [cells(r.text) for r in rows]
        column = _column(query, view, source, header_cells, split, when)
        if column is None:
            continue
        read = _when if when else _number
        valued = [(read(c[column]), r) for c, r in zip(split, rows) if column < len(c) and read(c[column]) is not None]
        # 「上位3つ」: that many rows from the extreme (a stable sort: ties keep the table's order).
        ordered = sorted(valued, key=lambda vr: vr[0], reverse=query.superlative == "max")
        top = [r for _, r in ordered[: query.top_n]]
        header_st = view.statement(source, Segment(*header, "table"), st.rank)
        for best in top:
            best.score, best.coverage, best.typed = st.score, st.coverage, True
        side = "最も大きい" if query.superlative == "max" else "最も小さい"
        if query.top_n > 1:
            side = f"大きい順に{query.top_n}つの" if query.superlative == "max" else f"小さい順に{query.top_n}つの"
        return [header_st, *top], f"表の「{header_cells[column]}」が{side}行で答えました。"
    return None
