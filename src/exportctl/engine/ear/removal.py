"""`control_removed` effects: CCL snapshot rows that were not in force (or not yet written) on the date.

The July 2026 CCL carries text that did not exist earlier (3A090.c before Dec 2, 2024) or was not
enforced (the AI diffusion rows after May 13, 2025). Measures take such rows out on their dates; an item
whose whole classification did not exist on the date gets a hold, never a silent "no license".
"""

from __future__ import annotations

import polars as pl

from exportctl.engine.common.reasons import lit, reason_struct
from exportctl.engine.ear.tables import EarTables


def paras_overlap(paras: list[str], sel: str | None) -> bool:
    """A removal naming subparagraph `sel` (every one when None) meets a row listing `paras`."""
    if sel is None:  # polars 2.2 calls the function on the rows its when() has already answered
        return True
    return any(p == sel or p.startswith(sel + ".") or sel.startswith(p + ".") for p in paras)


def apply_removals(
    ccl: pl.DataFrame, keys: pl.DataFrame, effects: pl.DataFrame, tables: EarTables
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(CCL requirements left, hold reasons for items that did not exist on the date)."""
    empty = pl.DataFrame(schema={"kid": pl.Int64})
    rem = (
        effects.filter((pl.col("kind") == "control_removed") & (pl.col("sel") == "eccn"))
        if effects.height
        else effects
    )
    if rem.height == 0:
        return ccl, empty
    rem = rem.select(
        "rkey",
        "measure",
        "effect",
        "sel_base",
        "sel_para",
        "control_reason",
        "ccl_rows",
        "dests",
        "citation",
        "text",
    )
    k = keys.select("kid", "rkey", "eccn_base", "eccn_para", "destination")
    kr = k.join(rem, left_on=["rkey", "eccn_base"], right_on=["rkey", "sel_base"], how="inner").filter(
        pl.col("dests").is_null() | pl.col("dests").list.contains(pl.col("destination"))
    )
    if kr.height == 0:
        return ccl, empty
    # the item as classified did not exist: the whole ECCN (or the item's own subparagraph) was taken out
    para = pl.concat_str([pl.col("eccn_para").fill_null(""), lit(".")])
    gone = kr.filter(
        pl.col("control_reason").is_null()
        & pl.col("ccl_rows").is_null()
        & (
            pl.col("sel_para").is_null()
            | (
                pl.col("eccn_para").is_not_null()
                & para.str.starts_with(pl.concat_str([pl.col("sel_para"), lit(".")]))
            )
        )
    )
    missing = gone.unique("kid").select(
        "kid",
        reason_struct(
            step=lit("DATA"),
            code=lit("not_in_force"),
            measure=pl.col("measure"),
            citation=pl.col("citation"),
            effect=lit("hold"),
            le_ok=pl.lit(False),
            conditional=pl.lit(False),
            text=pl.concat_str(
                [lit("This classification was not on the CCL on the date asked: "), pl.col("text")]
            ),
        ),
    )
    if ccl.height == 0:
        return ccl, missing
    rows = tables.rows.select(
        "row_id", "scope_kind", "paras", "dest_rule", pl.col("reason").alias("row_reason")
    )
    c = ccl.join(k.select("kid", "rkey", "eccn_base"), on="kid").join(rows, on="row_id")
    pairs = c.join(kr.select("kid", "sel_para", "control_reason", "ccl_rows"), on="kid", how="inner").filter(
        (pl.col("control_reason").is_null() | (pl.col("control_reason") == pl.col("row_reason")))
        & (pl.col("ccl_rows").is_null() | (pl.col("ccl_rows") == pl.col("dest_rule")))
    )
    hit = pairs.with_columns(
        removed=pl.when(pl.col("sel_para").is_null())
        .then(True)
        .when(pl.col("scope_kind") == "listed")
        .then(
            pl.struct("paras", "sel_para").map_elements(
                lambda s: paras_overlap(list(s["paras"] or []), s["sel_para"]), return_dtype=pl.Boolean
            )
        )
        .otherwise(False)
    ).filter(pl.col("removed"))
    left = ccl.join(hit.select("kid", "row_id").unique(), on=["kid", "row_id"], how="anti")
    return left, missing
