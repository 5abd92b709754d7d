"""The question, parsed once: `parse_query` returns a typed `Query` holding everything the
answer engine asks about it (normalised text, cities, years, answer type, asked unit,
subject and focus words, definition target, what kind of date, yes/no, facets).

Nothing downstream re-reads the question text: strategies and gates read these fields.
Word lists and cue patterns come from the lexicon (assistant/lexicon/*.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Literal

from assistant.dates import asked_years, expand_years, written_years
from assistant.dates import patterns as date_patterns
from assistant.lexicon import lexicon
from assistant.text import NameScanner, city_stem, compact, nfkc, strip_city
from assistant.tokens import tokenize, tokenizer
from assistant.values import NAMED_YEAR, amounts, asks_term, counts, durations, lead_times, weekdays

AnswerType = Literal["count", "date", "amount", "period", "place", "list", "definition", "name", "other"]
VALUE_TYPES = ("count", "amount", "date", "period", "place")

QUOTED = re.compile(r"[「『]([^」』]{2,40})[」』]")  # a quoted name: 「協働によるまちづくり研修」
_WANTED_COUNT = re.compile(r"(\d+)\s*つ")
# 「いくつの地域」「いくつテーマを示す」 (not 「いくつ出展した」: a verb).
_ASKED_NOUN = re.compile(r"いくつ(?:の)?\s*([\u4e00-\u9fffァ-ヶー]{2,})(?![しすさせ])")
_DATE_PART = re.compile(r"(?:令和|平成)\d+年度?|\d{4}年度?")
# Where a question asking two things divides: a comma, or a て-form right before the second
# interrogative (「いつ始まって何団体が…」).
# Also 「会場と来場者数」: two nouns joined by と (a part asking nothing joins the next again).
_NAMED_BEFORE_TO = re.compile(r"([\u4e00-\u9fffァ-ヶー]+)と$")  # the noun a part ends with, before 「と」
_ATTRIBUTE_BEFORE_TO = re.compile(r"(?:の|する|した|できる)[\u4e00-\u9fffァ-ヶー]+と$")  # 「町の人口と」「登録する条件と」: something's attribute
_NOUN_ASKED = re.compile(r"[\u4e00-\u9fffァ-ヶー]{2,}(?:は|を|って|が|も)")  # 「高齢化率を教えて」
_ENDS_ON_NOUN = re.compile(r"[\u4e00-\u9fffァ-ヶー]$")
_FACET_SPLIT = re.compile(
    r"[、,]|[?？](?=.)|(?<=[てで])(?=[^、]{0,8}(?:何|いつ|どこ|誰|いくら|いくつ))"
    r"|(?<=[\u4e00-\u9fffァ-ヶー]と)(?=[\u4e00-\u9fffァ-ヶー])"
    # 「何人回答して回収率は？」: after a て-form, a noun asked at the question's end is a part.
    r"|(?<=[てで])(?=[\u4e00-\u9fffァ-ヶー]{2,}(?:は|って)[?？]?$)"
)


@dataclass(frozen=True)
class Facet:
    """One part of a question that asks two things (「いつから始まり、何か所ある？」)."""

    text: str
    answer_type: AnswerType
    unit: str | None = None


@dataclass(frozen=True)
class Focus:
    """A noun phrase the answer must be about (「飲食ブース」「開館時間」「第1回」), with its parts
    as Sudachi reads them (surface, normalized form)."""

    text: str
    parts: tuple[tuple[str, str], ...]
    exact: bool = False  # an ordinal or a number (「第1回」) must stand as written
    frame: bool = False  # 「建物のどこ」: says where to look for the answer, not what it is about
    means: bool = False  # 「メールで出せますか」: in a yes/no question, the way asked about (the case)


@dataclass(frozen=True)
class Query:
    original: str
    normalized: str  # NFKC, stripped
    keyword_text: str  # normalized + era/variant expansions, for BM25
    expansions: tuple[str, ...] = ()
    cities: list[str] = field(default_factory=list)
    answer_type: AnswerType = "other"
    years: tuple[int, ...] = ()  # Gregorian years the question names
    unit: str | None = None  # the unit a count asks for, as an alternation (「何名」 -> 名|人)
    counted: str | None = None  # what a count counts (「市民センターは何か所」 -> 市民センター)
    wanted_count: int | None = None  # 「3つの基本方針」
    topic: str | None = None  # the subject phrase (a quoted name, else up to the first particle)
    subject: str | None = None  # a specific thing the question is about (「おおうち産業フェア」)
    subject_head: str | None = None  # the last noun of the topic (「地元の会社」 -> 会社)
    asked_noun: str | None = None  # the question's last noun, what it asks for (「大事にしている約束って？」 -> 約束)
    definition_target: str | None = None  # 「補完性の原則とは」 -> 補完性の原則
    asks_day: bool = False  # 「いつ開催」: a month and day
    asks_year: bool = False  # 「いつ創設」「何年度」: a year will do
    asks_time: bool = False  # 「何時まで」: a time of day
    asks_period_end: bool = False  # 「何年度まで」 without 「から」
    asks_document_date: bool = False  # 「いつ付けの計画」: the cover
    asks_prefecture: bool = False  # 「何県にある市」: the prefecture a municipality is in
    asks_which: bool = False  # 「どれ」「すべて挙げて」
    asks_share: bool = False  # 「高齢化率」「何割」: a percentage or a fraction
    asks_tally: bool = False  # 「回収数」「参加者数」: a number of things, never a percentage
    asks_magnitude: bool = False  # 「どれくらいまで」: a size of any kind, a share included
    asks_term: bool = False  # 「任期は何年」: how long a post or a registration lasts
    asks_reason: bool = False  # 「なぜ」「原因は」: a reason, given by a sentence that says why
    superlative: str | None = None  # "max" / "min": 「いちばん多かった月」 asks for a table's extreme row
    top_n: int = 1  # rows from the extreme asked for (「上位3つ」 -> 3)
    yes_no: bool = False  # 「〜できますか」「〜は対象？」
    part: str | None = None  # the part of a question answered on its own (a facet's words)
    negated: bool = False  # the question itself says 「ない」 (「〜は対象外ですか」)
    predicate: str | None = None  # what a yes/no question asks about (「提案できる？」 -> 提案)
    person_title: str | None = None  # 「会長は誰？」: the title whose holder's name is asked
    asks_total: bool = False  # 「総額」「合計」: a total, not a cap or a per-unit value
    asks_cap: bool = False  # 「上限」「1団体あたり」: a cap or a per-unit value, not a total
    column: str | None = None  # the indicator column asked for: target, current or actual (「何％にしたい」)
    amounts: tuple[float, ...] = ()  # amounts of money the question states, in yen (「30万円もらえる？」)
    counts: tuple[tuple[float, str], ...] = ()  # numbers with a counter the question states
    durations: tuple[float, ...] = ()  # lengths of time the question states, in years (「活動半年」 -> 0.5)
    lead_times: tuple[float, ...] = ()  # how long before a day the question's case is, in days (「3日前に」 -> 3)
    weekdays: tuple[str, ...] = ()  # days of the week a yes/no question names (「日曜日もやってますか」 -> 日)
    facets: tuple[Facet, ...] = ()  # two or more things asked at once
    tokens: tuple[str, ...] = ()  # Sudachi tokens of the question
    expansion_tokens: tuple[str, ...] = ()
    nouns: tuple[tuple[str, str], ...] = ()  # (surface, normalized) content nouns
    noun_words: frozenset[str] = frozenset()  # the nouns' normalized forms and their parts
    topic_words: frozenset[str] = frozenset()  # the topic's tokens, question words left out
    places: tuple[tuple[str, str], ...] = ()  # (name, suffix) of every 「…市/町/村/県」 named
    focus: tuple[Focus, ...] = ()  # what the answer must be about (question words, cities, attributes left out)
    attributes: tuple[Focus, ...] = ()  # the attributes asked by a word of their own (「申請期間」「休館日」)
    city_texts: tuple[tuple[str, str], ...] = ()  # per named city: the question without the others

    def mentions(self, word: str) -> bool:
        return word in self.normalized

    def text_for_city(self, city: str) -> str:
        return dict(self.city_texts).get(city, self.normalized)

    def summary(self) -> dict[str, object]:
        """What the trace shows of how the question was read."""
        out: dict[str, object] = {
            "normalized": self.normalized,
            "cities": list(self.cities),
            "years": list(self.years),
            "answer_type": self.answer_type,
        }
        optional = {
            "unit": self.unit, "wanted_count": self.wanted_count, "topic": self.topic, "subject": self.subject,
            "definition_target": self.definition_target if self.answer_type == "definition" else None,
            "yes_no": self.yes_no or None, "asks_day": self.asks_day or None, "asks_time": self.asks_time or None,
            "asks_period_end": self.asks_period_end or None, "asks_document_date": self.asks_document_date or None,
            "asks_share": self.asks_share or None, "asks_tally": self.asks_tally or None,
            "asks_magnitude": self.asks_magnitude or None, "asks_term": self.asks_term or None,
            "asks_reason": self.asks_reason or None,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        if self.focus:
            # What the quotes must be about: a nickname kept whole (「むくのば」), a document named
            # as where to read marked as framing (「概要版（枠）」).
            out["focus"] = [f"{f.text}（枠）" if f.frame else f.text for f in self.focus]
        if self.facets:
            # 「回収数と回収率」: each part's own kind of number.
            out["facets"] = [{"text": f.text, "answer_type": f.answer_type,
                              **{k: True for k, v in zip(("asks_share", "asks_tally"), number_kind(f)) if v}}
                             for f in self.facets]
        return out


# ----------------------------------------------------------------------------- pieces


def expand_variants(text: str) -> list[str]:
    out: list[str] = []
    for group in lexicon().variants:
        if any(v in text for v in group):
            out.extend(v for v in group if v not in text)
    return out


@lru_cache(maxsize=64)
def _city_finder(cities: tuple[str, ...]) -> tuple[NameScanner | None, dict[str, str]]:
    """One scanner for every city name and unambiguous stem (「一関」), longest first: a
    question is scanned once, however many cities the index holds."""
    owner: dict[str, str] = {}
    for city in cities:
        owner[city] = city
        stem = city_stem(city)
        if len(stem) >= 2:
            owner.setdefault(stem, city)
    if not owner:
        return None, owner
    return NameScanner(owner), owner


def find_cities(text: str, cities: list[str] | tuple[str, ...]) -> list[str]:
    """Cities named in `text`, by full name (山口市) or by stem (一関), not as part of a
    prefecture (山口県)."""
    pattern, owner = _city_finder(tuple(cities))
    if pattern is None:
        return []
    found: set[str] = set()
    for start, end in pattern.spans(text):
        name = text[start:end]
        city = owner[name]
        if name == city or text[end : end + 1] not in ("県", "都", "府", "道"):
            found.add(city)
    return [c for c in cities if c in found]


def answer_type(text: str) -> AnswerType:
    for kind, pattern in lexicon().type_rules:
        if pattern.search(text):
            return kind  # type: ignore[return-value]
    return "other"


def asked_unit(question: str) -> str | None:
    """The unit a count question asks for, as a pattern: 「何名」 -> 名|人; 「いくつの地域協働体」
    -> the noun or a counter it ends with (地域協働体|協働体). None when any count will do."""
    lex = lexicon()
    days = lex.duration_asked.search(question)
    if days:
        return re.escape(days.group(1))  # 「何日以内」 -> 日: 「7日以内」
    asked = re.search(rf"何\s*({lex.counter_pattern})", question)
    if asked:
        return "|".join(re.escape(u) for u in lex.same_unit(asked.group(1)))
    noun = _ASKED_NOUN.search(question)
    if noun:
        word = noun.group(1)
        counters = set(lex.counters)
        tails = [word[i:] for i in range(1, len(word)) if word[i:] in counters]
        return "|".join(re.escape(w) for w in [word, *tails])
    # 「登録団体数は？」「参加人数は？」: the counter before 数 (「3割」 does not count 団体).
    counted = re.search(rf"({lex.counter_pattern})数(?:は|って|を|が|も|\s*[?？]|$)", question)
    if counted:
        return "|".join(re.escape(u) for u in lex.same_unit(counted.group(1)))
    return None


def topic_of(question: str, cities: list[str] | tuple[str, ...]) -> str | None:
    """What the question is about: a quoted name, else its subject phrase."""
    lex = lexicon()
    q = nfkc(question)
    quoted = QUOTED.search(q)
    if quoted:
        return quoted.group(1)
    q = lex.opener_pattern.sub("", q)
    m = lex.subject_end.search(q)
    phrase = q[: m.start()] if m else lex.question_tail_pattern.sub("", q)
    phrase = strip_city(phrase.strip(), cities)
    if len(phrase) < 2 and m:
        # 「山口市って地域おこし協力隊を…」: the first phrase was only the city.
        rest = q[m.end() :].lstrip("、, ")
        n = lex.subject_end.search(rest)
        phrase = strip_city((rest[: n.start()] if n else lex.question_tail_pattern.sub("", rest)).strip(), cities)
    return phrase if len(phrase) >= 2 else None


def subject_of(topic: str | None) -> str | None:
    """The head of the subject phrase without a trailing attribute and dates:
    「おおうち産業フェアの来場者数」 -> 「おおうち産業フェア」. None when the phrase names no
    specific thing (「計画期間」)."""
    if not topic:
        return None
    lex = lexicon()
    inside = "|".join(lex.inside_city)
    # 「岩国市内の…」 loses only the city to strip_city; 「内」 is left over.
    topic = re.sub(rf"^(?:{inside})(?:の|で|に)?", "", compact(topic))
    # Dates qualify the subject (「令和6年度の」), they do not name it.
    # 「自治会長情報交換会、会場は」 reads as 「自治会長情報交換会の会場は」.
    parts = [p for p in re.split(r"[の、,]", topic) if p and not _DATE_PART.fullmatch(p)]
    while len(parts) > 1 and lex.attribute_end.search(parts[-1]):
        parts.pop()
    head = "の".join(parts)
    return head if len(head) >= 3 and not lex.attribute_end.search(head) else None


def definition_target(question: str) -> str | None:
    lex = lexicon()
    for pattern in lex.definition_question_patterns:
        m = pattern.search(question)
        if m:
            target = lex.definition_qualifier_pattern.sub("", m.group("T")).strip()
            return target if len(target) >= 2 else None
    return None


_PREDICATE_POS = ("動詞", "形容詞", "助動詞")
_CONTENT_POS = ("動詞", "形容詞", "名詞")
_PHRASE_POS = ("名詞", "形状詞", "接頭辞")  # what a noun phrase is made of (「新規事業」)


# 「…できる？（汐見町）」「…応募できる？汐見町の補助金」: what follows the question mark only
# names what it is about; the asking ends at the mark.
_AFTERWORD = re.compile(r"(?<=[?？])[^?？]+$|\s*[（(][^（）()]*[)）]\s*$")


def _content_morphemes(text: str) -> list[tuple[str, str, str, str, str]]:
    """The question's morphemes without symbols and final particles (「…ますか」「…の？」)."""
    text = _AFTERWORD.sub("", text.strip()) or text
    morphemes = [m for m in tokenizer().morphemes(text) if m[1] not in ("補助記号", "空白")]
    while morphemes and morphemes[-1][1] == "助詞" and morphemes[-1][2] == "終助詞":
        morphemes.pop()
    return morphemes


