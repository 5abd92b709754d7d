"""Streamlit's file uploader, in Japanese.

The widget's own texts and refusals are English and fixed in its frontend ("Drag and drop
files here", "File must be 20.0MB or smaller."). The page validates files itself
(`assistant.documents.upload_problem`, no `type=` on the widget) and this script replaces
the widget's remaining English on the page, as the chat page's link script does.
"""

from __future__ import annotations

import streamlit as st

from app_pages.page_translation import translation_script

UPLOADER_RULES = r"""
    [/^Drag and drop (files|a file) here$/, () => "ここにファイルをドラッグ＆ドロップ"],
    [/^(.+) per file$/, (m) => `1ファイル ${m[1]} まで`],
    [/^Upload$/, () => "ファイルを選択"],
    [/^Add files$/, () => "ファイルを追加"],
    [/^File must be (.+) or smaller\.$/, (m) => `ファイルが大きすぎるため追加できません（上限 ${m[1]}）。小さくするか分割してください。`],
    [/files are not allowed\.$/, () => "この形式のファイルは追加できません。"],
    [/^File type must be /, () => "この形式のファイルは追加できません。"],
    [/^Upload failed$/, () => "アップロードできませんでした。もう一度選んでください。"],
    [/^Unexpected error\. Please try again\.$/, () => "予期しないエラーです。もう一度選んでください。"],
    [/^Click to retry upload$/, () => "クリックすると再送します"],
    [/^Error:$/, () => "エラー: "],
"""
UPLOADER_SCRIPT = translation_script("__japaneseUploader", ['[data-testid="stFileUploader"]'], UPLOADER_RULES)


def japanese_uploader() -> None:
    """Call once on a page with a file uploader (before or after it)."""
    st.html(UPLOADER_SCRIPT, unsafe_allow_javascript=True)
