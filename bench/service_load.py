"""Bounded load on the HTTP service, on loopback only, beside the same calls made in-process.

    .venv/bin/python bench/service_load.py [--clients 50] [--seconds 30] [--batches 10] [--batch-rows 1000]
        [--workers 1] [--gather-ms 2] [--baseline-gather 0] [--pg] [--database-url URL ...] [--warm-all]
        [--batch-clients 2,4] [--batch-reps 5] [--open-reps 3]

Starts `exportctl serve [--workers N]` as its own process on 127.0.0.1 over a fresh SQLite store (and, with
--pg, over PostgreSQL at EXPORTCTL_TEST_PG_URL; or each --database-url), makes a token, then:
  1. single checks: --clients concurrent clients for --seconds, each sending one check after another
     (transactions taken from the bundled demo order book);
  2. batch checks: --batches requests of --batch-rows transactions each, one at a time (httpx, then the
     light client below, its answers read with orjson); then httpx asking no content-encoding, the light
     client asking zstd (Accept-Encoding), each distinct answer once (Accept: DISTINCT, expanded to
     {id: answer} by the client) and both; then --batch-clients light clients at once (each a process
     of its own), as sent by default and with both (each answer decoded and expanded); one batch's answers
     are compared in every representation;
and the same calls in-process (ops.check.check_one / check_table with a shared Context, one at a time).
Prints requests per second, p50, p95 and p99 latency and errors, the service's overhead as ratios, and the
machine's load (os.getloadavg) before and after. `--gather-ms` is how long the service gathers concurrent
single checks into one batch (fronts/api/gather.py; 0: each answered alone). `--warm-all` sends every
distinct single query to the server once before the timed load, as the in-process side has answered each.
Then the same single checks through a light client (prepared request bytes on keep-alive connections,
~0.1 ms of CPU per request where httpx costs 3-4 ms: on a 2-core machine the clients take CPU the server
is measured on), closed loop, and open loop with `--rate R` (R checks sent per second on schedule, at
most --clients in flight, latency from the scheduled send time so queueing counts, as wrk2 measures).
The httpx and light-client batches are sent --batch-reps times over and the open loop run --open-reps times,
back to back: the table pools them, and the rows per second (and open-loop p99) of each repetition are printed
with their median and range (the warm-up before them is not timed). Then checks that the audit trail holds
exactly one record per answered request and verifies its chain.
Exit status 1 when any request failed or any audit record is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

# this tree's code, in this process and in the server it starts (not whatever the venv has installed)
SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def demo_queries(include_cn: bool = False) -> list[dict[str, Any]]:
    """The demo order book's rows as API check queries (US exports only unless `include_cn`)."""
    path = Path(str(resources.files("exportctl.data").joinpath("demo", "orders.csv")))
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not include_cn and (row["exporting_country"] or "US").upper() != "US":
                continue
            q: dict[str, Any] = {
                "destination": row["destination"],
                "exporting_country": row["exporting_country"] or "US",
                "date": row["date"],
            }
            for key in ("eccn", "product", "end_use"):
                if row.get(key):
                    q[key] = row[key]
            parties = [p for p in (row.get("ultimate_consignee"), row.get("end_user")) if p]
            if parties:
                q["parties"] = parties
            if row.get("value_usd"):
                q["value"] = float(row["value_usd"])
            out.append(q)
    return out


def valid_singles(queries: list[dict[str, Any]], ctx: Any) -> list[dict[str, Any]]:
    """The queries a single check answers (the demo holds deliberately bad rows for the batch path)."""
    from exportctl.errors import ExportctlError

    good = []
    for q in queries:
        try:
            in_process_one(q, ctx)
            good.append(q)
        except ExportctlError:
            pass
    return good


def in_process_one(q: dict[str, Any], ctx: Any) -> dict[str, Any]:
    """The call the API's single check makes."""
    from exportctl.ops.check import check_one

    return check_one(
        destination=q["destination"], as_of=dt.date.fromisoformat(q["date"]), eccn=q.get("eccn"),
        product=q.get("product"), exporting_country=q.get("exporting_country", "US"),
        parties=q.get("parties", []), end_use=q.get("end_use"), value=q.get("value"), context=ctx,
    )  # fmt: skip


