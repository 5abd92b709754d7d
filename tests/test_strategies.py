"""Each answer strategy on a few lines of a plan (no index, milliseconds each)."""

from __future__ import annotations

import re

from assistant.strategies import REGISTRY, choose
from assistant.strategies import comparison, cover_date, definition, heading_children, listing, named_kind, value, yes_no
from assistant.strategies import statements as statements_strategy
from assistant.text import nfkc

from small_view import small

PLAN = """# 桜台市協働推進計画

令和7年3月

## 1 計画の期間

本計画の期間は、令和7年度から令和11年度までの5年間とします。

## 2 用語の定義

### (1) 協働

市民、地域団体、事業者及び市が、共通の目的のために対等な立場で力を合わせることをいいます。

### (2) 中間支援組織

市民活動団体の運営を支える組織のことです。

## 3 基本目標

### 基本目標1 参加する人を増やす

### 基本目標2 活動の場を広げる

### 基本目標3 支える仕組みをつくる

## 4 施策の体系

### 基本方針2 活動の場を広げる

#### (1) 拠点施設の充実

#### (2) 情報発信の強化

## 5 令和6年度の実績

市民活動フェスタを令和6年10月5日に市民交流センターで開催し、延べ420人が来場しました。
"""

GUIDE = """# 桜台市まちづくり活動補助金 募集要項

## 1 補助金の額

補助金の額は、1団体あたり20万円を上限とします。

## 2 補助対象経費

講師謝礼、会場使用料及び印刷製本費は補助の対象とします。

## 3 補助対象外経費

飲食費は補助の対象外です。

1点あたり5万円以上の備品購入費は補助の対象外です。
"""

OTHER = """# 若葉町協働のまちづくり指針

## 1 指針の期間

この指針の期間は、令和6年度から令和9年度までの4年間です。
"""

DOCS = {"plan.md": PLAN, "guide.md": GUIDE, "other.md": OTHER}
CITIES = {"plan.md": "桜台市", "guide.md": "桜台市", "other.md": "若葉町"}


