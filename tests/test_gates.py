"""Each abstention gate on a few lines of a plan (no index, milliseconds each)."""

from __future__ import annotations

from assistant.gates import (
    GATES,
    items_only_announced,
    missing_nouns,
    off_topic,
    unknown_place,
    value_missing,
    weak_evidence,
    year_not_stated,
)
from assistant.settings import DEFAULT_GATES

from small_view import small

REPORT = """# 青葉台市 令和6年度 市民協働事業報告

## 1 市民活動フェスタ

市民活動フェスタを令和6年10月5日に開催し、延べ420人が来場しました。

## 2 まちづくり講座

まちづくり講座を開催し、地域の担い手づくりについて学びました。

## 3 今後の取組

市は、次の3つの重点目標に取り組みます。
"""
DOCS = {"report.md": REPORT}
CITIES = {"report.md": "青葉台市"}


def test_focus_not_covered_when_the_quotes_only_share_a_word() -> None:
    from assistant.gates import focus_not_covered

    # Another document talks about 飲食ブース; the quote about the festival does not.
    docs = {**DOCS, "shop.md": "# 青葉台市 商店会だより\n\n商店会は夏祭りに飲食ブースを出しました。\n"}
    cities = {**CITIES, "shop.md": "青葉台市"}
    s = small(docs, "市民活動フェスタで飲食ブースを出した団体はいくつ？", cities)
    chosen = [st for st in s.statements if "延べ420人" in st.text]
    decline = focus_not_covered(s.case(chosen))
    assert decline is not None and decline.missing == "飲食ブース"
    fine = small(docs, "市民活動フェスタの来場者は何人？", cities)
    assert focus_not_covered(fine.case(chosen)) is None


def test_a_focus_word_the_documents_never_use_is_held_against_the_quotes_only_for_a_value() -> None:
    """「テント」 may be what the documents call 備品: in a question describing a case (「テントを
    出してもいい？」) no document using it says nothing. A value asked of it (「テントを出した
    団体はいくつ？」) is not the value of something else the quotes give (来場者 420人)."""
    from assistant.gates import focus_not_covered

    s = small(DOCS, "市民活動フェスタでテントを出してもいいですか？", CITIES)
    chosen = [st for st in s.statements if "延べ420人" in st.text]
    assert focus_not_covered(s.case(chosen)) is None
    s = small(DOCS, "市民活動フェスタでテントを出した団体はいくつ？", CITIES)
    chosen = [st for st in s.statements if "延べ420人" in st.text]
    decline = focus_not_covered(s.case(chosen))
    assert decline is not None and decline.missing == "テント"


def test_the_answer_names_what_was_not_found() -> None:
    answer = small(DOCS, "市民活動フェスタで飲食ブースを出した団体はいくつ？", CITIES).answer()
    assert answer.abstained and answer.text.startswith("資料には『") and "飲食" in answer.text


def test_every_gate_is_registered_in_the_default_order() -> None:
    assert list(GATES) == list(DEFAULT_GATES)
    assert {g.stage for g in GATES.values()} == {"evidence", "selection"}


def test_unknown_place_names_the_place_no_document_mentions() -> None:
    s = small(DOCS, "横浜市の市民活動フェスタの来場者は何人？", CITIES)
    decline = unknown_place(s.case())
    assert decline is not None and decline.missing == "横浜市" and "横浜市" in decline.reason
    assert unknown_place(small(DOCS, "青葉台市の市民活動フェスタの来場者は何人？", CITIES).case()) is None
    assert unknown_place(small(DOCS, "本市の市民活動フェスタの来場者は何人？", CITIES).case()) is None  # 本市: no name


def test_off_topic_needs_two_nouns_no_document_holds() -> None:
    s = small(DOCS, "図書館の開館時間と休館日は？", CITIES)
    assert {"図書館", "開館時間", "休館日"} & set(missing_nouns(s.case()))
    assert off_topic(s.case()) is not None
    assert off_topic(small(DOCS, "市民活動フェスタの駐車場は？", CITIES).case()) is None  # one missing noun only


def test_weak_evidence_when_nothing_covers_the_question() -> None:
    assert weak_evidence(small(DOCS, "ふるさと納税の返礼品は？", CITIES).case()) is not None
    assert weak_evidence(small(DOCS, "市民活動フェスタには何人来場しましたか？", CITIES).case()) is None


def test_a_value_a_sentence_gives_for_another_year_is_not_the_asked_years() -> None:
    """「令和7年度の協働事業件数は？」 over a statistics page made in 令和7年 whose notes say
    「令和2年度は…中止となった事業（9件）」: the sentence's value is 令和2年度's; a 「注1」 note's
    number counts nothing; a date in January is still the fiscal year before's."""
    from assistant.dates import fiscal_years

    stats = {"s.txt": "協働事業件数の推移\n令和７年６月 作成\n\n注1　件数は、各年度に実施した協働事業の数である。\n"
                      "注2　令和2年度は、感染症の影響により中止となった事業（9件）を含まない。\n"}
    asked = small(stats, "令和7年度の協働事業件数は？", {"s.txt": "峰岡市"})
    answer = asked.answer()
    assert answer.abstained
    assert fiscal_years("令和7年3月9日（日）に開催") == {2024, 2025}
    assert fiscal_years("令和2年度から令和4年度までの3年間") == {2020, 2021, 2022}
    assert 2025 not in fiscal_years("令和2年度は中止となった事業（9件）")


def test_a_year_named_sentences_before_in_the_section_is_the_quotes_year() -> None:
    """A report read out in a meeting: 「令和６年度の実績をご報告します。」 then, sentences (and a
    passage) later, 「…年間利用者数は32,870人で…」: the figure is 令和6年度's, though its sentence
    and its passage do not say so."""
    filler = "".join(f"第{i}に、分野別では福祉、環境、子育て、防災、文化、スポーツの各分野でそれぞれ前年度並みの"
                     "事業が実施され、参加した団体からはおおむね良好な評価をいただいております。\n\n" for i in range(1, 5))
    minutes = {"m.md": "# 協働推進委員会 会議録\n\n## 議題(1) 実績報告\n\n"
                       "○事務局　令和６年度の協働事業の実績をご報告します。\n\n協働事業は63件でございました。\n\n"
                       + filler + "次に、センターの年間利用者数は32,870人で、前年度から1,450人の増加となりました。\n\n"
                       "## 議題(2) その他\n\n○議長　次回の日程は事務局から連絡します。\n"}
    answer = small(minutes, "センターの令和６年度の利用者数は？", {"m.md": "峰岡市"}).answer()
    assert not answer.abstained and "32,870人" in answer.text
    assert small(minutes, "センターの令和５年度の利用者数は？", {"m.md": "峰岡市"}).answer().abstained


