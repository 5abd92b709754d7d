"""「まちづくり講座の目標は？」「人材育成事業費の予算現額は？」: a table's row named by the
question, read in the column the question names. Action plans, budgets and event lists are
tables whose rows share words; the row's own cell in the asked column answers, quoted with the
header row that says which column it is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.dates import year_forms
from assistant.docview import DocumentView, Segment, Statement
from assistant.lexicon import lexicon
from assistant.query import VALUE_TYPES, Query, topic_nouns
from assistant.strategies.base import Scope, Selection
from assistant.strategies.superlative import table_rows
from assistant.text import compact, nfkc, table_cells as cells, value_text
from assistant.tokens import tokenize
from assistant.values import unit_value, value_patterns

NAME = "table_cell"
TABLE_WINDOW = 10  # the best statements whose tables are read
MIN_COLUMNS = 3  # (a two-column table is a list of labelled values: read by its labels)
_UNIT = re.compile(r"[（(][^）)]*[）)]")  # 「予算現額（千円）」 is asked as 「予算現額」
_NEGATING = ("未", "非", "不", "無")  # 「未設立」 is not named by 「設立」
_EMPTY = {"", "-", "―", "－", "—", "ー", "‐", "・", "…"}
# A numbered qualifier (「２年目」「第３回」): the row (or its header) must say it too.
_ORDINAL = re.compile(r"第?\d+(?:年目|回目|回|号)")


def column_name(cell: str) -> str:
    return compact(_UNIT.sub("", nfkc(cell)))


def _said(name: str, question: str, tokens: set[str], view: DocumentView) -> bool:
    """The question says the column's name, whole or in parts that cover every character of it
    (「担当している課」 says 「担当課」; 「登録者数」 does not say 「参加者数」)."""
    if name in question:
        return True
    covered = [False] * len(name)
    for t in view.phrase_tokens(name):
        if t not in tokens:
            continue
        at = name.find(t)
        while at >= 0:
            covered[at : at + len(t)] = [True] * len(t)
            at = name.find(t, at + 1)
    return all(covered)


def _names_asked_year(name: str, years: tuple[int, ...]) -> bool:
    """A column headed by an asked year alone, in any form (R8, 令和8年度, 2026年度)."""
    bare = re.sub(r"(?:年度|年)$", "", name)
    return any(bare == re.sub(r"年$", "", form) for year in years for form in year_forms(year))


def asked_column(query: Query, view: DocumentView, header: list[str], part: str | None = None) -> int | None:
    """The column whose name the question (or the part of it being answered) says; a column
    holding the asked kind of indicator value (目標, 現状) when none is said. The longest name
    wins; None when two tie."""
    text = compact(part or query.normalized)
    tokens = set(tokenize(text)) if part else set(query.tokens)
    target_words = lexicon().table_columns[query.column][1] if query.column else ()
    found: list[tuple[bool, int, int]] = []
    for i, cell in enumerate(header):
        name = column_name(cell)
        if len(name) < 2:
            continue
        # 「令和８年度は何回？」 asks the column headed 「R8」 (or 「令和8年度」, 「2026年度」).
        said = _said(name, text, tokens, view) or (not part and _names_asked_year(name, query.years))
        if said or any(w in name for w in target_words):
            found.append((said, len(name), i))
    if not found:
        return None
    found.sort(reverse=True)
    if len(found) > 1 and found[0][:2] == found[1][:2]:
        return None
    return found[0][2]


def _common(a: str, b: str) -> int:
    """The length of the longest run of characters the two texts share."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        row = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                row[j] = prev[j - 1] + 1
                best = max(best, row[j])
        prev = row
    return best


def row_named(question: str, row: list[str], skip: int, whole_chars: int, run_chars: int) -> tuple[bool, int]:
    """How the question names this row: a cell said whole (its length), else the longest run of
    one cell's characters it says; (False, 0) when neither."""
    whole, run = 0, 0
    for j, cell in enumerate(row):
        text = compact(cell)
        if j == skip or len(text) < whole_chars:
            continue
        if text in question:
            whole = max(whole, len(text))
        else:
            common = _common(text, question)
            if common >= run_chars:
                run = max(run, common)
    return (True, whole) if whole else (False, run)


def _holds_asked(query: Query, cell: str, name: str, by_year: bool = False) -> bool:
    """The cell can answer: it holds a value of the asked kind, and the thing asked
    (「テーマ」 in 「テーマは何」) is the column's or the cell's; a column headed by the asked
    year (「…トーク、令和8年度は何回」) holds whatever the row plans for that year."""
    noun = query.asked_noun
    if noun and not by_year and noun not in name and noun not in compact(cell):
        return False
    if query.answer_type in ("count", "amount", "date", "period"):
        pattern = unit_value(query.unit) if query.unit else value_patterns().get(query.answer_type)
        text = value_text(cell)
        return bool(pattern and pattern.search(compact(text) if query.unit else text))
    return True


@dataclass
class Found:
    named: tuple[bool, int]
    rank: int
    header: Statement
    row: Statement
    column: int


def _row_context(view: DocumentView, source: str, header: tuple[int, int], row: Statement) -> str:
    """A row read with its header row, section path and document title, compacted."""
    return compact(nfkc(" ".join([row.text, view.text_of(source, Segment(*header, "table")),
                                  view.section_at(source, row.start), view.documents[source].title])))


