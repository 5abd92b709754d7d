"""Who may change the documents (upload, delete, re-index) from the page.

- A password hash is configured (`ASSISTANT_ADMIN_PASSWORD_HASH`, from `assistant
  hash-password`): an administrator signs in with that password.
- No hash, and the page listens on loopback only: anyone at this machine may, as before.
- No hash, and the page listens on the network: nobody may; the page says why.

Reading and asking never need a sign-in. Hashes are bcrypt (cost 12).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

import bcrypt

from assistant.settings import Settings

BCRYPT_MAX_BYTES = 72  # bcrypt ignores (bcrypt>=5: refuses) anything longer
MIN_PASSWORD_CHARS = 8

Mode = Literal["open", "sign_in", "refused"]


def is_loopback(address: str | None) -> bool:
    """True for 127.x.x.x, ::1 and localhost; an empty address means every interface."""
    if not address:
        return False
    host = address.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost: assume it is reachable from the network


@dataclass(frozen=True)
class DocumentAccess:
    mode: Mode
    message: str = ""  # Japanese, shown on the documents page when not "open"


def document_access(settings: Settings, bound_address: str | None) -> DocumentAccess:
    """`bound_address`: what the server really listens on (Streamlit's server.address; None = all)."""
    if settings.admin_password_hash is not None:
        return DocumentAccess("sign_in", "文書の追加・削除と索引の更新には、管理者のサインインが必要です。")
    exposed = [a for a in (bound_address or "0.0.0.0（すべてのアドレス）", settings.server_address) if not is_loopback(a)]
    if not exposed:
        return DocumentAccess("open")
    return DocumentAccess(
        "refused",
        f"この画面はネットワークに公開されている（{exposed[0]}）ため、管理者のパスワードが設定されるまで文書の追加・"
        "削除と索引の更新はできません。管理者は `assistant hash-password` で作ったハッシュを"
        " ASSISTANT_ADMIN_PASSWORD_HASH に設定してください（質問はこのままできます）。",
    )


def serve_warning(settings: Settings, port: int) -> str | None:
    """What `assistant serve` says before serving on the network (None on loopback)."""
    if is_loopback(settings.server_address):
        return None
    rule = document_access(settings, settings.server_address)
    note = "文書の変更には管理者のサインインが必要です。" if rule.mode == "sign_in" else rule.message
    return f"ネットワークに公開します（{settings.server_address}:{port}）。{note}"


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_CHARS:
        return f"パスワードが短すぎます。{MIN_PASSWORD_CHARS} 文字以上にしてください。"
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        return f"パスワードが長すぎます。{BCRYPT_MAX_BYTES} バイト（全角なら 24 文字）以内にしてください。"
    return None


def hash_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii")


def verify_password(password: str, settings: Settings) -> bool:
    """True when `password` matches the configured hash (False when none is configured)."""
    if settings.admin_password_hash is None or not password:
        return False
    data = password.encode("utf-8")
    if len(data) > BCRYPT_MAX_BYTES:
        return False
    return bcrypt.checkpw(data, settings.admin_password_hash.get_secret_value().encode("ascii"))
