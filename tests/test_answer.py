"""The extractive answer engine (no model) on the real seed index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.docview import Segment, Statement
from assistant.evidence import Evidence
from assistant.gates import Case, items_only_announced, missing_nouns
from assistant.citations import markers, verify
from assistant.pipeline import Assistant
from assistant.query import asked_unit, nfkc, parse_query
from assistant.settings import Settings
from assistant.types import Answer

YAMAGUCHI = {"yamaguchi_r6_jisseki.txt", "yamaguchi_r6_jigyo.txt"}
ICHINOSEKI = "ichinoseki_kyodo_suishin_keikaku_3.md"
IWAKUNI = "iwakuni_kyodo_suishin_keikaku_gaiyo.txt"

ANSWERABLE = [
    "自治会長情報交換会には何名参加した？",
    "協働によるまちづくり研修はいつ実施されましたか？",
    "さぽカフェはいつ開催されましたか？",
    "地域の未来づくり特別交付金の上限はいくらですか？",
    "岩国市の計画期間は？",
    "一関市の３つの基本方針を挙げてください。",
    "補完性の原則とは？",
    "一関市と岩国市の計画期間は？",
]
UNANSWERABLE = [
    "横浜市の協働推進計画の期間は？",
    "ふるさと納税の返礼品は何がありますか？",
    "岩国市の市民活動支援センターの開館時間と休館日は？",
]


@pytest.fixture(scope="module")
def assistant(seed_settings: Settings) -> Assistant:
    return Assistant(seed_settings)


@pytest.fixture(scope="module")
def answers(assistant: Assistant) -> dict[str, Answer]:
    """Each question answered once; the tests below look at different sides of the answers."""
    return {q: assistant.ask(q) for q in ANSWERABLE + UNANSWERABLE}


def evidence_for(assistant: Assistant, question: str) -> Evidence:
    query = parse_query(question, assistant.index.cities)
    return Evidence(query, assistant.view, assistant.settings.answer)


def norm(text: str) -> str:
    """The eval's matching: NFKC, no white space, lower case."""
    return re.sub(r"\s+", "", nfkc(text)).lower()


def cited_sources(answer: Answer) -> set[str]:
    return {c.source for c in answer.citations}


# --------------------------------------------------------------------------- answer types


def test_count_question(answers: dict[str, Answer]) -> None:
    a = answers["自治会長情報交換会には何名参加した？"]
    assert not a.abstained
    assert "29名" in norm(a.text)
    assert norm(a.text).startswith("29名")  # the asked-for value leads
    assert cited_sources(a) & YAMAGUCHI
    assert any("29" in nfkc(c.quote) for c in a.citations)


def test_date_question_gives_month_and_day(answers: dict[str, Answer]) -> None:
    a = answers["協働によるまちづくり研修はいつ実施されましたか？"]
    assert not a.abstained
    assert "7月29日" in norm(a.text)
    assert cited_sources(a) == {"yamaguchi_r6_jigyo.txt"}


def test_date_question_with_several_dates(answers: dict[str, Answer]) -> None:
    a = answers["さぽカフェはいつ開催されましたか？"]
    assert not a.abstained
    assert re.search(r"\d{1,2}月\d{1,2}日", norm(a.text))
    assert "10月22日" in norm(a.text)
    assert cited_sources(a) == {"yamaguchi_r6_jigyo.txt"}


def test_amount_question(answers: dict[str, Answer]) -> None:
    a = answers["地域の未来づくり特別交付金の上限はいくらですか？"]
    assert not a.abstained
    assert "20万円" in norm(a.text)
    assert "yamaguchi_r6_jigyo.txt" in cited_sources(a)


def test_period_question(answers: dict[str, Answer]) -> None:
    a = answers["岩国市の計画期間は？"]
    assert not a.abstained
    assert "令和6年度" in norm(a.text) and "令和10年度" in norm(a.text)
    assert cited_sources(a) == {IWAKUNI}


def test_list_question_names_the_three_policies(answers: dict[str, Answer]) -> None:
    a = answers["一関市の３つの基本方針を挙げてください。"]
    assert not a.abstained
    for policy in ("協働のための人づくり", "協働のための環境づくり", "協働のための仕組みづくり"):
        assert policy in a.text
    assert cited_sources(a) == {ICHINOSEKI}


