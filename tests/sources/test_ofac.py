"""OFAC legacy CSV sets: SDN (sdn/add/alt/sdn_comments) and the consolidated non-SDN list."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from exportctl.errors import DataError
from exportctl.sources.ofac import OFAC_SCHEMA, parse_consolidated, parse_sdn


def test_full_sdn_2024(shared_data: Path) -> None:
    t = parse_sdn(shared_data / "ofac-sdn-2024-05-03")
    assert (t.name, t.title, t.format, t.date) == (
        "ofac_sdn",
        "OFAC SDN List",
        "ofac-legacy-csv",
        "2024-05-03",
    )
    assert t.rows == 14_965
    assert t.files == ("sdn.csv",)
    assert dict(t.records.schema) == OFAC_SCHEMA
    assert t.records["entity_id"].n_unique() == t.rows
    counts = dict(t.records.group_by("type").len().iter_rows())
    assert counts == {"entity": 6884, "individual": 6854, "vessel": 851, "aircraft": 376}
    row = t.records.filter(pl.col("entity_id") == "306").row(0, named=True)
    assert row["name"] == "BANCO NACIONAL DE CUBA"
    assert row["programs"] == ["CUBA"]
    assert row["remarks"] == "a.k.a. 'BNC'."
    assert row["src_line"] == 3


def test_full_sdn_2021_set(shared_data: Path) -> None:
    t = parse_sdn(shared_data / "ofac-sdn-2021-07", date="2021-07-07")
    assert t.rows == 8_976 and t.date == "2021-07-07"
    assert set(t.files) == {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"}
    assert t.skipped == 0
    with_alias = t.records.filter(pl.col("aliases").list.len() > 0).height
    assert with_alias > 4000
    assert t.records.filter(pl.col("countries").list.len() > 0).height > 6000


def test_sdn_cut_set(fixtures: Path) -> None:
    t = parse_sdn(fixtures / "ofac" / "sdn-2021-07-cut", date="2021-07-07")
    assert t.rows == 45
    r = t.records.filter(pl.col("entity_id") == "36").row(0, named=True)
    assert r["aliases"] == ["AERO-CARIBBEAN"]
    assert r["addresses"] == ["Havana, Cuba"]
    assert (r["countries"], r["country_names"]) == (["CU"], ["Cuba"])
    vessel = t.records.filter(pl.col("entity_id") == "4238").row(0, named=True)
    assert vessel["type"] == "vessel"
    assert (vessel["call_sign"], vessel["vessel_type"], vessel["grt"], vessel["vessel_flag"]) == (
        "CL2192",
        "Tug",
        "212",
        "Cuba",
    )
    assert vessel["vessel_owner"] == "Samir de Navegacion S.A."
    assert vessel["tonnage"] is None  # "-0-"
    # remarks cut off in sdn.csv continue in sdn_comments.csv, mid-word
    long = t.records.filter(pl.col("entity_id") == "12300").row(0, named=True)
    assert "PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL" in long["remarks"]
    multi = t.records.filter(pl.col("programs").list.len() > 1)
    assert multi.height == 0 or all("]" not in p for ps in multi["programs"] for p in ps)


def test_programs_bracket_lists(tmp_path: Path) -> None:
    p = tmp_path / "sdn.csv"
    p.write_bytes(b'1,"A B",-0- ,"IRAN] [SDGT] [IFSR",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a')
    t = parse_sdn(p, date="2024-01-01")
    assert t.records["programs"][0].to_list() == ["IRAN", "SDGT", "IFSR"]


def test_single_file_and_case_insensitive_names(fixtures: Path, tmp_path: Path) -> None:
    one = parse_sdn(fixtures / "ofac" / "sdn-2021-07-cut" / "sdn.csv", date="2021-07-07")
    assert one.files == ("sdn.csv",) and one.rows == 45
    shutil.copy(fixtures / "ofac" / "sdn-2021-07-cut" / "sdn.csv", tmp_path / "SDN.CSV")
    shutil.copy(fixtures / "ofac" / "sdn-2021-07-cut" / "alt.csv", tmp_path / "ALT.CSV")
    t = parse_sdn(tmp_path, date="2021-07-07")
    assert t.files == ("SDN.CSV", "ALT.CSV")


def test_consolidated_cut(fixtures: Path) -> None:
    t = parse_consolidated(fixtures / "ofac" / "cons-2025-12-cut", date="2025-12-19")
    assert (t.name, t.title, t.rows) == ("ofac_cons", "OFAC Consolidated (non-SDN) List", 33)
    r = t.records.filter(pl.col("entity_id") == "9639").row(0, named=True)
    assert r["name"] == "HANIYA, Ismail Abdul Salah"
    assert r["type"] == "individual"
    assert r["programs"] == ["NS-PLC"]
    assert r["aliases"] == ["HANIYA, Ismail", "HANIYYA, Ismaeel"]
    assert r["remarks"] == "DOB 1962; POB Shati."
    gaza = t.records.filter(pl.col("entity_id") == "9641").row(0, named=True)
    assert gaza["countries"] == ["PS"] and gaza["country_names"] == ["Palestinian"]
    assert t.records.filter(pl.col("entity_id") == "17014")["remarks"][0].endswith("a.k.a. 'RUSAG'.")


def test_full_consolidated(shared_data: Path) -> None:
    t = parse_consolidated(shared_data / "ofac-consolidated-2025-12", date="2025-12-19")
    assert t.rows == 442
    assert t.skipped == 0


def test_unknown_ent_num_in_alt_is_counted(fixtures: Path, tmp_path: Path) -> None:
    shutil.copy(fixtures / "ofac" / "sdn-2021-07-cut" / "sdn.csv", tmp_path / "sdn.csv")
    (tmp_path / "alt.csv").write_bytes(
        b'999999,1,"aka","NOBODY",-0- \r\n36,12,"aka","AERO-CARIBBEAN",-0- \r\n'
    )
    t = parse_sdn(tmp_path, date="2021-07-07")
    assert t.skipped == 1
    assert t.skip_reasons == {"alias rows in alt.csv for an ent_num not in sdn.csv": 1}


@pytest.mark.parametrize(
    ("data", "line", "field", "message"),
    [
        (b'x1,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', 1, "ent_num", "not a number"),
        (b'1,"A",-0- ,"CUBA"\r\n', 1, None, "expected 12"),
        (
            b'1,"A",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n1,"B",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n',
            2,
            "ent_num",
            "twice",
        ),
        (b"1,-0- ,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n", 1, "SDN_Name", "missing"),
        (b'1,"A",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,"unterminated\r\n', 1, None, "malformed CSV"),
        (b"\x1a", None, None, "empty"),
        (b'1,"A",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n\x1a\r\n2,"B"', 2, None, "0x1A"),
    ],
)
def test_bad_rows(tmp_path: Path, data: bytes, line: int | None, field: str | None, message: str) -> None:
    p = tmp_path / "sdn.csv"
    p.write_bytes(data)
    with pytest.raises(DataError, match=message) as err:
        parse_sdn(p, date="2024-01-01")
    assert err.value.file == str(p)
    assert (err.value.line, err.value.field) == (line, field)


def test_directory_without_primary_file(tmp_path: Path) -> None:
    (tmp_path / "alt.csv").write_text("1,1,aka,A,-0-\r\n")
    with pytest.raises(DataError, match=r"no sdn\.csv"):
        parse_sdn(tmp_path)


def test_date_from_folder_name(fixtures: Path, tmp_path: Path) -> None:
    d = tmp_path / "ofac-sdn-2024-05-03"
    d.mkdir()
    shutil.copy(fixtures / "ofac" / "sdn-2021-07-cut" / "sdn.csv", d / "sdn.csv")
    assert parse_sdn(d).date == "2024-05-03"
