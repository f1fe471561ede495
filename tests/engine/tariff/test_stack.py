"""Stacking semantics on a small schedule and small measures: every rule comes from the measure data."""

from __future__ import annotations

import textwrap
from pathlib import Path

import polars as pl
import pytest

from exportctl.engine.tariff import tariff
from exportctl.registry import compile_regime, load_registry
from exportctl.registry.loader import Registry
from exportctl.sources.base import SourceTable
from exportctl.store.dataset import Dataset

HTS = pl.DataFrame(
    {
        "hts": ["11110000", "1111000010", "22220000", "33330000", "44440000", "55550000"],
        "level": [8, 10, 8, 8, 8, 8],
        "description": ["widgets", "red widgets", "gadgets", "steel bars", "meat", "shoes"],
        "general": ["Free", "", "4%", "Free", "2.5¢/kg + 5%", "20%"],
        "special": ["", "", "Free (A*,AU) 2% (JO)", "", "", ""],
        "other": ["35%", "", "40%", "20%", "10¢/kg + 30%", "35%"],
        "chapter99_effective": [["9903.88.03"], ["9903.88.03"], [], [], ["9903.88.15"], []],
        "src_file": ["t.json"] * 6,
        "src_line": [1, 2, 3, 4, 5, 6],
    }
)

