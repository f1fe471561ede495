"""Person names per script, dev (tuned on): bench/data/dev_names_scripts.jsonl (bench/build_dev_names.py).

For each script: the share of (name in its script, Latin spelling) pairs scored a match, the share of
negative pairs (another person's Latin name) scored one, and the share of names screened against the full
lists that raise any alert (none of these persons is listed: a false alert, unless the name data made a
listed person's name of it).

    .venv/bin/python bench/screening_names_dev.py [--misses N]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).with_name("data")


def main() -> None:
    """Print the per-script figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", type=int, default=0, help="print the first N misses per script")
    ap.add_argument("--file", default="dev_names_scripts.jsonl", help="cases file in bench/data")
    ap.add_argument("--key", default="script,lang", help="the case fields to group by, comma-separated")
    args = ap.parse_args()
    import polars as pl
    from screening_common import build_index, list_table, load_tables

    from exportctl.engine.screening import DEFAULT_THRESHOLD, MATCHER_VERSION, score_names, screen

    cases = [json.loads(line) for line in (DATA / args.file).open(encoding="utf-8")]
    index = build_index(list_table(load_tables()))
    start = time.perf_counter()
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    misses: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    wrong: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    fields = args.key.split(",")

    def group(c: dict[str, str]) -> str:
        return " ".join(c[f] for f in fields)

    for c in cases:
        s = score_names(index, c["query"], c["latin"]).score
        key = group(c)
        hit = s >= DEFAULT_THRESHOLD
        if c["match"] == "true":
            stats[key][0] += hit
            stats[key][1] += 1
            if not hit:
                misses[key].append((c["query"], c["latin"], round(s, 3)))
        else:
            stats[key][2] += hit
            stats[key][3] += 1
            if hit:
                wrong[key].append((c["query"], c["latin"], round(s, 3)))
    positives = [c for c in cases if c["match"] == "true"]
    hits = screen(index, pl.DataFrame({"name": [c["query"] for c in positives]}))
    alerted = set(hits["qid"].to_list())
    alerts: dict[str, int] = defaultdict(int)
    for qid, c in enumerate(positives):
        alerts[group(c)] += qid in alerted
    secs = time.perf_counter() - start
    print(f"== person names per script, dev ({MATCHER_VERSION}, threshold {DEFAULT_THRESHOLD}, {secs:.1f}s)")
    print(f"  {args.key:16} {'n':>4} {'pairs':>6} | {'n-':>4} {'neg':>6} | {'alerts/1000':>11}")
    tot = [0, 0, 0, 0, 0]
    for key in sorted(stats):
        a, n, b, m = stats[key]
        tot = [tot[0] + a, tot[1] + n, tot[2] + b, tot[3] + m, tot[4] + alerts[key]]
        print(
            f"  {key:16} {n:>4} {a / n:6.3f} | {m:>4} {b / max(m, 1):6.3f} | {1000 * alerts[key] / n:11.1f}"
        )
    print(
        f"  {'ALL':16} {tot[1]:>4} {tot[0] / tot[1]:6.3f} | {tot[3]:>4} {tot[2] / max(tot[3], 1):6.3f} | "
        f"{1000 * tot[4] / tot[1]:11.1f}"
    )
    if args.misses:
        for key in sorted(misses):
            print(f"  misses {key}: {misses[key][: args.misses]}")
        for key in sorted(wrong):
            print(f"  negative pairs matched {key}: {wrong[key][: args.misses]}")


if __name__ == "__main__":
    main()
