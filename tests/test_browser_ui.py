"""End to end (issue 11): the page staff use every day, in Chromium (Debian's, via Playwright)
against `streamlit run` on loopback, over a real index of the small corpus plus a real
Japanese PDF. Streamlit's chrome comes from `.streamlit/config.toml` (no command-line
override), as for `make run`.

Screenshots of every step are saved under test-artifacts/browser-ui/.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.indexer import build_index
from assistant.settings import load_settings

from conftest import write_small_corpus
from pdfs import SAKURA_QUESTION, SAKURA_QUOTE, write_sakura_pdf
from servers import streamlit_page
from test_browser import CHROMIUM, CHROMIUM_ARGS, STARTUP_TIMEOUT_S, UI_TIMEOUT_MS, _browser_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "browser-ui"
QUESTION = "緑町の雪かきボランティアの延べ参加人数は？"
NEW_TITLE = "令和6年度 雪かきボランティア報告"
WIDTH = 1280


@dataclass
class Server:
    url: str
    log: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _browser_or_skip()
    root = tmp_path_factory.mktemp("browser-ui")
    corpus = write_small_corpus(root / "corpus")
    write_sakura_pdf(corpus)
    settings = load_settings(corpus_dir=corpus, index_dir=root / "index", data_dir=root / "data")
    assert not build_index(settings).failed
    with streamlit_page(corpus, settings.index_dir, settings.data_dir, root / "streamlit.log", STARTUP_TIMEOUT_S) as url:
        yield Server(url, root / "streamlit.log")


def test_the_everyday_page_in_chromium(server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = iter(range(1, 100))
    expect.set_options(timeout=UI_TIMEOUT_MS)  # the first load builds the example questions
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": 1000}, locale="ja-JP")
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
            page = context.new_page()
            page.set_default_timeout(UI_TIMEOUT_MS)

            def shot(name: str) -> None:
                page.wait_for_timeout(400)
                page.screenshot(path=str(ARTIFACTS / f"{next(shots):02d}-{name}.png"), full_page=True)

            def settled() -> None:
                """No script run in progress, for a moment: a click during a run (an answer still
                being saved, the next run starting) can be lost on a busy machine."""
                for _ in range(2):
                    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()
                    page.wait_for_timeout(300)

            def ask(question: str) -> None:
                box = page.get_by_test_id("stChatInputTextArea")
                box.fill(question)
                box.press("Enter")

            # 1. Streamlit's chrome: no Deploy, the ⋮ menu in Japanese without the screen recorder.
            page.goto(server.url)
            expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible()
            expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
            page.get_by_test_id("stMainMenu").locator("button").first.click()
            menu = page.get_by_test_id("stMainMenuPopover")
            expect(menu).to_contain_text("印刷")
            expect(menu).to_contain_text("このアプリについて")
            expect(menu).to_contain_text("動作環境: Streamlit v")
            expect(menu.get_by_text("Record screen")).to_be_hidden()
            for english in ("Print", "About", "Made with", "Rerun", "Clear cache"):
                expect(menu).not_to_contain_text(english)
            shot("menu-japanese")
            page.keyboard.press("Escape")

            # 2. The first screen teaches: example questions from the documents; a click asks one.
            examples = page.get_by_role("button").filter(has_text="💡")
            expect(examples.first).to_be_visible()
            assert 2 <= examples.count() <= 4
            shot("first-screen")
            example = examples.first.inner_text().replace("💡", "").strip()
            examples.first.click()
            expect(page.get_by_test_id("stChatMessage").first).to_contain_text(example)
            expect(page.get_by_test_id("stChatMessage").nth(1).get_by_test_id("stExpander").first).to_be_visible()
            shot("example-answered")

            # 3. A PDF citation shows its page as an image.
            settled()
            page.get_by_role("button", name="新しい会話").click()
            expect(page.get_by_test_id("stChatMessage")).to_have_count(0)
            ask(SAKURA_QUESTION)
            reply = page.get_by_test_id("stChatMessage").nth(1)
            expect(reply).to_contain_text("1200名")
            settled()
            card = reply.get_by_test_id("stExpander").filter(has_text="[1] 桜台市協働推進計画")
            card.locator("summary").click()
            expect(card.locator("mark")).to_have_text(SAKURA_QUOTE)
            expect(card.get_by_role("button", name="元のファイル")).to_be_visible()
            settled()
            card.get_by_text("元のページ（p.2）を表示").click()
            expect(card.get_by_role("switch", name="元のページ（p.2）を表示")).to_be_checked()
            image = card.get_by_test_id("stImage").locator("img")
            expect(image).to_be_visible()
            assert image.evaluate("img => img.complete && img.naturalWidth") >= 600  # a real page image
            expect(card).to_contain_text("sakuradai_plan.pdf の 2/2 ページ。引用箇所を黄色で示しています。")
            image.scroll_into_view_if_needed()
            card.screenshot(path=str(ARTIFACTS / f"{next(shots):02d}-pdf-page-card.png"))

            # 4. The copy button puts the answer and its numbered sources on the clipboard.
            copy = reply.get_by_role("button", name="📋 出典付きでコピー")
            copy.click()
            expect(reply.get_by_role("button", name="✅ コピーしました")).to_be_visible()
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied.startswith("1200名 [1]。")
            assert f"\n出典:\n[1] 桜台市協働推進計画（桜台市）／2 主な取組 > (1) 桜まつり／p.2\n　「{SAKURA_QUOTE}」" in copied

            # 5. Why this answer: the trace opens, in numbered Japanese steps.
            trace = reply.get_by_test_id("stExpander").filter(has_text="回答の根拠（処理の流れ）")
            trace.locator("summary").click()
            expect(trace).to_contain_text("1. 質問の読み取り")
            expect(trace).to_contain_text("答え方")
            expect(reply.get_by_text("資料を検索しました")).to_have_count(0)
            trace.screenshot(path=str(ARTIFACTS / f"{next(shots):02d}-trace-open.png"))

            # 6. A follow-up says how it was searched, with 「元の質問のまま検索」.
            ask("開催時期は？")
            follow = page.get_by_test_id("stChatMessage").nth(3)
            expect(follow.get_by_test_id("stAlert").filter(has_text="前の会話を踏まえて")).to_be_visible()
            expect(follow.get_by_role("button", name="元の質問のまま検索")).to_be_visible()
            shot("follow-up")

            # 7. A reload keeps the conversation (its id is in the URL) and the sidebar lists it.
            assert "?c=" in page.url
            page.reload()
            expect(page.get_by_test_id("stChatMessage")).to_have_count(4)
            expect(page.get_by_test_id("stChatMessage").nth(1)).to_contain_text("1200名")
            expect(page.get_by_test_id("stSidebar").get_by_text(SAKURA_QUESTION)).to_be_visible()
            shot("after-reload")

            # 8. Staff correct a title on the 文書 page; the table fits at 1280 px; the card shows it.
            page.get_by_test_id("stSidebarNav").get_by_text("文書").click()
            expect(page.get_by_role("heading", name="索引に登録されている文書")).to_be_visible()
            uploader = page.get_by_test_id("stFileUploader")
            expect(uploader).to_contain_text("ファイルを選択")  # the widget's English, translated
            expect(uploader).to_contain_text("1ファイル 20MB まで")
            expect(uploader).not_to_contain_text("per file")
            for column in ("チャンク数", "索引日時"):
                box = page.get_by_test_id("stTable").locator("th", has_text=column).bounding_box()
                assert box is not None and box["x"] + box["width"] <= WIDTH, (column, box)
            target = page.get_by_test_id("stSelectbox").filter(has_text="修正する文書")
            target.click()
            page.get_by_role("option", name="緑町雪かきボランティア事業報告（midori_yuki.txt）").click()
            title = page.get_by_label("題名", exact=True)
            expect(title).to_have_value("緑町雪かきボランティア事業報告")
            title.fill(NEW_TITLE)
            page.get_by_role("button", name="保存して索引を更新").click()
            expect(page.get_by_test_id("stAlert").filter(has_text="索引を更新しました")).to_be_visible()
            expect(page.get_by_test_id("stTable")).to_contain_text(NEW_TITLE)
            shot("title-edited")
            page.get_by_test_id("stSidebarNav").get_by_text("チャット").click()
            expect(page.get_by_test_id("stChatMessage").first).to_be_visible()  # the kept conversation
            settled()
            page.get_by_role("button", name="新しい会話").click()
            expect(page.get_by_test_id("stChatMessage")).to_have_count(0)
            settled()
            ask(QUESTION)
            reply = page.get_by_test_id("stChatMessage").nth(1)
            expect(reply.get_by_test_id("stExpander").filter(has_text=f"[1] {NEW_TITLE} — 緑町")).to_be_visible()
            shot("edited-title-on-card")
        finally:
            browser.close()
            expect.set_options(timeout=5_000)  # Playwright's default, for the other tests
    assert "Traceback" not in server.log.read_text(errors="replace")
