"""Document loaders: corpus files -> LoadedDocument (plain text + provenance).

Text is kept verbatim apart from newline normalisation ("\\r\\n"/"\\r" -> "\\n"): no NFKC,
no whitespace collapsing, because chunk offsets, evidence strings and citation quotes
must be found in `LoadedDocument.text` exactly. Structured formats (DOCX, HTML) are
rendered as light Markdown (`#` headings, one line per table row with tab-separated
cells) so the chunker can see their structure.

Failures raise DocumentLoadError with a Japanese reason that is shown to city staff.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.catalog import CATALOG_FILE, CatalogEntry, known_cities, read_catalog
from assistant.docx_numbering import Numbering
from assistant.pdf_columns import layout_text
from assistant.types import LoadedDocument, LoadFailure, PageSpan

if TYPE_CHECKING:  # the parsers are imported lazily: scanning must stay fast
    from docx.table import Table, _Row
    from pypdf import PdfReader

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
TITLE_MAX_CHARS = 80
# Bumped when extraction changes, so that the indexer re-reads every file.
_LOADER_VERSION = "25"  # 3: PDF pages read with their layout (a table row on one line, wrapped cells joined); 4: a cell wrapped after a cut word; 5: a body line after a table is its own, a wrapped cell closing its bracket joins; 6: several cells wrapped at once join back; 7: a full-width first cell wrapped onto one short line joins, a page number never does; 8: a row whose cells are centred or bottom-aligned starts at its top lines; 9: ... and so does one whose first cell wraps above its figures; 10: a page set in text columns is read column by column; 11: ... also when a column holds a table, or a line is drawn in pieces; 12: a nested HTML list item is indented; 13: a justified line of prose spread with wide gaps stays one line; 14: a DOCX table used as boxes on a page is read as its titles, lines and inner tables; 15: radical code points read as the kanji they stand for; 16: an HTML <dl> read as 「term：description」 lines; 17: Word's automatic numbering read into the text; 18: an HTML image's alt text read as a line, a PDF table cell wrapped at a character no word starts with joined back; 19: U+2027 read as the middle dot 「・」; 20: boxes side by side inside a column already told apart (a slide of three boxes) read box by box, their wrapped lines shorter; 21: a table laid out with spaces in a plain text file read as rows of tab-separated cells; 22: a DOCX's text boxes, figure alt text, footnotes and page headers/footers read, a PDF page in vertical writing read column by column; 23: a DOCX's unaccepted tracked changes read as the text now stands (insertions kept, deletions left out), an HTML chart's SVG text labels read; 24: a PDF number wrapped at its hyphen (「電話 092-」 / 「555-7021」) joined back; 25: HTML ruby readings left out, a box-drawn text table ruled between rows read a row per ruled-off block, a running header over a PDF page's right column read before the columns

Catalog = Mapping[str, CatalogEntry]
log = logging.getLogger(__name__)

# PDFs printed with some CJK fonts put radical code points in their text layer for ordinary
# kanji (「⽇」 U+2F47 for 日, 「⺠」 U+2EA0 for 民): read as the kanji, one character for one, so
# page offsets hold. Kangxi radicals fold by NFKC; the supplement's look-alikes have no
# decomposition and are listed.
_RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)} | {
    ord(r): k for r, k in zip("⺟⺠⻄⻑⻘⻝⻤⻨⻩⻫⻭⻯⻲", "母民西長青食鬼麦黄斉歯竜亀")
} | {0x2027: "・"}  # the same fonts give the middle dot 「・」 as U+2027 (hyphenation point)


class DocumentLoadError(Exception):
    """A file that cannot be turned into text; `reason` is Japanese, for staff."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class SourceFile:
    source: str  # POSIX path relative to the corpus directory
    path: Path
    content_hash: str
    size: int = 0
    refusal: str | None = None  # set by scan_corpus: never read this file, report this (Japanese) reason


# ---------------------------------------------------------------------------- scanning


def _entry_json(entry: CatalogEntry | None) -> str:
    return json.dumps(dataclasses.asdict(entry) if entry else None, ensure_ascii=False, sort_keys=True)


def content_hash(data: bytes, entry: CatalogEntry | None) -> str:
    """sha256 of the raw bytes plus the catalog entry: editing either re-indexes the file."""
    h = hashlib.sha256()
    h.update(data)
    h.update(b"\0" + _LOADER_VERSION.encode() + b"\0" + _entry_json(entry).encode("utf-8"))
    return h.hexdigest()


def scan_corpus(corpus_dir: Path, catalog: Catalog | None = None, max_bytes: int | None = None) -> list[SourceFile]:
    """Every regular file under corpus_dir except catalog.yaml and hidden files, sorted.

    Unsupported formats are included on purpose: load_document reports them, so staff
    learn why a file they dropped in is not searchable. No parsing happens here.

    Nothing outside the corpus gets in: a file that resolves outside corpus_dir (a symbolic
    link to /etc/passwd, say) and a file larger than `max_bytes` are listed with a
    `refusal` and never read; load_document reports the refusal like any load failure.
    """
    corpus_dir = Path(corpus_dir)
    root = corpus_dir.resolve()
    catalog = catalog or {}
    files: list[SourceFile] = []
    for path in corpus_dir.rglob("*"):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or rel.as_posix() == CATALOG_FILE:
            continue
        if not path.is_file():  # directories, devices, FIFOs and dangling links
            continue
        source = rel.as_posix()
        entry = catalog.get(source)
        try:
            inside = path.resolve().is_relative_to(root)
        except (OSError, RuntimeError):  # a link loop
            inside = False
        if not inside:
            files.append(SourceFile(source, path, content_hash(f"outside:{path.readlink() if path.is_symlink() else ''}"
                                                               .encode(), entry), refusal=OUTSIDE_REASON))
            continue
        stat = path.stat()
        if max_bytes is not None and stat.st_size > max_bytes:
            # Not even hashed: size and time stand in for the content, so a fix re-reads it.
            stamp = f"too-large:{stat.st_size}:{stat.st_mtime_ns}".encode()
            files.append(SourceFile(source, path, content_hash(stamp, entry), stat.st_size,
                                    too_large_reason(stat.st_size, max_bytes)))
            continue
        files.append(SourceFile(source, path, content_hash(path.read_bytes(), entry), stat.st_size))
    return sorted(files, key=lambda sf: sf.source)


OUTSIDE_REASON = (
    "文書フォルダの外にあるファイルを指している（シンボリックリンクなど）ため読み込みませんでした。"
    "ファイル本体を文書フォルダにコピーしてください。"
)


def _megabytes(n_bytes: int) -> str:
    return f"{n_bytes / (1024 * 1024):.1f} MB"


