"""A read-only view of the indexed documents, as the answer stages need them.

Documents are split into quotable segments (sentences, table rows or cells, headings); a
`Statement` is a segment of one document, attached to the chunk that holds it. The view
answers structural questions about a document: what follows a statement, the 「■」 detail
lines under it, the items after an introducer, a heading's sub-headings, sibling headings.
Everything here is about how plans are laid out, never about one plan.

A view is built from an open index, or from a few short texts (`DocumentView.from_texts`)
for unit tests that need no index.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from assistant.chunking import (
    HeadingLine,
    Line,
    children,
    chunk_document,
    classify_heading,
    heading_lines,
    outline,
    section_at,
    split_lines,
    split_sentences,
)
from assistant.corpus_index import CorpusIndex, CorpusText
from assistant.keyword import KeywordIndex
from assistant.lazy_records import head_of
from assistant.lexicon import lexicon
from assistant.per_document import PerDocument
from assistant.settings import AnswerSettings
from assistant.text import NameScanner, city_stem, compact, nfkc
from assistant.tokens import tokenize
from assistant.types import Chunk, LoadedDocument
from assistant.values import NUMBER

# 「1. **オンライン**：…」: a line of an ordered list, its number inside the statement.
_ORDERED_ITEM = re.compile(r"^\s*\d{1,2}[.．]\s")
# A line opening with a value (「71.3歳です」「1.2トンに」「3割に」「20世帯未満」): a number, a
# decimal part, then a word or unit straight after it.
_VALUE_START = re.compile(r"[ \t\u3000]*[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?[%％\u3040-\u30ff\u4e00-\u9fff]")
_SEGMENT_BREAK = re.compile(r"<[^>]+>|\t")
_CIRCLED_DIGITS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_NUMBER = re.compile(r"^[\(（]\s*(\d{1,2})\s*[\)）]")
# 「ア　高齢者の見守り」「(イ) 防災訓練」: the kana that number items below (1)(2); a kana
# starting a word (「アンケート」) is followed by more kana, not by a space or a bracket.
_KANA_ORDER = "アイウエオカキクケコサシスセソタチツテト"
_KANA_NUMBER = re.compile(rf"^(?:([{_KANA_ORDER}])(?:\s+|[.、](?=\S))|\(([{_KANA_ORDER}])\)\s*)(?=\S)")
# 「課題1　活動の担い手…」「柱2 村の外と…」: a short label, its number, then a gap.
_LABEL_NUMBER = re.compile(r"^([\u4e00-\u9fffァ-ヶー]{1,6})\s*(\d{1,2})(?:\s+|[:：.．、]\s*)(?=\S)")
_ORDINAL = re.compile(r"[(（]?第\s*(\d+)\s*次[)）]?")
_MD_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
# 「予算額（円）」「決算額（千円）」「参加者数(人)」: a header cell naming its column's unit.
@lru_cache(maxsize=1)
def _header_unit() -> re.Pattern[str]:
    return re.compile(rf"[(（]\s*((?:[千万億])?円|{lexicon().counter_pattern})\s*[)）]")


# 「単位：千円」「（単位：円）」「表1 予算一覧（単位：千円）」: a line above a table giving the unit of
# its figures, which the header cells then leave out.
@lru_cache(maxsize=1)
def _stated_unit() -> re.Pattern[str]:
    return re.compile(rf"[(（]?\s*単位\s*[:：]\s*((?:[千万億])?円|{lexicon().counter_pattern})\s*[)）]?\s*$")


@dataclass(frozen=True)
class Segment:
    """A quotable span of a document: a sentence, a table row (or cell), a heading."""

    start: int
    end: int
    kind: str  # "text" | "table" | "heading"
    header: tuple[int, int] | None = None  # the table's header row, for table rows
    whole_row: bool = False  # a table row quoted whole (not one cell of a long row)
    header_units: tuple[str, ...] = ()  # units the header gives its columns (「決算額（円）」 -> 円)


@dataclass(eq=False)
class Statement:
    """A segment of a document as evidence: where it came from and how well it answers."""

    segment: Segment
    chunk: Chunk
    rank: int  # rank of the passage it came from
    text: str
    score: float = 0.0
    coverage: float = 0.0  # share of the question's weighted words it (with its context) holds
    typed: bool = False  # holds a value of the asked kind

    @property
    def start(self) -> int:
        return self.segment.start

    @property
    def end(self) -> int:
        return self.segment.end

    def overlaps(self, other: "Statement") -> bool:
        return self.chunk.source == other.chunk.source and self.start < other.end and other.start < self.end


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lex = lexicon()
    # (「○：おおむね順調」: a mark before a colon is a legend's symbol, what the line defines)
    bullets = re.compile(rf"(?:[{re.escape(lex.bullets)}](?!\s*[:：])\s*)+")
    non_content = re.compile(r"^[\s\d\-ー・■●○◆◇□※*#|｜:：、。,.（）()「」『』【】～〜→]*$")
    marker_start = re.compile(rf"[{lex.item_starts}]")
    return bullets, non_content, marker_start


def _clean(text: str, s: int, e: int) -> tuple[int, int] | None:
    bullets, non_content, _ = _patterns()
    m = bullets.match(text, s, e)
    s = m.end() if m else s
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e and not non_content.match(text[s:e]):
        return s, e
    return None


def _indent(line_head: str) -> int:
    """How far in a list item's line starts, in half-width columns (a full-width space is two,
    a tab four): a nested item stands further in than its parent."""
    blank = line_head[: len(line_head) - len(line_head.lstrip())]
    return sum(2 if c == "\u3000" else 4 if c == "\t" else 1 for c in blank)


def continues_paragraph(text: str, before: Segment, seg: Segment) -> bool:
    """Whether `seg` is a sentence going on from `before` on the same line of a paragraph."""
    if seg.kind != "text" or before.kind != "text" or not text[before.start : before.end].rstrip().endswith("。"):
        return False
    return "\n" not in text[before.end : seg.start]


HEADER_CELL_CHARS = 12  # a column name is short (「未登録団体・個人」); a longer first cell says something
NAMING_DOCUMENTS = 8  # a name written in more documents than this is too common to place a question
WRAPPED_LINE_CHARS = 25  # a line this long that stops mid-sentence was wrapped at the page width


def _continues(text: str, prev_end: int, line: Line) -> bool:
    """Whether `line` continues the previous text line (a sentence wrapped at a fixed width,
    as in PDFs converted to text), so that a quote reads as one sentence. A line starting with
    a number continues a long line that stops mid-number (「令和6年度末で2」 / 「01団体」)."""
    prev = text[max(0, prev_end - 1) : prev_end]
    first = text[line.start : line.end].lstrip()[:1]
    _, _, marker_start = _patterns()
    if not prev or prev in lexicon().line_ends or (line.start - prev_end) != 1:
        return False
    if not marker_start.match(first):
        return True
    prev_line = text[text.rfind("\n", 0, prev_end - 1) + 1 : prev_end]
    if first.isdigit() and _unclosed(prev_line):
        return True  # 「・備品購入費（1品5万円未満のもので、…合計の」 / 「30％以内）」: inside its bracket
    if len(prev_line.strip()) < WRAPPED_LINE_CHARS:
        return False
    # 「…役員の平均年齢は」 / 「71.3歳です。」: a value wrapped to the next line, not an item
    # number (「1. 」「1　」「1)」 are followed by a space or a mark).
    return first.isdigit() and (prev.isdigit() or bool(_VALUE_START.match(text, line.start, line.end)))


def _unclosed(line: str) -> bool:
    """A line that opens a bracket it does not close."""
    return line.count("（") + line.count("(") > line.count("）") + line.count(")")


# A table of at least this many columns continues past a row merged across it: two-column
# lists of term and meaning are too plain to tell a merged row from the next table.
SPANNED_TABLE_CELLS = 3


def _cells(text: str, row: tuple[int, int]) -> int:
    return text[row[0] : row[1]].count("\t") + 1


_FIGURE_CELL = re.compile(rf"[△▲\-−]?{NUMBER}(?:[%％]|\s.*)?")


def _has_figures(row: str) -> bool:
    """Whether a table row has a cell of figures (「28,640」「△383」「725 指定管理料」): a row of data,
    not of column names (「令和7年度予算額」). Cells split at tabs, as the loaders write the
    tables of PDF, DOCX and HTML (a Markdown table has a header row of its own under each heading)."""
    return any(_FIGURE_CELL.fullmatch(nfkc(c).strip()) for c in row.split("\t"))


@lru_cache(maxsize=256)
def document_segments(text: str, whole_row_chars: int = 200) -> tuple[Segment, ...]:
    """All quotable segments of a document, in order. A table row up to `whole_row_chars`
    is one segment; a longer one is split into its cells' sentences."""
    out: list[Segment] = []
    header: tuple[int, int] | None = None
    units: tuple[str, ...] = ()
    paragraph: tuple[int, int] | None = None

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            for s, e in split_sentences(text, *paragraph):
                span = _clean(text, s, e)
                if span:
                    out.append(Segment(span[0], span[1], "text"))
        paragraph = None

    # A row merged across the whole table (「基本目標１　協働を担う人づくり」 between an action
    # plan's rows) is read as a heading line; the rows after it, as many cells as the header
    # and with no blank line between, are still the same table under the same header.
    parted: tuple[tuple[int, int], tuple[str, ...], int] | None = None  # (header, units, its cells)
    stated: tuple[str, ...] = ()  # the unit a line above the tables gives (kept for the tables after it)
    named: tuple[tuple[int, int], tuple[str, ...], int] | None = None  # the last row of column names
    for line in split_lines(text):
        if line.kind == "text":
            given = _stated_unit().search(nfkc(text[line.start : line.end]))
            if given:
                stated = (given.group(1),)
            else:
                named = None  # (text between: the rows after it are another table's)
        if line.kind != "table" and not _MD_RULE.match(text, line.start, line.end):
            if header is not None:
                parted = (header, units, _cells(text, header))
            if line.kind == "blank":
                parted = None
            header = None  # (a Markdown table's 「|---|---|」 rule keeps its header)
        if line.kind != "text":
            flush()
        if line.kind == "blank":
            continue
        if line.kind == "heading":
            span = _clean(text, line.start, line.end)
            if span:
                s, e = span
                md = re.match(r"#{1,6}\s+", text[s:e])
                out.append(Segment(s + (md.end() if md else 0), e, "heading"))
            continue
        if line.kind == "table":
            row = _clean(text, line.start, line.end)
            if not row:
                continue
            if header is None and parted is not None and parted[2] >= SPANNED_TABLE_CELLS and _cells(text, row) == parted[2]:
                header, units = parted[0], parted[1]
            parted = None
            if (header is None and named is not None and named[2] - 1 <= _cells(text, row) <= named[2]
                    and _has_figures(text[row[0] : row[1]])):
                # 「事業名 | … | 令和7年度予算額」, then 「基本目標1　…」 set apart by blank lines, then rows
                # of figures: the rows are still under the column names above (a new table
                # would open with names of its own).
                header, units = named[0], named[1]
            if header is None:
                header = row
                units = tuple(dict.fromkeys(m.group(1) for m in _header_unit().finditer(nfkc(text[row[0] : row[1]])))) or stated
                if not _has_figures(text[row[0] : row[1]]) and _cells(text, row) >= SPANNED_TABLE_CELLS:
                    named = (row, units, _cells(text, row))
            if row[1] - row[0] <= whole_row_chars and "<" not in text[row[0] : row[1]]:
                # 「事業費見込み（千円）| 18,500 | …」: a row's own label may give its unit.
                own = tuple(m.group(1) for m in _header_unit().finditer(nfkc(text[row[0] : row[1]])))
                out.append(Segment(row[0], row[1], "table", header if header != row else None, whole_row=True,
                                   header_units=tuple(dict.fromkeys(units + own)) if header != row else ()))
                continue
            spans: list[tuple[int, int]] = []
            cursor = line.start
            for m in _SEGMENT_BREAK.finditer(text, line.start, line.end):
                spans.extend(split_sentences(text, cursor, m.start()))
                cursor = m.end()
            spans.extend(split_sentences(text, cursor, line.end))
            for s, e in spans:
                span = _clean(text, s, e)
                if span:
                    out.append(Segment(span[0], span[1], "table"))
            continue
        if paragraph and _continues(text, paragraph[1], line):
            paragraph = (paragraph[0], line.end)
        else:
            flush()
            paragraph = (line.start, line.end)
    flush()
    return tuple(out)


