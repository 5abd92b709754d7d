"""「補助金のことはどこに問い合わせればいい？」「設立の相談窓口はどこ？」: a contact block answers
(「問い合わせ先」 over 「○○町役場 企画課 協働推進係」, 「このページに関するお問い合わせ」 over the
section, its address and its telephone line), quoted as a block: the sentence that shares most
words with the question (「設立に関する相談は随時受け付けています。」) names no office."""

from __future__ import annotations

from assistant.docview import DocumentView, Statement
from assistant.lexicon import lexicon
from assistant.query import VALUE_TYPES, Query
from assistant.strategies.base import Scope, Selection
from assistant.strategies.section import enclosing_heading, heading_title
from assistant.text import compact

NAME = "contact"
CANDIDATES = 5  # the best statements among which a contact block is looked for
BLOCK_LINES = 4  # lines of a contact block: the office, its address, telephone, hours


def _block(st: Statement, view: DocumentView) -> list[Statement]:
    """The contact block `st` opens or stands in: its label, then its lines up to the next
    heading; [] when `st` is in none, or the block names no office."""
    lex = lexicon()
    if lex.contact_label.match(compact(st.text)):
        opener = st
    else:
        heading = enclosing_heading(st, view)
        title = heading_title(heading.text) if heading is not None else ""
        # 「問い合わせ先」, or an office's own name as the heading (「○○市社会福祉協議会
        # ボランティアセンター」 over its telephone and what it is asked about).
        if heading is None or not (lex.contact_label.search(title) or lex.office_name.fullmatch(title)):
            return []
        opener = heading
    block = [opener]
    for f in view.following(opener, BLOCK_LINES):
        if f.segment.kind == "heading":
            break
        block.append(f)
    return block if any(lex.office_name.search(b.text) for b in block) else []


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if query.answer_type in VALUE_TYPES or query.yes_no or not lexicon().cue("asks_contact").search(query.normalized):
        return None
    for st in scope.statements[:CANDIDATES]:
        block = _block(st, view)
        if block:
            return Selection(block, NAME, "問い合わせ先の欄を引用しました。")
    return None
