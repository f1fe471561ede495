"""EAR tables built straight from the shared eCFR snapshot, for engine tests independent of the store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from exportctl.engine.ear import tables as ear_tables
from exportctl.model.countries import resolve_country


def _iso(name: str) -> str:
    return resolve_country(name).code


def build_from_snapshot(folder: Path) -> ear_tables.EarTables:
    """EarTables from ear-2026-07-23/*.json (the same facts helper A's parsers load into the store)."""
    ccl = json.loads((folder / "ccl.json").read_text())["entries"]
    chart = json.loads((folder / "country-chart.json").read_text())
    groups = json.loads((folder / "country-groups.json").read_text())
    rows = pl.DataFrame(
        [
            {"eccn": e["eccn"], "control": r["control"], "chart_text": r["countryChart"]}
            for e in ccl
            for r in e["countryChart"]
        ]
    )
    eccns = pl.DataFrame(
        [
            {
                "eccn": e["eccn"],
                "heading": e.get("heading"),
                "lvs": e["licenceExceptionFlags"].get("LVS"),
                "gbs": e["licenceExceptionFlags"].get("GBS"),
                "enc": e["licenceExceptionFlags"].get("ENC"),
            }
            for e in ccl
        ],
        schema={"eccn": pl.Utf8, "heading": pl.Utf8, "lvs": pl.Utf8, "gbs": pl.Utf8, "enc": pl.Utf8},
    )
    marks = pl.DataFrame(
        [{"iso": _iso(n), "column": c} for n, row in chart["countries"].items() for c in row["marks"]]
    )
    chart_rows = pl.DataFrame(
        [
            {"iso": _iso(n), "footnotes": row.get("footnotes", []), "pointer": None}
            for n, row in chart["countries"].items()
        ]
        + [
            {"iso": _iso(n), "footnotes": row.get("footnotes", []), "pointer": row["pointer"]}
            for n, row in chart["embargoed"].items()
        ],
        schema={"iso": pl.Utf8, "footnotes": pl.List(pl.Int64), "pointer": pl.Utf8},
    ).unique("iso")
    group_rows = pl.DataFrame(
        [{"iso": _iso(n), "group": g} for g, names in groups["groups"].items() for n in names]
    ).unique()
    inherit = pl.DataFrame(
        [
            {
                "iso": _iso(k),
                "row_iso": _iso(v["row"]),
                "since": ear_tables.inheritance_since(v["basis"]),
                "basis": v["basis"],
            }
            for k, v in chart["territoryInheritance"].items()
        ],
        schema={"iso": pl.Utf8, "row_iso": pl.Utf8, "since": pl.Date, "basis": pl.Utf8},
    )
    notes = {int(k): v for k, v in chart["footnotes"].items()}
    # the day each table describes, as the store takes it from the source (SourceTable.date)
    issued = {
        "ccl": json.loads((folder / "ccl.json").read_text())["ecfrIssueDate"],
        "country_chart": chart["ecfrIssueDate"],
        "country_groups": groups["ecfrIssueDate"],
    }
    dates = {name: dt.date.fromisoformat(day) for name, day in issued.items()}
    return ear_tables.build(rows, eccns, marks, chart_rows, group_rows, inherit, notes, dates)


@pytest.fixture(scope="session")
def snapshot_tables(shared_data: Path) -> ear_tables.EarTables:
    """EarTables of the eCFR 2026-07-23 snapshot."""
    return build_from_snapshot(shared_data / "ear-2026-07-23")