def test_value_missing_when_the_subject_is_there_without_the_value() -> None:
    s = small(DOCS, "まちづくり講座には何人参加しましたか？", CITIES)
    assert s.query.subject == "まちづくり講座"
    decline = value_missing(s.case())
    assert decline is not None and decline.missing == "まちづくり講座の数"
    assert value_missing(small(DOCS, "市民活動フェスタには何人来場しましたか？", CITIES).case()) is None


def test_year_not_stated_in_the_chosen_passages() -> None:
    asked_2023 = small(DOCS, "令和5年度の市民活動フェスタの来場者は？", CITIES)
    chosen = asked_2023.statements[:1]
    assert year_not_stated(asked_2023.case(chosen)) is not None
    asked_2024 = small(DOCS, "令和6年度の市民活動フェスタの来場者は？", CITIES)
    assert year_not_stated(asked_2024.case(asked_2024.statements[:1])) is None
    assert year_not_stated(small(DOCS, "2024年度の市民活動フェスタの来場者は？", CITIES).case(asked_2024.statements[:1])) is None


def test_items_only_announced() -> None:
    s = small(DOCS, "3つの重点目標をすべて挙げて", CITIES)
    announcing = [st for st in s.statements if "3つの重点目標" in st.text][:1]
    assert announcing and items_only_announced(s.case(announcing)) is not None


def test_a_gate_that_stops_the_answer_is_in_the_trace() -> None:
    answer = small(DOCS, "横浜市の市民活動フェスタの来場者は何人？", CITIES).answer()
    assert answer.abstained and answer.text == "資料には『横浜市』に関する記載が見つかりませんでした。"
    assert answer.trace is not None and answer.trace.outcome == "abstained"
    assert [(g.name, g.passed) for g in answer.trace.gates] == [("unknown_place", False)]
    assert any("横浜市" in line for line in answer.trace.lines_ja())


def test_gates_can_be_switched_off_by_setting() -> None:
    kept = small(DOCS, "まちづくり講座には何人参加しましたか？", CITIES).answer()
    without = small(DOCS, "まちづくり講座には何人参加しましたか？", CITIES,
                    gates=[g for g in DEFAULT_GATES if g not in ("value_missing", "focus_not_covered")]).answer()
    assert kept.abstained and not without.abstained


def test_a_noun_that_frames_the_asking_is_not_required_when_the_subject_is_covered() -> None:
    """「フェスタは建物のどこで」: 「建物」 says where to look for the answer; the quote about
    the festival answers it. Another document's 建物 does not make it a missing topic."""
    from assistant.gates import focus_not_covered

    docs = {**DOCS, "hall.md": "# 青葉台市 施設案内\n\n市民会館は古い建物です。\n"}
    cities = {**CITIES, "hall.md": "青葉台市"}
    s = small(docs, "市民活動フェスタは建物のどこで開催した？", cities)
    frames = [f for f in s.query.focus if f.frame]
    assert [f.text for f in frames] == ["建物"]
    chosen = [st for st in s.statements if "延べ420人" in st.text]
    assert focus_not_covered(s.case(chosen)) is None
    # Said as the topic (「建物は」), it is what the question is about.
    topic = small(docs, "市民活動フェスタの建物は何階建て？", cities)
    assert not any(f.frame for f in topic.query.focus)


def test_a_measure_word_and_a_city_cut_apart_by_the_tokenizer_are_not_topics() -> None:
    from assistant.query import focus_of

    assert [f.text for f in focus_of("オンライン相談は年間で何件？", [])] == ["オンライン相談"]
    assert [f.text for f in focus_of("霧ヶ原市の人口は何人？", ["霧ヶ原市"])] == ["人口"]


def test_a_yes_no_case_word_counts_only_in_the_asked_citys_documents() -> None:
    """「テント」 in another town's table says nothing about how this town words its rules."""
    from assistant.gates import focus_not_covered

    rules = "# 白浜町 補助金要綱\n\n備品購入費は、1点3万円以上のものは対象外とします。\n"
    other = "# 青葉台市 補助金\n\nテントの購入費を補助します。\n"
    docs = {"rules.md": rules, "other.md": other}
    cities = {"rules.md": "白浜町", "other.md": "青葉台市"}
    s = small(docs, "白浜町の補助金で5万円のテントは買えますか？", cities)
    chosen = [st for st in s.statements if "備品購入費" in st.text]
    assert s.query.yes_no and focus_not_covered(s.case(chosen)) is None


def test_who_holds_a_title_may_be_another_title_but_not_the_reverse() -> None:
    from assistant.gates import _held_by

    assert _held_by("副市長を本部長とし、各部長で構成します。", "本部長", "副市長")
    assert _held_by("本部長は副市長が務めます。", "本部長", "副市長")
    assert not _held_by("副市長を本部長とし、各部長で構成します。", "副市長", "本部長")


RECORD = """# 青葉台市 協働推進委員会 会議録

## 出席委員

委員長　　三宅　直子（大学教授）
副委員長　丸山　浩二（自治会連合会）

## 会議の経過

（三宅委員長）
それでは、議事に入ります。
"""


def test_a_roster_gives_the_full_name_of_who_holds_a_title() -> None:
    """「委員長はだれ」: the roster row 「委員長　三宅　直子」, not 「副委員長　丸山　浩二」 nor the
    speaker label 「（三宅委員長）」."""
    answer = small({"record.md": RECORD}, "協働推進委員会の委員長はだれ？", {"record.md": "青葉台市"}).answer()
    assert not answer.abstained and "三宅" in answer.text and "直子" in answer.text
    assert "三宅" in answer.citations[0].quote and "直子" in answer.citations[0].quote
    absent = small({"record.md": RECORD}, "欠席した委員はだれ？", {"record.md": "青葉台市"})
    from assistant.gates import naming_statements

    assert naming_statements(absent.case()) == []


def test_which_prefecture_is_answered_only_by_a_prefecture_name() -> None:
    from assistant.gates import prefecture_not_stated

    s = small(DOCS, "青葉台市は何県にある市ですか？", CITIES)
    assert s.query.asks_prefecture
    decline = prefecture_not_stated(s.case(s.statements[:3]))
    assert decline is not None and "都道府県" in decline.missing
    named = small({"p.md": "# 青葉台市の概要\n\n青葉台市は山口県の東部にあります。\n"}, "青葉台市は何県にある市ですか？", {"p.md": "青葉台市"})
    assert prefecture_not_stated(named.case([st for st in named.statements if "山口県" in st.text])) is None


