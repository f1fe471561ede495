"""The EAR's own checks: the Country Chart and embargo checks of a key (GP1, GP6) and the licence
exceptions considered (Part 740), in the order of Supp. 1 to Part 732. The checks every engine makes
(coverage, parties, end use, measures) and their assembly are engine.common.checks.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from exportctl.engine.common.checks import CheckInputs, by_distinct, check
from exportctl.engine.common.checks import key_checks as common_key_checks
from exportctl.engine.common.reasons import lit

__all__ = ["US_ORDER", "CheckInputs", "chart_checks", "exception_checks", "key_checks"]

US_ORDER = (
    "coverage",
    "denied_persons",
    "embargo",
    "country_chart",
    "party_lists",
    "end_use",
    "measures",
    "license_exceptions",
)  # fmt: skip  (Supp. 1 to Part 732: GP4 parties, GP6 embargo, GP1 chart, GP5 parties and end uses)


def _eccn_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """Per ECCN: its control rows as labels ('NS2', 'RS §742.6(a)(6)(i)') and its chart columns."""
    label = pl.coalesce(pl.col("column"), pl.concat_str([pl.col("reason"), lit(" §"), pl.col("section")]))
    return rows.group_by("eccn").agg(
        label.drop_nulls().unique().sort().str.join(", ").alias("_labels"),
        pl.col("column").drop_nulls().unique().alias("_cols"),
        pl.col("column").is_null().any().alias("_text_rules"),
    )


def _chart_what() -> dict[str, pl.Expr]:
    item = pl.concat_str(
        [pl.col("eccn_base"), pl.when(pl.col("eccn_para").is_not_null()).then("." + pl.col("eccn_para"))],
        ignore_nulls=True,
    )
    marked = pl.col("_cols").list.set_intersection(pl.col("marks")).list.sort().list.join(", ")
    what = (
        pl.when(pl.col("eccn_base").is_null())
        .then(lit("no ECCN given: the item is judged by the measures that name it"))
        .when(pl.col("eccn_base") == "EAR99")
        .then(lit("EAR99 is not on the Commerce Control List: no Country Chart column applies"))
        .when(pl.col("row_iso").is_null())
        .then(pl.concat_str([item, lit(" against the Country Chart: no row for "), pl.col("destination")]))
        .otherwise(
            pl.concat_str(
                [
                    item,
                    lit(" reasons "),
                    pl.col("_labels").fill_null("(none listed)"),
                    lit(" against "),
                    pl.col("row_iso"),
                    lit("'s Country Chart row: "),
                    pl.when(marked != "").then(pl.concat_str([lit("X in "), marked])).otherwise(lit("no X")),
                    pl.when(pl.col("_text_rules").fill_null(False))
                    .then(lit("; rows without a column apply by the destinations their section names"))
                    .otherwise(lit("")),
                    pl.when(pl.col("pointer").is_not_null())
                    .then(lit(" (the row points to Part 746)"))
                    .otherwise(lit("")),
                ]
            )
        )
    )
    default = (
        pl.when(pl.col("eccn_base").is_null())
        .then(lit("not consulted"))
        .when(pl.col("pointer").is_not_null())
        .then(lit("no marks: the destination is embargoed (see the embargo check)"))
        .otherwise(lit("no license required by the chart"))
    )
    return {"w_chart": what, "d_chart": default}


def chart_checks(rows: pl.DataFrame) -> Callable[[pl.DataFrame], tuple[pl.DataFrame, list[pl.Expr]]]:
    """GP1 (Supp. 1 to Part 738) and GP6 (Part 746): the Country Chart and embargo checks of a key.

    The keys still carry the chart facts (marks, pointer, row_iso); `rows` are the CCL control rows."""

    def add(k: pl.DataFrame) -> tuple[pl.DataFrame, list[pl.Expr]]:
        # the marks are the row's date's (snapshot dating): a text per distinct marks, not one per item
        # and destination that would describe another date's marks
        chart = ["eccn_base", "eccn_para", "destination", "row_iso", "pointer", "marks"]
        if "em" in k.columns:
            # the marks are those of the chart row in the marks' epoch `em`: keyed on the epoch's integer
            # id, the marks lists are neither hashed per key nor carried by the join
            chart = [*chart[:-1], "em"]
            marks = k.select("em", "row_iso", "marks").unique(subset=["em", "row_iso"])
            distinct = (
                k.select(chart).unique().join(marks, on=["em", "row_iso"], how="left", nulls_equal=True)
            )
        else:
            distinct = k.select(chart).unique()
        facts = (
            distinct.join(_eccn_rows(rows), left_on="eccn_base", right_on="eccn", how="left")
            .with_columns(**_chart_what())
            .select(*chart, "w_chart", "d_chart")
        )
        k = k.join(facts, on=chart, how="left", nulls_equal=True)
        k = by_distinct(
            k,
            ["destination"],
            w_emb=pl.concat_str(
                [
                    lit("Part 746 embargoes and Country Chart footnotes for "),
                    pl.col("destination").fill_null("?"),
                ]
            ),
        )
        return k, [
            check(
                "country_chart", pl.col("w_chart"), pl.col("s_country_chart").fill_null(pl.col("d_chart"))
            ).alias("c_country_chart"),
            check("embargo", pl.col("w_emb"), pl.col("s_embargo").fill_null(lit("none applies"))).alias(
                "c_embargo"
            ),
        ]

    return add


def key_checks(
    keys: pl.DataFrame,
    key_reasons: pl.DataFrame,
    effects: pl.DataFrame,
    rows: pl.DataFrame,
    families: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """(kid, c_coverage, c_country_chart, c_embargo, c_end_use, c_measures): an EAR key's checks."""
    return common_key_checks(keys, key_reasons, effects, families, chart_checks(rows))


def exception_checks(exceptions: pl.Expr) -> pl.Expr:
    """The license_exceptions check from a row's exceptions considered (list of EXCEPTION_DTYPE)."""
    codes = exceptions.list.eval(pl.element().struct.field("code")).list.join(", ")
    applies = exceptions.list.eval(
        pl.element().filter(pl.element().struct.field("applies")).struct.field("code")
    ).list.join(", ")
    considered = exceptions.list.len().fill_null(0) > 0
    return check(
        "license_exceptions",
        pl.when(considered)
        .then(pl.concat_str([lit("Part 740 exceptions considered: "), codes]))
        .otherwise(lit("Part 740 license exceptions")),
        pl.when(~considered)
        .then(lit("not considered: no requirement an exception can overcome"))
        .when(applies != "")
        .then(pl.concat_str([lit("available: "), applies]))
        .otherwise(lit("none applies")),
    )
