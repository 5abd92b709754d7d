"""Chunker invariants on every seed document, plus headings, tables and section paths."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from assistant.catalog import load_catalog
from assistant import chunking
from assistant.chunking import chunk_document, classify_heading
from assistant.loaders import load_document, scan_corpus
from assistant.types import Chunk, LoadedDocument, PageSpan

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO / "corpus"
SEED_SOURCES = sorted(p.name for p in SEED_CORPUS.iterdir() if p.is_file() and p.name != "catalog.yaml")

SENTENCE_END = "。！？!?"
CLOSERS = "」』）)]】"
SIZES = [400, 150]


@lru_cache(maxsize=None)
def seed_doc(source: str) -> LoadedDocument:
    catalog = load_catalog(SEED_CORPUS)
    [sf] = [f for f in scan_corpus(SEED_CORPUS, catalog) if f.source == source]
    return load_document(sf, catalog)


@lru_cache(maxsize=None)
def seed_chunks(source: str, size: int = 400) -> tuple[Chunk, ...]:
    return tuple(chunk_document(seed_doc(source), size=size, min_size=min(120, size // 2)))


def _doc(text: str, source: str = "synthetic.txt", pages: tuple[PageSpan, ...] = ()) -> LoadedDocument:
    return LoadedDocument(source=source, text=text, title="テスト文書", city="青葉市", content_hash="h", pages=pages)


def _line_of(text: str, offset: int) -> tuple[int, int]:
    """[start, end) of the line holding `offset` (end excludes the newline)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _ends_cleanly(text: str, end: int) -> bool:
    """A chunk may end after a sentence end (with closing brackets) or at the end of a line."""
    if end == len(text) or text[end:_line_of(text, end)[1]].strip() == "":
        return True
    return text[end - 1] in SENTENCE_END or (
        text[end - 1] in CLOSERS and text[:end].rstrip(CLOSERS)[-1:] in tuple(SENTENCE_END)
    )


def _starts_cleanly(text: str, start: int) -> bool:
    """A chunk starts at a line start (after indentation) or right after a sentence end."""
    line_start, _ = _line_of(text, start)
    if text[line_start:start].strip() == "":
        return True
    before = text[:start].rstrip()
    return before[-1:] in tuple(SENTENCE_END + CLOSERS)


# --------------------------------------------------------------------------- every seed document


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("source", SEED_SOURCES)
def test_no_text_lost_and_bodies_map_back(source: str, size: int) -> None:
    doc = seed_doc(source)
    chunks = seed_chunks(source, size)
    assert chunks
    covered = bytearray(len(doc.text))
    for c in chunks:
        assert c.text == c.prefix + doc.text[c.start : c.end]
        assert c.body == doc.text[c.start : c.end]
        assert c.body.strip() == c.body, "bodies are trimmed"
        assert c.source == source and c.title == doc.title and c.city == doc.city
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    lost = [i for i, ch in enumerate(doc.text) if not ch.isspace() and not covered[i]]
    assert not lost, f"text not in any chunk: {doc.text[lost[0]:lost[0] + 40]!r}"


@pytest.mark.parametrize("source", SEED_SOURCES)
def test_chunks_in_order_without_overlap(source: str) -> None:
    chunks = seed_chunks(source)
    for c in chunks:
        assert 0 <= c.start < c.end <= len(seed_doc(source).text)
    for a, b in zip(chunks, chunks[1:]):
        assert a.end <= b.start, (a.id, b.id)


@pytest.mark.parametrize("source", SEED_SOURCES)
def test_ids_deterministic_and_unique(source: str) -> None:
    first = [c.id for c in chunk_document(seed_doc(source))]
    again = [c.id for c in chunk_document(seed_doc(source))]
    assert first == again
    assert len(set(first)) == len(first)


def test_ids_differ_between_sources() -> None:
    a = chunk_document(_doc("同じ本文です。", source="a.txt"))
    b = chunk_document(_doc("同じ本文です。", source="b.txt"))
    assert a[0].id != b[0].id


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("source", SEED_SOURCES)
def test_no_chunk_cuts_a_sentence(source: str, size: int) -> None:
    text = seed_doc(source).text
    for c in seed_chunks(source, size):
        assert _ends_cleanly(text, c.end), f"ends inside a sentence: {text[c.end - 30:c.end + 10]!r}"
        assert _starts_cleanly(text, c.start), f"starts inside a sentence: {text[c.start - 10:c.start + 30]!r}"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("source", SEED_SOURCES)