def in_process_batch(rows: dict[str, dict[str, Any]], ctx: Any) -> Any:
    """The call the API's batch check makes (ops.batch.check_keyed: the same frame, through check_table)."""
    from exportctl.ops.batch import check_keyed

    fields = ("eccn", "product", "end_use", "value")
    queries = {
        qid: {
            "destination": q["destination"],
            "as_of": dt.date.fromisoformat(q["date"]),
            "exporting_country": q.get("exporting_country", "US"),
            "parties": q.get("parties", []),
            **{k: q.get(k) for k in fields},
        }
        for qid, q in rows.items()
    }
    return check_keyed(queries, context=ctx, fuzzy=True)  # as the API's batch without "exact"


SERVER_LOG: Path | None = None  # --server-log: the server's stderr (tracebacks of failed requests)


def start_server(url: str, port: int, workers: int = 1, gather_ms: float = 2.0) -> subprocess.Popen[bytes]:
    """`exportctl serve` on loopback, as its own process, with rate limits out of the way."""
    exe = Path(sys.executable).parent / "exportctl"
    env = {
        **os.environ,
        "EXPORTCTL_DATABASE_URL": url,
        "EXPORTCTL_API_RATE": "1000000",
        "EXPORTCTL_API_BURST": "1000000",
        "EXPORTCTL_API_GATHER_MS": str(gather_ms),
        "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p),
    }
    command = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    log = SERVER_LOG.open("ab") if SERVER_LOG else subprocess.DEVNULL
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    # `serve` builds each worker's check context before it accepts: minutes on a loaded machine
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not start")


async def single_load(
    base: str, token: str, queries: list[dict[str, Any]], clients: int, seconds: float
) -> dict[str, Any]:
    """`clients` concurrent clients sending single checks for `seconds`."""
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120, limits=limits) as client:

        async def worker(k: int) -> None:
            i = k
            while time.perf_counter() < deadline:
                q = queries[i % len(queries)]
                i += clients
                t0 = time.perf_counter()
                try:
                    r = await client.post("/v1/check", json=q)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {r.text[:120]}")
                        continue
                except httpx.HTTPError as err:
                    errors.append(type(err).__name__)
                    continue
                latencies.append(time.perf_counter() - t0)

        started, cpu0 = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker(k) for k in range(clients)))
        elapsed = time.perf_counter() - started
    return {
        "ok": len(latencies),
        "errors": errors,
        "elapsed": elapsed,
        "latencies": latencies,
        "client_cpu": time.process_time() - cpu0,
    }


