"""The lexicon (assistant/lexicon/*.yaml), entry by entry: every counter, era, variant,
question word, attribute, follow-up marker, place rule and heading kind does what its file
says. Adding a line of data is covered by these tests without writing a new one."""

from __future__ import annotations

import re

import pytest

from assistant.chunking import classify_heading
from assistant.conversation import make_standalone
from assistant.dates import era_to_year, expand_years, year_forms
from assistant.lexicon import ANSWER_TYPES, lexicon
from assistant.query import answer_type, asked_unit, expand_variants, parse_query, subject_of
from assistant.tokens import tokenize
from assistant.types import Turn
from assistant.values import unit_value, value_patterns

LEX = lexicon()
DIGIT_COUNTERS = [c for c in LEX.counters if c not in ("つ",)]  # 「何つ」 is not Japanese


@pytest.mark.parametrize("counter", DIGIT_COUNTERS)
def test_every_counter_makes_a_count_question_and_a_count_value(counter: str) -> None:
    question = f"対象は何{counter}ありますか？"
    assert answer_type(question) == "count", counter
    unit = asked_unit(question)
    assert unit is not None and counter in unit.split("|")
    # Any counter of its group answers (「何名」 by 「29人」), and the value pattern sees it.
    for member in LEX.same_unit(counter):
        assert unit_value(unit).search(f"全部で12{member}です"), (counter, member)
        assert value_patterns()["count"].search(f"12{member}"), member


@pytest.mark.parametrize("group", sorted(LEX.unit_groups))
def test_unit_groups_are_counters_and_symmetric(group: str) -> None:
    members = LEX.unit_groups[group]
    assert len(members) >= 2
    for member in members:
        assert LEX.same_unit(member) == members


def test_the_longest_counter_wins_in_a_value() -> None:
    # 「5事業所」 is five offices, not five projects.
    assert value_patterns()["count"].search("市内の5事業所").group(0) == "5事業所"


@pytest.mark.parametrize("era", LEX.eras, ids=[e.name for e in LEX.eras])
def test_every_era_converts_both_ways(era) -> None:  # type: ignore[no-untyped-def]
    assert era_to_year(era.name, "元") == era.first_year
    assert era_to_year(era.name, "2") == era.first_year + 1
    assert expand_years(f"{era.name}2年度") == [f"{era.first_year + 1}年度"]
    assert f"{era.name}2年" in year_forms(era.first_year + 1)
    if era.letter:
        assert f"{era.letter}2" in year_forms(era.first_year + 1)
    assert value_patterns()["date"].search(f"{era.name}2年4月1日")


@pytest.mark.parametrize("group", LEX.variants, ids=["・".join(g) for g in LEX.variants])
def test_every_spelling_variant_expands_to_the_others(group: tuple[str, ...]) -> None:
    for word in group:
        assert set(expand_variants(f"{word}について")) >= set(group) - {word} - {w for w in group if w in word}


@pytest.mark.parametrize("word", sorted(LEX.question_words))
def test_question_words_are_not_topic_terms(word: str) -> None:
    from assistant.evidence import query_terms
    from assistant.keyword import KeywordIndex

    query = parse_query(f"市民協働の{word}", [])
    terms = query_terms(query, KeywordIndex([tokenize("市民協働の推進")]), 0.3)
    assert word not in terms


@pytest.mark.parametrize("rule", LEX.type_rules_data, ids=[f"{r['type']}:{r['cues'][0]}" for r in LEX.type_rules_data])
def test_every_answer_type_rule_is_known_and_compiles(rule: dict) -> None:
    assert rule["type"] in ANSWER_TYPES
    for cue in rule["cues"]:
        re.compile(str(cue).replace("{COUNTER}", LEX.counter_pattern))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("講座は何種類ありますか？", "count"),
        ("何講座ありますか", "count"),
        ("拠点は何カ所", "count"),
        ("何企業が参加した", "count"),
        ("計画期間中に何回開催されましたか？", "count"),
        ("割合の目標値はいくら", "count"),
        ("計画期間は何年間ですか？", "period"),
        ("補助率はいくらですか", "amount"),
        ("研修はいつ実施されましたか", "date"),
        ("補助金交付要綱の施行日は？", "date"),
        ("実績報告書の提出期限は？", "date"),
        ("会場はどこでしたか", "place"),
        ("補完性の原則とは？", "definition"),
        ("基本方針を挙げてください", "list"),
        ("事務局はどの団体ですか", "name"),
        ("こんにちは", "other"),
    ],
)
def test_answer_types_by_example(question: str, kind: str) -> None:
    assert answer_type(question) == kind