def too_large_reason(size: int, max_bytes: int) -> str:
    return (
        f"ファイルが大きすぎるため（{_megabytes(size)}）読み込みませんでした。"
        f"1ファイル {max_bytes // (1024 * 1024)} MB までです（設定 ASSISTANT_MAX_DOCUMENT_MB）。"
        "文書を分割するか、上限を上げてください。"
    )


# ---------------------------------------------------------------------------- decoding

_CODEC_ALIASES = {
    # Japanese Windows text labelled "Shift_JIS" is really CP932 (①, ㈱, NEC/IBM kanji).
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "windows-31j": "cp932", "ms932": "cp932", "ms_kanji": "cp932", "csshiftjis": "cp932",
    "euc-jp": "euc_jp", "x-euc-jp": "euc_jp", "eucjp": "euc_jp",
}
# Kana, kanji, full-width forms and the JIS symbols (①, ○, →, ※) common in city documents.
_JA_CHARS = re.compile(r"[\u2010-\u2bff\u3000-\u30ff\u3200-\u33ff\u4e00-\u9fff\uff01-\uff5e]")
_HIRAGANA = re.compile(r"[\u3041-\u3096]")
# Half-width katakana, private-use and C0 control characters are what mis-decoded bytes look like.
_SUSPICIOUS = re.compile(r"[\uff61-\uff9f]")
_GARBAGE = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _japanese_score(text: str) -> int:
    return (
        len(_JA_CHARS.findall(text))
        + len(_HIRAGANA.findall(text))  # running text is full of hiragana; random kanji pairs are not
        - 2 * len(_SUSPICIOUS.findall(text))
        - 5 * len(_GARBAGE.findall(text))
    )


def _maybe_legacy_japanese(utf8_text: str) -> bool:
    """True for valid UTF-8 that is probably a few EUC-JP characters (働 -> "Ư", 7年 -> "7ǯ").

    Only tiny texts can be valid UTF-8 by accident; they then hold non-ASCII characters
    but neither Japanese nor ASCII letters (which real Latin text like "café" has).
    """
    if utf8_text.isascii() or _JA_CHARS.search(utf8_text):
        return False
    return not re.search(r"[A-Za-z]", utf8_text)


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode text bytes: BOM, then a declared charset, then UTF-8, then Japanese legacy codecs.

    charset-normalizer alone mis-guesses short Japanese texts, so CP932 and EUC-JP are
    tried explicitly and the decode with the most plausible Japanese wins.
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom) and (text := _try_decode(data, codec)) is not None:
            return text
    utf8 = _try_decode(data, "utf-8")
    if declared:
        codec = _CODEC_ALIASES.get(declared.strip().lower(), declared.strip())
        # Pages saved as UTF-8 often keep an old "Shift_JIS" label; valid Japanese UTF-8 wins.
        if utf8 is not None and _JA_CHARS.search(utf8):
            return utf8
        if (text := _try_decode(data, codec)) is not None:
            return text
    if utf8 is not None and not _maybe_legacy_japanese(utf8):
        return utf8
    if b"\x1b$" in data and (text := _try_decode(data, "iso2022_jp")) is not None:
        return text
    candidates = [t for c in ("cp932", "euc_jp") if (t := _try_decode(data, c)) is not None]
    if candidates:
        # max() keeps the first on ties: CP932 is by far the more common legacy encoding.
        text = max(candidates, key=_japanese_score)
        if _japanese_score(text) > 0:
            return text
    if utf8 is not None:
        return utf8
    from charset_normalizer import from_bytes  # imported lazily: only needed for odd files

    best = from_bytes(data).best()
    if best is None:
        raise DocumentLoadError(source, "文字コードを判別できませんでした（UTF-8 または Shift_JIS で保存し直してください）")
    return str(best)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------- titles and cities

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
# Documented heuristic: a municipality name at the start of the title, e.g. 「岩国市地域づくり…」.
# The character class adds 々 and ヶ (野々市市, 鶴ヶ島市) to the kanji/kana ranges.
_CITY_AT_START = re.compile(r"^[一-龥々ヶぁ-んァ-ヴー]{1,6}?[市町村]")
_ORDINAL_PREFIX = re.compile(r"^(?:第[一二三四五六七八九十0-9０-９]+次|新)\s*")


def _trim_title(title: str) -> str:
    title = " ".join(title.split())  # a title is a single line
    return title if len(title) <= TITLE_MAX_CHARS else title[: TITLE_MAX_CHARS - 1] + "…"


_HEADING_MARKS = re.compile(r"^#{1,6}[ \t\u3000]+(.*?)(?:[ \t\u3000]+#+)?[ \t\u3000]*$")


def _strip_heading_marks(title: str) -> str:
    """「# 星空だより」 -> 「星空だより」: a plain-text file's Markdown heading mark is not part of its title."""
    match = _HEADING_MARKS.match(title.strip())
    return match.group(1).strip() if match else title


def _first_line(text: str) -> str | None:
    return next((line.strip() for line in text.split("\n") if line.strip()), None)


def _markdown_title(text: str) -> str | None:
    headings = [(len(m.group(1)), m.group(2).strip()) for m in _MD_HEADING.finditer(text)]
    headings = [(level, title) for level, title in headings if title]
    if not headings:
        return None
    top = min(level for level, _ in headings)  # prefer the first "#" over an earlier "##"
    return next(title for level, title in headings if level == top)


def guess_city(title: str, cities: list[str]) -> str | None:
    """A city named in the title: a catalog city anywhere in it, else a 〇〇市/町/村 at its start.

    The regex is deliberately short and non-greedy (「岩国市町内会」-> 岩国市); it misses
    names like 四日市市 and can be fooled by phrases like 「みんなの町」, so the catalog
    remains the reliable source.
    """
    for city in sorted(cities, key=len, reverse=True):
        if city in title:
            return city
    match = _CITY_AT_START.match(_ORDINAL_PREFIX.sub("", title.strip()))
    return match.group(0) if match else None


# ---------------------------------------------------------------------------- extractors


@dataclass
class _Extracted:
    text: str
    title: str | None = None  # from document structure; None -> first non-empty line
    pages: tuple[PageSpan, ...] = ()


def _extract_plain(data: bytes, source: str, markdown: bool) -> _Extracted:
    text = _normalise_newlines(decode_bytes(data, source)).removeprefix("\ufeff")
    if not text.strip():
        raise DocumentLoadError(source, "ファイルが空です")
    text = _box_drawn_rows(text)
    if not markdown:
        text = _fixed_width_tables(text)
    return _Extracted(text, _markdown_title(text) if markdown else None)