def test_no_table_row_is_cut(source: str, size: int) -> None:
    text = seed_doc(source).text
    chunks = seed_chunks(source, size)
    pos = 0
    rows = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if "\t" not in line or not line.strip():
            continue
        rows += 1
        s = start + len(line) - len(line.lstrip())
        e = start + len(line.rstrip())
        holders = [c for c in chunks if c.start <= s and e <= c.end]
        assert len(holders) == 1, f"table row split or lost: {line[:60]!r}"
    if source in ("community_shikumi_project.txt", "ichinoseki_kyodo_suishin_keikaku_3.md"):
        assert rows > 5  # these documents do have tables; make sure the check ran


def _is_single_unit(body: str) -> bool:
    """One sentence or one table row, possibly after the heading lines that introduce it."""
    lines = [ln for ln in body.split("\n") if ln.strip()]
    while len(lines) > 1 and classify_heading(lines[0]):
        lines.pop(0)
    if len(lines) != 1:
        return False
    line = lines[0]
    if "\t" in line:
        return True
    inner = re.sub(rf"[{SENTENCE_END}][{re.escape(CLOSERS)}]*\s*$", "", line.strip())
    # A full stop inside brackets (「（以下同じ。）」) does not end the sentence.
    while re.search(r"（[^（）]*）|「[^「」]*」|\([^()]*\)", inner):
        inner = re.sub(r"（[^（）]*）|「[^「」]*」|\([^()]*\)", "", inner)
    return not re.search(f"[{SENTENCE_END}]", inner)


# A chunk may run past `size` only to keep a short trailing line (「■実施日 …」) with its
# paragraph, and then by at most STRETCH; the chunker declares both limits.
STRETCH = getattr(chunking, "STRETCH", 1.0)
SHORT_TRAILER = getattr(chunking, "SHORT_TRAILER", 0)


def _last_unit(body: str) -> str:
    last_line = [ln for ln in body.split("\n") if ln.strip()][-1]
    if "\t" in last_line:
        return last_line  # a table row is one unit, never a trailer
    pieces = [p for p in re.split(rf"(?<=[{SENTENCE_END}])[{re.escape(CLOSERS)}]*", last_line) if p.strip()]
    return pieces[-1].strip()


def _size_ok(body: str, size: int) -> bool:
    if len(body) <= size or _is_single_unit(body):
        return True
    last = _last_unit(body)
    return len(body) <= size * STRETCH and "\t" not in last and len(last) <= SHORT_TRAILER


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("source", SEED_SOURCES)
def test_chunk_size_respected(source: str, size: int) -> None:
    chunks = seed_chunks(source, size)
    for c in chunks:
        assert _size_ok(c.body, size), f"{c.end - c.start} > {size}: {c.body[:80]!r} … {c.body[-40:]!r}"
    # Smaller target, more chunks: the setting has an effect.
    if size < 400:
        assert len(chunks) > len(seed_chunks(source, 400))


def test_chunk_size_respected_on_plain_prose() -> None:
    sentence = "青葉市では、市民と行政が協働して地域の課題に取り組んでいます。"  # 31 characters
    text = "\n".join(sentence * 3 for _ in range(20))  # 20 lines of 3 sentences, 1879 characters
    chunks = chunk_document(_doc(text), size=200, min_size=50)
    assert len(chunks) >= len(text) // int(200 * STRETCH)
    for c in chunks:
        assert c.end - c.start <= 200 * STRETCH
        assert _size_ok(c.body, 200)
        assert c.body.endswith("。")
    long_sentence = "市民と行政が協働して地域の課題に取り組むため、" * 4 + "計画を策定しました。"  # 102 characters
    text = "\n".join([long_sentence] * 12)
    for c in chunk_document(_doc(text), size=250, min_size=50):
        assert c.end - c.start <= 250  # sentences too long to be trailers never stretch a chunk


def test_a_single_overlong_sentence_stays_whole() -> None:
    long_sentence = "地域" * 150 + "。"  # 301 characters, no place to cut
    text = f"短い文です。\n{long_sentence}\n次の文です。"
    chunks = chunk_document(_doc(text), size=100, min_size=20)
    assert any(c.body == long_sentence for c in chunks)


def test_pages_follow_chunk_start() -> None:
    page1 = "第1ページの本文です。" * 8
    page2 = "第2ページの本文です。" * 8
    text = page1 + "\n\n" + page2
    pages = (PageSpan(1, 0, len(page1)), PageSpan(2, len(page1) + 2, len(text)))
    doc = _doc(text, source="paged.pdf", pages=pages)
    chunks = chunk_document(doc, size=100, min_size=20)
    assert {c.page for c in chunks} == {1, 2}
    for c in chunks:
        assert c.page == doc.page_at(c.start)


# --------------------------------------------------------------------------- tables


def _table_doc(rows: int) -> tuple[str, str]:
    header = "事業名\t内容\t担当課\t予算"
    body = "\n".join(f"事業{i:02d}\t地域の取組{i}を支援します\t協働推進課\t{i * 10}万円" for i in range(1, rows + 1))
    return header, f"3 事業一覧\n\n次の表は令和6年度の事業の一覧です。\n{header}\n{body}\n"


