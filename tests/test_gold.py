"""Checks for the public gold question set (evals/gold.jsonl).

Format and matching rules: see the evaluation contract (EVAL_SPEC.md).
Standard library only (plus pytest as the runner).
"""
import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "evals" / "gold.jsonl"
CORPUS = ROOT / "corpus"

REQUIRED = {
    "id": str,
    "question": str,
    "facts": list,
    "sources": list,
    "evidence": list,
    "answerable": bool,
}
OPTIONAL = {"history": list, "all_sources": bool}


def norm(text: str) -> str:
    """The contract's matching normalisation: NFKC, no white space, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _load():
    items = []
    with GOLD.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:  # pragma: no cover - reported below
                raise AssertionError(f"line {lineno}: invalid JSON: {exc}") from exc
            assert isinstance(obj, dict), f"line {lineno}: not a JSON object"
            items.append((lineno, obj))
    return items


ITEMS = _load()


def _raw(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


_RAW_CACHE = {}
_NORM_CACHE = {}


def raw_text(name: str) -> str:
    if name not in _RAW_CACHE:
        _RAW_CACHE[name] = _raw(name)
    return _RAW_CACHE[name]


def norm_text(name: str) -> str:
    if name not in _NORM_CACHE:
        _NORM_CACHE[name] = norm(raw_text(name))
    return _NORM_CACHE[name]


def _ids():
    return [obj.get("id", f"line{n}") for n, obj in ITEMS]


def test_file_not_empty():
    assert ITEMS, "gold.jsonl has no items"


@pytest.mark.parametrize("lineno,item", ITEMS, ids=_ids())
def test_fields_and_types(lineno, item):
    for key, typ in REQUIRED.items():
        assert key in item, f"line {lineno}: missing field {key!r}"
        assert isinstance(item[key], typ), f"line {lineno}: {key!r} must be {typ.__name__}"
    for key, typ in OPTIONAL.items():
        if key in item:
            assert isinstance(item[key], typ), f"line {lineno}: {key!r} must be {typ.__name__}"
    unknown = set(item) - set(REQUIRED) - set(OPTIONAL)
    assert not unknown, f"line {lineno}: unknown fields {sorted(unknown)}"
    assert item["id"].strip(), f"line {lineno}: empty id"
    assert item["question"].strip(), f"line {lineno}: empty question"
    for fact in item["facts"]:
        assert isinstance(fact, list) and fact, f"line {lineno}: each fact must be a non-empty list"
        assert all(isinstance(a, str) and a.strip() for a in fact), f"line {lineno}: fact alternatives must be non-empty strings"
    assert all(isinstance(s, str) for s in item["sources"]), f"line {lineno}: sources must be strings"
    assert len(set(item["sources"])) == len(item["sources"]), f"line {lineno}: duplicate source"
    assert all(isinstance(e, str) for e in item["evidence"]), f"line {lineno}: evidence must be strings"
    if "history" in item:
        hist = item["history"]
        assert hist, f"line {lineno}: empty history"
        for turn in hist:
            assert isinstance(turn, dict), f"line {lineno}: history turns must be objects"
            assert turn.get("role") in ("user", "assistant"), f"line {lineno}: bad role {turn.get('role')!r}"
            assert isinstance(turn.get("content"), str) and turn["content"].strip(), f"line {lineno}: empty history content"
        assert hist[0]["role"] == "user", f"line {lineno}: history must start with a user turn"


def test_unique_ids():
    ids = [obj.get("id") for _, obj in ITEMS]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"


def test_unique_questions():
    keys = [(json.dumps(obj.get("history", []), ensure_ascii=False), obj.get("question")) for _, obj in ITEMS]
    dupes = sorted({k[1] for k in keys if keys.count(k) > 1})
    assert not dupes, f"duplicate questions: {dupes}"


@pytest.mark.parametrize("lineno,item", ITEMS, ids=_ids())
def test_sources_exist(lineno, item):
    for src in item["sources"]:
        assert (CORPUS / src).is_file(), f"{item['id']}: source {src!r} not in corpus/"


@pytest.mark.parametrize("lineno,item", ITEMS, ids=_ids())
def test_evidence_verbatim(lineno, item):
    for ev in item["evidence"]:
        assert "\n" not in ev, f"{item['id']}: evidence spans a line break: {ev!r}"
        assert 8 <= len(ev) <= 40, f"{item['id']}: evidence length {len(ev)} outside 8-40: {ev!r}"
        assert any(ev in raw_text(src) for src in item["sources"]), (
            f"{item['id']}: evidence not found verbatim in {item['sources']}: {ev!r}"
        )


@pytest.mark.parametrize("lineno,item", ITEMS, ids=_ids())
def test_facts_in_sources(lineno, item):
    if not item["answerable"]:
        return
    assert item["facts"], f"{item['id']}: answerable item without facts"
    assert item["sources"], f"{item['id']}: answerable item without sources"
    assert 1 <= len(item["evidence"]) <= 3, f"{item['id']}: answerable item needs 1-3 evidence strings"
    text = "".join(norm_text(src) for src in item["sources"])
    for fact in item["facts"]:
        assert any(norm(alt) in text for alt in fact), (
            f"{item['id']}: no alternative of fact {fact} occurs in {item['sources']}"
        )


@pytest.mark.parametrize("lineno,item", ITEMS, ids=_ids())
def test_all_sources_items_use_every_source(lineno, item):
    if not item.get("all_sources"):
        return
    assert item["answerable"], f"{item['id']}: all_sources on an unanswerable item"
    assert len(item["sources"]) >= 2, f"{item['id']}: all_sources needs at least two sources"
    for src in item["sources"]:
        text = norm_text(src)
        assert any(any(norm(alt) in text for alt in fact) for fact in item["facts"]), (
            f"{item['id']}: no fact comes from {src}"
        )
        assert any(ev in raw_text(src) for ev in item["evidence"]), (
            f"{item['id']}: no evidence string comes from {src}"
        )


@pytest.mark.parametrize("lineno,item", ITEMS, ids=_ids())
def test_unanswerable_items_are_empty(lineno, item):
    if item["answerable"]:
        return
    assert item["facts"] == [], f"{item['id']}: unanswerable item has facts"
    assert item["sources"] == [], f"{item['id']}: unanswerable item has sources"
    assert item["evidence"] == [], f"{item['id']}: unanswerable item has evidence"
    assert not item.get("all_sources", False), f"{item['id']}: unanswerable item has all_sources"


def test_counts():
    objs = [obj for _, obj in ITEMS]
    assert len(objs) >= 80, f"only {len(objs)} items"
    unanswerable = [o for o in objs if not o["answerable"]]
    assert len(unanswerable) >= 8, f"only {len(unanswerable)} unanswerable items"
    with_history = [o for o in objs if o.get("history")]
    assert len(with_history) >= 5, f"only {len(with_history)} items with history"
    multi = [o for o in objs if o.get("all_sources") and len(o["sources"]) >= 2]
    assert len(multi) >= 5, f"only {len(multi)} all_sources items with two or more sources"

