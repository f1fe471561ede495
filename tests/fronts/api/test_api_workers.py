"""`exportctl serve --workers 2`: concurrent requests to two processes leave ONE intact audit chain, on
SQLite and on PostgreSQL (a real server process, real HTTP)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from exportctl.ops.audit import engine_of
from exportctl.store.audit import head, verify_chain
from exportctl.store.tokens import create_token

pytestmark = pytest.mark.slow

QUERIES = [
    {"eccn": "3A090", "destination": "CN", "date": "2025-05-01"},
    {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"},
    {"eccn": "5A002", "destination": "RU", "date": "2024-01-01"},
    {"eccn": "0A501", "destination": "MX", "date": "2024-06-01"},
]


REQUESTS = 48  # at once, from as many clients: both workers append to the trail together


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh SQLite file, or a fresh schema on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


def test_two_workers_one_chain(store_url: str) -> None:
    url = store_url
    engine = engine_of(url)
    from exportctl.store import active_dataset

    active_dataset(url)  # the bundled pack imported once, before the workers start
    token, _ = create_token(engine, ["check"], now=dt.datetime.now(dt.UTC).isoformat(), name="workers")
    port = _port()
    env = {
        **os.environ,
        "EXPORTCTL_DATABASE_URL": url,
        "EXPORTCTL_API_RATE": "100000",
        "EXPORTCTL_API_BURST": "100000",
    }
    exe = Path(sys.executable).with_name("exportctl")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # each worker builds the app (minutes on a loaded CI machine): a guard, not a measure
        deadline = time.monotonic() + 900
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, "the service exited while starting"
            assert time.monotonic() < deadline, "the service did not start within 900 s"
            time.sleep(0.2)
        assert len(_children(proc.pid)) >= 2, "two worker processes"
        before = head(engine)["seq"]
        statuses: list[int] = []

        def ask(i: int) -> None:
            r = httpx.post(
                f"{base}/v1/check",
                json=QUERIES[i % len(QUERIES)],
                headers={"Authorization": f"Bearer {token}"},
                timeout=900,
            )
            statuses.append(r.status_code)

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(REQUESTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert statuses == [200] * REQUESTS
    assert head(engine)["seq"] - before == REQUESTS  # one record per answer, none lost
    chain = verify_chain(engine)
    engine.dispose()
    assert chain["ok"], chain
