"""Choosing a tuning number on one group of question sets and checking it on the other."""

from __future__ import annotations

from assistant.bench_cross import choose, pooled


def test_pooled_counts_every_item_of_the_group_once() -> None:
    rows = [{"n": 10, "answerable": 8, "unanswerable": 2, "right": 7, "right_answerable": 6, "declined": 1, "false_abstain": 1},
            {"n": 30, "answerable": 25, "unanswerable": 5, "right": 21, "right_answerable": 17, "declined": 4, "false_abstain": 0}]
    got = pooled(rows)
    assert got["n"] == 40 and got["right"] == 28 / 40
    assert got["fact_accuracy"] == 23 / 33 and got["declined"] == 5 / 7 and got["false_abstain"] == 1 / 33


def test_each_group_chooses_its_best_value_and_is_checked_on_the_other() -> None:
    def figures(seed: float, new: float) -> dict[str, dict[str, float]]:
        return {"seed": {"right": seed}, "new": {"right": new}}

    rows = {"0.25": figures(0.80, 0.70), "0.4": figures(0.82, 0.72), "0.55": figures(0.85, 0.69)}
    chosen = choose(rows, 0.4, ["seed", "new"])
    assert chosen["seed"] == {"value": 0.55, "own": 0.85, "other": {"new": 0.69}}  # fitted on seed, worse on new
    assert chosen["new"]["value"] == 0.4 and chosen["new"]["other"] == {"seed": 0.82}


def test_a_tie_keeps_the_default() -> None:
    same = {"seed": {"right": 0.8}, "new": {"right": 0.7}}
    assert choose({"0.1": same, "0.15": same, "0.2": same}, 0.15, ["seed", "new"])["seed"]["value"] == 0.15
