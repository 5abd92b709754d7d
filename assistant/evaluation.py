"""`assistant eval`: score answers against a gold set, as defined in EVAL_SPEC.md."""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from assistant.trace import ChosenStatement, GateVerdict, Trace
from assistant.types import Answer, Turn

RETRIEVED_LISTED = 10
# The pipelines an evaluation can run, from the full product down to the tutorial baseline,
# with how staff see them.
PIPELINES: dict[str, str] = {
    "full": "本番構成（ハイブリッド検索＋根拠による並べ替え＋回答エンジン）",
    "reranked": "検索のみ: ハイブリッド＋並べ替え（最上位の箇所で回答）",
    "hybrid": "検索のみ: ハイブリッド（最上位の箇所で回答）",
    "dense": "検索のみ: ベクトル検索",
    "keyword": "検索のみ: キーワード検索",
    "baseline": "比較用: チュートリアル構成（500字分割・ベクトル検索のみ）",
}


class GoldError(ValueError):
    pass


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    facts: list[list[str]]
    sources: list[str]
    evidence: list[str]
    answerable: bool
    history: list[Turn] = field(default_factory=list)
    all_sources: bool = False


def norm(text: str) -> str:
    """The spec's matching: NFKC, no white space, lower case. Nothing else."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _check_types(raw: object) -> None:
    """Reject shapes that would score silently wrong (a flat facts list, "false" as a string)."""
    if not isinstance(raw, dict):
        raise ValueError("1行が1つのJSONオブジェクトである必要があります")
    facts = raw.get("facts", [])
    if not isinstance(facts, list) or not all(
        isinstance(f, list) and f and all(isinstance(a, str) and a for a in f) for f in facts
    ):
        raise ValueError("facts は文字列のリストのリストです（例: [[\"20万円\"], [\"100万円\", \"百万円\"]]）")
    if not isinstance(raw.get("answerable"), bool):
        raise ValueError("answerable は true か false です")
    for key in ("sources", "evidence"):
        if not isinstance(raw.get(key, []), list) or not all(isinstance(x, str) for x in raw.get(key, [])):
            raise ValueError(f"{key} は文字列のリストです")
    if "all_sources" in raw and not isinstance(raw["all_sources"], bool):
        raise ValueError("all_sources は true か false です")


def load_gold(path: Path) -> list[GoldItem]:
    items: list[GoldItem] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                _check_types(raw)
                item = GoldItem(
                    id=str(raw["id"]),
                    question=str(raw["question"]),
                    facts=[list(map(str, f)) for f in raw.get("facts", [])],
                    sources=list(map(str, raw.get("sources", []))),
                    evidence=list(map(str, raw.get("evidence", []))),
                    answerable=bool(raw["answerable"]),
                    history=[Turn(t["role"], t["content"]) for t in raw.get("history") or []],
                    all_sources=bool(raw.get("all_sources", False)),
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise GoldError(f"{path}:{lineno}: 正解データの形式が不正です: {exc}") from exc
            if item.id in seen:
                raise GoldError(f"{path}:{lineno}: id '{item.id}' が重複しています")
            seen.add(item.id)
            items.append(item)
    if not items:
        raise GoldError(f"{path}: 正解データが空です")
    return items


def item_record(item: GoldItem, answer: Answer, with_trace: bool = True) -> dict[str, Any]:
    record = {
        "id": item.id,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [
            {"n": c.n, "source": c.source, "title": c.title, "section": c.section, "page": c.page, "quote": c.quote}
            for c in answer.citations
        ],
        "retrieved": [
            {"source": p.chunk.source, "text": p.chunk.text, "score": round(p.score, 6)}
            for p in answer.passages[: max(RETRIEVED_LISTED, len(answer.passages))]
        ],
        "latency_ms": round(answer.latency_ms, 2),
    }
    if with_trace and answer.trace is not None:
        record["trace"] = answer.trace.to_dict()  # beyond EVAL_SPEC: why it answered or declined
    return record


def _first_hit_rank(item: GoldItem, record: dict[str, Any]) -> int | None:
    evidence = [norm(e) for e in item.evidence]
    for rank, passage in enumerate(record["retrieved"][:RETRIEVED_LISTED], 1):
        if passage["source"] in item.sources and any(e in norm(passage["text"]) for e in evidence):
            return rank
    return None


def facts_stated(item: GoldItem, record: dict[str, Any]) -> list[bool]:
    answer = norm(record["answer"])
    return [any(norm(alt) in answer for alt in fact) for fact in item.facts]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def compute_metrics(gold: list[GoldItem], records: list[dict[str, Any]]) -> dict[str, float]:
    by_id = {r["id"]: r for r in records}
    answerable = [g for g in gold if g.answerable]
    unanswerable = [g for g in gold if not g.answerable]
    hits = mrr = accurate = recall = 0.0
    cited = cited_gold = answered = cite_ok = 0
    false_abstain = 0
    for g in answerable:
        r = by_id[g.id]
        rank = _first_hit_rank(g, r)
        hits += 1 if rank is not None and rank <= 5 else 0
        mrr += 1 / rank if rank is not None else 0
        stated = facts_stated(g, r)
        if r["abstained"]:
            false_abstain += 1
            continue
        answered += 1
        accurate += 1 if stated and all(stated) else 0
        recall += sum(stated) / len(stated) if stated else 0
        sources = {c["source"] for c in r["citations"]}
        cited += len(r["citations"])
        cited_gold += sum(1 for c in r["citations"] if c["source"] in g.sources)
        needed = set(g.sources) if g.all_sources else None
        cite_ok += 1 if (needed <= sources if needed else bool(sources & set(g.sources))) else 0
    n_a = len(answerable) or 1
    latencies = [float(r["latency_ms"]) for r in records]
    return {
        "hit_at_5": hits / n_a,
        "mrr_at_10": mrr / n_a,
        # An abstention counts as wrong: divide by all answerable items.
        "fact_accuracy": accurate / n_a,
        "fact_recall": recall / n_a,
        "citation_precision": cited_gold / cited if cited else 0.0,
        "citation_recall": cite_ok / answered if answered else 0.0,
        "abstain_rate_unanswerable": (
            sum(1 for g in unanswerable if by_id[g.id]["abstained"]) / len(unanswerable) if unanswerable else 0.0
        ),
        "false_abstain_rate": false_abstain / n_a,
        "latency_p50_ms": _percentile(latencies, 0.5),
        "latency_p95_ms": _percentile(latencies, 0.95),
        # Beyond EVAL_SPEC: how long the answers are that staff read (answered items only).
        "answer_chars_p50": _percentile([float(len(r["answer"])) for r in records if not r["abstained"]], 0.5),
    }


def failures(gold: list[GoldItem], records: list[dict[str, Any]]) -> list[tuple[GoldItem, dict[str, Any], str]]:
    by_id = {r["id"]: r for r in records}
    out = []
    for g in gold:
        r = by_id[g.id]
        if not g.answerable:
            if not r["abstained"]:
                out.append((g, r, "回答不能な質問に回答した"))
            continue
        if r["abstained"]:
            out.append((g, r, "回答できる質問で回答を控えた"))
            continue
        stated = facts_stated(g, r)
        missing = [f[0] for f, ok in zip(g.facts, stated) if not ok]
        if missing:
            out.append((g, r, "事実の不足: " + "、".join(missing)))
        elif _first_hit_rank(g, r) is None:
            out.append((g, r, "上位10件に根拠の箇所がない"))
    return out


def _trace_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """A trace read back from items.jsonl, with its nested records typed again."""
    fields = dict(raw)
    fields["gates"] = [GateVerdict(**g) for g in raw.get("gates", [])]
    fields["chosen"] = [ChosenStatement(**c) for c in raw.get("chosen", [])]
    return fields


def write_report(out_dir: Path, summary: dict[str, Any], gold: list[GoldItem], records: list[dict[str, Any]]) -> Path:
    lines = [f"# 評価レポート ({summary['finished_at']})", "", f"- 正解データ: `{summary['gold']}` ({summary['n']} 問)",
             f"- パイプライン: `{summary['pipeline']}`", "", "| 指標 | 値 |", "|---|---|"]
    for key, value in summary["metrics"].items():
        lines.append(f"| {key} | {value:.3f} |" if "latency" not in key else f"| {key} | {value:.1f} |")
    fails = failures(gold, records)
    lines += ["", f"## 失敗した項目 ({len(fails)} 件)", ""]
    for g, r, why in fails:
        lines += [f"### {g.id}: {g.question}", f"- 理由: {why}", f"- 期待する事実: {g.facts}", f"- 出典: {g.sources}",
                  "- 回答:", "", "```", r["answer"], "```",
                  "- 引用: " + ("; ".join(f"[{c['n']}] {c['source']} {c['section']}" for c in r["citations"]) or "なし")]
        if r.get("trace"):
            lines += ["- 回答の根拠（処理の流れ）:", *(f"  - {line}" for line in Trace(**_trace_fields(r["trace"])).lines_ja())]
        lines.append("")
    path = out_dir / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_eval(
    gold: list[GoldItem],
    answer_fn: Callable[[GoldItem], Answer],
    out_dir: Path,
    settings_snapshot: dict[str, Any],
    gold_path: str,
    pipeline: str = "full",
    progress: Callable[[Iterable[GoldItem]], Iterable[GoldItem]] = lambda items: items,
) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc)
    records = []
    with open(out_dir / "items.jsonl", "w", encoding="utf-8") as fh:
        for item in progress(gold):
            record = item_record(item, answer_fn(item))
            records.append(record)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    summary = {
        "n": len(gold),
        "n_answerable": sum(g.answerable for g in gold),
        "metrics": compute_metrics(gold, records),
        "pipeline": pipeline,
        "gold": gold_path,
        "settings": settings_snapshot,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    summary.update(summary["metrics"])  # metrics also at top level, as the spec lists them
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    write_report(out_dir, summary, gold, records)
    return summary


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
