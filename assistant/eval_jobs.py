"""Evaluation runs started from the page, run in a background thread.

A run keeps going when the browser tab is closed: the thread writes `items.jsonl` item by
item and `status.json` (state, progress, a heartbeat) as it goes; `summary.json` marks a
finished run. A run whose process is gone (the server was stopped) is reported as
中断 (interrupted), never hidden.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.evaluation import GoldItem, run_eval
from assistant.types import Answer

STATUS_FILE = "status.json"
STALE_AFTER_S = 600  # a run in another process whose heartbeat is older than this is interrupted
STATE_LABELS = {"running": "実行中", "finished": "完了", "failed": "失敗", "interrupted": "中断"}

_jobs: dict[str, threading.Thread] = {}
_lock = threading.Lock()


def _write_status(run_dir: Path, **fields: Any) -> None:
    path = run_dir / STATUS_FILE
    current = read_status(run_dir)
    current.update(fields, pid=os.getpid(), heartbeat=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(current, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def read_status(run_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((Path(run_dir) / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_state(run_dir: Path) -> str:
    """'finished', 'running', 'failed' or 'interrupted' (a run that can no longer finish)."""
    run_dir = Path(run_dir)
    if (run_dir / "summary.json").is_file():
        return "finished"
    status = read_status(run_dir)
    if status.get("state") == "failed":
        return "failed"
    if status.get("state") != "running":
        return "interrupted"  # started before runs had a status, or never got going
    pid = int(status.get("pid", -1))
    if pid == os.getpid():
        job = _jobs.get(run_dir.name)
        return "running" if job is not None and job.is_alive() else "interrupted"
    try:
        beat = datetime.fromisoformat(status["heartbeat"])
    except (KeyError, ValueError):
        return "interrupted"
    fresh = (datetime.now(timezone.utc) - beat).total_seconds() < STALE_AFTER_S
    return "running" if _alive(pid) and fresh else "interrupted"


@dataclass(frozen=True)
class Progress:
    state: str
    done: int
    total: int
    question: str = ""
    message: str = ""


def progress(run_dir: Path) -> Progress:
    status = read_status(run_dir)
    return Progress(run_state(run_dir), int(status.get("done", 0)), int(status.get("total", 0)),
                    str(status.get("question", "")), str(status.get("message", "")))


def start_eval(
    gold: list[GoldItem],
    answer_fn: Callable[[GoldItem], Answer],
    out_dir: Path,
    settings_snapshot: dict[str, Any],
    gold_label: str,
    pipeline: str,
    explain: Callable[[BaseException], str] = str,
) -> threading.Thread:
    """Start scoring `gold` in a thread writing to `out_dir`; returns at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_status(out_dir, state="running", done=0, total=len(gold), pipeline=pipeline, gold=gold_label,
                  started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def items(listed: Iterable[GoldItem]) -> Iterator[GoldItem]:
        listed = list(listed)
        for done, item in enumerate(listed):
            _write_status(out_dir, done=done, question=item.question[:60])
            yield item
        _write_status(out_dir, done=len(listed), question="")

    def work() -> None:
        try:
            run_eval(gold, answer_fn, out_dir, settings_snapshot, gold_label, pipeline, items)
        except Exception as exc:  # noqa: BLE001 - e.g. the Chroma server went away: say so in the list
            _write_status(out_dir, state="failed", message=explain(exc))
        else:
            _write_status(out_dir, state="finished")

    thread = threading.Thread(target=work, name=f"eval-{out_dir.name}", daemon=True)
    with _lock:
        _jobs[out_dir.name] = thread
    thread.start()
    return thread


def wait(run_dir: Path, timeout_s: float) -> str:
    """Wait until a run started here ends (for tests and the command line); its state."""
    deadline = time.monotonic() + timeout_s
    job = _jobs.get(Path(run_dir).name)
    if job is not None:
        job.join(timeout_s)
    while run_state(run_dir) == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    return run_state(run_dir)
