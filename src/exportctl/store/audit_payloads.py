"""The large outputs of an audit record (a batch's answers), stored once by content hash beside the chain.

A 1,000-answer batch answers ~3 MB of JSON. Kept inline in its record, that text was written, hashed (as
a JSON string inside the record's fields) and stored on every batch: about half the service's CPU per
batch. Instead the record's `outputs` names the answers by their content hash,
`{"audit_payload": {"bytes": n, "codec": "zstd", "of": "responses", "sha256": H}, "answers": N}`, and
the exact bytes answered (the JSON of `responses` the client received, sorted keys, as orjson writes it)
are kept zstd-compressed in `audit_payloads`, keyed by H (the same answers are stored once), in the same
transaction as the record. The chain hashes the record, so H is under the chain; `verify_chain` checks
each referenced payload is present and hashes to H: nothing is lost, and an edited payload names its
record. `audit export` writes each record's payload beside its outputs, so a reviewer reads every answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
import zstandard
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

__all__ = [
    "CODEC", "REF_KEY", "Payload", "check_payloads", "insert_payloads", "pack", "payload_ref", "payload_rows",
    "read", "upsert_sql",
]  # fmt: skip

REF_KEY = "audit_payload"  # the outputs key naming a stored payload
CODEC = "zstd"
_LEVEL = 3  # a batch's answers repeat: level 3 writes ~3 MB as ~40 kB in ~3 ms


@dataclass(frozen=True)
class Payload:
    """A payload ready to store: the sha256 and size of its bytes, and the bytes compressed."""

    sha256: str
    size: int
    data: bytes

    def ref(self, of: str) -> dict[str, Any]:
        """What a record's outputs say of it (under REF_KEY)."""
        return {"bytes": self.size, "codec": CODEC, "of": of, "sha256": self.sha256}


def pack(raw: bytes) -> Payload:
    """Hash and compress `raw` (in the caller's thread, before the record queues for its transaction)."""
    data = zstandard.ZstdCompressor(level=_LEVEL).compress(raw)
    return Payload(hashlib.sha256(raw).hexdigest(), len(raw), data)


def _table() -> sa.Table:
    from exportctl.store.audit import payloads

    return payloads


def payload_rows(packed: Iterable[Payload]) -> list[dict[str, Any]]:
    """The audit_payloads rows of `packed`, one per sha256."""
    rows = {p.sha256: {"sha256": p.sha256, "codec": CODEC, "size": p.size, "data": p.data} for p in packed}
    return list(rows.values())


def _upsert(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (sha256) DO NOTHING on PostgreSQL and SQLite, else None."""
    table = _table()
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=["sha256"])
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=["sha256"])
    return None


_UPSERTS: dict[str, str] = {}


def upsert_sql(dialect: sa.engine.Dialect) -> str:
    """The payloads' INSERT ... ON CONFLICT DO NOTHING as the driver's SQL (named parameters), made once."""
    found = _UPSERTS.get(dialect.name)
    if found is None:
        found = _UPSERTS[dialect.name] = str(_upsert(dialect.name).compile(dialect=dialect))
    return found


def insert_payloads(conn: Connection, packed: Iterable[Payload]) -> None:
    """Store payloads not stored yet (by their sha256), inside the records' transaction."""
    rows = {r["sha256"]: r for r in payload_rows(packed)}
    if not rows:
        return
    table = _table()
    stmt = _upsert(conn.dialect.name)
    if stmt is None:  # any other database: skip those present, then insert
        present = set(conn.execute(sa.select(table.c.sha256).where(table.c.sha256.in_(list(rows)))).scalars())
        rows = {k: v for k, v in rows.items() if k not in present}
        if not rows:
            return
        stmt = sa.insert(table)
    conn.execute(stmt, list(rows.values()))


def payload_ref(outputs: str) -> dict[str, Any] | None:
    """The payload a record's outputs text names (REF_KEY at its top level), else None."""
    if f'"{REF_KEY}":' not in outputs:
        return None
    try:
        parsed = orjson.loads(outputs)
    except orjson.JSONDecodeError:
        return None
    ref = parsed.get(REF_KEY) if isinstance(parsed, dict) else None
    return ref if isinstance(ref, dict) and isinstance(ref.get("sha256"), str) else None


def read(engine: Engine, sha256: str) -> bytes | None:
    """The stored bytes of a payload (decompressed), or None when there is none."""
    table = _table()
    with engine.connect() as conn:
        row = conn.execute(sa.select(table.c.codec, table.c.data).where(table.c.sha256 == sha256)).first()
    return None if row is None else _decoded(row.codec, row.data)


def _decoded(codec: str, data: bytes) -> bytes | None:
    if codec != CODEC:
        return None
    try:
        return zstandard.ZstdDecompressor().decompress(bytes(data))
    except zstandard.ZstdError:
        return None


def check_payloads(engine: Engine, refs: Sequence[tuple[int, str]]) -> tuple[int, str] | None:
    """Check each (seq, sha256) names a stored payload whose bytes hash to it; the first that does not,
    with the problem, else None."""
    table = _table()
    wanted = sorted({sha for _, sha in refs})
    found: dict[str, bool] = {}
    for at in range(0, len(wanted), 200):
        chunk = wanted[at : at + 200]
        with engine.connect() as conn:
            query = sa.select(table.c.sha256, table.c.codec, table.c.data).where(table.c.sha256.in_(chunk))
            rows = conn.execute(query)
            for sha, codec, data in rows:
                raw = _decoded(codec, data)
                found[sha] = raw is not None and hashlib.sha256(raw).hexdigest() == sha
    for seq, sha in refs:
        if sha not in found:
            return seq, f"record {seq}'s stored answers (payload {sha[:12]}) are missing"
        if not found[sha]:
            edited = "were edited: they do not match its hash"
            return seq, f"record {seq}'s stored answers (payload {sha[:12]}) {edited}"
    return None
