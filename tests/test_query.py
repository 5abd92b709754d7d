"""Query understanding without a model: NFKC, era years, spelling variants, cities, answer type."""

from __future__ import annotations

import pytest

from assistant.dates import era_to_year, expand_years, year_to_eras
from assistant.query import answer_type, expand_variants, find_cities, focus_of, nfkc, parse_query

SEED_CITIES = ["一関市", "山口市", "岩国市"]  # the municipalities of the seed catalog


# --------------------------------------------------------------------------- NFKC


def test_nfkc_turns_full_width_digits_and_letters_half_width() -> None:
    assert nfkc("令和６年度に２９名") == "令和6年度に29名"
    assert nfkc("ＮＰＯ（１０団体）") == "NPO(10団体)"


def test_parse_query_normalizes_but_keeps_the_original() -> None:
    q = parse_query("令和６年度の自治会長情報交換会には何名参加した？", SEED_CITIES)
    assert q.original == "令和６年度の自治会長情報交換会には何名参加した？"
    assert q.normalized == "令和6年度の自治会長情報交換会には何名参加した?"
    # The era year written with full-width digits is still expanded for keyword search.
    assert "2024年度" in q.expansions
    assert "2024年度" in q.keyword_text and q.keyword_text.startswith(q.normalized)
    assert q.answer_type == "count"


# --------------------------------------------------------------------------- era years


@pytest.mark.parametrize(
    ("era", "year", "expected"),
    [("令和", "6", 2024), ("令和", "元", 2019), ("平成", "31", 2019), ("平成", "26", 2014), ("昭和", "64", 1989)],
)
def test_era_to_year(era: str, year: str, expected: int) -> None:
    assert era_to_year(era, year) == expected


def test_era_year_to_gregorian() -> None:
    assert expand_years("令和6年") == ["2024年"]
    assert expand_years("令和６年の実績") == ["2024年"]  # full-width digits too
    assert expand_years("平成26年") == ["2014年"]
    assert expand_years("令和元年") == ["2019年"]
    assert expand_years("令和 元 年度") == ["2019年度"]


def test_gregorian_year_to_era_keeps_nendo() -> None:
    assert "令和6年度" in expand_years("2024年度")
    assert "2024年度" not in expand_years("2024年度")
    assert expand_years("2014年") == ["平成26年"]  # 昭和89年 does not exist: not produced
    assert expand_years("1989年") == ["平成元年", "平成1年", "昭和64年"]


def test_gregorian_year_maps_only_to_eras_in_force() -> None:
    assert year_to_eras(2024) == [("令和", 6)]
    assert expand_years("2024年度") == ["令和6年度"]


def test_changeover_year_has_both_eras() -> None:
    # 2019 is 平成31年 until April and 令和元年 after; 元年 is also written 1年.
    assert year_to_eras(2019) == [("令和", 1), ("平成", 31)]
    forms = expand_years("2019年")
    assert set(forms) == {"令和元年", "令和1年", "平成31年"}
    # and both era forms map back to the same Gregorian year
    assert expand_years("平成31年") == expand_years("令和元年") == ["2019年"]


def test_year_outside_eras_and_plain_numbers_are_not_expanded() -> None:
    assert year_to_eras(1900) == []
    assert expand_years("1900年") == []
    assert expand_years("29名が参加") == []
    assert expand_years("100万円を上限") == []


def test_several_years_in_one_question() -> None:
    forms = expand_years("令和6年度から令和10年度まで")
    assert forms == ["2024年度", "2028年度"]


# --------------------------------------------------------------------------- variants


def test_expand_variants_both_ways() -> None:
    assert set(expand_variants("子どもの居場所づくり")) == {"子供", "こども"}
    assert set(expand_variants("子供の居場所づくり")) == {"子ども", "こども"}


def test_expand_variants_nothing_for_plain_text() -> None:
    assert expand_variants("自治会長情報交換会") == []


def test_parse_query_puts_variants_into_keyword_text() -> None:
    q = parse_query("子供食堂への支援は？", SEED_CITIES)
    assert "子ども" in q.expansions and "子ども" in q.keyword_text
    assert q.normalized == "子供食堂への支援は?"


# --------------------------------------------------------------------------- cities


def test_find_cities_by_full_name() -> None:
    assert find_cities("山口市の自治会長情報交換会", SEED_CITIES) == ["山口市"]


def test_find_cities_by_stem() -> None:
    assert find_cities("一関の協働推進計画の期間は？", SEED_CITIES) == ["一関市"]


def test_find_cities_two_cities() -> None:
    assert find_cities("一関市と岩国市の計画期間は？", SEED_CITIES) == ["一関市", "岩国市"]


