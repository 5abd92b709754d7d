"""What `make run` installs and says, and how `assistant serve` shows Streamlit's chrome.

The Makefile is read by `make -n` (what it would run), not by eye: serving installs no torch,
the test extras still install torch==2.13.0 (the CPU build on disk) before anything else.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import cli

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "sentence-transformers", "transformers")


def dry_run(tmp_path: Path, target: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    done = subprocess.run(["make", "-n", "-B", target], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_serving_dependencies_leave_out_torch() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [d.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower() for d in project["dependencies"]]
    assert not [n for n in names if n in HEAVY]
    assert {"sqlalchemy", "pypdfium2"} <= set(names)
    assert "torch==2.13.0" in project["optional-dependencies"]["test"]
    assert "torch==2.13.0" in project["optional-dependencies"]["st"]


def test_make_run_installs_no_torch_and_says_what_it_does(tmp_path: Path) -> None:
    lines = dry_run(tmp_path, ".venv/.installed")
    installs = [line for line in lines if " install " in line]
    assert installs and not [line for line in installs if "torch" in line or "[test]" in line]
    assert any(line.startswith("echo") and "インストールしています" in line for line in lines)


def test_test_extras_install_torch_2_13_first(tmp_path: Path) -> None:
    installs = [line for line in dry_run(tmp_path, ".venv/.installed-test") if " install " in line]
    torch = next(i for i, line in enumerate(installs) if "torch==2.13.0" in line)
    extras = next(i for i, line in enumerate(installs) if "[test]" in line)
    assert torch < extras


def test_serve_hides_the_developer_chrome(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_exec(path: str, args: list[str]) -> None:  # the real exec would replace pytest
        seen.append(args)
        raise SystemExit(0)

    monkeypatch.setattr(cli.os, "execv", fake_exec)
    result = CliRunner().invoke(cli.main, ["serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    (command,) = seen
    assert command[command.index("--client.toolbarMode") + 1] == "viewer"
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "viewer"  # a bare `streamlit run` in this folder too
