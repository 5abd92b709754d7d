"""A PDF page laid out in text columns (a 概要版 printed as slides, a two-column report) read
column by column instead of line by line across the page.

pypdf's layout text puts everything at one height on one line, which is right for a table row
and wrong for two columns of prose: it interleaves them line by line. Both look alike on the
page (text on either side of an empty vertical strip). What tells them apart is the order the
text was written in the file: a table is drawn row by row (left cell, right cell, next row),
a column of text is written whole before the next one. So a strip splits a page's text only
when the file writes the text left of it before the text right of it.

The positions come from pypdf's own layout-mode stages (its text runs with their start and end
x), so an unsplit page reads exactly as `extract_text(extraction_mode="layout")` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SPACE = re.compile(r"\s+")

# How a page set in columns is told apart (measured on reportlab and Word-like layouts):
MIN_LINES = 3  # lines of text each column needs, placed by the file's order
ZONE = (0.2, 0.8)  # where between the text's left and right edges a gutter may lie
MAX_CROSSING = 0.25  # share of the lines that may run across the gutter (titles over both columns)
PROBE_CHARS = 4  # a line shorter than this may occur anywhere, so it does not place the text
MAX_DEPTH = 3  # columns within columns, as a three-column slide is
GUTTER_STEPS = 60  # positions tried across the text's width
# A column of text is lines of running text; a table's column of labels or figures (「公益性」
# 「25点」) is short lines, however the file happens to write it.
MIN_MEDIAN_CHARS = 8
# Inside a column already told apart (a slide of three boxes side by side), wrapped fragments of
# a box (「ボランティア体験講座（年6」「回）」) are shorter; a table's columns are told apart at
# the page's own level.
MIN_MEDIAN_CHARS_NESTED = 6


# A running header over one column only (「第3次…計画」 at the top right) is at most this many
# lines, set apart from the column's text by more than this many of its line pitches.
HEADER_LINES = 2
HEADER_GAP = 1.5

# Runs on one line closer than this many character widths are one stretch of text (a line
# may be drawn in several runs); a gutter is wider.
JOIN_CHARS = 1.0


@dataclass(frozen=True)
class _Run:
    """A stretch of one line drawn without a gap: where it starts and ends on the page."""

    x0: float
    x1: float
    text: str
    groups: tuple[tuple[int, dict[str, Any]], ...]  # pypdf's BTGroups (with their order), to lay it out again


def _runs(page: Any) -> tuple[list[_Run], float]:
    """The page's stretches of text, top to bottom, and pypdf's fixed character width."""
    from pypdf._text_extraction import _layout_mode
    from pypdf.generic import ArrayObject, ContentStream, StreamObject

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if not isinstance(contents, (ArrayObject, StreamObject)):
        return [], 0.0
    fonts = page._layout_mode_fonts()
    ops = iter(ContentStream(contents, page.pdf, "bytes").operations)
    groups = _layout_mode.text_show_operations(ops, fonts, True, None)
    if not groups:
        return [], 0.0
    width = _layout_mode.fixed_char_width(groups, 1.25)
    lines: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for i, g in enumerate(groups):
        lines.setdefault(int(g["ty"] * g["flip_sort"]), []).append((i, g))
    runs: list[_Run] = []
    for members in lines.values():
        members.sort(key=lambda m: m[1]["tx"])
        stretch = [members[0]]
        for m in members[1:] + [None]:  # type: ignore[list-item]
            if m is not None and m[1]["tx"] - max(g["displaced_tx"] for _, g in stretch) < JOIN_CHARS * width:
                stretch.append(m)
                continue
            runs.append(_Run(stretch[0][1]["tx"], max(g["displaced_tx"] for _, g in stretch),
                             "".join(g["text"] for _, g in stretch), tuple(stretch)))
            if m is not None:
                stretch = [m]
    runs.sort(key=lambda r: min(i for i, _ in r.groups))  # top to bottom, as pypdf sorted them
    return runs, width


def _render(runs: list[_Run], char_width: float) -> str:
    """Runs laid out as pypdf's layout mode lays out a page, shifted to their own left edge."""
    from pypdf._text_extraction import _layout_mode

    if not runs:
        return ""
    left = min(r.x0 for r in runs)
    members = sorted((i, g) for r in runs for i, g in r.groups)
    groups = [dict(g, tx=g["tx"] - left, displaced_tx=g["displaced_tx"] - left) for _, g in members]
    return _layout_mode.fixed_width_page(_layout_mode.y_coordinate_groups(groups), char_width, True, 1)  # type: ignore[arg-type]


def _compact(text: str) -> str:
    return _SPACE.sub("", text)


