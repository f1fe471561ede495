"""Every alert on the dev clean sets, with what it met and why (dev sets only: never run it on bench/heldout).

    .venv/bin/python bench/screening_alerts_dev.py [FILE ...]   # default: the three dev clean sets

One line per alerted name (its best hit): language, query, matched name, type, score, explanation. Read it
to find the kinds of weak evidence that make false alerts; prints figures, asserts nothing.
"""

from __future__ import annotations

import csv
import sys

import polars as pl
from screening_common import REPO, build_index, list_table, load_tables

from exportctl.engine.screening import screen

DEV_CLEAN = (
    "dev_clean_names.csv",
    "dev_clean_nd_names.csv",
    "dev_clean_nd2_names.csv",
    "dev_clean_mimesis.csv",
    "dev_clean_faker2.csv",
    "dev_clean_companies.csv",
)


def main() -> None:
    """Screen each dev clean set against the full lists and print its alerts."""
    files = sys.argv[1:] or list(DEV_CLEAN)
    full = build_index(list_table(load_tables(sdn=True, extra=True)))
    for f in files:
        rows = list(csv.DictReader((REPO / "bench" / "data" / f).open(encoding="utf-8")))
        q = pl.DataFrame({"name": [r["query"] for r in rows], "type": [r["type"] for r in rows]})
        best = screen(full, q).sort("score", descending=True).unique("qid", keep="first").sort("qid")
        print(f"## {f}: {best.height} alerted of {len(rows)} = {1000 * best.height / len(rows):.1f}/1000")
        for row in best.iter_rows(named=True):
            lang = rows[row["qid"]]["lang"]
            print(
                f"{lang:6} {row['query']!r} -> {row['matched_name']!r} [{row['type']}] "
                f"{row['score']:.3f}: {row['explanation']}"
            )


if __name__ == "__main__":
    main()
