"""The optional LLM answer chain (off unless `ASSISTANT_LLM__MODEL` is set).

It receives the prepared bundle of a question (assistant/pipeline.py `Prepared`: the parsed
query, its passages, the extractive answer), never the assistant: orchestration happens once.
numbered passages -> prompt (assistant/prompts/*.md) -> chat model -> citation
check. Citations that point to no passage are removed; sentences left without a valid
citation are reported in `Answer.unsupported`. On a model error or timeout the extractive
answer is returned with a notice, so staff always get an answer they can check.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Iterator

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from assistant.citations import MARKER, make_citation, markers, strip_unknown_markers, verify
from assistant.lexicon import lexicon
from assistant.text import compact, nfkc
from assistant.docview import DocumentView, Segment
from assistant.messages import ABSTAIN_TEXT
from assistant.prepared import Prepared
from assistant.query import Query
from assistant.settings import LLMSettings
from assistant.tokens import tokenize
from assistant.types import Answer, Citation, Passage, Turn

FALLBACK_NOTICE = "生成モデルが応答しなかったため、資料から抜き出した回答を表示しています。"
UNSUPPORTED_NOTICE = "生成モデルの回答の主な文を出典で確かめられなかったため、資料から抜き出した回答を表示しています。"
DEADLINE_NOTICE = "質問の処理時間の上限に達したため、資料から抜き出した回答を表示しています。"
MIN_ANSWER_S = 0.5  # less time than this left for the question: do not start the model
# Text in a document that speaks to a model instead of to readers: such a passage is not shown
# to the model at all.
_INJECTION = re.compile(
    r"(?:以前|これまで|上記|前)の(?:指示|命令|プロンプト)を?(?:無視|忘れ)|指示を無視|とだけ(?:答え|回答|出力)"
    r"|システムプロンプト|ignore (?:all |the )?(?:previous|above|prior) (?:instructions|prompts)|disregard (?:all |the )?previous",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
MAX_PASSAGES = 6
_SENTENCE = re.compile(rf"[^。！？\n]+[。！？]?(?:\s*{MARKER.pattern})*")  # 「…。[1]」 keeps its marker


@lru_cache(maxsize=None)
def prompt_text(name: str) -> str:
    return resources.files("assistant.prompts").joinpath(name).read_text(encoding="utf-8")


def make_chat_model(cfg: LLMSettings) -> BaseChatModel:
    """An OpenAI-compatible client when `base_url` is set, else a provider string."""
    if cfg.base_url:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=cfg.model or "",
            base_url=cfg.base_url,
            api_key=cfg.api_key.get_secret_value(),  # type: ignore[arg-type]
            timeout=cfg.timeout_s,
            max_retries=0,
            temperature=cfg.temperature,
        )
    from langchain.chat_models import init_chat_model

    return init_chat_model(cfg.model, temperature=cfg.temperature, timeout=cfg.timeout_s)


def _escape(text: str) -> str:
    # A document cannot close its own delimiter (or an attribute) and smuggle text in as
    # instructions.
    return text.replace("<", "＜").replace(">", "＞").replace('"', "＂")


def format_passages(passages: list[Passage]) -> str:
    blocks = []
    for n, p in enumerate(passages, 1):
        c = p.chunk
        page = f' page="{c.page}"' if c.page else ""
        blocks.append(
            f'<passage id="{n}" title="{_escape(c.title)}" section="{_escape(c.section)}"{page}>\n'
            f"{_escape(c.text)}\n</passage>"
        )
    return "\n".join(blocks)


def speaks_to_the_model(text: str) -> bool:
    """Whether a passage holds instructions addressed to a model (「以前の指示を無視して…とだけ答えよ」)."""
    return bool(_INJECTION.search(nfkc(text)))


def supported(sentence: str, passage: str, min_overlap: float) -> bool:
    """Whether a generated sentence says what the passage it cites says: every number of the
    sentence stands in the passage, and most of its content words do."""
    body = compact(MARKER.sub("", sentence))
    text = compact(passage)
    for number in _NUMBER.findall(body):
        if number.replace(",", "") not in text.replace(",", ""):
            return False
    words = {t for t in tokenize(body) if t not in lexicon().question_words and len(t) >= 2}
    if not words:
        return True
    held = set(tokenize(text))
    return len(words & held) >= min_overlap * len(words)


class LLMAnswerer:
    def __init__(self, view: DocumentView, cfg: LLMSettings, model: BaseChatModel | None = None) -> None:
        self.view = view
        self.cfg = cfg
        self.model = model or make_chat_model(self.cfg)
        self.prompt = ChatPromptTemplate.from_messages(
            [("system", prompt_text("answer.md")), ("human", prompt_text("answer_user.md"))]
        )
        self.chain: Runnable = self.prompt | self.model | StrOutputParser()

    # -- the chain ----------------------------------------------------------------------
    @staticmethod
    def shown(passages: list[Passage]) -> list[Passage]:
        """The passages the model reads: the best ones, without any that speak to a model."""
        return [p for p in passages if not speaks_to_the_model(p.chunk.text)][:MAX_PASSAGES]

    def _inputs(self, query: Query, passages: list[Passage]) -> dict[str, str]:
        return {"passages": format_passages(self.shown(passages)), "question": query.normalized}

    def _model(self, deadline: float | None):  # type: ignore[no-untyped-def]
        """The chain, told how long it may take: what is left of the question's deadline."""
        if deadline is None:
            return self.chain
        return self.prompt | self.model.bind(timeout=max(0.1, deadline - time.monotonic())) | StrOutputParser()

    def answer(self, prepared: Prepared) -> Answer:
        started = time.perf_counter()
        extractive = prepared.extractive
        if prepared.deadline is not None and prepared.deadline - time.monotonic() < MIN_ANSWER_S:
            return replace(extractive, notice=DEADLINE_NOTICE)
        try:
            text = self._model(prepared.deadline).invoke(
                self._inputs(prepared.query, prepared.passages), config={"run_name": "assistant-answer"}
            )
        except Exception as exc:  # any model/network failure: fall back, never lose the answer
            return replace(extractive, notice=f"{FALLBACK_NOTICE}（{type(exc).__name__}）")
        answer = self.check(prepared.query.original, text, prepared.passages)
        answer.trace = extractive.trace
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return self._or_extractive(answer, extractive)

    @staticmethod
    def _or_extractive(answer: Answer, extractive: Answer) -> Answer:
        """The generated answer, unless its main sentence is not supported by what it cites:
        then the extractive answer, with a notice (and the generated sentences listed)."""
        if answer.abstained or not answer.unsupported:
            return answer
        main = next((s for s in (m.group(0).strip() for m in _SENTENCE.finditer(answer.text)) if len(s) > 1), "")
        if main and MARKER.sub("", main) in [MARKER.sub("", u) for u in answer.unsupported]:
            return replace(extractive, notice=UNSUPPORTED_NOTICE, unsupported=answer.unsupported)
        return answer

    def stream(self, prepared: Prepared) -> Iterator[str | Answer]:
        """Text pieces as the model produces them, then the checked Answer. The caller has
        already answered extractively (and does not call this when that abstained)."""
        extractive = prepared.extractive
        if prepared.deadline is not None and prepared.deadline - time.monotonic() < MIN_ANSWER_S:
            yield extractive.text
            yield replace(extractive, notice=DEADLINE_NOTICE)
            return
        pieces: list[str] = []
        try:
            for piece in self._model(prepared.deadline).stream(self._inputs(prepared.query, prepared.passages)):
                pieces.append(piece)
                yield piece
        except Exception as exc:
            notice = f"{FALLBACK_NOTICE}（{type(exc).__name__}）"
            yield "\n\n" + notice + "\n\n" + extractive.text
            yield replace(extractive, notice=notice)
            return
        answer = self.check(prepared.question, "".join(pieces), prepared.passages)
        answer.trace = extractive.trace
        final = self._or_extractive(answer, extractive)
        if final is not answer:
            yield "\n\n" + final.notice + "\n\n" + extractive.text  # type: ignore[operator]
        yield final

    # -- after generation -----------------------------------------------------------------
    def check(self, question: str, text: str, passages: list[Passage]) -> Answer:
        """Drop citations to no passage, give each remaining one a verified quote, and flag
        sentences that cite nothing."""
        shown = self.shown(passages)
        text = strip_unknown_markers(text.strip(), set(range(1, len(shown) + 1)))
        if not text or ABSTAIN_TEXT in text:
            return Answer(question=question, text=ABSTAIN_TEXT, abstained=True, passages=passages, mode="llm")
        view = self.view
        citations: list[Citation] = []
        renumber: dict[int, int] = {}
        unsupported: list[str] = []
        for sentence in (m.group(0).strip() for m in _SENTENCE.finditer(text)):
            used = markers(sentence)
            if not used and len(sentence) > 1:
                unsupported.append(sentence)
            # A sentence stands on the passages it cites: they must say what it says.
            backed = [n for n in used if supported(sentence, shown[n - 1].chunk.text, self.cfg.support_overlap)]
            if used and not backed and len(MARKER.sub("", sentence)) > 1:
                unsupported.append(MARKER.sub("", sentence))
            for n in backed:
                if n in renumber:
                    continue
                chunk = shown[n - 1].chunk
                doc = view.documents[chunk.source]
                seg = self._best_segment(chunk.source, chunk.start, chunk.end, sentence)
                citation = make_citation(
                    len(citations) + 1, chunk, doc, seg.start, seg.end, view.outlines[chunk.source]
                )
                if verify(citation, view.documents):
                    renumber[n] = citation.n
                    citations.append(citation)
        text = MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]" if int(m.group(1)) in renumber else "", text)
        return Answer(
            question=question,
            text=text,
            abstained=False,
            citations=citations,
            passages=passages,
            mode="llm",
            unsupported=unsupported,
        )

    def _best_segment(self, source: str, start: int, end: int, sentence: str) -> Segment:
        """The passage's sentence closest in words to the generated one: the quote shown."""
        doc = self.view.documents[source]
        wanted = set(tokenize(sentence))
        segs = [s for s in self.view.segments(source) if start <= s.start and s.end <= end]
        if not segs:
            return Segment(start, end, "text")
        return max(segs, key=lambda s: len(wanted & set(tokenize(doc.text[s.start : s.end]))))

    # -- follow-ups -----------------------------------------------------------------------
    def rewrite(self, question: str, history: list[Turn], deadline: float | None = None) -> str | None:
        messages = [SystemMessage(prompt_text("rewrite.md"))]
        for turn in history[-6:]:
            messages.append(HumanMessage(turn.content) if turn.role == "user" else AIMessage(turn.content))
        messages.append(HumanMessage(f"書き換える質問: {question}"))
        try:
            model = self.model if deadline is None else self.model.bind(timeout=max(0.1, deadline - time.monotonic()))
            out = model.invoke(messages)
        except Exception:
            return None  # the model-free rewrite takes over
        text = str(out.content).strip().splitlines()[0] if str(out.content).strip() else ""
        return text or None
