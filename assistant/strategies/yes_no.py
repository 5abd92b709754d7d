"""「〜は提案できますか」「〜は対象になりますか」: the statements the other strategies choose,
led by 「はい」 or 「いいえ」 when one of them decides it.

A statement decides when it gives the value the question states (「30万円もらえる？」 against
「20万円を上限」: within a cap or equal is yes, otherwise no), or when it covers the question
well and says something is (not) so. When nothing decides, no verdict is given: the
statements are shown as they are, and staff judge.
"""

from __future__ import annotations

from assistant.docview import DocumentView, Statement
from assistant.lexicon import lexicon
from assistant.query import Query
from assistant.strategies.base import Scope, Selection
from assistant.text import nfkc
from assistant.values import bounded_amounts, bounded_counts, satisfies

NAME = "yes_no"


def says_no(st: Statement, view: DocumentView) -> bool:
    """Whether a statement, read with its section heading (「対象外経費」), says not. A table row
    says it with its own label (「補助対象外経費 | …」), whatever the section is called."""
    lex = lexicon()
    if lex.is_negative(st.text):
        return True
    if st.segment.kind == "table":
        return False
    section = view.section_at(st.chunk.source, st.start).rsplit(" > ", 1)[-1]
    return lex.is_negative(section)


def decides(query: Query, st: Statement, view: DocumentView) -> bool:
    """Whether a statement is about what the question asks: it covers the question well,
    names its subject and holds its predicate (「提案」 for 「提案できる？」)."""
    if st.coverage < view.cfg.yes_no_coverage or not query.predicate:
        return False
    tokens = view.tokens_of(st.chunk.source, st.segment) | view.phrase_tokens(view.section_at(st.chunk.source, st.start))
    if query.subject_head and query.subject_head not in tokens:
        return False  # 「職員研修は新規事業？」 is not decided by the row of another project
    predicate = view.phrase_tokens(query.predicate)
    return query.predicate in tokens or bool(predicate) and predicate - {query.predicate} <= tokens


def value_verdict(query: Query, statements: list[Statement], view: DocumentView) -> tuple[bool, Statement] | None:
    """The first statement that gives a value of the kind the question states, and whether
    the question's value agrees with it (「30万円もらえる？」 against 「20万円を上限」: no;
    「5万円のテント」 against 「5万円以上の備品購入費」 under 対象外経費: no)."""
    for st in statements:
        text = nfkc(st.text)
        for asked in query.amounts:
            agreed = satisfies(asked, bounded_amounts(text))
            if agreed is not None:
                return agreed != says_no(st, view), st
        for asked, counter in query.counts:
            same = set(lexicon().same_unit(counter))
            agreed = satisfies(asked, [(n, op) for n, c, op in bounded_counts(text) if c in same])
            if agreed is not None:
                return agreed != says_no(st, view), st
    return None


def select(query: Query, scope: Scope, view: DocumentView) -> Selection | None:
    if not query.yes_no or len(query.cities) >= 2:
        return None
    got = scope.then(scope)
    if got is None or not got.statements:
        return got
    statements = got.statements
    by_value = value_verdict(query, statements, view) if (query.amounts or query.counts) else None
    if by_value is not None:
        yes, decider = by_value
        why = "質問の値と資料の値を比べて"
    else:
        decider = next((st for st in statements if decides(query, st, view)), None)
        if decider is None:
            return Selection(statements, NAME, f"{got.reason} はい/いいえを決める文は見つかりませんでした。")
        yes = says_no(decider, view) == query.negated
        why = "否定の表現の有無から"
    verdict = "はい" if yes else "いいえ"
    ordered = [decider, *(st for st in statements if st is not decider)]
    return Selection(ordered, NAME, f"{got.reason} {why}「{verdict}」と判断しました。", verdict)
