"""The hits table a screening answers with: its schema and how it is built from scored rows."""

from __future__ import annotations

from typing import Any, cast

import polars as pl

from exportctl.engine.screening import evidence
from exportctl.engine.screening.index import ScreeningIndex

__all__ = ["ENTRY_COLUMNS", "HIT_SCHEMA", "clear_entry_values", "entry_values", "hit_records", "hits_frame"]

ENTRY_COLUMNS = (
    "list",
    "list_name",
    "entity_id",
    "name",
    "type",
    "license_requirement",
    "license_policy",
    "federal_register_notice",
    "programs",
    "source_url",
)

HIT_SCHEMA: dict[str, Any] = {
    "qid": pl.Int64,
    "query": pl.Utf8,
    "list": pl.Utf8,
    "list_name": pl.Utf8,
    "entity_id": pl.Utf8,
    "name": pl.Utf8,
    "matched_name": pl.Utf8,
    "score": pl.Float64,
    "country": pl.Utf8,
    "type": pl.Utf8,
    "license_requirement": pl.Utf8,
    "license_policy": pl.Utf8,
    "federal_register_notice": pl.Utf8,
    "programs": pl.List(pl.Utf8),
    "source_url": pl.Utf8,
    "explanation": pl.Utf8,
    "matcher": pl.Utf8,
    "evidence": evidence.EVIDENCE_DTYPE,
}


_EVIDENCE_KEYS = tuple(cast(pl.Struct, evidence.EVIDENCE_DTYPE.inner).to_schema())

_ENTRY_VALUES: dict[int, tuple[pl.DataFrame, dict[str, list[Any]]]] = {}


def entry_values(entries: pl.DataFrame) -> dict[str, list[Any]]:
    """The entry columns a hit carries, as Python lists: taken once per list table."""
    got = _ENTRY_VALUES.get(id(entries))
    if got is None or got[0] is not entries:
        if len(_ENTRY_VALUES) >= 4:
            _ENTRY_VALUES.clear()
        values = {c: entries[c].to_list() for c in ENTRY_COLUMNS if c in entries.columns}
        got = _ENTRY_VALUES[id(entries)] = (entries, values)
    return got[1]


def hits_frame(
    index: ScreeningIndex,
    rows: list[tuple[int, str, int, int, float, str]],
    items: list[list[dict[str, str]]],
    matcher: str,
) -> pl.DataFrame:
    """The hits table: one row per (query id, query, entry row, name id, score, explanation) in `rows`,
    with the entry's columns and the evidence `items`."""
    if not rows:
        return pl.DataFrame(schema=HIT_SCHEMA)
    entries = index.entries
    entry_rows = [r[2] for r in rows]
    cols: dict[str, Any]
    if (
        len(rows) <= evidence.FEW_HITS
    ):  # one name's hits: a polars gather per column costs more than its screening
        values = entry_values(entries)
        cols = {c: [values[c][e] for e in entry_rows] if c in values else None for c in ENTRY_COLUMNS}
    else:
        cols = {c: entries[c].gather(entry_rows) if c in entries.columns else None for c in ENTRY_COLUMNS}
    countries = [",".join(sorted(index.entry_countries[e])) for e in entry_rows]
    data: dict[str, Any] = {
        "qid": [r[0] for r in rows],
        "query": [r[1] for r in rows],
    }
    for c in ENTRY_COLUMNS:  # the frame's column order is HIT_SCHEMA's (below), not this dict's
        data[c] = cols[c] if cols[c] is not None else [None] * len(rows)
    data["matched_name"] = [index.name_text[r[3]] for r in rows]
    data["score"] = [r[4] for r in rows]
    data["country"] = countries
    data["explanation"] = [r[5] for r in rows]
    data["matcher"] = [matcher] * len(rows)
    if len(rows) <= evidence.FEW_HITS:  # Python lists only: built in the schema's types, no cast pass
        # Series made in their types and put together: a frame built from a dict and then given its
        # evidence column by `with_columns` costs twice as much (a lazy plan per call).
        series = [pl.Series(c, data[c], dtype=t) for c, t in HIT_SCHEMA.items() if c != "evidence"]
        return pl.DataFrame([*series, evidence.evidence_column(items)])
    frame = pl.DataFrame(data).with_columns(evidence.evidence_column(items))
    return frame.select([pl.col(c).cast(t) for c, t in HIT_SCHEMA.items()])


def hit_records(
    index: ScreeningIndex,
    rows: list[tuple[int, str, int, int, float, str]],
    items: list[list[dict[str, str]]],
    matcher: str,
) -> list[dict[str, Any]]:
    """hits_frame(...).iter_rows(named=True) without the table: one dict per hit, keys and values as the
    table gives them (a single name's answer spent more on its one-row tables than on its screening)."""
    values = entry_values(index.entries)
    out = []
    for (qid, query, entry, nid, score, text), found in zip(rows, items, strict=True):
        record: dict[str, Any] = {"qid": qid, "query": query}
        for c in ENTRY_COLUMNS:
            value = values[c][entry] if c in values else None
            record[c] = list(value) if isinstance(value, list) else value  # the table's lists are new
        record["matched_name"] = index.name_text[nid]
        record["score"] = float(score)
        record["country"] = ",".join(sorted(index.entry_countries[entry]))
        record["explanation"] = text
        record["matcher"] = matcher
        record["evidence"] = [{k: item.get(k) for k in _EVIDENCE_KEYS} for item in found] or None
        out.append({c: record[c] for c in HIT_SCHEMA})  # the table's column order
    return out


def clear_entry_values() -> None:
    """Forget the entry columns taken per list table."""
    _ENTRY_VALUES.clear()
