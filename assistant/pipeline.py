"""The assistant as one object: open the index once, then answer questions.

This is the only entry point the CLI and the Streamlit page use.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Iterator, Literal

from assistant.answer import AnswerEngine
from assistant.conversation import make_standalone
from assistant.index import Index, open_index
from assistant.limits import check_question
from assistant.query import parse_query
from assistant.retrieval import Filters, retrieve, rerank_pool
from assistant.settings import Settings
from assistant.types import Answer, Turn

Pipeline = Literal["full", "baseline"]


class Assistant:
    def __init__(self, settings: Settings, index: Index | None = None, chat_model=None) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings
        self.index = index or open_index(settings)
        self.engine = AnswerEngine(self.index, settings.answer)
        self._chat_model = chat_model  # injected in tests; else built from settings on first use
        self._llm_chain = None

    @property
    def llm_enabled(self) -> bool:
        return self.settings.llm.enabled or self._chat_model is not None

    def llm_chain(self):  # type: ignore[no-untyped-def]
        if self._llm_chain is None:
            from assistant.llm import LLMAnswerer  # langchain-openai loads only when needed

            self._llm_chain = LLMAnswerer(self, self._chat_model)
        return self._llm_chain

    def standalone(self, question: str, history: list[Turn]) -> str:
        if not history:
            return question
        if self.llm_enabled:
            rewritten = self.llm_chain().rewrite(question, history)
            if rewritten:
                return rewritten
        return make_standalone(question, history, self.index.cities, self.index.documents)

    def retrieve(self, question: str, filters: Filters = Filters()):  # type: ignore[no-untyped-def]
        query = parse_query(question, self.index.cities)
        cfg = self.settings.retrieval
        if not cfg.rerank:
            return query, retrieve(self.index, query, cfg, filters)
        wide = cfg.model_copy(update={"k": 2 * max(cfg.k, cfg.candidates)})
        fused = retrieve(self.index, query, wide, filters)
        return query, self.engine.rerank(query, rerank_pool(fused, cfg.rerank_candidates), cfg.k)

    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: Filters = Filters(),
        use_llm: bool | None = None,
    ) -> Answer:
        check_question(question, self.settings)  # raises QuestionRejected before any work
        started = time.perf_counter()
        history = history or []
        standalone = self.standalone(question, history)
        query, passages = self.retrieve(standalone, filters)
        answer = self.engine.compose(query, passages)
        if (self.llm_enabled if use_llm is None else use_llm) and not answer.abstained:
            answer = self.llm_chain().answer(query, passages, answer)
        answer = replace(
            answer,
            question=question,
            standalone_question=standalone if standalone != question else None,
            latency_ms=(time.perf_counter() - started) * 1000,
        )
        return answer

    def stream(
        self, question: str, history: list[Turn] | None = None, filters: Filters = Filters()
    ) -> Iterator[str | Answer]:
        """Yield answer text pieces as they are produced, then the final Answer."""
        check_question(question, self.settings)  # raises QuestionRejected before any work
        history = history or []
        if not self.llm_enabled:
            answer = self.ask(question, history, filters, use_llm=False)
            for line in answer.text.splitlines(keepends=True):
                yield line
            yield answer
            return
        yield from self.llm_chain().stream(question, history, filters)
