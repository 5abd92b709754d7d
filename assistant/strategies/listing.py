"""「…を挙げてください」: the list that answers, chosen among candidates — matching sibling
headings, the items after an introducer, a named heading's sub-headings, the sub-headings
of the section the question names. Each is scored by how well its items (with what
introduces them) cover the question, and whether it has the asked or announced count."""

from __future__ import annotations

import re

from assistant.chunking import HeadingLine, children, classify_heading
from assistant.docview import DocumentView, Segment, Statement, item_number, labelled_number, numbering_run
from assistant.evidence import Evidence, continues_paragraph
from assistant.lexicon import lexicon
from assistant.query import QUOTED, Query
from assistant.strategies.section import named_section
from assistant.strategies.base import Picker, Scope, Selection
from assistant.strategies.picking import NUMBERED_ITEM
from assistant.text import compact, nfkc, table_cells
from assistant.types import Passage
from assistant.values import announcements

NAME = "list"
INTRODUCER_WINDOW = 5  # the best statements that may introduce the list
SHORT_INTRODUCER = 20  # a short line without 。 may be a list's title
OUTLINE_DOCUMENTS = 3  # documents whose outline is searched for the named section
SIZE_BONUS_ITEMS = 6
TABLE_ROWS = 40  # rows read under a header row that names the asked noun
HEADER_CELL_CHARS = 8  # a column name is short
INLINE_ITEMS = 3  # things named on one line, 、 between them, that make a list
INLINE_ITEM_CHARS = 20  # each a name, not a clause
ANNOUNCEMENT_TAIL = 14  # characters after 「5つの約束」 to the end of an announcing sentence


def announcing(text: str) -> list[tuple[int, str]]:
    """(count, noun) of the lists a line announces. In prose the announcement closes its
    sentence (「…5つの約束を定めます。」) or says 「次の」; 「5つの基本目標の全てに関連し、…」 only
    mentions them."""
    plain = nfkc(text).strip()
    return [(n, noun) for n, noun in announcements(plain)
            if "。" not in plain or f"次の{n}" in plain or f"以下の{n}" in plain
            or len(plain) - (plain.find(noun) + len(noun)) <= ANNOUNCEMENT_TAIL]


def _is_title(view: DocumentView, source: str, start: int, end: int) -> bool:
    """The document's own title as a heading: its sections are the table of contents, which
    answers no question about what the document says."""
    headings = view.headings[source]
    text = compact(view.documents[source].text[start:end]).lstrip("#")
    title = compact(view.documents[source].title)
    first = bool(headings) and headings[0].start <= start < headings[0].end + 1 and (
        sum(h.rank == headings[0].rank for h in headings) == 1)
    return bool(text) and (text == title or title in text or first)


def from_outline(query: Query, evidence: Evidence, passages: list[Passage], view: DocumentView) -> list[Statement]:
    """The sub-headings of the section the question names."""
    cfg = view.cfg
    best: tuple[float, str, int] | None = None
    sources = list(dict.fromkeys(p.chunk.source for p in passages[:OUTLINE_DOCUMENTS]))
    for rank, source in enumerate(sources):
        headings = view.headings[source]
        for i, h in enumerate(headings):
            kids = children(headings, i)
            if len(kids) < 2 or _is_title(view, source, h.start, h.end):
                continue
            cov = evidence.coverage(view.title_tokens[source] | view.heading_tokens(source, h))
            if cov < cfg.outline_coverage:
                continue
            # The right section's items echo the question too (基本方針1, 基本方針2, …).
            kid_cov = sum(evidence.coverage(view.heading_tokens(source, k)) for k in kids) / len(kids)
            key = (
                cov + cfg.outline_child_weight * kid_cov - cfg.outline_rank_penalty * rank
                + (cfg.outline_count_bonus if query.wanted_count == len(kids) else 0.0)
            )
            if best is None or key > best[0]:
                best = (key, source, i)
    if best is None:
        return []
    _, source, i = best
    kids: list[HeadingLine] = children(view.headings[source], i)
    items = [view.statement(source, Segment(h.start, h.end, "heading"), 0) for h in kids]
    # Numbered lists under one heading (a 要綱's articles are not headings): the list of the
    # item that echoes the question most.
    echo = max(items, key=lambda it: evidence.coverage(view.heading_tokens(source, kids[items.index(it)])))
    return numbering_run(items, echo.start)[: cfg.list_items]


