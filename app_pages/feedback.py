"""フィードバック: the 👍/👎 staff gave, with comments; export as CSV / JSONL."""

from __future__ import annotations

import streamlit as st

from app_pages.common import settings
from assistant.documents import format_time
from assistant.feedback import RATINGS, FeedbackStore

cfg = settings()
store = FeedbackStore(cfg.data_dir)

st.title("フィードバック")
st.caption(f"チャットの回答に付けられた評価です。保存先: `{store.path}`")

records = store.list_feedback()
if not records:
    st.info("まだフィードバックはありません。チャットの回答の下の 👍 / 👎 で記録できます。")
    st.stop()

good = sum(1 for r in records if r.rating == 1)
c1, c2, c3 = st.columns(3)
c1.metric("件数", len(records))
c2.metric("👍", good)
c3.metric("👎", len(records) - good)

only_bad = st.toggle("👎 だけを表示", key="only-bad")
shown = [r for r in records if r.rating == -1] if only_bad else records
st.dataframe(
    [
        {
            "日時": format_time(r.created_at),
            "評価": RATINGS[r.rating],
            "質問": r.question,
            "回答": r.answer,
            "出典": "、".join(f"[{c.get('n')}] {c.get('title') or c.get('source')}" for c in r.citations),
            "コメント": r.comment,
        }
        for r in shown
    ],
    hide_index=True,
    width="stretch",
)

left, right = st.columns(2)
left.download_button("CSV で書き出す", store.export_csv(), file_name="feedback.csv", mime="text/csv",
                     icon="⬇️", key="export-csv", on_click="ignore")
right.download_button("JSONL で書き出す", store.export_jsonl(), file_name="feedback.jsonl",
                      mime="application/jsonl", icon="⬇️", key="export-jsonl", on_click="ignore")
