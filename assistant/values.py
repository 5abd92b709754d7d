"""What a value of each asked kind looks like in a document: a count in a counter of the
lexicon, an amount in 円, a date or a period as plans write them, a venue."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.dates import patterns as date_patterns
from assistant.lexicon import lexicon
from assistant.text import compact
from assistant.tokens import tokenize

NUMBER = r"\d[\d,]*(?:\.\d+)?"
# A number written in kanji (「百二十八団体」「十二名」, as minutes and formal text write them),
# read where a count is looked for (「委員九名」). Not a lone 一 (「一人ひとり」「一部の団体」
# 「統一」), nor an ordinal (「第三者」).
KANJI_NUMBER = r"(?<![第一二三四五六七八九十百千])(?:[一二三四五六七八九十百千]{2,}|[二三四五六七八九十])"
COUNTED = rf"(?:{NUMBER}|{KANJI_NUMBER})"
TABLE_NUMBER = re.compile(NUMBER)
NUMBER_ONLY = re.compile(r"^[\d.,]+$")
# A percentage or a fraction: 「75%」「4分の3」, and a 補助率 written 「3/4」「10/10」 (a slash between
# a small numerator and a usual denominator, no spaces: 「3 / 11」 is a page number, 「2025/3/4」 a date).
SHARE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|パーセント|ポイント|割)|\d+\s*分の\s*\d+|(?<![\d/])\d{1,2}/(?:10|[2-5])(?![\d/])")
# 「5つの役割を期待しています」: how many items a plan announces, and of what.
ANNOUNCED = re.compile(r"(\d{1,2})\s*つの\s*([\u4e00-\u9fffァ-ヶーA-Za-z]+)")
# 「課題を次の4点に整理しました」「取組は、次の3つです」: the noun comes first.
ANNOUNCED_BEFORE = re.compile(r"([\u4e00-\u9fffァ-ヶーA-Za-z]+)\s*[をは]、?\s*(?:次の|以下の)\s*(\d{1,2})\s*(?:つ|点|項目)")


def announcements(text: str) -> list[tuple[int, str]]:
    """(count, noun) of every announcement of a list in an NFKC text."""
    found = [(int(m.group(1)), m.group(2)) for m in ANNOUNCED.finditer(text)]
    return found + [(int(m.group(2)), m.group(1)) for m in ANNOUNCED_BEFORE.finditer(text)]


@lru_cache(maxsize=1)
def value_patterns() -> dict[str, re.Pattern[str]]:
    """The pattern of a value of each kind a question can ask for."""
    dates = date_patterns()
    return {
        # (「午前9時30分」 is a time of day, not 30 minutes)
        "count": re.compile(
            rf"{COUNTED}\s*(?:{lexicon().counter_pattern})|(?<![時:：\d]){NUMBER}\s*(?:{lexicon().time_counter_pattern})(?!\s*の)"
        ),
        # 「回収数」: a number of things, counted in any counter but a share's (「54.1％」).
        "tally": re.compile(
            rf"{COUNTED}\s*(?:{lexicon().tally_counter_pattern})"
            rf"|(?<![時:：\d]){NUMBER}\s*(?:{lexicon().time_counter_pattern})(?!\s*の)"
        ),
        # (「町外の方は1.5倍」: a fee given relative to the one listed; 「登録料は無料」: none)
        "amount": re.compile(rf"{NUMBER}\s*(?:万|億|千)?\s*円|{NUMBER}\s*倍|無料"),
        "date": dates.date_value,
        # Where an event was held: a 「■場所 …」 line or a venue's name.
        "place": lexicon().venue_pattern,
        "period": dates.period,
    }


@lru_cache(maxsize=1)
def item_count() -> re.Pattern[str]:
    """「3つ」「5項目」 as a token: how many items, not what they are."""
    return re.compile(rf"^\d+(?:{'|'.join(map(re.escape, lexicon().item_counters))})$")


@lru_cache(maxsize=256)
def counted_value(noun: str) -> re.Pattern[str]:
    """A number of a counted thing: 「30の市民センター」「3つの自治会」."""
    return re.compile(rf"{COUNTED}\s*(?:つ)?\s*の\s*(?:[^、。\d]{{0,8}}?[やと・])?{re.escape(noun)}")  # 「23の企業や団体」


@lru_cache(maxsize=256)
def counter_ending(noun: str) -> str | None:
    """The counter a counted noun ends with, the longest (「ＮＰＯ法人」 -> 法人): 「47法人」 counts it."""
    return next((c for c in sorted(lexicon().counters, key=len, reverse=True) if len(noun) > len(c) and noun.endswith(c)), None)


@lru_cache(maxsize=256)
def unit_value(unit: str) -> re.Pattern[str]:
    """A number in the asked unit: 「29名」「30の市民センター」「3つの自治会」."""
    return re.compile(rf"{COUNTED}\s*(?:つ)?\s*(?:の\s*)?(?:{unit})")


@lru_cache(maxsize=1)
def _not_quantity() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = lexicon()
    latin = [re.escape(w) for w in lex.label_marks if w.isascii()]
    other = [re.escape(w) for w in lex.label_marks if not w.isascii()]
    # 「Ｑ２」 but not the 「Ａ」 of 「会議室Ａ 30人」: a Latin mark stands apart from the word before.
    label = rf"(?:(?:^|[^0-9A-Za-z\u3040-\u30ff\u4e00-\u9fff])(?:{'|'.join(latin)})|(?:{'|'.join(other)}))\s?$"
    per = rf"^\s*(?:{'|'.join(map(re.escape, lex.per_unit))})"
    return re.compile(label), re.compile(per)


def quantities(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The matches of a value pattern that state a quantity: not a label's number (「Ｑ２ 世帯数」
    reads as 「2世帯」) nor the unit of a rate (「1世帯当たり600円」 counts no households)."""
    label, per = _not_quantity()
    return [m for m in pattern.finditer(text)
            if not label.search(text[max(0, m.start() - 6) : m.start()]) and not per.match(text[m.end() : m.end() + 4])]


