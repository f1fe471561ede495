"""Benchmark: a single check on a never-asked day span, through the plain one-row path (ops.check_fast)
beside the columnar plan on one row, A/B in the same process, calls alternated.

Lines (as bench/latency.py names them): "check, new question, new day span" (a new ECCN x destination on a
day of a span never asked: always computed) and "check, first of a new block" (3A090 to CN on a day
never asked, one day further back each call: the first call of a span computes, the others restamp a kept
day of it). Each call of either path takes its own never-asked span, so neither path reads what the other
answered; the plan's path is the same call with ops.check_fast.answer_plain declining (main's path).
Also prints each stage of the one-row path (regime compile, key_fixed, key, key work, finish) and checks that
both paths give the same answers on every question asked. Every figure is printed with the load average.

    .venv/bin/python bench/check_new_span.py [--calls 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import timing  # bench/timing.py beside this script

import exportctl
from exportctl.ops import check_fast
from exportctl.ops.check import check_table
from exportctl.ops.check_input import transaction_row
from exportctl.ops.warm import shared_context
from exportctl.store import active_dataset

DAY = dt.date(2025, 6, 1)
DESTS = ["CN", "HK", "NL", "DE", "IN", "AE", "RU", "JP", "KR", "TW", "SG", "MX", "BR", "TR", "GB", "FR"]


def _line(label: str, warm: list[float]) -> None:
    print(timing.line(label, warm, width=46, show_max=True))


_CPU: list[float] = []  # the thread's CPU time of each timed call (wall time minus waiting for a core)
_GC: list[int] = [0]  # full collections during timed calls


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    t, c = time.perf_counter(), time.thread_time()
    out = call()
    _CPU.append(time.thread_time() - c)
    return time.perf_counter() - t, out


def _on_gc(phase: str, info: dict[str, Any]) -> None:
    if phase == "start" and info.get("generation") == 2:
        _GC[0] += 1


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=60)
    args = parser.parse_args()
    print(f"load at start: {timing.load()} (cores: {os.cpu_count()})")
    ds = active_dataset()
    eccns = [e for e in ds.table("ccl")["eccn"].unique().sort().to_list() if e][:400]
    fresh = iter([(e, d) for e in eccns for d in DESTS if (e, d) != ("3A090", "CN")])
    exportctl.check(eccn="3A090", destination="CN", as_of=DAY)  # warm: the Context, the spans' reader
    ctx = shared_context()
    spans = ctx.day_spans()
    asked: set[int] = {spans.span(DAY)}

    def new_spans(start: dt.date) -> Iterator[dt.date]:
        day = start
        while day > dt.date(2016, 1, 1):
            day -= dt.timedelta(days=1)
            if spans.span(day) not in asked:
                asked.add(spans.span(day))
                yield day

    real = check_fast.answer_plain
    gc.callbacks.append(_on_gc)

    def plan_path(*_: Any) -> None:
        return None

    far = new_spans(DAY + dt.timedelta(days=500))
    times: dict[str, list[float]] = {"fast": [], "plan": []}
    cpu: dict[str, list[float]] = {"fast": [], "plan": []}
    same = differ = 0
    for i in range(2 * args.calls):
        mode = "fast" if i % 2 == 0 else "plan"
        check_fast.answer_plain = real if mode == "fast" else plan_path  # type: ignore[assignment]
        eccn, dest = next(fresh)
        took, got = _timed(lambda e=eccn, d=dest: exportctl.check(eccn=e, destination=d, as_of=next(far)))  # type: ignore[misc]
        times[mode].append(took)
        cpu[mode].append(_CPU[-1])
        # the one-row path's answer to the same question against check_table's on one row (untimed)
        check_fast.answer_plain = real
        row = transaction_row(eccn=eccn, destination=dest, as_of=got["as_of"])
        fast = real(ctx, row, None)
        frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.Utf8))
        want = check_table(frame, context=ctx).row(0, named=True)
        if fast is None or all(fast[k] == want[k] for k in fast):
            same += 1
        else:
            differ += 1
    check_fast.answer_plain = real
    _line("check, new question, new day span (one-row)", times["fast"])
    _line("  the same, columnar plan (main's path)", times["plan"])
    _line("  CPU time of the one-row calls", cpu["fast"])
    _line("  CPU time of the plan's calls", cpu["plan"])
    print(f"  answers equal to check_table's: {same} of {same + differ}; full collections: {_GC[0]}")

    block: dict[str, list[float]] = {"fast": [], "plan": []}
    day_iter = iter([DAY - dt.timedelta(days=i) for i in range(1, 4 * args.calls + 10)])
    for i in range(2 * args.calls):
        mode = "fast" if i % 2 == 0 else "plan"
        check_fast.answer_plain = real if mode == "fast" else plan_path  # type: ignore[assignment]
        took, _ = _timed(lambda: exportctl.check(eccn="3A090", destination="CN", as_of=next(day_iter)))
        block[mode].append(took)
    check_fast.answer_plain = real
    _line("check, first of a new block (one-row)", block["fast"])
    _line("  the same, columnar plan (main's path)", block["plan"])
    _stages(ctx, new_spans(DAY - dt.timedelta(days=1)), eccns, args.calls)


def _stages(ctx: Any, days: Iterator[dt.date], eccns: list[str], n: int) -> None:
    """Each stage of the one-row path on new spans: median, p99 and max."""
    from exportctl.engine.ear.one_finish import finish_one
    from exportctl.engine.ear.one_key import key_fixed, key_one, key_work_one
    from exportctl.registry import compile_regime

    stages: dict[str, list[float]] = {k: [] for k in ("regime", "fixed", "key", "key work", "finish")}
    for i, day in zip(range(n), days, strict=False):
        eccn, dest = eccns[(i * 7) % len(eccns)], DESTS[(i * 5) % len(DESTS)]
        t0 = time.perf_counter()
        regime = compile_regime(ctx.registry, day, None, None)
        t1 = time.perf_counter()
        fixed = key_fixed({0: regime}, ctx.tables, ctx.table("csl"), ctx.version)
        t2 = time.perf_counter()
        tx = {"row": 1, "eccn": eccn, "destination": dest, "as_of": day, "rkey": 0, "exporting": "US"}
        key = key_one(tx, regime, fixed, ctx.tables)
        t3 = time.perf_counter()
        work = key_work_one(key, fixed, ctx.tables, regime) if key is not None else None
        t4 = time.perf_counter()
        if work is not None:
            finish_one(*work, lists_what=fixed.lists_what, dpl_what=fixed.dpl_what,
                       sections=ctx.tables.exception_sections)  # fmt: skip
        t5 = time.perf_counter()
        for k, a, b in zip(stages, (t0, t1, t2, t3, t4), (t1, t2, t3, t4, t5), strict=True):
            stages[k].append(b - a)
    for k, v in stages.items():
        _line(f"  stage on a new span: {k}", v)


if __name__ == "__main__":
    main()
