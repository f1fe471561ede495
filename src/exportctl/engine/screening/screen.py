"""Batch screening: a table of query names in, a table of hits out (one query is a batch of one)."""

from __future__ import annotations

from typing import Any

import polars as pl

from exportctl.engine.screening.index import ScreeningIndex, normalise_type
from exportctl.engine.screening.normalise import name_key, normalise
from exportctl.engine.screening.score import Scored, score_tokens

MATCHER_VERSION = "exportctl-v1"
DEFAULT_THRESHOLD = 0.7
MAX_HITS = 10
COUNTRY_MISMATCH = 0.9  # the query names a country and the entry lists others
TYPE_MISMATCH = 0.85  # a person against an entity or vessel, or the reverse

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
}


def _adjust(index: ScreeningIndex, entry: int, scored: Scored, country: str, qtype: str) -> tuple[float, str]:
    score = scored.score
    notes = []
    listed_countries = index.entry_countries[entry]
    if country and listed_countries and country not in listed_countries:
        score *= COUNTRY_MISMATCH
        notes.append(f"country {country} not in {','.join(sorted(listed_countries))} x{COUNTRY_MISMATCH}")
    ltype = index.entry_type[entry]
    if qtype and ltype and qtype != ltype:
        score *= TYPE_MISMATCH
        notes.append(f"type {qtype}/{ltype} x{TYPE_MISMATCH}")
    text = scored.explain()
    if notes:
        text = text + "; " + "; ".join(notes)
    return score, text


def screen_tokens(
    index: ScreeningIndex,
    tokens: tuple[str, ...],
    threshold: float = DEFAULT_THRESHOLD,
    country: str = "",
    qtype: str = "",
    max_hits: int = MAX_HITS,
) -> list[tuple[int, int, float, str]]:
    """Hits of one normalised query: (entry row, name id, score, explanation), best first."""
    if not tokens:
        return []
    best: dict[int, tuple[float, int, str]] = {}
    exact = index.keys.get(name_key(tokens), [])
    cands = set(index.candidates(tokens, threshold).tolist())
    cands.update(exact)
    for nid in cands:
        entry = int(index.name_entry[nid])
        scored = score_tokens(tokens, index.name_tokens[nid], index.weigh, index.identity)
        if scored.score <= 0.0:
            continue
        score, text = _adjust(index, entry, scored, country, qtype)
        if score >= threshold and (entry not in best or score > best[entry][0]):
            best[entry] = (score, nid, text)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:max_hits]
    return [(entry, nid, round(score, 4), text) for entry, (score, nid, text) in ranked]


def screen(
    index: ScreeningIndex,
    queries: pl.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    max_hits: int = MAX_HITS,
) -> pl.DataFrame:
    """Screen a table of names (column `name`; optional `qid`, `country`, `type`): one row per hit.

    Hits come best first within each query; `qid` is the query's row number unless given.
    """
    if "name" not in queries.columns:
        raise ValueError("queries need a 'name' column")
    n = queries.height
    names = [str(v) if v is not None else "" for v in queries["name"].to_list()]
    qids = queries["qid"].cast(pl.Int64).to_list() if "qid" in queries.columns else list(range(n))
    countries = _column(queries, "country", n)
    types = _column(queries, "type", n)
    rows: list[tuple[int, str, int, int, float, str]] = []
    memo: dict[tuple[str, str, str], list[tuple[int, int, float, str]]] = {}
    for qid, name, country, qtype in zip(qids, names, countries, types, strict=True):
        key = (name, country.upper().strip(), normalise_type(qtype))
        hits = memo.get(key)
        if hits is None:
            hits = screen_tokens(index, normalise(name), threshold, key[1], key[2], max_hits)
            if len(memo) < 200_000:
                memo[key] = hits
        rows.extend((qid, name, entry, nid, score, text) for entry, nid, score, text in hits)
    return _hits_frame(index, rows)


def _column(df: pl.DataFrame, col: str, n: int) -> list[str]:
    if col not in df.columns:
        return [""] * n
    return ["" if v is None else str(v) for v in df[col].cast(pl.Utf8).to_list()]


def _hits_frame(index: ScreeningIndex, rows: list[tuple[int, str, int, int, float, str]]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=HIT_SCHEMA)
    entries = index.entries
    entry_rows = [r[2] for r in rows]
    cols = {c: entries[c].gather(entry_rows) if c in entries.columns else None for c in ENTRY_COLUMNS}
    countries = [",".join(sorted(index.entry_countries[e])) for e in entry_rows]
    data: dict[str, Any] = {
        "qid": [r[0] for r in rows],
        "query": [r[1] for r in rows],
    }
    for c in ("list", "list_name", "entity_id", "name"):
        data[c] = cols[c] if cols[c] is not None else [None] * len(rows)
    data["matched_name"] = [index.name_text[r[3]] for r in rows]
    data["score"] = [r[4] for r in rows]
    data["country"] = countries
    for c in (
        "type",
        "license_requirement",
        "license_policy",
        "federal_register_notice",
        "programs",
        "source_url",
    ):
        data[c] = cols[c] if cols[c] is not None else [None] * len(rows)
    data["explanation"] = [r[5] for r in rows]
    data["matcher"] = [MATCHER_VERSION] * len(rows)
    frame = pl.DataFrame(data)
    return frame.select([pl.col(c).cast(t) for c, t in HIT_SCHEMA.items()])


def match_parties(
    index: ScreeningIndex, names: pl.DataFrame, threshold: float = DEFAULT_THRESHOLD
) -> pl.DataFrame:
    """The determination engines' seam: `names` (qid, name[, country, type]) -> one row per hit.

    Columns: those of `screen`, plus `listed_name` (the entry's name), `match_score` and `match_kind`
    ("exact" when the normalised names are equal, else "fuzzy").
    """
    hits = screen(index, names, threshold)
    return hits.with_columns(
        pl.col("name").alias("listed_name"),
        pl.col("score").alias("match_score"),
        pl.when(pl.col("score") >= 1.0).then(pl.lit("exact")).otherwise(pl.lit("fuzzy")).alias("match_kind"),
    )