def test_a_total_is_not_answered_by_caps_or_a_rounding_rule() -> None:
    from assistant.gates import total_vs_cap

    guide = ("# 白浜町 補助金募集要項\n\n補助上限額は1団体10万円です。\n\n"
             "補助金の額に1,000円未満の端数が生じたときは、これを切り捨てます。\n\n令和6年度の予算総額は300万円です。\n")
    s = small({"g.md": guide}, "白浜町の補助金の予算総額はいくら？", {"g.md": "白浜町"})
    caps = [st for st in s.statements if "10万円" in st.text or "1,000円" in st.text]
    assert total_vs_cap(s.case(caps)) is not None
    budget = [st for st in s.statements if "予算総額" in st.text]
    assert total_vs_cap(s.case(budget)) is None


def test_a_heading_naming_the_subject_holds_its_value_down_to_the_next_heading() -> None:
    """「(4) 協働フェスタ2023」 then its 日時, 会場, 内容… lines: the visitor count four lines
    down is still the festival's; the next section's count is not."""
    report = ("# 白浜町 市民活動センター事業報告\n\n## (4) 協働フェスタ2023\n\n日時：令和5年10月8日（日）\n\n"
              "会場：中央公園\n\n内容：団体の展示、ステージ発表\n\n出展：32団体\n\n来場者数：約3,200人\n\n"
              "## (5) 交流会\n\n参加者：45人\n")
    s = small({"r.md": report}, "協働フェスタ2023は何人ぐらい来た？", {"r.md": "白浜町"})
    assert value_missing(s.case()) is None
    cut = small({"r.md": report}, "協働フェスタ2023は何人ぐらい来た？", {"r.md": "白浜町"}, subject_section_lines=2)
    assert value_missing(cut.case()) is not None  # the setting bounds how far the section is read


MEETINGS = ("# 白浜町 むらづくり円卓会議のお知らせ\n\n## 第1回むらづくり円卓会議\n\n日時：令和5年7月8日（土）午後1時30分から\n\n"
            "会場：白浜町公民館\n\n## 協働フェスタ\n\n「白浜協働フェスタ2024」は、10月13日に中央公園で開催しました。"
            "出展団体は48団体、来場者数は約2,300人でした。\n")


def test_a_quote_about_another_edition_does_not_answer() -> None:
    """「第2回」 asked, only the 第1回 written; 「フェスタ2023」 asked, only the 2024 one."""
    from assistant.gates import edition_not_stated

    for question in ("第2回むらづくり円卓会議はいつ開かれる？", "白浜協働フェスタ2023の出展団体数は？"):
        s = small({"m.md": MEETINGS}, question, {"m.md": "白浜町"})
        answer = s.answer()
        assert answer.abstained, question
        assert any(g.name == "edition_not_stated" and not g.passed for g in answer.trace.gates)
    for question in ("第1回むらづくり円卓会議はいつ開かれる？", "白浜協働フェスタ2024の出展団体数は？"):
        s = small({"m.md": MEETINGS}, question, {"m.md": "白浜町"})
        assert edition_not_stated(s.case(s.statements[:3])) is None, question
        assert not s.answer().abstained, question


def test_a_share_is_answered_by_a_percentage_not_a_count() -> None:
    village = "# 白浜村協働推進指針\n\n## 村の現状\n\n村内の7つの集落すべてで高齢化が進んでいます。\n"
    assert small({"v.md": village}, "白浜村の高齢化率はどのくらい？", {"v.md": "白浜村"}).answer().abstained
    village += "\n## 参加の状況\n\n地域活動に参加した村民の割合は42.5%でした。\n"
    answer = small({"v.md": village}, "地域活動に参加した村民の割合は？", {"v.md": "白浜村"}).answer()
    assert not answer.abstained and "42.5%" in answer.text


def test_a_day_asked_is_not_answered_by_a_year() -> None:
    plan = ("# 白浜市協働推進計画\n\n## 計画の見直し\n\n計画期間の中間年度に当たる令和8年度に、中間見直しを行います。\n\n"
            "## 市民活動フェスタ\n\n市民活動フェスタは10月13日（日）に中央公園で開催します。\n")
    assert small({"p.md": plan}, "白浜市の計画の中間見直しは何月何日に行う？", {"p.md": "白浜市"}).answer().abstained
    answer = small({"p.md": plan}, "白浜市の市民活動フェスタは何月何日に開催する？", {"p.md": "白浜市"}).answer()
    assert not answer.abstained and "10月13日" in answer.text


def test_value_missing_reads_a_bounded_number_of_documents_a_subject_names() -> None:
    """Many documents whose titles share the subject's words: the retrieved ones first, at most
    `named_documents_read` in all, and only those of the cities the question names."""
    plan = "# {city}ひだまり交流プロジェクト\n\n市民と行政がともに進めるまちづくりの方針です。\n"
    texts = {f"p{i:02}.md": plan.format(city=f"市{i:02}") for i in range(12)}
    texts["p11.md"] += "\n計画期間は令和7年度から令和11年度までの5年間です。\n"
    cities = {name: "青葉台市" if name == "p11.md" else "緑ヶ丘市" for name in texts}
    asked = "ひだまり交流プロジェクトの計画期間は？"
    s = small(texts, asked, cities, named_documents_read=3)
    assert s.query.subject == "ひだまり交流プロジェクト" and len(s.view.documents_named("ひだまり交流プロジェクト")) == 12
    texts["p11.md"] = texts["p11.md"].replace("計画期間は", "")  # retrieved like the others now
    for bound in (1, 3):
        s = small(texts, asked, cities, named_documents_read=bound)
        best = list(dict.fromkeys(st.chunk.source for st in s.statements))[:bound]
        # Read within the bound, best retrieved first: found when p11 is among them, else declined.
        assert (value_missing(s.case()) is None) == ("p11.md" in best), bound
    assert value_missing(small(texts, asked, cities, named_documents_read=12).case()) is None
    # The city named: only its document is read.
    assert value_missing(small(texts, "青葉台市のひだまり交流プロジェクトの計画期間は？", cities, named_documents_read=1).case()) is None
    assert value_missing(small(texts, "緑ヶ丘市のひだまり交流プロジェクトの計画期間は？", cities, named_documents_read=12).case()) is not None


def test_a_plan_of_a_place_the_documents_only_mention_is_not_indexed() -> None:
    """The prefecture a town's plan names has no document of its own: 「…県協働推進指針の計画期間」
    is declined; a question about the town's own plan is not."""
    plan = ("# 白浜町協働推進計画\n\n## 計画の位置付け\n\n本計画は、青海県の協働推進指針を踏まえて策定しました。\n\n"
            "## 計画の期間\n\n計画期間は令和６年度から令和10年度までの５年間です。\n")
    docs, cities = {"p.md": plan}, {"p.md": "白浜町"}
    decline = unknown_place(small(docs, "青海県協働推進指針の計画期間は？", cities).case())
    assert decline is not None and decline.missing == "青海県"
    assert unknown_place(small(docs, "青海県の協働推進指針の計画期間は？", cities).case()) is not None
    assert unknown_place(small(docs, "白浜町協働推進計画の計画期間は？", cities).case()) is None
    assert unknown_place(small(docs, "青海県との関係は？", cities).case()) is None  # mentioned, not its plan


