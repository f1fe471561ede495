"""Screening speed: 100,000 query names (mutated real list names plus non-matching company and person
names) against the full CSL plus the OFAC SDN list, for exportctl, a rapidfuzz brute-force baseline
(process.extract over every list name) and nomenklatura logic-v2 behind rapidfuzz retrieval, in one run;
logic-v2 also screens a sample of the same clean person names, for its false-alert rate beside ours.

    .venv/bin/python bench/screening_speed.py [--queries 100000] [--workers 2] [--rf-sample 200]
        [--nk-sample 40] [--nk-clean 1000] [--single 500]

Prints names per second (wall clock, index build included for exportctl) and the ratios, and the latency of
one name screened alone (warm: index built, other names screened before; median and p99) beside a rapidfuzz
scan of every listed name for that name in the same process; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import resource
import time

import polars as pl
from screening_common import (
    NomenklaturaBaseline,
    RapidfuzzBaseline,
    build_index,
    list_table,
    load_tables,
    mutated_set,
    recall_at_1,
    sample,
)

from exportctl.engine.screening import (
    DEFAULT_THRESHOLD,
    MATCHER_VERSION,
    ScreeningIndex,
    clear_caches,
    screen,
)

FIRST = """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard
Susan
Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Sandra
Mark Ashley Donald Kimberly Steven Emily Andrew Donna Paul Michelle Joshua Carol Kenneth Amanda
Kevin Melissa Brian Deborah George Stephanie Timothy Rebecca Ronald Laura Jason Helen Edward Sharon
Jeffrey Cynthia Ryan Kathleen Jacob Amy Gary Angela Nicholas Anna Eric Brenda Jonathan Emma Stephen
Pamela Larry Nicole Justin Samantha Scott Katherine Brandon Christine Benjamin Debra Samuel Rachel
Gregory Carolyn Alexander Janet Patrick Maria Frank Olivia Raymond Heather Lukas Sofia Mateo Chiara
Hiroshi Yuki Priya Arjun Ingrid Lars Aoife Ciaran Dmitri Olga Kwame Ama Thabo Zanele""".split()  # noqa: SIM905
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker
Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper
Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James
Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez
Lindqvist Okafor Mensah Tanaka Suzuki Rossi Bianchi Novak Kowalski Dubois Lefebvre Schmidt Weber
Fischer Becker Jansen Visser Murray Byrne Ivanova Haddad Nakamura Yamamoto Papadopoulos Andersen""".split()  # noqa: SIM905
COMPANY = """Acme Apex Summit Harbor Meadow Cedar Willow Granite Silver Maple Orchard Beacon Pioneer Horizon
Evergreen Riverside Lakeside Northfield Southgate Westbrook Eastwood Highland Valley Prairie Coastal
Alpine Crescent Sterling Liberty Heritage Keystone Landmark Monarch Oakridge Pinnacle Redwood
Sapphire Sunrise Trinity Vanguard Bluebird Copperfield Driftwood Foxglove Goldcrest Hawthorn
Ironwood Juniper Kingfisher Larkspur Marigold Nightingale Bakery Dairy Textiles Furniture Plumbing
Roofing Logistics Foods Farms Printing Optics Ceramics Tools Motors Paper Apparel Cosmetics Brewing
Coffee Garden Pets Toys Books Music Dental Clinic Studio Design Media""".split()  # noqa: SIM905
FORMS = [
    "LLC",
    "Inc.",
    "Ltd",
    "GmbH",
    "S.A.",
    "B.V.",
    "Pty Ltd",
    "Co.",
    "Corporation",
    "AG",
    "SARL",
    "Oy",
    "",
]


def clean_names(n: int, seed: int = 11) -> tuple[list[str], list[str]]:
    """Synthetic person and company names (two or three words) that are on no list, and their types."""
    rng = random.Random(seed)
    out, types = [], []
    for i in range(n):
        if i % 2:
            middle = f" {rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.3 else ""
            out.append(f"{rng.choice(FIRST)}{middle} {rng.choice(LAST)}")
            types.append("person")
        else:
            words = " ".join(rng.sample(COMPANY, rng.choice((2, 2, 3))))
            out.append(f"{words} {rng.choice(FORMS)}".strip())
            types.append("entity")
    return out, types