_BOX_ROW = re.compile(r"[ \u3000]*[│┃|｜].*[│┃|｜][ \u3000]*")
_BOX_RULE = re.compile(r"[ \u3000]*[├┼┤┌┬┐└┴┘┠╂┨┏┳┓┗┻┛┣╋┫┝┿┥─━＋+\-]{4,}[ \u3000]*")
_BOX_BAR = re.compile(r"[│┃|｜]")
BOX_ROW_GROUPS = 3  # rules between body rows: a header and two rows at least


def _box_drawn_rows(text: str) -> str:
    """A table drawn with box characters whose rows are ruled off one from another: the lines
    between two rules are one row whose cells wrapped (「│行政提案型　│…│100万円│」 over
    「│コース　　　│…│　　　│」), joined cell by cell into one line. A table ruled only under
    its header keeps its lines: each is a row."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and (_BOX_RULE.fullmatch(lines[j]) or _BOX_ROW.fullmatch(lines[j])):
            j += 1
        if j == i:
            out.append(lines[i])
            i += 1
            continue
        block = lines[i:j]
        ruled = [not _BOX_RULE.fullmatch(line) for line in block]
        rows = sum(1 for k, is_row in enumerate(ruled) if is_row and (k == 0 or not ruled[k - 1]))
        if rows < BOX_ROW_GROUPS:
            out.extend(block)
        else:
            group: list[str] = []
            for line in block:
                if _BOX_RULE.fullmatch(line):
                    out.extend(_joined_row(group) if group else [])
                    out.append(line)
                    group = []
                else:
                    group.append(line)
            out.extend(_joined_row(group) if group else [])
        i = j
    return "\n".join(out)


def _joined_row(group: list[str]) -> list[str]:
    """One ruled-off row's lines, its cells joined line by line; unchanged when the lines do not
    have the same cells, or a line after the first has every cell filled (rows, not wraps)."""
    cells = [_BOX_BAR.split(line.strip(" \u3000"))[1:-1] for line in group]
    if len(group) == 1 or len({len(c) for c in cells}) != 1:
        return group
    if not all(any(not c.strip(" \u3000") for c in line) for line in cells[1:]):
        return group  # a wrapped line leaves the cells that did not wrap empty; full lines are rows
    cells = [["", *line, ""] for line in cells]
    joined = []
    for parts in zip(*cells):
        words = [p.strip(" \u3000") for p in parts if p.strip(" \u3000")]
        joined.append("".join(words))
    return ["│".join(joined)]


FIXED_WIDTH_CELLS = 3  # a fixed-width table's row has at least this many columns
FIXED_WIDTH_ROWS = 3  # ... and the table at least this many rows
_RULE_LINE = re.compile(r"[ \u3000]*[-－─━=＝]{6,}[ \u3000]*")
_HALF_WIDTH_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")


def _fixed_width_tables(text: str) -> str:
    """A table laid out with spaces in a plain text file (「分野      令和2  令和3 …」 over
    「福祉・健康    12    13 …」, as statistics are typed for a fixed-width font): its rows read
    as cells separated by tabs, as a table, so a figure is read with its row and column names.
    Only runs of rows of three columns or more, split at gaps of two half-width spaces or more
    (a full-width space stands between words of one cell: 「第１　趣旨」); rule lines
    (「-----」) may stand between rows."""
    lines = text.split("\n")
    cells = [_HALF_WIDTH_GAP.split(line.strip(" \u3000")) if "\t" not in line else [] for line in lines]
    out = list(lines)
    i = 0
    while i < len(lines):
        if len(cells[i]) < FIXED_WIDTH_CELLS:
            i += 1
            continue
        run, j = [], i
        while j < len(lines) and (len(cells[j]) >= FIXED_WIDTH_CELLS or (_RULE_LINE.fullmatch(lines[j]) and run)):
            if len(cells[j]) >= FIXED_WIDTH_CELLS:
                run.append(j)
            j += 1
        if len(run) >= FIXED_WIDTH_ROWS:
            for k in run:
                out[k] = "\t".join(cells[k])
        i = max(j, i + 1)
    return "\n".join(out)


def _extract_pdf(data: bytes, source: str) -> _Extracted:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _decrypt_pdf(reader, source)
        pages = list(reader.pages)
    except DocumentLoadError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        log.warning("%s: pypdf failed: %r", source, exc)
        raise DocumentLoadError(source, PDF_BROKEN) from exc

    texts: list[str] = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(_page_text(page))
        except Exception as exc:
            log.warning("%s: page %d unreadable: %r", source, number, exc)
            texts.append("")  # one unreadable page should not lose the rest of the document
    if not "".join(texts).strip():
        if len(pages) and all(t == "" for t in texts) and _all_pages_failed(pages):
            raise DocumentLoadError(source, PDF_BROKEN)
        raise DocumentLoadError(source, "テキストを抽出できませんでした（画像のみのPDFの可能性があります。文字情報のあるPDFが必要です）")

    spans: list[PageSpan] = []
    parts: list[str] = []
    offset = 0
    for number, page_text in enumerate(texts, start=1):
        if parts:
            parts.append("\n\n")
            offset += 2
        spans.append(PageSpan(page=number, start=offset, end=offset + len(page_text)))
        parts.append(page_text)
        offset += len(page_text)
    return _Extracted("".join(parts), None, tuple(spans))


_CELL = re.compile(r"[^ \u3000](?:[^ \u3000]|[ \u3000](?![ \u3000]))*")  # text up to a gap of 2+ spaces
_BLANKS = re.compile(r"\n{3,}")
CELL_COLUMN_SLACK = 2  # a continuation line starts at least this far right of the row's first cell
# ... or under it with one or two kana: the end of a word cut by the cell's width
# (「ステップアップコー」 / 「ス」); a new row does not start with a word's last kana.
_KANA_TAIL = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fcー]{1,2}")


def _fits_its_column(row: list[tuple[int, list[str]]], column: int, text: str) -> bool:
    """A wrapped cell's rest fits under its cell: it does not run past the next column (a body
    line right after a table, 「…フォーラムは、「…」をテーマに」, runs across them)."""
    after = [c for c, _ in row if c > column + CELL_COLUMN_SLACK]
    return not after or column + len(text) <= min(after) + CELL_COLUMN_SLACK


_OPENERS, _CLOSERS = "（(「『【〔", "）)」』】〕"
# A row never starts with a particle: 「の居場所づくり・全３回）」 is the rest of the cell above.
_PARTICLE_START = re.compile(r"[のをにがはとやへでも](?![\u3041-\u3096])")
# Characters no Japanese word starts with (ン, small kana, the long-vowel mark, closing marks):
# a piece starting with one is the rest of a word cut at the cell's edge.
_NO_WORD_START = re.compile(r"[んンぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー、。，．）」』】〕]")


def _opens(text: str) -> bool:
    return sum(text.count(c) for c in _OPENERS) > sum(text.count(c) for c in _CLOSERS)


def _under_its_cells(row: list[tuple[int, list[str]]], cells: list[tuple[int, str]]) -> bool:
    """Every piece starts where a cell of the row starts (a wrapped cell goes on left-aligned)."""
    starts = [c for c, _ in row]
    return all(any(abs(column - s) <= CELL_COLUMN_SLACK for s in starts) for column, _ in cells)


def _continues(row: list[tuple[int, list[str]]], cells: list[tuple[int, str]]) -> bool:
    """Whether a line holds the rest of the row's wrapped cells: fewer cells than the row and
    one of the signs below, or as many cells, each under a cell of the row, closing a bracket
    the cell above left open or starting with a particle (several cells wrapped at once:
    「あさぎり協働塾（第７期 | … | 市民活動支援センター「」 / 「・全６回） | … | つなぐば」」)."""
    first_column, first = cells[0]
    if not all(_fits_its_column(row, column, text) for column, text in cells):
        return False
    if len(cells) > len(row):
        return False

    def above(column: int) -> str:
        return "".join(min(row, key=lambda c: abs(c[0] - column))[1])

    closes = any(_opens(above(column)) and any(c in text for c in _CLOSERS) for column, text in cells)
    if _under_its_cells(row, cells) and any(_NO_WORD_START.match(text) for _, text in cells):
        return True  # 「…ガイドライ」 / 「ンを令和８年度に改訂します。」: no word starts with ン
    if len(cells) < len(row):
        if first_column > row[0][0] + CELL_COLUMN_SLACK or _KANA_TAIL.fullmatch(first):
            return True
        if len(cells) == 1 and closes:  # 「…管理運営事業（指定管」 / 「理料）」
            return True
    return _under_its_cells(row, cells) and (closes or bool(_PARTICLE_START.match(first)))


# 「－ 3 －」「- 12 -」「3 / 6」: a page number, never the rest of a cell.
_PAGE_NUMBER = re.compile(r"[-－‐―−]?\s*\d{1,3}\s*(?:[-－‐―−]|/\s*\d{1,3})?")
FULL_CELL_CHARS = 6  # a first cell this long that fills its column's width may have wrapped


def _wraps_full_cell(row: list[tuple[int, list[str]]], cells: list[tuple[int, str]], width: int, right_after: bool) -> bool:
    """「協働のまちフェスタ開 | 2,400 | …」 then 「催事業」: a first cell as wide as the widest first
    cell of its table (the column's width: the text reached it and went on), continued right on
    the next line by one short piece under it, with no mark that starts something new."""
    first = "".join(row[0][1])
    column, text = cells[0]
    return (
        right_after and len(cells) == 1 and len(row) >= 2 and abs(column - row[0][0]) <= CELL_COLUMN_SLACK
        and len(first) >= FULL_CELL_CHARS and len(first) == width and len(text) <= width
        and not re.search(r"[\s。：:※＊*]", text) and not re.match(r"[\d０-９(（①-⑳第]", text)
    )


_Row = list[tuple[int, list[str]]]  # a table row's cells: (column, pieces)


def _add_cells(row: _Row, cells: list[tuple[int, str]]) -> None:
    """Each piece goes to the cell it stands under, or opens a cell of its own in its column."""
    for column, text in cells:
        near = [c for c in row if abs(c[0] - column) <= CELL_COLUMN_SLACK]
        if near:
            near[0][1].append(text)
        else:
            row.append((column, [text]))
    row.sort(key=lambda c: c[0])


def _starts_row(table: _Row, cells: list[tuple[int, str]]) -> bool:
    """A line of cells beginning in the table's first column: a row (or a row's line) of its own."""
    return len(cells) >= 2 and abs(cells[0][0] - table[0][0]) <= CELL_COLUMN_SLACK


class _Layout:
    """Lines of a laid-out PDF page put back together: table rows (cells apart) and plain lines."""

    def __init__(self) -> None:
        self.out: list[_Row | str] = []
        self.row: _Row | None = None  # the last row
        self.table: _Row | None = None  # the last row of the table in force, across a label line
        self.width = 0  # the widest first cell of the current table
        self.right_after = False  # no blank line since the last row or its continuation
        self.blank = False  # a blank line just before this one
        # A row's top lines (the first after a blank line), held until the line that completes it.
        self.held: list[list[tuple[int, str]]] = []

    def line(self, cells: list[tuple[int, str]]) -> None:
        if not cells:
            self._release()
            self.out.append("")
            self.right_after, self.blank = False, True
            return
        after_blank, self.blank = self.blank, False
        is_page_number = len(cells) == 1 and bool(_PAGE_NUMBER.fullmatch(cells[0][1]))
        table = self.table
        if self.held and not is_page_number and table is not None:
            # A row whose short cells sit lower than its long ones (centred or bottom-aligned):
            # its top lines lack some of the table's columns; the first line with a cell in the
            # table's first column and another cell completes it. Top lines in the first column
            # alone could be a label above a table, so the line completing them must be laid
            # out as the table is.
            first_alone = any(abs(c[0][0] - table[0][0]) <= CELL_COLUMN_SLACK for c in self.held)
            under = _under_its_cells(table, cells)
            completes = _starts_row(table, cells) and (under or not first_alone)
            lacks_first = cells[0][0] > table[0][0] + CELL_COLUMN_SLACK  # a column a merged header hid
            if completes or lacks_first or (under and len(cells) < len(table)):
                self.held.append(cells)
                if completes:
                    top: _Row = []
                    for piece in self.held:
                        _add_cells(top, piece)
                    self.held = []
                    self.row = self.table = top
                    self.right_after = True
                    self.width = max(self.width, len("".join(top[0][1])))
                    self.out.append(top)
                return
        self._release()
        table = self.table
        if (table is not None and after_blank and not is_page_number and len(cells) < len(table)
                and _under_its_cells(table, cells) and not _starts_row(table, cells)):
            # After the gap between rows, a line with fewer cells than the table, each under a
            # column, may be the top of the next row (「第２章 現状と | 高齢者の… | 担い手の…」
            # over 「1 | 課題 | 手の不足… | 員の登録… | 修正」; 「地域交流拠点「み」 over
            # 「なとハウス」の利 | 8,200人 | …」): held until that row's line comes.
            self.held = [cells]
            return
        self._place(cells, after_blank, is_page_number)

    def _release(self) -> None:
        """Held lines that never met their row's line are read one by one, as any line is."""
        held, self.held = self.held, []
        for i, cells in enumerate(held):
            self._place(cells, i == 0, False)

    def _place(self, cells: list[tuple[int, str]], after_blank: bool, is_page_number: bool) -> None:
        row = self.row
        if row is not None and not is_page_number and (
                _continues(row, cells) or _wraps_full_cell(row, cells, self.width, self.right_after)):
            for column, text in cells:  # 「サロ」 / 「ン」: the rest of a wrapped cell
                nearest = min(row, key=lambda c: abs(c[0] - column))
                nearest[1].append(text)
            self.right_after = False  # a cell wraps onto one line here; more would be a bracket's
            return
        if len(cells) >= 2:
            self.width = max(self.width, len(cells[0][1])) if row is not None or after_blank else len(cells[0][1])
            self.row = self.table = [(column, [text]) for column, text in cells]
            self.out.append(self.row)
            self.right_after = True
        else:
            self.row, self.width, self.right_after = None, 0, False
            if self.table is not None and not _under_its_cells(self.table, cells):
                self.table = None  # text across the page: the table has ended
            self.out.append(cells[0][1])

    def text(self) -> str:
        self._release()
        out = self.out
        lines = ["\t".join("".join(p) for _, p in item) if isinstance(item, list) else item for item in out]
        # Rows of one table separated by blank lines stay one table (its header row applies to all).
        kept: list[str] = []
        for i, text in enumerate(lines):
            if not text and kept and "\t" in kept[-1] and "\t" in next((t for t in lines[i + 1 :] if t), ""):
                continue
            kept.append(text)
        return _BLANKS.sub("\n\n", "\n".join(kept)).strip("\n")


