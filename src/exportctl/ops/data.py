"""`data` operations the fronts call: status, import, verify, activate, rollback, versions, sync.

Each returns a plain dict in the shape of the foundation issue's contract. Dates that depend on "now"
(the age of a source) are computed from a `today` the front passes in: the core never reads the clock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import InputError
from exportctl.ops import gate as gates
from exportctl.store import Store, ensure_active, shared_store
from exportctl.store import sync as store_sync

__all__ = ["activate", "import_path", "rollback", "status", "sync", "verify", "versions"]


def _age_days(date: str | None, today: dt.date | None) -> int | None:
    if not date or today is None:
        return None
    try:
        return (today - dt.date.fromisoformat(date[:10])).days
    except ValueError:
        return None


def _entities(table: pl.DataFrame, name: str) -> dict[str, Any] | None:
    """What a source's rows stand for, where rows are not one per entity (long-form tables)."""
    if name == "country_chart" and {"country", "embargoed", "basis"} <= set(table.columns):
        graded = table.filter(~pl.col("embargoed") & pl.col("basis").is_null())["country"].n_unique()
        embargoed = sorted(table.filter(pl.col("embargoed"))["country"].unique().to_list())
        inherited = sorted(table.filter(pl.col("basis").is_not_null())["country"].unique().to_list())
        return {
            "count": graded,
            "unit": "countries with a row of marks",
            "embargoed": embargoed,
            "inherited": inherited,
        }
    if name == "country_groups" and {"group", "country"} <= set(table.columns):
        return {
            "count": table["group"].n_unique(),
            "unit": "groups",
            "countries": table["country"].n_unique(),
        }
    return None


def _summary(store: Store) -> dict[str, Any]:
    return {"active_version": store.active_version(), "previous_version": store.previous_version()}


def _reason(force: bool, reason: str | None) -> str | None:
    """The reason a forced change must give (InputError without one); None when not forced."""
    text = (reason or "").strip()
    if force and not text:
        raise InputError(
            "--force needs --reason TEXT (recorded with the version and in the audit trail)", field="reason"
        )
    if text and not force:
        raise InputError("--reason goes with --force", field="reason")
    return text or None


def _audit_forced(store: Store, version: str, reason: str, what: str) -> None:
    """Record a forced activation in the audit trail: the version, the reason and what the gate found."""
    from exportctl import ENGINE_VERSION
    from exportctl.ops import audit

    record = store.gate_record(version) or {}
    acting = audit.current_actor()
    audit.record(
        "data_forced",
        {"what": what, "version": version, "reason": reason},
        {
            "version": version,
            "reason": reason,
            "invariants": record.get("invariants"),
            "forced": record.get("forced"),
        },
        data_version=version,
        engine_version=ENGINE_VERSION,
        actor=acting,
        engine=store.engine,
    )


def status(*, today: dt.date | None = None, url: str | None = None, ensure: bool = True) -> dict[str, Any]:
    """The active version and its sources (name, title, date, rows, sha256, format, age_days ...).

    With `ensure` (the default) an empty store first gets the bundled data pack, as any reader would.
    """
    store = shared_store(url)
    if ensure:
        ensure_active(store)
    result = store.status()
    if result.get("active_version") and result.get("invariants") is None:
        # a version stored without the gate (the bundled pack, an older store): check it once, keep it
        record = store.record_gate(result["active_version"], gates.gate) or {}
        result["invariants"], result["forced"] = record.get("invariants"), record.get("forced")
    dataset = store.dataset(result["active_version"]) if result.get("active_version") else None
    for source in result["sources"]:
        source["age_days"] = _age_days(source["date"], today)
        if dataset is not None and source["name"] in ("country_chart", "country_groups"):
            entities = _entities(dataset.table(source["name"]), source["name"])
            if entities is not None:
                source["entities"] = entities
    result["version_age_days"] = _age_days(result["created_at"], today)
    from exportctl.ops.registry import coverage

    result["coverage"] = coverage()  # the last day answered (`last_day`): later dates hold
    return result


def import_path(
    path: str | Path,
    *,
    force: bool = False,
    reason: str | None = None,
    activate: bool = True,
    url: str | None = None,
) -> dict[str, Any]:
    """Parse an official file (or folder) into a new version, run the gate on it and (by default) activate it.

    On an empty store the bundled pack is imported first, so the file replaces the pack's table of the
    same name instead of making a version that holds nothing else. A failed invariant raises
    InvariantFailed naming it; `force` activates anyway and needs a `reason` (kept in the store and the
    audit trail).
    """
    why = _reason(force, reason)
    store = shared_store(url)
    ensure_active(store)
    try:
        version = store.import_path(path, force=force, activate=activate, gate=gates.gate, reason=why)
    finally:
        gates.forget()  # the canaries asked about the candidate before it had a record
    if why is not None:
        _audit_forced(store, version, why, f"import {Path(path).name}")
    record = store.gate_record(version) or {}
    return {
        "version": version,
        "activated": store.active_version() == version,
        **_summary(store),
        "invariants": record.get("invariants"),
        "forced": record.get("forced"),
        "comparison": record.get("comparison"),
        "sources": [s.to_dict() for s in store.sources_of(version)],
    }


def verify(version: str | None = None, *, url: str | None = None) -> dict[str, Any]:
    """Re-read a version (default: the active one) and list its problems."""
    store = shared_store(url)
    vid = store.resolve(version) if version else store.active_version()
    problems = store.verify(vid)
    return {"version": vid, "ok": not problems, "problems": problems}


def activate(
    version: str, *, force: bool = False, reason: str | None = None, url: str | None = None
) -> dict[str, Any]:
    """Make a stored version active after validating it against the active one (and its gate record)."""
    store = shared_store(url)
    vid = store.activate(version, force=force, reason=reason)
    gates.forget()
    if reason is not None and force:
        _audit_forced(store, vid, reason.strip(), "activate")
    return _summary(store)


def rollback(*, url: str | None = None) -> dict[str, Any]:
    """Restore the previous version."""
    store = shared_store(url)
    store.rollback()
    return _summary(store)


def versions(*, url: str | None = None) -> list[dict[str, Any]]:
    """Every stored version, newest first."""
    return shared_store(url).versions()


def sync(
    *, today: dt.date, force: bool = False, reason: str | None = None, url: str | None = None
) -> dict[str, Any]:
    """Download the official sources into a new version, gate and activate it; offline: OfflineError."""
    why = _reason(force, reason) if reason is not None else None
    store = shared_store(url)
    ensure_active(store)  # as for import: the downloads replace the pack's tables, the rest is kept
    try:
        result = store_sync.sync(store, today=today, force=force, gate=gates.gate, reason=why)
    finally:
        gates.forget()
    if why is not None:
        _audit_forced(store, result["version"], why, "sync")
    return result