def test_split_table_repeats_its_header() -> None:
    header, text = _table_doc(30)
    chunks = chunk_document(_doc(text), size=200, min_size=50)
    row_chunks = [c for c in chunks if "\t" in c.body]
    assert len(row_chunks) >= 4, "a 30-row table must be split at size=200"
    assert chunks[0].prefix == ""
    for c in chunks[1:]:
        first_line = c.body.split("\n", 1)[0]
        if "\t" in first_line:
            assert c.prefix == header + "\n"
            assert c.text.startswith(header + "\n事業")
        else:
            assert c.prefix == ""
    # All 30 rows are present exactly once across the bodies.
    bodies = "\n".join(c.body for c in chunks)
    for i in range(1, 31):
        assert bodies.count(f"事業{i:02d}\t") == 1


def test_second_table_repeats_its_own_header() -> None:
    h1 = "地区\t人口"
    h2 = "年度\t参加者数\t備考"
    t1 = "\n".join(f"地区{i}\t{i * 100}人" for i in range(1, 4))
    t2 = "\n".join(f"令和{i}年度\t{i * 13}名\t参加者数は年々増えています" for i in range(1, 31))
    text = f"表1 地区の人口です。\n{h1}\n{t1}\n\n表2 参加者の推移です。\n{h2}\n{t2}\n"
    chunks = chunk_document(_doc(text), size=150, min_size=30)
    prefixed = [c for c in chunks if c.prefix]
    assert prefixed, "the second table must be split"
    for c in prefixed:
        assert c.prefix == h2 + "\n"


# --------------------------------------------------------------------------- section paths


def test_section_path_for_definitions_in_ichinoseki() -> None:
    source = "ichinoseki_kyodo_suishin_keikaku_3.md"
    hits = [c for c in seed_chunks(source) if "個人や家庭、地域でできることは自助、共助で解決し" in c.body]
    assert hits, "the definition of 補完性の原則 must be in a chunk"
    assert all("4 用語の定義" in c.section for c in hits), [c.section for c in hits]
    assert all(c.section.startswith("第1章") for c in hits)


def test_section_path_uses_markdown_heading_levels() -> None:
    source = "ichinoseki_kyodo_suishin_keikaku_3.md"
    hits = [c for c in seed_chunks(source) if "「補完性の原則」の考え方を基本に" in c.body]
    assert hits
    assert hits[0].section.endswith("(2) 補完性の原則")
    assert "第3章" in hits[0].section


def test_section_paths_in_yamaguchi_jigyo() -> None:
    chunks = seed_chunks("yamaguchi_r6_jigyo.txt")
    sections = [c.section for c in chunks]
    assert any("基本施策Ⅲ" in s and ("(2)" in s or "（２）" in s) for s in sections), sections
    digital = [c for c in chunks if "電子回覧板" in c.body]
    assert digital and "（２）デジタル化による地域活動の支援の強化" in digital[0].section
    assert "基本施策Ⅲ" in digital[0].section


def test_section_of_jichikai_chunk_includes_its_subsection() -> None:
    chunks = seed_chunks("yamaguchi_r6_jigyo.txt")
    [chunk] = [c for c in chunks if "自治会長情報交換会を開催した" in c.body]
    assert "基本施策Ⅲ" in chunk.section
    assert "（１）自治会・町内会への支援の強化" in chunk.section


def test_headings_start_new_chunks() -> None:
    text = (
        "第1章 計画の概要\n\n"
        + "1 計画の目的\n"
        + "本計画は協働のまちづくりを進めるためのものです。" * 6
        + "\n\n2 計画の期間\n"
        + "計画期間は令和7年度から令和11年度までの5年間です。" * 6
        + "\n"
    )
    chunks = chunk_document(_doc(text), size=400, min_size=60)
    by_section = {c.section: c for c in chunks}
    assert "第1章 計画の概要 > 1 計画の目的" in by_section
    assert "第1章 計画の概要 > 2 計画の期間" in by_section
    period = by_section["第1章 計画の概要 > 2 計画の期間"]
    assert period.body.startswith("2 計画の期間")
    assert "計画の目的" not in period.body


# --------------------------------------------------------------------------- headings


POSITIVE = [
    ("第1章 計画の基本的事項", "第1章 計画の基本的事項"),
    ("第２章　現状と課題", "第２章 現状と課題"),
    ("基本施策Ⅰ 地域づくりへの参画の意識づくり", None),
    ("基本方針1 協働の意識づくり", None),
    ("基本方針２　協働のための環境づくり", "基本方針２ 協働のための環境づくり"),
    ("重点プロジェクト(1) 地域の担い手づくり", None),
    ("重点プロジェクト（２）", None),
    ("(1) 地域の情報発信の強化", None),
    ("（１）市職員の意識改革", None),
    ("① 広報紙の発行", None),
    ("【基本施策Ⅰ】", None),
    ("２．令和６年度事業", None),
    ("1 計画策定の背景と目的", None),
    ("3-1 協働の考え方", None),
    ("## 4 用語の定義", "4 用語の定義"),
    ("#### (4) 補完性の原則", "(4) 補完性の原則"),
]

