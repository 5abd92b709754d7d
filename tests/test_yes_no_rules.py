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


def test_a_result_with_its_target_in_brackets_decides_whether_it_was_reached() -> None:
    """「参加者８７人（目標１２０人）」: a report sentence gives the result beside its target."""
    report = ("# 白浜市 協働事業 評価報告書\n\n## 防災講座\n\n外国人住民向けの防災講座を４回開催し、参加者８７人（目標１２０人）でした。\n\n"
              "## 見守り登録\n\n見守りボランティアの登録者は１３２人（目標１２０人）となりました。\n")
    assert _lead(report, "白浜市の防災講座って参加者の目標に届いた？").startswith("いいえ")
    assert _lead(report, "白浜市の見守りボランティアの登録者は目標を達成しましたか").startswith("はい")
    reason = small({"g.md": report}, "白浜市の防災講座って参加者の目標に届いた？", CITY).answer().trace.strategy_reason
    assert "目標値と実績値" in reason


def test_a_budget_row_decides_whether_the_budget_was_used_up() -> None:
    """A 予算額 column against a 決算額 column: 803 of 1,200 is neither used up nor over."""
    report = ("# 白浜市 令和６年度 協働推進事業 実績報告\n\n## 事業費\n\n"
              "| 事業名 | 予算額（千円） | 決算額（千円） | 執行率 |\n|---|---|---|---|\n"
              "| まちづくり活動補助金 | 1,200 | 803 | 66.9% |\n| 協働フォーラム | 300 | 300 | 100.0% |\n")
    assert _lead(report, "白浜市のまちづくり活動補助金は予算を全部使い切りましたか").startswith("いいえ")
    assert _lead(report, "白浜市のまちづくり活動補助金の決算は予算の範囲内でしたか").startswith("はい")
    assert _lead(report, "白浜市の協働フォーラムは予算どおり全額執行されましたか").startswith("はい")


def test_a_sentence_is_read_with_the_subject_the_sentence_before_it_named() -> None:
    """「受講料は無料とし、…」 leaves out the 協働塾 the sentence before it in its paragraph named."""
    plan = ("# 白浜市 協働推進計画\n\n## 人材の育成\n\n【具体的な取組】\n\n"
            "①　しらはま協働塾の開催：地域課題の捉え方などを学ぶ全６回の連続講座を毎年度開催します。受講料は無料とし、定員は各期２５人とします。\n\n"
            "②　地域リーダー研修の実施：自治会の役員を対象に研修を年２回実施します。\n")
    assert _lead(plan, "白浜市の協働塾って受講料かかりますか").startswith("いいえ")


def test_the_means_asked_decides_when_no_chosen_statement_names_it() -> None:
    """「メールで出せますか」 turns on the メール no article about the application names: the
    submission section's 「電子メールでの提出は受け付けません。」 decides."""
    rules = ("# 白浜市 協働活動補助金 募集要項\n\n## 申請\n\n補助金の交付を受けようとする団体は、交付申請書に事業計画書を添えて、"
             "市長に申請書を提出しなければならない。\n\n## 提出方法\n\n市民協働課の窓口に持参してください。電子メールでの提出は受け付けません。\n")
    assert _lead(rules, "白浜市の補助金の申請書ってメールで出せますか").startswith("いいえ")


def test_a_word_missing_from_the_chosen_rule_decides_only_with_the_predicate() -> None:
    """「飲み物代」 where the rule says 飲料代: a remark naming 飲み物 without saying whether it is
    対象経費 (「…飲み物くらいは認めてほしい」) does not overturn the rule."""
    docs = ("# 白浜町 まちづくり活動補助金 会議録\n\n## 議事\n\n委員：飲食費が対象外なのは理解しているが、夏の屋外イベントでの飲み物くらいは"
            "認めてほしいという声がある。\n\n事務局：熱中症対策としての飲料代に限って、対象経費に含める。\n\n"
            "→ 審議の結果、熱中症対策の飲料代を対象経費に含めることについて、事務局案のとおり了承された。\n")
    assert _lead(docs, "白浜町の補助金で、熱中症対策の飲み物代は対象経費になりますか？").startswith("はい")


def test_a_cap_on_the_times_says_no_to_any_number_of_times() -> None:
    """「何回でも受けられますか」 asks whether there is a limit (not how many): 「ただし、はじめの一歩
    部門は1回限りとする。」 says no, its 「ただし」 being the rule for the 部門 asked."""
    rules = ("# 白浜市 協働活動補助金交付要綱\n\n## 交付の回数\n\n第6条　補助金の交付は、同一団体につき同一年度1回とする。"
             "ただし、はじめの一歩部門は1回限りとする。\n")
    assert _lead(rules, "白浜市の補助金のはじめの一歩部門は、何回でも受けられますか").startswith("いいえ")
    reason = small({"g.md": rules}, "白浜市の補助金のはじめの一歩部門は、何回でも受けられますか", CITY).answer().trace.strategy_reason
    assert "回数の上限" in reason



def test_a_restriction_in_the_statement_naming_the_case_decides() -> None:
    """「２次募集でステップアップコースに申し込めますか」 when the strategies after yes/no chose the
    概要版's course rows (they name the course, not the 2次募集): the statement found that names it
    (「２次募集はスタート支援コースのみ」) is read for its 「のみ」 and says no."""
    from assistant.strategies import Scope, Selection
    from assistant.strategies.yes_no import select

    docs = {"a.md": "# 白浜市 補助金 概要版\n\n## 補助金（3コース）\n\n| コース | こんな団体に | 上限 |\n|---|---|---|\n"
                    "| スタート支援コース | 設立3年未満の団体 | 10万円 |\n| ステップアップコース | 活動を広げたい団体 | 30万円 |\n",
            "b.txt": "白浜市 補助金 募集要項\n\n１　募集期間\n（１）１次募集　４月１日から５月９日まで\n（２）２次募集　８月１日から８月２９日まで\n"
                     "※２次募集はスタート支援コースのみとし、１次募集の採択状況により実施しない場合があります。\n"}
    s = small(docs, "２次募集でステップアップコースに申し込めますか", {"a.md": "白浜市", "b.txt": "白浜市"})
    rows = [st for st in s.statements if st.segment.kind == "table" and "コース" in st.text]
    assert rows and not any("募集" in st.text for st in rows)
    chosen = Selection(rows, "statements", "")
    # (found, but below the best five: the rules that read only those do not see it)
    found = [st for st in s.statements if "のみ" not in st.text] + [st for st in s.statements if "のみ" in st.text]
    assert len(found) > 5 and "のみ" in found[-1].text
    got = select(s.query, Scope(found, s.passages, s.evidence, then=lambda scope: chosen), s.view)
    assert got is not None and got.verdict == "いいえ" and "のみ" in got.statements[0].text


def test_plain_words_find_what_rules_write_in_their_own_terms() -> None:
    """「前払いしてもらえる？」: a 要綱 says 概算払. The plain word searches for the document's term,
    so the statement that decides is the one quoted (not one about paying after the report)."""
    rules = ("# 白浜町まちづくり活動補助金交付要綱\n\n第13条　補助金は、実績報告書の審査により額を確定した後に交付するものとする。\n"
             "ただし、町長が必要と認めるときは、交付決定額の２分の１以内の額を概算払により交付することができる。\n")
    text = small({"r.md": rules}, "補助金って前払いしてもらえる？", {"r.md": "白浜町"}).answer().text
    assert "概算払" in text, text