def _asks_something(text: str) -> bool:
    """An interrogative as a word of its own: 「必須なんですか」 holds なん as 「なのです」, not 何."""
    lex = lexicon()
    if not lex.interrogative_pattern.search(text):
        return False
    words = set(lex.interrogatives)
    return any((m[3] in words or any(m[0].startswith(w) for w in words)) and m[1] not in ("助動詞", "助詞")
               for m in tokenizer().morphemes(text))


# 「任期って3年？」「上限は30万円まで？」: a question that ends by stating a value asks whether it is so.
@lru_cache(maxsize=1)
def _ends_with_value_pattern() -> re.Pattern[str]:
    units = rf"万円|千円|円|年間?|年半|か月|ヶ月|カ月|{lexicon().counter_pattern}"
    return re.compile(rf"\d[\d,.]*\s*(?:{units})\s*(?:まで|以上|以内|以下|だけ)?\s*(?:ですか|でしょうか|なの|なんですか|か)?\s*[?？]?$")


def _ends_with_value(text: str) -> bool:
    return bool(_ends_with_value_pattern().search(text.strip()))


def is_yes_no(text: str, kind: AnswerType) -> bool:
    """「〜は提案できる？」「〜は対象になりますか」: no interrogative, no request, and the
    question ends in a predicate (a verb, an adjective, an auxiliary, before a final か/の) or
    in a noun that states something (「〜は対象？」)."""
    lex = lexicon()
    if kind == "definition":
        return False
    # A list asked for is asked with an interrogative or a request (「どんな」「挙げて」), caught
    # below; a list cue inside a yes/no question (「主な目的の団体も登録できますか」「２つの事業を
    # 申請できますか」) describes the case asked about.
    plain = lex.indefinite_pattern.sub("", text)
    if _asks_something(plain) or lex.request_pattern.search(plain):
        return False
    morphemes = _content_morphemes(text)
    if not morphemes:
        return False
    surface, pos = morphemes[-1][:2]
    return pos in _PREDICATE_POS or (pos in ("名詞", "形状詞") and surface in lex.yes_no_nouns)


