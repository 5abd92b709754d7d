"""The page under hostile or unlucky use, in Chromium (issue 10, items 4, 5, 9, 10): the real
page (`streamlit run` on loopback) over a real index on a real `chroma run` server.

Screenshots of every step are saved under test-artifacts/browser-hardening/.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.access import hash_password
from assistant.indexer import build_index
from assistant.settings import load_settings

from conftest import write_small_corpus
from servers import ChromaServer, chroma_executable, streamlit_page
from test_browser import CHROMIUM, CHROMIUM_ARGS, STARTUP_TIMEOUT_S, UI_TIMEOUT_MS, _browser_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "browser-hardening"
QUESTION = "緑町の雪かきボランティアの延べ参加人数は？"
PASSWORD = "協働-admin-2026"
MARKDOWN_NAME = "**至急**_[こちら](https_example.invalid)_www.example.com.txt"


@dataclass
class Page:
    url: str
    corpus_dir: Path
    log: Path
    chroma: ChromaServer | None


def _serve(root: Path, chroma: ChromaServer | None, **env_extra: str) -> Iterator[Page]:
    settings = load_settings(corpus_dir=write_small_corpus(root / "corpus"), index_dir=root / "index",
                             data_dir=root / "data", chroma_url=chroma.url if chroma else None, collection="browser")
    assert not build_index(settings).failed
    if chroma:
        env_extra["ASSISTANT_CHROMA_URL"] = chroma.url
    log = root / "streamlit.log"
    with streamlit_page(settings.corpus_dir, settings.index_dir, settings.data_dir, log, STARTUP_TIMEOUT_S,
                        ("--client.toolbarMode", "viewer"), ASSISTANT_COLLECTION="browser", **env_extra) as url:
        yield Page(url, settings.corpus_dir, log, chroma)


@pytest.fixture(scope="module")
def local_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    """Served on loopback, no password (document changes allowed); max upload 1 MB."""
    _browser_or_skip()
    if chroma_executable() is None:
        pytest.skip("the `chroma` executable (chromadb's server) is not installed")
    root = tmp_path_factory.mktemp("browser-hardening")
    chroma = ChromaServer(root / "chroma-data", root / "chroma.log")
    try:
        yield from _serve(root, chroma, ASSISTANT_MAX_UPLOAD_MB="1")
    finally:
        chroma.stop()


@pytest.fixture(scope="module")
def network_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    """Configured for the network with an administrator password (bound to loopback here)."""
    _browser_or_skip()
    root = tmp_path_factory.mktemp("browser-network")
    yield from _serve(root, None, ASSISTANT_SERVER_ADDRESS="0.0.0.0",
                      ASSISTANT_ADMIN_PASSWORD_HASH=hash_password(PASSWORD))


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = chromium.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
            page.set_default_timeout(UI_TIMEOUT_MS)
            yield page
        finally:
            chromium.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")


def test_questions_failures_uploads_and_names_in_chromium(local_page: Page, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = browser
    page.goto(local_page.url)
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible()

    # Item 4: a 20,000-character question is refused at once, in Japanese; nothing is searched.
    _ask(page, "あ" * 20_000)
    expect(page.get_by_test_id("stAlert").filter(has_text="質問が長すぎます（20,000 文字）")).to_be_visible()
    expect(page.get_by_test_id("stChatMessage")).to_have_count(0)
    expect(page.get_by_text("資料を検索しています")).to_have_count(0)
    _shot(page, "01-long-question")
    # A blank question is not sent: no empty bubble.
    _ask(page, "   ")
    expect(page.get_by_test_id("stAlert").filter(has_text="質問が空です")).to_be_visible()
    expect(page.get_by_test_id("stChatMessage")).to_have_count(0)

    # Item 5: the Chroma server goes away: the question stays, the reason is Japanese, and
    # 「もう一度送信」 answers it once the server is back.
    assert local_page.chroma is not None
    local_page.chroma.stop()
    _ask(page, QUESTION)
    expect(page.get_by_test_id("stChatMessage").first).to_contain_text(QUESTION)
    failure = page.get_by_test_id("stAlert").filter(has_text="Chroma サーバー")
    expect(failure).to_contain_text("に接続できません。サーバーが起動しているか")
    expect(page.get_by_text("エラーが発生しました")).to_have_count(0)
    _shot(page, "02-chroma-down")
    local_page.chroma.start()
    page.get_by_role("button", name="もう一度送信").click()
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("85人")
    expect(page.get_by_test_id("stChatMessage")).to_have_count(2)  # the question once, its answer
    expect(page.get_by_role("button", name="もう一度送信")).to_have_count(0)
    _shot(page, "03-sent-again")

    # Item 5: the uploader speaks Japanese; refusals are ours, in Japanese.
    page.get_by_test_id("stSidebarNav").get_by_text("文書").click()
    uploader = page.get_by_test_id("stFileUploader")
    expect(uploader).to_contain_text("ファイルを選択")
    expect(uploader).to_contain_text("1ファイル 1MB まで")
    expect(uploader).not_to_contain_text("per file")
    big = tmp_path / "大きい.txt"
    big.write_bytes("大".encode() * 600_000)  # 1.8 MB
    exe = tmp_path / "setup.exe"
    exe.write_bytes(b"MZ" + b"\0" * 100)
    uploader.locator("input[type=file]").set_input_files([str(big), str(exe)])
    expect(uploader).to_contain_text("ファイルが大きすぎるため追加できません")
    expect(page.get_by_test_id("stAlert").filter(has_text="対応していない形式です（.exe）")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("File must be")
    expect(page.locator("body")).not_to_contain_text("files are not allowed")
    _shot(page, "04-uploader-japanese")

    # Item 9: a Markdown file name is shown as typed, not as bold text or a link.
    named = tmp_path / MARKDOWN_NAME
    named.write_text("花火だより\n\n花火大会は8月1日です。\n", encoding="utf-8")
    uploader.locator("input[type=file]").set_input_files([str(named)])
    page.get_by_role("button", name="索引を更新", exact=True).click()
    note = page.get_by_test_id("stAlert").filter(has_text="保存しました")
    expect(note).to_be_visible()
    assert MARKDOWN_NAME in note.inner_text().replace("\u2060", "")  # as typed (joiners are invisible)
    assert note.locator("strong, a, h1, h2, li").count() == 0  # not bold, not a link, not a heading
    expect(page.get_by_test_id("stAlert").filter(has_text="索引を更新しました: 追加 1 件")).to_be_visible()
    _shot(page, "05-plain-file-name")
    assert "Traceback" not in local_page.log.read_text(errors="replace")


def test_network_page_needs_the_administrator_for_document_changes(network_page: Page, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = browser
    page.goto(network_page.url)
    _ask(page, QUESTION)  # readers ask without signing in
    expect(page.get_by_test_id("stChatMessage").nth(1)).to_contain_text("85人")

    page.get_by_test_id("stSidebarNav").get_by_text("文書").click()
    expect(page.get_by_text("管理者のサインインが必要です")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    expect(page.get_by_role("button", name="索引を更新", exact=True)).to_have_count(0)
    _shot(page, "06-sign-in-required")

    password = page.get_by_label("管理者パスワード")
    password.fill("まちがい-password")
    page.get_by_role("button", name="サインイン").click()
    expect(page.get_by_text("パスワードが違います")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)

    password.fill(PASSWORD)
    page.get_by_role("button", name="サインイン").click()
    expect(page.get_by_text("管理者としてサインインしています")).to_be_visible()
    upload = tmp_path / "花火.txt"
    upload.write_text("花火だより\n\n花火大会は8月1日です。\n", encoding="utf-8")
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(upload))
    # Wait for the upload to reach the page (and its run to end) before pressing the button.
    expect(page.get_by_test_id("stFileUploader")).to_contain_text("花火.txt")
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()
    page.get_by_role("button", name="索引を更新", exact=True).click()
    expect(page.get_by_test_id("stAlert").filter(has_text="索引を更新しました: 追加 1 件")).to_be_visible()
    assert (network_page.corpus_dir / "花火.txt").is_file()
    _shot(page, "07-signed-in-upload")

    page.get_by_role("button", name="サインアウト").click()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    assert "Traceback" not in network_page.log.read_text(errors="replace")