class RawConnection:
    """One keep-alive HTTP/1.1 connection with prepared request bytes: a client costing ~0.1 ms of CPU per
    request where httpx's AsyncClient costs 3-4 ms, so that on a 2-core machine the clients do not take
    the CPU the server is measured on. Reads Content-Length bodies (uvicorn's answers)."""

    IDLE_EXPIRY = 5.0  # seconds an idle connection is kept, as httpx's pools keep them (keepalive_expiry)

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0
        self.zstd = False  # the last answer was zstd-encoded

    async def post(self, request: bytes) -> tuple[int, bytes]:
        """Send one prepared request; its status and body (reconnecting when the connection is closed, or
        has been idle IDLE_EXPIRY seconds: a server closing idle connections sooner races the client)."""
        if self.writer is not None and time.monotonic() - self.used >= self.IDLE_EXPIRY:
            self.close()
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        try:
            self.writer.write(request)
            head = await self.reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            lower = head.lower()
            at = lower.find(b"\r\ncontent-length:")
            if at < 0:
                raise ConnectionError("answer without Content-Length")
            length = int(lower[at + 17 : lower.find(b"\r\n", at + 2)])
            body = await self.reader.readexactly(length)
            self.zstd = b"\r\ncontent-encoding: zstd" in lower
            self.used = time.monotonic()
            if b"\r\nconnection: close" in lower:
                self.close()
            return status, body
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Drop the connection (the next post opens another)."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def prepared(base: str, token: str, queries: list[dict[str, Any]], extra: str = "") -> list[bytes]:
    """Each query as the bytes of a POST /v1/check (`extra`: more header lines, each ending in CRLF)."""
    host = base.split("//", 1)[1]
    out = []
    for q in queries:
        body = json.dumps(q).encode("utf-8")
        head = (
            f"POST /v1/check HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n{extra}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        out.append(head.encode("latin-1") + body)
    return out


def _answered(status: int, body: bytes) -> str | None:
    """None for a check's answer, else the error to count."""
    if status != 200:
        return f"{status} {body[:120].decode('utf-8', 'replace')}"
    if b'"verdict"' not in body:
        return "200 without a verdict"
    return None


async def raw_load(
    base: str, token: str, queries: list[dict[str, Any]], clients: int, seconds: float, rate: float | None
) -> dict[str, Any]:
    """Single checks through RawConnection: closed loop (`rate` None: `clients` clients, each sending its
    next check when answered) or open loop (checks sent at `rate` per second on schedule, at most
    `clients` in flight; latency from the scheduled send time, so time queued for a free connection
    counts, as wrk2 measures against coordinated omission)."""
    host, port = base.split("//", 1)[1].split(":")
    requests = prepared(base, token, queries)
    latencies: list[float] = []
    sent: list[float] = []  # each answered check's scheduled send, from the start
    errors: list[str] = []
    free = [RawConnection(host, int(port)) for _ in range(clients)]
    available = asyncio.Semaphore(clients)
    cpu0 = time.process_time()

    async def one(i: int, scheduled: float) -> None:
        conn = free.pop()
        try:
            status, body = await conn.post(requests[i % len(requests)])
            problem = _answered(status, body)
        except (OSError, asyncio.IncompleteReadError, ValueError) as err:
            problem = type(err).__name__
        finally:
            free.append(conn)
            available.release()
        if problem:
            errors.append(problem)
        else:
            latencies.append(time.perf_counter() - scheduled)
            sent.append(scheduled - started)

    started = time.perf_counter()
    tasks = []
    if rate is None:

        async def client(k: int) -> None:
            i = k
            while time.perf_counter() < started + seconds:
                await available.acquire()
                await one(i, time.perf_counter())
                i += clients

        await asyncio.gather(*(client(k) for k in range(clients)))
    else:
        total = int(rate * seconds)
        for i in range(total):
            scheduled = started + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await available.acquire()  # all `clients` busy: wait (the wait counts in the latency)
            tasks.append(asyncio.create_task(one(i, scheduled)))
        await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    for conn in free:
        conn.close()
    return {
        "ok": len(latencies),
        "errors": errors,
        "elapsed": elapsed,
        "latencies": latencies,
        "sent": sent,
        "client_cpu": time.process_time() - cpu0,
    }


def batch_load(
    base: str, token: str, batches: list[dict[str, dict[str, Any]]], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """Batch checks one after another (httpx's own headers: Accept-Encoding names zstd when zstandard is
    installed, and httpx decodes it; `headers` added)."""
    latencies: list[float] = []
    errors: list[str] = []
    sent = {"Authorization": f"Bearer {token}", **(headers or {})}
    cpu0 = time.process_time()
    with httpx.Client(base_url=base, headers=sent, timeout=600) as client:
        started = time.perf_counter()
        for b in batches:
            t0 = time.perf_counter()
            r = client.post("/v1/check", json={"queries": b})
            if r.status_code != 200 or len(r.json()["responses"]) != len(b):
                errors.append(f"{r.status_code} {r.text[:120]}")
                continue
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
    return {"ok": len(latencies), "errors": errors, "elapsed": elapsed, "latencies": latencies,
            "client_cpu": time.process_time() - cpu0}  # fmt: skip


DISTINCT = "application/vnd.exportctl.distinct+json"  # fronts/api/batch_json.py


def batch_answers(body: bytes, zstd: bool) -> dict[str, Any]:
    """A batch answer's {id: answer}, as a client reads it: zstd decoded, the DISTINCT shape expanded
    (each id given its answer object: answers[answer_of[id]])."""
    import orjson
    import zstandard

    got = orjson.loads(zstandard.ZstdDecompressor().decompress(body) if zstd else body)
    if "answer_of" in got:
        answers = got["answers"]
        return {qid: answers[at] for qid, at in got["answer_of"].items()}
    return dict(got["responses"])


async def light_batch_load(
    base: str, token: str, batches: list[dict[str, dict[str, Any]]], clients: int = 1, extra: str = ""
) -> dict[str, Any]:
    """The batches through the light client (prepared request bytes, keep-alive connections, answers read
    with orjson): httpx's json() of a 3 MB answer is ~40 ms of the client's CPU per batch on the machine the
    server is measured on. `clients` clients at once, each sending every batch in turn (client k starting
    at batch k); `extra` header lines (Accept-Encoding: zstd, Accept: DISTINCT), each answer decoded as a
    client reads it (batch_answers)."""
    host, port = base.split("//", 1)[1].split(":")
    requests = prepared(base, token, [{"queries": b} for b in batches], extra)
    latencies: list[float] = []
    errors: list[str] = []
    cpu0 = time.process_time()

    async def client(k: int) -> None:
        conn = RawConnection(host, int(port))
        for i in range(len(batches)):
            b, request = batches[(k + i) % len(batches)], requests[(k + i) % len(batches)]
            t0 = time.perf_counter()
            status, body = await conn.post(request)
            if status != 200 or len(batch_answers(body, conn.zstd)) != len(b):
                errors.append(f"{status} {body[:120].decode('utf-8', 'replace')}")
                continue
            latencies.append(time.perf_counter() - t0)
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    elapsed = time.perf_counter() - started
    return {"ok": len(latencies), "errors": errors, "elapsed": elapsed, "latencies": latencies,
            "client_cpu": time.process_time() - cpu0}  # fmt: skip


def _client_process(base: str, token: str, batches: list[dict[str, dict[str, Any]]], k: int, extra: str,
                    at: float) -> dict[str, Any]:  # fmt: skip
    """One light client in its own process, from monotonic time `at`, sending every batch from batch k."""
    time.sleep(max(0.0, at - time.monotonic()))
    res = asyncio.run(light_batch_load(base, token, batches[k:] + batches[:k], 1, extra))
    return {**res, "started": at, "ended": time.monotonic()}


def light_batch_processes(
    base: str, token: str, batches: list[dict[str, dict[str, Any]]], clients: int, extra: str = ""
) -> dict[str, Any]:
    """light_batch_load's clients, each in a process of its own (uploaders are separate programs: clients
    in one process would share its one core to decode their answers), started together."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    at = time.monotonic() + 1.0  # every process forked and waiting by then
    jobs = [(base, token, batches, k, extra, at) for k in range(clients)]
    with ProcessPoolExecutor(clients, mp_context=multiprocessing.get_context("fork")) as pool:
        runs = list(pool.map(_client_process, *zip(*jobs, strict=True)))
    return {
        "ok": sum(r["ok"] for r in runs),
        "errors": [e for r in runs for e in r["errors"]],
        "elapsed": max(r["ended"] for r in runs) - at,
        "latencies": [x for r in runs for x in r["latencies"]],
        "client_cpu": sum(r["client_cpu"] for r in runs),
    }


def same_answers(base: str, token: str, batch: dict[str, dict[str, Any]]) -> int:
    """One batch sent in each representation (identity, zstd, DISTINCT, DISTINCT + zstd): 1 request each,
    the decoded answers compared; raises when any differs. Returns the requests made (audit records)."""
    import orjson

    host, port = base.split("//", 1)[1].split(":")
    got = []

    async def ask(extra: str) -> bytes:
        conn = RawConnection(host, int(port))
        status, body = await conn.post(prepared(base, token, [{"queries": batch}], extra)[0])
        conn.close()
        assert status == 200, body[:200]
        return orjson.dumps(batch_answers(body, conn.zstd), option=orjson.OPT_SORT_KEYS)

    for extra in ("", ZSTD, f"Accept: {DISTINCT}\r\n", f"Accept: {DISTINCT}\r\n{ZSTD}"):
        got.append(asyncio.run(ask(extra)))
    if len(set(got)) != 1:
        raise SystemExit("the representations of one batch answer differently")
    return len(got)


ZSTD = "Accept-Encoding: zstd\r\n"


def batch_variants(
    base: str, token: str, batches: list[dict[str, dict[str, Any]]], pid: int, clients: list[int]
) -> list[tuple[str, dict[str, Any], float]]:
    """The batches through httpx asking no encoding, and through the light client asking zstd, DISTINCT,
    both, then from `clients` concurrent light clients (as sent by default and with both): (label, figures,
    the server's CPU seconds) each."""
    distinct = f"Accept: {DISTINCT}\r\n"

    def light(n: int, extra: str = "") -> Any:
        if n > 1:
            return lambda: light_batch_processes(base, token, batches, n, extra)
        return lambda: asyncio.run(light_batch_load(base, token, batches, n, extra))

    identity = {"Accept-Encoding": "identity"}
    runs: list[tuple[str, Any]] = [
        ("  same, httpx, Accept-Encoding: identity", lambda: batch_load(base, token, batches, identity)),
        ("  same, light client, zstd", light(1, ZSTD)),
        ("  same, light client, distinct", light(1, distinct)),
        ("  same, light, distinct + zstd", light(1, distinct + ZSTD)),
    ]
    for n in clients:
        runs.append((f"  light, {n} client processes at once", light(n)))
        runs.append((f"  light, {n} at once, distinct + zstd", light(n, distinct + ZSTD)))
    out = []
    for label, run_it in runs:
        cpu0 = server_cpu(pid)
        res = run_it()
        out.append((label, res, server_cpu(pid) - cpu0))
    return out


def _per(seconds: float, res: dict[str, Any]) -> str:
    return f"{seconds / max(res['ok'], 1) * 1000:.0f}"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_rss(pid: int) -> dict[int, float]:
    """Resident memory (MB) of the server process and of its worker processes (Linux /proc)."""
    out = {pid: _rss_mb(pid)}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out[int(entry.name)] = _rss_mb(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process and its worker processes have used (Linux /proc):
    on a shared machine its cost per answer says more than requests per second, which depend on the CPU
    share the server is given."""
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(entry.name) == pid or int(fields[1]) == pid:
                    total += int(fields[11]) + int(fields[12])
            except (OSError, IndexError, ValueError):
                continue
    return total / os.sysconf("SC_CLK_TCK")


def timed(fn: Any, items: list[Any], seconds: float | None = None) -> dict[str, Any]:
    """Call fn on each item in turn (cycling until `seconds` when given)."""
    latencies: list[float] = []
    started = time.perf_counter()
    i = 0
    while True:
        if seconds is None and i >= len(items):
            break
        if seconds is not None and time.perf_counter() - started >= seconds:
            break
        t0 = time.perf_counter()
        fn(items[i % len(items)])
        latencies.append(time.perf_counter() - t0)
        i += 1
    return {
        "ok": len(latencies),
        "errors": [],
        "elapsed": time.perf_counter() - started,
        "latencies": latencies,
    }


def repeated(run_once: Any, reps: int) -> dict[str, Any]:
    """`run_once(k)` (a load's figures; k the repetition) `reps` times back to back, pooled: answers,
    errors, latencies, elapsed and client CPU summed over the repetitions; `runs` keeps each repetition's
    figures, so that the spread between them is printed beside the pooled figure (one 10-batch run lasts
    half a second: a few slow audit commits or another process's burst inside it move its rate by tens of
    percent)."""
    runs = [run_once(k) for k in range(max(1, reps))]
    return {
        "ok": sum(r["ok"] for r in runs),
        "errors": [e for r in runs for e in r["errors"]],
        "elapsed": sum(r["elapsed"] for r in runs),
        "latencies": [x for r in runs for x in r["latencies"]],
        "client_cpu": sum(r["client_cpu"] for r in runs),
        "runs": runs,
    }


def stalls(res: dict[str, Any], gap: float = 0.1) -> str:
    """Where an open loop's slowest 1% were sent, per repetition: checks sent within `gap` seconds of each
    other form one window. A few windows whose latencies fall as their send time rises are stalls (the
    server answered nothing for that long, and every check sent meanwhile waited: an fsync of the audit
    trail's commit, a collection); slow checks spread over the run are queueing."""
    out = []
    for run in res.get("runs") or [res]:
        lat, sent = run["latencies"], run.get("sent") or []
        if not lat or len(sent) != len(lat):
            continue
        slowest = sorted(zip(sent, lat, strict=True), key=lambda tx: -tx[1])[: max(1, len(lat) // 100)]
        slow = sorted(slowest)
        windows: list[list[tuple[float, float]]] = []
        for t, x in slow:
            if windows and t - windows[-1][-1][0] <= gap:
                windows[-1].append((t, x))
            else:
                windows.append([(t, x)])
        worst = sorted(windows, key=lambda w: -max(x for _, x in w))[:3]
        named = ", ".join(
            f"{w[0][0]:.2f}-{w[-1][0]:.2f} s up to {max(x for _, x in w) * 1000:.0f} ms" for w in worst
        )
        out.append(f"{len(slow)} in {len(windows)} window{'s' if len(windows) != 1 else ''} ({named})")
    return "; ".join(out)


def spread(label: str, res: dict[str, Any], figure: str, unit_rows: int = 1) -> str:
    """The median and range over `res`'s repetitions of its rate (`figure` "rate", rows or requests per
    second) or of its p99 (`figure` "p99", ms), each repetition listed."""
    runs = res.get("runs") or [res]
    if figure == "rate":
        values = [r["ok"] * unit_rows / r["elapsed"] if r["elapsed"] else float("nan") for r in runs]
        unit, fmt = ("rows/s" if unit_rows > 1 else "req/s"), "{:,.0f}"
    else:
        values = [_pct(r["latencies"], 0.99) * 1000 for r in runs]
        unit, fmt = "ms p99", "{:.1f}"
    each = ", ".join(fmt.format(v) for v in values)
    return (
        f"{label}: median {fmt.format(statistics.median(values))} {unit} over {len(values)} repetitions, "
        f"range {fmt.format(min(values))}-{fmt.format(max(values))} ({each})"
    )


def line(label: str, res: dict[str, Any], unit_rows: int = 1) -> str:
    """One printed row of figures."""
    rps = res["ok"] / res["elapsed"] if res["elapsed"] else float("nan")
    lat = res["latencies"]
    return (
        f"{label:<34} {res['ok']:>7} {rps:>9.1f} {rps * unit_rows:>10.1f} {_pct(lat, 0.5) * 1000:>9.1f} "
        f"{_pct(lat, 0.95) * 1000:>9.1f} {_pct(lat, 0.99) * 1000:>9.1f} {len(res['errors']):>7}"
    )


def main() -> int:
    """Run the bench and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--batches", type=int, default=10)
    ap.add_argument("--batch-rows", type=int, default=1000)
    ap.add_argument(
        "--database-url", action="append", default=None, help="default: a fresh SQLite store in a temp dir"
    )
    ap.add_argument("--pg", action="store_true", help="also PostgreSQL at EXPORTCTL_TEST_PG_URL")
    ap.add_argument("--workers", type=int, default=1, help="server worker processes")
    ap.add_argument("--gather-ms", type=float, default=2.0, help="single checks gathered into one batch")
    ap.add_argument(
        "--baseline-gather",
        type=float,
        default=None,
        help="also the singles on a server gathering this many ms",
    )
    ap.add_argument("--us-only", action="store_true", help="send only the demo's US exports")
    ap.add_argument(
        "--warm-all",
        action="store_true",
        help="send every distinct single query once before the timed load (as the in-process side is)",
    )
    ap.add_argument(
        "--rate",
        type=float,
        default=400.0,
        help="open loop: single checks sent at this many per second (0: none), at most --clients in flight",
    )
    ap.add_argument(
        "--batch-clients",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[2, 4],
        help="also the batches from this many light clients at once (comma-separated), each sending all",
    )
    ap.add_argument(
        "--batch-reps",
        type=int,
        default=5,
        help="the --batches batches sent this many times over (httpx, then the light client), back to back; "
        "the rows per second of each repetition printed with their median and range",
    )
    ap.add_argument(
        "--open-reps",
        type=int,
        default=3,
        help="the open loop run this many times (--seconds each); each p99 printed with their median",
    )
    ap.add_argument("--server-log", type=Path, default=None, help="append the server's stderr to this file")
    args = ap.parse_args()
    global SERVER_LOG
    SERVER_LOG = args.server_log

    tmp = tempfile.TemporaryDirectory(prefix="exportctl-bench-")
    urls = list(args.database_url or [f"sqlite:///{tmp.name}/store.db"])
    if args.pg:
        urls.append(
            os.environ.get("EXPORTCTL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
        )
    status = 0
    for url in urls:
        status |= run(url, args)
    tmp.cleanup()
    return status


WARMED = ", each sent once first"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(url: str, args: argparse.Namespace) -> int:
    """The bench on one store: prints its table; 1 when a request failed or an audit record is missing."""
    os.environ["EXPORTCTL_DATABASE_URL"] = url
    from exportctl.ops.audit import engine_of
    from exportctl.ops.check import Context
    from exportctl.ops.registry import bundled_registry
    from exportctl.store import active_dataset
    from exportctl.store.audit import head, verify_chain
    from exportctl.store.tokens import create_token

    print(f"store: {url}", file=sys.stderr)
    dataset = active_dataset()  # imports the bundled pack into a fresh store
    ctx = Context(dataset=dataset, registry=bundled_registry())
    queries = valid_singles(demo_queries(not args.us_only), ctx)
    all_rows = demo_queries(not args.us_only)

    def batches_named(prefix: str) -> list[dict[str, dict[str, Any]]]:
        # the same questions under ids new to the server: each batch's answers are bytes the audit trail
        # has not stored yet, as an order system's next batch (a batch sent again is stored by its hash
        # once, store.audit_payloads, and its repeat cost the server less than a new batch)
        rows = args.batch_rows
        return [
            {f"{prefix}{b}-{i}": all_rows[(b * rows + i) % len(all_rows)] for i in range(rows)}
            for b in range(args.batches)
        ]

    batches = batches_named("r")
    engine = engine_of(url)
    token, _ = create_token(engine, ["check"], now=dt.datetime.now(dt.UTC).isoformat(), name="bench")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    load_before = _load()
    proc = start_server(url, port, args.workers, args.gather_ms)
    base = f"http://127.0.0.1:{port}"
    try:
        # warm up both sides: the server builds its context and screening index once per data version
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600) as c:
            for q in queries if args.warm_all else queries[:5]:
                assert c.post("/v1/check", json=q).status_code == 200
            assert c.post("/v1/check", json={"queries": batches[0]}).status_code == 200
        for q in queries[:5]:
            in_process_one(q, ctx)
        in_process_batch(batches[0], ctx)
        audit_before = head(engine)["seq"]

        cpu0 = server_cpu(proc.pid)
        single = asyncio.run(single_load(base, token, queries, args.clients, args.seconds))
        cpu1 = server_cpu(proc.pid)
        # the same closed loop through the light client, then the open loop at --rate
        raw = asyncio.run(raw_load(base, token, queries, args.clients, args.seconds, None))
        cpu_raw = server_cpu(proc.pid)
        opened = None
        if args.rate > 0:
            opened = repeated(
                lambda _k: asyncio.run(raw_load(base, token, queries, args.clients, args.seconds, args.rate)),
                args.open_reps,
            )
        cpu_open = server_cpu(proc.pid)
        batch = repeated(lambda k: batch_load(base, token, batches_named(f"h{k}.")), args.batch_reps)
        cpu2 = server_cpu(proc.pid)
        light_batch = repeated(
            lambda k: asyncio.run(light_batch_load(base, token, batches_named(f"l{k}."))), args.batch_reps
        )
        cpu3 = server_cpu(proc.pid)
        # the same batches in the answer's other representations, and from concurrent clients
        compared = same_answers(base, token, batches[0])
        more = batch_variants(base, token, batches, proc.pid, args.batch_clients)
        rss = server_rss(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # the same single load on a second server that answers each check alone (or --baseline-gather ms)
    baseline = None
    if args.baseline_gather is not None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port2 = s.getsockname()[1]
        proc = start_server(url, port2, args.workers, args.baseline_gather)
        base2 = f"http://127.0.0.1:{port2}"
        try:
            with httpx.Client(base_url=base2, headers={"Authorization": f"Bearer {token}"}, timeout=600) as c:
                warm = queries if args.warm_all else queries[:5]
                for q in warm:
                    assert c.post("/v1/check", json=q).status_code == 200
            baseline = asyncio.run(single_load(base2, token, queries, args.clients, args.seconds))
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    single_in = timed(lambda q: in_process_one(q, ctx), queries, seconds=min(args.seconds, 15.0))
    batch_in = timed(lambda b: in_process_batch(b, ctx), batches)

    audit_after = head(engine)["seq"]
    expected = single["ok"] + raw["ok"] + (opened["ok"] if opened else 0) + batch["ok"] + light_batch["ok"]
    expected += compared + sum(res["ok"] for _, res, _ in more)
    expected += len(warm) + baseline["ok"] if baseline else 0
    chain = verify_chain(engine)

    store = url.split(":", 1)[0].split("+")[0]
    print(
        f"exportctl service load on {store} (loopback, {os.cpu_count()} CPUs, {args.workers} worker(s), "
        f"gather {args.gather_ms:g} ms, data {dataset.version[:12]}, {len(queries)} distinct single queries, "
        f"{'US' if args.us_only else 'US and CN'} exports{WARMED if args.warm_all else ''}); "
        f"load before {load_before}, after {_load()}"
    )
    head_row = f"{'answers':>7} {'req/s':>9} {'rows/s':>10} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}"
    print(f"{'':<34} {head_row} {'errors':>7}")
    print(line(f"single, HTTP, {args.clients} clients, {args.seconds:.0f}s", single))
    if baseline:
        print(line(f"  same, gather {args.baseline_gather:g} ms (baseline)", baseline))
    print(line(f"  same, light client, {args.clients} clients", raw))
    if opened:
        print(line(f"  open loop, {args.rate:g}/s, <={args.clients} in flight", opened))
    print(line("single, in-process, 1 caller", single_in))
    print(line(f"batch {args.batch_rows} rows, HTTP, 1 client", batch, args.batch_rows))
    print(line("  same, light client", light_batch, args.batch_rows))
    for label, res, _ in more:
        print(line(label, res, args.batch_rows))
    print(line(f"batch {args.batch_rows} rows, in-process", batch_in, args.batch_rows))
    warmed = "every distinct single query" if args.warm_all else "5 single checks"
    print(
        f"not timed: the warm-up ({warmed} and one {args.batch_rows}-row batch sent first, as the in-process "
        f"side answers them first); the batch lines above pool {args.batch_reps} repetitions of "
        f"{args.batches} batches, the open loop {args.open_reps} runs of {args.seconds:g} s"
    )
    print(spread("  batches, HTTP, 1 httpx client", batch, "rate", args.batch_rows))
    print(spread("  batches, light client", light_batch, "rate", args.batch_rows))
    if opened:
        print(spread(f"  open loop at {args.rate:g}/s", opened, "p99"))
        print(f"  open loop, its slowest 1% by when they were sent: {stalls(opened)}")

    def rps(res: dict[str, Any]) -> float:
        return float(res["ok"] / res["elapsed"]) if res["elapsed"] and res["ok"] else float("nan")

    def p50(res: dict[str, Any]) -> float:
        return statistics.median(res["latencies"]) if res["latencies"] else float("nan")

    print(
        "overhead (in-process / HTTP): single throughput "
        f"{rps(single_in) / rps(single):.2f}x; single p50 latency {p50(single) / p50(single_in):.2f}x "
        f"(includes queueing behind {args.clients} clients); batch throughput "
        f"{rps(batch_in) / rps(batch):.2f}x; batch p50 {p50(batch) / p50(batch_in):.2f}x"
    )
    print(
        f"audit: {audit_after - audit_before} records for {expected} answered requests "
        f"({'none lost' if audit_after - audit_before == expected else 'MISMATCH'}); chain "
        f"{'intact' if chain['ok'] else 'BROKEN: ' + str(chain['problem'])} ({chain['records']} records)"
    )
    print(
        f"server CPU (user + system): single checks {(cpu1 - cpu0) / max(single['ok'], 1) * 1000:.2f} ms per "
        f"answer ({cpu1 - cpu0:.1f} s in {single['elapsed']:.0f} s); batches "
        f"{(cpu2 - cpu_open) / max(batch['ok'], 1) * 1000:.0f} ms per {args.batch_rows}-row batch "
        f"(light client {(cpu3 - cpu2) / max(light_batch['ok'], 1) * 1000:.0f} ms; its own CPU "
        f"{light_batch['client_cpu'] / max(light_batch['ok'], 1) * 1000:.0f} ms per batch)"
    )
    every = [("httpx", batch, cpu2 - cpu_open), ("light", light_batch, cpu3 - cpu2), *more]
    print(
        "batches, server / client CPU per batch: "
        + "; ".join(f"{n.strip()} {_per(cpu, res)} / {_per(res['client_cpu'], res)}" for n, res, cpu in every)
        + " ms (one batch's answers compared in every representation: equal)"
    )  # fmt: skip
    per = [(n, r) for n, r in (("httpx", single), ("light", raw), ("open loop", opened)) if r and r["ok"]]
    cpus = (cpu1 - cpu0, cpu_raw - cpu1, cpu_open - cpu_raw)
    print(
        "single checks, server / client CPU per answer: "
        + "; ".join(
            f"{n} {c / r['ok'] * 1000:.2f} / {r['client_cpu'] / r['ok'] * 1000:.2f} ms"
            for (n, r), c in zip(per, cpus, strict=False)
        )
        + " (the clients share the machine's CPUs with the server)"
    )
    parent, *workers = rss.values()
    print(
        f"server memory (RSS, after the load): {'launcher' if workers else 'process'} {parent:.0f} MB"
        + (f"; workers {', '.join(f'{w:.0f}' for w in workers)} MB" if workers else "")
    )
    if baseline:
        print(f"gathering: {rps(single) / rps(baseline):.2f}x the single checks per second of the baseline")
    failed = single["errors"] + raw["errors"] + (opened["errors"] if opened else []) + batch["errors"]
    failed += light_batch["errors"] + [e for _, res, _ in more for e in res["errors"]]
    failed += baseline["errors"] if baseline else []
    for err in sorted(set(failed))[:5]:
        print(f"error: {err}")
    return 0 if not failed and audit_after - audit_before == expected and chain["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
