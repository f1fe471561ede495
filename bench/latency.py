"""Benchmark: single answers, warm, in process - the path of `exportctl.check(...)`, `screen`, `tariff`.

Prints the median and p99 of warm single determinations (no party; one party; a question asked again,
answered from the answers kept per Context; a new question each call, answered from a kept block of
neighbours or with a new one, ops/neighbours.py; the first question of a new block each call, beside the
same questions answered alone: a day before the last asked, so answered from a kept day of its span when
one lends, ops/day_spans.py; a new question on a day of a span never asked, always computed, as a block
and alone; a new question naming a product beside its ECCN), the one read of the day spans, a known
question with a new consignee each call and a new question with one (ops/clean_parties.py), single
screenings of one name and single tariff lookups, beside the cold first call of each measured in the same
process, and the ratio of a single determination to the per-row cost of a 100,000-row batch run in the
same process on the same data (goal: <= 200): every single check to the plain batch's row (no party), and
the checks naming a party also to the row of the same batch with a consignee on every row (--parties
distinct names, 1 in 20 listed, as bench/book.py's book; fuzzy screening on, the default), the batch a
question with a party is the single form of. Every figure is printed with `os.getloadavg()`; nothing is
asserted.

    .venv/bin/python bench/latency.py [--calls 200] [--rows 100000] [--parties 20000] [--parties-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import timing  # bench/timing.py beside this script
from book_data import party_names  # bench/book_data.py: the consignees of bench/book.py's book

import exportctl
from exportctl.engine.tariff.hts import dotted
from exportctl.ops.check import check_table
from exportctl.ops.warm import shared_context
from exportctl.store import active_dataset

DAY = dt.date(2025, 6, 1)
DESTS = ["CN", "HK", "NL", "DE", "IN", "AE", "RU", "JP", "KR", "TW", "SG", "MX", "BR", "TR", "GB", "FR"]


def _times(call: Callable[[int], Any], n: int) -> tuple[float, list[float]]:
    """(cold first call in s, n warm calls in s)."""
    t = time.perf_counter()
    call(0)
    cold = time.perf_counter() - t
    call(1)
    warm = []
    for i in range(n):
        t = time.perf_counter()
        call(i)
        warm.append(time.perf_counter() - t)
    return cold, warm


def _line(label: str, cold: float, warm: list[float]) -> float:
    med = statistics.median(warm)
    print(
        f"{label:<34} cold {cold * 1e3:9.1f} ms   warm median {med * 1e3:8.2f} ms   p99 "
        f"{timing.p99(warm) * 1e3:8.2f} ms   (n={len(warm)}, load {timing.load()})"
    )
    return med


def _batch(rows: int, eccns: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "eccn": [eccns[i % len(eccns)] for i in range(rows)],
            "destination": [DESTS[i % len(DESTS)] for i in range(rows)],
            "as_of": [DAY.isoformat()] * rows,
        }
    )


def _with_parties(book: pl.DataFrame, parties: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the book with a consignee on every row, drawn from `parties` distinct names as bench/book.py's
    book draws them: about 1 in 20 a listed name of the active screening lists, some misspelt; its first
    1,000 rows with 1,000 other names, to warm the path without screening the book's names before it)."""
    from exportctl.ops.warm import shared_context

    lists = shared_context().us_lists()
    listed = [] if lists is None else lists.filter(pl.col("list").is_in(["EL", "MEU", "UVL", "DPL", "SDN"]))
    names = party_names(parties + 1000, [] if lists is None else listed["name"].to_list())
    rows = [names[(i * 7919) % parties] for i in range(book.height)]
    warm = book.head(1000)
    return (
        book.with_columns(ultimate_consignee=pl.Series(rows, dtype=pl.Utf8)),
        warm.with_columns(
            ultimate_consignee=pl.Series(names[parties : parties + warm.height], dtype=pl.Utf8)
        ),
    )


