"""The evidence step: after the names are scored, dates of birth, nationalities, identifiers and countries
that the query and the entry share raise a hit's score, and contradicting ones lower it.

The effects are data (evidence.yml). Every hit gets `evidence`: a list of {"kind", "query", "entry",
"effect"} with kinds name, country, dob, nationality and id; its explanation gains the same notes. The
entry's evidence is in the list table's columns dates_of_birth, nationalities and ids (sources.evidence).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

EVIDENCE_FILE = Path(__file__).with_name("evidence.yml")
EVIDENCE_COLUMNS = ("dates_of_birth", "nationalities", "ids")
QUERY_COLUMNS = ("dob", "nationality", "id_number")
KINDS = ("name", "country", "dob", "nationality", "id")
EVIDENCE_DTYPE = pl.List(pl.Struct({"kind": pl.Utf8, "query": pl.Utf8, "entry": pl.Utf8, "effect": pl.Utf8}))

_QUERY_DOB = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ENTRY_DOB = re.compile(r"^(~)?(\d{4})(?:/(\d{4})|-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Effects:
    """evidence.yml, parsed: raises (added) and factors (multiplied) per kind and outcome."""

    raise_cap: float
    raises: dict[str, float]  # "dob.day" -> 0.15
    factors: dict[str, float]  # "dob.contradict" -> 0.5
    year_tolerance: int
    circa_tolerance: int

    def max_raise(self, kinds: Sequence[str]) -> float:
        """The most the given kinds of evidence can add together (what retrieval must allow for)."""
        best = sum(
            max((v for k, v in self.raises.items() if k.startswith(kind + ".")), default=0.0)
            for kind in kinds
        )
        return min(self.raise_cap, best)


@lru_cache(maxsize=1)
def effects() -> Effects:
    """The parsed evidence.yml (cached for the process)."""
    raw: dict[str, Any] = yaml.safe_load(EVIDENCE_FILE.read_text(encoding="utf-8"))
    raises: dict[str, float] = {}
    factors: dict[str, float] = {}
    for kind in ("dob", "id", "nationality", "country"):
        for outcome, spec in raw[kind].items():
            if not isinstance(spec, dict):
                continue
            unknown = set(spec) - {"raise", "factor"}
            if unknown:
                raise ValueError(f"evidence.yml: {kind}.{outcome} has unknown keys {sorted(unknown)}")
            if "raise" in spec:
                raises[f"{kind}.{outcome}"] = float(spec["raise"])
            if "factor" in spec:
                factors[f"{kind}.{outcome}"] = float(spec["factor"])
    return Effects(
        raise_cap=float(raw["raise_cap"]),
        raises=raises,
        factors=factors,
        year_tolerance=int(raw["dob"]["year_tolerance"]),
        circa_tolerance=int(raw["dob"]["circa_tolerance"]),
    )


# -- one kind at a time: (outcome, entry text) or None when neutral for lack of a value -------------------


def query_dob(text: str) -> tuple[int, int | None, int | None] | None:
    """A query's date of birth (YYYY, YYYY-MM or YYYY-MM-DD) as (year, month, day), or None if invalid."""
    m = _QUERY_DOB.match((text or "").strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        dt.date(year, int(month or 1), int(day or 1))
    except ValueError:
        return None
    return year, int(month) if month else None, int(day) if day else None


_RANK = {"day": 5, "month": 4, "year": 3, "near": 2, "contradict": 1}


def compare_dob(query: str, entry_dobs: Sequence[str], eff: Effects) -> tuple[str, str] | None:
    """The best outcome of a query's date of birth against the entry's: day, month, year, near, contradict."""
    q = query_dob(query)
    if q is None or not entry_dobs:
        return None
    qy, qm, qd = q
    best: tuple[str, str] | None = None
    for text in entry_dobs:
        m = _ENTRY_DOB.match(text)
        if not m:
            continue
        circa, y, y2, month, day = m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5)
        lo, hi = y, int(y2) if y2 else y
        if day or month:  # a day or a month: another year contradicts
            if qy != y:
                outcome = "contradict"
            elif qm is None:
                outcome = "year"
            elif qm != int(month):
                outcome = "near"
            elif not day or qd is None:
                outcome = "month"
            else:
                outcome = "day" if qd == int(day) else "near"
        else:
            tol = eff.circa_tolerance if circa or y2 else eff.year_tolerance
            gap = max(lo - qy, qy - hi, 0)
            outcome = "year" if gap == 0 else "near" if gap <= tol else "contradict"
        if best is None or _RANK[outcome] > _RANK[best[0]]:
            best = (outcome, text)
    return best


