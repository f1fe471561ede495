"""Database engines for the store: the default URL, SQLite settings, write transactions.

SQLite: WAL journal (readers read the active version while an import writes), foreign keys on, a 30 s
busy timeout, and write transactions that begin with BEGIN IMMEDIATE (engines made with the `WRITE`
execution option), so that concurrent writers queue for the one write lock instead of failing on a
stale read snapshot. An in-memory URL shares one connection. PostgreSQL needs nothing special: its
writers serialise on the state row (SELECT ... FOR UPDATE in `core`).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from exportctl.errors import StoreError

__all__ = [
    "ENV_URL", "WRITE", "create_tables", "create_tables_once", "default_url", "driver_row", "iso",
    "make_engine",
]  # fmt: skip

ENV_URL = "EXPORTCTL_DATABASE_URL"
WRITE = "exportctl_write"


_CREATE_TRIES = 5
_created: set[str] = set()
_created_lock = threading.Lock()


def create_tables(metadata: sa.MetaData, engine: Engine) -> None:
    """CREATE the missing tables of `metadata`, safe when other processes create them at the same time."""
    # CREATE ... IF NOT EXISTS, one table (with its indexes) per transaction: a racing process that made
    # a table first is no error. PostgreSQL can still refuse a concurrent CREATE of the same name (a
    # unique violation in its catalog) and SQLite can be busy, so a refused table is tried again; a real
    # failure recurs on every try and is raised.
    for table in metadata.sorted_tables:
        for attempt in range(_CREATE_TRIES):
            try:
                with engine.begin() as conn:
                    conn.execute(sa.schema.CreateTable(table, if_not_exists=True))
                    for index in sorted(table.indexes, key=lambda i: str(i.name)):
                        conn.execute(sa.schema.CreateIndex(index, if_not_exists=True))
                break
            except (sa.exc.ProgrammingError, sa.exc.IntegrityError, sa.exc.OperationalError):
                if attempt == _CREATE_TRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))


def create_tables_once(metadata: sa.MetaData, engine: Engine) -> None:
    """`create_tables`, once per metadata and engine in this process."""
    key = f"{id(metadata)}:{id(engine)}:{engine.url}"
    with _created_lock:
        if key not in _created:
            create_tables(metadata, engine)
            _created.add(key)


def default_url() -> str:
    """EXPORTCTL_DATABASE_URL, else a SQLite file in the user data directory."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    return _user_store_url(os.environ.get("XDG_DATA_HOME"), os.environ.get("HOME"))


@cache
def _user_store_url(_xdg: str | None, _home: str | None) -> str:
    # found once per home: every answer of a batch asks (ops.gate.forced_warning), ~80 µs each time
    folder = Path(platformdirs.user_data_dir("exportctl", appauthor=False))
    return f"sqlite:///{folder / 'store.db'}"


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for the URL (StoreError naming EXPORTCTL_DATABASE_URL when unusable)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(f"not a database URL: {url!r}", field=ENV_URL) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            # One shared connection, or every new connection would see a new empty database.
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs.update(connect_args={"timeout": 30})
    try:
        engine = sa.create_engine(url, **kwargs)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot use database URL {parsed!r}: {exc}", field=ENV_URL) from None
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        sa.event.listen(engine, "handle_error", _sqlite_corrupt)
    return engine


# SQLite's words for a damaged file; such an error is the store's state, not a bug of the caller
CORRUPT = ("database disk image is malformed", "file is not a database", "Could not decode to UTF-8")


def _sqlite_corrupt(context: sa.engine.ExceptionContext) -> None:
    text = str(context.original_exception)
    if any(words in text for words in CORRUPT):
        # raising here replaces the driver error: one clear line instead of "internal error (DatabaseError)"
        raise StoreError(
            f"the data store is damaged ({text}): restore it from a copy, or point {ENV_URL} at another",
            field=ENV_URL,
        )


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets readers (API, engines) read the active version while an import writes a new one.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer starts with BEGIN IMMEDIATE: it waits (busy timeout) for the one write lock instead of
    # failing when a read snapshot turns stale. Other connections keep the driver's own behaviour
    # (a transaction begins at the first write), which other users of the engine rely on.
    if conn.get_execution_options().get(WRITE, False):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def iso(value: object) -> str | None:
    """A database timestamp as ISO 8601 UTC text ("...Z"); naive values are taken as UTC."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite keeps CURRENT_TIMESTAMP as naive UTC text
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return str(value)


def driver_row(engine: Any, sql: str) -> tuple[Any, ...] | None:
    """The first row of `sql` read through the database driver, not SQLAlchemy's statement machinery (four
    fifths of a ~110 us read asked on every single answer); the connection goes back to the pool."""
    raw = engine.raw_connection()
    # psycopg 3 (PostgreSQL): one statement read in autocommit, one round trip; in a transaction it was three
    # (BEGIN, the read, and the ROLLBACK as the connection goes back to the pool). The read sees what was
    # committed before it began either way.
    single = engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
    try:
        if single:
            raw.driver_connection.autocommit = True
        cursor = raw.cursor()
        cursor.execute(sql)
        row = cursor.fetchone()
        cursor.close()
        if single:
            raw.driver_connection.autocommit = False
    except BaseException:
        if single:
            raw.invalidate()  # not handed out again in autocommit
        raise
    finally:
        raw.close()
    return None if row is None else tuple(row)
