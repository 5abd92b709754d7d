"""What a mark in a table stands for (「B評価ってどういう意味？」「◎○△×はそれぞれ何？」),
answered by the table's legend, on a few lines of a report (no index)."""

from __future__ import annotations

from small_view import small

from assistant.query import parse_query
from assistant.strategies.legend import asked_marks, is_legend

CITY = {"r.md": "白浜市"}

SHEET = ("# 令和６年度 白浜市協働事業評価シート\n\n## 河川敷クリーン作戦\n\n| 項目 | 内容 |\n|---|---|\n"
         "| 評価 | B |\n| コメント | 参加者数は概ね目標どおりだった。 |\n\n"
         "※評価の区分 A：目標を大きく上回った B：概ね目標どおり C：目標を下回った D：目標を大きく下回った\n")

REPORT = ("# 白浜市 協働推進状況報告\n\n## 成果指標の状況\n\n| 指標 | 目標 | 実績 | 評価 |\n|---|---|---|---|\n"
          "| 登録団体数 | 120団体 | 124団体 | ◎ |\n| ボランティア登録者数 | 1,100人 | 742人 | △ |\n\n"
          "**【評価の凡例】**\n- ◎：目標達成（達成率100％以上）\n- ○：おおむね順調（達成率80％以上100％未満）\n"
          "- △：やや遅れ（達成率50％以上80％未満）\n- ×：遅れ（達成率50％未満）\n")


def test_a_grade_letter_is_answered_by_the_legend_line() -> None:
    answer = small({"r.md": SHEET}, "白浜市の評価シートのB評価ってどういう意味", CITY).answer()
    assert answer.trace.strategy == "legend"
    assert "B：概ね目標どおり" in answer.text and "参加者数は" not in answer.text


def test_a_legend_announced_by_its_own_line_is_read_one_mark_a_line() -> None:
    answer = small({"r.md": REPORT}, "白浜市の状況報告の評価の△ってどういう基準？", CITY).answer()
    assert answer.trace.strategy == "legend"
    assert "やや遅れ（達成率50％以上80％未満）" in answer.text and "742人" not in answer.text


def test_what_counts_as_a_mark_and_as_a_legend() -> None:
    marks = lambda q: asked_marks(parse_query(q, []))  # noqa: E731
    assert marks("実績の評価でＡ・Ｂ・Ｃはそれぞれ何を意味しますか") == ["A", "B", "C"]
    assert marks("アクションプランの表の●と○って何を表してるの？") == ["●", "○"]
    assert marks("会議室Aってどういう部屋？") == []  # a room's letter, not a grade
    assert marks("B評価の事業はいくつ？") == []  # a count asked, not a meaning
    assert is_legend("凡例：●実施　○検討（準備・調整を含む）", ["●"])
    assert is_legend("評価は、Ａ＝目標達成、Ｂ＝策定時より改善、Ｃ＝策定時より悪化、としています。", ["B"])
    # A row of the table the legend explains is no legend (marks beside marks, an arrow).
    assert not is_legend("3-2 制度見直し\t市民協働課\t○\t●\t令和8年度から新制度", ["○"])
    assert not is_legend("２ 職員協働研修 人事課 ● → ◎ 全職員", ["◎"])
