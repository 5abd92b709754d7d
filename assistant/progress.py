"""Progress of long command-line steps (indexing, evaluation) on stderr.

On a terminal: a bar per stage with elapsed and remaining time. Piped or logged (as from
`make run`): one line every `interval_s` seconds, plus the first and the last of each
stage, so a long build is never silent:

    埋め込み: 320/1500 件（21%） 経過 0:48 残り約 2:57
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} 件 [経過 {elapsed} 残り {remaining}]"


def clock_text(seconds: float) -> str:
    """62 -> '1:02', 3723 -> '1:02:03'."""
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def remaining_seconds(done: int, total: int, elapsed: float) -> float | None:
    """Estimated time left at the average rate so far; None until something is done."""
    if done <= 0 or total <= 0:
        return None
    return elapsed * (total - done) / done


def progress_line(label: str, done: int, total: int, elapsed: float) -> str:
    percent = 100 * done / total if total else 100.0
    left = remaining_seconds(done, total, elapsed)
    eta = "残り 計算中" if left is None else ("完了" if done >= total else f"残り約 {clock_text(left)}")
    return f"{label}: {done}/{total} 件（{percent:.0f}%） 経過 {clock_text(elapsed)} {eta}"


@dataclass
class _Stage:
    started: float
    last_line: float
    bar: Any = None
    finished: bool = False


class ProgressReporter:
    """A `(stage, done, total)` callback; call `close()` when the work ends."""

    def __init__(
        self,
        labels: dict[str, str],
        interval_s: float = 5.0,
        stream: IO[str] | None = None,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.labels = labels
        self.interval_s = interval_s
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.clock = clock
        self.stages: dict[str, _Stage] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total <= 0:
            return
        now = self.clock()
        state = self.stages.get(stage)
        first = state is None
        if state is None:
            state = self.stages[stage] = _Stage(started=now, last_line=now)
        label = self.labels.get(stage, stage)
        if self.tty:
            self._bar(state, label, done, total)
            return
        if state.finished:
            return
        if first or done >= total or now - state.last_line >= self.interval_s:
            print(progress_line(label, done, total, now - state.started), file=self.stream, flush=True)
            state.last_line = now
            state.finished = done >= total

    def _bar(self, state: _Stage, label: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if state.bar is None:
            state.bar = tqdm(total=total, desc=label, unit="件", file=self.stream, leave=False,
                             bar_format=BAR_FORMAT, ncols=self._columns())
        state.bar.total = total
        state.bar.update(done - state.bar.n)  # update(), not n=: tqdm's rate (and ETA) needs it

    def _columns(self) -> int:
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 0
        return columns if columns >= 40 else 100  # a terminal that reports no size still gets a bar

    def close(self) -> None:
        for state in self.stages.values():
            if state.bar is not None:
                state.bar.close()
