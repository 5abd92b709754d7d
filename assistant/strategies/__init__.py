"""Answer strategies: each picks the statements that answer one kind of question.

A strategy is `select(query, scope, view) -> Selection | None`: None means "not mine, try
the next one". Their order is data (`answer.strategies` in the settings). A strategy may
also wrap the ones after it (`scope.then`): a comparison runs them once per city, a yes/no
question adds 「はい」/「いいえ」 to what they choose. A new kind of question is one module
here (with NAME and select), one entry in REGISTRY and its unit tests.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.docview import DocumentView
from assistant.lexicon import lexicon
from assistant.query import Query
from assistant.strategies import (
    comparison,
    contact,
    cover_date,
    definition,
    heading_children,
    legend,
    listing,
    named_kind,
    section,
    statements,
    superlative,
    table_cell,
    value,
    yes_no,
)
from assistant.strategies.base import Scope, Select, Selection
from assistant.strategies.numbered import numbered_as_asked
from assistant.strategies.picking import with_speakers
from assistant.strategies.replies import with_replies

REGISTRY: dict[str, Select] = {
    m.NAME: m.select
    for m in (comparison, yes_no, cover_date, legend, definition, superlative, listing, table_cell, named_kind, heading_children, contact, section, value,
              statements)
}


def choose(order: list[str], query: Query, scope: Scope, view: DocumentView) -> Selection:
    """The selection of the first strategy, in `order`, that answers. Statements standing under
    another number of a kind the question numbers (「基本目標１」 for 「基本目標２の施策」) are
    not chosen from, when statements under the asked one are there."""
    scope = replace(scope, statements=numbered_as_asked(query, scope.statements, view))
    chain = [(name, REGISTRY[name]) for name in order]

    def run(i: int, current: Scope) -> Selection | None:
        if not current.statements:
            return None
        for j in range(i, len(chain)):
            _, select = chain[j]
            got = select(query, replace(current, then=lambda s, j=j: run(j + 1, s)), view)
            if got is not None:
                return got
        return None

    got = run(0, scope)
    if not got:
        return Selection([], "none", "答えに使える記述がありません。")
    got = with_replies(got, view)
    if lexicon().cue("asks_speaker").search(query.normalized):
        spoken = with_speakers(got.statements, view)
        if len(spoken) > len(got.statements):
            got = replace(got, statements=spoken, reason=got.reason + " 発言者が分かるよう、発言の冒頭の文も引用しました。")
    return got


__all__ = ["REGISTRY", "Scope", "Selection", "choose"]
