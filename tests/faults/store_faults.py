"""Shared by the store fault tests (not a test file): stores with the bundled pack, and the commands run.

`pack_store(url)` puts the pack into an empty store (a SQLite one as a copy of a template built once
per process: importing and gating the pack is the slow part of most fault tests); `answers(...)` runs
each command on the store named by EXPORTCTL_DATABASE_URL through the real Typer app, as a user would,
and returns what it gave.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import uvicorn
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app
from exportctl.ops import gate as gates
from exportctl.store import clear_cache, ensure_active, open_store

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# (label, argv): every command the fault run saw crash or clear, each on a table the pack holds
_CHECK = ("check", "--to", "CN", "--date", "2026-06-01", "--format", "json")
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("check 3A090 CN", (*_CHECK, "--eccn", "3A090")),
    ("check 1C010 CN", (*_CHECK, "--eccn", "1C010")),
    ("check Huawei", (*_CHECK, "--eccn", "EAR99", "--party", "Huawei Technologies Co., Ltd.")),
    ("screen Huawei", ("screen", "Huawei Technologies", "--format", "json")),
    ("tariff 8542.31.00 CN", ("tariff", "--hts", "8542.31.00", "--origin", "CN", "--date", "2025-05-01")),
    ("data status", ("data", "status", "--format", "json")),
    ("data verify", ("data", "verify")),
)
CLEARANCES = ("no_license_required", "license_exception_available")


@dataclass(frozen=True)
class Outcome:
    """What one command gave: exit code, stdout and stderr."""

    code: int
    out: str
    err: str

    def one_error(self) -> str:
        """The one error line (text, or the JSON error shape under --format json) as its message."""
        [line] = self.err.strip().splitlines()
        if line.startswith("{"):
            shape = json.loads(line)
            assert set(shape) == {"error", "message", "field", "file", "line", "suggestions"}, shape
            return f"{shape['error']}: {shape['message']}"
        assert line.startswith("error: "), line
        return line

    @property
    def traceback(self) -> bool:
        """True when anything looks like a Python traceback."""
        return "Traceback" in self.out + self.err or 'File "' in self.err


def run(*argv: str) -> Outcome:
    """One command through the Typer app, on a fresh process cache (as a new process would load)."""
    clear_cache()
    result = CliRunner().invoke(app, list(argv))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return Outcome(99, result.stdout, f"Traceback: {type(result.exception).__name__}: {result.exception}")
    return Outcome(result.exit_code, result.stdout, result.stderr)


def answers(timings: dict[str, float] | None = None) -> dict[str, Outcome]:
    """Every command of COMMANDS on the store named by EXPORTCTL_DATABASE_URL (seconds into `timings`)."""
    out = {}
    for label, argv in COMMANDS:
        start = time.perf_counter()
        out[label] = run(*argv)
        if timings is not None:
            timings[label] = time.perf_counter() - start
    return out


_TEMPLATE: list[tuple[Path, str]] = []
_TEMPLATE_LOCK = threading.Lock()


def pack_template() -> tuple[Path, str]:
    """A SQLite store file holding the bundled pack, active, with its gate record (checkpointed: one file),
    built once per process and removed at exit; and the pack's version id."""
    with _TEMPLATE_LOCK:
        if not _TEMPLATE:
            folder = Path(tempfile.mkdtemp(prefix="exportctl-pack-template-"))
            atexit.register(shutil.rmtree, folder, True)
            url = f"sqlite:///{folder / 'store.db'}"
            store = open_store(url)
            try:
                version = ensure_active(store)
                store.record_gate(version, gates.gate)
            finally:
                store.close()
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            _TEMPLATE.append((folder / "store.db", version))
        return _TEMPLATE[0]


def pack_store(url: str) -> str:
    """Import and activate the bundled data pack into the empty store at `url`; returns the version.

    A SQLite store that does not exist yet is a copy of `pack_template()` (the same rows, gate record
    included); any other store imports the pack."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        template, version = pack_template()
        shutil.copy(template, url.removeprefix("sqlite:///"))
        return version
    store = open_store(url)
    try:
        return ensure_active(store)
    finally:
        store.close()


def pg_base() -> str | None:
    """The PostgreSQL URL to test against, or None to skip (only when unset and no server answers)."""
    url = os.environ.get("EXPORTCTL_TEST_PG_URL")
    if url:
        return url  # set (as CI does): a missing server fails the tests
    engine = sa.create_engine(PG_DEFAULT, connect_args={"connect_timeout": 2})
    try:
        with engine.connect():
            return PG_DEFAULT
    except sa.exc.OperationalError:
        return None
    finally:
        engine.dispose()


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """A URL whose connections use a fresh schema of their own, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        clear_cache()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(app: object) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread on loopback; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", ws="none", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        assert server.started, "server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
