"""Registry calls for the fronts: timeline, diff, regime on a date, lint, claims (plain dicts).

Each takes the same `known_on` and `scenario` (a Scenario or a path to a scenario file) so that every
front offers `--known-on` and `--scenario` the same way. The bundled registry is loaded once per process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

from exportctl.errors import InputError
from exportctl.model.dates import parse_date
from exportctl.registry import Registry, Scenario, compile_regime, load_registry, load_scenario
from exportctl.registry.claims import claim_rows
from exportctl.registry.compile import Regime, histories, resolve_known_on
from exportctl.registry.diff import diff as registry_diff
from exportctl.registry.history import AMENDABLE
from exportctl.registry.lint import check as registry_check
from exportctl.registry.schema import JURISDICTIONS, Claim
from exportctl.registry.timeline import citations_of, span
from exportctl.registry.timeline import timeline as registry_timeline

ScenarioArg = Scenario | str | Path | None
KEY_FIELDS = (
    "rate_pct", "heading", "verdict", "review_policy", "license_requirement", "control_reason",
    "exceptions_available", "stacking",
)  # fmt: skip
DateArg = dt.date | str | None


@lru_cache(maxsize=1)
def bundled_registry() -> Registry:
    """The bundled registry, loaded once per process (strict: a broken file is a RegistryError)."""
    return load_registry()


def registry(extra_dirs: Sequence[str | Path] = ()) -> Registry:
    """The bundled registry, plus extra measure directories when given."""
    return load_registry(extra_dirs) if extra_dirs else bundled_registry()


def families(reg: Registry | None = None, *, gaps: bool = False) -> dict[str, Any]:
    """`{"families": [{jurisdiction, family, researched_through, sources: [{title, url, checked}]}]}`:
    the last day each family of measures answers for (inclusive), with the sources checked up to it
    (with `gaps`, each family also carries what its research found but could not record)."""
    reg = reg or bundled_registry()
    return {
        "families": [
            {
                "jurisdiction": f.jurisdiction,
                "family": f.family,
                "researched_through": f.researched_through,
                "sources": [{"title": s.title, "url": s.url, "checked": s.checked} for s in f.sources],
                **({"gaps": list(f.gaps)} if gaps else {}),
            }
            for f in reg.settings.families
        ]
    }


def coverage(reg: Registry | None = None) -> dict[str, Any]:
    """The days the registry answers for: `first_day`, `last_day`, what refreshes it, how far back each
    EAR snapshot table's history is recorded, and each family's own day (`families`).

    `last_day` is the single day where one is needed (the web page's date fields): the earliest family's
    researched_through (`Registry.last_day`). Answers use each family's own day: a later family still
    answers after `last_day`."""
    from exportctl.registry.compile import REFRESH_HINT

    reg = reg or bundled_registry()
    cov = reg.coverage
    last = reg.last_day
    return {
        "first_day": cov.start,
        "last_day": last,
        "families": families(reg)["families"],
        "refresh": f"{REFRESH_HINT}; or ask for a date up to {last} (`--date {last}`)." if last else None,
        "snapshots": {
            name: {"complete_from": h.complete_from, "before": h.before, "keys": dict(h.keys)}
            for name, h in sorted(reg.settings.snapshots.items())
        },
    }


def scenario_of(scenario: ScenarioArg) -> Scenario | None:
    """A Scenario from a Scenario, a path to a scenario file, or None."""
    if scenario is None or isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario)


def jurisdiction_of(value: str | None) -> str | None:
    """Check a jurisdiction name (case-insensitive), naming the valid ones when it is not."""
    if value is None:
        return None
    upper = value.strip().upper()
    if upper not in JURISDICTIONS:
        raise InputError(f"unknown jurisdiction {value!r}", field="jurisdiction", suggestions=JURISDICTIONS)
    return upper


def regime(
    as_of: DateArg, known_on: DateArg = None, scenario: ScenarioArg = None, reg: Registry | None = None
) -> Regime:
    """The compiled regime on `as_of` (engines call this through ops.check / ops.tariff)."""
    if as_of is None:
        raise InputError("as_of is required (the core never reads the clock)", field="as_of")
    return compile_regime(reg or bundled_registry(), as_of, known_on=known_on, scenario=scenario_of(scenario))


def _head(reg: Registry, known_on: DateArg, scenario: Scenario | None) -> dict[str, Any]:
    return {
        "registry": reg.content_hash,
        "known_on": resolve_known_on(reg, known_on),
        "scenario": scenario.name if scenario else None,
    }


def timeline(
    start: DateArg = None,
    end: DateArg = None,
    jurisdiction: str | None = None,
    known_on: DateArg = None,
    scenario: ScenarioArg = None,
    reg: Registry | None = None,
) -> dict[str, Any]:
    """{"measures": [{id, title, jurisdiction, status, effective, end, citations ...}], registry ...}."""
    reg = reg or bundled_registry()
    scen = scenario_of(scenario)
    rows = registry_timeline(reg, start, end, jurisdiction_of(jurisdiction), known_on=known_on, scenario=scen)
    return {
        "measures": rows,
        "from": start and parse_date(start, "from"),
        "to": end and parse_date(end, "to"),
        **_head(reg, known_on, scen),
    }


def diff(
    start: DateArg,
    end: DateArg,
    jurisdiction: str | None = None,
    known_on: DateArg = None,
    scenario: ScenarioArg = None,
    reg: Registry | None = None,
) -> dict[str, Any]:
    """{"from", "to", "changes": [{date, measure, title, jurisdiction, change, citations, ...}], ...}."""
    if start is None or end is None:
        raise InputError("diff needs --from and --to", field="from" if start is None else "to")
    reg = reg or bundled_registry()
    scen = scenario_of(scenario)
    lo, hi = parse_date(start, "from"), parse_date(end, "to")
    changes = registry_diff(reg, lo, hi, jurisdiction_of(jurisdiction), known_on=known_on, scenario=scen)
    return {"from": lo, "to": hi, "changes": changes, **_head(reg, known_on, scen)}


def regime_summary(
    as_of: DateArg, jurisdiction: str | None = None, known_on: DateArg = None, scenario: ScenarioArg = None
) -> dict[str, Any]:
    """The regime on a date as a dict: id, dates, coverage and each active or suspended effect."""
    r = regime(as_of, known_on, scenario)
    doc = r.to_dict()
    j = jurisdiction_of(jurisdiction)
    if j is not None:
        for key in ("effects", "suspended"):
            doc[key] = [e for e in doc[key] if e["jurisdiction"] == j]
    return doc


def history(
    measure_id: str, known_on: DateArg = None, scenario: ScenarioArg = None, reg: Registry | None = None
) -> dict[str, Any]:
    """The resolved life of one measure: each effect's segments (state, form, provenance) and its windows."""
    reg = reg or bundled_registry()
    scen = scenario_of(scenario)
    known = resolve_known_on(reg, known_on)
    hist = histories(reg, known, scen)
    m = hist.visible.get(measure_id) or reg.measure(measure_id)
    effects = []
    for e in m.effects:
        h = hist.effects.get(f"{m.id}#{e.id}")
        segments = []
        prev: Any = None
        for seg in h.segments if h else ():
            values = seg.effect.model_dump(include=set(AMENDABLE))
            if prev is None:  # the first form: its key values; later forms: what changed
                shown = {k: values[k] for k in KEY_FIELDS if values.get(k) not in (None, [], "")}
            else:
                shown = {k: v for k, v in values.items() if getattr(prev, k) != v}
            segments.append(
                {
                    "from": seg.start,
                    "until": seg.end,
                    "state": seg.state,
                    "values": shown,
                    "waived_parties": list(seg.waived_parties),
                    "provenance": list(seg.provenance),
                    "causes": list(seg.causes),
                }
            )
            prev = seg.effect
        effects.append(
            {
                "effect": e.id,
                "kind": e.kind,
                "segments": segments,
                "ended_by": list(h.end_causes) if h and h.segments and h.segments[-1].end else [],
            }
        )
    actions = []
    for a in m.actions:
        w = hist.windows.get(f"{m.id}#{a.id}")
        actions.append(
            {
                "action": a.id,
                "kind": a.action,
                "target": a.target,
                "from": w.start if w else a.effective,
                "until": w.end if w else a.end,
                "moved_by": list(w.causes) if w else [],
                "applies": w is not None,
            }
        )
    start, end = span(hist, m)
    return {
        "measure": m.id,
        "title": m.title,
        "jurisdiction": m.jurisdiction,
        "declared_status": m.status,
        "effective": start,
        "end": end,
        "effects": effects,
        "actions": actions,
        "citations": citations_of(m),
        **_head(reg, known_on, scen),
    }


def check(extra_dirs: Sequence[str | Path] = (), bundled: bool = True) -> dict[str, Any]:
    """Lint the registry: {measures, claims, errors, warnings, ok, findings}; file errors are findings."""
    return registry_check(load_registry(extra_dirs, bundled=bundled, collect=True))


def claims(verdict: str | None = None, reg: Registry | None = None) -> dict[str, Any]:
    """{"claims": [{id, verdict, why, text, source, date, measures, check, file}]}."""
    if verdict is not None:
        # a misspelt verdict must not read as "no such claims"
        known = list(get_args(Claim.model_fields["verdict"].annotation))
        if verdict not in known:
            raise InputError(f"unknown verdict {verdict[:40]!r}", field="verdict", suggestions=known)
    return {"claims": claim_rows(reg or bundled_registry(), verdict)}
