"""Held-out screening sets (bench/heldout/): the loader with its schema checks, and the measures per set, per
script and per mutation kind for exportctl and for logic-v2 behind rapidfuzz retrieval. Nobody tunes on these
sets; see bench/heldout/README.md. Run through bench/screening_quality.py."""

from __future__ import annotations

import csv
import multiprocessing as mp
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl

HELDOUT = Path(__file__).resolve().parent / "heldout"
NK_THRESHOLD = 0.7  # logic-v2's own threshold

# file -> its columns; every file also has `id` (unique) and `split` (open | sealed)
SCHEMAS: dict[str, tuple[str, ...]] = {
    "un_persons.csv": ("kind", "query", "target", "target_keys", "dob", "nationality"),
    "cross_script.csv": ("source", "lang", "script", "type", "query", "target", "target_keys"),
    "one_person.csv": ("person", "script", "query", "target", "target_keys"),
    "clean_names.csv": ("source", "lang", "script", "type", "query", "listed_twin"),
}
_KEY = re.compile(r"^[^|;]+\|[^|;]+$")


class HeldoutError(ValueError):
    """A held-out file that does not follow its schema (file, line and field in the message)."""


def load_heldout(name: str, directory: Path = HELDOUT) -> list[dict[str, str]]:
    """The rows of one held-out file, checked against its schema."""
    if name not in SCHEMAS:
        raise HeldoutError(f"{name}: not a held-out file (known: {sorted(SCHEMAS)})")
    path = directory / name
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        want = ("id", "split", *SCHEMAS[name])
        if tuple(reader.fieldnames or ()) != want:
            raise HeldoutError(f"{name}: columns {reader.fieldnames}, expected {list(want)}")
        rows = list(reader)
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        where = f"{name} line {line}"
        if not row["id"] or row["id"] in seen:
            raise HeldoutError(f"{where}: id {row['id']!r} empty or repeated")
        seen.add(row["id"])
        if row["split"] not in ("open", "sealed"):
            raise HeldoutError(f"{where}: split {row['split']!r} is neither open nor sealed")
        if not row["query"].strip():
            raise HeldoutError(f"{where}: empty query")
        keys = row.get("target_keys", "")
        if keys and not all(_KEY.match(k) for k in keys.split(";")):
            raise HeldoutError(f"{where}: target_keys {keys!r} are not list|entity_id joined by ';'")
        if "target" in row and not row["target"].strip():
            raise HeldoutError(f"{where}: empty target")
        if name == "un_persons.csv" and not keys:
            raise HeldoutError(f"{where}: a UN person without its listed entry")
        if "type" in row and row["type"] not in ("person", "entity"):
            raise HeldoutError(f"{where}: type {row['type']!r}")
        if name == "clean_names.csv" and row["listed_twin"] not in ("0", "1"):
            raise HeldoutError(f"{where}: listed_twin {row['listed_twin']!r}")
    if not rows:
        raise HeldoutError(f"{name}: no rows")
    return rows


# -- running the two matchers --------------------------------------------------------------------------------

_NK: Any = None  # what forked workers read


def _nk_call(item: tuple[str, str, str, str]) -> tuple[float, set[str]]:
    """(top logic-v2 score, keys of the entries tied at it) for one query; pairs when `target` is given."""
    mode, query, schema, target = item
    if mode == "pair":
        return _NK.pair(query, target, schema), set()
    got = _NK.screen(query, schema)
    if not got:
        return 0.0, set()
    top = got[0][1]
    lst, eids = _NK.lists["list"], _NK.lists["entity_id"]
    return top, {f"{lst[e]}|{eids[e]}" for e, s in got if s >= top - 1e-9}


def nk_map(
    baseline: Any, items: list[tuple[str, str, str, str]], workers: int
) -> list[tuple[float, set[str]]]:
    """logic-v2 over many queries, on forked workers that share the baseline."""
    global _NK
    _NK = baseline
    try:
        if workers <= 1 or len(items) < 20 or "fork" not in mp.get_all_start_methods():
            return [_nk_call(i) for i in items]
        with mp.get_context("fork").Pool(workers) as pool:
            return pool.map(_nk_call, items, chunksize=4)
    finally:
        _NK = None


def _schema(kind: str) -> str:
    return "Person" if kind == "person" else "LegalEntity"


HOMONYM_KEY = "!homonym"  # in exportctl_top's keys: every hit of the row is marked homonym review