def _header_names(query: Query, st: Statement) -> bool:
    """A table's header row whose first column names what is asked (「審査項目 | 主な視点」 for
    「審査項目は？」, 「基本目標 | 内容」 for 「基本目標は何がある？」): its rows are the items."""
    cells = table_cells(st.text)
    if st.segment.kind != "table" or st.segment.header is not None or len(cells) < 2:
        return False  # a body row (「自治会加入率 | 66.1% | …」) has its header; the header has none
    first = compact(nfkc(cells[0]))
    if len(first) > HEADER_CELL_CHARS or any(c.isdigit() for c in first):
        return False  # a column's name, not a row's content (「事業15 中間支援組織による支援」)
    asked = [compact(f.text) for f in query.focus if not f.frame] + ([query.asked_noun] if query.asked_noun else [])
    return any(len(a) >= 2 and first.endswith(a) for a in asked)  # 「基本目標」 for 「目標」, not 「項目」 for 「審査項目」


def _one_of_them_asked(query: Query, items: list[Statement]) -> bool:
    """The question quotes the name of exactly one of the items (「「デジタルでつながる協働」の
    内容を教えて」 over the list of three projects) and does not ask which ones: it asks about
    that one, not for the list."""
    if query.asks_which or query.wanted_count or len(items) < 2:
        return False
    question = compact(query.normalized)
    # 「基本方針3にはどんな施策？」 over the list 「・基本方針1 …」「・基本方針2 …」「・基本方針3 …」:
    # the one numbered as asked is what the question is about.
    # (Table rows 「基本目標２ | （1）… （2）…」 hold their own items: the rows answer.)
    labels = [labelled_number(it.text) for it in items]
    if all(labels) and all(it.segment.kind != "table" for it in items) and sum(
            f"{lb[0]}{lb[1]}" in question for lb in labels if lb) == 1:
        return True
    quoted = QUOTED.findall(query.normalized)
    if len(quoted) != 1:
        return False
    name = compact(quoted[0])
    return sum(name in compact(it.text) for it in items) == 1


def _after_lead(query: Query, heading: Statement, view: DocumentView) -> list[Statement]:
    """「施策の方向(3) 若い世代の参画促進」, one sentence saying what it is for, then 「・…の開催」
    「・…の実施」: the bullet run after the lead sentence is the heading's list. (A lead sentence
    naming what the question asks and the heading does not, 「登録すると…などの特典があります。」,
    answers itself: the bullets after it say other things.)"""
    if heading.segment.kind != "heading":
        return []
    lead = view.following(heading, 1)
    if not lead or lead[0].segment.kind != "text" or _marked_item(lead[0], view):
        return []
    said, titled = compact(lead[0].text), compact(heading.text)
    if any(f.text in said and f.text not in titled for f in query.focus):
        return []
    items = view.list_after(lead[0])
    return items if all(_marked_item(it, view) for it in items) else []


def _marked_item(st: Statement, view: DocumentView) -> bool:
    """A line led by a list mark (「・」「●」) the statement leaves out."""
    text = view.documents[st.chunk.source].text
    head = text[text.rfind("\n", 0, st.start) + 1 : st.start].strip()
    return 0 < len(head) <= 2 and bool(re.fullmatch(rf"[{re.escape(lexicon().bullets)}]+", head))


