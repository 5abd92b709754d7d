"""Staff correct a document's title and city: the entry is written to the corpus'
`catalog.yaml` (the indexer re-reads a document whose catalog entry changed).

The file's leading comment block and every other entry and field are kept; comments
between entries are not (the file is rewritten). Writes are atomic (a temporary file
renamed over the catalog) and serialised by a lock file, so two administrators saving at
once never lose each other's change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from assistant.catalog import CATALOG_FILE, read_catalog
from assistant.loaders import TITLE_MAX_CHARS

CITY_MAX_CHARS = 20
LOCK_FILE = ".catalog.lock"  # hidden: never scanned as a document


class CatalogEditError(ValueError):
    """A title or city that cannot be saved; the message is Japanese, for staff."""


def check_title(title: str) -> str:
    text = " ".join(title.split())
    if not text:
        raise CatalogEditError("題名を入力してください。")
    if len(text) > TITLE_MAX_CHARS:
        raise CatalogEditError(f"題名が長すぎます（{len(text)} 文字）。{TITLE_MAX_CHARS} 文字以内にしてください。")
    return text


def check_city(city: str | None) -> str | None:
    text = " ".join((city or "").split())
    if not text:
        return None
    if len(text) > CITY_MAX_CHARS:
        raise CatalogEditError(f"市の名前が長すぎます（{len(text)} 文字）。{CITY_MAX_CHARS} 文字以内にしてください。")
    return text


@contextmanager
def _locked(corpus_dir: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: the atomic rename still protects the file
        yield
        return
    with open(corpus_dir / LOCK_FILE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _leading_comments(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.startswith("#") or (not line.strip() and lines):
            lines.append(line)
            continue
        break
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def set_title_and_city(corpus_dir: Path, source: str, title: str, city: str | None) -> Path:
    """Write `source`'s title and municipality into catalog.yaml; return the catalog's path.

    CatalogEditError (Japanese) for an empty or too long title, a too long city, a file that
    is not in the corpus, or a catalog.yaml that cannot be read as it is.
    """
    corpus_dir = Path(corpus_dir)
    title, city = check_title(title), check_city(city)
    if not (corpus_dir / source).is_file() or source == CATALOG_FILE:
        raise CatalogEditError(f"「{source}」は文書フォルダにありません。")
    path = corpus_dir / CATALOG_FILE
    with _locked(corpus_dir):
        try:
            read_catalog(corpus_dir)  # refuses a catalog linking outside, too large, or not YAML
        except ValueError as exc:
            raise CatalogEditError(f"{exc} 直してから保存してください。") from exc
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
        data = yaml.safe_load(text) if text.strip() else None
        data = dict(data) if isinstance(data, dict) else {}
        entry = data.get(source)
        entry = dict(entry) if isinstance(entry, dict) else {}
        entry["title"] = title
        if city:
            entry["municipality"] = city
        else:
            entry.pop("municipality", None)
        data[source] = entry
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096)
        fd, tmp = tempfile.mkstemp(prefix=".catalog.", suffix=".yaml", dir=corpus_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(_leading_comments(text) + body)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return path