def exportctl_top(index: Any, rows: list[dict[str, str]], threshold: float) -> list[set[str]]:
    """Per row: keys (and normalised names) of exportctl's hits tied at the best score; empty when none."""
    from exportctl.engine.screening import normalise, screen, split_listed_name

    types = [r.get("type", "person") for r in rows]
    q = pl.DataFrame({"name": [r["query"] for r in rows], "type": types})
    hits = screen(index, q, threshold)
    out: list[set[str]] = [set() for _ in rows]
    from screening_common import homonym_only

    for qid in homonym_only(hits):  # every hit in the homonym review band (engine/screening/homonym.py)
        out[qid].add(HOMONYM_KEY)
    if hits.height:
        top = hits.join(hits.group_by("qid").agg(pl.col("score").max().alias("top")), on="qid")
        top = top.filter(pl.col("score") >= pl.col("top") - 1e-9)
        for qid, lst, eid, name in top.select("qid", "list", "entity_id", "name").iter_rows():
            out[qid].add(f"{lst}|{eid}")
            out[qid].add("=" + " ".join(normalise(split_listed_name(name or "")[0])))
    return out


def _found(got: set[str], keys: str, target: str) -> bool:
    from exportctl.engine.screening import normalise, split_listed_name

    if any(k in got for k in keys.split(";") if k):
        return True
    return "=" + " ".join(normalise(split_listed_name(target)[0])) in got


