"""How values are written in plans, each on a few lines (no index): a share asked as 「何％」, a
unit in a row's own label, a month as a time of year, a deadline counted back from a day, a
count per week or month, a document named as where to read, 「AのB」 for 「AB」."""

from __future__ import annotations

from assistant.dates import patterns as date_patterns
from assistant.query import parse_query

from small_view import small

CITY = {"s.html": "白浜村"}


def test_a_share_asked_as_what_percent_is_answered_by_a_percentage() -> None:
    survey = ("# 白浜村 村民アンケート\n\n## 結果の概要\n\n- 7割を超える人が、集落活動の継続に不安を感じています。\n\n"
              "## 問6 集落の活動を続けていけると思いますか\n\n| 回答 | 割合 |\n|---|---|\n| やや不安がある | 38.8％ |\n"
              "| とても不安がある | 32.6％ |\n\n「やや不安がある」と「とても不安がある」を合わせると71.4％が集落活動の継続に不安を感じています。\n")
    q = parse_query("集落活動の継続に不安を感じている人は何％？", [])
    assert q.asks_share and not parse_query("集落は何集落ありますか", []).asks_share
    answer = small({"s.html": survey}, "集落活動の継続に不安を感じている人は何％？", CITY).answer()
    assert not answer.abstained and "71.4" in answer.text


def test_a_row_whose_label_gives_the_unit_answers_an_amount() -> None:
    """「事業費見込み（千円）| 18,500 | … | 57,500」: the yen are in the row's own label."""
    plan = ("# 白浜村 協働アクションプラン\n\n## 事業費\n\n| 区分 | 令和７年度 | 令和８年度 | ３年間の合計 |\n|---|---|---|---|\n"
            "| 事業費見込み（千円） | 18,500 | 19,200 | 57,500 |\n")
    answer = small({"p.md": plan}, "アクションプランの３年間の事業費見込みの合計はいくら？", {"p.md": "白浜村"}).answer()
    assert not answer.abstained and "57,500" in answer.text
    people = plan.replace("事業費見込み（千円）", "事業費見込み（人）")
    assert small({"p.md": people}, "アクションプランの３年間の事業費見込みの合計はいくら？", {"p.md": "白浜村"}).answer().abstained


def test_a_month_as_a_time_of_year_and_a_deadline_counted_back_are_dates() -> None:
    dates = date_patterns()
    for said in ("６月下旬", "毎年7月", "9月末", "4月頃"):
        assert dates.date_value.search(said.replace("６", "6")), said
    assert not dates.date_value.fullmatch("7月")  # a month alone is a label in a table, not a date
    assert dates.period.search("作業日の2週間前まで") and dates.date_value.search("利用日の7日前まで")
    assert dates.date_value.search("利用日の前日までに") and dates.date_value.search("当日まで")
    guide = ("# 白浜村 補助金募集要項\n\n## 交付決定\n\n審査の結果は、６月下旬に申請団体へ文書で通知します。\n\n"
             "## 提案の受付\n\n提案の受付は毎年７月です。\n\n## お助け隊\n\n作業日の2週間前までに、推進課へお申し込みください。\n")
    docs, cities = {"g.md": guide}, {"g.md": "白浜村"}
    assert "6月下旬" in small(docs, "補助金の審査結果はいつごろ通知されますか", cities).answer().text
    assert "7月" in small(docs, "提案の受付はいつ？", cities).answer().text
    assert "2週間前まで" in small(docs, "お助け隊はいつまでに申し込めばいい？", cities).answer().text


def test_a_count_per_week_or_month_keeps_what_it_is_per() -> None:
    plan = "# 白浜村 協働推進計画\n\n## 相談\n\n専門相談員による団体運営相談を、月２回から週１回に拡充します。\n"
    text = small({"p.md": plan}, "団体運営相談はどれくらいの頻度に拡充するの？", {"p.md": "白浜村"}).answer().text
    assert "月2回" in text and "週1回" in text
    report = "# 白浜村 実績報告\n\n## 講座\n\n令和7年2回目の講座には28人が参加しました。\n"
    lead = small({"r.md": report}, "講座には何人参加した？", {"r.md": "白浜村"}).answer().text
    assert "28人" in lead and "年28人" not in lead


