"""China's determination engine with the bundled CN-EXPORT measures and small party lists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from exportctl.engine.china.determine import determine
from exportctl.engine.ear import tables as ear_tables
from exportctl.registry import compile_regime, load_registry


@pytest.fixture(scope="module")
def registry() -> Any:
    return load_registry()


@pytest.fixture(scope="module")
def groups_only(shared_data: Path) -> ear_tables.EarTables:
    """China's engine needs only the Country Groups (for destination groups in scopes)."""
    raw = json.loads((shared_data / "ear-2026-07-23" / "country-groups.json").read_text())
    from exportctl.model.countries import resolve_country

    groups = pl.DataFrame(
        [{"iso": resolve_country(n).code, "group": g} for g, names in raw["groups"].items() for n in names]
    ).unique()
    empty_rows = pl.DataFrame(schema={"eccn": pl.Utf8, "control": pl.Utf8, "chart_text": pl.Utf8})
    chart = pl.DataFrame(schema={"iso": pl.Utf8, "footnotes": pl.List(pl.Int64), "pointer": pl.Utf8})
    return ear_tables.build(
        empty_rows,
        pl.DataFrame({"eccn": ["X"]}),
        pl.DataFrame(schema={"iso": pl.Utf8, "column": pl.Utf8}),
        chart,
        groups,
    )


PARTIES = pl.DataFrame(
    {
        "list_id": ["cn-unreliable-entity-list", "cn-export-control-watchlist"],
        "entity_id": ["u1", "w1"],
        "name": ["Lockheed Martin Corporation", "General Dynamics"],
        "aliases": [[], []],
        "date_added": ["2023-02-16", "2025-01-02"],
        "source_url": ["https://example.invalid/uel", "https://example.invalid/ecl"],
    }
)


def run(
    tables: ear_tables.EarTables,
    registry: Any,
    rows: list[dict[str, Any]],
    parties: pl.DataFrame | None = PARTIES,
) -> pl.DataFrame:
    dates = sorted({r["as_of"] for r in rows})
    regimes = {i: compile_regime(registry, d) for i, d in enumerate(dates)}
    frame = pl.DataFrame(
        [
            {
                "row": i + 1,
                "item": r.get("item"),
                "product": r.get("product"),
                "destination": r["to"],
                "ultimate_consignee": r.get("party"),
                "as_of": r["as_of"],
                "rkey": dates.index(r["as_of"]),
            }
            for i, r in enumerate(rows)
        ],
        schema={
            "row": pl.Int64,
            "item": pl.Utf8,
            "product": pl.Utf8,
            "destination": pl.Utf8,
            "ultimate_consignee": pl.Utf8,
            "as_of": pl.Date,
            "rkey": pl.Int64,
        },
    )
    return determine(regimes, tables, frame, parties)


def test_gallium_by_date(groups_only: ear_tables.EarTables, registry: Any) -> None:
    days = [dt.date(2023, 7, 15), dt.date(2024, 6, 15), dt.date(2025, 3, 1), dt.date(2025, 12, 1)]
    out = run(groups_only, registry, [{"item": "8112929010", "to": "US", "as_of": d} for d in days])
    assert out["verdict"].to_list() == [
        "no_license_required",
        "license_required",
        "prohibited",
        "license_required",
    ]


def test_product_names_match(groups_only: ear_tables.EarTables, registry: Any) -> None:
    out = run(
        groups_only,
        registry,
        [
            {"product": "Dysprosium Oxide", "to": "JP", "as_of": dt.date(2025, 5, 1)},
            {
                "item": "8452290000",
                "product": "industrial sewing machines",
                "to": "JP",
                "as_of": dt.date(2025, 5, 1),
            },
            {"product": "industrial sewing machines", "to": "JP", "as_of": dt.date(2025, 5, 1)},
        ],
    )
    # a customs code no control names is not controlled; a bare unknown product name is held (fail closed)
    assert out["verdict"].to_list() == ["license_required", "no_license_required", "hold"]
    assert out["reasons"][0][0]["measure"] == "cn-export-2025-18-seven-rare-earths"


def test_party_lists_from_their_listing_dates(groups_only: ear_tables.EarTables, registry: Any) -> None:
    out = run(
        groups_only,
        registry,
        [
            {
                "item": "8482100000",
                "product": "bearings",
                "to": "US",
                "party": "General Dynamics",
                "as_of": dt.date(2025, 3, 1),
            },
            {
                "item": "8482100000",
                "product": "bearings",
                "to": "US",
                "party": "General Dynamics",
                "as_of": dt.date(2024, 12, 1),
            },
            {
                "product": "bearings",
                "to": "US",
                "party": "LOCKHEED MARTIN CORPORATION",
                "as_of": dt.date(2024, 3, 1),
            },
        ],
    )
    assert out["verdict"].to_list() == ["prohibited", "no_license_required", "prohibited"]
    assert out["screening"][0][0]["list"] == "cn-export-control-watchlist"


def test_no_prc_lists_is_a_hold_not_a_clearance(groups_only: ear_tables.EarTables, registry: Any) -> None:
    # a data version without China's party lists cannot clear a named party: fail closed
    row = {
        "item": "8482100000",
        "product": "bearings",
        "to": "US",
        "party": "Acme",
        "as_of": dt.date(2025, 3, 1),
    }
    out = run(groups_only, registry, [row], parties=None)
    assert out["verdict"].to_list() == ["hold"]
    data = [r for r in out["reasons"][0] if r["step"] == "DATA"]
    assert [(r["code"], r["citation"]) for r in data] == [("cn_parties", "PRC party lists")]
    assert data[0]["text"].startswith("No PRC party lists in the data version")