def _under_numbered_heading(query: Query, items: list[Statement], view: DocumentView) -> Selection | None:
    """The heading of the listed items' document numbered as the question asks (「基本方針3」),
    with the headings under it, when it has two at least."""
    question = compact(query.normalized)
    asked = [lb for lb in (labelled_number(it.text) for it in items) if lb and f"{lb[0]}{lb[1]}" in question]
    if len(asked) != 1:
        return None
    source = items[0].chunk.source
    text = view.documents[source].text
    headings = view.headings[source]
    for i, h in enumerate(headings):
        if labelled_number(text[h.start : h.end]) != asked[0]:
            continue
        heading = view.statement(source, Segment(h.start, h.end, "heading"), items[0].rank)
        # Its sub-headings; or, where the outline reads them at its own rank, the headings after
        # it up to the next one of its kind (「基本方針4」) or one above it.
        kids = view.sub_headings(heading)
        if not kids:
            for after in headings[i + 1 :]:
                label = labelled_number(text[after.start : after.end])
                if after.rank < h.rank or (label and label[0] == asked[0][0]):
                    break
                if not re.fullmatch(r"[【\[［].*[】\]］]", text[after.start : after.end].strip()):  # (not a 【具体的な取組】 label)
                    kids.append(view.statement(source, Segment(after.start, after.end, "heading"), items[0].rank))
        if len(kids) >= 2:
            picker = Picker(view.cfg.max_statements)
            for st in [heading, *kids]:
                picker.add(st, view.cfg.list_items)
            return Selection(picker.chosen, NAME, f"見出し「{heading.text.strip()[:30]}」の下位の見出しで答えました。")
    return None


def _most_named_heading(query: Query, items: list[Statement], view: DocumentView, need_items: bool = True) -> list[Statement]:
    """「どんな事業が対象？」 over the headings 「２ 対象となる団体」「３ 対象となる事業」…; 「予約方法には
    何がある？」 over 「(1) 予約の受付開始」「(2) 予約の方法」: the one heading sharing the most of the
    question's words, clearly more than any other, with items under it (unless not `need_items`),
    is what is asked."""
    if len(items) < 2 or any(it.segment.kind != "heading" for it in items):
        return []
    if query.asks_which or query.wanted_count:
        return []  # 「基本方針を全部挙げて」「３つの柱は？」: the headings are the list asked for
    # The words of what is asked, not of the subject it is asked about (「むらづくり協働事業補助金
    # では」 names the guideline all the headings belong to).
    rest = query.normalized
    for phrase in sorted({f.text for f in query.focus} | set(query.cities), key=len, reverse=True):
        rest = rest.replace(phrase, "、")
    asked = view.phrase_tokens(rest) - lexicon().question_words
    shared = sorted(((len(view.phrase_tokens(it.text) & asked), i) for i, it in enumerate(items)), reverse=True)
    (best, i), (second, _) = shared[0], shared[1]
    if best < view.cfg.named_heading_words or best <= second:
        return []
    if not need_items:
        return [items[i]]
    under = view.list_after(items[i]) or _rows_below(items[i], view)
    return [items[i]] if len(under) >= 2 else []


def _rows_below(heading: Statement, view: DocumentView) -> list[Statement]:
    """The rows of a table right under a heading, its header row left out (「|区分|対象|…|」)."""
    first = view.following(heading, 1)
    if not first or first[0].segment.kind != "table":
        return []
    rows = table_rows_under(first[0], view)
    return rows if len(rows) >= 2 else []


def _announced_rows(heading: Statement, view: DocumentView) -> list[Statement]:
    """「2 協働の基本原則」 over 「次の６つの原則を大切にします。」 and a table of six rows: the
    rows the sentence announces, when the table holds as many."""
    after = view.following(heading, 2)
    if len(after) < 2 or after[0].segment.kind != "text" or after[1].segment.kind != "table":
        return []
    said = announcing(after[0].text)
    rows = table_rows_under(after[1], view)
    return rows if said and said[0][0] == len(rows) >= 2 else []


