"""One row's party hits without the lists' frames: what engine.common.lists.screen_rows gives for the parties
of one transaction (exact keys, the screening's fuzzy hits, listing dates, reviewers' decisions).

screen_rows joins a row's names with the keys of the whole lists frame (the CSL and the parties of the
measures in force), and that frame is new whenever a day's measures differ: its keys (~57,000) and dates
were built again for the one row (~100 ms). Here the CSL's keys and dates are read once per CSL frame, the
measures' parties' once per their frame, and the fuzzy hits come from the same memory and index
(engine.parties). None where the plan's pick between rows would be arbitrary (two rows of one entry with
other texts at one score, a decision given twice) or where it would build an index.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from exportctl.engine import parties as matching
from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.ear.one_rules import Row
from exportctl.engine.list_dates import DATE_COLUMNS
from exportctl.engine.parties import list_keys, name_keys

__all__ = ["hits_one"]

_ENTRY = ("list", "entity_id", "name", "license_requirement", "license_policy", "federal_register_notice")
_TEXTS = ("listed_name", "license_requirement", "license_policy", "federal_register_notice")


@dataclass(frozen=True)
class _Keyed:
    """A list frame's entries by exact key, and each (list, entity_id)'s first listing dates."""

    by_key: dict[str, list[Row]]
    dates: dict[tuple[str, str], tuple[Any, ...]]


_CSL: ByIdentity[_Keyed] = ByIdentity(2)  # the CSL frames (one per Context): built once each
_NAMED: ByIdentity[_Keyed] = ByIdentity(32)  # the measures' parties (one per effects frame): small
_SMALL = 5_000  # entries up to which a frame's keys are made in Python (name_keys), not through list_keys


def _keyed(frame: pl.DataFrame, kept: ByIdentity[_Keyed]) -> _Keyed:
    """_Keyed of a list frame (the CSL, or the measures' parties), built once per frame."""
    return kept.get_or_build(frame, lambda: _build(frame))


def _build(frame: pl.DataFrame) -> _Keyed:
    """A list frame's entries by exact key and its listing dates."""
    cols = [pl.col(c).cast(pl.Utf8) if c in frame.columns else pl.lit(None, pl.Utf8).alias(c) for c in _ENTRY]
    entries = frame.select(cols).rows(named=True)
    by: dict[str, list[Row]] = {}
    for key, at in _entry_keys(frame):
        by.setdefault(key, []).append(entries[at])
    dates: dict[tuple[str, str], tuple[Any, ...]] = {}
    dated = [frame[c] if c in frame.columns else pl.Series([None] * frame.height) for c in DATE_COLUMNS]
    for e, *d in zip(entries, *(s.to_list() for s in dated), strict=True):
        dates.setdefault((e["list"], e["entity_id"]), tuple(d))
    return _Keyed(by, dates)


def _keyed_csl(csl: pl.DataFrame) -> _Keyed:
    """The CSL's _Keyed, moved out of the collector's walks once built (~100,000 containers a full
    collection would walk on every later call, as ops.warm.settled moves what a warm process loaded)."""

    def build() -> _Keyed:
        out = _build(csl)
        gc.freeze()
        return out

    return _CSL.get_or_build(csl, build)


def _entry_keys(frame: pl.DataFrame) -> list[tuple[str, int]]:
    """parties.list_keys' (key, entry) pairs of a frame: each entry's name and aliases normalised, blank
    keys left out, once per entry."""
    aliased = "aliases" in frame.columns and frame.schema["aliases"] == pl.List(pl.Utf8)
    if frame.height > _SMALL:
        keys = list_keys(frame.select("name", *(["aliases"] if "aliases" in frame.columns else [])))
        return list(keys.select("_key", "_entry").iter_rows())
    names = frame["name"].cast(pl.Utf8).to_list()
    aliases = frame["aliases"].to_list() if aliased else [None] * len(names)
    pairs = [
        (n, at)
        for at, (name, more) in enumerate(zip(names, aliases, strict=True))
        for n in [name, *(more or [])]
    ]
    pairs = [(n, at) for n, at in pairs if n is not None]
    normal = name_keys([n for n, _ in pairs]) if pairs else []
    return list(dict.fromkeys((k, at) for k, (_, at) in zip(normal, pairs, strict=True) if k))


def hits_one(
    tx: Mapping[str, Any],
    parties: Sequence[Row],
    csl: pl.DataFrame | None,
    measure_parties: pl.DataFrame | None,
    *,
    fuzzy: bool,
    index_key: str | None,
    suppressed: pl.DataFrame | None,
) -> list[Row] | None:
    """screen_rows' rows for the one transaction `tx` naming `parties` (role, name, country) against the
    lists party_lists(csl, measure_parties) makes; None where this path does not settle them."""
    sources = [f for f in (csl, measure_parties) if f is not None and f.height]
    if not sources or not parties:
        return []
    asked = list(dict.fromkeys((p["name"], p["country"]) for p in parties))
    keyed = [_keyed_csl(f) if f is csl else _keyed(f, _NAMED) for f in sources]
    found: list[Row] = []
    for qid, key in enumerate(name_keys([n for n, _ in asked])):
        if not key:
            continue
        seen: dict[tuple[str, str], Row] = {}
        for k in keyed:
            for e in k.by_key.get(key, []):
                hit = {**e, "listed_name": e["name"], "match_score": 1.0, "match_kind": "exact", "qid": qid}
                first = seen.setdefault((e["list"], e["entity_id"]), hit)
                if any(first[c] != hit[c] for c in _TEXTS):
                    return None  # two rows of one entry: the plan's join keeps either
        found += seen.values()
    if fuzzy:
        more = _fuzzy(asked, index_key)
        if more is None:
            return None
        found += more
    best: dict[tuple[int, str, str], Row] = {}
    for h in sorted(found, key=lambda h: -h["match_score"]):
        first = best.setdefault((h["qid"], h["list"], h["entity_id"]), h)
        if first["match_score"] == h["match_score"] and any(first[c] != h[c] for c in _TEXTS):
            return None  # one entry at one score with other texts: the plan's sort keeps either
    return _rows(tx, parties, asked, list(best.values()), keyed, suppressed)


_SEEN: ByIdentity[dict[tuple[str, str], list[Row]]] = ByIdentity(2)  # per index: (name, country) -> hits
SEEN_KEYS = 50_000  # the (name, country) keys kept per index, beyond which it starts over


def _fuzzy(asked: list[tuple[str, str]], index_key: str | None) -> list[Row] | None:
    """The screening's fuzzy hits of the names (engine.parties.match_parties: the memory, the index).

    A key's hits depend on the index alone (the memory screens each key once and copies its hits), so
    the rows of a key asked before are kept here per index, without the memory's frames (~1.4 ms)."""
    index = matching._INDEXES.get(index_key) if index_key else None
    if index is None:
        return None  # the plan would build the index
    seen = _SEEN.get_or_build(index, dict)
    if all(k in seen for k in asked):
        return [{**h, "qid": qid} for qid, k in enumerate(asked) for h in seen[k]]
    memory = matching._MEMORY.get() or matching._Remembered(matching.ONE_CALL)
    queries = pl.DataFrame(
        {"qid": range(len(asked)), "name": [n for n, _ in asked], "country": [c for _, c in asked]},
        schema={"qid": pl.Int64, "name": pl.Utf8, "country": pl.Utf8},
    )
    rows = list(memory.hits(index_key or "", queries, index).iter_rows(named=True))
    if len(seen) + len(asked) > SEEN_KEYS:
        seen.clear()
    for qid, k in enumerate(asked):
        seen[k] = [{c: v for c, v in h.items() if c != "qid"} for h in rows if h["qid"] == qid]
    return rows


def _rows(
    tx: Mapping[str, Any],
    parties: Sequence[Row],
    asked: list[tuple[str, str]],
    hits: list[Row],
    keyed: list[_Keyed],
    suppressed: pl.DataFrame | None,
) -> list[Row] | None:
    """The hits with their listing dates and reviewers' marks, joined to the row's parties."""
    marks: dict[tuple[str, str, str], list[str | None]] = {}
    if suppressed is not None and suppressed.height:
        from exportctl.engine.screening.normalise import name_key, normalise

        for pk, lst, eid, who in suppressed.select(
            "party_key", "list", pl.col("entity_id").cast(pl.Utf8), "suppressed_by"
        ).iter_rows():
            marks.setdefault((pk, lst, eid), []).append(who)
        keys = {n: name_key(normalise(n)) for n, _ in asked}
    out: list[Row] = []
    for p in parties:
        for h in hits:
            if asked[h["qid"]] != (p["name"], p["country"]):
                continue
            dates = next((k.dates[d] for k in keyed if (d := (h["list"], h["entity_id"])) in k.dates), None)
            by: list[str | None] = [None]
            if marks:
                by = marks.get((keys[p["name"]], h["list"], h["entity_id"]), [None])
                if len(by) > 1:
                    return None  # a decision given twice: the plan's join repeats the hit
            row = {c: tx.get(c) for c in ("row", "rkey", "kid", "as_of", "eccn_base", "destination")}
            out.append(
                {
                    **row,
                    **p,
                    **{
                        c: h.get(c) for c in ("list", "entity_id", "listed_name", "match_score", "match_kind")
                    },
                    **{
                        c: h.get(c)
                        for c in ("license_requirement", "license_policy", "federal_register_notice")
                    },
                    **dict(zip(DATE_COLUMNS, dates or (None,) * len(DATE_COLUMNS), strict=True)),
                    "suppressed_by": by[0],
                }
            )
    return out
