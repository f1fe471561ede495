"""Texts of small sets per key ('NS,RS'): the distinct values of each key, sorted and joined, built on
integer sets (one bit per distinct value) so that a group-by sums integers instead of sorting strings
per group; the text is made once per distinct set."""

from __future__ import annotations

import polars as pl

__all__ = ["sorted_join"]

_BITS = 62  # distinct values an Int64 set can hold


def sorted_join(frame: pl.DataFrame, key: str | list[str], value: str, sep: str, alias: str) -> pl.DataFrame:
    """(key, alias): each key's distinct non-null values sorted and joined by `sep`, exactly as
    `frame.group_by(key).agg(pl.col(value).unique().sort().str.join(sep))` ('' for a key whose values
    are all null). `key` is one column or several."""
    keys = [key] if isinstance(key, str) else key
    pairs = frame.select(*keys, pl.col(value).cast(pl.Utf8)).unique()
    codes = pairs.get_column(value).drop_nulls().unique().sort().to_list()
    if len(codes) > _BITS:
        return frame.group_by(keys).agg(pl.col(value).unique().sort().str.join(sep).alias(alias))
    bits = pl.DataFrame(
        {value: codes, "_w": [1 << i for i in range(len(codes))]}, schema={value: pl.Utf8, "_w": pl.Int64}
    )
    sets = pairs.join(bits, on=value, how="left").group_by(keys).agg(pl.col("_w").sum().alias("_set"))
    distinct = sets.get_column("_set").unique().to_list()
    texts = pl.DataFrame(
        {"_set": distinct, alias: [sep.join(c for i, c in enumerate(codes) if s >> i & 1) for s in distinct]},
        schema={"_set": pl.Int64, alias: pl.Utf8},
    )
    return sets.join(texts, on="_set", how="left").select(*keys, alias)
