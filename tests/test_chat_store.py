"""The page's database (assistant/db.py) and kept conversations (assistant/chat_store.py):
a real SQLite file through SQLAlchemy; the table definitions also compile for PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable

from assistant.chat_store import (
    ChatStore,
    message_data,
    message_from_row,
    new_browser_id,
    owner_key,
    title_of,
    valid_browser_id,
)
from assistant.db import DB_FILE, Database, database_url, metadata, open_database
from assistant.settings import load_settings
from assistant.trace import ChosenStatement, GateVerdict, Trace
from assistant.types import Answer, Citation
from assistant.ui_state import ChatMessage, SourceCard

CITATION = Citation(n=1, source="midori_yuki.txt", title="緑町雪かきボランティア事業報告", city="緑町",
                    section="1 事業の概要", page=None, quote="延べ85人が参加しました。", chunk_id="c1", start=10, end=22)


def make_store(tmp_path: Path) -> ChatStore:
    return ChatStore(Database(database_url(load_settings(data_dir=tmp_path))))


def turn(question: str, answer_text: str = "85人 [1]。") -> list[ChatMessage]:
    trace = Trace(query={"answer_type": "count"}, gates=[GateVerdict("off_topic", True)],
                  chosen=[ChosenStatement("midori_yuki.txt", "1 事業の概要", "延べ85人が参加しました。", 0.9, 0.8, True)],
                  strategy="value", outcome="answered")
    answer = Answer(question, answer_text, False, citations=[CITATION], standalone_question="緑町の" + question,
                    trace=trace, latency_ms=12.5)
    card = SourceCard(1, "src-m2-1", "\\[1\\] 緑町", "<mark>延べ85人</mark>", "midori_yuki.txt", CITATION.quote,
                      CITATION.title, "緑町", CITATION.section, None, 10, 22)
    return [ChatMessage("m1", "user", question),
            ChatMessage("m2", "assistant", answer_text, answer, [card], generation="g1", feedback_id=3, rating=1)]


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    db = open_database(settings)
    ChatStore(db)
    assert db.path == (tmp_path / "data" / DB_FILE).resolve() and db.path.is_file()
    assert open_database(settings) is db  # one engine per URL in a process
    with db.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"  # readers never wait for a writer
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    assert database_url(load_settings()) == f"sqlite:///{tmp_path / 'elsewhere.db'}"
    assert "database_url" in load_settings().model_fields_set


def test_every_table_is_portable_to_postgresql() -> None:
    """Only portable column types: each table compiles to PostgreSQL DDL as it is."""
    import assistant.chat_store  # noqa: F401
    import assistant.feedback  # noqa: F401

    names = set(metadata.tables)
    assert {"feedback", "conversations", "chat_messages"} <= names
    for table in metadata.tables.values():
        ddl = str(CreateTable(table).compile(dialect=postgresql.dialect()))
        assert "CREATE TABLE" in ddl and "AUTOINCREMENT" not in ddl


def test_a_conversation_is_kept_with_every_message_as_drawn(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    owner = owner_key(new_browser_id())
    cid = store.create(owner, "  緑町の雪かき\nボランティアの延べ参加人数は？  ")
    store.append(owner, cid, turn("延べ参加人数は？"))
    (summary,) = store.list(owner)
    assert summary.id == cid and summary.title == "緑町の雪かき ボランティアの延べ参加人数は？"
    assert summary.updated_at >= summary.created_at and summary.updated_at.tzinfo is not None

    user, reply = make_store(tmp_path).load(owner, cid)  # as after a reload
    assert (user.role, user.content) == ("user", "延べ参加人数は？")
    assert reply.answer is not None and reply.answer.citations == [CITATION]
    assert reply.answer.standalone_question == "緑町の延べ参加人数は？" and reply.answer.latency_ms == 12.5
    assert reply.answer.trace is not None and reply.answer.trace.lines_ja() == turn("延べ参加人数は？")[1].answer.trace.lines_ja()
    assert reply.cards == turn("延べ参加人数は？")[1].cards
    assert (reply.generation, reply.feedback_id, reply.rating) == ("g1", 3, 1)

    reply.comment_saved, reply.gold_id = True, "staff-1"
    assert store.save_message(owner, cid, reply)
    assert store.load(owner, cid)[1].gold_id == "staff-1"


def test_conversations_belong_to_their_owner(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    mine, theirs = owner_key(new_browser_id()), owner_key(new_browser_id())
    cid = store.create(mine, "質問")
    store.append(mine, cid, turn("質問"))
    assert store.load(theirs, cid) is None  # an id seen in a shared URL opens nothing
    assert store.list(theirs) == [] and store.title(theirs, cid) is None
    with pytest.raises(KeyError):
        store.append(theirs, cid, turn("割り込み"))
    assert not store.save_message(theirs, cid, turn("x")[1])
    assert not store.delete(theirs, cid)
    assert store.delete(mine, cid)
    assert store.load(mine, cid) is None and store.list(mine) == []
    with store.db.read() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM chat_messages")).scalar() == 0  # its messages went too
    assert store.load(mine, "../../etc") is None


def test_owner_keys_and_titles(tmp_path: Path) -> None:
    browser = new_browser_id()
    assert valid_browser_id(browser) and not valid_browser_id("x" * 32) and not valid_browser_id(None)
    assert owner_key(browser) == f"browser:{browser}" and owner_key(browser, "admin") == "user:admin"
    with pytest.raises(ValueError):
        make_store(tmp_path).create("browser:nothex", "q")
    assert title_of("あ" * 100).endswith("…") and len(title_of("あ" * 100)) == 40


def test_recently_used_conversations_come_first(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    owner = owner_key(new_browser_id())
    first = store.create(owner, "一つ目")
    second = store.create(owner, "二つ目")
    store.append(owner, first, turn("続き"))  # used again: moves to the top
    assert [c.title for c in store.list(owner)] == ["一つ目", "二つ目"]
    assert store.count(owner) == 2 and second


def test_concurrent_sessions_append_without_losing_or_mixing_messages(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    owner = owner_key(new_browser_id())
    ids = [store.create(owner, f"会話{n}") for n in range(4)]

    def talk(cid: str) -> None:
        for i in range(10):
            store.append(owner, cid, [ChatMessage(f"u{i}", "user", f"{cid[:4]}-{i}")])

    threads = [threading.Thread(target=talk, args=(cid,)) for cid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for cid in ids:
        assert [m.content for m in store.load(owner, cid)] == [f"{cid[:4]}-{i}" for i in range(10)]


def test_stored_messages_survive_unknown_fields() -> None:
    data = message_data(turn("q")[1])
    data["cards"][0]["future_field"] = 1
    data["answer"]["trace"]["future_field"] = "x"
    restored = message_from_row("m2", "assistant", "85人", data)
    assert restored.cards[0].source == "midori_yuki.txt" and restored.answer.trace is not None