def test_list_question_lists_only_the_asked_items(answers: dict[str, Answer]) -> None:
    a = answers["一関市の３つの基本方針を挙げてください。"]
    assert len(a.citations) == 3
    assert "成果指標" not in a.text


def test_definition_question(answers: dict[str, Answer]) -> None:
    a = answers["補完性の原則とは？"]
    assert not a.abstained
    assert "自助" in a.text or "共助" in a.text
    assert cited_sources(a) == {ICHINOSEKI}


def test_two_city_question_cites_both_documents(answers: dict[str, Answer]) -> None:
    a = answers["一関市と岩国市の計画期間は？"]
    assert not a.abstained
    assert {ICHINOSEKI, IWAKUNI} <= cited_sources(a)
    assert "令和6年度" in norm(a.text) and "令和10年度" in norm(a.text)


def test_two_city_question_states_each_citys_period(answers: dict[str, Answer]) -> None:
    # Each city's own statement must give the period, not merely mention the word 計画期間.
    a = answers["一関市と岩国市の計画期間は？"]
    for source in (ICHINOSEKI, IWAKUNI):
        quotes = [nfkc(c.quote) for c in a.citations if c.source == source]
        assert any("令和10年度" in q for q in quotes), (source, quotes)


def test_single_city_period_question_for_ichinoseki(assistant: Assistant) -> None:
    a = assistant.ask("一関市の計画期間は？")
    assert not a.abstained
    assert "令和6年度" in norm(a.text) and "令和10年度" in norm(a.text)
    assert cited_sources(a) == {ICHINOSEKI}


# --------------------------------------------------------------------------- citations


@pytest.mark.parametrize("question", ANSWERABLE)
def test_every_quote_stands_verbatim_in_the_source_file(
    question: str, answers: dict[str, Answer], assistant: Assistant, seed_settings: Settings
) -> None:
    a = answers[question]
    assert a.citations
    assert [c.n for c in a.citations] == list(range(1, len(a.citations) + 1))
    for c in a.citations:
        raw = (Path(seed_settings.corpus_dir) / c.source).read_text(encoding="utf-8")
        assert c.quote.strip()
        assert raw[c.start : c.end] == c.quote, c
        assert verify(c, assistant.index.documents)
        chunk = assistant.index.chunks[assistant.index.position[c.chunk_id]]
        assert chunk.source == c.source
        assert c.section and c.title == chunk.title


@pytest.mark.parametrize("question", ANSWERABLE)
def test_every_statement_line_carries_a_known_marker(question: str, answers: dict[str, Answer]) -> None:
    a = answers[question]
    known = {c.n for c in a.citations}
    statement_lines = [ln for ln in a.text.splitlines() if ln.strip() and not ln.rstrip().endswith((":", "："))]
    assert statement_lines
    for line in statement_lines:
        used = markers(line)
        assert used, f"uncited line: {line!r}"
        assert set(used) <= known, line
    assert set(markers(a.text)) == known  # and no citation is left unused


# --------------------------------------------------------------------------- abstention


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_abstains_saying_what_was_not_found_but_shows_passages(question: str, answers: dict[str, Answer]) -> None:
    a = answers[question]
    assert a.abstained
    assert a.text.startswith("資料には") and a.text.endswith("見つかりませんでした。")
    assert a.citations == []
    assert len(a.passages) >= 3  # the closest passages are still offered to staff
    scores = [p.score for p in a.passages]
    assert scores == sorted(scores, reverse=True)


def test_answerable_questions_do_not_abstain(answers: dict[str, Answer]) -> None:
    assert [q for q in ANSWERABLE if answers[q].abstained] == []


def test_latency_is_recorded(answers: dict[str, Answer]) -> None:
    for a in answers.values():
        assert a.latency_ms > 0
        assert a.mode == "extractive"
        assert a.standalone_question is None  # no history, nothing rewritten


def test_answer_keeps_the_question_as_typed(answers: dict[str, Answer]) -> None:
    assert answers["一関市の３つの基本方針を挙げてください。"].question == "一関市の３つの基本方針を挙げてください。"


def test_value_question_adds_only_statements_with_values(assistant) -> None:  # type: ignore[no-untyped-def]
    """Once the period is found, sentences that merely mention 「計画期間」 are noise."""
    answer = assistant.ask("一関市の協働推進計画の期間は？")
    assert not answer.abstained
    assert "令和6年度" in answer.text and "令和10年度" in answer.text
    assert "計画期間が終了" not in answer.text


