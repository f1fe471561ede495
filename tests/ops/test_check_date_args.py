"""A library caller's `as_of` / `known_on`: a date or its ISO string; anything else is InputError(field)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.check import Context, check_one
from exportctl.ops.check_input import day_arg, transaction_row

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(DAYS)
def test_iso_string_reads_as_its_date(day: dt.date) -> None:
    assert day_arg(day.isoformat(), "as_of") == day
    assert day_arg(f"  {day.isoformat()} ", "known_on") == day
    assert day_arg(day, "as_of") == day
    assert day_arg(dt.datetime.combine(day, dt.time(13, 5)), "as_of") == day


@given(DAYS)
def test_transaction_row_takes_strings_as_dates(day: dt.date) -> None:
    by_string = transaction_row(
        destination="CN", eccn="3A090", as_of=day.isoformat(), known_on=day.isoformat()
    )
    by_date = transaction_row(destination="CN", eccn="3A090", as_of=day, known_on=day)
    assert by_string == by_date


def _not_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return True
    return False


@given(st.text(max_size=20).filter(_not_iso), st.sampled_from(["as_of", "known_on"]))
def test_bad_strings_name_their_field(text: str, field: str) -> None:
    with pytest.raises(InputError) as err:
        transaction_row(destination="CN", eccn="3A090", **{field: text})  # type: ignore[arg-type]
    assert err.value.field == field


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.lists(st.integers(), max_size=2)))
def test_non_dates_name_their_field(value: object) -> None:
    with pytest.raises(InputError) as err:
        day_arg(value, "known_on")  # type: ignore[arg-type]
    assert err.value.field == "known_on"


@settings(max_examples=5, deadline=None)
@given(st.sampled_from([dt.date(2025, 6, 1), dt.date(2026, 7, 24)]))
def test_check_one_answers_a_string_as_its_date(ctx: Context, day: dt.date) -> None:
    by_string = check_one(eccn="3A090", destination="CN", as_of=day.isoformat(), context=ctx)
    by_date = check_one(eccn="3A090", destination="CN", as_of=day, context=ctx)
    assert by_string == by_date
    with pytest.raises(InputError) as err:
        check_one(eccn="3A090", destination="CN", as_of="2025-13-01", context=ctx)
    assert err.value.field == "as_of"
