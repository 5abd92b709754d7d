"""The `assistant` command through click's CliRunner, against real indexes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assistant.settings import DEFAULT_GATES

from assistant.catalog import load_catalog
from assistant.cli import main
from assistant.indexer import build_lock
from assistant.loaders import load_document, scan_corpus
from assistant.settings import Settings

from conftest import SEED_SOURCES, SMALL_DOCS

SUMMARY = re.compile(
    r"追加 (\d+) / 更新 (\d+) / 削除 (\d+) / 変更なし (\d+) / 失敗 (\d+); チャンク (\d+)（新規埋め込み (\d+)、再利用 (\d+)）"
)
RECORD_KEYS = {"id", "answer", "abstained", "citations", "retrieved", "latency_ms", "trace"}
CITATION_KEYS = {"n", "source", "title", "section", "page", "quote"}


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)


def summary(result: Result) -> tuple[int, ...]:
    match = SUMMARY.search(result.stdout)
    assert match, result.output
    return tuple(int(x) for x in match.groups())


def env_for(settings: Settings) -> dict[str, str]:
    return {"ASSISTANT_CORPUS_DIR": str(settings.corpus_dir), "ASSISTANT_INDEX_DIR": str(settings.index_dir)}


def document_texts(corpus: Path) -> dict[str, str]:
    catalog = load_catalog(corpus)
    return {sf.source: load_document(sf, catalog).text for sf in scan_corpus(corpus, catalog)}


# --------------------------------------------------------------------------- index


def test_index_on_built_seed_index_reports_no_change(seed_env: dict[str, str]) -> None:
    result = run(seed_env, "index")
    assert result.exit_code == 0, result.output
    added, updated, removed, unchanged, failed, chunks, embedded, reused = summary(result)
    assert (added, updated, removed, failed, embedded, reused) == (0, 0, 0, 0, 0, 0)
    assert unchanged == len(SEED_SOURCES)
    assert chunks > 50


def test_index_summary_for_first_build_change_and_rebuild(small_settings: Settings) -> None:
    env = env_for(small_settings)
    first = run(env, "index")
    assert first.exit_code == 0, first.output
    added, updated, removed, unchanged, failed, chunks, embedded, reused = summary(first)
    assert (added, updated, removed, unchanged, failed) == (3, 0, 0, 0, 0)
    assert embedded == chunks > 0 and reused == 0

    (small_settings.corpus_dir / "hoshi_kansatsu.txt").unlink()
    (small_settings.corpus_dir / "aoba_plan.md").write_text(SMALL_DOCS["aoba_plan.md"] + "\n追記です。\n", encoding="utf-8")
    (small_settings.corpus_dir / "empty.txt").write_bytes(b"")
    second = run(env, "index")
    assert second.exit_code == 0, second.output
    assert summary(second)[:5] == (0, 1, 1, 1, 1)
    assert "読み込めませんでした: empty.txt" in second.stderr

    rebuilt = run(env, "index", "--rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    _, _, _, _, _, chunks, embedded, reused = summary(rebuilt)
    assert embedded == chunks > 0 and reused == 0  # a rebuild re-embeds everything


def test_index_refused_while_another_build_runs(small_settings: Settings) -> None:
    with build_lock(small_settings.index_dir):
        result = CliRunner(env=env_for(small_settings)).invoke(main, ["index"])
    assert result.exit_code != 0
    assert "別の索引の更新が実行中です" in result.output


def test_misspelt_variable_is_reported(small_settings: Settings) -> None:
    env = {**env_for(small_settings), "ASSISTANT_INDEXDIR": "/tmp/x"}
    result = CliRunner(env=env).invoke(main, ["index"])
    assert result.exit_code != 0
    assert "ASSISTANT_INDEXDIR" in result.output


def test_index_with_malformed_catalog_gives_a_message(small_settings: Settings) -> None:
    (small_settings.corpus_dir / "catalog.yaml").write_text("aoba_plan.md:\n  title: [unclosed\n", encoding="utf-8")
    result = CliRunner(env=env_for(small_settings)).invoke(main, ["index"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "catalog.yaml" in result.output


# --------------------------------------------------------------------------- ask


def test_ask_json_is_one_record_with_verified_citations(seed_env: dict[str, str], seed_settings: Settings) -> None:
    result = run(seed_env, "ask", "自治会長情報交換会には何名参加した？", "--json")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    record = json.loads(lines[0])
    assert set(record) == RECORD_KEYS
    # The trace says how the question was read, which gates passed and which strategy answered.
    trace = record["trace"]
    assert trace["query"]["answer_type"] == "count" and trace["query"]["unit"] == "名|人"
    assert [g["name"] for g in trace["gates"]] == list(DEFAULT_GATES)
    assert all(g["passed"] for g in trace["gates"])
    assert trace["strategy"] == "value" and trace["outcome"] == "answered"
    assert trace["chosen"] and trace["chosen"][0]["typed"] and "29名" in trace["chosen"][0]["text"]
    assert isinstance(record["id"], str)
    assert isinstance(record["answer"], str) and record["answer"].strip()
    assert record["abstained"] is False
    assert isinstance(record["latency_ms"], (int, float)) and record["latency_ms"] >= 0

    assert len(record["retrieved"]) >= 1
    for passage in record["retrieved"]:
        assert {"source", "text", "score"} <= set(passage)
        assert passage["source"] in SEED_SOURCES
        assert isinstance(passage["text"], str) and passage["text"]
        assert isinstance(passage["score"], (int, float))
    scores = [p["score"] for p in record["retrieved"]]
    assert scores == sorted(scores, reverse=True), "retrieved is best first"

    texts = document_texts(seed_settings.corpus_dir)
    raw = {s: (seed_settings.corpus_dir / s).read_text(encoding="utf-8").replace("\r\n", "\n") for s in texts}
    assert record["citations"], "an answer that is not an abstention cites its source"
    for citation in record["citations"]:
        assert set(citation) == CITATION_KEYS
        assert isinstance(citation["n"], int)
        assert citation["source"] in texts
        assert citation["quote"].strip()
        assert citation["quote"] in texts[citation["source"]]
        assert citation["quote"] in raw[citation["source"]]
        assert citation["page"] is None  # the seed documents have no pages
        assert f"[{citation['n']}]" in record["answer"]
    assert "29" in record["answer"] or "２９" in record["answer"]


def test_ask_plain_text_lists_sources(seed_env: dict[str, str]) -> None:
    result = run(seed_env, "ask", "自治会長情報交換会には何名参加した？")
    assert result.exit_code == 0, result.output
    assert "出典:" in result.stdout
    assert "山口市" in result.stdout


def test_ask_before_any_index(tmp_path: Path, small_corpus: Path) -> None:
    env = {"ASSISTANT_CORPUS_DIR": str(small_corpus), "ASSISTANT_INDEX_DIR": str(tmp_path / "none")}
    result = CliRunner(env=env).invoke(main, ["ask", "計画期間は？"])
    assert result.exit_code != 0
    assert "assistant index" in result.output
    assert "Traceback" not in result.output


def test_ask_accepts_a_history_file(seed_env: dict[str, str], tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            [
                {"role": "user", "content": "自治会長情報交換会には何名参加した？"},
                {"role": "assistant", "content": "29名が参加しました。"},
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = run(seed_env, "ask", "それはいつ開催された？", "--history", str(history), "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) == RECORD_KEYS
    assert record["retrieved"]


@pytest.mark.parametrize("content", ["not json", '{"role": "user"}', '[{"role": "user"}]'])
def test_ask_rejects_a_broken_history_file(seed_env: dict[str, str], tmp_path: Path, content: str) -> None:
    history = tmp_path / "history.json"
    history.write_text(content, encoding="utf-8")
    result = CliRunner(env=seed_env).invoke(main, ["ask", "それはいつ？", "--history", str(history)])
    assert result.exit_code != 0
    assert "会話履歴" in result.output
    assert "Traceback" not in result.output