def test_a_column_the_quoted_table_lacks_is_not_stated() -> None:
    """「中間目標は？」 over a table of 現状 and 目標 only: declined; with a 中間目標 column, answered."""
    from assistant.gates import column_not_stated

    two = ("# 白浜町協働推進指針\n\n## 成果指標\n\n| 項目 | 現状（令和５年度） | 目標（令和11年度） |\n|---|---|---|\n"
           "| まちづくり活動登録団体数 | 23団体 | 30団体 |\n")
    three = (two.replace("| 目標（令和11年度） |\n|---|---|---|", "| 中間目標（令和８年度） | 目標（令和11年度） |\n|---|---|---|---|")
             .replace("| 23団体 | 30団体 |", "| 23団体 | 26団体 | 30団体 |"))
    cities = {"p.md": "白浜町"}
    asked = "白浜町のまちづくり活動登録団体数の中間目標は？"
    s = small({"p.md": two}, asked, cities)
    row = [st for st in s.statements if "登録団体数" in st.text][:1]
    assert row and column_not_stated(s.case(row)) is not None
    s3 = small({"p.md": three}, asked, cities)
    row3 = [st for st in s3.statements if "登録団体数" in st.text][:1]
    assert row3 and column_not_stated(s3.case(row3)) is None
    assert column_not_stated(small({"p.md": two}, "白浜町の登録団体数の目標は？", cities).case(row)) is None


def test_a_year_asked_looks_again_among_statements_that_name_it() -> None:
    """「令和６年度の未来ラボのテーマは？」: the plan's sentence about the lab never names the year,
    the report's row does: chosen again, answered from the row."""
    plan = "# 白浜町協働推進計画\n\n## 未来ラボ\n\n多様な主体が集まる「未来ラボ」のテーマを毎年度設定します。\n"
    report = ("# 令和６年度 白浜町協働推進計画 実績報告書\n\n## 事業の実施状況\n\n| 事業名 | 開催日 | 参加者数 |\n|---|---|---|\n"
              "| 未来ラボ（テーマ：子どもの居場所づくり） | 令和6年10月5日 | 89人 |\n")
    docs, cities = {"plan.md": plan, "report.md": report}, {"plan.md": "白浜町", "report.md": "白浜町"}
    answer = small(docs, "令和６年度の未来ラボのテーマは？", cities).answer()
    assert not answer.abstained and "子どもの居場所づくり" in answer.text, answer.text
    declined = small(docs, "令和７年度の未来ラボのテーマは？", cities).answer()
    assert declined.abstained, declined.text


_FILL = "市民と市が協力して、地域の課題に取り組むための環境を整えます。" * 4
PROGRAMMES = {
    "plan.md": ("# 白浜市協働推進計画\n\n## 施策の方向（1）拠点の充実\n\n拠点施設で団体の活動をどんな形で支援するのか、相談機能を充実します。"
                + _FILL + "\n\n## 施策の方向（2）担い手の育成\n\n地域の活動を支える人材を育成します。" + _FILL
                + "\n\n①若者まちづくり塾：市内の高校生・大学生を対象に、企画の立案から実践までを伴走支援します。\n"),
    "report.md": ("# 白浜市 事業報告\n\n## 講座\n\n若者のまちづくりへの参加を促す講座を開きました。どんな支援をするのか、塾形式の内容を見直しました。"
                  + _FILL + "\n\n## 拠点\n\n白浜市民活動プラザの利用者は12,000人でした。" + _FILL + "\n"),
}


def _answer_from(s, passages):  # type: ignore[no-untyped-def]
    from assistant.answer import AnswerEngine

    return AnswerEngine(s.view, s.view.cfg).answer(s.query, passages, s.evidence)


def test_a_named_phrase_missing_from_the_passages_found_is_looked_up_where_it_is_written() -> None:
    """Retrieval found only passages without 「若者まちづくり塾」, which the plan names: the
    passages naming it are read, and answer."""
    s = small(PROGRAMMES, "若者まちづくり塾ではどんな支援をするの？", {"plan.md": "白浜市", "report.md": "白浜市"})
    elsewhere = [p for p in s.passages if "若者まちづくり塾" not in p.chunk.text]
    assert elsewhere and len(elsewhere) < len(s.passages)
    answer = _answer_from(s, elsewhere)
    assert not answer.abstained
    assert "伴走支援" in answer.citations[0].quote
    assert any(g.name == "where_named" for g in answer.trace.gates)


def test_the_look_where_named_needs_a_name_and_every_other_phrase_of_the_question() -> None:
    """「白浜市民活動プラザの開館時間は？」: the plaza is named elsewhere, its hours nowhere; the
    passages naming it do not answer. A general word (「経費」) is not looked up."""
    s = small(PROGRAMMES, "白浜市民活動プラザの開館時間は？", {"plan.md": "白浜市", "report.md": "白浜市"})
    elsewhere = [p for p in s.passages if "プラザ" not in p.chunk.text]
    assert _answer_from(s, elsewhere).abstained
    from assistant.answer import AnswerEngine
    from assistant.gates import Case

    short = small(PROGRAMMES, "講座の経費はいくら？", {"plan.md": "白浜市", "report.md": "白浜市"})
    case = Case(short.query, short.passages, short.evidence, short.view, short.view.cfg, missing_focus=["経費"])
    assert AnswerEngine(short.view, short.view.cfg)._look_where_named(short.query, case, __import__("assistant.trace").trace.Trace()) is None


def test_quotes_found_elsewhere_must_name_every_phrase_of_the_question() -> None:
    from assistant.gates import names_every_focus

    hours = "# 白浜市 利用案内\n\n## 開館時間\n\n白浜市民活動プラザの開館時間は午前9時から午後9時までです。\n"
    s = small({**PROGRAMMES, "guide.md": hours}, "白浜市民活動プラザの開館時間は？", {"plan.md": "白浜市", "report.md": "白浜市", "guide.md": "白浜市"})
    users = [st for st in s.statements if "利用者は12,000人" in st.text]
    said = [st for st in s.statements if "午前9時" in st.text]
    assert said and names_every_focus(s.case(), said)
    assert users and not names_every_focus(s.case(), users)