@pytest.mark.parametrize("ending", LEX.attribute_endings)
def test_an_attribute_is_not_the_subject(ending: str) -> None:
    assert subject_of(f"ひまわりフェスタの{ending}") == "ひまわりフェスタ"


@pytest.mark.parametrize("opener", LEX.openers)
def test_every_opener_marks_a_follow_up(opener: str) -> None:
    history = [Turn("user", "ひまわりフェスタには何人参加した？"), Turn("assistant", "300人です。")]
    out = make_standalone(f"{opener}、会場は？", history, [], {})
    assert "ひまわりフェスタ" in out and not out.startswith(opener)


@pytest.mark.parametrize("pronoun", LEX.pronouns)
def test_every_pronoun_stands_for_the_previous_topic(pronoun: str) -> None:
    history = [Turn("user", "ひまわりフェスタには何人参加した？"), Turn("assistant", "300人です。")]
    assert make_standalone(f"{pronoun}はいつ開催された？", history, [], {}).startswith("ひまわりフェスタ")


@pytest.mark.parametrize("prefix", sorted(LEX.generic_place_prefixes))
def test_generic_place_prefixes_are_not_place_names(prefix: str) -> None:
    from assistant.gates import unknown_place

    from small_view import small

    s = small({"a.md": "# 計画\n\n市民協働を進めます。\n"}, f"{prefix}市の市民協働は？")
    assert unknown_place(s.case()) is None


@pytest.mark.parametrize("kind", [*LEX.numbered_kinds, *LEX.project_kinds])
def test_every_heading_kind_starts_a_numbered_heading(kind: str) -> None:
    heading = classify_heading(f"{kind}2 地域の担い手づくり")
    assert heading is not None and heading.rank == 3


@pytest.mark.parametrize("word", sorted(LEX.stop_words))
def test_stop_words_never_become_tokens(word: str) -> None:
    assert word not in tokenize(f"市民の{word}について")


@pytest.mark.parametrize("word", LEX.negative)
def test_negative_words_say_not(word: str) -> None:
    assert LEX.is_negative(f"その経費は{word}")


@pytest.mark.parametrize("phrase", LEX.not_negative)
def test_obligations_are_not_negations(phrase: str) -> None:
    assert not LEX.is_negative(f"届け出{phrase}")


@pytest.mark.parametrize("word", LEX.defines)
def test_definition_cues(word: str) -> None:
    assert LEX.defines_pattern.search(f"協働{word}")


@pytest.mark.parametrize("group", lexicon().optional_columns, ids=lambda g: g[0])
def test_every_optional_column_is_declined_over_a_table_without_it(group: tuple[str, ...]) -> None:
    from small_view import small

    from assistant.gates import column_not_stated

    table = ("# 白浜町協働推進指針\n\n## 成果指標\n\n| 項目 | 目標（令和11年度） |\n|---|---|\n| 登録団体数 | 30団体 |\n")
    s = small({"p.md": table}, f"白浜町の登録団体数の{group[0]}は？", {"p.md": "白浜町"})
    row = [st for st in s.statements if "登録団体数" in st.text][:1]
    assert row and column_not_stated(s.case(row)) is not None
    with_it = table.replace("| 項目 |", f"| 項目 | {group[0]} |").replace("|---|---|", "|---|---|---|").replace("| 登録団体数 |", "| 登録団体数 | 23団体 |")
    s2 = small({"p.md": with_it}, f"白浜町の登録団体数の{group[0]}は？", {"p.md": "白浜町"})
    row2 = [st for st in s2.statements if "登録団体数" in st.text][:1]
    assert row2 and column_not_stated(s2.case(row2)) is None


def test_past_and_written_negative_forms_say_not() -> None:
    lex = lexicon()
    assert lex.is_negative("講座の参加者が目標に届かなかったため、周知を工夫されたい。")
    assert lex.is_negative("登録者数は目標に至らず、未達成となった。")
    assert not lex.is_negative("参加者は例年より少なかった。")
