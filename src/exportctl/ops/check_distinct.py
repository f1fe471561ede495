"""Each distinct question of a batch determined once, its answer fanned out to every row that asks it.

An order book (or an ERP's batch) asks the same question many times: the same customer, item, country
and date on many lines. A row's answer depends on its own fields only (tests/ops/test_batch_independence),
so check_table determines the first row of each distinct question and copies its result to the others.
The row number is no part of a question: it is what the copies differ in.
"""

from __future__ import annotations

import polars as pl

__all__ = ["distinct_rows", "fan_out"]


def distinct_rows(good: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """(the first row of each distinct question, its copies as {_first, row}), or (good, None) when every
    row is distinct already."""
    if good.height < 2:
        return good, None
    keys = [c for c in good.columns if c != "row"]
    groups = good.group_by(keys, maintain_order=True).agg(pl.col("row").alias("_rows"))
    if groups.height == good.height:
        return good, None
    firsts = groups.with_columns(row=pl.col("_rows").list.first())
    copies = firsts.select(pl.col("row").alias("_first"), pl.col("_rows").alias("row")).explode("row")
    return firsts.select(good.columns), copies


def fan_out(out: pl.DataFrame, copies: pl.DataFrame | None) -> pl.DataFrame:
    """Each result of `out` (keyed by `row`) given to every copy of its row; rows without copies (input
    errors, which name their own row) kept as they are."""
    if copies is None:
        return out
    copied = out.rename({"row": "_first"}).join(copies, on="_first", how="inner").drop("_first")
    alone = out.join(copies, left_on="row", right_on="_first", how="anti")
    return pl.concat([copied.select(out.columns), alone], how="vertical")
