"""One person in many spellings, dev (tuned on; issue #12): bench/data/dev_one_person.jsonl
(bench/build_dev_one_person.py) screened against the full lists.

    .venv/bin/python bench/screening_one_person_dev.py [--misses 8] [--alerts 8]

Per spelling kind: recall@1 at the alert threshold of the listed persons' spellings (the top hit is the
person: its entry, or the same SDN entry on the other bundled SDN file; ties at the top count), the share of
them whose top alert is somebody else, and the alerts per 1,000 of the same kinds applied to clean persons
(every one false). The AKAs screened ("alias" rows) are taken out of the index first. Prints figures and,
with --misses/--alerts, the first misses and false alerts with their explanations; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import polars as pl
from screening_common import build_index, list_table, load_tables

from exportctl.engine.screening import DEFAULT_THRESHOLD, MATCHER_VERSION, screen

DATA = Path(__file__).with_name("data")
SDN_FILES = ("SDN", "ofac_sdn")


def same_person(hit: tuple[str, str, str], row: dict[str, str]) -> bool:
    """The hit's entry is the row's person: its entry, or the same SDN entry on the other SDN file."""
    lst, eid, _name = hit
    if (lst, eid) == (row["list"], row["entity_id"]):
        return True
    return lst in SDN_FILES and row["list"] in SDN_FILES and eid == row["entity_id"]


def main() -> None:
    """Print recall@1 and false alerts per spelling kind."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", default="dev_one_person.jsonl")
    ap.add_argument("--misses", type=int, default=0)
    ap.add_argument("--alerts", type=int, default=0)
    ap.add_argument("--kind", default="", help="only this kind")
    args = ap.parse_args()
    rows = [json.loads(line) for line in (DATA / args.file).open(encoding="utf-8")]
    if args.kind:
        rows = [r for r in rows if r["kind"] == args.kind]
    lists = list_table(load_tables())
    dropped = sorted({r["drop"] for r in rows if r.get("drop")})
    lists = lists.with_columns(pl.col("aliases").list.eval(pl.element().filter(~pl.element().is_in(dropped))))
    index = build_index(lists)
    queries = pl.DataFrame(
        {"name": [r["query"] for r in rows], "country": [r["country"] for r in rows]},
        schema={"name": pl.Utf8, "country": pl.Utf8},
    )
    start = time.perf_counter()
    hits = screen(index, queries)
    seconds = time.perf_counter() - start
    by_q: dict[int, list[tuple[float, tuple[str, str, str], str]]] = defaultdict(list)
    for qid, lst, eid, name, score, expl in hits.select(
        "qid", "list", "entity_id", "name", "score", "explanation"
    ).iter_rows():
        by_q[qid].append((score, (lst, eid, name), expl))
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # ok, wrong top alert, n
    clean: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # alerted, n
    misses: dict[str, list[str]] = defaultdict(list)
    alerts: dict[str, list[str]] = defaultdict(list)
    for qid, r in enumerate(rows):
        got = by_q.get(qid, [])
        top = max((s for s, _h, _e in got), default=0.0)
        if r["set"] == "clean":
            clean[r["kind"]][0] += bool(got)
            clean[r["kind"]][1] += 1
            if got and len(alerts[r["kind"]]) < args.alerts:
                s, h, e = max(got, key=lambda g: g[0])
                alerts[r["kind"]].append(f"{r['query']!r} -> {h[2]!r} {s:.3f}: {e}")
            continue
        ok = any(same_person(h, r) for s, h, _e in got if s >= top - 1e-9)
        c = found[r["kind"]]
        c[0] += ok
        c[1] += bool(got) and not ok
        c[2] += 1
        if not ok and len(misses[r["kind"]]) < args.misses:
            best = f"{got[0][1][2]!r} {got[0][0]:.3f}: {got[0][2]}" if got else "no alert"
            misses[r["kind"]].append(f"{r['query']!r} [{r['country']}] -> want {r['target']!r}; got {best}")
    print(f"== one person in many spellings, dev ({MATCHER_VERSION}, threshold {DEFAULT_THRESHOLD})")
    print(f"{'listed kind':20} {'n':>5} {'recall@1':>9} {'other top':>10}")
    tot = [0, 0, 0]
    for kind in sorted(found):
        ok, wrong, n = found[kind]
        tot = [tot[0] + ok, tot[1] + wrong, tot[2] + n]
        print(f"{kind:20} {n:5} {ok / n:9.3f} {wrong / n:10.3f}")
    print(f"{'ALL':20} {tot[2]:5} {tot[0] / max(tot[2], 1):9.3f} {tot[1] / max(tot[2], 1):10.3f}")
    print(f"{'clean kind':20} {'n':>5} {'alerts/1000':>11}")
    for kind in sorted(clean):
        a, n = clean[kind]
        print(f"{kind:20} {n:5} {1000 * a / n:11.1f}")
    print(f"screening: {len(rows) / seconds:,.0f} names/s")
    for kind, items in misses.items():
        print(f"misses ({kind}):", *items, sep="\n    ")
    for kind, items in alerts.items():
        print(f"clean alerts ({kind}):", *items, sep="\n    ")


if __name__ == "__main__":
    main()