VERTICAL_LINES = 30  # a page whose plain text runs this many lines or more ...
VERTICAL_SHARE = 0.6  # ... most of them one character long is set in vertical writing (縦書き)
_VERTICAL_FORMS = re.compile(r"[\ufe10-\ufe19\ufe30-\ufe4f]")  # 「︑」「︒」「﹁」: 、。「 as set vertically


def _vertical_text(plain: str) -> str | None:
    """A page set in vertical writing (a 広報紙's column), read in its own order: the plain
    extraction gives one character per line, column after column; they join back into
    sentences, and a line of several characters (a horizontal header or box) stays a line.
    None for a page set horizontally."""
    lines = plain.split("\n")
    filled = [line for line in lines if line.strip()]
    if len(filled) < VERTICAL_LINES or sum(len(line.strip()) <= 2 for line in filled) < VERTICAL_SHARE * len(filled):
        return None
    out: list[str] = []
    run = ""
    for line in lines:
        text = line.strip()
        if 0 < len(text) <= 2:
            run += text
            continue
        if run:
            out.append(run)
            run = ""
        if text:
            out.append(text)
    if run:
        out.append(run)
    return _VERTICAL_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), "\n".join(out))


def _page_text(page) -> str:  # type: ignore[no-untyped-def]
    """A PDF page's text as laid out: a table row stays on one line with its cells apart (a tab
    between cells, as a table row is written elsewhere), a cell wrapped onto the next line is
    joined back to its cell by column, a wrapped sentence keeps its line breaks (the chunker
    joins them), indentation goes. A page in vertical writing is read column by column."""
    plain = _plain_lines(page)
    vertical = _vertical_text(plain)
    if vertical is not None:
        return _HYPHEN_WRAP.sub("", vertical)
    try:
        raw = layout_text(page)  # a page set in columns is read column by column
    except Exception as exc:  # pypdf's own layout mode, then plain text, as the page allows
        log.debug("column-aware layout failed: %r", exc)
        try:
            raw = page.extract_text(extraction_mode="layout") or ""
        except Exception:  # some pages only extract plainly
            raw = page.extract_text() or ""
    layout = _Layout()
    for line in _normalise_newlines(raw).split("\n"):
        layout.line(_as_prose([(m.start(), m.group()) for m in _CELL.finditer(line)], plain))
    return _HYPHEN_WRAP.sub("", layout.text())


