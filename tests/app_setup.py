"""What the page tests share: settings pointing the app at an index (through the environment,
as `make run` does), a private copy of a built corpus and index for tests that change
documents, and the page opened, asked and read as Streamlit's AppTest drives it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.settings import Settings, load_settings

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 120


def point_at(monkeypatch: pytest.MonkeyPatch, corpus: Path, index: Path, data: Path, **extra: str) -> Settings:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    for name, value in extra.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def own_copy(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of a built corpus and index, with its own data folder."""
    shutil.copytree(built / "corpus", tmp_path / "corpus")
    shutil.copytree(built / "index", tmp_path / "index", ignore=shutil.ignore_patterns(".lock"))
    return point_at(monkeypatch, tmp_path / "corpus", tmp_path / "index", tmp_path / "data")


def start(page: str | None = None, browser: str | None = None, conversation: str | None = None,
          admin: bool = False) -> AppTest:
    """The page as a browser opens it: `browser` is its id (the cookie), `conversation` ?c=,
    `admin` a session signed in as administrator."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if admin:
        at.session_state["admin_signed_in"] = True
    if browser:
        at.session_state["browser_id"] = browser
    if conversation:
        at.query_params["c"] = conversation
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def replies(at: AppTest) -> list:  # type: ignore[type-arg]
    return [m for m in at.chat_message if m.name == "assistant"]

