"""「〜は提案できますか」「〜は対象になりますか」: the statements the other strategies choose,
led by 「はい」 or 「いいえ」 when one of them decides it.

A statement decides when it gives the value the question states (「30万円もらえる？」 against
「20万円を上限」: within a cap or equal is yes, otherwise no), or when it covers the question
well and says something is (not) so. When nothing decides, no verdict is given: the
statements are shown as they are, and staff judge.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.dates import patterns as date_patterns
from assistant.docview import DocumentView, Segment, Statement
from assistant.lexicon import lexicon
from assistant.query import Query
from assistant.strategies.base import Scope, Selection
from assistant.strategies.picking import NUMBERED_ITEM, rest_of_paragraph
from assistant.strategies.replies import asks
from assistant.text import compact, nfkc, table_cells as cells
from assistant.values import NUMBER, bounded_amounts, bounded_counts, bounded_durations, bounded_lead_times, satisfies, weekday_ranges, weekdays

NAME = "yes_no"
QUESTION_LOOKBACK = 3  # statements back to the document's own question (「Ｑ…？」) in the same section
PARAGRAPH_LOOKBACK = 2  # sentences back in a statement's paragraph that may name its subject




def _bulleted(st: Statement, view: DocumentView) -> bool:
    """Whether a statement is a list item: its line starts with a marker (「・」「-」) the
    segment leaves out, or it is numbered as an item in its own text (「（７）…経費」)."""
    text = view.documents[st.chunk.source].text
    head = text[text.rfind("\n", 0, st.start) + 1 : st.start].strip()
    if 0 < len(head) <= 4 and "。" not in head:
        return True  # a marker, not the sentence before on the line
    return not head and st.segment.kind == "text" and bool(NUMBERED_ITEM.match(st.text))


def list_lead(st: Statement, view: DocumentView) -> Statement | None:
    """The sentence that introduces the list a statement is an item of (「ただし、次に該当する
    団体は応募できません。」 then 「・営利を目的とする団体」): it says what the items are."""
    if not _is_item(st, view):
        return None
    for before in reversed(view.preceding(st, view.cfg.list_items * 2)):
        if _is_item(before, view):
            continue
        return before if before.segment.kind == "text" else None
    return None


def _is_item(st: Statement, view: DocumentView) -> bool:
    """A list item: a bulleted line, or a numbered one the outline reads as a heading
    (「（６）交付決定の日より前に支出した経費」 under 「次の経費は補助の対象外です。」)."""
    if st.segment.kind == "text":
        return _bulleted(st, view)
    return st.segment.kind == "heading" and bool(NUMBERED_ITEM.match(st.text))


def _negative_list(st: Statement, view: DocumentView) -> bool:
    """An item of a list that says not: by its lead (「次の経費は対象外とします。」) or by its
    section heading (「対象とならない団体」)."""
    lex = lexicon()
    lead = list_lead(st, view)
    if lead is not None and lex.is_negative(_ASIDE.sub("", lead.text)):
        return True  # (not by an aside: 「…まで（土曜日・日曜日を除く）」 leads dates, not exclusions)
    if _numbered_heading(st, view):
        # 「（６）交付決定の日より前に支出した経費」 read as a heading of its own under
        # 「７ 補助対象外経費」: the heading above it says what the items are.
        return _negative_heading(_parent(st, view))
    return st.segment.kind == "text" and _bulleted(st, view) and _negative_heading(_section(st, view))


def _parent(st: Statement, view: DocumentView) -> str:
    """The heading above the statement's own (none at the top of the outline)."""
    path = view.section_at(st.chunk.source, st.start).split(" > ")
    return path[-2] if len(path) >= 2 else ""


def _numbered_heading(st: Statement, view: DocumentView) -> bool:
    """A numbered item (「（６）…経費」) the outline reads as a heading: the last of its path."""
    return (st.segment.kind == "heading" and bool(NUMBERED_ITEM.match(st.text))
            and compact(_section(st, view)) == compact(st.text))


def _section(st: Statement, view: DocumentView) -> str:
    return view.section_at(st.chunk.source, st.start).rsplit(" > ", 1)[-1]


def _negative_heading(heading: str) -> bool:
    """A heading that says not (「対象とならない団体」); one naming both sides (「対象となる経費・
    ならない経費」) says neither."""
    lex = lexicon()
    parts = [p for p in re.split(r"[・／/]|及び|と(?=対象)", heading) if p.strip()]
    return bool(parts) and all(lex.is_negative(p) for p in parts)


