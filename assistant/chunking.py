"""Structure-aware chunking for Japanese plan documents.

Rules: a chunk never ends inside a sentence (。！？ or a line end) or inside a table row;
headings start new chunks and give each chunk its section path; a table that must be
split repeats its header row. Every chunk's body is a contiguous slice of the document,
so offsets map back to the source and citations can be verified.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Literal

from assistant.lexicon import lexicon
from assistant.text import ROMAN
from assistant.types import Chunk, LoadedDocument

# Bump when chunk boundaries or section paths change: existing indexes are then rebuilt.
CHUNKER_VERSION = "8"  # 8: a bracket label inside a marked-up section ranks below it
MAX_HEADING_CHARS = 60
PATH_ENTRY_CHARS = 40

_DIGITS = "0-9０-９"
_KANJI_NUM = "一二三四五六七八九十"
# Kinds of numbered sections (基本方針1, 重点施策Ⅱ): lexicon data, in its own order.
_NUMBERED_KINDS = "|".join(re.escape(k) for k in lexicon().numbered_kinds)
_PROJECT_KINDS = "|".join(re.escape(k) for k in lexicon().project_kinds)
_LABEL_KINDS = "|".join(re.escape(k) for k in lexicon().label_kinds)
_QUANTITY_WORDS = "|".join(re.escape(k) for k in lexicon().not_after_heading_number)

# (rank, pattern) — lower rank = higher in the outline. Order matters: first match wins.
_HEADING_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{_DIGITS}{_KANJI_NUM}]+[章編部]")),
    (1, re.compile(r"^◆\s*\S")),
    (1, re.compile(r"^資料編$")),
    (3, re.compile(rf"^({_NUMBERED_KINDS})\s*[{_DIGITS}{ROMAN}]+")),
    (3, re.compile(rf"^({_PROJECT_KINDS})\s*[（(]?[{_DIGITS}]+[)）]?")),
    (3, re.compile(r"^【[^】]{1,30}】$")),
    (3, re.compile(r"^《[^》]{1,30}》$")),
    # 「誰もが協働参画できる環境づくり ~基本方針1~」: the label after the title
    (3, re.compile(rf"^.{{2,40}}[~〜～]\s*({_LABEL_KINDS})\s*[{_DIGITS}{ROMAN}]+\s*[~〜～]$")),
    # "1 計画策定の背景と目的", "3-1 協働の考え方", "２．令和６年度事業", "9 地域コミュニティ…"
    (2, re.compile(
        rf"^[{_DIGITS}]{{1,2}}(-[{_DIGITS}]{{1,2}})?\s*[.．、]?\s*"
        rf"(?!{_QUANTITY_WORDS})[^\s{_DIGITS}.．]"
    )),
    (4, re.compile(rf"^[（(][{_DIGITS}]{{1,2}}[)）]\s*\S")),
    (5, re.compile(r"^[①-⑳]\s*\S")),
]
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
# Rows of a table as plain text writes them: Markdown pipes, full-width and box-drawing bars.
TABLE_CELL_SEPARATORS = ("|", "｜", "│", "┃")
_TABLE_BORDER = re.compile(r"[\s\u3000]*[─━┌┐└┘├┤┬┴┼|+\-=]{3,}[\s\u3000]*")
_NOISE = re.compile(r"[\s0-9０-９\-－ー・]+")
_TOC_LINE = re.compile(r"^.{2,60}\t+\s*[0-9０-９]{1,3}\s*$")
SHORT_TRAILER = 60  # a short line (「■実施日 …」) may stretch a chunk to keep it with its text
STRETCH = 1.3
# A bracket left open by a typo must not glue a whole paragraph into one "sentence".
MAX_BRACKETED_SENTENCE = 300
_SENTENCE_END = re.compile(r"[。！？!?][」』）)\]]*")


@dataclass(frozen=True)
class Heading:
    rank: int
    title: str


LineKind = Literal["blank", "heading", "table", "text"]


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # exclusive, without the newline
    kind: LineKind
    heading: Heading | None = None


@dataclass(frozen=True)
class Unit:
    """The smallest piece the packer moves: a sentence, a table row or a heading line."""

    start: int
    end: int
    kind: LineKind
    section: str
    table_header: tuple[int, int] | None = None  # offsets of this row's table header row


def classify_heading(line: str) -> Heading | None:
    """Return the heading a line represents, or None for body text."""
    stripped = line.strip()
    md = _MD_HEADING.match(stripped)
    body = md.group(2).strip() if md else stripped
    if not body or len(body) > MAX_HEADING_CHARS or "\t" in line:
        return None
    title = re.sub(r"\s+", " ", body)
    for rank, pattern in _HEADING_PATTERNS:
        if pattern.match(body):
            # Numbered body sentences ("1 本市では…。") are not headings.
            if "。" in body or (rank >= 2 and len(body) > 40 and "、" in body):
                break
            return Heading(rank, title)
    if md:
        return Heading(len(md.group(1)), title)
    return None


# In a document whose sections are marked up (「### 施策の方向(1)」, DOCX heading styles), a
# bracket label without the markup (「【主な取組】」) announces the items of the section it
# stands in: a heading below every marked-up level, not a sibling of the section.
_LABEL_RANK = 7
_BRACKET_LABEL = re.compile(r"^[【《][^】》]{1,30}[】》]$")


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    marked_up = False
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if not raw.strip() or _TABLE_BORDER.fullmatch(raw):
            kind: LineKind = "blank"  # a box-drawn table's border (「├───┼───┤」) says nothing
            heading = None
        elif "\t" in raw or raw.lstrip(" \u3000").startswith(TABLE_CELL_SEPARATORS):
            kind, heading = "table", None
        else:
            heading = classify_heading(raw)
            kind = "heading" if heading else "text"
            stripped = raw.strip()
            if heading and _MD_HEADING.match(stripped):
                marked_up = True
            elif heading and marked_up and _BRACKET_LABEL.match(stripped):
                heading = Heading(_LABEL_RANK, heading.title)
        lines.append(Line(start, end, kind, heading))
    return lines


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_OPENERS = "（(「『"
_CLOSERS = "）)」』"


def _inside_brackets(sentence: str) -> bool:
    """Whether a bracket opened in `sentence` is still open at its end."""
    depth = 0
    for ch in sentence:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
    return depth > 0


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within text[start:end], cut after 。！？ (with closing brackets)."""
    spans = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if _inside_brackets(text[cursor : match.start()]) and match.end() - cursor < MAX_BRACKETED_SENTENCE:
            continue  # 「…（以下「総合計画」という。）を上位計画とし…」 is one sentence
        s, e = _trim(text, cursor, match.end())
        if s < e:
            spans.append((s, e))
        cursor = match.end()
    s, e = _trim(text, cursor, end)
    if s < e:
        spans.append((s, e))
    return spans


