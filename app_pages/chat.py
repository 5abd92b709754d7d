"""チャット: questions answered from the documents, with their sources, kept conversations,
copy and export, the original behind each citation, feedback and gold items."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from app_pages.common import (
    chat_store,
    conversation_owner,
    feedback_store,
    require_assistant,
    settings,
    show_build_notice,
)
from assistant.documents import JST
from assistant.examples import example_questions
from assistant.explain import trace_markdown
from assistant.export import answer_text, conversation_markdown, conversation_text
from assistant.failures import explain
from assistant.limits import question_problem
from assistant.messages import RELATED_HEADING
from assistant.original import is_pdf, mime_type, original_file, render_page
from assistant.passage_view import line_window, structured_html
from assistant.pipeline import Assistant
from assistant.plain import plain
from assistant.retrieval import Filters
from assistant.staff_gold import (
    NOT_STATED,
    GoldDraftError,
    append_item,
    correction_record,
    draft_from_answer,
    facts_text,
    gold_record,
    staff_gold_path,
)
from assistant.types import Answer, Turn
from assistant.ui_state import (
    ChatMessage,
    SourceCard,
    answer_markdown,
    assistant_message,
    history,
    md_escape,
    new_message_id,
    passage_block,
)

MESSAGES = "messages"
CONVERSATION = "conversation_id"  # the stored conversation on screen (also ?c= in the URL)
QUERY_KEY = "c"
FAILED = "failed_questions"  # user message id -> why it got no answer (Japanese); it stays, to be sent again
RETRY = "retry_question"  # the id of the question 「もう一度送信」 was pressed for
PENDING = "pending_question"  # (question, without_history) asked by a button
NOTICE = "chat_notice"  # one message shown above the chat on the next run
NO_ANSWER = "回答を作成できませんでした。もう一度送信してください。続くときは管理者に連絡してください。"
CONTEXT_CHARS = 600  # document text shown either side of a quote (「文書の前後を表示」)
PAGE_IMAGE_WIDTH = 620  # a whole A4 page fits in the card without much scrolling
# A citation link [n] scrolls to its source card and opens it (the card is the expander
# right after the invisible anchor the link points to). A copy button puts its data-copy
# text on the clipboard (navigator.clipboard, or a selected textarea where the page is not
# a secure context).
PAGE_SCRIPT = """<script>
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
  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("button.copy-answer");
    if (!button) return;
    const text = button.dataset.copy;
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (error) {
      const area = document.createElement("textarea");
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      area.remove();
    }
    button.dataset.state = copied ? "copied" : "failed";
    button.textContent = copied ? "✅ コピーしました" : "コピーできませんでした";
    setTimeout(() => { button.textContent = button.dataset.label; delete button.dataset.state; }, 2500);
  }, true);
}
</script>"""
COPY_STYLE = (
    "font:inherit;font-size:0.85rem;padding:0.25rem 0.75rem;border-radius:0.5rem;cursor:pointer;"
    "border:1px solid rgba(49,51,63,0.2);background:transparent;color:inherit;line-height:1.6"
)
COPY_LABEL = "📋 出典付きでコピー"
INPUT_HINT = "例: 一関市の協働推進計画の期間は？"

cfg = settings()
chats = chat_store(cfg)
feedback = feedback_store(cfg)


def messages() -> list[ChatMessage]:
    return st.session_state.setdefault(MESSAGES, [])


def find_message(message_id: str) -> ChatMessage | None:
    return next((m for m in messages() if m.id == message_id), None)


def failed() -> dict[str, str]:
    return st.session_state.setdefault(FAILED, {})


def owner() -> str:
    return conversation_owner(cfg)


def request_retry(message_id: str) -> None:
    st.session_state[RETRY] = message_id


def request_question(question: str, without_history: bool = False) -> None:
    st.session_state[PENDING] = (question, without_history)


def draw_failure(message_id: str, text: str) -> None:
    """Under a question that got no answer: why, in Japanese, and a button to send it again."""
    st.error(plain(text), icon="⚠️")
    st.button("もう一度送信", key=f"retry-{message_id}", icon="🔁", on_click=request_retry, args=(message_id,))


# ----------------------------------------------------------------------------- conversations


def clear_conversation() -> None:
    st.session_state[MESSAGES] = []
    st.session_state[FAILED] = {}
    st.session_state[CONVERSATION] = None
    st.query_params.pop(QUERY_KEY, None)


def open_from_url() -> None:
    """The conversation in the URL (?c=) is the one on screen: a reload or a link reopens it;
    a page switch (which drops the query) keeps the open one."""
    wanted = st.query_params.get(QUERY_KEY)
    current = st.session_state.get(CONVERSATION)
    if wanted == current:
        return
    if not wanted:
        if current:
            st.query_params[QUERY_KEY] = current
        return
    loaded = chats.load(owner(), wanted)
    if loaded is None:
        clear_conversation()
        st.session_state[NOTICE] = "この会話は開けません（削除されたか、別のブラウザで作成された会話です）。"
        return
    st.session_state[MESSAGES] = loaded
    st.session_state[FAILED] = {}
    st.session_state[CONVERSATION] = wanted


def keep(message: ChatMessage) -> None:
    """Store a message's changed state (its rating, comment, gold item) with its conversation."""
    conversation = st.session_state.get(CONVERSATION)
    if conversation:
        chats.save_message(owner(), conversation, message)


