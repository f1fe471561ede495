"""The audit trail for fronts: record determinations and screenings, verify, export, review decisions.

One record per call (a single check, a batch of keyed checks, a screening, a review decision): the sha256
of the canonical inputs, the full outputs, the data version, the engine version, the actor and the time.
A checked book is recorded per chunk (counts per verdict and the SHA-256 of its result rows as written),
then once for its output file (`ops.audit_runs`): its rows are in the file, which `audit verify` checks.
Review decisions on screening hits are keyed by (the party's normalised name, list, entity id) and
remember the content hash of the list entry when decided: a later hit on the same entry shows the
decision, and marks it `expired` once the entry changed in a newer list.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

import polars as pl
from sqlalchemy.engine import Engine

from exportctl.errors import ConflictError, InputError, NotFoundError
from exportctl.model.dates import parse_date
from exportctl.ops.cells import write_csv_rows
from exportctl.ops.review_reads import latest_reviews
from exportctl.store import Store, open_store
from exportctl.store import audit as trail
from exportctl.store import audit_reviews as decisions
from exportctl.store.audit import AuditEntry, canonical, iso_utc

__all__ = [
    "DECISIONS",
    "EXPORT_COLUMNS",
    "acting_as",
    "annotate",
    "current_actor",
    "engine_of",
    "entry_hash",
    "export",
    "input_hash",
    "party_key",
    "record",
    "record_run",
    "records",
    "review",
    "reviews",
    "suppressions",
    "verify",
    "withdraw",
]

DECISIONS = ("match", "false_positive")
WITHDRAWN = "withdrawn"  # a decision taken back (`withdraw`): the newest for its pair, so none applies
EXPORT_COLUMNS = (
    "seq", "kind", "at", "actor", "input_hash", "data_version", "engine_version", "outputs", "prev_hash",
    "record_hash",
)  # fmt: skip
# The list entry's fields a decision depends on: any change to them expires the decision.
ENTRY_FIELDS = (
    "list", "entity_id", "name", "aliases", "type", "countries", "license_requirement", "license_policy",
    "federal_register_notice", "programs",
)  # fmt: skip
# Evidence fields count only when the entry has them (hashes of entries without them stay as they were).
EVIDENCE_FIELDS = ("dates_of_birth", "nationalities", "ids")

_acting: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "exportctl_acting", default=None
)
_stores: dict[str, Store] = {}
_lock = threading.Lock()
_lists: dict[str, pl.DataFrame] = {}


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


# --- review decisions ------------------------------------------------------------------------------


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
    seq = trail.append(
        eng,
        [
            AuditEntry(
                kind="review",
                actor=actor,
                input_hash=input_hash(inputs),
                outputs=row,
                data_version=str(dataset.version),
                engine_version="review-v1",
                at=iso_utc(at) if at is not None else None,
            )
        ],
    )[0]
    at_text = _record_at(eng, seq)
    return _public(decisions.add_review(eng, {**row, "at": at_text, "audit_seq": seq}))


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
    seq = trail.append(
        eng,
        [
            AuditEntry(
                kind="review",
                actor=actor,
                input_hash=input_hash(inputs),
                outputs={**row, "withdraws": review_id},
                data_version="-",
                engine_version="review-v1",
                at=iso_utc(at) if at is not None else None,
            )
        ],
    )[0]
    return _public(decisions.add_review(eng, {**row, "at": _record_at(eng, seq), "audit_seq": seq}))


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
