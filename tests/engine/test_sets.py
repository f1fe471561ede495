"""sorted_join answers exactly as the per-group sort and join it replaces, on any keys and values."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.common.sets import sorted_join

VALUES = st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["NS", "RS", "AT", "RS-RU", "LVS"]))


def _reference(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.group_by("k").agg(pl.col("v").unique().sort().str.join(",").alias("t")).sort("k")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), VALUES), max_size=40))
def test_sorted_join_matches_group_sort_join(rows: list[tuple[int, str | None]]) -> None:
    frame = pl.DataFrame(rows, schema={"k": pl.Int64, "v": pl.Utf8}, orient="row")
    got = sorted_join(frame, "k", "v", ",", "t").sort("k")
    assert got.to_dicts() == _reference(frame).to_dicts()


def test_sorted_join_past_an_integer_set() -> None:
    frame = pl.DataFrame({"k": [i % 3 for i in range(200)], "v": [f"c{i:03d}" for i in range(200)]})
    got = sorted_join(frame, "k", "v", ",", "t").sort("k")
    assert got.to_dicts() == _reference(frame).to_dicts()
    assert got["t"][0].startswith("c000,c003,")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["a", "b"]), VALUES), max_size=30))
def test_sorted_join_on_several_key_columns(rows: list[tuple[int, str, str | None]]) -> None:
    frame = pl.DataFrame(rows, schema={"k": pl.Int64, "c": pl.Utf8, "v": pl.Utf8}, orient="row")
    got = sorted_join(frame, ["k", "c"], "v", ", ", "t").sort("k", "c")
    want = frame.group_by("k", "c").agg(pl.col("v").unique().sort().str.join(", ").alias("t")).sort("k", "c")
    assert got.to_dicts() == want.to_dicts()