def norm(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


def test_every_strategy_is_registered_in_the_default_order() -> None:
    from assistant.settings import DEFAULT_STRATEGIES

    assert list(REGISTRY) == list(DEFAULT_STRATEGIES)


def test_value_strategy_quotes_the_statement_with_the_asked_count() -> None:
    s = small(DOCS, "市民活動フェスタには何人来場しましたか？", CITIES)
    got = value.select(s.query, s.scope, s.view)
    assert got is not None and got.strategy == "value"
    assert "延べ420人" in got.statements[0].text
    assert value.select(small(DOCS, "基本目標は？", CITIES).query, s.scope, s.view) is None  # not a value question


def test_value_answer_leads_with_the_value() -> None:
    answer = small(DOCS, "市民活動フェスタには何人来場しましたか？", CITIES).answer()
    assert norm(answer.text).startswith("420人[1]")
    assert answer.trace is not None and answer.trace.strategy == "value"


def test_comparison_answers_each_city_from_its_own_documents() -> None:
    s = small(DOCS, "桜台市と若葉町の計画の期間は？", CITIES)
    got = comparison.select(s.query, s.scope.__class__(s.statements, s.passages, s.evidence, lambda sc: value.select(s.query, sc, s.view)), s.view)
    assert got is not None
    assert {st.chunk.city for st in got.statements} == {"桜台市", "若葉町"}
    answer = s.answer()
    text = norm(answer.text)
    assert "桜台市:令和7年度から令和11年度" in text and "若葉町:令和6年度から令和9年度" in text


def test_comparison_is_not_used_for_one_city() -> None:
    s = small(DOCS, "桜台市の計画の期間は？", CITIES)
    assert comparison.select(s.query, s.scope, s.view) is None


def test_cover_date_answers_when_the_plan_was_issued() -> None:
    s = small(DOCS, "桜台市協働推進計画はいつ策定されましたか？", CITIES)
    got = cover_date.select(s.query, s.scope, s.view)
    assert got is not None and got.statements[0].text.strip() == "令和7年3月"


def test_cover_date_is_not_used_for_an_event() -> None:
    s = small(DOCS, "市民活動フェスタはいつ開催されましたか？", CITIES)
    assert cover_date.select(s.query, s.scope, s.view) is None
    assert "10月5日" in s.answer().text


def test_definition_is_the_text_under_the_term_heading() -> None:
    s = small(DOCS, "中間支援組織とは？", CITIES)
    got = definition.select(s.query, s.scope, s.view)
    assert got is not None
    assert "市民活動団体の運営を支える組織" in got.statements[0].text


def test_definition_needs_a_target() -> None:
    s = small(DOCS, "計画の期間は？", CITIES)
    assert definition.select(s.query, s.scope, s.view) is None


def test_list_strategy_gives_all_items_of_the_named_kind() -> None:
    s = small(DOCS, "基本目標を全て挙げてください", CITIES)
    got = listing.select(s.query, s.scope, s.view)
    assert got is not None
    texts = [st.text for st in got.statements]
    for goal in ("参加する人を増やす", "活動の場を広げる", "支える仕組みをつくる"):
        assert any(goal in t for t in texts), texts
    assert not any("令和" in t for t in texts)  # items only, no neighbours


def test_named_kind_answers_a_question_naming_the_kind() -> None:
    s = small(DOCS, "桜台市の基本目標は？", CITIES)
    assert s.query.answer_type == "other"
    got = named_kind.select(s.query, s.scope, s.view)
    assert got is not None and len(got.statements) == 3


def test_heading_children_answers_with_sub_headings() -> None:
    s = small(DOCS, "基本方針2 活動の場を広げるの施策は？", CITIES)
    got = heading_children.select(s.query, s.scope, s.view)
    assert got is not None
    texts = " ".join(st.text for st in got.statements)
    assert "拠点施設の充実" in texts and "情報発信の強化" in texts


def test_statements_strategy_always_answers_with_the_best_statement() -> None:
    s = small(DOCS, "協働の考え方について", CITIES)
    got = statements_strategy.select(s.query, s.scope, s.view)
    assert got is not None and got.statements


def test_yes_no_says_no_when_the_statement_excludes_it() -> None:
    answer = small(DOCS, "飲食費は補助の対象になりますか？", CITIES).answer()
    assert answer.text.startswith("いいえ")
    assert "飲食費は補助の対象外です" in answer.citations[0].quote


def test_yes_no_says_yes_when_the_statement_includes_it() -> None:
    answer = small(DOCS, "講師謝礼は補助の対象になりますか？", CITIES).answer()
    assert answer.text.startswith("はい")
    assert "講師謝礼" in answer.citations[0].quote


def test_yes_no_compares_the_asked_amount_with_the_cap() -> None:
    over = small(DOCS, "1団体あたり30万円もらえますか？", CITIES).answer()
    within = small(DOCS, "1団体あたり10万円もらえますか？", CITIES).answer()
    assert over.text.startswith("いいえ") and within.text.startswith("はい")
    assert "20万円を上限" in over.citations[0].quote


def test_yes_no_reads_bounds_and_the_section_that_excludes() -> None:
    """「5万円以上の備品購入費」 under 補助対象外経費: a 6万円 item is excluded, a 3万円 one is not
    excluded by it."""
    s = small(DOCS, "6万円の備品購入費は補助の対象になりますか？", CITIES)
    from assistant.strategies.yes_no import value_verdict

    excluded = [st for st in s.statements if "5万円以上" in st.text]
    assert excluded
    assert value_verdict(s.query, excluded, s.view) == (False, excluded[0])
    cheap = small(DOCS, "3万円の備品購入費は補助の対象になりますか？", CITIES)
    assert value_verdict(cheap.query, excluded, cheap.view) == (True, excluded[0])


def test_value_bounds() -> None:
    from assistant.values import bounded_amounts, satisfies

    assert bounded_amounts("1事業20万円を上限、5万円未満、3万円以上、1,000円") == [
        (200000.0, "<="), (50000.0, "<"), (30000.0, ">="), (1000.0, "=")]
    assert satisfies(300000, [(200000.0, "<=")]) is False
    assert satisfies(100000, [(200000.0, "<="), (1000000.0, "<=")]) is True
    assert satisfies(50000, [(50000.0, "<")]) is False
    assert satisfies(5, []) is None


def test_yes_no_gives_no_verdict_when_no_statement_decides() -> None:
    s = small(DOCS, "補助金は毎年募集されますか？", CITIES)
    got = yes_no.select(s.query, s.scope.__class__(s.statements, s.passages, s.evidence,
                                                    lambda sc: statements_strategy.select(s.query, sc, s.view)), s.view)
    assert got is not None and got.verdict is None


def test_order_is_data() -> None:
    s = small(DOCS, "基本目標を全て挙げてください", CITIES)
    listed = choose(["list", "statements"], s.query, s.scope, s.view)
    plain = choose(["statements"], s.query, s.scope, s.view)
    assert listed.strategy == "list" and plain.strategy == "statements"


GUIDE = """# 白浜町 協働事業補助金 募集要項

## 3 応募できる団体

次の要件をすべて満たす団体が応募できます。

・町内を主な活動の場としていること
・5人以上で構成されていること

自治会やボランティアグループも応募できます。ただし、次に該当する団体は応募できません。

・宗教活動を主たる目的とする団体
・営利を目的とする団体（株式会社が単独で応募する場合を含みます）
・町税を滞納している団体

## 4 対象とならない経費

・飲食費（ただし、ボランティアの昼食代は1人1食1,000円までを対象とします）
・団体の構成員への謝礼
"""


def test_an_exclusion_list_decides_a_question_naming_its_item() -> None:
    """The item names the case (「町税を滞納している団体」); the list's lead sentence says not,
    whatever verb the question uses (「申し込める」 against 「応募できません」)."""
    docs, cities = {"guide.md": GUIDE}, {"guide.md": "白浜町"}
    taxes = small(docs, "町税を滞納している団体でも申し込めますか？", cities).answer()
    assert taxes.text.startswith("いいえ") and "町税を滞納している団体" in taxes.citations[0].quote
    company = small(docs, "株式会社が単独で応募できますか？", cities).answer()
    assert company.text.startswith("いいえ") and "株式会社" in company.citations[0].quote


def test_a_list_that_says_what_may_apply_does_not_say_no() -> None:
    from assistant.strategies.yes_no import list_lead, says_no

    s = small({"guide.md": GUIDE}, "5人以上で構成される団体は応募できますか？", {"guide.md": "白浜町"})
    item = next(st for st in s.statements if st.text.startswith("5人以上"))
    lead = list_lead(item, s.view)
    assert lead is not None and lead.text.startswith("次の要件")
    assert not says_no(item, s.view)


def test_an_item_that_makes_its_own_exception_decides_by_it_what_it_names() -> None:
    answer = small({"guide.md": GUIDE}, "ボランティアの昼食代は補助の対象になりますか？", {"guide.md": "白浜町"}).answer()
    assert not answer.text.startswith("いいえ")
    assert any("昼食代" in c.quote for c in answer.citations)
    lunch = small({"guide.md": GUIDE}, "ボランティアの昼食代は補助の対象になりますか？", {"guide.md": "白浜町"}).answer()
    assert lunch.text.startswith("はい")
    meals = small({"guide.md": GUIDE}, "飲食費は補助の対象になりますか？", {"guide.md": "白浜町"}).answer()
    assert meals.text.startswith("いいえ")


def test_a_heading_naming_both_sides_says_neither() -> None:
    from assistant.strategies.yes_no import _negative_heading

    assert _negative_heading("対象とならない団体") and _negative_heading("補助対象外経費")
    assert not _negative_heading("交付金の対象となる経費・ならない経費")
    assert not _negative_heading("対象となる経費")


QA_GUIDE = """# 白浜町 地域づくり協議会の手引き

## よくある質問

Ｑ１　協議会ができると、自治会はなくなるのですか？

Ａ　自治会はなくなりません。自治会は協議会の中心的な構成団体として活動を続けます。

Ｑ２　協議会の会議は誰でも傍聴できますか？

Ａ　はい、どなたでも傍聴できます。
"""


def test_a_documents_own_question_is_answered_by_the_line_after_it() -> None:
    """Q&A: the 「Ａ」 line is read with its question's words; the question line answers nothing."""
    answer = small({"qa.md": QA_GUIDE}, "協議会ができたら自治会ってなくなるんですか？", {"qa.md": "白浜町"}).answer()
    assert "自治会はなくなりません" in answer.citations[0].quote
    assert answer.text.startswith("いいえ")


PLAN_MARKED_UP = """# 白浜町協働推進計画

## 基本目標１ 担い手を育てる

### 施策の方向(1) 参加のきっかけづくり

気軽に活動に触れる機会を増やします。

【主な取組】

・中高生の体験ボランティアを実施します。

### 施策の方向(2) 職員の協働意識の向上

【主な取組】

・新規採用職員研修に協働の講義を設けます。
・協働事例集を作成し、全職員に配布します。
"""


def test_a_label_announcing_items_is_answered_by_its_items() -> None:
    answer = small({"plan.md": PLAN_MARKED_UP}, "職員の協働意識を上げるためにどんな取組をしますか？", {"plan.md": "白浜町"}).answer()
    quotes = [c.quote for c in answer.citations]
    assert any("新規採用職員研修" in q for q in quotes) and any("協働事例集" in q for q in quotes)
    assert not any(q.strip() == "【主な取組】" for q in quotes)


def test_the_decider_names_the_questions_case_before_a_general_statement() -> None:
    """「宗教活動は含まれますか」: 「ただし、宗教活動…を除きます。」 decides, not the definition
    that only says what the term 「含みます」."""
    terms = ("# 白浜町協働推進計画\n\n## 用語\n\n"
             "市民活動：市民が自主的に行う公益的な活動をいい、ボランティア活動を含みます。"
             "ただし、宗教活動及び政治活動を除きます。\n")
    answer = small({"t.md": terms}, "計画でいう市民活動に、宗教活動は含まれますか？", {"t.md": "白浜町"}).answer()
    assert answer.text.startswith("いいえ") and "宗教活動" in answer.citations[0].quote


def test_a_title_or_heading_sharing_the_subject_gives_no_verdict() -> None:
    from assistant.strategies.yes_no import strength

    s = small(DOCS, "補助金でパソコンは買えますか？", CITIES)
    headings = [st for st in s.statements if st.segment.kind == "heading"]
    assert headings and all(strength(s.query, st, s.view) < 2 or "買" in st.text for st in headings)
    assert all(strength(s.query, st, s.view) != 1 for st in headings)


def test_a_weekday_a_schedule_repeats_on_answers_when() -> None:
    info = "# 白浜町 市民活動センターのご案内\n\n開館時間：午前9時～午後9時\n\n休館日：月曜日、祝日、年末年始\n"
    answer = small({"c.md": info}, "市民活動センターの休館日はいつ？", {"c.md": "白浜町"}).answer()
    assert not answer.abstained and answer.text.startswith("月曜日")


def test_the_documents_table_of_contents_is_not_a_list_answer() -> None:
    report = ("# 白浜町 協働事業実績報告書\n\n## はじめに\n\n本書は実績をまとめたものです。\n\n## 1. 実績の概要\n\n"
              "事業を実施しました。\n\n## 2. 成果と課題\n\n### 課題\n\n・若い世代の参加が少ないこと\n・担い手が不足していること\n\n"
              "## 3. 今後の方針\n\n引き続き取り組みます。\n")
    answer = small({"r.md": report}, "実績報告で挙げられている課題はどんなこと？", {"r.md": "白浜町"}).answer()
    quotes = [c.quote.strip() for c in answer.citations]
    assert "はじめに" not in quotes and "1. 実績の概要" not in quotes


def test_the_title_heading_is_told_from_a_section_heading() -> None:
    from assistant.strategies.listing import _is_title

    report = "# 白浜町 協働事業実績報告書\n\n## はじめに\n\n本書は実績をまとめたものです。\n\n## 2. 成果と課題\n\n課題があります。\n"
    s = small({"r.md": report}, "課題は？", {"r.md": "白浜町"})
    heads = {st.text.strip(): st for st in s.statements if st.segment.kind == "heading"}
    title = heads["白浜町 協働事業実績報告書"]
    assert _is_title(s.view, "r.md", title.start, title.end)
    section = heads["2. 成果と課題"]
    assert not _is_title(s.view, "r.md", section.start, section.end)


def test_announcements_name_the_count_and_the_noun() -> None:
    from assistant.values import announcements

    assert announcements("指針で大事にする5つの約束") == [(5, "約束")]
    assert announcements("本市の協働をめぐる課題を次の4点に整理しました。") == [(4, "課題")]
    assert announcements("協働を進めます。") == []


def test_a_count_that_does_not_close_its_sentence_announces_nothing() -> None:
    from assistant.strategies.listing import announcing

    assert announcing("次の3つの基本方針に基づき、各種事業に取り組みます。") == [(3, "基本方針")]
    assert announcing("市の協働について、5つの約束を定めます。") == [(5, "約束")]
    assert announcing("基本構想では、市民の暮らしを支える5つの基本目標の全てに関連し、その土台となる目標を掲げ、体制を構築します。") == []


PLEDGES = """# 白浜町協働推進指針【概要版】

## 指針をつくったわけ

町民と町が力を合わせるための道しるべとして、この指針をつくりました。

## 指針で大事にする4つの約束

・おたがいを認めあう
・目的を分かちあう
・役割を分けあう
・ふりかえりあう

## お知らせ：円卓会議

・日時：令和5年7月8日（土）
・会場：白浜町公民館
"""


def test_a_question_asking_for_what_a_heading_counts_is_answered_by_its_items() -> None:
    """「大事にしている約束って？」 names no list, but the heading 「4つの約束」 announces one:
    its four items answer, and the next section's bullets do not join them."""
    answer = small({"g.md": PLEDGES}, "白浜町の指針で大事にしている約束って？", {"g.md": "白浜町"}).answer()
    quotes = [c.quote.strip().lstrip("・") for c in answer.citations]
    assert quotes == ["おたがいを認めあう", "目的を分かちあう", "役割を分けあう", "ふりかえりあう"]
    assert "数を示す一覧" in answer.trace.strategy_reason


def test_the_questions_asked_noun_skips_question_words() -> None:
    from assistant.query import asked_noun_of

    assert asked_noun_of("計画で整理されている課題は何？") == "課題"
    assert asked_noun_of("指針で大事にしている約束って？") == "約束"


ISSUES = """# 白浜町協働推進計画

## 今後取り組むべき課題

振り返りと意識調査の結果から、本町の協働をめぐる課題を次の3点に整理しました。

課題1　活動の担い手の高齢化

課題2　情報が届いていないこと

課題3　若者が参加しにくいこと

## 基本方針

基本方針は次のとおりです。
"""


def test_items_labelled_with_a_running_number_form_the_list() -> None:
    answer = small({"p.md": ISSUES}, "白浜町の計画で整理されている課題は何？", {"p.md": "白浜町"}).answer()
    quotes = [c.quote for c in answer.citations]
    assert [q.split("　")[0] for q in quotes] == ["課題1", "課題2", "課題3"]


def test_labelled_numbers() -> None:
    from assistant.docview import labelled_number

    assert labelled_number("課題1　活動の担い手") == ("課題", 1)
    assert labelled_number("柱２ 村の外とのつながり") == ("柱", 2)
    assert labelled_number("令和5年4月に策定") is None and labelled_number("第1章 総論") is None


def test_items_that_repeat_one_text_are_not_a_list() -> None:
    plan = ("# 白浜町協働推進計画\n\n## 施策1 情報発信の充実\n\n【主な取組】\n\n・広報紙で団体を紹介します。\n・SNSで発信します。\n\n"
            "## 施策2 交流の促進\n\n【主な取組】\n\n・交流会を開きます。\n")
    answer = small({"p.md": plan}, "情報発信の充実では、どんな取組をしますか？", {"p.md": "白浜町"}).answer()
    quotes = [c.quote.strip() for c in answer.citations]
    assert quotes.count("【主な取組】") <= 1 and any("広報紙" in q for q in quotes)


def test_a_table_header_gives_its_columns_unit() -> None:
    """「決算額（円）」 over 「5,520,000」: the row holds an amount though it never says 円."""
    report = ("# 白浜町 事業実績報告書\n\n## 予算の執行状況\n\n| No. | 事業名 | 予算額（円） | 決算額（円） |\n|---|---|---|---|\n"
              "| 1 | 地域づくり交付金 | 5,520,000 | 5,480,000 |\n| 2 | 提案型協働事業補助金 | 900,000 | 730,000 |\n\n"
              "## 地域づくり交付金\n\n交付金は均等割50万円と人口割により算定しました。\n")
    answer = small({"r.md": report}, "白浜町の地域づくり交付金の決算額はいくら？", {"r.md": "白浜町"}).answer()
    assert not answer.abstained and "5,480,000" in answer.text


def test_header_units_are_read_from_the_header_row_only() -> None:
    from assistant.docview import document_segments

    text = "| 事業名 | 決算額（千円） | 参加者数（人） |\n|---|---|---|\n| 講座 | 1,200 | 45 |\n"
    rows = [s for s in document_segments(text) if s.kind == "table" and s.header]
    assert rows and all(s.header_units == ("千円", "人") for s in rows)


PERIODS = ("# 白浜市市民協働推進プラン\n\n## はじめに\n\n平成31年度からは第1次計画に基づき、センターの開設に取り組んでまいりました。\n\n"
           "白浜市では、令和7年3月に「白浜市市民協働推進プラン」（計画期間：令和7年度～令和12年度）を策定しました。\n\n"
           "前期3年間に取り組む具体的な事業を「前期アクションプラン」にまとめました。\n\n"
           "## プランの期間\n\nこのプランの期間は、令和7年度から令和12年度までの6年間とします。\n")


def test_a_period_is_answered_by_its_span_and_what_agrees_with_it() -> None:
    """「いつからいつまで」: the span of years first; 「前期3年間」 (a phase) and 「平成31年度から」
    (the previous plan) do not fit it and are left out."""
    answer = small({"p.md": PERIODS}, "白浜市の市民協働推進プランの計画期間はいつからいつまで？", {"p.md": "白浜市"}).answer()
    quotes = " ".join(c.quote for c in answer.citations)
    assert "令和7年度" in answer.text and "令和12年度" in answer.text
    assert "前期3年間" not in quotes and "平成31年度" not in quotes


def test_consistent_periods_keeps_the_length_that_fits() -> None:
    from assistant.strategies.picking import consistent_periods

    s = small({"p.md": PERIODS}, "白浜市の市民協働推進プランの計画期間は？", {"p.md": "白浜市"})
    by_text = {st.text: st for st in s.statements}
    span = next(st for t, st in by_text.items() if "計画期間：" in t)
    phase = next(st for t, st in by_text.items() if "前期3年間" in t)
    length = next(st for t, st in by_text.items() if "6年間" in t)
    assert consistent_periods([span, phase], [span, phase, length]) == [span, length]


def test_durations_are_read_with_their_bounds() -> None:
    from assistant.values import bounded_durations, durations

    assert durations("活動半年の団体") == [0.5] and durations("令和5年度から") == [] and durations("2024年に") == []
    assert bounded_durations("最長3年") == [(3.0, "<=")] and bounded_durations("1年以上の活動実績") == [(1.0, ">=")]
    assert bounded_durations("6か月以内") == [(0.5, "<=")]


RULES = ("# 白浜町 提案型協働事業 募集要項\n\n## 応募できる団体\n\n"
         "ステップアップ部門に申請する場合は、1年以上の活動実績があること（スタートアップ部門は、活動期間を問いません）。\n\n"
         "## 委員\n\n委員の任期は2年です。\n")


def test_a_stated_length_is_compared_with_the_documents() -> None:
    """「活動半年でも応募できる？」 against 「1年以上の活動実績」: no; 「任期って3年？」 against
    「任期は2年」: no; the aside naming another case (スタートアップ部門) gives no verdict."""
    cities = {"r.md": "白浜町"}
    assert small({"r.md": RULES}, "活動半年の団体でもステップアップ部門に応募できる？", cities).answer().text.startswith("いいえ")
    assert small({"r.md": RULES}, "白浜町の委員の任期って3年？", cities).answer().text.startswith("いいえ")
    assert small({"r.md": RULES}, "白浜町の委員の任期って2年？", cities).answer().text.startswith("はい")
    aside = small({"r.md": RULES}, "活動半年の団体でもスタートアップ部門なら応募できる？", cities).answer()
    assert not aside.text.startswith("いいえ")


MONTHS = ("# 白浜市 年次報告書\n\n## センターの利用状況\n\n| 月 | 利用者数 | 相談件数 |\n|---|---|---|\n"
          "| 4月 | 812人 | 41件 |\n| 5月 | 865人 | 38件 |\n| 10月 | 1,102人 | 61件 |\n| 11月 | 990人 | 70件 |\n"
          "| 合計 | 3,769人 | 210件 |\n")


def test_the_extreme_row_of_the_asked_column_answers_a_superlative() -> None:
    """「利用者がいちばん多かった月」: the 利用者数 column's largest row (not the 合計 row);
    「相談件数がいちばん多かった月」: the other column's."""
    cities = {"r.md": "白浜市"}
    visitors = small({"r.md": MONTHS}, "白浜市のセンターの利用者がいちばん多かった月はいつ？", cities).answer()
    assert visitors.text.startswith("10月") and "1,102人" in " ".join(c.quote for c in visitors.citations)
    consults = small({"r.md": MONTHS}, "白浜市のセンターで相談件数が最も多かった月は？", cities).answer()
    assert consults.text.startswith("11月")
    assert "superlative" == consults.trace.strategy


def test_a_statement_saying_the_extreme_answers_before_the_numbers() -> None:
    report = MONTHS + "\nフェスタの準備が重なった5月の利用者数が最も多くなりました。\n"
    answer = small({"r.md": report}, "白浜市のセンターの利用者がいちばん多かった月はいつ？", {"r.md": "白浜市"}).answer()
    assert "5月の利用者数が最も多く" in answer.citations[0].quote


def test_the_table_a_survey_question_introduces_answers_its_first_place() -> None:
    """「市に期待することの1位は？」「参加しない一番の理由は？」: 1位 and 一番の ask the top row; of
    the tables found, the one whose header and question line (「問5　市に期待することは…」) share
    the question's words answers, though a table about something else ranks first."""
    survey = ("# 白浜市 意識調査\n\n## 結果\n\n問3　参加していない理由は何ですか。\n\n| 選択肢 | 今回 | 前回 |\n|---|---|---|\n"
              "| 時間がない | 48.3％ | 51.0％ |\n| きっかけがない | 35.7％ | 33.2％ |\n\n"
              "問5　協働を進めるために、市に期待することは何ですか。\n\n| 選択肢 | 今回 | 前回 |\n|---|---|---|\n"
              "| 補助金の充実 | 31.0％ | 30.2％ |\n| 活動に関する情報の発信 | 46.9％ | 44.0％ |\n")
    cities = {"s.md": "白浜市"}
    wish = small({"s.md": survey}, "白浜市民が市に期待することの1位は？", cities).answer()
    assert wish.text.startswith("活動に関する情報の発信") and wish.trace.strategy == "superlative"
    reason = small({"s.md": survey}, "白浜市民が参加しない一番の理由は？", cities).answer()
    assert reason.text.startswith("時間がない")


def test_a_sentence_giving_the_ranking_answers_the_top_n() -> None:
    """「上位３つ」 asked of a survey whose report says the ranking in one sentence (「「A」が最も
    多く、次いで「B」、「C」の順」): the sentence answers, not the three largest rows of another
    table with figures (a 策定の経過 table's 参加者数)."""
    report = ("# 白浜市 計画\n\n## 意識調査の結果\n\n参加していない理由は、「時間がない」（52.1％）が最も多く、次いで"
              "「きっかけがない」（38.4％）、「活動を知らない」（30.9％）の順でした。\n\n## 策定の経過\n\n年月日\t内容\t参加者数\n"
              "令和6年8月\t企業ヒアリング\t8社\n令和6年11月20日\t第3回委員会\t11人\n令和6年12月13日\tパブリックコメント\t9人\n")
    answer = small({"p.md": report}, "白浜市の意識調査で、参加していない理由の上位３つは？", {"p.md": "白浜市"}).answer()
    assert all(w in answer.text for w in ("時間がない", "きっかけがない", "活動を知らない"))
    assert "ヒアリング" not in answer.text and "次いで" in (answer.trace.strategy_reason or "")


def test_a_table_under_a_heading_and_its_announcing_sentence_is_the_list() -> None:
    """「協働の基本原則を全部教えて」 over 「## 2 協働の基本原則」, one sentence 「次の３つの原則を大切に
    します。」 and a table of three rows under column names that do not say 原則: the rows are the
    list (the items only), not the section quoted line by line with its intro and header row."""
    plan = ("# 第3章 計画の基本的な考え方\n\n## 1 基本理念\n\nつながる力で　ともにつくる　白浜のあした\n\n## 2 協働の基本原則\n\n"
            "　協働を進めるにあたっては、次の３つの原則を大切にします。\n\n名称\t内容\n"
            "対等の原則\t互いに対等な立場で、自由に意見を交わします。\n自主性尊重の原則\t市民活動団体の自主性と自立性を尊重します。\n"
            "情報公開の原則\t協働の過程と結果を広く市民に公開します。\n\n## 3 協働の主体の役割\n\n"
            "　協働のまちづくりを進めるためには、それぞれの主体が役割を果たすことが大切です。\n\n"
            "主体\t期待される役割\n市民\t地域の課題に関心を持ちます。\n市\t協働の仕組みを整えます。\n\n"
            "## 4 基本目標\n\n　基本理念の実現に向け、３つの基本目標を掲げます。\n")
    answer = small({"p.md": plan}, "白浜市の協働の基本原則を全部教えて", {"p.md": "白浜市"}).answer()
    said = answer.text.split("出典")[0]
    assert all(w in said for w in ("対等の原則", "自主性尊重の原則", "情報公開の原則"))
    assert answer.trace.strategy == "list" and "名称" not in said and "大切にします" not in said


def test_the_latest_row_by_its_year() -> None:
    table = ("# 白浜市地域自治推進計画\n\n## 協議会の設立状況\n\n| 小学校区 | 協議会の名称 | 設立年度 |\n|---|---|---|\n"
             "| 北校区 | 北地域自治協議会 | 平成30年度 |\n| 西校区 | 西地域づくり協議会 | 令和4年度 |\n"
             "| 東校区 | 東地域自治協議会 | 令和2年度 |\n")
    answer = small({"p.md": table}, "白浜市で一番最近できた地域自治協議会はどこの校区？", {"p.md": "白浜市"}).answer()
    assert answer.text.startswith("西校区")


def test_a_heading_naming_the_asked_noun_is_answered_by_its_items() -> None:
    """「課題はどんなこと？」 would be answered by the headings 「成果」「課題」: the 課題
    heading's items answer instead."""
    report = ("# 白浜町 事業実績報告書\n\n## 3. 成果と課題\n\n### 成果\n\n- 参加者が増えた。\n- 新しい団体が生まれた。\n\n"
              "### 課題\n\n- 若い世代の参加が少ない。\n- 役員の担い手が不足している。\n\n## 4. 今後の方針\n\n引き続き取り組む。\n")
    answer = small({"r.md": report}, "実績報告で挙げられている白浜町の課題はどんなことですか", {"r.md": "白浜町"}).answer()
    quotes = [c.quote.strip() for c in answer.citations]
    assert "成果" not in quotes and "課題" not in quotes
    assert any("若い世代" in q for q in quotes) and any("担い手" in q for q in quotes)


def test_the_asked_noun_is_never_a_formal_noun() -> None:
    from assistant.query import asked_noun_of

    assert asked_noun_of("蛍ヶ沢町の課題はどんなことですか") == "課題"


def test_a_once_only_rule_says_no_to_twice() -> None:
    rules = "# 白浜村 補助金交付要綱\n\n## 交付の回数\n\n同じ事業に対する補助は、1回限りとします。\n"
    answer = small({"r.md": rules}, "白浜村の補助金で、同じ事業に2回補助を受けることはできる？", {"r.md": "白浜村"}).answer()
    assert answer.text.startswith("いいえ")


def test_a_question_naming_a_labelled_item_is_answered_by_its_items() -> None:
    guide = ("# 白浜村協働推進指針【概要版】\n\n## 3つの柱\n\n### 柱1　集落の支えあいを続ける\n\n・支えあいマップづくり\n・おたがいさま隊\n\n"
             "### 柱2　村の外とのつながりを広げる\n\n・応援団の登録\n・交流会の開催\n\n### 柱3　仕組みをととのえる\n\n・補助金の創設\n・窓口の一本化\n")
    answer = small({"g.md": guide}, "柱1ではどんな取組をする？（白浜村）", {"g.md": "白浜村"}).answer()
    quotes = " ".join(c.quote for c in answer.citations)
    assert "支えあいマップ" in quotes and "柱2" not in quotes


def test_a_day_of_the_week_is_compared_with_the_opening_days() -> None:
    center = ("# 白浜市ボランティアセンター活動報告書\n\n## センターの概要\n\nセンターは市社会福祉協議会が運営しています。\n\n"
              "開所日時：月曜日～土曜日　午前８時30分～午後５時15分（祝日・年末年始を除く）\n")
    cities = {"c.md": "白浜市"}
    assert small({"c.md": center}, "白浜市ボランティアセンターって日曜日もやってますか？", cities).answer().text.startswith("いいえ")
    assert small({"c.md": center}, "白浜市ボランティアセンターは土曜日もやってますか？", cities).answer().text.startswith("はい")


def test_weekday_ranges() -> None:
    from assistant.values import weekday_ranges, weekdays

    assert weekdays("日曜日もやってますか") == ["日"]
    assert weekday_ranges("月曜日～土曜日") == [set("月火水木金土")]
    assert weekday_ranges("金曜日から月曜日") == [set("金土日月")]


def test_a_table_whose_first_column_names_the_asked_noun_lists_its_rows() -> None:
    """「審査項目は？」 over a table 「審査項目 | 主な視点」: the rows are the items, not the table's
    first few rows beside other statements; a body row (「自治会加入率 | 66.1%」) or a row's
    long label with a number is no column name."""
    guide = ("# 白浜町 協働事業補助金 募集要項\n\n## 審査の方法\n\n審査は次の5つの項目について採点します。\n\n"
             "| 審査項目 | 主な視点 |\n|---|---|\n| 公益性 | 多くの町民の利益につながるか |\n"
             "| 協働性 | 役割分担が明確か |\n| 実現性 | 計画に無理がないか |\n| 発展性 | 継続する見込みがあるか |\n"
             "| 予算の妥当性 | 経費の積算が適正か |\n\n審査結果は文書で通知します。\n")
    answer = small({"g.md": guide}, "白浜町の審査項目は何がありますか", {"g.md": "白浜町"}).answer()
    quotes = [c.quote for c in answer.citations]
    assert answer.trace is not None and answer.trace.strategy == "list"
    from assistant.strategies.listing import _header_names
    from assistant.text import table_cells

    assert [table_cells(q)[0].strip() for q in quotes] == ["公益性", "協働性", "実現性", "発展性", "予算の妥当性"]

    s = small({"g.md": guide}, "白浜町の審査項目は何がありますか", {"g.md": "白浜町"})
    header = next(st for st in s.statements if table_cells(st.text) and "審査項目" in table_cells(st.text)[0])
    row = next(st for st in s.statements if "公益性" in st.text)
    assert _header_names(s.query, header) and not _header_names(s.query, row)


def test_no_verdict_from_a_statement_that_never_names_the_case_asked() -> None:
    """「パソコンは買えますか」: the rules' purpose article names the subsidy, never a computer, so
    it decides nothing (no 「はい」 from the mere absence of a negation); an item that names the
    case still decides."""
    rules = ("# 白浜町地域づくり補助金交付要綱\n\n第1条　この要綱は、地域づくり活動を支援するため、予算の範囲内で"
             "交付する補助金に関し、必要な事項を定めるものとする。\n\n第2条　補助金は、集落が行う草刈りや清掃の活動に"
             "交付する。\n")
    cities = {"r.md": "白浜町"}
    pc = small({"r.md": rules}, "白浜町の補助金でパソコンは買えますか", cities).answer()
    assert not pc.text.startswith(("はい", "いいえ")), pc.text
    mowing = small({"r.md": rules}, "白浜町の補助金は草刈りの活動に交付されますか", cities).answer()
    assert mowing.text.startswith("はい"), mowing.text


def test_a_value_of_another_edition_is_not_the_answer_when_the_asked_one_is_there() -> None:
    """「第２次…計画の計画期間は？」: the sentence giving the 第１次 plan's period is about another
    edition; the section on this plan's period answers."""
    plan = ("# 第２次白浜町協働推進計画\n\n## 1 計画策定の趣旨\n\n第１次白浜町協働推進計画（平成30年度～令和５年度）の"
            "計画期間が終了することから、これまでの取組を検証しました。\n\n## 2 計画の期間\n\n"
            "本計画の期間は、令和６年度から令和10年度までの５年間とします。\n")
    answer = small({"p.md": plan}, "第２次白浜町協働推進計画の計画期間は？", {"p.md": "白浜町"}).answer()
    assert "令和6年度" in answer.text.replace("６", "6") and "平成30年度" not in answer.text, answer.text
    from assistant.values import names_another_edition

    assert names_another_edition("第2次計画の期間", "第1次計画(平成30年度~令和5年度)")
    assert not names_another_edition("第2次計画の期間", "第2次計画は第1次計画を継ぐ")
    assert not names_another_edition("計画の期間", "第1次計画(平成30年度~令和5年度)")


def test_a_numbered_list_ends_where_its_numbers_start_again() -> None:
    """A 要綱 numbers each article's items from （１）: the 部門 are the first run, not every
    （N） of the document."""
    rules = ("# 白浜町まちづくり活動補助金交付要綱\n\n第４条　補助対象事業は、次の各号に掲げる部門の区分に応じ、"
             "当該各号に定めるものとする。\n（１）スタートアップ部門　新たに始める活動\n"
             "（２）ステップアップ部門　これまでの活動実績を生かして発展させる活動\n"
             "２　次の各号のいずれかに該当する事業は、補助対象事業としない。\n（１）営利を目的とする事業\n"
             "（２）政治活動を目的とする事業\n\n第５条　補助対象経費は、次に掲げるものとする。\n（１）報償費\n（２）消耗品費\n")
    answer = small({"r.md": rules}, "白浜町のまちづくり活動補助金の部門は何がある？", {"r.md": "白浜町"}).answer()
    quotes = [c.quote for c in answer.citations]
    assert any("スタートアップ部門" in q for q in quotes) and any("ステップアップ部門" in q for q in quotes), quotes
    assert not any("営利" in q or "報償費" in q for q in quotes), quotes


def test_a_sentence_that_counts_and_names_the_items_is_the_list() -> None:
    """「…「テーマ設定型」と、…「自由提案型」の２つの区分で実施しています」 with no list of two
    elsewhere: the sentence answers 「区分は？」 (where headings list them in full, they do: the
    seed gold set's 「３つの基本方針を挙げてください」)."""
    record = ("# 白浜町協働推進審議会 会議録\n\n## 議事\n\n現行の提案制度は、町が課題を示す「テーマ設定型」と、団体が"
              "自由に提案する「自由提案型」の２つの区分で実施しています。\n\n・委員　事前協議の必須化に賛成です。\n"
              "・委員　対象団体の範囲を広げてほしい。\n・事務局　次回までに具体化します。\n")
    answer = small({"r.md": record}, "白浜町の提案制度の区分は？", {"r.md": "白浜町"}).answer()
    assert len(answer.citations) == 1 and "「自由提案型」の２つの区分" in answer.citations[0].quote, answer.text


ACTION_PLAN = ("# 白浜市協働アクションプラン\n\n## 具体的な取組\n\n"
               "| No. | 事業名 | 担当課 | 令和７年度 | 令和８年度 | 指標 | 目標 |\n|---|---|---|---|---|---|---|\n"
               "| 1-1 | 地域デビュー講座の開催 | 市民協働課 | 年４回開催 | 年５回開催 | 受講者数 | 120人 |\n"
               "| 1-2 | コーディネーター養成講座 | 生涯学習課 | 全６回コースの開講 | 継続開講 | 修了者数（累計） | 45人 |\n"
               "| 2-1 | 企業との連携 | 商工課 | 実態調査 | マッチング会の開催 | 参加企業数 | 20社 |\n")


def test_a_table_row_named_by_the_question_is_read_in_the_column_it_names() -> None:
    """「コーディネーター養成講座の目標」: the row's own 目標 cell (45人), not the first row's or
    another row's; 「担当している課」 names the 担当課 column; a year column answers 「令和８年度は何を」."""
    cities = {"a.md": "白浜市"}
    target = small({"a.md": ACTION_PLAN}, "白浜市のコーディネーター養成講座の目標は？", cities).answer()
    assert target.trace.strategy == "table_cell"
    assert target.text.startswith("目標: 45人") and "120人" not in target.text.split("\n")[0]
    section = small({"a.md": ACTION_PLAN}, "企業との連携を担当している課は？（白浜市）", cities).answer()
    assert section.text.startswith("担当課: 商工課")
    year = small({"a.md": ACTION_PLAN}, "白浜市の地域デビュー講座、令和８年度は何をする予定？", cities).answer()
    assert year.text.startswith("令和８年度: 年５回開催")


def test_a_column_name_is_said_only_when_every_character_of_it_is() -> None:
    from assistant.query import parse_query
    from assistant.strategies.table_cell import asked_column

    view = small({"a.md": ACTION_PLAN}, "目標", {"a.md": "白浜市"}).view
    head = ["No.", "講座名", "会場", "参加者数"]
    ask = lambda q, h: asked_column(parse_query(q, []), view, h)  # noqa: E731
    assert ask("講座の参加者数は？", head) == 3
    # 「登録者数」 shares 者 and 数 with 参加者数 but does not say it
    assert ask("個人の登録者数は何人？", head) is None
    assert ask("予算現額はいくら？", ["事業名", "予算現額（千円）", "決算額（千円）"]) == 1


def test_a_table_cell_is_not_read_when_the_row_cannot_answer() -> None:
    """The cell must hold the asked kind of value (「いつ」 is not answered by 「年４回開催」), the
    numbered qualifier asked (「２年目」) must be the row's, and two rows named alike are not chosen between."""
    from assistant.strategies import table_cell

    cities = {"a.md": "白浜市"}
    when = small({"a.md": ACTION_PLAN}, "白浜市の地域デビュー講座は令和７年度はいつ開催？", cities)
    assert table_cell.select(when.query, when.scope, when.view) is None
    second = small({"a.md": ACTION_PLAN}, "白浜市のコーディネーター養成講座の２年目の目標は？", cities)
    assert table_cell.select(second.query, second.scope, second.view) is None
    twins = ACTION_PLAN + "| 2-2 | 企業との連携 | 総務課 | 協定の締結 | 継続 | 協定数 | 5社 |\n"
    alike = small({"a.md": twins}, "白浜市の企業との連携の目標は？", cities)
    assert table_cell.select(alike.query, alike.scope, alike.view) is None


def test_a_column_the_table_lacks_is_not_read_from_a_column_like_it() -> None:
    """「中間目標は？」 is not answered from a table with only a 目標 column."""
    from assistant.strategies import table_cell

    mid = small({"a.md": ACTION_PLAN}, "白浜市のコーディネーター養成講座の中間目標は？", {"a.md": "白浜市"})
    assert table_cell.select(mid.query, mid.scope, mid.view) is None


def test_a_named_section_is_answered_by_its_sub_heading_naming_what_is_asked() -> None:
    """「『運営力の強化』の具体的な取組は？」: under the named heading, an intro sentence, then
    【具体的な取組】 and its items; the items answer (not the intro alone), and not the next
    section's items."""
    plan = ("# 白浜市協働推進計画\n\n## 第４章 施策の展開\n\n### （１）参加のきっかけづくり\n\n初めての人が参加しやすい機会をつくります。\n\n"
            "【具体的な取組】\n\n①　地域デビュー講座の開催：初めての人向けの講座を開きます。\n\n"
            "②　ボランティア体験：中高生の体験の場をつくります。\n\n"
            "### （２）団体の運営力の強化\n\n団体が継続して活動できるよう支援します。\n\n【具体的な取組】\n\n"
            "①　団体運営講座の開催：会計や広報の講座を開きます。\n\n②　アドバイザー派遣：専門家を派遣します。\n\n"
            "③　プロボノの活用促進：企業で働く人の技能を生かします。\n\n### （３）人材の育成\n\n人材を育てます。\n")
    answer = small({"p.md": plan}, "白浜市の「団体の運営力の強化」の具体的な取組は何ですか", {"p.md": "白浜市"}).answer()
    quotes = " ".join(c.quote for c in answer.citations)
    assert all(w in quotes for w in ("団体運営講座", "アドバイザー派遣", "プロボノ"))
    assert "地域デビュー講座" not in quotes and "人材を育てます" not in quotes


MINUTES = ("# 白浜町推進委員会 会議録\n\n## 議題\n\n"
           "○Ａ委員　中間評価の結果は、どのように町民に公表するのか。\n"
           "●事務局　評価シートを確定した後、広報しらはま及び町ホームページで公表する。\n\n"
           "○Ｂ委員　交流まつりの会場はどこになるのか。\n"
           "●事務局　白浜町総合体育館で開催する予定である。\n")


def test_a_quoted_question_is_followed_by_its_reply() -> None:
    """A member's question in a 会議録 does not answer; the 事務局's reply after it does."""
    answer = small({"m.md": MINUTES}, "白浜町の中間評価の結果はどうやって公表する？", {"m.md": "白浜町"}).answer()
    quotes = [c.quote for c in answer.citations]
    asked = next(i for i, q in enumerate(quotes) if "公表するのか" in q)
    assert "ホームページで公表する" in quotes[asked + 1]
    assert "会場" not in " ".join(quotes)


def test_a_statement_is_asking_by_its_ending_and_a_reply_never_asks() -> None:
    from assistant.strategies.replies import asks, reply_to

    s = small({"m.md": MINUTES}, "交流まつりの会場は？", {"m.md": "白浜町"})
    question = next(st for st in s.statements if "会場はどこ" in st.text)
    assert asks(question) and not asks(next(st for st in s.statements if "総合体育館" in st.text))
    assert "総合体育館" in reply_to(question, s.view).text
    first = next(st for st in s.statements if "公表するのか" in st.text)
    reply = reply_to(first, s.view)
    assert reply is not None and "ホームページ" in reply.text


def test_a_list_that_never_names_the_question_s_subject_does_not_answer() -> None:
    """「若者まちづくり塾ではどんな支援をするの？」: the headings of the next section are a list,
    but neither they nor their section name the 塾; the list strategy passes."""
    plan = ("# 白浜市協働推進計画【概要版】\n\n## 主な取組\n\n### 基本目標1 担い手を育てる\n\n・若者まちづくり塾（高校生・大学生）\n"
            "・協働コーディネーター養成講座\n\n### 基本目標2 場をつくる\n\n・相談を週1回に拡充\n\n### 基本目標3 主体をつなぐ\n\n・地域担当職員\n")
    s = small({"g.md": plan}, "若者まちづくり塾ではどんな支援をするの？", {"g.md": "白浜市"})
    got = listing.select(s.query, s.scope, s.view)
    assert got is None or any("若者まちづくり塾" in st.text or "基本目標1" in st.text for st in got.statements)
    assert listing._about_focus(s.query, [st for st in s.statements if "基本目標2" in st.text], s.view) is False
    assert listing._about_focus(s.query, [st for st in s.statements if "若者まちづくり塾" in st.text], s.view) is True


def test_a_question_heading_in_emphasis_is_followed_by_its_answer() -> None:
    faq = ("# 白浜村 協働Ｑ＆Ａ\n\n### Q1 「協働のむらづくり」とは何ですか？\n\n"
           "**A.** 村民と村が力を合わせて村の課題に取り組むことです。\n\n### Q2 補助金はありますか？\n\n**A.** あります。\n")
    answer = small({"f.md": faq}, "「協働のむらづくり」とはどういう意味ですか。", {"f.md": "白浜村"}).answer()
    assert "力を合わせて" in " ".join(c.quote for c in answer.citations)


SURVEY = ("# 白浜市 市民アンケート結果\n\n## 問7 市が力を入れるべきこと\n\n| 順位 | 項目 | 割合 |\n|---|---|---|\n"
          "| 1 | 公共交通の確保 | 52.3％ |\n| 2 | 見守り・生活支援 | 47.8％ |\n| 3 | 若者の定住促進 | 40.6％ |\n"
          "| 4 | 農地の保全 | 27.1％ |\n")


def test_the_top_n_rows_answer_a_question_asking_for_the_top_n() -> None:
    """「上位3つ」: the three largest rows, labelled by their item (not their rank column); the
    fourth is left out. 「上位を教えて」 without a number asks no table extreme."""
    from assistant.query import parse_query, top_n_of

    assert top_n_of("力を入れるべきことの上位３つを教えて") == 3 and top_n_of("トップは？") == 1
    assert parse_query("上位を教えて", []).superlative is None
    answer = small({"s.md": SURVEY}, "白浜市のアンケートで市が力を入れるべきことの上位３つは？", {"s.md": "白浜市"}).answer()
    first = answer.text.split("\n")[0]
    assert all(w in first for w in ("公共交通の確保", "見守り・生活支援", "若者の定住促進"))
    assert "農地" not in first and not first.startswith("1 ")
    top = small({"s.md": SURVEY}, "白浜市のアンケートで市が力を入れるべきことのトップは？", {"s.md": "白浜市"}).answer()
    assert top.text.startswith("公共交通の確保")


HALL = ("# 白浜村 交流館のご案内\n\n## 使用料\n\n使用料：村内の団体が公益的な活動に使う場合は無料です。\n\n"
        "## 補償制度\n\n村内の団体が行う公益的な活動の最中のけがが対象です。なお、営利を目的とする活動や、スポーツの練習・試合は対象外です。\n\n"
        "## 団体登録\n\n登録は無料で、有効期間は年度の末日までです（毎年度更新が必要です）。\n\n"
        "## 調査結果\n\n活動への参加率は28.4％と前回から低下しました。\n")


def test_a_statement_saying_the_opposite_of_the_question_s_word_answers_no() -> None:
    """「使用料はかかりますか」 - 「無料です」, 「上がりましたか」 - 「低下しました」: いいえ, with no
    negative form in the statement; 「毎年更新しないといけない？」 is an obligation, not a negation;
    「練習中のけが」 is decided by the statement naming 「練習」."""
    cities = {"h.md": "白浜村"}
    ask = lambda q: small({"h.md": HALL}, q, cities).answer().text  # noqa: E731
    assert ask("白浜村の団体が公益活動で交流館を使う場合、使用料はかかりますか").startswith("いいえ")
    assert ask("白浜村の活動への参加率は前回より上がりましたか？").startswith("いいえ")
    assert ask("白浜村の団体登録は毎年更新しないといけないの？").startswith("はい")
    assert ask("スポーツの練習中のけがは白浜村の補償制度の対象になりますか").startswith("いいえ")


def test_the_opposite_word_decides_only_when_the_question_says_its_counterpart() -> None:
    from assistant.strategies.yes_no import says_opposite

    s = small({"h.md": HALL}, "白浜村の交流館の使用料は無料ですか", {"h.md": "白浜村"})
    free = next(st for st in s.statements if "無料です" in st.text)
    assert not says_opposite(s.query, free)  # 「無料ですか」 - 「無料です」: the same word, yes
    t = small({"h.md": HALL}, "白浜村の交流館の使用料はかかりますか", {"h.md": "白浜村"})
    assert says_opposite(t.query, next(st for st in t.statements if "無料です" in st.text))


OUTLINE = ("# 白浜村 村民アンケート結果\n\n## 調査の概要\n\n| 項目 | 内容 |\n|---|---|\n| 調査対象 | 18歳以上の村民1,500人 |\n"
           "| 回収数 | 812件 |\n| 回収率 | 54.1％ |\n| 地域自治協議会 | 14地区中9地区で設立 |\n")


def test_a_two_column_table_is_read_by_the_label_the_question_says() -> None:
    """「回収率は？」: the row labelled 回収率 answers, led by its label (not the column 「内容」);
    「未設立の地区はいくつ？」 is not the value of the row 「地域自治協議会」 (it says 設立, not 未設立)."""
    from assistant.strategies import table_cell

    cities = {"s.md": "白浜村"}
    rate = small({"s.md": OUTLINE}, "白浜村の村民アンケートの回収率は？", cities)
    got = table_cell.select(rate.query, rate.scope, rate.view)
    assert got is not None and got.cell == ("回収率", "54.1％")
    assert rate.answer().text.startswith("回収率: 54.1％")
    unset = small({"s.md": OUTLINE}, "白浜村で地域自治協議会が未設立の地区はいくつ？", cities)
    assert table_cell.select(unset.query, unset.scope, unset.view) is None


GOALS = ("# 白浜市協働推進計画\n\n## 施策の体系\n\n| 基本目標 | 施策の方向 |\n|---|---|\n"
         "| 基本目標１　担い手を育てる | （１）参加のきっかけづくり |\n| 基本目標１　担い手を育てる | （２）団体の運営力強化 |\n"
         "| 基本目標２　場をつくる | （１）支援センターの機能強化 |\n| 基本目標２　場をつくる | （２）協議会の設立支援 |\n"
         "| 基本目標Ⅲ　仕組みを充実させる | （１）提案制度の充実 |\n")


def test_statements_under_another_number_of_the_asked_kind_are_not_chosen() -> None:
    from assistant.strategies.numbered import numbers

    assert numbers("基本目標２の施策") == {"基本目標": {"2"}} and numbers("基本方針Ⅲ") == {"基本方針": {"3"}}
    answer = small({"g.md": GOALS}, "白浜市の基本目標２の施策の方向は？", {"g.md": "白浜市"}).answer()
    quotes = " ".join(c.quote for c in answer.citations)
    assert "支援センターの機能強化" in quotes and "協議会の設立支援" in quotes
    assert "参加のきっかけづくり" not in quotes and "提案制度" not in quotes
    # a Roman numeral in the question is read as written (NFKC would make Ⅲ into III)
    third = small({"g.md": GOALS}, "白浜市の基本目標Ⅲの施策の方向は？", {"g.md": "白浜市"}).answer()
    quoted = " ".join(c.quote for c in third.citations)
    assert "提案制度" in quoted and "支援センター" not in quoted and "きっかけ" not in quoted


FAQ_YN = ("# 白浜市 協働Ｑ＆Ａ\n\n## 講座・その他\n\nQ13．地域円卓会議は見学できますか。\n\nA．どなたでも傍聴できます。\n\n"
          "事前の申込みは不要ですが、傍聴席は30席です。\n\n## 講座\n\n担い手育成塾「はばたき塾」：全6回・定員20人・無料\n")
RULES_YN = ("白浜町まちづくり補助金交付要綱\n\n（申請）\n第５条　交付を受けようとする者は、申請書を町長に提出しなければならない。\n"
            "２　前項の申請は、白浜町電子申請システムにより行うことができる。\n")


def test_yes_no_reads_the_faq_question_above_the_answer_the_opposite_word_and_the_title() -> None:
    """「事前申込みが必要ですか」: decided by 「不要」 two sentences under the document's own
    「Q13 …見学できますか。」 (いいえ, not turned twice); 「有料ですか」 by 「無料」 in a label line
    (いいえ); 「補助金は電子申請できますか」 by an article whose programme is in the 要綱's title (はい)."""
    city = {"f.md": "白浜市"}
    ask = lambda docs, q, c, **cfg: small(docs, q, c, **cfg).answer().text  # noqa: E731
    # (a three-line fixture: the bar on how much of the question a deciding statement covers is lowered)
    assert ask({"f.md": FAQ_YN}, "白浜市の地域円卓会議を傍聴するには事前申込みが必要ですか？", city,
               yes_no_coverage=0.2).startswith("いいえ")
    assert ask({"f.md": FAQ_YN}, "白浜市のはばたき塾は有料ですか？", city).startswith("いいえ")
    assert ask({"r.md": RULES_YN}, "白浜町の補助金は電子申請できますか", {"r.md": "白浜町"}).startswith("はい")


# An action plan as a DOCX table prints: the group rows merged across the table are lines of
# their own between the rows, and the year columns are headed R7 R8 R9.
MERGED_ACTION_PLAN = (
    "# 白浜市アクションプラン\n\n"
    "事業名\t内容\t担当課\tR7\tR8\tR9\n"
    "基本目標１　人づくり\n"
    "１ 出前講座「しらはまトーク」\t職員が地域に出向いて事例を紹介\t協働課\t● 10回\t→ 12回\t→ 15回\n"
    "２ 職員研修\t新規採用職員の研修\t人事課\t●\t→\t◎ 全職員\n"
    "基本目標２　場づくり\n"
    "３ 大学生インターンシップ\t学生を市民活動団体に派遣\t企画課\t○\t● 15人\t→ 20人\n"
)


def test_rows_after_a_row_merged_across_the_table_keep_its_header() -> None:
    """A group row merged across an action plan's columns does not end the table: the rows
    under it are read with the header above (R7 R8 R9), and 「令和８年度は何回」 is the R8 cell."""
    from assistant.docview import document_segments

    segments = document_segments(MERGED_ACTION_PLAN)
    header = next(s for s in segments if MERGED_ACTION_PLAN[s.start : s.end].startswith("事業名"))
    rows = [s for s in segments if s.kind == "table" and s is not header]
    assert len(rows) == 3 and all(s.header == (header.start, header.end) for s in rows)
    cities = {"a.md": "白浜市"}
    year = small({"a.md": MERGED_ACTION_PLAN}, "しらはまトーク、令和８年度は何回やる予定？", cities).answer()
    assert year.trace.strategy == "table_cell"
    assert year.text.startswith("R8: → 12回")
    later = small({"a.md": MERGED_ACTION_PLAN}, "大学生インターンシップ、Ｒ９は何人？", cities).answer()
    assert later.text.startswith("R9: → 20人")


def test_a_two_column_list_does_not_run_on_past_a_line_between_its_rows() -> None:
    """Term and meaning in two columns are too plain to tell a merged row from the next table:
    after a line of its own, a two-cell row starts a table of its own."""
    from assistant.docview import document_segments

    text = "用語\t意味\n協働\t対等な立場で取り組むこと\n参考\n項目\t内容\n会場\t市民会館\n"
    segments = document_segments(text)
    second = next(s for s in segments if text[s.start : s.end].startswith("会場"))
    assert text[second.header[0] : second.header[1]] == "項目\t内容"


def test_a_period_written_beside_another_plans_name_is_not_the_asked_plans() -> None:
    """「…推進計画はいつからいつまで？」: 「『第６次白浜町総合計画』（令和5年度～令和14年度）」 and
    an action plan's 「『第２次…推進計画』（計画期間：…）」 give those plans' periods; the asked
    plan's own period answers, however the sentences rank. 第１次計画（…） in the 第３次 plan is
    another edition's even when the question names none."""
    plan = ("# 第３次白浜町協働のまちづくり推進計画\n\n## 1 計画の位置付け\n\n本計画は、町の最上位計画である"
            "「第６次白浜町総合計画」（令和５年度～令和14年度）の分野別計画です。第１次計画（平成27年度～令和元年度）"
            "に続くまちづくり推進計画です。\n\n## 2 計画の期間\n\n令和７年度から令和11年度までの５年間とします。\n")
    cities = {"p.md": "白浜町"}
    answer = small({"p.md": plan}, "白浜町の協働のまちづくり推進計画っていつからいつまで？", cities).answer()
    text = nfkc(answer.text)
    assert "令和7年度" in text and "令和14年度" not in text and "平成27年度" not in text, answer.text
    assert "別の計画" in answer.trace.strategy_reason  # the trace says what was set aside
    from assistant.values import names_other_plans_period

    title = "第3次白浜町協働のまちづくり推進計画"
    assert names_other_plans_period("協働のまちづくり推進計画の期間", "「第6次総合計画」(令和5年度~令和14年度)の分野別計画", title)
    assert names_other_plans_period("アクションプランの期間", "本プランは、「第2次協働推進計画」(計画期間:令和7年度~令和11年度)に掲げる", "協働アクションプラン")
    assert names_other_plans_period("推進計画の期間", "第1次計画(平成27年度~令和元年度)に続く", title)
    # The asked plan under another wording, the document's own name, or another plan asked of.
    assert not names_other_plans_period("協働推進計画の期間", "「協働のまちづくり推進計画」(計画期間:令和4年度~令和8年度)に基づき", "実績報告書")
    assert not names_other_plans_period("推進計画の期間", "第3次計画(令和7年度~令和11年度)", title)
    assert not names_other_plans_period("推進計画の上位計画の計画期間", "「第6次総合計画」(令和5年度~令和14年度)の分野別計画", title)
    assert not names_other_plans_period("推進計画の期間", "本計画は、総合計画と歩調を合わせ、令和7年度から令和11年度までとします", title)


def test_a_how_question_is_answered_by_the_section_named_for_its_method() -> None:
    """「審査はどのように行われる？」: the statements found stand under 「８ 審査方法」, which the
    question names by what it asks (方法 for どのように) of a subject it names (審査): what
    stands under that heading answers, not the one sentence that shares most words."""
    guide = ("# 白浜町むらづくり補助金 募集要項\n\n## ７ 申請の方法\n\n申請書を役場の窓口に提出してください。\n\n"
             "## ８ 審査方法\n\n(1) 審査は、白浜町補助金審査会が行います。\n\n(2) 書類審査の後、公開プレゼンテーション審査を行います。\n\n"
             "(3) 公開プレゼンテーションは５月24日（土）に公民館で行います。\n\n## ９ 交付の決定\n\n６月中に通知します。\n")
    s = small({"g.md": guide}, "白浜町の補助金の審査はどのように行われるんですか", {"g.md": "白浜町"})
    answer = s.answer()
    assert "書類審査の後、公開プレゼンテーション審査" in answer.text, answer.text
    assert answer.trace.strategy == "section", answer.trace.strategy
    assert "６月中に通知" not in answer.text and "窓口に提出" not in answer.text, answer.text
    from assistant.strategies.section import _names_by_cue

    assert _names_by_cue(s.query, "審査方法") and _names_by_cue(s.query, "審査の方法")
    assert not _names_by_cue(s.query, "申請の方法")  # the method of something the question does not name


def test_where_to_ask_is_answered_by_the_contact_block() -> None:
    """「設立の相談窓口はどこ？」: the sentence sharing most words (「設立に関する相談は随時受け付けて
    います。」) names no office; the block under 「問い合わせ先」 does, quoted with it. A page's
    「このページに関するお問い合わせ」 line is read with the telephone line after it."""
    guide = ("# 白浜町 地域運営組織 設立の手引き\n\n## 7. 町の支援\n\n設立の準備には交付金を使えます。\n\n"
             "## 8. 問い合わせ先\n\n白浜町役場　企画課　協働推進係\n\n設立に関する相談は随時受け付けています。\n")
    answer = small({"g.md": guide}, "地域運営組織の設立について白浜町の相談窓口はどこ？", {"g.md": "白浜町"}).answer()
    assert answer.trace.strategy == "contact" and "企画課" in answer.text, answer.text
    faq = ("# 白浜市 補助金のよくある質問\n\n## Q1 補助率は？\n\n10分の10です。\n\nこのページに関するお問い合わせ\n"
           "白浜市　市民部　地域協働課　市民活動係\n電話：0479-52-1111（内線3342）\n")
    text = small({"f.md": faq}, "白浜市の補助金のことはどこに問い合わせればいい？", {"f.md": "白浜市"}).answer().text
    assert "地域協働課" in text and "0479-52-1111" in text, text
    from assistant.strategies.contact import select

    s = small({"g.md": guide}, "白浜町の交付金は何に使える？", {"g.md": "白浜町"})
    assert select(s.query, s.scope, s.view) is None  # no contact asked
