"""文書: the indexed documents; upload, remove, and update the index."""

from __future__ import annotations

import streamlit as st

from app_pages.common import failure_text, manifest, may_change_documents, settings, show_last_report, update_index
from app_pages.uploads import japanese_uploader
from assistant.catalog import CATALOG_FILE
from assistant.catalog_edit import CatalogEditError, set_title_and_city
from assistant.documents import (
    DocumentNotFound,
    UploadError,
    list_documents,
    pending_changes,
    remove_document,
    save_upload,
    upload_problem,
)
from assistant.loaders import SUPPORTED_SUFFIXES
from assistant.plain import plain

UPLOAD_TYPES = [s.lstrip(".") for s in SUPPORTED_SUFFIXES]

cfg = settings()
MAX_UPLOAD_MB = cfg.max_upload_mb
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOADED = "uploaded_sources"  # files saved by this session (offered for removal if they fail)


def run_update(notes: list[str]) -> None:
    st.session_state["upload_notes"] = notes
    st.session_state.pop("index_report", None)
    report = update_index(cfg)
    if report is not None:
        st.session_state["index_report"] = report
        st.rerun()  # the sidebar and the chat page now see the new generation


def remove(source: str, label: str) -> None:
    try:
        remove_document(cfg.corpus_dir, source)
    except DocumentNotFound as exc:
        st.warning(plain(exc))  # already gone: the update below still drops it from the index
    run_update([f"削除しました: {plain(label)}（{plain(source)}）"])


st.title("文書")
allowed = may_change_documents(cfg)
if allowed:  # folder paths are for whoever manages the documents
    st.caption(f"文書フォルダ: {plain(cfg.corpus_dir)}　索引: {plain(cfg.index_dir)}")

for note in st.session_state.get("upload_notes", []):
    st.info(note, icon="📥")  # built from plain() pieces below
show_last_report(show_failures=False)  # the list below shows each failure once

generation, mf = manifest(cfg)
changes = pending_changes(cfg.corpus_dir, mf)

# ---------------------------------------------------------------------------- list
st.subheader("索引に登録されている文書")
if mf is None:
    st.warning("まだ索引がありません。下の「索引を更新」で作成してください。")
else:
    # st.table wraps long titles, so every column stays on screen; its cells are Markdown, so
    # titles and file names go in as plain text.
    rows = [{k: plain(v) if isinstance(v, str) else v for k, v in row.as_dict().items()}
            for row in list_documents(mf)]
    if rows:
        st.table(rows, hide_index=True)
    else:
        st.info("索引に文書がありません。")
    uploaded = st.session_state.get(UPLOADED, set())
    for n, (source, reason) in enumerate(sorted(mf.failures.items())):
        with st.container(border=False):
            st.error(failure_text(source, reason), icon="⚠️")
            if allowed and source != CATALOG_FILE and source in uploaded and (cfg.corpus_dir / source).exists():
                # A file this session uploaded that cannot be indexed should not stay in the corpus.
                if st.button(f"{source} を文書フォルダから削除", key=f"remove-failed-{n}", icon="🗑️"):
                    uploaded.discard(source)
                    remove(source, "（読み込めなかった文書）")
if changes.any:
    parts = [f"{label} {len(items)} 件（{'、'.join(plain(i) for i in items)}）"
             for label, items in (("追加", changes.added), ("変更", changes.changed), ("削除", changes.removed))
             if items]
    st.info("索引にまだ反映されていない変更があります: " + " / ".join(parts), icon="🕒")

if not allowed:
    st.stop()

# ---------------------------------------------------------------------------- upload + update
st.subheader("文書を追加して索引を更新")
st.caption(
    f"対応形式: {', '.join(t.upper() for t in UPLOAD_TYPES)}。1ファイル {MAX_UPLOAD_MB} MB まで。"
    "ファイル名は安全な名前に変えて保存します。題名と市は文書の内容から推定します。"
)
japanese_uploader()
uploader_key = f"uploader-{st.session_state.get('uploader_round', 0)}"
# No `type=`: Streamlit would refuse other files in English; upload_problem says it in Japanese.
uploads = st.file_uploader("追加する文書", accept_multiple_files=True, key=uploader_key,
                           max_upload_size=MAX_UPLOAD_MB)