def parse_query_id(text: str) -> tuple[str, str]:
    """A query's identifier as (kind, number): "passport:E646989" names the kind, a bare number none."""
    from exportctl.sources.evidence import ID_KINDS, id_label_kind, id_number

    raw = (text or "").strip()
    kind = ""
    head, sep, rest = raw.partition(":")
    if sep:
        label = head.strip().lower().replace(" ", "_").replace("-", "_")
        kind = label if label in ID_KINDS else (id_label_kind(head) or "")
        if kind:
            raw = rest
    number = id_number(raw)
    if number.startswith("IMO") and number[3:].isdigit():
        kind, number = kind or "imo", number[3:]
    return kind, number


def compare_id(query: str, entry_ids: Sequence[str]) -> tuple[str, str] | None:
    """match when the query's number is one of the entry's; contradict when the query names a kind and the
    entry has numbers of that kind from the same issuer (or an unnamed one) but not this one."""
    kind, number = parse_query_id(query)
    if not number or not entry_ids:
        return None
    same_kind: list[str] = []
    for text in entry_ids:
        ekind, enumber, _country = [*text.split("|"), "", ""][:3]
        if enumber == number and (not kind or kind == ekind):
            return "match", text
        if kind and ekind == kind:
            same_kind.append(text)
    if same_kind:
        return "contradict", "; ".join(same_kind)
    return None


def compare_code(query: str, codes: Sequence[str], miss: str | None) -> tuple[str, str] | None:
    """match when the query's country code is among `codes`; `miss` (or neutral) when it is not."""
    if not query or not codes:
        return None
    if query in codes:
        return "match", query
    return (miss, ",".join(codes)) if miss else None


# -- the step -------------------------------------------------------------------------------------------


def _values(entries: pl.DataFrame, col: str, rows: list[int]) -> list[list[str]]:
    if not rows or col not in entries.columns:  # no polars call for no rows: one name's hits often ask none
        return [[] for _ in rows]
    return [list(v or []) for v in entries[col].gather(rows).to_list()]


def _effect_text(kind: str, outcome: str, eff: Effects) -> str:
    key = f"{kind}.{outcome}"
    if key in eff.factors:
        return f"x{eff.factors[key]:g}"
    if eff.raises.get(key):
        return f"+{eff.raises[key]:g}"
    return "none"


def apply(
    hits: list[tuple[int, str, int, int, float, str]],
    entries: pl.DataFrame,
    entry_countries: Sequence[frozenset[str]],
    name_text: Sequence[str],
    queries: dict[int, dict[str, str]],
    country_mismatch: float,
) -> list[tuple[float, str, list[dict[str, str]], bool]]:
    """Per hit (qid, query, entry, name id, name score, explanation): (score, explanation, evidence, whether
    the evidence raised it).

    `queries` maps a qid to its evidence (country, dob, nationality, id_number; absent or '' = none)."""
    eff = effects()
    asked = [i for i, h in enumerate(hits) if h[0] in queries]  # hits of queries that carry evidence
    rows = [hits[i][2] for i in asked]
    where = {i: n for n, i in enumerate(asked)}
    dobs = _values(entries, "dates_of_birth", rows)
    nats = _values(entries, "nationalities", rows)
    ids = _values(entries, "ids", rows)
    out = []
    for i, (qid, query, entry, nid, score, text) in enumerate(hits):
        items = [{"kind": "name", "query": query, "entry": name_text[nid], "effect": f"{score:.3f}"}]
        if i not in where:  # the name alone: nothing moves
            out.append((score, text, items, False))
            continue
        q, k = queries[qid], where[i]
        notes: list[str] = []
        added = 0.0
        factor = 1.0
        listed = sorted(entry_countries[entry])
        country = q.get("country", "")
        found: list[tuple[str, str, tuple[str, str] | None]] = [
            ("dob", q.get("dob", ""), compare_dob(q.get("dob", ""), dobs[k], eff)),
            ("id", q.get("id_number", ""), compare_id(q.get("id_number", ""), ids[k])),
            (
                "nationality",
                q.get("nationality", ""),
                compare_code(q.get("nationality", ""), nats[k], "mismatch"),
            ),
        ]
        if country and listed and country not in listed:
            # the name step applied it already (screen.COUNTRY_MISMATCH): shown here, not applied twice
            items.append(
                {
                    "kind": "country",
                    "query": country,
                    "entry": ",".join(listed),
                    "effect": f"x{country_mismatch:g}",
                }
            )
        else:
            found.insert(0, ("country", country, compare_code(country, sorted({*listed, *nats[k]}), None)))
        for kind, qvalue, result in found:
            if result is None:
                continue
            outcome, entry_text = result
            key = f"{kind}.{outcome}"
            added += eff.raises.get(key, 0.0)
            factor *= eff.factors.get(key, 1.0)
            effect = _effect_text(kind, outcome, eff)
            items.append({"kind": kind, "query": qvalue, "entry": entry_text, "effect": effect})
            notes.append(f"{kind} {qvalue} vs {entry_text}: {outcome} {effect}")
        new = min(1.0, score + min(added, eff.raise_cap)) * factor
        out.append((round(new, 4), "; ".join([text, *notes]) if notes else text, items, added > 0))
    return out