def item_mark(text: str) -> tuple[str, int] | None:
    """(kind, number) of an item marked 「③」 (circled), 「(3)」 (paren) or, one level below
    (1)(2) in official documents, 「ウ」「(ウ)」 (kana, counted ア イ ウ エ オ カ…), else None."""
    text = text.lstrip()
    if text and text[0] in _CIRCLED_DIGITS:
        return "circled", _CIRCLED_DIGITS.index(text[0]) + 1
    m = _PAREN_NUMBER.match(nfkc(text))
    if m:
        return "paren", int(m.group(1))
    k = _KANA_NUMBER.match(nfkc(text))
    return ("kana", _KANA_ORDER.index(k.group(1) or k.group(2)) + 1) if k else None


def item_number(text: str) -> int | None:
    """The number of an item marked 「③」, 「(3)」 or 「ウ」, else None."""
    mark = item_mark(text)
    return mark[1] if mark else None


def _number_of_kind(text: str, kind: str | None) -> int | None:
    """The item's number when it is marked as `kind` is (any kind when None): 「ア」 items
    inside a run of (1)(2) are the level below, not the run's numbers."""
    mark = item_mark(text)
    if mark is None or (kind is not None and mark[0] != kind and "kana" in (kind, mark[0])):
        return None
    return mark[1]