def test_a_document_named_as_where_to_read_frames_the_question() -> None:
    """「概要版によると、…」: the full plan says what its summary says; the quotes need not
    carry the word 概要版. 「協働フェスタでは」 names a topic, not a document."""
    focus = parse_query("概要版によると、まつばリンクの運営相談はどれくらいの頻度に拡充するの？", []).focus
    assert [f.frame for f in focus if f.text == "概要版"] == [True]
    assert all(not f.frame for f in parse_query("協働フェスタでは何人参加した？", []).focus)
    assert [f.frame for f in parse_query("募集要項では、実績報告の提出期限はどうなってる？", []).focus if f.text == "募集要項"] == [True]
    plan = "# 白浜市 協働推進計画\n\n## 拠点\n\nまつばリンクの運営相談を、月２回から週１回に拡充します。\n"
    answer = small({"p.md": plan}, "概要版によると、まつばリンクの運営相談はどれくらいの頻度に拡充するの？", {"p.md": "白浜市"}).answer()
    assert not answer.abstained and "週1回" in answer.text


def test_a_compound_is_said_with_no_between_its_words() -> None:
    """「追加申請」 written 「追加の申請」; 「協働申請」 is not 「協働の追加申請」's words."""
    faq = ("# 白浜村 よくある質問\n\n## Q6 交付金の申請はいつまでですか\n\n毎年4月30日までに申請してください。"
           "年度の途中は、予算の範囲内で9月30日まで追加の申請を受け付けます。\n")
    answer = small({"f.md": faq}, "交付金の追加申請は何月まで？", {"f.md": "白浜村"}).answer()
    assert not answer.abstained and "9月30日" in answer.text
    from assistant.gates import _written_with_no

    assert _written_with_no("追加申請", "追加の申請を受け付けます")
    assert not _written_with_no("追加申請", "追加で申請")
    assert not _written_with_no("申請", "申の請")


def test_a_rate_asked_beside_an_amount_is_answered_by_a_fraction() -> None:
    """「補助率と上限額は？」: the 補助率 part is answered by 「10分の10」, the 上限額 by 「10万円」;
    the rate is read under its heading 「（1）はじめの一歩部門」 though its ①②③ lines are short
    enough to read as headings."""
    guide = ("白浜町まちづくり活動補助金 募集要項\n\n２　補助の区分\n\n（1）はじめの一歩部門\n"
             "　　①対象：新たに活動を始める団体\n　　②補助率：補助対象経費の10分の10\n　　③上限額：10万円\n"
             "（2）ステップアップ部門\n　　①対象：１年以上の活動実績がある団体\n　　②補助率：補助対象経費の３分の２\n"
             "　　③上限額：30万円\n")
    answer = small({"g.txt": guide}, "白浜町の補助金の「はじめの一歩部門」の補助率と上限額を教えてください。", {"g.txt": "白浜町"}).answer()
    lead = answer.text.split("\n")[0]
    assert "10分の10" in lead and "10万円" in lead
    assert lead.index("10分の10") < lead.index("上限額")


def test_a_centres_day_off_is_its_closing_day() -> None:
    guide = ("# 白浜市民活動センター 利用案内\n\n## 開館時間\n\n午前9時から午後9時まで\n\n## 休館日\n\n"
             "毎月第２・第４火曜日、年末年始（12月29日から１月３日まで）\n")
    camp = "# 白浜市 子ども講座\n\n## 日程\n\n夏休みに公民館で子ども講座を開きます。\n"  # 「休み」 is a word the documents use
    answer = small({"c.md": guide, "k.md": camp}, "白浜市民活動センターの休みの日は？", {"c.md": "白浜市", "k.md": "白浜市"}).answer()
    assert not answer.abstained and "第２・第４火曜日" in answer.text


def test_a_rate_asked_alone_is_not_answered_by_an_amount() -> None:
    guide = ("# 白浜市 市民活動応援補助金 募集要項\n\n## 補助の内容\n\n立上げ支援コースは上限15万円、発展支援コースは上限40万円です。"
             "補助率は、対象経費の３分の２です。\n")
    text = small({"g.md": guide}, "市民活動応援補助金の補助率は何分の何ですか", {"g.md": "白浜市"}).answer().text
    assert "3分の2" in text.split("\n")[0] and "15万円" not in text.split("\n")[0]
    assert parse_query("補助率は何分の何ですか", []).asks_share and not parse_query("上限額はいくら？", []).asks_share


