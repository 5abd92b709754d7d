"""The first line of an answer: the asked-for value, or 「はい」/「いいえ」, with its marker.

「29名 [1]。」 for 「何名参加した？」; 「一関市: 令和6年度から… [1]、岩国市: … [2]。」 for a
comparison; 「はい [1]。」 for a yes/no question. Nothing for questions without such a value.
"""

from __future__ import annotations

import re

from assistant.dates import asked_years
from assistant.docview import Statement
from assistant.lexicon import lexicon
from assistant.query import Query
from assistant.text import nfkc, table_cells as cells, value_text
from assistant.types import Citation
from assistant.values import SHARE, TABLE_NUMBER, quantities, term_length, unit_value, value_patterns

MAX_VALUES = 4  # values of one statement shown in the lead
_SPACE = re.compile(r"\s+")
_PAGE_MARK = re.compile(r"[-－−]\s*\d{1,3}\s*[-－−]")


_VENUE = re.compile(
    # 「■場所 市民交流センター」「**会場**：…」: the label stands apart from what it names
    # (not 「居場所づくり」); its words may be spaced (「役場 ３階 第１会議室」).
    r"(?:場所|会場)[*]*(?:\s*[:：|｜]\s*|\s+)((?:[^\s、。|｜]| (?=[^\s、。|｜])){2,40})"
    r"|([^\s、。「」（）()に]{2,40}?)\s*(?:で|にて|において)(?:開催|実施|行|開か|開い)"
)
_KIND_LABEL = {"count": "数", "amount": "金額", "date": "日付", "period": "期間", "place": "場所", "name": "名称",
               "definition": "定義", "list": "一覧", "other": "内容"}


_ASKING = re.compile(r"(何|いつ|どこ|誰|いくら|いくつ|どの|どう|どれ|教えて|知りたい).*$")
_TRAILING = re.compile(r"(?:は|が|を|と|の|で|って|も|、|,|\?|？)+$")


def facet_label(facet, query: Query) -> str:  # type: ignore[no-untyped-def]
    """How one part of a question is labelled in the lead: its own words without the asking
    (「未来づくり特別交付金の上限額」「回答率」), else what it asks (「期間」「場所」「数」)."""
    text = _ASKING.sub("", facet.text)
    for city in query.cities:
        text = text.replace(city, "")
    text = _TRAILING.sub("", text.lstrip("のでは、 "))
    kind = _KIND_LABEL.get(facet.answer_type, "内容")
    return text if 2 <= len(text) <= 30 and text != (query.topic or "") else kind


def venue(text: str) -> str | None:
    """Where something was held, as a statement says it: 「■場所 市民交流センター」, 「中央公園で開催」."""
    m = _VENUE.search(nfkc(text))
    if not m:
        return None
    return (m.group(1) or m.group(2)).strip()


_RANK = re.compile(r"^(?:第?\d+位?|No\.?\s*\d+|[①-⑳])$")


def row_label(row: list[str]) -> str:
    """A table row's label: its first cell, or the next when the first is only its rank (「1」「第2位」)."""
    for cell in row:
        if not _RANK.match(nfkc(cell).strip()):
            return cell
    return row[0]


def column_cell(query: Query, header: str, row: str) -> str | None:
    """The cell of an indicator row in the column the question asks for (「何％にしたい」 -> the
    目標 column), when the header says which column that is."""
    if not query.column:
        return None
    head, body = cells(header), cells(row)
    if len(head) != len(body) or len(head) < 2:
        return None
    words = lexicon().table_columns[query.column][1]
    for title, cell in zip(head, body):
        if any(w in title for w in words):
            return cell
    return None


_AMOUNT_COLUMN = re.compile(r"(?:額|費|金|円|[)）])$")
UNIT_CELLS = 2  # figures of one row led with (「令和7年度予算額: 2,600千円、令和6年度予算額: 2,600千円」)


def _unit_cell(st: Statement, header: str | None, years: tuple[int, ...] = ()) -> str | None:
    """「令和7年度予算額: 2,600千円、令和6年度予算額: 2,600千円」: the first figures of a table row
    whose unit only the table states (「単位：千円」 above it, 「予算額（千円）」 in its header), each
    with the unit and its column's name."""
    yen = [u for u in st.segment.header_units if u.endswith("円")]
    if st.segment.kind != "table" or not yen:
        return None
    row = cells(st.text)
    head = cells(header) if header else []
    # A total row's label spans the label columns (「合計 | 136,710 | …」 under 「事業名 | 所管課 |
    # 予算額 | …」): its first figure stands under the header's first column of amounts.
    figures = [i for i, cell in enumerate(row) if i and TABLE_NUMBER.fullmatch(nfkc(cell).strip())]
    first_amount = next((i for i, name in enumerate(head) if _AMOUNT_COLUMN.search(nfkc(name).strip())), None)
    shift = first_amount - figures[0] if figures and first_amount is not None and first_amount > figures[0] else 0
    if years:
        # 「令和６年度の予算は？」: the column headed by the asked year first.
        figures.sort(key=lambda i: not (i + shift < len(head) and set(asked_years(head[i + shift])) & set(years)))
    out = []
    for i in figures:
        figure = nfkc(row[i]).strip() + yen[0]
        name = head[i + shift] if i + shift < len(head) else ""
        out.append(f"{name}: {figure}" if name else figure)
        if not name or len(out) >= UNIT_CELLS:
            break
    return "、".join(out) or None


