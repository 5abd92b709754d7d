"""How questions are read: a municipality named by a thing only it has (its centre's nickname)
next to one named outright, and words that say which row to read or what is asked of a thing
(最新, 根拠, 何割引き), which are no focus phrases the quotes must repeat."""

from __future__ import annotations

from assistant.pipeline import named_cities
from assistant.query import parse_query

from small_view import small

DOCS = {
    "a.md": "# 汀崎市市民活動センター「みぎわベース」利用案内\n\n開館時間は午前9時から午後9時30分までです。\n",
    "b.md": "# 鶉沢町町民活動サロン「うずらひろば」案内\n\n開館時間は午前10時から午後7時までです。\n",
}
CITIES = {"a.md": "汀崎市", "b.md": "鶉沢町"}


def test_a_thing_only_one_municipality_has_names_it_beside_the_one_named_outright() -> None:
    s = small(DOCS, "みぎわベースと鶉沢町のうずらひろば、開館時間を比べるとどう違いますか", CITIES)
    assert s.query.cities == ["鶉沢町"]
    assert sorted(named_cities(s.query, s.view).cities) == ["汀崎市", "鶉沢町"]
    # Not without a comparison asked.
    s = small(DOCS, "鶉沢町からみぎわベースへの行き方は？", CITIES)
    assert named_cities(s.query, s.view).cities == s.query.cities


def test_a_superlative_is_not_a_thing_the_quotes_must_name() -> None:
    focus = [f.text for f in parse_query("榎川市のセンターの最新の登録団体数は？", ["榎川市"]).focus]
    assert "最新" not in focus
    assert "登録団体" in focus


def test_what_is_asked_of_a_thing_in_other_words_is_no_focus() -> None:
    """「計画の根拠になっている条例」「指定期間の終わり」: documents say 「…条例に基づき」「…まで」."""
    for question, word in (("葛原台市の計画の根拠になっている条例の名前は", "根拠"), ("指定期間の終わりはいつ？", "終わり")):
        assert word not in [f.text for f in parse_query(question, ["葛原台市"]).focus]


def test_everyday_words_for_what_is_asked_are_no_focus() -> None:
    """「電話したい。番号は？」「延びたって本当？」「見直すタイミング」「参加しない一番の理由」: the
    documents give 「電話 072-…」, the new date, the year, the reason, without the asked word; the
    thing named (協働推進, 第2次募集, 中間評価) is still the focus."""
    for question, word, thing in (
        ("萱島市の協働推進担当に電話したい。番号は？", "番号", "協働推進"),
        ("千早台町の補助金の第2次募集、締切が延びたって本当？", "本当", "第2次募集"),
        ("渚野市の計画の中間評価のタイミングは？", "タイミング", "中間評価"),
        ("団体代表者の年齢のデータは何を元にしてるの？", "データ", "年齢"),
    ):
        focus = [f.text for f in parse_query(question, ["萱島市", "千早台町", "渚野市"]).focus]
        assert word not in focus and any(thing in f for f in focus), (question, focus)


def test_a_discount_asked_as_a_share_is_no_thing_named() -> None:
    """「使用料は何割引き？」 asks a share (何割); 「引き」 is no focus phrase the quotes must hold."""
    assert "引き" not in [f.text for f in parse_query("登録団体が使うと使用料は何割引き？", []).focus]


def test_an_intention_money_or_handling_asked_is_no_focus() -> None:
    """「今後どうしていくつもり」「お金返ってくる？」「その後の扱いは？」: the documents answer with
    what will be done, the refund rule, the plan made next; none writes つもり, お金 or 扱い."""
    for question, word in (("峰岡市は企業との連携を今後どうしていくつもり？", "つもり"),
                           ("キャンセルは何日前までならお金返ってくる？", "お金"),
                           ("アクションプランの期間と、その後の扱いは？", "扱い")):
        assert all(word not in f.text for f in parse_query(question, ["峰岡市"]).focus), question


def test_an_age_group_is_found_as_surveys_write_it() -> None:
    """「30代」 is the survey's 「30歳代」: the sentence about the age group answers first, before
    the whole town's rate."""
    survey = {"a.md": "# 町民意識調査\n\n## 地域活動への参加率\n\n全体の参加率は34.0％です。\n\n"
                      "30歳代は21.5％で、最も低くなっています。\n"}
    answer = small(survey, "30代の地域活動への参加率は？", {"a.md": "鶉沢町"}).answer()
    assert not answer.abstained and answer.text.startswith("21.5%")