def test_list_from_the_items_after_an_introducer(assistant) -> None:  # type: ignore[no-untyped-def]
    """「重点プロジェクト」 followed by (1)(2)(3): the items are the answer."""
    answer = assistant.ask("山口市の後期推進計画の重点プロジェクトを挙げてください。")
    text = answer.text
    for item in ("地域の未来を担う人づくりプロジェクト", "安心して暮らせる地域の基盤づくりプロジェクト"):
        assert item in text
    assert "活発化プロジェクト" in text or "活性化プロジェクト" in text


def test_heading_named_by_the_question_is_answered_by_its_sub_headings(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("一関市の協働推進計画の基本方針2の施策は？")
    assert "協働の主体の充実" in answer.text
    assert "協働を進めるための場づくり" in answer.text


def test_comparison_labels_each_statement_with_its_city(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("一関市と岩国市の計画期間は？")
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert any(line.startswith("- 一関市: ") for line in lines)
    assert any(line.startswith("- 岩国市: ") for line in lines)
    assert answer.text.splitlines()[0].startswith("一関市: ")


def test_passages_the_answer_was_built_from_come_first(assistant) -> None:  # type: ignore[no-untyped-def]
    """A definition found by the structural lookup (outside the fused top list) is cited, and
    its passage leads `passages` (the eval's `retrieved`), followed by the other candidates."""
    answer = assistant.ask("地域協働体とは？")
    assert not answer.abstained
    cited = list(dict.fromkeys(c.chunk_id for c in answer.citations))
    assert [p.chunk.id for p in answer.passages[: len(cited)]] == cited
    assert "一定の区域" in answer.passages[0].chunk.text
    assert len({p.chunk.id for p in answer.passages}) == len(answer.passages)


@pytest.mark.parametrize(
    "question",
    [
        "おおうち産業フェアは何月何日に開催されましたか？",  # the fair is reported, its date is not
        "山口市のキッカケ見つけ隊21の参加者は何人でしたか？",  # held, but no participant count given
    ],
)
def test_value_question_about_a_subject_the_documents_mention_without_the_value(assistant, question) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(question)
    assert answer.abstained
    subject = question.split("の参加者")[0].replace("山口市の", "").split("は何月")[0]
    assert answer.text == f"資料には『{subject}の{'日付' if '何月' in question else '数'}』に関する記載が見つかりませんでした。"
    assert answer.passages, "the closest passages are still offered"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("おおうち産業フェアには何人が来場しましたか？", "500人"),  # same subject, value given
        ("一関市の地域づくり交付金はいつ創設されましたか？", "令和4年度"),  # a founding: the year answers
        ("地域の未来づくり特別交付金の交付期間はいつまでですか？", "令和7年3月31日"),  # a period written with days
    ],
)
def test_value_questions_whose_value_is_there_are_answered(assistant, question, expected) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(question)
    assert not answer.abstained
    assert expected in re.sub(r"\s+", "", nfkc(answer.text))


def test_subject_is_a_specific_thing_not_an_attribute() -> None:
    cities = ["一関市", "山口市", "岩国市"]
    assert parse_query("一関市の計画期間は？", cities).subject is None
    assert parse_query("おおうち産業フェアは何月何日に開催されましたか？", cities).subject == "おおうち産業フェア"
    assert parse_query("山口市の地域づくり交付金の令和６年度の交付総額はいくらですか？", cities).subject == "地域づくり交付金"


