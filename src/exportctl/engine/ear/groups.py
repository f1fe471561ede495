"""Destinations as facts: the Country Chart row a destination takes on a date, its marks and its groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.common.party_reasons import chain
from exportctl.engine.ear.tables import EarTables
from exportctl.registry.rules import WordRule, ear_rules

if TYPE_CHECKING:
    from exportctl.engine.ear.dating import Dated


# each dated marks/groups frame's rows per (epoch, country), kept per frame: dating.prepare keeps an epoch's
# frames, so a new day of a known epoch (a single answer on a day not asked) aggregates nothing
_AGGREGATED: ByIdentity[pl.DataFrame] = ByIdentity(4)  # a marks and a groups frame, of two dates


def destination_facts(dests: pl.DataFrame, tables: EarTables, dated: Dated | None = None) -> pl.DataFrame:
    """For distinct (destination, as_of): chart row, marks, footnotes, pointer, Country Groups.

    Hong Kong takes China's row from the date the chart's inheritance note gives; before that the
    snapshot has no Hong Kong row, so `row_iso` is null and the engine answers hold. With `dated`
    (and an `rkey` column) the marks and groups are those of each regime's date (dating.prepare);
    without it, the snapshot's.
    """
    inherit = tables.inherit.select("iso", "row_iso", "since")
    chart_isos = tables.chart.select(pl.col("iso").alias("row_iso"), pl.lit(True).alias("_has_row"))
    out = dests.join(inherit, left_on="destination", right_on="iso", how="left")
    out = out.with_columns(
        row_iso=pl.when(
            pl.col("row_iso").is_not_null()
            & (pl.col("since").is_null() | (pl.col("as_of") >= pl.col("since")))
        )
        .then(pl.col("row_iso"))
        # a region (ISO 3166-2, e.g. UA-43 Crimea) takes its country's chart row
        .otherwise(pl.col("destination").str.split("-").list.first())
    ).drop("since")
    out = (
        out.join(chart_isos, on="row_iso", how="left")
        .with_columns(row_iso=pl.when(pl.col("_has_row")).then(pl.col("row_iso")).otherwise(None))
        .drop("_has_row")
    )
    chart = tables.chart.select("iso", "footnotes", "pointer")
    if dated is not None and "rkey" in out.columns:
        marks = _AGGREGATED.get_or_build(
            dated.marks, lambda: dated.marks.group_by("em", "iso").agg(pl.col("column").alias("marks"))
        )
        groups = _AGGREGATED.get_or_build(
            dated.groups, lambda: dated.groups.group_by("eg", "iso").agg(pl.col("group").alias("groups"))
        )
        out = out.join(dated.epochs, on="rkey", how="left")
        out = out.join(marks, left_on=["em", "row_iso"], right_on=["em", "iso"], how="left")
        out = out.join(groups, left_on=["eg", "row_iso"], right_on=["eg", "iso"], how="left")
        # eg/em (the epochs of the groups and marks) stay: work done once per chart row keys on them
        out = out.join(chart, left_on="row_iso", right_on="iso", how="left")
    else:
        marks = tables.marks.group_by("iso").agg(pl.col("column").alias("marks"))
        groups = tables.groups.group_by("iso").agg(pl.col("group").alias("groups"))
        for frame in (marks, groups, chart):
            out = out.join(frame, left_on="row_iso", right_on="iso", how="left")
    return out.with_columns(
        pl.col("marks").fill_null(pl.lit([], pl.List(pl.Utf8))),
        pl.col("groups").fill_null(pl.lit([], pl.List(pl.Utf8))),
        pl.col("footnotes").cast(pl.List(pl.Int64)).fill_null(pl.lit([], pl.List(pl.Int64))),
    )


def in_group(group: str) -> pl.Expr:
    """The destination's chart row is in a Country Group."""
    return pl.col("groups").list.contains(pl.lit(group))


def _reaches(rule: WordRule) -> pl.Expr:
    """The destination's chart row is one a worded CCL row reaches (rules file `ccl_destination_words`)."""
    if rule.everywhere:
        return pl.lit(True)
    if rule.footnote is not None:
        return pl.col("footnotes").list.contains(rule.footnote)

    def among(codes: list[str]) -> pl.Expr:
        isos = [c for c in codes if ":" not in c]
        parts = ([pl.col("row_iso").is_in(isos)] if isos else []) + [in_group(g) for g in codes if ":" in g]
        return parts[0] if len(parts) == 1 else pl.any_horizontal(*parts)

    if rule.destinations is None:
        return ~among(rule.excluding)
    named = among(rule.destinations)
    return named & ~among(rule.excluding) if rule.excluding else named


def dest_rule_applies(rule: pl.Expr) -> pl.Expr:
    """Whether a CCL row's destination test (chart.dest_rule) reaches the destination's row."""
    col = rule.str.strip_prefix("col:")
    worded = [(rule == rid, _reaches(w)) for rid, w in ear_rules().ccl_destination_words.items()]
    steps = [(rule.str.starts_with("col:"), pl.col("marks").list.contains(col)), *worded]
    return chain(steps, pl.lit(True))  # see_text: fail closed
