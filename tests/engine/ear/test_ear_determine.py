"""The EAR engine over small in-memory batches with the real eCFR snapshot and the bundled measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from exportctl.engine.ear.determine import determine
from exportctl.engine.ear.tables import EarTables
from exportctl.engine.list_dates import date_entries
from exportctl.registry import compile_regime, load_registry
from exportctl.sources.fr_pages import load_notices, load_page_dates

D = dt.date(2025, 4, 1)


@pytest.fixture(scope="module")
def registry() -> Any:
    return load_registry()


def _csl() -> pl.DataFrame:
    """A small CSL, dated as ops dates the real one (engine.list_dates over the bundled FR facts)."""
    csl = pl.DataFrame(
        {
            "list": ["EL", "DPL", "UVL", "EL"],
            "entity_id": ["1", "2", "3", "4"],
            "name": ["Acme Trading Co., Ltd.", "Bad Actor LLC", "Red Flag Trading", "Future Listed Corp"],
            "aliases": [["ACME TRADING"], [], [], []],
            "countries": [["CN"], ["CN"], ["AE"], ["CN"]],
            "license_requirement": [
                "For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR)",
                None,
                None,
                "For all items subject to the EAR",
            ],
            "license_policy": ["Presumption of denial", None, None, "Case-by-case review"],
            "federal_register_notice": ["85 FR 1, 1/2/20", "49 F.R. 1 12/13/84", None, "90 FR 1, 3/25/25"],
        }
    )
    dates = date_entries(csl, load_notices(), load_page_dates(), None, dt.date(2025, 1, 1))
    return csl.join(dates, on=["list", "entity_id"], how="left")


def run(
    tables: EarTables, registry: Any, rows: list[dict[str, Any]], csl: pl.DataFrame | None = None
) -> pl.DataFrame:
    dates = sorted({r.get("as_of", D) for r in rows})
    regimes = {i: compile_regime(registry, d) for i, d in enumerate(dates)}
    frame = pl.DataFrame(
        [
            {
                "row": i + 1,
                "eccn": r.get("eccn"),
                "product": r.get("product"),
                "destination": r["to"],
                "ultimate_consignee": r.get("party"),
                "end_use": r.get("end_use"),
                "value": r.get("value"),
                "as_of": r.get("as_of", D),
                "rkey": dates.index(r.get("as_of", D)),
            }
            for i, r in enumerate(rows)
        ],
        schema={
            "row": pl.Int64,
            "eccn": pl.Utf8,
            "product": pl.Utf8,
            "destination": pl.Utf8,
            "ultimate_consignee": pl.Utf8,
            "end_use": pl.Utf8,
            "value": pl.Float64,
            "as_of": pl.Date,
            "rkey": pl.Int64,
        },
    )
    return determine(regimes, tables, frame, _csl() if csl is None else csl)


def test_chart_columns_decide(snapshot_tables: EarTables, registry: Any) -> None:
    out = run(
        snapshot_tables,
        registry,
        [{"eccn": "3C001", "to": "CN"}, {"eccn": "3C001", "to": "IN"}, {"eccn": "EAR99", "to": "CN"}],
    )
    assert out["verdict"].to_list() == ["license_required", "no_license_required", "no_license_required"]
    ns2 = [r for r in out["reasons"][0] if r["column"] == "NS2"]
    assert ns2 and "738 Supp. 1" in ns2[0]["citation"] and "ECCN 3C001" in ns2[0]["citation"]


def test_license_exceptions_reported_with_why(snapshot_tables: EarTables, registry: Any) -> None:
    out = run(
        snapshot_tables,
        registry,
        [{"eccn": "2B350.g", "to": "TH", "value": 1500.0}, {"eccn": "2B350.g", "to": "TH", "value": 9000.0}],
    )
    assert out["verdict"].to_list() == ["license_exception_available", "license_required"]
    lvs = next(e for e in out["exceptions"][1] if e["code"] == "LVS")
    assert not lvs["applies"] and "2000" in lvs["why"]
    assert {e["code"] for e in out["exceptions"][0]} >= {"LVS", "GBS", "ENC", "ACA", "NAC", "TMP", "RPL"}


def test_party_lists_and_their_dates(snapshot_tables: EarTables, registry: Any) -> None:
    out = run(
        snapshot_tables,
        registry,
        [
            {"eccn": "EAR99", "to": "CN", "party": "ACME TRADING CO LTD"},  # case and punctuation
            {"eccn": "EAR99", "to": "CN", "party": "acme trading"},  # an alias
            {"eccn": "EAR99", "to": "CN", "party": "Bad Actor, LLC"},
            {"eccn": "EAR99", "to": "AE", "party": "Red Flag Trading"},
            {
                "eccn": "EAR99",
                "to": "CN",
                "party": "Future Listed Corp",
            },  # listed Mar 25, 2025: not yet on Jan 1
            {"eccn": "EAR99", "to": "CN", "party": "Acme Trading Company"},  # not the same name
        ],
    )
    assert out["verdict"].to_list()[:4] == ["license_required", "license_required", "prohibited", "hold"]
    el = next(r for r in out["reasons"][0] if r["code"] == "EL")
    assert el["review_policy"] == "Presumption of denial" and "footnote 4" in el["text"]
    assert out["screening"][0][0]["list"] == "EL"
    early = run(
        snapshot_tables,
        registry,
        [{"eccn": "EAR99", "to": "CN", "party": "Future Listed Corp", "as_of": dt.date(2025, 1, 1)}],
    )
    assert early["verdict"][0] == "no_license_required"
    assert out["verdict"][5] == "no_license_required"


def test_missing_lists_hold(snapshot_tables: EarTables, registry: Any) -> None:
    regime = compile_regime(registry, D)
    frame = pl.DataFrame({"row": [1], "eccn": ["EAR99"], "destination": ["CN"], "as_of": [D]})
    out = determine(regime, snapshot_tables, frame, None)
    assert out["verdict"][0] == "hold"


def test_uncovered_date_holds(snapshot_tables: EarTables, registry: Any) -> None:
    out = run(snapshot_tables, registry, [{"eccn": "EAR99", "to": "CN", "as_of": dt.date(2005, 1, 1)}])
    assert out["verdict"][0] == "hold"
    assert any(r["code"] == "coverage" for r in out["reasons"][0])


def test_time_travel_macau(snapshot_tables: EarTables, registry: Any) -> None:
    out = run(
        snapshot_tables,
        registry,
        [
            {"eccn": "3A090.a", "to": "MO", "as_of": dt.date(2023, 1, 10)},
            {"eccn": "3A090.a", "to": "MO", "as_of": dt.date(2023, 2, 1)},
        ],
    )
    assert out["verdict"].to_list() == ["no_license_required", "license_required"]


def test_headquarters_rule_needs_a_party_there(snapshot_tables: EarTables, registry: Any) -> None:
    frame = pl.DataFrame(
        {
            "row": [1, 2],
            "eccn": ["3A090.a", "3A090.a"],
            "destination": ["NL", "NL"],
            "ultimate_consignee_country": [None, "CN"],
            "as_of": [dt.date(2025, 6, 10)] * 2,
        },
        schema={
            "row": pl.Int64,
            "eccn": pl.Utf8,
            "destination": pl.Utf8,
            "ultimate_consignee_country": pl.Utf8,
            "as_of": pl.Date,
        },
    )
    out = determine(compile_regime(registry, dt.date(2025, 6, 10)), snapshot_tables, frame, _csl())
    assert out["verdict"].to_list() == ["no_license_required", "license_required"]


def test_batch_equals_rows_one_by_one(snapshot_tables: EarTables, registry: Any) -> None:
    rows = [
        {"eccn": e, "to": t, "value": v}
        for e in ("3A090", "2B350.g", "EAR99", "5A002.a", "9A991")
        for t in ("CN", "TH", "DE", "RU", "IR")
        for v in (100.0, 50000.0)
    ]
    batch = run(snapshot_tables, registry, rows)["verdict"].to_list()
    single = [run(snapshot_tables, registry, [r])["verdict"][0] for r in rows[::7]]
    assert batch[::7] == single


def test_exception_change_makes_an_exception_unavailable(
    snapshot_tables: EarTables, registry: Any, tmp_path: Any
) -> None:
    from exportctl.registry import load_scenario

    scenario = tmp_path / "no-lvs.yaml"
    scenario.write_text(
        """name: no-lvs
description: a hypothetical rule taking LVS away for 2B350
add:
  - id: test-no-lvs-2b350
    title: hypothetical LVS withdrawal
    jurisdiction: US-EAR
    authority: BIS
    instrument: final_rule
    known_on: 2025-01-01
    status: in_force
    dates: {effective: 2025-01-01}
    citations: [{kind: other, title: hypothetical}]
    effects:
      - id: no-lvs
        kind: exception_change
        effective: 2025-01-01
        scope: {eccns: [2B350]}
        exceptions: [LVS]
        exceptions_available: false
"""
    )
    regime = compile_regime(registry, D, scenario=load_scenario(scenario))
    frame = pl.DataFrame(
        {"row": [1], "eccn": ["2B350.g"], "destination": ["TH"], "value": [1500.0], "as_of": [D]},
        schema={
            "row": pl.Int64,
            "eccn": pl.Utf8,
            "destination": pl.Utf8,
            "value": pl.Float64,
            "as_of": pl.Date,
        },
    )
    out = determine(regime, snapshot_tables, frame, _csl())
    assert out["verdict"][0] == "license_required"
    lvs = next(e for e in out["exceptions"][0] if e["code"] == "LVS")
    assert not lvs["applies"] and "unavailable" in lvs["why"]
