"""User-controlled text (file names, titles, questions, gold items) shown as plain text in
Streamlit's Markdown (st.markdown, st.info, st.caption, expander labels...).

`ui_state.md_escape` escapes inline syntax (emphasis, links, HTML, `$`); this adds the
block syntax a whole line can trigger (「- 」「1. 」「---」「> 」), keeps line breaks, and
stops bare URLs (「www.x.jp」「https://…」「a@b.jp」) from becoming links: Streamlit links
them even when escaped, so an invisible WORD JOINER (U+2060) goes before the 「.」「:」「@」.
Emoji short codes (「:smile:」) are the one thing Markdown escaping cannot stop; uploaded
file names never contain 「:」 (documents.safe_filename replaces it).
"""

from __future__ import annotations

import re

from assistant.ui_state import md_escape

_BLOCK_START = re.compile(r"^([ \t]*)(\d*)([-+=.)])")
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(www)(\.)|((?:https?|ftp|mailto|xmpp))(:)|(@)")


def plain(text: object) -> str:
    """Markdown that shows `text` as typed (with an invisible U+2060 inside bare URLs)."""
    escaped = _AUTOLINK.sub(lambda m: "".join((WORD_JOINER + g) if g in (".", ":", "@") else (g or "")
                                              for g in m.groups()), md_escape(str(text)))
    lines = escaped.split("\n")
    return "  \n".join(_BLOCK_START.sub(r"\1\2\\\3", line) for line in lines)
