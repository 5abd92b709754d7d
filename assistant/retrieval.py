"""Hybrid retrieval: dense (Chroma) + keyword (BM25/Sudachi), fused; city-aware."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from assistant.index import Hit, Index
from assistant.query import Query
from assistant.settings import RetrievalSettings
from assistant.types import Passage


@dataclass(frozen=True)
class Filters:
    """Restrictions chosen by the user in the page (on top of cities named in the question)."""

    cities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def fuse(
    dense: list[Hit], keyword: list[Hit], cfg: RetrievalSettings
) -> list[tuple[int, float, int | None, int | None]]:
    """Fuse two ranked lists -> (chunk index, score, dense rank, keyword rank), best first."""
    scores: dict[int, float] = defaultdict(float)
    d_rank = {h.index: r for r, h in enumerate(dense, 1)}
    k_rank = {h.index: r for r, h in enumerate(keyword, 1)}
    if cfg.fusion == "rrf":
        for idx, r in d_rank.items():
            scores[idx] += cfg.dense_weight / (cfg.rrf_k + r)
        for idx, r in k_rank.items():
            scores[idx] += cfg.keyword_weight / (cfg.rrf_k + r)
    else:  # weighted sum of max-normalised scores
        for hits, weight in ((dense, cfg.dense_weight), (keyword, cfg.keyword_weight)):
            top = max((h.score for h in hits), default=0.0) or 1.0
            for h in hits:
                scores[h.index] += weight * h.score / top
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(i, s, d_rank.get(i), k_rank.get(i)) for i, s in ordered]


def _retrieve_one(index: Index, query: Query, cfg: RetrievalSettings, cities: list[str], sources: list[str]) -> list[Passage]:
    n = max(cfg.candidates, cfg.k)
    dense = index.dense_search(query.normalized, n, cities, sources) if cfg.dense else []
    keyword = index.keyword_search(query.keyword_text, n, cities, sources) if cfg.keyword else []
    return [
        Passage(index.chunks[i], score, dr, kr) for i, score, dr, kr in fuse(dense, keyword, cfg)
    ]


def _only_city(query: Query, city: str) -> Query:
    """The query as asked of one city: the other cities' names would only pull in chunks that
    happen to mention them."""
    text = query.text_for_city(city)
    return replace(query, normalized=text, keyword_text=text + " " + " ".join(query.expansions))


def retrieve(index: Index, query: Query, cfg: RetrievalSettings, filters: Filters = Filters()) -> list[Passage]:
    """Top passages for `query`. A question naming two cities retrieves for each city and
    interleaves, so a comparison always sees both documents."""
    sources = list(filters.sources)
    named = query.cities if cfg.city_filter else []
    if filters.cities:
        named = [c for c in named if c in filters.cities] or list(filters.cities)
    if len(named) <= 1:
        return _retrieve_one(index, query, cfg, named, sources)[: cfg.k]
    per_city = [_retrieve_one(index, _only_city(query, c), cfg, [c], sources) for c in named]
    merged: list[Passage] = []
    seen: set[str] = set()
    for rank in range(max(len(p) for p in per_city)):
        for plist in per_city:
            if rank < len(plist) and plist[rank].chunk.id not in seen:
                seen.add(plist[rank].chunk.id)
                merged.append(plist[rank])
    return merged[: cfg.k]


def rerank_pool(fused: list[Passage], n: int) -> list[Passage]:
    """The candidates the reranker reads: the first `n` fused, plus any passage that either
    retriever alone ranks in its first n/2. Rank fusion buries a passage only one retriever
    finds (the words match, the embedding does not), yet that is often the one that answers."""
    strong = n // 2
    return [
        p for i, p in enumerate(fused)
        if i < n or (p.dense_rank or strong + 1) <= strong or (p.keyword_rank or strong + 1) <= strong
    ]
