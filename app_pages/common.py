"""Shared pieces of the pages: settings, the cached assistant, index status and updates."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from assistant.access import DocumentAccess, document_access, verify_password
from assistant.chat_store import ChatStore, new_browser_id, owner_key, valid_browser_id
from assistant.db import Database, open_database
from assistant.feedback import FeedbackStore, import_legacy_feedback
from assistant.failures import explain
from assistant.index import EmbedderMismatch, Index, IndexNotFound
from assistant.indexer import IndexBusy, IndexReport, build_index
from assistant.pipeline import Assistant
from assistant.plain import plain
from assistant.progress import clock_text, remaining_seconds
from assistant.settings import LLMSettings, Settings, SettingsError, load_settings
from assistant.store import Manifest, current_generation, read_manifest
from assistant.ui_state import index_status

REPO = Path(__file__).resolve().parents[1]
WARM_UP_QUESTION = "協働推進計画の期間は？"
JUST_BUILT = "index_just_built"  # shown once above the chat after building from there
ADMIN = "admin_signed_in"  # this browser session has signed in as administrator
ADMIN_USER = "admin"  # the one account of the administrator sign-in (assistant/access.py)
BROWSER = "browser_id"  # this browser's id (kept in a cookie): whose conversations these are
BROWSER_COOKIE = "assistant_browser"
STAGES = {"load": "文書を読み込んでいます", "embed": "埋め込みを計算しています"}


def settings() -> Settings:
    """Settings from the environment (ASSISTANT_*); a bad setting stops the page with its name."""
    try:
        return load_settings()
    except SettingsError as exc:
        st.error(f"設定を読み込めませんでした。\n\n{exc}")
        st.stop()
        raise  # unreachable: st.stop() raises


def manifest(cfg: Settings) -> tuple[str | None, Manifest | None]:
    generation = current_generation(cfg.index_dir)
    if not generation:
        return None, None
    try:
        return generation, read_manifest(cfg.index_dir, generation)
    except (OSError, ValueError, TypeError):
        return generation, None


@st.cache_resource(max_entries=2, show_spinner="索引を読み込んでいます…")
def _index(index_dir: str, generation: str, embedder: str, chroma_url: str | None, backend: str, _cfg: Settings) -> Index:
    """The embedder, vectors (array or Chroma collection) and keyword index of one generation, loaded once."""
    index = Index(_cfg, generation)
    Assistant(_cfg, index=index).ask(WARM_UP_QUESTION, use_llm=False)  # the first real question is then fast
    return index


@st.cache_resource(max_entries=8, show_spinner=False)
def _assistant(index_dir: str, generation: str, settings_json: str, _cfg: Settings) -> Assistant:
    """One per generation and settings (passages k, LLM on/off); they share the index."""
    return Assistant(_cfg, index=_index(index_dir, generation, _cfg.embedder, _cfg.chroma_url, _cfg.vectors.backend, _cfg))


def assistant(cfg: Settings, k: int | None = None, use_llm: bool = True) -> Assistant:
    """The assistant for the current index generation (a rebuilt index is picked up at once).

    Raises IndexNotFound / EmbedderMismatch.
    """
    generation = current_generation(cfg.index_dir)
    if not generation:
        raise IndexNotFound(f"索引がありません（{cfg.index_dir}）。")
    update: dict[str, object] = {"retrieval": cfg.retrieval.model_copy(update={"k": k or cfg.retrieval.k})}
    if not use_llm:
        update["llm"] = LLMSettings()
    tuned = cfg.model_copy(update=update)
    return _assistant(str(Path(cfg.index_dir).resolve()), generation, tuned.model_dump_json(), tuned)


def require_assistant(cfg: Settings, k: int | None = None, use_llm: bool = True) -> Assistant:
    """The assistant, or a Japanese explanation with a button to build the index (and stop)."""
    try:
        return assistant(cfg, k, use_llm)
    except IndexNotFound:
        st.warning(
            "まだ索引がありません。文書フォルダ"
            f"（`{cfg.corpus_dir}`）の文書から索引を作成すると、質問できるようになります。"
        )
        label, rebuild = "索引を作成", False
    except EmbedderMismatch as exc:
        st.error(f"索引を使えません: {plain(exc)}")
        label, rebuild = "索引を作り直す", True
    except Exception as exc:  # e.g. the Chroma server is down: say so, in Japanese, and stop
        st.error(plain(explain(exc, cfg)), icon="⚠️")
        st.stop()
        raise AssertionError("unreachable") from exc
    if not may_change_documents(cfg):
        st.stop()
    if st.button(label, type="primary", key="build-index"):
        report = update_index(cfg, rebuild=rebuild)
        if report is not None:
            st.session_state["index_report"] = st.session_state[JUST_BUILT] = report
            st.rerun()
    show_last_report()
    st.stop()
    raise AssertionError("unreachable")


def update_index(cfg: Settings, rebuild: bool = False) -> IndexReport | None:
    """Run an (incremental) index update with a progress bar; errors are shown, not raised."""
    bar = st.progress(0.0, text="索引の更新を始めます…")
    started: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        share = (0.0, 0.25) if stage == "load" else (0.25, 1.0)
        fraction = done / total if total else 1.0
        elapsed = time.monotonic() - started.setdefault(stage, time.monotonic())
        left = remaining_seconds(done, total, elapsed)
        eta = f"、残り約 {clock_text(left)}" if left is not None and done < total else ""
        bar.progress(share[0] + (share[1] - share[0]) * fraction,
                     text=f"{STAGES.get(stage, stage)}（{done}/{total}{eta}）")

    try:
        report = build_index(cfg, rebuild=rebuild, progress=progress)
    except IndexBusy as exc:
        bar.empty()
        st.error(str(exc))
        return None
    except Exception as exc:  # a Chroma server that is down, a disk that is full, ...
        bar.empty()
        st.error(f"索引を更新できませんでした。{plain(explain(exc, cfg))}", icon="⚠️")
        return None
    bar.progress(1.0, text="索引を更新しました")
    return report


def report_text(report: IndexReport) -> str:
    return (
        f"索引を更新しました: 追加 {len(report.added)} 件 / 更新 {len(report.updated)} 件 / "
        f"削除 {len(report.removed)} 件 / 変更なし {len(report.unchanged)} 件"
        f"（チャンク {report.chunks} 件、{report.seconds:.1f} 秒）"
    )


def show_last_report(show_failures: bool = True) -> None:
    """The result of the last index update in this session (kept across reruns)."""
    report: IndexReport | None = st.session_state.get("index_report")
    if report is None:
        return
    if report.notice:
        st.info(plain(report.notice))
    st.success(report_text(report), icon="✅")
    if show_failures:
        for source, reason in sorted(report.failed.items()):
            st.error(failure_text(source, reason), icon="⚠️")


def failure_text(source: str, reason: str) -> str:
    """「読み込めなかった文書: <name> — <reason>」 as Markdown that shows the name as typed."""
    return f"読み込めなかった文書: {plain(source)} — {plain(reason)}"


def show_build_notice() -> None:
    report: IndexReport | None = st.session_state.pop(JUST_BUILT, None)
    if report is not None:
        st.success(report_text(report), icon="✅")
        for source, reason in sorted(report.failed.items()):
            st.error(failure_text(source, reason), icon="⚠️")


# ----------------------------------------------------------------------------- administrator


def bound_address() -> str | None:
    """The address this server really listens on (None or "" = every interface)."""
    return st.get_option("server.address")


def access(cfg: Settings) -> DocumentAccess:
    return document_access(cfg, bound_address())


def may_change_documents(cfg: Settings) -> bool:
    """True when this session may upload, delete or re-index; else draws why (refusal, or the
    administrator sign-in form) and returns False. Readers can always ask."""
    rule = access(cfg)
    if rule.mode == "open":
        return True
    if rule.mode == "refused":
        st.warning(plain(rule.message), icon="🔒")
        return False
    if st.session_state.get(ADMIN):
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.caption("管理者としてサインインしています。")
        if right.button("サインアウト", key="admin-sign-out"):
            st.session_state.pop(ADMIN, None)
            st.rerun()
        return True
    st.info(plain(rule.message), icon="🔒")
    with st.form("admin-sign-in", border=True, clear_on_submit=True):
        password = st.text_input("管理者パスワード", type="password", key="admin-password")
        if st.form_submit_button("サインイン"):
            if verify_password(password, cfg):
                st.session_state[ADMIN] = True
                st.rerun()
            time.sleep(1.0)  # a wrong guess costs time
            st.error("パスワードが違います。もう一度入力してください。", icon="⚠️")
    return False


def sidebar_status(cfg: Settings) -> None:
    with st.sidebar:
        generation, mf = manifest(cfg)
        st.markdown("**索引の状態**")
        if mf is None:
            st.caption("索引がありません。" if generation is None else "索引を読めません。")
            return
        st.markdown("\n".join(f"- {label}: {value}" for label, value in index_status(mf, cfg)))


# ----------------------------------------------------------------------------- database, owner


_imported: set[str] = set()


def database(cfg: Settings) -> Database:
    """The page's database (conversations, feedback); the old feedback file is imported once."""
    db = open_database(cfg)
    key = str(Path(cfg.data_dir).resolve())
    if key not in _imported:
        _imported.add(key)
        import_legacy_feedback(db, cfg.data_dir)
    return db


