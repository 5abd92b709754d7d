"""Serving on the network is explicit, and document changes there need an administrator
(issue 10, item 10): the rule, `assistant hash-password`, and `assistant serve` really
listening on loopback by default."""

from __future__ import annotations

import subprocess
from pathlib import Path

import bcrypt
import pytest
from click.testing import CliRunner

from assistant.access import document_access, hash_password, is_loopback, serve_warning, verify_password
from assistant.cli import main
from assistant.settings import Settings, SettingsError, load_settings

from conftest import ASSISTANT_CMD, cli_env
from servers import free_port, stop, wait_for_http

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "協働-admin-2026"


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("", False), (None, False), ("192.168.10.5", False), ("files.city.local", False)],
)
def test_is_loopback(address: str | None, loopback: bool) -> None:
    assert is_loopback(address) is loopback


def test_document_access_rule() -> None:
    local = load_settings()
    assert local.server_address == "127.0.0.1"  # the default serves this machine only
    assert document_access(local, "127.0.0.1").mode == "open"  # as before: no sign-in on loopback
    refused = document_access(local, None)  # Streamlit without --server.address listens everywhere
    assert refused.mode == "refused" and "assistant hash-password" in refused.message
    assert document_access(load_settings(server_address="0.0.0.0"), "127.0.0.1").mode == "refused"
    with_hash = load_settings(server_address="0.0.0.0", admin_password_hash=hash_password(PASSWORD))
    assert document_access(with_hash, "0.0.0.0").mode == "sign_in"
    assert document_access(with_hash.model_copy(update={"server_address": "127.0.0.1"}), "127.0.0.1").mode == "sign_in"


def test_password_check() -> None:
    settings = load_settings(admin_password_hash=hash_password(PASSWORD))
    assert verify_password(PASSWORD, settings)
    assert not verify_password("違うパスワード", settings)
    assert not verify_password("", settings)
    assert not verify_password("x" * 100, settings)  # longer than bcrypt reads: never a match
    assert not verify_password(PASSWORD, load_settings())  # no hash configured: nobody signs in
    assert "**" in settings.model_dump_json()  # never written out (eval snapshots, caches)
    assert PASSWORD not in settings.model_dump_json()


def test_hash_must_be_a_bcrypt_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD_HASH", PASSWORD)  # the password itself, by mistake
    with pytest.raises(SettingsError, match="ASSISTANT_ADMIN_PASSWORD_HASH"):
        load_settings()


def test_hash_password_command(monkeypatch: pytest.MonkeyPatch) -> None:
    prompted = CliRunner().invoke(main, ["hash-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    hashed = prompted.stdout.strip().splitlines()[-1]
    assert bcrypt.checkpw(PASSWORD.encode(), hashed.encode())
    assert PASSWORD not in prompted.stdout  # the password is not echoed
    monkeypatch.setenv("ASSISTANT_ADMIN_PASSWORD_HASH", hashed)
    assert verify_password(PASSWORD, load_settings())

    piped = CliRunner().invoke(main, ["hash-password", "--password-stdin"], input=PASSWORD + "\n")
    assert piped.exit_code == 0 and bcrypt.checkpw(PASSWORD.encode(), piped.stdout.strip().encode())
    short = CliRunner().invoke(main, ["hash-password", "--password-stdin"], input="abc\n")
    assert short.exit_code != 0 and "パスワードが短すぎます" in short.output


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on `port`, from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            host, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(host)
    return found


def test_serve_listens_on_loopback_by_default(small_settings: Settings, tmp_path: Path) -> None:
    from assistant.indexer import build_index

    build_index(small_settings)
    port = free_port()
    env = cli_env(small_settings) | {"ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([*ASSISTANT_CMD, "serve", "--port", str(port)], env=env, cwd=tmp_path,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        assert wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", proc, 60), log.read_text(errors="replace")
        assert _listening_addresses(port) == {"0100007F"}, _listening_addresses(port)  # 127.0.0.1 only
    finally:
        stop(proc)


def test_serve_warns_when_exposed() -> None:
    assert serve_warning(load_settings(), 8501) is None
    warning = serve_warning(load_settings(server_address="0.0.0.0"), 8501) or ""
    assert warning.startswith("ネットワークに公開します（0.0.0.0:8501）") and "ASSISTANT_ADMIN_PASSWORD_HASH" in warning
    signed = load_settings(server_address="0.0.0.0", admin_password_hash=hash_password(PASSWORD))
    assert "管理者のサインインが必要です" in (serve_warning(signed, 8501) or "")


def test_make_run_uses_the_settings_address() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    run = makefile[makefile.index("\nrun:"):].split("\n\n")[0]
    assert "assistant serve" in run and "0.0.0.0" not in run
