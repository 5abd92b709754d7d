"""チャット: questions answered from the documents, with their sources and feedback."""

from __future__ import annotations

from collections.abc import Iterator

import streamlit as st

from app_pages.common import require_assistant, settings, show_build_notice
from assistant.failures import explain
from assistant.feedback import FeedbackStore
from assistant.limits import question_problem
from assistant.messages import RELATED_HEADING
from assistant.pipeline import Assistant
from assistant.plain import plain
from assistant.retrieval import Filters
from assistant.types import Answer
from assistant.ui_state import (
    ChatMessage,
    answer_markdown,
    assistant_message,
    history,
    md_escape,
    new_message_id,
)

MESSAGES = "messages"
FAILED = "failed_questions"  # user message id -> why it got no answer (Japanese); it stays, to be sent again
RETRY = "retry_question"  # the id of the question 「もう一度送信」 was pressed for
NO_ANSWER = "回答を作成できませんでした。もう一度送信してください。続くときは管理者に連絡してください。"
# A citation link [n] scrolls to its source card and opens it (the card is the expander
# right after the invisible anchor the link points to).
OPEN_CARD_SCRIPT = """<script>
if (!window.__sourceCardLinks) {
  window.__sourceCardLinks = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#src-"]');
    if (!link) return;
    const anchor = document.getElementById(link.getAttribute("href").slice(1));
    const holder = anchor && anchor.closest('[data-testid="stElementContainer"]');
    const card = holder && holder.nextElementSibling && holder.nextElementSibling.querySelector("details");
    if (!card) return;
    event.preventDefault();
    if (!card.open) card.querySelector("summary").click();
    card.scrollIntoView({behavior: "smooth", block: "center"});
  }, true);
}
</script>"""
EXAMPLES = "例: 一関市の協働推進計画の期間は？"

cfg = settings()


def messages() -> list[ChatMessage]:
    return st.session_state.setdefault(MESSAGES, [])


def find_message(message_id: str) -> ChatMessage | None:
    return next((m for m in messages() if m.id == message_id), None)


def failed() -> dict[str, str]:
    return st.session_state.setdefault(FAILED, {})


def request_retry(message_id: str) -> None:
    st.session_state[RETRY] = message_id


def draw_failure(message_id: str, text: str) -> None:
    """Under a question that got no answer: why, in Japanese, and a button to send it again."""
    st.error(plain(text), icon="⚠️")
    st.button("もう一度送信", key=f"retry-{message_id}", icon="🔁", on_click=request_retry, args=(message_id,))


# ----------------------------------------------------------------------------- feedback


def on_rating(message_id: str) -> None:
    """st.feedback changed: store the rating (or change / withdraw the stored one)."""
    message = find_message(message_id)
    if message is None or message.answer is None:
        return
    value = st.session_state.get(f"fb-{message_id}")
    store = FeedbackStore(cfg.data_dir)
    if value is None:
        if message.feedback_id is not None:
            store.delete(message.feedback_id)
        message.feedback_id, message.rating = None, None
        return
    rating = 1 if value == 1 else -1
    answer = message.answer
    if message.feedback_id is None:
        message.feedback_id = store.record(
            question=answer.question,
            answer_text=answer.text,
            citations=answer.citations,
            rating=rating,
            standalone_question=answer.standalone_question,
            mode=answer.mode,
            abstained=answer.abstained,
            generation=message.generation,
        )
    else:
        store.update(message.feedback_id, rating=rating)
    message.rating = rating
    st.toast("フィードバックを記録しました。ありがとうございます。", icon="📝")


def on_comment(message_id: str) -> None:
    message = find_message(message_id)
    comment = st.session_state.get(f"fbc-{message_id}", "")
    if message is None or message.feedback_id is None:
        return
    FeedbackStore(cfg.data_dir).update(message.feedback_id, comment=comment)
    message.comment_saved = bool(comment.strip())


def feedback_row(message: ChatMessage) -> None:
    st.feedback("thumbs", key=f"fb-{message.id}", on_change=on_rating, args=(message.id,))
    if message.feedback_id is not None:
        with st.form(f"fbc-form-{message.id}", border=False, enter_to_submit=True):
            st.text_input(
                "コメント（任意）",
                key=f"fbc-{message.id}",
                placeholder="よかった点・足りない点・誤りなど",
            )
            st.form_submit_button("コメントを送信", on_click=on_comment, args=(message.id,))
        if message.comment_saved:
            st.caption("コメントを保存しました。")


# ----------------------------------------------------------------------------- drawing


def draw_cards(message: ChatMessage) -> None:
    for card in message.cards:
        with st.container(gap=None):
            if card.n:  # the target of the answer's [n] link
                st.markdown(f'<span id="{card.anchor}"></span>', unsafe_allow_html=True)
            with st.expander(card.label, icon="📄" if card.n else "🔎"):
                st.html(card.html)


TRACE_TITLE = "回答の根拠（処理の流れ）"


def draw_trace(answer: Answer) -> None:
    """How the question was read, what was found, why it answered or declined: collapsed."""
    if answer.trace is None:
        return
    with st.expander(TRACE_TITLE, icon="🧭"):
        st.markdown("\n".join(f"- {md_escape(line)}" for line in answer.trace.lines_ja()))


