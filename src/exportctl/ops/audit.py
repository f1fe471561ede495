"""The audit trail for fronts: record determinations and screenings, verify, export (review decisions on
screening hits: ops.reviews).

One record per call (a single check, a batch of keyed checks, a screening, a review decision): the sha256
of the canonical inputs, the full outputs, the data version, the engine version, the actor and the time.
A checked book is recorded per chunk (counts per verdict and the SHA-256 of its result rows as written),
then once for its output file (`ops.audit_runs`): its rows are in the file, which `audit verify` checks.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import threading
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

import polars as pl
from sqlalchemy.engine import Engine

from exportctl.errors import InputError
from exportctl.model.dates import parse_date
from exportctl.ops.cells import write_csv_rows
from exportctl.store import Store, open_store
from exportctl.store import audit as trail
from exportctl.store.audit import AuditEntry, canonical, iso_utc

__all__ = [
    "EXPORT_COLUMNS",
    "acting_as",
    "current_actor",
    "engine_of",
    "export",
    "input_hash",
    "record",
    "record_run",
    "records",
    "verify",
]

EXPORT_COLUMNS = (
    "seq", "kind", "at", "actor", "input_hash", "data_version", "engine_version", "outputs", "prev_hash",
    "record_hash",
)  # fmt: skip

_acting: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "exportctl_acting", default=None
)
_stores: dict[str, Store] = {}
_lock = threading.Lock()


def engine_of(url: str | None = None) -> Engine:
    """The engine of the store at `url` (default store), opened once per process."""
    from exportctl.store import default_url

    key = url or default_url()
    with _lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = open_store(key)
        return store.engine


def input_hash(inputs: Any) -> str:
    """sha256 of the canonical JSON of what was asked."""
    return hashlib.sha256(canonical(inputs).encode("utf-8")).hexdigest()


def record(
    kind: str,
    inputs: Any,
    outputs: Any,
    *,
    data_version: str,
    engine_version: str,
    actor: str,
    at: dt.datetime | None = None,
    engine: Engine | None = None,
) -> int:
    """Append one record (inputs kept as their hash, outputs in full); returns its seq."""
    entry = AuditEntry(
        kind=kind,
        actor=actor,
        input_hash=input_hash(inputs),
        outputs=outputs,
        data_version=data_version,
        engine_version=engine_version,
        at=iso_utc(at) if at is not None else None,
    )
    return trail.append(engine or engine_of(), [entry])[0]


def record_run(
    results: pl.DataFrame,
    *,
    source: str,
    data_version: str,
    actor: str | None = None,
    at: dt.datetime | None = None,
    engine: Engine | None = None,
    first_row: int = 1,
) -> list[int]:
    """Record a batch run held whole (no output file): one `check_chunk` record (its counts per verdict
    and the SHA-256 of its result rows, `ops.audit_runs`) and the `check_run` record closing it.

    A book checked in chunks records each chunk as it is answered (`audit_runs.RunTrail`). The actor is
    the one set by `acting_as` (the API's token), else `cli:<login name>`; the time is the database
    server's unless given. Returns the seqs (also left in `acting_as`'s dict).
    """
    from exportctl.ops.audit_runs import RunTrail

    run = RunTrail(source, data_version, actor=actor, at=at, engine=engine)
    run.chunk(results, first_row)
    run.close()
    return run.seqs


@contextlib.contextmanager
def acting_as(
    actor: str, at: dt.datetime | None = None, engine: Engine | None = None
) -> Iterator[dict[str, Any]]:
    """Within the block, batch runs are recorded as made by `actor` (the API token); yields {"seqs"}."""
    state: dict[str, Any] = {"actor": actor, "at": iso_utc(at) if at else None, "engine": engine, "seqs": []}
    token = _acting.set(state)
    try:
        yield state
    finally:
        _acting.reset(token)


def current_actor() -> str:
    """Who is acting: the actor `acting_as` set (the API's token), else `cli:<login name>`."""
    import getpass

    acting = _acting.get()
    return str(acting["actor"]) if acting else f"cli:{getpass.getuser()}"


def verify(*, engine: Engine | None = None) -> dict[str, Any]:
    """Recompute the hash chain: {"ok", "records", "head_seq", "first_bad_seq", "problem"}."""
    return trail.verify_chain(engine or engine_of())


def _bounds(start: dt.date | str | None, end: dt.date | str | None) -> tuple[str | None, str | None]:
    lo = parse_date(start, "from") if start is not None else None
    hi = parse_date(end, "to") if end is not None else None
    if lo and hi and hi < lo:
        raise InputError(f"--to ({hi}) is before --from ({lo})", field="to")
    # `--to D` includes the whole day D: records before the next midnight (UTC).
    return (lo.isoformat() if lo else None, (hi + dt.timedelta(days=1)).isoformat() if hi else None)


def records(
    start: dt.date | str | None = None, end: dt.date | str | None = None, *, engine: Engine | None = None
) -> Iterator[dict[str, Any]]:
    """Records made on days [start, end] (UTC), in seq order."""
    lo, hi = _bounds(start, end)
    return trail.iter_records(engine or engine_of(), start=lo, end=hi)


def export(
    out: TextIO,
    fmt: str = "jsonl",
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    *,
    engine: Engine | None = None,
) -> int:
    """Write the records of [start, end] as csv or jsonl to `out`; returns how many were written."""
    if fmt not in ("csv", "jsonl"):
        raise InputError(
            f"export format must be csv or jsonl, not {fmt!r}", field="format", suggestions=["csv", "jsonl"]
        )
    eng = engine or engine_of()
    rows = records(start, end, engine=eng)
    count = 0
    if fmt == "csv":
        # text cells neutralised (ops.cells): an actor or note beginning with = is never a live formula
        cells = ({**{k: row[k] for k in EXPORT_COLUMNS}, "payload": _payload(eng, row) or ""} for row in rows)
        count = write_csv_rows(out, cells, (*EXPORT_COLUMNS, "payload"), lineterminator="\n")
    else:
        for row in rows:
            # outputs are stored as canonical JSON text; export them as JSON, not as a quoted string
            obj = {k: row[k] for k in EXPORT_COLUMNS if k != "outputs"}
            stored = _payload(eng, row)
            extra = ',"payload":' + stored if stored is not None else ""
            out.write(canonical(obj)[:-1] + ',"outputs":' + row["outputs"] + extra + "}\n")
            count += 1
    return count


def _payload(engine: Engine, row: Mapping[str, Any]) -> str | None:
    """The answers a record keeps beside the chain (store.audit_payloads), as the JSON text sent; None
    when it names none (a missing payload is exported as null: `audit verify` names its record)."""
    from exportctl.store.audit_payloads import payload_ref, read

    ref = payload_ref(str(row["outputs"]))
    if ref is None:
        return None
    raw = read(engine, ref["sha256"])
    return raw.decode("utf-8") if raw is not None else "null"
