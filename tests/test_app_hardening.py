"""The pages under hostile or unlucky use (issue 10): long and blank questions, a Chroma
server that goes away, broken uploads, and document changes on a page served to the
network. Driven headless with AppTest on real indexes (embedded and a real `chroma run`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from assistant.access import hash_password
from assistant.indexer import build_index
from assistant.settings import Settings, load_settings

from app_setup import APP, ask, own_copy, point_at, start
from conftest import write_small_corpus
from servers import ChromaServer, chroma_executable

QUESTION = "緑町の雪かきボランティアの延べ参加人数は？"
PASSWORD = "協働-admin-2026"
MARKUP = re.compile(r"(?<!\\)(\*\*|\]\(|^#)", re.MULTILINE)  # unescaped bold, link or heading


def shown(markdown: str) -> str:
    """What a Markdown value displays: names and titles are escaped (plain text)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n").replace("\u2060", "")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hardening")
    write_small_corpus(root / "corpus")
    assert not build_index(load_settings(corpus_dir=root / "corpus", index_dir=root / "index")).failed
    return root


@pytest.fixture
def shared(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    return point_at(monkeypatch, built / "corpus", built / "index", tmp_path / "data")


@pytest.fixture
def own(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    return own_copy(built, tmp_path, monkeypatch)


@pytest.fixture
def on_network() -> Iterator[None]:
    """The page as `streamlit run --server.address 0.0.0.0` serves it (nothing is bound here)."""
    config.set_option("server.address", "0.0.0.0")
    try:
        yield
    finally:
        config.set_option("server.address", "127.0.0.1")


def roles(at: AppTest) -> list[tuple[str, str]]:
    return [(m.role, m.content) for m in at.session_state["messages"]]


# --------------------------------------------------------------------------- item 4: question limits


def test_too_long_question_is_refused_before_it_joins_the_conversation(shared: Settings) -> None:
    question = "雪かきボランティアの参加者について教えて。" * 100  # 2,100 characters
    at = ask(start(), question)
    assert roles(at) == []
    assert not at.status  # no 「資料を検索しています…」: nothing was searched
    assert any("質問が長すぎます（2,100 文字）" in w.value and "500 文字以内" in w.value for w in at.warning)


def test_blank_question_is_not_sent(shared: Settings) -> None:
    at = ask(start(), QUESTION)
    before = roles(at)
    ask(at, " \u3000 \n ")
    assert roles(at) == before  # no empty bubble, no 「<previous question>の」
    assert any("質問が空です" in w.value for w in at.warning)
    assert len([m for m in at.chat_message if m.name == "user"]) == 1


# --------------------------------------------------------------------------- item 5: Chroma server down


@pytest.fixture
def chroma_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ChromaServer]:
    """The small corpus indexed on a real Chroma server; the page's settings point at it."""
    if chroma_executable() is None:
        pytest.skip("the `chroma` executable (chromadb's server) is not installed")
    server = ChromaServer(tmp_path / "chroma-data", tmp_path / "chroma.log")
    try:
        settings = point_at(monkeypatch, write_small_corpus(tmp_path / "corpus"), tmp_path / "index",
                            tmp_path / "data", ASSISTANT_CHROMA_URL=server.url, ASSISTANT_COLLECTION="apptest")
        assert not build_index(settings).failed
        yield server
    finally:
        server.stop()


def test_question_stays_with_a_japanese_error_and_can_be_sent_again(chroma_index: ChromaServer) -> None:
    server = chroma_index
    at = ask(start(), "星空観察会の定員は？")
    assert "40名" in at.session_state["messages"][-1].content

    server.stop()
    ask(at, QUESTION)
    assert roles(at)[-1] == ("user", QUESTION)  # the question is kept
    errors = [shown(e.value) for e in at.error]
    assert any(f"Chroma サーバー（{server.url}）に接続できません" in e for e in errors), errors
    assert not any("エラーが発生しました" in e or "Error" in e for e in errors), errors
    assert [b.label for b in at.button if b.key and b.key.startswith("retry-")] == ["もう一度送信"]
    at.run()  # drawn again from the session: still there
    assert roles(at)[-1] == ("user", QUESTION)
    assert any(f"Chroma サーバー（{server.url}）" in shown(e.value) for e in at.error)

    server.start()
    next(b for b in at.button if b.key and b.key.startswith("retry-")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "85人" in at.session_state["messages"][-1].content
    assert [q for r, q in roles(at) if r == "user"] == ["星空観察会の定員は？", QUESTION]  # moved, not doubled
    assert not [b for b in at.button if b.key and b.key.startswith("retry-")]
    assert not at.error


def test_page_opens_with_a_japanese_message_when_chroma_is_down(chroma_index: ChromaServer) -> None:
    chroma_index.stop()
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"Chroma サーバー（{chroma_index.url}）に接続できません" in shown(e.value) for e in at.error)


# --------------------------------------------------------------------------- documents page

BROKEN_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nstream\n"  # ends mid-stream


def test_failed_upload_is_reported_once_in_japanese_and_can_be_removed(own: Settings) -> None:
    at = start("app_pages/documents.py")
    at.file_uploader[0].set_value([("途中まで.pdf", BROKEN_PDF, "application/pdf")])
    at.button(key="update-index").click().run()
    assert not at.exception, [e.value for e in at.exception]
    reports = [e.value for e in at.error if "途中まで.pdf" in e.value]
    assert len(reports) == 1, reports  # once, not twice
    assert "PDFを読み込めませんでした" in reports[0] and "unexpectedly" not in reports[0]
    assert (own.corpus_dir / "途中まで.pdf").exists()

    offer = [b for b in at.button if b.key and b.key.startswith("remove-failed-")]
    assert len(offer) == 1 and "途中まで.pdf" in shown(offer[0].label)  # offered with the message
    offer[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not (own.corpus_dir / "途中まで.pdf").exists()
    assert not [e for e in at.error if "途中まで.pdf" in e.value]
    assert sorted(map(shown, at.table[0].value["ファイル"])) == ["aoba_plan.md", "hoshi_kansatsu.txt", "midori_yuki.txt"]


def test_uploader_refusals_are_japanese(own: Settings) -> None:
    at = start("app_pages/documents.py")
    assert list(at.file_uploader[0].proto.type) == []  # no type filter: no English refusal from Streamlit
    at.file_uploader[0].set_value([("setup.exe", b"MZ...", "application/octet-stream"),
                                   ("空.txt", b"", "text/plain")]).run()
    errors = [shown(e.value) for e in at.error]
    assert any("対応していない形式です（.exe）" in e for e in errors), errors
    assert any("空のファイル" in e for e in errors), errors
    at.button(key="update-index").click().run()
    assert not (own.corpus_dir / "setup.exe").exists()
    assert any("保存しませんでした" in i.value for i in at.info)


def test_file_names_and_titles_are_shown_as_plain_text(own: Settings) -> None:
    name = "**至急**_[こちら](https_example.invalid)_# 見出し.txt"
    title = "[クリック](https://example.invalid) **太字の題名**"
    at = start("app_pages/documents.py")
    at.file_uploader[0].set_value([(name, f"{title}\n\n本文です。花火大会は8月1日です。\n".encode(), "text/plain")])
    at.button(key="update-index").click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = next(i.value for i in at.info if "保存しました" in i.value)
    assert name in shown(saved)
    assert not MARKUP.search(saved)  # as text, not bold or a link
    cell = next(c for c in at.table[0].value["題名"] if title in shown(c))  # the document list: Markdown cells
    assert not MARKUP.search(cell)

    at.switch_page("app_pages/chat.py").run()
    at.sidebar.multiselect(key="filter_sources").set_value([next(
        s for s in own.corpus_dir.iterdir() if s.name.startswith("至急")).name]).run()
    caption = next(c.value for c in at.caption if "絞り込み中" in c.value)
    assert title in shown(caption) and not MARKUP.search(caption)


# --------------------------------------------------------------------------- item 10: administrator


def test_on_the_network_without_a_password_documents_cannot_change(own: Settings, on_network: None) -> None:
    at = start("app_pages/documents.py")
    refusal = " ".join(w.value for w in at.warning)
    assert "ネットワークに公開されている" in refusal and "assistant hash-password" in refusal
    assert not at.file_uploader and not [b for b in at.button if b.key in ("update-index", "remove")]
    assert sorted(map(shown, at.table[0].value["ファイル"])) == ["aoba_plan.md", "hoshi_kansatsu.txt", "midori_yuki.txt"]
    at.switch_page("app_pages/chat.py").run()
    ask(at, QUESTION)  # readers can still ask
    assert "85人" in at.session_state["messages"][-1].content


def test_without_an_index_on_the_network_the_build_button_is_not_offered(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_network: None
) -> None:
    point_at(monkeypatch, small_corpus, tmp_path / "index", tmp_path / "data")
    at = start()
    assert "まだ索引がありません" in at.warning[0].value
    assert not [b for b in at.button if b.key == "build-index"]


def test_with_a_password_an_administrator_signs_in_to_change_documents(
    own: Settings, on_network: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_SERVER_ADDRESS", "0.0.0.0")
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD_HASH", hash_password(PASSWORD))
    at = start("app_pages/documents.py")
    assert not at.file_uploader
    assert any("管理者のサインインが必要です" in i.value for i in at.info)

    at.text_input(key="admin-password").input("まちがい-password")
    at.button(key="FormSubmitter:admin-sign-in-サインイン").click().run()
    assert any("パスワードが違います" in e.value for e in at.error)
    assert not at.file_uploader

    at.text_input(key="admin-password").input(PASSWORD)
    at.button(key="FormSubmitter:admin-sign-in-サインイン").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.file_uploader and any("管理者としてサインイン" in c.value for c in at.caption)
    at.file_uploader[0].set_value([("花火.txt", "花火大会のお知らせ\n\n花火大会は8月1日です。\n".encode(), "text/plain")])
    at.button(key="update-index").click().run()
    assert "索引を更新しました: 追加 1 件" in at.success[0].value

    at.button(key="admin-sign-out").click().run()
    assert not at.file_uploader


def test_plain_shows_user_text_as_typed() -> None:
    from assistant.plain import plain

    assert plain("**至急** [こちら](https://x.jp)") == "\\*\\*至急\\*\\* \\[こちら\\](https\u2060://x.jp)"
    assert plain("# 見出し") == "\\# 見出し" and plain("- 箇条") == "\\- 箇条" and plain("1. 番号") == "1\\. 番号"
    assert plain("www.example.jp と a@b.jp") == "www\u2060.example.jp と a\u2060@b.jp"
    assert plain("一行目\n二行目") == "一行目  \n二行目"
    assert plain("山口市協働推進プラン 令和6年度事業") == "山口市協働推進プラン 令和6年度事業"