# 「電話 092-」 / 「555-7021（月曜休館）」: a telephone or postal number wrapped at its hyphen; read
# apart, its second half looks like a numbered item of its own.
_HYPHEN_WRAP = re.compile(r"(?<=\d[-‐－−])\n(?=\d)")


PROSE_MIN_CHARS = 12  # shorter runs (「合計 6,522,550」) may be a row written as one line


def _plain_lines(page) -> str:  # type: ignore[no-untyped-def]
    """The page's plain extraction ("" if it fails)."""
    try:
        return _normalise_newlines(page.extract_text() or "")
    except Exception:
        return ""


def _as_prose(cells: list[tuple[int, str]], plain: str) -> list[tuple[int, str]]:
    """A justified line of prose laid out with wide gaps (「財源は、一般財  源の  ほか、県」)
    is one sentence, not table cells: the plain extraction writes it as one run on one line,
    where a table's cells stand on lines of their own or with spaces between them."""
    if len(cells) < 2:
        return cells
    joined = "".join(text for _, text in cells)
    if len(joined) < PROSE_MIN_CHARS or joined not in plain:
        return cells
    return [(cells[0][0], joined)]


PDF_BROKEN = (
    "PDFを読み込めませんでした（壊れているか途中で切れています）。元のPDFをもう一度保存（またはダウンロード）して置き直してください。"
)


def _all_pages_failed(pages: list) -> bool:  # type: ignore[type-arg]
    """True when no page can even be parsed (a truncated file), as opposed to image-only pages."""
    for page in pages:
        try:
            page.get_contents()
            return False
        except Exception:
            continue
    return True


def _decrypt_pdf(reader: PdfReader, source: str) -> None:
    # Many "protected" PDFs only restrict editing and open with an empty password.
    try:
        opened = bool(reader.decrypt(""))
    except Exception:  # e.g. AES without the optional crypto library
        opened = False
    if not opened:
        raise DocumentLoadError(source, "PDFにパスワードが設定されている（暗号化されている）ため読み込めませんでした")


_DOCX_HEADING = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.IGNORECASE)


def _docx_heading_level(style_name: str) -> int | None:
    if style_name.lower() == "title":
        return 1
    match = _DOCX_HEADING.match(style_name.strip())
    return min(int(match.group(1)), 6) if match else None


MAX_DOCX_XML_BYTES = 200 * 1024 * 1024  # a real plan's XML is a few MB; a zip bomb expands to GBs


