"""Amounts in order books (ops.amounts): every notation books use reads to the same number, a reading
that could be too small is never taken (LVS), another currency is named, anything else is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.amounts import amount, number_text
from exportctl.ops.check import Context, check_table

cents = st.integers(min_value=0, max_value=10**11)


def _us(c: int) -> str:
    return f"{c // 100:,}.{c % 100:02d}"


def _eu(c: int) -> str:
    return _us(c).replace(",", "_").replace(".", ",").replace("_", ".")


def _swiss(c: int) -> str:
    return _us(c).replace(",", "'")


@given(c=cents, style=st.sampled_from([_us, _eu, _swiss]), mark=st.sampled_from(["", "$", "USD ", "US$"]))
def test_every_notation_reads_the_same_amount(c: int, style: object, mark: str) -> None:
    value, currency = amount(mark + style(c))  # type: ignore[operator]
    assert value == pytest.approx(c / 100) and currency is None


@given(c=cents, mark=st.sampled_from(["€", "EUR ", " GBP", "¥", " CNY"]))
def test_another_currency_is_named(c: int, mark: str) -> None:
    text = mark + _eu(c) if not mark.startswith(" ") else _eu(c) + mark
    assert amount(text)[1] == mark.strip().upper()


@given(whole=st.integers(1, 999), tail=st.integers(0, 999))
def test_a_cell_read_two_ways_takes_the_larger_reading(whole: int, tail: int) -> None:
    for sep in (",", "."):
        assert amount(f"{whole}{sep}{tail:03d}")[0] == whole * 1000 + tail


@given(text=st.text(max_size=30))
def test_any_cell_is_an_amount_or_one_input_error(text: str) -> None:
    try:
        value, _ = amount(text)
    except InputError as err:
        assert err.field == "value"
    else:
        assert value >= 0


@pytest.mark.parametrize("text", ["-5", "(100)", "abc", "1 of 2", "nan", "inf", "12,50 EUR or 13 USD"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        amount(text)


def test_a_book_reads_european_amounts_and_holds_another_currency(ctx: Context) -> None:
    import polars as pl

    # 2B350.g to the UAE on 2026-07-11: LVS up to $2,000 (golden snap-lvs-2b350-ae-2026-07-11). Read as
    # 12.0005, '12.000,50' (twelve thousand) took LVS
    values = ["12.000,50", "1.500,00", "USD 1500", "EUR 12"]
    book = pl.DataFrame(
        {"ECCN": ["2B350.g"] * 4, "Country": ["AE"] * 4, "Date": ["2026-07-11"] * 4, "Value": values}
    )
    out = check_table(book, context=ctx)
    assert out["verdict"].to_list()[:3] == ["license_required", *["license_exception_available"] * 2]
    assert out["verdict"][3] == "hold" and "the value is in EUR" in (out["error"][3] or "")


@given(whole=st.integers(0, 999), tail=st.integers(0, 999))
def test_a_typed_number_as_text_reads_back_as_that_number(whole: int, tail: int) -> None:
    value = float(f"{whole}.{tail:03d}")
    assert amount(number_text(value))[0] == value


def test_a_library_value_is_one_number_not_two_readings(ctx: Context) -> None:
    from exportctl.ops.neighbours import check_one

    # 2B350.g to the UAE on 2026-07-11, LVS up to $2,000: the float 2.001 went through str() as '2.001' and
    # was read as 2,001 (license required); a dollar and a tenth of a cent takes LVS
    got = check_one(eccn="2B350.g", destination="AE", as_of="2026-07-11", value=2.001, context=ctx)
    assert got["verdict"] == "license_exception_available"
