"""Loader tests on real files written to tmp_path (no mocks)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from assistant.catalog import CatalogEntry, known_cities, load_catalog
from assistant.loaders import (
    SUPPORTED_SUFFIXES,
    DocumentLoadError,
    SourceFile,
    guess_city,
    load_corpus,
    load_document,
    scan_corpus,
)

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO / "corpus"

JA_LONG = (
    "山口市協働推進プランは、地域づくりへの参画の意識づくりを基本施策の一つとしています。\n"
    "令和６年度は、地域の情報発信の強化として①広報紙の発行、②ホームページの更新を行いました。\n"
    "参加者数は延べ１，２３４人で、前年度より増加しています。\n"
)


def _write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def _load(path: Path, catalog: dict[str, CatalogEntry] | None = None):
    """Load one file through the public API, as the indexer does."""
    catalog = catalog or {}
    [sf] = [f for f in scan_corpus(path.parent, catalog) if f.path == path]
    return load_document(sf, catalog)


def _load_error(path: Path) -> DocumentLoadError:
    with pytest.raises(DocumentLoadError) as info:
        _load(path)
    assert info.value.source == path.name
    return info.value


# ---------------------------------------------------------------------- plain text


def test_utf8_txt_kept_verbatim_with_newlines_normalised(tmp_path: Path) -> None:
    raw = "\ufeff岩国市地域づくり協働推進計画\r\n\r\n　全角スペースと  半角スペース\r最後の行"
    doc = _load(_write(tmp_path / "a.txt", raw))
    assert doc.text == "岩国市地域づくり協働推進計画\n\n　全角スペースと  半角スペース\n最後の行"
    assert doc.title == "岩国市地域づくり協働推進計画"
    assert doc.city == "岩国市"
    assert doc.pages == ()
    assert doc.page_at(0) is None


@pytest.mark.parametrize(
    "text",
    [
        JA_LONG,
        "①地域づくり　２０２４年",  # short: generic detectors mis-guess these
        "テスト",
        "地域",
        "○",
        "→",
        "※注",
    ],
)
def test_shift_jis_txt(tmp_path: Path, text: str) -> None:
    doc = _load(_write(tmp_path / "sjis.txt", text, "cp932"))
    assert doc.text == text


@pytest.mark.parametrize("text", [JA_LONG.replace("①", "（１）").replace("②", "（２）"), "日本", "協働推進課", "働", "7年", "◎"])
def test_euc_jp_txt(tmp_path: Path, text: str) -> None:
    doc = _load(_write(tmp_path / "euc.txt", text, "euc_jp"))
    assert doc.text == text


def test_a_table_laid_out_with_spaces_in_a_txt_reads_as_rows_of_cells(tmp_path: Path) -> None:
    """Statistics typed for a fixed-width font: each row's cells, split at gaps of two spaces or
    more, are joined by tabs (a table the answer reads with its column names); prose, a line of
    two cells and words split by one full-width space stay as written."""
    text = ("峰岡市　協働事業件数の推移\n\n"
            "分野                 令和4  令和5  令和6\n"
            "----------------------------------------\n"
            "福祉・健康              14     15     16\n"
            "環境                     7      8      9\n"
            "----------------------------------------\n"
            "計                      21     23     25\n\n"
            "第１　趣旨　この表は、各年度に実施した協働事業の数を示す。\n"
            "担当  市民協働課\n")
    doc = _load(_write(tmp_path / "suii.txt", text, "cp932"))
    lines = doc.text.split("\n")
    assert "分野\t令和4\t令和5\t令和6" in lines and "環境\t7\t8\t9" in lines and "計\t21\t23\t25" in lines
    assert "第１　趣旨　この表は、各年度に実施した協働事業の数を示す。" in lines and "担当  市民協働課" in lines
    md = _load(_write(tmp_path / "plan.md", "# 計画\n\n分野   令和4   令和5\nA   1   2\nB   3   4\n"))
    assert "\t" not in md.text  # Markdown keeps its own spacing (a code block, an aligned list)


def test_markdown_heading_is_title_fallback(tmp_path: Path) -> None:
    text = "(案)\n\n## 目次\n\n# 一関市協働推進計画\n\n本文です。\n"
    doc = _load(_write(tmp_path / "plan.md", text))
    assert doc.text == text
    assert doc.title == "一関市協働推進計画"
    assert doc.city == "一関市"


def test_title_falls_back_to_first_line_trimmed(tmp_path: Path) -> None:
    doc = _load(_write(tmp_path / "long.txt", "\n\n  " + "あ" * 100 + "\n本文"))
    assert len(doc.title) <= 80
    assert doc.title.startswith("あああ")
    assert doc.city is None


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t "])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    err = _load_error(_write(tmp_path / "empty.txt", content))
    assert "空" in err.reason


def test_unsupported_suffix_is_reported_with_supported_formats(tmp_path: Path) -> None:
    err = _load_error(_write(tmp_path / "table.xlsx", b"PK\x03\x04 not really"))
    assert ".xlsx" in err.reason
    assert all(suffix in err.reason for suffix in SUPPORTED_SUFFIXES)


# ---------------------------------------------------------------------- PDF


def _pdf(pages: list[list[str]]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for lines in pages:
        c.setFont("HeiseiKakuGo-W5", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 750 - 20 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_radical_code_points_in_a_pdf_text_layer_read_as_kanji(tmp_path: Path) -> None:
    # Some fonts map ordinary kanji to radical code points (U+2F47 for 日, U+2EA0 for 民).
    # (and the middle dot 「・」 to U+2027)
    doc = _load(_write(tmp_path / "leaflet.pdf", _pdf([["\u2f47曜\u2f47は休館", "市\u2ea0活動センター", "福祉\u2027健康"], ["2ページ"]])))
    assert "日曜日は休館" in doc.text and "市民活動センター" in doc.text and "福祉・健康" in doc.text
    assert "\u2f47" not in doc.text and "\u2ea0" not in doc.text and "\u2027" not in doc.text
    second = doc.pages[1]
    assert doc.text[second.start : second.end].strip().startswith("2ページ")  # one character for one: offsets hold


def test_japanese_pdf_pages_and_offsets(tmp_path: Path) -> None:
    page1 = ["山口市協働推進プラン", "令和６年度の事業は１２件です。"]
    page2 = ["第２章 地域づくりの担い手"]
    doc = _load(_write(tmp_path / "plan.pdf", _pdf([page1, page2])))

    assert [span.page for span in doc.pages] == [1, 2]
    p1, p2 = doc.pages
    assert doc.text[p1.start : p1.end].rstrip("\n") == "\n".join(page1)
    assert doc.text[p2.start : p2.end].rstrip("\n") == "\n".join(page2)
    assert doc.text[p1.end : p2.start] == "\n\n"  # the page separator
    assert p1.start == 0 and p2.end == len(doc.text)

    assert doc.page_at(doc.text.index("１２件")) == 1
    assert doc.page_at(doc.text.index("担い手")) == 2
    assert doc.title == "山口市協働推進プラン"
    assert doc.city == "山口市"


def test_pdf_without_text_layer_is_an_error(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 300, fill=1)
    c.showPage()
    c.save()
    err = _load_error(path)
    assert "テキストを抽出できませんでした" in err.reason


def test_corrupt_pdf_is_an_error(tmp_path: Path) -> None:
    err = _load_error(_write(tmp_path / "broken.pdf", os.urandom(2048)))
    assert "PDFを読み込めませんでした" in err.reason


@pytest.mark.parametrize("user_password", ["", "secret"])
def test_encrypted_pdf(tmp_path: Path, user_password: str) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=StandardEncryption(user_password, ownerPassword="owner"))
    c.setFont("HeiseiKakuGo-W5", 12)
    c.drawString(72, 750, "山口市の計画")
    c.showPage()
    c.save()
    if user_password:  # a real password: staff must be told, not shown garbage
        assert "パスワード" in _load_error(path).reason
    else:  # only editing is restricted: opens with the empty password
        assert _load(path).text.rstrip("\n") == "山口市の計画"


def test_truncated_pdf_does_not_crash(tmp_path: Path) -> None:
    data = _pdf([["山口市"]])
    with pytest.raises(DocumentLoadError):
        _load(_write(tmp_path / "cut.pdf", data[: len(data) // 3]))


# ---------------------------------------------------------------------- DOCX


def test_docx_headings_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("岩国市地域づくり協働推進計画", level=1)
    d.add_paragraph("計画策定の主旨について説明します。")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["項目", "目標", "実績"], ["参加者数", "１，０００人", "１，２３４人"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_heading("第２章 取組", level=2)
    d.add_paragraph("表の後の段落です。")
    path = tmp_path / "plan.docx"
    d.save(str(path))

    doc = _load(path)
    assert doc.text == (
        "# 岩国市地域づくり協働推進計画\n\n"
        "計画策定の主旨について説明します。\n\n"
        "項目\t目標\t実績\n"
        "参加者数\t１，０００人\t１，２３４人\n\n"
        "## 第２章 取組\n\n"
        "表の後の段落です。"
    )
    assert doc.title == "岩国市地域づくり協働推進計画"
    assert doc.city == "岩国市"


def test_docx_boxes_laid_out_as_tables_are_read_as_their_lines_titles_and_inner_tables(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("青葉台市協働推進計画【概要版】")
    box = d.add_table(rows=1, cols=1).cell(0, 0)
    box.paragraphs[0].add_run("■ めざす姿").bold = True
    box.add_paragraph("令和11年度に向けた目標です。")
    inner = box.add_table(rows=2, cols=3)
    for r, row in enumerate([["指標", "現状", "目標"], ["登録団体数", "146団体", "170団体"]]):
        for c, value in enumerate(row):
            inner.cell(r, c).text = value
    box.add_paragraph("※中間年の目標値は本編をご覧ください。")
    pair = d.add_table(rows=1, cols=2)
    for c, (title, line) in enumerate([("目標1 担い手を育てる", "・市民活動カレッジ"), ("目標2 連携を広げる", "・マッチング会")]):
        cell = pair.cell(0, c)
        cell.paragraphs[0].add_run(title).bold = True
        cell.add_paragraph(line)
    data = d.add_table(rows=2, cols=2)  # a data table whose one cell wraps stays rows
    data.cell(0, 0).text, data.cell(0, 1).text = "事業", "内容"
    data.cell(1, 0).text, data.cell(1, 1).text = "講座", "入門4回\n実践6回"
    path = tmp_path / "gaiyo.docx"
    d.save(str(path))

    assert _load(path).text == (
        "青葉台市協働推進計画【概要版】\n\n"
        "### ■ めざす姿\n\n"
        "令和11年度に向けた目標です。\n\n"
        "指標\t現状\t目標\n登録団体数\t146団体\t170団体\n\n"
        "※中間年の目標値は本編をご覧ください。\n\n"
        "### 目標1 担い手を育てる\n\n・市民活動カレッジ\n\n"
        "### 目標2 連携を広げる\n\n・マッチング会\n\n"
        "事業\t内容\n講座\t入門4回 実践6回"
    )


def test_docx_title_style_wins(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("表紙の注記")
    d.add_heading("一関市協働推進計画", level=0)  # level 0 = the "Title" style
    d.add_heading("第1章", level=1)
    path = tmp_path / "t.docx"
    d.save(str(path))
    doc = _load(path)
    assert doc.title == "一関市協働推進計画"
    assert doc.text.startswith("表紙の注記\n\n# 一関市協働推進計画\n\n# 第1章")


def test_corrupt_docx_is_an_error(tmp_path: Path) -> None:
    err = _load_error(_write(tmp_path / "broken.docx", b"PK\x03\x04" + os.urandom(500)))
    assert ".docx" in err.reason


# ---------------------------------------------------------------------- HTML


def test_html_shift_jis_meta_with_table(tmp_path: Path) -> None:
    html = """<!DOCTYPE html>