def _sentences_under(heading: Statement, view: DocumentView) -> list[Statement]:
    """「（２）課題」 over one short paragraph per point (a list written without marks): its
    sentences down to the next heading, when each paragraph is one sentence."""
    out: list[Statement] = []
    for st in view.following(heading, view.cfg.list_items + 1):
        if st.segment.kind != "text" or st.chunk.source != heading.chunk.source:
            break
        out.append(st)
    if len(out) < 2 or len(out) > view.cfg.list_items:
        return []
    text = view.documents[heading.chunk.source].text
    if any(continues_paragraph(text, a.segment, b.segment) for a, b in zip(out, out[1:])):
        return []  # one paragraph of prose, not points
    return out


def table_rows_under(st: Statement, view: DocumentView) -> list[Statement]:
    """The rows after a header row, to the end of its table."""
    rows = []
    for row in view.following(st, TABLE_ROWS):
        if row.segment.kind != "table":
            break
        rows.append(row)
    return rows


def best_list(query: Query, scope: Scope, view: DocumentView) -> list[Statement]:
    statements, evidence, cfg = scope.statements, scope.evidence, view.cfg
    if not statements:
        return []
    best = statements[0].score
    candidates: list[tuple[list[Statement], frozenset[str], int | None]] = []

    groups: dict[tuple[str, int, str], list[Statement]] = {}
    for st in statements:
        heading = classify_heading(st.text) if st.segment.kind == "heading" else None
        if heading and st.score >= cfg.list_group_floor * best:
            # Siblings share their parent: 「（１）スタートアップ部門」 and 「（１）営利を目的とする
            # 事業」 are both (1)s, of two different lists.
            parent = view.section_at(st.chunk.source, st.start).rsplit(" > ", 1)[0]
            groups.setdefault((st.chunk.source, heading.rank, parent), []).append(st)
    for (source, rank, _), group in groups.items():
        group = numbering_run(group, group[0].start)  # the best item's list, not all (1)s
        if len(group) >= 2:
            candidates.append((sorted(group, key=lambda st: st.start), frozenset(), None))
            full = view.all_siblings(source, rank, group, evidence.terms)
            if len(full) > len(group):
                candidates.append((full, frozenset(), None))
    introduces = lexicon().introduces_list
    excluded = bool(lexicon().cue("asks_excluded").search(query.normalized))
    for st in statements[:INTRODUCER_WINDOW]:
        # A count that does not close its sentence introduces nothing (see `announcing`).
        mentions_only = bool(announcements(nfkc(st.text))) and not announcing(st.text)
        is_intro = st.segment.kind == "heading" or (introduces.search(st.text) and not mentions_only) or (
            len(st.text) <= SHORT_INTRODUCER and "。" not in st.text and not _marked_item(st, view)
        )  # (a bulleted 「・中高生ワークショップの開催」 is the list's first item, not what introduces it)
        # 「次に掲げる経費は、補助対象経費としない。」: what a rule excludes is introduced in words
        # the question does not use, and its items follow.
        says_excluded = excluded and lexicon().is_negative(st.text)
        if says_excluded or (is_intro and st.score >= cfg.list_intro_floor * best):
            intro = view.context_tokens(st)
            # 「5つの役割を期待しています」 announces how many items follow.
            announced = announcing(st.text)
            if st.segment.kind == "heading" and _is_title(view, st.chunk.source, st.start, st.end):
                continue
            candidates.append((view.list_after(st) or _after_lead(query, st, view), intro, announced[0][0] if announced else None))
            if st.segment.kind == "heading":
                candidates.append((view.sub_headings(st), intro, None))
                rows = _announced_rows(st, view)
                if rows:
                    candidates.append((rows, intro, len(rows)))
    for st in statements[:INTRODUCER_WINDOW]:
        if _header_names(query, st) and st.score >= cfg.list_intro_floor * best:
            candidates.append((table_rows_under(st, view), view.context_tokens(st), None))
    candidates.append((from_outline(query, evidence, scope.passages, view), frozenset(), None))


    def quality(items: list[Statement], intro: frozenset[str], announced: int | None) -> float:
        cover = sum(evidence.coverage(view.context_tokens(it) | intro) for it in items) / len(items)
        count_fits = (query.wanted_count or announced) == len(items)
        # 「対象にならない経費」 is the list a rule introduces as excluded, not the one before it.
        polarity = cfg.list_polarity_bonus if introduced_as_excluded(items, view) == excluded else 0.0
        return (cover + (cfg.list_count_bonus if count_fits else 0.0) + cfg.list_size_bonus * min(len(items), SIZE_BONUS_ITEMS)
                + polarity)

    def is_list(items: list[Statement]) -> bool:
        # Items that repeat one text (「【主な取組】」 under each heading) are labels, not a list.
        texts = [compact(it.text) for it in items]
        return len(items) >= 2 and len(set(texts)) == len(texts)

    scored = [(quality(*candidate), candidate[0]) for candidate in candidates if is_list(candidate[0])]
    return max(scored, key=lambda t: t[0])[1] if scored else []


