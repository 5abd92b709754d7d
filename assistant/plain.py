"""User-controlled text (file names, titles, questions, gold items) shown as plain text in
Streamlit's Markdown (st.markdown, st.info, st.caption, expander labels...).

`ui_state.md_escape` escapes inline syntax (emphasis, links, HTML, `$`); this adds the
block syntax a whole line can trigger (「- 」「1. 」「---」「> 」) and keeps line breaks.
Emoji short codes (「:smile:」) are the one thing Markdown escaping cannot stop; uploaded
file names never contain 「:」 (documents.safe_filename replaces it).
"""

from __future__ import annotations

import re

from assistant.ui_state import md_escape

_BLOCK_START = re.compile(r"^([ \t]*)(\d*)([-+=.)])")


def plain(text: object) -> str:
    """Markdown that renders as exactly `text`."""
    lines = md_escape(str(text)).split("\n")
    return "  \n".join(_BLOCK_START.sub(r"\1\2\\\3", line) for line in lines)