_AMOUNT = re.compile(rf"({NUMBER})\s*(万|億|千)?\s*円")
_SCALE = {None: 1, "千": 1_000, "万": 10_000, "億": 100_000_000}


def amounts(text: str) -> list[float]:
    """Every amount of money in `text`, in yen: 「20万円」 -> 200000.0."""
    return [float(m.group(1).replace(",", "")) * _SCALE[m.group(2)] for m in _AMOUNT.finditer(text)]


def bound_after(text: str, end: int) -> str:
    """The comparison a value makes with the words right after it: 「20万円を上限」 -> "<=",
    「5万円未満」 -> "<"; "=" for a plain value."""
    rest = text[end : end + 4]
    for op, words in lexicon().bounds.items():
        if any(rest.startswith(w) for w in words):
            return op
    return "="


def bounded_amounts(text: str) -> list[tuple[float, str]]:
    """Every amount in `text`, in yen, with the bound it states: (200000.0, "<=")."""
    return [
        (float(m.group(1).replace(",", "")) * _SCALE[m.group(2)], bound_after(text, m.end()))
        for m in _AMOUNT.finditer(text)
    ]


def bounded_counts(text: str) -> list[tuple[float, str, str]]:
    """Every number with a counter, with the bound it states: (10.0, "名", "<=")."""
    pattern = re.compile(rf"({NUMBER})\s*({lexicon().counter_pattern})")
    return [(float(m.group(1).replace(",", "")), m.group(2), bound_after(text, m.end())) for m in pattern.finditer(text)]


def satisfies(asked: float, stated: list[tuple[float, str]]) -> bool | None:
    """Whether an asked value agrees with what a statement says: every bound holds, and it
    equals one of the plain values if there are any. None when nothing is stated."""
    if not stated:
        return None
    checks = {"<": lambda a, v: a < v, "<=": lambda a, v: a <= v, ">=": lambda a, v: a >= v, ">": lambda a, v: a > v}
    plain = [v for v, op in stated if op == "="]
    bounds_hold = all(checks[op](asked, v) for v, op in stated if op != "=")
    return bounds_hold and (not plain or asked in plain or len(plain) < len(stated))


# 「3年」「半年」「1年半」「6か月」「2年間」: a length of time in years; not a year (「2024年」
# 「令和5年」 「3年度」) nor a month of the calendar (「3月」).
_DURATION = re.compile(
    r"(?<![\d年和成昭正治])(?:(\d{1,2}(?:\.\d)?)\s*年(半)?(?:間)?(?!度)|(\d{1,2})\s*(?:か|カ|ヶ|ケ|箇)月(?:間)?|(半)年(?:間)?)"
)


def _duration_of(m: re.Match[str]) -> float:
    if m.group(4):
        return 0.5
    if m.group(3):
        return int(m.group(3)) / 12
    return float(m.group(1)) + (0.5 if m.group(2) else 0.0)


def durations(text: str) -> list[float]:
    """Every length of time in an NFKC text, in years: 「活動半年の団体」 -> [0.5]."""
    return [_duration_of(m) for m in _DURATION.finditer(text)]


