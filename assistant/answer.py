"""The default answer engine, with no language model.

It picks the sentences, table rows and list items that answer the question, weighted by
what the question asks for (a count, a date, an amount, a period, a list, a definition),
leads with the asked-for value when there is one, and cites every statement with a
verified quote. When the evidence is too weak it abstains with a fixed phrase; the page
then shows the closest passages instead.
"""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.chunking import HeadingLine, Line, children, classify_heading, heading_lines, section_at, split_lines, split_sentences
from assistant.citations import make_citation, verify
from assistant.conversation import ATTRIBUTE_END, topic_of
from assistant.index import Index
from assistant.keyword import tokenize, tokenizer
from assistant.query import QUESTION_WORDS, Query, asked_years, nfkc, year_forms
from assistant.settings import AnswerSettings
from assistant.types import Answer, Chunk, Citation, Passage, Turn

ABSTAIN_TEXT = "資料には該当する記載が見つかりませんでした。"
RELATED_HEADING = "関連する可能性のある箇所"

STATEMENT_PASSAGES = 5  # passages whose statements are considered
STRENGTH_TOP = 8  # statements that decide whether the evidence is strong enough
TYPE_MISS_PENALTY = 0.6
UNTYPED_FACTOR = 0.6
TYPED_BAR = 0.4  # coverage (share of the best) a value sentence needs to be preferred
ON_TOPIC = 0.7  # share of the best coverage that makes a sentence "about the topic"  # a value question's sentence without a value of that kind
IDF_FLOOR = 0.3
LIST_ITEMS = 10
OTHER_SOURCE_BAR = 0.95  # share of the best score a statement from another document needs
RERANK_WEIGHT = 0.4
NAMES_HEADING = 0.85  # coverage at which a question names a heading (「基本方針2は？」)
MAX_DETAILS = 4
WHOLE_ROW_CHARS = 200  # shorter table rows are quoted whole; longer ones cell by cell


# Counters used in these plans (「29名」「14地域」「122事業」「3施設」「85.0%」).
_COUNTERS = (
    "名|人|件|回|か所|箇所|ヶ所|カ所|地区|地域|団体|校|世帯|社|つ|個|%|％|割|協働体|組織|事業|ポイント|pt|"
    "施設|館|拠点|講座|企業|事業所|店舗|部会|協議会|センター|人日|日間|週|か月|ヶ月|種類|項目|本"
)
# A date as plans write it: 令和6年度, 令和３年６月1日, 2024年4月.
_DATE = r"(?:(?:令和|平成|昭和)\s*(?:元|\d{1,2})|\d{4})\s*年度?(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"
_CLOCK_TIME = re.compile(r"\d{1,2}\s*時|\d{1,2}:\d{2}")
_DATE_DAY = re.compile(r"\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")
_TYPE_VALUE = {
    "count": re.compile(rf"\d[\d,]*(?:\.\d+)?\s*(?:{_COUNTERS})"),
    "amount": re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万|億|千)?\s*円"),
    "date": re.compile(r"(?:令和|平成|昭和)\s*(?:元|\d{1,2})\s*年(?:度)?(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{4}\s*年(?:\s*\d{1,2}\s*月)?|\d{1,2}\s*月\s*\d{1,2}\s*日|[RH]\d{1,2}"),
    # Where an event was held: a 「■場所 …」 line or a venue's name.
    "place": re.compile(r"(?:場所|会場)\s*[:：]?\s*\S|(?:センター|会館|公民館|ホール|市役所|庁舎|体育館|学校|大学|公園|広場|施設|プレイス)(?:で|にて|において)"),
    "period": re.compile(rf"{_DATE}\s*(?:から|～|〜|~|-|－)\s*(?:{_DATE})?\s*(?:まで)?(?:の\s*\d+\s*年間)?|\d+\s*年間"),
}
# The counter a count question asks for (「何団体」 -> 団体); 名 and 人 are one unit.
_ASKED_COUNTER = re.compile(rf"何\s*({_COUNTERS})")
_ASKED_NOUN = re.compile(r"いくつの\s*([\u4e00-\u9fffァ-ヶー]+)")
_COUNTER_SET = frozenset(_COUNTERS.split("|"))
_ORGANISATIONS = "社|団体|企業|事業所|店舗|事業者"
_SAME_UNIT = {"名": "名|人", "人": "名|人", "社": _ORGANISATIONS, "団体": _ORGANISATIONS, "企業": _ORGANISATIONS, "%": "%|％|ポイント|pt", "％": "%|％|ポイント|pt", "か所": "か所|箇所|ヶ所|カ所",
              "箇所": "か所|箇所|ヶ所|カ所", "ヶ所": "か所|箇所|ヶ所|カ所", "カ所": "か所|箇所|ヶ所|カ所"}
