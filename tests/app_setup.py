"""What the page tests share: settings pointing the app at an index (through the environment,
as `make run` does) and a private copy of a built corpus and index for tests that change
documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.settings import Settings, load_settings


def point_at(monkeypatch: pytest.MonkeyPatch, corpus: Path, index: Path, data: Path, **extra: str) -> Settings:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    for name, value in extra.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def own_copy(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of a built corpus and index, with its own data folder."""
    shutil.copytree(built / "corpus", tmp_path / "corpus")
    shutil.copytree(built / "index", tmp_path / "index", ignore=shutil.ignore_patterns(".lock"))
    return point_at(monkeypatch, tmp_path / "corpus", tmp_path / "index", tmp_path / "data")
