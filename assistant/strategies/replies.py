"""A quoted statement that asks rather than tells (「○委員 …どのように公表するのか。」 in a 会議録,
「Ｑ３ …できますか？」 in a Q&A) does not answer; the statement after it, its reply, does. The
reply is quoted right after the question it answers."""

from __future__ import annotations

from dataclasses import replace

from assistant.docview import DocumentView, Statement
from assistant.lexicon import lexicon
from assistant.strategies.base import Selection
from assistant.text import nfkc


def asks(st: Statement) -> bool:
    """Whether a sentence or a heading (「### Q1 …とは何ですか？」) asks; emphasis marks around
    it (「**Q …？**」) are not its end."""
    text = nfkc(st.text).strip().rstrip("*_ ")
    return st.segment.kind in ("text", "heading") and any(text.endswith(nfkc(e)) for e in lexicon().asking_endings)


def reply_to(st: Statement, view: DocumentView) -> Statement | None:
    """The statement right after a question, when it is text that does not ask in turn."""
    nxt = view.following(st, 1)
    if not nxt or nxt[0].segment.kind != "text" or asks(nxt[0]):
        return None
    reply = nxt[0]
    reply.score, reply.coverage = st.score, st.coverage
    return reply


def with_replies(selection: Selection, view: DocumentView) -> Selection:
    """The selection with each asking statement followed by its reply (none added twice)."""
    if not any(asks(st) for st in selection.statements):
        return selection
    out: list[Statement] = []
    for st in selection.statements:
        out.append(st)
        if asks(st):
            reply = reply_to(st, view)
            if reply is not None and not any(reply.overlaps(o) for o in selection.statements + out):
                out.append(reply)
    if len(out) == len(selection.statements):
        return selection
    return replace(selection, statements=out, reason=f"{selection.reason}（質問の形の文には、続く回答の文を添えました。）")
