"""Lists as plans write them in one line (no index): circled numbers in a row after the
sentence announcing them, and an announced count with its items after a colon."""

from __future__ import annotations

from assistant.strategies.listing import inline_count

from small_view import small


def test_a_line_enumerating_its_items_is_counted() -> None:
    assert inline_count("①　対等の原則　②　相互理解の原則　③　目的共有の原則") == 3
    assert inline_count("5つの原則：対等／相互理解／目的共有／自主性尊重／公開") == 5
    assert inline_count("②　相互理解の原則　③　目的共有の原則　④　公開の原則") == 0  # not from ①
    assert inline_count("①の事業は令和7年度に始め、②は翌年度に検討します。") == 0
    assert inline_count("日時：令和7年5月10日") == 0


def test_the_announced_items_in_one_line_answer_what_they_are() -> None:
    plan = ("# 白浜市協働推進計画\n\n## ２ 協働の基本原則\n\n協働を進めるにあたっては、次の５つの原則を大切にします。\n\n"
            "①　対等の原則　②　相互理解の原則　③　目的共有の原則　④　自主性尊重の原則　⑤　公開の原則\n\n"
            "## ３ 基本目標\n\n基本理念を実現するため、次の３つの基本目標を設定します。\n\n## ４ 施策の体系\n\n施策を体系的に示します。\n")
    text = small({"p.md": plan}, "協働の基本原則って５つあるけど何？", {"p.md": "白浜市"}).answer().text
    for item in ("対等", "相互理解", "目的共有", "自主性尊重", "公開"):
        assert item in text
    summary = "# 白浜市協働推進計画 概要版\n\n## 2. 基本理念\n\n5つの原則：対等／相互理解／目的共有／自主性尊重／公開\n\n## 3. 基本目標\n\n3つの目標を掲げます。\n"
    text = small({"s.md": summary}, "協働の5つの原則を教えて", {"s.md": "白浜市"}).answer().text
    assert "自主性尊重" in text and "公開" in text


def test_one_sentence_paragraphs_under_the_named_heading_are_its_points() -> None:
    """「課題として挙げられているものは？」 over 「（１）成果」「（２）課題」, each followed by one
    short paragraph per point: the paragraphs under 「（２）課題」 answer, not the two headings;
    a heading over one paragraph of prose does not make a list of its sentences."""
    plan = ("# 白浜市協働推進計画\n\n## 第１次計画の振り返り\n\n（１）成果\n\nセンターの登録団体は１２８団体に増えた。\n\n"
            "協働事業は年１０件を超えた。\n\n（２）課題\n\n団体の構成員の高齢化が進んでいる。\n\n"
            "若い世代が参加しやすい活動の機会が不足している。\n\n協働事業の多くが単年度で終了している。\n")
    text = small({"p.md": plan}, "白浜市の第１次計画の課題として挙げられているものは？", {"p.md": "白浜市"}).answer().text
    assert "高齢化" in text and "若い世代" in text and "単年度" in text and "１２８団体" not in text
