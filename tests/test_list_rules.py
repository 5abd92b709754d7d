"""Lists as plans write them in one line (no index): circled numbers in a row after the
sentence announcing them, and an announced count with its items after a colon."""

from __future__ import annotations

from assistant.strategies.listing import asked_heading_items, inline_count

from small_view import small


def test_a_line_enumerating_its_items_is_counted() -> None:
    assert inline_count("①　対等の原則　②　相互理解の原則　③　目的共有の原則") == 3
    assert inline_count("5つの原則：対等／相互理解／目的共有／自主性尊重／公開") == 5
    assert inline_count("②　相互理解の原則　③　目的共有の原則　④　公開の原則") == 0  # not from ①
    assert inline_count("①の事業は令和7年度に始め、②は翌年度に検討します。") == 0
    assert inline_count("日時：令和7年5月10日") == 0


def test_the_announced_items_in_one_line_answer_what_they_are() -> None:
    plan = ("# 白浜市協働推進計画\n\n## ２ 協働の基本原則\n\n協働を進めるにあたっては、次の５つの原則を大切にします。\n\n"
            "①　対等の原則　②　相互理解の原則　③　目的共有の原則　④　自主性尊重の原則　⑤　公開の原則\n\n"
            "## ３ 基本目標\n\n基本理念を実現するため、次の３つの基本目標を設定します。\n\n## ４ 施策の体系\n\n施策を体系的に示します。\n")
    text = small({"p.md": plan}, "協働の基本原則って５つあるけど何？", {"p.md": "白浜市"}).answer().text
    for item in ("対等", "相互理解", "目的共有", "自主性尊重", "公開"):
        assert item in text
    summary = "# 白浜市協働推進計画 概要版\n\n## 2. 基本理念\n\n5つの原則：対等／相互理解／目的共有／自主性尊重／公開\n\n## 3. 基本目標\n\n3つの目標を掲げます。\n"
    text = small({"s.md": summary}, "協働の5つの原則を教えて", {"s.md": "白浜市"}).answer().text
    assert "自主性尊重" in text and "公開" in text


def test_one_sentence_paragraphs_under_the_named_heading_are_its_points() -> None:
    """「課題として挙げられているものは？」 over 「（１）成果」「（２）課題」, each followed by one
    short paragraph per point: the paragraphs under 「（２）課題」 answer, not the two headings;
    a heading over one paragraph of prose does not make a list of its sentences."""
    plan = ("# 白浜市協働推進計画\n\n## 第１次計画の振り返り\n\n（１）成果\n\nセンターの登録団体は１２８団体に増えた。\n\n"
            "協働事業は年１０件を超えた。\n\n（２）課題\n\n団体の構成員の高齢化が進んでいる。\n\n"
            "若い世代が参加しやすい活動の機会が不足している。\n\n協働事業の多くが単年度で終了している。\n")
    text = small({"p.md": plan}, "白浜市の第１次計画の課題として挙げられているものは？", {"p.md": "白浜市"}).answer().text
    assert "高齢化" in text and "若い世代" in text and "単年度" in text and "１２８団体" not in text


def test_an_item_written_as_a_sentence_carries_the_numbered_run_on() -> None:
    """「(4)　…書類（…を除く。）」 ends like a sentence, so the outline reads it as body text while
    (1)-(3) are headings; its number continues the list, and it is one of the items."""
    rules = ("汀見市補助金交付要綱\n\n（申請）\n第8条　補助金の交付を受けようとする団体は、申請書に次に掲げる書類を添えて提出しなければならない。\n"
             "(1)　事業計画書（様式第2号）\n(2)　収支予算書（様式第3号）\n(3)　団体の規約及び役員名簿\n"
             "(4)　前年度の活動実績が分かる書類（はじめて部門を除く。）\n2　前項の申請期間は、毎年度4月1日から5月15日までとする。\n\n"
             "（審査）\n第9条　市長は、前条の申請があったときは、推進会議に意見を求めるものとする。\n")
    text = small({"y.txt": rules}, "汀見市の補助金の申請書に添付する書類は？", {"y.txt": "汀見市"}).answer().text
    assert "事業計画書" in text and "役員名簿" in text and "活動実績" in text


MINUTES = ("令和6年度 第2回 汀見町協働推進委員会 会議録\n\n１　開会\n　事務局から開会を宣言した。\n\n"
           "２　委員長あいさつ\n　委員長から、中間評価は重要な議題であることについてあいさつがあった。\n\n"
           "３　議題\n(1) 地域運営組織の設立状況について\n【事務局説明】\n　・町内７地区のうち４地区で設立されている。\n\n"
           "【主な意見及び事務局の回答】\n○Ａ委員　準備会の支援はできないか。\n●事務局　集落支援員が同席する。\n\n"
           "(2) 協働のまちづくり計画の中間評価について\n【事務局説明】\n　・２４事業のうち１８事業が順調である。\n\n"
           "【主な意見及び事務局の回答】\n○Ｂ委員　評価の方法を知りたい。\n●事務局　委員会で確認する。\n\n"
           "(3) 協働まつりの開催について\n【事務局説明】\n　・１１月に開催する。\n\n(4) その他\n　事務局から次回の日程の連絡があった。\n")


