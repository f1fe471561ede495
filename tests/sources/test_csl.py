"""The CSL parsers: the full compact list, the official CSV layouts and the bulk JSON layout."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from exportctl.errors import DataError
from exportctl.sources.csl import (
    CSL_SCHEMA,
    list_code,
    parse_csl_compact,
    parse_csl_csv,
    parse_csl_json,
)


def test_full_compact_list_has_every_entry(shared_data: Path) -> None:
    t = parse_csl_compact(shared_data / "csl-2026-07-31" / "screening-list.json")
    assert (t.name, t.title, t.format, t.date) == (
        "csl",
        "Consolidated Screening List",
        "csl-compact-json",
        "2026-07-31",
    )
    assert t.rows == 25_921
    assert dict(t.records.schema) == CSL_SCHEMA
    counts = dict(t.records.group_by("list").len().iter_rows())
    assert counts == {
        "SDN": 19181,
        "EL": 3420,
        "DPL": 1596,
        "DTC": 787,
        "SSI": 286,
        "UVL": 222,
        "ISN": 161,
        "PLC": 78,
        "MEU": 70,
        "CMIC": 68,
        "NS-MBS": 51,
        "CAP": 1,
    }
    # ids are non-empty and unique per list
    assert t.records["entity_id"].null_count() == 0
    assert t.records.select(pl.struct("list", "entity_id").n_unique()).item() == t.rows
    assert "SOURCE" not in t.attribution and "MIT" in t.attribution


def test_entity_list_rows_keep_licence_terms(shared_data: Path) -> None:
    t = parse_csl_compact(shared_data / "csl-2026-07-31" / "screening-list.json")
    el = t.records.filter(pl.col("list") == "EL")
    assert el["license_requirement"].null_count() == 0
    assert el["license_policy"].null_count() == 0
    huawei = el.filter(pl.col("name").str.contains("(?i)^Huawei Technologies Co"))
    assert huawei.height >= 1
    row = huawei.row(0, named=True)
    assert row["countries"] == ["CN"]
    assert row["federal_register_notice"]
    assert "EAR" in row["license_requirement"]


def test_compact_cut_fixture(fixtures: Path) -> None:
    t = parse_csl_compact(fixtures / "csl" / "screening-list-cut.json")
    assert t.rows == 27
    first = t.records.row(0, named=True)
    assert first["name"] == "BANK OF KUNLUN CO LTD"
    assert first["list"] == "CAP"
    assert first["entity_id"] == "15268"
    assert first["aliases"] == ["KARAMAY URBAN CREDIT COOPERATIVES", "KARAMAY CITY COMMERCIAL BANK CO LTD."]
    assert first["src_file"] == "screening-list-cut.json"
    assert first["src_line"] == 1
    # the DPL repeats a name once per address: ids get -2 ... in file order
    dpl = t.records.filter(pl.col("list") == "DPL")
    assert dpl["entity_id"].n_unique() == dpl.height
    assert any(i.endswith("-2") for i in dpl["entity_id"])
    # non-ISO country spellings are resolved; regions of no single country are counted, not guessed
    tr = t.records.filter(pl.col("countries").list.contains("TR"))
    assert tr.height >= 1
    assert any("KAFIA KINGI" in k for k in t.skip_reasons)


def test_ids_are_stable_across_runs(fixtures: Path) -> None:
    a = parse_csl_compact(fixtures / "csl" / "screening-list-cut.json").records
    b = parse_csl_compact(fixtures / "csl" / "screening-list-cut.json").records
    assert a.equals(b)


def test_truncated_compact_file_is_an_error(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "csl" / "screening-list-cut.json").read_bytes()
    p = tmp_path / "cut.json"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError) as err:
        parse_csl_compact(p)
    assert err.value.file == str(p) and err.value.line is not None


def test_entry_count_mismatch_is_an_error(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "csl" / "screening-list-cut.json").read_text(encoding="utf-8")
    p = tmp_path / "x.json"
    p.write_text(text.replace('"entryCount": 27', '"entryCount": 28'), encoding="utf-8")
    with pytest.raises(DataError, match="declares 28"):
        parse_csl_compact(p)


def test_bad_index_names_entry_and_field(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text(
        '{"tables": {"sources": ["Entity List (EL) - Bureau of Industry and Security"]},'
        ' "entries": [{"n": "A", "s": 0}, {"n": "B", "s": 7}]}',
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        parse_csl_compact(p)
    assert (err.value.line, err.value.field) == (2, "source")


def test_empty_entries_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"tables": {}, "entries": []}', encoding="utf-8")
    with pytest.raises(DataError, match="no screening list entries"):
        parse_csl_compact(p)


def test_csv_2025_layout(fixtures: Path) -> None:
    t = parse_csl_csv(fixtures / "csl" / "csl_2025_sample_consolidated.csv")
    assert t.format == "csl-csv-2025"
    assert t.rows == 13
    assert dict(t.records.schema) == CSL_SCHEMA
    meu = t.records.filter(pl.col("list") == "MEU").row(0, named=True)
    assert meu["countries"] == ["CN"]
    assert meu["addresses"] == ["Tian Wang te Zi #1, Baqiao District, Xian, China, CN"]
    assert meu["federal_register_notice"] == "85 FR 83799"
    assert meu["license_requirement"].startswith("For any item subject to the EAR")
    plc = t.records.filter(pl.col("list") == "PLC").row(0, named=True)
    assert plc["entity_id"] == "9673"
    assert plc["aliases"] == ["Mohammad Mutlaq ABU JHESHEH", "Mohammed ABU JEHEISHA"]
    assert set(t.records["list"]) >= {"FSE", "SDN", "SSI", "DTC", "UVL", "ISN"}


def test_csv_2019_layout(fixtures: Path) -> None:
    t = parse_csl_csv(fixtures / "csl" / "csl_2019_sample.csv")
    assert t.format == "csl-csv-2019"
    assert t.rows == 115
    el = t.records.filter(pl.col("name") == "32 Group China Ltd.").row(0, named=True)
    assert el["list"] == "EL"
    assert el["countries"] == ["HK"]
    assert len(el["addresses"]) == 2
    assert el["license_policy"] == "Presumption of denial."
    dpl = t.records.filter(pl.col("list") == "DPL").row(0, named=True)
    assert dpl["name"] == "ADRIAN MANUEL HERNANDEZ"  # the leading blank of the source is trimmed
    assert t.skip_reasons == {}


def test_csv_missing_column_names_it(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text(
        "source,entity_number\nEntity List (EL) - Bureau of Industry and Security,1\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        parse_csl_csv(p)
    assert (err.value.line, err.value.field) == (1, "name")


def test_csv_short_row_names_line(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "csl" / "csl_2019_sample.csv").read_text(encoding="utf-8").splitlines()
    p = tmp_path / "x.csv"
    p.write_text(
        "\n".join([*lines[:5], "Entity List (EL) - Bureau of Industry and Security,,,,X"]), encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        parse_csl_csv(p)
    assert err.value.line == 6


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", "EL"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "MEU"),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "NS-MBS"),
        ("Foreign Sanctions Evaders (FSE) - Treasury Department", "FSE"),
        ("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department", "CMIC"),
        ("Capta List (CAP) - Treasury Department", "CAP"),
        ("Foreign Sanctions Evaders - Treasury Department", "FSE"),
    ],
)
def test_list_code(source: str, code: str) -> None:
    assert list_code(source) == code


def test_csv_and_compact_agree_on_columns(fixtures: Path) -> None:
    a = parse_csl_compact(fixtures / "csl" / "screening-list-cut.json").records
    b = parse_csl_csv(fixtures / "csl" / "csl_2019_sample.csv").records
    assert a.schema == b.schema
    assert parse_csl_json is not None


def test_bulk_json_layout(fixtures: Path) -> None:
    t = parse_csl_json(fixtures / "csl" / "consolidated-bulk.json")
    assert (t.format, t.rows, t.date) == ("csl-bulk-json", 16, "2025-06-24")
    assert dict(t.records.schema) == CSL_SCHEMA
    havin = t.records.filter(pl.col("entity_id") == "906").row(0, named=True)
    assert havin["list"] == "SDN"
    assert havin["countries"] == ["GB", "CU"]
    assert havin["addresses"][0] == "4th Floor, 189 Marsh Wall, London, E14 9SH, GB"
    assert havin["aliases"] == ["HAVANA INTERNATIONAL BANK, LTD"]
    assert havin["programs"] == ["CUBA"]
    el = t.records.filter(pl.col("name") == "Abdul Satar Ghoura").row(0, named=True)
    assert el["entity_id"] == "b6e959b59898e975daaae8fae3a8da1ec522f9f888cafc0e6401a16d"
    assert el["license_policy"] == "Presumption of denial."
    isn = t.records.filter(pl.col("list") == "ISN", pl.col("name") == "SPC Supachoke").row(0, named=True)
    assert isn["countries"] == ["TH"]  # the older top-level `country` key
    cetc = t.records.filter(pl.col("name").str.contains("CETC 13")).row(0, named=True)
    assert cetc["aliases"][-1] == "CETC Research Institute 13"  # "; and X" loses its "and"


def test_bulk_json_and_csv_agree(fixtures: Path) -> None:
    """The same 13 records in the CSV and the bulk JSON layouts give the same rows (but for where from)."""
    drop = ["src_file", "src_line", "addresses"]
    a = parse_csl_csv(fixtures / "csl" / "csl_2025_sample_consolidated.csv").records.drop(drop)
    b = parse_csl_json(fixtures / "csl" / "consolidated-bulk.json").records.drop(drop).head(13)
    assert a.equals(b)


def test_bulk_json_wrong_type_names_field(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"results": [{"name": "A", "source": "Entity List (EL) - B", "alt_names": {"x": 1}}]}')
    with pytest.raises(DataError) as err:
        parse_csl_json(p)
    assert (err.value.line, err.value.field) == (1, "alt_names")


def test_bulk_json_without_results_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"entries": []}')
    with pytest.raises(DataError, match="results"):
        parse_csl_json(p)


@pytest.mark.parametrize(
    "text",
    [
        '{"results": [{"name": NaN, "source": "Entity List (EL) - B"}]}',
        '{"results": [{"name": "A", "source": "Entity List (EL) - B", "alt_names": [Infinity]}]}',
        '{"results": [{"name": ' + "9" * 5000 + ', "source": "Entity List (EL) - B"}]}',
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_hostile_json_numbers_and_nesting(tmp_path: Path, text: str) -> None:
    p = tmp_path / "x.json"
    p.write_text(text)
    with pytest.raises(DataError) as err:
        parse_csl_json(p)
    assert err.value.file == str(p)
