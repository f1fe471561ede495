"""`exportctl registry check`: lint the registry beyond what the schema can say.

Errors (exit 1): files that do not load; a measure without citations, or without one to an official
instrument (any citation kind but press_release and other; a company's disclosure counts for an
is-informed letter or licensing action, which are public only that way; only a warning for a proposed
or threatened measure); a citation without a URL (a warning for an unpublished letter, a proposal or a
threat); the file stem
is not the id, or the folder is not the jurisdiction; dates out of order; an action whose target
names nothing, or that lacks what its kind needs; an amendment of a field that cannot be amended;
two effects of one kind in force together on the same key with different values, equal priority and
no action relating them; a claim about an unknown measure, a duplicate claim id, a claim whose
`check` does not hold; a `table_change` naming a country that is not an ISO code, or targeted by an
action. Warnings: announced after published, known before announced, an effect
starting before its measure, a declared status that the dates and actions contradict, an end written
on a measure that a later-published act brought about (it would show in earlier `known_on` views).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from exportctl.errors import InputError, RegistryError
from exportctl.model.countries import resolve_country
from exportctl.registry.compile import histories
from exportctl.registry.conflicts import find_conflicts
from exportctl.registry.history import AMENDABLE, DURABLE, INACTIVE_STATUSES, Histories, check_target
from exportctl.registry.lint_coverage import CODE as COVERAGE_CODE
from exportctl.registry.lint_coverage import coverage_findings
from exportctl.registry.loader import Registry
from exportctl.registry.schema import Action, Measure
from exportctl.registry.strict_yaml import load_yaml, locate
from exportctl.registry.timeline import status_in

Severity = Literal["error", "warning"]
NOT_OFFICIAL = frozenset({"press_release", "other"})
# Is-informed letters and licensing actions are never published: the companies' own disclosures
# (filings, letters quoted in them, their statements) are the only public record of them.
DISCLOSED_INSTRUMENTS = frozenset({"is_informed_letter", "license_action"})
DISCLOSURE_KINDS = frozenset({"letter", "sec_filing", "press_release"})


@dataclass(frozen=True)
class Finding:
    """One lint finding, located as precisely as the file allows."""

    severity: Severity
    code: str
    message: str
    measure: str | None = None
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return asdict(self)


@lru_cache(maxsize=512)
def _node(file: str) -> yaml.Node | None:
    try:
        return load_yaml(Path(file)).node
    except RegistryError:
        return None


class _Collector:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.findings: list[Finding] = []

    def add(
        self, severity: Severity, code: str, message: str, m: Measure | None = None, loc: str = ""
    ) -> None:
        file = self.registry.files.get(m.id) if m is not None else None
        line = None
        if file is not None:
            node = _node(file)
            parts: list[Any] = [int(p) if p.isdigit() else p for p in loc.split(".") if p]
            line = locate(node, parts)[1] if node is not None else None
        self.findings.append(Finding(severity, code, message, m.id if m else None, file, line, loc or None))


def lint(registry: Registry) -> list[Finding]:
    """Every finding on a loaded registry (load errors included when it was loaded with collect=True)."""
    out = _Collector(registry)
    for err in registry.load_errors:
        out.findings.append(Finding("error", "load", err.message, None, err.file, err.line, err.field))
    for m in registry.measures.values():
        _citations(out, m)
        _placement(out, m)
        _dates(out, m)
        _actions(out, registry, m)
        _table_changes(out, registry, m)
        for f in coverage_findings(registry, m):
            out.add("error" if f.severity == "error" else "warning", COVERAGE_CODE, f.message, m, f.field)
    _ends_known_later(out, registry)
    try:
        hist = histories(registry, None)
    except RegistryError as err:  # already reported above as a target or amendment finding
        out.findings.append(Finding("error", "compile", err.message, None, None, None, err.field))
        hist = None
    if hist is not None:
        _conflicts(out, hist)
        _status(out, registry, hist)
    _claims(out, registry)
    return sorted(out.findings, key=lambda f: (f.severity != "error", f.file or "", f.line or 0, f.code))


def _citations(out: _Collector, m: Measure) -> None:
    if not m.citations:
        out.add("error", "missing-citation", "no citation", m, "citations")
        return
    disclosed = m.instrument in DISCLOSED_INSTRUMENTS and any(c.kind in DISCLOSURE_KINDS for c in m.citations)
    if all(c.kind in NOT_OFFICIAL for c in m.citations) and not disclosed:
        # a threat or a proposal that never took effect has, by nature, no instrument to cite
        sev: Severity = "warning" if m.status in INACTIVE_STATUSES else "error"
        out.add(sev, "no-official-citation", "no citation to an official instrument", m, "citations")
    for i, c in enumerate(m.citations):
        if not c.url:
            # a letter that was never published has no URL: its filing or report is cited beside it
            # and a proposal or threat that never took effect may have no public text at all
            unpublished = c.kind == "letter" or m.status in INACTIVE_STATUSES
            severity: Severity = "warning" if unpublished else "error"
            out.add(severity, "citation-without-url", f"citation {c.title!r} has no url", m, f"citations.{i}")


def _placement(out: _Collector, m: Measure) -> None:
    file = out.registry.files.get(m.id)
    if file is None:
        return
    path = Path(file)
    if path.stem != m.id:
        out.add(
            "error", "file-name", f"file {path.name} holds measure {m.id!r}: name it {m.id}.yaml", m, "id"
        )
    if path.parent.name != m.jurisdiction:
        out.add(
            "error",
            "folder",
            f"jurisdiction {m.jurisdiction} but folder {path.parent.name}",
            m,
            "jurisdiction",
        )


def _dates(out: _Collector, m: Measure) -> None:
    d = m.dates
    if d.effective and d.end and d.end <= d.effective:
        out.add("error", "dates-order", f"end {d.end} is not after effective {d.effective}", m, "dates.end")
    if d.announced and d.published and d.announced > d.published:
        out.add(
            "warning", "dates-order", f"announced {d.announced} after published {d.published}", m, "dates"
        )
    if d.announced and m.known_on < d.announced:
        out.add(
            "warning", "dates-order", f"known_on {m.known_on} before announced {d.announced}", m, "known_on"
        )
    for i, e in enumerate(m.effects):
        if d.effective and e.effective < d.effective:
            out.add(
                "warning",
                "dates-order",
                f"effect {e.id} starts {e.effective}, before the measure ({d.effective})",
                m,
                f"effects.{i}.effective",
            )
        if d.end and e.end and e.end > d.end:
            out.add(
                "warning",
                "dates-order",
                f"effect {e.id} ends {e.end}, after the measure ({d.end})",
                m,
                f"effects.{i}.end",
            )
    for i, a in enumerate(m.actions):
        if a.end is not None and a.end <= a.effective:
            out.add(
                "error",
                "dates-order",
                f"action {a.id} ends {a.end}, not after {a.effective}",
                m,
                f"actions.{i}.end",
            )
        if a.new_end is not None and a.new_end <= a.effective and a.action == "extend":
            out.add(
                "warning",
                "dates-order",
                f"extension {a.id} to {a.new_end}, not after {a.effective}",
                m,
                f"actions.{i}.new_end",
            )
        days = [p.effective for p in a.phases]
        if days != sorted(days) or len(set(days)) != len(days):
            out.add(
                "error", "dates-order", f"phases of {a.id} are not in date order", m, f"actions.{i}.phases"
            )
        if a.known_on and a.known_on < m.known_on:
            out.add(
                "warning",
                "dates-order",
                f"action {a.id} known before its measure",
                m,
                f"actions.{i}.known_on",
            )


def _actions(out: _Collector, registry: Registry, m: Measure) -> None:
    ids = Counter([e.id for e in m.effects] + [a.id for a in m.actions])
    for name, n in sorted(ids.items()):
        if n > 1:
            out.add("error", "duplicate-id", f"effect/action id {name!r} used {n} times", m)
    for i, a in enumerate(m.actions):
        loc = f"actions.{i}"
        try:
            check_target(registry.measures, m, a)
        except RegistryError as err:
            out.add("error", "dangling-target", err.message, m, f"{loc}.target")
        else:
            _target_kind(out, registry, m, i, a)
        needs = {
            "extend": (a.new_end is not None, "new_end"),
            "waive": (bool(a.scope.parties), "scope.parties"),
            "phase_out": (bool(a.phases), "phases"),
            "amend": (bool(a.changes), "changes"),
        }.get(a.action)
        if needs and not needs[0]:
            # a proposal may leave details open; a scenario that promotes it can `modify` them in
            sev: Severity = "warning" if m.status in INACTIVE_STATUSES else "error"
            out.add(sev, "action-incomplete", f"{a.action} {a.id} needs {needs[1]}", m, loc)
        changed = set(a.changes) | {k for p in a.phases for k in p.changes}
        for key in sorted(changed - AMENDABLE):
            out.add("error", "bad-change", f"{a.id} changes {key!r}, which cannot be amended", m, loc)
        if a.action not in ("amend", "phase_out") and a.changes:
            out.add("warning", "unused-field", f"{a.action} {a.id} ignores `changes`", m, f"{loc}.changes")


def _table_changes(out: _Collector, registry: Registry, m: Measure) -> None:
    """A `table_change` names ISO countries and carries citations; no action may act on it (the
    snapshot dating reads every recorded change as a fact: a later change reverses an earlier one)."""
    for i, e in enumerate(m.effects):
        if e.table_change is None:
            continue
        for j, iso in enumerate(e.table_change.countries):
            try:
                code = resolve_country(iso, "countries").code
            except InputError:
                code = None
            if code != iso:
                out.add(
                    "error",
                    "table-change",
                    f"effect {e.id}: {iso!r} is not an ISO 3166-1 alpha-2 code",
                    m,
                    f"effects.{i}.table_change.countries.{j}",
                )
        if not m.citations:
            out.add(
                "error", "table-change", f"effect {e.id}: a table change needs a citation", m, "citations"
            )
    changes = {e.id for e in m.effects if e.table_change is not None}
    if not changes:
        return
    for other in registry.measures.values():
        for k, a in enumerate(other.actions):
            target, _, frag = a.target.partition("#")
            if target == m.id and (not frag or frag in changes):
                out.add(
                    "error",
                    "table-change",
                    f"{a.action} {a.id} acts on table change {a.target!r}: record a later change instead",
                    other,
                    f"actions.{k}.target",
                )


def _target_kind(out: _Collector, registry: Registry, m: Measure, i: int, a: Action) -> None:
    """Suspensions, amendments, waivers and phase-outs act on effects; extending or sunsetting an
    effect-less target other than a durable action does nothing."""
    target_id, _, frag = a.target.partition("#")
    target = registry.measures[target_id]
    action_ids = {x.id: x for x in target.actions}
    loc = f"actions.{i}.target"
    if a.action in DURABLE and (frag in action_ids or (not frag and not target.effects)):
        out.add(
            "error",
            "target-kind",
            f"{a.action} {a.id} acts on {a.target!r}, which has no effect to "
            f"{a.action} (to end or move an action, lift or extend it)",
            m,
            loc,
        )
    if a.action in ("extend", "sunset") and frag in action_ids:
        kind = action_ids[frag].action
        if kind not in (*DURABLE, "sunset"):
            out.add(
                "error",
                "target-kind",
                f"{a.action} {a.id} acts on {kind} {a.target!r}, which has no end",
                m,
                loc,
            )


def _ends_known_later(out: _Collector, registry: Registry) -> None:
    """An end written on a measure that a later-published act brought about leaks into earlier known_on
    views: as known before that act, the measure would already show its end. Leave the end to the act."""
    ending: dict[tuple[str, dt.date], list[tuple[str, dt.date]]] = {}
    for n in registry.measures.values():
        for a in n.actions:
            day = (
                a.new_end if a.action == "extend" else a.effective if a.action in ("lift", "sunset") else None
            )
            if day is not None:
                ending.setdefault((a.target, day), []).append((f"{n.id}#{a.id}", a.known_on or n.known_on))
    for m in registry.measures.values():
        ends = [(m.id, m.dates.end, "dates.end")] + [
            (f"{m.id}#{e.id}", e.end, f"effects.{i}.end") for i, e in enumerate(m.effects)
        ]
        for target, end, loc in ends:
            if end is None:
                continue
            acts = ending.get((target, end), []) + ending.get((m.id, end), [])
            later = sorted({ref for ref, known in acts if known > m.known_on})
            if later:
                out.add(
                    "warning",
                    "end-known-later",
                    f"end {end} is written here (known {m.known_on}) and "
                    f"brought about by {', '.join(later)}, published later: leave the end to it",
                    m,
                    loc,
                )


def _conflicts(out: _Collector, hist: Histories) -> None:
    for h1, h2, day in find_conflicts(hist):
        out.add(
            "error",
            "conflict",
            f"{h1.ref} and {h2.ref} both apply from {day} with different values and equal priority; "
            "set `priority` or relate them by an action",
            h1.measure,
            "effects",
        )


def _status(out: _Collector, registry: Registry, hist: Histories) -> None:
    # a declared status speaks of the latest state the file describes: the last day anything starts
    starts = [e.effective for m in hist.measures.values() for e in m.effects]
    starts += [a.effective for m in hist.measures.values() for a in m.actions]
    days = [d for d in (registry.known_through, max(starts, default=None)) if d is not None]
    if not days:
        return
    day = max(days)
    for m in hist.measures.values():
        if m.status in INACTIVE_STATUSES:
            continue
        actual = status_in(hist, m, day)
        declared = m.status
        if actual == "not_yet":
            continue
        if declared != actual:
            out.add(
                "warning",
                "status",
                f"status says {declared}, dates and actions give {actual} on {day}",
                m,
                "status",
            )


def _claims(out: _Collector, registry: Registry) -> None:
    from exportctl.registry.claims import verify_claim

    counts = Counter(c.claim.id for c in registry.claims)
    for entry in registry.claims:
        where = Finding("error", "claim", "", entry.measure, entry.file, None, f"claims.{entry.claim.id}")
        if counts[entry.claim.id] > 1:
            out.findings.append(_with(where, "duplicate-claim", f"claim id {entry.claim.id!r} is used twice"))
        for mid in entry.measures:
            if mid not in registry.measures:
                out.findings.append(
                    _with(where, "claim-measure", f"claim {entry.claim.id} names unknown measure {mid!r}")
                )
        check = entry.claim.check
        if check and check.get("kind", "registry") != "registry":
            continue  # an engine-level check (verdict, tariff total ...): verified by the golden tests
        if check and "measure" not in check:
            out.findings.append(
                _with(
                    where,
                    "claim-check",
                    f"claim {entry.claim.id}: check has neither a `kind` nor a `measure`",
                    "warning",
                )
            )
            continue
        if check:
            try:
                result = verify_claim(registry, entry)
            except RegistryError as err:
                out.findings.append(_with(where, "claim-check", f"claim {entry.claim.id}: {err.message}"))
                continue
            if not result["holds"]:
                out.findings.append(
                    _with(
                        where,
                        "claim-check",
                        f"claim {entry.claim.id}: check expects "
                        f"{result['expect']!r}, the registry gives {result['actual']!r}",
                    )
                )


def _with(base: Finding, code: str, message: str, severity: Severity = "error") -> Finding:
    return Finding(severity, code, message, base.measure, base.file, base.line, base.field)


def check(registry: Registry) -> dict[str, Any]:
    """Lint summary: measures checked, findings, error and warning counts, ok."""
    findings = lint(registry)
    errors = sum(f.severity == "error" for f in findings)
    return {
        "measures": len(registry.measures),
        "claims": len(registry.claims),
        "errors": errors,
        "warnings": len(findings) - errors,
        "ok": errors == 0,
        "findings": [f.to_dict() for f in findings],
    }
