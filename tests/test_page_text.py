"""What the page shows, built without Streamlit: document text without raw Markdown, the copy
text of an answer with its sources, conversation exports, the trace as steps, the metric
guide and the cleaning of headings for example questions."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from assistant.examples import clean_heading
from assistant.explain import trace_markdown, trace_steps
from assistant.export import answer_text, conversation_markdown, conversation_text
from assistant.metric_guide import METRICS
from assistant.passage_view import line_window, structured_html
from assistant.trace import ChosenStatement, GateVerdict, Trace
from assistant.types import Answer, Citation
from assistant.ui_state import ChatMessage, SourceCard

DOC = (
    "### (1) ほたる祭りの開催\n\n"
    "毎年7月に**青葉川**の河川敷で開催します。\n"
    "令和6年度は約300名が参加しました。\n"
    "- ・受付は市民センター\n"
    "- 雨天は中止\n"
    "・駐車場なし\n"
    "| 年度 | 人数 |\n"
    "|---|---|\n"
    "| 令和6年度 | 300名 |\n"
    "区分\t金額\n"
    "[詳しくはこちら](https://example.invalid/x) ![図](fig.png)\n"
)


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_document_text_shows_headings_lists_and_tables_without_markdown() -> None:
    quote = "令和6年度は約300名が参加しました。"
    start = DOC.index(quote)
    out = structured_html(DOC, [(start, start + len(quote))])
    assert '<div class="src-h src-h3" role="heading" aria-level="5">(1) ほたる祭りの開催</div>' in out
    assert "<li>受付は市民センター</li><li>雨天は中止</li><li>駐車場なし</li>" in out
    assert "<tr><td>年度</td><td>人数</td></tr><tr><td>令和6年度</td><td>300名</td></tr>" in out  # one table
    assert "<td>区分</td><td>金額</td>" in out
    assert f"<mark>{quote}</mark>" in out
    shown = visible(out)
    for raw in ("###", "- ・", "**", "|---|", "](", "!["):
        assert raw not in shown, raw
    assert "青葉川" in shown and "詳しくはこちら" in shown and "example.invalid" not in shown


def test_highlight_keeps_exact_offsets_across_hidden_markup_and_escapes_text() -> None:
    text = "前の文。**大事な**<b>数字</b>は12件です。\n次の行"
    start, end = text.index("大事"), text.index("件") + 1
    out = structured_html(text, [(start, end)])
    assert visible(out).replace("&lt;", "<").replace("&gt;", ">").startswith("前の文。大事な<b>数字</b>は12件です。")
    assert "<mark>大事な</mark>" in out and "<mark>&lt;b&gt;数字&lt;/b&gt;は12件</mark>" in out
    assert "<b>" not in out.replace("<br>", "")


def test_line_window_keeps_whole_lines() -> None:
    text = "一行目\n二行目の長い文です\n三行目\n四行目"
    start = text.index("三行目")
    a, b = line_window(text, start, start + 3, 4)
    assert text[a:b] == "二行目の長い文です\n三行目\n四行目"


def card(n: int, quote: str, page: int | None = 3) -> SourceCard:
    return SourceCard(n, f"src-m-{n}", "", "", "aoba_plan.pdf", quote, "青葉市協働のまちづくり計画", "青葉市",
                      "2 主な取組 > (1) ほたる祭りの開催", page, 0, len(quote))


def test_the_copy_text_is_the_answer_then_its_numbered_sources() -> None:
    answer = Answer("参加人数は？", "約300名 [1]。\n\n資料の該当箇所:\n- **令和6年度**は約300名 [1]", False,
                    citations=[Citation(1, "aoba_plan.pdf", "青葉市協働のまちづくり計画", "青葉市", "x", 3,
                                        "令和6年度は約300名\nが参加しました。", "c", 0, 1)])
    message = ChatMessage("m", "assistant", answer.text, answer, [card(1, "令和6年度は約300名\nが参加しました。"),
                                                                   card(2, "毎年7月に開催します。", None)])
    assert answer_text(message) == (
        "約300名 [1]。\n\n資料の該当箇所:\n- 令和6年度は約300名 [1]\n\n出典:\n"
        "[1] 青葉市協働のまちづくり計画（青葉市）／2 主な取組 > (1) ほたる祭りの開催／p.3\n"
        "　「令和6年度は約300名 が参加しました。」\n"
        "[2] 青葉市協働のまちづくり計画（青葉市）／2 主な取組 > (1) ほたる祭りの開催\n"
        "　「毎年7月に開催します。」"
    )
    declined = ChatMessage("d", "assistant", "資料には該当する記載が見つかりませんでした。",
                           Answer("q", "資料には該当する記載が見つかりませんでした。", True), [card(0, "")])
    assert answer_text(declined).endswith("関連する可能性のある箇所:\n・青葉市協働のまちづくり計画（青葉市）／2 主な取組 > (1) ほたる祭りの開催／p.3")


def test_a_conversation_exports_as_markdown_and_text() -> None:
    answer = Answer("参加人数は？", "約300名 [1]。", False)
    messages = [ChatMessage("u", "user", "参加人数は？"), ChatMessage("a", "assistant", answer.text, answer, [card(1, "約300名")])]
    moment = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
    md = conversation_markdown("参加人数は？", messages, moment)
    assert md.startswith("# 参加人数は？\n\n書き出し: 2026-11-27 12:00（日本時間）")
    assert "## 質問1: 参加人数は？\n\n約300名 [1]。\n\n**出典**\n\n1. 青葉市協働のまちづくり計画（青葉市）" in md
    assert "   > 約300名" in md
    txt = conversation_text("参加人数は？", messages, moment)
    assert "質問1: 参加人数は？" in txt and "回答:\n約300名 [1]。\n\n出典:\n[1] 青葉市" in txt


def test_the_trace_reads_as_numbered_steps() -> None:
    trace = Trace(
        query={"answer_type": "count", "cities": ["緑町"], "subject": "雪かき"},
        standalone="緑町の雪かきの参加人数は？",
        passages=[{"title": "緑町雪かき事業報告", "section": "報告 > 1 事業の概要", "score": 0.9}],
        gates=[GateVerdict("off_topic", True)],
        strategy="value", strategy_reason="数が書かれた文で答えました。",
        chosen=[ChosenStatement("m.txt", "1", "延べ85人が参加しました。", 0.99, 0.87, True),
                ChosenStatement("m.txt", "1", "見出し", 0.0, 0.0, False)],
        outcome="answered",
    )
    steps = trace_steps(trace)
    labels = [label for label, _ in steps]
    assert labels[0] == "会話の流れ" and "質問の読み取り" in labels and "答え方" in labels
    assert ("見つかった箇所（上位1件）", ["緑町雪かき事業報告 — 1 事業の概要"]) in steps  # the section's last heading
    assert ("引用した文", ["「延べ85人が参加しました。」（質問との一致 87%）", "「見出し」"]) in steps
    md = trace_markdown(trace)
    assert md.startswith("**1. 会話の流れ**") and "**4. 答え方**　数が書かれた文で答えました。" in md
    assert "得点" not in md and "0.99" not in md


def test_metrics_say_which_way_is_better_and_hold_the_targets() -> None:
    targets = {k: (m.direction, m.target) for k, m in METRICS.items() if m.target is not None}
    assert targets == {
        "fact_accuracy": ("higher", 0.85), "citation_precision": ("higher", 0.95),
        "abstain_rate_unanswerable": ("higher", 0.8), "false_abstain_rate": ("lower", 0.05),
        "hit_at_5": ("higher", 0.95), "latency_p50_ms": ("lower", 100),
    }
    assert METRICS["false_abstain_rate"].met(0.04) and not METRICS["false_abstain_rate"].met(0.06)
    assert METRICS["fact_accuracy"].target_text == "≥ 0.85" and METRICS["latency_p50_ms"].target_text == "≤ 100 ms"
    assert all(m.explanation and "\n" not in m.explanation for m in METRICS.values())


def test_headings_lose_their_numbering_for_example_questions() -> None:
    for raw, clean in [("(1) 市民意識の啓発", "市民意識の啓発"), ("（４）地域に飛び出す行政職員の育成", "地域に飛び出す行政職員の育成"),
                       ("１．施策体系 １", "施策体系"), ("【後期推進計画】", "後期推進計画"), ("① 情報共有の推進", "情報共有の推進"),
                       ("基本方針1 協働のための人づくり", "協働のための人づくり"), ("3-3 地域協働体の位置付けと役割", "地域協働体の位置付けと役割"),
                       ("誰もが協働参画できる環境づくり ~基本方針1~", "誰もが協働参画できる環境づくり"), ("◆ 基本目標", "基本目標")]:
        assert clean_heading(raw) == clean, raw
