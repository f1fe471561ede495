"""Cross-script dev figures: recall@1 and false alerts per script on bench/data/dev_cross_script.jsonl (the
lists' own non-Latin aliases against their entries, with those aliases taken out of the index).

    .venv/bin/python bench/screening_dev.py [--src OTHER_CHECKOUT/src]   # --src: measure another checkout

These are the cases the matcher was tuned on (with the labelled pairs in screening-bench); see
bench/data/README.md. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).with_name("data")


def main() -> None:
    """Print recall@1 and false alerts per 1,000 queries, per script."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default="")
    ap.add_argument("--misses", type=int, default=8, help="misses printed per script")
    args = ap.parse_args()
    if args.src:
        sys.path.insert(0, args.src)
    import polars as pl
    from screening_common import list_table, load_tables

    if args.src:  # screening_common put this checkout first: the other one goes before it
        sys.path.insert(0, args.src)
        for mod in [m for m in sys.modules if m.startswith("exportctl")]:
            del sys.modules[mod]
    from exportctl.engine.screening import DEFAULT_THRESHOLD, MATCHER_VERSION, build_index, screen

    cases = [json.loads(line) for line in (DATA / "dev_cross_script.jsonl").open(encoding="utf-8")]
    lists = list_table(load_tables())
    dropped = {c["query"] for c in cases}
    lists = lists.with_columns(
        pl.col("aliases").list.eval(pl.element().filter(~pl.element().is_in(list(dropped))))
    )
    index = build_index(lists)
    start = time.perf_counter()
    hits = screen(index, pl.DataFrame({"name": [c["query"] for c in cases]}))
    seconds = time.perf_counter() - start
    by_q: dict[int, list[tuple[float, tuple[str, str]]]] = defaultdict(list)
    for qid, lst, eid, score in hits.select("qid", "list", "entity_id", "score").iter_rows():
        by_q[qid].append((score, (lst, eid)))
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses: dict[str, list[str]] = defaultdict(list)
    for qid, c in enumerate(cases):
        got = by_q.get(qid, [])
        top = max((s for s, _ in got), default=0.0)
        best = {k for s, k in got if s >= top - 1e-9}
        ok = (c["list"], c["entity_id"]) in best
        wrong = any(k != (c["list"], c["entity_id"]) for s, k in got if s >= DEFAULT_THRESHOLD) and not ok
        for g in (c["script"], "ALL"):
            stats[g][0] += ok
            stats[g][1] += wrong
            stats[g][2] += 1
        if not ok and len(misses[c["script"]]) < args.misses:
            misses[c["script"]].append(f"{c['query']} -> {c['latin']!r}")
        if wrong:
            top_hit = hits.filter(pl.col("qid") == qid).row(0, named=True)
            misses["false alerts"].append(f"{c['query']} -> {top_hit['name']!r}: {top_hit['explanation']}")
    print(f"== cross-script dev set ({MATCHER_VERSION}, threshold {DEFAULT_THRESHOLD}), {len(cases)} cases")
    print(f"{'script':10} {'n':>5} {'recall@1':>9} {'false/1000':>11}")
    for g in sorted(stats, key=lambda k: (k == "ALL", k)):
        ok, wrong, n = stats[g]
        print(f"{g:10} {n:>5} {ok / n:9.3f} {1000 * wrong / n:11.1f}")
    print(f"screening: {len(cases) / seconds:,.0f} names/s")
    for script, items in misses.items():
        print(f"some misses ({script}):", *items, sep="\n    ")


if __name__ == "__main__":
    main()
