"""Helpers for tests that start a real server on loopback (Streamlit, Chroma)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, proc: subprocess.Popen, timeout_s: float, interval_s: float = 0.2) -> bool:
    """Poll `url` until it answers 200; False if the process exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(interval_s)


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server, killing it if it does not exit within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def chroma_executable() -> Path | None:
    """chromadb's `chroma` command (installed next to the interpreter), if any."""
    exe = Path(sys.executable).parent / "chroma"
    if exe.exists():
        return exe
    found = shutil.which("chroma")
    return Path(found) if found else None


def start_chroma(data_dir: Path, port: int, log_path: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    """`chroma run` on loopback, serving `data_dir`; raises if it does not answer within 60 s."""
    exe = chroma_executable()
    assert exe is not None, "the `chroma` executable (chromadb's server) is not installed"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [str(exe), "run", "--path", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT,
        )
    if not wait_for_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, 60, interval_s=0.1):
        stop(proc)
        raise AssertionError(f"Chroma server did not start: {log_path.read_text(errors='replace')[-2000:]}")
    return proc


class ChromaServer:
    """A real `chroma run` on a loopback port, which a test can stop and start again
    (on the same port and data folder, as after a restart)."""

    def __init__(self, data_dir: Path, log_path: Path) -> None:
        self.data_dir, self.log_path = data_dir, log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None  # type: ignore[type-arg]
        self.start()

    def start(self) -> None:
        self.proc = start_chroma(self.data_dir, self.port, self.log_path)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None