def predicate_of(text: str) -> str | None:
    """The content word a yes/no question asks about, as a normalized form: the last verb or
    adjective, or the last noun phrase, skipping auxiliaries and light verbs
    (「対象になりますか」 -> 対象, 「提案できる？」 -> 提案, 「新規事業ですか」 -> 新規事業)."""
    lex = lexicon()
    light = lex.light_verbs
    morphemes = _content_morphemes(text)
    for i in range(len(morphemes) - 1, -1, -1):
        surface, pos, sub, normalized = morphemes[i][:4]
        if pos not in _CONTENT_POS or (pos == "名詞" and sub in ("数詞", "代名詞")):
            continue
        after = morphemes[i + 1][3] if i + 1 < len(morphemes) else ""
        framing = surface in lex.frame_nouns and after in ("有る", "ある", "無い", "ない")  # 「予定ある」, not 「必要ですか」
        if normalized in light or surface in light or framing or surface in lex.formal_nouns:
            continue
        if pos != "名詞":
            return normalized
        start = i
        while start > 0 and morphemes[start - 1][1] in _PHRASE_POS and morphemes[start - 1][2] not in ("数詞", "代名詞"):
            start -= 1
        return "".join(m[3] for m in morphemes[start : i + 1])
    return None


def top_n_of(text: str) -> int:
    """How many rows from the top a question asks for (「上位3つ」 -> 3), else 1."""
    m = lexicon().top_n.search(text)
    return max(1, min(int(m.group(1)), 20)) if m else 1