def _path(stack: list[Heading]) -> str:
    return " > ".join(h.title[:PATH_ENTRY_CHARS] for h in stack)


# Layouts stored with an index (store.Layout), found by the identity of the very text they
# were computed from: opening 3,400 documents would otherwise split each into lines again
# for every reader of the outline. Entries live as long as the index that registered them.
# An entry is (text, outline, heading lines), or (text, a function making that pair) until
# first read: opening an index converts no layout it does not need.
_STORED: dict[int, tuple[Any, ...]] = {}


def remember_layouts(items: list[tuple[Any, ...]]) -> list[int]:
    """Register (text, outline, heading lines) triples, or (text, make) pairs where `make()`
    returns (outline, heading lines); returns the keys for `forget_layouts`."""
    keys = []
    for item in items:
        _STORED[id(item[0])] = tuple(item)
        keys.append(id(item[0]))
    return keys


def forget_layouts(keys: list[int]) -> None:
    for key in keys:
        _STORED.pop(key, None)


def _stored(text: str) -> tuple[str, list[tuple[int, str]], list["HeadingLine"]] | None:
    entry = _STORED.get(id(text))
    if entry is None or entry[0] is not text:
        return None
    if len(entry) == 2:  # made on first read
        entry = _STORED[id(text)] = (text, *entry[1]())
    return entry  # type: ignore[return-value]


def outline(text: str) -> list[tuple[int, str]]:
    """(offset, section path) at each heading, in document order."""
    entry = _stored(text)
    if entry is not None:
        return entry[1]
    stack: list[Heading] = []
    result: list[tuple[int, str]] = []
    for line in split_lines(text):
        if line.kind == "heading" and line.heading:
            while stack and stack[-1].rank >= line.heading.rank:
                stack.pop()
            stack.append(line.heading)
            result.append((line.start, _path(stack)))
    return result


def section_at(sections: list[tuple[int, str]], offset: int) -> str:
    """Section path in force at `offset`, given `outline()` output."""
    current = ""
    for start, path in sections:
        if start > offset:
            break
        current = path
    return current


def units(text: str) -> list[Unit]:
    result: list[Unit] = []
    stack: list[Heading] = []
    header: tuple[int, int] | None = None
    for line in split_lines(text):
        if line.kind != "table":
            header = None
        if line.kind == "blank":
            continue
        if line.kind == "heading" and line.heading:
            while stack and stack[-1].rank >= line.heading.rank:
                stack.pop()
            stack.append(line.heading)
            s, e = _trim(text, line.start, line.end)
            result.append(Unit(s, e, "heading", _path(stack)))
        elif line.kind == "table":
            s, e = _trim(text, line.start, line.end)
            if header is None:
                header = (s, e)  # the first row of a run of rows is the table's header
            result.append(Unit(s, e, "table", _path(stack), table_header=header))
        else:
            for s, e in split_sentences(text, line.start, line.end):
                result.append(Unit(s, e, "text", _path(stack)))
    return result


