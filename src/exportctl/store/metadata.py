"""Reading a store's metadata: the sources of a version, the list of versions, a version by id prefix.

Every cell is read defensively: a damaged JSON cell or timestamp is a DamagedDataError naming its table
(or the version list), never a driver traceback (issue #16).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from exportctl.errors import DamagedDataError, StoreError
from exportctl.store import gate_records, integrity, tables
from exportctl.store.dataset import SourceInfo
from exportctl.store.engine import iso

__all__ = ["read_sources", "read_versions", "resolve"]

_JSON_COLUMNS = ("columns", "files", "skip_reasons")


def _info(row: Any) -> SourceInfo:
    """A data_sources row as SourceInfo; a damaged cell is DamagedDataError naming the table."""
    try:
        columns, files, reasons = (integrity.json_cell(getattr(row, c)) for c in _JSON_COLUMNS)
        return SourceInfo(
            name=str(row.name),
            title=str(row.title),
            format=str(row.format),
            date=str(row.date),
            rows=int(row.rows),
            sha256=str(row.sha256),
            columns=tuple((str(c[0]), str(c[1])) for c in columns),
            files=tuple(str(f) for f in files),
            skipped=int(row.skipped),
            skip_reasons={str(k): int(v) for k, v in dict(reasons).items()},
            attribution=str(row.attribution),
        )
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        what = f"its metadata in data_sources is damaged ({type(exc).__name__}: {str(exc)[:120]})"
        raise integrity.damaged(str(row.version), str(row.name), what) from None


def read_sources(conn: Connection, version: str | None) -> list[SourceInfo]:
    """The sources of a version, sorted by name ([] for None)."""
    if version is None:
        return []
    # JSON cells are read as the stored text and decoded in `_info`: one damaged cell is an error
    # naming its table, not a driver traceback.
    raw = [sa.type_coerce(tables.sources.c[c], sa.Text).label(c) for c in _JSON_COLUMNS]
    plain = [c for c in tables.sources.c if c.name not in _JSON_COLUMNS]
    query = sa.select(*plain, *raw).where(tables.sources.c.version == version).order_by(tables.sources.c.name)
    return [_info(row) for row in conn.execute(query)]


def read_versions(conn: Connection, active: str | None, previous: str | None) -> list[dict[str, Any]]:
    """Every version, newest first: id, parent, created_at, note, sources, active/previous flags, gate."""
    counts = (
        sa.select(tables.sources.c.version, sa.func.count().label("n"))
        .group_by(tables.sources.c.version)
        .subquery()
    )
    query = (
        sa.select(tables.versions, counts.c.n)
        .join(counts, counts.c.version == tables.versions.c.id, isouter=True)
        .order_by(tables.versions.c.created_at.desc(), tables.versions.c.id)
    )
    try:
        gates = gate_records.read_all(conn)
        return [
            {
                "version": row.id,
                "parent": row.parent,
                "created_at": iso(row.created_at),
                "note": row.note,
                "sources": int(row.n or 0),
                "active": row.id == active,
                "previous": row.id == previous,
                "invariants": (gates.get(row.id) or {}).get("invariants"),
                "forced": (gates.get(row.id) or {}).get("forced"),
            }
            for row in conn.execute(query)
        ]
    except (ValueError, TypeError) as exc:  # a damaged cell (e.g. a timestamp SQLite cannot read)
        raise DamagedDataError(
            f"the data store's version list is damaged ({type(exc).__name__}: {str(exc)[:120]});"
            f" {integrity.RESTORE}"
        ) from None


def resolve(conn: Connection, version: str) -> str:
    """The full id of a version given by id or unique prefix (at least 6 characters)."""
    key = version.strip().lower()
    if len(key) < 6:
        raise StoreError(f"give at least 6 characters of a version id, not {version!r}", field="version")
    ids = conn.execute(
        sa.select(tables.versions.c.id).where(tables.versions.c.id.startswith(key, autoescape=True))
    ).scalars()
    found = list(ids)
    if len(found) == 1:
        return str(found[0])
    if not found:
        known = conn.execute(sa.select(tables.versions.c.id)).scalars()
        raise StoreError(f"no data version {version!r}", field="version", suggestions=[k[:12] for k in known])
    raise StoreError(f"version prefix {version!r} is ambiguous", field="version", suggestions=found)