# A question about the document itself (「いつ付けで作成」「いつの日付」「いつ出された」).
_ASKS_DOCUMENT_DATE = re.compile(r"付け|日付|発行|公表|出され|作成され|策定され")
_COVER_DATE = re.compile(r"(?:令和|平成)\s*(?:元|\d{1,2})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}\s*年\s*\d{1,2}\s*月")
COVER_CHARS = 400  # where a plan prints its date
# Events are asked for by day (「いつ開催」); a founding or a plan by year (「いつ創設」).
_ASKS_DAY = re.compile(r"何月|何日|開催|実施|行われ|行った|行う|開かれ|日程|日時")
_ASKS_YEAR = re.compile(r"何年|年度|いつから|いつまで|いつ頃")
_YEARS = re.compile(r"(?:令和|平成|昭和|[RH])\s*(?:元|\d{1,2})\s*(?:年度|年)?|\d{4}\s*年度?|\d{1,2}\s*(?:月|日)")
_LABELS = re.compile(r"第\s*\d+\s*[次章節回]|事業\s*\d+|施策\s*\d+|\d+\s*年度|No\.?\s*\d+")
_TABLE_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_DEFINES = re.compile(r"とは|をいう|のこと|と定義|としています|を指し|を指す|と位置付け|と位置づけ")
_DEF_TARGET = [
    re.compile(r"「([^」]{2,30})」"),
    re.compile(r"^([^、。「」]{2,40}?)とは"),
    re.compile(r"([^、。「」]{2,40}?)(?:の定義|という言葉|の意味|をどう定義|をどのように定義)"),
    re.compile(r"([^、。「」]{2,40}?)って(?:何|なに)(?:ですか|でしょうか)?[?？]?$"),  # 「円卓会議って何？」
]
# 「一関市の計画でいう円卓会議」 -> 「円卓会議」
_DEF_QUALIFIER = re.compile(r".*(?:における|でいう|で言う|では|の計画の|計画の|にとって)")
_UNKNOWN_PLACE = re.compile(r"([一-龥ぁ-んァ-ヶ]{1,6}?)(市|町|村|県)(?![民役長議政内外営街区町村域])")
_GENERIC_PLACES = {"本", "当", "各", "同", "他", "都", "全", "市", "都道府", "区", "市町", "政令", "自", "他市"}
_SEGMENT_BREAK = re.compile(r"<[^>]+>|\t")
_BULLET = re.compile(r"(?:[-・●■○◆◇□※*>]\s*)+")
_NON_CONTENT = re.compile(r"^[\s\d\-ー・■●○◆◇□※*#|｜:：、。,.（）()「」『』【】～〜→]*$")
# Attributes a question asks about, which a document expresses in other words (「会場」 is
# 「於 …」, 「開催日」 is 「実施日」): their absence says nothing about answerability.
GENERIC_ATTRIBUTES = {
    "開催日", "実施日", "会場", "場所", "日付", "日程", "時期", "目標値", "現状値", "実績値", "上限額", "金額",
    "前年度", "最初", "言葉", "相手", "何月", "何日", "人数", "件数", "回数", "名称", "概要", "目的", "理由",
    "方法", "対象", "特徴", "役割", "例", "具体例", "状況", "現状", "予定", "結果", "成果", "種類", "割合",
    # Words about money and documents that plans show (a budget table, a cover) without naming.
    "予算", "計上", "費用", "総額", "内訳", "表紙",
}
MISSING_NOUNS_TO_ABSTAIN = 2
_NUMBERING = re.compile(r"^\s*\d{1,2}(?:-\d{1,2})*[.．、]?[ \t\u3000]+")
_CIRCLED = re.compile(r"[①-⑳]")
_SPACES = re.compile(r"[ \t]+")
_INTRODUCES_LIST = re.compile(r"^【[^】]+】$|[:：]$|次の|以下の|とおり|\dつの")
_ENDS = set("。！？!?」』）)：:")
_MARKER_START = re.compile(r"[・■●○◆◇□※*\-①-⑳（(【《\d０-９]")
_NUMBER_ONLY = re.compile(r"^[\d.,]+$")
_NUMBER_COUNTER = re.compile(r"^\d+(つ|個|件|項目|点)$")  # 「3つの基本方針」: how many, not what


@dataclass(frozen=True)
class Segment:
    """A quotable span of a document: a sentence, a table row (or cell), a heading."""

    start: int
    end: int
    kind: str  # "text" | "table" | "heading"
    header: tuple[int, int] | None = None  # the table's header row, for table rows
    whole_row: bool = False  # a table row quoted whole (not one cell of a long row)


@dataclass(eq=False)
class Statement:
    segment: Segment
    chunk: Chunk
    rank: int  # rank of the passage it came from
    text: str
    score: float = 0.0
    coverage: float = 0.0
    typed: bool = False

    @property
    def start(self) -> int:
        return self.segment.start

    @property
    def end(self) -> int:
        return self.segment.end

    def overlaps(self, other: "Statement") -> bool:
        return self.chunk.source == other.chunk.source and self.start < other.end and other.start < self.end


def _clean(text: str, s: int, e: int) -> tuple[int, int] | None:
    m = _BULLET.match(text, s, e)
    s = m.end() if m else s
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e and not _NON_CONTENT.match(text[s:e]):
        return s, e
    return None


@lru_cache(maxsize=64)
def _segment_starts(text: str) -> list[int]:
    return [s.start for s in document_segments(text)]


@lru_cache(maxsize=64)
def document_segments(text: str) -> tuple[Segment, ...]:
    """All quotable segments of a document, in order. Cached per document text."""
    out: list[Segment] = []
    header: tuple[int, int] | None = None
    paragraph: tuple[int, int] | None = None

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            for s, e in split_sentences(text, *paragraph):
                span = _clean(text, s, e)
                if span:
                    out.append(Segment(span[0], span[1], "text"))
        paragraph = None

    for line in split_lines(text):
        if line.kind != "table":
            header = None
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
            if header is None:
                header = row
            if row[1] - row[0] <= WHOLE_ROW_CHARS and "<" not in text[row[0] : row[1]]:
                out.append(Segment(row[0], row[1], "table", header if header != row else None, whole_row=True))
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


def _continues(text: str, prev_end: int, line: Line) -> bool:
    """Whether `line` continues the previous text line (a sentence wrapped at a fixed width,
    as in PDFs converted to text), so that a quote reads as one sentence."""
    prev = text[max(0, prev_end - 1) : prev_end]
    first = text[line.start : line.end].lstrip()[:1]
    return bool(prev) and prev not in _ENDS and not _MARKER_START.match(first) and (line.start - prev_end) == 1


def _compact(text: str) -> str:
    return re.sub(r"[\s「」『』]", "", nfkc(text))


def subject_of(query: Query) -> str | None:
    """The head of the question's subject phrase, without the city and a trailing attribute:
    「山口市のおおうち産業フェアの来場者数」 -> 「おおうち産業フェア」."""
    topic = topic_of(query.normalized, query.cities)
    if not topic:
        return None
    # 「岩国市内の…」 loses only the city to _strip_city; 「内」 is left over.
    topic = re.sub(r"^(?:内|全体|全域)(?:の|で|に)?", "", _compact(topic))
    # Dates qualify the subject (「令和6年度の」), they do not name it.
    # 「自治会長情報交換会、会場は」 reads as 「自治会長情報交換会の会場は」.
    parts = [p for p in re.split(r"[の、,]", topic) if p and not re.fullmatch(r"(?:令和|平成)\d+年度?|\d{4}年度?", p)]
    while len(parts) > 1 and ATTRIBUTE_END.search(parts[-1]):
        parts.pop()
    head = "の".join(parts)
    # 「計画期間」 names no specific thing: only a subject like 「おおうち産業フェア」 is judged.
    return head if len(head) >= 3 and not ATTRIBUTE_END.search(head) else None


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


def value_text(text: str) -> str:
    """NFKC for finding values, minus list markers and leading section numbers: NFKC turns
    「①」 into 「1」, and 「3-3 地域協働体…」 is not 「3地域」."""
    return _NUMBERING.sub("", nfkc(_CIRCLED.sub(" ", text)))


