"""Review decisions on screening hits: a reviewer's `match` or `false_positive` on a (party, list entry) pair,
recorded in the audit trail, withdrawn by a later record, read back onto hits (`annotate`) and, for a
current false positive, given to the determination engines as a suppression (`suppressions`).

Decisions are keyed by (the party's normalised name, list, entity id) and remember the content hash of the
list entry when decided: a later hit on the same entry shows the decision, and marks it `expired` once the
entry changed in a newer list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl
from sqlalchemy.engine import Engine

from exportctl.errors import ConflictError, InputError, NotFoundError
from exportctl.ops.audit import engine_of, input_hash
from exportctl.ops.review_reads import latest_reviews
from exportctl.store import audit as trail
from exportctl.store import audit_reviews as decisions
from exportctl.store.audit import AuditEntry, canonical, iso_utc

__all__ = [
    "DECISIONS",
    "REVIEW_COLUMNS",
    "annotate",
    "entry_hash",
    "party_key",
    "review",
    "reviews",
    "suppressions",
    "withdraw",
]

DECISIONS = ("match", "false_positive")
WITHDRAWN = "withdrawn"  # a decision taken back (`withdraw`): the newest for its pair, so none applies
# The list entry's fields a decision depends on: any change to them expires the decision.
ENTRY_FIELDS = (
    "list", "entity_id", "name", "aliases", "type", "countries", "license_requirement", "license_policy",
    "federal_register_notice", "programs",
)  # fmt: skip
# Evidence fields count only when the entry has them (hashes of entries without them stay as they were).
EVIDENCE_FIELDS = ("dates_of_birth", "nationalities", "ids")

_lock = threading.Lock()
_lists: dict[str, pl.DataFrame] = {}


def party_key(name: str) -> str:
    """The normalised party name a decision is keyed by (the screening engine's normalisation)."""
    from exportctl.engine.screening.normalise import name_key, normalise

    key = name_key(normalise(name or ""))
    if not key:
        raise InputError("the party name is empty after normalisation", field="party")
    return key


def _list_table(dataset: Any) -> pl.DataFrame:
    from exportctl.engine.screening.lists import LIST_TABLES, list_table

    version = str(dataset.version)
    with _lock:
        table = _lists.get(version)
    if table is None:
        table = list_table({t: dataset.table(t) for t in LIST_TABLES if dataset.has(t)})
        with _lock:
            _lists.clear()  # one data version at a time
            _lists[version] = table
    return table


def entry_hash(entry: Mapping[str, Any]) -> str:
    """sha256 of a list entry's content fields (a change expires decisions on it)."""
    content = {k: entry.get(k) for k in ENTRY_FIELDS}
    content.update({k: entry[k] for k in EVIDENCE_FIELDS if entry.get(k)})
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def _entries(dataset: Any, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    wanted = pl.DataFrame(list(set(keys)), schema={"list": pl.Utf8, "entity_id": pl.Utf8}, orient="row")
    if wanted.height == 0:
        return {}
    rows = _list_table(dataset).join(wanted, on=["list", "entity_id"], how="semi")
    return {(r["list"], r["entity_id"]): r for r in rows.iter_rows(named=True)}


def review(
    *,
    party: str,
    list_id: str,
    entity_id: str,
    decision: str,
    note: str = "",
    actor: str,
    at: dt.datetime | None = None,
    dataset: Any = None,
    engine: Engine | None = None,
) -> dict[str, Any]:
    """Record a reviewer's decision on the hit of `party` on list entry (list_id, entity_id)."""
    if decision not in DECISIONS:
        raise InputError(
            f"decision must be one of {', '.join(DECISIONS)}", field="decision", suggestions=DECISIONS
        )
    key = party_key(party)
    if dataset is None:
        from exportctl.store import active_dataset

        dataset = active_dataset()
    entry = _entries(dataset, [(list_id, entity_id)]).get((list_id, entity_id))
    if entry is None:
        raise NotFoundError(
            f"no entry {entity_id!r} on list {list_id!r} in data version {str(dataset.version)[:12]}",
            field="entity_id",
        )
    eng = engine or engine_of()
    inputs = {"party": party, "list": list_id, "entity_id": entity_id, "decision": decision, "note": note}
    row = {
        "party_key": key,
        "list": list_id,
        "entity_id": entity_id,
        "entry_hash": entry_hash(entry),
        "decision": decision,
        "note": note,
        "party": party,
        "listed_name": entry.get("name") or "",
        "actor": actor,
    }
    return _recorded(eng, row, inputs, row, str(dataset.version), actor, at)


SUPPRESSION_SCHEMA = {"party_key": pl.Utf8, "list": pl.Utf8, "entity_id": pl.Utf8, "suppressed_by": pl.Utf8}
_NO_SUPPRESSIONS = pl.DataFrame(schema=SUPPRESSION_SCHEMA)
# (store url, data version) -> (reviews_stamp, its suppressions): frames are immutable, so shared
_suppressed: dict[tuple[str, str], tuple[tuple[int, int], pl.DataFrame]] = {}


def suppressions(*, dataset: Any = None, engine: Engine | None = None) -> pl.DataFrame:
    """The pairs a current false-positive decision suppresses, for the determination engines:
    (party_key, list, entity_id, suppressed_by = "review N (by, at): reason"). Read afresh on every
    call, yet worked out again only when a decision was added (reviews_stamp) or the data version is
    another: a single check calls this on every request."""
    eng = engine or engine_of()
    stamp = decisions.reviews_stamp(eng)
    if stamp[1] == 0:
        return _NO_SUPPRESSIONS
    if dataset is None:
        from exportctl.store import active_dataset

        dataset = active_dataset()
    key = (str(eng.url), str(dataset.version))
    kept = _suppressed.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    frame = _suppressions(eng, dataset)
    with _lock:
        if len(_suppressed) >= 8:
            _suppressed.clear()
        _suppressed[key] = (stamp, frame)
    return frame


def _suppressions(eng: Engine, dataset: Any) -> pl.DataFrame:
    latest = [r for r in decisions.latest_per_pair(eng) if r["decision"] == "false_positive"]
    if not latest:
        return _NO_SUPPRESSIONS
    entries = _entries(dataset, [(r["list"], r["entity_id"]) for r in latest])
    rows = []
    for r in latest:
        entry = entries.get((r["list"], r["entity_id"]))
        if entry is not None and entry_hash(entry) == r["entry_hash"]:
            text = f"review {r['id']} ({r['actor']}, {r['at']}): {r['note'] or 'false positive'}"
            rows.append((r["party_key"], r["list"], r["entity_id"], text))
    return pl.DataFrame(rows, schema=SUPPRESSION_SCHEMA, orient="row")


def _suppression(info: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not info or info.get("decision") != "false_positive" or info.get("status") != "current":
        return None
    return {"review_id": info["id"], "by": info["actor"], "at": info["at"], "reason": info["note"]}


def _recorded(
    eng: Engine,
    row: dict[str, Any],
    inputs: Any,
    outputs: dict[str, Any],
    data_version: str,
    actor: str,
    at: dt.datetime | None,
) -> dict[str, Any]:
    """A decision appended to the audit trail (kind review), then stored with its record's seq and time."""
    seq = trail.append(
        eng,
        [
            AuditEntry(
                kind="review",
                actor=actor,
                input_hash=input_hash(inputs),
                outputs=outputs,
                data_version=data_version,
                engine_version="review-v1",
                at=iso_utc(at) if at is not None else None,
            )
        ],
    )[0]
    return _public(decisions.add_review(eng, {**row, "at": _record_at(eng, seq), "audit_seq": seq}))


def _record_at(engine: Engine, seq: int) -> str:
    import sqlalchemy as sa

    with engine.connect() as conn:
        return str(conn.execute(sa.select(trail.log.c.at).where(trail.log.c.seq == seq)).scalar_one())


# A review decision as people read it (the CLI's columns), then where the audit trail holds it
REVIEW_COLUMNS = ("id", "at", "actor", "party", "list", "entity_id", "listed_name", "decision", "note")


def _public(row: Mapping[str, Any]) -> dict[str, Any]:
    keep = (*REVIEW_COLUMNS, "audit_seq", "entry_hash")
    return {k: row.get(k) for k in keep}


def withdraw(
    review_id: int,
    *,
    reason: str = "",
    actor: str,
    at: dt.datetime | None = None,
    engine: Engine | None = None,
) -> dict[str, Any]:
    """Take back a review decision: a `withdrawn` decision on the same pair becomes the newest (and is in
    the audit trail), so the hit alerts again. Only the current decision of its pair can be withdrawn."""
    if (
        not 1 <= review_id <= 2**31 - 1
    ):  # an INTEGER column (PostgreSQL: 32 bits): beyond it, no such decision
        raise NotFoundError(f"no review decision {review_id}", field="id")
    eng = engine or engine_of()
    old = decisions.get_review(eng, review_id)
    if old is None:
        raise NotFoundError(f"no review decision {review_id}", field="id")
    key = (old["party_key"], old["list"], old["entity_id"])
    newest = decisions.latest_reviews(eng, [key]).get(key)
    if newest is not None and newest["id"] != old["id"]:
        raise ConflictError(
            f"review {review_id} is not the current decision on this party and entry"
            f" (review {newest['id']} is)",
            field="id",
        )
    if old["decision"] == WITHDRAWN:
        raise ConflictError(f"review {review_id} is itself a withdrawal", field="id")
    row = {
        "party_key": old["party_key"],
        "list": old["list"],
        "entity_id": old["entity_id"],
        "entry_hash": old["entry_hash"],
        "decision": WITHDRAWN,
        "note": reason,
        "party": old["party"],
        "listed_name": old["listed_name"],
        "actor": actor,
    }
    inputs = {"withdraw": review_id, "reason": reason}
    return _recorded(eng, row, inputs, {**row, "withdraws": review_id}, "-", actor, at)


def reviews(*, limit: int = 200, engine: Engine | None = None) -> list[dict[str, Any]]:
    """The newest review decisions first."""
    return [_public(r) for r in decisions.list_reviews(engine or engine_of(), limit=limit)]


def annotate(
    results: Sequence[dict[str, Any]],
    *,
    dataset: Any = None,
    engine: Engine | None = None,
) -> list[dict[str, Any]]:
    """Screening results ({query, hits}) whose hits carry `review` (the newest decision on the party and
    entry, `current` or `expired` once the entry changed) and `suppressed`.

    A current false-positive decision suppresses the hit: it stays in the answer, with `suppressed` naming
    the decision (review_id, by, at, reason), and no longer counts as an alert. Any other decision, an
    expired one or a withdrawn one leaves `suppressed` null.
    """
    keys: dict[tuple[int, int], tuple[str, str, str]] = {}
    for i, result in enumerate(results):
        try:
            party = party_key(str(result.get("query") or ""))
        except InputError:
            continue
        for j, hit in enumerate(result.get("hits") or []):
            if hit.get("list") and hit.get("entity_id"):
                keys[(i, j)] = (party, str(hit["list"]), str(hit["entity_id"]))
    found = latest_reviews(engine or engine_of(), keys.values()) if keys else {}
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    if found:
        if dataset is None:
            from exportctl.store import active_dataset

            dataset = active_dataset()
        entries = _entries(dataset, [(k[1], k[2]) for k in found])
    out = []
    for i, result in enumerate(results):
        hits = []
        for j, hit in enumerate(result.get("hits") or []):
            decided = found.get(keys[(i, j)]) if (i, j) in keys else None
            info = None
            if decided is not None:
                entry = entries.get((decided["list"], decided["entity_id"]))
                current = entry is not None and entry_hash(entry) == decided["entry_hash"]
                info = {**_public(decided), "status": "current" if current else "expired"}
            hits.append({**hit, "review": info, "suppressed": _suppression(info)})
        out.append({**result, "hits": hits})
    return out