def test_find_cities_none_for_unrelated_text() -> None:
    assert find_cities("横浜市の協働推進計画の期間は？", SEED_CITIES) == []
    assert find_cities("補完性の原則とは？", SEED_CITIES) == []


def test_parse_query_sets_cities() -> None:
    assert parse_query("岩国の基本方針は？", SEED_CITIES).cities == ["岩国市"]


# --------------------------------------------------------------------------- answer type


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("自治会長情報交換会には何名参加した？", "count"),
        ("交換会には何人が参加しましたか", "count"),
        ("協働によるまちづくり研修はいつ実施されましたか？", "date"),
        ("交付金の上限はいくらですか？", "amount"),
        ("岩国市の計画期間は？", "period"),
        ("一関市の３つの基本方針を挙げてください。", "list"),
        ("補完性の原則とは？", "definition"),
        ("こんにちは", "other"),
    ],
)
def test_answer_type(question: str, expected: str) -> None:
    assert answer_type(nfkc(question)) == expected
    assert parse_query(question, SEED_CITIES).answer_type == expected


def test_how_much_more_asks_for_a_count() -> None:
    from assistant.query import answer_type

    assert answer_type("参加者は前の年度と比べてどれだけ増えましたか？") == "count"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("第２次計画の期間中、地域づくり計画の見直しはいくつの地域で進みましたか？", "count"),
        ("計画期間中に何回開催されましたか？", "count"),
        ("計画期間は何年間ですか？", "period"),
        ("どのくらいの期間ですか？", "period"),
        ("役員の任期は何年以内？", "period"),
        ("委員の任期って何年？", "period"),
        ("計画は何年に策定？", "date"),
    ],
)
def test_a_counter_question_framed_by_a_period_asks_for_a_count(question: str, expected: str) -> None:
    assert answer_type(nfkc(question)) == expected


def test_a_share_asked_with_ikura_is_a_count() -> None:
    assert answer_type("市民の割合の目標値はいくらですか") == "count"
    assert answer_type("交付金の上限はいくらですか") == "amount"
    assert answer_type("補助率はいくらですか") == "amount"


def test_asking_until_which_year_is_a_period() -> None:
    assert answer_type("第2次計画は何年度までですか") == "period"


def test_asked_years_and_their_written_forms() -> None:
    from assistant.dates import asked_years, year_forms

    assert asked_years("令和7年度のさぽカフェ") == [2025]
    assert sorted(asked_years("2024年度と令和元年")) == [2019, 2024]
    assert asked_years("第3次計画") == []
    assert set(year_forms(2025)) == {"2025年", "令和7年", "R7"}
    assert {"令和元年", "平成31年", "H31"} <= set(year_forms(2019))


def test_colloquial_definition_and_each_city() -> None:
    assert answer_type("円卓会議って何？") == "definition"
    assert answer_type("コミュニティタクシーって、何地域で走ってる？") == "count"
    # 「それぞれ」 with two cities asks for one thing per city, not for a list.
    assert answer_type("一関市と岩国市の計画は、それぞれ何を上位計画にしていますか") != "list"


def test_a_formal_noun_is_never_the_subjects_head() -> None:
    q = parse_query("地域づくり交付金、使い切れなかった分は翌年度に繰り越せる？", [])
    assert q.subject_head == "交付金" and q.yes_no and q.predicate == "繰り越す"


def test_a_noun_framing_a_yes_no_question_is_not_its_predicate() -> None:
    assert parse_query("計画って途中で見直しする予定ある？", []).predicate == "見直し"
    assert parse_query("年度別目標は、途中で変わることはありますか？", []).predicate == "変わる"


def test_nan_desu_ka_asks_whether_not_what() -> None:
    """「必須なんですか」 is 「必須なのですか」: no interrogative, a yes/no question."""
    assert parse_query("事前相談は必須なんですか？", []).yes_no
    assert not parse_query("何人参加しましたか", []).yes_no
    assert not parse_query("なんで必要なの？", []).yes_no


def test_koto_wa_is_not_a_definition_cue() -> None:
    assert parse_query("年度別目標は、途中で変わることはありますか？", []).answer_type != "definition"
    assert parse_query("協働とは何ですか", []).answer_type == "definition"


def test_two_nouns_joined_by_to_ask_two_things() -> None:
    from assistant.query import facets_of

    assert [f.answer_type for f in facets_of("ほたるまつりの会場と来場者数はどうでしたか")] == ["place", "count"]
    assert [f.answer_type for f in facets_of("情報誌の名前と発行部数は？")] == ["name", "count"]
    assert [f.answer_type for f in facets_of("円卓会議の日時と会場は？")] == ["date", "place"]
    assert facets_of("市民と行政の役割は？") == ()


