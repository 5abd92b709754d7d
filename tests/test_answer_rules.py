"""The rules that make answers hold on documents nobody here wrote, each on a few lines of a
fictional plan (no index, milliseconds each)."""

from __future__ import annotations

import re

from assistant.chunking import split_lines
from assistant.conversation import make_standalone
from assistant.dates import patterns as date_patterns
from assistant.docview import document_segments
from assistant.gates import focus_not_covered, no_person_named, no_value_quoted, total_vs_cap
from assistant.lead import column_cell, facet_label
from assistant.query import facets_of, parse_query
from assistant.strategies import section
from assistant.text import nfkc
from assistant.types import Turn

from small_view import small

REPORT = """# 若葉町 令和6年度 協働事業報告

## 1 わかば交流まつり

わかば交流まつりを令和6年10月5日（土）に若葉町総合体育館で開催し、出展団体は32団体、来場者は約1,200人でした。

## 2 協働推進会議

会議は委員10人で構成しています。会長は互選により選ばれました。

## 3 補助金

補助金の額は、1団体あたり10万円を上限とします。

## 4 町民の役割

町民は、地域の行事に関心を持ち、できることから参加します。

地区の話し合いに加わり、意見を出します。

## 5 成果指標

| 指標 | 現状値 | 目標値 |
| 交流まつりの来場者数 | 1,200人 | 2,000人 |
"""
DOCS = {"r.md": REPORT}
CITIES = {"r.md": "若葉町"}