class _Order:
    """The page's text in the order the file writes it, extracted only when a split is weighed."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = _compact(self.page.extract_text() or "")
        return self._text


def _gutters(runs: list[_Run]) -> list[float]:
    """Vertical strips in the middle of these runs with enough text on both sides, crossed by
    few runs (a title across both columns), fewest crossings first: the x of each strip's
    middle. A column may hold a table, whose own gaps are strips too."""
    words = [r for r in runs if r.text.strip()]
    if len(words) < 2 * MIN_LINES:
        return []
    left, right = min(r.x0 for r in words), max(r.x1 for r in words)
    span = right - left
    fit: list[tuple[float, int]] = []  # (x, crossings) of each position that qualifies
    for i in range(1, GUTTER_STEPS):
        x = left + span * i / GUTTER_STEPS
        if not ZONE[0] <= (x - left) / span <= ZONE[1]:
            continue
        crossing = sum(1 for r in words if r.x0 < x < r.x1)
        lefts = sum(1 for r in words if r.x1 <= x)
        rights = sum(1 for r in words if r.x0 >= x)
        if min(lefts, rights) >= MIN_LINES and crossing <= MAX_CROSSING * len(words):
            fit.append((x, crossing))
    # Neighbouring positions with as few crossings are one strip.
    strips: list[tuple[int, float]] = []
    run: list[tuple[float, int]] = []
    for x, crossing in fit + [(float("inf"), -1)]:
        if run and (crossing != run[-1][1] or x - run[-1][0] > span / GUTTER_STEPS * 1.5):
            strips.append((run[0][1], (run[0][0] + run[-1][0]) / 2))
            run = []
        if crossing >= 0:
            run.append((x, crossing))
    return [x for _, x in sorted(strips)]


def _line_sizes(runs: list[_Run]) -> list[int]:
    """The lengths of the lines these runs make (a line may be drawn in several runs)."""
    lines: dict[int, int] = {}
    for r in runs:
        if r.text.strip():
            y = round(_y(r))
            lines[y] = lines.get(y, 0) + len(_compact(r.text))
    return sorted(lines.values())


def _running_text(runs: list[_Run], depth: int = 0) -> bool:
    """Lines enough, and long enough, to be a column of text rather than a table's cells."""
    sizes = _line_sizes(runs)
    least = MIN_MEDIAN_CHARS if depth == 0 else MIN_MEDIAN_CHARS_NESTED
    return len(sizes) >= MIN_LINES and sizes[len(sizes) // 2] >= least


def _written_column_by_column(left: list[_Run], right: list[_Run], order: _Order) -> bool:
    """True when the file writes every left run it can be placed before every right one."""

    def places(runs: list[_Run]) -> list[int]:
        written = order.text
        found = []
        for r in runs:
            text = _compact(r.text)
            if len(text) < PROBE_CHARS:
                continue
            at = written.find(text)
            if at >= 0 and written.find(text, at + 1) < 0:  # a line written twice proves nothing
                found.append(at)
        return found

    lefts, rights = places(left), places(right)
    # A last column may hold two lines only (the end of a slide), but the order must rest on
    # enough lines in all.
    if not lefts or not rights or len(lefts) + len(rights) < 2 * MIN_LINES:
        return False
    return max(lefts) < min(rights)


def _pieces(runs: list[_Run], order: _Order, depth: int) -> list[list[_Run]]:
    """The runs in reading order, as blocks to lay out one after another."""
    if depth >= MAX_DEPTH:
        return [runs]
    for x in _gutters(runs):
        pieces = _split(runs, x, order, depth)
        if pieces is not None:
            return pieces
    return [runs]


def _split(runs: list[_Run], x: float, order: _Order, depth: int) -> list[list[_Run]] | None:
    """The runs read column by column at the strip at `x`, or None when no band of the page is
    set in columns there."""
    # Runs across the strip (a title over both columns) cut the page into bands read in turn.
    blocks: list[tuple[bool, list[_Run]]] = []  # (runs across the strip?, runs)
    for r in runs:
        across = bool(r.text.strip()) and r.x0 < x < r.x1
        if blocks and blocks[-1][0] == across:
            blocks[-1][1].append(r)
        else:
            blocks.append((across, [r]))
    result: list[list[_Run]] = []
    split_any = False
    for across, block in blocks:
        if across:
            result.append(block)
            continue
        left = [r for r in block if r.x1 <= x]
        right = [r for r in block if r.x0 >= x]
        # A page's running header, written whenever (a page template draws it): not inside a
        # column, where a table row's cells would look alike.
        lead = _above_the_columns(left, right) if depth == 0 else []
        right = [r for r in right if r not in lead]
        if _running_text(left, depth) and _running_text(right, depth) and _written_column_by_column(left, right, order):
            split_any = True
            if lead:
                result.append(lead)
            result += _pieces(left, order, depth + 1)
            result += _pieces(right, order, depth + 1)
        else:
            result.append(block)
    return result if split_any else None


def _y(run: _Run) -> float:
    return float(run.groups[0][1]["ty"])


def _above_the_columns(left: list[_Run], right: list[_Run]) -> list[_Run]:
    """Lines over the right column only, set well apart above where both columns begin (a
    running header at the top right of the page, 「第3次…計画」): read before the columns, not
    between them. [] when the right column merely begins a little higher than the left. Runs
    come top to bottom; which way y grows depends on how the page was drawn."""
    words = [r for r in right if r.text.strip()]
    lefts = [r for r in left if r.text.strip()]
    if not words or not lefts:
        return []
    top_left = _y(lefts[0])
    lines = sorted({round(_y(r)) for r in lefts})
    down = 1.0 if len(lines) < 2 or _y(lefts[-1]) > _y(lefts[0]) else -1.0
    lead = [r for r in words if (_y(r) - top_left) * down < 0]
    rest = [r for r in words if (_y(r) - top_left) * down >= 0]
    lead_lines = [round(_y(r)) for r in lead]
    if not lead or not rest or len(set(lead_lines)) > HEADER_LINES or len(set(lead_lines)) < len(lead_lines):
        return []  # (a header is a line drawn whole; a table row's cells are several on a line)
    ys = sorted({round(_y(r) * down) for r in rest})
    steps = sorted(b - a for a, b in zip(ys, ys[1:]))
    pitch = steps[len(steps) // 2] if steps else 0
    return lead if pitch and ys[0] - max(_y(r) * down for r in lead) > HEADER_GAP * pitch else []


def layout_text(page: Any) -> str:
    """The page's text as pypdf's layout mode gives it, except that a page set in columns is
    read column by column."""
    runs, char_width = _runs(page)
    if not runs:
        return ""
    pieces = _pieces(runs, _Order(page), 0)
    return "\n".join(_render(p, char_width) for p in pieces)
