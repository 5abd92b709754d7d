"""Staff correct a document's title and city (assistant/catalog_edit.py): written to the real
catalog.yaml, picked up by a real (incremental) index update."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import yaml

from assistant.catalog import read_catalog
from assistant.catalog_edit import CatalogEditError, set_title_and_city
from assistant.indexer import build_index
from assistant.settings import Settings


def test_a_new_title_and_city_reach_the_index(small_settings: Settings) -> None:
    corpus = small_settings.corpus_dir
    (corpus / "upload.txt").write_text("ひまわり通信\n\n花畑町のひまわり迷路は8月10日に開園します。\n", encoding="utf-8")
    first = build_index(small_settings)
    header = (corpus / "catalog.yaml").read_text(encoding="utf-8").splitlines()[0]

    set_title_and_city(corpus, "upload.txt", "  ひまわり迷路の\nご案内 ", "花畑町")
    set_title_and_city(corpus, "aoba_plan.md", "青葉市協働のまちづくり計画（改訂版）", "")
    data = yaml.safe_load((corpus / "catalog.yaml").read_text(encoding="utf-8"))
    assert data["upload.txt"] == {"title": "ひまわり迷路の ご案内", "municipality": "花畑町"}
    assert data["aoba_plan.md"] == {"title": "青葉市協働のまちづくり計画（改訂版）", "issued": "令和7年3月"}  # kept
    assert data["midori_yuki.txt"]["municipality"] == "緑町"  # other entries untouched
    assert not read_catalog(corpus).problems
    assert (corpus / "catalog.yaml").read_text(encoding="utf-8").splitlines()[0] == header  # comments stay
    assert not [p.name for p in corpus.iterdir() if p.name.startswith(".catalog.") and p.suffix == ".yaml"]

    report = build_index(small_settings)
    assert sorted(report.updated) == ["aoba_plan.md", "upload.txt"] and not report.failed
    from assistant.pipeline import Assistant

    answer = Assistant(small_settings).ask("ひまわり迷路はいつ開園しますか？")
    assert answer.citations[0].title == "ひまわり迷路の ご案内" and answer.citations[0].city == "花畑町"
    assert first.added


@pytest.mark.parametrize(("title", "city", "message"), [
    ("", "緑町", "題名を入力"), ("あ" * 81, None, "題名が長すぎます"), ("題名", "市" * 21, "市の名前が長すぎます"),
])
def test_bad_titles_and_cities_are_refused_in_japanese(small_corpus: Path, title: str, city: str | None,
                                                       message: str) -> None:
    before = (small_corpus / "catalog.yaml").read_text(encoding="utf-8")
    with pytest.raises(CatalogEditError, match=message):
        set_title_and_city(small_corpus, "aoba_plan.md", title, city)
    assert (small_corpus / "catalog.yaml").read_text(encoding="utf-8") == before


def test_only_documents_of_the_corpus_and_a_readable_catalog(small_corpus: Path) -> None:
    with pytest.raises(CatalogEditError, match="文書フォルダにありません"):
        set_title_and_city(small_corpus, "../etc/passwd", "題名", None)
    (small_corpus / "catalog.yaml").write_text("aoba_plan.md: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogEditError, match="書式が正しくない"):
        set_title_and_city(small_corpus, "aoba_plan.md", "題名", None)


def test_a_corpus_without_a_catalog_gets_one(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("本文", encoding="utf-8")
    set_title_and_city(tmp_path, "a.txt", "題名", "市")
    assert read_catalog(tmp_path).entries["a.txt"].title == "題名"


def test_two_saves_at_once_keep_both(small_corpus: Path) -> None:
    names = ["aoba_plan.md", "midori_yuki.txt", "hoshi_kansatsu.txt"]
    threads = [threading.Thread(target=set_title_and_city, args=(small_corpus, n, f"新しい題名{i}", None))
               for i, n in enumerate(names)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = read_catalog(small_corpus).entries
    assert [entries[n].title for n in names] == ["新しい題名0", "新しい題名1", "新しい題名2"]