def draw_answer(message: ChatMessage) -> None:
    answer = message.answer
    if answer is None:
        st.markdown(md_escape(message.content))
        return
    if answer.standalone_question:
        st.caption(f"検索に使った質問: {plain(answer.standalone_question)}")
    if answer.notice:
        st.info(plain(answer.notice), icon="ℹ️")
    if answer.abstained:
        st.warning(plain(answer.text), icon="🔍")  # says what was not found
        if message.cards:
            st.markdown(f"**{RELATED_HEADING}**")
            draw_cards(message)
        draw_trace(answer)
    else:
        st.markdown(answer_markdown(message))
        if answer.unsupported:
            st.caption("出典で確認できなかった文: " + " / ".join(plain(u) for u in answer.unsupported))
        st.markdown(f"**出典**（{len(message.cards)} 件）")
        draw_cards(message)
        draw_trace(answer)
    feedback_row(message)


def draw_message(message: ChatMessage) -> None:
    with st.chat_message(message.role, avatar="🧑‍💼" if message.role == "user" else "🤝"):
        if message.role == "user":
            st.markdown(md_escape(message.content))
        else:
            draw_answer(message)
    if message.id in failed():
        with st.chat_message("assistant", avatar="🤝"):
            draw_failure(message.id, failed()[message.id])


def sidebar(bot: Assistant) -> tuple[Filters, int, bool]:
    index = bot.index
    with st.sidebar:
        st.divider()
        st.markdown("**検索の条件**")
        cities = st.multiselect("市で絞り込む", index.cities, key="filter_cities", placeholder="すべての市")
        titles = {s: d.title for s, d in index.manifest.documents.items()}
        sources = st.multiselect(
            "文書で絞り込む",
            sorted(titles, key=lambda s: titles[s]),
            format_func=lambda s: titles.get(s, s),
            key="filter_sources",
            placeholder="すべての文書",
        )
        k = st.slider("参照する箇所の数", 1, 30, cfg.retrieval.k, key="k")
        use_llm = False
        if cfg.llm.enabled:
            use_llm = st.toggle(f"LLM（{cfg.llm.model}）で回答を作成", value=True, key="use_llm",
                                help="オフにすると、資料の文をそのまま引用して答えます。")
    return Filters(cities=tuple(cities), sources=tuple(sources)), k, use_llm


def answer_turn(bot: Assistant, question: str, filters: Filters) -> None:
    """Ask and draw the answer. On a failure the question stays in the conversation, with
    the reason in Japanese and 「もう一度送信」 under it (and out of the follow-up history)."""
    past = history([m for m in messages() if m.id not in failed()])
    user = ChatMessage(new_message_id(), "user", question)
    messages().append(user)
    draw_message(user)
    with st.chat_message("assistant", avatar="🤝"):
        final: list[Answer] = []
        slot = None
        try:
            with st.status("資料を検索しています…", expanded=False) as status:
                stream = bot.stream(question, past, filters)
                try:
                    first = next(stream)
                except Exception:
                    status.update(label="回答を作成できませんでした", state="error")
                    raise
                status.update(label="資料を検索しました", state="complete")

            def pieces() -> Iterator[str]:
                item: str | Answer | None = first
                while item is not None:
                    if isinstance(item, Answer):
                        final.append(item)
                        return
                    yield item
                    item = next(stream, None)

            slot = st.empty()
            slot.write_stream(pieces())
        except Exception as exc:  # the page must survive a failing question, and keep it
            if slot is not None:
                slot.empty()  # no half answer
            failed()[user.id] = explain(exc, cfg)
            draw_failure(user.id, failed()[user.id])
            return
        if not final:
            failed()[user.id] = NO_ANSWER
            slot.empty()  # type: ignore[union-attr]
            draw_failure(user.id, NO_ANSWER)
            return
        message = assistant_message(final[0], bot.index, bot.index.generation)
        messages().append(message)
        with slot.container():
            draw_answer(message)


# ----------------------------------------------------------------------------- page

bot = require_assistant(cfg, st.session_state.get("k"), st.session_state.get("use_llm", True))
filters, k, use_llm = sidebar(bot)
bot = require_assistant(cfg, k, use_llm)

head, button = st.columns([5, 1], vertical_alignment="bottom")
head.title("協働推進計画アシスタント")
if button.button("新しい会話", icon="🆕", key="new-chat", width="stretch"):
    st.session_state[MESSAGES] = []
    st.session_state[FAILED] = {}
show_build_notice()
if not messages():
    st.caption(
        "協働推進計画や事業報告について、資料の記載にもとづいて出典付きで答えます。"
        "資料にないことには「資料には該当する記載が見つかりませんでした。」と答えます。"
    )
active = [*filters.cities, *(bot.index.manifest.documents[s].title for s in filters.sources
                             if s in bot.index.manifest.documents)]
if active:
    st.caption("絞り込み中: " + "、".join(plain(a) for a in active))

st.html(OPEN_CARD_SCRIPT, unsafe_allow_javascript=True)
retry = find_message(st.session_state.pop(RETRY, None) or "")
if retry is not None:  # 「もう一度送信」: the question moves to the end and is asked again
    messages().remove(retry)
    failed().pop(retry.id, None)
for past_message in messages():
    draw_message(past_message)

if question := st.chat_input(f"質問を入力してください（{EXAMPLES}）", key="question"):
    problem = question_problem(question, cfg)  # before the question joins the conversation
    if problem:
        st.warning(plain(problem), icon="✋")
    else:
        answer_turn(bot, question.strip(), filters)
elif retry is not None:
    answer_turn(bot, retry.content, filters)
