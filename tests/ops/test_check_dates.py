"""ops.check_dates: the dates order books write, read only when one reading exists or is stated."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.check_dates import DMY, MDY, SERIAL_RANGE, column_order, parse_book_date

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))


def _serial(d: dt.date) -> int:
    return (d - dt.date(1899, 12, 30)).days


@given(d=days, style=st.integers(0, 10))
def test_unambiguous_spellings_read_back(d: dt.date, style: int) -> None:
    text = [
        d.isoformat(),
        f"{d.isoformat()}T13:45:00Z",
        f"{d.isoformat()} 00:00:00",
        f"{d.isoformat()} 00:00:00.000000+0200",
        f"{d:%Y%m%d}",
        f"{d:%Y/%m/%d}",
        f"{d:%Y.%m.%d}",
        f"{d:%d %b %Y}",
        f"{d:%d-%b-%Y}",
        f"{d:%B} {d.day}, {d.year}",
        str(_serial(d)),
    ][style]
    assert parse_book_date(text, "as_of") == d


@given(d=days, sep=st.sampled_from("/.-"), day_first=st.booleans())
def test_day_and_month_in_digits(d: dt.date, sep: str, day_first: bool) -> None:
    text = (f"{d:%d}{sep}{d:%m}" if day_first else f"{d:%m}{sep}{d:%d}") + f"{sep}{d.year}"
    if d.day > 12 or d.day == d.month:
        assert parse_book_date(text, "as_of") == d  # one reading only
    else:
        with pytest.raises(InputError) as err:
            parse_book_date(text, "as_of")
        assert err.value.field == "as_of" and "ambiguous" in err.value.message
    # stated (by the user, or settled by the column), it reads either way
    order = DMY if day_first else MDY
    assert parse_book_date(text, "as_of", order=order) == d
    if sep == "/":
        assert parse_book_date(text, "as_of", date_format=order) == d


@given(st.text(max_size=25))
def test_any_text_is_a_date_or_a_named_error(text: str) -> None:
    try:
        got = parse_book_date(text, "known_on")
    except InputError as err:
        assert err.field == "known_on"
    else:
        assert isinstance(got, dt.date)


@pytest.mark.parametrize(
    "text",
    ["45292.5", "2025-05-011", "12345", "99999", "2025-02-30", "31/31/2025", "13/13/2025", "Smarch 3, 2025"],
)
def test_implausible_or_broken_dates_are_refused(text: str) -> None:
    if text == "45292.5":  # a spreadsheet date-time: the date is kept
        assert parse_book_date(text) == dt.date(2024, 1, 1)
        return
    with pytest.raises(InputError):
        parse_book_date(text)


def test_serial_range_is_1990_to_2099() -> None:
    assert parse_book_date(str(SERIAL_RANGE[0])) == dt.date(1990, 1, 1)
    assert parse_book_date(str(SERIAL_RANGE[1])) == dt.date(2099, 12, 31)
    assert parse_book_date("45292") == dt.date(2024, 1, 1)


def test_a_column_settles_its_order_unless_it_says_both() -> None:
    assert column_order(["03/04/2025", "25/03/2025", None, "2025-01-01"]) == DMY
    assert column_order(["03/04/2025", "03/25/2025"]) == MDY
    assert column_order(["03/04/2025", "03/05/2025"]) is None
    assert column_order(["25/03/2025", "03/25/2025"]) is None  # both orders: nothing settled


def test_a_stated_format_reads_every_non_iso_value() -> None:
    assert parse_book_date("15.03.25", date_format="%d.%m.%y") == dt.date(2025, 3, 15)
    assert parse_book_date("2025-03-15", date_format="%d.%m.%y") == dt.date(2025, 3, 15)
    with pytest.raises(InputError) as err:
        parse_book_date("03/15/2025", "as_of", date_format="%d/%m/%Y")
    assert "%d/%m/%Y" in err.value.message
