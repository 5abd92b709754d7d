"""The second, third and fourth question sets (evals/{second,third,fourth}_set.jsonl) obey
the same contract as the gold set.

Each was written by a separate helper who saw the documents and EVAL_SPEC.md but neither the
other sets nor the code; the README reports the figures measured on each before and after the
changes it prompted.
"""
import json
from pathlib import Path

import pytest

import test_gold as gold_checks

EVALS = Path(__file__).resolve().parents[1] / "evals"
SETS = {"second_set.jsonl": 60, "third_set.jsonl": 45, "fourth_set.jsonl": 50}
ITEMS = [
    (n, json.loads(line))
    for name in SETS
    for n, line in enumerate((EVALS / name).read_text(encoding="utf-8").splitlines(), 1)
    if line.strip()
]
IDS = [item["id"] for _, item in ITEMS]


@pytest.mark.parametrize(
    "check",
    [
        gold_checks.test_fields_and_types,
        gold_checks.test_sources_exist,
        gold_checks.test_facts_in_sources,
        gold_checks.test_all_sources_items_use_every_source,
        gold_checks.test_unanswerable_items_are_empty,
    ],
)
def test_every_item_meets_the_contract(check) -> None:  # type: ignore[no-untyped-def]
    for lineno, item in ITEMS:
        check(lineno, item)


def test_ids_are_unique_and_distinct_from_the_gold_set() -> None:
    assert len(set(IDS)) == len(IDS) == sum(SETS.values())
    assert not set(IDS) & {obj["id"] for _, obj in gold_checks.ITEMS}


@pytest.mark.parametrize(("lineno", "item"), ITEMS, ids=IDS)
def test_evidence_is_verbatim(lineno: int, item: dict) -> None:
    # As in the gold set, minus its 8-character floor: a cover date (「令和6年7月」) stands
    # alone on its line.
    for ev in item["evidence"]:
        assert "\n" not in ev and len(ev) >= 5
        assert any(ev in gold_checks.raw_text(src) for src in item["sources"]), (item["id"], ev)
