"""Golden cases of the dated snapshot tables: the bundled data pack's Country Groups and Chart marks,
rebuilt from the bundled registry's `table_change` measures, on the day before, of and after each change.
Also: every recorded change has a case here, so a change added without its golden fails."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from exportctl.engine.ear.dating import rebuild
from exportctl.registry import load_registry
from exportctl.registry.snapshots import table_dating

HERE = Path(__file__).parent
PACK = HERE.parents[2] / "src" / "exportctl" / "data" / "pack"
CASES: list[dict[str, Any]] = [c for f in sorted(HERE.glob("*.yaml")) for c in yaml.safe_load(f.read_text())]


def _pack(name: str) -> tuple[set[tuple[str, str]], dt.date]:
    manifest = json.loads((PACK / "manifest.json").read_text())
    src = next(s for s in manifest["sources"] if s["name"] == name)
    frame = pl.read_parquet(PACK / src["file"])
    if name == "country_chart":
        frame = frame.filter(pl.col("mark").fill_null(False) & pl.col("inherited_from").is_null()).select(
            "country", pl.col("column").str.replace_all(" ", "").alias("value")
        )
    else:
        frame = frame.select("country", pl.col("group").alias("value"))
    return set(zip(frame["country"].to_list(), frame["value"].to_list(), strict=True)), dt.date.fromisoformat(
        src["date"]
    )


@pytest.fixture(scope="module")
def tables() -> dict[str, tuple[set[tuple[str, str]], dt.date]]:
    return {name: _pack(name) for name in ("country_groups", "country_chart")}


def _ids(c: dict[str, Any]) -> str:
    return f"{c['country']}-{c['value']}-{c['change']}"


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_day_before_of_after(case: dict[str, Any], tables: dict[str, Any]) -> None:
    assert case["source"]["title"] and case["source"]["url"].startswith("http")
    pairs, snap = tables[case["table"]]
    changes = table_dating(load_registry()).for_table(case["table"])
    day: dt.date = case["change"]
    key = (case["country"], case["value"])
    for offset, member in (
        (-1, case["member_before"]),
        (0, not case["member_before"]),
        (1, not case["member_before"]),
    ):
        on = day + dt.timedelta(days=offset)
        assert (key in rebuild(pairs, changes, snap, on)) is member, (key, on)


def test_every_recorded_change_has_a_golden() -> None:
    dating = table_dating(load_registry())
    have = {(c["table"], c["country"], c["change"]) for c in CASES}
    missing = sorted(
        {(c.table, c.country, c.effective) for c in dating.changes} - have, key=lambda t: (t[2], t[1])
    )
    assert not missing, missing