<html><head><meta charset="shift_jis"><title>山口市 協働推進プラン</title>
<style>body { color: red }</style><script>var x = "除外";</script></head>
<body><nav>メニュー ホーム</nav>
<h1>施策体系</h1>
<p>地域を思い、人々が集い
  行動する“地域経営”へ</p>
<ul><li>①情報発信の強化</li><li>②担い手の育成</li></ul>
<table><tr><th>事業</th><th>件数</th></tr><tr><td>講座</td><td>１２</td></tr></table>
<p>一行目<br>二行目</p>
</body></html>"""
    doc = _load(_write(tmp_path / "page.html", html, "cp932"))
    assert doc.text == (
        "# 施策体系\n\n"
        "地域を思い、人々が集い行動する“地域経営”へ\n\n"
        "・①情報発信の強化\n"
        "・②担い手の育成\n\n"
        "事業\t件数\n"
        "講座\t１２\n\n"
        "一行目\n"
        "二行目"
    )
    assert "除外" not in doc.text and "メニュー" not in doc.text
    assert doc.title == "山口市 協働推進プラン"
    assert doc.city == "山口市"


def test_html_mislabelled_utf8_is_still_read(tmp_path: Path) -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head>'
    html += "<body><p>岩国市の①計画</p></body></html>"
    assert _load(_write(tmp_path / "p.html", html, "utf-8")).text == "岩国市の①計画"


def test_deeply_nested_html_fails_cleanly_or_loads(tmp_path: Path) -> None:
    html = "<div>" * 5000 + "山口市" + "</div>" * 5000
    try:
        assert "山口市" in _load(_write(tmp_path / "deep.html", html)).text
    except DocumentLoadError as err:  # anything but a bare RecursionError is acceptable
        assert err.reason


def test_html_without_meta_uses_detection_and_h1_title(tmp_path: Path) -> None:
    html = "<html><body><h1>協働推進課のお知らせ</h1><p>令和６年度の募集です。</p></body></html>"
    doc = _load(_write(tmp_path / "news.htm", html, "euc_jp"))
    assert doc.text == "# 協働推進課のお知らせ\n\n令和６年度の募集です。"
    assert doc.title == "協働推進課のお知らせ"


# ---------------------------------------------------------------------- catalog, scan, corpus


def test_catalog_parsing(tmp_path: Path) -> None:
    _write(
        tmp_path / "catalog.yaml",
        "a.txt:\n  title: 計画\n  municipality: 山口市\n  issued: 2024-03-01\nb.txt:\n",
    )
    catalog = load_catalog(tmp_path)
    assert catalog["a.txt"] == CatalogEntry(title="計画", city="山口市", issued="2024-03-01", publisher=None)
    assert catalog["b.txt"] == CatalogEntry(None, None, None, None)
    assert known_cities(catalog) == ["山口市"]
    assert load_catalog(tmp_path / "missing") == {}


def test_invalid_catalog_raises_value_error_naming_the_file(tmp_path: Path) -> None:
    _write(tmp_path / "catalog.yaml", "a.txt: [unclosed\n  title: x")
    with pytest.raises(ValueError, match="catalog.yaml"):
        load_catalog(tmp_path)
    _write(tmp_path / "doc.txt", "本文")
    docs, failures = load_corpus(tmp_path)  # a catalog typo must not stop the corpus
    assert [d.source for d in docs] == ["doc.txt"]
    assert [f.source for f in failures] == ["catalog.yaml"]


def test_catalog_title_and_city_applied(tmp_path: Path) -> None:
    _write(tmp_path / "r6.txt", "１．施策体系\n本文")
    _write(tmp_path / "catalog.yaml", "r6.txt:\n  title: 山口市協働推進プラン 令和6年度事業\n  municipality: 山口市\n")
    docs, failures = load_corpus(tmp_path)
    assert failures == []
    [doc] = docs
    assert (doc.title, doc.city) == ("山口市協働推進プラン 令和6年度事業", "山口市")


def test_scan_skips_catalog_and_hidden_files_and_keeps_unsupported(tmp_path: Path) -> None:
    for name in ["b.txt", "sub/a.md", "catalog.yaml", ".hidden.txt", ".git/x.txt", "sheet.xlsx"]:
        _write(tmp_path / name, "内容")
    files = scan_corpus(tmp_path, {})
    assert [f.source for f in files] == ["b.txt", "sheet.xlsx", "sub/a.md"]
    assert all(isinstance(f, SourceFile) and len(f.content_hash) == 64 for f in files)


def test_content_hash_changes_with_file_or_catalog_entry(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", "本文")

    def hash_of(catalog: dict[str, CatalogEntry]) -> str:
        [sf] = scan_corpus(tmp_path, catalog)
        return sf.content_hash

    base = hash_of({})
    assert hash_of({}) == base  # deterministic
    assert hash_of({"other.txt": CatalogEntry("x", None, None, None)}) == base
    with_entry = hash_of({"a.txt": CatalogEntry("題名", "山口市", None, None)})
    assert with_entry != base
    assert hash_of({"a.txt": CatalogEntry("題名", "岩国市", None, None)}) != with_entry
    path.write_text("本文。", encoding="utf-8")
    assert hash_of({}) != base
    doc = load_document(scan_corpus(tmp_path, {})[0], {})
    assert doc.content_hash == hash_of({})


def test_load_corpus_collects_failures_without_stopping(tmp_path: Path) -> None:
    _write(tmp_path / "a_broken.pdf", b"%PDF-1.4 garbage" + os.urandom(100))
    _write(tmp_path / "b_good.txt", "岩国市の計画")
    docs, failures = load_corpus(tmp_path)
    assert [d.source for d in docs] == ["b_good.txt"]
    assert [f.source for f in failures] == ["a_broken.pdf"]
    assert failures[0].reason


def test_guess_city_heuristic() -> None:
    assert guess_city("岩国市町内会のしおり", []) == "岩国市"
    assert guess_city("第二次山口市協働推進プラン", []) == "山口市"
    assert guess_city("協働推進プラン（山口市）", ["山口市"]) == "山口市"
    assert guess_city("令和6年度事業実績", []) is None
    assert guess_city("市民活動の手引き", []) is None


def test_seed_corpus_loads_verbatim() -> None:
    docs, failures = load_corpus(SEED_CORPUS)
    assert failures == []
    catalog = load_catalog(SEED_CORPUS)
    sources = sorted(p.name for p in SEED_CORPUS.iterdir() if p.is_file() and p.name != "catalog.yaml")
    assert [d.source for d in docs] == sources
    assert len(docs) >= 5
    for doc in docs:
        assert doc.text == (SEED_CORPUS / doc.source).read_text(encoding="utf-8")
        assert doc.title == catalog[doc.source].title
        assert doc.city == catalog[doc.source].city or catalog[doc.source].city is None


def _table_pdf(path: Path, rows: list[list[tuple[float, str]]]) -> Path:
    """A PDF table drawn cell by cell: each row a list of (x, text) lines, 14pt apart."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, 10)
    y = 780.0
    for row in rows:
        for x, text in row:
            pdf.drawString(x, y, text)
        y -= 14
    pdf.showPage()
    pdf.save()
    return path


