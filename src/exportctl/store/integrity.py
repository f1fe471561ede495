"""What is loaded is what was imported: per-table hashes recorded at import, checked on every load.

At import, each table of a version gets a row in `data_checks`: its content hash and date (as in
`data_sources`) and the sha256 of the stored blob bytes. Loading a version then checks, before any
answer:

* the version's sources still hash to its id, and agree with the rows recorded at import (a changed,
  added or missing source is named);
* each table's stored bytes hash to what was recorded (a sha256 over the zstd Parquet bytes: about 3% of
  decoding them, against 8x for re-hashing the records), then decode, with the recorded row count and
  columns.

A version imported before `data_checks` existed has no rows there: its tables are checked on their
content hash instead (`codec.content_hash`, as `data verify` does), slower but just as strict. Any
mismatch raises DamagedDataError naming the table and the version: engines fail closed, never answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from exportctl.errors import DamagedDataError
from exportctl.store import codec, tables
from exportctl.store.dataset import SourceInfo, version_hash

__all__ = [
    "Check",
    "blob_bytes",
    "check_stored",
    "check_version",
    "checked_frame",
    "damaged",
    "read_checks",
    "record",
    "stored_hash",
    "stored_hashes",
]

RESTORE = "run `exportctl data verify`, then re-import the source or restore the store from a copy"


@dataclass(frozen=True)
class Check:
    """What the import recorded for one table of a version."""

    name: str
    sha256: str
    date: str
    stored_sha256: str


def stored_hash(data: bytes) -> str:
    """The sha256 (hex) of a table's stored bytes."""
    return hashlib.sha256(data).hexdigest()


def damaged(version: str, table: str | None, what: str) -> DamagedDataError:
    """The one error for a damaged store: names the table and the version, and what to do."""
    where = f"table {table!r} of data version {version[:12]}" if table else f"data version {version[:12]}"
    return DamagedDataError(f"{where}: {what}; {RESTORE}", table=table, version=version)


def json_cell(value: Any) -> Any:
    """A JSON column's value: decoded by the driver (PostgreSQL) or text to decode (SQLite)."""
    if isinstance(value, str | bytes | bytearray):
        return json.loads(value)
    return value


def read_checks(conn: Connection, version: str) -> dict[str, Check]:
    """The rows recorded at import for a version, by table name (empty for older versions)."""
    query = sa.select(tables.checks).where(tables.checks.c.version == version)
    found: dict[str, Check] = {}
    for row in conn.execute(query):
        found[str(row.name)] = Check(str(row.name), str(row.sha256), str(row.date), str(row.stored_sha256))
    return found


def check_version(version: str, infos: Sequence[SourceInfo], checks: Mapping[str, Check]) -> None:
    """Fail closed unless the version's sources hash to its id and agree with what the import recorded."""
    by_name = {info.name: info for info in infos}
    for name in sorted(set(checks) | set(by_name)):
        check, info = checks.get(name), by_name.get(name)
        if not checks:
            break  # imported before per-table checks: only the version hash below
        if info is None:
            raise damaged(version, name, "its row in data_sources is missing")
        if check is None:
            raise damaged(version, name, "no hash was recorded for it at import (a source was added)")
        if (info.sha256, info.date) != (check.sha256, check.date):
            raise damaged(version, name, "its recorded hash or date was changed after import")
    if not infos:
        raise damaged(version, None, "it has no sources in the store")
    if version_hash(infos) != version:
        raise damaged(version, None, "its sources (names, dates, hashes) no longer hash to the version id")


def checked_frame(version: str, info: SourceInfo, data: bytes | None, check: Check | None) -> pl.DataFrame:
    """The records of one table, decoded only after its stored bytes (or content) match the import."""
    if data is None:
        raise damaged(version, info.name, f"its records ({info.sha256[:12]}) are missing from the store")
    if check is not None and stored_hash(data) != check.stored_sha256:
        raise damaged(version, info.name, "its stored records were changed after import (hash mismatch)")
    try:
        df = codec.decode(data)
    except Exception as exc:  # polars and pyarrow raise many types for damaged Parquet: never a guess
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise damaged(version, info.name, f"its stored records cannot be read ({first})") from None
    if check is None and codec.content_hash(df) != info.sha256:
        raise damaged(version, info.name, "its records do not match their content hash")
    if df.height != info.rows:
        raise damaged(version, info.name, f"{df.height} rows stored, {info.rows} recorded")
    if [list(c) for c in codec.columns_of(df)] != [list(c) for c in info.columns]:
        raise damaged(version, info.name, "its columns differ from those recorded")
    return df


