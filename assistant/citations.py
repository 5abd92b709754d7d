"""Citations: built from document offsets, and checked against the document text.

A quote is never paraphrased: it is `document.text[start:end]`, and `verify` rejects any
citation whose quote does not occur in its source document at the stated place.
"""

from __future__ import annotations

import re

from assistant.chunking import section_at
from assistant.types import Chunk, Citation, LoadedDocument

MARKER = re.compile(r"\[(\d{1,3})\]")  # a citation marker 「[1]」 in an answer text


def make_citation(
    n: int, chunk: Chunk, doc: LoadedDocument, start: int, end: int, sections: list[tuple[int, str]]
) -> Citation:
    return Citation(
        n=n,
        source=chunk.source,
        title=chunk.title,
        city=chunk.city,
        section=section_at(sections, start) or chunk.section,
        page=doc.page_at(start),
        quote=doc.text[start:end],
        chunk_id=chunk.id,
        start=start,
        end=end,
    )


def verify(citation: Citation, documents: dict[str, LoadedDocument]) -> bool:
    """True when the quote is non-empty and stands verbatim in its document at its offsets."""
    doc = documents.get(citation.source)
    if doc is None or not citation.quote.strip():
        return False
    return doc.text[citation.start : citation.end] == citation.quote


def markers(text: str) -> list[int]:
    """Citation numbers used in an answer text, in order of appearance."""
    return [int(m) for m in MARKER.findall(text)]


def strip_unknown_markers(text: str, known: set[int]) -> str:
    return MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in known else "", text)
