"""Screening quality, for exportctl and nomenklatura logic-v2 (behind rapidfuzz retrieval) in the same run.

DEV sets (../shared/data/screening-bench; the matcher is tuned on these): labelled pairs (nomenklatura name
bench), false alerts (US Congress against the full CSL), recall@1 on mutated real list names.
HELD-OUT sets (bench/heldout; nobody tunes on these): UN-listed persons clean and mutated, cross-script pairs,
one person in many spellings, clean names in many scripts; per set, per script and per mutation kind.

    .venv/bin/python bench/screening_quality.py [--only dev|heldout] [--limit N] [--sealed]
        [--per-kind 150] [--baseline-sample 120] [--nk-sample 60] [--workers 2] [--no-baseline]

Prints figures and sample sizes; asserts nothing (the floors are asserted by tests/engine/screening on small
fixed sets; tests/bench checks the held-out files' schema).
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections import defaultdict

import polars as pl
from screening_common import (
    BENCH,
    REPO,
    NomenklaturaBaseline,
    build_index,
    homonym_only,
    list_table,
    load_tables,
    mutated_set,
    prf,
    recall_at_1,
    sample,
)
from screening_heldout import HeldoutRun

from exportctl.engine.screening import DEFAULT_THRESHOLD, MATCHER_VERSION, score_names, screen

NK_THRESHOLD = 0.7  # logic-v2's threshold in the frozen run


def pairs_bench(index, baseline: NomenklaturaBaseline | None) -> None:  # type: ignore[no-untyped-def]
    """F1 on the 826 labelled pairs, per group, beside the frozen logic-v2 scores."""
    rows = list(csv.DictReader((BENCH / "nk_name_bench_cases.csv").open(encoding="utf-8")))
    frozen = {
        (r["case_group"], r["name1"], r["name2"]): r
        for r in csv.DictReader((BENCH / "nk_name_bench_logicv2_frozen_scores.csv").open(encoding="utf-8"))
    }
    ours: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    theirs: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    strong_wrong = []
    start = time.perf_counter()
    for r in rows:
        gold = r["is_match"] == "true"
        s = score_names(index, r["name1"], r["name2"])
        pred = s.score >= DEFAULT_THRESHOLD
        for g in (r["case_group"], "ALL"):
            c = ours[g]
            c[0 if pred and gold else 1 if pred else 2 if gold else 3] += 1
        if r["quality"] == "STRONG" and pred != gold:
            strong_wrong.append((r["name1"], r["name2"], gold, round(s.score, 3), s.explain()))
        f = frozen.get((r["case_group"], r["name1"], r["name2"]))
        if f is not None:
            fpred = float(f["score"]) >= NK_THRESHOLD
            for g in (r["case_group"], "ALL"):
                c = theirs[g]
                c[0 if fpred and gold else 1 if fpred else 2 if gold else 3] += 1
    seconds = time.perf_counter() - start
    print(
        f"\n== Labelled pairs: {len(rows)} cases, threshold {DEFAULT_THRESHOLD} ({MATCHER_VERSION}); "
        f"logic-v2 frozen scores at {NK_THRESHOLD} ({sum(theirs['ALL'])} cases with a frozen score)"
    )
    print(
        f"{'group':16} {'n':>4} {'P':>6} {'R':>6} {'F1':>6} | "
        f"{'n':>4} {'P(v2)':>6} {'R(v2)':>6} {'F1(v2)':>6}"
    )
    for g in sorted(ours, key=lambda k: (k == "ALL", k)):
        p, rc, f = prf(ours[g][0], ours[g][1], ours[g][2])
        bp, br, bf = prf(theirs[g][0], theirs[g][1], theirs[g][2])
        print(
            f"{g:16} {sum(ours[g]):>4} {p:6.3f} {rc:6.3f} {f:6.3f} | "
            f"{sum(theirs[g]):>4} {bp:6.3f} {br:6.3f} {bf:6.3f}"
        )
    print(f"STRONG cases wrong: {len(strong_wrong)} of {sum(1 for r in rows if r['quality'] == 'STRONG')}")
    for item in strong_wrong:
        print("   ", item)
    print(f"pair scoring: {len(rows) / seconds:,.0f} pairs/s")


def false_alerts(index, baseline: NomenklaturaBaseline | None, baseline_n: int) -> None:  # type: ignore[no-untyped-def]
    """US Congress members screened against the full CSL: alerts per 1,000 names."""
    names = [r["full_name"] for r in csv.DictReader((BENCH / "yente_us_congress_untreated.csv").open())]
    q = pl.DataFrame({"name": names, "type": ["person"] * len(names)})
    hits = screen(index, q, DEFAULT_THRESHOLD)
    alerted = hits["qid"].n_unique()
    print(
        f"\n== False alerts: {len(names)} US Congress names against the full CSL "
        f"({index.entries.height:,} entries)"
    )
    print(f"exportctl: {alerted} names alerted = {1000 * alerted / len(names):.1f} per 1,000")
    for row in hits.sort("score", descending=True).unique("qid", keep="first").head(12).iter_rows(named=True):
        print(
            f"    {row['query']!r} -> {row['matched_name']!r} ({row['list']}) {row['score']:.3f}: "
            f"{row['explanation']}"
        )
    if baseline is not None:
        picked = sample(names, baseline_n)
        start = time.perf_counter()
        n_alert = sum(1 for n in picked if any(s >= NK_THRESHOLD for _, s in baseline.screen(n, "Person")))
        secs = time.perf_counter() - start
        print(
            f"logic-v2 (rapidfuzz top-{baseline.candidates} retrieval), sample of {len(picked)}: "
            f"{n_alert} alerted "
            f"= {1000 * n_alert / len(picked):.1f} per 1,000 ({len(picked) / secs:.1f} names/s)"
        )


def dev_clean(index, file: str = "dev_clean_names.csv", what: str = "Faker") -> None:  # type: ignore[no-untyped-def]
    """Clean names (bench/data/dev_clean_names.csv, Faker seed 12, 11 scripts; dev_clean_nd_names.csv,
    names-dataset frequencies, 7 languages): alerts per 1,000, per locale and type, with the first alerts
    and why (dev sets: their misses may be read)."""
    path = REPO / "bench" / "data" / file
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    queries = pl.DataFrame({"name": [r["query"] for r in rows], "type": [r["type"] for r in rows]})
    hits = screen(index, queries)
    alerted = set(hits["qid"].to_list())
    review = homonym_only(hits)
    n: dict[str, int] = defaultdict(int)
    got: dict[str, int] = defaultdict(int)
    band: dict[str, int] = defaultdict(int)
    for i, r in enumerate(rows):
        for g in (f"{r['lang']} {r['type']}", "ALL"):
            n[g] += 1
            got[g] += i in alerted
            band[g] += i in review
    print(
        f"\n== Dev clean names ({len(rows)}, {what}): alerts per 1,000 against the full lists "
        "(every alert counts; 'of which homonym': every hit marked homonym review, in the count)"
    )
    for g in sorted(n, key=lambda k: (k == "ALL", k)):
        print(
            f"  {g:16} {n[g]:5} {1000 * got[g] / n[g]:7.1f}   of which homonym {1000 * band[g] / n[g]:6.1f}"
        )
    best = hits.sort("score", descending=True).unique("qid", keep="first").sort("score", descending=True)
    for row in best.head(12).iter_rows(named=True):
        print(f"    {row['query']!r} -> {row['matched_name']!r} {row['score']:.3f}: {row['explanation']}")


def recall(index, baseline: NomenklaturaBaseline | None, per_kind: int, baseline_per_kind: int) -> None:  # type: ignore[no-untyped-def]
    """Recall@1 of mutated real list names, per mutation kind."""
    queries = mutated_set(index.entries, per_kind)
    start = time.perf_counter()
    hits = screen(index, queries.select("name"), DEFAULT_THRESHOLD)
    secs = time.perf_counter() - start
    got = recall_at_1(index, hits, queries)
    base: dict[str, tuple[int, int]] = {}
    bsecs = 0.0
    if baseline is not None:
        lst = index.entries["list"].to_list()
        eids = index.entries["entity_id"].to_list()
        names = index.entries["name"].to_list()
        start = time.perf_counter()
        for kind in got:
            sub = queries.filter(pl.col("kind") == kind).head(baseline_per_kind)
            ok = 0
            for name, entry in sub.select("name", "entry").iter_rows():
                res = baseline.screen(name)
                if res and res[0][1] >= NK_THRESHOLD:
                    top = res[0][1]
                    tied = {e for e, s in res if s >= top - 1e-9}
                    ok += any(
                        (lst[e], eids[e]) == (lst[entry], eids[entry]) or names[e] == names[entry]
                        for e in tied
                    )
            base[kind] = (ok, sub.height)
        bsecs = time.perf_counter() - start
    total = sum(t for _, t in got.values())
    found = sum(f for f, _ in got.values())
    print(
        f"\n== Recall@1 on {total} mutated real list names (CSL + OFAC SDN + consolidated + China lists), "
        f"threshold {DEFAULT_THRESHOLD}"
    )
    print(f"{'kind':16} {'n':>5} {'exportctl':>9} | {'n':>4} {'logic-v2':>8}")
    for kind, (f, t) in got.items():
        bf, bt = base.get(kind, (0, 0))
        print(f"{kind:16} {t:>5} {f / t:9.3f} | {bt:>4} " + (f"{bf / bt:8.3f}" if bt else "       -"))
    bt_all = sum(t for _, t in base.values())
    bf_all = sum(f for f, _ in base.values())
    print(
        f"{'ALL':16} {total:>5} {found / total:9.3f} | {bt_all:>4} "
        + (f"{bf_all / bt_all:8.3f}" if bt_all else "-")
    )
    print(
        f"exportctl: {total / secs:,.0f} names/s on this set"
        + (f"; logic-v2: {bt_all / bsecs:.1f} names/s" if bt_all else "")
    )
    shown: dict[str, int] = defaultdict(int)
    best = hits.sort("score", descending=True).unique("qid", keep="first")
    top = {q: (n, sc) for q, n, sc in best.select("qid", "matched_name", "score").iter_rows()}
    print("some misses per kind (query | source | top hit):")
    lst = index.entries["list"].to_list()
    eids = index.entries["entity_id"].to_list()
    ok_ids = set(hits.select("qid", "list", "entity_id").iter_rows())
    for qid, (name, kind, src, entry) in enumerate(
        queries.select("name", "kind", "source", "entry").iter_rows()
    ):
        if shown[kind] < 3 and (qid, lst[entry], eids[entry]) not in ok_ids:
            shown[kind] += 1
            print(f"    {kind}: {name!r} | {src!r} | {top.get(qid, ('-', 0.0))}")


def main() -> None:
    """Run the dev measures, the held-out ones, or both."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=("dev", "heldout"), help="run only the dev or only the held-out sets")
    ap.add_argument("--limit", type=int, help="quick run: at most N rows per set (and fewer logic-v2 calls)")
    ap.add_argument("--sealed", action="store_true", help="held-out: measure the sealed split too")
    ap.add_argument("--per-kind", type=int, default=150)
    ap.add_argument("--baseline-sample", type=int, default=120, help="congress names scored by logic-v2")
    ap.add_argument(
        "--baseline-per-kind", type=int, default=8, help="mutated names per kind scored by logic-v2"
    )
    ap.add_argument("--nk-sample", type=int, default=60, help="held-out names per set logic-v2 screens")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="forked workers for logic-v2")
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    if args.limit:
        args.per_kind = min(args.per_kind, max(5, args.limit // 13))
        args.baseline_sample = min(args.baseline_sample, args.limit)
        args.baseline_per_kind = min(args.baseline_per_kind, 3)
        args.nk_sample = min(args.nk_sample, args.limit)
    start_all = time.perf_counter()
    tables = load_tables(sdn=True, extra=True)
    start = time.perf_counter()
    full = build_index(list_table(tables))
    print(
        f"index (CSL + SDN + consolidated + China): {full.stats.as_dict()} "
        f"in {time.perf_counter() - start:.2f}s"
    )
    base_full = None if args.no_baseline else NomenklaturaBaseline(full.entries)
    if args.only != "heldout":
        print("\n######## DEV sets (../shared/data/screening-bench; the matcher is tuned on these)")
        csl_only = build_index(list_table({"csl": tables["csl"]}))
        print(f"index (CSL only): {csl_only.stats.as_dict()}")
        base_csl = None if args.no_baseline else NomenklaturaBaseline(csl_only.entries)
        pairs_bench(csl_only, base_csl)
        false_alerts(csl_only, base_csl, args.baseline_sample)
        recall(full, base_full, args.per_kind, args.baseline_per_kind)
        dev_clean(full)
        dev_clean(full, "dev_clean_nd_names.csv", "names-dataset")
    if args.only != "dev":
        HeldoutRun(
            full, base_full, DEFAULT_THRESHOLD, args.limit, args.nk_sample, args.sealed, args.workers
        ).run()
    print(f"\nwhole run {time.perf_counter() - start_all:.0f}s ({MATCHER_VERSION})")


if __name__ == "__main__":
    main()
