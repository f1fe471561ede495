"""ops.column_notes: notes inside headers (a currency, a date format, a code standard) are read, or the
header is refused by name; a note never makes a value be read in a unit it is not in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.check import Context, check_file, check_table
from exportctl.ops.check_columns import noted_field, place_columns
from exportctl.ops.column_notes import HeaderNote, note_meaning, split_note


@pytest.mark.parametrize(
    ("header", "field", "note"),
    [
        ("Net Value (USD)", "value", HeaderNote(currency="USD")),
        ("Value (EUR)", "value", HeaderNote(currency="EUR")),
        ("Amount EUR", "value", HeaderNote(currency="EUR")),
        ("Line Value [€]", "value", HeaderNote(currency="EUR")),
        ("Order Value (US$)", "value", HeaderNote(currency="USD")),
        ("Order Date (YYYY-MM-DD)", "date", HeaderNote(date_format="%Y-%m-%d")),
        ("Ship Date (DD/MM/YYYY)", "date", HeaderNote(date_format="%d/%m/%Y")),
        ("Ship Date (mm/dd/yy)", "date", HeaderNote(date_format="%m/%d/%y")),
        ("Ship Date (D.M.YYYY)", "date", HeaderNote(date_format="%d.%m.%Y")),
        ("Ship Date (UTC)", "date", HeaderNote()),
        ("Destination (ISO 3166-1)", "destination", HeaderNote()),
        ("Country Code", "destination", HeaderNote()),
        ("Ship-To Country (alpha-2)", "destination", HeaderNote()),
        ("ECCN Code", "eccn", HeaderNote()),
        ("ECCN (US)", "eccn", HeaderNote()),
        ("Customer Country (ISO)", "purchaser_country", HeaderNote()),
    ],
)
def test_notes_understood(header: str, field: str, note: HeaderNote) -> None:
    assert noted_field(header) == (field, note)


@pytest.mark.parametrize(
    "header",
    [
        "Value (USD thousands)",  # a scale: reading it as dollars would be wrong by 1,000
        "Value (k)",
        "Value (¥)",  # yen or yuan: the sign does not say
        "Value (XYZ)",  # no such currency
        "Customer Code",  # an identifier, not a party's name
        "Customer (ISO)",
        "Ship Date (YYYY/DD/MM)",  # year first is always year, month, day
        "Ship Date (DD/DD/YYYY)",
        "Ship Date (local) (UTC)",
        "Destination (final)",
        "ECCN (EU)",  # the EU's dual-use list is not the CCL
        "Quantity (kg)",
    ],
)
def test_notes_not_understood_leave_the_header_refused(header: str) -> None:
    assert noted_field(header) is None
    with pytest.raises(InputError) as err:
        place_columns(["ECCN", "Destination", header] if "ECCN" not in header else ["Destination", header])
    assert err.value.field == "columns" and repr(header) in err.value.message


@given(st.text(max_size=30), st.text(max_size=12))
def test_reading_a_note_never_raises_and_is_deterministic(base: str, note: str) -> None:
    header = f"{base} ({note})"
    assert noted_field(header) == noted_field(header)
    split = split_note(header)
    assert split is None or isinstance(split[1], str)


@given(st.sampled_from(["value", "eccn", "destination", "date", "purchaser"]), st.text(max_size=12))
def test_a_note_on_a_party_name_is_never_understood(field: str, note: str) -> None:
    meaning = note_meaning(field, note)
    if field == "purchaser":
        assert meaning is None
    if meaning is not None and meaning.currency:
        assert field == "value" and len(meaning.currency) == 3


def test_a_currency_in_the_header_and_a_currency_column_are_refused() -> None:
    with pytest.raises(InputError) as err:
        place_columns(["ECCN", "Destination", "Value (EUR)", "Currency"])
    assert "'Value (EUR)'" in err.value.message and "'Currency'" in err.value.message


def test_a_book_with_notes_in_its_headers(ctx: Context) -> None:
    frame = pl.DataFrame(
        {
            "ECCN Code": ["EAR99"] * 3,
            "Destination (ISO 3166)": ["DE"] * 3,
            "Ship Date (DD/MM/YYYY)": ["04/03/2025", "13/03/2025", "03/13/2025"],
            "Net Value (USD)": ["100", "5", "5"],
        }
    )
    out = check_table(frame, context=ctx)
    # the header settles 04/03 as 4 March; 03/13 contradicts it and is held, naming the stated format
    assert out["as_of"].to_list()[:2] == [dt.date(2025, 3, 4), dt.date(2025, 3, 13)]
    assert out["verdict"].to_list()[:2] == ["no_license_required"] * 2
    assert out["verdict"][2] == "hold" and "'%d/%m/%Y'" in out["error"][2]
    euros = check_table(frame.rename({"Net Value (USD)": "Value (EUR)"}).head(1), context=ctx)
    assert euros["verdict"][0] == "hold" and "field 'currency': the value is in EUR" in euros["error"][0]
    told = check_table(frame.tail(1), date_format="%m/%d/%Y", context=ctx)  # the user's format wins
    assert told["as_of"][0] == dt.date(2025, 3, 13)


def test_a_file_whose_every_header_carries_a_note(ctx: Context, tmp_path: Path) -> None:
    book = tmp_path / "notes.csv"
    book.write_text(
        "ECCN Code,Country Code,Ship Date (MM/DD/YYYY),Value ($)\n3A090.a,CN,03/04/2025,5000\n",
        encoding="utf-8",
    )
    out = check_file(book, context=ctx)
    assert out["as_of"].to_list() == [dt.date(2025, 3, 4)]
    assert out["verdict"][0] == "license_required"
