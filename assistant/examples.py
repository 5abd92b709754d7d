"""Example questions for an empty chat, built from the indexed documents themselves: their
cities, titles and section headings (not a fixed list), and kept only if the assistant
really answers them, so a click on one always shows an answer with its sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import zip_longest

from assistant.index import Index
from assistant.lexicon import lexicon
from assistant.types import Answer

SHOWN = 4
CHECKED = 12  # candidates asked at most (each ~30 ms)
HEADING_CHARS = (4, 24)
# The numbered heading kinds of the lexicon (基本方針1, 施策2 …), as the chunker reads them.
_KINDS = "|".join(re.escape(k) for k in (*lexicon().numbered_kinds, *lexicon().project_kinds))
# Numbering and decoration at the start or end of a heading: (1) （４） ① 1. 第3章 3-3 基本方針1 【】 ◆ ~…~
_NUMBERING = re.compile(
    r"^(?:[◆◇■□●○・\s]+|第[0-9０-９一二三四五六七八九十]+[章節]\s*|[0-9０-９]+(?:[-－.．][0-9０-９]+)*(?:[.．、]\s*|\s+)"
    r"|[(（][0-9０-９一二三四五六七八九十]+[)）]\s*|[①-⑳]\s*|(?:" + _KINDS + r")\s*[(（]?[0-9０-９ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[)）]?\s*)+"
)
_DECORATION = re.compile(r"^[【《「『〈]|[】》」』〉]$|\s*[~〜～].*?[~〜～]\s*$|\s+[0-9０-９]+$")
_GENERIC = {"指標", "目次", "はじめに", "概要", "成果指標", "体系図", "施策体系", "資料", "用語", "参考"}
_PLAN = re.compile(r"計画|プラン")


def clean_heading(heading: str) -> str:
    """「(1) 市民意識の啓発」 -> 「市民意識の啓発」; 「【後期推進計画】」 -> 「後期推進計画」."""
    text = heading.strip()
    for _ in range(3):
        text = _DECORATION.sub("", _NUMBERING.sub("", text)).strip()
    return text


def _usable(heading: str, title: str) -> bool:
    low, high = HEADING_CHARS
    return (low <= len(heading) <= high and heading not in _GENERIC and heading not in title
            and not re.search(r"[0-9０-９]{3,}|[()（）]|[?？]", heading))


def _headings(index: Index, source: str, title: str) -> list[str]:
    seen: list[str] = []
    for chunk in index.chunks:
        if chunk.source != source or chunk.navigation or not chunk.section:
            continue
        leaf = clean_heading(chunk.section.split(" > ")[-1])
        if _usable(leaf, title) and leaf not in seen:
            seen.append(leaf)
    return seen


def candidate_questions(index: Index) -> list[tuple[str, str]]:
    """(question, source) pairs about each document, taking turns (cities first): a plan's
    period (once per city), what a section says, what a document is about."""
    docs = sorted(index.manifest.documents.values(), key=lambda d: (d.city is None, d.city or "", d.title, d.source))
    per_doc: list[list[tuple[str, str]]] = []
    period_asked: set[str] = set()
    for n, doc in enumerate(docs):
        place = f"{doc.city}の" if doc.city else ""
        headings = [f"{place}「{h}」について教えてください" for h in _headings(index, doc.source, doc.title)[:3]]
        period = []
        if doc.city and _PLAN.search(doc.title) and doc.city not in period_asked:
            period_asked.add(doc.city)
            period = [f"{doc.city}の計画の期間は？"]
        about = [f"「{doc.title}」の概要を教えてください"]
        own = (period + headings[:1] if n % 2 == 0 else headings[:1] + period) + about + headings[1:]
        per_doc.append([(q, doc.source) for q in own])
    out: list[tuple[str, str]] = []
    for round_ in zip_longest(*per_doc):
        out += [c for c in round_ if c and c[0] not in {q for q, _ in out}]
    return out


def example_questions(index: Index, ask: Callable[[str], Answer], shown: int = SHOWN,
                      candidates: Iterable[tuple[str, str]] | None = None) -> list[str]:
    """Up to `shown` candidates that the assistant answers (not declines) from the document
    they were built from, in order."""
    found: list[str] = []
    for n, (question, source) in enumerate(candidates if candidates is not None else candidate_questions(index)):
        if n >= CHECKED or len(found) >= shown:
            break
        try:
            answer = ask(question)
        except Exception:  # noqa: BLE001 - an example that fails is simply not offered
            continue
        if not answer.abstained and any(c.source == source for c in answer.citations):
            found.append(question)
    return found