def definition_target(question: str) -> str | None:
    for pattern in _DEF_TARGET:
        m = pattern.search(question)
        if m:
            target = _DEF_QUALIFIER.sub("", m.group(1)).strip()
            return target if len(target) >= 2 else None
    return None


_CIRCLED_DIGITS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_NUMBER = re.compile(r"^[\(（]\s*(\d{1,2})\s*[\)）]")


def _item_number(text: str) -> int | None:
    """The number of an item marked 「③」 or 「(3)」, else None."""
    text = text.lstrip()
    if text and text[0] in _CIRCLED_DIGITS:
        return _CIRCLED_DIGITS.index(text[0]) + 1
    m = _PAREN_NUMBER.match(nfkc(text))
    return int(m.group(1)) if m else None


def asked_unit(question: str) -> str | None:
    """The unit a count question asks for, as a pattern: 「何名」 -> 名|人; 「いくつの地域協働体」
    -> the noun or a counter it ends with (地域協働体|協働体). None when any count will do."""
    asked = _ASKED_COUNTER.search(question)
    if asked:
        return _SAME_UNIT.get(asked.group(1), re.escape(asked.group(1)))
    noun = _ASKED_NOUN.search(question)
    if noun:
        word = noun.group(1)
        tails = [word[i:] for i in range(1, len(word)) if word[i:] in _COUNTER_SET]
        return "|".join(re.escape(w) for w in [word, *tails])
    return None


_ORDINAL = re.compile(r"[(（]?第\s*(\d+)\s*次[)）]?")


def _names_document(subject: str, title: str, city: str | None) -> bool:
    """Whether 「第3次協働推進計画」 names the document 「一関市協働推進計画(第3次)(案)」: the
    same words once the city and the edition are set aside, and the same edition if both say."""
    title = _compact(title)
    if subject in title:
        return True
    if city:
        title = title.replace(city, "").replace(re.sub(r"[市町村]$", "", city), "")
    s_ord, t_ord = _ORDINAL.search(subject), _ORDINAL.search(title)
    if s_ord and t_ord and s_ord.group(1) != t_ord.group(1):
        return False
    core = _ORDINAL.sub("", subject)
    return len(core) >= 4 and core in _ORDINAL.sub("", title)


_ASKS_WHICH = re.compile(r"具体的|どれ|どの|挙げ|全部|すべて|全て")
_ANNOUNCED_NOUN = re.compile(r"(\d{1,2})\s*つの\s*([\u4e00-\u9fffァ-ヶーA-Za-z]+)")


def announced_not_listed(query: Query, chosen: list[Statement]) -> bool:
    """「どの5つのゴール？」 answered by one sentence that only announces 「5つのゴール」 and
    names none of them: the plan does not say which."""
    if len(chosen) != 1 or query.answer_type == "count" or not _ASKS_WHICH.search(query.normalized):
        return False
    text = nfkc(chosen[0].text)
    for m in _ANNOUNCED_NOUN.finditer(text):
        n, noun = int(m.group(1)), m.group(2)
        if n >= 2 and noun in query.normalized:
            parts = len(re.findall(r"[、・「①-⑳]", text))
            if parts < n - 1:
                return True
    return False


def _unit_value(unit: str) -> str:
    """A number in the asked unit: 「29名」「30の市民センター」「3つの自治会」."""
    return rf"\d[\d,]*(?:\.\d+)?\s*(?:つ)?\s*(?:の\s*)?(?:{unit})"


def _prior_rank(position: int, passage: Passage) -> float:
    """Where retrieval put a passage (0 = first): its fused position, or better where one
    retriever alone ranks it higher, so a passage only the words (or only the meaning) find
    is not buried by the fusion."""
    singles = [1.5 * (r - 1) for r in (passage.dense_rank, passage.keyword_rank) if r]
    return min([position, *singles])


