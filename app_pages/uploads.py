"""Streamlit's file uploader, in Japanese.

The widget's own texts and refusals are English and fixed in its frontend ("Drag and drop
files here", "File must be 20.0MB or smaller."). The page validates files itself
(`assistant.documents.upload_problem`, no `type=` on the widget) and this script replaces
the widget's remaining English on the page, as the chat page's link script does.
"""

from __future__ import annotations

import streamlit as st

UPLOADER_SCRIPT = """<script>
if (!window.__japaneseUploader) {
  window.__japaneseUploader = true;
  const rules = [
    [/^Drag and drop (files|a file) here$/, () => "ここにファイルをドラッグ＆ドロップ"],
    [/^(.+) per file$/, (m) => `1ファイル ${m[1]} まで`],
    [/^Upload$/, () => "ファイルを選択"],
    [/^Add files$/, () => "ファイルを追加"],
    [/^File must be (.+) or smaller\\.$/, (m) => `ファイルが大きすぎるため追加できません（上限 ${m[1]}）。小さくするか分割してください。`],
    [/files are not allowed\\.$/, () => "この形式のファイルは追加できません。"],
    [/^File type must be /, () => "この形式のファイルは追加できません。"],
    [/^Upload failed$/, () => "アップロードできませんでした。もう一度選んでください。"],
    [/^Unexpected error\\. Please try again\\.$/, () => "予期しないエラーです。もう一度選んでください。"],
    [/^Click to retry upload$/, () => "クリックすると再送します"],
    [/^Error:$/, () => "エラー: "],
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
  };
  const run = () => document.querySelectorAll('[data-testid="stFileUploader"]').forEach(translate);
  new MutationObserver(run).observe(document.body, {subtree: true, childList: true, characterData: true});
  run();
}
</script>"""


def japanese_uploader() -> None:
    """Call once on a page with a file uploader (before or after it)."""
    st.html(UPLOADER_SCRIPT, unsafe_allow_javascript=True)
