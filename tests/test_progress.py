"""`assistant index` is never silent (issue 10, item 3): progress lines with the stage,
done/total, elapsed and remaining time when stderr is piped; a bar with the remaining time
on a terminal (a real pseudo-terminal here)."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import termios

from assistant.progress import ProgressReporter, clock_text, progress_line
from assistant.settings import Settings

from conftest import ASSISTANT_CMD, cli_env

LINE = re.compile(r"^(読み込み|埋め込み): (\d+)/(\d+) 件（\d+%） 経過 \d+:\d\d (残り 計算中|残り約 \d+:\d\d|完了)$")


def test_progress_line_format() -> None:
    assert progress_line("埋め込み", 320, 1500, 48.0) == "埋め込み: 320/1500 件（21%） 経過 0:48 残り約 2:57"
    assert progress_line("埋め込み", 0, 1500, 1.0).endswith("残り 計算中")
    assert progress_line("埋め込み", 1500, 1500, 400.0).endswith("完了")
    assert clock_text(3723) == "1:02:03"


def test_lines_every_interval_and_at_the_end_of_each_stage() -> None:
    now = [0.0]
    out = io.StringIO()
    reporter = ProgressReporter({"embed": "埋め込み"}, interval_s=5.0, stream=out, tty=False, clock=lambda: now[0])
    for done in range(0, 101):
        now[0] = done * 0.5  # 2 items a second: a line every 10 items
        reporter("embed", done, 100)
    reporter("embed", 100, 100)  # repeated end: no second "完了" line
    lines = out.getvalue().splitlines()
    assert lines[0] == "埋め込み: 0/100 件（0%） 経過 0:00 残り 計算中"
    assert lines[1] == "埋め込み: 10/100 件（10%） 経過 0:05 残り約 0:45"
    assert lines[-1] == "埋め込み: 100/100 件（100%） 経過 0:50 完了"
    assert len(lines) == 11  # the start, then one every 5 s (the last one is the end)


def test_index_piped_prints_progress_lines(small_settings: Settings) -> None:
    env = cli_env(small_settings) | {"ASSISTANT_PROGRESS_INTERVAL_S": "0"}
    done = subprocess.run([*ASSISTANT_CMD, "index"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if LINE.match(line)]
    stages = {LINE.match(line).group(1) for line in lines}  # type: ignore[union-attr]
    assert stages == {"読み込み", "埋め込み"}, done.stderr
    assert any("残り約" in line for line in lines)
    assert lines[-1].startswith("埋め込み:") and lines[-1].endswith("完了")
    assert "追加 3" in done.stdout


def test_index_on_a_terminal_shows_a_bar_with_remaining_time(small_settings: Settings) -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # rows, columns, as a terminal
    try:
        proc = subprocess.Popen([*ASSISTANT_CMD, "index"], env=cli_env(small_settings),
                                stdout=subprocess.PIPE, stderr=slave, text=True)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        stdout = proc.stdout.read() if proc.stdout else ""
        assert proc.wait(timeout=300) == 0
    finally:
        os.close(master)
    screen = b"".join(chunks).decode("utf-8", errors="replace")
    assert re.search(r"埋め込み: +\d+%\|.*\| \d+/\d+ 件 \[経過 \d\d:\d\d 残り (\d\d:\d\d|\?)\]", screen), screen
    assert re.search(r"残り \d\d:\d\d", screen), screen  # an estimate once something is done
    assert not LINE.search(screen)  # a terminal gets the bar, not the lines
    assert "追加 3" in stdout
