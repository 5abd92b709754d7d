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

from assistant.query import find_cities, nfkc
from assistant.types import LoadedDocument, Turn

_OPENERS = re.compile(r"^(では|じゃあ|じゃ|それでは|それなら|なら|あと|また|ちなみに|続いて|次に|一方)[、,\s]*")
_DOC_REF = re.compile(r"(その|この|同|当該|上記の|前述の)(計画|プラン|資料|文書|報告|概要版?)")
# 「その目標値」「この事業」: a demonstrative and the thing it points at.
_DEMONSTRATIVE = re.compile(r"(その|この|当該|上記の|前述の|同)")
_PRONOUN = re.compile(r"それ|これ|そちら|そこ")
_REMAINDER = re.compile(r"残り|ほか|他に|それ以外|前回|今回|次回")
# The subject phrase of a question ends at its first topic particle.
_SUBJECT_END = re.compile(r"(には|では|とは|について|って|は|が|を|で)")
_QUOTED = re.compile(r"[「『]([^」』]{2,40})[」』]")
_QUESTION_TAIL = re.compile(r"(何|いつ|どこ|誰|どの|どう|いくら|いくつ|教えて).*$")


def _strip_city(phrase: str, cities: list[str]) -> str:
    for city in cities:
        stem = re.sub(r"[市町村]$", "", city)
        phrase = re.sub(rf"^({re.escape(city)}|{re.escape(stem)})(の|における|で)?", "", phrase)
    return phrase.strip("、 ")


def topic_of(question: str, cities: list[str]) -> str | None:
    """What the question is about: a quoted name, else its subject phrase."""
    q = nfkc(question)
    quoted = _QUOTED.search(q)
    if quoted:
        return quoted.group(1)
    q = _OPENERS.sub("", q)
    m = _SUBJECT_END.search(q)
    phrase = q[: m.start()] if m else _QUESTION_TAIL.sub("", q)
    phrase = _strip_city(phrase.strip(), cities)
    if len(phrase) < 2 and m:
        # 「山口市って地域おこし協力隊を…」: the first phrase was only the city.
        rest = q[m.end() :].lstrip("、, ")
        n = _SUBJECT_END.search(rest)
        phrase = _strip_city((rest[: n.start()] if n else _QUESTION_TAIL.sub("", rest)).strip(), cities)
    return phrase if len(phrase) >= 2 else None


def _sibling(topic: str, question: str) -> bool:
    """Whether the question names a sibling of the topic (基本方針1 -> 基本方針2)."""
    m = re.search(r"(\D{2,})[0-9０-９ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+$", topic)
    return bool(m) and question.startswith(m.group(1).split("の")[-1])


def _document_name(history_text: str, documents: dict[str, LoadedDocument]) -> str | None:
    for doc in documents.values():
        if doc.title and nfkc(doc.title) in history_text:
            return doc.title
    return None


# A subject ending in one of these is an attribute of something (「交付期間」「会場」「参加者」),
# so a short question about it continues the previous topic.
ATTRIBUTE_END = re.compile(
    r"(期間|期限|時期|日|日程|日時|額|金額|費用|予算|数|人数|者|場所|会場|内容|テーマ|対象|方法|理由|目的|"
    r"目標|目標値|上限|結果|実績|状況|担当|名称|名前|予定|基準|条件|要件|役割|効果|課題|施策|事業|方針)$"
)


def _is_standalone(q: str, own_cities: list[str]) -> bool:
    referring = _OPENERS.match(q) or _DOC_REF.search(q) or _DEMONSTRATIVE.search(q) or _PRONOUN.search(q)
    if referring or _REMAINDER.search(q):
        return False
    if own_cities or _QUOTED.search(q) or len(q) > 25:
        return True
    # 「ひまわり迷路はいつ開園しますか？」 names its own subject: not a follow-up.
    subject = topic_of(q, [])
    if not subject:
        return False
    # 「さぽカフェのテーマ」: an attribute of a thing it names itself.
    head = subject.rsplit("の", 1)[0] if "の" in subject else subject
    return len(head) >= 3 and not ATTRIBUTE_END.search(head)


def make_standalone(
    question: str, history: list[Turn], cities: list[str], documents: dict[str, LoadedDocument]
) -> str:
    if not history:
        return question
    q = nfkc(question).strip()
    own_cities = find_cities(q, cities)
    if _is_standalone(q, own_cities):
        return question

    users = [nfkc(t.content) for t in history if t.role == "user"]
    everything = [nfkc(t.content) for t in history]
    carried_city: list[str] = []
    for text in reversed(users or everything):
        carried_city = find_cities(text, cities)
        if carried_city:
            break
    topic = topic_of(users[-1], cities) if users else None

    out = _OPENERS.sub("", q)
    if _DOC_REF.search(out):
        doc_name = _document_name(" ".join(everything), documents)
        replacement = doc_name or (f"{'と'.join(carried_city)}の計画" if carried_city else "計画")
        out = _DOC_REF.sub(replacement, out, count=1)
    elif topic and _PRONOUN.match(out):
        out = _PRONOUN.sub(topic, out, count=1)  # 「それはいつ？」 -> 「<topic>はいつ？」
    elif topic and _DEMONSTRATIVE.match(out):
        out = _DEMONSTRATIVE.sub(f"{topic}の", out, count=1)  # 「その目標値」 -> 「<topic>の目標値」
    elif topic and _sibling(topic, out):
        pass  # 「基本方針1は？」 then 「基本方針2は？」: the same kind of item, not an attribute of it
    elif topic and topic not in out:
        # A bare attribute (「交付期間は？」) belongs to the previous topic's head noun.
        quoted = any(m.group(1) == topic for m in _QUOTED.finditer(users[-1]))
        splittable = (
            "の" in topic and not quoted and not _REMAINDER.search(out)
            and bool(ATTRIBUTE_END.search(topic.rsplit("の", 1)[1]))  # 「…交付金の上限額」 -> 「…交付金」
        )
        head = topic.rsplit("の", 1)[0] if splittable else topic
        out = f"{head}の{out}"
    if carried_city and not own_cities and not any(c in out for c in carried_city):
        out = f"{'と'.join(carried_city)}の{out}"
    return out
