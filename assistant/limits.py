"""Limits on what staff can send: checked before any work is done.

A question is tokenised by Sudachi and scored statement by statement, so its cost grows
with its length (500 characters take ~2 s, 2,000 take ~4–6 s) and Sudachi refuses input
over ~49 KB with an English error. `question_problem` says in Japanese what is wrong
with a question, or None; the pipeline, the CLI and the chat page all call it first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.settings import Settings
from assistant.types import Turn


class QuestionRejected(ValueError):
    """A question refused before any work; `message` is one Japanese sentence for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def question_problem(text: str, settings: Settings) -> str | None:
    """Why `text` cannot be asked (Japanese), or None when it can."""
    if not text or not text.strip():
        return "質問が空です。質問を入力してから送信してください。"
    limit = settings.max_question_chars
    length = len(text.strip())
    if length > limit:
        return (
            f"質問が長すぎます（{length:,} 文字）。{limit:,} 文字以内に短くして、"
            "知りたいことを一つずつ質問してください。"
        )
    return None


def check_question(text: str, settings: Settings) -> None:
    """Raise QuestionRejected when `question_problem` finds something."""
    problem = question_problem(text, settings)
    if problem:
        raise QuestionRejected(problem)


def history_problem(history: Iterable[Turn], settings: Settings) -> str | None:
    """The earlier questions of a conversation (a `--history` file) obey the same limit:
    a follow-up is rewritten with the previous question's words."""
    for n, turn in enumerate(history, 1):
        if not isinstance(turn.content, str):
            return f"会話履歴の {n} 件目の content が文字列ではありません。文字列で書いてください。"
        if turn.role == "user" and len(turn.content.strip()) > settings.max_question_chars:
            return (
                f"会話履歴の {n} 件目の質問が長すぎます（{len(turn.content.strip()):,} 文字）。"
                f"{settings.max_question_chars:,} 文字以内にしてください。"
            )
    return None


def gold_problems(items: Iterable[Any], settings: Settings) -> list[str]:
    """Gold items (`assistant eval`, the 評価 page) whose question or history would be refused, by id."""
    problems = []
    for item in items:
        problem = question_problem(item.question, settings) or history_problem(item.history, settings)
        if problem:
            problems.append(f"{item.id}: {problem}")
    return problems
