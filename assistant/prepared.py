"""One question, prepared once: what the LLM answerer receives from the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.evidence import Evidence
from assistant.query import Query
from assistant.types import Answer, Passage


@dataclass
class Prepared:
    """Everything one question needs, computed once: what the LLM answerer receives."""

    question: str
    standalone: str
    query: Query
    passages: list[Passage]
    evidence: Evidence
    extractive: Answer
    started: float
    deadline: float | None = None  # time.monotonic() by which the model must have answered
