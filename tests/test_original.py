"""The original behind a citation (assistant/original.py): a real reportlab PDF, read by the
real loader, its cited page drawn by pypdfium2 with the quote marked."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from assistant.loaders import load_document, scan_corpus
from assistant.original import find_spans, is_pdf, mime_type, original_file, render_page

from pdfs import SAKURA_QUOTE, write_sakura_pdf


def loaded(folder: Path):  # type: ignore[no-untyped-def]
    write_sakura_pdf(folder)
    (sf,) = scan_corpus(folder)
    return load_document(sf)


def yellow_share(png: bytes, box: tuple[float, float, float, float]) -> float:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    x0, y0, x1, y1 = (int(v) for v in box)
    pixels = [image.getpixel((x, y)) for x in range(x0, x1, 3) for y in range(y0, y1, 2)]
    return sum(1 for r, g, b in pixels if r > 200 and g > 150 and b < 150) / len(pixels)


def test_the_cited_page_is_drawn_with_the_quote_marked(tmp_path: Path) -> None:
    doc = loaded(tmp_path)
    start = doc.text.index(SAKURA_QUOTE)
    page = doc.page_at(start)
    assert page == 2
    image = render_page(tmp_path / "sakuradai_plan.pdf", page, doc.text[start : start + len(SAKURA_QUOTE)])
    assert (image.page, image.pages, image.found) == (2, 2, True)
    assert Image.open(io.BytesIO(image.png)).size == (image.width, image.height) and image.width > 800
    (box,) = image.boxes
    x0, y0, x1, y1 = box
    assert 0 < x0 < x1 < image.width and 0 < y0 < y1 < image.height / 3  # near the top of the page
    assert yellow_share(image.png, box) > 0.5  # the marked span is filled in yellow
    assert yellow_share(image.png, (x0, y1 + 60, x1, y1 + 80)) == 0  # the rest of the page is not


def test_a_quote_split_across_lines_is_marked_line_by_line(tmp_path: Path) -> None:
    doc = loaded(tmp_path)
    quote = "毎年4月に桜川の堤防で桜まつりを開催します。\n令和6年度の桜まつりには約１２００名"  # other digits, a break
    assert len(render_page(tmp_path / "sakuradai_plan.pdf", 2, quote).boxes) == 2
    assert not render_page(tmp_path / "sakuradai_plan.pdf", 1, SAKURA_QUOTE).found  # not on page 1
    assert render_page(tmp_path / "sakuradai_plan.pdf", 9, "").page == 2  # a page past the end: the last
    assert doc.title


def test_find_spans_ignores_spacing_and_width() -> None:
    page = "2 主な取組\r\n令和6年度は約１２００名が\r\n参加しました。"
    ((a, b),) = find_spans(page, "令和6年度は約1200名が参加しました。")
    assert page[a:b] == "令和6年度は約１２００名が\r\n参加しました。"
    assert find_spans(page, "書かれていない文") == []


def test_only_files_inside_the_corpus_are_offered(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "計画.txt").write_text("本文", encoding="utf-8")
    (corpus / "catalog.yaml").write_text("{}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("秘密", encoding="utf-8")
    (corpus / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert original_file(corpus, "計画.txt") == corpus / "計画.txt"
    for source in ("../secret.txt", "/etc/passwd", "link.txt", "catalog.yaml", "ない.txt"):
        assert original_file(corpus, source) is None, source
    assert mime_type("a.pdf") == "application/pdf" and mime_type("a.docx").endswith("wordprocessingml.document")
    assert is_pdf("A.PDF") and not is_pdf("a.txt")
