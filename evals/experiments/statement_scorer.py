"""Does a fitted model choose the quoted statement better than the hand-set weights?

An analysis, not part of the product. For every answerable question of some sets, the
candidate statements the engine scores (evidence.py) are written with their features and a
label (the statement holds one of the gold facts). A logistic regression and a gradient-boosted
model (scikit-learn, installed with sentence-transformers) are fitted on one group of sets and
judged on the other, by how often the best statement holds a fact (P@1) and how often the
three best hold every fact (cover@3), against the hand-set order.

    # one dump per set, each on its own corpus and index (as `assistant eval` would use them)
    ASSISTANT_CORPUS_DIR=… ASSISTANT_INDEX_DIR=… python evals/experiments/statement_scorer.py dump evals/dev_g.jsonl /tmp/feat/dev_g.jsonl
    python evals/experiments/statement_scorer.py fit --a /tmp/feat/gold.jsonl … --b /tmp/feat/dev_g.jsonl …

Measured (README, "A fitted statement scorer"): neither model beats the hand-set weights on the
group it was not fitted on.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import unicodedata
from pathlib import Path

CANDIDATES = 60  # statements per question written


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def dump(gold: Path, out: Path) -> None:
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from assistant.types import Turn

    assistant = Assistant(Settings())
    with out.open("w", encoding="utf-8") as f:
        for line in gold.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if not item["answerable"]:
                continue
            history = [Turn(role=t["role"], content=t["content"]) for t in item.get("history", [])]
            query, passages, evidence = assistant.search(assistant.standalone(item["question"], history))
            rows = []
            for st in evidence.statements(passages)[:CANDIDATES]:
                feat = next((x for x in evidence._features.get(st.chunk.id, []) if x.segment == st.segment), None)
                if feat is None:
                    continue
                text = norm(st.text)
                hits = [i for i, fact in enumerate(item["facts"]) if any(norm(x) in text for x in fact)]
                rows.append({"rank": st.rank, "own": feat.own, "ctx": feat.coverage, "psg": feat.passage,
                             "typed": feat.typed, "kind": st.segment.kind, "question": st.text.rstrip().endswith(("？", "?")),
                             "chars": len(st.text), "carried": feat.carried, "score": st.score, "hits": hits})
            f.write(json.dumps({"id": item["id"], "atype": query.answer_type, "facts": len(item["facts"]), "rows": rows},
                               ensure_ascii=False) + "\n")


def features(item: dict, row: dict) -> list[float]:
    typed_question = item["atype"] not in ("other", "list", "definition")
    return [row["own"], row["ctx"], row["psg"], 1 / (1 + 0.5 * row["rank"]), float(row["typed"]),
            float(row["typed"] and typed_question), float(row["kind"] == "heading"), float(row["kind"] == "table"),
            float(row["question"]), math.log1p(row["chars"]) / 5, float(row["carried"]),
            float(row["kind"] == "heading" and item["atype"] == "list")]


def judge(items: list[dict], order) -> tuple[int, float, float]:  # type: ignore[no-untyped-def]
    n = p1 = c3 = 0
    for item in items:
        rows = item["rows"]
        if not any(r["hits"] for r in rows):
            continue
        n += 1
        ranked = order(item)
        p1 += bool(rows[ranked[0]]["hits"])
        c3 += len({h for i in ranked[:3] for h in rows[i]["hits"]}) == item["facts"]
    return n, p1 / n, c3 / n


def fit(a: list[Path], b: list[Path]) -> None:
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    def load(paths: list[Path]) -> list[dict]:
        return [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]

    def hand(item: dict) -> list[int]:
        return list(range(len(item["rows"])))  # the engine's own order

    for name, train, test in (("fit A, judge B", load(a), load(b)), ("fit B, judge A", load(b), load(a))):
        x = np.array([features(it, r) for it in train for r in it["rows"]])
        y = np.array([1 if r["hits"] else 0 for it in train for r in it["rows"]])
        for label, model in (("logistic", LogisticRegression(max_iter=2000)),
                             ("boosted", HistGradientBoostingClassifier(max_depth=3, max_iter=150, learning_rate=0.05))):
            model.fit(x, y)

            def fitted(item: dict, model=model) -> list[int]:  # type: ignore[no-untyped-def]
                scores = model.predict_proba(np.array([features(item, r) for r in item["rows"]]))[:, 1]
                return list(np.argsort(-scores, kind="stable"))

            print(f"{name}: hand {judge(test, hand)}  {label} {judge(test, fitted)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("gold", type=Path)
    d.add_argument("out", type=Path)
    f = sub.add_parser("fit")
    f.add_argument("--a", type=Path, nargs="+", required=True)
    f.add_argument("--b", type=Path, nargs="+", required=True)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.gold, args.out)
    else:
        fit(args.a, args.b)


if __name__ == "__main__":
    main()
