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
