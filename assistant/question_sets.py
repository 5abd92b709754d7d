"""The question sets of evals/sets.yaml and the index each is scored on (its documents:
the seed corpus plus the set's own folder), built once and kept between runs."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import yaml

from assistant.indexer import build_index
from assistant.settings import Settings

SETS_FILE = Path("evals/sets.yaml")
BENCH_INDEXES = Path("evals/runs/bench-index")  # one index per corpus combination, kept between runs


def load_sets(path: Path = SETS_FILE) -> dict[str, dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def corpus_for(folders: list[str], work: Path) -> Path:
    """The documents of several folders in one corpus folder, their catalogs merged."""
    out = work / "corpus"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    catalog: list[str] = []
    for folder in map(Path, folders):
        for path in sorted(folder.iterdir()):
            if path.name == "catalog.yaml":
                catalog.append(path.read_text(encoding="utf-8"))
            elif path.is_file():
                shutil.copy2(path, out / path.name)
    (out / "catalog.yaml").write_text("\n".join(catalog), encoding="utf-8")
    return out


def settings_for(folders: list[str], base: Settings) -> Settings:
    """Settings whose index holds these folders' documents (built or updated incrementally)."""
    if folders == [str(base.corpus_dir)]:
        return base
    key = hashlib.sha256("|".join(folders).encode()).hexdigest()[:12]
    work = BENCH_INDEXES / key
    corpus = corpus_for(folders, work)
    settings = base.model_copy(update={"corpus_dir": corpus, "index_dir": work / "index"})
    build_index(settings)
    return settings