def says_no(st: Statement, view: DocumentView) -> bool:
    """Whether a statement, read with its section heading (「対象外経費」) or the sentence that
    introduces its list, says not. A table row says it with its own label (「補助対象外経費 |
    …」), whatever the section is called."""
    lex = lexicon()
    if lex.is_negative(st.text):
        return True
    if st.segment.kind == "table":
        return False
    if _numbered_heading(st, view):
        return _negative_list(st, view)  # its own heading is itself: the one above it speaks
    return _negative_heading(_section(st, view)) or _negative_list(st, view)


def _names_the_case(query: Query, st: Statement, view: DocumentView) -> bool:
    """An item of a list of exclusions decides a question that names it (「市税を滞納している
    団体でも申し込める？」 against 「・市税を滞納している団体」 under 「対象とならない団体」),
    whatever verb the question uses: the item holds a word of the question's focus that its
    lead and heading do not."""
    if not _negative_list(st, view) or any(w in st.text for w in lexicon().exceptions):
        return False
    own = view.tokens_of(st.chunk.source, st.segment)
    lead = list_lead(st, view)
    heading = _parent(st, view) if _numbered_heading(st, view) else _section(st, view)
    around = view.phrase_tokens(heading) | (view.tokens_of(lead.chunk.source, lead.segment) if lead else frozenset())
    return any(n in own and n not in around for f in query.focus for _, n in f.parts)


def _exception_for(query: Query, st: Statement, view: DocumentView) -> str | None:
    """The exception an item makes to its own rule when it names the question's case: 「飲食費
    （ただし、ボランティアの昼食代は…を対象とします）」 decides 「昼食代は対象？」 by its
    exception, 「飲食費は対象？」 by the list."""
    text = st.text
    at = min((i for w in lexicon().exceptions if (i := text.find(w)) >= 0), default=-1)
    if at < 0:
        return None
    clause = text[at:]
    words = view.phrase_tokens(clause)
    return clause if any(n in words for f in query.focus for _, n in f.parts) else None


_ASIDE = re.compile(r"[（(]([^（）()]{4,})[）)]")


def _taken_out(query: Query, st: Statement, view: DocumentView) -> bool:
    """Whether an aside takes the question's case out of the item (「飲食費（講師等に提供する
    弁当代及び茶菓代を除く。）」 for 「講師に出すお弁当代は対象？」)."""
    excepts = tuple(lexicon().excepts)
    for m in _ASIDE.finditer(st.text):
        aside = m.group(1).rstrip("。．")
        if not aside.endswith(excepts):
            continue
        words = view.phrase_tokens(aside)
        if any(n in words and len(n) >= 2 for f in query.focus if not f.frame for _, n in f.parts):
            return True
    return False


def _aside_for(query: Query, st: Statement, view: DocumentView) -> bool:
    """Whether an aside in brackets names the question's case (「1年以上…（テーマ設定型は、
    期間を問いません）」): the rule's value does not decide that case."""
    for m in _ASIDE.finditer(st.text):
        words = view.phrase_tokens(m.group(1))
        if any(f.parts and all(n in words for _, n in f.parts) for f in query.focus):
            return True
    return False


_KANJI2 = re.compile(r"[\u4e00-\u9fff]{2}")  # 「飲食」 of 飲食代; not 「プロ」 of プロジェクター


def _names_the_case_asked(query: Query, st: Statement, tokens: frozenset[str], view: DocumentView) -> bool:
    """Whether the statement, read with its heading path, lead and document title, names the
    case asked: the phrase right before the predicate (「…補助金でパソコンは買えますか」), a
    noun of it or, for a kanji compound, its first two characters (「飲食代」 in 「飲食費」)."""
    last = [f for f in query.focus if f.parts and not f.frame][-1:]
    if not last:
        return True
    seen = tokens | view.title_tokens[st.chunk.source]
    text = compact(st.text)
    if says_opposite(query, st):
        return True  # 「有料ですか」 is named by 「無料」
    return any(n in seen for _, n in last[0].parts) or any(
        len(w) >= 3 and _KANJI2.fullmatch(w[:2]) and w[:2] in text for w, _ in last[0].parts)


