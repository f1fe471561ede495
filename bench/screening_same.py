"""Screening answers before and after a speed change: screens a fixed sample (mutated real list names of
every kind, synthetic clean names, dev clean names in many scripts) against the CSL plus the OFAC SDN list
plus dev names in other scripts (bench/data/*.jsonl) and both names of the shared name bench's cases, at the
default threshold and at a lower one (more hits, and the retrieval bound taken lower), and scores every
name-bench pair (`score_names`); writes every hit (query, entry, matched name, score to 12 decimals,
explanation) and every pair score; with --compare, says how many lines differ from a file written before and
shows the first ones.

    .venv/bin/python bench/screening_same.py --out /tmp/before.tsv [--workers 1]
    .venv/bin/python bench/screening_same.py --out /tmp/after.tsv --compare /tmp/before.tsv

Exits 1 when the answers differ; prints the CPU seconds the screening took (index build included).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

import polars as pl
from screening_common import BENCH, REPO, build_index, list_table, load_tables, mutated_set
from screening_speed import clean_names

from exportctl.engine.screening import DEFAULT_THRESHOLD, clear_caches, score_names, screen


def sample_queries(lists: pl.DataFrame, mutated_n: int, clean_n: int, dev_n: int) -> pl.DataFrame:
    """The fixed query sample: name and type columns."""
    probe = build_index(lists)
    mutated = mutated_set(probe.entries, per_kind=mutated_n // 13 + 1).head(mutated_n)
    entry_types = probe.entries["type"].to_list()
    names = mutated["name"].to_list()
    types = [entry_types[e] or "" for e in mutated["entry"].to_list()]
    clean, clean_types = clean_names(clean_n)
    names += clean
    types += clean_types
    rng = random.Random(17)
    for file in ("dev_clean_names.csv", "dev_clean_nd_names.csv", "dev_clean_nd2_names.csv"):
        with (REPO / "bench" / "data" / file).open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for row in rng.sample(rows, min(dev_n, len(rows))):
            names.append(row["query"])
            types.append(row.get("type") or "")
    for path in sorted((REPO / "bench" / "data").glob("dev_*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        for row in rng.sample(rows, min(dev_n, len(rows))):
            names.append(row["query"])
            types.append("")
    for a, b in name_pairs():
        names += [a, b]
        types += ["", ""]
    return pl.DataFrame({"name": names, "type": types})


def name_pairs() -> list[tuple[str, str]]:
    """The shared name bench's pairs (the STRONG cases among them)."""
    with (BENCH / "nk_name_bench_cases.csv").open(encoding="utf-8") as fh:
        return [(r["name1"], r["name2"]) for r in csv.DictReader(fh)]


def main() -> None:
    """Screen the sample, write the hits, compare."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--mutated", type=int, default=2000)
    ap.add_argument("--clean", type=int, default=1000)
    ap.add_argument("--dev", type=int, default=300, help="names drawn from each dev clean-name file")
    ap.add_argument("--low", type=float, default=0.5, help="the lower threshold screened too")
    args = ap.parse_args()

    lists = list_table(load_tables(sdn=True, extra=False))
    queries = sample_queries(lists, args.mutated, args.clean, args.dev)
    clear_caches()
    cpu0 = time.process_time()
    index = build_index(lists)
    rows = []
    for threshold in (DEFAULT_THRESHOLD, args.low):
        hits = screen(index, queries, threshold, workers=args.workers)
        rows += [
            "\t".join([f"t{threshold}", str(q), n, lst, eid, m, f"{s:.12f}", x])
            for q, n, lst, eid, m, s, x in hits.select(
                "qid", "query", "list", "entity_id", "matched_name", "score", "explanation"
            ).iter_rows()
        ]
    cpu = time.process_time() - cpu0
    for a, b in name_pairs():
        scored = score_names(index, a, b)
        rows.append("\t".join(["pair", a, b, f"{scored.score:.12f}", scored.explain()]))
    args.out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(
        f"{queries.height:,} queries, {len(rows):,} hits and pairs; "
        f"parent CPU {cpu:.1f}s (workers={args.workers})"
    )
    if args.compare:
        before = args.compare.read_text(encoding="utf-8").splitlines()
        gone, new = sorted(set(before) - set(rows)), sorted(set(rows) - set(before))
        print(f"against {args.compare}: {len(gone)} hits gone, {len(new)} new")
        for line in gone[:10]:
            print("  -", line)
        for line in new[:10]:
            print("  +", line)
        if gone or new or len(before) != len(rows):
            sys.exit(1)


if __name__ == "__main__":
    main()
