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


def test_an_item_written_as_a_sentence_carries_the_numbered_run_on() -> None:
    """「(4)　…書類（…を除く。）」 ends like a sentence, so the outline reads it as body text while
    (1)-(3) are headings; its number continues the list, and it is one of the items."""
    rules = ("汀見市補助金交付要綱\n\n（申請）\n第8条　補助金の交付を受けようとする団体は、申請書に次に掲げる書類を添えて提出しなければならない。\n"
             "(1)　事業計画書（様式第2号）\n(2)　収支予算書（様式第3号）\n(3)　団体の規約及び役員名簿\n"
             "(4)　前年度の活動実績が分かる書類（はじめて部門を除く。）\n2　前項の申請期間は、毎年度4月1日から5月15日までとする。\n\n"
             "（審査）\n第9条　市長は、前条の申請があったときは、推進会議に意見を求めるものとする。\n")
    text = small({"y.txt": rules}, "汀見市の補助金の申請書に添付する書類は？", {"y.txt": "汀見市"}).answer().text
    assert "事業計画書" in text and "役員名簿" in text and "活動実績" in text