def test_a_numbered_item_the_documents_do_not_list_is_not_stated() -> None:
    """会議室1–3 are listed: 「会議室4の使用料」 is declined by name; 「会議室3」 is not, nor a date
    (「令和5年度末」) or a quantity (「最長5年間」) the documents do not write that way."""
    from assistant.gates import numbered_item_not_listed

    rooms = ("# 白浜市民活動プラザ 利用案内\n\n## 使用料\n\n| 部屋 | 定員 | 使用料 |\n|---|---|---|\n"
             "| 会議室1 | 12人 | 400円 |\n| 会議室2 | 18人 | 600円 |\n| 会議室3 | 24人 | 800円 |\n\n"
             "令和４年度末の登録団体数は191団体です。補助は最長3年です。\n")
    cities = {"r.md": "白浜市"}
    four = numbered_item_not_listed(small({"r.md": rooms}, "白浜市民活動プラザの会議室４の使用料は？", cities).case())
    assert four is not None and four.missing == "会議室4"
    assert numbered_item_not_listed(small({"r.md": rooms}, "白浜市民活動プラザの会議室３の使用料は？", cities).case()) is None
    assert numbered_item_not_listed(small({"r.md": rooms}, "令和5年度末の登録団体数は？", cities).case()) is None
    assert numbered_item_not_listed(small({"r.md": rooms}, "補助は最長5年間受けられる？", cities).case()) is None
    answer = small({"r.md": rooms}, "白浜市民活動プラザの会議室４の使用料は？", cities).answer()
    assert answer.abstained and "会議室4" in answer.text


def test_a_compound_is_named_by_its_words_written_apart_with_a_suffix_and_no() -> None:
    """「情報共有デジタル化モデル事業」 is named by 「情報共有のデジタル化のモデル事業」; a programme
    whose distinctive words are missing is not (another town's 「チャレンジ事業」)."""
    from assistant.gates import focus_not_covered

    plan = ("# 白浜市協働推進計画\n\n## 自治会の支援\n\n自治会活動における情報共有のデジタル化のモデル事業に取り組み、"
            "現在、３つの自治会を支援しています。\n")
    s = small({"p.md": plan}, "白浜市の情報共有デジタル化モデル事業は、いくつの自治会を支援してる？", {"p.md": "白浜市"})
    assert focus_not_covered(s.case(s.statements[:2])) is None
    other = ("# 黒浜町まちづくり補助金 募集要項\n\n## 申請期間\n\n若者チャレンジ事業の申請期間は令和７年４月１日から５月16日までです。\n")
    mine = "# 白浜市協働推進計画 概要\n\n## 提案制度\n\nまつば協働チャレンジ事業で市民の提案を募ります。\n"
    docs = {"p.md": plan, "o.md": other, "m.md": mine}
    t = small(docs, "まつば協働チャレンジ事業の申請期間は？", {"p.md": "白浜市", "o.md": "黒浜町", "m.md": "白浜市"})
    chosen = [st for st in t.statements if "申請期間は" in st.text]
    assert chosen and focus_not_covered(t.case(chosen)) is not None


def test_a_compound_is_named_as_the_question_writes_its_last_two_words() -> None:
    """「フォーラム参加者アンケート」: the parts leave out 「者」, and the report writes
    「参加者アンケートでは」 after a sentence about the forum; 「参加アンケート」 was never written."""
    from assistant.gates import focus_not_covered

    report = ("# 白浜市 実績報告\n\n## 人づくり\n\n協働フォーラムを11月に開催し、312人が参加しました。"
              "参加者アンケートでは、回答者の87.3％が「満足」と回答しました。\n")
    s = small({"r.md": report}, "フォーラム参加者アンケートで満足と答えた人の割合は？", {"r.md": "白浜市"})
    chosen = [st for st in s.statements if "87.3" in st.text]
    assert chosen and focus_not_covered(s.case(chosen)) is None
    answer = small({"r.md": report}, "フォーラム参加者アンケートで満足と答えた人の割合は？", {"r.md": "白浜市"}).answer()
    assert not answer.abstained and "87.3" in answer.text
    kind = ("# 白浜市 協働推進計画\n\n## 提案制度\n\n市民が提案する「市民提案型」と、市がテーマを示す「行政提案型」の"
            "2つの方式で提案型協働事業を実施します。\n")
    u = small({"k.md": kind}, "行政提案型協働事業はどんなテーマで募集した？", {"k.md": "白浜市"})
    assert focus_not_covered(u.case(u.statements[:1])) is not None  # 「提案型協働」 is every kind's
    other = report.replace("参加者アンケートでは", "利用者調査では")
    t = small({"r.md": other}, "フォーラム参加者アンケートで満足と答えた人の割合は？", {"r.md": "白浜市"})
    chosen = [st for st in t.statements if "87.3" in st.text]
    assert chosen and focus_not_covered(t.case(chosen)) is not None


def test_a_phone_number_asked_must_be_written() -> None:
    """「電話番号は？」: the office's name and floor do not answer it; a line with a number does."""
    from assistant.gates import contact_not_stated

    guide = ("# 白浜市民活動プラザ 利用案内\n\n## お問い合わせ\n\n白浜市民活動プラザ（白浜ビル3階）\n\n"
             "運営：白浜市 市民協働課\n")
    s = small({"g.md": guide}, "白浜市民活動プラザの電話番号を教えてください", {"g.md": "白浜市"})
    declined = contact_not_stated(s.case(s.statements[:2]))
    assert declined is not None and "電話番号" in (declined.missing or "")
    assert s.answer().abstained
    numbered = guide + "\n電話 0834-22-8211（平日9時～17時）\n"
    t = small({"g.md": numbered}, "白浜市民活動プラザの電話番号を教えてください", {"g.md": "白浜市"})
    assert contact_not_stated(t.case(t.statements[:2])) is None
    assert "0834-22-8211" in t.answer().text


def test_an_address_asked_is_answered_by_the_line_that_writes_one() -> None:
    """「住所は？」: a quote naming the centre and its hours does not answer it; the statement found
    that writes 「栄町3丁目2番8号」 does (a second look chooses it); no address anywhere declines."""
    from assistant.gates import contact_not_stated, contact_statements, quotes_contact

    guide = ("# 白浜市 協働推進計画 概要版\n\n## 施設案内\n\nしらはまベース：白浜市栄町3丁目2番8号 白浜駅前ビル2階\n\n"
             "## 活動の拠点\n\nしらはまベース（市民活動センター）は、団体の活動を支える拠点です。"
             "開館は午前9時から午後10時までです。\n")
    s = small({"g.md": guide}, "しらはまベースの住所", {"g.md": "白浜市"})
    hours = [st for st in s.statements if "拠点" in st.text]
    assert hours and not quotes_contact(s.case(hours), hours)
    assert contact_not_stated(s.case(hours)) is None  # another statement found writes one ...
    assert any("栄町3丁目2番8号" in st.text for st in contact_statements(s.case(hours)))  # ... chosen again
    assert "栄町3丁目2番8号" in s.answer().text
    bare = guide.replace("しらはまベース：白浜市栄町3丁目2番8号 白浜駅前ビル2階", "しらはまベースは駅から徒歩5分です。")
    assert small({"g.md": bare}, "しらはまベースの住所", {"g.md": "白浜市"}).answer().abstained
    # An address written for no one named (no second choice passes the gates): the first choice
    # stands, as before the gate looked again, and the trace says so.
    unnamed = guide.replace("しらはまベース：白浜市栄町", "所在地：白浜市栄町")
    kept = small({"g.md": unnamed}, "しらはまベースの住所", {"g.md": "白浜市"}).answer()
    assert not kept.abstained and any("選び直せなかった" in n for n in kept.trace.notes)


