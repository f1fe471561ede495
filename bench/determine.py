"""Benchmark: one million synthetic EAR determinations, the batch engine against per-row loops.

Two baselines run in the same process on the same transactions, tables and regimes (parties matched
exactly, no fuzzy screening):

- the engine loop: the same `determine` called once per row, alone - exactly the same rules, so the
  ratio to it is a like-for-like measure of what batching buys (run on a sample; its rows must also
  answer exactly as in the batch);
- the hand loop: what a straightforward implementation would do in plain Python (dict lookups per
  row). It does LESS work than the engine - the rules it skips are printed with its figures - so its
  ratio is an upper bound on the hand loop's competitiveness, not an equal-work comparison.

Prints each throughput, the ratios, agreement with the batch, and peak memory after each phase.

    .venv/bin/python bench/determine.py [--rows 1000000] [--loop-rows N] [--engine-loop-rows 300]

Above --hold rows (1M) the book is streamed instead: written to Parquet in chunks, read back and determined
chunk by chunk with the results written as they come; at each of --marks (1M, 5M, 10M) it prints the
process's peak and resident memory and the rate since the mark before as a ratio of the first stretch's
(wall and per CPU second: a flat run keeps both near 1.00 and the peak near the 1M mark's):

    .venv/bin/python bench/determine.py --rows 10000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.engine.ear.chart import para_applies
from exportctl.engine.ear.determine import determine
from exportctl.engine.ear.tables import EarTables, from_dataset
from exportctl.registry import compile_regime, load_registry
from exportctl.sources import csl, ecfr
from exportctl.store.dataset import Dataset

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import peak_mb, rss_mb

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
from book_data import DESTS  # noqa: E402  (the same 30 destinations as the book benches)

PRODUCTS = [None] * 40 + ["NVIDIA H20", "EDA software", "ethane", "LEAP-1C", "AMD MI308"]


def load(shared: Path) -> tuple[EarTables, pl.DataFrame]:
    """EAR tables and the CSL from the shared snapshots."""
    ear = shared / "ear-2026-07-23"
    tables = [
        ecfr.parse_ccl(ear / "ccl.json"),
        ecfr.parse_country_chart(ear / "country-chart.json"),
        ecfr.parse_country_groups(ear / "country-groups.json"),
        csl.parse_csl_compact(shared / "csl-2026-07-31" / "screening-list.json"),
    ]
    ds = Dataset.from_tables(tables)
    return from_dataset(ds), ds.table("csl")


def synthetic(
    n: int, tables: EarTables, lists: pl.DataFrame, n_dates: int, seed: int = 1, dates_seed: int | None = None
) -> pl.DataFrame:
    """n transactions: real ECCNs (some with subparagraphs), 30 destinations, 1 in 10 parties listed.

    The dates come from `dates_seed` (default `seed`): chunks of one streamed book share their dates."""
    rng = random.Random(seed)
    date_rng = random.Random(seed if dates_seed is None else dates_seed)
    eccns = sorted(tables.eccn_set()) + ["EAR99"] * 200
    paras = {"3A090": ["a", "b", "c"], "3B001": ["c", "f.1", "a.1"], "5A992": ["c"], "3A001": ["b.2", "a.1"]}
    listed = lists.filter(pl.col("list").is_in(["EL", "MEU", "UVL", "DPL"]))["name"].to_list()
    plain = [f"Trading Company {i} Ltd." for i in range(50_000)]
    start = dt.date(2019, 1, 1)
    dates = sorted({start + dt.timedelta(days=date_rng.randrange(0, 2500)) for _ in range(n_dates)})
    rows_e, rows_d, rows_p, rows_u, rows_v, rows_a = [], [], [], [], [], []
    for _ in range(n):
        e = rng.choice(eccns)
        if e in paras and rng.random() < 0.7:
            e = f"{e}.{rng.choice(paras[e])}"
        rows_e.append(e)
        rows_d.append(rng.choice(DESTS))
        rows_p.append(rng.choice(PRODUCTS))
        rows_u.append(rng.choice(listed) if rng.random() < 0.1 else rng.choice(plain))
        rows_v.append(round(rng.uniform(100, 200_000), 2))
        rows_a.append(rng.choice(dates))
    frame = pl.DataFrame(
        {
            "eccn": rows_e,
            "destination": rows_d,
            "product": rows_p,
            "ultimate_consignee": rows_u,
            "value": rows_v,
            "as_of": rows_a,
        },
        schema={
            "eccn": pl.Utf8,
            "destination": pl.Utf8,
            "product": pl.Utf8,
            "ultimate_consignee": pl.Utf8,
            "value": pl.Float64,
            "as_of": pl.Date,
        },
    )
    return frame.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))


def loop(
    tx: pl.DataFrame,
    tables: EarTables,
    lists: pl.DataFrame,
    regimes: dict[int, Any],
    rkeys: dict[dt.date, int],
) -> list[str]:
    """The per-row Python baseline: dict lookups and loops, one transaction at a time."""
    rows_by_eccn: dict[str, list[dict[str, Any]]] = {}
    for r in tables.rows.iter_rows(named=True):
        rows_by_eccn.setdefault(r["eccn"], []).append(r)
    marks: dict[str, set[str]] = {}
    for iso, col in tables.marks.iter_rows():
        marks.setdefault(iso, set()).add(col)
    groups: dict[str, set[str]] = {}
    for iso, g in tables.groups.iter_rows():
        groups.setdefault(iso, set()).add(g)
    pointer = {iso: p for iso, _, p in tables.chart.iter_rows() if p}
    lvs = {e: lim for e, lim in tables.eccns.select("eccn", "lvs_limit").iter_rows()}
    listed: dict[str, str] = {}
    for lst, name, aliases in lists.select("list", "name", "aliases").iter_rows():
        for n in [name, *(aliases or [])]:
            listed.setdefault(" ".join("".join(ch if ch.isalnum() else " " for ch in n.lower()).split()), lst)
    effects: dict[int, list[Any]] = {
        k: [a for a in r.effects() if a.measure.jurisdiction in ("US-EAR", "US-OFAC")]
        for k, r in regimes.items()
    }
    d5 = {iso for iso, gs in groups.items() if "D:5" in gs}
    out: list[str] = []
    results: list[list[dict[str, Any]]] = []
    for eccn, dest, product, party, value, as_of in tx.select(
        "eccn", "destination", "product", "ultimate_consignee", "value", "as_of"
    ).iter_rows():
        row_iso = "CN" if dest == "HK" else dest
        base, _, para = eccn.partition(".")
        required, le_ok, held, banned = False, True, False, False
        reasons: list[dict[str, Any]] = []  # the same explanation the engine gives: code, column, citation
        if row_iso in pointer:
            required, le_ok = True, False
            reasons.append(
                {
                    "step": "GP6",
                    "code": "Part 746",
                    "citation": pointer[row_iso],
                    "effect": "license_required",
                }
            )
        for r in rows_by_eccn.get(base, []):
            if para_applies(r["scope_kind"], r["paras"], para or None) == "no":
                continue
            rule = r["dest_rule"]
            hit = (
                (rule.startswith("col:") and rule[4:] in marks.get(row_iso, set()))
                or rule in ("worldwide", "see_text", "cwc_non_party")
                or (rule == "macau_d5" and (row_iso == "MO" or row_iso in d5))
                or (rule == "cn_ru_ve" and row_iso in ("CN", "RU", "VE"))
            )
            if hit:
                required = True
                reasons.append(
                    {
                        "step": "GP1",
                        "code": r["reason"],
                        "column": r["column"],
                        "citation": f"15 CFR 774 Supp. 1, ECCN {base}; 15 CFR {r['section']}",
                        "effect": "license_required",
                        "text": f"{r['reason']} control of {base}: {r['chart_text'][:240]}",
                    }
                )
        for a in effects[rkeys[as_of]]:
            s = a.effect.scope
            if a.effect.kind not in ("license_requirement", "prohibition") or s.parties or s.party_lists:
                continue
            item = (
                (not s.eccns and not s.products)
                or base in {x.split(".")[0] for x in s.eccns}
                or (product in s.products)
            )
            if item and (not s.destinations or dest in s.destinations) and not s.end_uses:
                if a.effect.kind == "prohibition":
                    banned = True
                required, le_ok = True, le_ok and bool(a.effect.exceptions_available)
                reasons.append(
                    {
                        "step": "GP5",
                        "code": a.effect.control_reason,
                        "measure": a.measure.id,
                        "effect": a.effect.verdict,
                        "citation": "; ".join(c.short() for c in a.measure.citations[:2]),
                        "text": a.effect.description,
                    }
                )
        key = " ".join("".join(ch if ch.isalnum() else " " for ch in party.lower()).split())
        lst = listed.get(key)
        if lst:
            reasons.append(
                {"step": "GP5", "code": lst, "effect": "listed", "text": f"'{party}' on the {lst}"}
            )
        if lst in ("DPL",):
            banned = True
        elif lst == "UVL":
            held = True
        elif lst in ("EL", "MEU"):
            required, le_ok = True, False
        limit = lvs.get(base)
        exception = (
            required and le_ok and limit is not None and value <= limit and "B" in groups.get(row_iso, set())
        )
        results.append(reasons)
        out.append(
            "prohibited"
            if banned
            else "hold"
            if held
            else "license_exception_available"
            if exception
            else "license_required"
            if required
            else "no_license_required"
        )
    return out


HAND_LOOP_SKIPS = (
    "chart footnotes (FN6 Russia/Belarus, FN7 India, FN10 firearms ...)",
    "control_removed dating of CCL rows (text not yet in force or not enforced on the date)",
    "dest rules beyond chart columns, worldwide, Macau/D:5 and China/Russia/Venezuela",
    "end-use, headquarters and exporting-country scoped measures",
    "measures naming parties, exception_change effects, review-policy notes",
    "list-level rules, listing dates (not yet listed / year-only holds), waivers",
    "Hong Kong before Dec 23, 2020 and unclassified-product holds",
    "GBS, ENC, ACA/NAC and the §740.2 / Part 746 exception restrictions (LVS only)",
)


def engine_loop(
    tx: pl.DataFrame, tables: EarTables, lists: pl.DataFrame, regimes: dict[int, Any]
) -> list[str]:
    """The same engine once per row, with only that row's regime: identical rules, no batching."""
    out: list[str] = []
    for i in range(tx.height):
        one = tx.slice(i, 1)
        rkey = int(one["rkey"][0])
        out.append(str(determine({rkey: regimes[rkey]}, tables, one, lists)["verdict"][0]))
    return out