EXCLUSION_LEAD = 2  # lines before a list's first item that may introduce it


def introduced_as_excluded(items: list[Statement], view: DocumentView) -> bool:
    """Whether a list is introduced as what a rule excludes (「次に掲げる経費は、補助対象経費と
    しない。」, 「（対象外経費）」), by the lines just before it or its section."""
    if not items:
        return False
    first = min(items, key=lambda it: it.start)
    lead = [view.section_at(first.chunk.source, first.start), *(st.text for st in view.preceding(first, EXCLUSION_LEAD))]
    return any(lexicon().is_negative(text) for text in lead)


def announced_in_answer(query: Query, scope: Scope, view: DocumentView) -> str | None:
    """「大事にしている約束って？」 asks for a list when a statement found announces how many
    of the asked noun there are (「指針で大事にする5つの約束」「課題を次の4点に整理」): the
    introducing statement, or None."""
    noun = query.asked_noun
    if query.answer_type != "other" or query.yes_no or query.facets or not noun or not scope.statements:
        return None
    best = scope.statements[0].score
    for st in scope.statements[:INTRODUCER_WINDOW]:
        if st.score < view.cfg.list_intro_floor * best:
            continue
        # The announcing line, or a heading above it (「3つの柱」 over 「柱2 …」).
        for text in (st.text, *reversed(st.chunk.section.split(" > "))):
            for _, counted in announcing(text):
                if counted.endswith(noun) or (len(counted) >= 2 and noun.endswith(counted)):
                    return text
    return None


_QUOTED_NAME = re.compile(r"「([^「」]{2,30})」")


def names_inline(query: Query, scope: Scope, view: DocumentView) -> Statement | None:
    """A sentence that counts the asked things and names each in quotes (「…「テーマ設定型」と、
    …「自由提案型」の２つの区分で実施しています」): the list is the sentence itself."""
    noun = query.asked_noun
    best = scope.statements[0].score if scope.statements else 0.0
    for st in scope.statements[:INTRODUCER_WINDOW]:
        if st.score < view.cfg.list_intro_floor * best:
            continue
        names = set(_QUOTED_NAME.findall(st.text))
        for count, counted in announcements(nfkc(st.text)):
            if count >= 2 and len(names) == count and noun and (counted.endswith(noun) or noun.endswith(counted)):
                return st
    return None


_INLINE_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_INLINE_SPLIT = re.compile(r"[／/]")


def inline_count(text: str) -> int:
    """How many items a line enumerates in itself: 「①対等の原則　②相互理解の原則　③…」 (circled
    numbers from ①, in order) or 「5つの原則：対等／相互理解／…」 (after a colon, slashes)."""
    marks = [c for c in text if c in _INLINE_MARKS]
    if len(marks) >= 3 and marks == list(_INLINE_MARKS[: len(marks)]) and not text.lstrip().startswith(tuple(_INLINE_MARKS[1:])):
        return len(marks)
    head, colon, rest = nfkc(text).partition(":")
    if colon and "。" not in rest:
        parts = [p for p in _INLINE_SPLIT.split(rest) if p.strip()]
        if len(parts) >= 3:
            return len(parts)
    return 0