class AnswerEngine:
    def __init__(self, index: Index, cfg: AnswerSettings) -> None:
        self.index = index
        self.cfg = cfg
        self._tokens: dict[tuple[str, int], frozenset[str]] = {}
        self._chunk_starts: dict[str, list[tuple[int, Chunk]]] = {}
        for chunk in index.chunks:
            self._chunk_starts.setdefault(chunk.source, []).append((chunk.start, chunk))
        for starts in self._chunk_starts.values():
            starts.sort(key=lambda sc: sc[0])
        self._chunk_offsets = {s: [o for o, _ in starts] for s, starts in self._chunk_starts.items()}
        # 「第2次一関市地域協働推進計画」 mentions 「第2次地域協働推進計画」: city names set aside.
        names = sorted(set(index.cities) | {re.sub(r"[市町村]$", "", c) for c in index.cities}, key=len, reverse=True)
        self._city_names = re.compile("|".join(re.escape(n) for n in names if n)) if names else None
        self._headings = {s: heading_lines(d.text) for s, d in index.documents.items()}
        self._city_texts: dict[tuple[str, ...], str] = {}
        self._path_tokens: dict[str, frozenset[str]] = {}
        self._title_tokens = {s: frozenset(tokenize(d.title)) for s, d in index.documents.items()}

    # -- lookups ------------------------------------------------------------------------
    def tokens_of(self, source: str, seg: Segment) -> frozenset[str]:
        key = (source, seg.start)
        got = self._tokens.get(key)
        if got is None:
            got = self._tokens[key] = frozenset(tokenize(self.index.documents[source].text[seg.start : seg.end]))
        return got

    def chunk_at(self, source: str, offset: int) -> Chunk:
        i = bisect.bisect_right(self._chunk_offsets[source], offset) - 1
        return self._chunk_starts[source][max(i, 0)][1]

    def _segments_from(self, source: str, offset: int) -> tuple[tuple[Segment, ...], int]:
        """The document's segments and the index of the first one starting at or after `offset`."""
        text = self.index.documents[source].text
        return document_segments(text), bisect.bisect_left(_segment_starts(text), offset)

    def segments_in(self, chunk: Chunk) -> list[Segment]:
        segs, lo = self._segments_from(chunk.source, chunk.start)
        return [s for s in segs[lo:] if s.end <= chunk.end]

    def following(self, st: Statement, n: int) -> list[Statement]:
        """The next n segments of the document, even past the chunk's end."""
        segs, i = self._segments_from(st.chunk.source, st.end)
        return [self._statement(st.chunk.source, s, st.rank) for s in segs[i : i + n]]

    def preceding(self, st: Statement, n: int) -> list[Statement]:
        """The n segments of the document before this one."""
        segs, i = self._segments_from(st.chunk.source, st.start)
        return [self._statement(st.chunk.source, s, st.rank) for s in segs[max(0, i - n) : i]]

    def details(self, st: Statement) -> list[Statement]:
        """The 「■実施日 …」「■場所 …」 block right under a statement's paragraph, with the
        lines continuing it (「２回目 …」): where these plans put dates, places and amounts."""
        if st.segment.kind != "text":
            return []
        text = self.index.documents[st.chunk.source].text
        out: list[Statement] = []
        prev_end = st.end
        for f in self.following(st, MAX_DETAILS + 2):
            gap = text[prev_end : f.start]
            line_head = text[text.rfind("\n", 0, f.start) + 1 : f.start].strip()
            if f.segment.kind == "heading" or gap.count("\n") > 2:
                break
            if line_head.startswith("■") or (out and gap.count("\n") == 1 and not line_head):
                out.append(f)
                prev_end = f.end
            elif out or gap.count("\n") > 0:
                break
            if len(out) >= MAX_DETAILS:
                break
        return out

    def list_after(self, st: Statement) -> list[Statement]:
        """Items right after an introducer (「重点プロジェクト」 then (1)(2)(3)): the run of
        headings of one rank (their body text skipped), or of bullet lines, that follows."""
        items: list[Statement] = []
        item_rank: int | None = None
        text = self.index.documents[st.chunk.source].text
        for f in self.following(st, LIST_ITEMS * 4):
            heading = classify_heading(f.text) if f.segment.kind == "heading" else None
            if heading:
                if item_rank is None:
                    item_rank = heading.rank
                if heading.rank < item_rank:
                    break  # the enclosing section ends
                if heading.rank == item_rank:
                    items.append(f)
            elif item_rank is None:
                line_head = text[text.rfind("\n", 0, f.start) + 1 : f.start].strip()
                if not line_head or len(items) >= LIST_ITEMS:
                    break  # body text before any item: not a list
                items.append(f)  # a bullet line (「・」「-」)
            if len(items) >= LIST_ITEMS:
                break
        if len(items) >= 2:
            return items
        return self.numbered_run(st)

    def all_siblings(self, source: str, rank: int, group: list[Statement], terms: dict[str, float]) -> list[Statement]:
        """Every heading of this rank in the document that carries the weightiest question word
        the group shares (「基本方針」): the retrieved passages may hold only some of them."""
        common = [t for t in terms if all(t in self.tokens_of(source, st.segment) for st in group)]
        if not common:
            return []
        shared = [max(common, key=lambda t: terms[t])]  # the naming word, not an incidental 「地域」
        found = [
            h for h in self._headings[source]
            if (classify_heading(self.index.documents[source].text[h.start : h.end]) or h).rank == rank
            and all(t in self._heading_tokens(source, h) for t in shared)
        ]
        unique: dict[str, HeadingLine] = {}
        for h in found:  # a heading repeated in a diagram or an index counts once
            unique.setdefault(_compact(self.index.documents[source].text[h.start : h.end]), h)
        return [self._statement(source, Segment(h.start, h.end, "heading"), 0) for h in unique.values()][:LIST_ITEMS]

    def sibling_headings(self, statements: list[Statement], floor: float) -> list[Statement]:
        """Headings of one rank in one document, with different words, that each carry the
        question's words and score at least `floor`, in document order; [] unless two or more."""
        groups: dict[tuple[str, int], dict[str, Statement]] = {}
        for st in statements:
            heading = classify_heading(st.text) if st.segment.kind == "heading" else None
            if heading and st.score >= floor and st.coverage >= NAMES_HEADING:
                group = groups.setdefault((st.chunk.source, heading.rank), {})
                group.setdefault(_compact(st.text), st)
        best = max(groups.values(), key=len, default={})
        return sorted(best.values(), key=lambda st: st.start) if len(best) >= 2 else []

    def numbered_run(self, st: Statement) -> list[Statement]:
        """Items numbered ①②③… (or (1)(2)(3)…) after an introducer, with anything between
        them skipped: a lead-in sentence, a table's header, each item's examples
        (「5つの役割を期待しています」 then a table whose rows start ①…⑤)."""
        items: list[Statement] = []
        for f in self.following(st, LIST_ITEMS * 6):
            number = _item_number(f.text)
            if f.segment.kind == "heading" and number is None:
                break
            if number == len(items) + 1:
                items.append(f)
            elif items and number == 1:
                break  # a second list starts
            if len(items) >= LIST_ITEMS:
                break
        return items if len(items) >= 2 else []

    def best_list(self, query: Query, statements: list[Statement], passages: list[Passage]) -> list[Statement]:
        """The list that answers 「…を挙げてください」, chosen among candidates: matching sibling
        headings, the items after an introducer, a named heading's sub-headings, the
        sub-headings of the section the question names. Each is scored by how well its items
        (with what introduces them) cover the question, and whether it has the asked count."""
        if not statements:
            return []
        terms = self.query_terms(query)
        count = re.search(r"(\d+)\s*つ", query.normalized)
        wanted = int(count.group(1)) if count else None
        best = statements[0].score
        candidates: list[tuple[list[Statement], frozenset[str], int | None]] = []

        groups: dict[tuple[str, int], list[Statement]] = {}
        for st in statements:
            heading = classify_heading(st.text) if st.segment.kind == "heading" else None
            if heading and st.score >= 0.8 * best:
                groups.setdefault((st.chunk.source, heading.rank), []).append(st)
        for (source, rank), group in groups.items():
            if len(group) >= 2:
                candidates.append((sorted(group, key=lambda st: st.start), frozenset(), None))
                full = self.all_siblings(source, rank, group, terms)
                if len(full) > len(group):
                    candidates.append((full, frozenset(), None))
        for st in statements[:5]:
            introduces = st.segment.kind == "heading" or _INTRODUCES_LIST.search(st.text) or (
                len(st.text) <= 20 and "。" not in st.text
            )
            if introduces and st.score >= 0.7 * best:
                intro = self._context_tokens(st)
                # 「5つの役割を期待しています」 announces how many items follow.
                announced = _ANNOUNCED_NOUN.search(nfkc(st.text))
                candidates.append((self.list_after(st), intro, int(announced.group(1)) if announced else None))
                if st.segment.kind == "heading":
                    candidates.append((self.sub_headings(st), intro, None))
        candidates.append((self.list_from_outline(query, passages), frozenset(), None))

        def quality(items: list[Statement], intro: frozenset[str], announced: int | None) -> float:
            cover = sum(self._coverage(terms, self._context_tokens(it) | intro) for it in items) / len(items)
            count_fits = (wanted or announced) == len(items)
            return cover + (0.3 if count_fits else 0.0) + 0.02 * min(len(items), 6)

        scored = [(quality(*candidate), candidate[0]) for candidate in candidates if len(candidate[0]) >= 2]
        return max(scored, key=lambda t: t[0])[1] if scored else []

    def _context_tokens(self, st: Statement) -> frozenset[str]:
        sections = self.index.outlines[st.chunk.source]
        return self.tokens_of(st.chunk.source, st.segment) | self._phrase_tokens(section_at(sections, st.start))

    def cover_dates(self, query: Query, passages: list[Passage]) -> list[Statement]:
        """「この計画はいつ付け？」: the date printed on a plan's cover (its first lines), for
        each document asked about."""
        if query.answer_type != "date" or not _ASKS_DOCUMENT_DATE.search(query.normalized):
            return []
        # The question must be about the plan itself, not another one it mentions
        # (「アクションプランが策定されたのはいつ」).
        topic = topic_of(query.normalized, query.cities) or ""
        words = {t for t in tokenize(topic) if t not in QUESTION_WORDS}
        titles = frozenset().union(*self._title_tokens.values())
        if words and len(words & titles) < 0.8 * len(words):
            return []
        if query.cities:
            # In a comparison each city is answered from its own passages.
            cities = {p.chunk.city for p in passages} & set(query.cities) or set(query.cities)
            sources = [s for s, d in self.index.documents.items() if d.city in cities]
        else:
            sources = list(dict.fromkeys(p.chunk.source for p in passages[:1]))
        found: list[Statement] = []
        for source in sources:
            doc = self.index.documents[source]
            for seg in document_segments(doc.text):
                if seg.start > COVER_CHARS:
                    break
                text = value_text(doc.text[seg.start : seg.end]).strip()
                if len(text) <= 30 and _COVER_DATE.match(text):  # a date line, maybe with the city
                    found.append(self._statement(source, seg, 0))
                    break
        return found

    def sub_headings(self, st: Statement) -> list[Statement]:
        """The direct sub-headings of a heading statement (「基本方針2」 -> (1), (2)). A plan
        repeats its headings (in a diagram, the indicators, the measures): when this one has
        none, those of a heading with the same words are used."""
        headings = self._headings[st.chunk.source]
        text = self.index.documents[st.chunk.source].text
        name = _compact(st.text)
        own = [j for j, h in enumerate(headings) if h.start == st.start]
        namesakes = [j for j, h in enumerate(headings) if h.start != st.start and _compact(text[h.start : h.end]) == name]
        for i in own + namesakes:
            kids = children(headings, i)
            if len(kids) >= 2:
                return [self._statement(st.chunk.source, Segment(h.start, h.end, "heading"), st.rank) for h in kids[:LIST_ITEMS]]
        return []

    def _statement(self, source: str, seg: Segment, rank: int) -> Statement:
        doc = self.index.documents[source]
        return Statement(seg, self.chunk_at(source, seg.start), rank, doc.text[seg.start : seg.end])

    def _heading_tokens(self, source: str, h: HeadingLine) -> frozenset[str]:
        return self.tokens_of(source, Segment(h.start, h.end, "heading"))

    def _phrase_tokens(self, phrase: str) -> frozenset[str]:
        """Tokens of a title or a section path, which recur across questions."""
        got = self._path_tokens.get(phrase)
        if got is None:
            got = self._path_tokens[phrase] = frozenset(tokenize(phrase))
        return got

    # -- scoring ------------------------------------------------------------------------
    def query_terms(self, query: Query) -> dict[str, float]:
        """Topic words of the question with their weights (BM25 idf, floored so that common
        words still count a little). Expansions count only when the corpus knows them."""
        kw = self.index.keyword
        terms = set(tokenize(query.normalized))
        terms |= {t for t in tokenize(" ".join(query.expansions)) if kw.known(t)}
        terms = {t for t in terms if t not in QUESTION_WORDS and not _NUMBER_ONLY.match(t) and not _NUMBER_COUNTER.match(t)}
        # City names restrict retrieval already; as terms they would reward every sentence
        # of that city's documents equally.
        city_stems = {re.sub(r"[市町村]$", "", c) for c in query.cities}
        terms -= city_stems | set(query.cities) | {"市"}
        # A word the plans never use weighs the most when it is a noun (「開館時間」: the topic is
        # not there); a verb or a colloquial word (「走る」「やる」「どういう」) only shapes the question.
        nouns = {n.lower() for _, n in tokenizer().nouns(query.normalized)}
        nouns |= {part for n in nouns for part in tokenize(n)}
        weights: dict[str, float] = {}
        for t in terms:
            if not kw.known(t) and t not in nouns:
                weights[t] = IDF_FLOOR
                continue
            mates = kw.synonyms(t)
            if mates:
                # A word the plans never use stands for the synonyms they do use; together
                # they weigh what one word would.
                for mate in mates:
                    weights[mate] = max(weights.get(mate, 0.0), max(kw.idf(mate), IDF_FLOOR) / len(mates))
            else:
                weights[t] = max(weights.get(t, 0.0), max(kw.idf(t), IDF_FLOOR))
        return weights

    @staticmethod
    def _coverage(terms: dict[str, float], tokens: frozenset[str] | set[str]) -> float:
        total = sum(terms.values())
        return sum(w for t, w in terms.items() if t in tokens) / total if total else 0.0

    def rerank(self, query: Query, passages: list[Passage], k: int) -> list[Passage]:
        """Reorder the fused candidates by the best statement each holds (its words, section and
        asked-for value), blended with the fusion rank: evidence first, then agreement."""
        if len(passages) <= 1:
            return passages[:k]
        best: dict[str, float] = {}
        for st in self.statements(query, passages, window=passages):
            best[st.chunk.id] = max(best.get(st.chunk.id, 0.0), st.score)
        top = max(best.values(), default=0.0) or 1.0
        scored = [
            (RERANK_WEIGHT * best.get(p.chunk.id, 0.0) / top + (1 - RERANK_WEIGHT) / (1 + 0.2 * _prior_rank(i, p)), i, p)
            for i, p in enumerate(passages)
        ]
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [replace(p, score=score) for score, _, p in scored[:k]]

    @staticmethod
    def _window(query: Query, passages: list[Passage]) -> list[Passage]:
        """The passages whose statements are read; a comparison reads that many per city."""
        if len(query.cities) < 2:
            return passages[:STATEMENT_PASSAGES]
        out: list[Passage] = []
        for city in query.cities:
            out.extend([p for p in passages if p.chunk.city == city][:STATEMENT_PASSAGES])
        return out

    def is_typed(self, query: Query, seg: Segment, text: str, target: str | None) -> bool:
        kind = query.answer_type
        if kind == "definition":
            return bool(target and target in text and _DEFINES.search(text))
        value_re = _TYPE_VALUE.get(kind)
        if not value_re:
            return False
        norm = value_text(text)
        if seg.kind == "table" and seg.whole_row and kind == "count":
            # In a table the unit often sits in a header column; a year or a label
            # (「事業 13」「第 3 次」) is not a quantity.
            return bool(_TABLE_NUMBER.search(_LABELS.sub(" ", _YEARS.sub(" ", norm))))
        if kind == "count":
            unit = asked_unit(query.normalized)
            if unit:
                # Lines wrap inside words in converted PDFs (「３つの自治\n会」).
                return bool(re.search(_unit_value(unit), re.sub(r"\s+", "", norm)))
        if kind == "period" and "まで" in query.normalized and "から" not in query.normalized and "期間" in norm and re.search(rf"{_DATE}\s*まで", norm):
            return True  # 「何年度までが計画期間」 is answered by its end alone
        if kind == "date" and "何時" in query.normalized:
            return bool(_CLOCK_TIME.search(norm))  # 「何時まで開いている」 wants a time of day
        if kind == "date" and _ASKS_DAY.search(query.normalized) and not _ASKS_YEAR.search(query.normalized):
            return bool(_DATE_DAY.search(norm))  # 「いつ開催」 wants a month/day, not a year
        return bool(value_re.search(norm))

    def statements(self, query: Query, passages: list[Passage], window: list[Passage] | None = None) -> list[Statement]:
        """Scored statements of the top passages, best first."""
        terms = self.query_terms(query)
        target = definition_target(query.normalized) if query.answer_type == "definition" else None
        typed_question = query.answer_type in _TYPE_VALUE or target is not None
        out: list[Statement] = []
        for rank, passage in enumerate(window if window is not None else self._window(query, passages)):
            chunk = passage.chunk
            doc = self.index.documents[chunk.source]
            sections = self.index.outlines[chunk.source]
            title_tokens = self._phrase_tokens(chunk.title)
            segs = self.segments_in(chunk)
            passage_tokens = set(title_tokens | self._phrase_tokens(chunk.section))
            for seg in segs:
                passage_tokens |= self.tokens_of(chunk.source, seg)
            passage_cov = self._coverage(terms, passage_tokens)
            for seg in segs:
                text = doc.text[seg.start : seg.end]
                tokens = self.tokens_of(chunk.source, seg)
                if seg.header:
                    tokens = tokens | self.tokens_of(chunk.source, Segment(*seg.header, "table"))
                # The section in force at this sentence, which may differ from the chunk's first.
                context = title_tokens | self._phrase_tokens(section_at(sections, seg.start))
                own = self._coverage(terms, tokens)
                with_context = self._coverage(terms, tokens | context)
                typed = self.is_typed(query, seg, text, target)
                if not typed and query.answer_type in _TYPE_VALUE and seg.kind == "text":
                    st0 = Statement(seg, chunk, rank, text)
                    typed = any(self.is_typed(query, d.segment, d.text, None) for d in self.details(st0))
                score = 0.35 * own + 0.3 * with_context + 0.2 * passage_cov + 0.15 / (1 + 0.5 * rank)
                if typed_question:
                    score *= 1.0 if typed else UNTYPED_FACTOR
                if seg.kind == "heading" and query.answer_type != "list":
                    score *= 0.85  # a heading names the topic; the text under it answers
                if query.answer_type == "list" and _INTRODUCES_LIST.search(text):
                    score *= 1.15  # 「【…事例】」「次の3つ」「…：」 are followed by the items
                out.append(Statement(seg, chunk, rank, text, score, with_context, typed))
        out.sort(key=lambda st: (-st.score, st.rank, st.start))
        if typed_question and out:
            # A value question is answered by a sentence that gives such a value: among
            # sentences on the topic, those come first whatever their word overlap.
            bar = TYPED_BAR * max(st.coverage for st in out)
            out.sort(key=lambda st: not (st.typed and st.coverage >= bar))
        return out

    # -- decisions ----------------------------------------------------------------------
    def unknown_place(self, query: Query) -> str | None:
        """A municipality named in the question that no indexed document mentions."""
        known = self.index.cities
        known_stems = {re.sub(r"[市町村]$", "", c) for c in known}
        for m in _UNKNOWN_PLACE.finditer(query.normalized):
            stem, suffix = m.group(1), m.group(2)
            # The match may start too early (「と岩国市」): the name is the kanji/katakana tail.
            name_stem = re.split(r"[ぁ-ん]", stem)[-1]
            if len(name_stem) < 2 or name_stem in _GENERIC_PLACES:
                continue
            tails = [name_stem[i:] for i in range(len(name_stem) - 1)]
            if any(t in known_stems or t + suffix in known for t in tails):
                continue
            if any(name_stem + suffix in d.text for d in self.index.documents.values()):
                continue
            return name_stem + suffix
        return None

    def missing_nouns(self, query: Query) -> list[str]:
        """Content nouns of the question that no document of the asked cities contains.
        Two or more (「開館時間と休館日」 about a plan that never mentions them) mean the
        documents are about something else, however well the other words match."""
        texts = self._city_texts.get(tuple(sorted(query.cities)))
        if texts is None:
            docs = [d for d in self.index.documents.values() if not query.cities or d.city in query.cities]
            texts = self._city_texts[tuple(sorted(query.cities))] = nfkc("".join(d.text for d in docs))
        missing = []
        for surface, normalized in tokenizer().nouns(query.normalized):
            if len(surface) < 2 or surface in GENERIC_ATTRIBUTES or surface in QUESTION_WORDS:
                continue
            if surface in texts or normalized in texts or surface in query.cities:
                continue
            if any(mate in texts for mate in self.index.keyword.synonyms(normalized)):
                continue  # 「進み具合」 where the plan says 「進捗」
            missing.append(surface)
        return missing

    def value_missing(self, query: Query, statements: list[Statement]) -> bool:
        """A value question whose subject (「おおうち産業フェア」) the passages do mention, but
        never with a value of the asked kind, in the sentence, its 「■」 lines or the next two:
        the documents talk about it without giving what is asked."""
        if query.answer_type not in _TYPE_VALUE:
            return False
        subject = subject_of(query)
        if not subject:
            return False
        own = [d for d in self.index.documents.values() if _names_document(subject, d.title, d.city)]
        if own:
            # The subject is a document itself (「…プロジェクトの計画期間は？」): the value must
            # stand somewhere in it.
            return not any(
                self.is_typed(query, seg, d.text[seg.start : seg.end], None)
                for d in own
                for seg in document_segments(d.text)
            )
        about = [
            st for st in statements
            if subject in _compact(st.text)
            or (self._city_names is not None and subject in _compact(self._city_names.sub("", st.text)))
        ]
        if not about:
            return False  # not found verbatim (paraphrased?): no judgement
        for st in about:
            # A 「■対象地域 …」 line sits in a block whose date may come before it.
            near = [*self.preceding(st, 2), st, *self.details(st), *self.following(st, 2)]
            if any(self.is_typed(query, n.segment, n.text, None) for n in near):
                return False
        return True

    def evidence_strength(self, query: Query, statements: list[Statement]) -> float:
        if not statements:
            return 0.0
        strength = max(st.coverage for st in statements[:STRENGTH_TOP])
        if query.answer_type in _TYPE_VALUE:
            # The asked-for value must stand in an on-topic sentence or the lines right after it
            # (「■実施日 …」), not merely somewhere in the passage.
            near = [st for st in statements[:STRENGTH_TOP] if st.coverage >= ON_TOPIC * strength]
            if not any(st.typed or any(self.is_typed(query, f.segment, f.text, None) for f in self.following(st, 2)) for st in near):
                strength *= TYPE_MISS_PENALTY
        return strength

    def year_stated(self, query: Query, chosen: list[Statement]) -> bool:
        """A question about one year (「令和7年度の…」) is answered only from passages that
        name that year, in any form (令和7年, 2025年, R7): a plan's 「今年度」 is its own year."""
        years = asked_years(query.normalized)
        if not years:
            return True
        for st in chosen:
            doc = self.index.documents[st.chunk.source]
            seen = _compact(" ".join((doc.title, st.chunk.section, st.chunk.text)))
            if any(form in seen for year in years for form in year_forms(year)):
                return True
        return False

    # -- composing ----------------------------------------------------------------------
    def list_from_outline(self, query: Query, passages: list[Passage]) -> list[Statement]:
        """For 「挙げてください」: the sub-headings of the section the question names."""
        terms = self.query_terms(query)
        count = re.search(r"(\d+)\s*つ", query.normalized)
        wanted = int(count.group(1)) if count else None
        best: tuple[float, str, int] | None = None
        sources = list(dict.fromkeys(p.chunk.source for p in passages[:3]))
        for rank, source in enumerate(sources):
            headings = self._headings[source]
            for i, h in enumerate(headings):
                kids = children(headings, i)
                if len(kids) < 2:
                    continue
                cov = self._coverage(terms, self._title_tokens[source] | self._heading_tokens(source, h))
                if cov < 0.6:
                    continue
                # The right section's items echo the question too (基本方針1, 基本方針2, …).
                kid_cov = sum(self._coverage(terms, self._heading_tokens(source, k)) for k in kids) / len(kids)
                key = cov + 0.5 * kid_cov - 0.05 * rank + (0.2 if wanted == len(kids) else 0.0)
                if best is None or key > best[0]:
                    best = (key, source, i)
        if best is None:
            return []
        _, source, i = best
        kids: list[HeadingLine] = children(self._headings[source], i)
        return [self._statement(source, Segment(h.start, h.end, "heading"), 0) for h in kids[:LIST_ITEMS]]

    def definitions(self, query: Query, target: str) -> list[Statement]:
        """Where the documents define `target`: 「Xとは、…」, or the text under a heading X
        (e.g. 「(3) 地域協働体」 in a 用語の定義 section). Searched in every document of the
        cities asked about, since definitions are often far from where a term is used."""
        found: list[Statement] = []
        starts = (f"{target}とは", f"{target}」とは", f"{target}』とは")
        for source, doc in self.index.documents.items():
            if query.cities and doc.city not in query.cities:
                continue
            segs = document_segments(doc.text)
            for i, seg in enumerate(segs):
                text = doc.text[seg.start : seg.end]
                if any(s in text[:40] for s in starts):
                    found.append(self._statement(source, seg, 0))
                elif seg.kind == "heading" and re.sub(r"^[\(（]?[\d０-９①-⑳]+[\)）]?\s*", "", text).strip() == target:
                    found.extend(self._statement(source, s, 0) for s in segs[i + 1 : i + 3] if s.kind != "heading")
        return found[:3]

    def select(self, query: Query, statements: list[Statement], passages: list[Passage]) -> list[Statement]:
        """The statements that answer; a comparison (two cities) is answered city by city."""
        if len(query.cities) < 2:
            return self._select_one(query, statements, passages)
        chosen: list[Statement] = []
        for city in query.cities:
            own = [st for st in statements if st.chunk.city == city]
            own_passages = [p for p in passages if p.chunk.city == city]
            chosen.extend(self._select_one(query, own, own_passages))
        return chosen

    def _select_one(self, query: Query, statements: list[Statement], passages: list[Passage]) -> list[Statement]:
        if not statements:
            return []
        kind = query.answer_type
        best = statements[0].score
        limit = self.cfg.max_statements
        chosen: list[Statement] = []

        def add(st: Statement, cap: int = limit) -> None:
            if len(chosen) < cap and not any(st.overlaps(c) for c in chosen):
                chosen.append(st)

        top = statements[0]
        for st in self.cover_dates(query, passages):
            add(st)
        if chosen:
            return chosen
        if kind == "definition":
            target = definition_target(query.normalized)
            for st in self.definitions(query, target) if target else []:
                add(st)
            if chosen:
                return chosen
        if kind == "list":
            items = self.best_list(query, statements, passages)
            if items:
                for st in items:
                    add(st, LIST_ITEMS)
                return chosen
        if kind == "other":
            # Several sibling headings match equally (「岩国市の基本方針は？」 -> 基本方針1, 2, 3):
            # the question names the kind, not one of them.
            siblings = self.sibling_headings(statements[:8], 0.9 * best)
            if not siblings and _INTRODUCES_LIST.search(statements[0].text):
                # The best match announces a list (「次の3つの基本方針に基づき…」): the list answers.
                items = self.list_after(statements[0])
                siblings = [statements[0], *items] if items else []
            if siblings:
                for item in siblings:
                    add(item, LIST_ITEMS)
                return chosen
            # A heading the question names is answered by its sub-headings (「基本方針2の施策は？」).
            for st in statements[:5]:
                named = st.segment.kind == "heading" or (st.segment.kind == "table" and len(_compact(st.text)) <= 40)
                if named and st.score >= 0.9 * best and st.coverage >= NAMES_HEADING:
                    kids = self.sub_headings(st)
                    if len(kids) >= 2:
                        for item in [st, *kids]:
                            add(item, LIST_ITEMS)
                        return chosen
        add(top)
        if top.segment.kind == "heading" or kind in ("list", "definition"):
            # A heading or an introducing sentence is followed by the actual content.
            for f in self.following(top, LIST_ITEMS if kind == "list" else 2):
                if kind == "list" or f.segment.kind != "heading":
                    add(f, LIST_ITEMS if kind == "list" else limit)
        if top.segment.kind == "table" and top.segment.header:
            header = self._statement(top.chunk.source, Segment(*top.segment.header, "table"), top.rank)
            chosen.insert(0, header)  # the header row says what the numbers mean
        if kind in _TYPE_VALUE:
            # Values often continue on the next short line (「１地域あたり１００万円を上限」).
            for f in self.following(top, 3):
                if self.is_typed(query, f.segment, f.text, None) and len(f.text) <= 80:
                    add(f)
        floor = 0.8 * best
        for st in statements[1:]:
            if st.score < floor:
                break
            if kind in _TYPE_VALUE and chosen[0].typed and not st.typed:
                continue  # once the value is found, more words about the topic only add noise
            if st.chunk.source != top.chunk.source and st.score < OTHER_SOURCE_BAR * best:
                continue  # another plan is cited only when it answers about as well
            add(st)
        # Each statement brings its 「■」 detail lines (dates, places, amounts).
        with_details: list[Statement] = []
        for st in chosen:
            with_details.append(st)
            for d in self.details(st):
                if not any(d.overlaps(c) for c in chosen + with_details):
                    with_details.append(d)
        chosen = with_details
        return chosen

    def compose(self, query: Query, passages: list[Passage]) -> Answer:
        place = self.unknown_place(query)
        off_topic = len(self.missing_nouns(query)) >= MISSING_NOUNS_TO_ABSTAIN
        statements = self.statements(query, passages) if not (place or off_topic) else []
        strength = self.evidence_strength(query, statements)
        if place or off_topic or strength < self.cfg.abstain_threshold or self.value_missing(query, statements):
            return Answer(question=query.original, text=ABSTAIN_TEXT, abstained=True, passages=passages)

        chosen = self.select(query, statements, passages)
        if chosen and (not self.year_stated(query, chosen) or announced_not_listed(query, chosen)):
            return Answer(question=query.original, text=ABSTAIN_TEXT, abstained=True, passages=passages)
        citations: list[Citation] = []
        lines: list[str] = []
        cited: list[Statement] = []
        for st in chosen:
            doc = self.index.documents[st.chunk.source]
            citation = make_citation(
                len(citations) + 1, st.chunk, doc, st.start, st.end, self.index.outlines[st.chunk.source]
            )
            if not verify(citation, self.index.documents):
                continue  # never show a statement whose quote cannot be found in its source
            citations.append(citation)
            cited.append(st)
            label = f"{st.chunk.city}: " if len(query.cities) >= 2 and st.chunk.city else ""
            lines.append(f"{label}{_SPACES.sub(' ', st.text.strip().replace(chr(10), ''))} [{citation.n}]")
        if not citations:
            return Answer(question=query.original, text=ABSTAIN_TEXT, abstained=True, passages=passages)

        lead = self._lead(query, cited, citations)
        body = "\n".join(f"- {line}" for line in lines)
        text = f"{lead}\n\n資料の該当箇所:\n{body}" if lead else body
        return Answer(
            question=query.original, text=text, abstained=False, citations=citations,
            passages=self._cited_first(passages, cited),
        )

    def _cited_first(self, passages: list[Passage], cited: list[Statement]) -> list[Passage]:
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

    def _lead(self, query: Query, cited: list[Statement], citations: list[Citation]) -> str | None:
        """The asked-for value first: 「29名 [1]。」. Only for value questions."""
        value_re = _TYPE_VALUE.get(query.answer_type)
        if not value_re or query.answer_type == "place":
            return None  # a venue is read in its line, not cut out of it
        unit = asked_unit(query.normalized) if query.answer_type == "count" else None
        if unit:
            # 「何名」 is answered by a number of people, not by the first number in the row.
            value_re = re.compile(_unit_value(unit))
        parts: list[str] = []
        stated: set[str] = set()
        for st, citation in zip(cited, citations):
            values: list[str] = []
            text = value_text(st.text)
            for m in value_re.finditer(re.sub(r"\s+", "", text) if unit else text):
                v = re.sub(r"\s+", "", m.group(0))
                if v not in values and (v not in stated or len(query.cities) >= 2):
                    values.append(v)
            stated.update(values)
            if values:
                # A comparison says whose value is whose (「一関市: 令和6年度から… [1]」).
                label = f"{st.chunk.city}: " if len(query.cities) >= 2 and st.chunk.city else ""
                parts.append(f"{label}{'、'.join(values[:4])} [{citation.n}]")
            if len(parts) >= max(2, len(query.cities)):
                break
        return "、".join(parts) + "。" if parts else None


def passage_answer(assistant, question: str, history: list[Turn] | None = None) -> Answer:  # type: ignore[no-untyped-def]
    """Retrieval only: quote the best passage whole. The eval's reference point for what
    the answer engine adds on top of retrieval."""
    started = time.perf_counter()
    standalone = assistant.standalone(question, history or [])
    query, passages = assistant.retrieve(standalone)
    if not passages:
        return Answer(question=question, text=ABSTAIN_TEXT, abstained=True)
    top = passages[0].chunk
    index = assistant.index
    citation = make_citation(1, top, index.documents[top.source], top.start, top.end, index.outlines[top.source])
    return Answer(
        question=question,
        text=f"{citation.quote} [1]",
        abstained=False,
        citations=[citation],
        passages=passages,
        mode="passage",
        latency_ms=(time.perf_counter() - started) * 1000,
    )
