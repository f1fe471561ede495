"""What changed between two dates: entries into force, ends, suspensions, resumptions, amendments.

Changes are read from the resolved life of every effect (history.py), so a measure that entered into
force and ended inside the window shows both changes. A change dated `t` is reported when
`from < t <= to`: `t` is the first day of the new state (the day an effect starts, or the day after its
last day in force). Both dates are seen with the same `known_on` (default: everything the registry
knows), so a change means a change in the rules, not in what was public.

Per effect: first segment active -> `entered_into_force`; active -> suspended -> `suspended`;
suspended -> active -> `resumed`; a new form of the same effect (a rate, a review policy, the parties
waived) -> `amended`; after the last segment -> `ended`. An effect suspended from its first day has
not entered into force. Changes of one measure on one day of one kind are merged into one row, which
lists the effects concerned, the actions that caused it (`by`) and citations: those of the acting
measures first, then the measure's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from exportctl.errors import InputError
from exportctl.model.dates import parse_date
from exportctl.registry.compile import histories, resolve_known_on
from exportctl.registry.history import AMENDABLE, EffectHistory, Histories, Segment
from exportctl.registry.loader import Registry
from exportctl.registry.scenario import Scenario
from exportctl.registry.schema import Measure

Change = Literal["entered_into_force", "ended", "suspended", "resumed", "amended"]
CHANGES: tuple[str, ...] = ("entered_into_force", "ended", "suspended", "resumed", "amended")


def _details(old: Segment, new: Segment) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for name in sorted(AMENDABLE):
        a, b = getattr(old.effect, name), getattr(new.effect, name)
        if a != b:
            out[name] = [a, b]
    if old.waived_parties != new.waived_parties:
        out["waived_parties"] = [list(old.waived_parties), list(new.waived_parties)]
    return out


def transitions(h: EffectHistory) -> list[tuple[dt.date, Change, tuple[str, ...], dict[str, list[Any]]]]:
    """Every change in the life of one effect: (date, change, causes, details)."""
    out: list[tuple[dt.date, Change, tuple[str, ...], dict[str, list[Any]]]] = []
    prev: Segment | None = None
    for seg in h.segments:
        if prev is None:
            if seg.state == "active":
                out.append((seg.start, "entered_into_force", seg.causes, {}))
        elif prev.state == "active" and seg.state == "suspended":
            out.append((seg.start, "suspended", seg.causes, _details(prev, seg)))
        elif prev.state == "suspended" and seg.state == "active":
            out.append((seg.start, "resumed", seg.causes, _details(prev, seg)))
        elif seg.state == "active":
            out.append((seg.start, "amended", seg.causes, _details(prev, seg)))
        prev = seg
    if prev is not None and prev.end is not None:
        out.append((prev.end, "ended", h.end_causes, {}))
    return out


def _citations(hist: Histories, measure: Measure, by: list[str]) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    acting = [hist.measures[r.split("#")[0]] for r in by if r.split("#")[0] in hist.measures]
    for m in [*acting, measure]:
        for c in m.citations:
            d = c.model_dump(mode="json", exclude_none=True)
            if d not in seen:
                seen.append(d)
    return seen


def diff(
    registry: Registry,
    start: dt.date | str,
    end: dt.date | str,
    jurisdiction: str | None = None,
    *,
    known_on: dt.date | str | None = None,
    scenario: Scenario | None = None,
) -> list[dict[str, Any]]:
    """The changes dated in (start, end], sorted by date, measure and change."""
    lo, hi = parse_date(start, "from"), parse_date(end, "to")
    if hi < lo:
        raise InputError(f"--to {hi} is before --from {lo}", field="to")
    hist = histories(registry, resolve_known_on(registry, known_on), scenario)
    rows: dict[tuple[dt.date, str, str], dict[str, Any]] = {}
    for ref in sorted(hist.effects):
        h = hist.effects[ref]
        m = h.measure
        if jurisdiction is not None and m.jurisdiction != jurisdiction:
            continue
        for day, change, causes, details in transitions(h):
            if not lo < day <= hi:
                continue
            by = [c for c in causes if c != m.id and not c.startswith(m.id + "#")] or [
                c for c in causes if c != m.id
            ]
            row = rows.setdefault(
                (day, m.id, change),
                {
                    "date": day,
                    "measure": m.id,
                    "title": m.title,
                    "jurisdiction": m.jurisdiction,
                    "change": change,
                    "effects": [],
                    "by": [],
                    "details": {},
                },
            )
            row["effects"].append(h.base.id)
            row["by"].extend(b for b in by if b not in row["by"])
            for name, pair in details.items():
                row["details"].setdefault(f"{h.base.id}.{name}", pair)
    out = []
    for key in sorted(rows, key=lambda k: (k[0], k[1], CHANGES.index(k[2]))):
        row = rows[key]
        row["citations"] = _citations(hist, hist.measures[row["measure"]], row["by"])
        if not row["details"]:
            del row["details"]
        out.append(row)
    return out