def superlative_of(text: str) -> str | None:
    """"max" or "min" when the text asks for an extreme (「いちばん多かった」「最も少ない」, 「上位3つ」)."""
    lex = lexicon()
    side = next((side for side, cues in lex.superlatives.items() if any(c in text for c in cues)), None)
    return side or ("max" if lex.top_n.search(text) else None)


def _facet_kind(part: str) -> AnswerType:
    kind = answer_type(part)
    if kind == "other" and superlative_of(part):
        return "name"  # 「一番多かった分野は？」 asks which one
    # 「どこでやって」「どこであった」: where something happened, in speech.
    return "place" if kind == "name" and "どこ" in part else kind


def facets_of(text: str) -> tuple[Facet, ...]:
    """The parts of a question that each ask their own thing: 「いつ、どこで開催されて、何団体が
    出展した？」 -> (date, place, count); 「提案書の受付期間と、事前相談の期間」 -> two periods.
    A part that asks nothing itself (the subject 「フェスタは」) joins the next part. () for a
    question asking one thing."""
    parts = [p.strip() for p in _FACET_SPLIT.split(text) if p and p.strip()]
    if len(parts) < 2:
        return ()
    lex = lexicon()
    out: list[Facet] = []
    prefix = ""
    kinds = [_facet_kind(part) for part in parts]
    if kinds[-1] == "other" and _ENDS_ON_NOUN.search(parts[-1]):
        kinds[-1] = _facet_kind(f"{parts[-1]}は？")  # 「…と回収率」: the last noun asked as if 「回収率は？」
    for i, part in enumerate(parts):
        kind = kinds[i]
        named = _NAMED_BEFORE_TO.search(part)
        own_noun = False  # 「人口と高齢化率」: a thing named before 「と」 asks its own answer
        if kind == "other" and named and i + 1 < len(parts) and kinds[i + 1] in VALUE_TYPES:
            # 「回収数と回収率は？」「ロッカーの料金と区画数は？」: a measure named before 「と」
            # asks its own value, of the kind it would ask alone (「回収数は？」: a count).
            alone = answer_type(f"{named.group(1)}は？")
            kind = alone if alone in VALUE_TYPES else kind
            # Only an attribute of a subject (「町の人口と」「補助金の対象と」) before a part that
            # names its own (「高齢化率を…」): not 「協議会と市が連携して」「前の年度と比べて」,
            # nor the first half of one name (「社会教育と地域づくり実践研修」).
            own_noun = (kind == "other" and bool(_ATTRIBUTE_BEFORE_TO.search(part))
                        and bool(_NOUN_ASKED.match(parts[i + 1])))
        asks = (
            kind != "other" and bool(named)
            or lex.interrogative_pattern.search(part) or lex.request_pattern.search(part)
            or superlative_of(part)
            or part.endswith(("と", "や", "とか"))
            or bool(out) and part.rstrip("?？").endswith("は")  # 「名前と発行部数は？」: the last of the nouns
            # 「回答者数と回収率」: a terse question ends on its last noun, asked as the others.
            or bool(out) and i == len(parts) - 1 and bool(_ENDS_ON_NOUN.search(part.rstrip("?？")))
        )
        # 「どんな活動をするの？例を教えて」: a part naming nothing of its own (only 例, 一覧, 詳しく)
        # asks the previous part again, in other words.
        restates = (bool(out) and kind == out[-1].answer_type and kind not in VALUE_TYPES
                    and not lex.interrogative_pattern.search(part) and not focus_of(part, ()))
        # 「締切はいつで、なんで延長したの？」: a reason asked is a part of its own, told by a sentence.
        reason = kind == "other" and bool(out) and bool(lex.cue("asks_reason").search(part))
        if (kind == "other" and not own_noun and not reason) or not asks or restates:
            if out:
                out[-1] = Facet(f"{out[-1].text}、{part}", out[-1].answer_type, out[-1].unit)
            else:
                prefix = f"{prefix}{part}、"
            continue
        text_ = f"{prefix}{part}"
        prefix = ""
        out.append(Facet(text_, kind, asked_unit(part) if kind == "count" else None))
    if len(out) < 2:
        return ()
    distinct = len({(f.answer_type, f.unit) for f in out}) >= 2 or len({f.text for f in out}) == len(out)
    return tuple(out) if distinct else ()


