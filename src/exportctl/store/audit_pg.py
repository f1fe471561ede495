"""Audit appends on PostgreSQL (psycopg 3) in two round trips instead of seven.

Through SQLAlchemy an append was BEGIN, the advisory lock, the head read, the records' INSERT, the payloads'
INSERT, the head's UPDATE and COMMIT: seven round trips to the server, each a wake-up of its backend, which
on a loaded 2-core machine was ~2 ms apiece and most of the difference between a batch answered over
PostgreSQL and over SQLite. Here the same statements go through psycopg's pipeline mode on the pooled
connection: BEGIN, the lock, the head and the server's time are sent together and read back (the records'
hashes need the head), then the INSERTs, the head's write and COMMIT are sent together. The transaction is
the same, holding the same lock (taken before the head is read: each statement of a READ COMMITTED
transaction reads what was committed before it began), so the chain stays one chain and a record is
committed, flushed as PostgreSQL's COMMIT flushes, before its caller is answered. A failure rolls the
transaction back and is raised as SQLAlchemy raises it (sa.exc.IntegrityError for a lost race, retried by
store.audit.append).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from exportctl.store.audit_payloads import payload_rows, upsert_sql

__all__ = ["PG_LOCK_KEY", "append_pipelined", "pipelined_available"]

PG_LOCK_KEY = 0x6578_7063_746C  # "expctl": one advisory lock for audit appends

_HEAD_SQL = "SELECT seq, record_hash FROM audit_head WHERE id = 1"
_FIRST_HEAD_SQL = "INSERT INTO audit_head (id, seq, record_hash) VALUES (1, %s, %s)"
_HEAD_UPDATE_SQL = "UPDATE audit_head SET seq = %s, record_hash = %s WHERE id = 1"
_GENESIS = "0" * 64

Chain = Callable[[Sequence[Any], int, str, Callable[[], str]], list[dict[str, Any]]]


def pipelined_available(engine: Engine) -> bool:
    """Whether `engine` reaches PostgreSQL through psycopg 3, whose pipeline mode this module uses."""
    return engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"


def append_pipelined(
    engine: Engine, entries: Sequence[Any], chain: Chain, insert: tuple[str, tuple[str, ...] | None]
) -> list[int]:
    """Append `entries` in one transaction of two round trips; `chain(entries, seq, prev, server_now)`
    makes their rows, `insert` is the audit_log INSERT (SQL, positional order or None). Their seqs."""
    from exportctl.store.audit import iso_utc

    raw = engine.raw_connection()
    pg: Any = raw.driver_connection
    try:
        # our own BEGIN and COMMIT, sent in the pipeline: psycopg's implicit BEGIN is a round trip of its own
        pg.autocommit = True
        try:
            with pg.pipeline():
                pg.execute("BEGIN")
                pg.execute("SELECT pg_advisory_xact_lock(%s)", (PG_LOCK_KEY,))
                head_cursor = pg.execute(_HEAD_SQL)
                now_cursor = pg.execute("SELECT now()")
                found = head_cursor.fetchone()  # the first round trip
                seq, prev = (0, _GENESIS) if found is None else (int(found[0]), str(found[1]))
                now = now_cursor.fetchone()[0]
                rows = chain(entries, seq, prev, lambda: iso_utc(now))
                sql, order = insert
                params = rows if order is None else [tuple(r[c] for c in order) for r in rows]
                with pg.cursor() as cursor:
                    cursor.executemany(sql, params)
                    payloads = payload_rows([e.payload for e in entries if e.payload is not None])
                    if payloads:
                        cursor.executemany(upsert_sql(engine.dialect), payloads)
                last = rows[-1]
                head_sql = _FIRST_HEAD_SQL if seq == 0 else _HEAD_UPDATE_SQL
                pg.execute(head_sql, (last["seq"], last["record_hash"]))
                pg.execute("COMMIT")
            # leaving the pipeline sends it all and reads the answers: the second round trip
        except BaseException as exc:
            _roll_back(raw, pg)
            dbapi = engine.dialect.loaded_dbapi
            if isinstance(exc, dbapi.Error):
                raise sa.exc.DBAPIError.instance(None, None, exc, dbapi.Error) from exc
            raise
        pg.autocommit = False  # as the pool hands connections out
        return [int(r["seq"]) for r in rows]
    finally:
        raw.close()


def _roll_back(raw: Any, pg: Any) -> None:
    """End a failed append's transaction; a connection that cannot is closed rather than pooled."""
    try:
        pg.execute("ROLLBACK")
        pg.autocommit = False
    except Exception:
        raw.invalidate()
