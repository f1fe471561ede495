"""The activation gate's records in the store (`data_gate`): what was found, and who forced what, why.

A version's record is written in the transaction that stores the version, so a version never exists
without it once the gate ran; a forced activation writes the reason and the server's time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from exportctl.errors import InvariantFailed
from exportctl.store import tables
from exportctl.store.dataset import Dataset
from exportctl.store.engine import iso
from exportctl.store.invariants import GateReport

__all__ = ["Gate", "read", "read_all", "refuse", "write"]

# What the store calls before a version becomes storable: (candidate, active or None) -> report.
Gate = Callable[[Dataset, Dataset | None], GateReport]


def refuse(report: GateReport) -> InvariantFailed:
    """The one-line error naming the first failed invariant."""
    first = report.failed[0]
    more = f" (and {len(report.failed) - 1} more failed)" if len(report.failed) > 1 else ""
    return InvariantFailed(
        f"invariant {first.name} failed: {first.message}{more}; nothing changed "
        "(to activate anyway: --force --reason TEXT)",
        field=first.name,
    )


def write(conn: Connection, vid: str, report: GateReport | None, forced_reason: str | None) -> None:
    """Write (or, for a re-import of the same content, update) the gate record of a version."""
    row = conn.execute(sa.select(tables.gate).where(tables.gate.c.version == vid)).first()
    values: dict[str, Any] = {}
    if report is not None:
        values.update(
            passed=len(report.passed), failed=report.summary()["failed"], comparison=report.comparison
        )
    if forced_reason is not None:
        values.update(forced_reason=forced_reason, forced_at=sa.func.now())
    if row is None:
        if report is None:
            return
        conn.execute(sa.insert(tables.gate).values(version=vid, **values))
    elif forced_reason is not None and row.forced_reason is None and list(row.failed):
        # a version that failed and was kept unforced (a record made after the fact) forced now; a
        # record otherwise stays as first written: answers already given on the version agree with it
        conn.execute(sa.update(tables.gate).where(tables.gate.c.version == vid).values(**values))


def _public(row: Any) -> dict[str, Any]:
    forced = None
    if row.forced_reason is not None:
        forced = {"reason": row.forced_reason, "at": iso(row.forced_at)}
    return {
        "invariants": {"passed": int(row.passed), "failed": list(row.failed)},
        "forced": forced,
        "comparison": dict(row.comparison),
        "checked_at": iso(row.checked_at),
    }


def read(conn: Connection, vid: str) -> dict[str, Any] | None:
    """{"invariants", "forced", "comparison", "checked_at"} of a version, or None when never checked."""
    row = conn.execute(sa.select(tables.gate).where(tables.gate.c.version == vid)).first()
    return _public(row) if row is not None else None


def read_all(conn: Connection) -> dict[str, dict[str, Any]]:
    """Every version's gate record by version id."""
    return {row.version: _public(row) for row in conn.execute(sa.select(tables.gate))}
