"""Content hashes are deterministic, survive the stored Parquet round trip, and see every change."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.store import SourceInfo, codec, version_hash

rows = st.lists(
    st.tuples(
        st.text(max_size=12),
        st.one_of(st.none(), st.integers(-(2**40), 2**40)),
        st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
        st.lists(st.text(max_size=6), max_size=3),
        st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))),
        st.booleans(),
    ),
    min_size=1,
    max_size=40,
)


def frame(data: list[tuple[object, ...]]) -> pl.DataFrame:
    return pl.DataFrame(
        data,
        schema={
            "name": pl.String,
            "n": pl.Int64,
            "x": pl.Float64,
            "aliases": pl.List(pl.String),
            "day": pl.Date,
            "flag": pl.Boolean,
        },
        orient="row",
    )


@settings(max_examples=100, deadline=None)
@given(rows)
def test_hash_survives_the_stored_round_trip(data: list[tuple[object, ...]]) -> None:
    df = frame(data)
    back = codec.decode(codec.encode(df))
    assert back.equals(df) and back.schema == df.schema
    assert codec.content_hash(back) == codec.content_hash(df) == codec.content_hash(frame(list(data)))


@settings(max_examples=100, deadline=None)
@given(rows, st.data())
def test_hash_sees_a_changed_value(data: list[tuple[object, ...]], pick: st.DataObject) -> None:
    df = frame(data)
    i = pick.draw(st.integers(0, df.height - 1))
    changed = df.with_columns(
        pl.when(pl.int_range(pl.len()) == i).then(~pl.col("flag")).otherwise(pl.col("flag"))
    )
    assert codec.content_hash(changed) != codec.content_hash(df)


def test_hash_sees_column_order_names_and_types() -> None:
    df = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert codec.content_hash(df) != codec.content_hash(df.select("b", "a"))
    assert codec.content_hash(df) != codec.content_hash(df.rename({"a": "c"}))
    assert codec.content_hash(df) != codec.content_hash(df.with_columns(pl.col("a").cast(pl.Int32)))
    assert codec.content_hash(df) == codec.content_hash(df.clone())


def test_version_hash_ignores_order_but_not_dates() -> None:
    a = SourceInfo("csl", "CSL", "f", "2026-07-31", 1, "a" * 64)
    b = SourceInfo("hts", "HTS", "f", "2025-01-01", 1, "b" * 64)
    assert version_hash([a, b]) == version_hash([b, a])
    moved = SourceInfo("csl", "CSL", "f", "2026-08-01", 1, "a" * 64)
    assert version_hash([moved, b]) != version_hash([a, b])


def test_hash_is_pinned() -> None:
    # Data versions are named by these hashes: a change here renames every stored version.
    df = pl.DataFrame(
        {"eccn": ["3A090", "4A090"], "rows": [1, 2], "src_file": ["ccl.json"] * 2, "src_line": [1, 2]}
    )
    assert codec.content_hash(df) == "a5b3db3cd924aed767db61d00967e32fff6cb9188ece0c1884e7c7f182b8973e"
