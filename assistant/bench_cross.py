"""Tuning numbers chosen across documents: `python -m assistant.bench --cross` (`make bench-cross`).

A number chosen on the documents it is measured on says little about documents nobody has
seen. So each candidate value of each setting in evals/cross_settings.yaml is scored on two
groups of question sets (the seed documents; the new-documents sets), the value each group
would choose is found, and it is then checked on the *other* group. One figure per group:
the share of all its items answered right (an answerable item whose answer states every fact,
or an unanswerable item declined), pooled over the group's sets.

Results: evals/results/cross.{json,md}.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from assistant.evaluation import compute_metrics, item_record, load_gold
from assistant.pipeline import answer_function
from assistant.question_sets import load_sets, settings_for
from assistant.settings import Settings

CROSS_FILE = Path("evals/cross_settings.yaml")


def counts(settings: Settings, gold_path: Path) -> dict[str, int]:
    """Items right, answerable right, unanswerable declined, false abstentions and sizes of one set."""
    gold = load_gold(gold_path)
    answer_fn, _ = answer_function(settings, "full")
    records = [item_record(item, answer_fn(item)) for item in gold]
    metrics = compute_metrics(gold, records)
    n_ans = sum(1 for g in gold if g.answerable)
    n_un = len(gold) - n_ans
    right_ans = round(metrics["fact_accuracy"] * n_ans)
    declined = round(metrics["abstain_rate_unanswerable"] * n_un)
    return {"n": len(gold), "answerable": n_ans, "unanswerable": n_un, "right": right_ans + declined,
            "right_answerable": right_ans, "declined": declined,
            "false_abstain": round(metrics["false_abstain_rate"] * n_ans)}


def pooled(rows: list[dict[str, int]]) -> dict[str, float]:
    total = {k: sum(r[k] for r in rows) for k in rows[0]}
    return {"right": total["right"] / total["n"],
            "fact_accuracy": total["right_answerable"] / max(total["answerable"], 1),
            "declined": total["declined"] / max(total["unanswerable"], 1),
            "false_abstain": total["false_abstain"] / max(total["answerable"], 1),
            "n": total["n"]}


def with_value(settings: Settings, target: str, value: Any) -> Settings:
    group, _, field = target.partition(".")
    sub = getattr(settings, group).model_copy(update={field: value})
    return settings.model_copy(update={group: sub})


def choose(rows: dict[str, dict[str, dict[str, float]]], default: Any, groups: list[str]) -> dict[str, Any]:
    """The value each group would choose (its most items right), with that value's figure on
    every other group. Ties go to the default, then to the earlier value: a change must earn
    its place."""
    chosen = {}
    for group in groups:
        best = max(rows, key=lambda v: (round(rows[v][group]["right"], 6), json.loads(v) == default))
        others = {g: rows[best][g]["right"] for g in groups if g != group}
        chosen[group] = {"value": json.loads(best), "own": rows[best][group]["right"], "other": others}
    return chosen


def run(base: Settings, spec_path: Path = CROSS_FILE) -> dict[str, Any]:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    sets = load_sets()
    groups: dict[str, list[str]] = spec["groups"]
    set_settings = {name: settings_for([str(f) for f in sets[name]["corpus"]], base)
                    for names in groups.values() for name in names}
    cache: dict[tuple[str, str], dict[str, dict[str, float]]] = {}

    def score(target: str | None, value: Any) -> dict[str, dict[str, float]]:
        key = (target or "", json.dumps(value))
        if key not in cache:
            by_group = {}
            for group, names in groups.items():
                rows = []
                for name in names:
                    settings = set_settings[name] if target is None else with_value(set_settings[name], target, value)
                    rows.append(counts(settings, Path(sets[name]["file"])))
                by_group[group] = pooled(rows)
            cache[key] = by_group
        return cache[key]

    defaults = score(None, None)
    out: dict[str, Any] = {"groups": groups, "defaults": defaults, "settings": {}}
    for target, values in spec["settings"].items():
        group_name, _, field = target.partition(".")
        default = getattr(getattr(base, group_name), field)
        # The default value's scores are the run without any change.
        rows = {json.dumps(v): (defaults if v == default else score(target, v)) for v in values}
        out["settings"][target] = {"default": default, "values": rows, "chosen": choose(rows, default, list(groups))}
    out["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return out


def to_markdown(result: dict[str, Any]) -> str:
    groups = list(result["groups"])
    lines = [f"# Tuning numbers chosen across documents ({result['finished_at']})", "",
             "Figure: share of all items answered right (answerable: every fact stated; unanswerable: declined), "
             "pooled over each group's sets. " + "; ".join(f"**{g}**: {', '.join(n)}" for g, n in result["groups"].items()),
             "", "## Defaults", "",
             "| group | items | right | fact_accuracy | unanswerable declined | false abstain |", "|---|---|---|---|---|---|"]
    for g in groups:
        d = result["defaults"][g]
        lines.append(f"| {g} | {d['n']} | {d['right']:.3f} | {d['fact_accuracy']:.3f} | {d['declined']:.3f} | {d['false_abstain']:.3f} |")
    lines += ["", "## Each setting", "",
              "| setting | default | value | " + " | ".join(f"{g} right" for g in groups) + " |",
              "|---|---|---|" + "---|" * len(groups)]
    for target, row in result["settings"].items():
        for value, scores in row["values"].items():
            lines.append(f"| {target} | {row['default']} | {value} | "
                         + " | ".join(f"{scores[g]['right']:.3f}" for g in groups) + " |")
    lines += ["", "## Chosen on one group, checked on the other", "",
              "| setting | default | chosen on | value | on its own group | on the other group | default on the other group |",
              "|---|---|---|---|---|---|---|"]
    for target, row in result["settings"].items():
        for g, c in row["chosen"].items():
            for other, figure in c["other"].items():
                lines.append(f"| {target} | {row['default']} | {g} | {c['value']} | {c['own']:.3f} | "
                             f"{other}: {figure:.3f} | {result['defaults'][other]['right']:.3f} |")
    return "\n".join(lines) + "\n"


def main(base: Settings, out_dir: Path, spec_path: Path = CROSS_FILE) -> dict[str, Any]:
    result = run(base, spec_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "cross.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (out_dir / "cross.md").write_text(to_markdown(result), encoding="utf-8")
    print(to_markdown(result))
    return result