def check_stored(
    conn: Connection, version: str, infos: Sequence[SourceInfo], checks: Mapping[str, Check]
) -> None:
    """Every table's stored bytes against the hash recorded at import, without decoding (cheap)."""
    for info in infos:
        check = checks.get(info.name)
        if check is None:
            continue  # imported before per-table checks: verified on its content hash when loaded
        data = blob_bytes(conn, info.sha256)
        if data is None:
            raise damaged(version, info.name, f"its records ({info.sha256[:12]}) are missing from the store")
        if stored_hash(data) != check.stored_sha256:
            raise damaged(version, info.name, "its stored records were changed after import (hash mismatch)")


def blob_bytes(conn: Connection, sha256: str) -> bytes | None:
    """The stored bytes of a blob, or None when there is none."""
    data = conn.execute(sa.select(tables.blobs.c.data).where(tables.blobs.c.sha256 == sha256)).scalar()
    return None if data is None else bytes(data)


def _intact(data: bytes, sha256: str, known: set[str]) -> bool:
    if stored_hash(data) in known:
        return True
    try:  # no other version vouches for these bytes: check them on their content
        return codec.content_hash(codec.decode(data)) == sha256
    except Exception:  # unreadable bytes are not intact
        return False


def stored_hashes(
    conn: Connection,
    infos: Iterable[SourceInfo],
    fresh: Mapping[str, bytes],
    frames: Mapping[str, pl.DataFrame],
    repair: dict[str, bytes],
) -> dict[str, str]:
    """The stored-bytes hash of each source's blob, by content hash, for recording at import.

    Blobs encoded by this import (`fresh`) are hashed. Blobs already stored are hashed once their bytes
    are vouched for: by another version's recorded hash, else by their content hash. A stored blob that
    fails is re-encoded from this import's records into `repair`; without records to repair it from (a
    kept source of the active version) the import fails closed.
    """
    out: dict[str, str] = {}
    for info in infos:
        sha = info.sha256
        if sha in out:
            continue
        if sha in fresh:
            out[sha] = stored_hash(fresh[sha])
            continue
        known = set(
            conn.execute(
                sa.select(tables.checks.c.stored_sha256).where(tables.checks.c.sha256 == sha)
            ).scalars()
        )
        data = blob_bytes(conn, sha)
        if data is not None and _intact(data, sha, known):
            out[sha] = stored_hash(data)
        elif sha in frames:
            repair[sha] = codec.encode(frames[sha])
            out[sha] = stored_hash(repair[sha])
        else:
            raise DamagedDataError(
                f"table {info.name!r} of the active data version, which this import would keep, is damaged:"
                f" its stored records do not match their hash; {RESTORE}",
                table=info.name,
            )
    return out


def record(
    conn: Connection,
    version: str,
    infos: Sequence[SourceInfo],
    hashes: Mapping[str, str],
    repair: Mapping[str, bytes],
) -> None:
    """Write the version's missing check rows and the repaired blobs (in the caller's transaction)."""
    for sha, data in repair.items():
        conn.execute(
            sa.update(tables.blobs).where(tables.blobs.c.sha256 == sha).values(data=data, size=len(data))
        )
        conn.execute(
            sa.update(tables.checks).where(tables.checks.c.sha256 == sha).values(stored_sha256=hashes[sha])
        )
    present = set(
        conn.execute(sa.select(tables.checks.c.name).where(tables.checks.c.version == version)).scalars()
    )
    rows = [
        {
            "version": version,
            "name": info.name,
            "sha256": info.sha256,
            "date": info.date,
            "stored_sha256": hashes[info.sha256],
        }
        for info in infos
        if info.name not in present
    ]
    if rows:
        conn.execute(sa.insert(tables.checks), rows)
