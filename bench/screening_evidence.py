"""What secondary evidence changes: alerts with and without dates of birth and nationalities, in one run.

    .venv/bin/python bench/screening_evidence.py [--persons 600] [--seed 5]

Two sets, neither used to set the effects in engine/screening/evidence.yml (they were set by reasoning
about how lists write dates, see that file):
- 1,254 members of the US Congress (yente's test set, with their year of birth and nationality) against
  the full lists: false alerts per 1,000 by name alone, then with their dob and nationality;
- OFAC SDN persons with a day of birth in their remarks, their names mutated (screening_common.mutate):
  recall of the right entry by name alone, with the true date of birth, and with a date ten years off
  (which should clear them: a contradicting date of birth is meant to).
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import time

import polars as pl
from screening_common import BENCH, KINDS, build_index, list_table, load_tables, mutate

from exportctl.engine.screening import DEFAULT_THRESHOLD, screen


def _alerts(index, queries: pl.DataFrame) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    return screen(index, queries, DEFAULT_THRESHOLD)


def main() -> None:
    """Run both sets and print the figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=600)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    lists = list_table(load_tables())
    index = build_index(lists)

    congress = pl.read_csv(BENCH / "yente_us_congress_untreated.csv", infer_schema_length=0)
    names = congress["full_name"].to_list()
    dobs = [str(d or "")[:4] for d in congress["date_of_birth"].to_list()]
    base = pl.DataFrame({"name": names})
    with_ev = pl.DataFrame({"name": names, "dob": dobs, "nationality": ["US"] * len(names)})
    n = len(names)
    plain = _alerts(index, base)["qid"].n_unique()
    evid = _alerts(index, with_ev)["qid"].n_unique()
    print(f"Congress, {n} names: queries with an alert {plain} ({1000 * plain / n:.1f} per 1,000) by name;")
    print(f"  with year of birth and nationality US: {evid} ({1000 * evid / n:.1f} per 1,000)")

    rng = random.Random(args.seed)
    sdn = lists.filter(
        (pl.col("list") == "ofac_sdn")
        & (pl.col("type") == "individual")
        & pl.col("dates_of_birth").list.eval(pl.element().str.len_chars() == 10).list.any()
    )
    rows = sdn.sample(min(args.persons, sdn.height), seed=args.seed).to_dicts()
    queries, wanted, true_dob, off_dob = [], [], [], []
    for r in rows:
        kind = rng.choice([k for k in KINDS if k not in ("han_to_pinyin", "simp_to_trad")])
        name = mutate(rng, r["name"], kind, "Individual") or r["name"]
        day = next(d for d in r["dates_of_birth"] if len(d) == 10)
        queries.append(name)
        wanted.append(r["entity_id"])
        true_dob.append(day)
        shift = 8 if day[5:] == "02-29" else 10  # a leap day stays a leap day
        off_dob.append(f"{int(day[:4]) + shift}{day[4:]}")

    def found(frame: pl.DataFrame) -> float:
        hits = frame.filter(pl.col("list") == "ofac_sdn").select("qid", "entity_id")
        got = {(q, e) for q, e in hits.iter_rows()}
        return sum((i, w) in got for i, w in enumerate(wanted)) / len(wanted)

    start = time.perf_counter()
    by_name = found(_alerts(index, pl.DataFrame({"name": queries})))
    right = found(_alerts(index, pl.DataFrame({"name": queries, "dob": true_dob})))
    wrong = found(_alerts(index, pl.DataFrame({"name": queries, "dob": off_dob})))
    took = time.perf_counter() - start
    print(f"SDN persons with a day of birth, {len(queries)} mutated names: right entry alerted")
    print(f"  by name {by_name:.3f}; with the true dob {right:.3f}; with a dob ten years off {wrong:.3f}")
    print(f"  ({took:.1f} s for the three passes)")


if __name__ == "__main__":
    main()