def retrieval_threshold(threshold: float, query: dict[str, str]) -> float:
    """The threshold retrieval must use for a query whose evidence could raise a name by up to the cap."""
    kinds = [
        k
        for k, col in (
            ("dob", "dob"),
            ("id", "id_number"),
            ("nationality", "nationality"),
        )
        if query.get(col)
    ]
    return max(0.0, threshold - effects().max_raise(kinds)) if kinds else threshold


Row = tuple[int, str, int, int, float, str]  # qid, query, entry row, name id, score, explanation


def query_evidence(
    queries: Mapping[str, Sequence[Any]], qids: Sequence[int], countries: Sequence[str]
) -> dict[int, dict[str, str]]:
    """Per qid, the evidence a query carries: its country and the columns dob, nationality, id_number."""
    cols = {c: _texts(queries[c]) for c in QUERY_COLUMNS if c in queries}
    out: dict[int, dict[str, str]] = {}
    for i, qid in enumerate(qids):
        ev = {c: v[i] for c, v in cols.items() if v[i]}
        if countries[i]:
            ev["country"] = countries[i]
        if ev:
            out[qid] = ev
    return out


FEW_HITS = 64  # up to this many hits, the evidence column is built from the items themselves


def evidence_column(items: list[list[dict[str, str]]]) -> pl.Series:
    """The hits' evidence as one list-of-struct column (built from flat columns: far faster than dicts for
    many hits; a few hits, one screened name's, are built directly: the joins cost milliseconds there)."""
    if len(items) <= FEW_HITS:
        return pl.Series("evidence", [found or None for found in items], dtype=EVIDENCE_DTYPE)
    cols: dict[str, list[Any]] = {"hit": [], "kind": [], "query": [], "entry": [], "effect": []}
    for hit, found in enumerate(items):
        for item in found:
            cols["hit"].append(hit)
            for key in ("kind", "query", "entry", "effect"):
                cols[key].append(item[key])
    if not items:
        return pl.Series("evidence", [], dtype=EVIDENCE_DTYPE)
    flat = pl.DataFrame(
        cols, schema={"hit": pl.Int64, **{k: pl.Utf8 for k in ("kind", "query", "entry", "effect")}}
    )
    grouped = (
        pl.DataFrame({"hit": list(range(len(items)))}, schema={"hit": pl.Int64})
        .join(
            flat.group_by("hit").agg(pl.struct("kind", "query", "entry", "effect").alias("evidence")),
            on="hit",
            how="left",
        )
        .sort("hit")
    )
    return grouped["evidence"].cast(EVIDENCE_DTYPE)


def _texts(values: Sequence[Any]) -> list[str]:
    return ["" if v is None else str(v).strip() for v in values]


def step(
    rows: list[Row],
    entries: pl.DataFrame,
    entry_countries: Sequence[frozenset[str]],
    name_text: Sequence[str],
    queries: dict[int, dict[str, str]],
    threshold: float,
    country_mismatch: float,
    keep_cleared: bool = False,
    plain: set[tuple[int, int]] | None = None,
) -> tuple[list[Row], list[list[dict[str, str]]]]:
    """Apply the evidence to name-scored hits; keep those at `threshold` or above, best first per query.

    `plain`: the (qid, entry) pairs the name step found at the threshold itself; the others were found
    only because evidence could raise them, and stay only if it did (so a query with evidence never gets
    a hit by its name alone that the same name without evidence would not get).
    With `keep_cleared`, hits whose name reached the threshold but whose evidence took them below it stay
    (with their lower score): the caller shows them as cleared, not as alerts."""
    if not rows:
        return [], []
    moved = apply(rows, entries, entry_countries, name_text, queries, country_mismatch)
    kept: list[tuple[Row, list[dict[str, str]]]] = []
    for row, (score, text, items, raised) in zip(rows, moved, strict=True):
        if plain is not None and (row[0], row[2]) not in plain and not raised:
            continue
        if score >= threshold or (keep_cleared and row[4] >= threshold):
            kept.append(((row[0], row[1], row[2], row[3], score, text), items))
    order = {qid: i for i, qid in enumerate(dict.fromkeys(r[0] for r in rows))}
    kept.sort(key=lambda ri: (order[ri[0][0]], -ri[0][4]))  # stable: ties keep the name step's order
    return [r for r, _ in kept], [e for _, e in kept]