def cpu_s() -> float:
    """CPU seconds of this process (its polars threads included)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def stream(args: argparse.Namespace, tables: EarTables, lists: pl.DataFrame) -> int:
    """A book too big to hold: written to Parquet chunk by chunk, then read back and determined chunk by
    chunk (results written as produced); peak memory and throughput at each mark, with the load."""
    import os
    import tempfile

    import pyarrow.parquet as pq

    work = Path(tempfile.mkdtemp(prefix="exportctl-determine-"))
    book, out = work / "book.parquet", work / "results.parquet"
    print(f"load before: {os.getloadavg()} on {os.cpu_count()} cores", flush=True)
    t0 = time.perf_counter()
    writer: Any = None
    for i, start in enumerate(range(0, args.rows, args.chunk)):
        part = synthetic(
            min(args.chunk, args.rows - start), tables, lists, args.dates, seed=i + 1, dates_seed=1
        )
        part = part.with_columns(pl.col("row") + start).to_arrow()
        writer = writer or pq.ParquetWriter(book, part.schema)
        writer.write_table(part)
    writer.close()
    print(
        f"book: {args.rows:,} rows written to Parquet in chunks of {args.chunk:,} in "
        f"{time.perf_counter() - t0:.1f} s; process peak {peak_mb():,.0f} MB",
        flush=True,
    )
    registry = load_registry()
    dates = _dates(args.dates)
    regimes = {i: compile_regime(registry, d) for i, d in enumerate(dates)}
    rkeys = {d: i for i, d in enumerate(dates)}
    marks = sorted(int(m) for m in args.marks.split(",") if int(m) <= args.rows)
    done, results = 0, None
    t1, c1 = time.perf_counter(), cpu_s()
    last = (0, t1, c1)
    first: tuple[float, float] | None = None  # the first stretch's rows/s and rows per CPU second
    for batch in pq.ParquetFile(book).iter_batches(batch_size=args.chunk):
        tx = pl.from_arrow(batch)
        assert isinstance(tx, pl.DataFrame)
        tx = tx.with_columns(rkey=pl.col("as_of").replace_strict(rkeys, return_dtype=pl.Int64))
        got = determine(regimes, tables, tx, lists).select("row", "verdict", "license_required")
        arrow = got.to_arrow()
        results = results or pq.ParquetWriter(out, arrow.schema)
        results.write_table(arrow)
        done += tx.height
        while marks and done >= marks[0]:
            now, cpu = time.perf_counter(), cpu_s()
            mark = marks.pop(0)
            rate, per_cpu = (done - last[0]) / (now - last[1]), (done - last[0]) / max(cpu - last[2], 1e-9)
            first = first or (rate, per_cpu)
            print(
                f"streamed {mark:>11,} rows: {now - t1:7.1f} s, {mark / (now - t1):,.0f} rows/s overall, "
                f"{rate:,.0f} rows/s since the last mark ({rate / first[0]:.2f}x the first stretch's; per "
                f"CPU second {per_cpu / first[1]:.2f}x); process peak {peak_mb():,.0f} MB, resident now "
                f"{rss_mb():,.0f} MB; load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            last = (done, now, cpu)
    if results is not None:
        results.close()
    print(f"load after: {os.getloadavg()}")
    return 0


def _dates(n_dates: int) -> list[dt.date]:
    """The dates `synthetic` draws with dates_seed=1."""
    rng = random.Random(1)
    start = dt.date(2019, 1, 1)
    return sorted({start + dt.timedelta(days=rng.randrange(0, 2500)) for _ in range(n_dates)})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--loop-rows", type=int, default=None, help="rows for the per-row loop (default: all)")
    ap.add_argument("--dates", type=int, default=120, help="distinct dates in the batch")
    ap.add_argument(
        "--engine-loop-rows", type=int, default=300, help="rows for the engine-per-row loop (a sample)"
    )
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--hold", type=int, default=1_000_000, help="more rows than this are streamed")
    ap.add_argument("--chunk", type=int, default=250_000, help="rows per chunk when streaming")
    ap.add_argument("--marks", default="1000000,5000000,10000000", help="where a stream prints its peak")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    tables, lists = load(args.shared)
    if args.rows > args.hold:
        return stream(args, tables, lists)
    registry = load_registry()
    tx = synthetic(args.rows, tables, lists, args.dates)
    print(
        f"setup: {tx.height:,} transactions, {tx['as_of'].n_unique()} dates, "
        f"{time.perf_counter() - t0:.1f} s; process peak {peak_mb():,.0f} MB",
        flush=True,
    )

    t1 = time.perf_counter()
    dates = sorted(tx["as_of"].unique().to_list())
    regimes = {i: compile_regime(registry, d) for i, d in enumerate(dates)}
    rkeys = {d: i for i, d in enumerate(dates)}
    batch_tx = tx.with_columns(rkey=pl.col("as_of").replace_strict(rkeys, return_dtype=pl.Int64))
    out = determine(regimes, tables, batch_tx, lists)
    batch_s = time.perf_counter() - t1
    batch_rate = tx.height / batch_s
    print(
        f"batch engine: {tx.height:,} rows in {batch_s:.1f} s = {batch_rate:,.0f} rows/s "
        f"(incl. compiling {len(regimes)} regimes); process peak {peak_mb():,.0f} MB",
        flush=True,
    )

    n_eng = min(args.engine_loop_rows, tx.height)
    t3 = time.perf_counter()
    eng = engine_loop(batch_tx.head(n_eng), tables, lists, regimes)
    eng_s = time.perf_counter() - t3
    eng_rate = n_eng / eng_s
    eng_same = sum(a == b for a, b in zip(eng, out["verdict"].head(n_eng).to_list(), strict=True))
    print(
        f"engine loop (same rules, one row at a time): {n_eng:,} rows in {eng_s:.1f} s = "
        f"{eng_rate:,.1f} rows/s; agreement with the batch {eng_same / n_eng:.1%}; "
        f"process peak {peak_mb():,.0f} MB",
        flush=True,
    )
    print(
        f"ratio batch / engine loop (equal work): {batch_rate / eng_rate:,.0f}x "
        "(per call, the engine's fixed cost - list keys over the whole CSL, effect frames - dominates)"
    )

    n_loop = min(args.loop_rows or tx.height, tx.height)
    sub = tx.head(n_loop)
    t2 = time.perf_counter()
    got = loop(sub, tables, lists, regimes, rkeys)
    loop_s = time.perf_counter() - t2
    loop_rate = n_loop / loop_s
    print(
        f"hand loop (plain Python, LESS work): {n_loop:,} rows in {loop_s:.1f} s = "
        f"{loop_rate:,.0f} rows/s; process peak {peak_mb():,.0f} MB",
        flush=True,
    )
    print("  the hand loop skips: " + "; ".join(HAND_LOOP_SKIPS))
    same = sum(a == b for a, b in zip(got, out["verdict"].head(n_loop).to_list(), strict=True))
    print(f"ratio batch / hand loop (unequal work: the loop does less): {batch_rate / loop_rate:.1f}x")
    print(f"hand loop agreement with the batch: {same / n_loop:.1%} (differences are the skipped rules)")
    print(f"verdicts: {dict(out.group_by('verdict').len().iter_rows())}")
    verdict_1m = "n/a" if tx.height < 1_000_000 else ("yes" if batch_s < 60 else "no")
    print("one million under a minute: " + verdict_1m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
