"""kill -9 of the server under load (#16 part 7): the audit chain holds, and no answered request is lost.

A real `exportctl serve` process on a SQLite store answers checks from several client threads;
once some answers are in, it is killed with SIGKILL mid-load. Then the audit trail must verify whole, and
hold at least one record per answer the clients received.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import sqlalchemy as sa
from store_faults import free_port, pack_store

from exportctl.ops import audit
from exportctl.store.tokens import create_token


def test_kill_9_under_load_keeps_the_audit_chain(tmp_path: Path) -> None:
    """SIGKILL while 4 clients post checks: audit verify ok, records >= answers received."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    pack_store(url)
    engine = sa.create_engine(url)
    secret, _ = create_token(engine, ["check", "admin"], now="2026-11-23T00:00:00.000000Z")
    engine.dispose()
    port = free_port()
    env = {**os.environ, "EXPORTCTL_DATABASE_URL": url, "EXPORTCTL_CACHE_DIR": str(tmp_path / "cache")}
    server = subprocess.Popen(
        [sys.executable, "-m", "exportctl", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    answered: list[int] = []
    try:
        for _ in range(600):
            assert server.poll() is None, "the server exited at start"
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        headers = {"Authorization": f"Bearer {secret}"}
        body = {"eccn": "3A090", "destination": "CN", "date": "2026-06-01"}
        assert httpx.post(f"{base}/v1/check", json=body, headers=headers, timeout=120).status_code == 200
        answered.append(1)
        stop = threading.Event()

        def client() -> None:
            with httpx.Client(base_url=base, timeout=60) as c:
                while not stop.is_set():
                    try:
                        r = c.post("/v1/check", json=body, headers=headers)
                    except httpx.HTTPError:
                        return  # the server is gone
                    if r.status_code == 200:
                        answered.append(1)

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(answered) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)  # mid-load: requests are in flight
        server.wait(timeout=30)
        stop.set()
        for t in threads:
            t.join(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=30)
    engine = audit.engine_of(url)
    result = audit.verify(engine=engine)
    engine.dispose()
    assert result["ok"] is True, result
    assert result["records"] >= len(answered) > 1
