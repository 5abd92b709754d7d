"""Questions are checked before any work (issue 10, item 4): too long or empty questions are
refused with one Japanese sentence, in the pipeline and on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.limits import QuestionRejected, question_problem
from assistant.pipeline import Assistant
from assistant.settings import Settings, load_settings
from assistant.types import Turn

LONG = "山口市の協働推進計画について教えてください。" * 30  # 660 characters


@pytest.fixture(scope="module")
def seed_assistant(seed_index: Settings) -> Assistant:
    return Assistant(seed_index)


@pytest.mark.parametrize("text", ["", " ", "\n\t", "　　", " \u3000 \n"])
def test_empty_or_blank_question_is_a_problem(text: str) -> None:
    assert question_problem(text, load_settings()) == "質問が空です。質問を入力してから送信してください。"


def test_question_length_limit_is_a_setting() -> None:
    settings = load_settings(max_question_chars=20)
    assert question_problem("あ" * 20, settings) is None
    problem = question_problem("あ" * 21, settings)
    assert problem is not None and "21 文字" in problem and "20 文字以内" in problem
    assert load_settings().max_question_chars == 500


def test_too_long_question_is_refused_before_any_work(seed_assistant: Assistant) -> None:
    with pytest.raises(QuestionRejected) as info:
        seed_assistant.ask(LONG)
    assert info.value.message == question_problem(LONG, seed_assistant.settings)
    assert "質問が長すぎます（660 文字）" in info.value.message
    with pytest.raises(QuestionRejected):
        next(iter(seed_assistant.stream(LONG)))
    with pytest.raises(QuestionRejected):  # Sudachi's own limit (~49 KB) is never reached
        seed_assistant.ask("あ" * 20_000)


def test_blank_follow_up_is_not_turned_into_the_previous_question(seed_assistant: Assistant) -> None:
    history = [Turn("user", "自治会長情報交換会には何名参加した？"), Turn("assistant", "29名が参加しました。")]
    with pytest.raises(QuestionRejected, match="質問が空です"):
        seed_assistant.ask("   ", history)
    with pytest.raises(QuestionRejected, match="質問が空です"):
        next(iter(seed_assistant.stream("\u3000", history)))
    assert "29" in seed_assistant.ask("自治会長情報交換会には何名参加した？").text  # a real question still works


def test_cli_ask_refuses_a_long_question_in_japanese(seed_env: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner(env=seed_env).invoke(main, ["ask", LONG])
    assert result.exit_code != 0
    assert "質問が長すぎます（660 文字）" in result.output and "Traceback" not in result.output
    # Checked before the index is opened: no index needed to be told.
    env = {**seed_env, "ASSISTANT_INDEX_DIR": str(tmp_path / "none")}
    result = CliRunner(env=env).invoke(main, ["ask", " "])
    assert result.exit_code != 0 and "質問が空です" in result.output and "索引がありません" not in result.output


def test_cli_ask_refuses_a_history_with_a_long_question(seed_env: dict[str, str], tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": LONG}, {"role": "assistant", "content": "回答"}],
                                  ensure_ascii=False), encoding="utf-8")
    result = CliRunner(env=seed_env).invoke(main, ["ask", "その期間は？", "--history", str(history)])
    assert result.exit_code != 0
    assert "会話履歴の 1 件目の質問が長すぎます" in result.output and "Traceback" not in result.output


def test_cli_eval_refuses_a_gold_set_with_a_long_question(seed_env: dict[str, str], tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    items = [{"id": "ok", "question": "計画の期間は？", "facts": [], "sources": [], "evidence": [], "answerable": False},
             {"id": "long1", "question": LONG, "facts": [], "sources": [], "evidence": [], "answerable": False}]
    gold.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    result = CliRunner(env=seed_env).invoke(main, ["eval", "--gold", str(gold), "--out", str(tmp_path / "run")])
    assert result.exit_code != 0
    assert "long1: 質問が長すぎます" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "run").exists()