MEASURES = """
id: t-list
title: list layer
jurisdiction: US-TARIFF
authority: USTR
instrument: notice
known_on: 2020-01-01
status: in_force
dates: {effective: 2020-01-01}
citations: [{kind: other, title: T1}]
effects:
  - {id: l3, kind: tariff, program: section_301, heading: 9903.88.03, rate_pct: 25, effective: 2020-01-01,
     scope: {origins: [XA], hts_footnotes: [9903.88.03]}}
  - {id: l4, kind: tariff, program: section_301, heading: 9903.88.15, rate_pct: 7.5, effective: 2020-01-01,
     scope: {origins: [XA], hts_footnotes: [9903.88.15]}}
  - {id: higher, kind: tariff, program: section_301, heading: 9903.91.01, rate_pct: 50, effective: 2020-01-01,
     stacking: replaces, priority: 10, scope: {origins: [XA], hts: ["1111000010"]}}
  - {id: all, kind: tariff, program: ieepa_reciprocal, heading: 9903.01.25, rate_pct: 10,
     effective: 2020-01-01,
     scope: {origins: [XA]}}
  - {id: metal, kind: tariff, program: section_232_steel, heading: 9903.80.01, rate_pct: 25,
     effective: 2020-01-01,
     excludes_programs: [ieepa_reciprocal], scope: {hts: ["3333"]}}
  - {id: gadget-exception, kind: tariff_exclusion, excludes_programs: [ieepa_reciprocal],
     effective: 2020-01-01,
     scope: {origins: [XA], hts: ["2222"], hts_exclude: ["22220000"]}}
  - {id: col2, kind: tariff, program: column_2, effective: 2020-01-01, scope: {origins: [XB]}}
  - {id: base-xc, kind: tariff, program: ieepa_reciprocal, heading: 9903.01.25, rate_pct: 10,
     effective: 2020-01-01,
     scope: {origins: [XF]}}
  - {id: floor-xc, kind: tariff, program: ieepa_reciprocal, heading: 9903.02.19, floor_pct: 15,
     effective: 2020-03-01,
     stacking: replaces, priority: 10, scope: {origins: [XF]}}
  - {id: fta-out, kind: tariff_exclusion, excludes_programs: [ieepa_reciprocal], effective: 2020-01-01,
     scope: {origins: [XA], special_programs: [A]}}
  - {id: maybe, kind: tariff, program: section_301, rate_pct: 99, effective: 2020-01-01,
     scope: {origins: [XA], products: [blue widgets]}}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Registry, Dataset]:
    folder: Path = tmp_path_factory.mktemp("measures") / "US-TARIFF"
    folder.mkdir()
    (folder / "t-list.yaml").write_text(textwrap.dedent(MEASURES))
    reg = load_registry([folder.parent], bundled=False)
    ds = Dataset.from_tables([SourceTable("hts", "HTS", "test", "2020-01-01", HTS)])
    return reg, ds


def _run(
    small: tuple[Registry, Dataset], rows: dict[str, list[object]], day: str = "2020-06-01"
) -> pl.DataFrame:
    reg, ds = small
    return tariff(compile_regime(reg, day), ds, pl.DataFrame(rows))


def _programs(row: dict[str, object]) -> dict[str, float]:
    return {c["program"]: c["rate_pct"] for c in row["components"] or []}  # type: ignore[attr-defined, index]


def test_footnote_membership_and_origin(small: tuple[Registry, Dataset]) -> None:
    out = _run(small, {"hts": ["11110000", "11110000"], "origin": ["XA", "XC"]})
    a, c = out.row(0, named=True), out.row(1, named=True)
    assert (
        _programs(a) == {"section_301": 25.0, "ieepa_reciprocal": 10.0} and a["total_ad_valorem_pct"] == 35.0
    )
    assert _programs(c) == {} and c["total_ad_valorem_pct"] == 0.0


def test_replaces_keeps_the_highest_priority_within_a_program(small: tuple[Registry, Dataset]) -> None:
    row = _run(small, {"hts": ["1111000010"], "origin": ["XA"]}).row(0, named=True)
    assert _programs(row) == {"section_301": 50.0, "ieepa_reciprocal": 10.0}
    assert [x["excluded_by"] for x in row["excluded"]] == ["replaced"]


def test_a_layer_that_excludes_a_program_removes_it(small: tuple[Registry, Dataset]) -> None:
    row = _run(small, {"hts": ["33330000"], "origin": ["XA"]}).row(0, named=True)
    assert _programs(row) == {"section_232_steel": 25.0}
    assert row["excluded"][0]["program"] == "ieepa_reciprocal"


def test_hts_exclude_takes_a_line_out_of_an_exclusion(small: tuple[Registry, Dataset]) -> None:
    row = _run(small, {"hts": ["22220000"], "origin": ["XA"]}).row(0, named=True)
    assert _programs(row) == {"ieepa_reciprocal": 10.0} and row["total_ad_valorem_pct"] == 14.0


def test_column_2_switches_the_base_rate(small: tuple[Registry, Dataset]) -> None:
    row = _run(small, {"hts": ["22220000"], "origin": ["XB"], "value": [200.0]}).row(0, named=True)
    assert (row["base_column"], row["mfn_text"], row["duty_amount"]) == ("column_2", "40%", 80.0)


def test_product_level_scope_is_advisory_never_added(small: tuple[Registry, Dataset]) -> None:
    row = _run(small, {"hts": ["11110000"], "origin": ["XA"]}).row(0, named=True)
    assert [a["rate_pct"] for a in row["advisories"]] == [99.0]
    assert 99.0 not in _programs(row).values()


def test_compound_duty_amount_needs_the_quantity_in_its_unit(small: tuple[Registry, Dataset]) -> None:
    out = _run(
        small,
        {
            "hts": ["44440000"] * 3,
            "origin": ["XA"] * 3,
            "value": [1000.0] * 3,
            "quantity": [100.0, 100.0, None],
            "unit": ["kg", "liter", None],
        },
    )
    kg, litre, none = (out.row(i, named=True) for i in range(3))
    # 5% MFN + 7.5% + 10% = 22.5% of 1000, plus 2.5¢ x 100 kg
    assert kg["total_ad_valorem_pct"] == 22.5 and kg["duty_amount"] == 227.5
    assert kg["total_ave_pct"] == pytest.approx(22.75)
    assert litre["duty_amount"] is None and none["duty_amount"] is None
    assert any("quantity" in n for n in none["notes"])


def test_before_the_measure_nothing_is_added(small: tuple[Registry, Dataset]) -> None:
    row = _run(small, {"hts": ["11110000"], "origin": ["XA"]}, day="2019-06-01").row(0, named=True)
    assert _programs(row) == {} and row["mfn_text"] == "Free"


def test_unknown_and_ambiguous_codes_keep_a_status_in_a_batch(small: tuple[Registry, Dataset]) -> None:
    out = _run(small, {"hts": ["11110000", "9999999999", "1111"], "origin": ["XA"] * 3})
    assert out["status"].to_list() == ["ok", "unknown_hts", "ok"]


def test_many_lines_are_one_columnar_pass(small: tuple[Registry, Dataset]) -> None:
    n = 20_000
    out = _run(
        small, {"hts": ["11110000", "22220000", "33330000", "44440000"] * (n // 4), "origin": ["XA"] * n}
    )
    assert out.height == n
    assert out.group_by("hts").agg(pl.col("total_additional_pct").first()).sort("hts")[
        "total_additional_pct"
    ].to_list() == [35.0, 10.0, 25.0, 17.5]


def test_special_programs_are_shown_and_applied_only_when_asked(small: tuple[Registry, Dataset]) -> None:
    out = _run(
        small, {"hts": ["22220000"] * 4, "origin": ["XA"] * 4, "special_program": [None, "au", "A", "KR"]}
    )
    plain, au, gsp, kr = (out.row(i, named=True) for i in range(4))
    assert (plain["base_column"], plain["mfn_text"], plain["special"]) == (
        "general",
        "4%",
        "Free (A*,AU) 2% (JO)",
    )
    assert (au["base_column"], au["mfn_text"], au["total_ad_valorem_pct"]) == ("special", "Free", 10.0)
    assert gsp["mfn_text"] == "Free" and any("A*" in n for n in gsp["notes"])
    assert kr["base_column"] == "general" and any("not listed" in n for n in kr["notes"])


def test_a_floor_brings_the_line_up_to_the_all_in_rate(small: tuple[Registry, Dataset]) -> None:
    codes = ["11110000", "22220000", "55550000"]
    out = _run(small, {"hts": codes, "origin": ["XF"] * 3}).rows(named=True)
    assert [_programs(r)["ieepa_reciprocal"] for r in out] == [15.0, 11.0, 0.0]
    assert [r["total_ad_valorem_pct"] for r in out] == [15.0, 15.0, 20.0]
    assert [r["components"][0]["heading"] for r in out] == ["9903.02.19"] * 3
    assert "all-in floor 15% less the general rate 4% ad valorem (4%) = 11%" in out[1]["notes"][0]
    assert any(e["excluded_by"] == "replaced" for e in out[1]["excluded"])


def test_before_the_floor_the_flat_rate_applies(small: tuple[Registry, Dataset]) -> None:
    row = _run(small, {"hts": ["55550000"], "origin": ["XF"]}, day="2020-02-01").row(0, named=True)
    assert _programs(row) == {"ieepa_reciprocal": 10.0}
    assert not any("floor" in n for n in row["notes"])


def test_a_floor_on_a_compound_base_is_not_computable(small: tuple[Registry, Dataset]) -> None:
    row = _run(small, {"hts": ["44440000"], "origin": ["XF"]}).row(0, named=True)
    assert "ieepa_reciprocal" not in _programs(row)
    assert row["total_additional_pct"] == 0.0
    assert any("not computable" in n and "compound" in n for n in row["notes"])
    assert next(a["note"] for a in row["advisories"] if a["program"] == "ieepa_reciprocal").startswith(
        "ieepa_reciprocal 9903.02.19"
    )


def test_a_floor_uses_the_special_rate_when_that_is_the_base(small: tuple[Registry, Dataset]) -> None:
    rows = {"hts": ["22220000"], "origin": ["XF"], "special_program": ["JO"]}
    row = _run(small, rows).row(0, named=True)
    assert _programs(row)["ieepa_reciprocal"] == 13.0
    assert "less the special rate 2%" in row["notes"][-1]


def test_floor_pct_and_rate_pct_exclude_each_other() -> None:
    from pydantic import ValidationError

    from exportctl.registry.schema import TariffEffect

    with pytest.raises(ValidationError, match="floor_pct"):
        TariffEffect(id="x", kind="tariff", effective="2020-01-01", rate_pct=10, floor_pct=15)
    assert TariffEffect(id="x", kind="tariff", effective="2020-01-01", floor_pct=15).floor_pct == 15


def test_a_layer_scoped_to_a_special_program_needs_the_program_claimed_and_listed(
    small: tuple[Registry, Dataset],
) -> None:
    rows = {"hts": ["22220000"] * 4, "origin": ["XA"] * 4, "special_program": [None, "A", "JO", "IL"]}
    out = _run(small, rows).rows(named=True)
    assert ["ieepa_reciprocal" in _programs(r) for r in out] == [True, False, True, True]
    assert (
        next(e for e in out[1]["excluded"] if e["program"] == "ieepa_reciprocal")["excluded_by"]
        == "t-list#fta-out"
    )
