"""「Xとは？」: where the documents define X — 「Xとは、…」, or the text under a heading X
(a 用語の定義 section). Searched in every document of the asked cities, since definitions
are often far from where a term is used."""

from __future__ import annotations

import re

from assistant.docview import DocumentView, Statement
from assistant.query import Query
from assistant.strategies.base import Picker, Scope, Selection

NAME = "definition"
# What marks a term line (「(3) 地域協働体」「◎ 関係人口」「【協働】」) besides the term itself.
_TERM_MARKS = re.compile(r"^[\(（【]?[\d０-９①-⑳]*[\)）】.．]?\s*[◎○●◆■□・※]?\s*|[】\s]+$")
_COLON_TERM = re.compile(r"^[\s◎○●◆■□・※]*(?P<t>[^：:、。]{2,30})[：:]\s*\S")
MAX_DEFINITIONS = 3
PREFIX_CHARS = 40  # 「Xとは」 opens the sentence that defines X
BODY_SEGMENTS = 2  # under a heading X, the definition is the next lines


def definitions(query: Query, target: str, view: DocumentView) -> list[Statement]:
    found: list[Statement] = []
    starts = (f"{target}とは", f"{target}」とは", f"{target}』とは")
    for source, doc in view.defining_documents(target):  # the documents that may define it, in order
        if len(found) >= MAX_DEFINITIONS:
            break  # the first ones are kept
        if query.cities and doc.city not in query.cities:
            continue
        segs = view.segments(source)
        for i, seg in enumerate(segs):
            text = doc.text[seg.start : seg.end]
            colon = _COLON_TERM.match(text)
            if any(s in text[:PREFIX_CHARS] for s in starts):
                found.append(view.statement(source, seg, 0))
            elif colon and colon.group("t").strip() == target:
                found.append(view.statement(source, seg, 0))  # 「関係人口：町外に住みながら…」
            elif seg.kind == "table" and text.split("\t")[0].strip() == target:
                found.append(view.statement(source, seg, 0))  # a 用語 | 説明 table
            elif (seg.kind == "heading" or (len(text) <= 30 and "。" not in text)) and _TERM_MARKS.sub("", text).strip() == target:
                # The term on its own line (「(3) 地域協働体」「◎ 関係人口」), its definition below.
                found.extend(view.statement(source, s, 0) for s in segs[i + 1 : i + 1 + BODY_SEGMENTS] if s.kind != "heading")
    return found[:MAX_DEFINITIONS]


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    target = query.definition_target
    if query.answer_type != "definition" or not target:
        return None
    picker = Picker(view.cfg.max_statements)
    for st in definitions(query, target, view):
        picker.add(st)
    if not picker.chosen:
        return None
    return Selection(picker.chosen, NAME, f"「{target}」を定義している文で答えました。")
