"""Screening answers before and after a speed change: screens a fixed sample (mutated real list names of
every kind, synthetic clean names, dev clean names in many scripts) against the CSL plus the OFAC SDN list
and writes every hit (query, entry, matched name, score to 4 decimals, explanation); with --compare, says
how many hits differ from a file written before and shows the first ones.

    .venv/bin/python bench/screening_same.py --out /tmp/before.tsv [--workers 1]
    .venv/bin/python bench/screening_same.py --out /tmp/after.tsv --compare /tmp/before.tsv

Exits 1 when the answers differ; prints the CPU seconds the screening took (index build included).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

import polars as pl
from screening_common import REPO, build_index, list_table, load_tables, mutated_set
from screening_speed import clean_names

from exportctl.engine.screening import DEFAULT_THRESHOLD, clear_caches, screen


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
    return pl.DataFrame({"name": names, "type": types})


def main() -> None:
    """Screen the sample, write the hits, compare."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--mutated", type=int, default=2000)
    ap.add_argument("--clean", type=int, default=1000)
    ap.add_argument("--dev", type=int, default=300, help="names drawn from each dev clean-name file")
    args = ap.parse_args()

    lists = list_table(load_tables(sdn=True, extra=False))
    queries = sample_queries(lists, args.mutated, args.clean, args.dev)
    clear_caches()
    cpu0 = time.process_time()
    index = build_index(lists)
    hits = screen(index, queries, DEFAULT_THRESHOLD, workers=args.workers)
    cpu = time.process_time() - cpu0
    rows = [
        "\t".join([str(q), n, lst, eid, m, f"{s:.4f}", x])
        for q, n, lst, eid, m, s, x in hits.select(
            "qid", "query", "list", "entity_id", "matched_name", "score", "explanation"
        ).iter_rows()
    ]
    args.out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{queries.height:,} queries, {len(rows):,} hits; parent CPU {cpu:.1f}s (workers={args.workers})")
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
