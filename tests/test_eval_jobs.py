"""Evaluation runs in the background (assistant/eval_jobs.py): a run finishes without the page,
a run that can no longer finish is listed as 中断, never hidden."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from assistant.eval_jobs import read_status, run_state, start_eval, wait
from assistant.evaluation import GoldItem
from assistant.types import Answer
from assistant.ui_state import list_all_runs, list_runs, runs_table

GOLD = [GoldItem("a", "参加人数は？", [["85人"]], ["m.txt"], ["85人"], True),
        GoldItem("b", "予算は？", [], [], [], False)]


def answer(item: GoldItem) -> Answer:
    if item.answerable:
        return Answer(item.question, "85人 [1]。", False)
    return Answer(item.question, "資料には該当する記載が見つかりませんでした。", True)


def test_a_run_goes_on_by_itself_and_finishes(tmp_path: Path) -> None:
    gate = threading.Event()

    def slow(item: GoldItem) -> Answer:
        gate.wait(30)
        return answer(item)

    run = tmp_path / "eval_runs" / "20260101-000000"
    start_eval(GOLD, slow, run, {"k": 1}, "gold.jsonl", "full")
    assert run_state(run) == "running"
    assert read_status(run)["total"] == 2 and read_status(run)["pid"] == os.getpid()
    assert [r.state for r in list_all_runs(tmp_path)] == ["running"] and list_runs(tmp_path) == []
    gate.set()  # nobody watches the run: it still finishes and writes its summary
    assert wait(run, 30) == "finished"
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert summary["n"] == 2 and summary["fact_accuracy"] == 1.0
    assert read_status(run)["done"] == 2
    assert runs_table(list_all_runs(tmp_path))[0]["状態"] == "完了"


def test_a_failing_run_says_why(tmp_path: Path) -> None:
    def broken(item: GoldItem) -> Answer:
        raise ConnectionError("down")

    run = tmp_path / "eval_runs" / "20260101-000001"
    start_eval(GOLD, broken, run, {}, "gold.jsonl", "full", explain=lambda exc: "Chroma サーバーに接続できません。")
    assert wait(run, 30) == "failed"
    assert read_status(run)["message"] == "Chroma サーバーに接続できません。"
    assert runs_table(list_all_runs(tmp_path))[0]["状態"] == "失敗"


def test_runs_whose_process_is_gone_are_interrupted(tmp_path: Path) -> None:
    root = tmp_path / "eval_runs"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    (root / "20260101-000002").mkdir(parents=True)  # a run of the old page, closed mid-run: no status, no summary
    (root / "20260101-000002" / "items.jsonl").write_text("{}\n", encoding="utf-8")
    (root / "20260101-000003").mkdir()
    (root / "20260101-000003" / "status.json").write_text(json.dumps(
        {"state": "running", "pid": dead_pid, "heartbeat": "2026-01-01T00:00:00+00:00", "total": 5,
         "gold": "evals/gold.jsonl", "pipeline": "full"}), encoding="utf-8")
    (root / "20260101-000004").mkdir()
    (root / "20260101-000004" / "status.json").write_text(json.dumps(  # this process, but no thread runs it
        {"state": "running", "pid": os.getpid(), "heartbeat": "2026-01-01T00:00:00+00:00"}), encoding="utf-8")
    states = {r.name: r.state for r in list_all_runs(tmp_path)}
    assert states == {"20260101-000002": "interrupted", "20260101-000003": "interrupted",
                      "20260101-000004": "interrupted"}
    row = next(r for r in runs_table(list_all_runs(tmp_path)) if r["実行"] == "20260101-000003")
    assert (row["状態"], row["正解データ"], row["問題数"]) == ("中断", "gold.jsonl", 5)
    assert run_state(root / "20260101-000003") == "interrupted"