def asks_tally(text: str) -> bool:
    """「有効回答数は？」「参加者数と回収率」: a word ending in 数 asks a number of things (not a
    「数字」, not 「複数」), and no share is asked in the same words."""
    lex = lexicon()
    if lex.cue("asks_share").search(text):
        return False
    return any(w.endswith(tuple(lex.cue_words["asks_tally"])) and not any(w.endswith(n) for n in lex.not_tallies)
               for w in _COMPOUND.findall(text))


def number_kind(facet: Facet) -> tuple[bool, bool]:
    """(asks_share, asks_tally) of one part of a question: 「回収数と回収率は？」 asks a count of
    things in one part and a share in the other; 「補助率と上限額は？」 a share and an amount."""
    if facet.answer_type == "amount":
        return bool(lexicon().cue("asks_share").search(facet.text)), False
    if facet.answer_type != "count":
        return False, False
    return bool(lexicon().cue("asks_share").search(facet.text)), asks_tally(facet.text)


def facet_query(query: Query, facet: Facet) -> Query:
    """The question as one of its facets asks it: the facet's answer type and cues, the whole
    question's words, cities and subject."""
    lex = lexicon()
    text = facet.text
    has_end = bool(lex.cue("asks_end").search(text))
    share, tally = number_kind(facet)
    return replace(
        query,
        answer_type=facet.answer_type,
        unit=facet.unit,
        counted=counted_of(text, query.focus) if facet.answer_type == "count" else None,
        superlative=superlative_of(text),
        # 「いつ、どこで開催された？」: 「開催」 stands in the other part, and still says the
        # date part asks for a day.
        asks_day=bool(lex.cue("asks_day").search(text)) or (facet.answer_type == "date" and query.asks_day),
        asks_year=bool(lex.cue("asks_year").search(text)),
        asks_time=bool(lex.cue("asks_time").search(text)),
        asks_period_end=has_end and not lex.cue("asks_start").search(text),
        # 「回収数と回収率は？」: each part asks its own kind of number.
        asks_share=share,
        asks_tally=tally,
        asks_magnitude=bool(lex.cue("asks_magnitude").search(text)),
        asks_term=asks_term(text),
        asks_reason=bool(lex.cue("asks_reason").search(text)),
        yes_no=False,
        facets=(),
        part=text,
    )


_NOUN_PHRASE_POS = ("名詞", "接頭辞", "接尾辞")
_ORDINAL = re.compile(r"^第\d+\D{1,2}$")  # 「第1回」 alone: the number is the point


_KANA_RUN = re.compile(r"[ぁ-んァ-ヶー]{3,}")
KANA_NAME_CHARS = (3, 8)  # 「むくのば」「つなぐば」「まきサポ」: how long a nickname in kana is


def kana_names(text: str, known: Callable[[str], bool]) -> list[str]:
    """The nicknames written in kana in a question (「むくのば」「もみっと」), which Sudachi cuts
    into words (むく/の/ば): runs of kana holding hiragana that the documents write as a name
    (`known`: in brackets), the longest first, not overlapping."""
    found: list[tuple[int, int]] = []
    shortest, longest = KANA_NAME_CHARS
    for run in _KANA_RUN.finditer(text):
        spans = [(i, j) for i in range(run.start(), run.end()) for j in range(run.end(), i + shortest - 1, -1)
                 if shortest <= j - i <= longest and re.search(r"[ぁ-ん]", text[i:j])]
        for i, j in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
            if any(i < b and a < j for a, b in found) or not known(text[i:j]):
                continue
            found.append((i, j))
    return [text[i:j] for i, j in sorted(found)]


def _name_focus(name: str) -> Focus:
    """A nickname is named by itself, whole (exact); its parts are Sudachi's pieces, as the
    documents' tokens hold it (くすのき/ひろば)."""
    parts = tuple((m[0], m[3]) for m in tokenizer().morphemes(name) if m[1] not in ("助詞", "補助記号"))
    return Focus(name, parts or ((name, name),), True, False)


