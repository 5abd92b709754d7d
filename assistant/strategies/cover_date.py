"""「この計画はいつ付け？」: the date printed on a plan's cover (its first lines)."""

from __future__ import annotations

from assistant.dates import patterns as date_patterns
from assistant.docview import DocumentView
from assistant.lazy_records import head_of
from assistant.query import Query
from assistant.strategies.base import Scope, Selection
from assistant.text import value_text

NAME = "cover_date"
DATE_LINE_CHARS = 30  # a date line, maybe with the city


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if query.answer_type != "date" or not query.asks_document_date:
        return None
    # The question must be about the plan itself, not another one it mentions
    # (「アクションプランが策定されたのはいつ」).
    words = query.topic_words
    titles = view.all_title_tokens
    if words and len(words & titles) < 0.8 * len(words):
        return None
    passages = scope.passages
    if query.cities:
        # In a comparison each city is answered from its own passages.
        cities = {p.chunk.city for p in passages} & set(query.cities) or set(query.cities)
        sources = [s for s in view.documents if head_of(view.documents, s)[1] in cities]
    else:
        sources = list(dict.fromkeys(p.chunk.source for p in passages[:1]))
    cover = date_patterns().cover_date
    found = []
    for source in sources:
        doc = view.documents[source]
        for seg in view.segments(source):
            if seg.start > view.cfg.cover_chars:
                break
            text = value_text(doc.text[seg.start : seg.end]).strip()
            if len(text) <= DATE_LINE_CHARS and cover.match(text):
                found.append(view.statement(source, seg, 0))
                break
    if not found:
        return None
    return Selection(found[: view.cfg.max_statements], NAME, "計画の表紙に書かれた日付で答えました。")
