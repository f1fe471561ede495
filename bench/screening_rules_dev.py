"""Dev figures a score-lowering rule moves, in one run (dev sets only: never run it on bench/heldout).

    .venv/bin/python bench/screening_rules_dev.py [--save FILE] [--against FILE] [--set MODULE.NAME=V ...]

Prints, for the dev clean sets, alerts per 1,000 (and of which every hit is marked homonym review), and
for the dev pair sets (a name in its script beside a Latin spelling), the share of true pairs scored a
match and of negative pairs scored one. With --save, the true pairs scored a match are written to FILE;
with --against FILE, the true pairs FILE held that this run no longer matches are printed (what a rule
that lowers scores must never do). Each --set (e.g. arabic_vowels.VOWEL_FACTOR=0.8) runs the figures again
with that constant of engine/screening changed, on the same index: an A/B of a rule's strength in one
process (its matched pairs saved to FILE.NAME=VALUE, compared with the --against file). Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import time
from pathlib import Path
from typing import Any

import polars as pl
from screening_common import REPO, build_index, homonym_only, list_table, load_tables

from exportctl.engine.screening import DEFAULT_THRESHOLD, score_names, screen
from exportctl.engine.screening.translit import scripts

DATA = REPO / "bench" / "data"
CLEAN = (
    "dev_clean_names.csv",
    "dev_clean_nd_names.csv",
    "dev_clean_nd2_names.csv",
    "dev_clean_mimesis.csv",
    "dev_clean_faker2.csv",
    "dev_clean_companies.csv",
)
PAIRS = (
    "dev_arabic_wikidata.jsonl",
    "dev_arabic_companies.jsonl",
    "dev_names_scripts.jsonl",
    "dev_cldr_scripts.jsonl",
    "dev_korean_names.jsonl",
    "dev_japanese_names.jsonl",
    "dev_japanese_gimei.jsonl",
    "dev_japanese_jmnedict.jsonl",
    "dev_japanese_variants.jsonl",
    "dev_many_spellings.jsonl",
    "dev_slavic_latin.jsonl",
)


def main() -> None:
    """Print the dev clean-set alerts and pair shares; save or compare the matched true pairs."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--save", type=Path, help="write the matched true pairs here (JSON)")
    ap.add_argument("--against", type=Path, help="print the true pairs this file held and this run lost")
    ap.add_argument("--show", type=int, default=0, help="print the first N alerts per clean set")
    ap.add_argument("--script", default="", help="only queries written in this script (translit.scripts)")
    ap.add_argument("--set", action="append", default=[], help="MODULE.NAME=VALUE of engine/screening")
    args = ap.parse_args()
    full = build_index(list_table(load_tables(sdn=True, extra=True)))
    measure(full, args.save, args.against, args.show, args.script)
    for setting in args.set:
        target, value = setting.split("=", 1)
        module, name = target.rsplit(".", 1)
        mod = importlib.import_module(f"exportctl.engine.screening.{module}")
        old = getattr(mod, name)
        setattr(mod, name, type(old)(value))
        print(f"\n######## {module}.{name} = {value} (was {old})")
        measure(
            full,
            args.save and args.save.with_name(f"{args.save.name}.{name}={value}"),
            args.against,
            args.show,
            args.script,
        )
        setattr(mod, name, old)


def measure(full: Any, save: Path | None, against: Path | None, show: int, script: str = "") -> None:
    """One run of the figures on the index `full` (only the queries written in `script`, when given)."""

    def kept(query: str) -> bool:
        return not script or script in scripts(query)

    start = time.perf_counter()
    print(f"== dev clean sets: alerts per 1,000 (threshold {DEFAULT_THRESHOLD})")
    for f in CLEAN:
        rows = [r for r in csv.DictReader((DATA / f).open(encoding="utf-8")) if kept(r["query"])]
        if not rows:
            continue
        q = pl.DataFrame({"name": [r["query"] for r in rows], "type": [r["type"] for r in rows]})
        hits = screen(full, q)
        n, alerted, band = len(rows), hits["qid"].n_unique(), len(homonym_only(hits))
        print(f"  {f:28} {n:5} {1000 * alerted / n:7.1f}   of which homonym {1000 * band / n:6.1f}")
        if show:
            best = hits.sort("score", descending=True).unique("qid", keep="first").sort("qid")
            for row in best.head(show).iter_rows(named=True):
                print(
                    f"      {row['query']!r} -> {row['matched_name']!r} {row['score']:.3f}:",
                    row["explanation"],
                )
    print("== dev pair sets: true pairs matched | negative pairs matched")
    matched: list[str] = []
    for f in PAIRS:
        cases = [c for c in map(json.loads, (DATA / f).open(encoding="utf-8")) if kept(c["query"])]
        if not cases:
            continue
        tp = tn = pos = neg = 0
        for c in cases:
            hit = score_names(full, c["query"], c["latin"]).score >= DEFAULT_THRESHOLD
            if c["match"] == "true":
                pos += 1
                tp += hit
                if hit:
                    matched.append(f"{f}\t{c['query']}\t{c['latin']}")
            else:
                neg += 1
                tn += hit
        print(f"  {f:28} {pos:5} {tp / max(pos, 1):6.3f} | {neg:5} {tn / max(neg, 1):6.3f}")
    if save:
        save.write_text(json.dumps(sorted(matched), ensure_ascii=False, indent=0), encoding="utf-8")
    if against and against.exists():
        before = {p for p in json.loads(against.read_text(encoding="utf-8")) if kept(p.split("\t")[1])}
        lost = sorted(before - set(matched))
        print(f"== true pairs lost against {against}: {len(lost)}")
        for item in lost[:40]:
            print("   ", item.replace("\t", " | "))
    print(f"({time.perf_counter() - start:.0f}s)")


if __name__ == "__main__":
    main()