def test_a_deadline_counted_back_does_not_answer_from_when() -> None:
    """「予約はいつからできる？」 is not answered by 「キャンセルは3日前までに」."""
    guide = ("# 白浜市民活動センター 利用案内\n\n## 予約\n\n登録団体は利用日の２か月前の月の１日から予約できます。\n\n"
             "## キャンセル\n\nキャンセルは利用日の３日前までにご連絡ください。\n")
    text = small({"c.md": guide}, "センターの予約はいつからできる？", {"c.md": "白浜市"}).answer().text
    assert "２か月前の月の１日から" in text and "3日前まで" not in text.split("\n")[0]


def test_a_kana_nickname_the_documents_bracket_is_one_focus_phrase() -> None:
    """Sudachi cuts 「むくのば」 into むく/の/ば (and 「むくのばともみっと」 gives 「ばと」): a run of
    kana the documents write in brackets is the name, whole, in the focus and the nouns."""
    from assistant.pipeline import with_kana_names
    from assistant.query import kana_names

    known = {"むくのば", "もみっと"}
    assert kana_names("むくのばともみっと、平日は何時まで開いてる?", known.__contains__) == ["むくのば", "もみっと"]
    assert kana_names("町外の人がむくのばを使う場合の使用料は?", known.__contains__) == ["むくのば"]
    assert kana_names("開館時間はいつですか", known.__contains__) == []
    guide = ("# 白浜町まちづくり交流センター 利用案内\n\n## 概要\n\n白浜町まちづくり交流センター（愛称「むくのば」）は、"
             "町民の協働の拠点です。\n\n## 開館時間\n\nむくのばの開館時間は、午前９時から午後９時までです。\n")
    s = small({"g.md": guide}, "むくのばの開館時間は？", {"g.md": "白浜町"})
    q = with_kana_names(s.query, s.view)
    assert [f.text for f in q.focus][:1] == ["むくのば"] and not any(f.text in ("むく", "ばと") for f in q.focus)
    assert ("むくのば", "むくのば") in q.nouns and ("むく", "むく") not in q.nouns
    assert with_kana_names(s.query, s.view).focus == q.focus
    plain = small({"g.md": guide.replace("（愛称「むくのば」）", "")}, "むくのばの開館時間は？", {"g.md": "白浜町"})
    assert with_kana_names(plain.query, plain.view) is plain.query  # never written as a name: left to Sudachi


def test_a_table_row_named_with_its_columns_heading_names_the_thing() -> None:
    """「スタート支援コース」 is the row 「スタート支援」 under the column 「コース」."""
    from assistant.gates import focus_not_covered

    summary = ("# 白浜市協働推進計画 概要版\n\n## 活動を応援する補助金\n\n| コース | こんな団体に | 上限 |\n|---|---|---|\n"
               "| スタート支援 | 設立3年未満の団体 | 10万円 |\n| ステップアップ | 活動を広げたい団体 | 30万円 |\n")
    s = small({"s.md": summary}, "白浜市の補助金、スタート支援コースの上限額は？", {"s.md": "白浜市"})
    row = [st for st in s.statements if "10万円" in st.text]
    assert row and focus_not_covered(s.case(row)) is None
    t = small({"s.md": summary}, "白浜市の補助金、スタート応援コースの上限額は？", {"s.md": "白浜市"})
    row = [st for st in t.statements if "10万円" in st.text]
    assert row and focus_not_covered(t.case(row)) is not None


