"""The activation gate (issue #16): the invariants a new data version must pass before it becomes active.

Three kinds, all named so that a refusal is one line naming the one that failed:

* canaries (`canary:<id>`): questions with known answers (3A090 and 3B001 to China need a licence,
  Huawei is on the Entity List, China is in D:5, HTS 6109.10.00 carries its rate ...) run through the
  real engines on the candidate version; the questions, expected answers and the instrument each answer
  comes from are data, `data/invariants/invariants.yaml`;
* structural checks per table (`store.invariants`: duplicates, encodings, controls, chart columns,
  marks, group members, rates, stale dates);
* the comparison with the active version (rows and controls added and removed, by table), kept with
  the version's record and shown by `data versions`.

`gate(candidate, active)` is what `Store.import_tables(gate=...)` calls. A version activated in spite
of a failed invariant (`--force --reason`) is "forced": `forced_warning` gives the warning every answer
on it carries.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from exportctl.errors import ExportctlError
from exportctl.registry.schema import Strict
from exportctl.store import Dataset
from exportctl.store.invariants import Finding, GateReport, Limits, TableSpec, compare, structural

__all__ = [
    "Canary",
    "GateSpec",
    "forced_warning",
    "forget",
    "gate",
    "load_spec",
    "run_canaries",
    "warn_forced",
]

SPEC_FILE = "invariants.yaml"
CLEAR = ("no_license_required", "license_exception_available")


class CanaryCitation(Strict):
    """The instrument a canary's answer comes from, and the day the citation was checked."""

    title: str
    href: str | None = None
    checked: dt.date


class Canary(Strict):
    """One question with a known answer (kind `check`, `group_member` or `tariff`)."""

    id: str
    what: str
    kind: Literal["check", "group_member", "tariff"]
    needs: list[str] = Field(min_length=1)
    citation: CanaryCitation
    eccn: str | None = None
    destination: str | None = None
    parties: list[str] = Field(default_factory=list)
    as_of: dt.date | None = None
    verdict_in: list[str] = Field(default_factory=list)
    reasons_include: list[str] = Field(default_factory=list)
    group: str | None = None
    country: str | None = None
    hts: str | None = None
    origin: str | None = None
    mfn_at_least: float | None = None


class TableRule(Strict):
    """The structural check settings of one table."""

    key: list[str] = Field(default_factory=list)
    text: list[str] = Field(default_factory=list)
    dates: list[str] = Field(default_factory=list)
    dates_by: list[str] = Field(default_factory=list)


class GateSpec(Strict):
    """The whole invariants file."""

    canaries: list[Canary] = Field(min_length=1)
    tables: dict[str, TableRule] = Field(default_factory=dict)
    limits: Limits

    def table_specs(self) -> dict[str, TableSpec]:
        """The table rules as store.invariants.TableSpec."""
        return {
            k: TableSpec(tuple(v.key), tuple(v.text), tuple(v.dates), tuple(v.dates_by))
            for k, v in self.tables.items()
        }

    def limit_values(self) -> Limits:
        """The limits (store.invariants.Limits)."""
        return self.limits


def spec_path() -> Path:
    """The bundled invariants file."""
    return Path(str(resources.files("exportctl") / "data" / "invariants" / SPEC_FILE))


@cache
def load_spec(path: Path | None = None) -> GateSpec:
    """Read and validate the invariants file (strict; RegistryError names file and line)."""
    from exportctl.registry.strict_yaml import load_yaml, validate_loaded

    p = path or spec_path()
    return validate_loaded(GateSpec, load_yaml(p), p)


def _check_canaries(canaries: list[Canary], dataset: Dataset) -> dict[str, str | None]:
    """The `check` canaries, determined together as one order book (one pass of the engines, as cheap as
    one question): each canary's problem, or None. A row the engines cannot determine fails its canary."""
    import polars as pl

    from exportctl.ops.check import Context, check_table
    from exportctl.ops.check_input import transaction_row
    from exportctl.ops.registry import registry

    rows = []
    for canary in canaries:
        assert canary.as_of is not None and canary.destination is not None
        rows.append(
            transaction_row(
                destination=canary.destination, as_of=canary.as_of, eccn=canary.eccn, parties=canary.parties
            )
        )
    book = pl.DataFrame(rows, schema={k: pl.Utf8 for row in rows for k in row})
    result = check_table(book, fuzzy=False, context=Context(dataset=dataset, registry=registry()))
    return {c.id: _judge(c, result.row(i, named=True)) for i, c in enumerate(canaries)}


def _judge(canary: Canary, row: dict[str, Any]) -> str | None:
    """The problem with one canary's determination (None: the answer the law gives)."""
    verdict = str(row["verdict"])
    if row.get("error"):
        return f"{canary.what}: the candidate cannot answer ({str(row['error']).splitlines()[0][:160]})"
    if canary.verdict_in and verdict not in canary.verdict_in:
        return f"{canary.what}: the candidate answers {verdict}"
    codes = {str(r["code"]) for r in row.get("reasons") or []}
    missing = [c for c in canary.reasons_include if c not in codes]
    if missing:
        return f"{canary.what}: the candidate's reasons lack {', '.join(missing)}"
    return None