def strength(query: Query, st: Statement, view: DocumentView) -> int:
    """How well a statement decides the question: 0 not at all; 1 it covers the question well
    and names its subject (the predicate is a word of its own, 「ある」「入る」); 2 it also holds
    the predicate (「提案」 for 「提案できる？」), read with its list's lead or the document's own
    question before it; 3 it is an exclusion that names the question's case."""
    if st.coverage < view.cfg.yes_no_coverage or not query.predicate:
        return 0
    if _names_the_case(query, st, view):
        return 3
    tokens = view.tokens_of(st.chunk.source, st.segment) | view.phrase_tokens(view.section_at(st.chunk.source, st.start))
    lead = list_lead(st, view)
    if lead is not None:
        tokens |= view.tokens_of(lead.chunk.source, lead.segment)  # 「次の団体は応募できません」
    for before in view.paragraph_before(st, PARAGRAPH_LOOKBACK):
        # 「①協働塾の開催：…連続講座を開催します。受講料は無料とし、…」: a sentence leaves out the
        # subject the sentence before it in its paragraph named.
        tokens |= view.tokens_of(before.chunk.source, before.segment)
    section = view.section_at(st.chunk.source, st.start)
    for before in reversed(view.preceding(st, QUESTION_LOOKBACK)):
        if view.section_at(before.chunk.source, before.start) != section:
            break
        if before.segment.kind != "heading" and asks(before):
            # 「Ｑ１ …自治会はなくなるのですか？」 then 「Ａ …。」 and more sentences: the answer is
            # read with its question.
            tokens |= view.tokens_of(before.chunk.source, before.segment)
            break
    heads = {query.subject_head} | {t for t in view.phrase_tokens(query.subject_head or "") if len(t) >= 2}
    if query.subject_head and not heads & (tokens | view.title_tokens[st.chunk.source]):
        return 0  # 「職員研修は新規事業？」 is not decided by the row of another project (「練習中」 by 「練習」 is)
    if not _names_the_case_asked(query, st, tokens, view):
        return 0  # 「パソコンは買えますか」 is not decided by the purpose article of the same rules
    predicate = view.phrase_tokens(query.predicate)
    parts = predicate - {query.predicate}  # 「提案」 of 「提案できる」
    if query.predicate in tokens or bool(parts) and parts <= tokens or says_opposite(query, st):
        return 2  # (「有料ですか」 - 「無料」: the opposite word holds the predicate too)
    # Without the predicate, only a sentence speaks for itself: a title, a heading or a table
    # row's label that shares the subject says nothing either way.
    return 1 if not parts and st.segment.kind == "text" and st.text.rstrip().endswith("。") else 0


def not_yet(query: Query, st: Statement) -> bool:
    """「もう提案制度を導入してる？」 against 「…令和8年度からの導入に向けて検討を進めます」: asked
    whether a thing is done already, the statement puts it ahead (not yet, so いいえ)."""
    lex = lexicon()
    if not any(w in query.normalized for w in lex.asks_already):
        return False
    return any(w in nfkc(st.text) for w in lex.not_yet)


def says_opposite(query: Query, st: Statement) -> bool:
    """Whether the statement answers with the opposite of the question's word (「使用料は
    かかりますか」 - 「無料です」; 「上がりましたか」 - 「前回から低下し」), the question's word not in it."""
    text = nfkc(st.text)
    plain = _ASIDE.sub("", text)  # 「無料（毎年４月に更新手続が必要です）」: the aside says something else
    for asked, opposite in lexicon().opposites:
        if any(w in query.normalized for w in asked if len(w) >= 2 and w not in ("いる",)) or query.predicate in asked:
            if any(w in plain for w in opposite) and not any(w in plain for w in asked if len(w) >= 2 and w != "いる"):
                return True
    return False


def decides(query: Query, st: Statement, view: DocumentView) -> bool:
    return strength(query, st, view) > 0