def test_a_reason_asked_after_a_value_is_a_part_of_its_own() -> None:
    """「締切はいつで、なんで延長したの？」: the date and the reason are each answered; 「なんで」
    asks why, 「なんですか」 does not."""
    from assistant.query import facets_of

    facets = facets_of("第2次募集、もともとの締切はいつで、なんで延長したの?")
    assert [f.answer_type for f in facets] == ["date", "other"]
    q = parse_query("第２次募集、もともとの締切はいつで、なんで延長したの？", [])
    assert len(q.facets) == 2 and q.asks_reason
    assert parse_query("なんで延長したの？", []).asks_reason
    assert not parse_query("それはなんですか", []).asks_reason
    assert facets_of("締切はいつで、場所はどこ？")[1].answer_type == "place"


def test_which_one_of_a_kind_is_a_name() -> None:
    """「対象はどの部門ですか」 asks which one; 「どの程度」「どのくらい」 ask how much."""
    assert answer_type("対象はどの部門ですか") == "name"
    assert answer_type("どの地区で始まった？") == "name"
    assert answer_type("どの程度補助されますか") != "name"
    assert answer_type("どのくらいかかりますか") == "count"
    from assistant.query import facets_of

    assert [f.answer_type for f in facets_of("二次募集はいつの予定で、対象はどの部門ですか。")] == ["date", "name"]


def test_how_a_document_explains_a_word_is_its_definition() -> None:
    q = parse_query("FAQでは「協働」をどう説明してる？", [])
    assert q.answer_type == "definition" and q.definition_target == "協働"
    q = parse_query("協働をどのように説明していますか", [])
    assert q.answer_type == "definition" and q.definition_target == "協働"


def test_what_follows_the_question_mark_does_not_hide_a_yes_no_question() -> None:
    """「…できる？（汐見町）」「…応募できる？汐見町の協働事業補助金」: the asking ends at the mark."""
    q = parse_query("補助金を前払いでもらうことはできる？（汐見町）", ["汐見町"])
    assert q.yes_no and q.predicate == "前払い"
    assert parse_query("去年立ち上げたグループでも応募できる？汐見町の協働事業補助金", ["汐見町"]).predicate == "応募"


def test_permission_words_are_not_the_predicate() -> None:
    for question in ("申請書はメールで送ってもいいですか", "申請書はメールで送っても構いませんか", "メールで送っても大丈夫？"):
        q = parse_query(question, [])
        assert q.yes_no and q.predicate == "送る", question


def test_a_framing_noun_is_skipped_only_before_aru() -> None:
    assert parse_query("事前相談は必要ですか", []).predicate == "必要"
    assert parse_query("提出する必要ある？", []).predicate == "提出"


def test_name_scanner_finds_what_one_longest_first_alternation_finds() -> None:
    import random
    import re

    from assistant.text import NameScanner

    names = ["山口市", "山口", "一関市", "一関", "岩国市", "口市", "市民", "霧ヶ原町", "霧ヶ原", "原町"]
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    scanner = NameScanner(names)
    rng = random.Random(7)
    alphabet = "山口市一関岩国霧ヶ原町民のと、"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert list(scanner.spans(text)) == [m.span() for m in pattern.finditer(text)], text
        assert scanner.sub("", text) == pattern.sub("", text), text
    assert not NameScanner([]) and NameScanner([]).sub("", "山口市") == "山口市"


@pytest.mark.parametrize("question,kind", [
    ("朝霧川市の計画でいう協働の５つの原則って何？", "list"),
    ("３つの基本目標は何ですか", "list"),
    ("じゃあ３つ目のやつ、Ｒ６の実績は？", "other"),
    ("協働の原則とは何ですか", "definition"),
])
def test_a_question_naming_how_many_things_asks_for_them(question: str, kind: str) -> None:
    assert parse_query(question, []).answer_type == kind


@pytest.mark.parametrize("question,unit", [
    ("プラザの登録団体数は？", "団体"),
    ("参加人数は？", "人"),
    ("相談件数はどれくらい？", "件"),
    ("来場者数は？", None),
])
def test_a_count_named_by_its_counter_asks_for_that_unit(question: str, unit: str | None) -> None:
    """「登録団体数」 asks for 団体 (「3割」 is no answer); 「来場者数」 names no counter."""
    got = parse_query(question, []).unit
    assert (got is None) if unit is None else (got is not None and unit in got.split("|"))


def test_an_edition_named_by_its_year_asks_about_that_year() -> None:
    """「フェスタ2024」 asks about 2024 (the year gate then wants it in the quotes)."""
    assert parse_query("市民活動フェスタ2024の来場者数は？", []).years == (2024,)
    assert parse_query("フェスタの来場者数は？", []).years == ()