def _per_row(label: str, book: pl.DataFrame, warm: pl.DataFrame) -> float:
    """Seconds per row of check_table on `book` (after one on `warm`), printed."""
    check_table(warm)  # warm the batch path too
    t = time.perf_counter()
    out = check_table(book)
    took = time.perf_counter() - t
    per_row = took / out.height
    print(
        f"{label} of {out.height:,} rows: {took:.2f} s, {per_row * 1e6:.1f} us per row (load {timing.load()})"
    )
    return per_row


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--parties", type=int, default=20_000, help="distinct consignees of the party batch")
    parser.add_argument(
        "--parties-only", action="store_true", help="stop after the lines of single checks with parties"
    )
    args = parser.parse_args()
    print(f"load at start: {timing.load()} (cores: {os.cpu_count()})")
    n = args.calls

    def plain(_i: int) -> Any:
        return exportctl.check(eccn="3A090", destination="CN", as_of=DAY)

    def party(_i: int) -> Any:
        return exportctl.check(eccn="3A090", destination="CN", as_of=DAY, parties=["Huawei Technologies"])

    def screen(_i: int) -> Any:
        return exportctl.screen(["Huawei Technologies"])

    ds = active_dataset()
    hts = [dotted(c) for c in ds.table("hts").filter(pl.col("level") == 10)["hts"].head(200).to_list()]

    def tariff(i: int) -> Any:
        return exportctl.tariff(hts[i % len(hts)], "CN", DAY)

    # a question asked again is answered from the answers kept per Context (ops/check_single.py); a new
    # question (ECCN x destination never asked in this process) runs the one batch path on one row
    eccns = [e for e in ds.table("ccl")["eccn"].unique().sort().to_list() if e][:400] or ["3A090"]
    fresh = iter([(e, d) for e in eccns for d in DESTS if (e, d) != ("3A090", "CN")])

    def new_question(_i: int) -> Any:
        eccn, dest = next(fresh)
        return exportctl.check(eccn=eccn, destination=dest, as_of=DAY)

    def new_with_party(_i: int) -> Any:
        eccn, dest = next(fresh)
        return exportctl.check(eccn=eccn, destination=dest, as_of=DAY, parties=["Huawei Technologies"])

    # a question on a day never asked: no kept block holds it, so each call computes: alone, the first
    # question of its day span's rest, or a new block from the rest's second miss on (ops/neighbours)
    # or, with neighbours=False, one row alone through the batch path
    days = iter([DAY - dt.timedelta(days=i) for i in range(1, 4 * n + 100)])

    # the inline ERP case: a known question with a consignee never asked on every call (clean Faker
    # company names), then a new question with a new consignee (ops/clean_parties.py)
    from faker import Faker

    fake = Faker()
    Faker.seed(1)
    consignees = iter([fake.company() for _ in range(4 * n + 100)])

    def known_new_party(_i: int) -> Any:
        return exportctl.check(eccn="5A992", destination="DE", as_of=DAY, parties=[next(consignees)])

    def new_party_question(_i: int) -> Any:
        eccn, dest = next(fresh)
        return exportctl.check(eccn=eccn, destination=dest, as_of=DAY, parties=[next(consignees)])

    def new_product(_i: int) -> Any:
        # a product named beside the ECCN, never asked before (one in four of a realistic book's rows)
        eccn, dest = next(fresh)
        return exportctl.check(eccn=eccn, product=f"{eccn} module {_i}", destination=dest, as_of=DAY)

    def first_of_block(_i: int) -> Any:
        return exportctl.check(eccn="3A090", destination="CN", as_of=next(days))

    def first_alone(_i: int) -> Any:
        return exportctl.check(eccn="3A090", destination="CN", as_of=next(days), neighbours=False)

    # a new question on a day of a span never asked (ops/day_spans.py): no answer is kept for its day or
    # another day of its span, so each call computes (the first question of a span alone, ops/neighbours)
    t = time.perf_counter()
    spans = shared_context().day_spans()
    print(f"day spans read once per process: {(time.perf_counter() - t) * 1e3:.0f} ms (load {timing.load()})")
    spans_asked: set[int] = set()

    def far_days() -> Iterator[dt.date]:
        day = DAY - dt.timedelta(days=400)
        while True:
            day -= dt.timedelta(days=1)
            if spans.span(day) not in spans_asked:
                spans_asked.add(spans.span(day))
                yield day

    far = far_days()

    def new_day_block(_i: int) -> Any:
        eccn, dest = next(fresh)
        return exportctl.check(eccn=eccn, destination=dest, as_of=next(far))

    def new_day_alone(_i: int) -> Any:
        eccn, dest = next(fresh)
        return exportctl.check(eccn=eccn, destination=dest, as_of=next(far), neighbours=False)

    single = _line("check, no party (asked again)", *_times(plain, n))
    party_again = _line("check, one party (asked again)", *_times(party, n))
    new = _line("check, a new question each call", *_times(new_question, n))
    new_party = _line("check, new question, one party", *_times(new_with_party, max(20, n // 2)))
    new_party_known = _line("check, a new party each call", *_times(known_new_party, n))
    new_both = _line("check, new party and new question", *_times(new_party_question, max(20, n // 2)))
    if args.parties_only:
        return
    _line("check, new question, a product", *_times(new_product, max(20, n // 2)))
    _line("check, first of a new block", *_times(first_of_block, max(20, n // 4)))
    _line("  the same, alone (neighbours=False)", *_times(first_alone, max(20, n // 4)))
    _line("check, new question, new day span", *_times(new_day_block, max(20, n // 4)))
    _line("  the same, alone (new span)", *_times(new_day_alone, max(20, n // 4)))
    _line("screen, one name", *_times(screen, max(20, n // 4)))
    _line("tariff lookup", *_times(tariff, n))

    book = _batch(args.rows, eccns)
    per_row = _per_row("plain batch (no party)", book, book.head(1000))
    party_row = _per_row("party batch (a consignee on every row, fuzzy)", *_with_parties(book, args.parties))
    print(
        f"single check / plain batch row: {single / per_row:.0f} asked again, {party_again / per_row:.0f} "
        f"asked again with a party, {new / per_row:.0f} new question, {new_party / per_row:.0f} new with a "
        "party (goal <= 200)\n"
        f"single check with a party / party batch row: {party_again / party_row:.1f} asked again, "
        f"{new_party / party_row:.1f} new question, {new_party_known / party_row:.1f} a new party, "
        f"{new_both / party_row:.1f} new party and new question (goal <= 200)"
    )


if __name__ == "__main__":
    main()
