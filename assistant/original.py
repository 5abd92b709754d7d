"""The original behind a citation: the file itself, and for a PDF the cited page drawn as
an image (pypdfium2) with the quoted span marked where it can be found on the page.

Finding the span: the page's characters (as PDFium reads them) and the quote are compared
without white space and after NFKC, so line breaks and full-width digits that the text
extraction wrote differently still match; failing that, each line of the quote is looked
for on its own. The boxes of the matched characters are filled in translucent yellow.
"""

from __future__ import annotations

import io
import mimetypes
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assistant.catalog import CATALOG_FILE

RENDER_SCALE = 1.5  # 72 dpi x 1.5: an A4 page becomes about 890 x 1260 pixels
MIN_LINE_CHARS = 4  # shorter quote lines are too ambiguous to look for alone
HIGHLIGHT = (255, 214, 0, 110)  # translucent yellow, like the <mark> of the cards
OUTLINE = (230, 150, 0, 255)
MIME_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}


def original_file(corpus_dir: Path, source: str) -> Path | None:
    """The corpus file `source` names, if it is a regular file inside the corpus folder."""
    rel = PurePosixPath(source.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.as_posix() == CATALOG_FILE:
        return None
    root = Path(corpus_dir).resolve()
    path = Path(corpus_dir) / Path(*rel.parts)
    try:
        if not path.resolve().is_relative_to(root) or not path.is_file():
            return None
    except OSError:
        return None
    return path


def mime_type(source: str) -> str:
    suffix = Path(source).suffix.lower()
    return MIME_TYPES.get(suffix) or mimetypes.guess_type(source)[0] or "application/octet-stream"


def is_pdf(source: str) -> bool:
    return Path(source).suffix.lower() == ".pdf"


@dataclass(frozen=True)
class PageImage:
    png: bytes
    page: int  # 1-based
    pages: int  # pages in the document
    width: int
    height: int
    found: bool  # the quote (or part of it) was marked on the page
    boxes: tuple[tuple[float, float, float, float], ...] = ()  # marked boxes, in image pixels


def _comparable(text: str) -> tuple[str, list[int]]:
    """NFKC text without white space, and for each of its characters the index it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for norm in unicodedata.normalize("NFKC", ch):
            if not norm.isspace():
                out.append(norm)
                where.append(i)
    return "".join(out), where


def find_spans(page_chars: str, quote: str) -> list[tuple[int, int]]:
    """[start, end) ranges of `page_chars` that hold the quote (whole, else line by line)."""
    haystack, where = _comparable(page_chars)
    if not haystack:
        return []

    def locate(needle_text: str) -> tuple[int, int] | None:
        needle, _ = _comparable(needle_text)
        if not needle:
            return None
        at = haystack.find(needle)
        if at < 0:
            return None
        return where[at], where[at + len(needle) - 1] + 1

    whole = locate(quote)
    if whole:
        return [whole]
    spans = []
    for line in quote.split("\n"):
        if len(_comparable(line)[0]) >= MIN_LINE_CHARS and (span := locate(line)):
            spans.append(span)
    return spans


def render_page(path: Path, page: int, quote: str = "", scale: float = RENDER_SCALE) -> PageImage:
    """Page `page` (1-based, clamped to the document) as a PNG with the quote marked."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from PIL import Image, ImageDraw

    pdf = pdfium.PdfDocument(str(path))
    try:
        count = len(pdf)
        number = min(max(1, page), count)
        pdf_page = pdf[number - 1]
        _, height = pdf_page.get_size()
        image = pdf_page.render(scale=scale).to_pil().convert("RGBA")
        boxes: list[tuple[float, float, float, float]] = []
        if quote.strip():
            textpage = pdf_page.get_textpage()
            chars = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(textpage.count_chars()))
            for start, end in find_spans(chars, quote):
                for r in range(textpage.count_rects(start, end - start)):
                    left, bottom, right, top = textpage.get_rect(r)
                    boxes.append((left * scale, (height - top) * scale, right * scale, (height - bottom) * scale))
        if boxes:
            layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(layer)
            for x0, y0, x1, y1 in boxes:
                draw.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), fill=HIGHLIGHT, outline=OUTLINE, width=2)
            image = Image.alpha_composite(image, layer)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG", optimize=True)
        return PageImage(out.getvalue(), number, count, image.width, image.height, bool(boxes), tuple(boxes))
    finally:
        pdf.close()