def enumerated_inline(query: Query, scope: Scope, view: DocumentView) -> list[Statement]:
    """「５つの原則って何？」 where one line enumerates them (「①対等の原則　②相互理解の原則…」)
    after a sentence announcing them (「次の５つの原則を大切にします。」), or announces and
    enumerates them at once (「5つの原則：対等／相互理解／…」): that line is the list."""
    noun = query.asked_noun
    if not noun or not scope.statements:
        return []
    best = scope.statements[0].score
    for st in scope.statements[:INTRODUCER_WINDOW]:
        if st.score < view.cfg.list_intro_floor * best:
            continue
        n = inline_count(st.text)
        if n < 3 or (query.wanted_count and query.wanted_count != n):
            continue
        before = view.preceding(st, 1)
        for intro in [st, *before]:
            if any(count == n and (counted.endswith(noun) or noun.endswith(counted)) for count, counted in announcements(nfkc(intro.text))):
                return [st] if intro is st else [intro, st]
    return []


def _about_focus(query: Query, items: list[Statement], view: DocumentView) -> bool:
    """Whether the list names what the question is about: a focus phrase (of those the documents
    use) stands in an item, in the section path above it, or in its document's title."""
    focus = [compact(f.text) for f in query.focus if not f.frame and len(f.text) >= 3]
    focus = [f for f in focus if view.mentions(f)]
    if not focus:
        return True
    for it in items:
        source = it.chunk.source
        header = view.text_of(source, Segment(*it.segment.header, "table")) if it.segment.header else ""
        context = compact(it.text + header + view.section_at(source, it.start) + view.documents[source].title)
        if any(f in context for f in focus):
            return True
    return False


def _inline_items(text: str) -> bool:
    """A line naming several things, not a sentence: 「プロジェクター、スクリーン、ホワイトボード」."""
    plain = text.strip()
    parts = [p for p in re.split(r"[、,，・]", plain) if p.strip()]
    return "。" not in plain and len(parts) >= INLINE_ITEMS and max(len(p) for p in parts) <= INLINE_ITEM_CHARS


def named_heading_items(query: Query, scope: Scope, view: DocumentView) -> list[Statement]:
    """「対象外経費を教えて」 where a heading found is the asked thing (「６ 補助対象外経費」: it
    ends with the asked noun and holds a focus phrase): its numbered items ((1), (2), … below
    it), not the headings beside it."""
    noun = query.asked_noun
    focus = [compact(f.text) for f in query.focus if not f.frame and len(f.text) >= 3]
    if not noun or not focus or not scope.statements:
        return []
    best = scope.statements[0].score
    for st in scope.statements[:INTRODUCER_WINDOW]:
        if st.segment.kind != "heading" or st.score < view.cfg.list_intro_floor * best:
            continue
        name = compact(st.text)
        if not name.endswith(noun) or not any(f in name for f in focus) or _is_title(view, st.chunk.source, st.start, st.end):
            continue
        items = view.sub_headings(st) or view.list_after(st)
        if len(items) >= 2 and all(NUMBERED_ITEM.match(it.text) for it in items):
            return items
    return []


# A heading's own number or mark (「３　」「第３　」「(2)」「Ⅱ」「【」), set aside to read its name.
_HEADING_NUMBER = re.compile(r"^(?:第?[0-9]+[章節条項]?|[(（][0-9]+[)）]|[\u2160-\u216f]+|[①-⑳])?[\s.．、:：]*[【〔［]?")


