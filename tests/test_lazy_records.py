"""Records read when first used (assistant/lazy_records.py): small files, real parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import store
from assistant.chunking import chunk_document
from assistant.lazy_records import ChunkTable, KeyedLines, LazyDocuments, head_of
from assistant.types import LoadedDocument

PLAN = "# 第1章 計画の概要\n\n本計画の期間は令和6年度から令和10年度までの5年間です。\n\n" + (
    "## 1 協働の考え方\n\n市民と行政がそれぞれの役割を果たし、対等な立場で協力します。\n\n" * 12)


def _documents() -> list[LoadedDocument]:
    return [LoadedDocument(source=f"plan{i}.md", text=PLAN.replace("令和6", f"令和{i}"), title=f"協働推進計画{i}",
                           city=("北川市", "南原町", None)[i % 3], content_hash=str(i)) for i in range(3)]


def test_keyed_lines_read_each_key_and_parse_only_what_is_read(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps({"source": 'a "quoted" 名前.md', "text": "一"}, ensure_ascii=False),
             json.dumps({"source": "b.md", "text": "二"}, ensure_ascii=False),
             json.dumps({"text": "三", "source": "c.md"}, ensure_ascii=False)]  # the key not first
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    records = KeyedLines(path)
    assert list(records) == ['a "quoted" 名前.md', "b.md", "c.md"] and len(records) == 3
    assert set(records._parsed) == {"c.md"}  # parsed while opening: its key had to be read
    assert records["b.md"] == {"source": "b.md", "text": "二"}
    assert set(records._parsed) == {"b.md", "c.md"}
    assert records['a "quoted" 名前.md']["text"] == "一"
    with pytest.raises(KeyError):
        records["d.md"]


def test_lazy_documents_parse_on_first_read_and_tell_title_and_city_without_parsing(tmp_path: Path) -> None:
    docs = _documents()
    store.write_documents(tmp_path, docs)
    seen: list[str] = []
    lazy = LazyDocuments(store.lazy_documents(tmp_path), store.document_from_record, lambda d: seen.append(d.source),
                         {d.source: (d.title, d.city) for d in docs[:2]})
    assert list(lazy) == [d.source for d in docs]
    assert head_of(lazy, "plan1.md") == ("協働推進計画1", "南原町") and seen == []
    assert head_of(lazy, "plan2.md") == ("協働推進計画2", None) and seen == ["plan2.md"]  # no head given: parsed
    assert lazy["plan0.md"] == docs[0] and lazy["plan0.md"] is lazy["plan0.md"]
    assert seen == ["plan2.md", "plan0.md"]  # each document announced once
    assert head_of({d.source: d for d in docs}, "plan1.md") == ("協働推進計画1", "南原町")  # a plain dict


def test_chunk_table_gives_the_stored_chunks_making_one_document_at_a_time(tmp_path: Path) -> None:
    docs = _documents()
    chunks = [chunk_document(d, size=120) for d in docs]
    store.write_documents(tmp_path, docs)
    store.write_chunks(tmp_path, [store.chunk_group(c) for c in chunks])
    by_source = {d.source: d for d in docs}
    eager = store.read_chunks(tmp_path, by_source)
    table = ChunkTable(list(store.read_chunk_groups(tmp_path)), by_source, store.chunks_of_group)
    assert len(table) == len(eager) == sum(map(len, chunks)) and len(chunks[0]) > 1
    assert list(table.ids()) == [c.id for c in eager]
    last = len(chunks[0]) + 1
    assert table[last] == eager[last] and len(table._made) == 1  # the second document only
    assert table[-1] == eager[-1] and table[1:3] == eager[1:3]
    assert list(table) == eager
    assert list(table.rows_of("plan1.md")) == list(range(len(chunks[0]), len(chunks[0]) + len(chunks[1])))
    assert table.rows_of("missing.md") == range(0) and table.of_source("missing.md") == []
    assert table.of_source("plan2.md") == chunks[2]
    assert table.navigation().tolist() == [c.navigation for c in eager]
    with pytest.raises(IndexError):
        table[len(eager)]


def test_layouts_are_stored_one_line_per_document_and_old_generations_still_read(tmp_path: Path) -> None:
    docs = _documents()
    layouts = {d.source: store.Layout.of(d.text).to_json() for d in docs}
    store.write_layouts(tmp_path, layouts)
    assert len((tmp_path / store.LAYOUTS).read_text(encoding="utf-8").splitlines()) == len(docs)
    assert dict(store.stored_layouts(tmp_path)) == store.read_layout_records(tmp_path) == json.loads(json.dumps(layouts))
    old = tmp_path / "old"
    old.mkdir()
    (old / store.LEGACY_LAYOUTS).write_text(json.dumps(layouts, ensure_ascii=False), encoding="utf-8")
    assert store.read_layout_records(old) == json.loads(json.dumps(layouts))
    assert store.stored_layouts(tmp_path / "none") == {}
