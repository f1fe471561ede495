"""All-in floors: a layer whose effect gives `floor_pct` brings the line's duty up to that rate.

On a line the layer's rate is max(0, floor_pct - the base ad valorem rate), the base being the rate the
line pays before the additional duties (the general column, or the column/program the stack used). A
base with a specific part (specific or compound) or one that cannot be parsed has no single ad valorem
rate: the floor is then not computable, the layer leaves the total and is shown as an advisory with a
note saying why. Nothing here knows a country or a rate: the floors come from the measures.
"""

from __future__ import annotations

import polars as pl

_COMPUTABLE = ("free", "ad_valorem")
ADVISORY_FIELDS = ["kind", "program", "rate_pct", "measure", "description", "note"]


def _pct(col: str) -> pl.Expr:
    """A rate column as text without a trailing '.0' (15.0 -> '15', 2.5 -> '2.5')."""
    return pl.col(col).round(4).cast(pl.Utf8).str.replace(r"\.0$", "")


def apply_floors(comp: pl.DataFrame, base: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Rates of the floor layers from each line's base rate.

    `comp`: the kept components (line_id, floor_pct, rate_pct, program, heading, measure, ref, ...);
    `base`: line_id, base_column, mfn_text, rate_kind, rate_ad_valorem_pct. Returns the components with
    the floors computed (the not computable ones removed), the notes per line (line_id, floor_notes) and
    the advisories of the floors not computable (ADVISORY_FIELDS plus line_id).
    """
    if "floor_pct" not in comp.columns:
        comp = comp.with_columns(pl.lit(None, dtype=pl.Float64).alias("floor_pct"))
    empty_notes = pl.DataFrame(schema={"line_id": pl.Int64, "floor_notes": pl.List(pl.Utf8)})
    floors = comp.filter(pl.col("floor_pct").is_not_null())
    if floors.is_empty():
        adv = comp.head(0).select(
            "line_id",
            pl.lit("tariff").alias("kind"),
            "program",
            "rate_pct",
            "measure",
            pl.lit(None, dtype=pl.Utf8).alias("description"),
            pl.lit(None, dtype=pl.Utf8).alias("note"),
        )
        return comp, empty_notes, adv
    f = floors.join(base, on="line_id", how="left").with_columns(
        pl.col("rate_kind").is_in(_COMPUTABLE).fill_null(False).alias("_ok"),
        pl.when(pl.col("rate_kind") == "free")
        .then(pl.lit(0.0))
        .otherwise(pl.col("rate_ad_valorem_pct"))
        .alias("_base"),
    )
    f = f.with_columns(
        pl.when(pl.col("_ok"))
        .then(pl.max_horizontal(pl.lit(0.0), pl.col("floor_pct") - pl.col("_base")).round(4))
        .otherwise(None)
        .alias("rate_pct")
    )
    label = pl.col("program").fill_null("") + pl.lit(" ") + pl.col("heading").fill_null("")
    base_name = pl.col("base_column").fill_null("base").str.replace("_", " ")
    applied = (
        label
        + pl.lit(": all-in floor ")
        + _pct("floor_pct")
        + pl.lit("% less the ")
        + base_name
        + pl.lit(" rate ")
        + _pct("_base")
        + pl.lit("% ad valorem (")
        + pl.col("mfn_text").fill_null("")
        + pl.lit(") = ")
        + _pct("rate_pct")
        + pl.lit("%")
    )
    kind_text = pl.col("rate_kind").fill_null("unknown")
    missing = (
        label
        + pl.lit(": all-in floor ")
        + _pct("floor_pct")
        + pl.lit("% not computable: the ")
        + base_name
        + pl.lit(" rate '")
        + pl.col("mfn_text").fill_null("")
        + pl.lit("' is ")
        + kind_text
        + pl.lit(", not a single ad valorem rate; the layer is left out of the total")
    )
    f = f.with_columns(pl.when(pl.col("_ok")).then(applied).otherwise(missing).alias("_note"))
    notes = f.group_by("line_id").agg(pl.col("_note").alias("floor_notes"))
    adv = f.filter(~pl.col("_ok")).select(
        "line_id",
        pl.lit("tariff").alias("kind"),
        "program",
        pl.lit(None, dtype=pl.Float64).alias("rate_pct"),
        "measure",
        pl.lit("all-in floor not computable on a specific or compound base rate").alias("description"),
        pl.col("_note").alias("note"),
    )
    done = f.filter(pl.col("_ok")).select(comp.columns)
    rest = comp.filter(pl.col("floor_pct").is_null())
    out = pl.concat([rest, done], how="vertical_relaxed").sort("line_id", "program", "heading")
    return out, notes, adv
