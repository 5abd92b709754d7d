"""Where the vectors live is part of the index (issue 10, item 6), and a Chroma server that
is down is told in Japanese, never as a traceback (item 5). A real `chroma run` server."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import store
from assistant.index import VectorStoreMismatch, open_index
from assistant.indexer import build_index
from assistant.settings import Settings

from conftest import ASSISTANT_CMD, cli_env
from servers import ChromaServer, chroma_executable

QUESTION = "緑町の雪かきボランティアの延べ参加人数は？"
UNREACHABLE = "に接続できません。サーバーが起動しているか、設定 ASSISTANT_CHROMA_URL が正しいかを確認してください。"


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    if chroma_executable() is None:
        pytest.skip("the `chroma` executable (chromadb's server) is not installed")
    server = ChromaServer(tmp_path / "chroma-server", tmp_path / "chroma.log")
    try:
        yield server
    finally:
        server.stop()


def cli(settings: Settings, *args: str, chroma_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = cli_env(settings)
    if chroma_url:
        env["ASSISTANT_CHROMA_URL"] = chroma_url
    return subprocess.run([*ASSISTANT_CMD, *args], env=env, capture_output=True, text=True, timeout=300)


def test_manifest_records_where_the_vectors_live(small_settings: Settings, chroma: ChromaServer) -> None:
    report = build_index(small_settings)
    assert store.read_manifest(small_settings.index_dir, report.generation or "").vector_store == "embedded"
    on_server = small_settings.model_copy(update={"chroma_url": chroma.url + "/"})
    report = build_index(on_server)
    manifest = store.read_manifest(small_settings.index_dir, report.generation or "")
    assert manifest.vector_store == f"server:http://127.0.0.1:{chroma.port}"
    assert report.embedded == 0 and open_index(on_server).chroma.count() == report.chunks  # type: ignore[union-attr]
    assert build_index(on_server, rebuild=True).embedded == report.chunks


def test_switching_to_a_chroma_server_is_detected_and_moves_the_vectors(small_settings: Settings, chroma: ChromaServer) -> None:
    first = cli(small_settings, "index")
    assert first.returncode == 0, first.stderr

    # The index was built embedded; now the server is configured.
    asked = cli(small_settings, "ask", QUESTION, chroma_url=chroma.url)
    assert asked.returncode != 0
    assert "`assistant index` を実行して索引を作り直してください" in asked.stderr and "Traceback" not in asked.stderr
    with pytest.raises(VectorStoreMismatch):
        open_index(small_settings.model_copy(update={"chroma_url": chroma.url}))

    moved = cli(small_settings, "index", chroma_url=chroma.url)
    assert moved.returncode == 0, moved.stderr
    assert "ベクトルの保存先が変わったため" in moved.stdout and "埋め込みは引き継ぎます" in moved.stdout
    # The vectors move from the generation's array to the server: a new generation, nothing re-embedded.
    assert "変更なし 3" in moved.stdout and "新規埋め込み 0" in moved.stdout
    assert store.read_manifest(small_settings.index_dir, store.current_generation(small_settings.index_dir) or "").vector_store.startswith("server:")
    answered = cli(small_settings, "ask", QUESTION, "--json", chroma_url=chroma.url)
    assert answered.returncode == 0, answered.stderr
    assert "85人" in json.loads(answered.stdout)["answer"]

    back = cli(small_settings, "index")  # and back to the embedded store
    assert back.returncode == 0 and "ベクトルの保存先が変わったため" in back.stdout
    assert "85人" in json.loads(cli(small_settings, "ask", QUESTION, "--json").stdout)["answer"]


def test_commands_say_in_japanese_that_the_chroma_server_is_down(
    small_settings: Settings, chroma: ChromaServer, tmp_path: Path
) -> None:
    built = cli(small_settings, "index", chroma_url=chroma.url)
    assert built.returncode == 0, built.stderr
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "question": QUESTION, "facts": [["85人"]], "sources": ["midori_yuki.txt"],
                                "evidence": ["延べ85人"], "answerable": True}, ensure_ascii=False), encoding="utf-8")
    chroma.stop()

    for args in (["index", "--rebuild"], ["ask", QUESTION], ["eval", "--gold", str(gold), "--out", str(tmp_path / "run")]):
        done = cli(small_settings, *args, chroma_url=chroma.url)
        assert done.returncode != 0, (args, done.stdout)
        assert f"エラー: Chroma サーバー（{chroma.url}）{UNREACHABLE}" in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr and "Error:" not in done.stderr, (args, done.stderr)