refused = {}
for upload in uploads or []:
    problem = upload_problem(upload.name, upload.size, MAX_UPLOAD_BYTES)
    if problem:
        refused[upload.file_id] = problem
        st.error(plain(problem), icon="⚠️")
overwrite = st.checkbox("同じ名前のファイルがあれば置き換える", key="overwrite")
if st.button("索引を更新", type="primary", icon="🔄", key="update-index",
             help="アップロードしたファイルを文書フォルダに保存してから、変更のあった文書だけを索引に反映します。"):
    notes: list[str] = []
    saved = st.session_state.setdefault(UPLOADED, set())
    for upload in uploads or []:
        if upload.file_id in refused:
            notes.append(f"保存しませんでした: {plain(refused[upload.file_id])}")
            continue
        try:
            path = save_upload(cfg.corpus_dir, upload.name, upload.getvalue(), MAX_UPLOAD_BYTES, overwrite)
        except (UploadError, OSError) as exc:
            st.error(plain(exc), icon="⚠️")
            notes.append(f"保存できませんでした: {plain(exc)}")
        else:
            saved.add(path.relative_to(cfg.corpus_dir).as_posix())
            renamed = f" → {plain(path.name)}（安全な名前に変更）" if path.name != upload.name else ""
            notes.append(f"保存しました: {plain(upload.name)}{renamed}")
    st.session_state["uploader_round"] = st.session_state.get("uploader_round", 0) + 1
    run_update(notes)

# ---------------------------------------------------------------------------- title and city
documents = mf.documents if mf else {}
if documents:
    st.subheader("題名・市を修正")
    st.caption(f"出典に表示される題名と市です。文書フォルダの {CATALOG_FILE} に保存し、索引を更新します。")
    edit_round = st.session_state.get("edit_round", 0)
    edit = st.selectbox("修正する文書", sorted(documents, key=lambda s: (documents[s].title, s)),
                        format_func=lambda s: f"{documents[s].title}（{s}）", index=None,
                        placeholder="文書を選んでください", key=f"edit-target-{edit_round}")
    if edit:
        with st.form(f"edit-form-{edit_round}", border=True):
            new_title = st.text_input("題名", value=documents[edit].title, key=f"edit-title-{edit_round}")
            new_city = st.text_input("市（文書が特定の市のものでなければ空欄）", value=documents[edit].city or "",
                                     key=f"edit-city-{edit_round}")
            save = st.form_submit_button("保存して索引を更新", type="primary", icon="💾")
        if save:
            try:
                set_title_and_city(cfg.corpus_dir, edit, new_title, new_city)
            except (CatalogEditError, OSError) as exc:
                st.error(plain(exc), icon="⚠️")
            else:
                st.session_state["edit_round"] = edit_round + 1
                city_note = f"（{' '.join(new_city.split())}）" if new_city.strip() else "（市なし）"
                run_update([f"題名・市を保存しました: {plain(' '.join(new_title.split()))}{plain(city_note)} — {plain(edit)}"])

# ---------------------------------------------------------------------------- remove
removable = {s: "（読み込めなかった文書）" for s in (mf.failures if mf else {}) if s != CATALOG_FILE}
removable |= {s: d.title for s, d in (mf.documents if mf else {}).items()}
if removable:
    st.subheader("文書を削除")
    # A new round after each removal: the choice and the confirmation start empty again.
    remove_round = st.session_state.get("remove_round", 0)
    target = st.selectbox("削除する文書", sorted(removable), format_func=lambda s: f"{removable[s]}（{s}）",
                          index=None, placeholder="文書を選んでください", key=f"remove-target-{remove_round}")
    confirm = st.checkbox("文書フォルダからファイルを削除し、索引からも外します", key=f"remove-confirm-{remove_round}")
    if st.button("削除して索引を更新", icon="🗑️", key="remove", disabled=not (target and confirm)):
        st.session_state["remove_round"] = remove_round + 1
        remove(target or "", removable.get(target or "", target or ""))