def test_staff_words_for_what_documents_write_precisely() -> None:
    """「問い合わせ先の電話番号」 where the guide writes 「問合せ先：… 電話…」; 「県からのお金」 is
    its 交付金 (one way only: a 交付金 asked is not any sum); 「満足度」 is said 「満足」."""
    from assistant.gates import off_topic

    guide = ("# 白浜市 協働補助金 募集要項\n\n## 問合せ\n\n問合せ先：市民協働課協働推進係　電話０１２－３４５－６７８０\n\n"
             "## 財源\n\n事業の財源は、県の地域づくり交付金1,500千円と一般財源です。\n\n## フォーラム\n\n"
             "来場者アンケートでは、「満足」「やや満足」の合計が91.4％でした。\n")
    docs, cities = {"g.md": guide}, {"g.md": "白浜市"}
    s = small(docs, "白浜市の補助金の問い合わせ先の電話番号は？", cities)
    assert off_topic(s.case()) is None
    assert "012" in small(docs, "白浜市の補助金の問い合わせ先の電話番号は？", cities).answer().text.replace("０１２", "012")
    money = small(docs, "県からのお金はいくら入ってる？白浜市の事業の財源で", cities).answer()
    assert not money.abstained and "1,500千円" in money.text
    assert "91.4" in small(docs, "フォーラムの来場者アンケートの満足度は？", cities).answer().text
    from assistant.lexicon import lexicon

    assert "交付金" in lexicon().equivalents("お金") and "お金" not in lexicon().equivalents("交付金")
    assert "町民" in lexicon().equivalents("住民") and "住民" not in lexicon().equivalents("町民")
    survey = ("# 白浜町 町民アンケート\n\n## 結果\n\n地域活動に参加している町民の割合は38.2％でした。\n\n"
              "## 人口\n\n人口は住民基本台帳による。\n")
    share = small({"s.md": survey}, "地域活動に参加している住民の割合は？", {"s.md": "白浜町"}).answer()
    assert "38.2" in share.text.split("\n")[0]


def test_a_count_read_in_a_named_document_counts_the_subject_not_the_document() -> None:
    """「人口って計画ではいくつ？」: 「計画では」 says where to read; the count is of the 人口."""
    from assistant.query import parse_query as parse

    assert parse("白浜市の人口って計画ではいくつになってる？", ["白浜市"]).counted != "計画"
    plan = "# 白浜市協働推進計画\n\n## 市の現状\n\n本市の人口は８６，４１２人（令和６年４月１日現在）で、減少しています。\n"
    text = small({"p.md": plan}, "白浜市の人口って計画ではいくつになってる？", {"p.md": "白浜市"}).answer().text
    assert "86,412人" in text.split("\n")[0]


def test_more_ways_of_naming_where_to_read() -> None:
    """「用語解説にある」「（…Ｑ＆Ａ）」 name a document to read; 「交流センターにある」 names no
    document, and 「…計画で、」 may name a plan the town does not have."""
    def frames(question: str) -> list[str]:
        return [f.text for f in parse_query(question, ["白浜市"]).focus if f.frame]

    assert frames("白浜市の用語解説にある「市民活動団体」の意味は？") == ["用語解説"]
    assert frames("白浜市の協働推進計画で、センターの利用者数の目標値はいくつ？") == []  # a plan it may not have
    assert "Q&A" in frames("ＮＰＯ法人の設立認証の申請先は？（白浜市Ｑ＆Ａ）")
    assert frames("交流センターにある会議室の定員は？") == []


def test_an_ordinal_written_after_the_name_is_the_one_written_before_it() -> None:
    """「推進委員会第２回」 is the minutes' 「第２回 白浜町協働のまちづくり推進委員会」."""
    from assistant.gates import focus_not_covered

    minutes = ("# 令和６年度 第２回 白浜町協働のまちづくり推進委員会 会議録\n\n## 議題\n\n"
               "（１）アクションプランの進捗について\n（２）補助金の見直しについて\n")
    s = small({"m.md": minutes}, "白浜町の推進委員会第２回の議題を教えて", {"m.md": "白浜町"})
    chosen = [st for st in s.statements if "アクションプラン" in st.text]
    assert chosen and focus_not_covered(s.case(chosen)) is None
    t = small({"m.md": minutes.replace("第２回", "第１回")}, "白浜町の推進委員会第２回の議題を教えて", {"m.md": "白浜町"})
    chosen = [st for st in t.statements if "アクションプラン" in st.text]
    assert chosen and focus_not_covered(t.case(chosen)) is not None


def test_the_trace_shows_the_focus_with_names_whole_and_frames_marked() -> None:
    from assistant.pipeline import with_kana_names

    guide = "# 白浜町交流センター 利用案内\n\n## 概要\n\n交流センター（愛称「むくのば」）の開館時間は午前９時からです。\n"
    s = small({"g.md": guide}, "概要版によると、むくのばの開館時間は？", {"g.md": "白浜町"})
    focus = with_kana_names(s.query, s.view).summary()["focus"]
    assert "むくのば" in focus and "概要版（枠）" in focus