def _group_canary(canary: Canary, dataset: Dataset) -> str | None:
    import polars as pl

    if not dataset.has("country_groups"):
        return f"{canary.what}: the candidate has no country_groups table"
    groups = dataset.table("country_groups")
    found = groups.filter((pl.col("group") == canary.group) & (pl.col("country") == canary.country)).height
    return None if found else f"{canary.what}: {canary.country} is not in {canary.group} in the candidate"


def _tariff_canary(canary: Canary, dataset: Dataset) -> str | None:
    from exportctl.ops.tariff import lookup

    assert canary.hts is not None and canary.origin is not None
    answer = lookup(canary.hts, canary.origin, canary.as_of, dataset=dataset)
    pct = answer["mfn"]["ad_valorem_pct"]
    if canary.mfn_at_least is not None and (pct is None or float(pct) < canary.mfn_at_least):
        return f"{canary.what}: the candidate's general rate is {pct if pct is not None else 'blank'}"
    return None


def run_canaries(dataset: Dataset, spec: GateSpec | None = None) -> tuple[list[str], list[Finding]]:
    """Run every canary whose tables the version has; (passed names, failed findings). An error fails."""
    spec = spec or load_spec()
    applies = [c for c in spec.canaries if all(dataset.has(t) for t in c.needs)]
    # a version without a canary's tables cannot answer (the engines hold): nothing to check
    problems: dict[str, str | None] = {}
    checks = [c for c in applies if c.kind == "check"]
    if checks:
        problems.update(_guarded(checks, lambda: _check_canaries(checks, dataset)))
    for canary in applies:
        if canary.kind != "check":
            problems.update(_guarded([canary], partial(_single, canary, dataset)))
    passed = [f"canary:{c.id}" for c in applies if problems[c.id] is None]
    failed = [Finding(f"canary:{c.id}", str(problems[c.id])) for c in applies if problems[c.id] is not None]
    return passed, failed


def _single(canary: Canary, dataset: Dataset) -> dict[str, str | None]:
    """A `group_member` or `tariff` canary's problem, or None."""
    judge = _group_canary if canary.kind == "group_member" else _tariff_canary
    return {canary.id: judge(canary, dataset)}


def _guarded(canaries: list[Canary], run: Callable[[], dict[str, str | None]]) -> dict[str, str | None]:
    """The canaries' problems; an error fails every one of them, naming it."""
    try:
        return run()
    except ExportctlError as err:  # an unknown ECCN, a missing table: the candidate cannot answer
        why = err.one_line()
    except (KeyError, ValueError, TypeError) as err:  # a table damaged past what the engine reads
        why = f"the engine could not answer ({type(err).__name__}: {err})"
    return {c.id: f"{c.what}: {why}" for c in canaries}


def gate(candidate: Dataset, active: Dataset | None) -> GateReport:
    """Every invariant of the candidate version against the active one (Store.import_tables' gate)."""
    spec = load_spec()
    before = {s.name: s for s in active.sources} if active is not None else {}
    changed = [
        s.name
        for s in candidate.sources
        if before.get(s.name) is None or (before[s.name].sha256, before[s.name].date) != (s.sha256, s.date)
    ]  # a table whose rows are the same but whose data date moved is changed too (a stale file)
    report = GateReport()
    report.extend(*run_canaries(candidate, spec))  # first: a wrong answer is the most telling failure
    report.extend(
        *structural(
            candidate,
            active,
            spec.table_specs(),
            spec.limit_values(),
            changed=changed,
            dates={s.name: s.date for s in candidate.sources},
            active_dates={k: v.date for k, v in before.items()},
        )
    )
    report.comparison = compare(candidate, active, spec.table_specs(), changed)
    return report


_forced: dict[tuple[str, str], str | None] = {}
_forced_lock = threading.Lock()


def forced_warning(version: str, url: str | None = None) -> str | None:
    """The warning an answer on a forced version carries (None for a version that passed its gate)."""
    from exportctl.store import default_url, shared_store

    key = (url or default_url(), version)
    with _forced_lock:
        if key in _forced:
            return _forced[key]
    try:
        record = shared_store(url).gate_record(version)
    except ExportctlError:  # a version built in memory (tests, one-off runs) is in no store
        record = None
    warning = None
    if record is not None and record["forced"] is not None:
        failed = ", ".join(str(f["name"]) for f in record["invariants"]["failed"]) or "none"
        warning = (
            f"data version {version[:12]} was activated by force at {record['forced']['at']} "
            f"(reason: {record['forced']['reason']}); failed invariants: {failed}"
        )
    with _forced_lock:
        _forced[key] = warning  # a record is written with its version; `forget` after this process writes
    return warning


def forget() -> None:
    """Drop the cached forced-version warnings (after this process imported or activated a version)."""
    with _forced_lock:
        _forced.clear()


def warn_forced(answer: dict[str, Any], version: str | None, url: str | None = None) -> dict[str, Any]:
    """Add the forced-version warning to an answer's `warnings` (in place; returns it)."""
    warning = forced_warning(version, url) if version else None
    if warning is not None:
        answer["warnings"] = [*answer.get("warnings", []), warning]
    return answer
