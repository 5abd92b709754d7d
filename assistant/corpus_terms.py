"""The definition strategy's rules as the corpus lookups need them: a document's candidate
definition terms, cut into segments as the answer engine cuts it. Kept apart from
`corpus_index.py`, which the answer engine's document view imports, so that no module
imports one that imports it back."""

from __future__ import annotations

from assistant.corpus_index import TermRules, TermsOf, definition_terms
from assistant.docview import document_segments
from assistant.strategies.definition import _COLON_TERM, _TERM_MARKS, PREFIX_CHARS

RULES = TermRules(PREFIX_CHARS, _COLON_TERM, _TERM_MARKS)


def terms_of(whole_row_chars: int) -> TermsOf:
    """text -> the terms a document could define (sorted), with segments of this setting."""

    def terms(text: str) -> list[str]:
        return sorted(definition_terms(text, document_segments(text, whole_row_chars), RULES))

    return terms
