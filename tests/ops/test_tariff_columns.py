"""Tariff lines files as brokers and importers write them: headers placed on fields, references kept, dates
read as order books' are, and a column nobody placed stopping the run by name (ops.tariff_columns)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.tariff import run_batch
from exportctl.ops.tariff_columns import (
    TARIFF_FIELDS,
    place_tariff_columns,
    price_lines,
    tariff_field,
    tariff_lines,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("HTS Code", "hts"),
        ("HTSUS No.", "hts"),
        ("HTS#", "hts"),
        ("Tariff Number", "hts"),
        ("HS Code", "hts"),
        ("Country of Origin", "origin"),
        ("COO", "origin"),
        ("Ctry Orig", "origin"),
        ("country_of_origin", "origin"),
        ("Entry Date", "date"),
        ("DateOfEntry", "date"),
        ("Import Date", "date"),
        ("Entered Value", "value"),
        ("Customs Value", "value"),
        ("Qty", "quantity"),
        ("UOM", "unit"),
        ("SPI", "special_program"),
        ("Entry No.", "entry"),
        ("Mode of Transport", "mode"),
        ("Part No.", "part_number"),
        ("Invoice No.", "reference"),
        ("Vendor", "reference"),
    ],
)
def test_broker_headers_read_as_their_fields(header: str, field: str) -> None:
    assert tariff_field(header) == field


_SEPARATORS = st.sampled_from([" ", "_", "-", "  ", ". "])


@given(
    st.sampled_from([(s, f) for f, spellings in TARIFF_FIELDS.items() for s in (f, *spellings)]), _SEPARATORS
)
def test_every_spelling_reads_in_any_case_and_separator(case: tuple[str, str], sep: str) -> None:
    spelling, field = case
    written = sep.join(
        w.upper() if i % 2 else w.title() for i, w in enumerate(spelling.replace("_", " ").split())
    )
    assert tariff_field(written) == field


def test_a_column_nobody_placed_stops_the_run_naming_it() -> None:
    # a column dropped silently is a line nobody priced as its author meant
    with pytest.raises(InputError) as err:
        place_tariff_columns(["HTS", "Origin", "Date", "Zollwert"])
    assert err.value.field == "columns" and "'Zollwert'" in err.value.message
    placed = place_tariff_columns(["HTS", "Origin", "Date", "Zollwert"], {"Zollwert": "value"})
    assert placed.fields["value"] == "Zollwert"
    assert (
        "value" not in place_tariff_columns(["HTS", "Origin", "Date", "Zollwert"], ignore=["Zollwert"]).fields
    )


def test_a_missing_field_is_one_error_naming_it() -> None:
    with pytest.raises(InputError) as err:
        tariff_lines(pl.DataFrame({"HTS Code": ["9503.00.0073"], "Entry Date": ["2025-04-15"]}))
    assert err.value.field == "origin"


def test_two_columns_on_one_field_are_refused() -> None:
    with pytest.raises(InputError) as err:
        place_tariff_columns(["HTS Code", "Tariff Number", "Origin", "Date"])
    assert "both read as hts" in err.value.message


def test_a_file_as_written_prices_as_the_canonical_batch_and_keeps_its_references() -> None:
    written = pl.DataFrame(
        {
            "Invoice No.": ["INV-9", "INV-9", "INV-9"],
            "Tariff No": ["9503.00.0073", "0304.81.5010", "9503.00.0073"],
            "Country of Origin": ["China", "CN", "Vietnam"],
            "Entry Date": ["04/15/2025", "05/14/2025", "2025-10-20"],
            "Entered Value (USD)": ["1,000", "100", "250.00"],
        }
    )
    out = price_lines(written)
    canonical = run_batch(
        pl.DataFrame(
            {
                "hts": ["9503.00.0073", "0304.81.5010", "9503.00.0073"],
                "origin": ["CN", "CN", "VN"],
                "date": ["2025-04-15", "2025-05-14", "2025-10-20"],
                "value": ["1000", "100", "250"],
            }
        )
    )
    for col in ("status", "total_ad_valorem_pct", "duty_amount", "date"):
        assert out[col].to_list() == canonical[col].to_list(), col
    assert out["Invoice No."].to_list() == ["INV-9"] * 3
    assert out["total_ad_valorem_pct"][0] == 145.0  # toys from China on Apr 15, 2025 (golden us_cn_headlines)


def test_an_ambiguous_date_leaves_its_line_unanswered_saying_why() -> None:
    lines = pl.DataFrame(
        {"HTS": ["9503.00.0073"] * 2, "COO": ["CN"] * 2, "Entry Date": ["04/03/2025", "2025-04-03"]}
    )
    out = price_lines(lines)
    assert out["status"].to_list() == ["invalid_date", "ok"]
    assert "ambiguous" in out["error"][0] and out["date_as_written"][0] == "04/03/2025"
    stated = price_lines(lines, date_format="%d/%m/%Y")
    assert stated["status"].to_list() == ["ok", "ok"] and stated["date"][0].isoformat() == "2025-03-04"


def test_a_value_header_naming_another_currency_holds_its_lines() -> None:
    out = price_lines(
        pl.DataFrame(
            {"HTS": ["9503.00.0073"], "Origin": ["CN"], "Date": ["2025-04-15"], "Value (EUR)": ["100"]}
        )
    )
    assert out["status"].to_list() == ["value_not_usd"]