def focus_of(text: str, cities: list[str] | tuple[str, ...], names: tuple[str, ...] = (), means: bool = False) -> tuple[Focus, ...]:
    """The noun phrases of a question that say what it is about: runs of nouns (「協働推進計画」
    「飲食ブース」), without cities, question words, generic attributes (会場, 人数), attributes
    that name what is asked (計画期間, 参加者数) and time words (去年, 半年); `names` (kana
    nicknames the documents use) each whole, first. `means`: a yes/no question, whose 「メールで」
    names the case asked."""
    if names:
        for name in names:
            text = text.replace(name, "、")
        return tuple(_name_focus(n) for n in names) + focus_of(text, cities, means=means)
    lex = lexicon()
    city_names = set(cities) | {city_stem(c) for c in cities}
    dates = date_patterns()
    runs: list[list[tuple[str, str, str, str, str]]] = [[]]
    framing: list[bool] = []  # per closed run: followed by 「の」/「で」 and a question word
    closers: list[str] = []  # per closed run: the word right after it
    for name in sorted((n for n in city_names if len(n) >= 2), key=lambda n: (-len(n), n)):
        text = text.replace(name, "、")  # Sudachi may cut a city (「霧/ヶ/原市」): never a topic
    morphemes = tokenizer().morphemes(text)

    def asks(m: tuple[str, str, str, str, str]) -> bool:
        return m[0] in lex.interrogatives or m[0].startswith(("何", "幾"))

    for i, m in enumerate(morphemes):
        surface, pos, sub, _, subsub = m
        starts = not runs[-1]
        joins = (
            pos in _NOUN_PHRASE_POS and sub not in ("代名詞",) and subsub != "副詞可能" and not asks(m)
            and not (starts and pos == "接尾辞")
        )
        if joins:
            runs[-1].append(m)
        elif runs[-1]:
            after = morphemes[i + 1] if i + 1 < len(morphemes) else None
            framing.append((surface in ("の", "で") and after is not None and asks(after))
                           or _names_a_source(runs[-1], morphemes[i : i + 3]))
            closers.append(surface)
            runs.append([])
    framing.append(False)
    closers.append("")
    out: list[Focus] = []
    for run, frame, closer in zip(runs, framing, closers):
        if len(run) == 1 and run[0][4] == "助数詞可能" and run[0][0] not in lex.light_nouns:
            continue  # 「年間で何件」: a measure word, not a topic
        # A city named first (「緑川市市民活動センター」) is the filter, not the topic.
        while run and ("".join(m[0] for m in run[:2]) in city_names or run[0][0] in city_names):
            run = run[2:] if "".join(m[0] for m in run[:2]) in city_names else run[1:]
        counters = set(lex.counters)
        while run and (run[0][0] in lex.municipality_suffixes or run[0][1] == "接尾辞" or run[0][0] in counters
                       or run[0][0] in lex.interrogatives):
            run = run[1:]  # 「何名参加」: the counter of an interrogative is not the topic
        if not run:
            continue
        phrase = "".join(m[0] for m in run)
        content = [m for m in run if m[1] == "名詞" and m[2] != "数詞"]
        if not content or len(phrase) < 2 or phrase in lex.light_nouns or phrase.startswith(lex.interrogatives):
            continue
        if all(m[0] in lex.light_nouns for m in content):
            continue  # 「制度面」: only light words
        if len(run) == 1 and run[0][4] == "サ変可能" and not (means and closer == "で"):
            # 「期待」「設定」「参加」 alone: what is done, said in other verbs by the documents; but
            # in 「メールで出せますか」「郵送でもいい？」 the means is the case asked (not in 「どういう
            # 区分で評価するの」).
            continue
        if phrase in lex.question_words or phrase in lex.generic_attributes:
            continue
        if any(phrase in words for words in lex.superlatives.values()):
            continue  # 「最新の登録団体数」: which row to read (the superlative), not a thing named
        if lex.attribute_end.search(phrase):
            # 「申請期間」「参加者数」 name what is asked; 「まつば協働チャレンジ事業」 names a
            # programme before its attribute word: the words before it are the topic.
            head = run[:-1] if run[-1][0] and lex.attribute_end.fullmatch(run[-1][0]) else []
            named = [m for m in head if m[1] == "名詞" and m[2] != "数詞"]
            rest = "".join(m[0] for m in head)
            # 「人口目標」: one plain noun before a value's or a target's word is the thing asked
            # about (not a verb noun: 「申請期間」「参加者数」 ask the attribute of a deed; nor a
            # kind of thing: 「協働事業」).
            ending = run[-1][0]
            thing = (len(named) == 1 == len(head) and len(rest) >= 2 and named[0][4] != "サ変可能"
                     and (ending in lex.value_attribute_endings or any(ending.startswith(w) for w in lex.target_words)))
            if ((len(named) < 2 or len(rest) < 4) and not thing) or (
                    rest in lex.question_words or rest in lex.generic_attributes
                    or lex.attribute_end.search(rest) or all(m[0] in lex.light_nouns for m in named)
                    or any(m[2] == "数詞" or m[0] in ("年度", "年", "月", "日") for m in head)):
                continue  # (「令和6年度決算額」: a year and an attribute, for the year gate)
            run, phrase, content = head, rest, named
        # 「令和6年5月の…」「9月末時点で」: a month the answer must be about. Reports write the month
        # of their own year without the year (「５月26日に実施」); the year gate judges the year.
        month = dates.year_month.fullmatch(phrase)
        if month:
            said = f"{int(month.group('month'))}月"
            out.append(Focus(said, ((said, said),), True, frame))
            continue
        if dates.era_year.fullmatch(phrase) or dates.western_year.fullmatch(phrase) or dates.letter_year.fullmatch(phrase):
            continue  # a year: the year gate judges it
        if all(m[3] in lex.question_words or m[0] in lex.question_words for m in content):
            continue
        parts = []
        bound = _bound_by_prefix(run, lex.binding_prefixes)
        for m in content:
            if m[0] in lex.light_nouns and len(content) > 1:
                continue  # 「プロジェクト全体」「小学校区単位」: the light word is not what is named
            surface, normalized = m[0], m[3]
            if len(surface) > 2 and surface.endswith(lex.measure_suffixes):
                surface = normalized = surface[:-1]  # 「回答率」: the quotes say 「回答 … 97%」
            prefix = bound.get(id(m), "")
            parts.append((prefix + surface, prefix + normalized))
        out.append(Focus(phrase, tuple(parts), bool(_ORDINAL.match(phrase)), frame, means and closer == "で"))
    return tuple(out)


def _bound_by_prefix(run: list[tuple[str, str, str, str, str]], prefixes: frozenset[str]) -> dict[int, str]:
    """The nouns of a run that a binding prefix stands before (「副」 of 「副委員長」), with it."""
    return {id(run[i + 1]): m[0] for i, m in enumerate(run[:-1]) if m[1] == "接頭辞" and m[0] in prefixes}


def _names_a_source(run: list[tuple[str, str, str, str, str]], following: list[tuple[str, str, str, str, str]]) -> bool:
    """「概要版によると」「募集要項では」「会議録に書いてある」: a document named as where to read
    the answer frames the question; the quotes need not repeat its name (the full plan says
    what its 概要版 says)."""
    lex = lexicon()
    if not run or not run[-1][0].endswith(tuple(lex.source_nouns)):
        return False
    after = "".join(m[0] for m in following)
    return after.startswith(tuple(lex.source_markers))