def _docx_expanded_xml(data: bytes) -> int:
    """Bytes the .docx's XML parts expand to (the zip directory's sizes, which zipfile enforces)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(i.file_size for i in archive.infolist() if i.filename.lower().endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, ValueError, OSError):
        return 0  # not a zip at all: python-docx reports it below


def _extract_docx(data: bytes, source: str) -> _Extracted:
    import docx
    from docx.table import Table

    if _docx_expanded_xml(data) > MAX_DOCX_XML_BYTES:
        raise DocumentLoadError(
            source,
            f"Wordファイル（.docx）の中身が展開すると {MAX_DOCX_XML_BYTES // (1024 * 1024)} MB を超えるため読み込みませんでした。"
            "文書を分割するか、PDF にして置き直してください。",
        )
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        title: str | None = None
        heading1: str | None = None
        numbering = Numbering.of(document)
        footnotes = _docx_footnotes(document)
        # iter_inner_content walks the body XML in order, so tables stay between their paragraphs.
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(_docx_table_blocks(item))
                continue
            label = numbering.label(item)  # (an empty numbered paragraph still takes its number)
            text = _normalise_newlines(_docx_text(item))
            extras = _docx_anchored(item, footnotes)
            if not text.strip():
                blocks.extend(extras)
                continue
            text = label + text
            style = (item.style.name if item.style is not None else None) or ""
            level = _docx_heading_level(style)
            if level is None:
                blocks.append(text)
                blocks.extend(extras)
                continue
            heading = " ".join(text.split())
            blocks.append("#" * level + " " + heading)
            blocks.extend(extras)
            if style.lower() == "title":
                title = title or heading
            elif level == 1:
                heading1 = heading1 or heading
        blocks.extend(_docx_margins(document, blocks))
    except Exception as exc:  # zip, XML and package errors all mean the same to staff
        log.warning("%s: python-docx failed: %r", source, exc)
        raise DocumentLoadError(
            source,
            "Wordファイル（.docx）が壊れているか別の形式のため読み込めませんでした。Word で開いて .docx として保存し直してください。",
        ) from exc
    if not blocks:
        raise DocumentLoadError(source, "本文のテキストが見つかりませんでした（ファイルが空です）")
    return _Extracted("\n\n".join(blocks), title or heading1)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_PAGE_NUMBER = re.compile(r"^[\s\-－―‐ー−0-9０-９/／ページPp.]*$")


_REVISED_AWAY = (f"{_W}del", f"{_W}moveFrom")  # tracked deletions and the old place of a move
_P = f"{_W}p"


def _docx_text(paragraph: object) -> str:
    """A paragraph's text as it now stands. python-docx reads only the runs directly in the
    paragraph, so a revision left unaccepted (a 要綱 whose 上限額 was changed with track changes
    on) would lose its inserted text; here every run of the paragraph counts (inserted, moved
    to, in a hyperlink, field or content control) but those of a deletion or of the old place
    of a move, and not those of a text box inside it (read as a box of its own)."""
    p = paragraph._p  # type: ignore[attr-defined]
    parts: list[str] = []
    for run in p.iter(f"{_W}r"):
        ancestor = run.getparent()
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in _REVISED_AWAY or ancestor.tag == _P or ancestor.tag == _MC_FALLBACK:
                break
            ancestor = ancestor.getparent()
        if ancestor is p:
            parts.append(run.text)
    return "".join(parts)


def _in_fallback(element: object) -> bool:
    """Whether an element sits in the fallback copy Word keeps of a drawing (VML): read once."""
    return any(a.tag == _MC_FALLBACK for a in element.iterancestors())  # type: ignore[attr-defined]


def _docx_footnotes(document: object) -> dict[str, str]:
    """The text of each footnote, by its id (the separators Word keeps as ids -1 and 0 left out)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    for rel in document.part.rels.values():  # type: ignore[attr-defined]
        if rel.reltype != RT.FOOTNOTES or rel.is_external:
            continue
        root = etree.fromstring(rel.target_part.blob)
        notes = {}
        for note in root.iter(f"{_W}footnote"):
            text = " ".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in note.iter(f"{_W}p")).strip()
            if text:
                notes[note.get(f"{_W}id")] = text
        return notes
    return {}


def _docx_anchored(paragraph: object, footnotes: dict[str, str]) -> list[str]:
    """What a paragraph carries besides its runs' text: the text boxes anchored in it (a 概要版
    of floating boxes holds its facts there), a figure's alt text, and the footnotes it refers
    to (「※…」), each as a block after it."""
    from docx.text.paragraph import Paragraph

    p = paragraph._p  # type: ignore[attr-defined]
    blocks: list[str] = []
    for box in p.iter(f"{_W}txbxContent"):
        if _in_fallback(box):
            continue
        lines = [" ".join(_normalise_newlines(_docx_text(Paragraph(q, paragraph))).split("\n")).strip()  # type: ignore[arg-type]
                 for q in box.iter(f"{_W}p")]
        if any(lines):
            blocks.append("\n".join(line for line in lines if line))
    for shape in p.iter(_DOC_PR):
        alt = " ".join((shape.get("descr") or "").split())
        if len(alt) >= IMAGE_ALT_CHARS and not _in_fallback(shape):
            blocks.append(alt)
    for ref in p.iter(f"{_W}footnoteReference"):
        note = footnotes.get(ref.get(f"{_W}id"))
        if note:
            blocks.append(f"※{note}")
    return blocks


def _docx_margins(document: object, body: list[str]) -> list[str]:
    """The page headers' and footers' text (a 担当課 and its telephone number printed at the foot
    of every page), once each, not a bare page number nor a line the body already holds."""
    seen = set("\n".join(body).split("\n"))
    out: list[str] = []
    for section in document.sections:  # type: ignore[attr-defined]
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer,
                     section.even_page_footer):
            if part.is_linked_to_previous:
                continue  # no text of its own (the section before's, read already, or none)
            for paragraph in part.paragraphs:
                text = " ".join(_normalise_newlines(_docx_text(paragraph)).split("\n")).strip()
                if text and not _PAGE_NUMBER.match(text) and text not in seen:
                    seen.add(text)
                    out.append(text)
    return ["\n".join(out)] if out else []


BOX_HEADING_CHARS = 40  # a bold first line longer than this is text, not a box's title


def _docx_table_blocks(table: Table) -> list[str]:
    """A table as text blocks. A data table gives its rows, cells joined by tabs. A table used
    as boxes on a page (a 概要版 laid out in frames: one cell, a table inside a cell, or every
    cell holding a title and lines of its own) gives each cell's paragraphs as lines, a bold
    title as a heading, and the tables inside as tables: read as a row, a box's lines and the
    table in it would run together or be lost."""
    from docx.table import Table

    if not _is_layout(table):
        rows = ["\t".join(_docx_cells(row)) for row in table.rows]
        return ["\n".join(rows)] if any(r.strip() for r in rows) else []
    blocks: list[str] = []
    seen: list[object] = []
    for row in table.rows:
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                continue  # a merged cell comes once per grid column it spans
            seen.append(cell._tc)
            lines: list[str] = []
            for inner in cell.iter_inner_content():
                if isinstance(inner, Table):
                    if lines:
                        blocks.append("\n".join(lines))
                        lines = []
                    blocks.extend(_docx_table_blocks(inner))
                    continue
                text = " ".join(_normalise_newlines(_docx_text(inner)).split("\n")).strip()
                if not text:
                    continue
                if not lines and _is_bold(inner) and len(text) <= BOX_HEADING_CHARS:
                    blocks.append("### " + " ".join(text.split()))
                    continue
                lines.append(text)
            if lines:
                blocks.append("\n".join(lines))
    return blocks