def _stratified(rows: list[dict[str, str]], group: Callable[[dict[str, str]], str], n: int) -> list[int]:
    """Row numbers of a reproducible sample of about n rows, spread evenly over the groups."""
    by: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by[group(r)].append(i)
    rng = random.Random(5)
    per = max(1, n // max(len(by), 1))
    picked: list[int] = []
    for g in sorted(by):
        picked += by[g] if len(by[g]) <= per else rng.sample(by[g], per)
    return sorted(picked)


def _table(title: str, metric: str, rows: Iterable[tuple[str, int, float, int, float | None]]) -> None:
    print(f"{title}")
    print(f"  {'group':22} {'n':>5} {'exportctl':>9} | {'n(v2)':>5} {'logic-v2':>8}   ({metric})")
    for g, n, ours, nb, theirs in rows:
        t = f"{theirs:8.3f}" if theirs is not None else "       -"
        print(f"  {g:22} {n:>5} {ours:9.3f} | {nb:>5} {t}")


def _rate(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def _grouped(
    rows: list[dict[str, str]],
    group: Callable[[dict[str, str]], str],
    ours: list[bool],
    theirs: dict[int, bool],
    scale: float = 1.0,
) -> list[tuple[str, int, float, int, float | None]]:
    """Rows per group, and ALL. logic-v2 scored a stratified sample, so its ALL weighs each group's rate by
    the group's share of the rows (groups it did not sample left out), comparable with exportctl's ALL."""
    by: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by[group(r)].append(i)
    out = []
    weighted, weight = 0.0, 0
    for g in sorted(by):
        idx = by[g]
        b = [theirs[i] for i in idx if i in theirs]
        if b:
            weighted += len(idx) * _rate(b)
            weight += len(idx)
        out.append(
            (g, len(idx), scale * _rate([ours[i] for i in idx]), len(b), scale * _rate(b) if b else None)
        )
    ours_all = scale * _rate(ours)
    out.append(("ALL", len(rows), ours_all, len(theirs), scale * weighted / weight if weight else None))
    return out


class HeldoutRun:
    """Runs every held-out set against one index with both matchers."""

    def __init__(
        self,
        index: Any,
        baseline: Any,
        threshold: float,
        limit: int | None,
        nk_sample: int,
        sealed: bool,
        workers: int,
    ) -> None:
        self.index, self.baseline, self.threshold = index, baseline, threshold
        self.limit, self.nk_sample, self.sealed, self.workers = limit, nk_sample, sealed, workers

    def rows(self, name: str) -> list[dict[str, str]]:
        """The rows measured: the open split (plus the sealed one with --sealed), sampled to --limit."""
        rows = [r for r in load_heldout(name) if self.sealed or r["split"] == "open"]
        if self.limit and len(rows) > self.limit:
            rows = [rows[i] for i in sorted(random.Random(1).sample(range(len(rows)), self.limit))]
        return rows

    def _nk(
        self,
        rows: list[dict[str, str]],
        group: Callable[[dict[str, str]], str],
        mode: str,
        ok: Callable[[dict[str, str], float, set[str]], bool],
    ) -> tuple[dict[int, bool], float]:
        if self.baseline is None:
            return {}, 0.0
        # clean names carry the widest spread of groups and the rarest events: three times the sample
        n = self.nk_sample * (3 if rows and "listed_twin" in rows[0] else 1)
        idx = _stratified(rows, group, n) if mode == "list" else list(range(len(rows)))
        items = [
            (mode, rows[i]["query"], _schema(rows[i].get("type", "person")), rows[i].get("target", ""))
            for i in idx
        ]
        start = time.perf_counter()
        got = nk_map(self.baseline, items, self.workers)
        secs = time.perf_counter() - start
        return {i: ok(rows[i], s, keys) for i, (s, keys) in zip(idx, got, strict=True)}, secs

    def recall(self, name: str, group: Callable[[dict[str, str]], str], title: str) -> None:
        """Recall@1 of listed targets: exportctl on every row, logic-v2 on a stratified sample."""
        rows = [r for r in self.rows(name) if r["target_keys"]]
        start = time.perf_counter()
        top = exportctl_top(self.index, rows, self.threshold)
        secs = time.perf_counter() - start
        ours = [_found(t, r["target_keys"], r["target"]) for t, r in zip(top, rows, strict=True)]
        theirs, nsecs = self._nk(
            rows,
            group,
            "list",
            lambda r, s, k: s >= NK_THRESHOLD and any(x in k for x in r["target_keys"].split(";")),
        )
        _table(
            f"\n== {title}: recall@1 against the full lists (exportctl {secs:.1f}s; logic-v2 {nsecs:.0f}s)",
            "recall@1",
            _grouped(rows, group, ours, theirs),
        )
        misses = [(r["query"], r["target"]) for r, ok in zip(rows, ours, strict=True) if not ok]
        print(f"  exportctl misses, first of {len(misses)}: {misses[:6]}")

    def pairs(self, name: str, group: Callable[[dict[str, str]], str], title: str) -> None:
        """Share of (query, Latin spelling) pairs each matcher scores at or above its threshold."""
        from exportctl.engine.screening import score_names

        rows = self.rows(name)
        ours = [score_names(self.index, r["query"], r["target"]).score >= self.threshold for r in rows]
        theirs, _ = self._nk(rows, group, "pair", lambda r, s, k: s >= NK_THRESHOLD)
        _table(
            f"\n== {title}: pairs scored a match (exportctl >= {self.threshold}, logic-v2 >= {NK_THRESHOLD})",
            "share matched",
            _grouped(rows, group, ours, theirs),
        )
        misses = [(r["query"], r["target"]) for r, ok in zip(rows, ours, strict=True) if not ok]
        print(f"  exportctl misses, first of {len(misses)}: {misses[:6]}")

    def false_alerts(self) -> None:
        """Alerts per 1,000 clean names (names of listed twins left out), per source, script and type."""
        rows = [r for r in self.rows("clean_names.csv") if r["listed_twin"] == "0"]

        def group(r: dict[str, str]) -> str:
            if r["source"] == "synthetic":  # by language: Han script is both Chinese and Japanese here
                return f"synthetic {r['lang']} {r['type']}"
            return f"yente {r['script'][:10]} {r['type']}"

        start = time.perf_counter()
        top = exportctl_top(self.index, rows, self.threshold)
        secs = time.perf_counter() - start
        ours = [bool(t) for t in top]
        theirs, nsecs = self._nk(rows, group, "list", lambda r, s, k: s >= NK_THRESHOLD)
        _table(
            f"\n== Clean names (nobody listed): alerts per 1,000 ({secs:.1f}s; logic-v2 {nsecs:.0f}s)",
            "per 1,000",
            _grouped(rows, group, ours, theirs, scale=1000.0),
        )
        band = sum(HOMONYM_KEY in t for t in top)
        print(
            f"  of which every hit marked homonym review (still counted above): {band} = "
            f"{1000 * band / max(len(rows), 1):.1f} per 1,000"
        )
        alerts = [r["query"] for r, a in zip(rows, ours, strict=True) if a]
        print(f"  exportctl alerts, first of {len(alerts)}: {alerts[:10]}")

    def run(self) -> None:
        """Every held-out measure."""
        print(
            f"\n######## HELD-OUT sets (bench/heldout; split: {'open + sealed' if self.sealed else 'open'}; "
            f"logic-v2 screens stratified samples of ~{self.nk_sample} per set, x3 for the clean names; its "
            "ALL weighs each group's rate by the group's size)"
        )
        self.recall("un_persons.csv", lambda r: r["kind"], "UN-listed persons, clean and mutated (per kind)")
        self.pairs(
            "cross_script.csv",
            lambda r: f"{r['script']} {r['lang']}".strip(),
            "Cross-script pairs (per script)",
        )
        self.recall("cross_script.csv", lambda r: r["script"], "Cross-script UN names against the lists")
        self.pairs("one_person.csv", lambda r: f"{r['person']} {r['script']}", "One person in many spellings")
        self.recall("one_person.csv", lambda r: r["script"], "Putin's spellings against the lists")
        self.false_alerts()