def test_pdf_table_cells_wrapped_after_a_cut_word_are_joined_back(tmp_path: Path) -> None:
    """「ステップアップコー」 / 「ス」: a cell cut inside a word goes on under the row's first
    column; the kana left over belongs to the row, not to a new one."""
    pdf = _table_pdf(tmp_path / "t.pdf", [
        [(60, "区分"), (200, "補助率"), (320, "上限額")],
        [(60, "はじめの一歩コース"), (200, "10分の10"), (320, "10万円")],
        [(60, "ステップアップコー"), (200, "３分の２"), (320, "30万円")],
        [(60, "ス"), (320, "（３年まで）")],
        [(60, "計"), (200, "－")],
    ])
    text = _load(pdf).text
    lines = text.splitlines()
    assert "ステップアップコース\t３分の２\t30万円（３年まで）" in lines
    assert "計\t－" in lines  # a kanji is the start of a row


def test_a_body_line_after_a_pdf_table_is_not_joined_to_its_last_row(tmp_path: Path) -> None:
    """A paragraph right under a table, indented a little, runs across the table's columns:
    it is text of its own, not the rest of the last row's first cell."""
    pdf = _table_pdf(tmp_path / "t.pdf", [
        [(60, "No."), (130, "事業名"), (300, "参加者数")],
        [(60, "12"), (130, "成果報告会"), (300, "74人")],
        [(60, "13"), (130, "団体交流会"), (300, "58人")],
        [(100, "まちづくりフォーラムは、「人口減少時代のまちづくり」をテーマに開催しました。")],
    ])
    lines = _load(pdf).text.splitlines()
    assert "13\t団体交流会\t58人" in lines
    assert "まちづくりフォーラムは、「人口減少時代のまちづくり」をテーマに開催しました。" in lines


def test_a_pdf_cell_wrapped_inside_brackets_is_joined_back(tmp_path: Path) -> None:
    """「…管理運営事業（指定管」 / 「理料）」: the next line closes the bracket the cell left open."""
    pdf = _table_pdf(tmp_path / "t.pdf", [
        [(60, "事業名"), (300, "予算額"), (380, "決算額")],
        [(60, "センター管理運営事業（指定管"), (300, "18,500"), (380, "18,500")],
        [(60, "理料）")],
        [(60, "協働推進事業"), (300, "6,000"), (380, "4,870")],
    ])
    lines = _load(pdf).text.splitlines()
    assert "センター管理運営事業（指定管理料）\t18,500\t18,500" in lines
    assert "協働推進事業\t6,000\t4,870" in lines


def test_pdf_cells_wrapped_inside_a_word_are_joined_back(tmp_path: Path) -> None:
    """「協働事業ガイドラインの改 | …ガイドライ | 協働推進課」 then 「訂 | ンを令和８年度に改訂します。」:
    a piece starting with a character no word starts with (ン) is the rest of the cell above,
    and the line with it is the row's rest; a next row of fewer cells stays a row."""
    pdf = _table_pdf(tmp_path / "t.pdf", [
        [(40, "取組"), (170, "内容"), (420, "担当課")],
        [(40, "協働事業ガイドラインの改"), (170, "協働の進め方を示したガイドライ"), (420, "協働推進課")],
        [(40, "訂"), (170, "ンを令和８年度に改訂します。")],
        [(40, "職員協働研修"), (170, "新規採用職員を対象に実施します。")],
    ])
    lines = _load(pdf).text.splitlines()
    assert "協働事業ガイドラインの改訂\t協働の進め方を示したガイドラインを令和８年度に改訂します。\t協働推進課" in lines
    assert "職員協働研修\t新規採用職員を対象に実施します。" in lines


