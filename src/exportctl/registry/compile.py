"""The regime on a date: which effects apply on `as_of`, as known on `known_on`, under a scenario.

Semantics (the heart of exportctl; every rule here is tested in tests/registry/test_compile*.py):

Two times.
  `as_of` is the day the rules are applied for. `known_on` is the day whose public knowledge is used: a
  measure is visible only if `measure.known_on <= known_on`, and an action only if its own `known_on`
  (default: its measure's) is `<= known_on`. A change not yet public does not apply, even when it was
  legally effective (is-informed letters are known through later filings; retroactive rules exist).
  Default `known_on`: everything the registry knows (`Registry.known_through`, the latest `known_on`
  recorded). Why not `as_of`: rules bind from their effective date whether or not the public knew
  (the H20 letter bound Nvidia from 2025-04-09, it became public on 2025-04-15), and a compliance
  answer that hides a restriction the registry knows about would fail open. Asking "as it was known
  then" is one explicit `known_on`; `Regime.known_on` always carries the concrete day used, so an answer
  can be recomputed exactly. The core never reads the clock.

Status.
  Measures with status `proposed` or `threatened` never apply; they are the raw material of scenarios
  (`promote`). Other statuses are descriptive: what applies is computed from dates and actions.

Effects.
  An effect applies on [effective, end): `end` is the effect's own end, cut by its measure's
  `dates.end`. The regime holds, for `as_of`, each effect in its current form (`ActiveEffect.effect`
  with amendments applied), the parties waived from it and its provenance (the measure, then every
  `measure#action` that shaped its current form - amendments, phases, waivers, extensions, sunsets,
  suspensions, resumptions - in the order they took effect, so the last one is the latest act).

Measures acting on measures. A target is 'measure-id' (every effect and action of it) or
'measure-id#item' (one effect or one action). An action applies only if its measure applies (visible,
not proposed/threatened). Actions resolve in a fixed order, so the result never depends on file order:
  - sunset:   the target ends on the sunset's `effective` (earliest sunset wins) unless extended; an
              `extend` aimed at the sunset action itself moves the sunset date to its `new_end`.
  - extend:   the target's end becomes `new_end` (the last decided extension wins, by its `effective`),
              overriding sunsets. Aimed at a suspension or waiver, it moves that window's end.
  - lift:     the target ends for good at the lift's `effective` (earliest lift wins, after extends).
              Aimed at a suspension/amendment/waiver measure, it ends that window (the target reverts).
  - suspend:  target inactive in [effective, end) of the action (end: its own `end`, its measure's
              `dates.end`, extended, lifted, or resumed); it applies again after.
  - resume:   ends, from its `effective`, every suspension open on that day - aimed at the suspended
              effect/measure, or at the suspending action/measure.
  - amend:    `changes` (effect fields, e.g. `rate_pct`, `review_policy`) hold over [effective, end);
              the target reverts when the amendment ends. Overlapping amendments apply in order of
              `effective`, then `known_on` (a later-published act corrects an earlier one of the same
              day), then reference; the later one wins on a shared field.
  - phase_out: each phase's `changes` hold from its `effective` to the action's end; phases are
              cumulative (a later phase overrides the fields it names). A phase's `condition` is
              recorded, not evaluated: the phase date is the date the condition was met.
  - waive:    the target does not apply to `scope.parties` in [effective, end) (`waived_parties`).
An action whose target names no measure, effect or action is a RegistryError at compile (and a lint
error). Actions on a measure a scenario removed act on nothing.

Coverage. Per family of measures (registry.yaml `families`): each family answers up to its
`researched_through` (inclusive). `Regime.covered` says only that `as_of` and `known_on` are not before
the registry's start; `Regime.family_covered(j, f)` adds `as_of <= researched_through` of that family,
and engines hold (tariffs: raise CoverageError) for that family alone. `known_on` after a family's
researched_through is never a reason to hold: what is known is what was known up to
min(known_on, researched_through) (`Regime.knowledge_through`), and the coverage check says so.
Where a single day is needed, `Regime.last_covered` is `Registry.last_day` (the earliest family's day).

Determinism and speed. The life of every effect (its segments of constant state) is resolved once per
(known_on, scenario) and cached on the Registry; compiling a date is then a lookup, and regimes are
cached per (as_of, known_on, scenario). `Regime.id` = sha256 of (registry content hash, as_of, known_on,
scenario hash, content hash of the EAR rules file the engine reads): an edit of `data/rules/us-ear.yaml`
that changes what it says changes every regime id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from exportctl.model.citation import Citation
from exportctl.model.dates import Interval, parse_date
from exportctl.registry.history import Histories, build
from exportctl.registry.loader import Registry
from exportctl.registry.rules import ear_rules_hash
from exportctl.registry.scenario import Scenario, apply_scenario
from exportctl.registry.schema import Effect, Measure
from exportctl.registry.settings import FamilyCoverage
from exportctl.registry.snapshots import TableDating, table_dating

_REGIME_CACHE_LIMIT = 4096
# what brings the registry and data forward: said wherever a date lies past the last covered day
REFRESH_HINT = "Refresh with `exportctl data sync` or a newer exportctl release"


@dataclass(frozen=True)
class ActiveEffect:
    """One effect as it stands on the regime's date, with what shaped it."""

    effect: Effect  # with amendments applied
    measure: Measure
    provenance: list[str]  # the measure, then the 'measure#action' ids that shaped it, oldest first
    waived_parties: list[str]
    interval: Interval  # the span over which this exact form holds
    state: str = "active"  # 'active' or 'suspended' (only in Regime.suspended())

    @property
    def ref(self) -> str:
        """'measure-id#effect-id'."""
        return f"{self.measure.id}#{self.effect.id}"

    @property
    def citations(self) -> list[Citation]:
        """The effect's own citations, then its measure's."""
        return [*self.effect.citations, *self.measure.citations]


