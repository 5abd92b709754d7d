"""フィードバック: the 👍/👎 staff gave, with comments and corrections; export as CSV / JSONL."""

from __future__ import annotations

import streamlit as st

from app_pages.common import feedback_store, settings
from assistant.documents import format_time
from assistant.feedback import RATINGS

cfg = settings()
store = feedback_store(cfg)

st.title("フィードバック")
st.caption(f"チャットの回答に付けられた評価です。日時はすべて日本時間（JST）です（書き出すファイルも同じ）。"
           f"保存先: `{store.db.describe()}`")

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
# What staff wrote comes first, so it is on screen without scrolling sideways.
st.dataframe(
    [
        {
            "日時（JST）": format_time(r.created_at),
            "評価": RATINGS[r.rating],
            "コメント": r.comment,
            "正しい答え": r.correction or "",
            "質問": r.question,
            "回答": r.answer,
            "出典": "、".join(f"[{c.get('n')}] {c.get('title') or c.get('source')}" for c in r.citations),
        }
        for r in shown
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "日時（JST）": st.column_config.TextColumn(width=130),
        "評価": st.column_config.TextColumn(width=50),
        "コメント": st.column_config.TextColumn(width=240),
        "正しい答え": st.column_config.TextColumn(width=140),
        "質問": st.column_config.TextColumn(width=240),
        "回答": st.column_config.TextColumn(width=300),
        "出典": st.column_config.TextColumn(width=240),
    },
)

left, right = st.columns(2)
left.download_button("CSV で書き出す（日本時間）", store.export_csv(), file_name="feedback.csv", mime="text/csv",
                     icon="⬇️", key="export-csv", on_click="ignore")
right.download_button("JSONL で書き出す（日本時間）", store.export_jsonl(), file_name="feedback.jsonl",
                      mime="application/jsonl", icon="⬇️", key="export-jsonl", on_click="ignore")
