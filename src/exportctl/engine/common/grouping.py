"""Several entries of one list behind one party (Huawei and its listed affiliates) read as one reason."""

from __future__ import annotations

import polars as pl

from exportctl.engine.common.reasons import ENTRY_DTYPE, REASON_DTYPE, lit
from exportctl.engine.parties import normalize_names

__all__ = ["LIST_NAMES", "group_entries"]

# the order in which a reason's effect outweighs another's (the verdict's own order)
SEVERITY = {"prohibited": 4, "hold": 3, "license_required": 2, "info": 1}


LIST_NAMES = {
    "EL": "Entity List",
    "MEU": "Military End-User List",
    "UVL": "Unverified List",
    "DPL": "Denied Persons List",
    "SDN": "OFAC SDN List",
}


def group_entries(h: pl.DataFrame, reason: pl.Expr) -> pl.DataFrame:
    """(row, reason): several entries of one list hitting one party with one effect (Huawei and its
    listed affiliates) become one reason naming the closest entry, with every entry in `entries`."""
    eff = pl.col("reason").struct.field("effect")
    notice = (
        pl.col("federal_register_notice").cast(pl.Utf8)
        if "federal_register_notice" in h.columns
        else pl.lit(None, pl.Utf8)
    )
    r = h.select(
        "row",
        "role",
        "name",
        "list",
        pl.col("entity_id").cast(pl.Utf8),
        pl.col("listed_name").cast(pl.Utf8),
        pl.col("match_score").cast(pl.Float64).fill_null(1.0).alias("score"),
        notice.alias("notice"),
        "_measure_hit",
        reason,
    )
    # information-only entries (weaker matches of a party that already matched exactly, waived or
    # reviewed ones) sit beneath the party's firmest reason from the same list, not in a reason of their own
    party = ["row", "role", "name", "list"]
    severity = eff.replace_strict(SEVERITY, default=0, return_dtype=pl.Int8)
    r = r.with_columns(_sev=severity)
    firm = pl.when(~pl.col("_measure_hit")).then(pl.col("_sev")).max().over(party)
    r = r.with_columns(
        _eff=pl.when((eff == "info") & ~pl.col("_measure_hit") & (firm > pl.col("_sev")))
        .then(firm)
        .otherwise(pl.col("_sev"))
    )
    group = [*party, "_eff"]
    r = r.with_columns(_n=pl.len().over(group))
    many = ~pl.col("_measure_hit") & (pl.col("_n") > 1)
    single = r.filter(~many).select("row", "reason")
    multi = r.filter(many)
    if multi.height == 0:
        return single
    entry = pl.struct("list", "entity_id", pl.col("listed_name").alias("name"), "score", "notice")
    # the lead: the firmest effect, the best score, the entry named as the party is, the shortest name
    exact = normalize_names(pl.col("listed_name")) == normalize_names(pl.col("name"))
    grouped = (
        multi.sort(
            [
                pl.col("_sev"),
                pl.col("score"),
                exact,
                pl.col("listed_name").str.len_chars(),
                pl.col("entity_id"),
            ],
            descending=[True, True, True, False, False],
            nulls_last=True,
        )
        .group_by(group, maintain_order=True)
        .agg(
            pl.col("reason").first(),
            pl.col("listed_name").first().alias("lead"),
            entry.cast(ENTRY_DTYPE).alias("entries"),
            pl.len().alias("n"),
        )
    )
    listed = pl.col("list").replace_strict(LIST_NAMES, default=pl.col("list"))
    text = pl.concat_str(
        [
            listed,
            lit(": "),
            pl.col("lead"),
            lit(" and "),
            (pl.col("n") - 1).cast(pl.Utf8),
            pl.when(pl.col("n") == 2).then(lit(" other entry")).otherwise(lit(" other entries")),
            lit(" — "),
            pl.col("reason").struct.field("text"),
        ]
    )
    out = grouped.select(
        "row", pl.col("reason").struct.with_fields(text.alias("text"), pl.col("entries").alias("entries"))
    )
    return pl.concat([single, out.select("row", pl.col("reason").cast(REASON_DTYPE))], how="vertical_relaxed")
