"""Query understanding without a model: normalisation, era years, variants, cities, type."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

# Japanese eras still used in plans: year 1 of each era in the Gregorian calendar, minus 1,
# and the era's last year number (平成31年 = 2019 is the last 平成 year).
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
ERA_LAST = {"令和": 99, "平成": 31, "昭和": 64}
_ERA_RE = re.compile(r"(令和|平成|昭和)\s*(元|\d{1,2})\s*(年度|年)")
_YEAR_RE = re.compile(r"(?<![\d令和平成昭])((?:19|20)\d{2})\s*(年度|年)")

# Spellings that differ between offices and documents; each group is expanded both ways.
VARIANTS: list[tuple[str, ...]] = [
    ("子ども", "子供", "こども"),
    ("取組", "取り組み", "取組み"),
    ("話し合い", "話合い"),
    ("申込", "申し込み", "申込み"),
    ("担い手", "にない手"),
    ("まちづくり", "街づくり", "町づくり"),
    ("地域づくり", "地域作り"),
    ("ボランティア", "ボランティヤ"),
    ("NPO", "ＮＰＯ", "特定非営利活動法人"),
    ("参加者数", "参加者", "参加人数"),
]

# Words that shape a question but say nothing about its topic.
QUESTION_WORDS = frozenset({
    "何", "なに", "なん", "いつ", "どこ", "誰", "どう", "どの", "どんな", "どのよう", "いくら", "いくつ",
    "教える", "下さる", "くださる", "ある", "居る", "いる", "為る", "する", "成る", "なる", "です", "ます",
    "挙げる", "述べる", "記載", "書く", "説明", "具体", "的", "について", "中", "頃", "か", "の", "よう",
    "知る", "分かる", "載る", "示す", "れる", "られる", "いう", "言う",
    "定義", "意味", "指す", "名称", "名前", "一覧", "全て", "すべて", "それぞれ", "主", "次",
    "予定", "具体的", "考え方", "考え", "方", "内容", "挙げ", "違い", "比べる", "何名", "何人",
    "上げる", "つ", "致す", "御座る", "欲しい", "思う", "聞く", "尋ねる", "確認", "場合", "他",
    "幾つ", "幾", "幾ら", "呼ぶ", "称する", "其々", "乗る", "違う", "全部", "どういう", "どれ", "どれくらい",
})

AnswerType = Literal["count", "date", "amount", "period", "place", "list", "definition", "name", "other"]

_TYPE_RULES: list[tuple[AnswerType, re.Pattern[str]]] = [
    # A counter interrogative is what is asked even when a period frames the question
    # (「第2次計画の期間中、いくつの地域で…」).
    ("count", re.compile(r"何(名|人|件|回|か所|箇所|ヶ所|地区|地域|団体|事業|施設|組織|校|世帯|社|個)|いくつ")),
    # 「割合の目標値はいくら」 asks for a share, not an amount of money.
    ("count", re.compile(r"割合|目標値|何割|何%|何％|(?<!補助)率は")),
    ("period", re.compile(r"期間|何年間|いつまで|いつから|何年度?まで")),
    ("amount", re.compile(r"いくら|金額|額|何円|予算|費用|上限|補助率")),
    ("count", re.compile(r"何(名|人|件|回|か所|箇所|ヶ所|地区|団体|校|世帯|社|つ|個|%|％)|人数|件数|回数|いくつ|どのくらい|どれくらい|どれだけ|どれほど|何割|割合|率は|目標値|数は")),
    ("date", re.compile(r"いつ|何月|何日|何年|何時|日付|日程|時期|開催日|実施日")),
    ("place", re.compile(r"会場|開催場所|場所は|どこで(開催|行われ|実施|開かれ)")),
    ("definition", re.compile(r"とは|定義|意味|どういう(もの|こと)|何を指|って(何|なに)(ですか|でしょうか)?[?？]?$")),
    ("list", re.compile(r"挙げ|教えて|一覧|どんな|どのような|何があ|列挙|すべて|全て|主な|内容")),
    ("name", re.compile(r"何という|名称|名前|誰|どこ|どの(団体|組織|施設)")),
]


@dataclass(frozen=True)
class Query:
    original: str
    normalized: str  # NFKC
    keyword_text: str  # normalized + era/variant expansions, for BM25
    expansions: tuple[str, ...] = ()
    cities: list[str] = field(default_factory=list)
    answer_type: AnswerType = "other"


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def era_to_year(era: str, year: str) -> int:
    return ERAS[era] + (1 if year == "元" else int(year))


def year_to_eras(year: int) -> list[tuple[str, int]]:
    """Era forms of a Gregorian year; a changeover year (2019) has two."""
    return [(era, year - base) for era, base in ERAS.items() if 1 <= year - base <= ERA_LAST[era]]


def expand_years(text: str) -> list[str]:
    """The other form of every year in `text`: 令和6年 -> 2024年, 2024年度 -> 令和6年度."""
    out: list[str] = []
    for m in _ERA_RE.finditer(text):
        out.append(f"{era_to_year(m.group(1), m.group(2))}{m.group(3)}")
    for m in _YEAR_RE.finditer(text):
        for era, n in year_to_eras(int(m.group(1))):
            out.append(f"{era}{'元' if n == 1 else n}{m.group(2)}")
            if n == 1:
                out.append(f"{era}1{m.group(2)}")
    return out


def asked_years(text: str) -> list[int]:
    """The Gregorian years a question names, by era or not (「令和7年度」 -> 2025)."""
    years = [era_to_year(m.group(1), m.group(2)) for m in _ERA_RE.finditer(text)]
    return years + [int(m.group(1)) for m in _YEAR_RE.finditer(text)]


def year_forms(year: int) -> list[str]:
    """How documents write a year, without spaces: 2025年, 令和7年, R7(年度)."""
    forms = [f"{year}年"]
    for era, n in year_to_eras(year):
        forms += [f"{era}{n}年", f"{era}元年"] if n == 1 else [f"{era}{n}年"]
        if era == "令和":
            forms.append(f"R{n}")
        if era == "平成":
            forms.append(f"H{n}")
    return forms


def expand_variants(text: str) -> list[str]:
    out: list[str] = []
    for group in VARIANTS:
        if any(v in text for v in group):
            out.extend(v for v in group if v not in text)
    return out


def find_cities(text: str, cities: list[str]) -> list[str]:
    """Cities named in `text`, by full name (山口市) or by stem when unambiguous (一関)."""
    found = []
    for city in cities:
        stem = re.sub(r"[市町村区]$", "", city)
        if city in text or (len(stem) >= 2 and re.search(rf"{re.escape(stem)}(?![県都府道])", text)):
            found.append(city)
    return found


def answer_type(text: str) -> AnswerType:
    for kind, pattern in _TYPE_RULES:
        if pattern.search(text):
            return kind
    return "other"


def parse_query(question: str, cities: list[str]) -> Query:
    normalized = nfkc(question).strip()
    extra = expand_years(normalized) + expand_variants(normalized)
    return Query(
        original=question,
        normalized=normalized,
        keyword_text=" ".join([normalized, *extra]),
        expansions=tuple(extra),
        cities=find_cities(normalized, cities),
        answer_type=answer_type(normalized),
    )
