"""`exportctl token ...`, `exportctl audit ...` and `exportctl serve` through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app
from exportctl.ops import audit
from exportctl.store import clear_cache

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite store named by EXPORTCTL_DATABASE_URL."""
    value = f"sqlite:///{tmp_path / 'svc.db'}"
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", value)
    clear_cache()
    yield value
    clear_cache()


def test_token_create_list_revoke(url: str) -> None:
    out = runner.invoke(
        app, ["token", "create", "--scope", "check", "--scope", "read", "--name", "erp", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    made = json.loads(out.stdout)
    assert len(made["token"]) >= 40 and made["scopes"] == ["read", "check"]
    listed = json.loads(runner.invoke(app, ["token", "list", "--format", "json"]).stdout)
    assert [t["id"] for t in listed] == [made["id"]] and "token" not in listed[0]
    assert made["token"] not in runner.invoke(app, ["token", "list", "--format", "csv"]).stdout
    out = runner.invoke(app, ["token", "revoke", made["id"], "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["revoked_at"]
    assert json.loads(runner.invoke(app, ["token", "list", "--format", "json"]).stdout) == []
    assert len(json.loads(runner.invoke(app, ["token", "list", "--all", "--format", "json"]).stdout)) == 1


def test_token_bad_scope_is_one_line(url: str) -> None:
    out = runner.invoke(app, ["token", "create", "--scope", "root"])
    assert out.exit_code == 2
    assert (
        out.stderr.startswith("error: field 'scope': unknown scope 'root'") and "Traceback" not in out.output
    )


def _records(n: int) -> None:
    for i in range(n):
        audit.record(
            "check",
            {"i": i},
            {"verdict": "hold", "i": i},
            data_version="d" * 64,
            engine_version="ear-1",
            actor="cli-test",
        )


def test_audit_verify_detects_an_edited_record(url: str) -> None:
    _records(5)
    out = runner.invoke(app, ["audit", "verify", "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["records"] == 5
    engine = sa.create_engine(url)  # a second connection, as someone editing the database would have
    with engine.begin() as conn:
        conn.execute(
            sa.text('UPDATE audit_log SET outputs = \'{"verdict":"no_license_required"}\' WHERE seq = 3')
        )
    engine.dispose()
    out = runner.invoke(app, ["audit", "verify"])
    assert out.exit_code == 1
    assert "record 3" in out.stdout
    assert (
        json.loads(runner.invoke(app, ["audit", "verify", "--format", "json"]).stdout)["first_bad_seq"] == 3
    )


def test_audit_verify_detects_a_deleted_record(url: str) -> None:
    _records(4)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq = 2"))
    engine.dispose()
    out = runner.invoke(app, ["audit", "verify", "--format", "json"])
    assert out.exit_code == 1 and json.loads(out.stdout)["first_bad_seq"] == 2


def test_audit_export_csv_and_jsonl(url: str, tmp_path: Path) -> None:
    _records(3)
    out = runner.invoke(app, ["audit", "export", "--format", "jsonl"])
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["seq"] for x in lines] == [1, 2, 3] and lines[0]["outputs"] == {"i": 0, "verdict": "hold"}
    target = tmp_path / "audit.csv"
    out = runner.invoke(
        app,
        [
            "audit",
            "export",
            "--from",
            "2000-01-01",
            "--to",
            "2999-12-31",
            "--format",
            "csv",
            "-o",
            str(target),
        ],
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert len(rows) == 3 and rows[1]["prev_hash"] == rows[0]["record_hash"]
    assert runner.invoke(app, ["audit", "export", "--from", "2000-01-01", "--to", "2000-01-31"]).stdout == ""
    bad = runner.invoke(app, ["audit", "export", "--format", "xml"])
    assert bad.exit_code == 2 and "format" in bad.stderr
    bad = runner.invoke(app, ["audit", "export", "--from", "2025-02-30"])
    assert bad.exit_code == 2 and "from" in bad.stderr


def _response(conn: Any) -> bytes:
    """One whole HTTP response read from a socket: the head, then its Content-Length body (the server may
    send them in separate writes, so one recv can end after the head)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = conn.recv(65536)
        assert chunk, "the server closed the connection"
        body += chunk
    return data


def test_serve_answers_health(tmp_path: Path) -> None:
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "EXPORTCTL_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "exportctl"), "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("exportctl serve did not answer")
        assert r.status_code == 200 and r.json()["status"] == "ok"
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and "<html" in page.text.lower()
        assert httpx.get(f"http://127.0.0.1:{port}/v1/data/status", timeout=5).status_code == 401
        # an idle keep-alive connection outlives the clients' own idle expiry (httpx: 5 s), so that a client
        # never sends on a connection the server is closing (service.KEEP_ALIVE_SECONDS)
        ask = f"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
        with __import__("socket").create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(ask)
            assert _response(conn).startswith(b"HTTP/1.1 200")
            time.sleep(6)
            conn.sendall(ask)
            assert _response(conn).startswith(b"HTTP/1.1 200")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_batch_run_is_recorded(tmp_path: Path) -> None:
    # `exportctl check FILE` runs through ops.check.check_file, which records the run (session store,
    # which other xdist workers write to as well: find this run's record by its unique file name)
    book = tmp_path / f"book-{uuid.uuid4().hex}.csv"
    book.write_text("order_id,eccn,destination,date\nA,EAR99,DE,2025-05-01\nB,3A090.a,CN,2025-05-01\n")
    before = audit.verify()["head_seq"]
    out = runner.invoke(app, ["check", str(book), "--format", "json"])
    assert out.exit_code == 0, out.output
    mine = [
        r
        for r in audit.records()
        if r["seq"] > before and json.loads(r["outputs"]).get("source") == book.name
    ]
    assert [r["kind"] for r in mine] == ["check_chunk", "check_run"]
    assert all(r["actor"].startswith("cli:") for r in mine)
    chunk, run = (json.loads(r["outputs"]) for r in mine)
    assert chunk["rows"] == run["rows"] == 2 and run["chunks"] == [mine[0]["seq"]]


def test_audit_verify_checks_a_results_file(tmp_path: Path) -> None:
    # the run is recorded in the session store; the file is checked against it, then changed by one row
    book = tmp_path / f"book-{uuid.uuid4().hex}.csv"
    book.write_text("order_id,eccn,destination,date\nA,EAR99,DE,2025-05-01\nB,3A090.a,CN,2025-05-01\n")
    results = tmp_path / f"results-{uuid.uuid4().hex}.csv"
    assert runner.invoke(app, ["check", str(book), "-o", str(results)]).exit_code == 0
    out = runner.invoke(app, ["audit", "verify", str(results), "--format", "json"])
    got = json.loads(out.stdout)
    assert out.exit_code == 0 and got["ok"] and got["file"]["ok"] and got["file"]["rows"] == 2, out.output
    assert "is the file of audit record" in runner.invoke(app, ["audit", "verify", str(results)]).stdout
    results.write_text(results.read_text().replace("no_license_required", "license_required", 1))
    out = runner.invoke(app, ["audit", "verify", str(results), "--format", "json"])
    got = json.loads(out.stdout)
    assert out.exit_code == 1 and not got["ok"] and got["file"]["bad_rows"] == [1, 2], out.output
    assert "DIFFERS" in runner.invoke(app, ["audit", "verify", str(results)]).stdout


def test_review_from_the_cli() -> None:
    from exportctl.ops.screen import screen_names

    hit = screen_names(["Huawei Technologies"])[0]["hits"][0]
    note = f"cli review {uuid.uuid4().hex[:8]}"
    args = ["audit", "review", "Huawei Technologies", "--list", hit["list"], "--entity-id", hit["entity_id"]]
    out = runner.invoke(app, [*args, "--decision", "match", "--note", note, "--format", "json"])
    assert out.exit_code == 0, out.output
    made = json.loads(out.stdout)
    assert made["decision"] == "match" and made["actor"].startswith("cli:") and made["audit_seq"] >= 1
    listed = json.loads(runner.invoke(app, ["audit", "reviews", "--limit", "500", "--format", "json"]).stdout)
    assert any(r["note"] == note for r in listed)
    bad = runner.invoke(app, [*args, "--decision", "perhaps"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: field 'decision'")


def test_served_app_builds_its_check_context_as_it_starts(tmp_path: Path, monkeypatch: Any) -> None:
    import asyncio

    from exportctl.fronts.api.app import create_served_app

    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", f"sqlite:///{tmp_path / 'warm.db'}")
    app = create_served_app()
    assert app.state.contexts == {}

    async def start() -> None:
        async with app.router.lifespan_context(app):  # what uvicorn runs before it accepts
            deadline = time.monotonic() + 900  # a guard for loaded machines, not a measure
            while not app.state.contexts and time.monotonic() < deadline:
                await asyncio.sleep(0.2)

    asyncio.run(start())
    assert len(app.state.contexts) == 1  # built without any request asking for it