def cell_lead(cell: tuple[str, str], citations: list[Citation], labelled: bool = True) -> str | None:
    """「目標: 45人 [2]。」: the cell a table row holds in the asked column, labelled with the
    column's name, marked with the citation of the row that holds it."""
    name, value = cell
    value = _PAGE_MARK.sub("", value).strip()  # a page number printed inside a wrapped cell
    row = next((c for c in reversed(citations) if _SPACE.sub("", value) in _SPACE.sub("", c.quote)), None)
    if row is None:
        return None
    return f"{name}: {value} [{row.n}]。" if labelled else f"{value} [{row.n}]。"


# 「月２回から週１回に」「年4回開催」: a count per year, month, week or day keeps what it is per
# (not the year of a date: 「令和7年2回目」 has a number before 年).
_FREQUENCY = re.compile(r"(?<![\d〇一二三四五六七八九十])(?:毎|1|１)?[年月週日]\s*$")


def value_lead(
    query: Query, cited: list[Statement], citations: list[Citation], headers: dict[int, str] | None = None
) -> str | None:
    if query.superlative:
        # 「いちばん多かった月は？」: the extreme row's label answers; 「上位3つ」: that many rows' labels.
        labels = []
        for st, citation in zip(cited, citations):
            row = cells(st.text)
            if st.segment.kind == "table" and st.segment.header and row:
                labels.append(f"{row_label(row)} [{citation.n}]")
                if len(labels) >= query.top_n:
                    break
        if labels:
            return "、".join(labels) + "。"
    if query.answer_type == "place":
        for st, citation in zip(cited, citations):
            place = venue(st.text)
            if place:
                return f"{place} [{citation.n}]。"
        return None
    value_re = value_patterns().get(query.answer_type)
    if not value_re:
        return None
    unit = query.unit
    if query.answer_type == "count" and query.asks_tally and not unit:
        value_re = value_patterns()["tally"]  # 「回収数」 is a number of things, not 「54.1％」
    elif query.answer_type in ("count", "amount") and query.asks_share and not unit:
        value_re = SHARE  # 「回収率」 is a percentage or a fraction, not 「1,284件」
    if unit:
        # 「何名」 is answered by a number of people, not by the first number in the row.
        value_re = unit_value(unit)
    if query.answer_type == "period" and query.asks_term:
        value_re = re.compile(f"{term_length().pattern}|{value_re.pattern}")  # 「任期は２年」
    comparison = len(query.cities) >= 2
    parts: list[str] = []
    stated: set[str] = set()
    seconds: list[str] = []  # a comparison's further values of a city that already has one
    for st, citation in zip(cited, citations):
        values: list[str] = []
        header = (headers or {}).get(id(st))
        cell = column_cell(query, header, st.text) if header else None
        text = value_text(cell if cell else st.text)
        read = _SPACE.sub("", text) if unit else text
        for m in quantities(value_re, read):
            per = _FREQUENCY.search(read, 0, m.start()) if query.answer_type in ("count", "amount") else None
            v = _SPACE.sub("", (per.group(0) if per else "") + m.group(0))
            if v not in values and (v not in stated or comparison):
                values.append(v)
        if not values and query.answer_type == "amount" and not query.asks_share:
            unit_cell = _unit_cell(st, header, tuple(query.years))
            if unit_cell and unit_cell not in stated:
                # one row's figures answer; another row's would be another programme's
                return f"{unit_cell} [{citation.n}]。" if not parts else "、".join(parts) + "。"
        stated.update(values)
        if values:
            # A comparison says whose value is whose (「一関市: 令和6年度から… [1]」), and gives
            # each city's first value before a second of any.
            label = f"{st.chunk.city}: " if comparison and st.chunk.city else ""
            part = f"{label}{'、'.join(values[:MAX_VALUES])} [{citation.n}]"
            if comparison and label and any(p.startswith(label) for p in parts):
                seconds.append(part)
            else:
                parts.append(part)
        if len(parts) >= max(2, len(query.cities)):
            break
    parts = (parts + seconds)[: max(2, len(query.cities))]
    return "、".join(parts) + "。" if parts else None


def lead(
    query: Query, cited: list[Statement], citations: list[Citation], verdict: str | None,
    headers: dict[int, str] | None = None,
) -> str | None:
    value = value_lead(query, cited, citations, headers)
    if verdict and citations:
        return f"{verdict}。{value}" if value else f"{verdict} [{citations[0].n}]。"
    return value
