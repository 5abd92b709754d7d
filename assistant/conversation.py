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

from assistant.lexicon import lexicon
from assistant.query import QUOTED, find_cities, topic_of
from assistant.text import ROMAN, nfkc
from assistant.types import LoadedDocument, Turn

def _sibling(topic: str, question: str) -> bool:
    """Whether the question names a sibling of the topic (基本方針1 -> 基本方針2)."""
    m = re.search(rf"(\D{{2,}})[0-9０-９{ROMAN}]+$", topic)
    return bool(m) and question.startswith(m.group(1).split("の")[-1])


def _document_name(history_text: str, documents: dict[str, LoadedDocument]) -> str | None:
    for doc in documents.values():
        if doc.title and nfkc(doc.title) in history_text:
            return doc.title
    return None


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
    return len(head) >= 3 and not lex.attribute_end.search(head)


def make_standalone(
    question: str, history: list[Turn], cities: list[str], documents: dict[str, LoadedDocument]
) -> str:
    if not history:
        return question
    lex = lexicon()
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

    out = lex.opener_pattern.sub("", q)
    if lex.document_reference.search(out):
        doc_name = _document_name(" ".join(everything), documents)
        replacement = doc_name or (f"{'と'.join(carried_city)}の計画" if carried_city else "計画")
        out = lex.document_reference.sub(replacement, out, count=1)
    elif topic and lex.pronoun_pattern.match(out):
        out = lex.pronoun_pattern.sub(topic, out, count=1)  # 「それはいつ？」 -> 「<topic>はいつ？」
    elif topic and lex.demonstrative_pattern.match(out):
        out = lex.demonstrative_pattern.sub(f"{topic}の", out, count=1)  # 「その目標値」 -> 「<topic>の目標値」
    elif topic and _sibling(topic, out):
        pass  # 「基本方針1は？」 then 「基本方針2は？」: the same kind of item, not an attribute of it
    elif topic and topic not in out:
        # A bare attribute (「交付期間は？」) belongs to the previous topic's head noun.
        quoted = any(m.group(1) == topic for m in QUOTED.finditer(users[-1]))
        splittable = (
            "の" in topic and not quoted and not lex.remainder_pattern.search(out)
            and bool(lex.attribute_end.search(topic.rsplit("の", 1)[1]))  # 「…交付金の上限額」 -> 「…交付金」
        )
        head = topic.rsplit("の", 1)[0] if splittable else topic
        out = f"{head}の{out}"
    if carried_city and not own_cities and not any(c in out for c in carried_city):
        out = f"{'と'.join(carried_city)}の{out}"
    return out
