"""Feedback becomes evaluation: gold items (EVAL_SPEC.md) that staff add from the chat.

「評価用の質問に追加」 under an answer writes one line to `<data_dir>/staff_gold.jsonl`:
the question as asked, the earlier turns, the expected facts (prefilled from the answer's
lead value, editable), the cited sources and evidence from the quotes — or, marked
「記載なし」, an unanswerable item. A 👎 with a correction becomes an item whose fact is
the correction, which the answer that was given fails (checked before it is written).
The evaluation page offers the file next to `evals/gold.jsonl`.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.citations import MARKER
from assistant.evaluation import GoldItem, facts_stated, load_gold
from assistant.messages import QUOTES_HEADING
from assistant.types import Answer, Turn

STAFF_GOLD_FILE = "staff_gold.jsonl"
NOT_STATED = "記載なし"  # a correction saying the documents do not answer it
EVIDENCE_CHARS = 60
LEAD_CHARS = 120
_ALTERNATIVES = re.compile(r"\s*[／|｜]\s*")
_LABEL = re.compile(r"^[^:：\s]{1,20}[:：]\s*")
_LEAD_SPLIT = re.compile(r"\s*\[\d{1,3}\]\s*[、,，]?\s*")


class GoldDraftError(ValueError):
    """A gold item that cannot be written; the message is Japanese, for staff."""


def staff_gold_path(data_dir: Path) -> Path:
    return Path(data_dir) / STAFF_GOLD_FILE


def lead_facts(answer: Answer) -> list[str]:
    """The values the answer leads with (「85人 [1]。」 -> ["85人"]; a comparison gives one per
    city, without its label); [] when the answer has no lead line or declined."""
    if answer.abstained or not answer.text.strip():
        return []
    first = answer.text.strip().split("\n", 1)[0].strip()
    if first == QUOTES_HEADING or first.startswith(("- ", "・")) or len(first) > LEAD_CHARS:
        return []
    facts = []
    for piece in _LEAD_SPLIT.split(first):
        piece = MARKER.sub("", piece).strip().rstrip("。.、 ")
        piece = _LABEL.sub("", piece).strip()
        if piece and piece not in facts:
            facts.append(piece)
    return facts


def facts_text(facts: list[str]) -> str:
    """Facts as the form's text: one fact per line."""
    return "\n".join(facts)


def parse_facts(text: str) -> list[list[str]]:
    """One fact per line; alternatives on a line separated by 「／」 or 「|」 (any one counts)."""
    facts = []
    for line in text.splitlines():
        alternatives = [a for a in (p.strip() for p in _ALTERNATIVES.split(line)) if a]
        if alternatives:
            facts.append(alternatives)
    return facts


def _evidence(quote: str) -> str:
    first = next((line.strip() for line in quote.split("\n") if line.strip()), "")
    return first[:EVIDENCE_CHARS]


@dataclass(frozen=True)
class GoldDraft:
    """What the form shows before an item is written."""

    question: str
    history: list[Turn]
    facts: list[str]
    sources: list[str]
    evidence: list[str]
    answerable: bool


def draft_from_answer(answer: Answer, history: list[Turn]) -> GoldDraft:
    sources: list[str] = []
    evidence: list[str] = []
    for c in answer.citations:
        if c.source not in sources:
            sources.append(c.source)
        piece = _evidence(c.quote)
        if piece and piece not in evidence:
            evidence.append(piece)
    return GoldDraft(answer.question, list(history), lead_facts(answer), sources, evidence, not answer.abstained)


def gold_record(draft: GoldDraft, facts: str, unanswerable: bool, item_id: str | None = None) -> dict[str, Any]:
    """The EVAL_SPEC line for a draft with the facts staff confirmed (GoldDraftError if unusable)."""
    record: dict[str, Any] = {
        "id": item_id or f"staff-{uuid.uuid4().hex[:10]}",
        "question": draft.question,
        "history": [{"role": t.role, "content": t.content} for t in draft.history],
    }
    if unanswerable:
        record |= {"facts": [], "sources": [], "evidence": [], "answerable": False}
        return record
    parsed = parse_facts(facts)
    if not parsed:
        raise GoldDraftError("期待する事実を1行に1つ入力してください（資料に記載がない質問なら「記載なし」を選んでください）。")
    record |= {"facts": parsed, "sources": list(draft.sources), "evidence": list(draft.evidence), "answerable": True}
    return record


def correction_record(answer: Answer, history: list[Turn], correction: str) -> dict[str, Any]:
    """A 👎 with a correction as a gold item the given answer fails: the correction is the fact
    (「記載なし」: the question is unanswerable). GoldDraftError when the answer already says it."""
    text = correction.strip()
    if not text:
        raise GoldDraftError("正しい答えを入力してください。")
    draft = GoldDraft(answer.question, list(history), [], [], [], True)
    unanswerable = text == NOT_STATED
    record = gold_record(draft, text, unanswerable)
    if not fails(record, answer):
        if unanswerable:
            raise GoldDraftError("この回答はすでに「記載なし」と答えているため、評価用の質問にしても失敗として検出できません。")
        raise GoldDraftError("正しい答えの内容が今の回答にも含まれているため、評価用の質問にしても失敗として検出できません。"
                             "誤っている点が分かるように、期待する値や語句を具体的に書いてください。")
    return record


def fails(record: dict[str, Any], answer: Answer) -> bool:
    """True when `answer` would be scored wrong on this item (EVAL_SPEC matching)."""
    if not record["answerable"]:
        return not answer.abstained
    if answer.abstained:
        return True
    item = GoldItem(record["id"], record["question"], record["facts"], record["sources"], record["evidence"], True)
    return not all(facts_stated(item, {"answer": answer.text}))


def append_item(data_dir: Path, record: dict[str, Any]) -> Path:
    """Append one line to the staff gold file (one write, so concurrent writers never mix lines)."""
    path = staff_gold_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return path


def read_items(data_dir: Path) -> list[GoldItem]:
    path = staff_gold_path(data_dir)
    return load_gold(path) if path.is_file() and path.stat().st_size else []