def _is_layout(table: Table) -> bool:
    cells = [c for row in table.rows for c in row.cells]
    if len(cells) == 1 or any(c.tables for c in cells):
        return True
    return all(sum(1 for p in c.paragraphs if _docx_text(p).strip()) >= 2 for c in cells)


def _is_bold(paragraph: object) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]  # type: ignore[attr-defined]
    return bool(runs) and all(r.bold for r in runs)


def _docx_cells(row: _Row) -> Iterator[str]:
    seen: list[object] = []  # holding the elements keeps lxml proxies (and identities) stable
    for cell in row.cells:
        # A merged cell is returned once per grid column it spans; emit it once.
        if any(cell._tc is tc for tc in seen):
            continue
        seen.append(cell._tc)
        yield " ".join(_normalise_newlines("\n".join(_docx_text(p) for p in cell.paragraphs)).split("\n")).strip()


# HTML ------------------------------------------------------------------------

IMAGE_ALT_CHARS = 12  # an image's alt text this long describes a figure; shorter ones name an icon
# A ruby reading (<rt>, with its <rp> brackets) glosses the word it is set over; the text is
# the word (「協働（きょうどう）の」 would split the phrase staff ask by).
_HTML_DROP = {"script", "style", "nav", "noscript", "template", "head", "iframe", "rt", "rp"}
_HTML_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "table", "thead",
    "tbody", "tfoot", "ul", "ol", "dl", "dt", "dd", "blockquote", "figure", "figcaption",
    "address", "form", "fieldset", "caption", "hr", "body", "html", "details", "summary",
}
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t\f]*\n[ \t\n\f]*(?=[{_WIDE}])")
# Only ASCII whitespace is markup layout; U+3000 and &nbsp; are content and are kept.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _collapse(text: str) -> str:
    # Like a browser: a line break inside Japanese text disappears, other layout whitespace
    # becomes one space (CSS Text 3 segment-break rule).
    return _HTML_SPACE.sub(" ", _CJK_BREAK.sub("", text))


