"""Evidence reranking: candidates reordered by the best statement each holds.

Part of retrieval: it reads the statements scored for the question (assistant/evidence.py,
the same ones the answer is chosen from) and blends the best one per passage with where
the retrievers ranked the passage.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.evidence import Evidence
from assistant.settings import RetrievalSettings
from assistant.types import Passage


def prior_rank(position: int, passage: Passage, single_factor: float) -> float:
    """Where retrieval put a passage (0 = first): its fused position, or better where one
    retriever alone ranks it higher, so a passage only the words (or only the meaning) find
    is not buried by the fusion."""
    singles = [single_factor * (r - 1) for r in (passage.dense_rank, passage.keyword_rank) if r]
    return min([position, *singles])


def rerank(passages: list[Passage], evidence: Evidence, cfg: RetrievalSettings) -> list[Passage]:
    """Reorder the candidates by the best statement each holds (its words, section and
    asked-for value), blended with the retrieval rank: evidence first, then agreement."""
    if len(passages) <= 1:
        return passages[: cfg.k]
    best: dict[str, float] = {}
    for st in evidence.scored(passages):
        best[st.chunk.id] = max(best.get(st.chunk.id, 0.0), st.score)
    top = max(best.values(), default=0.0) or 1.0
    w = cfg.rerank_weight
    scored = [
        (
            w * best.get(p.chunk.id, 0.0) / top
            + (1 - w) / (1 + cfg.prior_decay * prior_rank(i, p, cfg.single_retriever_factor)),
            i,
            p,
        )
        for i, p in enumerate(passages)
    ]
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [replace(p, score=score) for score, _, p in scored[: cfg.k]]