def asked_heading_items(query: Query, scope: Scope, view: DocumentView) -> tuple[str, list[Statement]] | None:
    """「第２回の議題を教えて」 over a 会議録 whose 「３　議題」 heads (1)…(4): a heading that is the
    asked thing itself (its name, once its number is set aside, is the asked noun or the
    question's own phrase ending in it), or headings labelled with it (【議事(1)…】), in the
    documents the best passages come from (the first that has one). The items, and how they
    were found (for the trace)."""
    noun = query.asked_noun
    if not noun:
        return None
    asked = compact(query.normalized)
    sources = list(dict.fromkeys(p.chunk.source for p in scope.passages))[:OUTLINE_DOCUMENTS]
    for source in sources:
        labelled = _labelled_by(noun, source, view)
        if labelled:
            return f"「{noun}」と番号の付いた見出し", labelled
        text = view.documents[source].text
        found = []
        for h in view.headings[source]:
            name = _HEADING_NUMBER.sub("", compact(text[h.start : h.end])).rstrip("】〕］")
            if name == noun or (len(name) > len(noun) and name.endswith(noun) and name in asked):
                found.append(h)
        if len({compact(text[h.start : h.end]) for h in found}) != 1:
            continue  # none, or several (each meeting's 「議題」): not this document's one
        heading = view.statement(source, Segment(found[0].start, found[0].end, "heading"), 0)
        items = _numbered_within(heading, view) or view.sub_headings(heading) or view.list_after(heading)
        named = [it for it in items if compact(it.text).endswith(noun)]
        if len(named) == 1:
            # 「予約方法」 over (1) 受付開始 (2) 予約の方法 (3) キャンセル: the one named for the
            # asked thing again holds its items.
            under = view.list_after(named[0]) or _rows_below(named[0], view)
            heading, items = (named[0], under) if len(under) >= 2 else (heading, items)
        if len(items) >= 2 and len({compact(it.text) for it in items}) == len(items):
            return f"見出し「{heading.text.strip()[:30]}」の下", items
    return None


_ITEM_LABEL = re.compile(r"^\D{0,6}?[0-9]+[\s.．、:：)）]*")


def _names_one_item(query: Query, items: list[Statement]) -> bool:
    """「空き家を活用した…居場所づくりって、どんな協働事例？」 over 事例１ 事例２ 事例３: the
    question names one item (its name without the label), so asks about that one."""
    asked = compact(query.normalized)
    names = [_ITEM_LABEL.sub("", compact(_HEADING_NUMBER.sub("", it.text.strip()))).strip("【】") for it in items]
    return sum(len(n) >= 4 and n in asked for n in names) == 1


def _labelled_by(noun: str, source: str, view: DocumentView) -> list[Statement]:
    """Headings that carry the asked noun as their label, numbered from 1 (「【議事(1)　…】」
    「【議事(2)　…】」): each is one of the asked items."""
    text = view.documents[source].text
    label = re.compile(rf"^[【〔［]?{re.escape(noun)}\s*[(（]?([0-9]+)[)）]?")
    items = [
        view.statement(source, Segment(h.start, h.end, "heading"), 0)
        for h in view.headings[source] if label.match(nfkc(text[h.start : h.end]).strip())
    ]
    numbers = [int(label.match(nfkc(st.text).strip()).group(1)) for st in items]  # type: ignore[union-attr]
    if len(items) < 2 or numbers[0] != 1 or numbers != sorted(set(numbers)):
        return []  # not one run from 1 (two meetings' agendas in one record)
    return items[: view.cfg.list_items]


