"""The assistant as one object: open the index once, then answer questions.

This is the only entry point the CLI and the Streamlit page use, and the one orchestration:
follow-up made standalone -> parsed question -> retrieval -> evidence -> reranking ->
extractive answer -> (optional) the LLM, which gets the prepared bundle, never the
assistant itself.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Callable, Iterator

from assistant.answer import AnswerEngine
from assistant.citations import make_citation
from assistant.conversation import make_standalone
from assistant.docview import DocumentView
from assistant.evaluation import PIPELINES
from assistant.evidence import Evidence
from assistant.index import Index, open_index
from assistant.lexicon import lexicon
from assistant.limits import check_question
from assistant.messages import ABSTAIN_TEXT
from assistant.query import Query, focus_of, kana_names, parse_query
from assistant.tokens import tokenizer
from assistant.rerank import rerank
from assistant.retrieval import Filters, rerank_pool, retrieve
from assistant.settings import Settings
from assistant.text import compact
from assistant.prepared import Prepared
from assistant.trace import Trace
from assistant.types import Answer, Passage, Turn

NAMED_THING_CHARS = 3  # a shorter name (「会館」) is not one municipality's own
# A follow-up stays in the chat's municipality unless it names a thing of another one: a name of
# four characters at least (「さぽカフェ」), not a common word one town happens to use (「委員長」).
OWNED_NAME_CHARS = 4
# Between the pieces of a question that may be names: particles, punctuation, 「について」.
_NAME_SPLIT = re.compile(r"について|って|[とやのはがをでにもへ、,。.?？!！「」『』()（）\s]")

TRACE_PASSAGES = 5


class Assistant:
    def __init__(self, settings: Settings, index: Index | None = None, chat_model=None) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings
        self.index = index or open_index(settings)
        self.view = DocumentView(self.index.documents, self.index.chunks, self.index.keyword, settings.answer, self.index.cities)
        self.view.corpus = self.index.corpus(settings.answer.whole_row_chars)  # made once per open index
        self.engine = AnswerEngine(self.view, settings.answer)
        self._chat_model = chat_model  # injected in tests; else built from settings on first use
        self._llm = None

    @property
    def llm_enabled(self) -> bool:
        return self.settings.llm.enabled or self._chat_model is not None

    def llm(self):  # type: ignore[no-untyped-def]
        if self._llm is None:
            from assistant.llm import LLMAnswerer  # langchain-openai loads only when needed

            self._llm = LLMAnswerer(self.view, self.settings.llm, self._chat_model)
        return self._llm

    def standalone(self, question: str, history: list[Turn], deadline: float | None = None) -> str:
        if not history:
            return question
        if self.llm_enabled:
            rewritten = self.llm().rewrite(question, history, deadline)
            if rewritten:
                return rewritten
        return make_standalone(question, history, self.index.cities, self.index.documents, self.owners_named)

    def owners_named(self, question: str) -> set[str]:
        """The municipalities whose documents alone write a thing the question names (a
        centre's nickname, a programme's name)."""
        return set(cities_naming(_NAME_SPLIT.split(question), self.view, OWNED_NAME_CHARS))

    def search(self, question: str, filters: Filters = Filters()) -> tuple[Query, list[Passage], Evidence]:
        """The parsed question, its passages (reranked by evidence) and that evidence."""
        query = named_cities(with_kana_names(parse_query(question, self.index.cities), self.view), self.view)
        evidence = Evidence(query, self.view, self.settings.answer)
        return query, self._passages(query, evidence, filters), evidence

    def _passages(self, query: Query, evidence: Evidence, filters: Filters) -> list[Passage]:
        cfg = self.settings.retrieval
        if not cfg.rerank:
            return retrieve(self.index, query, cfg, filters)
        wide = cfg.model_copy(update={"k": 2 * max(cfg.k, cfg.candidates)})
        pool = rerank_pool(retrieve(self.index, query, wide, filters), cfg.rerank_candidates)
        return rerank(pool, evidence, cfg)

    def facet_passages(self, query: Query, filters: Filters) -> dict[str, list[Passage]]:
        """Passages for each part of a question that names its own subject (「…交付金の上限額と、
        …プロジェクトの交付金の額」): searched on its own words, so each part can find its document."""
        out: dict[str, list[Passage]] = {}
        for facet in query.facets:
            own = [f for f in query.focus if f.text in facet.text]
            if not own or len(query.facets) < 2:
                continue
            # The part's own cities only: 「山口市の…と、しくみづくりプロジェクトの…」 names 山口市 for
            # the first part alone.
            sub = parse_query(facet.text, self.index.cities)
            out[facet.text] = self._passages(sub, Evidence(sub, self.view, self.settings.answer), filters)
        return out

    def retrieve(self, question: str, filters: Filters = Filters()) -> tuple[Query, list[Passage]]:
        query, passages, _ = self.search(question, filters)
        return query, passages

    def prepare(self, question: str, history: list[Turn] | None = None, filters: Filters = Filters()) -> Prepared:
        check_question(question, self.settings)  # raises QuestionRejected before any work
        started = time.perf_counter()
        # One deadline for the whole question: a model that hangs on the rewrite of a follow-up
        # leaves no time to hang again on the answer.
        deadline = time.monotonic() + self.settings.llm.timeout_s if self.llm_enabled else None
        standalone = self.standalone(question, history or [], deadline)
        query, passages, evidence = self.search(standalone, filters)
        trace = Trace(
            query=query.summary(),
            standalone=standalone if standalone != question else None,
            filters={"cities": list(filters.cities), "sources": list(filters.sources)},
            passages=[
                {"source": p.chunk.source, "title": p.chunk.title, "section": p.chunk.section, "score": round(p.score, 4)}
                for p in passages[:TRACE_PASSAGES]
            ],
        )
        inferred = [c for c in query.cities if c not in standalone]
        if inferred:
            trace.notes.append(f"質問に市町村名はありませんが、尋ねられた名前がそれぞれ一つの市町村の資料にだけ書かれているため、{'・'.join(inferred)}について答えました。")
        by_facet = self.facet_passages(query, filters) if query.facets else {}
        extractive = self.engine.answer(query, passages, evidence, trace, by_facet)
        return Prepared(question, standalone, query, passages, evidence, extractive, started, deadline)

    def _finish(self, answer: Answer, prepared: Prepared) -> Answer:
        return replace(
            answer,
            question=prepared.question,
            standalone_question=prepared.standalone if prepared.standalone != prepared.question else None,
            latency_ms=(time.perf_counter() - prepared.started) * 1000,
        )

    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: Filters = Filters(),
        use_llm: bool | None = None,
    ) -> Answer:
        prepared = self.prepare(question, history, filters)
        answer = prepared.extractive
        if (self.llm_enabled if use_llm is None else use_llm) and not answer.abstained:
            answer = self.llm().answer(prepared)
        return self._finish(answer, prepared)

    def stream(
        self, question: str, history: list[Turn] | None = None, filters: Filters = Filters(), use_llm: bool | None = None
    ) -> Iterator[str | Answer]:
        """Yield answer text pieces as they are produced, then the final Answer."""
        prepared = self.prepare(question, history, filters)
        answer = prepared.extractive
        if not (self.llm_enabled if use_llm is None else use_llm) or answer.abstained:
            # No model, or no evidence: the fixed phrase, without asking a model to improvise.
            yield from answer.text.splitlines(keepends=True)
            yield self._finish(answer, prepared)
            return
        for piece in self.llm().stream(prepared):
            yield piece if isinstance(piece, str) else self._finish(piece, prepared)

    def quote_top_passage(self, question: str, history: list[Turn] | None = None) -> Answer:
        """Retrieval only: quote the best passage whole. The eval's reference point for what
        the answer engine adds on top of retrieval."""
        started = time.perf_counter()
        standalone = self.standalone(question, history or [])
        _, passages = self.retrieve(standalone)
        if not passages:
            return Answer(question=question, text=ABSTAIN_TEXT, abstained=True)
        top = passages[0].chunk
        citation = make_citation(1, top, self.index.documents[top.source], top.start, top.end, self.view.outlines[top.source])
        return Answer(
            question=question, text=f"{citation.quote} [1]", abstained=False, citations=[citation],
            passages=passages, mode="passage", latency_ms=(time.perf_counter() - started) * 1000,
        )


def answer_function(settings: Settings, pipeline: str) -> tuple[Callable[..., Answer], dict]:
    """An answer function (item -> Answer) for the eval harness and the benchmark, plus the
    settings it ran with. `pipeline` is one of PIPELINES."""
    if pipeline not in PIPELINES:
        raise ValueError(f"unknown pipeline {pipeline!r}; one of {', '.join(PIPELINES)}")
    if pipeline == "baseline":
        from assistant.baseline import BaselinePipeline

        base = BaselinePipeline(settings)
        return (lambda item: base.ask(item.question, item.history)), base.describe()
    cfg = settings.retrieval
    if pipeline in ("hybrid", "dense", "keyword"):
        cfg = cfg.model_copy(update={"rerank": False})  # retrieval alone, as the stages are compared
    if pipeline == "dense":
        cfg = cfg.model_copy(update={"keyword": False})
    elif pipeline == "keyword":
        cfg = cfg.model_copy(update={"dense": False})
    settings = settings.model_copy(update={"retrieval": cfg})
    assistant = Assistant(settings)
    if pipeline == "full":
        return (lambda item: assistant.ask(item.question, item.history)), settings.model_dump(mode="json")
    return (lambda item: assistant.quote_top_passage(item.question, item.history)), settings.model_dump(mode="json")


def with_kana_names(query: Query, view: DocumentView) -> Query:
    """The question's focus with the kana nicknames the documents write in brackets
    (「むくのば」, written 愛称「むくのば」) kept whole: the gates then ask the quotes for the
    name, not for its pieces (むく, ばと)."""
    corpus = view.corpus_text(())
    names = kana_names(query.normalized, lambda s: any(f"{o}{s}{c}" in corpus for o, c in _NAME_BRACKETS))
    if not names:
        return query
    rest = query.normalized
    for name in names:
        rest = rest.replace(name, "、")
    nouns = tuple((n, n) for n in names) + tuple(tokenizer().nouns(rest))
    return replace(query, focus=focus_of(query.normalized, query.cities, tuple(names), means=query.yes_no), nouns=nouns)


_NAME_BRACKETS = (("「", "」"), ("(", ")"), ("『", "』"))


def named_cities(query: Query, view: DocumentView) -> Query:
    """「つなぐばとかわせみテラスの閉館時間は？」 names no municipality, but two things each
    written in one municipality's documents only, and not the same one: the question is about
    those two municipalities, as if it named them (each is then answered on its own). So is
    「えのきベースと楢崎町の結ひろば」, which names one of them."""
    if len(query.cities) >= 2 or not lexicon().cue("compares").search(query.normalized):
        return query
    kana = [f.text for f in query.focus if len(f.parts) == 1 and f.parts[0][0] == f.text and re.fullmatch(r"[ぁ-んァ-ヶー]+", f.text)]
    # (A name in hiragana, 「つなぐば」, is no focus phrase; the question's pieces between
    # particles are read instead.)
    owners = cities_naming([*kana, *_NAME_SPLIT.split(query.normalized)], view, NAMED_THING_CHARS)
    # 「えのきベースと楢崎町の結ひろば」: one town named, the other by a thing only it has.
    cities = list(query.cities) + [c for c in owners if c not in query.cities]
    return replace(query, cities=cities) if len(cities) >= 2 and len(cities) > len(query.cities) else query


def cities_naming(names: list[str], view: DocumentView, min_chars: int) -> list[str]:
    """The municipalities (in the order first met) whose documents alone write one of `names`
    of `min_chars` characters at least; question words are no names."""
    owners: list[str] = []
    for name in names:
        name = compact(name)
        if len(name) < min_chars or name in lexicon().question_words:
            continue
        city = view.only_city_naming(name)
        if city is not None and city not in owners:
            owners.append(city)
    return owners