def test_a_fee_given_relative_to_the_listed_one_answers_a_fee_question() -> None:
    """「町外の人が使う場合の使用料は？」 over 「町外の個人・団体が使用する場合 1.5倍」."""
    guide = ("# 汀崎市交流センター利用案内\n\n## 使用料の加算\n\n| 対象 | 使用料 |\n|---|---|\n"
             "| 町外の個人・団体が使用する場合 | 1.5倍 |\n| 入場料を徴収する催し | 2倍 |\n")
    answer = small({"g.md": guide}, "汀崎市の交流センターを町外の人が使う場合の使用料は？", {"g.md": "汀崎市"}).answer()
    assert not answer.abstained and "1.5倍" in answer.text


def test_a_value_is_quoted_with_the_clause_naming_what_it_is_of() -> None:
    """One sentence gives two courses' 補助率; the one after 「ステップアップコース」 answers."""
    plan = ("# 汀崎市協働推進計画\n\n## 財政的な支援\n\n①　汀崎市市民活動応援補助金：立ち上げ期の団体を対象とする「スタート支援コース」"
            "（上限10万円、補助率10分の10、1団体1回限り）と、活動の拡大を目指す団体を対象とする「ステップアップコース」"
            "（上限50万円、補助率3分の2、同一事業3年度まで）の2コースで支援します。\n")
    answer = small({"p.md": plan}, "汀崎市の市民活動応援補助金、ステップアップコースの補助率って何分のいくつ？", {"p.md": "汀崎市"}).answer()
    assert not answer.abstained and answer.text.split("\n")[0].startswith("3分の2")


def test_a_subsidy_rate_written_with_a_slash_is_a_share_but_a_page_number_or_a_date_is_not() -> None:
    from assistant.values import SHARE

    assert SHARE.search("補助率 3/4") and SHARE.search("補助率 10/10") and SHARE.search("2/3以内")
    assert not SHARE.search("説明会 3 / 11") and not SHARE.search("2025/3/4") and not SHARE.search("4/21締切")


def test_how_long_a_rule_lets_something_last_is_a_period() -> None:
    """「１年度限り」「最長３年度」「発行から３か月以内」「14日間」 answer 「何年続けられる」; a
    year of the calendar (「令和8年度まで」「2026年度」) is no length of time."""
    period = date_patterns().period
    for said in ("事業期間は１年度限り", "最長３年度", "発行から３か月以内のもの", "14日間", "設立3年以内の団体"):
        assert period.search(said), said
    for said in ("2026年度", "任期は2年"):
        assert not period.search(said), said
    plan = ("# 白浜村 協働事業提案制度\n\n## 事業の区分\n\n| 区分 | 負担金の上限 | 事業期間 |\n|---|---|---|\n"
            "| 自由提案型 | 100万円 | 最長３年度 |\n| お試し型 | 20万円 | １年度限り |\n")
    answer = small({"p.md": plan}, "お試し型は何年続けられますか", {"p.md": "白浜村"}).answer()
    assert not answer.abstained and "１年度限り" in answer.text


def test_a_gregorian_gloss_is_part_of_a_date_and_both_ends_asked_are_not_a_length() -> None:
    """「令和7年度（2025年度）から令和11年度（2029年度）まで」 is a period, its Gregorian years glossed
    in brackets; 「いつからいつまで」 asks both ends, which a length (「これからの5年間」) does not give."""
    plan = ("# 第3次白浜村協働推進計画\n\n## 計画の趣旨\n\nこれからの5年間に村民と村が共に取り組む協働推進の方向性を示すため、"
            "協働推進計画を策定しました。\n\n## 計画の期間\n\n本計画の期間は、令和7年度（2025年度）から令和11年度（2029年度）までとします。\n")
    answer = small({"p.md": plan}, "白浜村の協働推進計画って、いつからいつまでの計画ですか？", {"p.md": "白浜村"}).answer()
    assert not answer.abstained and "令和11年度" in answer.text.split("\n")[0]
    assert date_patterns().period.search("令和7年度（2025年度）から令和11年度（2029年度）まで").group(0).endswith("まで")
    assert not date_patterns().period.search("利用日の3か月前の月の1日から")


