"""The page's database: one SQLAlchemy engine from `Settings.database_url`.

By default a SQLite file under the data folder (`<data_dir>/assistant.sqlite3`); set
`ASSISTANT_DATABASE_URL=postgresql+psycopg://…` to let several page instances share one
PostgreSQL. Only portable SQLAlchemy Core types are used (no SQLite-only SQL), so the
same tables work on both.

Concurrent writers are safe: every write is one short transaction. On SQLite the file is
in WAL mode (readers never wait for a writer), a busy writer waits up to
`SQLITE_BUSY_TIMEOUT_S` instead of failing, and a write transaction takes the write lock
when it begins (`BEGIN IMMEDIATE`), so two writers never both read and then collide.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, DateTime, Engine, MetaData, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import TypeDecorator

from assistant.settings import Settings

DB_FILE = "assistant.sqlite3"
SQLITE_BUSY_TIMEOUT_S = 30
metadata = MetaData()  # every table of the page (feedback, conversations); each store ensures its own


class UTCDateTime(TypeDecorator):  # type: ignore[type-arg]
    """A timezone-aware datetime stored as UTC on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (UTC)")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def now() -> datetime:
    return datetime.now(timezone.utc)


def database_url(settings: Settings) -> str:
    """`settings.database_url`, or the SQLite file under the data folder."""
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{(Path(settings.data_dir) / DB_FILE).resolve()}"


class Database:
    """One engine and the page's tables. Use `read()` / `write()` for short transactions."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(self.url, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            _sqlite_pragmas(self.engine)
        self._ensured: set[str] = set()
        self._lock = threading.Lock()

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for a server database)."""
        return Path(self.url.database) if self.is_sqlite and self.url.database else None

    def describe(self) -> str:
        """Where the data lives, for staff (a server URL without its password)."""
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)

    def ensure(self, *tables: Table) -> None:
        """Create these tables if they do not exist yet (once per process and database)."""
        missing = [t for t in tables if t.name not in self._ensured]
        if not missing:
            return
        with self._lock:
            try:
                self._create(missing)
            except SQLAlchemyError:
                # Another instance created them at the same moment (PostgreSQL): check again.
                self._create(missing)
            self._ensured.update(t.name for t in missing)

    def _create(self, tables: list[Table]) -> None:
        with self.write() as conn:  # on SQLite: BEGIN IMMEDIATE, so two instances take turns
            metadata.create_all(conn, tables=tables)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction, committed on success and rolled back on error."""
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn = conn.execution_options(sqlite_write=True)
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(engine: Engine) -> None:
    """SQLAlchemy's documented recipe for real transactions on pysqlite, plus WAL."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # the driver issues no BEGIN; `_begin` does
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        for attempt in range(50):  # switching a new file to WAL needs it alone for a moment
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError:
                time.sleep(0.05 * (attempt + 1))
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_lock = threading.Lock()
_databases: dict[str, Database] = {}


def open_database(settings: Settings) -> Database:
    """The one `Database` of this process for the configured URL (created on first use)."""
    url = database_url(settings)
    with _lock:
        db = _databases.get(url)
        if db is None:
            db = _databases[url] = Database(url)
        return db
