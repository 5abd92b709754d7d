"""「『リーダーの発掘・育成』ではどんな事業をやるの？」「市民の役割は？」「基本理念を教えて」: the
question names a section of a plan; what stands under its heading answers (up to the next
heading of the same or a higher rank), rather than sentences that share words with it."""

from __future__ import annotations

import re

from assistant.chunking import children, classify_heading
from assistant.docview import DocumentView, Segment, Statement
from assistant.lexicon import lexicon
from assistant.query import VALUE_TYPES, Query
from assistant.strategies.base import Picker, Scope, Selection
from assistant.text import compact

NAME = "section"
CANDIDATES = 8  # the best statements among which the named heading is looked for
NAME_CHARS = 4  # a name after a heading's number, long enough to be one section's own
_NUMBERING = re.compile(r"^[\(（【《]?[\d０-９①-⑳ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]*[\)）】》.．、\s]*|[】》\)）\s]+$")


def heading_title(text: str) -> str:
    """A heading's title without its number or brackets, compact: how headings are named."""
    return compact(_NUMBERING.sub("", text.strip()))


def _heading_like(st: Statement) -> bool:
    """A heading, or a bullet line written like one (「- 【リーダーの発掘・育成】」)."""
    return st.segment.kind == "heading" or (
        st.segment.kind == "text" and "。" not in st.text and classify_heading(st.text) is not None
    )


def names_section(query: Query, st: Statement, view: DocumentView) -> bool:
    """Whether the question names this heading: a focus phrase of the question is the heading's
    title (「市民の役割」), or the heading holds nearly all of the question's weighted words."""
    if not _heading_like(st):
        return False
    title = heading_title(st.text)
    if len(title) < 2:
        return False
    if lexicon().is_negative(title) != query.negated:
        return False  # 「対象とならない事業」 does not answer 「どんな事業が対象？」
    number = re.search(r"[0-9０-９ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ①-⑳]+", title)
    if number and number.group(0) not in query.normalized:
        # 「重点プロジェクト(2)」 is one of several; the question names the kind. A name after the
        # number (「重点プロジェクト② あさぎり未来ラボ」) is named by itself.
        kind, name = title[: number.start()].rstrip("第"), heading_title(title[number.end() :])
        return len(kind) >= 2 and len(name) >= NAME_CHARS and name in compact(query.normalized)
    if any(f.text == title or (len(f.text) >= 3 and f.text in title and len(title) <= len(f.text) + 4) for f in query.focus):
        return True
    if title in compact(query.normalized) and len(title) >= 3:
        return True
    if _names_by_cue(query, title):
        return True
    # 「リーダーを発掘・育成するための事業」 names 「【リーダーの発掘・育成】」: all its words.
    words = view.phrase_tokens(title) - lexicon().question_words
    asked = set(query.tokens)
    return len(words) >= 2 and words <= asked


def _cue_labels(query: Query) -> list[str]:
    """What the question asks by its cue (方法 for どのように, 理由 for なぜ: lexicon row_labels_for)."""
    lex = lexicon()
    return [label for cue, labels in lex.row_labels_for.items() if lex.cue(cue).search(query.normalized) for label in labels]


def _names_by_cue(query: Query, title: str, labels: list[str] | None = None) -> bool:
    """「審査はどのように行われる？」 names 「審査の方法」: the heading is what the question asks
    (方法 for どのように, 理由 for なぜ) of a subject the question names."""
    question = compact(query.normalized)
    for label in _cue_labels(query) if labels is None else labels:
        subject = title[: -len(label)].removesuffix("の") if title.endswith(label) else ""
        if len(subject) >= 2 and subject in question:
            return True
    return False


def body(st: Statement, view: DocumentView, limit: int) -> list[Statement]:
    """The statements under a heading, up to the next heading of the same or a higher rank."""
    own = classify_heading(st.text)
    rank = own.rank if own else 99
    out: list[Statement] = []
    for f in view.following(st, limit * 3):
        if _heading_like(f):
            heading = classify_heading(f.text)
            if heading is None or heading.rank <= rank:
                break
        out.append(f)
        if len(out) >= limit:
            break
    return out


