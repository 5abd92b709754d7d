"""End to end: the real page in Chromium (Debian's package, via Playwright) against
`streamlit run` on loopback, with a real index of a small corpus.

Screenshots of every step are saved under test-artifacts/browser/.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.db import Database, database_url
from assistant.feedback import FeedbackStore
from assistant.indexer import build_index
from assistant.settings import load_settings

from conftest import write_small_corpus
from servers import streamlit_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
STARTUP_TIMEOUT_S = 60
UI_TIMEOUT_MS = 60_000
NEW_DOC_NAME = "ひまわり通信.txt"
NEW_DOC_TEXT = "ひまわり通信\n\n花畑町では、ひまわり迷路を8月10日に開園します。入場は無料です。\n"


def _browser_or_skip() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM}（apt-get install -y chromium chromium-driver / make browser-deps）")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright（pip install -e '.[test]'）")
    if not missing:
        return
    reason = "ブラウザのテストに必要なものがありません: " + "、".join(missing)
    if os.environ.get("CI"):
        pytest.fail(reason + "（CI では必須です）")
    pytest.skip(reason)


@dataclass
class Server:
    url: str
    corpus_dir: Path
    data_dir: Path
    log: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _browser_or_skip()
    root = tmp_path_factory.mktemp("browser")
    settings = load_settings(corpus_dir=write_small_corpus(root / "corpus"), index_dir=root / "index",
                             data_dir=root / "data")
    assert not build_index(settings).failed
    log = root / "streamlit.log"
    with streamlit_page(settings.corpus_dir, settings.index_dir, settings.data_dir, log, STARTUP_TIMEOUT_S,
                        ("--client.toolbarMode", "viewer")) as url:
        yield Server(url, settings.corpus_dir, settings.data_dir, log)


def _feedback_rows(data_dir: Path) -> list[tuple]:  # type: ignore[type-arg]
    """(rating, question, answer, citations as JSON, comment) of the page's database, oldest first."""
    store = FeedbackStore(Database(database_url(load_settings(data_dir=data_dir))))
    return [(r.rating, r.question, r.answer, json.dumps(r.citations, ensure_ascii=False), r.comment)
            for r in reversed(store.list_feedback())]


def _wait_for(condition, timeout_s: float = 15.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_chat_upload_reindex_and_feedback_in_chromium(server: Server, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = iter(range(1, 100))

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
            page.set_default_timeout(UI_TIMEOUT_MS)

            def shot(name: str) -> None:
                page.wait_for_timeout(400)  # let expanders and toasts settle
                page.screenshot(path=str(ARTIFACTS / f"{next(shots):02d}-{name}.png"), full_page=True)

            def ask(question: str) -> None:
                box = page.get_by_test_id("stChatInputTextArea")
                box.fill(question)
                box.press("Enter")

            # 1. Open the page: title, index status in the sidebar.
            page.goto(server.url)
            expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible()
            expect(page.get_by_role("heading", name="協働推進計画アシスタント")).to_be_visible()
            expect(page.get_by_test_id("stSidebar")).to_contain_text("文書: 3 件")
            shot("opened")

            # 2. Ask: the streamed answer, then its source card.
            started = time.monotonic()
            ask("緑町の雪かきボランティアの延べ参加人数は？")
            reply = page.get_by_test_id("stChatMessage").nth(1)
            expect(reply).to_contain_text("85人")
            card = reply.get_by_test_id("stExpander").filter(has_text="[1] 緑町雪かきボランティア事業報告")
            expect(card).to_be_visible()
            print(f"first answer shown after {time.monotonic() - started:.2f} s")
            expect(reply.get_by_text("資料を検索しました")).to_have_count(0)  # no empty status box left behind
            shot("answer")

            # 3. The citation marker links to its card: clicking it opens the card, quote highlighted.
            reply.get_by_role("link", name="[1]").first.click()
            mark = card.locator("mark")
            expect(mark).to_be_visible()
            expect(mark).to_have_text("令和6年度の活動日数は12日で、延べ85人が参加しました。")
            expect(card).to_contain_text("高齢者世帯の玄関先の除雪")
            shot("source-open")

            # 4. 👍 is stored with the question, answer and citations.
            reply.get_by_role("radio", name="Thumbs up").click()
            rows = _wait_for(lambda: _feedback_rows(server.data_dir))
            assert rows and rows[0][0] == 1 and rows[0][1] == "緑町の雪かきボランティアの延べ参加人数は？"
            assert "85人" in rows[0][2] and "midori_yuki.txt" in rows[0][3]
            expect(reply.get_by_text("コメント（任意）")).to_be_visible()
            shot("feedback")

            # 5. Upload a new document on the 文書 page and update the index.
            page.get_by_test_id("stSidebarNav").get_by_text("文書").click()
            expect(page.get_by_role("heading", name="索引に登録されている文書")).to_be_visible()
            upload = tmp_path / NEW_DOC_NAME
            upload.write_text(NEW_DOC_TEXT, encoding="utf-8")
            page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(upload))
            expect(page.get_by_test_id("stFileUploader")).to_contain_text(NEW_DOC_NAME)
            shot("upload-selected")
            page.get_by_role("button", name="索引を更新", exact=True).click()
            expect(page.get_by_test_id("stAlert").filter(has_text="索引を更新しました: 追加 1 件")).to_be_visible()
            expect(page.get_by_test_id("stTable")).to_be_visible()
            assert (server.corpus_dir / NEW_DOC_NAME).read_text(encoding="utf-8") == NEW_DOC_TEXT
            expect(page.get_by_test_id("stSidebar")).to_contain_text("文書: 4 件")
            shot("index-updated")

            # 6. Back to the chat (the conversation is kept); a new conversation for a new
            # topic; ask about the new document.
            page.get_by_test_id("stSidebarNav").get_by_text("チャット").click()
            expect(page.get_by_test_id("stChatMessage").nth(1)).to_contain_text("85人")
            page.get_by_role("button", name="新しい会話").click()
            expect(page.get_by_test_id("stChatMessage")).to_have_count(0)
            ask("ひまわり迷路はいつ開園しますか？")
            reply = page.get_by_test_id("stChatMessage").nth(1)
            expect(reply).to_contain_text("8月10日")
            card = reply.get_by_test_id("stExpander").filter(has_text="[1] ひまわり通信")
            expect(card).to_be_visible()
            card.locator("summary").click()
            expect(card.locator("mark")).to_contain_text("8月10日")
            expect(card).to_contain_text(NEW_DOC_NAME)  # the card names the cited file
            shot("new-document-cited")

            # 7. 👎 with a comment on the second answer.
            reply.get_by_role("radio", name="Thumbs down").click()
            comment = reply.get_by_label("コメント（任意）")
            expect(comment).to_be_visible()
            comment.fill("開園時間も知りたい")
            reply.get_by_role("button", name="コメントを送信").click()
            rows = _wait_for(lambda: [r for r in _feedback_rows(server.data_dir) if r[4]])
            assert rows == [(-1, "ひまわり迷路はいつ開園しますか？", rows[0][2], rows[0][3], "開園時間も知りたい")]
            assert NEW_DOC_NAME in rows[0][3]
            expect(reply.get_by_text("コメントを保存しました。")).to_be_visible()
            shot("comment-saved")
        finally:
            browser.close()
    assert "Traceback" not in server.log.read_text(errors="replace")
