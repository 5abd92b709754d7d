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

ABOUT = (
    "**協働推進計画アシスタント**\n\n"
    "協働推進計画や事業報告について、資料の記載にもとづいて出典付きで答えます。"
    "資料にないことには「資料には該当する記載が見つかりませんでした。」と答えます。"
)

CHROME_SCRIPT = """<style>
[data-testid="stMainMenuItem-recordScreencast"] { display: none !important; }
</style>
<script>
if (!window.__japaneseChrome) {
  window.__japaneseChrome = true;
  const scopes = [
    '[data-testid="stMainMenuPopover"]', '[data-testid="InputInstructions"]',
    '[data-testid="stStatusWidget"]', '[data-testid="stConnectionStatus"]', '[role="dialog"]',
  ];
  const rules = [
    [/^Print$/, () => "印刷"],
    [/^About$/, () => "このアプリについて"],
    [/^Made with Streamlit v$/, () => "動作環境: Streamlit v"],  // the version follows in its own text node
    [/^Made with Streamlit v(.+)$/, (m) => `動作環境: Streamlit v${m[1]}`],
    [/^Copy version to clipboard$/, () => "バージョンをコピー"],
    [/^Press Enter to apply$/, () => "Enter で確定"],
    [/^Press Enter to submit form$/, () => "Enter で送信"],
    [/^Press (⌘|Ctrl)\\+Enter to apply$/, (m) => `${m[1]}+Enter で確定`],
    [/^Press (⌘|Ctrl)\\+Enter to submit form$/, (m) => `${m[1]}+Enter で送信`],
    [/^Stop$/, () => "停止"],
    [/^Stopping\\.\\.\\.$/, () => "停止しています…"],
    [/^Running\\.\\.\\.$/, () => "実行中…"],
    [/^Connecting$/, () => "接続中"],
    [/^Connection error$/, () => "サーバーに接続できません"],
    [/^(Is Streamlit still running\\?|Streamlit server is not responding)/,
      () => "サーバーに接続できません。しばらく待ってからページを再読み込みしてください。続くときは管理者に連絡してください。"],
    [/^streamlit run yourscript\\.py$/, () => "make run"],
    [/^Close$/, () => "閉じる"],
  ];
  const translate = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.trim();
      for (const [pattern, replace] of rules) {
        const m = text.match(pattern);
        if (m) { node.nodeValue = replace(m); break; }
      }
    }
    root.querySelectorAll("[title], [aria-label]").forEach((el) => {
      for (const name of ["title", "aria-label"]) {
        const value = el.getAttribute(name);
        if (!value) continue;
        for (const [pattern, replace] of rules) {
          const m = value.match(pattern);
          if (m) { el.setAttribute(name, replace(m)); break; }
        }
      }
    });
  };
  const run = () => scopes.forEach((s) => document.querySelectorAll(s).forEach(translate));
  new MutationObserver(run).observe(document.body, {subtree: true, childList: true, characterData: true});
  run();
}
</script>"""


def japanese_chrome() -> None:
    """Call once per run (app.py), before the page."""
    st.html(CHROME_SCRIPT, unsafe_allow_javascript=True)