def named_section(query: Query, scope: Scope, view: DocumentView) -> tuple[Statement, list[Statement]] | None:
    """The heading the question names, with what stands under it, when that is prose (a section
    made of sub-headings is a list: the list strategies answer it)."""
    if query.answer_type in VALUE_TYPES or query.yes_no:
        return None
    top = scope.statements[:CANDIDATES]
    # 「審査はどのように行われる？」: the statements found stand under 「８ 審査方法」, which the
    # question names by what it asks; the heading itself shares few words with it.
    labels = _cue_labels(query)
    enclosing = [h for h in (enclosing_heading(st, view) for st in top) if h is not None
                 and _names_by_cue(query, heading_title(h.text), labels)] if labels else []
    for st in [*top, *enclosing]:
        if st in enclosing or names_section(query, st, view):
            under = body(st, view, view.cfg.section_statements)
            if not under or sum(_heading_like(u) for u in body(st, view, 4 * view.cfg.section_statements)) >= 2:
                continue
            return st, under
    return None


def enclosing_heading(st: Statement, view: DocumentView) -> Statement | None:
    """The heading a statement stands under (the last one before it), or None."""
    source = st.chunk.source
    before = [h for h in view.headings[source] if h.start <= st.start]
    if not before:
        return None
    h = max(before, key=lambda h: h.start)
    return view.statement(source, Segment(h.start, h.end, "heading"), st.rank)


def asked_part(query: Query, st: Statement, view: DocumentView) -> list[Statement]:
    """「『運営力強化』の具体的な取組は？」: the named section's sub-heading that names what is
    asked (【具体的な取組】), with the items it introduces; [] when there is none."""
    noun = query.asked_noun
    if not noun or st.segment.kind != "heading":
        return []
    source = st.chunk.source
    headings = view.headings[source]
    text = view.documents[source].text
    own = next((i for i, h in enumerate(headings) if h.start == st.start), None)
    if own is None:
        return []
    for kid in children(headings, own):
        title = text[kid.start : kid.end]
        if noun in compact(title) or noun in view.phrase_tokens(title):
            part = view.statement(source, Segment(kid.start, kid.end, "heading"), st.rank)
            items = view.list_after(part)
            if len(items) >= 2:
                return [part, *items]
    return []


SHEET_ROWS = 16  # rows read under a heading to find the one a two-column sheet labels as asked
VERDICT_CHARS = 8  # a row's value this short (「見直し」「Ｄ」) is a verdict, read with the row after it


def asked_row(query: Query, st: Statement, view: DocumentView) -> list[Statement]:
    """「…が廃止されるのはなぜ？」 under 「事業7 …」 whose lines are a sheet of 「label | value」
    rows (事業名, 目的, 評価, 評価理由, 今後の方向性): the rows whose label the question's cue
    names (理由 for なぜ, 今後/方向性 for これから); a short verdict (「見直し」) with the row
    after it, which says how. [] when the section is no such sheet or no label is named."""
    lex = lexicon()
    wanted = [w for cue, words in lex.row_labels_for.items() if lex.cue(cue).search(query.normalized) for w in words]
    if not wanted:
        return []
    rows = [f for f in body(st, view, SHEET_ROWS) if f.segment.kind == "table"]
    cells = [f.text.split("\t") for f in rows]
    if len(rows) < 3 or any(len(c) != 2 for c in cells):
        return []
    out: list[Statement] = []
    for i, (row, (label, value)) in enumerate(zip(rows, cells)):
        if any(w in label for w in wanted):
            out.append(row)
            if len(compact(value)) <= VERDICT_CHARS and i + 1 < len(rows) and rows[i + 1] not in out:
                out.append(rows[i + 1])
    return out


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    found = named_section(query, scope, view)
    if found is None:
        return None
    st, under = found
    row = asked_row(query, st, view)
    if row:
        picker = Picker(len(row) + 1)
        for item in [st, *row]:
            picker.add(item)
        return Selection(picker.chosen, NAME, f"見出し「{st.text.strip()[:30]}」の下の表で、尋ねられた項目「{row[0].text.split(chr(9))[0].strip()[:12]}」の行で答えました。")
    part = asked_part(query, st, view)
    if part:
        picker = Picker(view.cfg.list_items + 2)
        for item in [st, *part]:
            picker.add(item)
        return Selection(picker.chosen, NAME, f"見出し「{st.text.strip()[:30]}」の下の「{part[0].text.strip()[:20]}」の項目で答えました。")
    picker = Picker(view.cfg.section_statements + 1)
    for item in [st, *under]:
        picker.add(item)
    return Selection(picker.chosen, NAME, f"見出し「{st.text.strip()[:30]}」の下に書かれた内容で答えました。")
