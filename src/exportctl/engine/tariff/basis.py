"""The base each duty layer is charged on: the customs value, or the value of a metal content.

A layer's `basis` is data (`exportctl.registry.schema.Basis`). Section 232 duties on derivative articles
were charged on the value of the steel, aluminum or copper content (Proclamations 10895/10896 for
derivatives outside chapters 73 and 76, 10947 from Jun 4, 2025 for all of them, 10962 for copper), and the
non-metal content stayed subject to the duties those layers otherwise turn off (the reciprocal duty, the
Section 122 surcharge). So:

  - a line may carry `steel_content`, `aluminum_content`, `copper_content`: dollar values of the content
    (what the importer declares to CBP). The share of a content basis is content / value, in [0, 1];
  - without the content (or without a positive value) the share is 1 and `basis_assumed` is true: the
    whole value is charged, as CBP assesses when the content value is not declared;
  - a layer with a content basis that names `excludes_programs` turns those programs off on its share
    only: they apply to the rest (`basis` `non_metal_content`), 1 minus the shares of the distinct content
    bases that exclude them; a `value`-basis excluder turns them off entirely.
"""

from __future__ import annotations

import polars as pl

from exportctl.registry.schema import BASES

CONTENT_BASES: tuple[str, ...] = tuple(b for b in BASES if b != "value")
REST = "non_metal_content"  # the basis of a layer charged on what a content-basis layer leaves over
_EPS = 1e-9


def shares(q: pl.DataFrame) -> pl.DataFrame:
    """(line_id, basis, basis_share, basis_assumed, content) for every basis and line of `q`."""
    value = pl.col("value")
    parts = [
        q.select(
            "line_id",
            pl.lit("value").alias("basis"),
            pl.lit(1.0).alias("basis_share"),
            pl.lit(False).alias("basis_assumed"),
            pl.lit(None, dtype=pl.Float64).alias("content"),
        )
    ]
    for b in CONTENT_BASES:
        known = pl.col(b).is_not_null() & value.is_not_null() & (value > 0)
        parts.append(
            q.select(
                "line_id",
                pl.lit(b).alias("basis"),
                pl.when(known).then((pl.col(b) / value).clip(0.0, 1.0)).otherwise(1.0).alias("basis_share"),
                (~known).alias("basis_assumed"),
                pl.col(b).cast(pl.Float64).alias("content"),
            )
        )
    return pl.concat(parts)


def split_exclusions(
    duties: pl.DataFrame, excluders: pl.DataFrame, share: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Duties kept (with `basis_share`, `basis_assumed`, `basis`) and duties excluded (with `excluded_by`).

    `excluders`: (line_id, program, excluded_by, xbasis), one row per excluding layer and program.
    """
    own = duties.join(share.drop("content"), on=["line_id", "basis"], how="left")
    x = excluders.join(
        share.select("line_id", pl.col("basis").alias("xbasis"), pl.col("basis_share").alias("xshare")),
        on=["line_id", "xbasis"],
        how="left",
    )
    keys = ["line_id", "program"]
    by = x.group_by(keys).agg(pl.col("excluded_by").sort().first())
    xs = (
        x.unique([*keys, "xbasis"])
        .group_by(keys)
        .agg((pl.col("xbasis") == "value").any().alias("_full"), pl.col("xshare").sum().alias("_covered"))
        .with_columns(
            pl.when(pl.col("_full"))
            .then(0.0)
            .otherwise((1.0 - pl.col("_covered")).clip(0.0, 1.0))
            .alias("_rest")
        )
        .join(by, on=keys)
    )
    hit = own.join(xs, on=["line_id", "program"], how="left")
    gone = hit.filter(pl.col("_rest").is_not_null() & (pl.col("_rest") <= _EPS))
    kept = hit.filter(pl.col("_rest").is_null() | (pl.col("_rest") > _EPS)).with_columns(
        pl.when(pl.col("_rest").is_not_null())
        .then(pl.col("basis_share") * pl.col("_rest"))
        .otherwise(pl.col("basis_share"))
        .alias("basis_share"),
        pl.when(pl.col("_rest").is_not_null()).then(pl.lit(REST)).otherwise(pl.col("basis")).alias("basis"),
    )
    drop = ["_full", "_covered", "_rest"]
    return kept.drop([*drop, "excluded_by"]), gone.drop(drop)


def notes(comp: pl.DataFrame) -> pl.DataFrame:
    """(line_id, _basis_notes): what each content or remainder basis charged, per line."""
    pct = (pl.col("basis_share") * 100).round(2).cast(pl.Utf8)
    metal = pl.col("basis").str.replace("_content", "")
    where = pl.col("heading").fill_null("") + " (" + pl.col("program") + ")"
    text = (
        pl.when(pl.col("basis") == REST)
        .then(
            where
            + pl.lit(" charged on the value left after the Section 232 metal content: ")
            + pct
            + pl.lit("% of the customs value")
        )
        .when(pl.col("basis_assumed"))
        .then(
            where
            + pl.lit(" is charged on the value of the ")
            + metal
            + pl.lit(" content; none given (--")
            + pl.col("basis").str.replace("_", "-")
            + pl.lit(" with --value, or the batch column ")
            + pl.col("basis")
            + pl.lit("): the whole customs value is assumed")
        )
        .otherwise(
            where
            + pl.lit(" charged on the ")
            + metal
            + pl.lit(" content: ")
            + pct
            + pl.lit("% of the customs value")
        )
    )
    return (
        comp.filter(pl.col("basis") != "value")
        .with_columns(text.alias("_note"))
        .group_by("line_id")
        .agg(pl.col("_note").unique(maintain_order=True).alias("_basis_notes"))
    )
