"""Answers and conversations as text staff can paste into drafts and e-mails.

`answer_text` is what an answer's copy button puts on the clipboard: the answer, then its
numbered sources (title, city, section, page, quote). `conversation_markdown` and
`conversation_text` are the whole conversation, for a download.
"""

from __future__ import annotations

import re
from datetime import datetime

from assistant.documents import JST
from assistant.messages import RELATED_HEADING
from assistant.ui_state import ChatMessage, SourceCard

_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def _plain_answer(text: str) -> str:
    return _EMPHASIS.sub(r"\2", text).strip()


def source_line(card: SourceCard) -> str:
    """「[1] 題名（市）／章節／p.3」: where a quote comes from, on one line."""
    head = f"[{card.n}] " if card.n else "・"
    where = "／".join(p for p in (card.section, f"p.{card.page}" if card.page else "") if p)
    city = f"（{card.city}）" if card.city else ""
    return f"{head}{card.title or card.source}{city}" + (f"／{where}" if where else "")


def answer_text(message: ChatMessage) -> str:
    """The answer followed by its numbered sources, as plain text."""
    answer = message.answer
    text = _plain_answer(answer.text if answer is not None else message.content)
    cited = [c for c in message.cards if c.n]
    lines = [text]
    if cited:
        lines += ["", "出典:"]
        for card in cited:
            lines.append(source_line(card))
            if card.quote:
                lines.append(f"　「{' '.join(card.quote.split())}」")
    elif message.cards:
        lines += ["", f"{RELATED_HEADING}:"]
        lines += [source_line(card) for card in message.cards]
    return "\n".join(lines)


def _stamp(moment: datetime | None) -> str:
    return (moment or datetime.now(JST)).astimezone(JST).strftime("%Y-%m-%d %H:%M")


def conversation_text(title: str, messages: list[ChatMessage], exported_at: datetime | None = None) -> str:
    """The whole conversation as plain text (.txt)."""
    lines = [f"会話: {title}", f"書き出し: {_stamp(exported_at)}（日本時間）", ""]
    n = 0
    for m in messages:
        if m.role == "user":
            n += 1
            lines += ["=" * 20, f"質問{n}: {m.content.strip()}", ""]
        else:
            lines += ["回答:", answer_text(m), ""]
    return "\n".join(lines).rstrip() + "\n"


def conversation_markdown(title: str, messages: list[ChatMessage], exported_at: datetime | None = None) -> str:
    """The whole conversation as Markdown (.md): questions as headings, sources as lists."""
    lines = [f"# {title}", "", f"書き出し: {_stamp(exported_at)}（日本時間）", ""]
    n = 0
    for m in messages:
        if m.role == "user":
            n += 1
            lines += [f"## 質問{n}: {' '.join(m.content.split())}", ""]
            continue
        answer = m.answer
        lines += [_plain_answer(answer.text if answer is not None else m.content), ""]
        cited = [c for c in m.cards if c.n]
        if cited:
            lines += ["**出典**", ""]
            for card in cited:
                lines.append(f"{card.n}. {source_line(card)[len(f'[{card.n}] '):]}")
                if card.quote:
                    lines.append(f"   > {' '.join(card.quote.split())}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
