"""Conversations kept across reloads: the `conversations` and `chat_messages` tables.

A conversation belongs to an owner: the browser it was started in (`browser:<id>`, the id
kept in a cookie) or, when the page has a sign-in, the signed-in user (`user:<name>`).
Every read and write names the owner, so a conversation id seen in someone else's URL
opens nothing. Each message is stored as the page draws it (question, answer with its
citations and trace, source cards, feedback state); the retrieved passages are not kept.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text, delete, func, insert, select, update

from assistant.db import Database, UTCDateTime, metadata, now
from assistant.trace import ChosenStatement, GateVerdict, Trace
from assistant.types import Answer, Citation
from assistant.ui_state import ChatMessage, SourceCard

TITLE_CHARS = 40
LISTED = 30  # conversations shown in the sidebar
_OWNER = re.compile(r"^(browser:[0-9a-f]{32}|user:[^\s]{1,64})$")
_ID = re.compile(r"^[0-9a-f]{32}$")

conversations_table = Table(
    "conversations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(80), nullable=False),
    Column("title", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("conversations_owner_updated", "owner", "updated_at"),
)

messages_table = Table(
    "chat_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the order of the conversation
    Column("conversation_id", String(32), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("message_id", String(32), nullable=False),
    Column("role", String(16), nullable=False),
    Column("content", Text, nullable=False),
    Column("data", JSON, nullable=False),  # answer, cards and feedback state (see message_data)
    Column("created_at", UTCDateTime, nullable=False),
)


def new_browser_id() -> str:
    return uuid.uuid4().hex


def valid_browser_id(value: str | None) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))


def owner_key(browser_id: str, user: str | None = None) -> str:
    """Whose conversations these are: the signed-in user, else this browser."""
    return f"user:{user}" if user else f"browser:{browser_id}"


def title_of(question: str) -> str:
    """A conversation's title: its first question on one line, shortened."""
    text = " ".join(question.split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


@dataclass(frozen=True)
class ConversationSummary:
    id: str
    title: str
    created_at: datetime
    updated_at: datetime


# ----------------------------------------------------------------------------- (de)serialising


def answer_data(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "text": answer.text,
        "abstained": answer.abstained,
        "citations": [asdict(c) for c in answer.citations],
        "standalone_question": answer.standalone_question,
        "notice": answer.notice,
        "mode": answer.mode,
        "latency_ms": answer.latency_ms,
        "unsupported": list(answer.unsupported),
        "trace": answer.trace.to_dict() if answer.trace is not None else None,
    }


def _known(cls: type, raw: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}


def trace_from_data(raw: dict[str, Any] | None) -> Trace | None:
    """A stored trace (fields the current Trace does not know are dropped)."""
    if not raw:
        return None
    try:
        data = _known(Trace, raw)
        data["gates"] = [GateVerdict(**_known(GateVerdict, g)) for g in raw.get("gates", [])]
        data["chosen"] = [ChosenStatement(**_known(ChosenStatement, c)) for c in raw.get("chosen", [])]
        return Trace(**data)
    except (TypeError, ValueError):
        return None


def answer_from_data(raw: dict[str, Any]) -> Answer:
    return Answer(
        question=raw["question"],
        text=raw["text"],
        abstained=bool(raw["abstained"]),
        citations=[Citation(**_known(Citation, c)) for c in raw.get("citations", [])],
        standalone_question=raw.get("standalone_question"),
        notice=raw.get("notice"),
        mode=raw.get("mode", "extractive"),
        latency_ms=float(raw.get("latency_ms", 0.0)),
        unsupported=list(raw.get("unsupported", [])),
        trace=trace_from_data(raw.get("trace")),
    )


def message_data(message: ChatMessage) -> dict[str, Any]:
    return {
        "answer": answer_data(message.answer) if message.answer is not None else None,
        "cards": [asdict(c) for c in message.cards],
        "generation": message.generation,
        "feedback_id": message.feedback_id,
        "rating": message.rating,
        "comment_saved": message.comment_saved,
        "without_history": message.without_history,
        "gold_id": message.gold_id,
    }


def message_from_row(message_id: str, role: str, content: str, data: dict[str, Any]) -> ChatMessage:
    answer = data.get("answer")
    return ChatMessage(
        id=message_id,
        role=role,
        content=content,
        answer=answer_from_data(answer) if answer else None,
        cards=[SourceCard(**_known(SourceCard, c)) for c in data.get("cards", [])],
        generation=data.get("generation"),
        feedback_id=data.get("feedback_id"),
        rating=data.get("rating"),
        comment_saved=bool(data.get("comment_saved")),
        without_history=bool(data.get("without_history")),
        gold_id=data.get("gold_id"),
    )


# ----------------------------------------------------------------------------- the store


class ChatStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.ensure(conversations_table, messages_table)

    @staticmethod
    def _check_owner(owner: str) -> str:
        if not _OWNER.match(owner):
            raise ValueError(f"invalid conversation owner {owner!r}")
        return owner

    def create(self, owner: str, title: str) -> str:
        owner = self._check_owner(owner)
        conversation_id = uuid.uuid4().hex
        moment = now()
        with self.db.write() as conn:
            conn.execute(insert(conversations_table).values(
                id=conversation_id, owner=owner, title=title_of(title) or "（無題）",
                created_at=moment, updated_at=moment))
        return conversation_id

    def _owns(self, conn, owner: str, conversation_id: str) -> bool:  # type: ignore[no-untyped-def]
        found = conn.execute(select(conversations_table.c.id).where(
            conversations_table.c.id == conversation_id, conversations_table.c.owner == owner)).first()
        return found is not None

    def append(self, owner: str, conversation_id: str, messages: list[ChatMessage]) -> None:
        """Add messages at the end of an owned conversation (KeyError if not owned)."""
        moment = now()
        with self.db.write() as conn:
            if not self._owns(conn, self._check_owner(owner), conversation_id):
                raise KeyError(conversation_id)
            if messages:
                conn.execute(insert(messages_table), [
                    dict(conversation_id=conversation_id, message_id=m.id, role=m.role, content=m.content,
                         data=message_data(m), created_at=moment)
                    for m in messages
                ])
            conn.execute(update(conversations_table).where(conversations_table.c.id == conversation_id)
                         .values(updated_at=moment))

    def save_message(self, owner: str, conversation_id: str, message: ChatMessage) -> bool:
        """Store a message's new state (its feedback, say); False if it is not stored."""
        with self.db.write() as conn:
            if not self._owns(conn, self._check_owner(owner), conversation_id):
                return False
            result = conn.execute(update(messages_table).where(
                messages_table.c.conversation_id == conversation_id, messages_table.c.message_id == message.id,
            ).values(data=message_data(message), content=message.content))
            return result.rowcount > 0

    def list(self, owner: str, limit: int = LISTED) -> list[ConversationSummary]:
        """The owner's conversations, most recently used first."""
        c = conversations_table.c
        with self.db.read() as conn:
            rows = conn.execute(select(c.id, c.title, c.created_at, c.updated_at).where(c.owner == owner)
                                .order_by(c.updated_at.desc(), c.id).limit(limit)).all()
        return [ConversationSummary(r.id, r.title, r.created_at, r.updated_at) for r in rows]

    def count(self, owner: str) -> int:
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(conversations_table)
                                    .where(conversations_table.c.owner == owner)).scalar_one())

    def title(self, owner: str, conversation_id: str) -> str | None:
        c = conversations_table.c
        with self.db.read() as conn:
            return conn.execute(select(c.title).where(c.id == conversation_id, c.owner == owner)).scalar()

    def load(self, owner: str, conversation_id: str) -> list[ChatMessage] | None:
        """The messages of an owned conversation, in order; None if there is no such conversation."""
        if not _ID.match(conversation_id or ""):
            return None
        m = messages_table.c
        with self.db.read() as conn:
            if not self._owns(conn, owner, conversation_id):
                return None
            rows = conn.execute(select(m.message_id, m.role, m.content, m.data)
                                .where(m.conversation_id == conversation_id).order_by(m.id)).all()
        return [message_from_row(r.message_id, r.role, r.content, r.data or {}) for r in rows]

    def delete(self, owner: str, conversation_id: str) -> bool:
        with self.db.write() as conn:
            if not self._owns(conn, owner, conversation_id):
                return False
            conn.execute(delete(messages_table).where(messages_table.c.conversation_id == conversation_id))
            conn.execute(delete(conversations_table).where(conversations_table.c.id == conversation_id))
        return True