_COMPOUND = re.compile(r"[\u4e00-\u9fff々〆ァ-ヶーA-Za-z0-9]+")


def attributes_of(text: str, cities: list[str] | tuple[str, ...] = ()) -> tuple[Focus, ...]:
    """The attributes a question asks by a word of their own (「申請期間」「休館日」「採択件数」
    「参加者数」): each with the word before its ending (申請, 休館, 採択, 参加), which says
    which attribute of the subject is asked; the quotes must speak of it."""
    lex = lexicon()
    endings = sorted(lex.value_attribute_endings, key=len, reverse=True)
    out: list[Focus] = []
    for name in sorted((n for n in {*cities, *(city_stem(c) for c in cities)} if len(n) >= 2), key=lambda n: (-len(n), n)):
        text = text.replace(name, "、")
    for m in _COMPOUND.finditer(text):
        word = m.group()
        if word in lex.generic_attributes or word in lex.question_words:
            continue
        ending = next((e for e in endings if word.endswith(e) and len(word) > len(e)), None)
        if ending is None:
            continue
        stem = word[: -len(ending)]
        while len(stem) > 2 and stem.endswith(lex.measure_suffixes):
            stem = stem[:-1]  # 「参加者数」: the quotes say 「120人が参加」
        morphemes = tokenizer().morphemes(stem)
        if not morphemes:
            continue
        key = morphemes[-1]
        if (len(key[0]) < 2 or key[1] != "名詞" or key[2] == "数詞" or key[0] in lex.light_nouns
                or key[0] in lex.question_words or key[0] in lex.generic_attributes or key[0] in lex.attribute_endings
                or re.search(r"\d", key[0])):
            continue
        out.append(Focus(word, ((key[0], key[3]),)))
    return tuple(out)


def counted_of(text: str, focus: tuple[Focus, ...]) -> str | None:
    """The noun a count question counts: the noun phrase right before 「いくつ」「何か所」, past
    particles and words like 「うち」 (「ゴールのうちいくつ」 -> ゴール, 「市民センターは令和5年度
    までで何か所」 -> 市民センター, 「取組がいくつ」 -> 取組), answered by 「5つのゴール」."""
    lex = lexicon()
    morphemes = tokenizer().morphemes(text)
    counters = set(lex.counters)
    ask = next(
        (i for i, m in enumerate(morphemes)
         if m[0] in ("いくつ", "幾つ") or (m[0].startswith("何") and (m[0][1:] in counters or
                                                                     (i + 1 < len(morphemes) and morphemes[i + 1][0] in counters)))),
        None,
    )
    if ask is None:
        return None
    dates = {"年度", "年", "月", "日", "時点", "現在"}
    i = ask - 1
    while i >= 0:
        surface, pos, sub, _, subsub = morphemes[i]
        skip_date = surface in dates or sub == "数詞" or surface in ("令和", "平成", "昭和")
        if pos in ("助詞", "補助記号", "空白") or subsub == "副詞可能" or skip_date:
            i -= 1  # 「のうち」「令和5年度までで」: between the thing counted and the asking
            continue
        break
    end_ = i
    while i >= 0 and morphemes[i][1] in ("名詞", "接頭辞") and morphemes[i][2] not in ("数詞", "代名詞") and morphemes[i][4] != "副詞可能":
        i -= 1
    phrase = "".join(m[0] for m in morphemes[i + 1 : end_ + 1])
    if len(phrase) >= 2 and _names_a_source(list(morphemes[i + 1 : end_ + 1]), list(morphemes[end_ + 1 : end_ + 4])):
        return None  # 「人口って計画ではいくつ」: the plan is where to read, not what is counted
    if len(phrase) >= 2:
        return phrase
    before = [(text.rfind(f.text, 0, len(text)), f.text) for f in focus]
    found = [(pos, p) for pos, p in before if pos >= 0]
    return max(found)[1] if found else None


def _head_noun(phrase: str | None) -> str | None:
    """The last content noun of a phrase, as a normalized form (「団体のメンバーに払う謝礼」 -> 謝礼)."""
    if not phrase:
        return None
    formal = lexicon().formal_nouns
    nouns = [m for m in tokenizer().morphemes(phrase)
             if m[1] == "名詞" and m[2] not in ("数詞", "代名詞") and m[0] not in formal and m[3] not in formal]
    return nouns[-1][3] if nouns else None


def topic_nouns(query: "Query") -> list[tuple[str, str]]:
    """The question's nouns but its years and counters asked (「令和8年度」 is judged by the year
    gate in whichever form the documents write it; 「何回」「何人」 are question words)."""
    years = written_years(query.normalized)
    return [(s, n) for s, n in query.nouns if not any(s in y for y in years) and not s.startswith(("何", "なん"))]


def asked_noun_of(text: str) -> str | None:
    """The question's last content noun, question words left out: what it asks to be told
    (「整理されている課題は何？」 -> 課題)."""
    lex = lexicon()
    words = lex.question_words
    for year in written_years(text):
        text = text.replace(year, "、")  # 「令和8年度は何回」 asks a count, not a 年度
    for m in reversed(_content_morphemes(text)):
        if m[1] == "名詞" and m[2] not in ("数詞", "代名詞") and m[3].lower() not in words and m[0] not in lex.formal_nouns:
            return m[3]
    return None


_WHOSE_NAME = re.compile(r"(\S{1,12}?)(?:の(?:名前|氏名)|(?:は|って|が)(?:誰|だれ|どなた))")


def person_title_of(text: str) -> str | None:
    """「会長って誰？」「センター長の名前は？」「その人の名前は？」 -> 会長 / センター長 / 人: the
    question asks for the name of whoever holds a title."""
    lex = lexicon()
    if not any(w in text for w in lex.asks_person_words):
        return None
    m = _WHOSE_NAME.search(text)
    if m:
        before = m.group(1)
        title = max((t for t in lex.person_titles if before.endswith(t)), key=len, default=None)  # one per length
        if title:
            return title
        if before.endswith(("人", "方")):
            return "人"
    # The longest title, and of two as long the one nearer the question's end (「推進委員会の…
    # 係長を務めているのは誰」 asks for the 係長, not a 委員), never whichever a set yields first.
    return max((t for t in lex.person_titles if t in text), key=lambda t: (len(t), text.rfind(t)), default=None)