def bounded_durations(text: str) -> list[tuple[float, str]]:
    """Every length of time with the bound it states, after it (「1年以上」) or before it
    (「最長3年」): (3.0, "<=")."""
    out = []
    for m in _DURATION.finditer(text):
        op = bound_after(text, m.end())
        before = text[max(0, m.start() - 4) : m.start()]
        for bound, words in lexicon().bounds_before.items():
            if op == "=" and any(before.endswith(w) for w in words):
                op = bound
        out.append((_duration_of(m), op))
    return out


# 「使用日の7日前まで」「3か月前から」: how long before a day something is done, in days.
_LEAD = re.compile(r"(?<![\d.])(\d{1,3})\s*(日|週間|か月|カ月|ヶ月|ケ月|箇月)\s*前")
_LEAD_DAYS = {"日": 1, "週間": 7}  # (a month: 30 days)


def _lead_of(m: re.Match[str]) -> float:
    return int(m.group(1)) * _LEAD_DAYS.get(m.group(2), 30)


def lead_times(text: str) -> list[float]:
    """Every 「N日前」 in an NFKC text, in days: 「3日前にキャンセル」 -> [3.0]."""
    return [_lead_of(m) for m in _LEAD.finditer(text)]


def bounded_lead_times(text: str) -> list[tuple[float, str]]:
    """Every 「N日前」 with what it bounds: 「7日前まで（に）」 allows 7 days ahead or more (">=");
    「3か月前から」 allows at most 3 months ahead ("<="). A bare one bounds nothing."""
    out = []
    for m in _LEAD.finditer(text):
        rest = text[m.end() : m.end() + 3]
        if rest.startswith("まで"):
            out.append((_lead_of(m), ">="))
        elif rest.startswith(("から", "以降")):
            out.append((_lead_of(m), "<="))
    return out


def counts(text: str) -> list[tuple[float, str]]:
    """Every number with a counter in `text`: 「29名」 -> (29.0, "名")."""
    pattern = re.compile(rf"({NUMBER})\s*({lexicon().counter_pattern})")
    return [(float(m.group(1).replace(",", "")), m.group(2)) for m in pattern.finditer(text)]


WEEKDAYS = "月火水木金土日"
_WEEKDAY = re.compile(r"([月火水木金土日])曜")
_WEEKDAY_RANGE = re.compile(r"([月火水木金土日])曜日?\s*(?:[～~〜\-－]|から)\s*([月火水木金土日])曜")


def weekdays(text: str) -> list[str]:
    """The days of the week a text names: 「日曜日もやってますか」 -> ["日"]."""
    return [m.group(1) for m in _WEEKDAY.finditer(text)]


def weekday_ranges(text: str) -> list[set[str]]:
    """The days each range covers: 「月曜日～土曜日」 -> {月, 火, 水, 木, 金, 土}."""
    out = []
    for m in _WEEKDAY_RANGE.finditer(text):
        a, b = WEEKDAYS.index(m.group(1)), WEEKDAYS.index(m.group(2))
        out.append({WEEKDAYS[i % 7] for i in range(a, b + 1 if b >= a else b + 8)})
    return out



# 「第2回」「第1次」「第3期」: which one of a series; 「フェスタ2023」: a yearly event's edition.
_EDITION = re.compile(r"第\s*(\d{1,2})\s*(回|次|期)")
NAMED_YEAR = re.compile(r"([ァ-ヶー\u4e00-\u9fff]{2,})\s*((?:19|20)\d\d)(?![\d年])")


def editions(text: str) -> list[tuple[re.Pattern[str], str]]:
    """Each edition the text names (第2次, 第3回, フェスタ2024), with a pattern matching any
    edition of the same series."""
    out = [(re.compile(rf"第(\d{{1,2}}){re.escape(m.group(2))}"), f"第{m.group(1)}{m.group(2)}") for m in _EDITION.finditer(text)]
    out += [(re.compile(rf"{re.escape(m.group(1)[-4:])}((?:19|20)\d\d)"), f"{m.group(1)[-4:]}{m.group(2)}")
            for m in NAMED_YEAR.finditer(text)]
    return out


def names_another_edition(question: str, text: str) -> bool:
    """Whether `text` names another edition of a series the question names, and not the asked
    one (「第１次…計画（平成30年度～令和５年度）」 for the 第2次 plan's period)."""
    return any(asked not in text and series.search(text) for series, asked in editions(question))


