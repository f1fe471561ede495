"""Registry calls for the fronts: timeline, diff, regime on a date, lint, claims (plain dicts), and the
skeleton of a new measure with its goldens (`new_measure`).

Each takes the same `known_on` and `scenario` (a Scenario or a path to a scenario file) so that every
front offers `--known-on` and `--scenario` the same way. The bundled registry is loaded once per process.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from string import Template
from typing import Any, get_args

from exportctl.errors import InputError
from exportctl.model.dates import parse_date
from exportctl.ops.registry_cache import bundled_registry as bundled_registry
from exportctl.registry import Registry, Scenario, compile_regime, load_registry, load_scenario
from exportctl.registry.claims import claim_rows
from exportctl.registry.compile import Regime, histories, resolve_known_on
from exportctl.registry.history import AMENDABLE
from exportctl.registry.loader import bundled_dirs
from exportctl.registry.schema import JURISDICTIONS, Claim

ScenarioArg = Scenario | str | Path | None
KEY_FIELDS = (
    "rate_pct", "heading", "verdict", "review_policy", "license_requirement", "control_reason",
    "exceptions_available", "stacking",
)  # fmt: skip
DateArg = dt.date | str | None


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
    from exportctl.registry.timeline import timeline as registry_timeline

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
    from exportctl.registry.diff import diff as registry_diff

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
    from exportctl.registry.timeline import citations_of, span

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
    from exportctl.registry.lint import check as registry_check

    return registry_check(load_registry(extra_dirs, bundled=bundled, collect=True))


def claims(verdict: str | None = None, reg: Registry | None = None) -> dict[str, Any]:
    """{"claims": [{id, verdict, why, text, source, date, measures, check, file}]}."""
    if verdict is not None:
        # a misspelt verdict must not read as "no such claims"
        known = list(get_args(Claim.model_fields["verdict"].annotation))
        if verdict not in known:
            raise InputError(f"unknown verdict {verdict[:40]!r}", field="verdict", suggestions=known)
    return {"claims": claim_rows(reg or bundled_registry(), verdict)}


MEASURE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
MEASURE_SKELETON = Template("""\
# Written by `exportctl registry new`. Fill in every TODO, then run `exportctl registry check` (it names
# the file and line of what is still missing or wrong) and the golden run, with the goldens written in
# $golden
# The fields: src/exportctl/registry/schema.py (Measure); a model to copy: any measure of this folder.
id: $id
title: "TODO: the instrument's title, as published"
jurisdiction: $jurisdiction
family: $family  # one of: $families
authority: TODO  # who issued it: BIS, USTR, President, CBP, OFAC, MOFCOM ... (schema.Authority)
instrument: TODO  # final_rule, executive_order, proclamation, notice ... (schema.InstrumentType)
known_on: $effective  # the day it became public (often before it took effect)
status: in_force
dates:
  published: $effective  # the day it was published
  effective: $effective
citations:
  - kind: TODO  # federal_register, executive_order, mofcom_announcement, hts_heading ... (model.citation)
    title: "TODO: the instrument"
    url: TODO  # where a lawyer reads it: never invented
summary: >
  TODO: what the instrument does, in two or three sentences.
effects:
  - id: main  # rename it, and the `ref` of the goldens with it
    kind: TODO  # license_requirement, party_control, item_control, tariff ... (schema.EffectKind)
    effective: $effective
    scope: {}  # eccns, hts, products, destinations, origins, party_lists ... (schema.Scope)
    description: "TODO: what the effect does"
""")
GOLDEN_CASE = Template("""\
- id: $id--main--$day
  source: {title: "TODO: the instrument, as cited by the measure", url: TODO}
  input: {ref: "$id#main", date: $day}
  expect: {active: TODO}  # $hint
