"""Making a follow-up question standalone without a model.

The earlier turns give a city, a document and a topic (the subject phrase of the last
question). 「その計画の期間は？」 after a question about 一関市 becomes
「一関市の計画の期間は？」; 「それはいつ実施された？」 after
「自治会長情報交換会には何人参加した？」 becomes 「自治会長情報交換会はいつ実施された？」.
The current question keeps its own wording, so what it asks for (a date, a count) is
still read from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from assistant.lazy_records import head_of
from assistant.lexicon import lexicon
from assistant.query import QUOTED, answer_type, find_cities, topic_of
from assistant.text import ROMAN, city_stem, nfkc
from assistant.tokens import tokenizer
from assistant.types import LoadedDocument, Turn

def _sibling(topic: str, question: str) -> bool:
    """Whether the question names a sibling of the topic (基本方針1 -> 基本方針2)."""
    m = re.search(rf"(\D{{2,}})[0-9０-９{ROMAN}]+$", topic)
    return bool(m) and question.startswith(m.group(1).split("の")[-1])


def _document_name(history_text: str, documents: Mapping[str, LoadedDocument]) -> str | None:
    for source in documents:
        title = head_of(documents, source)[0]
        if title and nfkc(title) in history_text:
            return title
    return None


def _head(phrase: str) -> str | None:
    """The last noun of a phrase (「テーマ設定型」 -> 型, 「スタートアップ部門」 -> 部門)."""
    nouns = [m for m in tokenizer().morphemes(phrase) if m[1] in ("名詞", "接尾辞")]
    return nouns[-1][0] if nouns else None


# Words that carry the kind of municipality (市民, 町内, 村長): asked again of a town, a
# city's 「市民意識調査」 is the town's 「町民意識調査」.
# (Not 「町内会」: every kind of municipality has them.)
_RESIDENT_WORDS = re.compile(r"(?<=本|全)[市町村]|[市町村](?=民|内(?!会)|外|長|政|議会)")


def _as_residents_of(text: str, old_kind: str, new_kind: str) -> str:
    if old_kind == new_kind or old_kind not in "市町村" or new_kind not in "市町村":
        return text
    return _RESIDENT_WORDS.sub(lambda m: new_kind if m.group(0) == old_kind else m.group(0), text)


def _own_names_as_kinds(text: str, old: list[str], owners: Callable[[str], set[str]] | None) -> str:
    """「葛原台市の市民協働活動補助金の申請期間」 asked again of 楢崎町: the programme's name is
    葛原台市's own, so the town is asked about its 補助金 (the name's last noun)."""
    if owners is None:
        return text
    out = text
    for m in re.finditer(r"[\u4e00-\u9fffァ-ヶー]{5,}", text):
        phrase = m.group(0)
        head = _head(phrase)
        if not head or head == phrase or not phrase.endswith(head):
            continue
        owned = owners(phrase)
        if owned and owned <= set(old):
            out = out.replace(phrase, head, 1)
    return out


def _ask_again_of(x: str, previous: str, cities: list[str], owners: Callable[[str], set[str]] | None = None) -> str | None:
    """「岩国市は？」 after 「一関市の上位計画は何？」 -> 「岩国市の上位計画は何？」; 「じゃあ自由提案型は？」
    after 「…テーマ設定型の上限は？」 -> 「…自由提案型の上限は？」: the previous question asked of
    something else, which replaces its own of the same kind (a city, or a phrase with the same
    head noun)."""
    new_cities = find_cities(x, cities)
    if new_cities:
        old = find_cities(previous, cities)
        if not old:
            return f"{'と'.join(new_cities)}の{previous}"
        out = _own_names_as_kinds(previous, old, owners)
        for city in old:
            out = out.replace(city, new_cities[0]).replace(city_stem(city), new_cities[0])
            out = _as_residents_of(out, city[-1], new_cities[0][-1])
        return out
    numbered = re.match(rf"^(\D+?)\s*[0-9{ROMAN}]+$", x)
    if numbered:
        # 「基本方針2は？」 after 「…基本方針1は？」: the sibling item is handled as one.
        return None
    head = _head(x)
    if not head:
        return None
    for m in re.finditer(r"[\u4e00-\u9fffァ-ヶーA-Za-z0-9]+", previous):
        phrase = m.group(0)
        if phrase != x and phrase.endswith(head) and len(phrase) > len(head):
            return previous[: m.start()] + x + previous[m.end() :]
    return None


# 「…の予約は、登録団体はいつから？」: after a first topic, a second phrase marked 「は」 sets one
# case against others.
_CONTRAST = re.compile(r"[、,]\s*([^、,。?？\s]{2,14}?)は(?=[^、,。?？]+[?？]?$)")


def _names_an_attribute(x: str) -> bool:
    """「開館時間」「上限額」「定員」: what is asked of a thing, not a thing or a case."""
    lex = lexicon()
    return bool(lex.attribute_end.search(x)) or x in lex.generic_attributes or x.endswith(
        tuple(lex.measure_suffixes) + tuple(lex.hours_words))


def _contrasted(x: str, previous: str) -> str | None:
    """「一般の人は？」 after 「…テラスの予約は、登録団体はいつからできますか」 -> 「…テラスの予約は、
    一般の人はいつからできますか」: the party the previous question set apart is replaced by
    the one asked now."""
    matches = list(_CONTRAST.finditer(previous))
    m = matches[-1] if matches else None
    parties = tuple(lexicon().parties)
    if m is None or m.group(1) == x or not (x.endswith(parties) and m.group(1).endswith(parties)):
        return None  # 「定員は？」 is not another party of 「登録団体は…」
    return previous[: m.start(1)] + x + previous[m.end(1) :]


def _asked_of_another(x: str, own_cities: list[str], previous: str, cities: list[str]) -> str | None:
    """「じゃあ紅葉谷市のはじめてコースは？」 after 「石蕗浜市の補助金のスタートアップ部門の上限は？」
    -> 「紅葉谷市のはじめてコースの上限は？」: what the previous question asked (its attribute),
    asked of the thing this one names in its own city; the question itself when the previous one
    asked nothing of a thing. None when this one names no thing (「紅葉谷市の上限は？」)."""
    lex = lexicon()
    thing = x
    for city in own_cities:
        thing = thing.replace(f"{city}の", "", 1)
    if not thing or "の" in thing or lex.interrogative_pattern.search(thing) or lex.attribute_end.search(thing):
        return None
    topic = _last_topic(previous, cities)
    entity = _entity_of(topic, previous) if topic else None
    attribute = topic[len(entity) + 1 :] if topic and entity else ""
    if not attribute:
        return f"{x}は？"  # 「じゃあ山口市の協働推進計画は？」: a question of its own
    return f"{'と'.join(own_cities)}の{thing}の{attribute}は？"


_CIRCLED = re.compile(r"[\u2460-\u2473]")  # ①..⑳ (read before NFKC, which makes them digits)
# 「…、の3つです」「…の2つがあります」: where an answer's list ends.
_LIST_END = re.compile(r"[、,。]|の(?:[0-9]+|[一二三四五六七八九十])(?:つ|件|点)")
_TRAILING_NOTE = re.compile(r"[（(][^）)]*[）)]$")


def _item(piece: str) -> str:
    item = _LIST_END.split(nfkc(piece).strip(), maxsplit=1)[0].strip()
    return _TRAILING_NOTE.sub("", item).strip()


def listed_items(answer: str) -> list[str]:
    """The items an earlier answer listed, in order: 「①A、②B、③C の3つです」, 「柱1「A」、柱2「B」」,
    「AとBの2つがあります」, or the bullet lines of a quoted list."""
    pieces = _CIRCLED.split(answer)
    if len(pieces) >= 3:
        return [i for i in map(_item, pieces[1:]) if i]
    text = nfkc(answer).strip()
    quoted = [m.group(1) for m in QUOTED.finditer(text.split("\n")[0])]
    if len(quoted) >= 2:
        return quoted
    counted = re.match(r"^(.+?)の(?:[0-9]+|[一二三四五六七八九十])(?:つ|件|点)", text.split("\n")[0])
    if counted:
        items = [i.strip() for i in re.split(r"、|及び|および|と(?=[^、]{2,}$)", counted.group(1)) if i.strip()]
        if len(items) >= 2:
            return items
    bullets = [re.sub(r"\s*\[\d+\]$", "", line[2:]).strip() for line in text.splitlines() if line.startswith("- ")]
    return [b for b in bullets if b]


_OCCURRENCE = re.compile(r"^第?([0-9]+)回目")
_PARTICLE_NEXT = ("の", "に", "は", "って", "を", "が", "で", "と")


def _item_referred(q: str, history: list[Turn], cities: list[str]) -> str | None:
    """「2つ目について詳しく」 after an answer listing ①A、②B: 「Bについて詳しく」; 「2回目について」
    after a question about an event held several times: 「<the event>の第2回について」."""
    users = [nfkc(t.content) for t in history if t.role == "user"]
    occurrence = _OCCURRENCE.match(q)
    if occurrence and users:
        topic = _last_topic(users[-1], cities)
        thing = (_entity_of(topic, users[-1]) or topic) if topic else None
        return f"{thing}の第{occurrence.group(1)}回{q[occurrence.end():]}" if thing else None
    m = lexicon().item_reference.match(q)
    answers = [t.content for t in history if t.role == "assistant"]
    if not m or not answers:
        return None
    items = listed_items(answers[-1])
    n = int(m.group(1))
    if not 1 <= n <= len(items):
        return None
    rest = q[m.end():]
    return items[n - 1] + (rest if rest.startswith(_PARTICLE_NEXT) else f"の{rest}" if rest else "")


def _is_standalone(q: str, own_cities: list[str]) -> bool:
    lex = lexicon()
    referring = (
        lex.opener_pattern.match(q) or lex.document_reference.search(q)
        or lex.demonstrative_pattern.search(q) or lex.pronoun_pattern.search(q)
    )
    if referring or lex.remainder_pattern.search(q):
        return False
    if own_cities or QUOTED.search(q) or len(q) > 25:
        return True
    # 「ひまわり迷路はいつ開園しますか？」 names its own subject: not a follow-up.
    subject = topic_of(q, [])
    if not subject:
        return False
    # 「さぽカフェのテーマ」: an attribute of a thing it names itself.
    head = subject.rsplit("の", 1)[0] if "の" in subject else subject
    if lex.attribute_end.search(head) or head in lex.generic_attributes or head in lex.light_nouns:
        return False
    # 「協働とは何ですか」: a term asked about for itself is a new question, however short.
    return len(head) >= 3 or bool(re.search(rf"^{re.escape(head)}(?:とは|って何|ってなに)", q))


def _last_topic(question: str, cities: list[str]) -> str | None:
    """The previous question's topic: of its last clause when it has one (「澄浜市の計画で、
    市民活動団体登録数の最終目標は？」 -> 「市民活動団体登録数の最終目標」)."""
    clauses = [c for c in re.split(r"[、,]", question) if c.strip()]
    if len(clauses) >= 2:
        last = topic_of(clauses[-1], cities)
        if last and "の" in last:  # a thing and what is asked of it, not 「令和6年度は…」
            return last
    topic = topic_of(question, cities)
    if topic and "、" in topic:
        # 「…応援補助金、個人でも申請できる？」: the phrase before the comma names the thing; the
        # clause after it asks something of it.
        first = topic.split("、", 1)[0].strip()
        # (「…成果指標に、…」 ends in a particle: a clause, not a name)
        return first if len(first) >= 2 and re.search(r"[\u4e00-\u9fff々ァ-ヶーA-Za-z0-9」]$", first) else topic
    return topic


def _entity_of(topic: str, question: str) -> str | None:
    """The thing a topic is about, without the attribute asked of it (「…交付金の上限額」 ->
    「…交付金」); None when the topic is the thing itself or a quoted name."""
    lex = lexicon()
    if "の" not in topic or any(m.group(1) == topic for m in QUOTED.finditer(question)):
        return None
    thing, attribute = topic.rsplit("の", 1)
    # 「補助金の補助率」「センターの開館時間」: a measure (率, 額, 数) or hours are attributes too.
    measured = attribute.endswith(tuple(lex.measure_suffixes) + tuple(lex.hours_words))
    return thing if lex.attribute_end.search(attribute) or measured else None


def _carried_city(history: list[Turn], cities: list[str], owners: Callable[[str], set[str]] | None) -> list[str]:
    users = [nfkc(t.content) for t in history if t.role == "user"]
    for text in reversed(users or [nfkc(t.content) for t in history]):
        found = find_cities(text, cities)
        if found:
            return found
    # 「かわせみテラスの会議室Aの使用料は？」 names no municipality, but a centre only one has.
    owner = owners(users[-1]) if owners is not None and users else set()
    return sorted(owner) if len(owner) == 1 else []


def _in_the_same_city(
    question: str, q: str, history: list[Turn], cities: list[str], owners: Callable[[str], set[str]] | None
) -> str:
    """「説明会はありますか？」 after a question about 雁ヶ瀬村's subsidy is asked of 雁ヶ瀬村: a
    question with its own subject but no municipality stays in the one the chat is about, unless
    it names a thing only another municipality's documents write (「さぽカフェ」), or asks what a
    word means (「協働とは何ですか」 is a question of its own)."""
    carried = _carried_city(history, cities, owners)
    if not carried or answer_type(q) == "definition":
        return question
    if owners is not None and not owners(q) <= set(carried):
        return question
    return f"{'と'.join(carried)}の{q}"


def make_standalone(
    question: str, history: list[Turn], cities: list[str], documents: Mapping[str, LoadedDocument],
    owners: Callable[[str], set[str]] | None = None,
) -> str:
    """`owners`: the municipalities whose documents alone write a thing the question names."""
    lex = lexicon()
    q = nfkc(question).strip()
    shifted = lex.topic_shift_pattern.sub("", q)
    if shifted != q:
        return shifted  # 「話変わるけど、…」: a new question, without the marker
    if not history:
        opened = lex.opener_pattern.sub("", q)
        return opened if opened != q and opened.strip() else question  # 「ねえ、…」 without the filler
    own_cities = find_cities(q, cities)
    users = [nfkc(t.content) for t in history if t.role == "user"]
    same = lex.same_question_pattern.match(lex.opener_pattern.sub("", q))
    x = same.group("x") if same else ""
    if (
        same and users and "の" not in x and not lex.interrogative_pattern.search(x)
        and not lex.attribute_end.search(x) and x not in lex.generic_attributes
    ):
        again = _ask_again_of(x, users[-1], cities, owners)
        if again:
            return again
    if same and users and not own_cities and not lex.interrogative_pattern.search(x) and not _names_an_attribute(x):
        again = _contrasted(x, users[-1])
        if again:
            return again
    if same and users and own_cities and "の" in x:
        again = _asked_of_another(x, own_cities, users[-1], cities)
        if again:
            return again
    referred = _item_referred(lex.opener_pattern.sub("", q), history, cities)
    if referred is None and _is_standalone(q, own_cities):
        return question if own_cities else _in_the_same_city(question, q, history, cities, owners)

    everything = [nfkc(t.content) for t in history]
    carried_city: list[str] = []
    for text in reversed(users or everything):
        carried_city = find_cities(text, cities)
        if carried_city:
            break
    topic = _last_topic(users[-1], cities) if users else None
    entity = _entity_of(topic, users[-1]) if topic else None

    out = lex.opener_pattern.sub("", q)
    if referred is not None:
        out = referred
    elif lex.document_reference.search(out):
        doc_name = _document_name(" ".join(everything), documents)
        replacement = doc_name or (f"{'と'.join(carried_city)}の計画" if carried_city else "計画")
        out = lex.document_reference.sub(replacement, out, count=1)
    elif topic and lex.pronoun_pattern.match(out):
        # 「それはいつ？」 -> 「<topic>はいつ？」; 「それって誰が申請できる？」 after 「…補助金の上限は？」
        # is about the 補助金, not its 上限.
        out = lex.pronoun_pattern.sub(entity or topic, out, count=1)
    elif topic and lex.demonstrative_pattern.match(out):
        rest = lex.demonstrative_pattern.sub("", out, count=1)
        noun = _head(rest.split("の")[0]) if rest else None
        if noun and (entity or topic).endswith(noun) and rest.startswith(noun):
            out = (entity or topic) + rest[len(noun):]  # 「その講演会の参加者数」 -> 「<…講演会>の参加者数」
        else:
            out = lex.demonstrative_pattern.sub(f"{topic}の", out, count=1)  # 「その目標値」 -> 「<topic>の目標値」
    elif topic and _sibling(topic, out):
        pass  # 「基本方針1は？」 then 「基本方針2は？」: the same kind of item, not an attribute of it
    elif topic and topic not in out:
        # A bare attribute (「交付期間は？」) belongs to the previous topic's head noun.
        head = entity if entity and not lex.remainder_pattern.search(out) else topic
        out = f"{head}の{out}"
    if carried_city and not own_cities and not any(c in out for c in carried_city):
        out = f"{'と'.join(carried_city)}の{out}"
    return out
