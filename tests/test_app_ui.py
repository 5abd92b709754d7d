"""The page staff use every day (issue 11), driven headless with AppTest on a real index of the
small corpus plus a real Japanese PDF: kept conversations, copy with sources, example
questions, follow-ups, the original behind a citation, gold items from answers, title/city
edits and evaluation runs that are never hidden."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.eval_jobs import wait
from assistant.export import answer_text
from assistant.indexer import build_index
from assistant.settings import Settings, load_settings
from assistant.staff_gold import staff_gold_path

from app_setup import ask, own_copy, point_at, replies, start
from conftest import write_small_corpus
from pdfs import SAKURA_PDF, SAKURA_QUESTION, write_sakura_pdf

QUESTION = "緑町の雪かきボランティアの延べ参加人数は？"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("app-ui")
    write_sakura_pdf(write_small_corpus(root / "corpus"))
    report = build_index(load_settings(corpus_dir=root / "corpus", index_dir=root / "index"))
    assert not report.failed and SAKURA_PDF in report.added
    return root


@pytest.fixture
def shared(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    return point_at(monkeypatch, built / "corpus", built / "index", tmp_path / "data")


@pytest.fixture
def own(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    return own_copy(built, tmp_path, monkeypatch)


def messages(at: AppTest) -> list:  # type: ignore[type-arg]
    return at.session_state["messages"]


# --------------------------------------------------------------------------- keep and reuse


def test_a_reload_reopens_the_conversation_of_this_browser_only(shared: Settings) -> None:
    at = ask(start(), QUESTION)
    ask(at, "今後の課題は？")
    conversation, browser = at.query_params["c"], at.session_state["browser_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", conversation)
    assert [h.proto.body for h in at.get("html") if "document.cookie" in h.proto.body] == [
        f'<script>document.cookie = "assistant_browser={browser}; path=/; max-age=31536000; SameSite=Lax";</script>']

    again = start(browser=browser, conversation=conversation)  # a reload: a new session, same cookie and URL
    assert [(m.role, m.content) for m in messages(again)] == [(m.role, m.content) for m in messages(at)]
    assert len(replies(again)) == 2 and "85人" in replies(again)[0].markdown[0].value
    assert [e.label for e in replies(again)[0].expander][:1] == [e.label for e in replies(at)[0].expander][:1]

    other = start(browser="0" * 32, conversation=conversation)  # the link opened in another browser
    assert messages(other) == [] and "c" not in other.query_params
    assert any("この会話は開けません" in i.value for i in other.info)


def test_the_sidebar_lists_reopens_and_deletes_conversations(shared: Settings) -> None:
    at = ask(start(), QUESTION)
    first = at.query_params["c"]
    at.button(key="new-chat").click().run()
    assert messages(at) == [] and "c" not in at.query_params
    ask(at, "星空観察会の定員は？")
    second = at.query_params["c"]
    (listed,) = at.sidebar.radio
    assert listed.options[0].endswith("星空観察会の定員は？") and listed.options[1].endswith(QUESTION)
    assert re.match(r"\d\d/\d\d \d\d:\d\d", listed.options[0])  # the date, in Japan time

    listed.set_value(first).run()  # reopen the first one
    assert at.query_params["c"] == first and messages(at)[0].content == QUESTION
    at.button(key="delete-conversation").click().run()
    assert messages(at) == [] and "c" not in at.query_params
    assert any("会話を削除しました" in i.value for i in at.info)
    assert [o for o in at.sidebar.radio[0].options] == [listed.options[0]]
    assert start(browser=at.session_state["browser_id"], conversation=first).session_state["messages"] == []
    assert second


def test_with_a_sign_in_conversations_belong_to_the_signed_in_administrator(
        shared: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.access import hash_password

    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD_HASH", hash_password("協働-admin-2026"))
    at = ask(start(browser="1" * 32, admin=True), QUESTION)
    conversation = at.query_params["c"]
    elsewhere = start(browser="2" * 32, conversation=conversation, admin=True)  # signed in on another desk
    assert [m.content for m in messages(elsewhere)] == [m.content for m in messages(at)]
    signed_out = start(browser="1" * 32, conversation=conversation)  # the same browser, not signed in
    assert messages(signed_out) == [] and not signed_out.sidebar.radio


def test_the_copy_button_holds_the_answer_with_its_numbered_sources(shared: Settings) -> None:
    at = ask(start(), QUESTION)
    message = messages(at)[-1]
    (button,) = [h.proto.body for h in replies(at)[0].get("html") if "copy-answer" in h.proto.body]
    copied = html.unescape(re.search(r'data-copy="([^"]*)"', button).group(1))
    assert copied == answer_text(message)
    assert copied.startswith("85人 [1]。") and "\n出典:\n[1] 緑町雪かきボランティア事業報告（緑町）／1 事業の概要\n" in copied
    assert "「令和6年度の活動日数は12日で、延べ85人が参加しました。」" in copied


# --------------------------------------------------------------------------- explain and guide


def test_example_questions_come_from_the_documents_and_are_answered(shared: Settings) -> None:
    at = start()
    examples = [b for b in at.button if b.key and b.key.startswith("example-")]
    assert 2 <= len(examples) <= 4
    index_words = ["青葉市", "緑町", "星野村", "桜台市", "星空観察会", "雪かき", "計画の目的", "主な取組", "桜まつり"]
    assert all(any(w in b.label for w in index_words) for b in examples), [b.label for b in examples]
    examples[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    (user,) = [m for m in messages(at) if m.role == "user"]
    assert user.content == examples[0].label
    answer = messages(at)[-1].answer
    assert answer is not None and not answer.abstained and answer.citations
    assert not [b for b in at.button if b.key and b.key.startswith("example-")]  # the first screen is gone


def test_a_rewritten_follow_up_can_be_asked_as_typed(shared: Settings) -> None:
    at = ask(start(), QUESTION)
    ask(at, "今後の課題は？")
    follow_up = messages(at)[-1]
    assert follow_up.answer.standalone_question
    raw = at.button(key=f"raw-{follow_up.id}")
    assert raw.label == "元の質問のまま検索"
    raw.click().run()
    assert not at.exception, [e.value for e in at.exception]
    user, answer = messages(at)[-2], messages(at)[-1]
    assert (user.content, user.without_history) == ("今後の課題は？", True)
    assert answer.without_history and answer.answer.standalone_question is None  # nothing from earlier turns
    assert any("前の会話を使わずに検索した質問です" in c.value for c in at.chat_message[-2].caption)


# --------------------------------------------------------------------------- see the original


def test_a_pdf_citation_shows_its_page_and_offers_the_file(shared: Settings) -> None:
    at = ask(start(), SAKURA_QUESTION)
    message = messages(at)[-1]
    assert "1200名" in message.content
    (reply,) = replies(at)
    card = next(e for e in reply.expander if "桜台市協働推進計画" in e.label)
    assert "p.2" in card.label
    assert [b.label for b in card.get("download_button")] == ["元のファイル"]
    at.toggle(key=f"page-{message.id}-0").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    card = next(e for e in replies(at)[0].expander if "桜台市協働推進計画" in e.label)
    (image,) = card.get("image")
    assert "sakuradai_plan.pdf の 2/2 ページ。引用箇所を黄色で示しています。" in str(image.proto)


def test_other_formats_show_the_text_around_the_quote(shared: Settings) -> None:
    at = ask(start(), "青葉市のほたる祭りには何名参加しましたか？")
    message = messages(at)[-1]
    at.toggle(key=f"ctx-{message.id}-0").set_value(True).run()
    card = next(e for e in replies(at)[0].expander if e.label.startswith("\\[1\\]"))
    body = card.get("html")[-1].proto.body
    assert '<div class="src-h src-h3" role="heading" aria-level="5">(1) ほたる祭りの開催</div>' in body
    assert "<mark>" in body and "###" not in re.sub(r"<[^>]+>", "", body)


# --------------------------------------------------------------------------- feedback becomes evaluation


def test_answers_and_corrections_become_gold_items_offered_for_evaluation(shared: Settings) -> None:
    at = ask(start(), QUESTION)
    message = messages(at)[-1]
    assert at.text_area(key=f"gold-facts-{message.id}").value == "85人"  # the lead value, editable
    at.button(key=f"FormSubmitter:gold-form-{message.id}-追加").click().run()
    assert any("評価用の質問に追加しました" in s.value for s in at.success)

    at.feedback[0].set_value(0).run()  # 👎 with a correction: the answer should have said 86人
    at.text_input(key=f"fbx-{message.id}").input("86人")
    at.button(key=f"FormSubmitter:fbc-form-{message.id}-コメントを送信").click().run()
    assert any("訂正を評価用の質問に追加しました" in s.value for s in at.success)
    items = [json.loads(line) for line in staff_gold_path(shared.data_dir).read_text(encoding="utf-8").splitlines()]
    assert [i["facts"] for i in items] == [[["85人"]], [["86人"]]]
    assert items[0]["sources"] == ["midori_yuki.txt"] and items[0]["evidence"]

    at.switch_page("app_pages/evaluation.py").run()
    choice = next(o for o in at.selectbox(key="gold-choice").options if "職員が追加した質問" in o)
    assert "2 問" in choice
    at.selectbox(key="gold-choice").set_value(choice).run()
    at.button(key="run-eval").click().run()
    assert wait(shared.data_dir / "eval_runs" / at.session_state["eval-started"], 120) == "finished"
    at.run()
    failed = [e.label for e in at.expander if e.label.startswith("staff-")]
    assert len(failed) == 1 and failed[0].endswith("事実の不足: 86人")  # the correction fails, the other passes


# --------------------------------------------------------------------------- rough edges


def test_an_edited_title_and_city_show_on_new_source_cards(own: Settings) -> None:
    at = start("app_pages/documents.py")
    at.selectbox(key="edit-target-0").set_value("midori_yuki.txt").run()
    assert at.text_input(key="edit-title-0").value == "緑町雪かきボランティア事業報告"
    at.text_input(key="edit-title-0").input("令和6年度 雪かきボランティア報告")
    at.text_input(key="edit-city-0").input("緑町")
    at.button(key="FormSubmitter:edit-form-0-保存して索引を更新").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("更新 1 件" in s.value for s in at.success)
    assert "令和6年度 雪かきボランティア報告" in list(at.table[0].value["題名"])
    assert next(s for s in at.selectbox if s.key.startswith("edit-target")).value is None  # the form starts afresh

    at.switch_page("app_pages/chat.py").run()
    ask(at, QUESTION)
    assert replies(at)[-1].expander[0].label.startswith("\\[1\\] 令和6年度 雪かきボランティア報告 — 緑町")


def test_evaluation_explains_metrics_and_lists_interrupted_runs(shared: Settings) -> None:
    stopped = shared.data_dir / "eval_runs" / "20260101-000000"
    stopped.mkdir(parents=True)
    (stopped / "items.jsonl").write_text("", encoding="utf-8")  # the tab was closed mid-run, before this change
    at = start("app_pages/evaluation.py")
    table = at.dataframe[0].value
    assert list(table["状態"]) == ["中断"]

    at.selectbox(key="gold-choice").set_value("（ファイルをアップロード）").run()
    at.file_uploader(key="gold-upload").set_value(("small.jsonl", json.dumps(
        {"id": "s1", "question": QUESTION, "facts": [["85人"]], "sources": ["midori_yuki.txt"],
         "evidence": ["延べ85人が参加しました"], "answerable": True}, ensure_ascii=False).encode(), "application/jsonl"))
    at.button(key="run-eval").click().run()
    assert wait(shared.data_dir / "eval_runs" / at.session_state["eval-started"], 120) == "finished"
    at.run()
    guide = at.table[0].value
    assert list(guide.columns) == ["指標", "値", "向き", "目標", "判定", "意味"]
    row = guide.set_index("指標").loc["誤って控えた率"]
    assert (row["向き"], row["目標"], row["判定"]) == ("低いほど良い", "≤ 0.05", "達成")
    assert guide.set_index("指標").loc["事実の正確さ", "目標"] == "≥ 0.85"
    assert len(at.get("vega_lite_chart")) == 3  # higher-is-better and lower-is-better apart, latency
    assert set(at.dataframe[0].value["状態"]) == {"完了", "中断"}
