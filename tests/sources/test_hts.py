"""The USITC HTS parsers: real row counts, rates and chapter 99 references, strict failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from exportctl.errors import DataError
from exportctl.sources.hts import HTS_SCHEMA, parse_hts_csv, parse_hts_json

DATE = "2025-01-01"


@pytest.fixture
def hts_dir(fixtures: Path) -> Path:
    return fixtures / "hts"


def _row(table: pl.DataFrame, hts: str) -> dict[str, Any]:
    return table.filter(pl.col("hts") == hts).row(0, named=True)


# --- real data -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_hts_2025_json(shared_data: Path) -> None:
    table = parse_hts_json(shared_data / "hts-2025-json")
    assert (table.name, table.title, table.format) == ("hts", "Harmonized Tariff Schedule", "usitc-hts-json")
    assert table.rows == 35_810 and len(table.files) == 98
    assert table.date == "2025-01-13"  # from SOURCE.txt: the snapshot of the January 2025 basic edition
    records = table.records
    assert dict(records.schema) == HTS_SCHEMA
    assert records.filter(pl.col("level") == 10).height > 19_000
    # Section 301 list 3 (9903.88.03) reaches thousands of statistical lines through their tariff lines.
    on_list3 = records.filter(
        pl.col("chapter99_effective").list.contains("9903.88.03") & (pl.col("level") == 10)
    )
    assert on_list3.height > 1_000
    assert records.filter(pl.col("hts") == "99038803").height == 1


@pytest.mark.slow
def test_real_hts_2024_csv(shared_data: Path) -> None:
    table = parse_hts_csv(shared_data / "hts-2024-basic/hts_2024_basic_edition_csv.csv")
    assert table.rows == 35_744 and table.format == "usitc-hts-csv"
    assert table.records.filter(pl.col("hts").str.starts_with("990388")).height == 64


# --- fixtures --------------------------------------------------------------------------------------


def test_json_fixture_rates_and_inheritance(hts_dir: Path) -> None:
    table = parse_hts_json(hts_dir / "json", date=DATE)
    assert table.date == DATE and table.files == ("1.json", "17.json", "85.json", "99.json")
    records = table.records
    horses = records.filter(pl.col("src_file") == "1.json")
    header = horses.row(1, named=True)  # "Horses:", an unnumbered superior row
    assert (header["hts"], header["level"], header["chapter"], header["is_header"]) == (None, 0, "01", True)
    line = _row(records, "01012100")
    assert (line["general_kind"], line["chapter99"], line["src_line"]) == ("free", ["9903.88.15"], 3)
    stat = _row(records, "0101210010")
    assert stat["general"] == "" and stat["general_inherited"] and stat["general_kind"] == "free"
    assert stat["chapter99"] == [] and stat["chapter99_effective"] == ["9903.88.15"]
    asses = _row(records, "0101300000")
    assert (asses["general_kind"], asses["general_ad_valorem_pct"], asses["units"]) == (
        "ad_valorem",
        6.8,
        ["No."],
    )
    formula = records.filter(pl.col("general").str.contains("for each degree")).row(0, named=True)
    assert formula["general_kind"] == "other" and formula["general_parts"] == []
    compound = records.filter(pl.col("general") == "33.9¢/kg + 5.1%").row(0, named=True)
    assert compound["general_kind"] == "compound"
    assert (compound["general_specific_usd"], compound["general_specific_unit"]) == (0.339, "kg")
    assert compound["general_ad_valorem_pct"] == 5.1


def test_json_fixture_section_301_footnotes(hts_dir: Path) -> None:
    records = parse_hts_json(hts_dir / "json" / "85.json", date=DATE).records
    assert records["chapter"].unique().to_list() == ["85"]
    refs = set(
        records.filter(pl.col("hts").str.starts_with("8541"))["chapter99_effective"].explode().drop_nulls()
    )
    assert refs & {"9903.88.01", "9903.88.02", "9903.88.03"}
    notes = records.filter(pl.col("footnotes").list.len() > 0)["footnotes"].to_list()[0]
    assert set(notes[0]) == {"columns", "marker", "value", "type"}


def test_csv_fixture(hts_dir: Path) -> None:
    table = parse_hts_csv(hts_dir / "hts_2024_sample.csv", date="2024-01-01")
    records = table.records
    assert table.rows == 85 and records["src_line"].to_list()[:3] == [2, 3, 4]
    assert records.row(1, named=True)["hts"] is None
    asses = _row(records, "0101300000")
    assert (asses["general_ad_valorem_pct"], asses["units"], asses["footnotes"]) == (6.8, ["No."], [])
    assert dict(records.schema) == HTS_SCHEMA


# --- strictness ------------------------------------------------------------------------------------


def _chapter(hts_dir: Path, tmp_path: Path, mutate: Any) -> Path:
    rows = json.loads((hts_dir / "json" / "1.json").read_text("utf-8"))
    mutate(rows)
    path = tmp_path / "1.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "line", "field"),
    [
        (lambda r: r[2].pop("description"), 3, "[2].description"),
        (lambda r: r[2].update(htsno="0101.2"), 3, "[2].htsno"),
        (lambda r: r[2].update(indent=2.5), 3, "[2].indent"),
        (lambda r: r[2].update(indent="-1"), 3, "[2].indent"),
        (lambda r: r[4].update(units="kg"), 5, "[4].units"),
        (lambda r: r[2].update(footnotes=[{"columns": ["general"]}]), 3, "[2].footnotes[0].value"),
        (lambda r: r[2].update(general=["6%"]), 3, "[2].general"),
        (lambda r: r[6].update(superior="maybe"), 7, "[6].superior"),
        (lambda r: r.__setitem__(3, "junk"), 4, "[3]"),
    ],
)
def test_json_strict(hts_dir: Path, tmp_path: Path, mutate: Any, line: int, field: str) -> None:
    with pytest.raises(DataError) as info:
        parse_hts_json(_chapter(hts_dir, tmp_path, mutate), date=DATE)
    assert (info.value.file, info.value.line, info.value.field) == ("1.json", line, field)


def test_json_empty_and_wrong_shapes(tmp_path: Path) -> None:
    for text, message in [("[]", "no records"), ("{}", "array"), ("", "empty"), ("[{", "invalid JSON")]:
        (tmp_path / "5.json").write_text(text, "utf-8")
        with pytest.raises(DataError, match=message):
            parse_hts_json(tmp_path / "5.json", date=DATE)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="no chapter files"):
        parse_hts_json(empty, date=DATE)


def test_missing_date_is_an_error(hts_dir: Path, tmp_path: Path) -> None:
    shutil.copy(hts_dir / "json" / "1.json", tmp_path / "1.json")
    with pytest.raises(DataError) as info:
        parse_hts_json(tmp_path / "1.json")
    assert info.value.field == "date"
    with pytest.raises(DataError):
        parse_hts_json(tmp_path / "1.json", date="January 2025")


def test_csv_strict(hts_dir: Path, tmp_path: Path) -> None:
    lines = (hts_dir / "hts_2024_sample.csv").read_text("utf-8-sig").splitlines()
    path = tmp_path / "hts.csv"
    path.write_text("\n".join([lines[0].replace(",Indent", ""), *lines[1:]]), "utf-8")
    with pytest.raises(DataError) as info:
        parse_hts_csv(path, date=DATE)
    assert (info.value.line, info.value.field) == (1, "Indent")
    path.write_text("\n".join([lines[0], lines[1], '"0101.21.00","2","x"']), "utf-8")
    with pytest.raises(DataError) as info:
        parse_hts_csv(path, date=DATE)
    assert info.value.line == 3
    path.write_text("\n".join([lines[0], '"0101.21.00","2","x","No.","","","","",""']), "utf-8")
    with pytest.raises(DataError) as info:
        parse_hts_csv(path, date=DATE)
    assert (info.value.line, info.value.field) == (2, "Unit of Quantity")
    path.write_text(lines[0] + "\n", "utf-8")
    with pytest.raises(DataError, match="no records"):
        parse_hts_csv(path, date=DATE)
    path.write_bytes(
        (lines[0] + "\n" + lines[1] + "\n").encode("utf-8") + b'"0102","0","Bovine \xe9",,,,,,\n'
    )
    with pytest.raises(DataError, match="UTF-8") as info:
        parse_hts_csv(path, date=DATE)
    assert info.value.line == 3
