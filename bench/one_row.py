"""Benchmark: one new question on a day never asked, its EAR key work through the one-row path
(engine.ear.one_key: key_one + key_work_one) beside the columnar plan (keyed + determine._key_work) in the
same process, and what the new day costs before either: the regime's compile and the batch's Fixed
(engine.ear.determine._fixed). Prints median/p99 with os.getloadavg(): wall time, and (CPU lines) the
process's CPU time, polars' threads included: on a loaded machine a wall p99 is mostly waiting for a core.
Asserts that both paths agree.

    .venv/bin/python bench/one_row.py [--calls 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import random
import time
from collections.abc import Callable
from typing import Any

import polars as pl
import timing  # bench/timing.py beside this script

from exportctl.engine.common.keying import keyed
from exportctl.engine.ear import exceptions as le_flags
from exportctl.engine.ear.groups import destination_facts
from exportctl.engine.ear.one_key import key_fixed, key_one, key_work_one
from exportctl.ops.warm import shared_context
from exportctl.registry import compile_regime

determine = importlib.import_module("exportctl.engine.ear.determine")
DESTS = ["CN", "HK", "NL", "DE", "IN", "AE", "RU", "JP", "KR", "TW", "SG", "MX", "BR", "TR", "GB", "FR"]


def _line(label: str, xs: list[float]) -> None:
    print(timing.line(label, xs))


def _timed(f: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def main() -> None:
    """Time the paths on new days, each day asked once."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    ctx = shared_context()
    tables, csl = ctx.tables, ctx.table("csl")
    eccns = tables.eccns["eccn"].to_list()
    rng = random.Random(args.seed)
    days = rng.sample(range((dt.date(2026, 7, 1) - dt.date(2018, 1, 1)).days), args.calls + 5)
    times: dict[str, list[float]] = {}
    refused = 0
    for i, n in enumerate(days):
        day = dt.date(2018, 1, 1) + dt.timedelta(days=n)
        tx = {"eccn": rng.choice(eccns), "destination": rng.choice(DESTS), "as_of": day, "row": 0}
        cpu = time.process_time()
        a, regime = _timed(lambda day=day: compile_regime(ctx.registry, day))
        lf, light = _timed(lambda r=regime: key_fixed({0: r}, tables, csl, ctx.version))
        c, key = _timed(lambda r=regime, f=light, tx=tx: key_one(tx, r, f, tables))
        w, work = _timed(lambda r=regime, f=light, k=key: key_work_one(k, f, tables, r) if k else None)
        cpu = time.process_time() - cpu
        cpu_plan = time.process_time()
        b, fixed = _timed(lambda r=regime: determine._fixed({0: r}, tables, csl, ctx.version))

        def plan(r: Any = regime, f: Any = fixed, tx: dict[str, Any] = tx) -> Any:
            regimes = {0: r}
            schema = {"eccn": pl.Utf8, "destination": pl.Utf8, "as_of": pl.Date, "row": pl.Int64}
            keys, _ = keyed(
                determine.prepare(pl.DataFrame([tx], schema=schema)).with_columns(rkey=pl.lit(0, pl.Int64)),
                regimes,
                lambda d: destination_facts(d, tables, f.dated).with_columns(*le_flags.destination_flags()),
            )
            return determine._key_work(keys, f, tables, regimes)

        p, (k_plan, _, c_plan) = _timed(plan)
        cpu_plan = time.process_time() - cpu_plan
        if work is None:
            refused += 1
        else:
            assert work[0] == k_plan.row(0, named=True) and work[2] == c_plan.row(0, named=True), tx
        if i < 5:
            continue  # the first days warm what every day shares (tables' lookups, imports)
        for label, value in (
            ("regime compile (compile_regime, new day)", a),
            ("key_fixed (new day: dated, effect lookups)", lf),
            ("key_one", c),
            ("key_work_one", w),
            ("one-row: key_fixed + key_one + key_work_one", lf + c + w),
            ("compile + one-row", a + lf + c + w),
            ("plan: determine._fixed (after key_fixed)", b),
            ("plan: keyed + _key_work", p),
            ("compile + plan (Fixed, keyed, _key_work)", a + b + p),
            ("CPU: compile + one-row (process time)", cpu),
            ("CPU: plan's Fixed, keyed, _key_work", cpu_plan),
        ):
            times.setdefault(label, []).append(value)
    print(f"new question on a new day, {args.calls} days 2018-2026 (refused by the one-row path: {refused})")
    for label, xs in times.items():
        _line(label, xs)
    parts = list(times)[:4]
    total = times["compile + one-row"]
    print("slowest compile + one-row calls, ms (" + ", ".join(parts) + "):")
    for at in sorted(range(len(total)), key=total.__getitem__)[-4:]:
        print(f"  {total[at] * 1e3:7.2f} = " + " + ".join(f"{times[p][at] * 1e3:.2f}" for p in parts))


if __name__ == "__main__":
    main()
