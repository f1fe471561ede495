"""The series of changes of one line's duty stack between two dates, each labelled with its instrument.

The dates tried are the registry's own change dates (effects starting or ending, actions taking effect
or ending), so the series is exact at day granularity: between two such dates nothing can change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

from exportctl.registry.schema import Measure

TARIFF_JURISDICTIONS = ("US-TARIFF", "CN-TARIFF")


def change_dates(measures: Iterable[Measure], start: dt.date, end: dt.date) -> list[dt.date]:
    """`start` and every day in (start, end] on which a tariff measure, effect or action starts or ends."""
    days = {start}
    for m in measures:
        if m.jurisdiction not in TARIFF_JURISDICTIONS or m.status in ("proposed", "threatened"):
            continue
        cand = [m.dates.effective, m.dates.end]
        cand += [d for e in m.effects for d in (e.effective, e.end)]
        cand += [d for a in m.actions for d in (a.effective, a.end, a.new_end)]
        cand += [p.effective for a in m.actions for p in a.phases]
        days.update(d for d in cand if d is not None and start < d <= end)
    return sorted(days)


def _label(measure: Measure) -> str:
    """A short name for a chart: the instrument's number (EO 14266, 84 FR 20459) or its title."""
    for c in measure.citations:
        if (
            c.kind in ("executive_order", "proclamation", "prc_tariff_commission", "cbp_guidance")
            and c.document
        ):
            return c.document
        if c.kind == "federal_register" and c.volume and c.page:
            return f"{c.volume} FR {c.page}"
    return measure.title.split(" — ")[0][:40]


def _signature(components: list[dict[str, Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(sorted((c["program"], c["heading"], c["rate_pct"]) for c in components))


def _causes(
    day: dt.date, before: list[dict[str, Any]], after: list[dict[str, Any]], measures: dict[str, Measure]
) -> list[str]:
    """The measures behind a change on `day`: for every layer that appeared, went or changed, its shaping
    act and every act dated `day` aimed at its measure (directly or through a measure acting on it)."""
    old = {c["effect"]: c for c in before}
    new = {c["effect"]: c for c in after}
    touched = [
        c
        for ref, c in new.items()
        if ref not in old or (old[ref]["rate_pct"], old[ref]["heading"]) != (c["rate_pct"], c["heading"])
    ]
    touched += [c for ref, c in old.items() if ref not in new]
    ids: list[str] = [c["changed_by"] for c in touched]
    for comp in touched:
        ref = comp["effect"]
        mid = ref.split("#", 1)[0]
        # an action aimed at another effect of the same measure (China's rate, next to the baseline every
        # origin pays) is not a cause of this layer's change
        related = {mid} | {m.id for m in measures.values() if any(a.target in (ref, mid) for a in m.actions)}
        ids.extend(
            m.id
            for m in measures.values()
            if any(
                (a.target in (ref, mid) or a.target.split("#")[0] in related - {mid})
                and day in (a.effective, a.end, a.new_end)
                for a in m.actions
            )
        )
        ids.append(mid)
    return list(dict.fromkeys(i for i in ids if i and i in measures and _acts_on(measures[i], day)))


def _acts_on(m: Measure, day: dt.date) -> bool:
    """True when the measure starts, ends or changes something on `day`."""
    dates = [m.dates.effective, m.dates.end]
    dates += [d for e in m.effects for d in (e.effective, e.end)]
    dates += [d for a in m.actions for d in (a.effective, a.end, a.new_end)]
    return day in dates


def series(
    stack_on: Callable[[dt.date], dict[str, Any]],
    measures: dict[str, Measure],
    start: dt.date,
    end: dt.date,
) -> list[dict[str, Any]]:
    """The points where the stack changes: `stack_on(day)` gives the stack object of one day."""
    points: list[dict[str, Any]] = []
    last: tuple[tuple[Any, ...], ...] | None = None
    prev_components: list[dict[str, Any]] = []
    for day in change_dates(measures.values(), start, end):
        stack = stack_on(day)
        comps = stack["components"]
        sig = (_signature(comps), stack.get("mfn", {}).get("text"))
        if sig == last:
            continue
        causes = [] if last is None else _causes(day, prev_components, comps, measures)
        points.append(
            {
                "date": day,
                "total_ad_valorem_pct": stack["total_ad_valorem_pct"],
                "total_additional_pct": stack["total_additional_pct"],
                "mfn_ad_valorem_pct": stack["mfn"].get("ad_valorem_pct"),
                "components": comps,
                "changed_by": causes,
                "labels": [_label(measures[c]) for c in causes if c in measures],
            }
        )
        last, prev_components = sig, comps
    return points


def series_frame(points: list[dict[str, Any]], end: dt.date) -> pl.DataFrame:
    """Long table (from, to, program, rate_pct) of the series, for plotting and CSV output."""
    rows = []
    for i, p in enumerate(points):
        to = points[i + 1]["date"] if i + 1 < len(points) else end
        if p.get("mfn_ad_valorem_pct"):
            rows.append({"from": p["date"], "to": to, "program": "mfn", "rate_pct": p["mfn_ad_valorem_pct"]})
        for c in p["components"]:
            rows.append({"from": p["date"], "to": to, "program": c["program"], "rate_pct": c["rate_pct"]})
    schema = {"from": pl.Date, "to": pl.Date, "program": pl.Utf8, "rate_pct": pl.Float64}
    return pl.DataFrame(rows, schema=schema)
