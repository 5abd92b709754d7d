"""Benchmark: `python -m assistant.bench` (or `make bench`).

Measures, in one run on this machine: index build / no-op / one-change times, the
quality and latency of each pipeline on a gold set (the tutorial baseline, dense only,
keyword only, hybrid, hybrid + answer engine), and the cold start of a new process up to
its first answer. Medians and ratios against the baseline are reported, never a single
timing. Results go to evals/results/benchmark.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from assistant.evaluation import PIPELINES, compute_metrics, item_record, load_gold
from assistant.indexer import build_index
from assistant.pipeline import answer_function
from assistant.settings import load_settings

METRICS = ("hit_at_5", "mrr_at_10", "fact_accuracy", "fact_recall", "citation_precision",
           "citation_recall", "abstain_rate_unanswerable", "false_abstain_rate")


def bench_index(corpus: Path, repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(corpus, work / "corpus")
        settings = load_settings(corpus_dir=work / "corpus", index_dir=work / "index")
        full = build_index(settings, rebuild=True)
        noop = [build_index(settings).seconds for _ in range(repeats)]
        victim = sorted(p for p in (work / "corpus").iterdir() if p.suffix in (".txt", ".md"))[0]
        victim.write_text(victim.read_text(encoding="utf-8") + "\n\n追記: ベンチマーク用の一文です。\n", encoding="utf-8")
        change = build_index(settings)
    return {
        "documents": len(full.added),
        "chunks": full.chunks,
        "full_build_s": round(full.seconds, 2),
        "noop_update_median_s": round(statistics.median(noop), 3),
        "one_document_changed_s": round(change.seconds, 2),
        "one_document_changed_embedded_chunks": change.embedded,
    }


def bench_pipelines(gold_path: Path) -> dict:
    settings = load_settings()
    gold = load_gold(gold_path)
    out = {}
    for name in reversed(PIPELINES):  # the baseline first: the other rows are compared with it
        answer_fn, _ = answer_function(settings, name)
        answer_fn(gold[0])  # warm-up: the first call loads lazily-built pieces
        records = [item_record(item, answer_fn(item)) for item in gold]
        metrics = compute_metrics(gold, records)
        latencies = [r["latency_ms"] for r in records]
        out[name] = {**{k: round(metrics[k], 3) for k in METRICS},
                     "latency_median_ms": round(statistics.median(latencies), 2),
                     "latency_p95_ms": round(metrics["latency_p95_ms"], 2)}
    base = out["baseline"]["latency_median_ms"] or 1.0
    for name in out:
        out[name]["latency_ratio_vs_baseline"] = round(out[name]["latency_median_ms"] / base, 2)
    return out


def bench_cold_start(repeats: int) -> dict:
    """A fresh process: import, open the index, answer one question (what the page pays once)."""
    code = (
        "import time; t=time.perf_counter();"
        "from assistant.settings import load_settings; from assistant.pipeline import Assistant;"
        "a=Assistant(load_settings()); a.ask('自治会長情報交換会には何名参加した？');"
        "import sys; print(time.perf_counter()-t, 'torch' in sys.modules)"
    )
    runs, torch_loaded = [], False
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
        seconds, torch = out.stdout.split()
        runs.append(float(seconds))
        torch_loaded |= torch == "True"
    return {"first_answer_median_s": round(statistics.median(runs), 3), "torch_imported": torch_loaded}


def to_markdown(result: dict) -> str:
    lines = [f"# Benchmark ({result['finished_at']}, {result['machine']})", "",
             "## Quality and latency by pipeline (evals/gold.jsonl, one run)", "",
             "| pipeline | " + " | ".join(METRICS) + " | latency median ms | p95 ms | × baseline |",
             "|---|" + "---|" * (len(METRICS) + 3)]
    for name, row in result["pipelines"].items():
        lines.append(f"| {name} | " + " | ".join(f"{row[k]:.3f}" for k in METRICS)
                     + f" | {row['latency_median_ms']:.1f} | {row['latency_p95_ms']:.1f} | {row['latency_ratio_vs_baseline']:.2f} |")
    ix = result["index"]
    lines += ["", "## Index", "",
              f"- {ix['documents']} documents, {ix['chunks']} chunks: full build {ix['full_build_s']} s",
              f"- no-op update (median of {result['repeats']}): {ix['noop_update_median_s']} s",
              f"- one document changed: {ix['one_document_changed_s']} s ({ix['one_document_changed_embedded_chunks']} chunks embedded)",
              "", "## Cold start", "",
              f"- new process to first answer (median of {result['repeats']}): {result['cold_start']['first_answer_median_s']} s; "
              f"torch imported: {result['cold_start']['torch_imported']}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=Path("evals/gold.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("evals/results"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings()
    result = {
        "machine": f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores",
        "repeats": args.repeats,
        "index": bench_index(settings.corpus_dir, args.repeats),
        "pipelines": bench_pipelines(args.gold),
        "cold_start": bench_cold_start(args.repeats),
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "benchmark.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / "benchmark.md").write_text(to_markdown(result), encoding="utf-8")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