def test_pdf_cells_wrapped_at_once_in_one_row_are_joined_back(tmp_path: Path) -> None:
    """Several cells of one row wrap onto the next line, as many pieces as cells: the line is
    the row's rest when each piece sits under a cell and one closes a bracket left open (or
    starts with a particle, which no row does); a next row of as many cells stays a row."""
    pdf = _table_pdf(tmp_path / "t.pdf", [
        [(40, "事業名"), (200, "開催日"), (330, "会場"), (450, "参加者数")],
        [(40, "協働塾（第７期"), (200, "6月8日（土）"), (330, "センター「"), (450, "受講者28人")],
        [(40, "・全６回）"), (200, "～11月9日（土）"), (330, "つなぐば」"), (450, "（修了者24人）")],
        [(40, "未来ラボ（テーマ：子ども"), (200, "10月5日（土）"), (330, "福祉センター"), (450, "延べ89人")],
        [(40, "の居場所づくり）"), (200, "11月30日（土）")],
        [(40, "出前講座"), (200, "通年"), (330, "公民館"), (450, "延べ463人")],
    ])
    lines = _load(pdf).text.splitlines()
    assert "協働塾（第７期・全６回）\t6月8日（土）～11月9日（土）\tセンター「つなぐば」\t受講者28人（修了者24人）" in lines
    assert "未来ラボ（テーマ：子どもの居場所づくり）\t10月5日（土）11月30日（土）\t福祉センター\t延べ89人" in lines
    assert "出前講座\t通年\t公民館\t延べ463人" in lines


def test_a_full_width_first_cell_wrapped_onto_one_line_is_joined_back(tmp_path: Path) -> None:
    """「協働のまちフェスタ開」 / 「催事業」: a first cell as wide as the widest of its table goes on
    right below it; a heading after a blank line and a page number are lines of their own."""
    pdf = _table_pdf(tmp_path / "t.pdf", [
        [(60, "事業名"), (250, "予算額"), (330, "決算額"), (410, "執行率")],
        [(60, "協働のまちフェスタ開"), (250, "2,400"), (330, "2,312"), (410, "96.3％")],
        [(60, "催事業")],
        [(60, "まちづくり活動支援補"), (250, "1,200"), (330, "803"), (410, "66.9％")],
        [(60, "助金")],
        [(60, "合計"), (250, "3,600"), (330, "3,115"), (410, "86.5％")],
        [(230, "－ 3 －")],
        [],
        [(60, "４　今後の課題")],
    ])
    lines = _load(pdf).text.splitlines()
    assert "協働のまちフェスタ開催事業\t2,400\t2,312\t96.3％" in lines
    assert "まちづくり活動支援補助金\t1,200\t803\t66.9％" in lines
    assert "合計\t3,600\t3,115\t86.5％" in lines
    assert "４　今後の課題" in lines


