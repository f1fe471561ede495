"""Measures over time: the status of a measure on a day, its span, and the timeline of a window."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from exportctl.errors import InputError
from exportctl.model.dates import parse_date
from exportctl.registry.compile import histories, resolve_known_on
from exportctl.registry.history import DURABLE, INSTANT, Histories
from exportctl.registry.loader import Registry
from exportctl.registry.scenario import Scenario
from exportctl.registry.schema import Measure

MeasureStatus = Literal["in_force", "suspended", "ended", "not_yet", "proposed", "threatened", "not_known"]


def _measure(registry: Registry, measure: Measure | str) -> Measure:
    return registry.measure(measure) if isinstance(measure, str) else measure


def span(hist: Histories, measure: Measure) -> tuple[dt.date | None, dt.date | None]:
    """[effective, end) of a measure as resolved: the earliest start and latest end of its effects/actions."""
    starts: list[dt.date] = []
    if measure.id not in hist.measures:  # proposed, threatened or not known: its nominal dates
        starts = [e.effective for e in measure.effects] + [a.effective for a in measure.actions]
        return measure.dates.effective or (min(starts) if starts else None), measure.dates.end
    ends: list[dt.date | None] = []
    for ref in hist.by_measure.get(measure.id, []):
        segs = hist.effects[ref].segments
        if segs:
            starts.append(segs[0].start)
            ends.append(segs[-1].end)
    for action in measure.actions:
        w = hist.windows.get(f"{measure.id}#{action.id}")
        if w is not None:
            starts.append(w.start)
            if action.action in DURABLE:
                # a suspension, amendment or waiver is moot once what it acts on has ended
                ends.append(_min_end(w.end, _target_end(hist, action.target)))
            else:
                # a lift, extension or resumption has lasting effect: its measure stays in force
                ends.append(None if action.action in INSTANT and action.action != "extend" else w.end)
    # the measure's own effective date when it states one (effects that describe the state before
    # the measure, such as CCL text not yet in force, start earlier)
    start = measure.dates.effective or (min(starts) if starts else None)
    if not ends:
        return start, measure.dates.end
    end = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
    return start, end


def _min_end(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _target_end(hist: Histories, target: str) -> dt.date | None:
    """When the effects an action aims at stop applying for good (None: never, as far as known)."""
    mid, _, frag = target.partition("#")
    refs = [r for r in hist.by_measure.get(mid, []) if not frag or r == f"{mid}#{frag}"]
    segs = [hist.effects[r].segments for r in refs]
    if not refs or all(not s for s in segs):
        return None  # aims at actions, or at nothing that applies: leave the action's own window
    ends = [s[-1].end for s in segs if s]
    return None if any(e is None for e in ends) else max(e for e in ends if e is not None)


def status_in(hist: Histories, measure: Measure, day: dt.date) -> MeasureStatus:
    """The status of a measure on `day` given resolved histories."""
    if measure.id not in hist.visible:
        return "not_known"
    if measure.id not in hist.measures:
        return "threatened" if measure.status == "threatened" else "proposed"
    states = [h.at(day) for h in (hist.effects[r] for r in hist.by_measure.get(measure.id, []))]
    if any(s is not None and s.state == "active" for s in states):
        return "in_force"
    if any(s is not None and s.state == "suspended" for s in states):
        return "suspended"
    start, end = span(hist, measure)
    if start is None or day < start:
        return "not_yet"
    if not measure.effects and (end is None or day < end):  # acts on others, or a framework law
        return "in_force"
    return "ended"


def status_on(
    registry: Registry,
    measure: Measure | str,
    day: dt.date | str,
    *,
    known_on: dt.date | str | None = None,
    scenario: Scenario | None = None,
) -> MeasureStatus:
    """in_force, suspended, ended, not_yet, proposed, threatened (or not_known before its known_on)."""
    hist = histories(registry, resolve_known_on(registry, known_on), scenario)
    mid = measure if isinstance(measure, str) else measure.id
    m = hist.visible.get(mid) or _measure(registry, measure)
    return status_in(hist, m, parse_date(day, "date"))


def citations_of(measure: Measure) -> list[dict[str, Any]]:
    """A measure's citations as plain dicts (JSON-ready)."""
    return [c.model_dump(mode="json", exclude_none=True) for c in measure.citations]


def timeline(
    registry: Registry,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    jurisdiction: str | None = None,
    *,
    known_on: dt.date | str | None = None,
    scenario: Scenario | None = None,
) -> list[dict[str, Any]]:
    """Measures whose span meets [start, end] (both days included), sorted by effective date then id.

    `status` is the status on `end` when given, else on the `known_on` used (default: the registry's
    latest known day). Measures not yet public on `known_on` are left out.
    """
    lo = parse_date(start, "from") if start is not None else None
    hi = parse_date(end, "to") if end is not None else None
    if lo and hi and hi < lo:
        raise InputError(f"--to {hi} is before --from {lo}", field="to")
    known = resolve_known_on(registry, known_on)
    hist = histories(registry, known, scenario)
    status_day = hi or known
    rows: list[dict[str, Any]] = []
    for m in hist.visible.values():
        if jurisdiction is not None and m.jurisdiction != jurisdiction:
            continue
        eff, until = span(hist, m)
        if hi is not None and eff is not None and eff > hi:
            continue
        if lo is not None and until is not None and until <= lo:
            continue
        rows.append(
            {
                "id": m.id,
                "title": m.title,
                "jurisdiction": m.jurisdiction,
                "authority": m.authority,
                "instrument": m.instrument,
                "status": status_in(hist, m, status_day) if status_day else m.status,
                "effective": eff,
                "end": until,
                "known_on": m.known_on,
                "citations": citations_of(m),
            }
        )
    rows.sort(key=lambda r: (r["effective"] or dt.date.min, r["id"]))
    return rows