def test_the_heading_that_is_the_asked_thing_lists_its_numbered_items() -> None:
    """「議題を教えて」 over a record whose 「３　議題」 numbers (1)…(4) while 【事務局説明】【主な意見】
    nest the outline between them: the numbered items answer, not the remarks that say 議題."""
    text = small({"m.txt": MINUTES}, "汀見町の推進委員会第２回の議題を教えて", {"m.txt": "汀見町"}).answer().text
    assert "地域運営組織の設立状況" in text and "中間評価について" in text and "協働まつりの開催" in text


def test_headings_labelled_with_the_asked_noun_are_its_items() -> None:
    record = ("令和7年度第2回 汀見市協働推進審議会 会議録\n\n１０　議事の経過\n\n【議事(1)　令和６年度進捗状況について】\n"
              "○会長　それでは議事(1)について説明をお願いします。\n\n【議事(2)　第３次計画の骨子案について】\n"
              "○会長　続いて議事(2)について説明をお願いします。\n\n【議事(3)　提案制度の見直しについて】\n"
              "○会長　議事(3)について説明をお願いします。\n○会長　以上で本日の議事はすべて終了しました。\n")
    answer = small({"r.txt": record}, "第２回審議会の議事を教えて", {"r.txt": "汀見市"}).answer()
    assert "進捗状況" in answer.text and "骨子案" in answer.text and "提案制度の見直し" in answer.text
    assert answer.trace is not None and "「議事」と番号の付いた見出し" in (answer.trace.strategy_reason or "")


def test_a_question_naming_one_of_the_items_is_not_answered_by_the_list() -> None:
    plan = ("# 汀見市協働推進計画\n\n## ５　協働事例\n\n### 事例１ 通学路の見守りと防災マップづくり\n\n地域の小学校と自治会が協力して見守りを行っています。\n\n"
            "### 事例２ 空き家を活用した多世代の居場所づくり\n\nNPO法人が空き家を改修し、子どもから高齢者までが集う居場所を週３回開いています。\n\n"
            "### 事例３ 外国人住民のための生活ガイドの作成\n\n国際交流協会と市が共同でガイドを作成しました。\n")
    text = small({"p.md": plan}, "空き家を活用した多世代の居場所づくりって、どんな協働事例？", {"p.md": "汀見市"}).answer().text
    assert "週３回" in text


def test_the_sub_heading_named_for_the_asked_thing_again_holds_its_items() -> None:
    guide = ("# 汀見市市民活動センター利用案内\n\n## 4. 予約方法\n\n### (1) 予約の受付開始\n\n| 利用者 | 受付開始 |\n|---|---|\n"
             "| 登録団体 | 利用日の属する月の３か月前の１日から |\n| 一般 | 利用日の属する月の２か月前の１日から |\n\n"
             "### (2) 予約の方法\n\n1. **オンライン**：施設予約システムから24時間予約できます。\n2. **窓口**：センター１階の受付で申し込んでください。\n"
             "3. **電話**：電話では仮予約のみ受け付けます。\n\n### (3) キャンセル\n\n- 利用日の７日前までに取り消した場合は全額還付します。\n\n"
             "## 5. 団体登録\n\n団体登録をすると予約の優先受付があります。\n")
    s = small({"g.md": guide}, "汀見市のセンターの予約方法には何がありますか", {"g.md": "汀見市"})
    where, items = asked_heading_items(s.query, s.scope, s.view) or (None, [])
    assert where is not None and "予約の方法" in where
    assert [i.text.split("：")[0].strip("0123456789. *") for i in items] == ["オンライン", "窓口", "電話"]
    text = s.answer().text
    assert "オンライン" in text and "窓口" in text and "電話" in text


def test_the_bullets_after_a_headings_lead_sentence_are_its_items() -> None:
    """「施策の方向(3) 若い世代の参画促進」, a sentence saying what it is for, then three bulleted
    取組: the three are the list, the first of them included (a bulleted line introduces nothing)."""
    plan = ("# 白浜市協働推進計画\n\n## 施策の方向(2) 担い手の育成\n\n地域活動の担い手を育てます。\n\n・まちづくり塾の開催\n\n"
            "## 施策の方向(3) 若い世代の参画促進\n\n中学生・高校生や大学生、子育て世代が地域活動に関わるきっかけをつくります。\n\n"
            "・中高生まちづくりワークショップの開催\n\n・大学生の地域活動インターンシップの実施\n\n・子ども連れで参加しやすい活動の情報発信\n\n"
            "## 施策の方向(4) 情報発信\n\n情報を発信します。\n")
    from assistant.strategies.listing import best_list

    s = small({"p.md": plan}, "若い世代の参画促進のためにどのような取組をするのですか", {"p.md": "白浜市"})
    items = best_list(s.query, s.scope, s.view)
    assert [it.text for it in items] == ["中高生まちづくりワークショップの開催", "大学生の地域活動インターンシップの実施",
                                         "子ども連れで参加しやすい活動の情報発信"]
    text = s.answer().text
    for item in ("中高生まちづくりワークショップ", "大学生の地域活動インターンシップ", "子ども連れで参加しやすい"):
        assert item in text, item


