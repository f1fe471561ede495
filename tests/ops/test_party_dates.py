"""Dates of birth in parties files, read as order books read dates (ops.party_dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.party_dates import file_dobs

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))


@given(DAYS, st.sampled_from(["/", ".", "-"]))
def test_a_day_first_column_settled_by_another_value_reads_every_date(day: dt.date, sep: str) -> None:
    settling = f"31{sep}12{sep}1975"  # a day over 12: the column writes the day first
    got = file_dobs([day.strftime(f"%d{sep}%m{sep}%Y"), settling, None, "1957", "1957-03"])
    assert got == [day.isoformat(), "1975-12-31", None, "1957", "1957-03"]


@given(DAYS)
def test_a_month_first_column_reads_month_first(day: dt.date) -> None:
    assert file_dobs([day.strftime("%m/%d/%Y"), "12/31/1975"])[0] == day.isoformat()


@given(DAYS)
def test_iso_and_partial_dates_pass_as_written(day: dt.date) -> None:
    cells = [day.isoformat(), str(day.year), f"{day.year}-{day.month:02d}", ""]
    assert file_dobs(cells) == cells


def test_an_ambiguous_date_nothing_settles_is_refused_naming_its_line() -> None:
    # 11/03/1957 is 11 March or 3 November: a wrong reading would contradict a listed person's date of
    # birth and lower the hit below the alert threshold (fail open), so it is never guessed
    with pytest.raises(InputError) as err:
        file_dobs(["1960-01-01", "11/03/1957"], "parties.csv")
    assert err.value.field == "dob" and err.value.line == 3 and err.value.file == "parties.csv"
    assert "11 Mar 1957" in err.value.message and "YYYY-MM-DD" in err.value.message


def test_a_column_settling_both_orders_settles_nothing() -> None:
    with pytest.raises(InputError):
        file_dobs(["31/12/1975", "12/31/1975", "11/03/1957"])


def test_text_that_is_no_date_is_left_for_the_check_to_refuse() -> None:
    assert file_dobs(["unknown", "31/12/1975"]) == ["unknown", "1975-12-31"]
