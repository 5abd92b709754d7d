"""Yes/no verdicts on a few lines of a guide (no index): the document's own question answered,
and an aside that takes the case asked out of an excluded item."""

from __future__ import annotations

from small_view import small

CITY = {"g.md": "白浜市"}


def _lead(doc: str, question: str) -> str:
    return small({"g.md": doc}, question, CITY).answer().text.split("\n")[0]


def test_the_answer_to_the_documents_own_question_decides() -> None:
    """「個人でも登録できる？」: 「Ｑ１ 個人でも登録できますか。」「Ａ 個人での登録はできません。」
    decides, not a sentence about individuals registering elsewhere (「ボランティアバンクに登録」)."""
    guide = ("# 白浜市 地域活動団体 登録の手引き\n\n## 個人の方へ\n\n個人の方は、センターの「ボランティアバンク」に登録すると、"
             "団体の活動に参加できます。\n\n## よくある質問\n\nＱ１　個人でも登録できますか。\n\nＡ　個人での登録はできません。"
             "構成員３人以上の団体が対象です。\n")
    assert _lead(guide, "個人でも白浜市の地域活動団体に登録できる？").startswith("いいえ")


def test_an_aside_taking_the_case_out_of_an_excluded_item_turns_the_verdict() -> None:
    """「飲食費（講師等に提供する弁当代及び茶菓代を除く。）」 under the exclusions: a lecturer's
    lunch is covered; a social gathering is not."""
    rules = ("# 白浜市 協働活動補助金交付要綱\n\n## 対象外経費\n\n第５条　次に掲げる経費は、補助対象経費としない。\n\n"
             "（１）団体の構成員の人件費\n\n（２）飲食費（講師等に提供する弁当代及び茶菓代を除く。）、懇親会費\n\n（３）備品購入費\n")
    assert _lead(rules, "講師に出すお弁当代は白浜市の補助金の対象になりますか").startswith("はい")
    assert _lead(rules, "懇親会費は白浜市の補助金の対象になりますか").startswith("いいえ")


def test_the_trace_says_which_rule_decided() -> None:
    guide = ("# 白浜市 地域活動団体 登録の手引き\n\n## よくある質問\n\nＱ１　個人でも登録できますか。\n\nＡ　個人での登録はできません。\n")
    reason = small({"g.md": guide}, "個人でも白浜市の地域活動団体に登録できる？", CITY).answer().trace.strategy_reason
    assert "同じ問い" in reason
    rules = "# 白浜市 交付要綱\n\n## 対象外経費\n\n次に掲げる経費は、補助対象経費としない。\n\n（２）飲食費（講師等に提供する弁当代を除く。）\n"
    reason = small({"g.md": rules}, "講師に出すお弁当代は白浜市の補助金の対象になりますか", CITY).answer().trace.strategy_reason
    assert "を除く" in reason
