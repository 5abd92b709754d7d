"""Follow-up questions made standalone without a model, through the pipeline and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.conversation import make_standalone
from assistant.pipeline import Assistant
from assistant.query import nfkc, topic_of
from assistant.settings import Settings
from assistant.types import Turn

JIGYO = "yamaguchi_r6_jigyo.txt"
IWAKUNI = "iwakuni_kyodo_suishin_keikaku_gaiyo.txt"

ICHINOSEKI_HISTORY = [
    Turn("user", "一関市の協働推進計画について教えてください。"),
    Turn("assistant", "一関市協働推進計画(第3次)は、協働のまちづくりを進める計画です[1]。"),
]
KOUKANKAI_HISTORY = [
    Turn("user", "山口市の自治会長情報交換会には何人参加しましたか？"),
    Turn("assistant", "29名です[1]。"),
]
IWAKUNI_HISTORY = [
    Turn("user", "岩国市の基本方針1は何ですか？"),
    Turn("assistant", "誰もが協働参画できる環境づくりです[1]。"),
]


@pytest.fixture(scope="module")
def assistant(seed_settings: Settings) -> Assistant:
    return Assistant(seed_settings)


def standalone(assistant: Assistant, question: str, history: list[Turn]) -> str:
    return make_standalone(question, history, assistant.index.cities, assistant.index.documents, assistant.owners_named)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


# --------------------------------------------------------------------------- make_standalone


def test_document_reference_gets_the_city(assistant: Assistant) -> None:
    out = standalone(assistant, "その計画の期間は？", ICHINOSEKI_HISTORY)
    assert "一関" in out
    assert "期間" in out
    assert "その" not in out


def test_pronoun_gets_the_previous_topic(assistant: Assistant) -> None:
    out = standalone(assistant, "それはいつ実施された？", KOUKANKAI_HISTORY)
    assert "自治会長情報交換会" in out
    assert "いつ" in out  # what is asked stays the same
    assert not out.startswith("それ")


def test_opener_and_bare_attribute_get_the_city(assistant: Assistant) -> None:
    out = standalone(assistant, "では基本方針２は？", IWAKUNI_HISTORY)
    assert "岩国" in out
    assert "基本方針2" in nfkc(out)
    assert not out.startswith("では")


def test_sibling_item_replaces_the_previous_one(assistant: Assistant) -> None:
    out = nfkc(standalone(assistant, "では基本方針２は？", IWAKUNI_HISTORY))
    assert "基本方針1" not in out


def test_question_with_its_own_city_is_unchanged(assistant: Assistant) -> None:
    for q in ("岩国市の計画期間は？", "山口市の自治会長情報交換会はいつ開催されましたか？"):
        assert standalone(assistant, q, ICHINOSEKI_HISTORY) == q


def test_no_history_means_no_rewrite(assistant: Assistant) -> None:
    assert standalone(assistant, "それはいつ実施された？", []) == "それはいつ実施された？"


def test_city_comes_from_the_latest_user_turn_naming_one(assistant: Assistant) -> None:
    history = ICHINOSEKI_HISTORY + [
        Turn("user", "岩国市の計画はいつ策定されましたか？"),
        Turn("assistant", "令和6年7月です[1]。"),
    ]
    out = standalone(assistant, "その計画の期間は？", history)
    assert "岩国" in out and "一関" not in out


def test_topic_of_prefers_a_quoted_name() -> None:
    cities = ["一関市", "山口市", "岩国市"]
    assert topic_of("「協働によるまちづくり研修」の対象は誰ですか？", cities) == "協働によるまちづくり研修"
    assert topic_of("山口市の自治会長情報交換会には何人参加しましたか？", cities) == "自治会長情報交換会"


def test_topic_of_skips_a_phrase_that_is_only_the_city() -> None:
    cities = ["一関市", "山口市", "岩国市"]
    assert topic_of("山口市って地域おこし協力隊を今何人受け入れてるの？", cities) == "地域おこし協力隊"
    assert topic_of("岩国市では、基本方針はいくつありますか？", cities) == "基本方針"


# --------------------------------------------------------------------------- through the pipeline


def test_ask_with_history_answers_the_carried_topic(assistant: Assistant) -> None:
    a = assistant.ask("それはいつ実施された？", KOUKANKAI_HISTORY)
    assert a.question == "それはいつ実施された？"
    assert a.standalone_question and "自治会長情報交換会" in a.standalone_question
    assert not a.abstained
    assert "8月18日" in norm(a.text)  # ■実施日 令和６年８月１８日（日）
    assert any("８月１８日" in c.quote for c in a.citations if c.source == JIGYO)


def test_ask_with_history_about_a_numbered_policy(assistant: Assistant) -> None:
    a = assistant.ask("では基本方針２は？", IWAKUNI_HISTORY)
    assert a.standalone_question and "岩国" in a.standalone_question
    assert not a.abstained
    assert {c.source for c in a.citations} == {IWAKUNI}
    assert "地域を支えるひとづくり" in a.text


def test_ask_with_history_about_the_plan_period(assistant: Assistant) -> None:
    a = assistant.ask("その計画の期間は？", ICHINOSEKI_HISTORY)
    assert a.standalone_question and "一関" in a.standalone_question
    assert not a.abstained
    assert {c.city for c in a.citations} == {"一関市"}
    assert "令和10年度" in norm(a.text)


def test_without_history_the_follow_up_is_not_understood(assistant: Assistant) -> None:
    # The same words with no history: nothing says which event is meant.
    a = assistant.ask("それはいつ実施された？")
    assert a.standalone_question is None
    assert "8月18日" not in norm(a.text)


# --------------------------------------------------------------------------- CLI


def test_cli_ask_with_history_file(seed_env: dict[str, str], tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps([{"role": t.role, "content": t.content} for t in KOUKANKAI_HISTORY], ensure_ascii=False),
        encoding="utf-8",
    )
    runner = CliRunner(env=seed_env)
    result = runner.invoke(main, ["ask", "それはいつ実施された？", "--history", str(history)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "8月18日" in norm(result.stdout)
    assert "出典:" in result.stdout
    assert "山口市協働推進プラン 施策体系と令和6年度事業" in result.stdout  # the cited document's title

    as_json = runner.invoke(
        main, ["ask", "それはいつ実施された？", "--history", str(history), "--json"], catch_exceptions=False
    )
    assert as_json.exit_code == 0, as_json.output
    record = json.loads(as_json.stdout)
    assert record["abstained"] is False
    assert "8月18日" in norm(record["answer"])
    assert any(c["source"] == JIGYO for c in record["citations"])


# --------------------------------------------------------------------------- new subject vs attribute

YUKIKAKI_HISTORY = [
    Turn("user", "山口市の自治会長情報交換会には何人参加しましたか？"),
    Turn("assistant", "29名です[1]。"),
]


def test_short_question_with_its_own_subject_is_not_a_follow_up(assistant: Assistant) -> None:
    # A new, specific subject: carrying the old topic in would search for something that
    # does not exist (「自治会長情報交換会のさぽカフェ」).
    # It stays in the chat's municipality, whose documents write さぽカフェ.
    question = "さぽカフェのテーマは何ですか？"
    assert standalone(assistant, question, YUKIKAKI_HISTORY) == "山口市のさぽカフェのテーマは何ですか?"


def test_bare_attribute_attaches_to_the_previous_topic(assistant: Assistant) -> None:
    out = norm(standalone(assistant, "参加者は何人でしたか？", YUKIKAKI_HISTORY))
    assert "自治会長情報交換会" in out and "参加者" in out


def test_attribute_replaces_the_previous_topics_attribute(assistant: Assistant) -> None:
    history = [Turn("user", "地域の未来づくり特別交付金の上限額はいくら？"), Turn("assistant", "20万円です[1]。")]
    out = norm(standalone(assistant, "交付期間はいつまでですか？", history))
    assert "地域の未来づくり特別交付金の交付期間" in out
    assert "上限額" not in out


def _after(previous: str, question: str) -> str:
    cities = ["汐見町", "奥萩村", "澄浜市", "蛍ヶ沢町", "緑川市"]
    return make_standalone(question, [Turn("user", previous), Turn("assistant", "…")], cities, {})


def test_a_pronoun_stands_for_the_thing_not_the_attribute_asked_of_it() -> None:
    """「それって誰が申請できる？」 after 「…補助金の上限っていくら？」 asks about the 補助金."""
    assert _after("汐見町の提案型協働事業補助金の上限っていくら？", "それって誰が申請できる？") == "汐見町の提案型協働事業補助金って誰が申請できる?"
    assert _after("奥萩村の補助金の補助率は？", "相談はどこにすればいいの？") == "奥萩村の補助金の相談はどこにすればいいの?"


def test_the_previous_topic_is_read_from_its_last_clause() -> None:
    assert _after("澄浜市の計画で、市民活動団体登録数の最終目標はいくつですか？", "じゃあ中間目標は？") == "澄浜市の市民活動団体登録数の中間目標は?"
    # A clause that is only a year is no topic: the whole question's is kept.
    got = _after("緑川市の協働コーディネーター養成講座、令和6年度は何人修了した？", "それは何人まで増やす計画？")
    assert got.startswith("緑川市の協働コーディネーター養成講座")


def test_a_thing_named_before_a_comma_is_the_topic_of_a_yes_no_question_after_it() -> None:
    """「…応援補助金、個人でも申請できる？」 then 「申請はいつまで？」: the 補助金's, not 「個人」's."""
    got = _after("澄浜市の市民活動応援補助金、個人でも申請できる？", "申請はいつまで？")
    assert got == "澄浜市の市民活動応援補助金の申請はいつまで?"


def test_a_case_set_apart_by_a_second_wa_is_replaced_by_the_one_asked_next() -> None:
    """「…予約は、登録団体はいつから？」 then 「一般の人は？」: the same question for the other
    users; an attribute asked next (「開館時間は？」) is not such a case."""
    got = _after("緑川市のかわせみテラスの予約は、登録団体はいつからできますか", "一般の人は？")
    assert got == "緑川市のかわせみテラスの予約は、一般の人はいつからできますか"
    assert "開館時間はいつから" not in _after("緑川市のかわせみテラスの予約は、登録団体はいつからできますか", "開館時間は？")
    assert "定員はいつから" not in _after("緑川市のかわせみテラスの予約は、登録団体はいつからできますか", "定員は？")
    # With one topic only, nothing is set apart.
    assert "、一般の人は" not in _after("緑川市のかわせみテラスの予約はいつからできますか", "一般の人は？")


def test_a_demonstrative_naming_the_topics_own_noun_is_replaced_by_it() -> None:
    got = _after("蛍ヶ沢町の令和５年度の協働のまちづくり講演会はいつ開催されましたか", "その講演会の参加者数と決算額は？")
    assert got == "蛍ヶ沢町の令和5年度の協働のまちづくり講演会の参加者数と決算額は?"


def test_an_opener_or_topic_shift_is_dropped_from_a_first_question() -> None:
    assert make_standalone("ねえ、協働って何？", [], [], {}) == "協働って何?"
    assert make_standalone("話は変わるけど、楓丘市の協議会は？", [], ["楓丘市"], {}) == "楓丘市の協議会は?"
    assert make_standalone("協働とは何ですか", [], [], {}) == "協働とは何ですか"


def test_another_towns_thing_is_asked_what_the_previous_question_asked() -> None:
    """「じゃあ紅葉谷市のはじめてコースは？」 after 「石蕗浜市の補助金のスタートアップ部門の上限は？」
    asks the 上限 of 紅葉谷市's course, not of the other town's 部門; after a question that asked
    nothing of a thing (「一関市の上位計画は何？」) it stands alone, without the filler."""
    cities = ["石蕗浜市", "紅葉谷市", "一関市", "山口市"]
    history = [Turn(role="user", content="石蕗浜市の補助金のスタートアップ部門の上限は？"),
               Turn(role="assistant", content="上限は10万円で、補助率は10分の10です。")]
    assert make_standalone("じゃあ紅葉谷市のはじめてコースは？", history, cities, {}) == "紅葉谷市のはじめてコースの上限は？"
    plain = [Turn(role="user", content="一関市の上位計画は何？")]
    assert make_standalone("じゃあ山口市の協働推進計画は？", plain, cities, {}) == "山口市の協働推進計画は？"


def test_asked_again_of_a_village_a_citys_residents_are_its_villagers() -> None:
    """「桃ヶ原村は？」 after a city's 「市民意識調査で…市民の割合は？」 asks the village's 村民意識調査."""
    cities = ["松葉台市", "桃ヶ原村"]
    history = [Turn(role="user", content="松葉台市の市民意識調査で、地域活動に参加した市民の割合は？")]
    assert nfkc(make_standalone("桃ヶ原村は？", history, cities, {})) == "桃ヶ原村の村民意識調査で、地域活動に参加した村民の割合は?"
    # 町内会 are the same in a city: only the words that carry the kind of municipality change.
    town = [Turn(role="user", content="竹ノ浦町の町内会の数と町内の公民館の数は？")]
    assert nfkc(make_standalone("松葉台市は？", town, [*cities, "竹ノ浦町"], {})) == "松葉台市の町内会の数と市内の公民館の数は?"


def test_two_centres_of_two_towns_are_compared_and_the_trace_says_why(tmp_path: Path) -> None:
    """A real index of two towns' guides: 「つなぐばとかわせみテラスでそれぞれいくら？」 names
    neither town, and each is answered; the trace says which towns were inferred."""
    from assistant.indexer import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "catalog.yaml").write_text(
        'a.md:\n  title: "若葉町 市民活動センター利用案内"\n  municipality: "若葉町"\n'
        'b.md:\n  title: "桜川市 交流センター利用案内"\n  municipality: "桜川市"\n', encoding="utf-8")
    (corpus / "a.md").write_text("# 若葉町 市民活動センター「つなぐば」利用案内\n\n## ロッカー\n\n"
                                 "つなぐばのロッカーの利用料金は月額500円です。\n", encoding="utf-8")
    (corpus / "b.md").write_text("# 桜川市 交流センター「かわせみテラス」利用案内\n\n## ロッカー\n\n"
                                 "かわせみテラスのロッカーの利用料金は年額3,000円です。\n", encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    build_index(settings)
    prepared = Assistant(settings).prepare("ロッカーの料金は、つなぐばとかわせみテラスでそれぞれいくら？")
    assert sorted(prepared.query.cities) == ["桜川市", "若葉町"]
    assert "500円" in prepared.extractive.text and "3,000円" in prepared.extractive.text
    assert any("若葉町" in n and "桜川市" in n for n in prepared.extractive.trace.notes)


# --------------------------------------------------------------------------- items and cities carried


def test_the_items_an_answer_listed_are_read_in_order() -> None:
    from assistant.conversation import listed_items

    assert listed_items("①若い世代の参加促進、②協働の拡充（No.6）、③運営支援、の3つです。") == ["若い世代の参加促進", "協働の拡充", "運営支援"]
    assert listed_items("柱1「支え合いを守る」、柱2「村の外とつながる」の2つです。") == ["支え合いを守る", "村の外とつながる"]
    assert listed_items("スタート支援コースとステップアップコースの2つがあります。") == ["スタート支援コース", "ステップアップコース"]
    assert listed_items("令和6年度は4回開催され、延べ128人が参加しました。") == []


def test_the_nth_item_of_the_previous_answer_is_what_is_asked_about() -> None:
    history = [Turn("user", "汀崎市の補助金にはどんなコースがある？"), Turn("assistant", "はじめてコースとひろげるコースの2つです。")]
    cities = ["汀崎市"]
    assert make_standalone("２つ目の上限は？", history, cities, {}) == "汀崎市のひろげるコースの上限は?"
    assert make_standalone("じゃあ1つ目について詳しく", history, cities, {}) == "汀崎市のはじめてコースについて詳しく"
    # No such item: the question is read as before, not made up.
    assert "コース" not in make_standalone("３つ目の上限は？", history, cities, {})


def test_the_nth_time_is_that_occurrence_of_the_event_asked_about() -> None:
    history = [Turn("user", "令和６年度の浜辺カフェの開催状況を教えて"), Turn("assistant", "4回開催されました。")]
    out = make_standalone("２回目について詳しく教えて", history, [], {})
    assert out == "令和6年度の浜辺カフェの第2回について詳しく教えて"


def test_a_question_of_its_own_stays_in_the_chats_municipality() -> None:
    history = [Turn("user", "鶉沢町の補助金の申請期間は？"), Turn("assistant", "4月1日から5月31日までです。")]
    cities = ["鶉沢町", "砂浦市"]
    assert make_standalone("説明会はありますか？", history, cities, {}) == "鶉沢町の説明会はありますか?"
    # Not when it names a thing only another town's documents write, nor a word asked for itself.
    elsewhere = lambda q: {"砂浦市"} if "すなぷら" in q else set()  # noqa: E731
    assert make_standalone("すなぷらの開館時間は？", history, cities, {}, elsewhere) == "すなぷらの開館時間は？"
    assert make_standalone("協働とは何ですか", history, cities, {}) == "協働とは何ですか"


def test_the_chats_municipality_may_be_the_one_whose_centre_was_named() -> None:
    history = [Turn("user", "すなぷらの会議室Aの使用料は？"), Turn("assistant", "午前600円です。")]
    owners = lambda q: {"砂浦市"} if "すなぷら" in q else set()  # noqa: E731
    out = make_standalone("登録団体だと安くなる？", history, ["鶉沢町", "砂浦市"], {}, owners)
    assert out == "砂浦市の登録団体だと安くなる?"


def test_asking_for_details_is_a_request_not_a_yes_no_question() -> None:
    from assistant.query import parse_query

    assert not parse_query("協働チャレンジの拡充について詳しく", []).yes_no


def test_a_thing_only_another_municipality_writes_is_not_asked_of_the_chats_one(assistant: Assistant) -> None:
    question = "さぽカフェのテーマは何ですか？"  # 山口市's documents alone write さぽカフェ
    assert standalone(assistant, question, ICHINOSEKI_HISTORY) == question


def test_a_programme_asked_again_of_another_town_is_asked_as_its_kind() -> None:
    """「葛原台市の市民協働活動補助金の申請期間は？」 then 「楢崎町は？」: the programme's name is
    葛原台市's own; the town is asked about its 補助金, not a 「町民協働活動補助金」 it never had."""
    history = [Turn("user", "葛原台市の市民協働活動補助金の申請期間はいつ？"), Turn("assistant", "4月1日から5月15日までです。")]
    owners = lambda q: {"葛原台市"} if "市民協働活動補助金" in q else set()  # noqa: E731
    out = make_standalone("楢崎町は？", history, ["葛原台市", "楢崎町"], {}, owners)
    assert out == "楢崎町の補助金の申請期間はいつ?"
