"""GP1 (and GP6 pointers): the ECCN's control rows against the destination's Country Chart row."""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from exportctl.engine.common.reasons import lit, reason_struct
from exportctl.engine.ear.chart import para_applies
from exportctl.engine.ear.groups import dest_rule_applies
from exportctl.engine.ear.tables import EarTables

CHART_CITE = "15 CFR 738 Supp. 1 (Commerce Country Chart)"


def ccl_requirements(keys: pl.DataFrame, tables: EarTables) -> pl.DataFrame:
    """Rows (kid, row_id, reason) for every CCL control row that reaches the key's destination.

    `keys` carries kid, eccn_base, eccn_para and the destination facts (groups.destination_facts).
    Embargoed destinations (chart rows pointing to Part 746) are left to `embargo_requirements`.
    The chart changes with the date only through the dated marks and groups (their epochs `em`, `eg`
    from dating.prepare): the work is done once per distinct (ECCN, paragraph, chart row, epochs) and
    joined back to the keys.
    """
    cols = ["eccn_base", "eccn_para", "row_iso", *[c for c in ("eg", "em") if c in keys.columns]]
    ckeys = (
        keys.select(*cols, "marks", "groups", "footnotes", "pointer")
        .unique(cols)
        .with_row_index("ckid")
        .with_columns(pl.col("ckid").cast(pl.Int64))
    )
    per_chart = _ccl_requirements(ckeys.rename({"ckid": "kid"}), tables).rename({"kid": "ckid"})
    link = keys.select("kid", *cols).join(ckeys.select("ckid", *cols), on=cols, how="inner", nulls_equal=True)
    return link.select("kid", "ckid").join(per_chart, on="ckid", how="inner").drop("ckid")


def _ccl_requirements(keys: pl.DataFrame, tables: EarTables) -> pl.DataFrame:
    items = keys.filter(pl.col("eccn_base").is_not_null() & (pl.col("eccn_base") != "EAR99"))
    joined = items.join(tables.rows, left_on="eccn_base", right_on="eccn", how="inner")
    if joined.height == 0:
        return pl.DataFrame(schema={"kid": pl.Int64, "row_id": pl.UInt32, "rreason": pl.Utf8})
    cover = (
        joined.select("eccn_para", "row_id", "scope_kind", "paras")
        .unique(["eccn_para", "row_id"])
        .with_columns(
            applies=pl.struct("scope_kind", "paras", "eccn_para").map_elements(
                lambda s: para_applies(s["scope_kind"], list(s["paras"] or []), s["eccn_para"]),
                return_dtype=pl.Utf8,
            )
        )
        .select("eccn_para", "row_id", "applies")
    )
    joined = joined.join(cover, on=["eccn_para", "row_id"], how="left", nulls_equal=True)
    hits = joined.filter(
        (pl.col("applies") != "no") & pl.col("pointer").is_null() & pl.col("row_iso").is_not_null()
    ).filter(dest_rule_applies(pl.col("dest_rule")))
    conditional = (pl.col("applies") == "conditional") | pl.col("dest_rule").is_in(
        ["see_text", "cwc_non_party"]
    )
    where = (
        pl.when(pl.col("applies") == "conditional")
        .then(
            pl.concat_str(
                [
                    lit(" Applies only to part of the entry ("),
                    pl.col("control"),
                    lit("): classify to the subparagraph."),
                ]
            )
        )
        .otherwise(lit(""))
    )
    cite = pl.concat_str(
        [lit("15 CFR 774 Supp. 1, ECCN "), pl.col("eccn_base"), lit("; 15 CFR "), pl.col("section")]
    )
    cite = (
        pl.when(pl.col("column").is_not_null())
        .then(pl.concat_str([cite, lit("; " + CHART_CITE)]))
        .otherwise(cite)
    )
    text = pl.concat_str(
        [
            pl.col("reason"),
            lit(" control of "),
            pl.col("eccn_base"),
            pl.when(pl.col("column").is_not_null())
            .then(pl.concat_str([lit(": X in column "), pl.col("column"), lit(" for the destination.")]))
            .otherwise(pl.concat_str([lit(": "), pl.col("chart_text").str.slice(0, 240)])),
            where,
        ]
    )
    return hits.select(
        "kid",
        "row_id",
        pl.col("reason").alias("rreason"),
        reason_struct(
            step=lit("GP1"),
            code=pl.col("reason"),
            column=pl.col("column"),
            citation=cite,
            effect=lit("license_required"),
            le_ok=pl.lit(True),
            conditional=conditional,
            text=text,
        ),
    )


