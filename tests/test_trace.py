"""The trace: what `ask --json`, the evaluation report and the page show of a decision."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.evaluation import GoldItem, run_eval
from assistant.settings import DEFAULT_GATES
from assistant.trace import ChosenStatement, Trace
from assistant.types import Answer

from small_view import small

DOC = {"r.md": "# 緑町 雪かき報告\n\n## 1 概要\n\n令和6年度の活動日数は12日で、延べ85人が参加しました。\n"}


def test_an_answer_carries_every_decision() -> None:
    answer = small(DOC, "雪かきには延べ何人参加した？", {"r.md": "緑町"}).answer()
    trace = answer.trace
    assert trace is not None and trace.outcome == "answered"
    assert trace.query["answer_type"] == "count" and trace.query["unit"] == "名|人"
    assert all(g.passed for g in trace.gates) and len(trace.gates) == len(DEFAULT_GATES)
    assert trace.strategy == "value" and trace.chosen[0].typed
    lines = trace.lines_ja()
    assert lines[0].startswith("質問の読み取り: 種類: 数")
    assert any(line.startswith("答え方:") for line in lines)
    json.dumps(trace.to_dict(), ensure_ascii=False)


def test_a_declined_answer_says_why_in_japanese() -> None:
    answer = small(DOC, "雪かきの予算総額と財源は？", {"r.md": "緑町"}).answer()
    assert answer.abstained and answer.trace is not None
    assert any(line.startswith("回答を控えた理由:") for line in answer.trace.lines_ja())


def test_the_report_shows_the_trace_of_a_failed_item(tmp_path: Path) -> None:
    trace = Trace(query={"answer_type": "count", "cities": ["緑町"]}, strategy="value", strategy_reason="数が書かれた文で答えました。",
                  chosen=[ChosenStatement("r.md", "1 概要", "延べ85人", 0.9, 0.8, True)], outcome="answered")
    gold = [GoldItem(id="g1", question="何人？", facts=[["99人"]], sources=["r.md"], evidence=["85人"], answerable=True)]
    run_eval(gold, lambda item: Answer(question=item.question, text="85人", abstained=False, trace=trace),
             tmp_path, {}, "g.jsonl")
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "回答の根拠（処理の流れ）" in report and "答え方: 数が書かれた文で答えました。" in report
