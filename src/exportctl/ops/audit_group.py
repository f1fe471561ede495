"""Concurrent audit records written together: one transaction for all the records waiting (group commit).

Under load every API request appends one record, and each append is a transaction of its own (a lock, a
read of the head, an insert, an update of the head, a commit: on SQLite a sync of the file). Here the
records of concurrent requests join: the first caller with no write in progress writes every record
queued so far in one transaction (store.audit.append, in arrival order), and while it writes, the next
callers queue; when it is done, the first of them writes the next group. Nobody waits for a timer: a
lone request writes at once, as before.

Each record is still its own record on the one chain (its own seq, prev_hash and record_hash), and every
caller gets its seq only once the transaction holding its record is committed: no answer leaves without
its record. The outputs are serialised by each caller before it queues (a record whose outputs cannot be
written fails alone, never its group); a failed transaction fails every record of its group.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy.engine import Engine

from exportctl.store import audit as trail
from exportctl.store.audit import AuditEntry, canonical, iso_utc

__all__ = ["append_grouped", "groups_written", "outputs_text", "record_grouped"]


@dataclass
class _Waiter:
    entries: Sequence[AuditEntry]
    seqs: list[int] | None = None
    error: BaseException | None = None
    lead: bool = False
    wake: threading.Event = field(default_factory=threading.Event)


_lock = threading.Lock()
_queues: dict[str, list[_Waiter]] = {}
_leading: set[str] = set()
_groups: dict[str, int] = {}  # transactions written per store (for the bench and tests)


def groups_written(engine: Engine) -> int:
    """How many group transactions this process has written to `engine`'s store."""
    return _groups.get(str(engine.url), 0)


def append_grouped(engine: Engine, entries: Sequence[AuditEntry]) -> list[int]:
    """Append `entries` (in order, consecutive) together with those of concurrent callers; their seqs."""
    if not entries:
        return []
    key = str(engine.url)
    me = _Waiter(list(entries))
    with _lock:
        _queues.setdefault(key, []).append(me)
        if key not in _leading:
            _leading.add(key)
            me.lead = True
    if not me.lead:
        me.wake.wait()  # woken with seqs (or an error), or to write the next group
    if me.seqs is None and me.error is None:
        _write_group(engine, key, me)
    if me.error is not None:
        raise me.error
    assert me.seqs is not None
    return me.seqs


def _write_group(engine: Engine, key: str, me: _Waiter) -> None:
    """Write every queued record in one transaction, then hand the lead to the first caller queued since."""
    with _lock:
        group = _queues.pop(key, [])
    try:
        seqs = trail.append(engine, [e for w in group for e in w.entries])
        at = 0
        for w in group:
            w.seqs = seqs[at : at + len(w.entries)]
            at += len(w.entries)
        _groups[key] = _groups.get(key, 0) + 1
    except BaseException as exc:  # every caller of the group learns it, the next group still runs
        for w in group:
            w.error = exc
    finally:
        with _lock:
            queued = _queues.get(key)
            if queued:
                queued[0].lead = True
                queued[0].wake.set()
            else:
                _leading.discard(key)
        for w in group:
            if w is not me:
                w.wake.set()


def _plain(obj: Any) -> Any:
    if isinstance(obj, set | frozenset):
        return sorted(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def outputs_text(outputs: Any) -> str:
    """A record's outputs as canonical JSON (sorted keys, no spaces, UTF-8 kept), written by orjson: a
    1,000-answer batch in milliseconds. The chain hashes exactly this text; its values are canonical()'s
    (a float below 1e-4 is spelled 0.00001, not 1e-05). What orjson cannot write goes to canonical()."""
    try:
        option = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
        return orjson.dumps(outputs, default=_plain, option=option).decode("utf-8")
    except TypeError:
        return canonical(outputs)


def record_grouped(
    kind: str,
    inputs: Any,
    outputs: Any,
    *,
    data_version: str,
    engine_version: str,
    actor: str,
    at: dt.datetime | None = None,
    engine: Engine,
    payload: bytes | None = None,
    payload_of: str = "responses",
    inputs_hash: str | None = None,
) -> int:
    """ops.audit.record, its transaction shared with concurrent callers' records; returns its seq.

    With `payload` (the JSON bytes of a large answer, a batch's `responses` as sent), the bytes are kept
    once by their sha256 in the store's payload table (store.audit_payloads) and `outputs` (a small dict)
    names them under `audit_payload`: hashed and compressed here, in the caller's thread. With
    `inputs_hash` (input_hash(inputs), written by the caller from parts it wrote once), `inputs` is not
    read."""
    from exportctl.ops.audit import input_hash
    from exportctl.store.audit_payloads import REF_KEY, pack

    packed = pack(payload) if payload is not None else None
    if packed is not None:
        outputs = {**outputs, REF_KEY: packed.ref(payload_of)}
    entry = AuditEntry(
        kind=kind,
        actor=actor,
        input_hash=inputs_hash if inputs_hash is not None else input_hash(inputs),
        outputs=None,
        outputs_json=outputs_text(
            outputs
        ),  # here, in the caller's thread: a bad output fails only its caller
        data_version=data_version,
        engine_version=engine_version,
        at=iso_utc(at) if at is not None else None,
        payload=packed,
    )
    return append_grouped(engine, [entry])[0]
