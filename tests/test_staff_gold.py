"""Feedback becomes evaluation (assistant/staff_gold.py): gold items written from answers of
the real engine on the small corpus, in the EVAL_SPEC format, scored by the real `eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation import failures, item_record, load_gold, run_eval
from assistant.indexer import build_index
from assistant.pipeline import Assistant
from assistant.staff_gold import (
    GoldDraftError,
    append_item,
    correction_record,
    draft_from_answer,
    facts_text,
    gold_record,
    lead_facts,
    parse_facts,
    read_items,
    staff_gold_path,
)
from assistant.types import Answer, Turn


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    from conftest import write_small_corpus
    from assistant.settings import load_settings

    root = tmp_path_factory.mktemp("staff-gold")
    settings = load_settings(corpus_dir=write_small_corpus(root / "corpus"), index_dir=root / "index",
                             data_dir=root / "data")
    assert not build_index(settings).failed
    return Assistant(settings)


def test_lead_values_prefill_the_expected_facts() -> None:
    assert lead_facts(Answer("q", "85人 [1]。\n\n資料の該当箇所:\n- 延べ85人 [1]", False)) == ["85人"]
    assert lead_facts(Answer("q", "一関市: 令和6年度から令和10年度まで [1]、岩国市: 令和6年度から [2]。", False)) == [
        "令和6年度から令和10年度まで", "令和6年度から"]
    assert lead_facts(Answer("q", "はい [1]。", False)) == ["はい"]
    assert lead_facts(Answer("q", "- 項目A [1]\n- 項目B [2]", False)) == []  # a list has no lead value
    assert lead_facts(Answer("q", "資料には該当する記載が見つかりませんでした。", True)) == []
    assert parse_facts("85人／八十五人\n\n 12日 ") == [["85人", "八十五人"], ["12日"]]
    assert facts_text(["85人", "12日"]) == "85人\n12日"


def test_an_answer_becomes_a_gold_item_that_it_passes(bot: Assistant, tmp_path: Path) -> None:
    history = [Turn("user", "緑町の雪かきボランティアについて"), Turn("assistant", "…")]
    answer = bot.ask("延べ参加人数は？", history)
    draft = draft_from_answer(answer, history)
    assert draft.facts == ["85人"] and draft.sources == ["midori_yuki.txt"] and draft.answerable
    assert draft.evidence and all(len(e) <= 60 for e in draft.evidence)
    record = gold_record(draft, facts_text(draft.facts), unanswerable=False)
    assert record["question"] == "延べ参加人数は？" and record["history"][0] == {"role": "user", "content": history[0].content}
    path = append_item(tmp_path, record)
    append_item(tmp_path, gold_record(draft, "", unanswerable=True))
    assert path == staff_gold_path(tmp_path)
    items = load_gold(path)  # the EVAL_SPEC format, as `assistant eval` reads it
    assert [i.answerable for i in items] == [True, False] and items[0].facts == [["85人"]]
    assert read_items(tmp_path) == items
    records = [item_record(items[0], bot.ask(items[0].question, items[0].history))]
    assert failures(items[:1], records) == []  # the engine passes the item it answered right
    with pytest.raises(GoldDraftError, match="期待する事実"):
        gold_record(draft, "  \n ", unanswerable=False)


def test_a_thumbs_down_with_a_correction_is_an_item_the_engine_fails(bot: Assistant, tmp_path: Path) -> None:
    answer = bot.ask("緑町の雪かきボランティアの活動日数は？")
    assert not answer.abstained
    record = correction_record(answer, [], "13日")
    assert record["facts"] == [["13日"]] and record["answerable"]
    append_item(tmp_path, record)
    gold = load_gold(staff_gold_path(tmp_path))
    summary = run_eval(gold, lambda item: bot.ask(item.question, item.history), tmp_path / "run", {}, "staff", "full")
    assert summary["fact_accuracy"] == 0.0  # the current engine fails it, as the staff member said
    records = [json.loads(line) for line in (tmp_path / "run" / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [why for _, _, why in failures(gold, records)] == ["事実の不足: 13日"]

    not_stated = correction_record(answer, [], "記載なし")  # it should have declined
    assert not not_stated["answerable"] and not_stated["facts"] == []
    with pytest.raises(GoldDraftError, match="今の回答にも含まれている"):
        correction_record(answer, [], "12日")  # the answer says it already: no failing item
    declined = bot.ask("宇宙旅行の予算はいくらですか？")
    with pytest.raises(GoldDraftError, match="すでに「記載なし」"):
        correction_record(declined, [], "記載なし")
    assert correction_record(declined, [], "100万円")["answerable"]


def test_items_are_appended_one_line_each(tmp_path: Path) -> None:
    for n in range(3):
        append_item(tmp_path, {"id": f"s{n}", "question": "q", "history": [], "facts": [["x"]], "sources": [],
                               "evidence": [], "answerable": True})
    lines = staff_gold_path(tmp_path).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["s0", "s1", "s2"]