def feedback_store(cfg: Settings) -> FeedbackStore:
    return FeedbackStore(database(cfg))


def chat_store(cfg: Settings) -> ChatStore:
    return ChatStore(database(cfg))


def browser_id() -> str:
    """This browser's id: from its cookie, else a new one (`keep_browser_cookie` stores it)."""
    known = st.session_state.get(BROWSER)
    if not valid_browser_id(known):
        known = _cookie() or new_browser_id()
        st.session_state[BROWSER] = known
    return known


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(BROWSER_COOKIE)
    except Exception:  # noqa: BLE001 - no browser behind this session (AppTest)
        return None
    return value if valid_browser_id(value) else None


def keep_browser_cookie() -> None:
    """Once per run (app.py): a browser without the cookie gets it, so a reload keeps its id."""
    known = browser_id()
    if _cookie() != known:  # hex only (checked): safe inside the script
        st.html(f'<script>document.cookie = "{BROWSER_COOKIE}={known}; path=/; max-age=31536000; SameSite=Lax";'
                "</script>", unsafe_allow_javascript=True)


def conversation_owner(cfg: Settings) -> str:
    """Whose conversations the page shows: the signed-in administrator's, else this browser's."""
    user = ADMIN_USER if cfg.admin_password_hash is not None and st.session_state.get(ADMIN) else None
    return owner_key(browser_id(), user)