def decider_of(query: Query, statements: list[Statement], view: DocumentView) -> Statement | None:
    """The statement that decides best: an exclusion naming the case, then the one naming more
    of the question's words itself (「宗教活動を除きます」 over a definition that only
    「含みます」), then the stronger, then the first."""
    best: tuple[int, int, int] | None = None
    chosen = None
    words = {n for f in query.focus for _, n in f.parts}
    last = [p for f in query.focus[-1:] for p in f.parts if not f.frame]
    for i, st in enumerate(statements):
        level = strength(query, st, view)
        if not level:
            continue
        own = view.tokens_of(st.chunk.source, st.segment)
        # The phrase right before the predicate is the case asked (「市民活動に、宗教活動は含まれる？」).
        case = bool(last) and all(n in own for _, n in last)
        # The sentence right after the document's own question answers it first (「Ａ 自治会は
        # なくなりません。」 before the sentence after it).
        before = view.preceding(st, 1)
        direct = bool(before) and asks(before[0])
        # The answer to the document's own question asking what this one asks (「Ｑ１ 個人でも
        # 登録できますか。」「Ａ 個人での登録はできません。」) decides before any other sentence.
        same = direct and _asks_the_same(query, before[0], view)
        key = (same, level == 3, case, direct, len(words & own), level, -i)
        if best is None or key > best:
            best, chosen = key, st
    return chosen


def case_decider(query: Query, chosen: list[Statement], found: list[Statement], view: DocumentView) -> Statement | None:
    """「申請書ってメールで出せますか」: when a word of the question (メール) is in none of the
    statements chosen, the question turns on it; the best statement found that names it and
    decides (「電子メールでの提出は受け付けません。」) answers, before any chosen one."""
    # (read with their headings and titles: 「補助金」 of a subsidy's guideline is named by its title)
    chosen_tokens = [view.tokens_of(st.chunk.source, st.segment) | view.phrase_tokens(view.section_at(st.chunk.source, st.start))
                     | view.title_tokens[st.chunk.source] for st in chosen]
    missing = {n for f in query.focus if not f.frame for _, n in f.parts
               if len(n) >= 2 and not any(n in t for t in chosen_tokens)}
    if not missing:
        return None
    # The way asked about decides through any sentence naming it; another word (「飲み物代」 where
    # the chosen rules say 飲料代) only through a statement that also holds the question's predicate.
    means = {n for f in query.focus if f.means for _, n in f.parts} >= missing
    # (the way asked is a rare word, looked for among all statements found; another among the best)
    for st in found if means else found[:RESTRICTION_WINDOW]:
        if any(st.overlaps(c) for c in chosen):
            continue
        if not missing <= view.tokens_of(st.chunk.source, st.segment) or st.coverage < view.cfg.yes_no_coverage:
            continue
        level = strength(query, st, view)
        # (it need not repeat the subject: 「提出方法」 of an application speaks of the 申請書)
        if level >= 2 or means and (level > 0 or st.segment.kind == "text" and st.text.rstrip().endswith("。")):
            return st
    return None


def _asks_the_same(query: Query, asked: Statement, view: DocumentView) -> bool:
    """Whether the document's question holds this question's predicate and subject."""
    tokens = view.tokens_of(asked.chunk.source, asked.segment)
    subject = query.subject_head
    return bool(query.predicate) and query.predicate in tokens and (not subject or subject in tokens)


def weekday_verdict(query: Query, statements: list[Statement], view: DocumentView) -> tuple[bool, Statement] | None:
    """「火曜日も開いてますか」 against 「休館日：毎週火曜日」: no. A day closed only in some weeks
    (「第2水曜日」) decides nothing here (the opening days' range does)."""
    lex, asked = lexicon(), set(query.weekdays)
    if any(w in query.normalized for w in lex.closed_words):
        return None  # 「休館日は火曜日ですか」 asks about the closing, not the opening

    def closed(st: Statement) -> bool:
        # 「## 休館日」 over 「毎週火曜日」; not 「開館時間・休館日」 over the hours.
        heading = nfkc(_section(st, view))
        return any(w in nfkc(st.text) for w in lex.closed_words) or (
            any(w in heading for w in lex.closed_words) and not date_patterns().clock_time.search(nfkc(st.text)))

    for st in statements:
        text = nfkc(st.text)
        if closed(st) and asked & set(weekdays(text)):
            if all(not re.search(rf"第[\d・,、]+{d}曜", text) for d in asked):
                return False, st
    return None


