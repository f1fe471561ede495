"""Benchmark: a new question naming a listed party (an Entity List, SDN, MEU or UVL name, exact or with a
letter changed, so the screening finds a hit), answered alone: ops.check_fast_parties.answer_parties (the
one-row path) beside check_table on the one-row book (the plan) in the same process, alternating, each on
a day its path has not seen (both with fuzzy screening, the Context's memory and reviewers' decisions as
check_one passes them). Prints median/p99 of wall and CPU time with os.getloadavg(), the share of the
screening call (engine.ear.one_hits.hits_one) in the one-row path; asserts that both paths agree.

    .venv/bin/python bench/one_row_parties.py [--calls 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
from collections.abc import Callable
from typing import Any

import polars as pl
import timing  # bench/timing.py beside this script

from exportctl.engine.ear import one_parties
from exportctl.ops.check import check_table
from exportctl.ops.check_answer import RESULT_COLUMNS
from exportctl.ops.check_fast_parties import answer_parties
from exportctl.ops.check_input import transaction_row
from exportctl.ops.warm import shared_context

DESTS = ["CN", "HK", "RU", "IR", "AE", "DE", "IN", "TR", "SG", "KR"]


def _line(label: str, xs: list[float]) -> None:
    print(timing.line(label, xs))


def _timed(f: Callable[[], Any]) -> tuple[float, float, Any]:
    w, c = time.perf_counter(), time.process_time()
    out = f()
    return time.perf_counter() - w, time.process_time() - c, out


def main() -> None:
    """Time both paths on new questions naming listed parties."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    ctx = shared_context()
    csl = ctx.us_lists()
    assert csl is not None
    listed = csl.filter(pl.col("list").is_in(["EL", "SDN", "MEU", "UVL"]))["name"].drop_nulls().to_list()
    eccns = ctx.tables.eccns["eccn"].to_list()
    rng = random.Random(args.seed)
    decided = ctx.suppressions()
    spent = [0.0]
    real_hits = one_parties.hits_one

    def hits(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        out = real_hits(*a, **k)
        spent[0] += time.perf_counter() - t
        return out

    one_parties.hits_one = hits  # type: ignore[assignment]
    days = rng.sample(range((dt.date(2026, 7, 1) - dt.date(2018, 1, 1)).days), 2 * args.calls + 10)
    times: dict[str, list[float]] = {}
    refused = 0
    for i in range(args.calls + 5):
        name = rng.choice(listed)
        if rng.random() < 0.5 and len(name) > 6:
            at = rng.randrange(1, len(name) - 1)
            name = name[:at] + name[at + 1 :]
        eccn, dest = rng.choice(eccns), rng.choice(DESTS)
        fast_day, plan_day = (dt.date(2018, 1, 1) + dt.timedelta(days=d) for d in days[2 * i : 2 * i + 2])
        fast_row = transaction_row(eccn=eccn, destination=dest, as_of=fast_day, parties=[name])
        plan_row = transaction_row(eccn=eccn, destination=dest, as_of=plan_day, parties=[name])
        spent[0] = 0.0
        fw, fc, got = _timed(lambda r=fast_row: answer_parties(ctx, r, None, fuzzy=True, decided=decided))
        screening = spent[0]

        def plan(r: dict[str, Any]) -> dict[str, Any]:
            book = pl.DataFrame([r], schema=dict.fromkeys(r, pl.Utf8))
            out = check_table(book, fuzzy=True, context=ctx, suppressed=decided)
            return out.select(RESULT_COLUMNS).row(0, named=True)

        pw, pc, _ = _timed(lambda r=plan_row: plan(r))
        if got is None:
            refused += 1
        else:
            assert got == plan(fast_row), fast_row
        if i < 5:
            if i == 4:  # what the warm-up loaded (the index) out of the collector, as a service's start does
                gc.freeze()  # (ops.warm.settled, fronts/cli/startup.py)
            continue  # the first calls warm what every call shares (indexes, lookups, imports)
        for label, value in (
            ("one-row path, wall", fw),
            ("one-row path, CPU", fc),
            ("  of which screening (hits_one), wall", screening),
            ("plan on one row, wall", pw),
            ("plan on one row, CPU", pc),
        ):
            times.setdefault(label, []).append(value)
    print(f"new question naming a listed party on a new day, {args.calls} calls (refused: {refused})")
    for label, xs in times.items():
        _line(label, xs)


if __name__ == "__main__":
    main()