def _is_toc_row(text: str, unit: Unit) -> bool:
    return unit.kind == "table" and bool(_TOC_LINE.match(text[unit.start : unit.end]))


def is_table_of_contents(body: str) -> bool:
    """Mostly 「title<TAB>page」 lines: navigation that matches every heading-like question."""
    lines = [line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    toc = sum(1 for line in lines if _TOC_LINE.match(line.strip()))
    return toc >= 3 and toc >= 0.5 * len(lines)


def _chunk_id(source: str, start: int, body: str) -> str:
    digest = hashlib.sha256(f"{source}\x00{start}\x00{body}".encode()).hexdigest()
    return digest[:24]


def chunk_document(doc: LoadedDocument, size: int = 400, min_size: int = 120) -> list[Chunk]:
    """Pack sentence/row/heading units into chunks of about `size` characters."""
    text = doc.text
    groups: list[list[Unit]] = []
    current: list[Unit] = []

    def length(group: list[Unit]) -> int:
        return group[-1].end - group[0].start if group else 0

    mode: str | None = None  # "nav" (table-of-contents rows) or "content" once the group has either
    for unit in units(text):
        unit_mode = None if unit.kind == "heading" else ("nav" if _is_toc_row(text, unit) else "content")
        if current:
            grown = unit.end - current[0].start
            starts_section = unit.kind == "heading" and length(current) >= min_size
            only_headings = all(u.kind == "heading" for u in current)
            trailer = unit.end - unit.start <= SHORT_TRAILER and unit.kind == "text" and grown <= size * STRETCH
            # Never mix a table of contents with content: the chunk would be navigation and
            # its content unreachable (the plan's opening paragraph, after its 目次).
            switches = mode == "nav" and unit_mode != "nav" or (mode == "content" and unit_mode == "nav")
            if starts_section or switches or (grown > size and not only_headings and not trailer):
                groups.append(current)
                current = []
                mode = None
        current.append(unit)
        mode = unit_mode or mode
    if current:
        groups.append(current)

    chunks = []
    for group in groups:
        start, end = group[0].start, group[-1].end
        first = group[0]
        prefix = ""
        if first.kind == "table" and first.table_header and first.table_header[0] != first.start:
            hs, he = first.table_header
            prefix = text[hs:he] + "\n"
        # The section of the first substantive unit: a stray page number (「４」) printed before
        # the next heading must not decide it.
        content = next(
            (u for u in group if u.kind != "heading" and not _NOISE.fullmatch(text[u.start : u.end])),
            next((u for u in group if u.kind != "heading"), first),
        )
        body = text[start:end]
        chunk_text = prefix + body
        chunks.append(
            Chunk(
                id=_chunk_id(doc.source, start, body),
                source=doc.source,
                title=doc.title,
                city=doc.city,
                section=content.section,
                page=doc.page_at(start),
                start=start,
                end=end,
                text=chunk_text,
                content_hash=hashlib.sha256(chunk_text.encode()).hexdigest(),
                prefix=prefix,
                navigation=is_table_of_contents(body),
            )
        )
    return chunks


@dataclass(frozen=True)
class HeadingLine:
    """A heading in a document: `start:end` is its visible title text (no Markdown #)."""

    start: int
    end: int
    rank: int
    path: str


def heading_lines(text: str) -> list[HeadingLine]:
    entry = _stored(text)
    if entry is not None:
        return entry[2]
    stack: list[Heading] = []
    out: list[HeadingLine] = []
    for line in split_lines(text):
        if line.kind != "heading" or not line.heading:
            continue
        while stack and stack[-1].rank >= line.heading.rank:
            stack.pop()
        stack.append(line.heading)
        s, e = _trim(text, line.start, line.end)
        md = re.match(r"#{1,6}\s+", text[s:e])
        out.append(HeadingLine(s + (md.end() if md else 0), e, line.heading.rank, _path(stack)))
    return out


def children(headings: list[HeadingLine], i: int) -> list[HeadingLine]:
    """Direct sub-headings of headings[i] (the shallowest rank found beneath it)."""
    below: list[HeadingLine] = []
    for h in headings[i + 1 :]:
        if h.rank <= headings[i].rank:
            break
        below.append(h)
    if not below:
        return []
    top = min(h.rank for h in below)
    return [h for h in below if h.rank == top]