def value_verdict(query: Query, statements: list[Statement], view: DocumentView) -> tuple[bool, Statement] | None:
    """The first statement that gives a value of the kind the question states, and whether
    the question's value agrees with it (「30万円もらえる？」 against 「20万円を上限」: no;
    「5万円のテント」 against 「5万円以上の備品購入費」 under 対象外経費: no)."""
    if query.weekdays:
        by_day = weekday_verdict(query, statements, view)
        if by_day is not None:
            return by_day
    for st in statements:
        text = nfkc(st.text)
        if query.weekdays:
            # 「日曜日もやってますか」 against 「月曜日～土曜日」: within the range or not.
            for days in weekday_ranges(text):
                return set(query.weekdays) <= days, st
        for asked in query.amounts:
            agreed = satisfies(asked, bounded_amounts(text))
            if agreed is not None:
                return agreed != says_no(st, view), st
        for asked in query.durations:
            agreed = satisfies(asked, bounded_durations(text))
            if agreed is not None:
                return agreed != says_no(st, view), st
        for asked in query.lead_times:
            # 「3日前にキャンセルしたら戻る？」 against 「7日前までに連絡があった場合は…還付」: too late.
            agreed = satisfies(asked, bounded_lead_times(text))
            if agreed is not None:
                return agreed != says_no(st, view), st
        for asked, counter in query.counts:
            same = set(lexicon().same_unit(counter))
            agreed = satisfies(asked, [(n, op) for n, c, op in bounded_counts(text) if c in same])
            if agreed is not None:
                return agreed != says_no(st, view), st
    return None


def limit_verdict(query: Query, statements: list[Statement]) -> tuple[bool, Statement] | None:
    """「何回でも受けられますか」 against 「はじめの一歩部門は1回限りとする」「通算3回まで」: a statement
    capping the times says no; None when none does."""
    lex = lexicon()
    if not any(w in query.normalized for w in lex.unlimited_cues):
        return None
    for st in statements:
        if any(c in lex.times_counters and op in ("<", "<=") for _, c, op in bounded_counts(nfkc(st.text))):
            return False, st
    return None


_FIRST_NUMBER = re.compile(rf"({NUMBER})\s*(万)?")


def _number(cell: str) -> float | None:
    m = _FIRST_NUMBER.search(nfkc(cell))
    if not m:
        return None
    return float(m.group(1).replace(",", "")) * (10_000 if m.group(2) else 1)


def _header_and_row(st: Statement, view: DocumentView) -> tuple[list[str], list[str]] | None:
    """A table row's cells beside its header's, when the two line up."""
    if st.segment.kind != "table" or not st.segment.header:
        return None
    head = cells(view.text_of(st.chunk.source, Segment(*st.segment.header, "table")))
    row = cells(st.text)
    return (head, row) if len(head) == len(row) else None


def achievement_verdict(query: Query, statements: list[Statement], view: DocumentView) -> tuple[bool, Statement, str] | None:
    """「目標は達成できた？」「目標の400人に達していますか」: an indicator row with a 目標 column
    and a 実績 (or 現状) column answers by comparing them (「194団体」 against 「200団体」: no), and
    so does a result written with its target beside it (「参加者87人（目標120人）」)."""
    lex = lexicon()
    if not any(w in query.normalized for w in lex.achievement_cues):
        return None
    target_words, actual_words = lex.table_columns["target"][1], lex.table_columns["actual"][1] + lex.table_columns["current"][1]
    for st in statements:
        if (read := _header_and_row(st, view)) is None:
            continue
        head, row = read
        targets = [i for i, h in enumerate(head) if any(w in h for w in target_words)]
        if "中間" in query.normalized:
            targets = [i for i in targets if "中間" in head[i]] or targets
        actuals = [i for i, h in enumerate(head) if any(w in h for w in actual_words) and i not in targets]
        if not targets or not actuals:
            continue
        # The latest figure: the last 実績 column that holds a number (「－」 is not measured yet).
        actual = next((_number(row[i]) for i in reversed(actuals) if _number(row[i]) is not None), None)
        target = _number(row[targets[-1] if "中間" not in query.normalized else targets[0]])
        if actual is None or target is None:
            continue
        said = next(row[i] for i in reversed(actuals) if _number(row[i]) is not None)
        aim = row[targets[-1] if "中間" not in query.normalized else targets[0]]
        return actual >= target, st, f"実績 {said}、目標 {aim}"
    for st in statements:
        # 「参加者87人（目標120人）」: a report's sentence (or a 成果 cell) gives its result with the
        # target beside it.
        for m in _target_aside().finditer(nfkc(st.text)):
            if m.group(2) == m.group(4):
                actual, target = float(m.group(1).replace(",", "")), float(m.group(3).replace(",", ""))
                return actual >= target, st, f"実績 {m.group(1)}{m.group(2)}、目標 {m.group(3)}{m.group(4)}"
    return None


