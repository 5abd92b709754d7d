"""文書: the indexed documents; upload, remove, and update the index."""

from __future__ import annotations

import streamlit as st

from app_pages.common import manifest, settings, show_last_report, update_index
from assistant.documents import (
    DocumentNotFound,
    UploadError,
    list_documents,
    pending_changes,
    remove_document,
    save_upload,
)
from assistant.loaders import SUPPORTED_SUFFIXES

UPLOAD_TYPES = [s.lstrip(".") for s in SUPPORTED_SUFFIXES]

cfg = settings()
MAX_UPLOAD_MB = cfg.max_upload_mb
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024


def run_update(notes: list[str]) -> None:
    st.session_state["upload_notes"] = notes
    st.session_state.pop("index_report", None)
    report = update_index(cfg)
    if report is not None:
        st.session_state["index_report"] = report
        st.rerun()  # the sidebar and the chat page now see the new generation


st.title("文書")
st.caption(f"文書フォルダ: `{cfg.corpus_dir}`　索引: `{cfg.index_dir}`")

for note in st.session_state.get("upload_notes", []):
    st.info(note, icon="📥")
show_last_report()

generation, mf = manifest(cfg)
changes = pending_changes(cfg.corpus_dir, mf)

# ---------------------------------------------------------------------------- list
st.subheader("索引に登録されている文書")
if mf is None:
    st.warning("まだ索引がありません。下の「索引を更新」で作成してください。")
else:
    rows = [row.as_dict() for row in list_documents(mf)]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.info("索引に文書がありません。")
    for source, reason in sorted(mf.failures.items()):
        st.error(f"読み込めなかった文書: {source} — {reason}", icon="⚠️")
if changes.any:
    parts = [f"{label} {len(items)} 件（{'、'.join(items)}）"
             for label, items in (("追加", changes.added), ("変更", changes.changed), ("削除", changes.removed))
             if items]
    st.info("索引にまだ反映されていない変更があります: " + " / ".join(parts), icon="🕒")

# ---------------------------------------------------------------------------- upload + update
st.subheader("文書を追加して索引を更新")
st.caption(
    f"対応形式: {', '.join(t.upper() for t in UPLOAD_TYPES)}。1ファイル {MAX_UPLOAD_MB} MB まで。"
    "ファイル名は安全な名前に変えて保存します。題名と市は文書の内容から推定します。"
)
uploader_key = f"uploader-{st.session_state.get('uploader_round', 0)}"
uploads = st.file_uploader(
    "追加する文書",
    type=UPLOAD_TYPES,
    accept_multiple_files=True,
    key=uploader_key,
    max_upload_size=MAX_UPLOAD_MB,
)
overwrite = st.checkbox("同じ名前のファイルがあれば置き換える", key="overwrite")
if st.button("索引を更新", type="primary", icon="🔄", key="update-index",
             help="アップロードしたファイルを文書フォルダに保存してから、変更のあった文書だけを索引に反映します。"):
    notes: list[str] = []
    for upload in uploads or []:
        try:
            path = save_upload(cfg.corpus_dir, upload.name, upload.getvalue(), MAX_UPLOAD_BYTES, overwrite)
        except (UploadError, OSError) as exc:
            st.error(str(exc), icon="⚠️")
            notes.append(f"保存できませんでした: {exc}")
        else:
            renamed = f" → {path.name}（安全な名前に変更）" if path.name != upload.name else ""
            notes.append(f"保存しました: {upload.name}{renamed}")
    st.session_state["uploader_round"] = st.session_state.get("uploader_round", 0) + 1
    run_update(notes)

# ---------------------------------------------------------------------------- remove
if mf is not None and (mf.documents or mf.failures):
    st.subheader("文書を削除")
    titles = {s: "（読み込めなかった文書）" for s in mf.failures} | {s: d.title for s, d in mf.documents.items()}
    target = st.selectbox("削除する文書", sorted(titles), format_func=lambda s: f"{titles[s]}（{s}）",
                          index=None, placeholder="文書を選んでください", key="remove-target")
    confirm = st.checkbox("文書フォルダからファイルを削除し、索引からも外します", key="remove-confirm")
    if st.button("削除して索引を更新", icon="🗑️", key="remove", disabled=not (target and confirm)):
        try:
            remove_document(cfg.corpus_dir, target or "")
        except DocumentNotFound as exc:
            st.warning(str(exc))  # already gone: the update below still drops it from the index
        run_update([f"削除しました: {titles.get(target or '', target)}（{target}）"])