class _HtmlText:
    """Walks the HTML tree, emitting one line per block, list item, table row or <br>."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.prev_kind = ""
        self.current: list[str] = []
        self.current_kind = "block"

    def emit(self, line: str, kind: str) -> None:
        if not line.strip() or line.strip() == "・":
            return
        if self.out:  # rows, items and <br> lines stay together; blocks get a blank line
            tight = kind == "br" or (kind == self.prev_kind and kind in ("li", "tr", "dd"))
            self.out.append("\n" if tight else "\n\n")
        self.out.append(line)
        self.prev_kind = kind

    def flush(self, next_kind: str = "block") -> None:
        line = _collapse("".join(self.current)).strip(" ")
        self.emit(line, self.current_kind)
        self.current = []
        self.current_kind = next_kind

    def walk(self, node: object) -> None:
        from bs4.element import NavigableString, PreformattedString, Tag

        for child in node.children:  # type: ignore[attr-defined]
            if isinstance(child, PreformattedString):  # comments, doctype, CDATA
                continue
            if isinstance(child, NavigableString):
                self.current.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in _HTML_DROP:
                continue
            name = child.name
            if name == "br":
                self.flush("br")
            elif re.fullmatch(r"h[1-6]", name):
                self.flush()
                heading = _collapse(child.get_text()).strip()
                if heading:
                    self.emit("#" * int(name[1]) + " " + heading, "block")
            elif name == "tr":
                self.flush()
                cells = child.find_all(["td", "th"], recursive=False)
                self.emit("\t".join(_collapse(c.get_text(" ")).strip() for c in cells), "tr")
            elif name == "li":
                self.flush("li")
                self.current.append(self._item_mark(child))
                self.walk(child)
                self.flush()
            elif name == "dl":
                self.flush()
                self._definitions(child)
                self.flush()
            elif name == "img":
                # 「図1 協働事業件数の推移…令和2年度44件、…」: a figure's alt text says what the
                # picture shows; a short one (「PDF」「ロゴ」) labels an icon.
                alt = _collapse(str(child.get("alt") or "")).strip()
                if len(alt) >= IMAGE_ALT_CHARS:
                    self.flush()
                    self.emit(alt, "block")
            elif name == "svg":
                lines = _svg_lines(child)
                if lines:  # (an icon says nothing, and its line runs on)
                    self.flush()
                    for line in lines:
                        self.emit(line, "block")
            elif name == "pre":
                self.flush()
                self.emit(child.get_text().strip("\n"), "block")
            elif name in _HTML_BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)  # inline element: its text joins the current line

    def _definitions(self, dl: object) -> None:
        """A definition list, one line per description with its term before it (「講師：桂木
        直人さん」): a browser shows the term above, yet the pair is one statement, and a term
        read alone (「講師」) answers nothing."""
        from bs4.element import Tag

        assert isinstance(dl, Tag)
        term: str | None = None
        described = False
        for item in dl.find_all(["dt", "dd"]):
            if item.find_parent("dl") is not dl:
                continue  # a nested list's own terms are read with their description
            if item.name == "dt":
                if term and not described:
                    self.emit(term, "dd")
                term, described = _collapse(item.get_text(" ")).strip(), False
                continue
            self.flush("dd")
            if term:
                self.current.append(f"{term}：")
            described = True
            self.walk(item)
            self.flush("dd")
        if term and not described:
            self.emit(term, "dd")

    @staticmethod
    def _item_mark(item: object) -> str:
        """A list item's mark, 「・」, indented one full-width space per level of nesting so that
        an item's sub-items stay apart from the items after it. (Not a browser's 「1.」 for an
        ordered list: 「1. …」 reads as a numbered heading.)"""
        from bs4.element import Tag

        assert isinstance(item, Tag)
        depth = sum(1 for p in item.parents if isinstance(p, Tag) and p.name in ("ol", "ul"))
        return "\u3000" * max(0, depth - 1) + "・"

    def text(self) -> str:
        self.flush()
        return "".join(self.out)


_SVG_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SVG_SAME = 1.0  # user units within which labels stand in one column or row of a chart


def _svg_coordinate(tag: object, name: str) -> float | None:
    m = _SVG_NUMBER.search(str(tag.get(name) or ""))  # type: ignore[attr-defined]
    return float(m.group()) if m else None


def _is_scale(labels: list[str]) -> bool:
    """「0 50 100 150」: an axis's tick labels, evenly spaced numbers, not a chart's values."""
    values = [float(v.replace(",", "")) for v in labels if re.fullmatch(r"-?[\d,]+(?:\.\d+)?", v)]
    if len(values) < 3 or len(values) < len(labels):
        return False
    steps = {round(b - a, 6) for a, b in zip(sorted(values), sorted(values)[1:])}
    return len(steps) == 1


def _svg_lines(svg: object) -> list[str]:
    """An inline SVG chart as lines: its title, then one line per bar (the labels standing in
    one column, read bottom up: 「令和5年度 110」, or in one row, left to right, for a chart
    drawn sideways), each after the axis title written turned on its side (「登録団体数（団体）」).
    A chart's figures are often only these labels; an icon's short title says nothing."""
    from bs4.element import Tag

    assert isinstance(svg, Tag)
    lines: list[str] = []
    for name in ("title", "desc"):
        node = svg.find(name)
        said = _collapse(node.get_text(" ")).strip() if node else ""
        if len(said) >= IMAGE_ALT_CHARS:
            lines.append(said)
    axis: list[str] = []
    placed: list[tuple[float, float, str]] = []
    loose: list[str] = []
    for node in svg.find_all("text"):
        label = _collapse(node.get_text(" ")).strip()
        if not label:
            continue
        x, y = _svg_coordinate(node, "x"), _svg_coordinate(node, "y")
        if "rotate" in str(node.get("transform") or ""):
            axis.append(label)
        elif x is None or y is None:
            loose.append(label)
        else:
            placed.append((x, y, label))

    def groups(key: int) -> list[list[tuple[float, float, str]]]:
        out: list[list[tuple[float, float, str]]] = []
        for item in sorted(placed, key=lambda t: (t[key], t[1 - key])):
            if out and abs(out[-1][0][key] - item[key]) <= _SVG_SAME:
                out[-1].append(item)
            else:
                out.append([item])
        return out

    columns = groups(0)
    if sum(len(g) >= 2 for g in columns) >= 2:
        bars = [[t[2] for t in sorted(g, key=lambda t: -t[1])] for g in columns]  # bottom up
    else:
        bars = [[t[2] for t in sorted(g, key=lambda t: t[0])] for g in groups(1)]  # left to right
    head = " ".join(axis)
    for labels in bars:
        if _is_scale(labels):
            continue
        lines.append(" ".join(([head] if head else []) + labels))
    if loose:
        lines.append(" ".join(loose))
    return lines


def _extract_html(data: bytes, source: str) -> _Extracted:
    from bs4 import BeautifulSoup

    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    markup = _normalise_newlines(decode_bytes(data, source, declared.group(1).decode("ascii") if declared else None))
    soup = BeautifulSoup(markup, "lxml")
    page_title = _collapse(soup.title.get_text()).strip() if soup.title else ""
    h1 = soup.find("h1")
    walker = _HtmlText()
    walker.walk(soup.body or soup)
    text = walker.text()
    if not text.strip():
        raise DocumentLoadError(source, "本文のテキストが見つかりませんでした（ファイルが空です）")
    title = page_title or (_collapse(h1.get_text()).strip() if h1 else "") or None
    return _Extracted(text, title)


# ---------------------------------------------------------------------------- public API


def _extract(sf: SourceFile) -> _Extracted:
    suffix = sf.path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "拡張子なし"
        raise DocumentLoadError(sf.source, f"対応していない形式です（{shown}）。対応形式: {', '.join(SUPPORTED_SUFFIXES)}")
    if sf.refusal:
        raise DocumentLoadError(sf.source, sf.refusal)
    try:
        data = sf.path.read_bytes()
    except PermissionError as exc:
        raise DocumentLoadError(sf.source, "ファイルを読む権限がないため読み込めませんでした。ファイルの権限を確認してください。") from exc
    except OSError as exc:
        log.warning("%s: cannot read: %r", sf.source, exc)
        raise DocumentLoadError(sf.source, "ファイルを開けませんでした。ファイルが壊れていないか、別のプログラムが使っていないかを確認してください。") from exc
    if not data.strip():
        raise DocumentLoadError(sf.source, "ファイルが空です")
    if suffix == ".pdf":
        return _extract_pdf(data, sf.source)
    if suffix == ".docx":
        return _extract_docx(data, sf.source)
    if suffix in (".html", ".htm"):
        return _extract_html(data, sf.source)
    return _extract_plain(data, sf.source, markdown=suffix == ".md")


def load_document(sf: SourceFile, catalog: Catalog | None = None) -> LoadedDocument:
    """Extract a file's text; title and city come from the catalog, else from the text.

    Raises DocumentLoadError (with a Japanese reason) when the file cannot be read, and
    only that: callers need catch nothing else.
    """
    catalog = catalog or {}
    try:
        extracted = _extract(sf)
    except DocumentLoadError:
        raise
    except Exception as exc:  # a parser bug on one odd file must surface as a per-file failure
        log.exception("%s: unexpected error while loading", sf.source)
        raise DocumentLoadError(
            sf.source,
            f"読み込み中に予期しないエラー（{type(exc).__name__}）が発生しました。別の形式で保存し直すか、管理者に連絡してください。",
        ) from exc
    entry = catalog.get(sf.source)
    title = (entry.title if entry else None) or _trim_title(
        _strip_heading_marks(extracted.title or _first_line(extracted.text) or "") or Path(sf.source).stem
    )
    city = entry.city if entry and entry.city else guess_city(title, known_cities(catalog))
    return LoadedDocument(
        source=sf.source,
        text=extracted.text.translate(_RADICALS),
        title=title.translate(_RADICALS),
        city=city,
        content_hash=sf.content_hash,
        pages=extracted.pages,
    )


def load_corpus(corpus_dir: Path) -> tuple[list[LoadedDocument], list[LoadFailure]]:
    """Load every file of the corpus; a broken file becomes a LoadFailure, never an exception.

    A malformed catalog.yaml is reported as a failure too and the files load without
    metadata, so one typo in the catalog does not take the whole assistant down.
    """
    failures: list[LoadFailure] = []
    try:
        checked = read_catalog(Path(corpus_dir))
        catalog = checked.entries
        if checked.problems:
            failures.append(LoadFailure(CATALOG_FILE, "\n".join(checked.problems)))
    except ValueError as exc:
        catalog = {}
        failures.append(LoadFailure(CATALOG_FILE, str(exc)))
    documents: list[LoadedDocument] = []
    for sf in scan_corpus(Path(corpus_dir), catalog):
        try:
            documents.append(load_document(sf, catalog))
        except DocumentLoadError as exc:
            failures.append(LoadFailure(sf.source, exc.reason))
    return documents, failures