def test_a_span_of_days_is_a_period() -> None:
    """「12月28日（土）から1月4日（土）まで休館」「12月29日～1月3日」 answer 「いつからいつまで休み？」;
    「4月1日から受付」 gives a start only, so a notice of new hours from a date does not answer."""
    period = date_patterns().period
    for said in ("12月28日（土）から1月4日（土）まで休館します", "12月29日～1月3日", "5月1日から31日まで"):
        assert period.search(said), said
    assert not period.search("4月1日から受付")
    notices = ("# 交流センターのお知らせ\n\n## 開館時間の変更\n\n利用状況を踏まえ、4月1日から交流センターの開館時間を変更します。\n\n"
               "## 年末年始の休館\n\n交流センターは、12月28日（土）から1月4日（土）まで休館します。\n")
    answer = small({"c.md": notices}, "交流センター、年末年始はいつからいつまで休み？", {"c.md": "峰岡市"}).answer()
    assert not answer.abstained and "1月4日" in answer.text.split("\n")[0]


def test_one_end_asked_is_not_answered_by_a_span_of_closed_days() -> None:
    """「予約はいつから取れる？」 asks when booking opens; the 年末年始 closing span (「12月29日～
    1月3日」) is another matter's period, while 「いつからいつまで休み？」 is answered by it."""
    guide = ("# センター利用案内\n\n## 休館日\n\n毎週月曜日、年末年始（12月29日～1月3日）\n\n"
             "## 予約\n\n登録団体は利用日の3か月前の月の1日から予約できます。未登録の団体は、利用日の1か月前から予約できます。\n")
    answer = small({"g.md": guide}, "センターの予約、登録してない団体だといつから取れる？", {"g.md": "峰岡市"}).answer()
    assert "12月29日" not in answer.text.split("\n")[0]
    answer = small({"g.md": guide}, "センターは年末年始、いつからいつまで休み？", {"g.md": "峰岡市"}).answer()
    assert "1月3日" in answer.text.split("\n")[0]


def test_a_bare_number_of_years_said_of_a_term_answers_a_question_asking_the_term() -> None:
    """「委員の任期は２年とします」: 「２年」 alone is how long the term lasts, which 「任期は何年？」
    asks; said of a term it is no plan's or application's period (「申請期間は？」 is not answered
    by it), and 「令和２年」「２年目」 are no lengths."""
    from assistant.values import asks_term, term_length

    assert [m.group(0) for m in term_length().finditer("委員の任期は2年とします。")] == ["2年"]
    assert [m.group(0) for m in term_length().finditer("登録の有効期間は1年です。")] == ["1年"]
    assert not term_length().search("任期は2年目に入り") and not term_length().search("令和2年に制定")
    assert asks_term("任期は何年？") and not asks_term("申請期間はいつ？")
    assert parse_query("委員の任期は何年？", []).asks_term and not parse_query("申請期間はいつ？", []).asks_term
    assert not date_patterns().period.search("委員の任期は2年とします。")
    guide = ("# 白浜市協働推進計画\n\n## 推進体制\n\n協働推進委員会は12人以内の委員で構成します。委員の任期は２年とします。\n\n"
             "## 補助金\n\n補助金は毎年度募集します。\n")
    views = {"p.md": "白浜市"}
    text = small({"p.md": guide}, "白浜市の協働推進委員会の任期は何年？", views).answer().text
    assert text.startswith(("2年", "２年")), text
    assert small({"p.md": guide}, "白浜市の補助金の申請期間は？", views).answer().abstained


def test_a_size_asked_without_its_kind_is_answered_by_a_share() -> None:
    """「概算払いってどれくらいまでできる？」: 「どれくらい」 asks a size without saying of what kind;
    「交付決定額の２分の１以内」 answers it, though no number of things or yen is written."""
    rules = ("# 白浜市市民活動支援補助金 募集案内\n\n## 交付の時期\n\n補助金は、事業の完了後に実績報告書を審査して交付します。\n\n"
             "## 概算払い\n\n事業の実施に先立って資金が必要な場合は、交付決定額の2分の1以内で概算払いを請求できます。\n")
    text = small({"r.md": rules}, "白浜市の補助金、概算払いってどれくらいまでできる？", {"r.md": "白浜市"}).answer().text
    assert "2分の1以内" in text, text
    # Asked in one part of a question, only that part takes a share for an answer (and says so).
    from assistant.query import facet_query

    q = parse_query("センターの認知度、今どれくらいで目標はいくつ？", [])
    parts = [facet_query(q, f) for f in q.facets]
    assert [p.asks_magnitude for p in parts] == [True, False]
    assert q.summary().get("asks_magnitude") is True  # shown in the trace