def norm(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


# --------------------------------------------------------------------------- several facts at once


def test_a_question_asking_three_things_has_three_facets() -> None:
    facets = facets_of("わかば交流まつりはいつ、どこで開催されて、何団体が出展した？")
    assert [f.answer_type for f in facets] == ["date", "place", "count"]
    assert facets[0].text.startswith("わかば交流まつりは")  # the subject goes with the first part
    assert facets_of("わかば交流まつりの来場者は何人？") == ()


def test_a_terse_question_ending_on_its_last_noun_asks_it_too() -> None:
    facets = facets_of("わかば交流まつりの開催日と出展団体数")
    assert [f.answer_type for f in facets] == ["date", "count"]
    assert facets_of("協働と連携") == ()  # two nouns, nothing asked of either


def test_each_part_is_answered_with_its_own_value() -> None:
    answer = small(DOCS, "わかば交流まつりはいつ、どこで開催されて、何団体が出展した？", CITIES).answer()
    lead = norm(answer.text.split("\n")[0])
    assert "10月5日" in lead and "若葉町総合体育館" in lead and "32団体" in lead
    assert answer.trace is not None and answer.trace.strategy == "facets"


def test_a_part_the_documents_do_not_answer_is_said_to_be_missing() -> None:
    answer = small(DOCS, "わかば交流まつりの出展団体は何団体で、予算総額はいくら？", CITIES).answer()
    assert not answer.abstained
    assert "32団体" in norm(answer.text) and "資料に記載なし" in answer.text


def test_facet_labels_use_the_parts_own_words() -> None:
    query = parse_query("提案書の受付期間と、事前相談の期間を教えて", [])
    labels = [facet_label(f, query) for f in query.facets]
    assert labels == ["提案書の受付期間", "事前相談の期間"]


def test_a_fee_a_capacity_and_the_days_open_are_asked_by_their_own_words() -> None:
    """「受講料は？」 asks an amount and 「定員は？」 a count, however they are requested; 「開いてる日は？」
    asks days; 「対象となる経費は？」 asks which costs (a list), not an amount."""
    from assistant.query import answer_type

    assert answer_type("受講料は？") == "amount" and answer_type("参加費を教えてください") == "amount"
    assert answer_type("対象となる経費は？") != "amount" and answer_type("資料は？") != "amount"
    assert answer_type("定員は？") == "count" and answer_type("開いてる日は？") == "date"


def test_a_deadline_asked_is_a_date() -> None:
    """「いつまでに出せばいい？」「申込締切は？」 ask the day it closes (a date, 「５月31日」), while
    「計画はいつまで？」 asks the end of a period."""
    from assistant.query import answer_type

    assert answer_type("申請はいつまでに出せばいい？") == "date"
    assert answer_type("運営ボランティアの申込締切は？") == "date"
    assert answer_type("計画はいつまで？") == "period" and answer_type("締切後の申請は受け付けますか") != "date"
    flyer = {"k.md": "# 広報\n\n## フェスタ運営ボランティア募集\n\n受付を手伝うボランティアを20人募集します。\n\n申込締切は10月31日（木）。\n"}
    answer = small(flyer, "フェスタの運営ボランティアの申込締切は？", {"k.md": "峰岡市"}).answer()
    assert answer.text.startswith("10月31日")


def test_two_things_asked_by_their_own_words_are_two_parts() -> None:
    """「…の定員と受講料を教えて」「…何人回答して回収率は？」「…登録する条件と登録料は？」: each part
    is answered on its own; a fee of 「無料」 is its amount, and a label keeps no 「は？」."""
    kinds = lambda q: [f.answer_type for f in facets_of(q)]  # noqa: E731
    assert kinds("協働入門講座の定員と受講料を教えてください") == ["count", "amount"]
    assert kinds("意識調査、何人回答して回収率は？") == ["count", "count"]
    assert kinds("センターに団体登録する条件と登録料は？") == ["other", "amount"]
    guide = {"g.md": "# センター案内\n\n## 団体登録\n\n市内で活動する３人以上の非営利団体が登録できます。\n\n"
                     "登録料は無料です。\n\n## 開館時間\n\n午前9時から午後10時までです。\n"}
    answer = small(guide, "センターに団体登録する条件と登録料は？", {"g.md": "峰岡市"}).answer()
    assert answer.trace.strategy == "facets"
    lead = answer.text.split("\n")[0]
    assert "登録料: 無料" in lead and "?" not in lead


def test_a_date_and_the_reason_asked_together_are_both_quoted() -> None:
    """「締切はいつで、なんで延長したの？」: the date part gives the dates, the reason part the
    sentence that says why (not another line about the same call)."""
    notice = {"n.md": "# お知らせ\n\n## 第2次募集の締切延長\n\n締切を6月13日から6月27日に延長します。\n\n"
                      "申請の相談が多く、事前協議に時間を要しているためです。\n\n申請書は窓口へ提出してください。\n"}
    answer = small(notice, "第２次募集の締切はいつで、なんで延長したの？", {"n.md": "峰岡市"}).answer()
    assert answer.trace.strategy == "facets"
    text = norm(answer.text)
    assert "6月27日" in text and "事前協議に時間を要している" in text


# --------------------------------------------------------------------------- answering only what the quotes say


def test_a_long_compound_is_covered_only_by_adjacent_parts() -> None:
    docs = {**DOCS, "p.md": "# 若葉町協働推進計画\n\n本計画は協働推進計画として策定します。\n"}
    cities = {**CITIES, "p.md": "若葉町"}
    s = small(docs, "若葉町の協働推進計画の計画期間は？", cities)
    chosen = [st for st in s.statements if "委員10人" in st.text] or s.statements[:1]
    # 「協働」 and 「計画」 may both stand somewhere near; 「協働推進計画」 itself does not.
    assert focus_not_covered(s.case(chosen)) is not None


def test_a_title_holders_name_must_be_quoted() -> None:
    s = small(DOCS, "協働推進会議の会長は誰ですか？", CITIES)
    assert s.query.person_title == "会長"
    chosen = [st for st in s.statements if "会長は互選" in st.text]
    assert chosen and no_person_named(s.case(chosen)) is not None
    named = small({"m.md": "# 会議\n\n会長　山田太郎（若葉町自治会連合会）\n"}, "会議の会長は誰？")
    assert no_person_named(named.case(named.statements[:2])) is None


def test_a_roster_line_names_its_title_holder() -> None:
    """「副委員長　御園さより（社会福祉協議会）」: a roster line names a person even where Sudachi
    reads the name as a place and a word; 「どなたですか」 asks who, it is no yes/no question."""
    plan = {"p.md": "# 計画\n\n## 名簿\n\n副委員長　御園さより（社会福祉協議会）\n\n委員長　市民協働課\n"}
    s = small(plan, "協働推進委員会の副委員長はどなたですか？", {"p.md": "汀崎市"})
    assert s.query.person_title == "副委員長" and not s.query.yes_no
    vice = [st for st in s.statements if "御園" in st.text]
    assert vice and no_person_named(s.case(vice)) is None
    office = [st for st in s.statements if "市民協働課" in st.text]
    assert office and no_person_named(s.case(office)) is not None


def test_a_breakdown_asked_is_not_answered_by_the_whole() -> None:
    """「地区別の回答者数」「月別の来館者数」 answered by the total row: the documents do not break it
    down; rows of the breakdown (「30歳代」 for 年代別) or a quote saying it (「年代別」) may answer;
    「個別相談」「特別」 break nothing down."""
    from assistant.gates import breakdown_not_given

    survey = {"s.md": "# 意識調査\n\n## 調査の概要\n\n| 項目 | 内容 |\n|---|---|\n| 回答者数 | 1,287人 |\n\n"
                      "## 年代別の参加率\n\n| 年代 | 参加率 |\n|---|---|\n| 18～29歳 | 14.2％ |\n| 30歳代 | 21.5％ |\n"}
    cities = {"s.md": "峰岡市"}
    total = lambda s: [st for st in s.statements if "1,287人" in st.text]  # noqa: E731
    by_district = small(survey, "意識調査の地区別の回答者数は？", cities)
    assert breakdown_not_given(by_district.case(total(by_district))) is not None
    assert "地区別" in (by_district.answer().text if by_district.answer().abstained else "地区別")
    by_age = small(survey, "年代別の参加率は？", cities)
    rows = [st for st in by_age.statements if "歳" in st.text]
    assert rows and breakdown_not_given(by_age.case(rows)) is None
    one = small(survey, "個別相談の回答者数は？", cities)
    assert breakdown_not_given(one.case(total(one))) is None
    each = small(survey, "地区ごとに何人回答した？", cities)  # the number each has, not a breakdown
    assert breakdown_not_given(each.case(total(each))) is None


def test_an_action_plans_indicator_column_holds_targets() -> None:
    """An action plan's 「指標」 column (「利用者15,000人」 beside R7/R8/R9 marks) says what is
    aimed at: 「利用者数の実績は？」 is not answered by it."""
    from assistant.gates import target_for_actual

    docs = {"a.md": "# アクションプラン\n\n| No. | 取組名 | 概要 | R7 | R8 | R9 | 指標 |\n|---|---|---|---|---|---|---|\n"
                    "| 8 | センターの運営 | 貸室と相談 | ● | ● | ● | 利用者15,000人 |\n"}
    s = small(docs, "センターの利用者数の実績は？", {"a.md": "峰岡市"})
    row = [st for st in s.statements if "15,000人" in st.text]
    assert row and target_for_actual(s.case(row)) is not None


def test_an_actual_figure_is_not_answered_by_a_target() -> None:
    """「利用者数の実績は？」 answered by an action plan's row under 「目標（年度）」: what was
    planned, not what was done; a report's row (a 実績 section) answers, and 「実績報告の期限」 asks
    about a report, not a figure."""
    from assistant.gates import target_for_actual

    docs = {"a.md": "# アクションプラン\n\n| No. | 取組名 | 内容 | 目標（年度） |\n|---|---|---|---|\n"
                    "| 3-1 | ステーションの運営 | 拠点の運営 | 年間利用者数 30,000人（R8） |\n",
            "b.md": "# 令和6年度 事業実績\n\n## 利用実績\n\n| 項目 | 令和6年度 |\n|---|---|\n| 年間利用者数 | 24,310人 |\n"}
    cities = {"a.md": "葛原台市", "b.md": "葛原台市"}
    s = small(docs, "ステーションの年間利用者数の実績は？", cities)
    plan = [st for st in s.statements if "30,000人" in st.text]
    assert plan and target_for_actual(s.case(plan)) is not None
    report = [st for st in s.statements if "24,310人" in st.text]
    assert report and target_for_actual(s.case(report)) is None
    deadline = small(docs, "ステーションの実績報告の期限は？", cities)
    assert target_for_actual(deadline.case(plan)) is None
    opinion = small(docs, "実績について委員会からどんな意見が出た？", cities)  # what was said, not a figure
    assert target_for_actual(opinion.case(plan)) is None


def test_a_value_said_beside_another_course_is_not_the_asked_courses() -> None:
    """「地域課題解決コースの上限は？」 answered by 「補助率は10分の10、補助上限額は５万円です。」 after
    「…「はじめの一歩コース」に申請できます。」: the value is the other course's; a sentence naming
    the asked course answers."""
    from assistant.gates import value_of_a_sibling

    faq = {"f.md": "# よくある質問\n\nA．設立後３年未満の団体は「はじめの一歩コース」に申請できます。"
                   "補助率は10分の10、補助上限額は５万円です。\n\n"
                   "A．地域課題解決コースは、補助率２分の１、上限50万円です。\n"}
    s = small(faq, "地域課題解決コースって上限いくら？", {"f.md": "砂浦市"})
    other = [st for st in s.statements if "５万円" in st.text]
    assert other and value_of_a_sibling(s.case(other)) is not None
    own = [st for st in s.statements if "50万円" in st.text]
    assert own and value_of_a_sibling(s.case(own)) is None
    answer = s.answer()
    assert "50万円" in answer.text and not answer.text.startswith("5万円")


def test_a_total_is_not_answered_by_a_cap() -> None:
    s = small(DOCS, "補助金の予算総額はいくらですか？", CITIES)
    chosen = [st for st in s.statements if "10万円を上限" in st.text]
    assert chosen and total_vs_cap(s.case(chosen)) is not None
    cap = small(DOCS, "補助金は1団体あたり上限いくら？", CITIES)
    assert total_vs_cap(cap.case(chosen)) is None


def test_a_count_must_be_quoted() -> None:
    s = small(DOCS, "町民の役割を担う人は何人いますか？", CITIES)
    chosen = [st for st in s.statements if "関心を持ち" in st.text]
    assert chosen and no_value_quoted(s.case(chosen)) is not None


def test_a_count_of_the_counted_noun() -> None:
    query = parse_query("市民センターは令和5年度までで何か所になりましたか", [])
    assert query.counted == "市民センター"
    assert parse_query("取組がいくつ載ってる？", []).counted == "取組"
    s = small({"a.md": "# 報告\n\n令和5年度までに30の市民センターで地域による管理が行われました。\n"},
              "市民センターは令和5年度までで何か所になりましたか")
    assert s.evidence.is_typed(s.statements[0].segment, s.statements[0].text)


# --------------------------------------------------------------------------- how documents are written


def test_box_drawn_tables_are_tables() -> None:
    text = "　┌────┬────┐\n　│指標│目標│\n　├────┼────┤\n　│参加率│50%│\n　└────┴────┘\n"
    kinds = [line.kind for line in split_lines(text)]
    assert kinds[:5] == ["blank", "table", "blank", "table", "blank"]


def test_periods_with_weekdays_and_a_month_day_end() -> None:
    period = date_patterns().period
    assert period.search("令和7年4月1日（火）から5月9日（金）午後5時まで").group(0) == "令和7年4月1日（火）から5月9日（金）"
    assert period.search("令和7年7月1日(火)～7月31日(木)")


def test_a_number_split_across_pdf_lines_is_one_sentence() -> None:
    text = "登録団体数は、新規登録19団体、登録抹消5団体により、令和6年度末で2\n01団体となりました。\n"
    (seg,) = document_segments(text)
    assert text[seg.start : seg.end].replace("\n", "").endswith("201団体となりました。")
    numbered = "計画の期間は5年間とします。\n2 推進体制\n"
    assert len(document_segments(numbered)) == 2  # a numbered line after a full stop is not glued


BUDGET_LIST = ("令和7年度 協働関連事業 予算一覧\n\n単位：千円\n\n事業名\t所管課\t令和7年度予算額\t令和6年度予算額\t増減\t備考\n\n"
          "基本目標1　市民活動の活性化\n\n市民活動応援補助金\t市民協働課\t6,000\t5,000\t1,000 採択件数を拡大\n"
          "国際交流協会補助金\t文化国際課\t2,600\t2,600\t0\n小計（基本目標1）\t8,600\t7,600\t1,000\n")


def test_a_unit_stated_above_a_table_is_the_unit_of_its_figures() -> None:
    """「単位：千円」 above a budget table whose header cells leave the unit out: its rows give
    amounts, and they stay under their column names though a 基本目標 line stands between."""
    segments = [seg for seg in document_segments(BUDGET_LIST) if seg.kind == "table" and "2,600" in BUDGET_LIST[seg.start : seg.end]]
    (row,) = segments
    assert row.header_units == ("千円",)
    assert BUDGET_LIST[row.header[0] : row.header[1]].startswith("事業名\t所管課\t令和7年度予算額")
    answer = small({"b.txt": BUDGET_LIST}, "国際交流協会補助金はいくら？", {"b.txt": "白浜市"}).answer()
    assert answer.text.startswith("令和7年度予算額: 2,600千円、令和6年度予算額: 2,600千円 [")  # led with its unit
    last_year = small({"b.txt": BUDGET_LIST}, "市民活動応援補助金の令和６年度の予算は？", {"b.txt": "白浜市"}).answer()
    assert last_year.text.startswith("令和6年度予算額: 5,000千円")  # the asked year's column first
    total = small({"b.txt": BUDGET_LIST}, "基本目標1の予算の小計は？", {"b.txt": "白浜市"}).answer()
    assert total.text.startswith("令和7年度予算額: 8,600千円")  # (the 小計 label spans two columns)


def test_a_cap_is_not_answered_by_a_budget_line() -> None:
    """「補助金の上限額は？」: the grant's line in a budget table (「令和7年度予算額 6,000」) is what the
    city spends on it in a year, not a cap on one grant."""
    answer = small({"b.txt": BUDGET_LIST}, "市民活動応援補助金の上限額は？", {"b.txt": "白浜市"}).answer()
    assert answer.abstained
    assert any(g.name == "total_vs_cap" and not g.passed for g in answer.trace.gates)



def test_a_count_is_not_answered_by_the_figures_of_a_budget_row() -> None:
    """「…補助金は何件？」: a row of amounts in 千円 gives no count, though its figures are bare numbers."""
    answer = small({"b.txt": BUDGET_LIST}, "国際交流協会補助金は何件？", {"b.txt": "白浜市"}).answer()
    assert answer.abstained


def test_a_sheet_under_a_heading_answers_by_the_row_its_label_names() -> None:
    """An evaluation sheet of 「label | value」 rows under each project's heading: 「なぜ…」 is
    answered by the 評価理由 row, 「これからどうする」 by 今後の方向性 with the row that says how
    (a verdict of one word says nothing alone), not by the sheet's first rows."""
    sheet = ("# 事業評価シート\n\n### 事業6 ごみ減量パートナー事業\n\n事業名\tごみ減量パートナー事業\n担当課\t環境課\n"
             "目的\t事業者と協働で資源回収を行う。\n実績\t登録 ９団体\n評価\tＤ\n今後の方向性\t見直し\n"
             "評価理由\t登録のメリットが分かりにくい。広報紙で紹介するなど、インセンティブの仕組みを検討する。\n\n"
             "### 事業7 出前講座\n\n事業名\t出前講座\n担当課\t生涯学習課\n評価\tＡ\n")
    cities = {"s.md": "白浜市"}
    why = small({"s.md": sheet}, "ごみ減量パートナー事業の評価の理由は？", cities).answer()
    assert "登録のメリットが分かりにくい" in why.text and "資源回収" not in why.text
    future = small({"s.md": sheet}, "ごみ減量パートナー事業はこれからどうするの？", cities).answer()
    assert "見直し" in future.text and "インセンティブの仕組み" in future.text
    assert "行で答えました" in (future.trace.strategy_reason or "")


def test_a_value_wrapped_to_the_next_pdf_line_is_one_sentence_with_it() -> None:
    """「…役員の平均年齢は」 / 「71.3歳です。」: a line opening with a value (a number with its unit
    straight after it) goes on from a long line that stops mid-sentence; an item number (「2 」
    「3. 」) starts a line of its own."""
    text = "・区長や集落役員の担い手不足が深刻で、役員の平均年齢は\n71.3歳です。\n"
    (seg,) = document_segments(text)
    assert text[seg.start : seg.end].replace("\n", "").endswith("平均年齢は71.3歳です。")
    items = "地域の担い手を育てるため、次の取組を重点として進めていきます\n1. 人材の育成\n2 拠点の整備\n"
    assert len(document_segments(items)) == 3
    short = "主な取組\n20世帯未満の集落への支援\n"
    assert len(document_segments(short)) == 2  # (a short line is a label, not a wrapped sentence)


def test_the_asked_column_of_an_indicator_table_leads() -> None:
    query = parse_query("交流まつりの来場者数は何人にしたい？", [])
    assert query.column == "target"
    assert column_cell(query, "| 指標 | 現状値 | 目標値 |", "| 交流まつりの来場者数 | 1,200人 | 2,000人 |") == "2,000人"
    answer = small(DOCS, "交流まつりの来場者数は何人にする目標？", CITIES).answer()
    first = norm(answer.text.split("\n")[0])
    assert "2,000人" in first and "1,200人" not in first  # (labelled with its column: 「目標値: 2,000人」)


def test_a_long_sentence_is_quoted_from_the_clauses_with_the_value() -> None:
    answer = small(DOCS, "わかば交流まつりの来場者は何人？", CITIES, quote_chars=30).answer()
    quote = answer.citations[0].quote
    assert "1,200人" in quote and len(quote) <= 40
    assert REPORT.find(quote) >= 0  # still a verbatim span


def test_a_section_the_question_names_is_answered_by_its_body() -> None:
    s = small(DOCS, "町民の役割は？", CITIES)
    got = section.select(s.query, s.scope, s.view)
    assert got is not None
    texts = " ".join(st.text for st in got.statements)
    assert "関心を持ち" in texts and "話し合いに加わり" in texts and "委員10人" not in texts


# --------------------------------------------------------------------------- follow-ups


CITIES_LIST = ["若葉町", "青葉市"]


def history(question: str) -> list[Turn]:
    return [Turn("user", question), Turn("assistant", "…")]


def test_the_same_question_for_another_city() -> None:
    assert make_standalone("青葉市は？", history("若葉町の計画期間は？"), CITIES_LIST, {}) == "青葉市の計画期間は?"
    assert make_standalone("じゃあ青葉市は？", history("若葉町の計画期間は？"), CITIES_LIST, {}) == "青葉市の計画期間は?"


def test_the_same_question_for_a_sibling_item() -> None:
    out = make_standalone("じゃあ自由提案型は？", history("テーマ設定型の上限額は？"), CITIES_LIST, {})
    assert out == "自由提案型の上限額は?"


def test_a_topic_shift_starts_a_new_question() -> None:
    out = make_standalone("話変わるけど、青葉市の基本理念は？", history("若葉町の計画期間は？"), CITIES_LIST, {})
    assert out == "青葉市の基本理念は?"


def test_a_term_asked_for_itself_is_not_glued_to_the_previous_topic() -> None:
    assert make_standalone("協働とは何ですか", history("若葉町の基本方針は？"), CITIES_LIST, {}) == "協働とは何ですか"


def test_fillers_are_dropped() -> None:
    out = make_standalone("ねえ、会場は？", history("わかば交流まつりはいつ？"), CITIES_LIST, {})
    assert out.startswith("わかば交流まつり") and "ねえ" not in out


# --------------------------------------------------------------------------- yes/no


def test_regardless_is_not_a_no() -> None:
    from assistant.lexicon import lexicon

    assert not lexicon().is_negative("テーマ設定型は、設立からの期間を問いません。")
    assert lexicon().is_negative("個人での申請はできません。")


def test_a_yes_no_subject_head_and_predicate_parts() -> None:
    query = parse_query("団体のメンバーに払う謝礼は補助対象？", [])
    assert query.yes_no and query.subject_head == "謝礼" and query.predicate == "補助対象"
    guide = {"g.md": "# 補助金\n\n## 対象団体\n\n町内で活動する団体が対象です。\n\n## 対象外経費\n\n構成員に対する謝礼は、補助の対象になりません。\n"}
    answer = small(guide, "団体のメンバーに払う謝礼は補助対象？").answer()
    assert answer.text.startswith("いいえ")


# --------------------------------------------------------------------------- rules of this round

FAQ = """# よくある質問

## 草刈りの人手

Ａ　「まちの応援隊」をご利用ください。職員がボランティアとして集落の作業に参加します。令和6年度は14集落で延べ22回活動しました。

## 交流館の予約

Ａ　電話で仮予約ができます。仮予約の日から7日以内に窓口で本申請をしてください。
"""


def test_a_sentence_is_read_with_the_topic_its_paragraph_named_before() -> None:
    """「…応援隊をご利用ください。…令和6年度は14集落で延べ22回…」: the third sentence never
    repeats 「応援隊」; it is credited with the words of the sentence before it."""
    from assistant.docview import Segment
    from assistant.evidence import continues_paragraph

    text = "応援隊をご利用ください。令和6年度は14集落で活動しました。\n次の行です。"
    first = Segment(0, 12, "text")
    second = Segment(12, text.index("\n"), "text")
    third = Segment(text.index("\n") + 1, len(text), "text")
    assert continues_paragraph(text, first, second)
    assert not continues_paragraph(text, second, third)  # a new line starts a new paragraph
    assert not continues_paragraph(text, first, Segment(12, 20, "table"))

    s = small({"faq.md": FAQ}, "まちの応援隊の令和６年度の実績は？", {"faq.md": "若葉町"})
    carried = next(st for st in s.statements if "14集落" in st.text)
    alone = small({"faq.md": FAQ}, "まちの応援隊の令和６年度の実績は？", {"faq.md": "若葉町"}, carried_share=0.0)
    assert carried.coverage > next(st for st in alone.statements if "14集落" in st.text).coverage


def test_how_many_days_within_is_a_number_of_days_not_a_date() -> None:
    from assistant.query import asked_unit

    q = parse_query("電話で仮予約したら、何日以内に本申請しないといけない？", [])
    assert q.answer_type == "count" and asked_unit(q.original) == "日"
    assert parse_query("第3回は何日に開催？", []).answer_type == "date"
    answer = small({"faq.md": FAQ}, "交流館の仮予約は何日以内に本申請が必要？", {"faq.md": "若葉町"}).answer()
    assert not answer.abstained and "7日以内" in answer.text


def test_a_part_that_names_nothing_asks_the_previous_part_again() -> None:
    """「どんな活動をするの？例を教えて」 is one question; 「登録者数と、成立した件数は？」 two."""
    from assistant.query import facets_of

    assert facets_of("地域運営組織はどんな活動をするの？例を教えて") == ()
    assert len(facets_of("ボランティアの登録者数と、マッチングが成立した件数は？")) == 2


def test_a_measure_named_before_to_asks_its_own_value() -> None:
    """「回収数と回収率は？」: two counts; 「市民と行政の役割は？」 stays one question. (「人口と
    高齢化率を教えて」 asks two things, the first of no kind of value: see
    test_an_attribute_named_before_to_asks_its_own_answer.)"""
    from assistant.query import facets_of

    assert [f.answer_type for f in facets_of("村民アンケートの回収数と回収率は？")] == ["count", "count"]
    assert [f.answer_type for f in facets_of("ロッカーの料金と区画数は？")] == ["amount", "count"]
    assert facets_of("市民と行政の役割は？") == ()
    assert [f.answer_type for f in facets_of("町の人口と高齢化率を教えてください")] == ["other", "count"]


PROJECTS = """# 第2次若葉町協働推進計画

## 重点プロジェクト

### 重点プロジェクト① わかばユースアクション

中学生から20代までの若い世代の企画を支援します。

### 重点プロジェクト② わかば未来ラボ

年度ごとにテーマを設定し、多様な主体が参加する対話の場を設けます。

## 第8 提出書類

- 提案書
- 収支予算書
"""


def test_a_section_named_after_its_number_is_named_by_its_name() -> None:
    """「わかば未来ラボでは何をするの？」 names 「重点プロジェクト② わかば未来ラボ」; a number
    alone after 第 (「第8 提出書類」) is still one of several."""
    from assistant.strategies.section import names_section

    s = small({"plan.md": PROJECTS}, "わかば未来ラボでは何をするの？", {"plan.md": "若葉町"})
    got = section.select(s.query, s.scope, s.view)
    assert got is not None and any("対話の場" in st.text for st in got.statements)
    listed = small({"plan.md": PROJECTS}, "提出書類を全部教えて", {"plan.md": "若葉町"})
    heading = next(st for st in listed.statements if st.text.strip().startswith("第8"))
    assert not names_section(listed.query, heading, listed.view)


def test_a_short_statement_is_quoted_with_the_sentences_going_on_in_its_paragraph() -> None:
    """「『まちの応援隊』をご利用ください。」 names the service; what it did is said after."""
    from assistant.strategies.picking import rest_of_paragraph

    s = small({"faq.md": FAQ}, "まちの応援隊の令和６年度の実績は？", {"faq.md": "若葉町"})
    top = next(st for st in s.statements if "ご利用ください" in st.text)
    rest = [st.text for st in rest_of_paragraph(top, s.view)]
    assert len(rest) == 2 and "作業に参加します" in rest[0] and "22回" in rest[1]
    assert "22回" in s.answer().text
    # Without the carried topic the short sentence is the best one; its paragraph goes on in the
    # quote, and the trace says so.
    answer = small({"faq.md": FAQ}, "まちの応援隊の令和６年度の実績は？", {"faq.md": "若葉町"}, carried_share=0.0).answer()
    assert "22回" in answer.text and "同じ段落の続く文" in (answer.trace.strategy_reason or "")
    # A long statement says enough by itself; a new paragraph is not its continuation.
    long = small({"faq.md": FAQ}, "まちの応援隊の令和６年度の実績は？", {"faq.md": "若葉町"}, short_statement_chars=5)
    assert rest_of_paragraph(next(st for st in long.statements if "ご利用ください" in st.text), long.view) == []


def test_the_kind_of_thing_asked_is_not_what_the_quotes_must_name() -> None:
    """「何という催し」「審査する機関」: the documents name the thing (「活動発表会」), not its kind."""
    q = parse_query("補助を受けた団体が成果を発表する場は何という催し？", [])
    assert "催し" not in [f.text for f in q.focus]
    assert "機関" not in [f.text for f in parse_query("補助金の審査をする機関の名前は？", []).focus]


SURVEY = """# 若葉町町民アンケート

## 参加率

地域活動に参加している町民の割合は42.0％でした。年代別では60代が最も高くなっています。
"""
SURVEY_OTHER = "# 若葉町の調査の概要\n\n回答者の男女別の内訳は、男性45％、女性55％でした。\n"


def test_asking_whether_something_is_there_needs_quotes_that_name_it() -> None:
    """「男女別の数字ってある？」: quotes about the rate by age do not say there is one by sex
    (and 「別」 of 「年代別」 does not stand for 「男女別」)."""
    from assistant.gates import focus_not_covered

    docs, cities = {"a.md": SURVEY, "b.md": SURVEY_OTHER}, {"a.md": "若葉町", "b.md": "若葉町"}
    for question, declined in (("若葉町の地域活動参加率の男女別の数字ってある？", True),
                               ("若葉町の地域活動参加率の年代別の数字ってある？", False)):
        s = small(docs, question, cities)
        chosen = [st for st in s.statements if "42.0" in st.text]
        assert (focus_not_covered(s.case(chosen)) is not None) == declined, question


CENTER = """# 若葉町交流センター利用案内

## 利用料金

| 施設 | 定員 | 利用料金（１時間当たり） |
|---|---|---|
| 会議室Ａ | 30人 | 400円 |
| 会議室Ｂ | 12人 | 200円 |
| 和室 | 15人 | 300円 |

## 3. 設備とサービス

### (1) 作業室の機器

印刷機は製版1回50円です。

### (2) 登録団体向けサービス

ロッカーは年額1,200円です。

### (3) 無料で貸し出す備品

プロジェクター、スクリーン、ホワイトボード、延長コード

### (4) その他

館内は禁煙です。
"""


def test_a_value_of_a_thing_the_documents_never_name_is_declined() -> None:
    """「調理室の利用料金は？」: the rooms' table gives other rooms' fees; no room is called
    調理室 anywhere, so no fee of it is stated. 「和室の利用料金は？」 is answered."""
    declined = small({"c.md": CENTER}, "若葉町交流センターの調理室の利用料金は？", {"c.md": "若葉町"}).answer()
    assert declined.abstained and "調理室" in declined.text
    answered = small({"c.md": CENTER}, "若葉町交流センターの和室の利用料金は？", {"c.md": "若葉町"}).answer()
    assert not answered.abstained and "300円" in answered.text


def test_one_line_naming_things_under_the_asked_heading_is_the_list() -> None:
    answer = small({"c.md": CENTER}, "交流センターで借りられる備品を教えて", {"c.md": "若葉町"}).answer()
    assert not answer.abstained
    assert "ホワイトボード" in answer.text and "作業室の機器" not in answer.text
    assert "一行に並ぶ項目" in (answer.trace.strategy_reason or "")


QA = """# 若葉町 市民活動Ｑ＆Ａ

Ｑ５　市民活動に使える補助金はありますか？
Ａ５　「わかばチャレンジ補助金」があります。
補助率２分の１、上限15万円です。
同じ団体が受けられるのは、通算３回までです。
Ｑ６　団体の会合の飲食代は補助の対象になりますか？
Ａ６　なりません。
"""


def test_an_answer_to_the_documents_own_question_is_about_its_subject_to_the_next_question() -> None:
    """「Ａ５ 『わかばチャレンジ補助金』があります。」 names the programme; the lines after it,
    up to 「Ｑ６」, give its values without naming it again."""
    s = small({"qa.md": QA}, "わかばチャレンジ補助金は同じ団体で何回まで受けられる？", {"qa.md": "若葉町"})
    answer = s.answer()
    assert not answer.abstained and "3回" in answer.text
    line = next(st for st in s.statements if "通算" in st.text)
    alone = small({"qa.md": QA}, "わかばチャレンジ補助金は同じ団体で何回まで受けられる？", {"qa.md": "若葉町"}, carried_share=0.0)
    assert line.coverage > next(st for st in alone.statements if "通算" in st.text).coverage


def test_a_follow_up_after_opening_hours_asks_about_the_facility() -> None:
    """「休館日は？」 after 「センターの開館時間を教えて」 is the センター's closing days, not the
    開館時間's."""
    out = make_standalone("休館日は？", history("八雲浜市の市民活動センターの開館時間を教えて"), ["八雲浜市"], {})
    assert out == "八雲浜市の市民活動センターの休館日は?"


# --------------------------------------------------------------------------- what counts as a quantity


def test_a_labels_number_and_the_unit_of_a_rate_are_not_quantities() -> None:
    """「Ｑ２ 世帯数…」 is question 2, 「１世帯当たり600円」 counts no households, 「会議室Ａ 30人」
    holds 30 people; 「発表７分」 and 「2時間まで」 are lengths of time, 「3分の2」 and 「9時30分」
    are not."""
    from assistant.values import quantities, value_patterns

    count, amount = value_patterns()["count"], value_patterns()["amount"]

    def found(pattern: re.Pattern[str], text: str) -> list[str]:
        return [m.group(0) for m in quantities(pattern, nfkc(text))]

    assert found(count, "Ｑ２ 世帯数の少ない地区でも設立できますか。") == []
    assert found(count, "世帯割：１世帯当たり600円") == [] and found(amount, "世帯割：１世帯当たり600円") == ["600円"]
    assert found(count, "会議室Ａ 30人") == ["30人"]
    assert found(count, "発表時間：１団体当たり発表７分、質疑応答５分") == ["7分", "5分"]
    assert found(count, "2時間まで無料") == ["2時間"]
    assert found(count, "補助率は3分の2以内") == [] and found(count, "午前9時30分から") == []


HOUSEHOLDS = """# 若葉町 地域運営組織Ｑ＆Ａ

Ｑ２ 世帯数の少ない地区でも設立できますか。
できます。

## 交付金

運営交付金は、基本額に世帯割（１世帯当たり500円）を加えた額です。
"""


def test_a_count_is_not_read_from_a_question_number_or_a_rate() -> None:
    """「町の世帯数は？」: the documents give no number of households; neither 「Ｑ２ 世帯数」 nor
    「１世帯当たり」 is one, so no count leads the answer."""
    answer = small({"h.md": HOUSEHOLDS}, "若葉町の世帯数は何世帯？", {"h.md": "若葉町"}).answer()
    assert "2世帯" not in norm(answer.text) and "1世帯" not in norm(answer.text.split("\n")[0])


# --------------------------------------------------------------------------- a month, a numbered meeting

MEETINGS = """# 若葉町 令和6年度 まちづくり事業報告

## 議題（1） 上半期の進捗

わかばクリーン作戦は、５月26日（日）に実施し、287人の参加がありました。

ボランティア登録者数は、９月末で203人です。

## 推進体制

協働推進会議を年３回開催しました。

| 回 | 開催日 | 主な議題 |
| 第１回 | 令和６年６月10日（月） | 事業計画について |
| 第２回 | 令和６年10月８日（火） | 中間報告について |
| 第３回 | 令和７年２月18日（火） | 次年度の計画について |
"""


def test_a_month_asked_is_the_month_the_report_writes_without_its_year() -> None:
    """「令和６年５月の…」 is about 「５月26日」 in a 令和6年度 report; 「11月の…」 is not."""
    q = parse_query("令和６年５月のわかばクリーン作戦には何人参加しましたか", [])
    assert ("5月", True) in [(f.text, f.exact) for f in q.focus]
    answer = small({"m.md": MEETINGS}, "令和６年５月のわかばクリーン作戦には何人参加しましたか", {"m.md": "若葉町"}).answer()
    assert not answer.abstained and "287人" in answer.text
    answer = small({"m.md": MEETINGS}, "ボランティア登録者数は令和6年9月末で何人？", {"m.md": "若葉町"}).answer()
    assert not answer.abstained and "203人" in answer.text
    answer = small({"m.md": MEETINGS}, "11月のわかばクリーン作戦には何人参加した？", {"m.md": "若葉町"}).answer()
    assert answer.abstained


def test_a_second_look_reads_a_table_row_with_the_text_above_it() -> None:
    """「協働推進会議の第３回はいつ？」: the row 「第３回 令和７年２月18日」 names no 会議; the text
    above it under the same heading does."""
    from assistant.gates import covering_statements, covering_statements_around

    s = small({"m.md": MEETINGS}, "令和６年度の協働推進会議の第３回はいつ？", {"m.md": "若葉町"})
    case = s.case()
    row = [st for st in case.statements if "第３回" in st.text]
    assert row and not any(st in covering_statements(case) for st in row)
    assert all(st in covering_statements_around(case) for st in row)
    # A row naming only an attribute is not read with the text above it.
    s = small({"m.md": MEETINGS}, "令和６年度の協働推進会議の開催日は？", {"m.md": "若葉町"})
    assert covering_statements_around(s.case()) == []
    answer = small({"m.md": MEETINGS}, "令和６年度の協働推進会議の第３回はいつ？", {"m.md": "若葉町"}).answer()
    assert not answer.abstained and "2月18日" in norm(answer.text)


# --------------------------------------------------------------------------- items a sentence announces

GUIDE = """# 若葉町 市民活動Ｑ＆Ａ

Ｑ４．団体登録をするとどんなメリットがありますか。
Ａ．主に次のようなサービスを利用できます。
会議室の優先予約
印刷機の利用
ロッカーの貸出し

## 推進指針

指針には、次の３つの基本方針があります。
方針Ⅰ　知る・学ぶ　方針Ⅱ　出会う・つながる　方針Ⅲ　ともに取り組む

## 子育て支援

町は子育て世帯の交流を進めます。
"""


def test_the_items_a_sentence_announces_are_quoted_with_it() -> None:
    """「次の３つの基本方針があります。」 and 「主に次のようなサービスを利用できます。」 (the reply
    to the document's own question) say only that items follow: unbulleted, they answer too."""
    answer = small({"g.md": GUIDE}, "団体登録をするとどんなメリットがありますか", {"g.md": "若葉町"}).answer()
    assert all(item in answer.text for item in ("会議室の優先予約", "印刷機の利用", "ロッカーの貸出し"))
    answer = small({"g.md": GUIDE}, "若葉町の指針の基本方針は何？", {"g.md": "若葉町"}).answer()
    assert "ともに取り組む" in answer.text
    assert "続く項目" in (answer.trace.strategy_reason or "")


BUDGET = """# 若葉町 令和6年度 事業報告

## 3 予算及び決算の状況

| 事業名 | 予算額（千円） | 決算額（千円） | 執行率 |
| 協働のまちづくり推進事業 | 1,250 | 1,138 | 91.0％ |
| まちづくり活動支援補助金 | 1,200 | 803 | 66.9％ |
| 町民提案型協働事業委託料 | 1,600 | 1,552 | 97.0％ |
| 合計 | 4,050 | 3,493 | 86.2％ |

※財源内訳（決算）：一般財源 3,493千円

### 執行率について

まちづくり活動支援補助金の執行率が低くなった主な理由は、申請件数が見込みを下回ったことです。
"""


def test_a_measure_of_a_thing_is_found_in_its_row_under_the_measures_column() -> None:
    """「まちづくり活動支援補助金の執行率は？」: a sentence names 「…補助金の執行率」 without a value;
    the table names the thing in its row and 執行率 in its header, and that holds the value."""
    answer = small({"b.md": BUDGET}, "まちづくり活動支援補助金の執行率は何％だった？", {"b.md": "若葉町"}).answer()
    assert not answer.abstained and "66.9" in answer.text


# --------------------------------------------------------------------------- an attribute asked by its own word

CENTRE = """# 若葉町 交流センター 利用案内

## 開館時間

午前9時から午後9時まで

## 休館日

毎月第2水曜日、年末年始（12月29日～1月3日）

# 令和6年度 交流センター事業報告

## 講座の開催

| 回 | 開催日 | テーマ | 参加者数 |
| 第1回 | 令和6年6月8日（土） | 市民活動入門 | 24人 |
| 第2回 | 令和6年7月13日（土） | 会計の基本 | 19人 |

## 補助金

わかば活動補助金の対象となる活動の期間は、令和6年4月1日から令和7年3月31日までです。

## 申請の方法

申請書は交流センターの窓口に提出してください。
"""


def test_a_value_asked_by_its_own_word_must_be_spoken_of() -> None:
    """「休館日はいつ？」 is answered by the 休館日 section, and 「申請期間は？」 is not answered by
    the period of the activities; 「参加者数」 is spoken of by 「参加」."""
    from assistant.query import attributes_of

    assert [(a.text, a.parts[0][0]) for a in attributes_of("補助金の申請期間と採択件数と参加者数は？")] == [
        ("申請期間", "申請"), ("採択件数", "採択"), ("参加者数", "参加")]
    assert attributes_of("上限額はいくら？") == () and attributes_of("令和6年6月8日の講座は？") == ()
    centre = {"c.md": CENTRE}
    answer = small(centre, "交流センターの休館日はいつ？", {"c.md": "若葉町"}).answer()
    assert not answer.abstained and "第2水曜日" in answer.text
    answer = small(centre, "わかば活動補助金の申請期間はいつまで？", {"c.md": "若葉町"}).answer()
    assert answer.abstained and "申請期間" in answer.text
    answer = small(centre, "第1回の講座の参加者数は？", {"c.md": "若葉町"}).answer()
    assert not answer.abstained and "24人" in answer.text


def test_only_words_that_ask_a_value_are_attributes() -> None:
    """「協働提案事業の提案の受付期間」 asks the 受付期間; 「協働提案事業」 names a programme, not an
    attribute of it."""
    from assistant.query import attributes_of

    assert [a.text for a in attributes_of("協働提案事業の提案の受付期間はいつですか。")] == ["受付期間"]


def test_places_are_written_as_floors_addresses_rooms_and_venue_cells() -> None:
    """「ハバタス３階」「本町二丁目8番1号」「第１会議室」「多目的室」「議場」 and a venue closing a
    table cell are places; 「センターの運営」 is not; 「室長」 is a title."""
    from assistant.lexicon import lexicon

    venue = lexicon().venue_pattern
    for text in ("ハバタス3階", "本町二丁目8番1号", "鷹野沢町役場 第1会議室", "楓丘市民活動センター 多目的室",
                 "鷹野沢町役場 議場", "まつば未来カフェ第3回\t令和6年11月30日(土)\t北部コミュニティセンター\t25人"):
        assert venue.search(nfkc(text)), text
    assert not venue.search("センターの運営を行う") and not venue.search("市民協働課の室長が説明")


def test_a_number_of_corporations_is_a_count() -> None:
    """「市内のＮＰＯ法人はいくつ？」 is answered by 「47法人」."""
    answer = small({"n.md": "# 若葉町の市民活動\n\n## 現状\n\n町内に事務所を置くＮＰＯ法人は47法人です。\n"},
                   "若葉町内のＮＰＯ法人はいくつある？", {"n.md": "若葉町"}).answer()
    assert not answer.abstained and "47法人" in answer.text


GUIDELINE = """若葉町まちづくり活動補助金 募集要項

第５　補助対象経費
　講師謝礼、会場使用料、消耗品費、印刷製本費

第７　対象外経費
　次の経費は補助の対象外です。
　（１）団体の経常的な運営に要する経費（事務所の賃借料、光熱水費など）
　（２）懇親会等の飲食費
　（３）交付決定前に支出した経費
　（４）領収書等により支出が確認できない経費

第８　申請期間
　令和７年４月１日から５月９日まで
"""


def test_a_numbered_item_under_an_exclusion_says_no() -> None:
    """「（３）交付決定前に支出した経費」 is read by the outline as a heading of its own; the
    sentence before the numbered items (「次の経費は補助の対象外です。」) says what they are, so
    「交付決定の前に買った材料費も補助してもらえる？」 is answered 「いいえ」 and quotes it."""
    answer = small({"y.txt": GUIDELINE}, "交付決定の前に買った材料費も補助してもらえる？", {"y.txt": "若葉町"}).answer()
    assert answer.text.startswith("いいえ") and "対象外" in answer.text
    assert "いいえ" in answer.trace.strategy_reason


INDICATORS = """# 若葉町 協働推進プラン 進捗報告

## 成果指標の状況

| 指標 | 基準値（令和３年度） | 令和５年度実績 | 令和６年度実績 | 目標値（令和８年度） |
| ボランティアバンク個人登録者数 | 265人 | 312人 | 347人 | 400人 |
| 交流センター年間利用者数 | 21,500人 | 24,100人 | 25,870人 | 25,000人 |
"""


def test_whether_a_target_was_reached_is_read_from_the_indicator_row() -> None:
    """「目標の400人に達していますか」: the latest 実績 (347人) against the 目標 (400人) says no,
    whatever number the question states; 25,870人 against 25,000人 says yes. The lead says both."""
    docs, cities = {"i.md": INDICATORS}, {"i.md": "若葉町"}
    answer = small(docs, "ボランティアバンク個人登録者数は目標の400人に達していますか", cities).answer()
    assert answer.text.startswith("いいえ。実績 347人、目標 400人")
    answer = small(docs, "交流センター年間利用者数は目標を達成しましたか", cities).answer()
    assert answer.text.startswith("はい。実績 25,870人、目標 25,000人")


HOURS = """# 若葉町 交流センター 利用案内

## 開館時間

- 月曜日～金曜日：午前9時～午後10時
- 日曜日・祝日：午前9時～午後5時

## 休館日

- 毎週火曜日（祝日の場合はその翌日）
- 毎月第2水曜日
"""


def test_whether_a_centre_is_open_on_a_day_reads_its_closing_days_and_hours() -> None:
    """「火曜日も開いてますか」: 毎週火曜日 is a closing day, whatever range the hours give (no);
    「水曜日」 closed only in the second week decides nothing by its closing day (the range
    月曜日～金曜日 does); 「休館日は火曜日ですか」 asks about the closing, not the opening."""
    docs, cities = {"h.md": HOURS}, {"h.md": "若葉町"}
    assert small(docs, "交流センターって火曜日も開いてますか？", cities).answer().text.startswith("いいえ")
    assert small(docs, "交流センターは水曜日も開いてる？", cities).answer().text.startswith("はい")
    assert not small(docs, "交流センターの休館日は火曜日ですか？", cities).answer().text.startswith("いいえ")


def test_held_as_planned_is_answered_no_by_a_cancellation() -> None:
    """「予定どおり開催されましたか」 against 「台風接近のため中止とし」: no."""
    doc = "# 若葉町 事業報告\n\n## ワークショップ\n\n９月21日予定の中部地区ワークショップは台風接近のため中止とし、12月７日にオンラインで代替開催する予定である。\n"
    answer = small({"w.md": doc}, "中部地区ワークショップは予定どおり９月に開催されましたか？", {"w.md": "若葉町"}).answer()
    assert answer.text.startswith("いいえ")


def test_an_aside_does_not_hide_the_opposite_word() -> None:
    """「登録料はかかりますか？」 against 「登録料：無料（毎年４月に更新手続が必要です）」: the aside's
    「必要」 is about the renewal; 無料 says no."""
    doc = "# 若葉町 交流センター\n\n## 団体登録\n\n団体登録をすると、予約の優先受付などの特典があります。\n\n- 登録料：無料（毎年４月に更新手続が必要です）\n- 必要書類：団体登録申請書、会則\n"
    answer = small({"r.md": doc}, "交流センターの団体登録に登録料はかかりますか？", {"r.md": "若葉町"}).answer()
    assert answer.text.startswith("いいえ")


CRITERIA = """竹ノ浦町まちづくり活動補助金 募集要項

８　審査
（4）審査基準は次の５項目とし、各20点、合計100点満点で評価します。
　　①公益性　②地域課題との関連性　③実現可能性　④継続性・発展性　⑤予算の妥当性
（5）審査委員の平均点が60点以上の事業を採択します。

９　対象外経費
次に掲げる経費は、補助の対象となりません。
（1）団体の構成員に対する人件費、謝礼及び交通費
（2）１品の購入価格が５万円以上の備品の購入費
（3）事務所の家賃など、団体の経常的な運営経費
"""


def test_numbered_items_after_an_announcing_sentence_are_its_items() -> None:
    """「次の５項目とし」 over 「①公益性 ②…」 and 「次に掲げる経費は、補助の対象となりません。」 over
    「（1）…」 lines the outline reads as headings: the items are quoted with the sentence."""
    docs, cities = {"c.txt": CRITERIA}, {"c.txt": "若葉町"}
    answer = small(docs, "補助金の審査基準の項目を教えてください", cities).answer()
    assert "公益性" in answer.text and "予算の妥当性" in answer.text
    answer = small(docs, "補助金で補助の対象にならない経費は？", cities).answer()
    assert all(w in answer.text for w in ("人件費", "５万円以上", "経常的な運営経費"))


SECTIONS = """令和７年度　若葉村むらづくり補助金　募集要項

若葉村では、村民と村が力を合わせて地域の課題に取り組む活動を応援します。

１　目的
住民主体のむらづくり活動を支援し、集落の維持・活性化を図ります。

２　対象となる団体
次のいずれかに該当する団体が対象です。
（１）村内の集落（行政区）
（２）村内で活動する住民団体で、構成員が３人以上のもの

３　補助対象経費
講師等謝金、消耗品費、燃料費、印刷製本費、使用料

４　補助対象外経費
次の経費は補助の対象になりません。
（１）団体の構成員に対する人件費・謝金
（２）懇親会・打上げなどの飲食費
（３）１点３万円以上の備品の購入費

５　申請期間
令和７年４月14日（月）から５月30日（金）まで

６　申請方法
次の書類を、むらづくり係に持参又は郵送で提出してください。
（１）補助金交付申請書（様式第１号）
（２）事業計画書（様式第２号）

７　募集説明会
令和７年４月19日（土）午前10時から　若葉村ふれあいセンターで開催します。

８　審査
村が設置する審査委員会で、書類審査とヒアリングにより審査します。

９　予算額
令和７年度の予算額は、総額150万円です。

10　事業の実施と報告
事業は交付決定通知を受けた後に着手してください。

11　その他
補助金の交付を受けた団体名と事業名は、村の広報誌で公表します。

12　お問い合わせ・提出先
若葉村役場　総務企画課　むらづくり係
"""


def test_a_heading_that_is_the_asked_thing_lists_its_numbered_items() -> None:
    """「対象外経費を教えてください」: the heading 「４ 補助対象外経費」 ends with the asked noun
    and names the focus; its items (1)(2)(3) answer, not the headings beside it."""
    from assistant.strategies.listing import named_heading_items

    s = small({"s.txt": SECTIONS}, "若葉村の補助金の対象外経費を教えてください", {"s.txt": "若葉村"})
    items = named_heading_items(s.query, s.scope, s.view)
    assert [it.text.strip()[:3] for it in items] == ["（１）", "（２）", "（３）"]
    answer = s.answer()
    assert all(w in answer.text for w in ("人件費", "飲食費", "３万円以上")) and "申請期間" not in answer.text
    # 「申請方法」 ends a heading whose items are documents, but the question asks for the 説明会.
    s = small({"s.txt": SECTIONS}, "若葉村の補助金の募集説明会はいつ？", {"s.txt": "若葉村"})
    assert named_heading_items(s.query, s.scope, s.view) == []


YEARS = """# 若葉町 令和６年度 協働推進事業 実績報告書

## 市民活動支援センター

センターは令和５年度に開設し、令和６年度は２年目の運営となりました。

| 指標 | 現状値（令和５年度） | 中間目標値（令和９年度） | 最終目標値（令和11年度） |
| センターの年間利用者数 | 24,300人 | 28,000人 | 30,000人 |
"""


def test_a_table_row_is_read_with_its_own_header_for_the_asked_year() -> None:
    """「令和６年度の年間利用者数は？」: the row gives 令和５年度 and targets; the sentence above the
    table that names 令和６年度 does not make the row 令和６年度's."""
    from assistant.gates import year_not_stated

    s = small({"y.md": YEARS.replace("令和６年度 協働推進事業 実績報告書", "協働推進事業 実績報告書")},
              "センターの令和６年度の年間利用者数は？", {"y.md": "若葉町"})
    row = [st for st in s.statements if "24,300" in st.text]
    assert row and year_not_stated(s.case(row)) is not None


def test_a_count_of_things_is_not_answered_by_a_share_and_a_share_not_by_a_count() -> None:
    """「回収数と回収率は？」: each part asks its own kind of number. 「回収数」 (a word ending in
    数) is answered by 「812件」, not by the 「54.1％」 beside it; 「回収率」 by 「54.1％」 alone."""
    survey = ("# 若葉町 町民アンケート調査結果\n\n## 調査の概要\n\n"
              "| 項目 | 内容 |\n|---|---|\n| 調査対象 | 町内在住の18歳以上の町民1,500人 |\n"
              "| 回収率 | 54.1％ |\n| 回収数 | 812件 |\n\n"
              "構成比は小数点第2位を四捨五入しているため、合計が100％にならない場合があります。\n")
    answer = small({"s.md": survey}, "若葉町の町民アンケートの回収数と回収率は？", {"s.md": "若葉町"}).answer()
    assert not answer.abstained
    count_part, share_part = answer.text.split("\n")[0].split("回収率")
    assert "812件" in count_part and "54.1" not in count_part
    assert "54.1" in share_part and "812件" not in share_part
    facets = answer.trace.query["facets"]
    assert facets[0].get("asks_tally") and facets[1].get("asks_share")  # the trace shows each part's kind


def test_a_word_ending_in_su_asks_a_number_of_things() -> None:
    """「数字」「複数」 do not ask for a number of things; a share asked in the same words wins."""
    from assistant.query import asks_tally

    assert asks_tally("回収数は？") and asks_tally("参加者数を教えて")
    assert not asks_tally("男女別の数字ってある？") and not asks_tally("複数の団体で申請できる？")
    assert not asks_tally("参加者数の割合は？")


def test_a_count_of_things_asked_where_only_shares_are_quoted_is_declined() -> None:
    """「有効回答数は？」 is not answered by a sentence of percentages about the same survey."""
    report = ("# 若葉町 意識調査報告書\n\n## 結果の概要\n\n"
              "地域活動に参加した人の割合は24.6％で、前回調査（令和3年度）の21.8％から2.8ポイント増加しました。\n")
    answer = small({"r.md": report}, "若葉町の前回調査の有効回答数は？", {"r.md": "若葉町"}).answer()
    assert answer.abstained


def test_a_rate_or_a_count_requested_with_oshiete_is_a_number() -> None:
    """「回答率を教えて」「有効回答数を教えて」 ask a number as surely as 「回答率は？」 does (「教えて」
    alone asks for a list); 「有効回答数と回答率を教えてください」 asks two numbers."""
    from assistant.query import answer_type, facets_of

    assert answer_type("回答率を教えてください") == answer_type("回答率は？") == "count"
    assert answer_type("有効回答数を教えて") == "count"
    assert answer_type("加入率を上げるためにどうする方針ですか") != "count"  # not asking the rate itself
    assert [f.answer_type for f in facets_of("意識調査の有効回答数と回答率を教えてください。")] == ["count", "count"]
    report = ("# 若葉町 意識調査報告書\n\n## 調査の概要\n\n"
              "令和５年度に18歳以上の町民1,500人を対象に実施し、有効回答数は642人、回答率は42.8％でした。\n\n"
              "## 結果\n\n地域活動に参加した人の割合は31.2％でした。\n")
    answer = small({"r.md": report}, "若葉町の意識調査の有効回答数と回答率を教えてください。", {"r.md": "若葉町"}).answer()
    assert not answer.abstained and "642人" in answer.text and "42.8" in answer.text


def test_a_why_question_asks_a_reason_not_a_value() -> None:
    """「なぜ」「原因は何と」 ask for a reason, told in a sentence; 「何％くらいなんですか」 is not
    「なんで」, and 「何団体で、理由は何？」 still asks a number too."""
    from assistant.query import answer_type, parse_query

    assert answer_type("事業の執行率が低かったのはなぜですか") == "other"
    assert answer_type("参加割合が下がった原因は何と説明されていますか") == "other"
    assert answer_type("自治会加入率って、いま何％くらいなんですか？") == "count"
    assert answer_type("登録廃止になった団体は何団体で、理由は何？") == "count"
    assert parse_query("執行率が低かったのはなぜ？", []).summary().get("asks_reason") is True


def test_a_why_question_is_answered_by_the_sentence_that_gives_the_reason() -> None:
    """The table row gives the rate; the sentence under it says why it was low (「…ため」)."""
    report = ("# 若葉町 令和６年度 協働事業 実績報告\n\n## 決算の状況\n\n"
              "| 事業 | 予算額（千円） | 決算額（千円） | 執行率 |\n|---|---|---|---|\n"
              "| 協働チャレンジ事業負担金 | 2,500 | 1,913 | 76.5％ |\n| 協働のまちづくり講座 | 800 | 790 | 98.8％ |\n\n"
              "協働チャレンジ事業負担金は、採択事業のうち２事業で参加者数が見込みを下回ったため、執行率が低くなりました。\n\n"
              "協働チャレンジ事業負担金は、令和７年度も継続して実施します。\n")
    answer = small({"r.md": report}, "協働チャレンジ事業負担金の執行率が低かったのはなぜですか", {"r.md": "若葉町"}).answer()
    assert not answer.abstained and "見込みを下回ったため" in answer.text
    assert answer.trace.strategy != "table_cell"


def test_a_comparison_leads_with_each_citys_value_before_a_second_of_one() -> None:
    """Two figures of 桜台市 quoted before 若葉町's: the lead gives 若葉町's too (it gave two of
    桜台市 and none of 若葉町)."""
    from assistant.lead import value_lead
    from assistant.types import Citation

    docs = {"a.md": "# 桜台市 意識調査\n\n## 結果\n\n20歳代の参加割合は14.8％でした。\n\n地域活動に参加した市民の割合は31.2％でした。\n",
            "b.md": "# 若葉町 意識調査\n\n## 結果\n\n地域活動に参加した町民の割合は28.4％でした。\n"}
    s = small(docs, "地域活動に参加した人の割合を桜台市と若葉町で比べて", {"a.md": "桜台市", "b.md": "若葉町"})
    by_text = {st.text.strip(): st for st in s.statements}
    cited = [by_text[t] for t in ("20歳代の参加割合は14.8％でした。", "地域活動に参加した市民の割合は31.2％でした。",
                                  "地域活動に参加した町民の割合は28.4％でした。")]
    citations = [Citation(i + 1, st.chunk.source, st.chunk.title, st.chunk.city, st.chunk.section, None, st.text,
                          st.chunk.id, st.start, st.end) for i, st in enumerate(cited)]
    got = value_lead(s.query, cited, citations)
    assert got is not None and "若葉町: 28.4%" in got and "桜台市: 14.8%" in got


SUBSIDY_GUIDE = ("# 若葉町 むらづくり協働事業補助金 募集要項\n\n"
         "## １　目的\n\n集落や住民団体が自ら考えて実行する活動を応援します。\n\n"
         "## ２　対象となる団体\n\n町内で活動する５人以上の団体です。\n\n"
         "## ３　対象となる事業\n\n"
         "（１）集落の課題解決に向けた取組（草刈り、水路管理の共同化など）\n（２）伝統文化・郷土芸能の継承\n"
         "（３）防災・見守りの取組\n\n"
         "## ４　補助の区分・補助率・上限額\n\n一般枠は補助対象経費の５分の４以内、上限20万円です。\n\n"
         "## ５　補助対象経費\n\n報償費、消耗品費、印刷製本費です。\n\n"
         "## ６　補助対象外経費\n\n飲食費、団体の経常的な運営経費です。\n\n"
         "## ７　申請期間\n\n令和７年４月１日から５月30日までです。\n\n"
         "## ８　予約の方法\n\n1. **オンライン**：予約システムから24時間予約できます。\n2. **窓口**：受付で申し込んでください。\n"
         "3. **電話**：仮予約のみ受け付けます。\n\n## ９　キャンセル\n\n前日までに連絡してください。\n")


def test_of_sibling_headings_the_one_naming_what_is_asked_gives_the_items() -> None:
    """「どんな事業が対象？」 over the headings of a guideline: 「３　対象となる事業」 shares the most
    of what is asked (the guideline's own name aside), so its items answer, not the outline."""
    answer = small({"g.md": SUBSIDY_GUIDE}, "若葉町のむらづくり協働事業補助金ではどんな事業が対象になりますか", {"g.md": "若葉町"}).answer()
    assert not answer.abstained and "伝統文化・郷土芸能の継承" in answer.text and "防災・見守り" in answer.text
    assert "申請期間" not in answer.text
    # 「全部挙げて」「３つの…」 ask for the headings themselves.
    from assistant.strategies.listing import _most_named_heading

    s = small({"g.md": SUBSIDY_GUIDE}, "若葉町のむらづくり協働事業補助金ではどんな事業が対象になりますか", {"g.md": "若葉町"})
    headings = [st for st in s.statements if st.segment.kind == "heading" and st.text.strip()[:1] in "１２３４５６７８９"]
    headings.sort(key=lambda st: st.start)
    assert [h.text.strip() for h in _most_named_heading(s.query, headings, s.view)] == ["３　対象となる事業"]
    every = small({"g.md": SUBSIDY_GUIDE}, "若葉町のむらづくり協働事業補助金の対象となる事業の項目を全部挙げて", {"g.md": "若葉町"})
    assert _most_named_heading(every.query, headings, every.view) == []


def test_an_ordered_markdown_list_under_a_heading_is_its_items() -> None:
    """「1. **オンライン**：…」 lines carry their number inside the statement; they are a list."""
    s = small({"g.md": SUBSIDY_GUIDE}, "予約の方法は？", {"g.md": "若葉町"})
    heading = next(st for st in s.statements if st.text.strip().endswith("予約の方法"))
    items = s.view.list_after(heading)
    assert [it.text.strip()[:5] for it in items] == ["1. **", "2. **", "3. **"]


def test_a_rule_letting_only_one_thing_through_answers_a_yes_no_question() -> None:
    """「電話では仮予約のみ受け付けます」: 本予約 by telephone is no; the rule says nothing of who
    may apply (「自治会でも申請できる？」 against 「…事業に限り申請できます」)."""
    guide = ("# 若葉町 交流センター利用案内\n\n## 予約の方法\n\n窓口では本予約を受け付けます。\n\n"
             "電話では仮予約のみ受け付けます。\n\n## 補助金\n\n"
             "自治会は、地域全体を対象とした活動以外の公益的な事業に限り申請できます。\n\n"
             "補助金の対象となる報償費は、外部講師等への謝礼に限ります。\n")
    answer = small({"g.md": guide}, "若葉町の交流センターは電話で本予約できますか", {"g.md": "若葉町"}).answer()
    assert norm(answer.text).startswith("いいえ") and "仮予約のみ" in answer.text
    from assistant.strategies.yes_no import restriction_verdict

    s = small({"g.md": guide}, "若葉町の補助金は自治会でも申請できる？", {"g.md": "若葉町"})
    assert restriction_verdict(s.query, s.statements, s.view) is None
    # (a short fixture: its words are rare, so the statement covers less of the question)
    s = small({"g.md": guide}, "若葉町の補助金で、団体の構成員への謝礼は対象になりますか", {"g.md": "若葉町"}, yes_no_coverage=0.1)
    got = restriction_verdict(s.query, s.statements, s.view)
    assert got is not None and got[0] is False and "外部講師等" in got[1].text


def test_a_te_form_is_not_the_topic_marker_tte() -> None:
    """「自治会に入っていない人も…参加できますか」: 「入って」 is a verb, so the question's subject is
    not cut there (its head was read as 「入り」 and no statement could decide it); 「会議室って
    いくら？」 still has 会議室 as its topic."""
    from assistant.query import topic_of

    assert topic_of("自治会に入っていない人も地区振興会の活動に参加できますか", []) != "自治会に入"
    assert topic_of("会議室っていくら？", []) == "会議室"
    assert topic_of("補助金って前払いしてもらえる？", []) == "補助金"
    answer = small({"q.md": "# 若葉町 地区振興会Ｑ＆Ａ\n\nＱ１　自治会に入っていない人も地区振興会の活動に参加できますか。\n"
                            "Ａ　参加できます。地区振興会は、地区に住むすべての住民を対象とした組織です。\n"},
                   "自治会に入っていない人も地区振興会の活動に参加できますか", {"q.md": "若葉町"}).answer()
    assert norm(answer.text).startswith("はい")


def test_a_list_item_named_in_quotes_is_answered_by_its_own_text() -> None:
    """「重点プロジェクト「デジタルでつながる協働」の内容を教えて」 asks about that project, not for
    the list of three projects it is one of."""
    plan = ("# 若葉町 協働のまちづくり計画\n\n## 重点プロジェクト\n\n"
            "### 重点プロジェクト① わかばユースアクション\n\n高校生が地域の課題を調べて提案します。\n\n"
            "### 重点プロジェクト② わかば未来ラボ\n\n住民と企業が新しい事業を試します。\n\n"
            "### 重点プロジェクト③ デジタルでつながる協働\n\n"
            "ボランティアの募集と応募をオンラインで完結できるようにします。\n"
            "団体向けに講座を開催し、活動のデジタル化を支援します。\n\n"
            "| 重点プロジェクト | 主な担当課 | 関連する基本目標 |\n|---|---|---|\n| ①わかばユースアクション | 生涯学習課 | 基本目標１ |\n"
            "| ②わかば未来ラボ | 企画課 | 基本目標３ |\n| ③デジタルでつながる協働 | デジタル推進課 | 基本目標２ |\n")
    answer = small({"p.md": plan}, "重点プロジェクト「デジタルでつながる協働」の内容を教えてください", {"p.md": "若葉町"}).answer()
    assert not answer.abstained and "オンラインで完結" in answer.text and "デジタル化を支援" in answer.text
    assert answer.text.index("オンラインで完結") < answer.text.find("わかば未来ラボ") or "わかば未来ラボ" not in answer.text


def test_the_heading_naming_how_to_reserve_is_chosen_for_its_ordered_items() -> None:
    """「予約方法には何がありますか」 over 「(1) 予約の受付開始」「(2) 予約の方法」「(3) キャンセル」: (2)
    shares the most of what is asked, and its ordered list (「1. **オンライン**：…」) is its items."""
    from assistant.docview import Segment
    from assistant.strategies.listing import _most_named_heading

    doc = ("# 若葉町 交流センター利用案内\n\n## 4. 予約\n\n### (1) 予約の受付開始\n\n受付は利用日の３か月前からです。\n\n"
           "### (2) 予約の方法\n\n1. **オンライン**：予約システムから24時間予約できます。\n2. **窓口**：受付で申し込んでください。\n"
           "3. **電話**：仮予約のみ受け付けます。\n\n### (3) キャンセル\n\n利用日の７日前までは全額を還付します。\n")
    s = small({"g.md": doc}, "若葉町の交流センターの予約方法には何がありますか", {"g.md": "若葉町"})
    headings = [s.view.statement("g.md", Segment(h.start, h.end, "heading"), 0) for h in s.view.headings["g.md"]]
    siblings = [h for h in headings if h.text.strip().startswith("(")]
    assert [h.text.strip() for h in _most_named_heading(s.query, siblings, s.view)] == ["(2) 予約の方法"]


def test_a_nested_list_item_lists_its_own_sub_items_only() -> None:
    """Under 「- **休館日**」 the items are its sub-items; the next item of the outer list
    (「- **駐車場**」) ends them, as it would end a list under a heading."""
    guide = ("# 若葉町 交流プラザ利用案内\n\n## 開館時間・休館日\n\n- **開館時間**\n  - 平日：9:00～21:00\n"
             "  - 日曜日・祝日：9:00～17:00\n- **休館日**\n  - 毎月第２火曜日\n  - 年末年始（12月29日～１月３日）\n"
             "- **駐車場**\n  - 20台（無料）\n")
    s = small({"g.md": guide}, "交流プラザの休館日は？", {"g.md": "若葉町"})
    intro = next(st for st in s.statements if st.text.strip().startswith("休館日"))
    items = [it.text.strip() for it in s.view.list_after(intro)]
    assert items == ["毎月第２火曜日", "年末年始（12月29日～１月３日）"]
    heading = next(st for st in s.statements if st.text.strip() == "開館時間・休館日")
    # From the heading, sub-items stay with their items (what is open when is in them).
    assert "平日：9:00～21:00" in [it.text.strip() for it in s.view.list_after(heading)]


def test_a_place_asked_by_its_own_word_is_a_place() -> None:
    """「開催日時と場所を教えて」: the second part asks where, not for a list."""
    minutes = ("# 若葉町協働推進委員会 会議録\n\n## 令和６年度第２回\n\n- **日時**：令和６年11月20日（水）午後２時\n"
               "- **場所**：若葉町役場 ３階 第１会議室\n- **出席委員**（８名／定数10名）\n  - 委員長　山田 一郎\n"
               "  - 委員　川上 花子\n  - 委員　森 太郎\n")
    s = small({"m.md": minutes}, "令和６年度第２回若葉町協働推進委員会の開催日時と場所を教えて", {"m.md": "若葉町"})
    assert [f.answer_type for f in s.query.facets] == ["date", "place"]
    answer = s.answer()
    assert "令和６年11月20日" in answer.text and "第１会議室" in answer.text
    assert parse_query("活動場所がないときはどうする？", []).answer_type != "place"


def test_a_venue_label_stands_apart_from_what_it_names() -> None:
    """「居場所づくり」 holds 場所 but names no place; a labelled venue keeps its spaced words."""
    from assistant.lead import venue

    assert venue("子どもの居場所づくりなど、地域の安心に関わる取組を進めます。") is None
    assert venue("- **場所**：若葉町役場 ３階 第１会議室") == "若葉町役場 3階 第1会議室"
    assert venue("■会場 市民交流センター") == "市民交流センター"
    assert venue("中央公園で開催しました。") == "中央公園"


def test_everyday_counters_make_a_count_question() -> None:
    """「何台」「何部」「何室」「何区画」 ask a number in that counter, as 「何名」 does; a guide that
    gives none is not quoted as if it answered."""
    for question, unit in [("駐輪場は何台分ありますか？", "台"), ("広報紙は何部発行していますか", "部"),
                           ("会議室は何室ありますか", "室"), ("ロッカーは何区画？", "区画")]:
        q = parse_query(question, [])
        assert q.answer_type == "count" and q.unit == unit, question
    guide = "# 若葉町 交流センター利用案内\n\n## 駐車場・駐輪場\n\n駐車場はありません。\n\n駐輪場は玄関の横にあります。\n"
    assert small({"g.md": guide}, "若葉町の交流センターの駐輪場は何台分ありますか？", {"g.md": "若葉町"}).answer().abstained
    stated = guide.replace("駐輪場は玄関の横にあります。", "駐輪場は玄関の横に20台分あります。")
    answer = small({"g.md": stated}, "若葉町の交流センターの駐輪場は何台分ありますか？", {"g.md": "若葉町"}).answer()
    assert not answer.abstained and "20台" in answer.text


def test_a_count_written_in_kanji_answers_a_count_question() -> None:
    """「出席委員は十二名」 answers 「何名」 as 「12名」 would; 「一人ひとり」「第三者」 are not counts."""
    from assistant.values import value_patterns

    count = value_patterns()["count"]
    assert [m.group(0) for m in count.finditer("登録団体は百二十八団体、出席は委員九名でした。")] == ["百二十八団体", "九名"]
    assert not count.search("市民一人ひとりが、第三者の立場で、一部の団体とともに")
    minutes = ("# 若葉町協働推進委員会 会議録\n\n## 出席者\n\n本日の出席委員は十二名で、定足数を満たしています。\n\n"
               "## 議事\n\n事務局から協働事業の進み具合を説明した。\n")
    answer = small({"m.md": minutes}, "若葉町の協働推進委員会の出席委員は何名？", {"m.md": "若葉町"}).answer()
    assert not answer.abstained and answer.text.startswith("十二名")


def test_an_attribute_named_before_to_asks_its_own_answer() -> None:
    """「町の人口と高齢化率」「補助金の対象と上限額」 ask two things; 「協議会と市が連携して」
    「前の年度と比べて」 and one name (「社会教育と地域づくり実践研修」) ask one."""
    two = facets_of("竹ノ浦町の人口と高齢化率を教えてください")
    assert [(f.text, f.answer_type) for f in two] == [("竹ノ浦町の人口と", "other"), ("高齢化率を教えてください", "count")]
    assert len(facets_of("むらづくりチャレンジ補助金の対象と上限額を教えてください")) == 2
    assert facets_of("地域づくり協議会と市が連携して取り組んでいる事業数は、令和６年度実績でいくつですか？") == ()
    assert facets_of("地域づくり研修の参加者は、前の年度と比べてどれだけ増えましたか？") == ()
    assert facets_of("社会教育と地域づくり実践研修はいつ行われましたか？") == ()
    guide = ("# 若葉町 チャレンジ補助金\n\n## 対象\n\n3人以上のグループが行う公益的な活動が対象です。\n\n"
             "## 補助額\n\n上限は5万円で、対象経費の10分の10を補助します。\n")
    answer = small({"g.md": guide}, "若葉町のチャレンジ補助金の対象と上限額を教えてください", {"g.md": "若葉町"}).answer()
    assert "3人以上のグループ" in answer.text and "5万円" in answer.text


GUIDE_KANA = """# 若葉町 地域運営組織の手引き

## ２ 地域運営組織とは

（１）地域運営組織の考え方

地域運営組織は、地区の住民や団体が話し合い、地区の課題に取り組む組織です。

（２）自治会との関係

自治会は引き続き身近な活動を担い、地域運営組織は地区全体の課題を扱います。

（３）地域運営組織が取り組む活動の例

ア　高齢者の見守り、買い物支援

イ　防災訓練の実施、避難行動の支援

ウ　子どもの居場所づくり
"""


def test_items_numbered_in_kana_are_a_list() -> None:
    """「ア　…」「イ　…」 number the items one level below (1)(2) in official documents; a kana
    starting a word (「アンケート」) numbers nothing, and kana items inside a (1)(2) run are not
    its numbers."""
    from assistant.docview import item_number

    assert [item_number(t) for t in ["ア　高齢者の見守り", "（イ）防災訓練", "ウ．清掃", "アンケート結果"]] == [1, 2, 3, None]
    s = small({"g.md": GUIDE_KANA}, "地域運営組織の活動の例は？", {"g.md": "若葉町"})
    heading = next(st for st in s.statements if "取り組む活動の例" in st.text)
    assert [it.text.strip()[:1] for it in s.view.list_after(heading)] == ["ア", "イ", "ウ"]
    intro = next(st for st in s.statements if st.text.strip() == "２ 地域運営組織とは")
    assert [it.text.strip()[:3] for it in s.view.numbered_run(intro)] == ["（１）", "（２）", "（３）"]


def test_the_one_heading_asked_about_answers_with_its_own_text() -> None:
    """「どんな活動をするの？」 over 「(1) 考え方」「(2) 自治会との関係」「(3) …取り組む活動の例」:
    the third names what is asked, so what stands under it answers (its items, or its prose),
    not the three headings."""
    answer = small({"g.md": GUIDE_KANA}, "若葉町の地域運営組織はどんな活動をするの？", {"g.md": "若葉町"}).answer()
    assert "高齢者の見守り" in answer.text and "防災訓練" in answer.text
    assert "自治会との関係" not in answer.text
    prose = GUIDE_KANA[: GUIDE_KANA.index("ア　")] + "地区の実情に応じて、高齢者の見守りや防災訓練などに取り組みます。\n"
    answer = small({"g.md": prose}, "若葉町の地域運営組織はどんな活動をするの？", {"g.md": "若葉町"}).answer()
    assert "高齢者の見守りや防災訓練" in answer.text
    assert "自治会との関係" not in answer.text


def test_a_list_word_inside_a_yes_no_question_describes_the_case() -> None:
    """「主な目的の団体も登録できますか」「２つの事業を申請できますか」 ask yes or no; 「主な取組を
    挙げて」 asks a list."""
    assert parse_query("政治活動が主な目的の団体も、センターに団体登録できますか", []).yes_no
    assert parse_query("１団体で同じ年度に２つの事業を申請できますか", []).yes_no
    assert not parse_query("主な取組を挙げて", []).yes_no
    guide = ("# 若葉町 市民活動センター 団体登録のご案内\n\n## 登録できる団体\n\n町内で公益的な活動を行う団体が登録できます。\n\n"
             "宗教活動や政治活動を主な目的とする団体は登録できません。\n")
    answer = small({"g.md": guide}, "若葉町では政治活動が主な目的の団体も、センターに団体登録できますか", {"g.md": "若葉町"}).answer()
    assert answer.text.startswith("いいえ") and "登録できません" in answer.text


def test_the_documents_own_question_is_decided_by_its_answer() -> None:
    """「Ｑ２　…借りられますか。」 says neither yes nor no; 「Ａ　貸出しはしていません。」 does, and
    the sentence after a short answer says on what terms."""
    faq = ("# 若葉町 地区振興会ハンドブック\n\n## よくある質問\n\n**Ｑ１　自治会に入っていない人も活動に参加できますか。**\n\n"
           "Ａ　参加できます。地区振興会は、地区に住むすべての住民を対象とした組織です。\n\n"
           "**Ｑ２　地区の会議室を個人で借りられますか。**\n\n"
           "Ａ　個人への貸出しはしていません。団体として登録すると予約できます。\n")
    yes = small({"f.md": faq}, "若葉町では自治会に入っていない人も地区振興会の活動に参加できますか", {"f.md": "若葉町"}).answer()
    assert yes.text.startswith("はい") and "すべての住民" in yes.text
    no = small({"f.md": faq}, "若葉町の地区の会議室を個人で借りられますか", {"f.md": "若葉町"}).answer()
    assert no.text.startswith("いいえ") and "貸出しはしていません" in no.text


def test_two_things_of_two_towns_set_side_by_side_make_a_comparison() -> None:
    """「つなぐばとかわせみテラスでそれぞれいくら？」 names no town, but two centres each written in
    one town's documents only: the question compares those towns. Without a word that sets
    things side by side, or with a name every town writes, nothing is inferred."""
    from assistant.pipeline import named_cities

    texts = {
        "a.md": "# 若葉町 市民活動センター「つなぐば」利用案内\n\nロッカーの貸出し（月額500円）を行っています。\n",
        "b.md": "# 桜川市 交流センター「かわせみテラス」利用案内\n\nロッカーは年額3,000円で貸し出します。\n",
    }
    s = small(texts, "ロッカーの料金は、つなぐばとかわせみテラスでそれぞれいくら？", {"a.md": "若葉町", "b.md": "桜川市"})
    assert s.query.cities == []
    assert named_cities(s.query, s.view).cities == ["若葉町", "桜川市"]
    alone = small(texts, "つなぐばのロッカーの料金は？", {"a.md": "若葉町", "b.md": "桜川市"})
    assert named_cities(alone.query, alone.view).cities == []
    common = small(texts, "ロッカーの利用案内はそれぞれどうなっていますか", {"a.md": "若葉町", "b.md": "桜川市"})
    assert named_cities(common.query, common.view).cities == []


MINUTES = """# 若葉町 協働推進委員会 会議録

## 議事の経過

○事務局　令和7年度は、交流まつりを日曜日に開催する方向で調整しています。
○川端委員　企業の立場からすると、窓口が分からないという声があります。企業向けの相談窓口を明記してほしい。
○会長　ほかに意見はありますか。
"""


def test_who_said_something_in_minutes_is_answered_with_the_line_that_names_the_speaker() -> None:
    from assistant.strategies.picking import with_speakers

    docs, cities = {"minutes.md": MINUTES}, {"minutes.md": "若葉町"}
    answer = small(docs, "企業向けの相談窓口を明記してほしいと言ったのはどの委員？", cities).answer()
    assert "川端委員" in answer.text
    s = small(docs, "企業向けの相談窓口について", cities)
    said = [st for st in s.statements if st.text.startswith("企業向けの相談窓口")]
    assert [st.text[:4] for st in with_speakers(said, s.view)] == ["川端委員", "企業向け"]
    opening = [st for st in s.statements if "ほかに意見" in st.text]
    assert with_speakers(opening, s.view) == opening  # a sentence opening its turn holds its speaker


def test_a_sentence_announcing_items_is_read_across_a_pdf_line_break() -> None:
    from assistant.strategies.picking import _announces_items

    assert _announces_items("町では令和7年度から次\nの3つを重点的に進めます。")
    assert not _announces_items("町では令和7年度から重点的に進めます。")


RULES = """# 若葉町 まちづくり補助金交付要綱

（補助対象経費）
第４条　補助対象経費は、次に掲げるものとする。
（１）報償費
（２）消耗品費
（３）印刷製本費

（対象外経費）
第５条　次に掲げる経費は、補助対象経費としない。
（１）構成員の人件費
（２）飲食費
（３）事務所の家賃
"""


def test_the_list_a_rule_excludes_answers_what_is_not_covered() -> None:
    docs, cities = {"rule.md": RULES}, {"rule.md": "若葉町"}
    excluded = small(docs, "補助金の対象にならない経費って何がある？", cities).answer().text
    assert "人件費" in excluded and "家賃" in excluded and "報償費" not in excluded
    covered = small(docs, "補助金の対象になる経費って何がある？", cities).answer().text
    assert "報償費" in covered and "人件費" not in covered


def test_a_table_header_names_no_one_and_the_cell_of_the_named_row_answers_who() -> None:
    """「第1回の講師は誰」 of a table 「回 | 日付 | テーマ | 講師 | 参加者数」: the header row names no
    person (「講師　参加者数」 is no roster line), and the answer is the 講師 cell of the 第1回 row."""
    from assistant.lexicon import lexicon
    from assistant.tokens import tokenizer

    assert tokenizer().person_names("回\t日付\tテーマ\t講師\t参加者数", lexicon().person_titles, full=True) == []
    report = ("# 白浜市 まちづくり塾 実施報告\n\n## 各回の内容\n\n| 回 | 日付 | テーマ | 講師 | 参加者数 |\n|---|---|---|---|---|\n"
              "| 第1回 | 6月15日 | オリエンテーション | 長谷部 典子（白浜大学 教授） | 27人 |\n"
              "| 第2回 | 7月6日 | 地域を知る | 高野 俊介（市民協働課） | 25人 |\n")
    answer = small({"r.md": report}, "まちづくり塾の第1回の講師は誰でしたか", {"r.md": "白浜市"}).answer()
    assert not answer.abstained and "長谷部" in answer.text.split("\n")[0]


def test_a_line_inside_an_open_bracket_goes_on_on_the_next_line() -> None:
    """「・備品購入費（1品5万円未満のもので、補助対象経費の合計の」 / 「30％以内）」: a text file
    wrapped inside a bracket is one statement, though the next line starts with a number."""
    text = "A6　次の経費が対象です。\n　　・広告料\n　　・備品購入費（1品5万円未満のもので、補助対象経費の合計の\n　　　30％以内）\n　　・3人以上の講師の謝礼\n"
    said = [text[s.start : s.end] for s in document_segments(text)]
    assert "備品購入費（1品5万円未満のもので、補助対象経費の合計の\n\u3000\u3000\u300030％以内）" in said
    assert "3人以上の講師の謝礼" in said


def test_a_title_the_question_says_whole_is_answered_by_the_lines_under_it() -> None:
    """「団体登録」 for 「…団体登録するための条件は？」: a panel's title repeats the question; the
    lines under it say the conditions. A legend's 「○：おおむね順調」 keeps its symbol."""
    leaflet = ("# 白浜市民活動プラザ 利用案内\n\n団体登録\n\n構成員が５人以上で、その半数以上が市内に在住していること。\n\n"
               "宗教活動・政治活動を主な目的としないこと。\n\n## 評価\n\n○：おおむね順調（達成率80％以上100％未満）\n")
    answer = small({"l.md": leaflet}, "プラザに団体登録するための条件は？", {"l.md": "白浜市"}).answer()
    assert not answer.abstained and "５人以上" in answer.text
    assert "見出しのような短い行" in (answer.trace.strategy_reason or "")  # the trace says why the lines under it
    assert "○：おおむね順調（達成率80％以上100％未満）" in [leaflet[s.start : s.end] for s in document_segments(leaflet)]


def test_a_reply_is_quoted_with_the_sentences_going_on_in_its_turn() -> None:
    """「C委員：…理由をどう分析していますか。」 is answered by the 事務局's turn: its first sentence
    restates (「提案が３件にとどまりました。」), the next says why and what was done."""
    minutes = ("# 白浜市 市民協働推進審議会 会議録\n\n## 報告事項\n\n事務局：\u3000令和６年度は５事業を実施しました。\n"
               "C委員：\u3000協働提案事業の提案件数が減っている理由をどう分析していますか。\n"
               "事務局：\u3000令和６年度の募集では提案が３件にとどまりました。団体からは「書類の負担が大きい」との声があり、"
               "今年度から提案書の様式を簡素化しました。\n")
    answer = small({"m.md": minutes}, "協働提案事業の提案が減ってる理由について、事務局はどう説明した？", {"m.md": "白浜市"}).answer()
    assert not answer.abstained and "簡素化" in answer.text


def test_the_reason_is_the_next_sentence_when_the_first_only_says_what() -> None:
    """「なぜ下げる」: 「…23,000人に修正するものです。」 says what (its 「ものです」 holds no
    「ので」), 「これは、…休館が予定されているためです。」 after it says why."""
    from assistant.lexicon import lexicon

    assert not lexicon().gives_reason.search("目標を23,000人に修正するも\nのです。")
    assert lexicon().gives_reason.search("参加者が少ないので延期します。")
    plan = ("# 白浜市 推進計画 中間見直し\n\n## 見直しの内容\n\n成果指標のうち「センターの年間利用者数」の最終目標を25,000人から23,000人に修正するものです。"
            "これは、令和８年度に空調改修工事に伴い約２か月間の休館が予定されているためです。\n\n## その他\n\n用語解説に２語を追加します。\n")
    answer = small({"p.md": plan}, "白浜市はセンター利用者数の目標をなぜ下げるんですか", {"p.md": "白浜市"}).answer()
    assert not answer.abstained and "空調改修工事" in answer.text
    assert "理由を述べる" in (answer.trace.strategy_reason or "")


def test_a_header_row_alone_is_no_answer() -> None:
    """「いつから予約できる」: the table 「部屋 | 定員 | 登録団体 | 未登録団体」 names the columns and
    says nothing; a header row is never the statement an answer leads with."""
    from assistant.strategies.picking import pick

    guide = ("# 白浜市民活動センター 利用案内\n\n## 部屋\n\n| 部屋 | 定員 | 登録団体 | 未登録団体 |\n|---|---|---|---|\n"
             "| 会議室A | 24人 | 無料 | 1時間500円 |\n\n## 予約の受付開始\n\n登録団体：利用日の３か月前の月の初日から\n")
    s = small({"g.md": guide}, "センターの部屋の予約、登録団体はいつから？", {"g.md": "白浜市"})
    header = next(st for st in s.statements if st.text.startswith("| 部屋"))
    assert s.view.is_header_row(header) and not s.view.is_header_row(next(st for st in s.statements if "会議室A" in st.text))
    chosen = pick(s.query, s.scope, s.view)
    assert chosen and any(st.text != header.text for st in chosen)  # (a row may bring its header along)
    answer = s.answer()
    assert answer.abstained or "３か月前" in answer.text


def test_a_roster_answers_who_chairs_with_the_name_beside_the_title() -> None:
    """A roster: 「北川　昌弘（会長）」 chairs the council; 「…ボランティア連絡会　会長」 is another
    member's title in their own organisation. (A regression test: the row naming the title's
    holder is chosen also when a second look chose the quotes.)"""
    page = ("# 協働推進審議会\n\n## 審議会の概要\n\n峰岡市協働推進審議会は、条例に基づき設置している市長の附属機関です。\n\n"
            "## 委員名簿\n\n氏名\t選出区分\t所属・役職\n"
            "北川　昌弘（会長）\t学識経験者\t峰岡学院大学 教授\n"
            "渡部　孝\t市民活動団体\t峰岡市ボランティア連絡会 会長\n"
            "三浦　典子（副会長）\t市民活動団体\tＮＰＯ法人みねおか子ども未来 代表理事\n"
            "片山　里美\t自治会\t峰岡ニュータウン自治会 会長\n")
    answer = small({"s.html": page}, "峰岡市の協働推進審議会の会長は誰", {"s.html": "峰岡市"}).answer()
    assert "北川" in answer.text and "渡部" not in answer.text



def test_the_kind_of_value_asked_is_no_topic_the_quotes_must_name() -> None:
    """「広さは何㎡」「時給いくら」「どこの部屋」: the guide writes the value itself (「28㎡」
    「1時間当たり1,100円」「多目的室」), never the word asked."""
    guide = ("# 白浜市民活動プラザ 利用案内\n\n## 貸室\n\n| 部屋名 | 定員 | 面積 |\n|---|---|---|\n| 会議室Ｂ | 12人 | 28㎡ |\n\n"
             "## スタッフ\n\nひろばスタッフの謝金は、1人1時間当たり1,100円とします。\n")
    cities = {"g.md": "白浜市"}
    room = small({"g.md": guide}, "白浜市民活動プラザの会議室Ｂの広さは何㎡ですか", cities).answer()
    assert not room.abstained and "28㎡" in room.text
    wage = small({"g.md": guide}, "ひろばスタッフの謝金は時給いくら？", cities).answer()
    assert not wage.abstained and "1,100円" in wage.text


# --------------------------------------------------------------------------- where a thing stands


CENTRE_ADDRESS = """# 若葉町 協働センター案内

## 1 概要

わかば協働センターは、町民の活動を支える拠点として平成30年に開設しました。登録団体は64団体です。

わかば協働センターは、若葉町本町2丁目3番地（役場東館2階）にあります。
"""


def test_where_a_thing_stands_is_asked_as_a_place() -> None:
    """「どこにある」「どこの建物に入ってる」「所在地は」 ask a place (a floor, an address), as
    「会場は」 does: not a name, which any sentence naming the centre would answer."""
    for question in ("わかば協働センターはどこにある？", "わかば協働センターの所在地は？", "センターはどこの建物に入ってますか"):
        assert parse_query(question, ()).answer_type == "place", question
    answer = small({"c.md": CENTRE_ADDRESS}, "わかば協働センターはどこにある？", {"c.md": "若葉町"}).answer()
    assert "役場東館2階" in norm(answer.text)


def test_asked_whether_done_already_a_plan_for_later_says_not_yet() -> None:
    """「もう提案制度を導入してる？」 against 「…令和8年度からの導入に向けて検討を進めています」: no
    negative form, yet the thing is ahead, so いいえ; asked without 「もう」, the sentence decides
    nothing of the kind (it has no negative form: はい as before)."""
    faq = ("# 若葉町 協働FAQ\n\n## Q3. 町と一緒に事業をしたい場合は？\n\n"
           "町が設定したテーマに対して団体から事業を提案していただく「協働事業提案制度」は、令和8年度からの導入に向けて検討を進めています。\n")
    answer = small({"f.md": faq}, "若葉町ではもう協働事業提案制度を導入してる？", {"f.md": "若葉町"}).answer()
    assert norm(answer.text).startswith("いいえ") and "令和8年度からの導入" in answer.text
    from assistant.strategies.yes_no import not_yet

    s = small({"f.md": faq}, "若葉町の協働事業提案制度は導入される？", {"f.md": "若葉町"})
    assert not any(not_yet(s.query, st) for st in s.statements)


def test_a_lead_time_asked_is_held_against_the_rule_n_days_before() -> None:
    """「3日前にキャンセルしたら戻る？」 against 「使用日の7日前までに連絡があった場合は…全額還付」:
    too late, いいえ; 10日前 is in time. 「3か月前から予約」 bounds the other way."""
    from assistant.values import bounded_lead_times, lead_times

    assert lead_times("使用日の３日前にキャンセル".translate(str.maketrans("３", "3"))) == [3.0]
    assert bounded_lead_times("使用日の7日前までに連絡") == [(7.0, ">=")]
    assert bounded_lead_times("利用日の3か月前から予約できます") == [(90.0, "<=")]
    guide = ("# 若葉町 交流センター利用案内\n\n## キャンセル\n\n"
             "使用日の7日前までに連絡があった場合は、既納の使用料を全額還付します。\n")
    late = small({"g.md": guide}, "若葉町の交流センター、使用日の3日前にキャンセルしたら使用料は還付される？", {"g.md": "若葉町"}).answer()
    assert norm(late.text).startswith("いいえ")
    early = small({"g.md": guide}, "若葉町の交流センター、使用日の10日前にキャンセルしたら使用料は還付される？", {"g.md": "若葉町"}).answer()
    assert norm(early.text).startswith("はい")


DEED_REPORT = """# 若葉町 協働事業報告

## 1 提案制度

協働提案事業は、令和6年度に5件の応募があり、3件を採択しました。

## 2 説明会

補助金の説明会を6月に開きました。

## 3 アンケート

令和6年度の町民アンケートの回収数は1,284件でした。

## 4 今後

町民の参加を広げます。
"""


def test_a_number_of_a_deed_is_answered_only_where_the_deed_is_spoken_of() -> None:
    """「何件採択された？」 is answered by 「3件を採択」; 「説明会には何人参加した？」 is not answered by
    the survey's 「回収数は1,284件」 (the deed 参加 is written nowhere near): the documents do not
    say. 「年に何回開催」 asks how often, written 「年2回」 without the deed."""
    docs, cities = {"r.md": DEED_REPORT}, {"r.md": "若葉町"}
    answer = small(docs, "若葉町の協働提案事業は令和6年度に何件採択された？", cities).answer()
    assert not answer.abstained and "3件" in answer.text
    from assistant.gates import deed_not_stated

    s = small(docs, "若葉町の説明会には何人参加した？", cities)
    survey = [st for st in s.statements if "回収数" in st.text]
    assert survey and deed_not_stated(s.case(survey)) is not None
    adopted = small(docs, "若葉町の協働提案事業は何件採択された？", cities)
    assert deed_not_stated(adopted.case([st for st in adopted.statements if "採択しました" in st.text])) is None
    often = small(docs, "若葉町の説明会は年に何回開催する？", cities)
    assert deed_not_stated(often.case([st for st in often.statements if "回収数" in st.text])) is None
