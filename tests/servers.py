"""Helpers for tests that start a real server on loopback (Streamlit, Chroma)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


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


@contextmanager
def streamlit_page(corpus: Path, index: Path, data: Path, log: Path, timeout_s: float,
                   args: tuple[str, ...] = (), **env_extra: str) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port over this index (no ASSISTANT_* setting
    of the test process leaks in), as `make run` starts it; yields its URL, stops it after."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("ASSISTANT_")}
    env.update(ASSISTANT_CORPUS_DIR=str(corpus), ASSISTANT_INDEX_DIR=str(index), ASSISTANT_DATA_DIR=str(data),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1", **env_extra)
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1", "--server.port", str(port),
               "--server.fileWatcherType", "none", *args, "--theme.base", "light"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for_http(f"{url}/_stcore/health", proc, timeout_s):
            pytest.fail(f"streamlit did not start:\n{log.read_text(errors='replace')[-3000:]}")
        yield url
    finally:
        stop(proc)


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


# --------------------------------------------------------------------------- PostgreSQL


def postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server programs (initdb, pg_ctl), newest version."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresServer:
    """A real PostgreSQL on a loopback port, in a fresh data folder, for one test session.

    PostgreSQL refuses to run as root: when the tests run as root, the server runs as the
    `postgres` user that Debian's package creates (through `runuser`)."""

    USER = "assistant"

    def __init__(self, log_path: Path) -> None:
        import os
        import pwd
        import tempfile

        bindir = postgres_bin()
        assert bindir is not None, "PostgreSQL is not installed (apt-get install -y postgresql / make test-deps)"
        self.bindir, self.log_path = bindir, log_path
        self.as_user: list[str] = []
        self.root = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.root / "data"
        self.port = free_port()
        self._run([str(bindir / "initdb"), "-D", str(self.data), "-U", self.USER, "--auth=trust",
                   "--encoding=UTF8", "--locale=C.UTF-8"])
        self._run([str(bindir / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", "-l", str(self.root / "server.log"),
                   "-o", f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                   "-c fsync=off -c max_connections=50", "start"])
        self.base_url = f"postgresql+psycopg://{self.USER}@127.0.0.1:{self.port}"

    def _run(self, command: list[str]) -> None:
        done = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=120)
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"$ {' '.join(command)}\n{done.stdout}{done.stderr}\n")
        if done.returncode != 0:
            raise AssertionError(f"{command[0]} failed: {done.stdout}{done.stderr}")

    def create_database(self, name: str) -> str:
        """A new empty database; its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.USER, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.base_url}/{name}"

    def stop(self) -> None:
        try:
            self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
