"""Years and dates as Japanese plans write them, from the eras of the lexicon.

One era list (lexicon/eras.yaml) gives every pattern: an era year (令和6年度), a date
(令和6年7月29日, 2024年4月), a period (令和6年度から令和10年度までの5年間), a cover date,
and the conversions between era and Gregorian years.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.lexicon import Era, lexicon

NUMBER = r"(?:元|\d{1,2})"  # an era year number: 元年 is year 1
WEEKDAY = r"(?:\s*[（(][月火水木金土日](?:曜日?)?[)）])"  # 「4月1日（火）」
WEEKLY = r"(?:毎週|毎月|第\s*\d(?:\s*[・、,]\s*第?\s*\d)*\s*)?[月火水木金土日]曜日?"  # 「毎週月曜日」
MONTH_DAY = rf"(?:\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日{WEEKDAY}?)?)"

_DAY = rf"\d{{1,2}}\s*日{WEEKDAY}?"
# 「12月28日（土）から1月4日（土）まで」「12月29日～1月3日」: a span of days within a year, both
# ends given (「から」 needs its 「まで」: 「4月1日から受付」 gives a start only).
DAY_SPAN = (rf"(?<!\d)\d{{1,2}}\s*月\s*{_DAY}\s*(?:から\s*(?:\d{{1,2}}\s*月\s*)?{_DAY}\s*まで"
            rf"|[～〜~]\s*(?:\d{{1,2}}\s*月\s*)?{_DAY})")

# 「作業日の2週間前まで」「利用日の7日前までに」「利用日の前日まで」: a deadline counted back from
# the day of use, the answer to 「いつまでに申し込む？」.
RELATIVE_DEADLINE = r"(?:\d{1,3}\s*(?:日|週間|か月|ヶ月|カ月)\s*前|前々日|前日|当日)まで"
# 「最長３年度」「１年度限り」「3か月以内」「2年以内」「14日間」: how long something may last, as
# rules write it; a year of the calendar (「令和8年度まで」「2026年度」) is not one, nor a month
# counted back (「3か月前の月の1日から」).
LENGTH_OF_TIME = (
    r"(?<![\d年和成昭正治元])(?:最長|最大|通算|連続)\s*\d{1,2}\s*(?:か|カ|ヶ|ケ|箇)?(?:年度|年|月)"
    r"|(?<![\d年和成昭正治元])\d{1,2}\s*(?:年度|(?:か|カ|ヶ|ケ|箇)年度?)\s*(?:限り|以内|間)"
    r"|(?<![\d年和成昭正治元])\d{1,2}\s*年\s*以内"
    r"|(?<!\d)\d{1,3}\s*(?:か|カ|ヶ|ケ|箇)月\s*(?:間|以内)"
    r"|(?<!\d)\d{1,3}\s*(?:日|週)間"
)


class DatePatterns:
    """The compiled date patterns, built once from the era list."""

    def __init__(self, eras: tuple[Era, ...]) -> None:
        self.eras = eras
        names = "|".join(re.escape(e.name) for e in eras)
        chars = "".join(sorted({ch for e in eras for ch in e.name}))
        letters = "".join(e.letter for e in eras if e.letter)
        self.era_names = names
        # 「令和6年度」, with its parts: era, number, 年 or 年度.
        self.era_year = re.compile(rf"({names})\s*(元|\d{{1,2}})\s*(年度|年)")
        # 「R6」「Ｒ８年度」「H30」: an era year by the era's letter, as tables and staff write it;
        # not inside a word or a longer number (「RPG」「R100」).
        self.letter_year = re.compile(
            rf"(?<![A-Za-z0-9])([{letters}])\s*(元|\d{{1,2}})(?:\s*(年度|年))?(?![0-9A-Za-z])"
        ) if letters else re.compile(r"(?!)")
        # 「2024年度」, not the tail of an era year or of a longer number.
        self.western_year = re.compile(rf"(?<![\d{chars}])((?:19|20)\d{{2}})\s*(年度|年)")
        # A date: a year (era or Gregorian), maybe 年度, maybe with month and day.
        # (「令和7年度（2025年度）から」: the Gregorian year glossed in brackets is part of it)
        self.date = rf"(?:(?:{names})\s*{NUMBER}|\d{{4}})\s*年度?{MONTH_DAY}?(?:\s*[（(]\s*(?:19|20)\d{{2}}\s*年度?\s*[）)])?"
        # A date as a value of a 「いつ」 question (a month and day alone counts; so does R6).
        self.date_value = re.compile(
            rf"(?:{names})\s*{NUMBER}\s*年(?:度)?{MONTH_DAY}?|\d{{4}}\s*年(?:\s*\d{{1,2}}\s*月)?"
            rf"|\d{{1,2}}\s*月\s*\d{{1,2}}\s*日" + (rf"|[{letters}]\d{{1,2}}" if letters else "")
            # A day of the week a schedule repeats on (「休館日：月曜日」「第2・第4土曜日」).
            + rf"|{WEEKLY}"
            # A month said as a time of year (「６月下旬に通知」「受付は毎年７月」「９月末まで」).
            + r"|(?:毎年|例年)\s*\d{1,2}\s*月(?:上旬|中旬|下旬|末|頃|ごろ)?|\d{1,2}\s*月\s*(?:上旬|中旬|下旬|末|頃|ごろ)"
            + rf"|{RELATIVE_DEADLINE}"
        )
        # A period: 「令和6年度から令和10年度まで(の5年間)」, 「5年間」.
        # The end may give only a month and day (「令和7年4月1日（火）から5月9日（金）まで」).
        self.period = re.compile(
            rf"{self.date}\s*(?:から|～|〜|~|-|－)\s*(?:{self.date}|{MONTH_DAY})?\s*(?:まで)?(?:の\s*\d+\s*年間)?|\d+\s*年間"
            rf"|{RELATIVE_DEADLINE}|{LENGTH_OF_TIME}"
            # 「12月28日（土）から1月4日（土）まで休館」: a span of days within a year, both ends given.
            rf"|{DAY_SPAN}"
        )
        self.period_end = re.compile(rf"{self.date}\s*まで")
        self.relative_deadline = re.compile(RELATIVE_DEADLINE)
        self.day_span = re.compile(DAY_SPAN)
        self.length_of_time = re.compile(rf"{LENGTH_OF_TIME}|\d+\s*年間")
        # The date printed on a cover: a year and a month at least.
        self.cover_date = re.compile(
            rf"(?:{names})\s*{NUMBER}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?|\d{{4}}\s*年\s*\d{{1,2}}\s*月"
        )
        self.month_day = re.compile(r"\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")
        # A month named with or without its year (「令和6年5月」「9月末」), the month as `month`.
        eras = f"(?:{names}" + (f"|[{letters}]" if letters else "") + ")"
        self.year_month = re.compile(
            rf"(?:{eras}\s*(?:元|\d{{1,2}})\s*年|(?:19|20)\d{{2}}\s*年)?\s*(?P<month>\d{{1,2}})\s*月(?:末|中|初め|上旬|中旬|下旬|頃)?"
        )
        self.clock_time = re.compile(r"\d{1,2}\s*時|\d{1,2}:\d{2}")
        # Years and days in a table row, which are labels of a count, not counts.
        self.year_labels = re.compile(
            rf"(?:{names}" + (f"|[{letters}]" if letters else "") + rf")\s*{NUMBER}\s*(?:年度|年)?"
            r"|\d{4}\s*年度?|\d{1,2}\s*(?:月|日)"
        )


@lru_cache(maxsize=1)
def patterns() -> DatePatterns:
    return DatePatterns(lexicon().eras)


def _era(name: str) -> Era:
    return next(e for e in lexicon().eras if e.name == name)


def _era_of_letter(letter: str) -> Era:
    return next(e for e in lexicon().eras if e.letter == letter)


def era_to_year(era: str, year: str) -> int:
    return _era(era).first_year - 1 + (1 if year == "元" else int(year))


def year_to_eras(year: int) -> list[tuple[str, int]]:
    """Era forms of a Gregorian year; a changeover year (2019) has two."""
    return [(e.name, year - e.first_year + 1) for e in lexicon().eras if 1 <= year - e.first_year + 1 <= e.last]


def expand_years(text: str) -> list[str]:
    """The other form of every year in `text`: 令和6年 -> 2024年, 2024年度 -> 令和6年度."""
    p = patterns()
    out: list[str] = []
    for m in p.era_year.finditer(text):
        out.append(f"{era_to_year(m.group(1), m.group(2))}{m.group(3)}")
    for m in p.western_year.finditer(text):
        for era, n in year_to_eras(int(m.group(1))):
            out.append(f"{era}{'元' if n == 1 else n}{m.group(2)}")
            if n == 1:
                out.append(f"{era}1{m.group(2)}")
    for m in p.letter_year.finditer(text):
        era = _era_of_letter(m.group(1))
        out.append(f"{era.name}{m.group(2)}{m.group(3) or '年度'}")
        out.append(f"{era_to_year(era.name, m.group(2))}{m.group(3) or '年度'}")
    return out


def written_years(text: str) -> list[str]:
    """The year expressions a text writes, in any form (「令和8年度」「2024年」「R6」)."""
    p = patterns()
    return [m.group(0) for pattern in (p.era_year, p.western_year, p.letter_year) for m in pattern.finditer(text)]


def asked_years(text: str) -> list[int]:
    """The Gregorian years a text names, by era or not (「令和7年度」 -> 2025)."""
    p = patterns()
    years = [era_to_year(m.group(1), m.group(2)) for m in p.era_year.finditer(text)]
    years += [era_to_year(_era_of_letter(m.group(1)).name, m.group(2)) for m in p.letter_year.finditer(text)]
    return years + [int(m.group(1)) for m in p.western_year.finditer(text)]


def fiscal_years(text: str) -> set[int]:
    """The fiscal years a statement speaks of: 「令和2年度」 is 2020; a date's year may be its
    fiscal year's or the next (「令和7年3月9日」 falls in 令和6年度); 「令和2年度から令和6年度まで」
    covers the years between."""
    p = patterns()
    out: set[int] = set()
    for m in p.era_year.finditer(text):
        year = era_to_year(m.group(1), m.group(2))
        out |= {year} if m.group(3) == "年度" else {year - 1, year}
    for m in p.western_year.finditer(text):
        year = int(m.group(1))
        out |= {year} if m.group(2) == "年度" else {year - 1, year}
    out |= {era_to_year(_era_of_letter(m.group(1)).name, m.group(2)) for m in p.letter_year.finditer(text)}
    if len(out) >= 2 and re.search(r"から|～|〜|~", text):
        out |= set(range(min(out), max(out) + 1))
    return out


def year_forms(year: int) -> list[str]:
    """How documents write a year, without spaces: 2025年, 令和7年, R7."""
    forms = [f"{year}年"]
    for era, n in year_to_eras(year):
        forms += [f"{era}{n}年", f"{era}元年"] if n == 1 else [f"{era}{n}年"]
        letter = _era(era).letter
        if letter:
            forms.append(f"{letter}{n}")
    return forms