@lru_cache(maxsize=1)
def _target_aside() -> re.Pattern[str]:
    """A number with its counter, then in brackets the target in the same counter."""
    lex = lexicon()
    asides = "|".join(map(re.escape, lex.target_asides))
    return re.compile(rf"({NUMBER})\s*({lex.counter_pattern})\s*[（(]\s*(?:{asides})\s*[:：]?\s*({NUMBER})\s*({lex.counter_pattern})")


def execution_verdict(query: Query, statements: list[Statement], view: DocumentView) -> tuple[bool, Statement, str] | None:
    """「予算を全部使い切りましたか」「決算は予算の範囲内でしたか」: a table row with a 予算 column
    and a 決算 column answers by comparing them (803 against 1,200: not used up, within)."""
    lex = lexicon()
    relation = next((rel for rel, words in lex.execution_cues.items() if any(w in query.normalized for w in words)), None)
    columns = lex.execution_columns
    if relation is None or not any(w in query.normalized for w in (*columns["budget"], *columns["spent"])):
        return None
    for st in statements:
        if (read := _header_and_row(st, view)) is None:
            continue
        head, row = read
        budget = next((i for i, h in enumerate(head) if any(w in h for w in columns["budget"])), None)
        spent = next((i for i, h in enumerate(head) if any(w in h for w in columns["spent"]) and i != budget), None)
        if budget is None or spent is None:
            continue
        planned, used = _number(row[budget]), _number(row[spent])
        if planned is None or used is None:
            continue
        yes = {"equal": used >= planned, "within": used <= planned, "over": used > planned}[relation]
        return yes, st, f"{head[budget]} {row[budget]}、{head[spent]} {row[spent]}"
    return None


RESTRICTION_WINDOW = 5  # the best statements found, besides those chosen, read for a rule of 「のみ」
DECIDER_FOLLOWERS = 2  # sentences after a short deciding one, quoted with it


def _suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def restriction_verdict(query: Query, statements: list[Statement], view: DocumentView) -> tuple[bool, Statement] | None:
    """「電話で本予約できますか」 against 「電話では仮予約のみ受け付けます」: a rule about the question's
    case that lets through only one thing of the kind asked (the question names a thing ending
    alike: 予約, コース, 事業) says no when the thing is another one or is qualified otherwise
    (「外部講師等への謝礼に限る」 for 「構成員への謝礼」), yes when it is the one asked. A rule about
    another kind of thing (「自治会でも申請できる？」 against 「…事業に限り申請できます」) decides
    nothing, nor does an item of an exclusion list (「飲食のみを目的とする経費」 under 「対象外」).
    (yes, statement) or None."""
    lex = lexicon()
    question = compact(query.normalized)
    asked = set(query.tokens) - lex.question_words
    phrases = [(m.group(1), m.group(0)) for m in lex.qualified_thing.finditer(question)]
    for st in statements:
        if st.coverage < view.cfg.yes_no_coverage or says_no(st, view):
            continue
        text = compact(nfkc(st.text))
        for m in lex.restriction.finditer(text):
            thing = m.group(1)
            if thing in lex.not_restricted_things or len(thing) < 2:
                continue
            if not (view.phrase_tokens(text[: m.start(1)] + text[m.end() :]) & asked):
                continue  # a rule about something else
            same_kind = [(word, phrase) for word, phrase in phrases if _suffix(word, thing) >= SAME_KIND_CHARS]
            if not same_kind:
                continue
            word, phrase = same_kind[-1]
            if word != thing:
                return False, st  # 「仮予約のみ」 and 本予約 asked
            clause = _CLAUSE_START.split(text[: m.start(1)])[-1]  # 「外部講師等への」
            mods, asked_mods = view.phrase_tokens(clause), view.phrase_tokens(phrase[: -len(word)])
            return (not asked_mods or bool(mods & asked_mods)), st
    return None


