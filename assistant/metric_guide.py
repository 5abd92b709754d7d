"""What each evaluation metric means, which way is better, and the targets the product is
held to (the answer issue's targets), for the evaluation page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class MetricInfo:
    key: str
    label: str
    direction: Direction
    target: float | None  # None: no target
    explanation: str  # one Japanese line
    unit: str = ""  # "ms", "字" or "" (a rate between 0 and 1)

    @property
    def direction_text(self) -> str:
        return "高いほど良い" if self.direction == "higher" else "低いほど良い"

    @property
    def target_text(self) -> str:
        if self.target is None:
            return "—"
        sign = "≥" if self.direction == "higher" else "≤"
        return f"{sign} {self.target:g} {self.unit}".rstrip()

    def met(self, value: float) -> bool | None:
        """True / False against the target; None without one."""
        if self.target is None:
            return None
        return value >= self.target if self.direction == "higher" else value <= self.target


METRICS: dict[str, MetricInfo] = {m.key: m for m in [
    MetricInfo("fact_accuracy", "事実の正確さ", "higher", 0.85,
               "答えられる質問のうち、期待する事実をすべて述べた回答の割合（控えた回答は不正解）。"),
    MetricInfo("fact_recall", "事実の再現率", "higher", None, "期待する事実のうち、回答に含まれていた割合の平均。"),
    MetricInfo("citation_precision", "引用の適合率", "higher", 0.95, "回答が示した出典のうち、正しい文書を指していた割合。"),
    MetricInfo("citation_recall", "引用の再現率", "higher", None, "回答した質問のうち、正しい文書を出典に挙げた割合。"),
    MetricInfo("hit_at_5", "検索 Hit@5", "higher", 0.95, "検索結果の上位5件に、答えの根拠になる箇所が入っていた質問の割合。"),
    MetricInfo("mrr_at_10", "検索 MRR@10", "higher", None, "根拠の箇所が検索結果の何番目に出たか（1位=1、2位=0.5…）の平均。"),
    MetricInfo("abstain_rate_unanswerable", "回答不能で控えた率", "higher", 0.8,
               "資料に答えがない質問で、正しく「見つかりませんでした」と答えた割合。"),
    MetricInfo("false_abstain_rate", "誤って控えた率", "lower", 0.05,
               "資料に答えがあるのに「見つかりませんでした」と答えてしまった割合。"),
    MetricInfo("latency_p50_ms", "応答時間 p50", "lower", 100, "半数の質問がこの時間以内に答えた（中央値）。", "ms"),
    MetricInfo("latency_p95_ms", "応答時間 p95", "lower", None, "95% の質問がこの時間以内に答えた。", "ms"),
    MetricInfo("answer_chars_p50", "回答の長さ p50", "lower", None, "回答の文字数の中央値（長すぎると読みにくい）。", "字"),
]}


def is_rate(key: str) -> bool:
    return key in METRICS and not METRICS[key].unit