def _places(text: str) -> tuple[tuple[str, str], ...]:
    """Every 「…市/町/村/県」 the question names, as (name without suffix, suffix): the match may
    start too early (「と岩国市」), so the name is the kanji/katakana tail."""
    out = []
    for m in lexicon().unknown_place_pattern.finditer(text):
        stem, suffix = m.group(1), m.group(2)
        out.append((re.split(r"[ぁ-ん]", stem)[-1], suffix))
    return tuple(out)


def _without_other_cities(text: str, city: str, named: list[str]) -> str:
    """The question as asked of one city: the other cities' names would only pull in chunks
    that happen to mention them."""
    for other in named:
        if other != city:
            text = re.sub(rf"{re.escape(other)}(と|や|、|及び|および)?", "", text)
    return text


# ----------------------------------------------------------------------------- parse


def parse_query(question: str, cities: list[str] | tuple[str, ...]) -> Query:
    lex = lexicon()
    normalized = nfkc(question).strip()
    extra = expand_years(normalized) + expand_variants(normalized)
    # (「何回でも受けられますか」 asks whether there is a limit, not how many: an indefinite is no question word)
    kind = answer_type(lex.indefinite_pattern.sub("", normalized))
    named = find_cities(normalized, cities)
    topic = topic_of(normalized, named)
    topic_words = frozenset(t for t in tokenize(topic) if t not in lex.question_words) if topic else frozenset()
    wanted = _WANTED_COUNT.search(normalized)
    if (wanted and int(wanted.group(1)) >= 2 and not normalized[wanted.end() :].startswith("目")
            and kind in ("definition", "other") and "とは" not in normalized):
        kind = "list"  # 「協働の５つの原則って何？」 asks for the five, not what a principle is
    has_end = bool(lex.cue("asks_end").search(normalized))
    nouns = tuple(tokenizer().nouns(normalized))
    yes_no = is_yes_no(normalized, kind) or (_ends_with_value(normalized) and not _asks_something(normalized))
    focus = focus_of(normalized, named, means=yes_no)
    noun_words = {n.lower() for _, n in nouns}
    noun_words |= {part for n in noun_words for part in tokenize(n)}
    return Query(
        original=question,
        normalized=normalized,
        keyword_text=" ".join([normalized, *extra]),
        expansions=tuple(extra),
        cities=named,
        answer_type=kind,
        # 「フェスタ2024」: an edition named by its year asks about that year.
        years=tuple(dict.fromkeys([*asked_years(normalized), *(int(m.group(2)) for m in NAMED_YEAR.finditer(normalized))])),
        unit=asked_unit(normalized) if kind == "count" else None,
        wanted_count=int(wanted.group(1)) if wanted else None,
        topic=topic,
        subject=subject_of(topic),
        subject_head=_head_noun(topic),
        asked_noun=asked_noun_of(normalized),
        attributes=attributes_of(normalized, named),
        definition_target=definition_target(normalized),
        asks_day=bool(lex.cue("asks_day").search(normalized)),
        asks_year=bool(lex.cue("asks_year").search(normalized)),
        asks_time=bool(lex.cue("asks_time").search(normalized)),
        asks_period_end=has_end and not lex.cue("asks_start").search(normalized),
        asks_document_date=bool(lex.cue("asks_document_date").search(normalized)),
        asks_prefecture=bool(lex.cue("asks_prefecture").search(normalized)),
        asks_which=bool(lex.cue("asks_which").search(normalized)),
        asks_share=kind in ("count", "amount") and bool(lex.cue("asks_share").search(normalized)),
        asks_tally=kind == "count" and asks_tally(normalized),
        asks_magnitude=bool(lex.cue("asks_magnitude").search(normalized)),
        asks_term=asks_term(normalized),
        asks_reason=bool(lex.cue("asks_reason").search(normalized)),
        superlative=superlative_of(normalized),
        top_n=top_n_of(normalized),
        yes_no=yes_no,
        negated=lex.asks_negative(normalized),
        predicate=predicate_of(normalized) if yes_no else None,
        person_title=person_title_of(normalized),
        asks_total=any(w in normalized for w in lex.total_words),
        asks_cap=any(w in normalized for w in (*lex.per_unit, *lex.caps)),
        column=next((name for name, (cues, _) in lex.table_columns.items() if any(c in normalized for c in cues)), None),
        amounts=tuple(amounts(normalized)),
        counts=tuple(counts(normalized)),
        durations=tuple(durations(normalized)) if yes_no or _ends_with_value(normalized) else (),
        lead_times=tuple(lead_times(normalized)) if yes_no else (),
        weekdays=tuple(weekdays(normalized)) if yes_no else (),
        facets=facets_of(normalized),
        tokens=tuple(tokenize(normalized)),
        expansion_tokens=tuple(tokenize(" ".join(extra))) if extra else (),
        nouns=nouns,
        noun_words=frozenset(noun_words),
        topic_words=topic_words,
        places=_places(normalized),
        focus=focus,
        counted=counted_of(normalized, focus) if kind == "count" else None,
        city_texts=tuple((c, _without_other_cities(normalized, c, named)) for c in named) if len(named) > 1 else (),
    )


__all__ = [
    "AnswerType", "Facet", "Query", "VALUE_TYPES", "answer_type", "asked_unit", "definition_target",
    "expand_variants", "facets_of", "find_cities", "is_yes_no", "nfkc", "parse_query", "subject_of", "topic_of",
]
