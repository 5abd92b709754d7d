"""Typed data objects passed between pipeline stages.

load -> LoadedDocument -> chunk -> Chunk -> index -> retrieve -> Passage -> answer -> Answer
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assistant.trace import Trace


@dataclass(frozen=True)
class PageSpan:
    """A page of a paginated source: characters [start, end) of the document text."""

    page: int  # 1-based, as printed by PDF viewers
    start: int
    end: int


@dataclass(frozen=True)
class LoadedDocument:
    """A document's full plain text plus its provenance.

    `text` is the single source of truth: chunk offsets and quoted citation spans refer
    to it, so a citation can always be verified against it.
    """

    source: str  # file name relative to the corpus directory, e.g. "yamaguchi_r6_jigyo.txt"
    text: str
    title: str
    city: str | None
    content_hash: str  # sha256 of the raw file bytes plus catalog metadata
    pages: tuple[PageSpan, ...] = ()  # empty for documents without pages

    def page_at(self, offset: int) -> int | None:
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return self.pages[-1].page if self.pages and offset >= self.pages[-1].end else None


@dataclass(frozen=True)
class LoadFailure:
    """A document that could not be read, and why (the reason is shown to staff, in Japanese)."""

    source: str
    reason: str


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit of a document.

    `text` equals `prefix + document.text[start:end]`; `prefix` is non-empty only when a
    split table repeats its header row, so the body always maps back to the source.
    """

    id: str
    source: str
    title: str
    city: str | None
    section: str  # section path, e.g. "基本施策Ⅲ > (1) 地域経営に向けた基盤の強化"
    page: int | None
    start: int
    end: int
    text: str
    content_hash: str
    prefix: str = ""
    navigation: bool = False  # a table of contents: kept for coverage, not retrieved

    @property
    def body(self) -> str:
        return self.text[len(self.prefix) :]


@dataclass(frozen=True)
class Passage:
    """A chunk returned by retrieval, with its fused score and per-retriever ranks."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered citation: a verified quote from one passage."""

    n: int
    source: str
    title: str
    city: str | None
    section: str
    page: int | None
    quote: str  # occurs verbatim in the source document
    chunk_id: str
    start: int  # offsets of `quote` in the document text
    end: int


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "assistant"]
    content: str


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # retrieved, best first
    standalone_question: str | None = None  # the follow-up made standalone, when rewritten
    notice: str | None = None  # e.g. "LLM unavailable, extractive answer shown"
    mode: str = "extractive"
    latency_ms: float = 0.0
    unsupported: list[str] = field(default_factory=list)  # generated sentences citing nothing
    trace: Trace | None = None  # every decision taken for this answer (assistant/trace.py)