""")
GOLDEN_HEAD = Template("""\
# Goldens of $id, written by `exportctl registry new`:
# its effect on the day before, the day of and the day after it takes effect. Fill in every TODO (the
# source is the instrument the measure cites, never invented); until then the golden run fails on this
# file, naming the line. Add the answers it changes as cases under tests/golden/determinations/ or
# tests/golden/tariffs/ the same way.
""")


def _jurisdiction_from_id(measure_id: str) -> str:
    """The jurisdiction an id starts with ('us-ear-...' is US-EAR)."""
    for name in JURISDICTIONS:
        if measure_id.startswith(name.lower() + "-"):
            return name
    prefixes = [j.lower() + "-" for j in JURISDICTIONS]
    raise InputError(
        f"measure id {measure_id!r} does not start with a jurisdiction ({', '.join(prefixes)}): "
        "name it or give --jurisdiction",
        field="measure_id",
        suggestions=prefixes,
    )


def _golden_dir(measures_dir: Path) -> Path:
    """The tests/golden/registry folder of the checkout holding `measures_dir`."""
    for parent in measures_dir.resolve().parents:
        if (parent / "tests" / "golden" / "registry").is_dir():
            return parent / "tests" / "golden" / "registry"
    raise InputError(f"no tests/golden/registry above {measures_dir}: give --golden-dir", field="golden_dir")


def new_measure(
    measure_id: str,
    effective: DateArg,
    *,
    jurisdiction: str | None = None,
    family: str | None = None,
    measures_dir: str | Path | None = None,
    golden_dir: str | Path | None = None,
    reg: Registry | None = None,
) -> dict[str, Any]:
    """Write a skeleton measure file and its golden file (the day before, of and after `effective`).

    Both hold TODO placeholders the strict loaders refuse, so neither the registry nor the golden run
    passes until they are filled. Returns {measure, golden, jurisdiction, family, effective}."""
    if not MEASURE_ID.fullmatch(measure_id):
        raise InputError(
            f"not a measure id (lowercase words joined by '-'): {measure_id!r}", field="measure_id"
        )
    if effective is None:
        raise InputError("give the day it takes effect (--effective YYYY-MM-DD)", field="effective")
    day = parse_date(effective, "effective")
    juris = jurisdiction_of(jurisdiction) or _jurisdiction_from_id(measure_id)
    reg = reg or bundled_registry()
    if measure_id in reg.measures:
        raise InputError(f"measure {measure_id!r} exists: {reg.files[measure_id]}", field="measure_id")
    families = [f.family for f in reg.jurisdiction_families(juris)]
    if family is not None and family not in families:
        raise InputError(f"{juris} has no family {family!r}", field="family", suggestions=families)
    fam = family or (families[0] if len(families) == 1 else "TODO")
    mdir = Path(measures_dir) if measures_dir is not None else bundled_dirs()[0]
    gdir = Path(golden_dir) if golden_dir is not None else _golden_dir(mdir)
    mpath, gpath = mdir / juris / f"{measure_id}.yaml", gdir / f"{measure_id}.yaml"
    for path in (mpath, gpath):
        if path.exists():
            raise InputError(f"{path} exists", field="measure_id")
    values = {"id": measure_id, "effective": day.isoformat(), "jurisdiction": juris, "family": fam}
    measure = MEASURE_SKELETON.substitute(values, families=", ".join(families) or "-", golden=gpath)
    hints = ("not yet in force: false", "in force from the day of: true", "the day after: true")
    golden = GOLDEN_HEAD.substitute(id=measure_id) + "".join(
        GOLDEN_CASE.substitute(id=measure_id, day=(day + dt.timedelta(days=n)).isoformat(), hint=hint)
        for n, hint in zip((-1, 0, 1), hints, strict=True)
    )
    mpath.parent.mkdir(parents=True, exist_ok=True)
    gdir.mkdir(parents=True, exist_ok=True)
    mpath.write_text(measure, encoding="utf-8")
    gpath.write_text(golden, encoding="utf-8")
    return {
        "measure": str(mpath),
        "golden": str(gpath),
        "jurisdiction": juris,
        "family": fam,
        "effective": day,
    }
