"""Korean persons of the dev clean sets written in the three forms people use, against the full lists (dev
sets only: never run it on bench/heldout).

    .venv/bin/python bench/screening_korean_forms_dev.py [--show]

Every Korean person name of the dev clean CSVs written as one word (김영철) is screened as it is, with the
family name apart (김 영철) and given name first (영철 김): a reading that does not depend on the word order
alerts alike on all three (each alert there is a Korean homonym of a listed person: every hit of a common
name is marked homonym review, engine/screening/homonym.py). Prints alerts per 1,000 per form and how many
are in the homonym review band; with --show, each alert. Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv

import polars as pl
from screening_common import REPO, build_index, homonym_only, list_table, load_tables

from exportctl.engine.screening import screen

FILES = (
    "dev_clean_nd_names.csv",
    "dev_clean_nd2_names.csv",
    "dev_clean_faker2.csv",
    "dev_clean_mimesis.csv",
    "dev_clean_names.csv",
)


def main() -> None:
    """Screen the three forms and print their figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print every alert")
    args = ap.parse_args()
    names: set[str] = set()
    for f in FILES:
        with (REPO / "bench" / "data" / f).open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                q = r["query"].strip()
                if r["lang"].startswith("ko") and r["type"] == "person" and " " not in q and 2 <= len(q) <= 4:
                    names.add(q)
    joined = sorted(names)
    forms = {
        "joined": joined,
        "apart": [q[0] + " " + q[1:] for q in joined],
        "given-first": [q[1:] + " " + q[0] for q in joined],
    }
    index = build_index(list_table(load_tables(sdn=True, extra=True)))
    for form, queries in forms.items():
        hits = screen(index, pl.DataFrame({"name": queries, "type": ["person"] * len(queries)}))
        best = hits.sort("score", descending=True).unique("qid", keep="first").sort("qid")
        band = len(homonym_only(hits))
        n = len(queries)
        print(
            f"{form:12} {n} names: {best.height} alerted = {1000 * best.height / n:.1f}/1000, "
            f"of which homonym review {band} = {1000 * band / n:.1f}/1000"
        )
        if args.show:
            for r in best.iter_rows(named=True):
                print(f"    {r['query']!r} -> {r['matched_name']!r} {r['score']:.3f}: {r['explanation']}")


if __name__ == "__main__":
    main()
