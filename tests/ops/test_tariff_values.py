"""Customs values as entry lines write them (ops.amounts through ops.tariff): '12.000' is twelve thousand
dollars, not twelve (a duty a thousand times too low), '$1,500' and '12.000,50' are read, not refused, and
an amount in another currency is never priced as dollars: its line is held naming the field."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.amounts import count, dollars, read_cells
from exportctl.ops.tariff import lookup, run_batch

# 8481.80.1030 from China on 2025-05-01: MFN 4% + fentanyl 20% + reciprocal 125% + Section 301 25% = 174%
LINE = ("8481.80.1030", "CN", "2025-05-01")
RATE = 1.74


def _us(c: int) -> str:
    return f"{c // 100:,}.{c % 100:02d}"


def _eu(c: int) -> str:
    return _us(c).replace(",", "_").replace(".", ",").replace("_", ".")


def _swiss(c: int) -> str:
    return _us(c).replace(",", "'")


cents = st.integers(min_value=0, max_value=10**11)
notation = st.sampled_from([_us, _eu, _swiss])
usd = st.sampled_from(["", "$", "USD ", "US$"])


@settings(deadline=None, max_examples=40)
@given(c=cents, style=notation, mark=usd)
def test_a_value_in_any_notation_prices_the_same_duty(c: int, style: object, mark: str) -> None:
    got = lookup(*LINE, value=mark + style(c))  # type: ignore[operator]
    assert got["duty"]["value"] == pytest.approx(c / 100)
    assert got["duty"]["amount"] == pytest.approx(round(c / 100 * RATE, 2), abs=0.011)


@given(whole=st.integers(1, 999), tail=st.integers(0, 999), sep=st.sampled_from([",", "."]))
def test_a_value_read_two_ways_takes_the_larger_reading_and_the_larger_duty(
    whole: int, tail: int, sep: str
) -> None:
    assert dollars(f"{whole}{sep}{tail:03d}") == whole * 1000 + tail


def test_twelve_thousand_written_the_european_way_is_not_twelve_dollars() -> None:
    # main priced '12.000' (the CLI's float option, the batch's strict cast) as $12: 174% gave $20.88
    got = lookup(*LINE, value="12.000")
    assert got["duty"]["value"] == 12_000 and got["duty"]["amount"] == 20_880.0
    assert lookup(*LINE, value="12.000,50")["duty"]["value"] == 12_000.5
    assert lookup(*LINE, value="$1,500")["duty"]["value"] == 1_500


@given(c=cents, style=notation, mark=st.sampled_from(["€", "EUR ", " GBP", "¥", " CNY"]))
def test_a_value_in_another_currency_is_refused_naming_its_field(c: int, style: object, mark: str) -> None:
    text = mark + style(c) if not mark.startswith(" ") else style(c) + mark  # type: ignore[operator]
    for field in ("value", "steel_content"):
        with pytest.raises(InputError) as err:
            dollars(text, field)
        assert err.value.field == field and mark.strip().upper() in err.value.message


@given(text=st.text(max_size=30))
def test_any_text_is_dollars_or_one_input_error_naming_the_field(text: str) -> None:
    try:
        value = dollars(text, "copper_content")
    except InputError as err:
        assert err.field == "copper_content"
    else:
        assert value >= 0


def test_a_lookup_refuses_a_value_or_content_in_another_currency() -> None:
    with pytest.raises(InputError) as err:
        lookup(*LINE, value="EUR 12000")
    assert err.value.field == "value" and "EUR" in err.value.message
    with pytest.raises(InputError) as err:
        lookup("8422.11.0000", "CN", "2025-09-01", value="1.000", steel_content="400 €")
    assert err.value.field == "steel_content"
    with pytest.raises(InputError) as err:
        lookup(*LINE, value="100", quantity="5 USD", unit="kg")
    assert err.value.field == "quantity"


def test_a_quantity_reads_any_notation_and_no_currency() -> None:
    assert count("1.500") == 1500 and count("2,5") == 2.5 and count(3) == 3
    with pytest.raises(InputError):
        count("$5")


def test_typed_numbers_are_taken_as_they_are_not_read_two_ways() -> None:
    values, problems = read_cells(pl.Series([1.234, float("nan"), -1.0, None]), "value")
    assert values.to_list() == [1.234, None, None, None]
    assert problems.to_list() == [None, "invalid", "invalid", None]


def test_a_batch_reads_values_as_written_and_holds_other_currencies() -> None:
    lines = pl.DataFrame(
        {
            "hts": ["8481.80.1030"] * 8,
            "origin": ["CN"] * 8,
            "date": ["2025-05-01"] * 8,
            "value": ["12.000", "12.000,50", "$1,500", "12000", "EUR 12000", "12000", "abc", "1000"],
            "currency": [None, "", "USD", "eur", None, "US$", None, None],
            "steel_content": [None, None, None, None, None, None, None, "EUR 400"],
        }
    )
    out = run_batch(lines)
    assert out["status"].to_list() == [
        "ok",
        "ok",
        "ok",
        "value_not_usd",  # EUR in the row's currency column: main priced it as $12,000
        "value_not_usd",
        "ok",
        "invalid_value",
        "metal_content_not_usd",
    ]
    assert out["value"].to_list()[:3] == [12_000.0, 12_000.5, 1_500.0]
    assert out["duty_amount"][0] == 20_880.0


def test_a_typed_batch_keeps_its_numbers() -> None:
    lines = pl.DataFrame({"hts": ["8481.80.1030"] * 2, "origin": ["CN"] * 2, "date": ["2025-05-01"] * 2})
    out = run_batch(lines.with_columns(value=pl.Series([1.234, 1500.0])))
    assert out["value"].to_list() == [1.234, 1500.0] and out["status"].to_list() == ["ok", "ok"]


def test_an_xlsx_tariff_file_keeps_typed_numbers_and_reads_text_as_written(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from exportctl.ops.files import read_table

    book = Workbook()
    book.active.append(["hts", "origin", "date", "value"])
    book.active.append(["8481.80.1030", "CN", "2025-05-01", 1.234])  # a number cell: $1.234
    book.active.append(["8481.80.1030", "CN", "2025-05-01", "12.000"])  # text: twelve thousand
    path = tmp_path / "lines.xlsx"
    book.save(path)
    out = run_batch(read_table(path, "file"))
    assert out["value"].to_list() == [1.234, 12_000.0] and out["status"].to_list() == ["ok", "ok"]