@dataclass(frozen=True)
class Regime:
    """The rules in force on `as_of`, as known on `known_on`, under an optional scenario."""

    id: str
    as_of: dt.date
    known_on: dt.date | None
    scenario: str | None  # scenario name
    covered: bool
    registry_hash: str
    measures: dict[str, Measure]  # applicable measures (visible, not proposed/threatened)
    _active: tuple[ActiveEffect, ...] = field(repr=False)
    _suspended: tuple[ActiveEffect, ...] = field(repr=False)
    coverage: Interval = field(default_factory=Interval)  # the registry's start (open end)
    dating: TableDating = field(default_factory=TableDating, repr=False)  # snapshot table history
    families: tuple[FamilyCoverage, ...] = ()  # registry.yaml `families`: each one's researched_through

    @property
    def last_covered(self) -> dt.date | None:
        """The single last covered day where one is needed: the earliest family's researched_through
        (`Registry.last_day`); None without families. Answers use each family's own day."""
        days = [f.researched_through for f in self.families]
        return min(days) if days else None

    def family(self, jurisdiction: str, family: str) -> FamilyCoverage | None:
        """The coverage of one family (None when the registry does not list it)."""
        return next((f for f in self.families if (f.jurisdiction, f.family) == (jurisdiction, family)), None)

    def family_covered(self, jurisdiction: str, family: str) -> bool:
        """Whether the family answers on `as_of`: the regime is covered and `as_of` is not after the
        family's researched_through (an unlisted family has no end)."""
        fam = self.family(jurisdiction, family)
        return self.covered and (fam is None or self.as_of <= fam.researched_through)

    def knowledge_through(self, jurisdiction: str, family: str) -> dt.date | None:
        """What the family's answer knows: min(known_on, researched_through)."""
        fam = self.family(jurisdiction, family)
        days = [d for d in (self.known_on, fam.researched_through if fam else None) if d is not None]
        return min(days) if days else None

    def family_note(self, jurisdiction: str, family: str) -> str | None:
        """The hold text of one family on `as_of` (naming the family and its day); None when covered."""
        if not self.covered:
            return self.coverage_note()
        fam = self.family(jurisdiction, family)
        if fam is None or self.as_of <= fam.researched_through:
            return None
        last = fam.researched_through
        return (
            f"{self.as_of} is after {last}, the last day the research of {jurisdiction} {family} is "
            f"complete (registry families): rules made since then are not known to this installation. "
            f"{REFRESH_HINT}, or ask for a covered date (e.g. `--date {last}`)."
        )

    def uncovered_families(self, jurisdiction: str | None = None) -> list[FamilyCoverage]:
        """The families (of one jurisdiction, or all) that do not answer on `as_of`."""
        return [
            f
            for f in self.families
            if (jurisdiction is None or f.jurisdiction == jurisdiction)
            and not self.family_covered(f.jurisdiction, f.family)
        ]

    def coverage_note(self) -> str | None:
        """Why the regime is not covered at all (before the registry's start), and what to do about it;
        None when it is. A family past its researched_through is `family_note`.

        The one text every front shows (CLI, API, web page): engines put it in their coverage hold.
        """
        if self.covered:
            return None
        if self.known_on is not None and self.coverage.start and self.known_on < self.coverage.start:
            return (
                f"known_on {self.known_on} is before {self.coverage.start}, where the registry's record "
                f"starts: no answer without the rules as known then."
            )
        start = self.coverage.start
        return (
            f"{self.as_of} is before {start}, where the registry's measures start: what applied "
            f"before them is not modelled, so there is no answer without the rules of that day."
        )

    def effects(self, kind: str | None = None, jurisdiction: str | None = None) -> list[ActiveEffect]:
        """Active effects, optionally of one kind and/or jurisdiction, sorted by measure then effect id."""
        return [
            a
            for a in self._active
            if (kind is None or a.effect.kind == kind)
            and (jurisdiction is None or a.measure.jurisdiction == jurisdiction)
        ]

    def suspended(self, kind: str | None = None, jurisdiction: str | None = None) -> list[ActiveEffect]:
        """Effects that would apply but are suspended on `as_of` (provenance names the suspension)."""
        return [
            a
            for a in self._suspended
            if (kind is None or a.effect.kind == kind)
            and (jurisdiction is None or a.measure.jurisdiction == jurisdiction)
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: ids, dates and each active effect with its provenance."""
        return {
            "regime": self.id,
            "as_of": self.as_of,
            "known_on": self.known_on,
            "scenario": self.scenario,
            "covered": self.covered,
            "last_covered": self.last_covered,
            "families": [
                {
                    "jurisdiction": f.jurisdiction,
                    "family": f.family,
                    "researched_through": f.researched_through,
                    "covered": self.family_covered(f.jurisdiction, f.family),
                }
                for f in self.families
            ],
            "registry": self.registry_hash,
            "effects": [_effect_row(a) for a in self._active],
            "suspended": [_effect_row(a) for a in self._suspended],
        }


def _effect_row(a: ActiveEffect) -> dict[str, Any]:
    return {
        "ref": a.ref,
        "kind": a.effect.kind,
        "jurisdiction": a.measure.jurisdiction,
        "from": a.interval.start,
        "until": a.interval.end,
        "provenance": a.provenance,
        "waived_parties": a.waived_parties,
    }


def resolve_known_on(registry: Registry, known_on: dt.date | str | None) -> dt.date | None:
    """The `known_on` a computation uses: the given day, else everything the registry knows."""
    if known_on is None:
        return registry.known_through
    return parse_date(known_on, "known_on")


def histories(registry: Registry, known_on: dt.date | None, scenario: Scenario | None = None) -> Histories:
    """Resolved effect histories for (known_on, scenario), built once and cached on the registry."""
    key = ("histories", known_on, scenario.hash if scenario else None)
    found = registry._cache.get(key)
    if found is None:
        measures = apply_scenario(registry.measures, scenario) if scenario else registry.measures
        found = build(measures, known_on, frozenset(scenario.remove) if scenario else frozenset())
        registry._cache[key] = found
    assert isinstance(found, Histories)
    return found


def regime_id(
    registry: Registry,
    as_of: dt.date,
    known_on: dt.date | None,
    scenario: Scenario | None,
    rules: str | None = None,
) -> str:
    """sha256 of (registry content hash, as_of, known_on, scenario hash, EAR rules hash).

    `rules`: the rules' content hash (default: the file the engine reads, registry.rules.ear_rules_hash).
    """
    doc = [
        registry.content_hash,
        as_of.isoformat(),
        known_on.isoformat() if known_on else None,
        scenario.hash if scenario else None,
        rules or ear_rules_hash(),
    ]
    return hashlib.sha256(json.dumps(doc).encode()).hexdigest()


def _known_in_coverage(registry: Registry, known: dt.date | None) -> bool:
    start = registry.coverage.start
    return known is None or start is None or known >= start


def compile_regime(
    registry: Registry,
    as_of: dt.date | str,
    known_on: dt.date | str | None = None,
    scenario: Scenario | None = None,
) -> Regime:
    """The regime on `as_of` as known on `known_on` (default: everything known), under `scenario`."""
    day = parse_date(as_of, "as_of")
    known = resolve_known_on(registry, known_on)
    rules = ear_rules_hash()
    key = ("regime", day, known, scenario.hash if scenario else None, rules)
    cached = registry._cache.get(key)
    if isinstance(cached, Regime):
        return cached
    hist = histories(registry, known, scenario)
    active: list[ActiveEffect] = []
    suspended: list[ActiveEffect] = []
    for ref in sorted(hist.effects):
        h = hist.effects[ref]
        seg = h.at(day)
        if seg is None:
            continue
        item = ActiveEffect(
            effect=seg.effect,
            measure=h.measure,
            provenance=list(seg.provenance),
            waived_parties=list(seg.waived_parties),
            interval=Interval(seg.start, seg.end),
            state=seg.state,
        )
        (active if seg.state == "active" else suspended).append(item)
    regime = Regime(
        id=regime_id(registry, day, known, scenario, rules),
        as_of=day,
        known_on=known,
        scenario=scenario.name if scenario else None,
        # knowledge from before the registry starts is no knowledge of it: not covered either
        covered=registry.coverage.contains(day) and _known_in_coverage(registry, known),
        registry_hash=registry.content_hash,
        measures=hist.measures,
        _active=tuple(active),
        _suspended=tuple(suspended),
        coverage=registry.coverage,
        dating=table_dating(registry),
        families=tuple(registry.settings.families),
    )
    if len(registry._cache) > _REGIME_CACHE_LIMIT:
        # list() snapshots the keys atomically; pop tolerates another thread's eviction
        for k in list(registry._cache):
            if k[0] == "regime":
                registry._cache.pop(k, None)
    registry._cache[key] = regime
    return regime


__all__ = ["REFRESH_HINT", "ActiveEffect", "Regime", "compile_regime", "histories", "resolve_known_on"]
