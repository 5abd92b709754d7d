"""Corpus metadata from `catalog.yaml`: per-file title, city, publisher and issue date.

The catalog is optional; documents without an entry get their title (and city) guessed
from their own text by the loaders. Each entry is checked against a schema
(`CatalogFields`): a field of the wrong type (a list as title, a number as municipality)
or an unknown field name is reported with the file it belongs to and left out; the rest
of that entry and the other entries are used.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

CATALOG_FILE = "catalog.yaml"
# libyaml's safe loader where installed: a catalog of 3,400 documents took ~1 s in pure Python.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_CATALOG_BYTES = 2 * 1024 * 1024  # thousands of entries fit; a bigger file is a mistake
FIELD_NAMES = ("title", "municipality", "issued", "publisher")


@dataclass(frozen=True)
class CatalogEntry:
    title: str | None = None
    city: str | None = None  # the `municipality` field of catalog.yaml
    issued: str | None = None
    publisher: str | None = None


class CatalogFields(BaseModel):
    """The schema of one catalog entry. Strict: YAML's `12345`, `yes` or `[a, b]` are not text."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: str | None = None
    municipality: str | None = None
    # YAML reads `issued: 2024-03-01` as a date and `issued: 2024` as a number; both mean a date.
    issued: str | datetime | date | int | None = None
    publisher: str | None = None


@dataclass
class Catalog:
    entries: dict[str, CatalogEntry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # Japanese, one per bad field or entry


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    text = str(value).strip()
    return text or None


_shown = reprlib.Repr()
_shown.maxstring = _shown.maxother = 40
_shown.maxlist = _shown.maxdict = 4
_shown.maxlevel = 2  # a YAML alias bomb must not be expanded into the message


def _problem(name: str, loc: str, error_type: str, value: Any) -> str:
    where = f"{CATALOG_FILE} の「{name}」"
    if error_type == "extra_forbidden":
        return (f"{where}: 「{loc}」は使えない項目名のため無視しました。"
                f"{' / '.join(FIELD_NAMES)} のいずれかに直してください。")
    return (f"{where}: {loc} が文字列ではないため（値: {_shown.repr(value)}）無視しました。"
            f"「{loc}: 山口市」のように文字列で書いてください。")


def _check_entry(name: str, fields: Any) -> tuple[CatalogEntry | None, list[str]]:
    if fields is None:
        return CatalogEntry(), []
    if not isinstance(fields, Mapping):
        return None, [f"{CATALOG_FILE} の「{name}」: 項目が title / municipality などの対応表ではないため無視しました。"
                      "「title: 題名」のように字下げして書いてください。"]
    raw = {str(k): v for k, v in fields.items()}
    problems: list[str] = []
    try:
        checked = CatalogFields.model_validate(raw)
    except ValidationError as exc:
        bad = set()
        for err in exc.errors():
            loc = str(err["loc"][0]) if err["loc"] else "?"
            if loc in bad:
                continue  # a union reports each alternative; one message per field
            bad.add(loc)
            problems.append(_problem(name, loc, err["type"], raw.get(loc)))
        checked = CatalogFields.model_validate({k: v for k, v in raw.items() if k not in bad})
    entry = CatalogEntry(
        title=_text(checked.title),
        city=_text(checked.municipality),
        issued=_text(checked.issued),
        publisher=_text(checked.publisher),
    )
    return entry, problems


def read_catalog(corpus_dir: Path) -> Catalog:
    """Read and check `corpus_dir/catalog.yaml` (keys: file names relative to the corpus directory).

    A missing catalog is not an error (empty result). Bad entries or fields are left out
    and described in `problems`; a file that is not a catalog at all raises ValueError
    (Japanese) naming it, because silently ignoring it would drop every title and city.
    """
    path = Path(corpus_dir) / CATALOG_FILE
    if not path.is_file():
        return Catalog()
    if path.is_symlink() and not path.resolve().is_relative_to(Path(corpus_dir).resolve()):
        raise ValueError(f"{CATALOG_FILE} が文書フォルダの外のファイルを指しているため読み込みませんでした。"
                         "ファイル本体を文書フォルダに置いてください。")
    if path.stat().st_size > MAX_CATALOG_BYTES:
        raise ValueError(f"{CATALOG_FILE} が大きすぎるため（{MAX_CATALOG_BYTES // (1024 * 1024)} MB 超）読み込みませんでした。"
                         "文書ごとの title / municipality だけを書いてください。")
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（{mark.line + 1} 行目付近）" if mark is not None else ""
        raise ValueError(f"{CATALOG_FILE} の書式が正しくないため{where}読み込めませんでした。"
                         "YAML として正しいか（字下げ・括弧・コロン）を確認してください。") from exc
    if data is None:
        return Catalog()
    if not isinstance(data, Mapping):
        raise ValueError(f"{CATALOG_FILE} がファイル名をキーとする対応表になっていないため読み込めませんでした。"
                         "「ファイル名:」の下に title / municipality を書いてください。")
    catalog = Catalog()
    for name, fields in data.items():
        entry, problems = _check_entry(str(name), fields)
        catalog.problems += problems
        if entry is not None:
            catalog.entries[str(name)] = entry
    return catalog


def load_catalog(corpus_dir: Path) -> dict[str, CatalogEntry]:
    """The usable entries of the catalog (see `read_catalog` for the problems found)."""
    return read_catalog(corpus_dir).entries


def known_cities(catalog: Mapping[str, CatalogEntry]) -> list[str]:
    """The distinct cities named in the catalog, sorted."""
    return sorted({entry.city for entry in catalog.values() if entry.city})