def _numbered_within(heading: Statement, view: DocumentView) -> list[Statement]:
    """The numbered headings ((1)(2)(3), ①②③) in a heading's section, from the first: a 会議録's
    「３　議題」 numbers its items, while 【事務局説明】【主な意見】 between them nest the outline."""
    source = heading.chunk.source
    headings = view.headings[source]
    i = next((j for j, h in enumerate(headings) if h.start == heading.start), None)
    if i is None:
        return []
    inside: list[Statement] = []
    for h in headings[i + 1 :]:
        if h.rank <= headings[i].rank:
            break
        st = view.statement(source, Segment(h.start, h.end, "heading"), heading.rank)
        if item_number(st.text) is not None:
            inside.append(st)
    if not inside or item_number(inside[0].text) != 1:
        return []
    run = numbering_run(inside, inside[0].start)
    return run[: view.cfg.list_items] if len(run) >= 2 else []


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    announced_by = None
    if query.answer_type != "list":
        announced_by = announced_in_answer(query, scope, view)
        if announced_by is None:
            return None
    inline = names_inline(query, scope, view)
    enumerated = enumerated_inline(query, scope, view) if inline is None else []
    if enumerated:
        return Selection(enumerated, NAME, "数を示す一覧が一行に並んでいます。")
    named = None if announced_by else named_section(query, scope, view)
    if named is not None and not any(f.text in view.text_of(named[0].chunk.source, s.segment) for s in named[1] for f in query.focus):
        # 「基本理念を教えて」 names a section of prose: what stands under it answers, not a list.
        return None
    items = named_heading_items(query, scope, view)
    asked = None if items or inline is not None or query.facets or query.part else asked_heading_items(query, scope, view)
    if asked is not None and _about_focus(query, asked[1], view) and not _names_one_item(query, asked[1]):
        picker = Picker(view.cfg.max_statements)
        for st in asked[1]:
            picker.add(st, view.cfg.list_items)
        return Selection(picker.chosen, NAME, f"{asked[0]}の{len(picker.chosen)}項目を挙げました。")
    items = items or best_list(query, scope, view)
    if inline is not None and len(items) != len(set(_QUOTED_NAME.findall(inline.text))):
        # No list of that many items elsewhere (the headings 「基本方針1 協働のための人づくり」…
        # would be): the sentence's own names are the list.
        return Selection([inline], NAME, "数を示す文が、その項目を文中で挙げています。")
    if not items:
        return None
    if not _about_focus(query, items, view):
        return None  # a list found near the subject, about something else (the next section's headings)
    if _one_of_them_asked(query, items):
        # 「重点プロジェクト「デジタルでつながる協働」の内容は？」: that one's own text answers;
        # 「基本方針3にはどんな施策？」, where a heading of the document carries the number asked,
        # by the headings under it.
        return _under_numbered_heading(query, items, view)
    # 「課題はどんなこと？」 answered by the headings 「成果」「課題」 (「柱1では？」 by 柱1, 柱2, 柱3):
    # the named heading's items answer.
    def names(it: Statement) -> bool:
        label = labelled_number(it.text)  # 「柱1ではどんな取組？」 names 「柱1　集落の…」
        return bool(label and f"{label[0]}{label[1]}" in compact(query.normalized)) or bool(
            query.asked_noun and compact(it.text).endswith(query.asked_noun))

    named_items = [it for it in items if it.segment.kind == "heading" and names(it)]
    most_named = False
    if len(named_items) != 1:
        named_items = _most_named_heading(query, items, view, need_items=False)
        most_named = bool(named_items)
    inline = False
    under_heading = None  # the heading whose items answer, instead of the list of headings
    if len(named_items) == 1:
        under = (view.list_after(named_items[0]) or _rows_below(named_items[0], view)
                 or _sentences_under(named_items[0], view) or view.following(named_items[0], 1))
        if len(under) >= 2:
            items, under_heading = under, named_items[0]
        elif under and _inline_items(under[0].text):
            # 「(4) 無料で貸し出す備品」 over one line 「プロジェクター、スクリーン、…」: the line is the list.
            items, inline = [named_items[0], under[0]], True
        elif most_named and under and under[0].segment.kind != "heading":
            # 「どんな活動をするの？」 over 「(3) …が取り組む活動の例」 with prose under it: that
            # section's text answers, not the list of its sibling headings.
            return None
    picker = Picker(view.cfg.max_statements)
    for st in items:
        picker.add(st, view.cfg.list_items)
    if inline:
        return Selection(picker.chosen, NAME, f"見出し「{named_items[0].text.strip()[:30]}」の下の一行に並ぶ項目で答えました。")
    why = f"「{announced_by}」が数を示す一覧として、" if announced_by else "一覧として"
    if under_heading is not None:
        why = f"見出し「{under_heading.text.strip()[:30]}」の下の{why}"
    return Selection(picker.chosen, NAME, f"{why}{len(picker.chosen)}項目を挙げました。")