def test_a_thing_asked_to_exist_that_no_document_names_is_not_there() -> None:
    """「体育館はありますか」 of a centre whose guide lists its rooms: declined, saying what was
    not found; 「会議室はありますか」 is answered; a case in the question's own words (「5万円の
    テントを買える？」) is still read against the rules."""
    guide = ("# 白浜町まちづくり交流センター 利用案内\n\n## 部屋と使用料\n\n| 部屋 | 定員 | 使用料 |\n|---|---|---|\n"
             "| 会議室 | 20人 | 400円 |\n| 交流ホール | 80人 | 1,200円 |\n\n## 補助\n\n備品購入費は補助の対象です。\n")
    docs, cities = {"g.md": guide}, {"g.md": "白浜町"}
    gym = small(docs, "交流センターに体育館はありますか？", cities).answer()
    assert gym.abstained and "体育館" in gym.text
    assert not small(docs, "交流センターに会議室はありますか？", cities).answer().abstained
    from assistant.gates import focus_not_covered

    tent = small(docs, "テントの購入は補助の対象になりますか？", cities)
    chosen = [st for st in tent.statements if "備品購入費" in st.text]
    assert chosen and focus_not_covered(tent.case(chosen)) is None


def test_a_series_numbered_by_a_leading_number_the_documents_do_not_reach() -> None:
    """「３次募集はある？」 where the guide has a 1次 and a 2次募集: declined by name; 「２次募集」
    is answered."""
    from assistant.gates import numbered_item_not_listed

    guide = ("# 白浜市 活動補助金 募集案内\n\n## 募集期間\n\n（１）１次募集　令和７年４月７日から５月９日まで\n\n"
             "（２）２次募集　令和７年８月１日から８月２９日まで\n")
    cities = {"g.md": "白浜市"}
    third = numbered_item_not_listed(small({"g.md": guide}, "白浜市の活動補助金、３次募集はある？", cities).case())
    assert third is not None and third.missing == "3次募集"
    assert numbered_item_not_listed(small({"g.md": guide}, "白浜市の活動補助金、２次募集はある？", cities).case()) is None
    assert numbered_item_not_listed(small({"g.md": guide}, "募集は3人以上の団体が対象？", cities).case()) is None


def test_a_breakdown_is_stated_only_where_the_quotes_break_the_figure_down() -> None:
    """「男女別の数字」「男女比」 of a survey that gives 年代別 figures only: declined, naming the
    breakdown; 「年代別の参加率」 is answered."""
    survey = ("# 白浜市 市民意識調査\n\n## 地域活動への参加\n\n地域活動に参加している市民は32.5％でした。男女とも前回より増えています。\n\n"
              "## 年代別の参加率\n\n| 年代 | 参加率 |\n|---|---|\n| 20歳代 | 15.4％ |\n| 60歳代 | 47.1％ |\n")
    docs, cities = {"s.md": survey}, {"s.md": "白浜市"}
    for question, word in (("地域活動の参加率の男女別の数字を教えて", "男女別"), ("地域活動に参加している市民の男女比は？", "男女比")):
        answer = small(docs, question, cities).answer()
        assert answer.abstained and word in answer.text, question
    assert "47.1" in small(docs, "年代別の参加率を教えて", cities).answer().text


def test_a_header_row_does_not_lend_its_passages_other_year_to_the_rows() -> None:
    """「令和５年度の決算額は？」 of a 令和６年度 report whose passage mentions 令和５年度 in a
    sentence: the header row 「事業名 | 決算額（千円）」 quoted above the rows does not make them
    令和５年度's; a numbered row taken for a header (「1 | 講座 | 年4回」) is still read whole."""
    from assistant.gates import year_not_stated

    report = ("# 白浜市 令和６年度 協働事業報告\n\n## 令和６年度の決算\n\n参加者は令和５年度と比べて増えました。\n\n"
              "| 事業名 | 決算額（千円） | 執行率 |\n|---|---|---|\n| 交流センター運営費 | 18,236 | 99.0％ |\n"
              "| 人材育成事業費 | 742 | 86.3％ |\n")
    s = small({"r.md": report}, "白浜市の令和５年度の人材育成事業費の決算額は？", {"r.md": "白浜市"})
    rows = [st for st in s.statements if st.segment.kind == "table"]
    assert len(rows) >= 2 and year_not_stated(s.case(rows)) is not None
    t = small({"r.md": report}, "白浜市の令和６年度の人材育成事業費の決算額は？", {"r.md": "白浜市"})
    rows = [st for st in t.statements if st.segment.kind == "table"]
    assert year_not_stated(t.case(rows)) is None
    from assistant.gates import _labels_only

    assert _labels_only("事業名\t決算額（千円）\t執行率") and not _labels_only("1\t市民協働入門講座\t年４回開催")


def test_the_head_of_a_group_the_documents_never_name_is_not_given() -> None:
    """「応援団の団長は誰？」 where the plan names the 応援団 and its members' count only."""
    plan = ("# 白浜村 協働の村づくり計画\n\n## 村の外とつながる\n\n村外の応援者が登録する「しらはま応援団」には、"
            "320人が登録しています。応援団の皆さんには村の行事の案内を送ります。\n")
    answer = small({"p.md": plan}, "しらはま応援団の団長は誰ですか", {"p.md": "白浜村"}).answer()
    assert answer.abstained and "団長" in answer.text


def test_a_newsletter_asked_as_a_koho_shi_is_named_by_its_title() -> None:
    """「広報紙の名前は？」: the plan calls it 「協働ニュース「わっしょい」」; the phrase as a whole
    stands for ニュース, だより, 通信 (one way: 「ニュース」 asked is not any 広報紙)."""
    from assistant.gates import focus_not_covered

    plan = ("# 白浜市協働推進計画\n\n## 啓発\n\n協働のまちづくりを広く知ってもらうため、しらはま協働ニュース「わっしょい」を"
            "年４回発行しています。\n\n## 広報\n\n市の広報紙で募集を案内します。\n")
    s = small({"p.md": plan}, "協働の啓発のために出している広報紙の名前は？", {"p.md": "白浜市"})
    chosen = [st for st in s.statements if "わっしょい" in st.text]
    assert chosen and focus_not_covered(s.case(chosen)) is None
    from assistant.lexicon import lexicon

    assert "広報紙" not in lexicon().equivalents("ニュース")


