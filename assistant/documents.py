"""Managing the corpus from the page: safe uploads, removal, and the list of documents.

No Streamlit here: the page only calls these functions and shows their (Japanese) errors.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

from assistant.catalog import CATALOG_FILE, load_catalog
from assistant.loaders import SUPPORTED_SUFFIXES, scan_corpus
from assistant.store import Manifest

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # per file; the uploader widget shows the same limit
MAX_NAME_BYTES = 200  # well under the 255-byte limit of common file systems (UTF-8)
FALLBACK_STEM = "文書"
JST = timezone(timedelta(hours=9), "JST")

# Characters that are unsafe or awkward in file names on Linux, Windows and in URLs.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")


class UploadError(ValueError):
    """An upload that cannot be saved; the message is Japanese, for staff."""


class DocumentNotFound(LookupError):
    """The document to remove does not exist in the corpus folder."""


def _clean_part(text: str) -> str:
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    text = _UNSAFE.sub("_", text)
    text = _SPACES.sub("_", text.strip())
    return text.strip("._ ")


def _truncate_utf8(text: str, max_bytes: int) -> str:
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text


def safe_filename(name: str, corpus_dir: Path | None = None) -> str:
    """A file name that is safe to write into the corpus folder.

    Keeps Japanese characters; drops any directory part, control characters and
    characters that are unsafe on common file systems; refuses unsupported formats;
    never starts with a dot (hidden files are not indexed). With `corpus_dir`, a name
    already taken there gets a numeric suffix (「計画_2.pdf」).
    """
    name = unicodedata.normalize("NFC", name or "")
    base = re.split(r"[\\/]", name)[-1]  # browsers may send "C:\\Users\\...\\計画.pdf"
    base = "".join(ch for ch in base if not unicodedata.category(ch).startswith("C")).strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + _clean_part(suffix).lower() if suffix else ""
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "（拡張子なし）"
        raise UploadError(
            f"「{base or name}」は対応していない形式です（{shown}）。"
            f"対応形式: {', '.join(s.lstrip('.').upper() for s in SUPPORTED_SUFFIXES)}"
        )
    stem = _clean_part(stem) or FALLBACK_STEM
    stem = _truncate_utf8(stem, MAX_NAME_BYTES - len(suffix.encode()) - 8)  # room for "_NNN"
    candidate = stem + suffix
    if corpus_dir is not None:
        taken = {p.name.lower() for p in Path(corpus_dir).iterdir()} if Path(corpus_dir).is_dir() else set()
        taken.add(CATALOG_FILE)
        n = 2
        while candidate.lower() in taken:
            candidate = f"{stem}_{n}{suffix}"
            n += 1
    return candidate


def format_size(n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / (1024 * 1024):.1f} MB"
    if n_bytes >= 1024:
        return f"{n_bytes / 1024:.0f} KB"
    return f"{n_bytes} バイト"


def upload_problem(name: str, size: int, max_bytes: int = MAX_UPLOAD_BYTES) -> str | None:
    """Why a selected file will not be saved (Japanese), or None: checked as soon as it is chosen."""
    try:
        safe_filename(name)
    except UploadError as exc:
        return str(exc)
    if size > max_bytes:
        return f"「{name}」は大きすぎます（{format_size(size)}）。1ファイル {format_size(max_bytes)} までです。"
    if size == 0:
        return f"「{name}」は空のファイルです。"
    return None


def save_upload(
    corpus_dir: Path, name: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES, overwrite: bool = False
) -> Path:
    """Write an uploaded file into the corpus folder under a safe name; return its path.

    Raises UploadError (Japanese) for an empty, too large or unsupported file. Without
    `overwrite` an existing file is never replaced: the new one gets a free name.
    """
    if len(data) > max_bytes:
        raise UploadError(
            f"「{name}」は大きすぎます（{format_size(len(data))}）。1ファイル {format_size(max_bytes)} までです。"
        )
    if not data:
        raise UploadError(f"「{name}」は空のファイルです。")
    corpus_dir = Path(corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    filename = safe_filename(name, None if overwrite else corpus_dir)
    path = corpus_dir / filename
    # Hidden (never scanned half-written) and created new: a planted link cannot redirect the write.
    fd, tmp = tempfile.mkstemp(prefix=f".{filename}.", suffix=".uploading", dir=corpus_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)  # replaces a link of that name, never writes through it
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _inside(corpus_dir: Path, source: str) -> Path:
    """The corpus entry named `source` itself: its folder must lie inside the corpus; the
    entry is not followed, so a symbolic link is removed as a link (its target stays)."""
    rel = PurePosixPath(source.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise DocumentNotFound(f"「{source}」は文書フォルダの中のファイルではありません。")
    path = corpus_dir / Path(*rel.parts)
    if not path.parent.resolve().is_relative_to(corpus_dir.resolve()):
        raise DocumentNotFound(f"「{source}」は文書フォルダの中のファイルではありません。")
    return path


def remove_document(corpus_dir: Path, source: str) -> Path:
    """Delete a document file from the corpus folder (the index forgets it on its next update)."""
    corpus_dir = Path(corpus_dir)
    if PurePosixPath(source).as_posix() == CATALOG_FILE:
        raise DocumentNotFound(f"{CATALOG_FILE} は文書ではないため削除できません。")
    path = _inside(corpus_dir, source)
    if not (path.is_symlink() or path.is_file()):
        raise DocumentNotFound(f"「{source}」は文書フォルダにありません（すでに削除されています）。")
    path.unlink()  # a link is unlinked, never its target
    return path


def format_time(iso: str | None) -> str:
    """'2026-11-22T05:24:26+00:00' -> '2026-11-22 14:24' (Japan time)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class DocumentRow:
    title: str
    city: str
    source: str
    chunks: int
    indexed_at: str  # Japan time, "YYYY-MM-DD HH:MM"

    def as_dict(self) -> dict[str, object]:
        return {"題名": self.title, "市": self.city, "ファイル": self.source, "チャンク数": self.chunks,
                "索引日時": self.indexed_at}


def list_documents(manifest: Manifest) -> list[DocumentRow]:
    """The indexed documents, by city then title."""
    rows = [
        DocumentRow(d.title, d.city or "", d.source, len(d.chunk_ids), format_time(d.indexed_at))
        for d in manifest.documents.values()
    ]
    return sorted(rows, key=lambda r: (r.city == "", r.city, r.title, r.source))


@dataclass(frozen=True)
class PendingChanges:
    """Differences between the corpus folder and the index: what an update would do."""

    added: list[str]
    changed: list[str]
    removed: list[str]

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def pending_changes(corpus_dir: Path, manifest: Manifest | None) -> PendingChanges:
    """Files added, changed or deleted since the index was built (by content hash).

    Files that failed to load last time and have not changed are not reported again.
    """
    try:
        catalog = load_catalog(Path(corpus_dir))
    except ValueError:
        catalog = {}
    files = scan_corpus(Path(corpus_dir), catalog) if Path(corpus_dir).is_dir() else []
    indexed = manifest.documents if manifest else {}
    failed = manifest.failures if manifest else {}
    added, changed = [], []
    for sf in files:
        record = indexed.get(sf.source)
        if record is None:
            if sf.source not in failed:
                added.append(sf.source)
        elif record.content_hash != sf.content_hash:
            changed.append(sf.source)
    present = {sf.source for sf in files}
    removed = sorted(s for s in indexed if s not in present)
    return PendingChanges(added, changed, removed)
