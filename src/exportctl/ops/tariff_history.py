"""The history of one tariff line: its duty stack on every change date, computed in one engine pass.

A line's stack on a day depends on the day only through the layers in force then (the regime's active
tariff, tariff-exclusion and de minimis effects), the regime's coverage and the families researched
through it. So the days of a history are answered together: the layers of every day, each distinct form
once, make one layer table, each day is one row of the question, and `allowed` gives each row only the
layers of its own day (`exportctl.engine.tariff.stack.tariff`). The answers are the single lookup's
(tests/ops/test_tariff_history.py compares them day by day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from exportctl.engine.tariff import history as hist
from exportctl.engine.tariff.layers import KINDS, layers_of
from exportctl.engine.tariff.stack import late_destinations, tariff
from exportctl.errors import InputError
from exportctl.model.countries import resolve_country
from exportctl.model.dates import parse_date
from exportctl.ops.answers import TariffAnswer
from exportctl.ops.registry import DateArg, ScenarioArg, registry, scenario_of
from exportctl.ops.tariff import NOT_LEGAL_ADVICE, coverage, line_answer, lookup
from exportctl.registry import compile_regime
from exportctl.registry.compile import ActiveEffect, Regime, resolve_known_on
from exportctl.registry.loader import Registry
from exportctl.store import active_dataset


def _layer_key(a: ActiveEffect) -> tuple[Any, ...]:
    """What makes one form of a layer: its effect as amended (one object per segment) and what shaped it."""
    return (KINDS.index(a.effect.kind), a.ref, id(a.effect), tuple(a.provenance))


def stacks_on(
    reg: Registry,
    hts: str,
    origin: str,
    destination: str,
    days: list[dt.date],
    known_on: DateArg = None,
    scenario: ScenarioArg = None,
) -> dict[dt.date, TariffAnswer]:
    """The answer `ops.tariff.lookup` gives for the line on each of `days` (codes resolved, days in
    coverage), in one engine pass per (coverage, late families) group of days."""
    known = resolve_known_on(reg, known_on)
    scen = scenario_of(scenario)
    regimes = {d: compile_regime(reg, d, known, scen) for d in days}
    groups: dict[tuple[bool, tuple[str, ...]], list[dt.date]] = {}
    for d, r in regimes.items():
        groups.setdefault((bool(r.covered), tuple(late_destinations(r, [destination]))), []).append(d)
    dataset = active_dataset()
    out: dict[dt.date, TariffAnswer] = {}
    for group in groups.values():
        out.update(_group(reg, regimes, group, hts, origin, destination, dataset))
    return out


def _group(
    reg: Registry,
    regimes: dict[dt.date, Regime],
    days: list[dt.date],
    hts: str,
    origin: str,
    destination: str,
    dataset: Any,
) -> dict[dt.date, TariffAnswer]:
    forms: dict[tuple[Any, ...], ActiveEffect] = {}
    per_day: list[list[tuple[Any, ...]]] = []
    for d in days:
        keys = []
        for a in regimes[d].effects():
            if a.effect.kind in KINDS:
                key = _layer_key(a)
                forms.setdefault(key, a)
                keys.append(key)
        per_day.append(keys)
    # numbered in the order a single day numbers its own layers (kind, then measure#effect)
    order = sorted(forms, key=lambda k: (k[0], k[1]))  # stable: forms of one effect by first day
    number = {k: i for i, k in enumerate(order)}
    rep = regimes[days[0]]
    layers = layers_of([forms[k] for k in order], rep.measures)
    allowed = pl.DataFrame(
        {
            "line_id": [i for i, keys in enumerate(per_day) for _ in keys],
            "layer": [number[k] for keys in per_day for k in keys],
        },
        schema={"line_id": pl.Int64, "layer": pl.Int64},
    )
    n = len(days)
    lines = pl.DataFrame(
        {
            "line_id": list(range(n)),
            "hts": [hts] * n,
            "origin": [origin] * n,
            "destination": [destination] * n,
        }
    )
    rows = tariff(rep, dataset, lines, layers=layers, allowed=allowed).to_dicts()
    out: dict[dt.date, TariffAnswer] = {}
    for row in rows:
        day = days[row["line_id"]]
        row["regime"] = regimes[day].id
        out[day] = line_answer(reg, row, hts, day, rep.known_on, dataset.version)
    return out


def history(
    hts: str,
    origin: str,
    start: DateArg,
    end: DateArg,
    destination: str = "US",
    known_on: DateArg = None,
    scenario: ScenarioArg = None,
) -> dict[str, Any]:
    """The changes of one line's duty stack in [start, end], each with the instruments that made it."""
    if start is None or end is None:
        raise InputError("give --from and --to dates", field="from" if start is None else "to")
    d1, d2 = parse_date(start, "from"), parse_date(end, "to")
    if d2 <= d1:
        raise InputError(f"--to ({d2}) must be after --from ({d1})", field="to")
    reg = registry()
    cov_start, cov_last = coverage(reg, resolve_country(destination, field="destination").code)
    d1 = max(d1, cov_start)
    if cov_last is not None:
        d2 = min(d2, cov_last)
    # the first day through the single lookup: it checks the input and names the field of an error
    first = lookup(hts, origin, d1, destination, known_on=known_on, scenario=scenario)
    days = hist.change_dates(reg.measures.values(), d1, d2)
    answers = stacks_on(reg, hts, first["origin"], first["destination"], days, known_on, scenario)
    points = hist.series(lambda day: dict(answers[day]), reg.measures, d1, d2)
    return {
        "hts": hts,
        "hts_matched": first["hts_matched"],
        "description": first["description"],
        "origin": first["origin"],
        "destination": first["destination"],
        "from": d1,
        "to": d2,
        "series": points,
        "data_version": first["data_version"],
        "disclaimer": NOT_LEGAL_ADVICE,
    }