def test_a_thing_asked_to_be_there_for_use_that_no_document_names_is_not_there() -> None:
    """「ピアノは借りられる？」 of a centre whose guide lists its equipment without one: declined;
    「プロジェクターは借りられる？」 is answered; 「テントを買うのに補助は使える？」 is a case of the
    rules, not a thing asked to be there."""
    from assistant.gates import _asked_available
    from assistant.query import parse_query

    guide = ("# 白浜町まちづくり交流センター 利用案内\n\n## 貸し出す備品\n\nプロジェクター、スクリーン、ホワイトボードを"
             "無料で貸し出します。\n\n## 楽器\n\nギター教室の楽器は各自でお持ちください。\n")
    docs, cities = {"g.md": guide}, {"g.md": "白浜町"}
    piano = small(docs, "交流センターでピアノは借りられる？", cities).answer()
    assert piano.abstained and "ピアノ" in piano.text
    assert not small(docs, "交流センターでプロジェクターは借りられる？", cities).answer().abstained
    tent = parse_query("テントを買うのに補助は使えますか？", [])
    assert not any(_asked_available(f, tent.normalized) for f in tent.focus)


def test_a_value_of_a_kind_no_document_writes_is_not_the_listed_kinds_value() -> None:
    """「カラーコピーは１枚いくら」 over a fee table with 「コピー機（白黒）」 only: カラー is written
    nowhere, so the listed 白黒 price does not answer; the 白黒 price itself is answered."""
    guide = ("# 汀崎市市民活動センター利用案内\n\n## 6. 作業コーナー\n\n| 設備 | 料金 |\n|---|---|\n"
             "| コピー機（白黒） | 1枚 10円 |\n| 印刷機（製版） | 1製版 50円 |\n| ロッカー | 年額 2,400円 |\n")
    cities = {"g.md": "汀崎市"}
    assert small({"g.md": guide}, "汀崎市のセンターでカラーコピーは１枚いくらですか", cities).answer().abstained
    answer = small({"g.md": guide}, "汀崎市のセンターで白黒コピーは１枚いくらですか", cities).answer()
    assert not answer.abstained and "10円" in answer.text


def test_names_asked_of_things_the_quotes_only_count_are_not_given() -> None:
    """「設立された地区まちづくり協議会の名前は？」 over 「…協議会は、５地区に設立されています」: the
    documents count them and name none. A sentence or a row that names them answers."""
    counted = ("# 汀崎市協働推進アクションプラン\n\n## 地区まちづくり協議会\n\n"
               "地区まちづくり協議会は、令和６年度末現在で５地区に設立されています。\n\n"
               "未設立の７地区には職員による地区担当制を導入します。\n")
    cities = {"a.md": "汀崎市"}
    question = "汀崎市で設立されている５地区の地区まちづくり協議会の名前は？"
    declined = small({"a.md": counted}, question, cities).answer()
    assert declined.abstained and "名前" in declined.text
    named = counted.replace("５地区に設立されています。", "５地区に設立されています（上郷まちづくり協議会、中郷ふれあい協議会など）。")
    answer = small({"a.md": named}, question, cities).answer()
    assert not answer.abstained and "上郷まちづくり協議会" in answer.text


def test_a_numbered_item_is_read_with_the_sentence_announcing_its_list() -> None:
    """「いくら以上だと対象外？」 over (4) of 「次の各号に掲げる経費は、補助対象経費としない。」: the
    item is read with that sentence, which says 対象外 in a rule's words."""
    rules = ("汀崎市協働活動補助金交付要綱\n\n（補助対象経費）\n第5条　補助対象経費は、報償費、旅費、消耗品費とする。\n"
             "2　次の各号に掲げる経費は、補助対象経費としない。\n(1)　団体の構成員に対する人件費\n"
             "(2)　飲食費（講師等に提供する茶菓を除く。）\n(3)　団体の事務所の家賃\n(4)　1件の取得価格が5万円以上の備品の購入費\n"
             "(5)　懇親会に係る経費\n\n（補助金の額）\n第6条　補助金の額は、補助対象経費の2分の1とし、20万円を上限とする。\n")
    answer = small({"y.txt": rules}, "汀崎市の補助金で備品を買うとき、いくら以上だと対象外になりますか", {"y.txt": "汀崎市"}).answer()
    assert not answer.abstained and "5万円以上" in answer.text


def test_a_nickname_is_named_by_the_name_it_stands_for() -> None:
    """「みぎわベースの利用者数」 over a 年報 titled with the centre's own name: the guide writes
    「汀崎市市民活動センター（愛称：みぎわベース）」, so the 年報's quotes are about the みぎわベース."""
    from dataclasses import replace as with_

    from assistant.evidence import Evidence
    from assistant.gates import focus_not_covered
    from assistant.pipeline import with_kana_names

    docs = {
        "guide.md": "# 汀崎市市民活動センター「みぎわベース」利用案内\n\n名称：汀崎市市民活動センター（愛称：みぎわベース）\n\n開館時間は午前9時から午後9時までです。\n",
        "nenpo.md": "# 汀崎市市民活動センター 令和6年度 年報\n\n## 1 利用状況\n\n令和6年度の利用者数は39,432人で、前年度から812人増えました。\n",
    }
    s = small(docs, "みぎわベースの令和6年度の利用者数は？", {"guide.md": "汀崎市", "nenpo.md": "汀崎市"})
    query = with_kana_names(s.query, s.view)
    assert any(f.exact and f.text == "みぎわベース" for f in query.focus)
    s = with_(s, query=query, evidence=Evidence(query, s.view, s.view.cfg))
    nenpo = [st for st in s.statements if "39,432人" in st.text]
    assert nenpo and focus_not_covered(s.case(chosen=nenpo)) is None
    other = small({"x.md": "# 汀崎市公民館 令和6年度 年報\n\n令和6年度の利用者数は12,000人でした。\n"}, "みぎわベースの令和6年度の利用者数は？", {"x.md": "汀崎市"})
    assert focus_not_covered(with_(s, view=other.view).case(chosen=other.statements[-1:])) is not None


def test_a_survey_staff_call_an_anketo_is_the_offices_chousa() -> None:
    report = ("# 汀崎村 村民意識調査 結果報告書\n\n## 2 地域活動への参加\n\n"
              "地域活動に参加している人の割合は42.6%で、前回調査（令和元年度）から4.4ポイント上昇しました。\n")
    answer = small({"r.md": report}, "汀崎村のアンケートで参加している人の割合は？", {"r.md": "汀崎村"}).answer()
    assert not answer.abstained and "42.6%" in answer.text


