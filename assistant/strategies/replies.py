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


REPLY_SENTENCES = 2  # sentences of a reply quoted after its first, in its paragraph


def _rest_of_reply(reply: Statement, view: DocumentView) -> list[Statement]:
    """「事務局：提案は３件にとどまりました。団体からは「書類の負担が大きい」との声があり、…」:
    the first sentence of a reply often only restates; the sentences going on in its paragraph
    say why or what was done."""
    out: list[Statement] = []
    for f in view.paragraph_after(reply, REPLY_SENTENCES):
        if asks(f):
            break  # (the next speaker's question, on the same line)
        out.append(f)
    return out


def with_replies(selection: Selection, view: DocumentView) -> Selection:
    """The selection with each asking statement followed by its reply and the reply's next
    sentences (a reply chosen further down is moved up to its question; none added twice)."""
    if not any(asks(st) for st in selection.statements):
        return selection
    out: list[Statement] = []
    for st in selection.statements:
        if any(st.overlaps(o) for o in out):
            continue  # (a reply already quoted after its question)
        out.append(st)
        if not asks(st):
            continue
        reply = reply_to(st, view)
        if reply is None:
            continue
        chosen = next((o for o in selection.statements if reply.overlaps(o)), reply)
        for f in [chosen, *_rest_of_reply(reply, view)]:
            if not any(f.overlaps(o) for o in out):
                out.append(f)
    if [id(o) for o in out] == [id(o) for o in selection.statements]:
        return selection
    return replace(selection, statements=out, reason=f"{selection.reason}（質問の形の文には、続く回答の文を添えました。）")