def numbering_run(items: list[Statement], at: int) -> list[Statement]:
    """The items (in document order) of the one numbered list that holds the item starting at
    `at`: a list's numbers do not start again, so 「（１）営利を目的とする事業」 after
    「（２）ステップアップ部門」 begins another list. Items without a number are kept."""
    runs: list[list[Statement]] = [[]]
    last = 0
    held = next((it for it in items if it.start == at), None)
    kind = (item_mark(held.text) or (None,))[0] if held is not None else None
    for it in sorted(items, key=lambda st: st.start):
        number = _number_of_kind(it.text, kind)
        if number is not None and number <= last and runs[-1]:
            runs.append([])
        last = number if number is not None else last
        runs[-1].append(it)
    return next((run for run in runs if any(it.start == at for it in run)), runs[0])


def _numbered_next(previous: str, text: str) -> bool:
    """Whether `text` is marked as the item after `previous` (「(3)…」 then 「(4)…」, ③ then ④)."""
    before, mark = item_mark(previous), item_mark(text)
    return before is not None and mark is not None and mark[0] == before[0] and mark[1] == before[1] + 1


def labelled_number(text: str) -> tuple[str, int] | None:
    """(label, number) of an item written 「課題1　…」, else None."""
    m = _LABEL_NUMBER.match(nfkc(text.lstrip()))
    return (m.group(1), int(m.group(2))) if m else None


