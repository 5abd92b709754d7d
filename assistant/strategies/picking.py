"""The best statements, and what belongs with them: the default way of answering.

The best statement first; after a heading, or for a list or a definition, the lines that
follow it; a table row's header row (it says what the numbers mean); a value continued on
the next short line; other statements nearly as good (from another document only when
about as good); and each statement's 「■」 detail lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.dates import asked_years
from assistant.docview import DocumentView, Segment, Statement
from assistant.lexicon import lexicon
from assistant.query import VALUE_TYPES, Query
from assistant.strategies.base import Picker, Scope
from assistant.strategies.replies import asks
from assistant.text import compact, nfkc
from assistant.values import durations

VALUE_LINES = 3  # next lines that may continue a value (「１地域あたり１００万円を上限」)
FOLLOWING_LINES = 2  # lines quoted after a heading or an introducing sentence
ANNOUNCED_LINES = 4  # unbulleted lines read after 「次の３つの…があります。」
# 「（７）交付決定前に支出した経費」「② …」「3. …」: an item numbered in its own text.
NUMBERED_ITEM = re.compile(r"\s*(?:[（(]\s*\d+\s*[）)]|[①-⑳]|\d+\s*[.．)）](?!\d))")  # raw text: NFKC turns ① into 1
LABEL_CHARS = 20  # a label announcing items is short (「【主な取組】」); a longer line says something


def _is_header_of(st: Statement, rows: list[Statement]) -> bool:
    return any(r.segment.header == (st.start, st.end) and r.chunk.source == st.chunk.source for r in rows)


def pick(query: Query, scope: Scope, view: DocumentView) -> list[Statement]:
    cfg = view.cfg
    kind = query.answer_type
    # A header row names the columns; a row under it, or any other statement, says something.
    statements = [st for st in scope.statements if not view.is_header_row(st)] or scope.statements
    top = statements[0]
    best = top.score
    # A descriptive question (「どんな取組」) is answered by a few statements, best first; a
    # value question by the statements holding the value.
    limit = cfg.max_statements if kind in VALUE_TYPES else cfg.descriptive_statements
    picker = Picker(limit)
    if kind not in VALUE_TYPES and _is_label(top):
        # 「【主な取組】」 says only that items follow: the items answer 「どんな取組」.
        items = view.list_after(top)
        if items:
            for f in items:
                picker.add(f, cfg.list_items)
            return _with_details(picker.chosen, view)
    run = announced_run(top, view) if kind not in VALUE_TYPES and top.segment.kind == "text" else []
    if run:
        # 「対象外の経費は？」 best matched by one item of 「主なものは次のとおりです。」's list: the
        # announcing sentence and every item answer, not the item and its neighbours by score.
        for f in run:
            picker.add(f, cfg.list_items + 1)
        return _with_details(picker.chosen, view)
    picker.add(top)
    announced = announced_items(top, view) if kind not in VALUE_TYPES and top.segment.kind == "text" else []
    if announced:
        # 「指針には、次の３つの基本方針があります。」「Ｑ４ …メリットは？」「Ａ 主に次のような
        # サービスを利用できます。」: the sentence says only that items follow; they answer with
        # it, bulleted or not.
        for f in announced:
            picker.add(f, cfg.list_items)
    elif top.segment.kind == "heading" or kind in ("list", "definition") or (kind not in VALUE_TYPES and echoes(top, query)):
        # A heading or an introducing sentence is followed by the actual content; for a list,
        # the run of items after it.
        items = view.list_after(top) if kind == "list" else []
        for f in items or view.following(top, FOLLOWING_LINES):
            if f.segment.kind != "heading" or items:
                picker.add(f, cfg.list_items if items else None)
    reason = reason_after(top, query, view)
    if reason is not None:
        picker.add(reason)
    for f in rest_of_paragraph(top, view):
        # 「A．『お助け隊』をご利用ください。」「『提案事業』があります。」: a short sentence
        # names the thing; the sentences going on in its paragraph say what it is.
        if kind not in VALUE_TYPES or scope.evidence.is_typed(f.segment, f.text):
            # The scored statement where there is one (a yes/no decider reads its strength).
            picker.add(next((st for st in statements if st.chunk.source == f.chunk.source and st.start == f.start), f))
    chosen = picker.chosen
    if top.segment.kind == "table" and top.segment.header:
        header = view.statement(top.chunk.source, Segment(*top.segment.header, "table"), top.rank)
        chosen.insert(0, header)  # the header row says what the numbers mean
    if kind in VALUE_TYPES:
        # Values often continue on the next short line (「１地域あたり１００万円を上限」).
        for f in view.following(top, VALUE_LINES):
            if scope.evidence.is_typed(f.segment, f.text) and len(f.text) <= cfg.value_line_chars:
                picker.add(f)
    floor = cfg.follow_floor * best
    for st in statements[1:]:
        if st.score < floor:
            break
        if kind in VALUE_TYPES and chosen[0].typed and not st.typed:
            continue  # once the value is found, more words about the topic only add noise
        if st.chunk.source != top.chunk.source and st.score < cfg.other_source_bar * best:
            continue  # another plan is cited only when it answers about as well
        if _is_label(st):
            continue  # another section's 「【主な取組】」 says nothing by itself
        picker.add(st)
    holds = [st.typed or scope.evidence.is_typed(st.segment, st.text) for st in chosen]
    if kind in VALUE_TYPES and any(holds):
        # The value was found: quote the statements that hold it (and a table's header row, which
        # says what the numbers mean), not the sentences around it.
        typed = [st for st, h in zip(chosen, holds) if h][: cfg.value_statements]
        if kind == "period":
            # The span first, then what agrees with it (a length found further down included).
            typed = consistent_periods(typed, statements[: cfg.strength_top])
            return _with_details(typed, view)
        chosen = [st for st in chosen if any(st is t for t in typed) or _is_header_of(st, typed)]
    return _with_details(chosen, view)


SPEAKER_LOOKBACK = 6  # sentences back to the start of a speaker's turn


def with_speakers(chosen: list[Statement], view: DocumentView) -> list[Statement]:
    """「…言ったのは誰」: a sentence said in a meeting, with the sentence that opens its turn
    (「○川端委員　企業の立場からすると…」「**野口委員**：…」), whose label names the speaker."""
    out: list[Statement] = []
    for st in chosen:
        opener = _turn_opener(st, view)
        if opener is not None and not any(opener.overlaps(c) for c in chosen + out):
            out.append(opener)
        out.append(st)
    return out


def _turn_opener(st: Statement, view: DocumentView) -> Statement | None:
    if st.segment.kind != "text":
        return None
    text = view.documents[st.chunk.source].text
    line_start = text.rfind("\n", 0, st.start) + 1
    if st.start <= line_start or not lexicon().speaker_label.match(nfkc(text[line_start : st.start])):
        return None  # the sentence opens its line (with its label, if any), or no one speaks
    opener = None
    for before in reversed(view.preceding(st, SPEAKER_LOOKBACK)):
        if before.end <= line_start:
            break
        opener = before  # the first sentence of the line (a 「○」 may stand apart before it)
    return opener


def rest_of_paragraph(top: Statement, view: DocumentView) -> list[Statement]:
    """The sentences after a short statement in its paragraph (at most FOLLOWING_LINES), when
    the statement alone is too short to say much."""
    if top.segment.kind != "text" or len(top.text.strip()) > view.cfg.short_statement_chars:
        return []
    return view.paragraph_after(top, FOLLOWING_LINES)


def _span(text: str) -> tuple[int, int] | None:
    years = asked_years(text)
    return (min(years), max(years)) if len(years) >= 2 and max(years) > min(years) else None


def consistent_periods(statements: list[Statement], found: Sequence[Statement] = ()) -> list[Statement]:
    """A period's statements that agree with the first one stating a span of years
    (「令和7年度～令和12年度」): another span, or a length that does not fit it (「前期3年間」
    beside six years), is about something else (an action plan, a phase). When none gives
    the length, a statement found with the same span and its length joins them."""
    if statements and not _span(nfkc(statements[0].text)):
        # 「いつからいつまで」: a statement giving both ends (「令和6年度から令和10年度まで」)
        # answers before one giving a start (「平成31年度からは…」).
        spanned = next((st for st in found if _span(nfkc(st.text))), None)
        if spanned is not None:
            statements = [spanned, *(st for st in statements if st is not spanned)]
    first = next((_span(nfkc(st.text)) for st in statements if _span(nfkc(st.text))), None)
    if first is None:
        return statements
    length = first[1] - first[0] + 1
    kept = []
    for st in statements:
        text = nfkc(st.text)
        span = _span(text)
        lengths = durations(text)
        years = asked_years(text)
        outside = bool(years) and not any(first[0] <= y <= first[1] for y in years)  # 「平成31年度からは第1次計画…」
        if (span is not None and span != first) or (span is None and (outside or lengths and length not in lengths)):
            continue
        kept.append(st)
    if not any(durations(nfkc(st.text)) for st in kept):
        for st in found:
            text = nfkc(st.text)
            if _span(text) == first and length in durations(text):
                kept.append(st)
                break
    return kept


def _with_details(chosen: list[Statement], view: DocumentView) -> list[Statement]:
    """Each statement with its 「■」 detail lines (dates, places, amounts)."""
    with_details: list[Statement] = []
    for st in chosen:
        with_details.append(st)
        for d in view.details(st):
            if not any(d.overlaps(c) for c in chosen + with_details):
                with_details.append(d)
    return with_details


def announced_items(top: Statement, view: DocumentView) -> list[Statement]:
    """The sentence announcing items (the top one, or the reply right after the document's own
    question) and the items after it; nothing when no sentence announces items."""
    announcer, out = top, []
    after = view.following(top, 1)
    if asks(top) and after and _announces_items(after[0].text):
        announcer = after[0]
        out.append(announcer)
    if not _announces_items(announcer.text):
        return []
    items = view.list_after(announcer) or _lines_after(announcer, view)
    return out + items if items else []


def announced_run(st: Statement, view: DocumentView) -> list[Statement]:
    """A bulleted item (「- 飲食費」) of a list a sentence announces (「主なものは次のとおりです。」):
    the announcing sentence and its items; nothing for an item of an unannounced list or for a
    sentence of its own."""
    if not view.is_bulleted(st):
        return []
    for before in reversed(view.preceding(st, view.cfg.list_items)):
        if view.is_bulleted(before):
            continue
        if before.segment.kind != "text" or not _announces_items(before.text):
            return []
        items = view.list_after(before)
        return [before, *items] if any(i.overlaps(st) for i in items) else []
    return []


def _lines_after(st: Statement, view: DocumentView) -> list[Statement]:
    """The lines after an announcing sentence, up to a heading or the document's next question.
    Numbered items the outline reads as headings (「（１）人件費」「①公益性 ②…」) are items here."""
    out: list[Statement] = []
    for f in view.following(st, view.cfg.list_items):
        numbered = f.segment.kind == "heading" and bool(NUMBERED_ITEM.match(f.text))
        if (f.segment.kind == "heading" and not numbered) or asks(f) or not compact(f.text).strip("-－ 0123456789"):
            break  # (「－ 1 －」: a page number)
        if not numbered and len(out) >= ANNOUNCED_LINES:
            break
        if out and numbered != bool(NUMBERED_ITEM.match(out[-1].text)):
            break  # the run of numbered items ends where plain lines begin
        out.append(f)
    return out


def _announces_items(text: str) -> bool:
    """A sentence that closes by saying items follow: 「…次の３段階で評価します。」「以下の…：」."""
    plain = compact(nfkc(text))  # a PDF wraps the sentence anywhere (「次\nの3つを…」)
    return plain.endswith(("。", ":")) and bool(lexicon().announces_items.search(plain))


def reason_after(top: Statement, query: Query, view: DocumentView) -> Statement | None:
    """「なぜ」 of 「…目標を23,000人に修正するものです。これは、…休館が予定されているためです。」:
    the sentence of the paragraph that gives the reason the top statement does not."""
    if not query.asks_reason or top.segment.kind != "text" or lexicon().gives_reason.search(top.text):
        return None
    return next((f for f in view.paragraph_after(top, FOLLOWING_LINES) if lexicon().gives_reason.search(f.text)), None)


ECHO_CHARS = 12  # a line this short that the question says whole is a title, not an answer


def echoes(st: Statement, query: Query) -> bool:
    """「団体登録」 for 「…団体登録するための条件は？」: a short line the question says whole is
    a panel's or a box's title; the lines under it answer."""
    text = compact(nfkc(st.text)).strip("【】[]［］■□●◆◇〇○・：:")
    return 2 <= len(text) <= ECHO_CHARS and text in compact(query.normalized)


def _is_label(st: Statement) -> bool:
    """A line that only announces what follows: 「【主な取組】」, 「主な内容：」."""
    text = st.text.strip()
    return len(text) <= LABEL_CHARS and bool(lexicon().label_pattern.fullmatch(text))
