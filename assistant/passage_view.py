"""Document text as staff read it in a source card: headings as headings, list items as a
list, table rows as a table, quoted spans highlighted, and no raw Markdown characters
(`###`, `- ・`, `**`, `|---|`).

The text is never changed, only drawn: every visible character keeps its offset, so a
highlight lands exactly on `document.text[start:end]`. All text is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_HEADING = re.compile(r"^[ \t]*(#{1,6})[ \t]+(?=\S)")
_HEADING_TAIL = re.compile(r"[ \t]+#+[ \t]*$")
# 「- 」「* 」「+ 」 (Markdown), optionally followed by a bullet character, or a bullet alone.
_BULLET = re.compile(r"^[ \t\u3000]*(?:[-*+][ \t]+(?:[・•●○◦▪][ \t\u3000]*)?|[・•●○◦▪][ \t\u3000]*)(?=\S)")
_PIPE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_PIPE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")

STYLE = (
    "<style>"
    ".src-doc{line-height:1.7;font-size:0.92em;border-left:3px solid rgba(128,128,128,0.4);padding-left:0.8em}"
    ".src-doc .src-h{font-weight:700;margin:0.5em 0 0.2em}"
    ".src-doc .src-h1{font-size:1.15em}.src-doc .src-h2{font-size:1.08em}"
    ".src-doc ul{margin:0.2em 0 0.4em 1.2em;padding:0}.src-doc li{margin:0}"
    ".src-doc table{border-collapse:collapse;margin:0.3em 0;font-size:0.95em}"
    ".src-doc td{border:1px solid rgba(128,128,128,0.35);padding:0.1em 0.4em;vertical-align:top}"
    ".src-doc p{margin:0 0 0.5em}"
    "</style>"
)


@dataclass(frozen=True)
class _Line:
    kind: str  # "heading", "item", "row", "text", "blank", "skip"
    pieces: tuple[tuple[int, int], ...]  # visible [start, end) ranges of the text (cells for rows)
    level: int = 0


def _visible(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of text[start:end] without inline markup (images, link targets, ** marks)."""
    hidden: list[tuple[int, int]] = []
    segment = text[start:end]
    for m in _IMAGE.finditer(segment):
        hidden.append((m.start(), m.end()))
    for m in _LINK.finditer(segment):
        if not any(a <= m.start() < b for a, b in hidden):
            hidden.append((m.start(), m.start() + 1))  # [
            hidden.append((m.start(1) + len(m.group(1)), m.end()))  # ](url)
    for m in _STRONG.finditer(segment):
        marks = len(m.group(1))
        hidden.append((m.start(), m.start() + marks))
        hidden.append((m.end() - marks, m.end()))
    ranges, pos = [], 0
    for a, b in sorted(hidden):
        if a > pos:
            ranges.append((start + pos, start + a))
        pos = max(pos, b)
    if pos < len(segment):
        ranges.append((start + pos, end))
    return ranges


def _classify(text: str, start: int, end: int) -> _Line:
    line = text[start:end]
    if not line.strip(" \t\u3000"):
        return _Line("blank", ())
    if _PIPE_RULE.match(line) and "-" in line:
        return _Line("skip", ())  # a table's |---| line: the table goes on
    if _RULE.match(line):
        return _Line("blank", ())
    m = _HEADING.match(line)
    if m:
        tail = _HEADING_TAIL.search(line)
        stop = start + (tail.start() if tail else len(line))
        return _Line("heading", tuple(_visible(text, start + m.end(), stop)), len(m.group(1)))
    m = _BULLET.match(line)
    if m:
        return _Line("item", tuple(_visible(text, start + m.end(), end)))
    if _PIPE_ROW.match(line) or "\t" in line.strip("\t"):
        sep = "|" if _PIPE_ROW.match(line) else "\t"
        cells, pos = [], start
        for part in line.split(sep):
            a, b = pos, pos + len(part)
            pos = b + 1
            stripped = part.strip(" \t\u3000")
            if not stripped:
                continue
            lead = len(part) - len(part.lstrip(" \t\u3000"))
            cells.append((a + lead, a + lead + len(stripped)))
        return _Line("row", tuple(cells))
    indent = len(line) - len(line.lstrip(" \t"))
    return _Line("text", tuple(_visible(text, start + indent, end)))


def _marked(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> str:
    """text[a:b] escaped, with the parts inside `spans` wrapped in <mark>."""
    out, pos = [], a
    for s, e in spans:
        s, e = max(s, pos), min(e, b)
        if s >= e:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:b]))
    return "".join(out)


def _pieces_html(text: str, pieces: tuple[tuple[int, int], ...], spans: list[tuple[int, int]]) -> str:
    return "".join(_marked(text, a, b, spans) for a, b in pieces)


def structured_html(text: str, spans: list[tuple[int, int]] = ()) -> str:  # type: ignore[assignment]
    """`text` as HTML blocks (headings, lists, tables, paragraphs) with `spans` marked."""
    ordered = sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s)
    lines: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        line = _classify(text, pos, pos + len(raw))
        if line.kind != "skip":
            lines.append(line)
        pos += len(raw) + 1
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind == "blank":
            i += 1
            continue
        if line.kind == "heading":
            level = min(line.level, 4)
            out.append(f'<div class="src-h src-h{level}" role="heading" aria-level="{level + 2}">'
                       f"{_pieces_html(text, line.pieces, ordered)}</div>")
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].kind == line.kind:
            j += 1
        group = lines[i:j]
        if line.kind == "item":
            out.append("<ul>" + "".join(f"<li>{_pieces_html(text, g.pieces, ordered)}</li>" for g in group) + "</ul>")
        elif line.kind == "row":
            rows = "".join("<tr>" + "".join(f"<td>{_marked(text, a, b, ordered)}</td>" for a, b in g.pieces) + "</tr>"
                           for g in group)
            out.append(f"<table>{rows}</table>")
        else:
            out.append("<p>" + "<br>".join(_pieces_html(text, g.pieces, ordered) for g in group) + "</p>")
        i = j
    return "".join(out)


def line_window(text: str, start: int, end: int, context: int) -> tuple[int, int]:
    """[a, b) around text[start:end] with about `context` characters either side, widened to
    whole lines so no heading or row is cut."""
    a = max(0, start - context)
    b = min(len(text), end + context)
    if a > 0:
        nl = text.rfind("\n", 0, a)
        a = nl + 1 if nl >= 0 else 0
    if b < len(text):
        nl = text.find("\n", b)
        b = nl if nl >= 0 else len(text)
    return a, b