def names_document(subject: str, title: str, city: str | None) -> bool:
    """Whether 「第3次協働推進計画」 names the document 「一関市協働推進計画(第3次)(案)」: the
    same words once the city and the edition are set aside, and the same edition if both say."""
    title = compact(title)
    if subject in title:
        return True
    if city:
        title = title.replace(city, "").replace(city_stem(city), "")
    s_ord, t_ord = _ORDINAL.search(subject), _ORDINAL.search(title)
    if s_ord and t_ord and s_ord.group(1) != t_ord.group(1):
        return False
    core = _ORDINAL.sub("", subject)
    return len(core) >= 4 and core in _ORDINAL.sub("", title)


class DocumentView:
    """Documents, their chunks and segments, and the layout lookups the answer needs."""

    def __init__(
        self,
        documents: Mapping[str, LoadedDocument],
        chunks: Sequence[Chunk],
        keyword: KeywordIndex,
        cfg: AnswerSettings | None = None,
        cities: list[str] | None = None,
    ) -> None:
        self.documents = documents
        self.chunks = chunks
        self.keyword = keyword
        self.cfg = cfg or AnswerSettings()
        self.cities = cities if cities is not None else sorted({c for s in documents if (c := head_of(documents, s)[1])})
        # Per document, made when first asked for: opening 3,400 documents reads none of them.
        self.outlines: Mapping[str, list[tuple[int, str]]] = PerDocument(documents, lambda d: outline(d.text))
        self.headings: Mapping[str, list[HeadingLine]] = PerDocument(documents, lambda d: heading_lines(d.text))
        self.title_tokens: Mapping[str, frozenset[str]] = PerDocument(
            documents, lambda source: frozenset(tokenize(head_of(documents, source)[0])), by_source=True)
        self._tokens: dict[tuple[str, int], frozenset[str]] = {}
        self._path_tokens: dict[str, frozenset[str]] = {}
        # Each document's chunks by start, when first asked for: an index's ChunkTable makes
        # one document's chunks; a plain list (a few documents in tests) is grouped once.
        of_source = getattr(chunks, "of_source", None)
        if of_source is None:
            grouped: dict[str, list[Chunk]] = {}
            for chunk in chunks:
                grouped.setdefault(chunk.source, []).append(chunk)
            of_source = lambda source: grouped.get(source, [])  # noqa: E731
        self._chunks_of: Callable[[str], list[Chunk]] = of_source
        self._chunk_starts: dict[str, tuple[list[int], list[Chunk]]] = {}
        self._segment_starts: dict[str, list[int]] = {}
        self._city_texts: dict[tuple[str, ...], str] = {}
        # 「第2次一関市地域協働推進計画」 mentions 「第2次地域協働推進計画」: city names set aside.
        self.city_names = NameScanner(set(self.cities) | {city_stem(c) for c in self.cities})

    @classmethod
    def from_texts(
        cls, texts: Mapping[str, str], cities: Mapping[str, str] | None = None, cfg: AnswerSettings | None = None
    ) -> "DocumentView":
        """A view of a few short documents (name -> text), chunked and keyword-indexed in
        memory: for unit tests of one rule on a few lines of a plan."""
        documents = {
            name: LoadedDocument(
                source=name, text=text, title=(text.strip().splitlines() or [name])[0].lstrip("# ").strip(),
                city=(cities or {}).get(name), content_hash=name,
            )
            for name, text in texts.items()
        }
        chunks = [c for d in documents.values() for c in chunk_document(d)]
        keyword = KeywordIndex([tokenize(c.text) for c in chunks])
        return cls(documents, chunks, keyword, cfg)

    # -- segments and tokens ---------------------------------------------------------------------
    def segments(self, source: str) -> tuple[Segment, ...]:
        return document_segments(self.documents[source].text, self.cfg.whole_row_chars)

    def _starts(self, source: str) -> list[int]:
        got = self._segment_starts.get(source)
        if got is None:
            got = self._segment_starts[source] = [s.start for s in self.segments(source)]
        return got

    def text_of(self, source: str, seg: Segment) -> str:
        return self.documents[source].text[seg.start : seg.end]

    def tokens_of(self, source: str, seg: Segment) -> frozenset[str]:
        key = (source, seg.start)
        got = self._tokens.get(key)
        if got is None:
            got = self._tokens[key] = frozenset(tokenize(self.documents[source].text[seg.start : seg.end]))
        return got

    def phrase_tokens(self, phrase: str) -> frozenset[str]:
        """Tokens of a title or a section path, which recur across questions."""
        got = self._path_tokens.get(phrase)
        if got is None:
            got = self._path_tokens[phrase] = frozenset(tokenize(phrase))
        return got

    def heading_tokens(self, source: str, h: HeadingLine) -> frozenset[str]:
        return self.tokens_of(source, Segment(h.start, h.end, "heading"))

    def section_at(self, source: str, offset: int) -> str:
        return section_at(self.outlines[source], offset)

    def context_tokens(self, st: Statement) -> frozenset[str]:
        return self.tokens_of(st.chunk.source, st.segment) | self.phrase_tokens(self.section_at(st.chunk.source, st.start))

    def chunk_at(self, source: str, offset: int) -> Chunk:
        got = self._chunk_starts.get(source)
        if got is None:
            ordered = sorted(self._chunks_of(source), key=lambda c: c.start)
            got = self._chunk_starts[source] = ([c.start for c in ordered], ordered)
        offsets, ordered = got
        return ordered[max(bisect.bisect_right(offsets, offset) - 1, 0)]

    def statement(self, source: str, seg: Segment, rank: int) -> Statement:
        return Statement(seg, self.chunk_at(source, seg.start), rank, self.text_of(source, seg))

    def _segments_from(self, source: str, offset: int) -> tuple[tuple[Segment, ...], int]:
        """The document's segments and the index of the first one starting at or after `offset`."""
        return self.segments(source), bisect.bisect_left(self._starts(source), offset)

    def segments_in(self, chunk: Chunk) -> list[Segment]:
        segs, lo = self._segments_from(chunk.source, chunk.start)
        if lo and segs[lo - 1].start < chunk.start < segs[lo - 1].end <= chunk.end:
            # 「\u3000（３）…経費」: a chunk starts after a line's indent; the line is the chunk's.
            if not self.documents[chunk.source].text[segs[lo - 1].start : chunk.start].strip():
                lo -= 1
        return [s for s in segs[lo:] if s.end <= chunk.end]

    # -- neighbours --------------------------------------------------------------------------------
    def following(self, st: Statement, n: int) -> list[Statement]:
        """The next n segments of the document, even past the chunk's end."""
        segs, i = self._segments_from(st.chunk.source, st.end)
        return [self.statement(st.chunk.source, s, st.rank) for s in segs[i : i + n]]

    def is_bulleted(self, st: Statement) -> bool:
        """A text line opened by bullet marks (「・」「-」「●」), which the statement leaves out (not
        a legend's 「○：」)."""
        if st.segment.kind != "text":
            return False
        text = self.documents[st.chunk.source].text
        head = text[text.rfind("\n", 0, st.start) + 1 : st.start].strip()
        return bool(head) and _patterns()[0].fullmatch(head) is not None

    def is_header_row(self, st: Statement) -> bool:
        """A table's header row of column names (short, no figures), with rows under it: it
        names the columns and answers nothing. (A first row that carries a title, 「事業9 |
        自治会等活動費総合補助金の活用 | 継続」, says something.)"""
        if st.segment.kind != "table" or st.segment.header is not None:
            return False
        cells = [c.strip(" |｜") for c in re.split(r"\t|\|", nfkc(st.text)) if c.strip(" |｜")]
        if not cells or any(len(c) > HEADER_CELL_CHARS or re.search(r"\d", c) for c in cells):
            return False
        nxt = self.following(st, 1)
        return bool(nxt) and nxt[0].segment.header == (st.start, st.end)

    def paragraph_after(self, st: Statement, n: int) -> list[Statement]:
        """The sentences going on after a statement in its paragraph, at most n."""
        text = self.documents[st.chunk.source].text
        out: list[Statement] = []
        before = st.segment
        for f in self.following(st, n):
            if not continues_paragraph(text, before, f.segment):
                break
            out.append(f)
            before = f.segment
        return out

    def paragraph_before(self, st: Statement, n: int) -> list[Statement]:
        """The sentences before a statement in its paragraph, at most n, nearest last."""
        text = self.documents[st.chunk.source].text
        out: list[Statement] = []
        after = st.segment
        for b in reversed(self.preceding(st, n)):
            if not continues_paragraph(text, b.segment, after):
                break
            out.insert(0, b)
            after = b.segment
        return out

    def preceding(self, st: Statement, n: int) -> list[Statement]:
        """The n segments of the document before this one."""
        segs, i = self._segments_from(st.chunk.source, st.start)
        return [self.statement(st.chunk.source, s, st.rank) for s in segs[max(0, i - n) : i]]

    def details(self, st: Statement) -> list[Statement]:
        """The 「■実施日 …」「■場所 …」 block right under a statement's paragraph, with the
        lines continuing it (「２回目 …」): where plans put dates, places and amounts."""
        if st.segment.kind != "text":
            return []
        text = self.documents[st.chunk.source].text
        mark = lexicon().detail_mark
        limit = self.cfg.max_details
        out: list[Statement] = []
        prev_end = st.end
        for f in self.following(st, limit + 2):
            gap = text[prev_end : f.start]
            line_head = text[text.rfind("\n", 0, f.start) + 1 : f.start].strip()
            if f.segment.kind == "heading" or gap.count("\n") > 2:
                break
            if line_head.startswith(mark) or (out and gap.count("\n") == 1 and not line_head):
                out.append(f)
                prev_end = f.end
            elif out or gap.count("\n") > 0:
                break
            if len(out) >= limit:
                break
        return out

    # -- lists and headings ----------------------------------------------------------------------------
    def list_after(self, st: Statement) -> list[Statement]:
        """Items right after an introducer (「重点プロジェクト」 then (1)(2)(3)): the run of
        headings of one rank (their body text skipped), or of bullet lines, that follows."""
        limit = self.cfg.list_items
        items: list[Statement] = []
        item_rank: int | None = None
        item_indent: int | None = None  # how far in the bullet items stand
        text = self.documents[st.chunk.source].text
        following = self.following(st, limit * 4)
        first = labelled_number(following[0].text) if following and following[0].segment.kind == "heading" else None
        if first and first[1] == 1 and not classify_heading(following[0].text):
            # 「柱1　知る・つながる」 headings, each with its body: the labelled run is the list.
            labelled = self.numbered_run(st)
            if labelled:
                return labelled
        for f in following:
            if f.segment.kind == "heading" and item_rank is None and items:
                break  # bullet lines, then a heading: the next part begins
            heading = classify_heading(f.text) if f.segment.kind == "heading" else None
            rank = heading.rank if heading else (self._markup_rank(f) if f.segment.kind == "heading" else None)
            if rank is None and item_rank is not None and _numbered_next(items[-1].text if items else "", f.text):
                # 「(4)　前年度の活動実績が分かる書類（…を除く。）」: an item written as a sentence
                # is read as body text, not a heading; its number carries the run on.
                items.append(f)
                continue
            if rank is not None:
                # (A Markdown 「### 成果」 without a number is ranked by its marks.)
                if item_rank is None:
                    item_rank = rank
                if rank < item_rank:
                    break  # the enclosing section ends
                if rank == item_rank:
                    items.append(f)
            elif item_rank is None:
                head = text[text.rfind("\n", 0, f.start) + 1 : f.start]
                line_head = head.strip()
                if (not line_head and not _ORDERED_ITEM.match(f.text)) or len(items) >= limit:
                    break  # body text before any item: not a list
                indent = _indent(head)
                if item_indent is not None and indent < item_indent:
                    break  # the enclosing list goes on: these items were its sub-items
                if item_indent is None:
                    item_indent = indent  # sub-items further in stay with their items
                items.append(f)  # a bullet line (「・」「-」)
            if len(items) >= limit:
                break
        items = numbering_run(items, items[0].start) if items else items  # (1) again: another list
        if len(items) >= 2:
            return items
        return self.numbered_run(st)

    def _markup_rank(self, st: Statement) -> int | None:
        """The level of a heading written with marks (「### 成果」 -> 3), else None."""
        text = self.documents[st.chunk.source].text
        line = text[text.rfind("\n", 0, st.start) + 1 : st.start]
        marks = len(line) - len(line.lstrip("#"))
        return marks if marks and not line.strip("# ") else None

    def numbered_run(self, st: Statement) -> list[Statement]:
        """Items numbered ①②③… (or (1)(2)(3)…, or 課題1 課題2…) after an introducer, with anything between
        them skipped: a lead-in sentence, a table's header, each item's examples
        (「5つの役割を期待しています」 then a table whose rows start ①…⑤)."""
        limit = self.cfg.list_items
        items: list[Statement] = []
        label: str | None = None  # 「課題1」「課題2」: every item carries the same label
        kind: str | None = None  # how the first item is marked: items marked otherwise are another level
        for f in self.following(st, limit * 6):
            number = _number_of_kind(f.text, kind)
            if number == 1 and not items and kind is None:
                kind = (item_mark(f.text) or (None,))[0]
            labelled = labelled_number(f.text) if number is None else None
            if labelled and labelled[1] == len(items) + 1 and (label is None and not items or labelled[0] == label):
                label, number = labelled
            elif label is not None and (f.segment.kind == "heading" or items[-1].segment.kind != "heading"):
                # Labelled items stand one after another (a table's 「柱1」 rows do not),
                # unless they are headings, each over its own text.
                break
            if f.segment.kind == "heading" and number != len(items) + 1:
                break  # another section begins (「(5) …」 while item 1 is awaited)
            if number == len(items) + 1:
                items.append(f)
            elif items and number == 1:
                break  # a second list starts
            if len(items) >= limit:
                break
        return items if len(items) >= 2 else []

    def all_siblings(self, source: str, rank: int, group: list[Statement], terms: Mapping[str, float]) -> list[Statement]:
        """Every heading of this rank in the document that carries the weightiest question word
        the group shares (「基本方針」): the retrieved passages may hold only some of them."""
        common = [t for t in terms if all(t in self.tokens_of(source, st.segment) for st in group)]
        if not common:
            return []
        shared = [max(common, key=lambda t: terms[t])]  # the naming word, not an incidental 「地域」
        text = self.documents[source].text
        found = [
            h for h in self.headings[source]
            if (classify_heading(text[h.start : h.end]) or h).rank == rank
            and all(t in self.heading_tokens(source, h) for t in shared)
        ]
        unique: dict[str, HeadingLine] = {}
        for h in found:  # a heading repeated in a diagram or an index counts once
            unique.setdefault(compact(text[h.start : h.end]), h)
        siblings = [self.statement(source, Segment(h.start, h.end, "heading"), 0) for h in unique.values()]
        return numbering_run(siblings, group[0].start)[: self.cfg.list_items]

    def sub_headings(self, st: Statement) -> list[Statement]:
        """The direct sub-headings of a heading statement (「基本方針2」 -> (1), (2)). A plan
        repeats its headings (in a diagram, the indicators, the measures): when this one has
        none, those of a heading with the same words are used."""
        headings = self.headings[st.chunk.source]
        text = self.documents[st.chunk.source].text
        name = compact(st.text)
        own = [j for j, h in enumerate(headings) if h.start == st.start]
        namesakes = [j for j, h in enumerate(headings) if h.start != st.start and compact(text[h.start : h.end]) == name]
        for i in own + namesakes:
            kids = children(headings, i)
            if len(kids) >= 2:
                return [
                    self.statement(st.chunk.source, Segment(h.start, h.end, "heading"), st.rank)
                    for h in kids[: self.cfg.list_items]
                ]
        return []

    def sibling_headings(self, statements: list[Statement], floor: float) -> list[Statement]:
        """Headings of one rank in one document, with different words, that each carry the
        question's words and score at least `floor`, in document order; [] unless two or more."""
        groups: dict[tuple[str, int], dict[str, Statement]] = {}
        for st in statements:
            heading = classify_heading(st.text) if st.segment.kind == "heading" else None
            if heading and st.score >= floor and st.coverage >= self.cfg.names_heading:
                group = groups.setdefault((st.chunk.source, heading.rank), {})
                group.setdefault(compact(st.text), st)
        best = max(groups.values(), key=len, default={})
        return sorted(best.values(), key=lambda st: st.start) if len(best) >= 2 else []

    # -- the corpus as a whole ----------------------------------------------------------------------
    @cached_property
    def corpus(self) -> CorpusIndex:
        """Lookups across documents (assistant/corpus_index.py); an open index gives its own."""
        return CorpusIndex(self.documents, self.cfg.whole_row_chars)

    @cached_property
    def city_names_and_stems(self) -> tuple[frozenset[str], frozenset[str]]:
        """The indexed cities and their stems (「一関」), made once."""
        return frozenset(self.cities), frozenset(city_stem(c) for c in self.cities)

    def mentions(self, text: str) -> bool:
        """Whether any document contains `text`."""
        return self.corpus.mentions(text)

    def only_city_naming(self, phrase: str) -> str | None:
        """The one municipality whose documents write `phrase` (「つなぐば」, a centre's name),
        or None when none does, several do, or too many documents do to tell."""
        sources = self.corpus.documents_mentioning([phrase], (), NAMING_DOCUMENTS + 1)
        if not sources or len(sources) > NAMING_DOCUMENTS:
            return None
        cities = {head_of(self.documents, s)[1] for s in sources}
        return cities.pop() if len(cities) == 1 and None not in cities else None

    def corpus_text(self, cities: tuple[str, ...]) -> CorpusText:
        """The documents (NFKC) of these cities, or every document, for `word in text`
        without reading them all."""
        return self.corpus.corpus_text(cities)

    def chunks_naming(self, texts: list[str], cities: tuple[str, ...], documents: int) -> list[Chunk]:
        """The chunks that name every one of `texts` (compared compact), in up to `documents`
        documents (of these cities, or any): where a phrase the quotes lack is written."""
        wanted = [compact(t) for t in texts if t]
        if not wanted:
            return []
        out: list[Chunk] = []
        for source in self.corpus.documents_mentioning(wanted, cities, documents):
            out += [c for c in self._chunks_of(source) if all(w in compact(c.text) for w in wanted)]
        return out

    @cached_property
    def all_title_tokens(self) -> frozenset[str]:
        """Every title's words (made once per index: questions ask it of the whole corpus)."""
        return frozenset().union(*(self.title_tokens[s] for s in self.documents))

    def documents_named(self, subject: str) -> list[str]:
        """The sources of the documents whose title names `subject` (`names_document`), in
        document order; none of them is read."""
        return self.corpus.documents_named(subject, names_document, _ORDINAL)

    def defining_documents(self, term: str) -> Iterator[tuple[str, LoadedDocument]]:
        """The documents that may define `term` (the others cannot), in document order."""
        return self.corpus.defining_documents(term)

    def city_text(self, cities: tuple[str, ...]) -> str:
        """All text (NFKC) of the documents of these cities, or of every document. Reads (and
        keeps) the whole corpus: to ask whether a word is in it, use `corpus_text`."""
        got = self._city_texts.get(cities)
        if got is None:
            docs = [d for d in self.documents.values() if not cities or d.city in cities]
            got = self._city_texts[cities] = nfkc("".join(d.text for d in docs))
        return got

    @staticmethod
    def names_document(subject: str, title: str, city: str | None) -> bool:
        return names_document(subject, title, city)

    def without_city_names(self, text: str) -> str:
        return self.city_names.sub("", text)