SAME_KIND_CHARS = 2  # a thing let through and the thing asked end alike in this many characters
_CLAUSE_START = re.compile(r"[、。，,：:（(）)]|では|には|は")


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if not query.yes_no or len(query.cities) >= 2:
        return None
    got = scope.then(scope)
    if got is None or not got.statements:
        return got
    statements = got.statements
    # Days of the week are read among the statements found as well (the opening hours may not
    # be what was chosen to quote).
    pool = [*statements, *(st for st in scope.statements if st not in statements)] if query.weekdays else statements
    by_value = (value_verdict(query, pool, view)
                if (query.amounts or query.counts or query.durations or query.lead_times or query.weekdays) else None)
    limited = limit_verdict(query, [*statements, *scope.statements[:RESTRICTION_WINDOW]]) if by_value is None else None
    # The statement that names what the question turns on (「２次募集は…コースのみ」) is read by
    # every rule below, a 「のみ」 in it first.
    found_case = case_decider(query, statements, scope.statements, view)
    asked_case = [found_case] if found_case is not None else []
    if by_value is not None and (_exception_for(query, by_value[1], view) is not None or _aside_for(query, by_value[1], view)):
        # 「1年以上…（テーマ設定型は、期間を問いません）」: the value is the rule, the question
        # names its exception; no verdict from the value.
        return Selection(statements, NAME, f"{got.reason} 値の条件に例外があるため、はい/いいえは示しません。")
    # 「目標の400人に達していますか」: the row's 実績 against its 目標 decides, not 400 against the row.
    achieved = achievement_verdict(query, pool, view)
    executed = execution_verdict(query, pool, view)
    because = None
    if executed is not None:
        yes, decider, because = executed
        why = "表の予算額と決算額を比べて"
    elif achieved is not None:
        yes, decider, because = achieved
        why = "目標値と実績値を比べて"
    elif by_value is not None:
        yes, decider = by_value
        why = "質問の値と資料の値を比べて"
    elif limited is not None:
        yes, decider = limited  # (「ただし、…部門は1回限り」: the exception is the rule for the case asked)
        why = "回数の上限から"
    elif (restricted := restriction_verdict(query, [*asked_case, *statements, *scope.statements[:RESTRICTION_WINDOW]], view)) is not None:
        allowed, decider = restricted
        yes = allowed != query.negated
        why = "「のみ」「に限る」の条件から"
    else:
        decider = asked_case[0] if asked_case else decider_of(query, statements, view)
        if decider is None:
            return Selection(statements, NAME, f"{got.reason} はい/いいえを決める文は見つかりませんでした。")
        reply = view.following(decider, 1) if asks(decider) else []
        if reply and reply[0].segment.kind == "text" and not asks(reply[0]):
            # The document's own question (「Ｑ１　…参加できますか。」) is decided by its answer
            # (「Ａ　参加できます。」), not by itself.
            decider = next((st for st in statements if st.overlaps(reply[0])), reply[0])
        clause = _exception_for(query, decider, view)
        negative = lexicon().is_negative(clause) if clause is not None else says_no(decider, view)
        taken_out = clause is None and _taken_out(query, decider, view)
        if taken_out:
            negative = not negative  # the item's rule, exclusion or not, leaves the case asked out
        if clause is None and not negative and says_opposite(query, decider):
            negative = True  # (「不要」 is a negative form already: not turned twice)
        ahead = clause is None and not negative and not_yet(query, decider)
        if ahead:
            negative = True
        yes = negative == query.negated
        asked = view.preceding(decider, 1)
        if ahead:
            why = "「もう」と問われたことを資料は「予定」「検討」など先のこととして述べているため"
        elif taken_out:
            why = "括弧内の「…を除く」が質問の場合を除いているため、項目の否定を反転して"
        elif asked and asks(asked[0]) and _asks_the_same(query, asked[0], view):
            why = "資料自身の同じ問い（Ｑ）への回答の否定の表現の有無から"
        else:
            why = "否定の表現の有無から"
    verdict = "はい" if yes else "いいえ"
    # 「Ａ　参加できます。」 decides, and the sentences after it in its answer say why or on what
    # terms (「…すべての住民を対象とした組織です。」): a short decider brings them along.
    reasons = [f for f in rest_of_paragraph(decider, view)[:DECIDER_FOLLOWERS]
               if not any(f.overlaps(st) for st in statements)]
    ordered = [decider, *reasons, *(st for st in statements if st is not decider)]
    lead = list_lead(decider, view) if _negative_list(decider, view) else None
    if lead is not None and not any(st.overlaps(lead) for st in ordered):
        # 「（６）交付決定の日より前に支出した経費」 says not only with 「次の経費は補助の対象外です。」.
        ordered.insert(1, lead)
    return Selection(ordered, NAME, f"{got.reason} {why}「{verdict}」と判断しました。", verdict, because=because)