def single_latency(
    index: ScreeningIndex, lists: pl.DataFrame, n: int, rf: RapidfuzzBaseline
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Seconds (wall clock, then CPU) to screen each of `n` fresh names alone (mutated list names and clean
    names the batch did not screen, after a warm-up), and those of a rapidfuzz extractOne (ratio) over every
    listed name for each."""
    from rapidfuzz import fuzz, process, utils

    mutated = mutated_set(index.entries, per_kind=n // 26 + 1, seed=23).head(n // 2)
    clean, types = clean_names(n - mutated.height + 20, seed=29)
    entry_types = index.entries["type"].to_list()
    names = mutated["name"].to_list() + clean[20:]
    kinds = [entry_types[e] or "" for e in mutated["entry"].to_list()] + types[20:]
    # Warm-up; a comma sends a name through name_part's territory lookup, whose table rigour builds once.
    for name, kind in [*zip(clean[:20], types[:20], strict=True), ("Doe, John, Springfield", "person")]:
        screen(index, pl.DataFrame({"name": [name], "type": [kind]}))
    ours, base, ours_cpu, base_cpu = [], [], [], []
    rf.extract("warm up")
    processed = rf._processed
    for name, kind in zip(names, kinds, strict=True):
        frame = pl.DataFrame({"name": [name], "type": [kind]})
        t0, c0 = time.perf_counter(), time.process_time()
        screen(index, frame)
        ours.append(time.perf_counter() - t0)
        ours_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        process.extractOne(utils.default_process(name), processed, scorer=fuzz.ratio, processor=None)
        base.append(time.perf_counter() - t0)
        base_cpu.append(time.process_time() - c0)
    return ours, base, ours_cpu, base_cpu


def _ms(values: list[float], q: float) -> float:
    return 1000 * sorted(values)[min(len(values) - 1, int(q * len(values)))]


_NK: NomenklaturaBaseline | None = None  # what forked workers read


def _nk_alerted(name: str) -> bool:
    assert _NK is not None
    return any(score >= DEFAULT_THRESHOLD for _, score in _NK.screen(name, "Person"))


def _nk_alerts(nk: NomenklaturaBaseline, names: list[str], workers: int) -> int:
    """How many names logic-v2 alerts on (forked workers share the baseline's index)."""
    global _NK
    _NK = nk
    try:
        if workers <= 1 or "fork" not in mp.get_all_start_methods():
            return sum(map(_nk_alerted, names))
        with mp.get_context("fork").Pool(workers) as pool:
            return sum(pool.map(_nk_alerted, names, chunksize=10))
    finally:
        _NK = None


def main() -> None:
    """Run the benchmark."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--rf-sample", type=int, default=200)
    ap.add_argument("--nk-sample", type=int, default=40)
    ap.add_argument(
        "--nk-clean",
        type=int,
        default=1000,
        help="clean person names logic-v2 screens",
    )
    ap.add_argument("--single", type=int, default=500, help="names screened one at a time for latency")
    args = ap.parse_args()

    tables = load_tables(sdn=True, extra=False)  # the full CSL plus the OFAC SDN list
    lists = list_table(tables)
    mutated_n = args.queries // 2
    probe = build_index(lists)  # only to draw the mutated names; not timed
    mutated = mutated_set(probe.entries, per_kind=mutated_n // 13 + 1).head(mutated_n)
    clean, clean_types = clean_names(args.queries - mutated.height)
    names = mutated["name"].to_list() + clean
    entry_types = probe.entries["type"].to_list()
    types = [entry_types[e] or "" for e in mutated["entry"].to_list()] + clean_types
    random.Random(5).shuffle(order := list(range(len(names))))
    # A parties file knows whether a party is a person or a company: the type column is passed on.
    queries = pl.DataFrame({"name": [names[i] for i in order], "type": [types[i] for i in order]})
    del probe
    clear_caches()  # the timed run starts cold, as a fresh process would: drawing the names warmed them
    print(
        f"{len(names):,} queries: {mutated.height:,} mutated list names + {len(clean):,} clean names; "
        f"lists: {lists.height:,} entries (CSL + OFAC SDN); {args.workers} worker(s), "
        f"{os.cpu_count()} cores; "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )

    start = time.perf_counter()
    cpu0 = time.process_time()
    index = build_index(lists, workers=args.workers)  # its names cleaned on the same cores
    built = time.perf_counter() - start
    hits = screen(index, queries, DEFAULT_THRESHOLD, workers=args.workers)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_all = cpu + kids.ru_utime + kids.ru_stime  # the workers' CPU too: a figure other load leaves alone
    ours = len(names) / total
    print(
        f"\nexportctl {MATCHER_VERSION}: index build {built:.2f}s ({index.stats.as_dict()}), "
        f"screen {total - built:.2f}s; whole run {total:.2f}s = {ours:,.0f} names/s "
        f"(screening alone {len(names) / (total - built):,.0f}/s); parent CPU {cpu:.1f}s; "
        f"peak RSS {rss:,.0f} MB"
    )
    print(
        f"  CPU of the whole run, workers included: {cpu_all:.1f}s = {len(names) / cpu_all:,.0f} names per "
        f"CPU-second (x{args.workers} cores: {args.workers * len(names) / cpu_all:,.0f} names/s when idle)"
    )
    print(f"  {hits.height:,} hits on {hits['qid'].n_unique():,} queries")
    inverse = {pos: i for i, pos in enumerate(order)}
    mutated_qids = pl.DataFrame(
        {"qid": [inverse[i] for i in range(mutated.height)], "_m": list(range(mutated.height))}
    )
    mhits = hits.join(mutated_qids, on="qid").with_columns(pl.col("_m").alias("qid"))
    rec = recall_at_1(index, mhits, mutated)
    found = sum(f for f, _ in rec.values())
    print(
        f"  recall@1 on the mutated part: {found / mutated.height:.3f} "
        + " ".join(f"{k}={f / t:.2f}" for k, (f, t) in rec.items())
    )
    clean_qids = {inverse[i] for i in range(mutated.height, len(names))}
    alerted = set(hits.filter(pl.col("qid").is_in(list(clean_qids)))["qid"].to_list())
    best_hit = hits.sort("score", descending=True).unique("qid", keep="first")
    alerted_names = {
        queries["name"][q]: matched
        for q, matched in best_hit.select("qid", "matched_name").iter_rows()
        if q in alerted
    }
    for kind in ("person", "entity"):
        kq = {inverse[i] for i in range(mutated.height, len(names)) if types[i] == kind}
        n_alert = len(alerted & kq)
        print(
            f"  alerts on clean {kind} names: {n_alert} of {len(kq):,} = "
            f"{1000 * n_alert / max(len(kq), 1):.1f} per 1,000"
        )

    rf = RapidfuzzBaseline(lists)
    if args.single:
        ours_s, base_s, ours_c, base_c = single_latency(index, lists, args.single, rf)
        for label, a, b in (("wall clock", ours_s, base_s), ("CPU", ours_c, base_c)):
            print(
                f"\nsingle name, warm ({len(a)} fresh names, one screen() each), {label}: median "
                f"{_ms(a, 0.5):.2f} ms, p99 {_ms(a, 0.99):.2f} ms; rapidfuzz extractOne(ratio) over "
                f"{len(rf.choices):,} names for the same names: median {_ms(b, 0.5):.2f} ms, p99 "
                f"{_ms(b, 0.99):.2f} ms (ratio of medians x{_ms(b, 0.5) / max(_ms(a, 0.5), 1e-9):.1f})"
            )
    picked = sample(names, args.rf_sample)
    t0 = time.perf_counter()
    rf_alerts = 0
    clean_set = set(clean)
    for n in picked:
        got = rf.screen(n, limit=10, cutoff=90.0)
        rf_alerts += bool(got) and n in clean_set
    rf_rate = len(picked) / (time.perf_counter() - t0)
    n_clean = sum(1 for n in picked if n in clean_set)
    print(
        f"\nrapidfuzz brute force (process.extract WRatio over {len(rf.choices):,} names, cutoff 90), "
        f"sample of {len(picked)}: {rf_rate:,.1f} names/s; alerts on clean names {rf_alerts} of {n_clean} "
        f"= {1000 * rf_alerts / max(n_clean, 1):.0f} per 1,000"
    )

    nk = NomenklaturaBaseline(lists)
    picked = sample(names, args.nk_sample, seed=9)
    t0 = time.perf_counter()
    for n in picked:
        nk.screen(n)
    nk_rate = len(picked) / (time.perf_counter() - t0)
    print(
        f"nomenklatura logic-v2 behind rapidfuzz top-{nk.candidates}, sample of {len(picked)}: "
        f"{nk_rate:,.1f} names/s"
    )
    persons = [n for n, kind in zip(clean, clean_types, strict=True) if kind == "person"]
    picked = sample(persons, args.nk_clean, seed=13)
    if picked:
        t0 = time.perf_counter()
        alerts = _nk_alerts(nk, picked, args.workers)
        rate = len(picked) / (time.perf_counter() - t0)
        ours_on_sample = [name for name in picked if name in alerted_names]
        print(
            f"logic-v2 on {len(picked):,} of the same clean person names (threshold {DEFAULT_THRESHOLD}): "
            f"{alerts} alerted = {1000 * alerts / len(picked):.1f} per 1,000 ({rate:.1f} names/s with "
            f"{args.workers} workers); exportctl on those names: {len(ours_on_sample)} = "
            f"{1000 * len(ours_on_sample) / len(picked):.1f} per 1,000"
        )
        # Does logic-v2's scorer agree with those alerts? (Its lower rate may come from its retrieval.)
        pairs = [(n, alerted_names[n]) for n in ours_on_sample]
        agree = [(a, b, round(nk.pair(a, b, "Person"), 3)) for a, b in pairs]
        print(
            f"  logic-v2's own score of exportctl's {len(agree)} pairs there: "
            f"{sum(s >= DEFAULT_THRESHOLD for *_, s in agree)} at or above {DEFAULT_THRESHOLD}: {agree}"
        )
    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"\nratios (whole exportctl run incl. index build): x{ours / rf_rate:,.0f} rapidfuzz brute force, "
        f"x{ours / nk_rate:,.0f} logic-v2"
    )


if __name__ == "__main__":
    main()