NEGATIVE = [
    "本市では、市民と行政がともに地域の課題を解決するために協働を進めてきました。",
    "1 本市では協働を進めます。",
    "２回目 令和６年６月２５日（火）",
    "１０月２２日（火）",
    "■参加者 ２９名",
    "２９名",
    "3 件",
    "2024年度の実績",
    "事業名\t内容\t担当課",
    "",
    "   ",
]


@pytest.mark.parametrize("line,title", POSITIVE)
def test_classify_heading_recognises(line: str, title: str | None) -> None:
    heading = classify_heading(line)
    assert heading is not None, line
    assert heading.title == (title or line)


@pytest.mark.parametrize("line", NEGATIVE)
def test_classify_heading_rejects_body_text(line: str) -> None:
    assert classify_heading(line) is None


def test_heading_ranks_nest_in_outline_order() -> None:
    def rank(line: str) -> int:
        heading = classify_heading(line)
        assert heading is not None, line
        return heading.rank

    assert rank("第1章 計画の基本的事項") < rank("２．令和６年度事業") < rank("(1) 地域の情報発信の強化")
    assert rank("基本施策Ⅰ 地域づくりへの参画の意識づくり") < rank("（１）市職員の意識改革") < rank("① 広報紙の発行")
    assert rank("第1章 計画の基本的事項") < rank("基本方針1 協働の意識づくり")


def test_long_line_is_not_a_heading() -> None:
    assert classify_heading("(1) " + "とても長い見出しのような文" * 10) is None


# --------------------------------------------------------------------------- table of contents


def test_table_of_contents_never_swallows_content() -> None:
    """The 目次 rows become navigation chunks of their own; the plan's first paragraph, right
    after the last 目次 entry, stays in a content chunk that retrieval can reach."""
    chunks = seed_chunks("ichinoseki_kyodo_suishin_keikaku_3.md")
    nav = [c for c in chunks if c.navigation]
    assert nav, "the 目次 is recognised"
    assert all("。" not in c.body for c in nav)
    [opening] = [c for c in chunks if "平成22年12月に「一関市協働推進アクションプラン」を策定" in c.text]
    assert not opening.navigation


def test_synthetic_toc_then_chapter_splits() -> None:
    text = "## 目次\n\n1 はじめに\t1\n2 計画の期間\t3\n3 推進体制\t5\n\n# 第1章 はじめに\n\n本計画は市民協働を進めるための計画です。\n"
    chunks = chunk_document(_doc(text), size=400, min_size=120)
    kinds = [(c.navigation, "本計画は" in c.text) for c in chunks]
    assert (True, False) in kinds and (False, True) in kinds


def test_a_full_stop_inside_brackets_does_not_end_the_sentence() -> None:
    text = "本計画は、一関市総合計画（以下「総合計画」という。）を上位計画とします。次の文。「引用。」と述べた。"
    spans = [text[s:e] for s, e in chunking.split_sentences(text, 0, len(text))]
    assert spans == [
        "本計画は、一関市総合計画（以下「総合計画」という。）を上位計画とします。",
        "次の文。",
        "「引用。」と述べた。",
    ]


def test_a_bracket_left_open_does_not_swallow_the_paragraph() -> None:
    text = "（閉じない括弧。" + "長い文です。" * 80
    spans = chunking.split_sentences(text, 0, len(text))
    assert len(spans) > 2
    assert all(e - s <= chunking.MAX_BRACKETED_SENTENCE + 10 for s, e in spans)


def test_a_bracket_label_in_a_marked_up_section_stays_inside_it() -> None:
    """「【主な取組】」 under 「### 施策の方向(3) …」 announces that section's items; it is not a
    sibling that ends the section (DOCX heading styles become # marks)."""
    text = (
        "# 第４章 施策の展開\n\n## 基本目標１ 担い手を育てる\n\n### 施策の方向(3) 職員の協働意識の向上\n\n"
        "【主な取組】\n\n・新規採用職員研修で協働を学びます。\n"
    )
    sections = chunking.outline(text)
    path = chunking.section_at(sections, text.index("新規採用"))
    assert "施策の方向(3) 職員の協働意識の向上" in path and path.endswith("【主な取組】")
    plain = "1 計画の目的\n\n【基本理念】\n\n市民とともに。\n"  # without mark-up it is a section heading
    assert chunking.section_at(chunking.outline(plain), plain.index("市民")).endswith("【基本理念】")