def _names_focus(query: Query, view: DocumentView, source: str, header: tuple[int, int], row: Statement) -> bool:
    """The row with its header, section and document title names everything the question asks about."""
    context = _row_context(view, source, header, row)
    tokens = view.phrase_tokens(context)
    return all(f.frame or compact(f.text) in context
               or not f.text.startswith(_NEGATING) and all(s in context or n in tokens for s, n in f.parts)
               for f in query.focus)


def _names_nouns(query: Query, view: DocumentView, source: str, header: tuple[int, int], row: Statement) -> bool:
    """Every noun of the question but its year and question words is in the row, its header,
    section or document title: the row is of the thing asked, not a row of another's table
    that shares the attribute (「栂の家の令和6年度の利用者数」 is no other centre's 利用者数)."""
    lex = lexicon()
    context = _row_context(view, source, header, row)
    for surface, normalized in topic_nouns(query):
        if (surface in lex.question_words or normalized in lex.question_words or surface in lex.generic_attributes
                or surface in lex.formal_nouns):
            continue
        if surface not in context and normalized not in context:
            return False
    return True


def _labelled_row(query: Query, view: DocumentView, source: str, header: tuple[int, int]) -> Found | None:
    """A two-column table of labelled values (「項目 | 内容」, 「回収数 | 812件」): the row whose
    label the question (or the part being answered) says whole answers with its value."""
    text = compact(query.part or query.normalized)
    named: list[tuple[int, Statement]] = []
    for st in table_rows(view, source, header):
        row = cells(st.text)
        if len(row) != 2:
            continue
        label = column_name(row[0])
        if len(label) >= 2 and label in text and compact(row[1]) not in _EMPTY and _holds_asked(query, row[1], label):
            named.append((len(label), st))
    if not named:
        return None
    named.sort(key=lambda n: -n[0])
    if len(named) > 1 and named[0][0] == named[1][0]:
        return None
    length, row = named[0]
    # The label is one word of the question: the row, its header, section and title must name
    # all it asks about (「未設立の地区」 is not 「地域自治協議会 | 9地区で設立」).
    if not _names_focus(query, view, source, header, row):
        return None
    return Found((True, length), 0, view.statement(source, Segment(*header, "table"), 0), row, 1)


def _in_table(query: Query, view: DocumentView, source: str, header: tuple[int, int]) -> Found | None:
    head = cells(view.text_of(source, Segment(*header, "table")))
    if len(head) == 2:
        return _labelled_row(query, view, source, header)
    if len(head) < MIN_COLUMNS:
        return None
    column = asked_column(query, view, head, query.part)
    if column is None:
        return None
    question = compact(query.normalized)
    header_text = compact(nfkc("".join(head)))
    for group in lexicon().optional_columns:
        if group[0] in question and not any(w in header_text for w in group):
            return None  # 「中間目標は？」 and this table has only 目標: another table's column
    cfg = view.cfg
    scored: list[tuple[tuple[bool, int], Statement]] = []
    for st in table_rows(view, source, header):
        row = cells(st.text)
        if len(row) != len(head):
            continue
        named = row_named(question, row, column, cfg.table_cell_whole_chars, cfg.table_cell_run_chars)
        if named[1]:
            scored.append((named, st))
    if not scored:
        return None
    scored.sort(key=lambda s: s[0], reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # two rows named alike: the question does not say which
    named, row = scored[0]
    cell = cells(row.text)[column]
    # A year column holds whatever the row plans for that year, when the row is of what is asked
    # (a year column of another facility's table is not 「栂の家の令和6年度」).
    by_year = _names_asked_year(column_name(head[column]), query.years) and _names_nouns(query, view, source, header, row)
    if compact(cell) in _EMPTY or not _holds_asked(query, cell, column_name(head[column]), by_year):
        return None  # the row named has nothing in the asked column: not this table's answer
    said = compact(nfkc(row.text + view.text_of(source, Segment(*header, "table"))))
    if any(m.group(0) not in said for m in _ORDINAL.finditer(question)):
        return None  # 「２年目の上限額」 is not the row's (first-year) figure
    return Found(named, 0, view.statement(source, Segment(*header, "table"), 0), row, column)


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if query.yes_no or query.superlative or query.answer_type in ("list", "definition"):
        return None
    if query.asks_reason and query.answer_type not in VALUE_TYPES:
        return None  # 「執行率が低かったのはなぜ」: the row gives the rate, not why
    statements = scope.statements
    floor = view.cfg.superlative_table_floor * statements[0].score
    seen: set[tuple[str, tuple[int, int]]] = set()
    best: Found | None = None
    for st in statements[:TABLE_WINDOW]:
        header = st.segment.header
        if st.segment.kind != "table" or header is None or (st.chunk.source, header) in seen or st.score < floor:
            continue
        seen.add((st.chunk.source, header))
        got = _in_table(query, view, st.chunk.source, header)
        if got is None:
            continue
        got.header.rank = got.row.rank = got.rank = st.rank
        got.row.score, got.row.coverage, got.row.typed = st.score, st.coverage, True
        if best is None or got.named > best.named:
            best = got  # the table whose row the question names most fully (ties: the better ranked)
    if best is None:
        return None
    row = cells(best.row.text)
    # A labelled value (two columns) is named by its own label (「回収率」), not the column's (「内容」).
    name = (row[0] if len(row) == 2 else cells(best.header.text)[best.column]).strip()
    value = row[best.column].strip()
    return Selection([best.header, best.row], NAME, f"表の行と「{name}」の列で答えました。", cell=(name, value))


__all__ = ["NAME", "asked_column", "column_name", "row_named", "select"]