@pytest.mark.parametrize("question,target", [
    ("朝霧の計画の用語の定義で、プラットフォームってどういう意味？", "プラットフォーム"),
    ("市民活動団体ってどういう団体のこと？", "市民活動団体"),
    ("補完性の原則ってどういう意味？", "補完性の原則"),
    ("協働って何のこと？", "協働"),
])
def test_what_a_word_means_asked_in_speech(question: str, target: str) -> None:
    """「Xってどういう意味？」「Xってどういう団体のこと？」 ask what X is, even after 「用語の定義で、」."""
    assert parse_query(question, []).definition_target == target


def test_the_words_before_an_attribute_word_are_the_topic_when_they_name_something() -> None:
    """「まつば協働チャレンジ事業の申請期間」: 事業 is an attribute word, but the words before it
    name a programme the quotes must be about; 「申請期間」「参加者数」 alone, and a year before an
    attribute (「令和6年度決算額」), name nothing."""
    from assistant.query import parse_query

    focus = [f.text for f in parse_query("まつば協働チャレンジ事業の申請期間はいつからいつまでですか", []).focus]
    assert "まつば協働チャレンジ" in focus
    assert not parse_query("申請期間はいつまで？", []).focus
    assert all("決算" not in f.text for f in parse_query("人材育成費の令和6年度決算額は？", []).focus)


def test_an_era_year_written_by_its_letter_is_a_year() -> None:
    """「（R6）」「Ｒ８は」 are 令和6年度 and 令和8年度, as tables and staff write them: asked years,
    not words the quotes must repeat; a word or a longer number is no year."""
    from assistant.dates import asked_years, expand_years

    assert asked_years("はじめて部門の申請は何件あった？（R6）") == [2024]
    assert asked_years(nfkc("開館時間拡大、Ｒ８は何をする？")) == [2026]
    assert asked_years("H30年度の実績") == [2018]
    assert asked_years("RPGの講座") == [] and asked_years("R100の部屋") == []
    assert "令和6年度" in expand_years("申請件数（R6）")
    q = parse_query("はじめて部門の申請は何件あった？（R6）", [])
    assert q.years == (2024,)
    assert all("R6" not in f.text for f in q.focus)


def test_the_asked_noun_is_not_the_asked_year() -> None:
    """「令和８年度の参加者は？」 asks for 参加者, not a 年度."""
    from assistant.query import asked_noun_of

    assert asked_noun_of("みぎわトークの参加者、令和８年度は？") == "参加者"
    assert asked_noun_of("大学生の派遣は何人？") == "派遣"


def test_a_means_before_de_is_a_focus_of_its_own() -> None:
    """「メールで」「郵送で」 name the case asked; 「参加」 alone is what is done."""
    assert [f.text for f in focus_of("申請書ってメールで出せますか", [], means=True)] == ["申請書", "メール"]
    assert [f.text for f in focus_of("郵送で提出してもいい？", [], means=True)] == ["郵送"]
    assert [f.text for f in focus_of("参加できますか", [], means=True)] == []
    # (only a yes/no question asks about a means: 「どういう区分で評価するの」 asks the 区分)
    assert [(f.text, f.means) for f in parse_query("申請書ってメールで出せますか", []).focus] == [("申請書", False), ("メール", True)]
    assert "区分" not in [f.text for f in parse_query("進捗はどういう区分で評価するの？", []).focus]


def test_an_indefinite_count_is_no_question_word() -> None:
    """「何回でも受けられますか」 asks whether it is so, not how many times."""
    query = parse_query("はじめの一歩部門は、何回でも受けられますか", [])
    assert query.yes_no and query.answer_type != "count"
    assert parse_query("補助金は何回受けられますか", []).answer_type == "count"


def test_one_plain_noun_before_an_attribute_word_is_the_thing_asked_about() -> None:
    """「人口目標は何人」 asks a target of 人口: the quotes must speak of 人口 (not a 利用者数 target
    of 3,000人). A verb noun before the word (「申請期間」「参加者数」) asks an attribute of a deed,
    and a year (「令和6年度決算額」) is the year gate's, as before."""
    assert "人口" in [f.text for f in focus_of("南浦町の令和10年度の人口目標は何人ですか", ["南浦町"])]
    assert [f.text for f in focus_of("申請期間はいつ？", [])] == []
    assert [f.text for f in focus_of("令和6年度決算額は？", [])] == []


def test_how_large_an_area_is_not_a_number_asked() -> None:
    """「どのくらいの範囲で作る組織？」 asks an area (「小学校区」), not a count; 「どのくらい来た？」
    still asks a number."""
    assert answer_type(nfkc("地域づくり協議会ってどのくらいの範囲で作る組織？")) != "count"
    assert answer_type(nfkc("どのくらいの区域を単位にしていますか")) != "count"
    assert answer_type(nfkc("フェスタにはどのくらい来場した？")) == "count"
