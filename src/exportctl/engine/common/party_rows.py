"""The parties of a determination: rows per named party, measures that name parties, and their hits.

A measure may name parties (an is-informed letter, a waiver for one company): its names are screened as
list entries 'effect:<rkey>:<eid>' beside the CSL, and a hit stands only where the measure's item and
destination scope also match the row.
"""

from __future__ import annotations

import polars as pl

from exportctl.engine.common.keying import ROLES
from exportctl.engine.common.measures import match_effects
from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.common.reasons import hold_reason, lit

__all__ = ["confirm_measure_hits", "explode_parties", "measure_parties", "no_lists_hold"]


_PARTIES: ByIdentity[pl.DataFrame] = ByIdentity(8)  # per effects frame (kept by compile_effects)


def measure_parties(effects: pl.DataFrame) -> pl.DataFrame:
    """Party names of measures as list entries named 'effect:<rkey>:<eid>'."""
    return _PARTIES.get_or_build(effects, lambda: _measure_parties(effects))


def _measure_parties(effects: pl.DataFrame) -> pl.DataFrame:
    e = effects.filter(pl.col("parties").list.len() > 0).unique(["rkey", "eid"])
    if e.height == 0:
        return pl.DataFrame()
    return e.select(
        pl.concat_str(
            [lit("effect:"), pl.col("rkey").cast(pl.Utf8), lit(":"), pl.col("eid").cast(pl.Utf8)]
        ).alias("list"),
        pl.col("measure").alias("entity_id"),
        pl.col("parties").alias("name"),
        pl.lit([], pl.List(pl.Utf8)).alias("aliases"),
        pl.lit([], pl.List(pl.Utf8)).alias("countries"),
        pl.col("license_requirement"),
        pl.col("review_policy").alias("license_policy"),
        pl.lit(None, pl.Utf8).alias("federal_register_notice"),
    ).explode("name")


def explode_parties(tx: pl.DataFrame) -> pl.DataFrame:
    """One row per named party of each transaction (role, name, country), blank names left out; a party's
    country is its `<role>_country`, else the destination (screening evidence)."""
    frames = []
    for role in ROLES:
        if role in tx.columns:
            own = f"{role}_country"
            country = pl.col(own).cast(pl.Utf8) if own in tx.columns else pl.lit(None, pl.Utf8)
            frames.append(
                tx.select(
                    "row",
                    "rkey",
                    "kid",
                    "as_of",
                    "eccn_base",
                    "destination",
                    pl.lit(role).alias("role"),
                    pl.col(role).cast(pl.Utf8).alias("name"),
                    pl.coalesce(country, pl.col("destination").cast(pl.Utf8)).fill_null("").alias("country"),
                )
            )
    if not frames:
        return pl.DataFrame(schema={"row": pl.Int64, "name": pl.Utf8})
    return pl.concat(frames).drop_nulls("name").filter(pl.col("name").str.strip_chars() != "")


def confirm_measure_hits(hits: pl.DataFrame, keys: pl.DataFrame, effects: pl.DataFrame) -> pl.DataFrame:
    """Keep a hit on a measure's party only when the measure's item and destination scope also match."""
    if hits.height == 0 or "list" not in hits.columns:
        return hits
    is_m = pl.col("list").str.starts_with("effect:")
    plain = hits.filter(~is_m)
    m = hits.filter(is_m).with_columns(
        pl.col("list").str.split(":").list.get(1).cast(pl.Int64).alias("m_rkey"),
        pl.col("list").str.split(":").list.get(2).cast(pl.Int64).alias("eid"),
    )
    m = m.filter(pl.col("m_rkey") == pl.col("rkey"))
    if m.height:
        named = effects.filter(pl.col("parties").list.len() > 0)
        scoped = match_effects(keys.join(m.select("kid").unique(), on="kid", how="semi"), named).select(
            "kid", "rkey", "eid"
        )
        m = m.join(scoped, on=["kid", "rkey", "eid"], how="semi")
    info = effects.unique(["rkey", "eid"]).select(
        "rkey",
        "eid",
        pl.col("verdict").alias("m_verdict"),
        pl.col("text").alias("m_text"),
        pl.col("citation").alias("m_citation"),
        pl.col("review_policy").alias("m_policy"),
        pl.col("control_reason").alias("m_reason"),
        pl.col("measure").alias("m_measure"),
    )
    m = m.join(info, on=["rkey", "eid"], how="left").drop("m_rkey", "eid")
    return pl.concat([plain, m], how="diagonal_relaxed")


def no_lists_hold(
    tx: pl.DataFrame,
    code: str = "csl",
    citation: str = "Consolidated Screening List",
    lists: str = "screening list",
) -> pl.DataFrame:
    """A hold for every row when the data version lacks the party lists named (fail closed)."""
    return tx.select(
        "row",
        hold_reason(code, citation, lit(f"No {lists} in the data version: parties could not be screened.")),
    )
