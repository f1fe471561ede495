"""The audit trail: append-only, hash-chained records of every determination, screening and review.

Each record has a `seq` (1, 2, 3 ...), the `prev_hash` of the record before it (64 zeros for the
first) and `record_hash = sha256(prev_hash + canonical JSON of the record's fields)`. `verify`
recomputes the chain, so an edited, deleted or reordered record breaks it at a named seq. A one-row
`audit_head` table, written in the same transaction as each append, names the last seq and hash, so
that deleting the newest records is detected too.

Appends never fork the chain: a lock per process, PostgreSQL's transaction-level advisory lock, and on
every database a primary key on `seq` (a racing writer fails and retries on the new head). Times come
from the front (ISO text in UTC) or, when none is given, from the database server; the core never
reads the clock. Outputs are kept as canonical JSON text, so that the hash is over exactly what is
stored, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from exportctl.errors import StoreError
from exportctl.store.audit_payloads import Payload, check_payloads, insert_payloads, payload_ref
from exportctl.store.audit_pg import PG_LOCK_KEY, append_pipelined, pipelined_available
from exportctl.store.engine import WRITE, create_tables_once

__all__ = [
    "GENESIS",
    "AuditEntry",
    "append",
    "canonical",
    "ensure_audit_tables",
    "head",
    "iso_utc",
    "iter_records",
    "record_hash",
    "reviews",
    "verify_chain",
]

GENESIS = "0" * 64
_RETRIES = 50

metadata = sa.MetaData()

log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("input_hash", sa.String(64), nullable=False),
    sa.Column("data_version", sa.String(64), nullable=False),
    sa.Column("engine_version", sa.String(64), nullable=False),
    sa.Column("outputs", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("record_hash", sa.String(64), nullable=False, unique=True),
    sa.Index("ix_audit_log_at", "at"),
)

head_table = sa.Table(
    "audit_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("record_hash", sa.String(64), nullable=False),
)

# a record's large outputs (a batch's answers), stored once by content hash (store/audit_payloads.py)
payloads = sa.Table(
    "audit_payloads",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True, autoincrement=False),
    sa.Column("codec", sa.String(16), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

FIELDS = ("seq", "kind", "at", "actor", "input_hash", "data_version", "engine_version", "outputs")

_append_locks: dict[str, threading.Lock] = {}
IN_LIMIT = 500  # keys in one IN (...) list; past it a read takes the table in order instead


@dataclass(frozen=True)
class AuditEntry:
    """One record to append: what was asked (as a hash), what was answered, against which data, by whom."""

    kind: str
    actor: str
    input_hash: str
    outputs: Any
    data_version: str
    engine_version: str
    at: str | None = None
    outputs_json: str | None = None  # outputs already serialised as JSON (a batch run's rows): kept as is
    payload: Payload | None = None  # the bytes its outputs name by hash (audit_payloads), stored with it


def canonical(obj: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept; dates as ISO text."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def _default(obj: Any) -> Any:
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if isinstance(obj, set | frozenset):
        return sorted(obj)
    if isinstance(obj, tuple):
        return list(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def record_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """sha256(prev_hash + canonical JSON of the record's fields).

    The JSON is written by orjson when every field is text or an integer (a record's fields are): the
    same bytes as canonical() (sorted keys, no spaces, UTF-8 kept, the same escapes), ~10 times faster on
    a 1,000-answer batch's 3 MB of outputs. Anything else (a lone surrogate ...) goes to canonical()."""
    chosen = {k: fields[k] for k in FIELDS}
    digest = hashlib.sha256(prev_hash.encode("utf-8"))
    try:
        if not all(type(v) is str or (type(v) is int and abs(v) < 2**63) for v in chosen.values()):
            raise TypeError("not plain text and integers")
        digest.update(orjson.dumps(chosen, option=orjson.OPT_SORT_KEYS))
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        digest = hashlib.sha256((prev_hash + canonical(chosen)).encode("utf-8"))
    return digest.hexdigest()


def ensure_audit_tables(engine: Engine) -> None:
    """Create the audit tables once per engine (idempotent)."""
    create_tables_once(metadata, engine)
    _append_locks.setdefault(str(engine.url), threading.Lock())


def _server_now(conn: Connection) -> str:
    value = conn.execute(sa.select(sa.func.now())).scalar_one()
    if isinstance(value, str):  # SQLite may hand back its text: 'YYYY-MM-DD HH:MM:SS' in UTC
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:  # SQLite's CURRENT_TIMESTAMP is naive UTC
        value = value.replace(tzinfo=dt.UTC)
    return iso_utc(value)


def iso_utc(moment: dt.datetime) -> str:
    """A moment as the ISO text the trail keeps: UTC, microseconds, 'Z'."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _head(conn: Connection) -> tuple[int, str]:
    row = conn.execute(
        sa.select(head_table.c.seq, head_table.c.record_hash).where(head_table.c.id == 1)
    ).first()
    return (0, GENESIS) if row is None else (int(row.seq), str(row.record_hash))


def append(engine: Engine, entries: Sequence[AuditEntry]) -> list[int]:
    """Append records in order, in one transaction; returns their seqs."""
    if not entries:
        return []
    ensure_audit_tables(engine)
    lock = _append_locks.setdefault(str(engine.url), threading.Lock())
    with lock:
        for _attempt in range(_RETRIES):
            try:
                return _append_once(engine, entries)
            except sa.exc.IntegrityError:
                continue  # another process took this seq: read the new head and chain onto it
            except sa.exc.OperationalError as exc:
                if "locked" not in str(exc.orig).lower():
                    raise
                continue
        raise StoreError("could not append to the audit trail: too much contention, try again")


def _append_once(engine: Engine, entries: Sequence[AuditEntry]) -> list[int]:
    if engine.dialect.name == "postgresql" and pipelined_available(engine):
        # BEGIN, the advisory lock and the head in one round trip, the writes and COMMIT in a second
        # (store.audit_pg): through SQLAlchemy each was a round trip of its own, seven per append
        return append_pipelined(engine, entries, _chained, _insert_sql(engine.dialect))
    # SQLite: BEGIN IMMEDIATE (store.engine.WRITE), so that a writer of another process (`serve --workers`)
    # queues for the write lock before it reads the head, instead of reading a head that turns stale and
    # failing on the write (then retried); PostgreSQL: the advisory lock below does the same
    with engine.execution_options(**{WRITE: True}).begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
        seq, prev = _head(conn)
        rows = _chained(entries, seq, prev, lambda: _server_now(conn))
        _insert(conn, rows)
        insert_payloads(conn, [e.payload for e in entries if e.payload is not None])
        last = rows[-1]
        if seq == 0:
            conn.execute(sa.insert(head_table).values(id=1, seq=last["seq"], record_hash=last["record_hash"]))
        else:
            conn.execute(
                sa.update(head_table)
                .where(head_table.c.id == 1)
                .values(seq=last["seq"], record_hash=last["record_hash"])
            )
        return [int(r["seq"]) for r in rows]


def _chained(
    entries: Sequence[AuditEntry], seq: int, prev: str, server_now: Callable[[], str]
) -> list[dict[str, Any]]:
    """The rows of `entries` chained onto the head (seq, prev): each with its seq, prev_hash and record_hash
    (`server_now` gives the time of the entries that bring none, asked once)."""
    now = None
    rows: list[dict[str, Any]] = []
    for entry in entries:
        seq += 1
        at = entry.at
        if at is None:
            now = now or server_now()
            at = now
        fields = {
            "seq": seq,
            "kind": entry.kind,
            "at": at,
            "actor": entry.actor,
            "input_hash": entry.input_hash,
            "data_version": entry.data_version,
            "engine_version": entry.engine_version,
            "outputs": entry.outputs_json if entry.outputs_json is not None else canonical(entry.outputs),
        }
        digest = record_hash(prev, fields)
        rows.append({**fields, "prev_hash": prev, "record_hash": digest})
        prev = digest
    return rows


_INSERTS: dict[str, tuple[str, tuple[str, ...] | None]] = {}  # dialect -> (SQL, positional column order)


def _insert_sql(dialect: sa.engine.Dialect) -> tuple[str, tuple[str, ...] | None]:
    """The audit_log INSERT compiled once per dialect, with its positional column order (None: named)."""
    found = _INSERTS.get(dialect.name)
    if found is None:
        compiled = sa.insert(log).compile(dialect=dialect)
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        found = _INSERTS[dialect.name] = (str(compiled), order)
    return found


def _insert(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows through the driver's executemany with the statement compiled once per dialect: the
    ORM's per-row parameter processing was a fifteenth of a single check's server time (the values are
    plain text and integers, which need none)."""
    sql, order = _insert_sql(conn.dialect)
    if order is None:
        conn.exec_driver_sql(sql, rows)
    else:
        conn.exec_driver_sql(sql, [tuple(r[c] for c in order) for r in rows])


def head(engine: Engine) -> dict[str, Any]:
    """The last seq and record hash ({"seq": 0, ...} on an empty trail)."""
    ensure_audit_tables(engine)
    with engine.connect() as conn:
        seq, digest = _head(conn)
    return {"seq": seq, "record_hash": digest}


def iter_records(
    engine: Engine,
    *,
    start: str | None = None,
    end: str | None = None,
    batch: int = 1000,
    kind: str | None = None,
    seqs: Sequence[int] | None = None,
) -> Iterator[dict[str, Any]]:
    """Records in seq order whose `at` is in [start, end) (ISO text bounds; None leaves a side open),
    of one `kind` and among `seqs` when given."""
    ensure_audit_tables(engine)
    last = 0
    while True:
        query = sa.select(log).where(log.c.seq > last).order_by(log.c.seq).limit(batch)
        if start is not None:
            query = query.where(log.c.at >= start)
        if end is not None:
            query = query.where(log.c.at < end)
        if kind is not None:
            query = query.where(log.c.kind == kind)
        if seqs is not None:
            wanted = sorted(set(seqs))
            if len(wanted) <= IN_LIMIT:
                query = query.where(log.c.seq.in_(wanted))
            else:  # many: their span, the rest left out below
                query = query.where(log.c.seq.between(wanted[0], wanted[-1]) if wanted else sa.false())
        with engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        if not rows:
            return
        last = int(rows[-1]["seq"])
        if seqs is not None and len(wanted) > IN_LIMIT:
            keep = set(wanted)
            rows = [r for r in rows if int(r["seq"]) in keep]
        yield from rows


def verify_chain(engine: Engine) -> dict[str, Any]:
    """Recompute the chain: {"ok", "records", "head_seq", "first_bad_seq", "problem"}."""
    ensure_audit_tables(engine)
    with engine.connect() as conn:
        head_seq, head_hash = _head(conn)
    prev = GENESIS
    expected = 1
    count = 0
    refs: list[tuple[int, str]] = []  # (seq, sha256) of the payloads records name

    def bad(seq: int, problem: str) -> dict[str, Any]:
        return {"ok": False, "records": count, "head_seq": head_seq, "first_bad_seq": seq, "problem": problem}

    for row in iter_records(engine):
        seq = int(row["seq"])
        if seq != expected:
            return bad(expected, f"record {expected} is missing (next stored record is {seq})")
        if row["prev_hash"] != prev:
            return bad(
                seq, f"record {seq} does not chain onto record {seq - 1} (deleted, reordered or edited)"
            )
        if record_hash(prev, row) != row["record_hash"]:
            return bad(seq, f"record {seq} was edited: its content does not match its hash")
        ref = payload_ref(row["outputs"])
        if ref is not None:
            refs.append((seq, ref["sha256"]))
        prev = row["record_hash"]
        count += 1
        expected += 1
    if count != head_seq:
        return bad(
            count + 1,
            f"the trail ends at record {count} but its head names record {head_seq} (records deleted)",
        )
    if prev != head_hash:
        return bad(count, f"the last record {count} does not match the hash kept in the head")
    missing = check_payloads(engine, refs)
    if missing is not None:
        return bad(*missing)
    return {"ok": True, "records": count, "head_seq": head_seq, "first_bad_seq": None, "problem": None}


# Review decisions on screening hits: append-only, the newest decision for a key is the one shown.
reviews = sa.Table(
    "audit_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("party_key", sa.Text, nullable=False),
    sa.Column("list", sa.String(64), nullable=False),
    sa.Column("entity_id", sa.String(128), nullable=False),
    sa.Column("entry_hash", sa.String(64), nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("party", sa.Text, nullable=False),
    sa.Column("listed_name", sa.Text, nullable=False, default=""),
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("audit_seq", sa.BigInteger, nullable=False),
    sa.Index("ix_audit_reviews_key", "party_key", "list", "entity_id"),
)
