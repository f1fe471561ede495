"""effects_frame builds the same frame as polars' own reading of the rows (column-wise, lists via Arrow)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.common.measures import EFFECT_SCHEMA, effects_frame

TEXT = st.one_of(st.none(), st.text(max_size=6))
LISTS = st.one_of(st.none(), st.lists(st.one_of(st.none(), st.text(max_size=4)), max_size=3))


def _value(dtype: Any) -> st.SearchStrategy[Any]:
    if isinstance(dtype, pl.List):
        return LISTS
    if dtype == pl.Int64:
        return st.one_of(st.none(), st.integers(-(2**40), 2**40))
    if dtype == pl.Date:
        return st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)))
    if dtype == pl.Boolean:
        return st.one_of(st.none(), st.booleans())
    return TEXT


ROW = st.fixed_dictionaries({k: _value(v) for k, v in EFFECT_SCHEMA.items()})


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(ROW, max_size=8))
def test_effects_frame_equals_polars_row_reading(rows: list[dict[str, Any]]) -> None:
    built = effects_frame(rows, arrow_from=0)  # the Arrow path (a batch's regimes); few rows read by polars
    expected = pl.DataFrame(rows, schema=EFFECT_SCHEMA)
    assert built.schema == expected.schema
    assert built.equals(expected, null_equal=True)