def embargo_requirements(keys: pl.DataFrame) -> pl.DataFrame:
    """GP6: destinations whose chart row has no marks and points to Part 746 (Cuba, Iran, N. Korea, Syria)."""
    hits = keys.filter(pl.col("pointer").is_not_null())
    return hits.select(
        "kid",
        reason_struct(
            step=lit("GP6"),
            code=lit("Part 746"),
            citation=pl.concat_str([lit(CHART_CITE + ": "), pl.col("pointer")]),
            effect=lit("license_required"),
            review_policy=lit("see Part 746 (generally denial)"),
            le_ok=pl.lit(False),
            conditional=pl.lit(False),
            text=pl.concat_str(
                [lit("Embargoed destination: the chart row carries no marks and says: "), pl.col("pointer")]
            ),
        ),
    )


def footnote_rules(footnotes: dict[int, str]) -> list[dict[str, Any]]:
    """What each chart footnote imposes: FN 6 on any CCL item (§746.8), FN 7 and FN 10 on the ECCNs their
    texts name (FN 7 as RS column 2)."""
    rows: list[dict[str, Any]] = []
    for number, text in footnotes.items():
        eccns = sorted(set(re.findall(r"\b\d[A-E]\d{3}(?:\.[a-z0-9]+(?:\.[a-z0-9]+)*)?", text)))
        if number == 6:
            rows.append(
                {"fn": number, "sel": "any_ccl", "eccn": None, "ftext": text, "fcol": None, "fsec": "746.8"}
            )
        elif number in (7, 10) and eccns:
            col = "RS2" if number == 7 else None
            for e in eccns:
                rows.append(
                    {"fn": number, "sel": "eccn", "eccn": e, "ftext": text, "fcol": col, "fsec": None}
                )
    return rows


def footnote_requirements(keys: pl.DataFrame, tables: EarTables) -> pl.DataFrame:
    """Chart footnotes that impose what the grid does not show (FN 6 Russia/Belarus, FN 7 India, FN 10)."""
    rows = footnote_rules(tables.footnotes)
    if not rows:
        return pl.DataFrame(schema={"kid": pl.Int64, "fn": pl.Int64})
    fns = pl.DataFrame(
        rows,
        schema={
            "fn": pl.Int64,
            "sel": pl.Utf8,
            "eccn": pl.Utf8,
            "ftext": pl.Utf8,
            "fcol": pl.Utf8,
            "fsec": pl.Utf8,
        },
    )
    k = (
        keys.select("kid", "eccn_base", "eccn_para", "footnotes")
        .explode("footnotes")
        .rename({"footnotes": "fn"})
    )
    j = k.join(fns, on="fn", how="inner")
    fb = pl.col("eccn").str.split(".").list.first()
    fp = pl.col("eccn").str.split_exact(".", 1).struct.field("field_1")
    full = pl.concat_str([pl.col("eccn_para").fill_null(""), lit(".")])
    item_hit = (
        (pl.col("sel") == "any_ccl") & pl.col("eccn_base").is_not_null() & (pl.col("eccn_base") != "EAR99")
    ) | ((pl.col("sel") == "eccn") & (pl.col("eccn_base") == fb))
    j = j.filter(item_hit)
    para_cond = (
        (pl.col("sel") == "eccn")
        & pl.col("eccn").str.contains(r"\.")
        & ~full.str.starts_with(
            pl.concat_str([pl.col("eccn").str.splitn(".", 2).struct.field("field_1").fill_null(""), lit(".")])
        )
    )
    ear99_ru = keys.filter(pl.col("footnotes").list.contains(6) & (pl.col("eccn_base") == "EAR99")).select(
        "kid",
        reason_struct(
            step=lit("GP6"),
            code=lit("FN6"),
            citation=lit(CHART_CITE + ", footnote 6; 15 CFR 746.8"),
            effect=lit("hold"),
            le_ok=pl.lit(False),
            conditional=pl.lit(True),
            text=lit(
                "EAR99 to Russia or Belarus: §746.8 and Supps. 2, "
                "4-7 to Part 746 list EAR99 items by HTS code; "
                "the item's HTS code must be checked by a person."
            ),
        ),
    )
    _ = fp
    reasons = j.select(
        "kid",
        reason_struct(
            step=pl.when(pl.col("fn") == 6).then(lit("GP6")).otherwise(lit("GP1")),
            code=pl.concat_str([lit("FN"), pl.col("fn").cast(pl.Utf8)]),
            column=pl.col("fcol"),
            citation=pl.concat_str([lit(CHART_CITE + ", footnote "), pl.col("fn").cast(pl.Utf8)])
            + pl.when(pl.col("fsec").is_not_null())
            .then(pl.concat_str([lit("; 15 CFR "), pl.col("fsec")]))
            .otherwise(lit("")),
            effect=lit("license_required"),
            le_ok=pl.col("fn") != 6,
            conditional=para_cond,
            text=pl.col("ftext").str.slice(0, 300),
        ),
    )
    return pl.concat([reasons, ear99_ru])