def _opinion_table_pdf(path: Path, valign: str) -> Path:
    """A table of comments and replies as office software writes it: long cells wrapped inside
    their column, every cell aligned `valign` (TOP, MIDDLE or BOTTOM) within its row."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = ParagraphStyle("ja", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    rows = [
        ["番号", "該当箇所", "ご意見の要旨", "町の考え方", "対応"],
        ["1", "第２章 現状と課題", "高齢者の見守り活動について、担い手の不足が深刻であり、計画に具体的な確保策を書くべきではないか。",
         "担い手の確保については、見守り協力員の登録を令和８年度までに１２０人とする目標を新たに掲げました。", "修正"],
        ["2", "第３章 施策１(2)", "地区の集会所が古く、若い世代が集まりにくい。", "集会所の改修は別の計画で扱うため、本計画では利用促進のみを記載します。", "参考"],
        ["3", "第５章 成果指標の見直しと評価の方法について",
         "協働事業の件数だけでは活動の質がわからない。参加した市民の満足度や、団体の継続年数なども指標に加えるべきだと考える。また、評価の結果は毎年公表してほしい。",
         "満足度は町民意識調査で把握しています。", "参考"],
    ]
    table = Table([[Paragraph(c, style) for c in r] for r in rows], colWidths=[30, 70, 160, 170, 40])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), valign)]))
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build([Paragraph("意見の概要と町の考え方", style), Spacer(1, 12), table, Spacer(1, 12),
               Paragraph("以上のとおり、いただいたご意見を踏まえ計画案を修正しました。", style)])
    return path


@pytest.mark.parametrize("valign", ["TOP", "MIDDLE", "BOTTOM"])
def test_pdf_rows_of_wrapped_cells_stay_rows_however_their_cells_are_aligned(tmp_path: Path, valign: str) -> None:
    """A vertically centred row puts its short cells (番号, 対応) on a middle line, so its top
    lines lack the table's first column: after the gap between rows they start the next row,
    they are not the rest of the row above."""
    lines = _load(_opinion_table_pdf(tmp_path / "t.pdf", valign)).text.splitlines()
    assert "番号\t該当箇所\tご意見の要旨\t町の考え方\t対応" in lines
    assert ("1\t第２章 現状と課題\t高齢者の見守り活動について、担い手の不足が深刻であり、計画に具体的な確保策を書くべきではないか。"
            "\t担い手の確保については、見守り協力員の登録を令和８年度までに１２０人とする目標を新たに掲げました。\t修正") in lines
    assert "2\t第３章 施策１(2)\t地区の集会所が古く、若い世代が集まりにくい。\t集会所の改修は別の計画で扱うため、本計画では利用促進のみを記載します。\t参考" in lines
    assert ("3\t第５章 成果指標の見直しと評価の方法について\t協働事業の件数だけでは活動の質がわからない。参加した市民の満足度や、"
            "団体の継続年数なども指標に加えるべきだと考える。また、評価の結果は毎年公表してほしい。\t満足度は町民意識調査で把握しています。\t参考") in lines
    assert "以上のとおり、いただいたご意見を踏まえ計画案を修正しました。" in lines


def test_a_pdf_cell_wrapped_past_a_gap_still_joins_its_row(tmp_path: Path) -> None:
    """Lines without the first column after a gap that never meet a line with it (a blank line,
    the page's end) were the rest of the row above after all."""
    pdf = _table_pdf(tmp_path / "t.pdf", [
        [(60, "区分"), (200, "内容")],
        [(60, "Ａ"), (200, "説明会を開く")],
        [],
        [(200, "（年２回）")],
        [],
        [(60, "以上の内容で実施します。")],
    ])
    lines = _load(pdf).text.splitlines()
    assert "Ａ\t説明会を開く（年２回）" in lines
    assert "以上の内容で実施します。" in lines


def _indicator_table_pdf(path: Path, valign: str) -> Path:
    """An indicator table whose names wrap over three lines in a narrow column, under a label row
    spanning the table; the figures sit on the name's middle (or last) line."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = ParagraphStyle("ja", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    rows = [
        ["指標名", "基準値（R5）", "実績値（R6）", "目標値（R9）"],
        ["【基本目標１】地域でつながる", "", "", ""],
        ["地域交流拠点「みなとハウス」の利用者数", "8,200人", "9,150人", "12,000人"],
        ["協働事業の件数", "14件", "17件", "20件"],
        ["市民活動に参加したことがある市民の割合（町民意識調査）", "31.5％", "33.0％", "40.0％"],
    ]
    table = Table([[Paragraph(c, style) for c in r] for r in rows], colWidths=[90, 70, 70, 70])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), valign),
                               ("SPAN", (0, 1), (-1, 1))]))
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build([Paragraph("成果指標の状況", style), Spacer(1, 12), table, Spacer(1, 12),
               Paragraph("※ 割合は町民意識調査による。", style)])
    return path


@pytest.mark.parametrize("valign", ["MIDDLE", "BOTTOM"])
def test_a_pdf_row_name_wrapped_above_its_figures_stays_one_row(tmp_path: Path, valign: str) -> None:
    """「地域交流拠点「み」 / 「なとハウス」の利 | 8,200人 | …」 / 「用者数」: the lines of the first
    cell above the figures are the row's top, not a line of text; a label row stays its own."""
    lines = _load(_indicator_table_pdf(tmp_path / "t.pdf", valign)).text.splitlines()
    assert "地域交流拠点「みなとハウス」の利用者数\t8,200人\t9,150人\t12,000人" in lines
    assert "協働事業の件数\t14件\t17件\t20件" in lines
    assert "市民活動に参加したことがある市民の割合（町民意識調査）\t31.5％\t33.0％\t40.0％" in lines
    assert "【基本目標１】地域でつながる" in lines
    assert "※ 割合は町民意識調査による。" in lines


# Text of a summary printed as slides: every section different, so each line occurs once.
_COLUMN_SECTIONS = [
    ("計画の目的", "本計画は、市民、地域活動団体、事業者及び町がそれぞれの役割を担いながら、互いの特性を生かして地域の課題を解決していくための基本的な方向を定めるものです。"),
    ("計画の期間", "計画の期間は、令和７年度から令和11年度までの５年間とします。中間年度の令和９年度に進み具合を点検し、必要な見直しを行います。"),
    ("基本目標", "一つ目は参加のきっかけをつくること、二つ目は地域の担い手を育てること、三つ目は団体どうしのつながりを広げることです。"),
    ("成果指標", "地域活動に参加したことがある町民の割合を、現状値の32.4％から令和11年度には45.0％へ引き上げることを目指します。"),
    ("協働事業提案制度", "町民活動団体から協働事業の提案を募集し、採択された事業には１事業あたり上限50万円を補助します。募集は毎年５月に行います。"),
    ("推進体制", "協働推進委員会（委員12名）が毎年度の進捗を評価し、その結果を町のホームページと広報紙で公表していきます。"),
]


def _columns_pdf(path: Path, columns: int) -> Path:
    """A landscape page set in `columns` columns of running text under a title across them,
    written column by column as layout software flows text."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("b", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK", spaceAfter=6)
    head = ParagraphStyle("h", fontName=FONT, fontSize=13, leading=18, spaceBefore=4)
    title = ParagraphStyle("t", fontName=FONT, fontSize=16, leading=22)
    width, height = landscape(A4)
    margin, gap, top = 40.0, 24.0, 60.0
    column = (width - 2 * margin - (columns - 1) * gap) / columns
    frames = [Frame(margin, height - top, width - 2 * margin, top - 20, id="title")]
    # Short columns, so the text flows on through every one of them.
    depth = 200.0 if columns == 3 else 240.0
    frames += [Frame(margin + i * (column + gap), height - top - depth, column, depth, id=f"c{i}") for i in range(columns)]
    doc = BaseDocTemplate(str(path), pagesize=(width, height), pageTemplates=[PageTemplate(frames=frames)])

    story = [Paragraph("楓見町協働のまちづくり推進計画【概要版】", title), FrameBreak()]
    for heading, text in _COLUMN_SECTIONS:
        story += [Paragraph(heading, head), Paragraph(text, body)]
    doc.build(story)
    return path


@pytest.mark.parametrize("columns", [2, 3])
def test_a_pdf_page_set_in_columns_is_read_column_by_column(tmp_path: Path, columns: int) -> None:
    """pypdf lays out everything at one height on one line, which interleaves two columns of
    prose line by line; the file writes one column before the next, so each is read whole."""
    text = _load(_columns_pdf(tmp_path / "gaiyo.pdf", columns)).text
    flat = re.sub(r"\s+", "", text)
    assert flat.startswith("楓見町協働のまちづくり推進計画【概要版】")
    for heading, sentence in _COLUMN_SECTIONS:
        assert heading + sentence in flat  # each heading right before its own text, unbroken
    assert "\t" not in text


def test_a_table_drawn_column_by_column_is_not_read_as_columns_of_text(tmp_path: Path) -> None:
    """A file may draw a table a column at a time; a column of short labels and figures is not
    running text, so its rows stay rows."""
    labels = ["審査項目", "公益性", "必要性", "実現性", "協働性", "合計"]
    views = ["審査の視点", "広く町民の利益につながるか", "地域の課題をとらえているか", "計画と予算が適切か", "他の団体と連携しているか", ""]
    points = ["配点", "25点", "25点", "25点", "25点", "100点"]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "t.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, 10)
    pdf.drawString(60, 800, "(3) 審査基準は、提案された事業の内容に照らして次のとおりとします。")
    for x, column in [(60, labels), (160, views), (420, points)]:
        for i, text in enumerate(column):
            pdf.drawString(x, 770 - 24 * i, text)
    pdf.drawString(60, 610, "(4) 委員の平均点が60点以上の事業の中から、予算の範囲内で得点の高い順に採択します。")
    pdf.showPage()
    pdf.save()
    lines = _load(path).text.splitlines()
    assert "公益性\t広く町民の利益につながるか\t25点" in lines
    assert "合計\t100点" in lines


def test_a_column_holding_a_table_is_still_read_column_by_column(tmp_path: Path) -> None:
    """The first column's table (項目 | 値) leaves its own empty strip, with fewer lines across
    it than the gutters between the columns; that strip does not split the page, the next does."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table

    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("b", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK", spaceAfter=6)
    cell = ParagraphStyle("c", fontName=FONT, fontSize=10.5, leading=15)
    width, height = landscape(A4)
    margin, gap, depth = 40.0, 24.0, 230.0
    column = (width - 2 * margin - 2 * gap) / 3
    frames = [Frame(margin + i * (column + gap), height - 60 - depth, column, depth, id=f"c{i}") for i in range(3)]
    path = tmp_path / "gaiyo.pdf"
    doc = BaseDocTemplate(str(path), pagesize=(width, height), pageTemplates=[PageTemplate(frames=frames)])
    rows = [["参加者数", "1,240人"], ["開催回数", "18回"], ["協力団体", "32団体"], ["ボランティア", "85人"], ["満足度", "91.5％"]]
    story = [Table([[Paragraph(a, cell), Paragraph(b, cell)] for a, b in rows], colWidths=[column * 0.45, column * 0.45])]
    for heading, text in _COLUMN_SECTIONS:
        story += [Paragraph(heading, body), Paragraph(text, body)]
    doc.build(story)
    text = _load(path).text
    assert "参加者数\t1,240人" in text.splitlines()
    flat = re.sub(r"\s+", "", text)
    for heading, sentence in _COLUMN_SECTIONS:
        assert heading + sentence in flat


def test_a_line_drawn_in_pieces_is_one_stretch_of_text(tmp_path: Path) -> None:
    """A line drawn in two runs a space apart (a change of font, a generator's habit) leaves no
    gutter between them: a strip between columns is wider than a character."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from pypdf import PdfReader

    from assistant.pdf_columns import _gutters, _runs
    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "p.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, 10)
    y = 780.0
    for _, text in _COLUMN_SECTIONS:
        for start in range(0, len(text), 40):
            line = text[start : start + 40]
            pdf.drawString(60, y, line[:22])
            pdf.drawString(63 + pdfmetrics.stringWidth(line[:22], FONT, 10), y, line[22:])
            y -= 16
    pdf.showPage()
    pdf.save()
    runs, _ = _runs(PdfReader(str(path)).pages[0])
    assert all(len(run.groups) == 2 for run in runs if len(run.text) > 22)
    assert {run.text for run in runs} == {t[s : s + 40] for _, t in _COLUMN_SECTIONS for s in range(0, len(t), 40)}
    assert _gutters(runs) == []


def test_a_nested_html_list_item_stands_further_in_than_its_parent(tmp_path: Path) -> None:
    """「<ol><li>町内で活動していること<ul><li>活動拠点が町内にあること</li>…」: the sub-items are
    indented under their item, so that the items after them are not taken for theirs."""
    html = ("<html><body><h2>登録の要件</h2><ol><li>町内で活動していること<ul><li>活動拠点が町内にあること</li>"
            "<li>構成員の半数以上が町内在住であること</li></ul></li><li>構成員が5人以上であること</li></ol></body></html>")
    lines = _load(_write(tmp_path / "g.html", html)).text.splitlines()
    assert lines[-4:] == ["・町内で活動していること", "\u3000・活動拠点が町内にあること",
                          "\u3000・構成員の半数以上が町内在住であること", "・構成員が5人以上であること"]
    from assistant.docview import DocumentView

    view = DocumentView.from_texts({"g.html": "\n".join(lines)}, None)
    parent = next(s for s in view.segments("g.html") if view.text_of("g.html", s).endswith("町内で活動していること"))
    items = view.list_after(view.statement("g.html", parent, 0))
    assert [it.text.strip() for it in items] == ["活動拠点が町内にあること", "構成員の半数以上が町内在住であること"]


def test_a_justified_line_of_prose_is_not_read_as_table_cells() -> None:
    """A browser-printed report justifies its lines: pypdf's layout puts wide gaps inside a
    sentence (「財源は、一般財  源の  ほか、県」), which read as cells garbled the sentence. The
    plain extraction writes the line as one run, so it stays one line; the tables of the same
    page keep their cells."""
    from assistant.loaders import _as_prose

    plain = "決算額の合計は6,522,550円でした。財源は、一般財源のほか、県\nの地域づくり推進交付金\n事業名 予算額（円） 決算額（円）\n"
    prose = [(0, "決算額の合計は6,522,550円でした。財源は、一般財"), (40, "源の"), (44, "ほか、県")]
    assert _as_prose(prose, plain) == [(0, "決算額の合計は6,522,550円でした。財源は、一般財源のほか、県")]
    row = [(0, "事業名"), (10, "予算額（円）"), (24, "決算額（円）")]
    assert _as_prose(row, plain) == row  # cells the plain text keeps apart are cells
    report = Path(__file__).resolve().parents[1] / "evals" / "corpora" / "dev_p" / "p_narasaki_jisseki_r6.pdf"
    from assistant.loaders import _extract_pdf

    text = _extract_pdf(report.read_bytes(), report.name).text
    assert "財源は、一般財源のほか、県" in text and "委員会を3回開催しました（第1回：令和6年5月28日、第2" in text
    assert "事業名\t予算額（円）\t決算額（円）\t執行率" in text and "合計\t6,956,000\t6,522,550\t93.8%" in text


def test_an_html_definition_list_reads_each_term_with_its_description(tmp_path: Path) -> None:
    """「<dt>講師</dt><dd>桂木 直人さん</dd>」: a browser shows the term above its description,
    yet the two are one statement (「講師：桂木 直人さん」); a term read alone answers nothing.
    A term with no description stays a line of its own; a second description keeps the term."""
    html = ("<html><body><h3>会計講座</h3><dl><dt>日時</dt><dd><time>10月11日（土）午後2時</time>～4時30分</dd>"
            "<dt>講師</dt><dd>桂木 直人さん（税理士）</dd><dt>持ち物</dt><dt>備考</dt><dd>なし</dd><dd>駐車場はありません</dd></dl>"
            "<p>次の段落です。</p></body></html>")
    lines = _load(_write(tmp_path / "e.html", html)).text.split("\n")
    assert lines[2:8] == ["日時：10月11日（土）午後2時～4時30分", "講師：桂木 直人さん（税理士）", "持ち物",
                          "備考：なし", "備考：駐車場はありません", ""]
    assert lines[-1] == "次の段落です。"


def test_an_html_figure_is_read_with_its_alt_text(tmp_path: Path) -> None:
    """A chart's numbers often stand only in its alt text (「図1 …令和2年度44件、令和3年度51件」),
    what a screen reader says: read as a line of its own, before the caption. An icon's short
    alt (「PDF」) is not read."""
    html = ("<html><body><h2>実績</h2><p>報告書<img src='i.png' alt='PDF'>をご覧ください。</p><figure>"
            "<img src='f.png' alt='図1 協働事業件数の推移を示す棒グラフ。令和2年度44件、令和3年度51件。'>"
            "<figcaption>図1 協働事業件数の推移</figcaption></figure></body></html>")
    lines = [x for x in _load(_write(tmp_path / "f.html", html)).text.split("\n") if x]
    assert lines[1:] == ["報告書をご覧ください。", "図1 協働事業件数の推移を示す棒グラフ。令和2年度44件、令和3年度51件。",
                         "図1 協働事業件数の推移"]


def _auto_numbered_plan() -> bytes:
    """A plan whose heading styles take their numbers from a list (「第%1章」「%2」「(%3)」), as
    Word's 見出しのスタイルに段落番号 does: no number is typed in the text."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/><w:lvlText w:val="第%1章"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalFullWidth"/><w:pStyle w:val="Heading2"/><w:lvlText w:val="基本目標%2"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading3"/><w:lvlText w:val="(%3)"/>'
        '<w:suff w:val="nothing"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].element.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:numId w:val="90"/></w:numPr>'))
    document.add_heading("計画の策定にあたって", 1)
    document.add_paragraph("本文です。")
    document.add_heading("施策の展開", 1)
    document.add_heading("協働を担う人づくり", 2)
    document.add_heading("学びの場", 3)
    document.add_heading("担い手の発掘", 3)
    document.add_heading("活動の場づくり", 2)
    document.add_heading("拠点の充実", 3)
    document.add_paragraph("対象となる経費", style="List Bullet")
    document.add_paragraph("講師謝礼", style="List Number")
    document.add_paragraph("印刷製本費", style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_heading_reads_with_the_number_word_gives_it(tmp_path: Path) -> None:
    """「第2章」「基本目標２」「(1)」 come from the numbering definitions, not the text: they are read
    as Word shows them, a level restarting under the next one above it; list styles show their
    bullet and numbers."""
    from assistant.docx_numbering import format_number

    text = _load(_write(tmp_path / "p.docx", _auto_numbered_plan())).text
    assert [line for line in text.split("\n") if line.startswith("#")] == [
        "# 第1章 計画の策定にあたって", "# 第2章 施策の展開", "## 基本目標１ 協働を担う人づくり", "### (1)学びの場",
        "### (2)担い手の発掘", "## 基本目標２ 活動の場づくり", "### (1)拠点の充実"]
    assert "・対象となる経費" in text and "1.\u3000講師謝礼" in text and "2.\u3000印刷製本費" in text
    assert [format_number(n, f) for n, f in ((3, "decimalEnclosedCircle"), (12, "japaneseCounting"), (2, "aiueoFullWidth"),
                                              (4, "upperRoman"), (2, "iroha"), (105, "japaneseCounting"),
                                              (230, "japaneseCounting"))] == ["③", "十二", "イ", "IV", "ロ", "百五", "二百三十"]


def test_boxes_side_by_side_on_a_slide_are_read_box_by_box(tmp_path: Path) -> None:
    """A 概要版 slide of three boxes whose items wrap into short fragments (「…スクー」「ル」):
    once the page is told to be set in columns, boxes standing side by side inside one of them
    are read box by box too, though their lines are shorter than running text."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pdfs import FONT

    boxes = [
        (40, ["目標１　学ぶ人を増や", "す", "講座受講者 410人 →", "目標 600人", "まちづくり入門講座（年4", "回）", "中高生まちづくりスクー", "ル", "「ゆめさか交流まつ", "り」"]),
        (300, ["目標２　団体を育て", "る", "登録 86団体 →", "目標 110", "補助上限 20万", "円 → 40万円", "会計講座", "表彰の創設"]),
    ]
    third = (560, ["目標３　地域とつながる", "地区協議会 6地区 →", "目標 全11地区", "地域担当職員 各地区2名", "地区交付金の一本化", "空き店舗の活用"])
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "slide.pdf"
    width, height = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    pdf.setFont(FONT, 12)
    pdf.setFont(FONT, 20)
    pdf.drawString(40, height - 45, "2　3つの基本目標と数値目標の全体像")  # over the first two boxes
    pdf.setFont(FONT, 12)
    for x, lines in boxes:  # written box by box, on shared baselines
        for i, line in enumerate(lines):
            pdf.drawString(x, height - 90 - 22 * i, line)
    x, lines = third
    for i, line in enumerate(lines):
        pdf.drawString(x, height - 101 - 31 * i, line)  # the third box's lines sit between theirs
    pdf.showPage()
    pdf.save()
    flat = re.sub(r"\s+", "", _load(path).text)
    assert "中高生まちづくりスクール" in flat and "まちづくり入門講座（年4回）" in flat
    assert "補助上限20万円→40万円" in flat


_TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml">'
    "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
    '<wp:docPr id="1" name="テキスト ボックス 1"/>'
    "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
    "<w:p><w:r><w:t>計画期間</w:t></w:r></w:p><w:p><w:r><w:t>令和7年度〜令和11年度（5年間）</w:t></w:r></w:p>"
    "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:t>計画期間</w:t></w:r></w:p><w:p><w:r><w:t>令和7年度〜令和11年度（5年間）</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_docx_text_boxes_footnotes_alt_text_and_footers_are_read(tmp_path: Path) -> None:
    """A 概要版 of floating boxes holds its facts in text boxes (read once, not again from Word's
    VML copy), a figure's numbers in its alt text, a survey's size in a footnote and the 担当課
    in the page footer: each is read, after the paragraph it is anchored in."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from PIL import Image

    d = docx.Document()
    d.add_heading("白浜町協働推進計画【概要版】", level=1)
    d.add_paragraph()._p.append(parse_xml(_TEXT_BOX))
    survey = d.add_paragraph("ボランティアに参加した町民の割合は27.3%です。")
    survey._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:footnoteReference w:id="1"/></w:r>'))
    notes = ('<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:footnote w:id="0"><w:p><w:r><w:t>―</w:t></w:r></w:p></w:footnote>'
             '<w:footnote w:id="1"><w:p><w:r><w:t>令和6年7月の町民意識調査（回答者1,024人）による。</w:t></w:r></w:p></w:footnote>'
             "</w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes.encode("utf-8"), d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(image, format="PNG")
    d.add_picture(image)
    d.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("descr", "棒グラフ：登録団体数。令和4年度98団体、令和5年度109団体。")
    d.add_paragraph("計画本編は町ウェブサイトで公開しています。")
    d.sections[0].footer.paragraphs[0].text = "【担当課】白浜町 企画課 協働推進係 TEL 0848-62-1105"
    path = tmp_path / "gaiyo.docx"
    d.save(str(path))

    text = _load(path).text
    assert text.count("令和7年度〜令和11年度（5年間）") == 1
    assert "計画期間\n令和7年度〜令和11年度（5年間）" in text
    assert "27.3%です。\n\n※令和6年7月の町民意識調査（回答者1,024人）による。" in text
    assert "令和5年度109団体" in text and "―" not in text
    assert text.endswith("【担当課】白浜町 企画課 協働推進係 TEL 0848-62-1105")


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_unaccepted_tracked_changes_read_as_the_text_now_stands(tmp_path: Path) -> None:
    """A 要綱 revised with track changes on and sent before the changes were accepted: the
    inserted 30万円 is the rule (python-docx alone reads neither it nor the deleted 20万円), the
    deleted wording is not, in the body as in a table cell; a reviewer's comment is not text."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    rule = d.add_paragraph("（１）一般枠　補助対象経費の２分の１以内の額とし、")
    rule._p.append(parse_xml(f'<w:del {_W_NS} w:id="1" w:author="a"><w:r><w:delText>２０万円</w:delText></w:r></w:del>'))
    rule._p.append(parse_xml(f'<w:ins {_W_NS} w:id="2" w:author="a"><w:r><w:t>３０万円</w:t></w:r></w:ins>'))
    rule._p.append(parse_xml(f'<w:r {_W_NS}><w:t>を上限とする。</w:t></w:r>'))
    rule._p.append(parse_xml(f'<w:commentRangeStart {_W_NS} w:id="0"/>'))
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "謝金"
    cell = table.cell(0, 1).paragraphs[0]
    cell.add_run("講師謝礼（１人１回当たり")
    cell._p.append(parse_xml(f'<w:ins {_W_NS} w:id="3" w:author="a"><w:r><w:t>２万円</w:t></w:r></w:ins>'))
    cell._p.append(parse_xml(f'<w:del {_W_NS} w:id="4" w:author="a"><w:r><w:delText>１万円</w:delText></w:r></w:del>'))
    cell.add_run("まで）")
    path = tmp_path / "yoko.docx"
    d.save(str(path))

    text = _load(path).text
    assert "２分の１以内の額とし、３０万円を上限とする。" in text
    assert "謝金\t講師謝礼（１人１回当たり２万円まで）" in text
    assert "２０万円" not in text and "１万円" not in text


def test_an_html_svg_chart_is_read_bar_by_bar(tmp_path: Path) -> None:
    """A chart drawn as inline SVG gives its figures only as <text> labels: read one line per
    bar, bottom label first, after the axis title set on its side (「登録団体数（団体） 令和5年度
    110」), with the chart's title; the axis's evenly spaced scale is not a figure."""
    bars = "".join(
        f'<rect x="{x - 30}" y="100" width="60" height="150"/><text x="{x}" y="{y}" text-anchor="middle">{v}</text>'
        f'<text x="{x}" y="272" text-anchor="middle">{year}</text>'
        for x, y, v, year in ((120, 104.0, "98", "令和4年度"), (240, 86.9, "110", "令和5年度"))
    )
    scale = "".join(f'<text x="60" y="{250 - n}">{n}</text>' for n in (0, 50, 100))
    html = ('<html><body><h2>登録団体</h2><figure><svg viewBox="0 0 460 300"><title>登録団体数の推移を示す棒グラフ</title>'
            '<text x="20" y="150" transform="rotate(-90 20 150)">登録団体数（団体）</text>' + scale + bars +
            "</svg><figcaption>図1　登録団体数の推移</figcaption></figure>"
            '<p>検索<svg viewBox="0 0 8 8"><title>虫眼鏡</title></svg>できます。</p></body></html>')
    lines = [x for x in _load(_write(tmp_path / "chart.html", html)).text.split("\n") if x]
    assert lines[1:] == ["登録団体数の推移を示す棒グラフ", "登録団体数（団体） 令和4年度 98", "登録団体数（団体） 令和5年度 110",
                         "図1　登録団体数の推移", "検索できます。"]


def test_a_pdf_telephone_number_wrapped_at_its_hyphen_is_joined(tmp_path: Path) -> None:
    """A contact box whose line ends in 「電話 092-」 and goes on 「555-7021（月曜休館）」: the number
    is one; a line that only ends in a digit stays a line."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "contact.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(FONT, 10)
    c.drawString(72, 760, "問い合わせ先 市民活動センター「はるのわ」 電話 092-")
    c.drawString(72, 746, "555-7021（月曜休館）")
    c.drawString(72, 720, "令和6年度の登録団体は142")
    c.drawString(72, 706, "3月末現在の数です。")
    c.showPage()
    c.save()

    lines = _load(path).text.split("\n")
    assert "問い合わせ先 市民活動センター「はるのわ」 電話 092-555-7021（月曜休館）" in lines
    assert "3月末現在の数です。" in lines


def test_a_pdf_page_in_vertical_writing_is_read_column_by_column(tmp_path: Path) -> None:
    """A 広報紙's column set vertically, right to left: pypdf gives one character per line; they
    join back into sentences (its vertical 「︑」「︒」 read as 、。), and a horizontal box stays a line."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    columns = ["市民の皆さん︑こんにちは︒", "令和七年四月一日から︑新しい", "計画がスタートしました︒"]
    path = tmp_path / "column.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(FONT, 14)
    for i, column in enumerate(columns):
        for j, ch in enumerate(column):
            c.drawString(500 - 24 * i, 760 - 18 * j, ch)
    c.setFont(FONT, 10)
    c.drawString(72, 60, "問い合わせ先 春野市 市民協働課 電話 092-555-3140")
    c.showPage()
    c.save()

    text = _load(path).text
    assert "市民の皆さん、こんにちは。令和七年四月一日から、新しい計画がスタートしました。" in text
    assert "問い合わせ先 春野市 市民協働課 電話 092-555-3140" in text.split("\n")


def test_html_ruby_readings_are_not_read_into_the_text(tmp_path: Path) -> None:
    """A やさしい日本語 page sets a reading over many words (<ruby>協働<rp>（</rp><rt>きょうどう</rt>
    <rp>）</rp></ruby>): a reader sees the word, so the text is the word; 「協働（きょうどう）の
    まちづくり」 would split the phrase staff ask by."""
    html = ("<html><body><h2>この 計画は 何ですか</h2><p><ruby>協働<rp>（</rp><rt>きょうどう</rt><rp>）</rp></ruby>の"
            "まちづくり<ruby>推進<rt>すいしん</rt></ruby><ruby>計画<rp>(</rp><rt>けいかく</rt><rp>)</rp></ruby>です。</p></body></html>")
    text = _load(_write(tmp_path / "yasashii.html", html)).text
    assert "協働のまちづくり推進計画です。" in text
    assert "きょうどう" not in text and "けいかく" not in text and "（" not in text


def test_a_box_drawn_table_ruled_between_rows_reads_a_wrapped_row_as_one(tmp_path: Path) -> None:
    """「│行政提案型　│…│100万円│」 over 「│コース　　　│…│　　　│」: where rules stand between
    the rows, the lines between two rules are one row whose cells wrapped, joined cell by cell
    (「行政提案型コース」 with its 100万円). A table ruled only under its header keeps each line as
    a row of its own."""
    ruled = "\n".join([
        "┌─────┬─────┬────┐",
        "│コース　　│補助対象経費　　│上限額　│",
        "├─────┼─────┼────┤",
        "│スタート　│報償費、消耗品費│10万円　│",
        "│アップ　　│　　　　　　　　│　　　　│",
        "├─────┼─────┼────┤",
        "│行政提案型│備品購入費　　　│100万円 │",
        "│コース　　│（1品5万円未満）│　　　　│",
        "└─────┴─────┴────┘",
    ])
    lines = _load(_write(tmp_path / "boshu.txt", "募集要項\n\n" + ruled + "\n")).text.split("\n")
    assert "│行政提案型コース│備品購入費（1品5万円未満）│100万円│" in lines
    assert "│スタートアップ│報償費、消耗品費│10万円│" in lines
    header_only = "\n".join([
        "┌─────┬────┐", "│項目　　　│配点　　│", "├─────┼────┤",
        "│公益性　　│25点　　│", "│必要性　　│25点　　│", "└─────┴────┘",
    ])
    text = _load(_write(tmp_path / "kijun.txt", "審査基準\n\n" + header_only + "\n")).text
    assert "│公益性　　│25点　　│" in text.split("\n") and "│必要性　　│25点　　│" in text.split("\n")
    # Rows between two rules whose every cell is filled are rows, not a wrapped one (a 合計 row
    # ruled off at the bottom).
    with_total = header_only.replace("└─────┴────┘", "├─────┼────┤\n│合計　　　│50点　　│\n└─────┴────┘")
    lines = _load(_write(tmp_path / "goukei.txt", "審査基準\n\n" + with_total + "\n")).text.split("\n")
    assert "│公益性　　│25点　　│" in lines and "│必要性　　│25点　　│" in lines and "│合計　　　│50点　　│" in lines


def test_a_running_header_over_the_right_column_is_read_before_the_columns(tmp_path: Path) -> None:
    """A two-column page whose running header (「第3次楓見町協働推進計画」) stands at the top right,
    over the right column only: it is read before the columns, not between them, where it
    would cut a sentence wrapped from the bottom of the left column to the top of the right."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pdfs import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "keikaku.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, 9)
    pdf.drawRightString(550, 810, "第3次楓見町協働推進計画")
    pdf.setFont(FONT, 10)
    left = ["中間支援組織", "市民活動団体と行政、企業などの間に", "立ち、相談対応や情報提供などを通じ",
            "て団体の活動を支える組織のこと。こ", "の計画では市民協働センターを中間支"]
    right = ["援組織として位置づけ、その機能を高", "めます。", "地域づくり協議会", "おおむね小学校区を単位として地域課",
             "題に取り組む組織のこと。"]
    for i, line in enumerate(left):
        pdf.drawString(50, 760 - 16 * i, line)
    for i, line in enumerate(right):
        pdf.drawString(310, 760 - 16 * i, line)
    pdf.showPage()
    pdf.save()
    flat = re.sub(r"\s+", "", _load(path).text)
    assert "中間支援組織として位置づけ" in flat  # the wrapped sentence reads on, uncut
    assert flat.index("第3次楓見町協働推進計画") < flat.index("中間支援組織")