def on_pick_conversation() -> None:
    picked = st.session_state.get("conversation-pick")
    if picked:
        st.query_params[QUERY_KEY] = picked


def delete_open_conversation() -> None:
    conversation = st.session_state.get(CONVERSATION)
    if conversation and chats.delete(owner(), conversation):
        st.session_state[NOTICE] = "会話を削除しました。"
    clear_conversation()


def conversation_list() -> None:
    """Sidebar: this browser's (or the signed-in user's) conversations; open or delete one."""
    st.divider()
    st.markdown("**会話の履歴**")
    listed = chats.list(owner())
    current = st.session_state.get(CONVERSATION)
    if not listed:
        st.caption("質問すると、会話がここに保存されます（このブラウザのみ）。")
        return
    ids = [c.id for c in listed]
    labels = {c.id: f"{c.updated_at.astimezone(JST):%m/%d %H:%M}　{c.title}" for c in listed}
    st.session_state["conversation-pick"] = current if current in ids else None
    st.radio("開く会話", ids, format_func=lambda i: plain(labels[i]), key="conversation-pick",
             label_visibility="collapsed", on_change=on_pick_conversation)
    if current in ids:
        export_buttons()
        with st.popover("この会話を削除", icon="🗑️", width="stretch"):
            st.markdown("開いている会話を削除します。元に戻せません。")
            st.button("削除する", type="primary", key="delete-conversation", on_click=delete_open_conversation)
    st.caption("会話はこのブラウザに結び付けて保存されます（日時は日本時間）。")


# ----------------------------------------------------------------------------- feedback


