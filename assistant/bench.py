"""Benchmark: `python -m assistant.bench` (or `make bench`).

Measures, in one run on this machine: index build / no-op / one-change times; the quality
and latency of each pipeline on the gold set (the tutorial baseline, dense only, keyword
only, hybrid, reranked, full); the full pipeline and the top-passage reference on every
question set of evals/sets.yaml, each on its own documents; and the cold start of a new
process up to its first answer. Medians and ratios against the baseline are reported,
never a single timing. Results go to evals/results/benchmark.{json,md}.

`--sweep answer.NAME=v1,v2,…` scores each value of one setting on the chosen sets instead
(evals/results/sweep-NAME.md): how the README's defaults table is made, without code edits.

`--cross` chooses the tuning numbers of evals/cross_settings.yaml on one group of question sets
and checks them on the other (assistant/bench_cross.py, evals/results/cross.md).

`--scale` runs the scale benchmark instead (assistant/bench_scale.py, its own options).
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
from typing import Any


from assistant.evaluation import PIPELINES, compute_metrics, item_record, load_gold
from assistant.indexer import build_index
from assistant.pipeline import answer_function
from assistant.question_sets import load_sets, settings_for
from assistant.settings import Settings, load_settings

METRICS = ("hit_at_5", "mrr_at_10", "fact_accuracy", "fact_recall", "citation_precision",
           "citation_recall", "abstain_rate_unanswerable", "false_abstain_rate")
SET_METRICS = ("hit_at_5", "mrr_at_10", "fact_accuracy", "citation_precision", "abstain_rate_unanswerable",
               "false_abstain_rate", "answer_chars_p50")
ITEMS_DIR: Path | None = None  # --items: each item's record is also written here (without timings)


def _without_timings(value: Any) -> Any:
    """A record with every timing left out, so that two runs compare answer for answer."""
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if not (k.endswith("_ms") or k in ("ms", "seconds"))}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def score_set(settings: Settings, gold_path: Path, pipeline: str = "full") -> dict[str, Any]:
    gold = load_gold(gold_path)
    answer_fn, _ = answer_function(settings, pipeline)
    answer_fn(gold[0])  # warm-up: the first call loads lazily-built pieces
    records = [item_record(item, answer_fn(item)) for item in gold]
    if ITEMS_DIR is not None:
        ITEMS_DIR.mkdir(parents=True, exist_ok=True)
        with open(ITEMS_DIR / f"{gold_path.stem}.{pipeline}.jsonl", "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(_without_timings(r), ensure_ascii=False, sort_keys=True) + "\n")
    metrics = compute_metrics(gold, records)
    return {**{k: round(metrics[k], 3) for k in (*METRICS, "answer_chars_p50")},
            "latency_median_ms": round(statistics.median(r["latency_ms"] for r in records), 2),
            "latency_p95_ms": round(metrics["latency_p95_ms"], 2), "n": len(gold)}


def bench_sets(base: Settings, names: list[str]) -> dict[str, Any]:
    """The full pipeline and the top passage quoted whole, on each question set."""
    sets = load_sets()
    out: dict[str, Any] = {}
    for name in names:
        spec = sets[name]
        settings = settings_for([str(f) for f in spec["corpus"]], base)
        out[name] = {
            "full": score_set(settings, Path(spec["file"])),
            "top_passage": score_set(settings, Path(spec["file"]), "reranked"),
        }
    return out


# ----------------------------------------------------------------------------- sweeps


def sweep(base: Settings, spec: str, names: list[str]) -> dict[str, Any]:
    """Each value of one setting (`answer.type_miss_penalty=0.4,0.6`) on each set."""
    target, _, values = spec.partition("=")
    group, _, field = target.partition(".")
    sets = load_sets()
    out: dict[str, Any] = {"setting": target, "values": {}}
    for raw in values.split(","):
        value = json.loads(raw) if raw.strip()[:1] in "[{0123456789-tf" else raw
        sub = getattr(base, group).model_copy(update={field: value})
        rows = {}
        for name in names:
            spec_ = sets[name]
            settings = settings_for([str(f) for f in spec_["corpus"]], base).model_copy(update={group: sub})
            rows[name] = score_set(settings, Path(spec_["file"]))
        out["values"][raw] = rows
    return out


def sweep_markdown(result: dict[str, Any]) -> str:
    lines = [f"# Sweep of `{result['setting']}` ({datetime.now(timezone.utc).isoformat(timespec='seconds')})", "",
             "| value | set | " + " | ".join(SET_METRICS) + " |", "|---|---|" + "---|" * len(SET_METRICS)]
    for value, rows in result["values"].items():
        for name, row in rows.items():
            lines.append(f"| {value} | {name} | " + " | ".join(f"{row[k]:.3f}" for k in SET_METRICS) + " |")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- index, pipelines, cold start


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


def bench_pipelines(settings: Settings, gold_path: Path) -> dict:
    out = {}
    for name in reversed(PIPELINES):  # the baseline first: the other rows are compared with it
        row = score_set(settings, gold_path, name)
        out[name] = {**{k: row[k] for k in METRICS}, "latency_median_ms": row["latency_median_ms"],
                     "latency_p95_ms": row["latency_p95_ms"]}
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
    lines = [f"# Benchmark ({result['finished_at']}, {result['machine']})", ""]
    if "pipelines" in result:
        lines += ["## Quality and latency by pipeline (evals/gold.jsonl, one run)", "",
                  "| pipeline | " + " | ".join(METRICS) + " | latency median ms | p95 ms | × baseline |",
                  "|---|" + "---|" * (len(METRICS) + 3)]
        for name, row in result["pipelines"].items():
            lines.append(f"| {name} | " + " | ".join(f"{row[k]:.3f}" for k in METRICS)
                         + f" | {row['latency_median_ms']:.1f} | {row['latency_p95_ms']:.1f} | {row['latency_ratio_vs_baseline']:.2f} |")
    if "sets" in result:
        lines += ["", "## Every question set (full pipeline; top passage quoted whole for reference)", "",
                  "| set | n | pipeline | " + " | ".join(SET_METRICS) + " | latency median ms |",
                  "|---|---|---|" + "---|" * (len(SET_METRICS) + 1)]
        for name, rows in result["sets"].items():
            for pipeline, row in rows.items():
                lines.append(f"| {name} | {row['n']} | {pipeline} | " + " | ".join(f"{row[k]:.3f}" for k in SET_METRICS)
                             + f" | {row['latency_median_ms']:.1f} |")
    if "index" in result:
        ix = result["index"]
        lines += ["", "## Index", "",
                  f"- {ix['documents']} documents, {ix['chunks']} chunks: full build {ix['full_build_s']} s",
                  f"- no-op update (median of {result['repeats']}): {ix['noop_update_median_s']} s",
                  f"- one document changed: {ix['one_document_changed_s']} s ({ix['one_document_changed_embedded_chunks']} chunks embedded)"]
    if "cold_start" in result:
        lines += ["", "## Cold start", "",
                  f"- new process to first answer (median of {result['repeats']}): {result['cold_start']['first_answer_median_s']} s; "
                  f"torch imported: {result['cold_start']['torch_imported']}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    if "--scale" in sys.argv[1:]:
        from assistant.bench_scale import main as scale_main

        return scale_main([a for a in sys.argv[1:] if a != "--scale"])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=Path("evals/gold.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("evals/results"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sets", default="all", help="comma-separated names of evals/sets.yaml, or 'all' or 'none'")
    parser.add_argument("--quality-only", action="store_true", help="only the question sets (no index or cold start)")
    parser.add_argument("--sweep", help="answer.NAME=v1,v2,… or retrieval.NAME=…: score each value on --sets")
    parser.add_argument("--cross", nargs="?", const="evals/cross_settings.yaml", type=Path,
                        help="choose each setting of this file on one group of sets, check it on the other")
    parser.add_argument("--items", type=Path, help="also write every item's answer (no timings) to DIR/<set>.<pipeline>.jsonl, "
                        "to compare two versions answer for answer")
    args = parser.parse_args()
    global ITEMS_DIR
    ITEMS_DIR = args.items
    settings = load_settings()
    names = list(load_sets()) if args.sets == "all" else ([] if args.sets == "none" else args.sets.split(","))
    args.out.mkdir(parents=True, exist_ok=True)
    if args.cross:
        from assistant.bench_cross import main as cross_main

        cross_main(settings, args.out, args.cross)
        return
    if args.sweep:
        result = sweep(settings, args.sweep, names)
        path = args.out / f"sweep-{args.sweep.partition('=')[0]}.md"
        path.write_text(sweep_markdown(result), encoding="utf-8")
        print(sweep_markdown(result))
        return
    result: dict[str, Any] = {
        "machine": f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores",
        "repeats": args.repeats,
    }
    if not args.quality_only:
        result["index"] = bench_index(settings.corpus_dir, args.repeats)
        result["pipelines"] = bench_pipelines(settings, args.gold)
    if names:
        result["sets"] = bench_sets(settings, names)
    if not args.quality_only:
        result["cold_start"] = bench_cold_start(args.repeats)
    result["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    name = "benchmark" if not args.quality_only else "quality"
    (args.out / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / f"{name}.md").write_text(to_markdown(result), encoding="utf-8")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