def test_one_numbered_item_of_a_list_is_answered_by_the_headings_under_its_heading() -> None:
    """「基本方針3にはどんな施策？」 over the bulleted 基本方針1–3 of the 基本方針 section: the
    heading 「基本方針3」 of the next chapter, with the 施策 under it, answers (its 施策 read at its
    own rank by the outline included), not the list of 基本方針."""
    plan = ("# 白浜市協働推進計画\n\n## 2 基本方針\n\n次の3つの基本方針を定めます。\n\n・基本方針1　人づくり\n\n・基本方針2　場づくり\n\n"
            "・基本方針3　仕組みづくり\n\n# 第4章 施策の展開\n\n## 基本方針1 人づくり\n\n### 施策（1）学びの機会の充実\n\n講座を開きます。\n\n"
            "## 基本方針3 仕組みづくり\n\n### 施策（5）提案型協働事業の推進\n\n事業を募ります。\n\n### 施策（6）職員の協働意識の向上\n\n研修を行います。\n\n"
            "# 第5章 成果指標\n\n指標を定めます。\n")
    from assistant.strategies.listing import _one_of_them_asked

    s = small({"p.md": plan}, "白浜市の基本方針3にはどんな施策がありますか", {"p.md": "白浜市"})
    bullets = [st for st in s.statements if st.text.startswith("基本方針") and "\u3000" in st.text]
    assert len(bullets) == 3 and _one_of_them_asked(s.query, sorted(bullets, key=lambda st: st.start))
    text = s.answer().text
    assert "提案型協働事業の推進" in text and "職員の協働意識の向上" in text and "基本方針1" not in text


def test_one_bullet_of_an_announced_list_is_answered_by_the_whole_list() -> None:
    """「対象外になる経費は？」 best matched by the one bullet that says 経費: the sentence announcing
    the list (「主なものは次のとおりです。」) and every bullet answer, not that bullet with its
    neighbours by score (「あります。」)."""
    faq = ("# よくある質問\n\n## 補助金について\n\n### Q. 補助の対象にならない経費はありますか？\n\n"
           "あります。主なものは次のとおりです。\n\n- 団体の構成員への謝礼\n- 飲食費（講師の茶菓代を除く）\n"
           "- 1点5万円以上の備品の購入費\n- 団体の事務所の家賃などの経常的な経費\n\n"
           "### Q. 補助金はいつ振り込まれますか？\n\n事業が終わってから、実績報告の審査を経てお支払いします。\n")
    answer = small({"f.md": faq}, "補助金で対象外になる経費は？", {"f.md": "峰岡市"}).answer()
    text = answer.text
    for item in ("謝礼", "飲食費", "1点5万円以上の備品", "家賃"):
        assert item in text, item
    assert "振り込まれ" not in text


def test_what_a_rule_excludes_is_asked_as_a_list_however_briefly() -> None:
    """「対象にならない経費は？」「対象外の経費」: no 「どんな」 or 「教えて」, yet what is asked is the
    list a rule introduces as excluded (「次に掲げる経費は、負担金の対象としない。」), not the
    sentence that shares most words (the list of what is covered)."""
    from assistant.query import answer_type
    from assistant.text import nfkc

    assert answer_type(nfkc("負担金の対象にならない経費は？")) == "list"
    assert answer_type(nfkc("地域チャレンジ補助金で対象外の経費")) == "list"
    assert answer_type(nfkc("交付金で使えないものは？")) == "list"
    assert answer_type(nfkc("パソコンは対象外ですか？")) != "list"  # one case asked: yes or no
    rules = ("# 白浜市市民提案型協働事業 募集要領\n\n## ５ 負担金\n\n（１）負担金の額は100万円を上限とする。\n\n"
             "（２）負担金の対象となる経費は、報償費、旅費、消耗品費、印刷製本費、使用料及び賃借料とする。\n\n"
             "（３）次に掲げる経費は、負担金の対象としない。\n\nア　団体の経常的な運営に要する経費\n\n"
             "イ　飲食に要する経費\n\nウ　１件当たり５万円以上の備品の購入に要する経費\n\n## ６ 審査\n\n審査会が審査する。\n")
    text = small({"r.md": rules}, "負担金の対象にならない経費は？", {"r.md": "白浜市"}).answer().text
    for item in ("経常的な運営に要する経費", "飲食に要する経費", "５万円以上の備品"):
        assert item in text, (item, text)
    assert "報償費" not in text, text
