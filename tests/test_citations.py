"""Citations are built from document offsets and checked against the document text."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.citations import make_citation, markers, strip_unknown_markers, verify
from assistant.index import Index, open_index
from assistant.settings import Settings
from assistant.types import Chunk, Citation

SOURCE = "yamaguchi_r6_jigyo.txt"
SPAN = "■参加者 ２９名"  # the participant count of the 自治会長情報交換会


@pytest.fixture(scope="module")
def index(seed_settings: Settings) -> Index:
    return open_index(seed_settings)


def chunk_containing(index: Index, source: str, offset: int) -> Chunk:
    return next(c for c in index.chunks if c.source == source and c.start <= offset < c.end)


@pytest.fixture(scope="module")
def real(index: Index) -> Citation:
    doc = index.documents[SOURCE]
    start = doc.text.index(SPAN)
    end = start + len(SPAN)
    chunk = chunk_containing(index, SOURCE, start)
    return make_citation(1, chunk, doc, start, end, index.outlines[SOURCE])


def test_make_citation_quotes_the_document_verbatim(real: Citation, index: Index) -> None:
    doc = index.documents[SOURCE]
    assert real.quote == SPAN == doc.text[real.start : real.end]
    assert real.source == SOURCE and real.n == 1
    assert real.title == doc.title and real.city == "山口市"
    assert real.page is None  # a text file has no pages
    # The section is the one in force at the quote, not merely the chunk's first.
    assert "自治会・町内会への支援の強化" in real.section
    assert index.chunks[index.position[real.chunk_id]].start <= real.start


def test_verify_accepts_a_real_span(real: Citation, index: Index) -> None:
    assert verify(real, index.documents)


def test_verify_rejects_a_paraphrased_quote(real: Citation, index: Index) -> None:
    for altered in ("■参加者 29名", "■参加者 約30名", "参加者は29名でした", SPAN + "。"):
        assert not verify(replace(real, quote=altered), index.documents), altered


def test_verify_rejects_shifted_offsets(real: Citation, index: Index) -> None:
    for ds, de in ((1, 1), (-1, -1), (0, 1), (1, 0), (0, -1)):
        moved = replace(real, start=real.start + ds, end=real.end + de)
        assert not verify(moved, index.documents), (ds, de)
    # The same quote at another place of the document is not the cited place either.
    assert not verify(replace(real, start=0, end=len(SPAN)), index.documents)


def test_verify_rejects_a_quote_from_another_document(real: Citation, index: Index) -> None:
    other = "yamaguchi_r6_jisseki.txt"
    assert not verify(replace(real, source=other), index.documents)


def test_verify_rejects_unknown_source_and_empty_quote(real: Citation, index: Index) -> None:
    assert not verify(replace(real, source="yokohama_plan.txt"), index.documents)
    assert not verify(real, {})
    blank = replace(real, quote="", end=real.start)
    assert not verify(blank, index.documents)
    doc = index.documents[SOURCE]
    ws = doc.text.index("\n")
    assert not verify(replace(real, quote=doc.text[ws : ws + 1], start=ws, end=ws + 1), index.documents)


def test_every_chunk_body_is_a_verifiable_citation(index: Index) -> None:
    for i, chunk in enumerate(index.chunks):
        doc = index.documents[chunk.source]
        c = make_citation(i + 1, chunk, doc, chunk.start, chunk.end, index.outlines[chunk.source])
        assert c.quote == chunk.body
        assert verify(c, index.documents), chunk.id


def test_markers_in_order_of_appearance() -> None:
    assert markers("29名です[1]。会場は[2]と[10]、再掲[1]。") == [1, 2, 10, 1]
    assert markers("引用なし") == []
    assert markers("[a] [] [1234] [ 1]") == []  # only 1-3 digit numbers in plain brackets


def test_strip_unknown_markers_keeps_known_ones() -> None:
    text = "29名です[1][7]。上限は20万円です[2][12]。"
    assert strip_unknown_markers(text, {1, 2}) == "29名です[1]。上限は20万円です[2]。"
    assert strip_unknown_markers(text, set()) == "29名です。上限は20万円です。"
    assert strip_unknown_markers("［1］は全角", {2}) == "［1］は全角"  # not a marker
