"""Streamlit's own chrome, as staff need it and in Japanese.

`client.toolbarMode = "viewer"` (.streamlit/config.toml and `assistant serve`) already hides
the developer items (Deploy, Rerun, Clear cache). What remains is fixed English in
Streamlit's frontend: the ⋮ menu (Print, Record screen, About, the version line), the
hints under inputs (「Press Enter to apply」), the running indicator's Stop and the
connection-error dialog. This script hides the screen recorder (staff do not need it) and
translates the rest, only inside those parts of Streamlit, never the page's own content.
"""

from __future__ import annotations

import streamlit as st

from app_pages.page_translation import translation_script

ABOUT = (
    "**協働推進計画アシスタント**\n\n"
    "協働推進計画や事業報告について、資料の記載にもとづいて出典付きで答えます。"
    "資料にないことには「資料には該当する記載が見つかりませんでした。」と答えます。"
)

CHROME_STYLE = """<style>
[data-testid="stMainMenuItem-recordScreencast"] { display: none !important; }
</style>"""
CHROME_SCOPES = [
    '[data-testid="stMainMenuPopover"]', '[data-testid="InputInstructions"]',
    '[data-testid="stStatusWidget"]', '[data-testid="stConnectionStatus"]', '[role="dialog"]',
]
CHROME_RULES = r"""
    [/^Print$/, () => "印刷"],
    [/^About$/, () => "このアプリについて"],
    [/^Made with Streamlit v$/, () => "動作環境: Streamlit v"],  // the version follows in its own text node
    [/^Made with Streamlit v(.+)$/, (m) => `動作環境: Streamlit v${m[1]}`],
    [/^Copy version to clipboard$/, () => "バージョンをコピー"],
    [/^Press Enter to apply$/, () => "Enter で確定"],
    [/^Press Enter to submit form$/, () => "Enter で送信"],
    [/^Press (⌘|Ctrl)\+Enter to apply$/, (m) => `${m[1]}+Enter で確定`],
    [/^Press (⌘|Ctrl)\+Enter to submit form$/, (m) => `${m[1]}+Enter で送信`],
    [/^Stop$/, () => "停止"],
    [/^Stopping\.\.\.$/, () => "停止しています…"],
    [/^Running\.\.\.$/, () => "実行中…"],
    [/^Connecting$/, () => "接続中"],
    [/^Connection error$/, () => "サーバーに接続できません"],
    [/^(Is Streamlit still running\?|Streamlit server is not responding)/,
      () => "サーバーに接続できません。しばらく待ってからページを再読み込みしてください。続くときは管理者に連絡してください。"],
    [/^streamlit run yourscript\.py$/, () => "make run"],
    [/^Close$/, () => "閉じる"],
"""
CHROME_SCRIPT = CHROME_STYLE + translation_script("__japaneseChrome", CHROME_SCOPES, CHROME_RULES, attributes=True)


def japanese_chrome() -> None:
    """Call once per run (app.py), before the page."""
    st.html(CHROME_SCRIPT, unsafe_allow_javascript=True)
