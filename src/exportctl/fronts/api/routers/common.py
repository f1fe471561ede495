"""Helpers the routers share: scenarios from JSON, the check context per data version, audit calls."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from exportctl.errors import ExportctlError, InputError, RegistryError
from exportctl.fronts.api.deps import Principal, now_utc
from exportctl.ops.defaults import today
from exportctl.ops.registry import bundled_registry
from exportctl.registry import Scenario, apply_scenario

__all__ = ["Trail", "UnansweredError", "answering", "app_context", "audit", "check_context", "scenario_from"]


def scenario_from(given: Any, field: str = "scenario") -> Scenario | None:
    """A Scenario from its JSON object (the scenario file's shape, or schemas.ScenarioIn); InputError naming
    the bad field."""
    if given is None:
        return None
    obj = given.model_dump(mode="json", exclude_unset=True) if hasattr(given, "model_dump") else given
    try:
        scenario = Scenario.model_validate_json(json.dumps(obj), strict=True)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in (field, *first["loc"]))
        raise InputError(f"invalid scenario: {first['msg']}", field=where) from None
    # Applied once here, to the registry the API answers from: a removal of a measure that does not exist
    # (or any change that cannot apply) is the client's error, named, before any work or audit record.
    try:
        apply_scenario(bundled_registry().measures, scenario)
    except RegistryError as err:
        raise InputError(
            f"invalid scenario: {err.message}",
            field=f"{field}.{err.field or 'name'}",
            suggestions=err.suggestions,
        ) from None
    return scenario


def check_context(request: Request) -> Any:
    """The ops.check Context of the active data version (built once per version, shared by requests)."""
    return app_context(request.app)


DATA_RECHECK_SECONDS = 1.0  # how often requests ask the store which data version is active


def app_context(app: Any) -> Any:
    """check_context of an app, outside any request (`exportctl serve` builds it before taking requests).

    The store is asked which data version is active at most once a DATA_RECHECK_SECONDS (a query per
    request was a sixth of a single check's cost): a version activated by `exportctl data activate`
    answers from the next second on, and every answer names the version it was given by."""
    from exportctl.ops.check import Context
    from exportctl.ops.registry import bundled_registry
    from exportctl.store import active_dataset

    state = app.state
    checked = getattr(state, "context_checked", None)
    known = state.contexts.get(checked[1]) if checked is not None else None
    if known is not None and checked is not None and time.monotonic() < checked[0] + DATA_RECHECK_SECONDS:
        return known
    asking: threading.Lock | None = getattr(state, "version_asking", None)
    if known is not None and asking is not None and not asking.acquire(blocking=False):
        # another request is asking the store right now: this one answers from the version known a moment
        # ago (when the second ran out, all forty threads asked at once, queued on the store's lock)
        return known
    try:
        dataset = active_dataset(app.state.settings.database_url)
        state.context_checked = (time.monotonic(), dataset.version)
    finally:
        if known is not None and asking is not None:
            asking.release()
    with state.context_lock:
        ctx = state.contexts.get(dataset.version)
        if ctx is None:
            ctx = Context(dataset=dataset, registry=bundled_registry(), engine=state.engine)
            _warm(ctx)
            state.contexts.clear()  # one data version at a time
            state.contexts[dataset.version] = ctx
    return ctx


def _warm(ctx: Any) -> None:
    """Build the party-screening indexes once, under the lock, before concurrent requests use them.

    The engines cache their index per data version but build it on first use without a lock: fifty
    requests arriving together would otherwise build it fifty times at once.
    """
    import polars as pl

    from exportctl.ops.check import check_table

    rows = {
        "exporting_country": ["US", "CN"], "eccn": ["EAR99", None], "product": [None, "gallium"],
        "destination": ["DE", "US"], "ultimate_consignee": ["warm up", "warm up"],
        "as_of": [today().isoformat()] * 2,
    }  # fmt: skip
    # Only a speed-up: whatever fails here (a data version without party lists, an engine error) is
    # left for the requests themselves to meet and report in the error shape.
    with contextlib.suppress(Exception):
        check_table(pl.DataFrame(rows, schema={k: pl.Utf8 for k in rows}), fuzzy=True, context=ctx)


def audit(
    request: Request,
    who: Principal,
    kind: str,
    inputs: Any,
    outputs: Any,
    data_version: str,
    engine_version: str,
    at: dt.datetime | None = None,
    trail: Trail | None = None,
    payload: bytes | None = None,
    inputs_hash: str | None = None,
) -> int:
    """Append the call to the audit trail (before the answer leaves: no answer without its record);
    the seq is noted in `trail`, so that a failure before the answer leaves is recorded too. Concurrent
    requests' records share one transaction (ops.audit_group), each still its own record on the chain.
    With `payload` (a batch's `responses` as the JSON bytes sent), `outputs` is a small dict and the bytes
    are stored once by their hash beside the record (store.audit_payloads), named by it. With
    `inputs_hash` (ops.audit.input_hash of the inputs, written by the caller), `inputs` is not read."""
    from exportctl.ops.audit_group import record_grouped

    seq = record_grouped(
        kind,
        inputs,
        outputs,
        data_version=data_version,
        engine_version=engine_version,
        actor=who.actor,
        at=at or now_utc(),
        engine=request.app.state.engine,
        payload=payload,
        inputs_hash=inputs_hash,
    )
    if trail is not None:
        trail.note([seq], data_version, engine_version)
    return seq


@dataclass
class Trail:
    """The audit records one request has written so far (with their data and engine versions)."""

    seqs: list[int] = field(default_factory=list)
    data_version: str = "unknown"
    engine_version: str = "unknown"

    def note(self, seqs: Sequence[int], data_version: str, engine_version: str) -> None:
        """Remember records just written."""
        self.seqs.extend(seqs)
        self.data_version, self.engine_version = data_version, engine_version


class UnansweredError(ExportctlError):
    """A request was recorded in the audit trail but its answer could not be given (HTTP 500); a
    follow-up record (kind `unanswered`) names the records concerned and the error's class."""

    code = "internal"


UNANSWERED = "unanswered"  # the kind of the follow-up record


@contextlib.contextmanager
def answering(request: Request, who: Principal, kind: str) -> Iterator[Trail]:
    """Within the block, the request's audit records are noted (`audit(..., trail=)`, or `Trail.note`);
    an exception raised once one is written, before the answer is built, appends an `unanswered` record
    on the same chain ({answered: false, for_seqs, error_class, status: 500}, no message or stack: those
    may hold paths or data) and leaves as UnansweredError, 500 in the one error shape, naming both records.

    Before any record is written an exception leaves unchanged: nothing was recorded, nothing is owed.
    """
    trail = Trail()
    try:
        yield trail
    except Exception as exc:
        if not trail.seqs:
            raise
        from exportctl.ops.audit import record

        name = type(exc).__name__
        outputs = {"answered": False, "for_kind": kind, "for_seqs": trail.seqs, "error_class": name,
                   "status": 500, "error": UnansweredError.code}  # fmt: skip
        seq = record(
            UNANSWERED,
            {"for_kind": kind, "for_seqs": trail.seqs},
            outputs,
            data_version=trail.data_version,
            engine_version=trail.engine_version,
            actor=who.actor,
            at=now_utc(),
            engine=request.app.state.engine,
        )
        seqs = ", ".join(str(s) for s in trail.seqs)
        raise UnansweredError(
            f"internal error ({name}) after the request was recorded (audit record {seqs}): no answer was "
            f"given, as audit record {seq} says"
        ) from exc
