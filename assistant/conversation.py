"""Making a follow-up question standalone without a model.

「その計画の期間は？」 after a question about 一関市 becomes 「一関市の計画の期間は？」;
「それはいつ？」 after 「自治会長情報交換会には何名参加した？」 becomes
「自治会長情報交換会はいつ？」. The current question keeps its own wording, so what it
asks for (a date, a count) is still read from it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.query import find_cities, nfkc
from assistant.types import LoadedDocument, Turn

_OPENERS = re.compile(r"^(では|じゃあ|じゃ|それでは|それなら|なら|あと|また|ちなみに|続いて|次に)[、,\s]*")
_DOC_REF = re.compile(r"(その|この|同|当該|上記の|前述の)(計画|プラン|資料|文書|報告|概要版?)")
_THING_REF = re.compile(r"(その|この|当該|上記の|前述の)(事業|取組み?|取り組み|イベント|会議|研修|制度|交付金|プロジェクト|会|講座)|それ|これ|そちら")
_TOPIC_SKIP = {"何", "いつ", "どこ", "誰", "計画", "市", "こと", "もの", "方", "数", "名", "人", "件", "回", "目的"}


@lru_cache(maxsize=1)
def _sudachi():  # type: ignore[no-untyped-def]
    from sudachipy import Dictionary

    return Dictionary(dict="core").create()


def topic_of(text: str, cities: list[str]) -> str | None:
    """The longest noun compound of a question: its topic (「自治会長情報交換会」)."""
    from sudachipy import SplitMode

    runs: list[str] = []
    current = ""
    for m in _sudachi().tokenize(nfkc(text), SplitMode.C):
        pos = m.part_of_speech()
        if pos[0] in ("名詞", "接頭辞", "接尾辞") and m.surface() not in _TOPIC_SKIP and pos[1] != "数詞":
            current += m.surface()
        else:
            if current:
                runs.append(current)
            current = ""
    if current:
        runs.append(current)
    stems = {re.sub(r"[市町村]$", "", c) for c in cities} | set(cities)
    runs = [r for r in runs if r not in stems and len(r) >= 2]
    return max(runs, key=len) if runs else None


def _document_name(history_text: str, documents: dict[str, LoadedDocument]) -> str | None:
    for doc in documents.values():
        if doc.title and nfkc(doc.title) in history_text:
            return doc.title
    return None


def make_standalone(
    question: str, history: list[Turn], cities: list[str], documents: dict[str, LoadedDocument]
) -> str:
    if not history:
        return question
    q = nfkc(question).strip()
    users = [nfkc(t.content) for t in history if t.role == "user"]
    everything = [nfkc(t.content) for t in history]
    own_cities = find_cities(q, cities)
    refers = bool(_OPENERS.match(q) or _DOC_REF.search(q) or _THING_REF.search(q)) or len(q) <= 12
    if own_cities and not refers:
        return question

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
    elif _THING_REF.search(out) and topic:
        out = _THING_REF.sub(topic, out, count=1)
    elif topic and topic not in out and not own_cities and len(out) <= 20:
        out = f"{topic}の{out}"
    if carried_city and not own_cities and not any(c in out for c in carried_city):
        out = f"{'と'.join(carried_city)}の{out}"
    return out