def on_rating(message_id: str) -> None:
    """st.feedback changed: store the rating (or change / withdraw the stored one)."""
    message = find_message(message_id)
    if message is None or message.answer is None:
        return
    value = st.session_state.get(f"fb-{message_id}")
    if value is None:
        if message.feedback_id is not None:
            feedback.delete(message.feedback_id)
        message.feedback_id, message.rating = None, None
        keep(message)
        return
    rating = 1 if value == 1 else -1
    answer = message.answer
    if message.feedback_id is None:
        message.feedback_id = feedback.record(
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
        feedback.update(message.feedback_id, rating=rating)
    message.rating = rating
    keep(message)
    st.toast("フィードバックを記録しました。ありがとうございます。", icon="📝")


def turns_before(message: ChatMessage) -> list[Turn]:
    """The conversation before the question `message` answers (what the question was asked with)."""
    if message.without_history:
        return []
    shown = [m for m in messages() if m.id not in failed()]
    at = next((i for i, m in enumerate(shown) if m.id == message.id), len(shown))
    return history(shown[: max(0, at - 1)])


def on_comment(message_id: str) -> None:
    message = find_message(message_id)
    if message is None or message.feedback_id is None or message.answer is None:
        return
    comment = st.session_state.get(f"fbc-{message_id}", "")
    correction = st.session_state.get(f"fbx-{message_id}", "").strip()
    feedback.update(message.feedback_id, comment=comment, correction=correction if message.rating == -1 else None)
    message.comment_saved = bool(comment.strip() or correction)
    if correction and message.rating == -1:
        try:
            record = correction_record(message.answer, turns_before(message), correction)
        except GoldDraftError as exc:
            st.session_state[f"fbmsg-{message_id}"] = ("warning", str(exc))
        else:
            append_item(cfg.data_dir, record)
            message.gold_id = record["id"]
            st.session_state[f"fbmsg-{message_id}"] = (
                "success", "訂正を評価用の質問に追加しました（今の回答では不合格になる項目です）。評価の画面で確認できます。")
    keep(message)


def feedback_row(message: ChatMessage) -> None:
    if message.rating is not None and f"fb-{message.id}" not in st.session_state:
        st.session_state[f"fb-{message.id}"] = 1 if message.rating == 1 else 0  # a reopened conversation
    st.feedback("thumbs", key=f"fb-{message.id}", on_change=on_rating, args=(message.id,))
    if message.feedback_id is not None:
        with st.form(f"fbc-form-{message.id}", border=False, enter_to_submit=True):
            st.text_input("コメント（任意）", key=f"fbc-{message.id}", placeholder="よかった点・足りない点・誤りなど")
            if message.rating == -1:
                st.text_input("正しい答え（任意）", key=f"fbx-{message.id}",
                              placeholder=f"例: 30名（資料に記載がないなら「{NOT_STATED}」）",
                              help="入力すると、この質問が評価用の質問（今の回答では不合格）として追加されます。")
            st.form_submit_button("コメントを送信", on_click=on_comment, args=(message.id,))
        if message.comment_saved:
            st.caption("コメントを保存しました。")
        shown = st.session_state.get(f"fbmsg-{message.id}")
        if shown:
            (st.success if shown[0] == "success" else st.warning)(plain(shown[1]))


# ----------------------------------------------------------------------------- gold items


def add_gold(message_id: str) -> None:
    message = find_message(message_id)
    if message is None or message.answer is None:
        return
    draft = draft_from_answer(message.answer, turns_before(message))
    unanswerable = bool(st.session_state.get(f"gold-na-{message_id}"))
    try:
        record = gold_record(draft, st.session_state.get(f"gold-facts-{message_id}", ""), unanswerable)
    except GoldDraftError as exc:
        st.session_state[f"goldmsg-{message_id}"] = ("warning", str(exc))
        return
    append_item(cfg.data_dir, record)
    message.gold_id = record["id"]
    keep(message)
    st.session_state[f"goldmsg-{message_id}"] = ("success", f"評価用の質問に追加しました（{record['id']}）。")


def gold_form(message: ChatMessage) -> None:
    """「評価用の質問に追加」: the question with the facts the answer should state (editable)."""
    answer = message.answer
    if answer is None:
        return
    draft = draft_from_answer(answer, turns_before(message))
    with st.popover("評価用の質問に追加", icon="🎯"):
        with st.form(f"gold-form-{message.id}", border=False):
            st.markdown(f"**質問**: {plain(answer.question)}")
            if draft.history:
                st.caption(f"前の会話（{len(draft.history)} 件）も一緒に保存します。")
            st.text_area("期待する事実（1行に1つ。言い換えは「／」で区切る）", value=facts_text(draft.facts),
                         key=f"gold-facts-{message.id}", height=90)
            st.checkbox(f"{NOT_STATED}（資料では答えられない質問）", value=answer.abstained, key=f"gold-na-{message.id}")
            if draft.sources:
                st.caption("出典: " + "、".join(plain(s) for s in draft.sources))
            st.form_submit_button("追加", type="primary", on_click=add_gold, args=(message.id,))
        st.caption(f"保存先: {plain(staff_gold_path(cfg.data_dir).name)}（評価の画面で使えます）")
    shown = st.session_state.get(f"goldmsg-{message.id}")
    if shown:
        (st.success if shown[0] == "success" else st.warning)(plain(shown[1]))


# ----------------------------------------------------------------------------- sources


@st.cache_data(max_entries=64, show_spinner="ページを描画しています…")
def page_png(path: str, modified_ns: int, page: int, quote: str) -> tuple[bytes, int, int, bool]:
    image = render_page(Path(path), page, quote)
    return image.png, image.page, image.pages, image.found


def read_bytes(path: Path):  # type: ignore[no-untyped-def]
    return lambda: path.read_bytes()


def draw_original(message: ChatMessage, card: SourceCard, i: int, bot: Assistant) -> None:
    """Under a card: the original file to download; a PDF's cited page as an image with the
    quote marked; other formats, the document around the quote."""
    path = original_file(cfg.corpus_dir, card.source)
    if path is None:
        st.caption("元のファイルは文書フォルダにありません（削除された可能性があります）。")
        return
    left, right = st.columns([1, 1], vertical_alignment="center")
    left.download_button("元のファイル", data=read_bytes(path), file_name=path.name, mime=mime_type(card.source),
                         icon="⬇️", key=f"orig-{message.id}-{i}", on_click="ignore")
    if is_pdf(card.source) and card.page:
        if right.toggle(f"元のページ（p.{card.page}）を表示", key=f"page-{message.id}-{i}"):
            png, page, pages, found = page_png(str(path), path.stat().st_mtime_ns, card.page, card.quote)
            note = "引用箇所を黄色で示しています。" if found else "このページでは引用箇所の位置を特定できませんでした。"
            st.image(png, caption=f"{path.name} の {page}/{pages} ページ。{note}", width=PAGE_IMAGE_WIDTH)
        return
    doc = bot.index.documents.get(card.source)
    if doc is None or not card.end:
        return
    if right.toggle("文書の前後を表示", key=f"ctx-{message.id}-{i}"):
        a, b = line_window(doc.text, card.start, card.end, CONTEXT_CHARS)
        spans = [(card.start - a, card.end - a)] if card.quote else []
        body = ("<p>…</p>" if a > 0 else "") + structured_html(doc.text[a:b], spans) + ("<p>…</p>" if b < len(doc.text) else "")
        st.html(passage_block(body, card.source))


def draw_cards(message: ChatMessage, bot: Assistant) -> None:
    for i, card in enumerate(message.cards):
        with st.container(gap=None):
            if card.n:  # the target of the answer's [n] link
                st.markdown(f'<span id="{card.anchor}"></span>', unsafe_allow_html=True)
            with st.expander(card.label, icon="📄" if card.n else "🔎"):
                st.html(card.html)
                draw_original(message, card, i, bot)


TRACE_TITLE = "回答の根拠（処理の流れ）"


def draw_trace(answer: Answer) -> None:
    """How the question was read, what was found, why it answered or declined: collapsed."""
    if answer.trace is None:
        return
    with st.expander(TRACE_TITLE, icon="🧭"):
        st.markdown(trace_markdown(answer.trace))


def copy_button(message: ChatMessage) -> None:
    text = answer_text(message)
    st.html(f'<button class="copy-answer" type="button" data-label="{COPY_LABEL}" data-copy="{html.escape(text)}" '
            f'title="回答と出典（題名・市・章節・ページ・引用）をコピーします" style="{COPY_STYLE}">{COPY_LABEL}</button>',
            width="content")


def draw_answer(message: ChatMessage, bot: Assistant) -> None:
    answer = message.answer
    if answer is None:
        st.markdown(md_escape(message.content))
        return
    if answer.standalone_question:
        st.info(f"前の会話を踏まえて「{plain(answer.standalone_question)}」として検索しました。", icon="↪️")
        st.button("元の質問のまま検索", key=f"raw-{message.id}", icon="🔁",
                  on_click=request_question, args=(answer.question, True),
                  help="前の会話を使わずに、入力したとおりの質問で検索し直します。")
    if answer.notice:
        st.info(plain(answer.notice), icon="ℹ️")
    if answer.abstained:
        st.warning(plain(answer.text), icon="🔍")  # says what was not found
        if message.cards:
            st.markdown(f"**{RELATED_HEADING}**")
            draw_cards(message, bot)
    else:
        st.markdown(answer_markdown(message))
        if answer.unsupported:
            st.caption("出典で確認できなかった文: " + " / ".join(plain(u) for u in answer.unsupported))
        st.markdown(f"**出典**（{len(message.cards)} 件）")
        draw_cards(message, bot)
    draw_trace(answer)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        copy_button(message)
        gold_form(message)
    feedback_row(message)


def draw_message(message: ChatMessage, bot: Assistant) -> None:
    with st.chat_message(message.role, avatar="🧑‍💼" if message.role == "user" else "🤝"):
        if message.role == "user":
            st.markdown(md_escape(message.content))
            if message.without_history:
                st.caption("前の会話を使わずに検索した質問です。")
        else:
            with st.container():  # as answer_turn draws a new answer: the same place in the page
                draw_answer(message, bot)
    if message.id in failed():
        with st.chat_message("assistant", avatar="🤝"):
            draw_failure(message.id, failed()[message.id])


def sidebar(bot: Assistant):  # type: ignore[no-untyped-def]
    """The search conditions, and a place for the conversation list (see the end of the page)."""
    index = bot.index
    with st.sidebar:
        history_slot = st.container()  # filled at the end of the run, when this turn is saved
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
    return Filters(cities=tuple(cities), sources=tuple(sources)), k, use_llm, history_slot


def save_turn(user: ChatMessage, reply: ChatMessage) -> None:
    """The first answered question starts a stored conversation (its title), the next ones join it."""
    who = owner()
    conversation = st.session_state.get(CONVERSATION)
    if not conversation:
        conversation = chats.create(who, user.content)
        st.session_state[CONVERSATION] = conversation
        st.query_params[QUERY_KEY] = conversation
    try:
        chats.append(who, conversation, [user, reply])
    except KeyError:  # deleted in another tab meanwhile: keep the turn in a new conversation
        conversation = chats.create(who, user.content)
        st.session_state[CONVERSATION] = conversation
        st.query_params[QUERY_KEY] = conversation
        chats.append(who, conversation, [user, reply])


def answer_turn(bot: Assistant, question: str, filters: Filters, without_history: bool = False) -> None:
    """Ask and draw the answer. On a failure the question stays in the conversation, with
    the reason in Japanese and 「もう一度送信」 under it (and out of the follow-up history)."""
    past = [] if without_history else history([m for m in messages() if m.id not in failed()])
    user = ChatMessage(new_message_id(), "user", question, without_history=without_history)
    messages().append(user)
    draw_message(user, bot)
    with st.chat_message("assistant", avatar="🤝"):
        final: list[Answer] = []
        slot = st.empty()  # the spinner, then the streamed text, then the answer as drawn on every run
        try:
            with slot, st.spinner("資料を検索しています…"):
                stream = bot.stream(question, past, filters)
                first = next(stream)

            def pieces() -> Iterator[str]:
                item: str | Answer | None = first
                while item is not None:
                    if isinstance(item, Answer):
                        final.append(item)
                        return
                    yield item
                    item = next(stream, None)

            slot.write_stream(pieces())
        except Exception as exc:  # the page must survive a failing question, and keep it
            slot.empty()  # no half answer
            failed()[user.id] = explain(exc, cfg)
            draw_failure(user.id, failed()[user.id])
            return
        if not final:
            failed()[user.id] = NO_ANSWER
            slot.empty()
            draw_failure(user.id, NO_ANSWER)
            return
        message = assistant_message(final[0], bot.index, bot.index.generation)
        message.without_history = without_history
        messages().append(message)
        save_turn(user, message)
        with slot.container():
            draw_answer(message, bot)


@st.cache_data(max_entries=8, show_spinner=False)
def examples_for(generation: str, settings_json: str, _bot: Assistant) -> list[str]:
    """Example questions of this index generation (checked to be answered), computed once."""
    return example_questions(_bot.index, lambda q: _bot.ask(q, use_llm=False))


def first_screen(bot: Assistant) -> None:
    """On an empty chat: what the assistant does, and example questions from the documents."""
    st.markdown(
        "協働推進計画や事業報告について、**資料の記載にもとづいて出典付きで**答えます。"
        "資料にないことには「資料には該当する記載が見つかりませんでした。」と答えます。"
    )
    examples = examples_for(bot.index.generation, bot.settings.model_dump_json(), bot)
    if not examples:
        return
    st.markdown("**質問の例**（索引にある文書から作っています。押すとそのまま質問します）")
    with st.container(horizontal=True, gap="small"):
        for n, question in enumerate(examples):
            st.button(question, key=f"example-{n}", icon="💡", on_click=request_question, args=(question,))
    st.caption("続けて「その計画の期間は？」のように質問できます。回答の出典カードを開くと、元の文書の該当箇所を確認できます。")


def header() -> None:
    head, button = st.columns([5, 1], vertical_alignment="bottom")
    head.title("協働推進計画アシスタント")
    if button.button("新しい会話", icon="🆕", key="new-chat", width="stretch"):
        clear_conversation()


def export_buttons() -> None:
    """Sidebar, under the open conversation: the whole conversation as Markdown or text."""
    shown = [m for m in messages() if m.id not in failed()]
    if not shown:
        return
    title = chats.title(owner(), st.session_state.get(CONVERSATION) or "") or "会話"
    with st.popover("この会話を書き出す", icon="⬇️", width="stretch"):
        st.caption("質問・回答・出典（題名・市・章節・ページ・引用）を書き出します。")
        st.download_button("Markdown（.md）", conversation_markdown(title, shown), file_name="会話.md",
                           mime="text/markdown", key="export-md", on_click="ignore", width="stretch")
        st.download_button("テキスト（.txt）", conversation_text(title, shown), file_name="会話.txt",
                           mime="text/plain", key="export-txt", on_click="ignore", width="stretch")


# ----------------------------------------------------------------------------- page

bot = require_assistant(cfg, st.session_state.get("k"), st.session_state.get("use_llm", True))
open_from_url()
filters, k, use_llm, history_slot = sidebar(bot)
bot = require_assistant(cfg, k, use_llm)

pending = st.session_state.pop(PENDING, None)
header()
# Everything that comes and goes above the conversation sits in one block, so the messages
# keep their place in the page from run to run (an open source card stays open).
with st.container():
    show_build_notice()
    if notice := st.session_state.pop(NOTICE, None):
        st.info(plain(notice), icon="ℹ️")
    intro = st.empty()  # the first screen: drawn last (its examples are asked once), cleared by a question
    active = [*filters.cities, *(bot.index.manifest.documents[s].title for s in filters.sources
                                 if s in bot.index.manifest.documents)]
    if active:
        st.caption("絞り込み中: " + "、".join(plain(a) for a in active))
    st.html(PAGE_SCRIPT, unsafe_allow_javascript=True)
retry = find_message(st.session_state.pop(RETRY, None) or "")
if retry is not None:  # 「もう一度送信」: the question moves to the end and is asked again
    messages().remove(retry)
    failed().pop(retry.id, None)
for past_message in messages():
    draw_message(past_message, bot)

if question := st.chat_input(f"質問を入力してください（{INPUT_HINT}）", key="question"):
    problem = question_problem(question, cfg)  # before the question joins the conversation
    if problem:
        st.warning(plain(problem), icon="✋")
    else:
        answer_turn(bot, question.strip(), filters)
elif retry is not None:
    answer_turn(bot, retry.content, filters, retry.without_history)
elif pending is not None:
    answer_turn(bot, pending[0], filters, without_history=pending[1])

with history_slot:  # after answering: a conversation started by this question is listed at once
    conversation_list()
if not messages() and pending is None:  # after the input box, so it shows while examples are prepared
    with intro.container():
        first_screen(bot)
