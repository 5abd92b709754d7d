"""Corpus metadata from `catalog.yaml`: per-file title, city, publisher and issue date.

The catalog is optional; documents without an entry get their title (and city) guessed
from their own text by the loaders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CATALOG_FILE = "catalog.yaml"


@dataclass(frozen=True)
class CatalogEntry:
    title: str | None = None
    city: str | None = None  # the `municipality` field of catalog.yaml
    issued: str | None = None
    publisher: str | None = None


def _text(value: Any) -> str | None:
    # YAML turns `issued: 2024-03-01` into a date and `title: 2024` into an int; keep them as text.
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def load_catalog(corpus_dir: Path) -> dict[str, CatalogEntry]:
    """Read `corpus_dir/catalog.yaml` (keys: file names relative to the corpus directory).

    A missing catalog is not an error (returns {}); a malformed one raises ValueError
    naming the file, because silently ignoring it would drop titles and cities.
    """
    path = Path(corpus_dir) / CATALOG_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: catalog.yaml の書式が正しくありません（YAMLとして読めません）: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: catalog.yaml はファイル名をキーとする対応表である必要があります")
    catalog: dict[str, CatalogEntry] = {}
    for name, fields in data.items():
        if fields is None:
            fields = {}
        if not isinstance(fields, Mapping):
            raise ValueError(f"{path}: 「{name}」の項目は title / municipality などの対応表である必要があります")
        catalog[str(name)] = CatalogEntry(
            title=_text(fields.get("title")),
            city=_text(fields.get("municipality")),
            issued=_text(fields.get("issued")),
            publisher=_text(fields.get("publisher")),
        )
    return catalog


def known_cities(catalog: Mapping[str, CatalogEntry]) -> list[str]:
    """The distinct cities named in the catalog, sorted."""
    return sorted({entry.city for entry in catalog.values() if entry.city})
