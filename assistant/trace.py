"""A trace of every decision the answer engine took for one question.

`Answer.trace` holds it: how the question was read, the filters, the passages found, each
abstention gate's verdict, the strategy that answered and why, and the scores of the chosen
statements. `to_dict()` goes into `assistant ask --json` and the evaluation items;
`lines_ja()` is what the page and the evaluation report show to staff.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

_TYPE_JA = {
    "count": "数", "amount": "金額", "date": "日付", "period": "期間", "place": "場所", "list": "一覧",
    "definition": "定義", "name": "名称", "other": "その他",
}


@dataclass
class GateVerdict:
    name: str
    passed: bool
    reason: str | None = None  # why the gate stopped the answer (Japanese)


@dataclass
class ChosenStatement:
    source: str
    section: str
    text: str
    score: float
    coverage: float
    typed: bool


@dataclass
class Trace:
    query: dict[str, Any] = field(default_factory=dict)
    standalone: str | None = None  # the follow-up made standalone
    filters: dict[str, Any] = field(default_factory=dict)
    passages: list[dict[str, Any]] = field(default_factory=list)  # the top candidates
    gates: list[GateVerdict] = field(default_factory=list)
    strategy: str | None = None
    strategy_reason: str | None = None
    chosen: list[ChosenStatement] = field(default_factory=list)
    outcome: str = ""  # "answered" | "abstained"
    notes: list[str] = field(default_factory=list)

    def gate(self, name: str, reason: str | None) -> None:
        self.gates.append(GateVerdict(name, reason is None, reason))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines_ja(self) -> list[str]:
        """The trace in Japanese, one line per step, for staff."""
        q = self.query
        lines: list[str] = []
        if self.standalone:
            lines.append(f"前の質問を踏まえて「{self.standalone}」として検索しました。")
        read = [f"種類: {_TYPE_JA.get(str(q.get('answer_type')), q.get('answer_type'))}"]
        if q.get("cities"):
            read.append("市: " + "、".join(q["cities"]))
        if q.get("years"):
            read.append("年: " + "、".join(f"{y}年" for y in q["years"]))
        if q.get("unit"):
            read.append(f"単位: {str(q['unit']).replace('|', '・')}")
        if q.get("subject"):
            read.append(f"対象: {q['subject']}")
        if q.get("yes_no"):
            read.append("はい/いいえで答える質問")
        if q.get("facets"):
            read.append("複数の問い: " + " / ".join(f["text"] for f in q["facets"]))
        lines.append("質問の読み取り: " + "、".join(read))
        if self.filters.get("cities") or self.filters.get("sources"):
            lines.append("絞り込み: " + "、".join([*self.filters.get("cities", []), *self.filters.get("sources", [])]))
        if self.passages:
            top = "、".join(f"{p['title']}（{p['section'] or '冒頭'}）" for p in self.passages[:3])
            lines.append(f"見つかった箇所（上位{min(3, len(self.passages))}件）: {top}")
        # A gate may decline a first choice that a second look then replaces (answer.py).
        label = "回答を控えた理由" if self.outcome == "abstained" else "最初に選んだ引用を見直した理由"
        for g in self.gates:
            if not g.passed:
                lines.append(f"{label}: {g.reason}")
        if self.strategy:
            lines.append(f"答え方: {self.strategy_reason or self.strategy}")
        for c in self.chosen[:5]:
            lines.append(f"引用（一致度 {c.coverage:.2f}、得点 {c.score:.2f}）: {c.text[:60]}")
        lines.extend(self.notes)
        return lines
