"""Several app instances on one shared store (issue 12): conversations and feedback in one
PostgreSQL (ASSISTANT_DATABASE_URL), the vectors on one Chroma server (ASSISTANT_CHROMA_URL),
the keyword index and texts read from one shared index folder built by one writer.

Real servers on loopback: Debian's PostgreSQL (started by the tests, as the `postgres` user
when they run as root) and `chroma run`. Two separate processes answer, keep conversations
and record feedback at the same time; each then sees the other's records."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.chat_store import ChatStore
from assistant.db import Database
from assistant.feedback import FeedbackStore
from assistant.indexer import build_index
from assistant.settings import Settings

from conftest import cli_env
from servers import ChromaServer, PostgresServer, chroma_executable

WORKER = r'''
import json, sys, time
from pathlib import Path
from assistant.chat_store import ChatStore
from assistant.db import open_database
from assistant.feedback import FeedbackStore
from assistant.pipeline import Assistant
from assistant.settings import load_settings
from assistant.ui_state import ChatMessage, assistant_message, new_message_id

name, go, questions = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
settings = load_settings()
assistant = Assistant(settings)
assert assistant.index.chroma is not None  # the dense searches are the Chroma server's
while not go.exists():  # both processes start writing at the same moment
    time.sleep(0.01)
db = open_database(settings)
feedback, chats = FeedbackStore(db), ChatStore(db)  # each creates its tables if missing
me = f"user:{name}"
answers = []
for question in questions:
    answer = assistant.ask(question)
    conversation = chats.create(me, question)
    # What the page keeps: the question, then the answer with its source cards.
    chats.append(me, conversation, [ChatMessage(new_message_id(), "user", question),
                                    assistant_message(answer, assistant.index, assistant.index.generation)])
    feedback.record(question, answer.text, answer.citations, rating=1, comment=f"{name} から",
                    generation=assistant.index.generation)
    answers.append(answer.text)
other = "worker-b" if name == "worker-a" else "worker-a"
deadline = time.monotonic() + 120
while time.monotonic() < deadline:  # until the other process's records are there (its
    # conversation is kept before its rating is recorded: wait for both)
    rated = sum(r.comment == f"{other} から" for r in feedback.list_feedback())
    if chats.count(f"user:{other}") == len(questions) and rated == len(questions):
        break
    time.sleep(0.05)
print(json.dumps({
    "answers": answers,
    "feedback": sorted([r.comment, r.question] for r in feedback.list_feedback()),
    "other_conversations": sorted(c.title for c in chats.list(f"user:{other}")),
    "other_messages": [[m.role, m.content] for c in chats.list(f"user:{other}") for m in chats.load(f"user:{other}", c.id)],
    "database": db.describe(),
}, ensure_ascii=False))
'''

QUESTIONS = {
    "worker-a": ["緑町の雪かきボランティアの延べ参加人数は？", "星空観察会の定員は？"],
    "worker-b": ["青葉市のほたる祭りには何名参加しましたか？", "青葉市の計画の期間は？"],
}
FACTS = {"緑町の雪かきボランティアの延べ参加人数は？": "85人", "星空観察会の定員は？": "40名",
         "青葉市のほたる祭りには何名参加しましたか？": "300名", "青葉市の計画の期間は？": "令和7年度"}


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    if chroma_executable() is None:
        pytest.fail("the `chroma` executable (chromadb's server) is not installed")
    server = ChromaServer(tmp_path / "chroma-server", tmp_path / "chroma.log")
    try:
        yield server
    finally:
        server.stop()


def test_two_app_processes_share_one_postgresql_and_one_chroma_server(
    small_settings: Settings, postgres: PostgresServer, chroma: ChromaServer, tmp_path: Path
) -> None:
    url = postgres.create_database("shared_two_processes")
    shared = small_settings.model_copy(update={"chroma_url": chroma.url, "database_url": url})
    assert build_index(shared).added  # one writer builds the shared index (vectors on the server)

    env = cli_env(shared)
    env.update(ASSISTANT_CHROMA_URL=chroma.url, ASSISTANT_DATABASE_URL=url, ASSISTANT_DATA_DIR=str(tmp_path / "unused"))
    go = tmp_path / "go"
    workers = {
        name: subprocess.Popen([sys.executable, "-c", WORKER, name, str(go), json.dumps(qs, ensure_ascii=False)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, qs in QUESTIONS.items()
    }
    time.sleep(0.5)
    go.touch()
    seen = {}
    for name, proc in workers.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        seen[name] = json.loads(out.strip().splitlines()[-1])

    every = sorted([f"{name} から", q] for name, qs in QUESTIONS.items() for q in qs)
    for name, report in seen.items():
        assert report["database"].startswith("postgresql+psycopg://assistant@127.0.0.1:")
        for question, text in zip(QUESTIONS[name], report["answers"]):
            assert FACTS[question] in text, (name, question, text)
        assert report["feedback"] == every  # both processes' ratings, seen by each
        other = "worker-b" if name == "worker-a" else "worker-a"
        assert report["other_conversations"] == sorted(QUESTIONS[other])
        assert [role for role, _ in report["other_messages"]] == ["user", "assistant"] * len(QUESTIONS[other])
        assert any(FACTS[q] in content for q in QUESTIONS[other] for _, content in report["other_messages"])

    # And a third reader (the same code the page uses) sees all of it, stored once.
    db = Database(url)
    try:
        assert len(FeedbackStore(db).list_feedback()) == 4
        chats = ChatStore(db)
        assert chats.count("user:worker-a") == chats.count("user:worker-b") == 2
    finally:
        db.dispose()


# --------------------------------------------------------------------------- two pages, in Chromium

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "shared-store"


def _start_page(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    from servers import free_port, wait_for_http
    from test_browser import STARTUP_TIMEOUT_S

    port = free_port()
    repo = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "streamlit", "run", str(repo / "app.py"), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1", "--server.port", str(port),
               "--server.fileWatcherType", "none", "--theme.base", "light"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if not wait_for_http(f"{url}/_stcore/health", proc, STARTUP_TIMEOUT_S):
        proc.kill()
        pytest.fail(f"streamlit did not start:\n{log.read_text(errors='replace')[-3000:]}")
    return proc, url


@pytest.mark.browser
@pytest.mark.slow
def test_two_pages_on_one_postgresql_and_chroma_server_in_chromium(
    small_settings: Settings, postgres: PostgresServer, chroma: ChromaServer, tmp_path: Path
) -> None:
    """Two `streamlit run` processes (as two instances behind a load balancer would be), one
    browser: a question and a 👍 on each; each page then lists both conversations and counts
    both ratings."""
    from playwright.sync_api import expect, sync_playwright

    from servers import stop
    from test_browser import CHROMIUM, CHROMIUM_ARGS, UI_TIMEOUT_MS, _browser_or_skip

    _browser_or_skip()
    url = postgres.create_database("shared_two_pages")
    shared = small_settings.model_copy(update={"chroma_url": chroma.url, "database_url": url})
    assert build_index(shared).added
    env = cli_env(shared)
    env.update(ASSISTANT_CHROMA_URL=chroma.url, ASSISTANT_DATABASE_URL=url, ASSISTANT_DATA_DIR=str(tmp_path / "data"),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    pages = [_start_page(env, tmp_path / f"streamlit-{i}.log") for i in (1, 2)]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    asked = [("緑町の雪かきボランティアの延べ参加人数は？", "85人"), ("青葉市のほたる祭りには何名参加しましたか？", "300名")]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ja-JP")
                context.set_default_timeout(UI_TIMEOUT_MS)
                expect.set_options(timeout=UI_TIMEOUT_MS)
                tabs = []
                for (_, page_url), (question, fact) in zip(pages, asked):
                    tab = context.new_page()
                    tab.goto(page_url)
                    box = tab.get_by_test_id("stChatInputTextArea")
                    box.fill(question)
                    box.press("Enter")
                    reply = tab.get_by_test_id("stChatMessage").nth(1)
                    expect(reply).to_contain_text(fact)
                    reply.get_by_role("radio", name="Thumbs up").click()
                    expect(reply.get_by_text("コメント（任意）")).to_be_visible()  # the rating is stored
                    tabs.append(tab)
                for i, ((_, page_url), tab) in enumerate(zip(pages, tabs), 1):
                    # Each page lists both conversations (one browser: its cookie names the owner on both).
                    tab.goto(page_url)
                    sidebar = tab.get_by_test_id("stSidebar")
                    for question, _ in asked:
                        expect(sidebar.get_by_text(question)).to_be_visible()
                    tab.screenshot(path=str(ARTIFACTS / f"page-{i}-conversations.png"), full_page=True)
                    # ... and counts both ratings on its フィードバック page.
                    tab.get_by_test_id("stSidebarNav").get_by_text("フィードバック").click()
                    count = tab.get_by_test_id("stMetric").filter(has_text="件数")
                    expect(count).to_contain_text("2")
                    expect(tab.get_by_text("postgresql+psycopg://assistant@127.0.0.1")).to_be_visible()
                    tab.screenshot(path=str(ARTIFACTS / f"page-{i}-feedback.png"), full_page=True)
                # The conversation asked on page 1 opens on page 2, answer and all.
                tab = tabs[1]
                tab.get_by_test_id("stSidebarNav").get_by_text("チャット").click()
                tab.get_by_test_id("stSidebar").get_by_text(asked[0][0]).click()
                expect(tab.get_by_test_id("stChatMessage").nth(1)).to_contain_text(asked[0][1])
            finally:
                browser.close()
    finally:
        for proc, _ in pages:
            stop(proc)
    for i in (1, 2):
        assert "Traceback" not in (tmp_path / f"streamlit-{i}.log").read_text(errors="replace")
    db = Database(url)
    try:
        rows = FeedbackStore(db).list_feedback()
        assert sorted(r.question for r in rows) == sorted(q for q, _ in asked) and all(r.rating == 1 for r in rows)
    finally:
        db.dispose()