_BRACKETED = re.compile(r"[「『]([^「」『』]{2,40})[」』]")
ATTACHED_CHARS = 16  # text between a span and the name it is written beside (「…計画」（計画期間：…）)
_CLAUSE_BREAK = re.compile(r"[。、，,「」]")  # a span across one of these is said of something else


@lru_cache(maxsize=1)
def _plan_names() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A question's plan phrase, up to its kind's word; a plan named by its edition."""
    kinds = "|".join(map(re.escape, lexicon().document_kinds))
    return (re.compile(rf"[一-龥々〇ァ-ヶーぁ-ゟ]*?(?:{kinds})"),
            re.compile(rf"第\d{{1,2}}次[一-龥々〇ァ-ヶー]*?(?:{kinds})"))


def _kind(name: str) -> str | None:
    return max((k for k in lexicon().document_kinds if name.endswith(k)), key=len, default=None)


@lru_cache(maxsize=64)
def _subject_words(asked: str) -> frozenset[str]:
    """The words of a plan phrase that say what the plan is about (not its kind's word)."""
    kinds = tuple(lexicon().document_kinds)
    return frozenset(w for w in tokenize(asked) if len(w) >= 2 and not w.endswith(kinds))


def _same_plan(name: str, asked: str) -> bool:
    """Whether a plan named in a document can be the asked one: of the same kind (計画, 指針,
    プラン), sharing a word of its subject (「協働推進計画」 and 「協働のまちづくり推進計画」 share
    協働; 「環境基本計画」 shares none). The question's municipality names are taken out before."""
    if _kind(name) != _kind(asked):
        return False
    words = _subject_words(asked)
    return not words or any(w in name for w in words)


def _edition(name: str) -> str | None:
    m = next((m for m in _EDITION.finditer(name) if m.group(2) == "次"), None)
    return m.group(1) if m else None


def _names_beside(text: str) -> list[tuple[int, int, str]]:
    """Plan names a text writes: bracketed (「第３次環境基本計画」) or by edition (第１次計画)."""
    found = [(m.start(), m.end(), m.group(1)) for m in _BRACKETED.finditer(text)]
    found += [(m.start(), m.end(), m.group(0)) for m in _plan_names()[1].finditer(text)
              if not any(s <= m.start() < e for s, e, _ in found)]
    return found


def names_other_plans_period(question: str, text: str, title: str) -> bool:
    """Whether every period `text` states is written beside the name of a plan other than the
    asked one: 「第３次環境基本計画」（令和5年度～令和14年度） and 「4年間を期間とする『協働推進指針』」
    give those plans' periods; 第１次計画（平成27年度～令和元年度） in the 第３次 plan, that
    edition's. The asked plan is the one the question names, read with the document's own
    edition (its title's) when it names none. The question and title are compact; `text`
    keeps its brackets."""
    lex = lexicon()
    if any(w in question for w in lex.related_plan_words):
        return False  # 「上位計画の計画期間」 asks another plan's period
    phrase = _plan_names()[0].search(question)
    if not phrase:
        return False
    asked = phrase.group(0)
    kinds = tuple(lex.document_kinds)
    asked_edition = _edition(question) or _edition(title)
    periods = list(date_patterns().period.finditer(text))
    if not periods:
        return False
    names = _names_beside(text)
    for span in periods:
        beside = []
        for start, end, name in names:
            if end <= span.start():
                gap = text[end:span.start()]
            elif start >= span.end():
                gap = text[span.end():start]
            else:
                continue
            if len(gap) <= ATTACHED_CHARS and not _CLAUSE_BREAK.search(gap):
                beside.append((len(gap), name))
        if not beside:
            return False
        plan = compact(min(beside)[1])
        if not plan.endswith(kinds):
            return False
        edition = _edition(plan)
        if edition and asked_edition:
            if edition == asked_edition:
                return False
            continue
        bare = _EDITION.sub("", plan)
        if bare in title or title in plan or _same_plan(plan, asked):
            return False
    return True


def asks_term(question: str) -> bool:
    """「任期は何年？」: how long a post or a registration lasts (lexicon term_words)."""
    return any(w in question for w in lexicon().term_words)


@lru_cache(maxsize=1)
def term_length() -> re.Pattern[str]:
    """「委員の任期は２年とします」: the length said of a term (the match is 「２年」). Only a question
    asking the term reads it: said of a term, 「２年」 is no plan's or application's period."""
    after = "|".join(rf"(?<={re.escape(w)}は)" for w in lexicon().term_words)
    return re.compile(rf"(?:{after})\s*\d{{1,2}}\s*(?:年|か月|カ月|ヶ月)(?![度目生])")