def test_a_vice_title_is_not_covered_by_the_title_it_stands_before() -> None:
    from assistant.gates import covering_statements
    from assistant.query import focus_of

    assert ("副委員長", "副委員長") in focus_of("推進委員会の副委員長はどなた？", [])[-1].parts
    docs = {"plan.md": "# 青葉台市 協働推進計画\n\n## 策定体制\n\n推進委員会（委員長：山田一郎）で審議しました。\n"}
    cities = {"plan.md": "青葉台市"}
    vice = small(docs, "推進委員会の副委員長はどなた？", cities)
    assert not [st for st in covering_statements(vice.case([])) if "山田一郎" in st.text]
    chair = small(docs, "推進委員会の委員長はどなた？", cities)
    assert [st for st in covering_statements(chair.case([])) if "山田一郎" in st.text]


def test_a_compound_is_named_by_its_words_with_a_particle_between() -> None:
    from assistant.gates import _written_with_no

    assert _written_with_no("目標達成", "成果指標7項目のうち、目標を達成したものは3項目")
    assert _written_with_no("追加申請", "追加の申請は受け付けません")
    assert not _written_with_no("目標達成", "目標は未達成でした")


def test_words_that_ask_for_a_thing_the_documents_state_without_the_word_are_no_focus() -> None:
    from assistant.query import focus_of

    assert [f.text for f in focus_of("市民活動協議会の範囲は？", [])] == ["市民活動協議会"]
    assert [f.text for f in focus_of("委員はどういう立場の人？", [])] == ["委員"]
    assert [f.text for f in focus_of("補助金は何人以上の団体じゃないとダメ？", [])] == ["補助金"]
    assert [f.text for f in focus_of("委員会での答えは？", [])] == ["委員会"]


def test_the_city_office_is_what_a_plan_calls_its_own_offices() -> None:
    from assistant.lexicon import lexicon

    assert "庁内" in lexicon().equivalents("市役所")


def test_a_name_in_brackets_that_no_document_writes_is_declined() -> None:
    from assistant.gates import quoted_name_unknown

    docs = {"rule.md": "# 青葉台市 補助金要綱\n\n## 部門\n\nはじめの一歩部門は上限10万円、ステップ\nアップ部門は上限30万円です。\n"}
    cities = {"rule.md": "青葉台市"}
    unknown = quoted_name_unknown(small(docs, "「ジャンプアップ部門」の上限額は？", cities).case())
    assert unknown is not None and unknown.missing == "ジャンプアップ部門"
    assert quoted_name_unknown(small(docs, "「はじめの一歩部門」の上限額は？", cities).case()) is None
    assert quoted_name_unknown(small(docs, "「ステップアップ部門」の上限額は？", cities).case()) is None  # wrapped in the text
    assert quoted_name_unknown(small(docs, "「設立何年」の条件は？", cities).case()) is None  # a question, not a name


def test_a_breakdown_is_given_by_its_members() -> None:
    """「受講者の男女比」 answered by 「受講者数は28人（男性13人、女性15人）」: every member of the
    breakdown stated gives it, though 「男女」 is not written."""
    report = ("# 白浜市 まちづくり講座 実施報告\n\n## 受講者の状況\n\n受講者数は28人（男性13人、女性15人）となりました。\n\n"
              "## 年代構成\n\n30代以下の受講者は9人でした。\n")
    answer = small({"r.md": report}, "まちづくり講座の受講者の男女比", {"r.md": "白浜市"}).answer()
    assert not answer.abstained and "男性13人" in answer.text
    only_men = report.replace("、女性15人", "")
    assert small({"r.md": only_men}, "まちづくり講座の受講者の男女比", {"r.md": "白浜市"}).answer().abstained


def test_a_body_of_n_people_counts_its_members() -> None:
    """「審査会の委員は何人？」: 「７人で構成する「白浜市協働事業審査会」」 counts the members
    without the word 委員."""
    guide = ("# 白浜市 協働提案事業 募集要項\n\n## 審査の方法\n\n学識経験者、市民活動団体関係者、公募市民等７人で構成する"
             "「白浜市協働事業審査会」が審査します。\n\n## 事業の期間\n\n事業期間は最長３年度です。\n")
    answer = small({"g.md": guide}, "白浜市協働事業審査会の委員は何人？", {"g.md": "白浜市"}).answer()
    assert not answer.abstained and "７人" in answer.text


def test_an_extension_number_asked_is_read_where_the_page_writes_its_contact() -> None:
    """「問合せ先の内線番号は？」: the page writes 「このページに関するお問い合わせ」 and 「（内線2316）」,
    never the words asked; they are the same things."""
    page = ("# 令和７年度 白浜市協働のまちづくり補助金 交付決定一覧\n\n## お問い合わせ\n\n"
            "このページに関するお問い合わせ：白浜市 市民生活部 協働推進課（内線2316）\n\n"
            "## 交付決定\n\n24件の申請のうち17件の交付を決定しました。交付決定一覧は次のとおりです。採択団体には通知を送付しました。\n")
    answer = small({"p.md": page}, "白浜市の補助金の交付決定一覧の問合せ先の内線番号は？", {"p.md": "白浜市"}).answer()
    assert not answer.abstained and "2316" in answer.text


def test_a_thing_told_apart_by_a_letter_must_be_named_with_it() -> None:
    """「会議室Bの定員は？」 of a centre whose guide lists 会議室A and 会議室C: the quotes name 会議室
    but never B, so they do not answer; 「会議室Ｂ」「B会議室」「第2会議室」 name it."""
    from assistant.gates import _designation_in

    assert _designation_in("会議室", "B", "会議室B(定員12人)") and _designation_in("会議室", "B", "b会議室は")
    assert _designation_in("会議室", "2", "本庁舎4階第2会議室") and _designation_in("会議室", "2", "会議室2")
    assert not _designation_in("会議室", "B", "会議室A(定員24人)、会議室C(定員12人)")
    assert not _designation_in("会議室", "2", "会議室12")
    guide = ("# 白浜市民活動センター 利用案内\n\n## 貸室\n\n| 部屋 | 定員 | 料金 |\n|---|---|---|\n| 会議室A | 24人 | 600円 |\n"
             "| 会議室C | 12人 | 400円 |\n")
    answer = small({"g.md": guide}, "白浜市民活動センターの会議室Bの定員は何人？", {"g.md": "白浜市"}).answer()
    assert answer.abstained, answer.text
    answer = small({"g.md": guide}, "白浜市民活動センターの会議室Cの定員は何人？", {"g.md": "白浜市"}).answer()
    assert not answer.abstained and "12人" in answer.text, answer.text