def test_date_of_a_plan_comes_from_its_cover(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("一関市と岩国市の計画は、それぞれいつ付けのものですか？")
    text = re.sub(r"\s+", "", nfkc(answer.text))
    assert "一関市:令和6年3月" in text and "岩国市:令和6年7月" in text
    assert {c.source for c in answer.citations} == {ICHINOSEKI, IWAKUNI}


def test_date_of_another_plan_is_not_the_cover_date(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("一関市協働推進アクションプランが策定されたのはいつですか？")
    text = re.sub(r"\s+", "", nfkc(answer.text))
    assert "平成22年12月" in text
    assert not text.startswith("令和6年3月")


def test_value_asked_of_a_document_that_never_gives_it(assistant) -> None:  # type: ignore[no-untyped-def]
    """The subject is a document itself (the しくみづくり project sheet) and no period stands
    anywhere in it: abstain rather than quote sentences about the project."""
    answer = assistant.ask("地域コミュニティのしくみづくりプロジェクトの計画期間はいつまでですか？")
    assert answer.abstained


def test_table_labels_are_not_amounts(assistant) -> None:  # type: ignore[no-untyped-def]
    """「事業 13 地域づくり交付金などによる支援」 names an amount-bearing topic but gives no 円."""
    answer = assistant.ask("一関市の地域づくり交付金は、１つの地域協働体あたりいくら交付されますか？")
    assert answer.abstained


def test_section_numbers_are_not_counts() -> None:
    from assistant.text import value_text

    assert value_text("3-3 地域協働体の位置付けと役割") == "地域協働体の位置付けと役割"
    assert value_text("① 14地域で進められる") .strip() == "14地域で進められる"


def test_comparison_passages_alternate_between_cities(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("一関市と岩国市は、地域の拠点施設の管理運営にどの制度を活用していますか？")
    cited = list(dict.fromkeys(c.chunk_id for c in answer.citations))
    cities = [p.chunk.city for p in answer.passages[: len(cited)]]
    assert cities[:2] in (["一関市", "岩国市"], ["岩国市", "一関市"])


# --------------------------------------------------------------------------- paraphrases, units, repeated headings


def test_a_paraphrase_is_bridged_by_sudachi_synonyms(assistant) -> None:  # type: ignore[no-untyped-def]
    """Staff say 「進み具合」, the plan says 「進捗」: the question is neither off-topic nor
    unanswered."""
    question = "一関市では計画の進み具合をどうやって確かめるの？"
    evidence = evidence_for(assistant, question)
    case = Case(evidence.query, [], evidence, assistant.view, assistant.settings.answer)
    assert "進み具合" not in missing_nouns(case)
    assert "進捗" in evidence.terms
    answer = assistant.ask(question)
    assert not answer.abstained
    assert "協働推進会議" in answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("交換会には何名参加した？", "名|人"),
        ("いくつの地域で進みましたか？", "地域"),
        ("いくつの地域協働体が設立されましたか？", "地域協働体|協働体"),
        ("いくつの市民センターで", "市民センター|センター"),
        ("基本方針はいくつありますか？", None),
    ],
)
def test_asked_unit(question: str, expected: str | None) -> None:
    assert asked_unit(question) == expected


def test_a_count_of_a_named_thing_is_led_by_that_count(assistant) -> None:  # type: ignore[no-untyped-def]
    """「いくつの市民センター」 is answered by 「30の市民センター」, not by the first number
    near the words (「市民1人当たり」), and a value stated twice is led once."""
    answer = assistant.ask("一関市では、いくつの市民センターで地域による管理が行われましたか？")
    lead = answer.text.splitlines()[0]
    assert lead.startswith("30の市民センター [")
    assert lead.count("30の市民センター") == 1 and "1人" not in lead


def test_a_count_in_another_unit_does_not_answer(assistant) -> None:  # type: ignore[no-untyped-def]
    evidence = evidence_for(assistant, "いくつの地域で見直しが進みましたか？")
    for text, typed in (("見直しが14地域で進められる", True), ("3つの指標を設定", False)):
        assert evidence.is_typed(Segment(0, len(text), "text"), text) is typed


def test_a_repeated_heading_is_answered_by_the_sub_headings_of_its_namesake(assistant) -> None:  # type: ignore[no-untyped-def]
    """一関市's plan names 「基本方針2 協働のための環境づくり」 three times (diagram, indicators,
    measures); only the measures section has sub-headings, and they answer for every copy."""
    view = assistant.view
    source = ICHINOSEKI
    text = assistant.index.documents[source].text
    copies = [h for h in view.headings[source] if re.sub(r"\s", "", text[h.start : h.end]) == "基本方針2協働のための環境づくり"]
    assert len(copies) >= 2
    for h in copies:
        st = Statement(Segment(h.start, h.end, "heading"), view.chunk_at(source, h.start), 0, text[h.start : h.end])
        kids = [k.text for k in view.sub_headings(st)]
        assert any("協働の主体の充実" in k for k in kids) and any("協働を進めるための場づくり" in k for k in kids)


def test_a_question_naming_no_city_cites_another_plan_only_when_it_answers_as_well(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("しくみを継続するため、制度面で検討することは？")
    assert "条例化" in answer.text
    assert {c.source for c in answer.citations} == {"community_shikumi_project.txt"}


# --------------------------------------------------------------------------- lists, years, announced items


def test_items_numbered_after_an_announcement_are_the_list(assistant) -> None:  # type: ignore[no-untyped-def]
    """「地域協働体には5つの役割を期待しています」, a lead-in sentence, then a table whose rows
    start ①…⑤: the five roles, not the section's sub-headings."""
    answer = assistant.ask("一関市は地域協働体にどのような役割を期待していますか")
    items = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert [line[2] for line in items] == list("①②③④⑤")
    assert "支援・補完" in items[0] and "活性化の実現" in items[4]


def test_sibling_headings_answer_a_question_naming_their_kind(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("岩国市の基本方針は？")
    for policy in ("誰もが協働参画できる環境づくり", "地域を支えるひとづくり", "開かれた地域経営の仕組みづくり"):
        assert policy in answer.text


def test_a_question_about_a_year_the_passages_never_name_abstains(assistant) -> None:  # type: ignore[no-untyped-def]
    """The report covers 令和6年度 (「今年度」); 令和8年度 is not in it."""
    assert assistant.ask("令和8年度のさぽカフェの開催日は？").abstained
    assert not assistant.ask("令和6年度のさぽカフェの開催日は？").abstained


def test_items_announced_but_never_listed_abstain(assistant) -> None:  # type: ignore[no-untyped-def]
    """The plan focuses on 「主な5つのゴール」 of the SDGs without naming them."""
    answer = assistant.ask("一関市が意識する5つのSDGsのゴールをすべて挙げて")
    assert answer.abstained
    assert any("5つのゴール" in p.chunk.text for p in answer.passages[:5])  # shown as closest


def test_a_count_of_things_the_city_never_counts_abstains(assistant) -> None:  # type: ignore[no-untyped-def]
    assert assistant.ask("岩国市内の自治会は何団体ありますか？").abstained


def test_a_date_in_the_block_above_the_subjects_line(assistant) -> None:  # type: ignore[no-untyped-def]
    """The areas are a 「■対象地域」 line; the date is the 「■実施日」 line above it."""
    answer = assistant.ask("陶・鋳銭司・名田島・秋穂二島が対象の自治会長情報交換会の開催日は？")
    assert not answer.abstained
    assert "8月18日" in nfkc(answer.text)


def test_a_count_wrapped_across_lines_leads_the_answer(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("山口市の情報共有デジタル化のモデル事業はいくつの自治会で行われていますか")
    assert answer.text.startswith("3つの自治会 [1]")


def test_a_budget_table_answers_a_question_about_the_budget(assistant) -> None:  # type: ignore[no-untyped-def]
    """「予算」 is never written: the table just lists 「関連事業 … 22,600 千円」."""
    answer = assistant.ask("しくみづくりプロジェクトの地域コミュニティ推進交付金の予算額は？")
    assert answer.text.startswith("22,600千円 [1]")


def test_a_share_asked_with_ikura_is_answered_with_the_percentages(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("山口市の地域行事や市民活動に積極的に参加している市民の割合は、目標値がいくら？")
    assert not answer.abstained and "60.0%" in answer.text


def test_the_end_of_an_earlier_plan(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("一関市の第2次地域協働推進計画の計画期間はいつまででしたか？")
    assert not answer.abstained and "令和5年度まで" in nfkc(answer.text)


def test_comparing_definitions_quotes_each_citys(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("一関市と岩国市で「協働」の定義はどう違いますか")
    assert not answer.abstained
    assert {c.source for c in answer.citations} == {ICHINOSEKI, IWAKUNI}
    assert "話し合いと合意" in answer.text and "共通の目的" in answer.text


def test_names_document_sets_aside_the_city_and_matches_the_edition() -> None:
    from assistant.docview import names_document

    title = "一関市協働推進計画(第3次)(案)"
    assert names_document("第3次協働推進計画", title, "一関市")
    assert names_document("協働推進計画", title, "一関市")
    assert not names_document("第2次協働推進計画", title, "一関市")
    assert not names_document("地域協働推進計画", title, "一関市")


def test_announced_items_listed_in_the_sentence_are_an_answer(assistant) -> None:  # type: ignore[no-untyped-def]
    evidence = evidence_for(assistant, "3つの基本方針をすべて挙げて")
    chunk = assistant.index.chunks[0]
    listed = "次の3つの基本方針、人づくり・環境づくり・仕組みづくりに取り組みます。"
    bare = "次の3つの基本方針に基づき、各種事業に取り組みます。"
    for text, expected in ((listed, False), (bare, True)):
        st = Statement(Segment(0, len(text), "text"), chunk, 0, text)
        case = Case(evidence.query, [], evidence, assistant.view, assistant.settings.answer, chosen=[st])
        assert (items_only_announced(case) is not None) is expected


def test_unknown_verbs_weigh_little_unknown_nouns_weigh_most(assistant) -> None:  # type: ignore[no-untyped-def]
    terms = evidence_for(assistant, "岩国市では「協働」をどういう意味で使ってる？").terms
    assert "協働" in terms and "どういう" not in terms
    assert terms["使う"] == 0.3  # the floor: a verb the plans never use
    answer = assistant.ask("岩国市では「協働」をどういう意味で使ってる？")
    assert not answer.abstained and "共通の目的" in answer.text
    assert evidence_for(assistant, "岩国市の市民活動支援センターの開館時間は？").terms["開館"] > 3  # a noun the plans never use: the topic is absent


def test_companies_are_counted_with_groups(assistant) -> None:  # type: ignore[no-untyped-def]
    """「何社」 answered by 「23の企業や団体」."""
    answer = assistant.ask("山口市の「おおうち産業フェア」には何社が出展しましたか？")
    assert not answer.abstained and "23の企業" in answer.text


def test_how_many_items_a_plan_announces_is_a_count(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("一関市は地域協働体の役割をいくつ挙げていますか？")
    assert not answer.abstained and answer.text.startswith("5つ")


def test_asking_for_a_time_of_day_the_plans_never_give_abstains(assistant) -> None:  # type: ignore[no-untyped-def]
    assert assistant.ask("岩国市の市民活動支援センターは何時まで開いていますか？").abstained


def test_colloquial_definition_is_the_text_under_the_heading(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("一関市の計画でいう円卓会議って何？")
    assert "対等な立場で話し合う場" in answer.text


def test_headings_that_do_not_carry_the_questions_words_are_not_siblings(assistant) -> None:  # type: ignore[no-untyped-def]
    """「計画の期間」「用語の定義」 sit next to 「計画の位置付け」 but do not answer 上位計画."""
    answer = assistant.ask("一関市と岩国市の計画は、それぞれ何を上位の計画にしていますか？")
    assert "一関市総合計画" in answer.text
    assert "用語の定義" not in answer.text


def test_a_venue_the_report_never_gives_abstains(assistant) -> None:  # type: ignore[no-untyped-def]
    """The 自治会長情報交換会 has a date, areas and attendance, but no 「■場所」 line."""
    query = parse_query("山口市の自治会長情報交換会、会場はどこでしたか", assistant.index.cities)
    assert query.answer_type == "place"
    assert assistant.ask("山口市の自治会長情報交換会、会場はどこでしたか").abstained


def test_a_venue_the_report_gives_is_answered(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("キッカケ見つけ隊21はどこで開かれましたか")
    assert not answer.abstained and "かめ福" in answer.text


def test_all_sibling_headings_of_the_named_kind(assistant) -> None:  # type: ignore[no-untyped-def]
    """Retrieval brings two of 一関市's three 基本方針 and 岩国市's; each city gets all of its own."""
    answer = assistant.ask("一関市と岩国市、それぞれの計画の基本方針を比べたいので挙げてください。")
    for policy in ("協働のための人づくり", "協働のための仕組みづくり", "誰もが協働参画できる環境づくり", "開かれた地域経営の仕組みづくり"):
        assert policy in answer.text


def test_a_best_match_that_announces_a_list_is_answered_by_the_list(assistant) -> None:  # type: ignore[no-untyped-def]
    """「一関市の基本方針は？」 best matches 「…次の3つの基本方針に基づき…」; the three follow."""
    answer = assistant.ask("一関市の基本方針は？")
    for policy in ("協働のための人づくり", "協働のための環境づくり", "協働のための仕組みづくり"):
        assert policy in answer.text
