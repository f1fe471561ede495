"""Titles before (and honorific suffixes after) listed persons' names, dev (tuned on; issue #12).

Listed persons of the CSL (the dev lists) written with a title from the title data the matcher uses
(rigour's PERSON_NAME_PREFIXES and terms.yml `titles`): recall@1 at the alert threshold per title kind,
and US Congress names with a title screened against the lists (false alerts per 1,000: a title must not
make a match).

    .venv/bin/python bench/screening_titles_dev.py [--n 400] [--misses 10]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

import polars as pl
import yaml
from screening_common import BENCH, build_index, list_table, load_tables, recall_at_1

from exportctl.engine.screening import DEFAULT_THRESHOLD, MATCHER_VERSION, screen

TERMS_FILE = Path(__file__).resolve().parents[1] / "src/exportctl/engine/screening/terms.yml"
CJK_SUFFIXES = ("先生", "女士", "氏", "さん", "様", "씨", "님")


def title_words() -> dict[str, list[str]]:
    """The titles, by kind: rigour's list and terms.yml's own words (Latin, other scripts, suffixes)."""
    from rigour._core import person_name_prefixes_list

    own = [str(x) for x in yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))["titles"]]
    return {
        "rigour": [p for p in person_name_prefixes_list() if p.lower() != "the"],
        "terms_latin": [w for w in own if w.isascii()],
        "terms_script": [w for w in own if not w.isascii() and w not in CJK_SUFFIXES],
    }


def main() -> None:
    """Print recall@1 at the alert threshold per title kind and the false alerts of titled Congress names."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400, help="listed persons per title kind")
    ap.add_argument("--misses", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(12)
    lists = list_table(load_tables())
    index = build_index(lists)
    types = [str(t or "").lower() for t in lists["type"].to_list()]
    names = lists["name"].to_list()
    persons = [i for i, t in enumerate(types) if t in ("individual", "person") and names[i]]
    rows: list[tuple[str, str, int]] = []
    for kind, words in title_words().items():
        for entry in rng.sample(persons, min(args.n, len(persons))):
            rows.append((kind, f"{rng.choice(words)} {names[entry]}", entry))
    plain = [("none", str(names[e]), e) for e in rng.sample(persons, min(args.n, len(persons)))]
    rows += plain
    queries = pl.DataFrame(rows, schema=["kind", "name", "entry"], orient="row")
    start = time.perf_counter()
    hits = screen(index, queries.select("name"))
    got = recall_at_1(index, hits.filter(pl.col("score") >= DEFAULT_THRESHOLD), queries)
    print(f"== titled listed persons, dev ({MATCHER_VERSION}, threshold {DEFAULT_THRESHOLD})")
    for kind, (found, total) in got.items():
        print(f"  {kind:14} {total:5} recall@1 {found / total:.3f}")
    if args.misses:
        top = hits.group_by("qid").agg(pl.col("score").max())
        best = dict(top.iter_rows())
        shown = 0
        for qid, (kind, name, entry) in enumerate(rows):
            if best.get(qid, 0.0) < DEFAULT_THRESHOLD and shown < args.misses:
                print(f"    miss {kind}: {name!r} -> {names[entry]!r} best {best.get(qid, 0.0):.3f}")
                shown += 1
    with (BENCH / "yente_us_congress_untreated.csv").open(encoding="utf-8") as fh:
        congress = [r["full_name"] for r in csv.DictReader(fh)]
    words = [w for ws in title_words().values() for w in ws]
    titled = [f"{rng.choice(words)} {n}" for n in congress]
    alerts = screen(index, pl.DataFrame({"name": titled}))
    alerted = alerts.filter(pl.col("score") >= DEFAULT_THRESHOLD)["qid"].n_unique()
    rate = 1000 * alerted / len(titled)
    print(f"  congress with a title: {alerted} of {len(titled)} alerted = {rate:.1f}/1,000")
    print(f"  {time.perf_counter() - start:.0f}s")


if __name__ == "__main__":
    main()
