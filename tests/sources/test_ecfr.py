"""The eCFR-derived JSON parsers: real counts, the rows the EAR engine joins on, strict failures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from exportctl.errors import DataError
from exportctl.sources.ccl_text import CHART_COLUMNS
from exportctl.sources.ecfr import (
    parse_ccl,
    parse_country_chart,
    parse_country_groups,
    parse_license_exceptions,
)


@pytest.fixture
def ecfr_dir(fixtures: Path) -> Path:
    return fixtures / "ecfr"


def _controls(table: pl.DataFrame, eccn: str) -> list[dict[str, Any]]:
    return table.filter(pl.col("eccn") == eccn)["controls"].to_list()[0]


# --- real data -------------------------------------------------------------------------------------


def test_real_ccl_has_633_eccns(shared_data: Path) -> None:
    table = parse_ccl(shared_data / "ear-2026-07-23/ccl.json")
    assert (table.name, table.title, table.format, table.date) == (
        "ccl",
        "Commerce Control List",
        "ecfr-derived-json",
        "2026-07-23",
    )
    assert table.rows == 633
    assert table.records["eccn"].n_unique() == 633
    assert "MIT" in table.attribution
    columns = table.records["controls"].explode().struct.field("column").drop_nulls()
    assert set(columns.unique()) <= set(CHART_COLUMNS)
    assert table.records.filter(pl.col("deep"))["category"].unique().sort().to_list() == ["1", "3", "4", "5"]
    controls = table.records.select("eccn", "controls").explode("controls").unnest("controls")
    chart = controls.filter(pl.col("destinations") == "chart")
    assert chart["column"].null_count() == 0 and chart.height > 1000
    assert (
        controls.filter(pl.col("destinations") != "chart")["column"].null_count()
        == controls.filter(pl.col("destinations") != "chart").height
    )
    assert set(controls["destinations"]) == {"chart", "all", "listed", "see"}
    assert set(controls["scope"]) == {"entire", "entire_except", "paragraphs", "conditional"}
    hbm = table.records.filter(pl.col("eccn") == "3A090").row(0, named=True)
    assert "RS" in hbm["reasons"] and {e["symbol"] for e in hbm["exceptions"]} >= {"HBM"}


def test_real_country_chart_has_196_graded_countries(shared_data: Path) -> None:
    records = parse_country_chart(shared_data / "ear-2026-07-23/country-chart.json").records
    own = records.filter(pl.col("inherited_from").is_null())
    assert own.filter(~pl.col("embargoed"))["country"].n_unique() == 196
    assert sorted(own.filter(pl.col("embargoed"))["country"].unique()) == ["CU", "IR", "KP", "SY"]
    assert records.group_by("country").len()["len"].unique().to_list() == [16]


def test_real_country_groups_and_exceptions(shared_data: Path) -> None:
    groups = parse_country_groups(shared_data / "ear-2026-07-23/country-groups.json").records
    assert groups["group"].n_unique() == 14
    d5 = set(groups.filter(pl.col("group") == "D:5")["country"])
    assert {"CN", "RU", "VE", "KP", "IR"} <= d5 and "MO" not in d5 and "HK" not in d5
    exceptions = parse_license_exceptions(shared_data / "ear-2026-07-23/license-exception-catalog.json")
    assert exceptions.rows == 28  # 27 sections, 740.8 has NAC and ACA


# --- fixtures: what the engine joins on ------------------------------------------------------------


def test_ccl_controls_3a090(ecfr_dir: Path) -> None:
    table = parse_ccl(ecfr_dir / "ccl_sample.json").records
    rows = _controls(table, "3A090")
    by_para = {tuple(r["paragraphs"]): r for r in rows if r["reason"] == "RS"}
    a, b, c = by_para[("3A090.a",)], by_para[("3A090.b",)], by_para[("3A090.c",)]
    assert a["destinations"] == "all" and a["column"] is None and a["scope"] == "paragraphs"
    assert (b["destinations"], b["countries"], b["groups"], b["except_groups"]) == (
        "listed",
        ["AE"],
        ["D:1", "D:4", "D:5"],
        ["A:5", "A:6"],
    )
    assert (c["countries"], c["groups"]) == (["MO"], ["D:5"])
    at = next(r for r in rows if r["reason"] == "AT")
    assert (at["column"], at["scope"], at["destinations"]) == ("AT1", "entire", "chart")


def test_ccl_scopes_lvs_and_exceptions(ecfr_dir: Path) -> None:
    table = parse_ccl(ecfr_dir / "ccl_sample.json").records
    ns = next(r for r in _controls(table, "0A501") if r["reason"] == "NS")
    assert (ns["scope"], ns["paragraphs"], ns["column"]) == ("entire_except", ["0A501.y"], "NS1")
    row = table.filter(pl.col("eccn") == "0A501").row(0, named=True)
    assert (row["lvs_usd"], row["lvs_conditional"], row["gbs"]) == (500, True, "no")
    assert row["reasons"] == ["NS", "RS", "FC", "UN", "AT"]
    sibling = next(r for r in _controls(table, "1C351") if r["paragraphs"])
    assert sibling["paragraphs"] == ["1C351.d.15", "1C351.d.16"]
    iss = _controls(table, "0A998")[0]
    assert (iss["reason"], iss["destinations"]) == ("ISS", "see")
    assert table.filter(pl.col("eccn") == "9A018")["reasons"].to_list() == [[]]
    deep = table.filter(pl.col("eccn") == "3A090").row(0, named=True)
    assert deep["deep"] and {"a", "a.1", "b", "c"} <= set(deep["paragraphs"])
    hbm = {e["symbol"]: e["status"] for e in deep["exceptions"]}
    assert hbm["HBM"] == "conditional"


def test_country_chart_marks_and_inheritance(ecfr_dir: Path) -> None:
    records = parse_country_chart(ecfr_dir / "country_chart_sample.json").records

    def marks(code: str) -> set[str]:
        return set(records.filter((pl.col("country") == code) & pl.col("mark"))["column"])

    assert marks("CA") == {"CB1", "FC1"}
    assert {"NS1", "NS2", "RS1", "RS2", "MT1", "NP1", "CB1", "CB2"} <= marks("CN")
    assert "AT1" not in marks("CN")
    assert marks("HK") == marks("CN")
    hk = records.filter(pl.col("country") == "HK").row(0, named=True)
    assert hk["inherited_from"] == "CN" and "83788" in hk["basis"]
    assert marks("KY") == marks("GB")
    assert records.filter(pl.col("country") == "LI")["inherited_from"].null_count() == 16  # own row kept
    cuba = records.filter(pl.col("country") == "CU")
    assert cuba["mark"].null_count() == 16 and cuba["embargoed"].all()
    iran = records.filter(pl.col("country") == "IR").row(0, named=True)
    assert iran["footnotes"] == [1] and "746.1(b)" in iran["footnote_texts"][0]
    tr = records.filter(pl.col("country") == "TR").row(0, named=True)
    assert tr["country_name"] == "Türkiye"


def test_country_groups_sample(ecfr_dir: Path) -> None:
    records = parse_country_groups(ecfr_dir / "country_groups_sample.json").records
    cn = set(records.filter(pl.col("country") == "CN")["group"])
    assert cn == {"D:1", "D:3", "D:4", "D:5"}
    assert "CI" in set(records.filter(pl.col("group") == "B")["country"])  # "Cote d'lvoire" verbatim
    assert records.filter(pl.col("country") == "CI")["country_name"].to_list() == ["Cote d'lvoire"]


# --- strictness ------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, doc: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def _load(ecfr_dir: Path, name: str) -> Any:
    return json.loads((ecfr_dir / name).read_text("utf-8"))


def test_ccl_bad_eccn_names_record_and_field(ecfr_dir: Path, tmp_path: Path) -> None:
    doc = _load(ecfr_dir, "ccl_sample.json")
    doc["entries"][2]["eccn"] = "3X090"
    with pytest.raises(DataError) as info:
        parse_ccl(_write(tmp_path, "ccl.json", doc))
    assert (info.value.file, info.value.line, info.value.field) == ("ccl.json", 3, "entries[2].eccn")


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["entries"][0].pop("heading"), "entries[0].heading"),
        (lambda d: d["entries"][1].update(countryChart="NS1"), "entries[1].countryChart"),
        (
            lambda d: d["entries"][0]["countryChart"][0].update(countryChart="NS Column 7"),
            "entries[0].countryChart[0].countryChart",
        ),
        (lambda d: d["entries"][0].update(category="9"), "entries[0].category"),
        (lambda d: (d["entries"].append(d["entries"][0]), d.pop("entryCount")), "entries[13].eccn"),
        (lambda d: d.update(entryCount=633), "entryCount"),
        (lambda d: d.pop("ecfrIssueDate"), "ecfrIssueDate"),
        (lambda d: d.update(ecfrIssueDate="2026-13-45"), "ecfrIssueDate"),
        (lambda d: d["entries"][0].update(heading="bad\x07bell"), "entries[0].heading"),
    ],
)
def test_ccl_strict(ecfr_dir: Path, tmp_path: Path, mutate: Any, field: str) -> None:
    doc = _load(ecfr_dir, "ccl_sample.json")
    mutate(doc)
    with pytest.raises(DataError) as info:
        parse_ccl(_write(tmp_path, "ccl.json", doc))
    assert info.value.field == field
    assert info.value.file == "ccl.json"


def test_chart_and_groups_strict(ecfr_dir: Path, tmp_path: Path) -> None:
    chart = _load(ecfr_dir, "country_chart_sample.json")
    chart["countries"]["Atlantis"] = {"marks": [], "footnotes": []}
    chart["countryCount"] += 1
    with pytest.raises(DataError) as info:
        parse_country_chart(_write(tmp_path, "chart.json", chart))
    assert "Atlantis" in (info.value.field or "") and info.value.line == 14
    chart = _load(ecfr_dir, "country_chart_sample.json")
    chart["countries"]["China"]["footnotes"] = [99]
    with pytest.raises(DataError, match="footnote"):
        parse_country_chart(_write(tmp_path, "chart.json", chart))
    groups = _load(ecfr_dir, "country_groups_sample.json")
    groups["groups"]["D:5"].remove("China (PRC)")
    with pytest.raises(DataError, match="D:5"):
        parse_country_groups(_write(tmp_path, "groups.json", groups))


@pytest.mark.parametrize(
    "parser", [parse_ccl, parse_country_chart, parse_country_groups, parse_license_exceptions]
)
def test_empty_records_are_an_error(parser: Any, tmp_path: Path) -> None:
    docs = {
        parse_ccl: {"ecfrIssueDate": "2026-07-23", "entries": []},
        parse_country_chart: {"ecfrIssueDate": "2026-07-23", "columns": [], "footnotes": {}, "countries": {}},
        parse_country_groups: {"ecfrIssueDate": "2026-07-23", "labels": {}, "groups": {}},
        parse_license_exceptions: {"ecfrIssueDate": "2026-07-23", "exceptions": []},
    }
    with pytest.raises(DataError):
        parser(_write(tmp_path, "x.json", docs[parser]))
