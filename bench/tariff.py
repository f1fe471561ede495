"""Benchmark: the duty stack of every statistical line of the schedule, for five origins, on one date.

The batch (`ops.tariff.run_batch`, the path of `exportctl tariff FILE`: one regime per date, one columnar
pass over all lines) runs beside a one-line-at-a-time baseline in the same process: `ops.tariff.lookup`
(the path of `exportctl tariff --hts ...`) on a random sample of the same lines, extrapolated to all of
them. The sample's answers must agree with the batch's (total, components). Prints the machine's load
(`os.getloadavg()`) beside the figures; it never asserts a time.

    .venv/bin/python bench/tariff.py [--date 2025-06-15] [--origins CN,VN,MX,DE,IN] [--sample 200]

`--only history`: one line's history (POST /v1/tariff/history, `exportctl tariff --history`) the old way,
one full lookup per change date (`engine.tariff.history.series` over `ops.tariff.lookup`), beside
`ops.tariff_history.history` (all change dates in one engine pass); the two series must be equal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from typing import Any

import polars as pl

from exportctl.engine.tariff import history as hist
from exportctl.engine.tariff.hts import dotted
from exportctl.ops.registry import registry
from exportctl.ops.tariff import lookup, run_batch
from exportctl.ops.tariff_history import history
from exportctl.store import active_dataset


def _lines(origins: list[str], day: str) -> pl.DataFrame:
    codes = active_dataset().table("hts").filter(pl.col("level") == 10)["hts"].to_list()
    return pl.DataFrame(
        {
            "hts": [dotted(c) for c in codes for _ in origins],
            "origin": [o for _ in codes for o in origins],
            "date": [day] * (len(codes) * len(origins)),
            "value": [1000.0] * (len(codes) * len(origins)),
        }
    )


def _key(components: list[dict[str, Any]] | None) -> list[tuple[str, str | None, float]]:
    return sorted((c["program"], c["heading"], float(c["rate_pct"])) for c in components or [])


def main(argv: list[str] | None = None) -> None:
    """Run the batch and the one-line baseline and print both with the load."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--date", default="2025-06-15")
    ap.add_argument("--origins", default="CN,VN,MX,DE,IN")
    ap.add_argument("--sample", type=int, default=200, help="lines for the one-at-a-time baseline")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--only", choices=("all", "batch", "history"), default="all")
    ap.add_argument("--history-lines", default="8471.30.0100:CN,7208.10.1500:BR,0901.11.0015:BR")
    ap.add_argument("--from", dest="start", default="2018-01-01")
    ap.add_argument("--to", dest="end", default="2026-12-01")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each history path (the median is shown)")
    args = ap.parse_args(argv)
    if args.only in ("all", "history"):
        _histories(args)
    if args.only in ("all", "batch"):
        _batch(args)


def _load() -> str:
    return f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min; {os.cpu_count()} CPUs)"


def _per_date(hts: str, origin: str, start: str, end: str) -> list[dict[str, Any]]:
    """The history as it was computed before: one full lookup per change date."""
    reg = registry()
    first = history(hts, origin, start, end)  # the clamped dates
    return hist.series(lambda day: dict(lookup(hts, origin, day)), reg.measures, first["from"], first["to"])


def _histories(args: argparse.Namespace) -> None:
    """Each line's history by one lookup per date and in one pass, timed in the same process."""
    lookup("8471.30.0100", "CN", args.date)  # warm: store, registry, rate lines
    print(f"history load before: {_load()}")
    for item in args.history_lines.split(","):
        hts, origin = item.split(":")
        days = len(
            hist.change_dates(
                registry().measures.values(),
                dt.date.fromisoformat(args.start),
                dt.date.fromisoformat(args.end),
            )
        )
        history(hts, origin, args.start, args.end)  # warm: the regimes of every change date
        old, new = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            want = _per_date(hts, origin, args.start, args.end)
            old.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            got = history(hts, origin, args.start, args.end)["series"]
            new.append(time.perf_counter() - t0)
        same = got == want
        a, b = statistics.median(old), statistics.median(new)
        print(
            f"history {hts} from {origin} {args.start}..{args.end} ({days} change days, {len(got)} changes): "
            f"per-date lookups {a:.2f} s, one pass {b:.3f} s = {a / b:.0f}x; series equal: {same}"
        )
    print(f"history load after: {_load()}")


def _batch(args: argparse.Namespace) -> None:
    """The whole schedule in one batch beside one lookup at a time."""
    origins = [o.strip().upper() for o in args.origins.split(",") if o.strip()]

    lines = _lines(origins, args.date)
    lookup(lines["hts"][0], origins[0], args.date)  # warm: store, registry, rate lines of this data version
    print(
        f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min; {os.cpu_count()} CPUs)"
    )

    t0 = time.perf_counter()
    out = run_batch(lines)
    batch_s = time.perf_counter() - t0
    ok = out.filter(pl.col("status") == "ok").height
    print(
        f"batch: {lines.height:,} lines ({lines.height // len(origins):,} statistical lines x {len(origins)} "
        f"origins {','.join(origins)}) on {args.date} in {batch_s:.2f} s = {lines.height / batch_s:,.0f} "
        f"lines/s; {ok:,} ok"
    )
    statuses = out.group_by("status").len().sort("status").rows()
    print("  statuses: " + ", ".join(f"{s} {n:,}" for s, n in statuses))

    rng = random.Random(args.seed)
    picks = rng.sample(range(lines.height), min(args.sample, lines.height))
    by_id = {r["line_id"]: r for r in out.select("line_id", "total_ad_valorem_pct", "components").to_dicts()}
    t0 = time.perf_counter()
    agree = 0
    for i in picks:
        row = lines.row(i, named=True)
        got = lookup(row["hts"], row["origin"], row["date"], value=row["value"])
        want = by_id[i]
        agree += got["total_ad_valorem_pct"] == want["total_ad_valorem_pct"] and _key(
            got["components"]
        ) == _key(want["components"])
    one_s = time.perf_counter() - t0
    per_line = one_s / len(picks)
    print(
        f"one at a time (ops.tariff.lookup): {len(picks)} sampled lines in {one_s:.2f} s = "
        f"{1 / per_line:,.1f} lines/s; all {lines.height:,} lines would take "
        f"~{per_line * lines.height:,.0f} s"
    )
    print(f"  the sample agrees with the batch on {agree}/{len(picks)} lines (total and components)")
    print(f"batch / one-at-a-time: {per_line * lines.height / batch_s:,.0f}x")
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
