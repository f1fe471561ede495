"""The official BIS Denied Persons List (dpl.txt), with property tests on damaged files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import DataError
from exportctl.sources.base import SourceTable
from exportctl.sources.bis_lists import BIS_SCHEMA
from exportctl.sources.dpl import parse_dpl_txt

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "dpl"
CUT = (FIX / "dpl_2022_cut.txt").read_bytes()
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_full_files(shared_data: Path) -> None:
    t19 = parse_dpl_txt(shared_data / "bis-dpl-official" / "dpl_2019.txt")
    t22 = parse_dpl_txt(shared_data / "bis-dpl-official" / "dpl_2022.txt")
    assert (t19.rows, t22.rows) == (546, 581)
    assert (t19.name, t19.title, t19.format) == ("bis_dpl", "Denied Persons List", "bis-dpl-txt")
    assert dict(t22.records.schema) == BIS_SCHEMA
    assert t22.date == "2022-09-02"  # the newest plausible Last_Update
    assert t22.records["entity_id"].n_unique() == t22.rows


def test_cut_rows(fixtures: Path) -> None:
    t = parse_dpl_txt(fixtures / "dpl" / "dpl_2022_cut.txt")
    assert t.rows == 31
    ash = t.records.row(0, named=True)
    assert ash["name"] == "I. ASH"  # the leading blank of the source is trimmed
    assert ash["countries"] == ["US"]
    assert ash["effective_date"] == "2003-06-19" and ash["expiration_date"] == "2056-06-29"
    assert ash["standard_order"] is True
    assert ash["last_update"] == "2007-01-31"
    assert ash["federal_register_notice"].startswith("68 F.R. 38290")
    assert ash["src_line"] == 2
    # one row per address: the same name gets -2, -3 ...
    nasser = t.records.filter(pl.col("name") == "ABDULAH AL NASSER")
    assert nasser.height == 2
    assert nasser["entity_id"][1] == nasser["entity_id"][0] + "-2"
    # US rows with a blank Country get no country, never a guessed one
    villa = t.records.filter(pl.col("name") == "AARON ABRAHAM VILLA").row(0, named=True)
    assert villa["countries"] == [] and villa["country_name"] is None
    # the 3017 typo is kept in its row but not taken as the file date
    assert t.records.filter(pl.col("last_update") == "3017-08-22").height == 1
    assert t.date < "2023-01-01"
    assert any("typo" in k for k in t.skip_reasons)


def test_explicit_date(fixtures: Path) -> None:
    assert parse_dpl_txt(fixtures / "dpl" / "dpl_2019_cut.txt", date="2019-07-09").date == "2019-07-09"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ('"X"\t""\t""\t""\t"US"\t""\t"13/45/2020"\t""\t"Y"\t"2020-01-01"\t""\t""', "Effective_Date"),
        ('"X"\t""\t""\t""\t"US"\t""\t"01/02/2020"\t""\t"maybe"\t"2020-01-01"\t""\t""', "Standard_Order"),
        ('""\t""\t""\t""\t"US"\t""\t"01/02/2020"\t""\t"Y"\t"2020-01-01"\t""\t""', "Name"),
        ('"X"\t""\t""\t""\t"US"\t""\t"01/02/2020"\t""\t"Y"\t"yesterday"\t""\t""', "Last_Update"),
    ],
)
def test_bad_values_name_line_and_field(tmp_path: Path, row: str, field: str) -> None:
    header = CUT.split(b"\n", 1)[0].decode()
    p = tmp_path / "dpl.txt"
    p.write_text(header + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        parse_dpl_txt(p)
    assert (err.value.file, err.value.line, err.value.field) == (str(p), 2, field)


def test_missing_column_is_named(tmp_path: Path) -> None:
    lines = CUT.decode().splitlines()
    p = tmp_path / "dpl.txt"
    p.write_text("\n".join(line.rsplit("\t", 1)[0] for line in lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        parse_dpl_txt(p)
    assert err.value.field == "FR_Citation" and err.value.line == 1


def outcome(data: bytes) -> SourceTable | DataError:
    """A non-empty table or a DataError naming the file: nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "dpl.txt"
        p.write_bytes(data)
        try:
            t = parse_dpl_txt(p, date="2022-09-07")
        except DataError as err:
            assert err.file == str(p)
            return err
        assert t.rows > 0 and t.records["name"].null_count() == 0
        return t


@SETTINGS
@given(cut=st.integers(0, len(CUT)))
def test_truncated(cut: int) -> None:
    outcome(CUT[:cut])


@SETTINGS
@given(data=st.data())
def test_damaged_bytes_and_hostile_cells(data: st.DataObject) -> None:
    if data.draw(st.booleans()):
        buf = bytearray(CUT)
        for _ in range(data.draw(st.integers(1, 6))):
            buf[data.draw(st.integers(0, len(buf) - 1))] = data.draw(st.integers(0, 255))
        outcome(bytes(buf))
    else:
        lines = CUT.decode().split("\n")
        i = data.draw(st.integers(1, len(lines) - 2))
        cells = lines[i].split("\t")
        cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(st.text(max_size=40))
        lines[i] = "\t".join(cells)
        outcome("\n".join(lines).encode("utf-8"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_wrong_encoding(encoding: str) -> None:
    assert isinstance(outcome(CUT.decode().encode(encoding)), DataError)


def test_empty_and_header_only() -> None:
    assert isinstance(outcome(b""), DataError)
    err = outcome(CUT.split(b"\n", 1)[0] + b"\n")
    assert isinstance(err, DataError) and "no entries" in err.message
