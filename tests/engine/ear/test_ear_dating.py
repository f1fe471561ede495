"""Snapshot dating in the EAR engine: the Country Groups rebuilt for a date, and holds where the
registry's record of a table is not complete (engine/ear/dating.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.ear import determine_tables
from exportctl.engine.ear.dating import conflicts, prepare, rebuild
from exportctl.engine.ear.tables import EarTables
from exportctl.registry import compile_regime, load_registry
from exportctl.registry.snapshots import Change

D0 = dt.date(2018, 1, 1)
COUNTRIES = ["AA", "BB", "CC"]
VALUES = ["A:5", "B", "D:5"]


@st.composite
def histories(draw: Any) -> tuple[set[tuple[str, str]], list[tuple[dt.date, Change]], dt.date]:
    """A true history: a start state, then changes each flipping one membership on its day."""
    state = {(c, v) for c in COUNTRIES for v in VALUES if draw(st.booleans())}
    start = set(state)
    # one change a day: two edits of one pair on one day have no order in the Federal Register either
    days = sorted(draw(st.lists(st.integers(1, 3000), max_size=12, unique=True)))
    changes: list[tuple[dt.date, Change]] = []
    for i, n in enumerate(days):
        day = D0 + dt.timedelta(days=n)
        c, v = draw(st.sampled_from(COUNTRIES)), draw(st.sampled_from(VALUES))
        added = (c, v) not in state
        (state.add if added else state.discard)((c, v))
        changes.append((day, Change("country_groups", c, v, added, day, f"m#{i}", "cite")))
    return start, changes, D0 + dt.timedelta(days=draw(st.integers(0, 3100)))


def state_on(
    start: set[tuple[str, str]], changes: list[tuple[dt.date, Change]], day: dt.date
) -> set[tuple[str, str]]:
    """The membership on `day`, simulated forward from the start state."""
    out = set(start)
    for d, c in changes:
        if d <= day:
            (out.add if c.added else out.discard)((c.country, c.value))
    return out


@given(histories(), st.integers(0, 3100))
@settings(max_examples=200, deadline=None)
def test_rebuild_gives_the_true_table_on_any_date(h: Any, offset: int) -> None:
    # from the snapshot of any day, every other day's table is the true one; the changes up to the
    # snapshot agree with it (no conflict); so a snapshot never leaks into another date
    start, changes, snap = h
    day = D0 + dt.timedelta(days=offset)
    snapshot = state_on(start, changes, snap)
    recorded = tuple(c for _, c in changes)
    assert rebuild(snapshot, recorded, snap, day) == state_on(start, changes, day)
    assert conflicts(snapshot, recorded, snap) == {}


@given(histories())
@settings(max_examples=100, deadline=None)
def test_a_snapshot_that_lacks_a_recorded_change_is_a_conflict(h: Any) -> None:
    start, changes, snap = h
    before = [(d, c) for d, c in changes if d <= snap]
    if not before:
        return
    snapshot = state_on(start, changes, snap)
    _, last = before[-1]
    broken = snapshot ^ {(last.country, last.value)}  # the snapshot disagrees with its latest change
    found = conflicts(broken, tuple(c for _, c in changes), snap)
    assert last.country in found


def _registry(root: Path, settings: dict[str, Any], effects: list[dict[str, Any]]) -> Any:
    doc = {
        "id": "us-ear-kz",
        "title": "test change",
        "jurisdiction": "US-EAR",
        "authority": "BIS",
        "instrument": "final_rule",
        "known_on": dt.date(2021, 1, 1),
        "status": "in_force",
        "dates": {"effective": dt.date(2021, 1, 1)},
        "citations": [{"kind": "federal_register", "title": "rule", "url": "https://example.org/fr"}],
        "effects": effects,
    }
    (root / "US-EAR").mkdir(parents=True)
    (root / "US-EAR" / "us-ear-kz.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    (root / "registry.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    return load_registry([root], bundled=False)


# a screening list with one unrelated entry: the rows have no parties, so nothing is screened
CSL = pl.DataFrame(
    {
        "list": ["EL"],
        "entity_id": ["1"],
        "name": ["Unrelated Trading Co."],
        "aliases": [[]],
        "countries": [["CN"]],
        "license_requirement": ["For all items subject to the EAR"],
        "license_policy": ["Presumption of denial"],
        "federal_register_notice": ["85 FR 1, 1/2/20"],
    },
    schema_overrides={"aliases": pl.List(pl.Utf8)},
)


def _run(tables: EarTables, reg: Any, eccn: str, to: str, day: str) -> dict[str, Any]:
    regime = compile_regime(reg, day)
    tx = pl.DataFrame(
        {"row": [0], "eccn": [eccn], "destination": [to], "as_of": [dt.date.fromisoformat(day)]}
    )
    return determine_tables(regime, tables, tx, CSL).row(0, named=True)


COVER = {"start": dt.date(2018, 1, 1)}  # the end is per family (registry.yaml `families`)


def test_a_recorded_change_is_undone_and_an_unrecorded_key_holds(
    snapshot_tables: EarTables, tmp_path: Path
) -> None:
    # Kazakhstan is not in D:5 in the snapshot; a (fictitious) change takes it out of D:5 on
    # 2021-06-01: before that the engine must treat it as D:5 (3A090: NAC, not ACA)
    settings = {
        "coverage": COVER,
        "snapshots": {
            "country_groups": {"complete_from": dt.date(2020, 1, 1), "keys": {"VN": None}, "basis": "test"},
            # the chart applied as it is before its date (a known gap the statement owns up to)
            "country_chart": {"before": "snapshot", "basis": "test"},
        },
    }
    eff = {
        "id": "kz-out",
        "kind": "table_change",
        "effective": dt.date(2021, 6, 1),
        "table_change": {"table": "country_groups", "countries": ["KZ"], "remove": ["D:5"]},
    }
    reg = _registry(tmp_path, settings, [eff])
    assert "D:5" not in snapshot_tables.groups.filter(pl.col("iso") == "KZ")["group"].to_list()
    regimes = {0: compile_regime(reg, "2021-05-31"), 1: compile_regime(reg, "2021-06-01")}
    dated = prepare(regimes, snapshot_tables)
    kz = [set(dated.groups_of(k).filter(pl.col("iso") == "KZ")["group"].to_list()) for k in (0, 1)]
    assert "D:5" in kz[0] and "D:5" not in kz[1] and kz[0] - {"D:5"} == kz[1]
    # the measures' destinations ('D:5') and the Macau/D:5 headquarters test use the same dated groups
    md5 = dict(zip(*dated.d5_md().select("rkey", "md5").to_dict(as_series=False).values(), strict=True))
    assert "KZ" in md5[0] and "KZ" not in md5[1] and {"MO", "HK"} <= set(md5[1])
    # a key the statement marks as never complete holds before the snapshot, naming table and date
    vn = _run(snapshot_tables, reg, "EAR99", "VN", "2024-01-10")
    assert vn["verdict"] == "hold"
    texts = [r["text"] for r in vn["reasons"]]
    assert any(
        "Country Groups are the eCFR of 2026-07-23" in t and "2024-01-10" in t and "VN" in t for t in texts
    )
    # a date before complete_from holds for every country; on or after, the rebuilt table answers
    assert _run(snapshot_tables, reg, "EAR99", "DE", "2019-06-01")["verdict"] == "hold"
    assert _run(snapshot_tables, reg, "EAR99", "DE", "2020-01-01")["verdict"] == "no_license_required"
    # on or after the snapshot date nothing is rebuilt, nothing holds
    assert _run(snapshot_tables, reg, "EAR99", "VN", "2026-07-23")["verdict"] == "no_license_required"


def test_a_change_the_snapshot_contradicts_holds_its_country(
    snapshot_tables: EarTables, tmp_path: Path
) -> None:
    settings = {
        "coverage": COVER,
        "snapshots": {"country_groups": {"complete_from": dt.date(2018, 1, 1), "basis": "t"}},
    }
    eff = {  # says Germany entered D:5 in 2021: the 2026 snapshot does not show it
        "id": "de-in",
        "kind": "table_change",
        "effective": dt.date(2021, 6, 1),
        "table_change": {"table": "country_groups", "countries": ["DE"], "add": ["D:5"]},
    }
    reg = _registry(tmp_path, settings, [eff])
    out = _run(snapshot_tables, reg, "EAR99", "DE", "2024-01-10")
    assert out["verdict"] == "hold"
    assert any("us-ear-kz#de-in disagrees" in r["text"] for r in out["reasons"])


def test_an_undated_snapshot_never_clears_an_earlier_date(snapshot_tables: EarTables, tmp_path: Path) -> None:
    # without the table's date the engine cannot tell an earlier date from a later one: it holds
    settings = {
        "coverage": COVER,
        "snapshots": {"country_groups": {"complete_from": dt.date(2018, 1, 1), "basis": "t"}},
    }
    reg = _registry(tmp_path, settings, [])
    undated = replace(snapshot_tables, dates={})
    out = _run(undated, reg, "EAR99", "DE", "2024-01-10")
    assert out["verdict"] == "hold"
    assert any("unknown date" in r["text"] for r in out["reasons"])


def test_no_statement_means_hold_before_the_snapshot(snapshot_tables: EarTables, tmp_path: Path) -> None:
    reg = _registry(tmp_path, {"coverage": COVER}, [])
    assert _run(snapshot_tables, reg, "EAR99", "DE", "2024-01-10")["verdict"] == "hold"
    assert _run(snapshot_tables, reg, "EAR99", "DE", "2026-07-24")["verdict"] == "no_license_required"


def test_the_bundled_registry_rebuilds_the_uae_and_clears_nothing_it_cannot(
    snapshot_tables: EarTables,
) -> None:
    reg = load_registry()
    ae = _run(snapshot_tables, reg, "3A090.a", "AE", "2023-12-15")
    assert ae["verdict"] != "no_license_required"
    assert any(r["code"] == "RS" for r in ae["reasons"])
    # a batch of two dates answers each as alone (the chart work keys on the dated tables' epochs)
    regimes = {0: compile_regime(reg, "2023-12-15"), 1: compile_regime(reg, "2026-07-15")}
    tx = pl.DataFrame(
        {
            "row": [0, 1],
            "rkey": [0, 1],
            "eccn": ["2B350.g", "2B350.g"],
            "destination": ["AE", "AE"],
            "value": [1500.0, 1500.0],
            "as_of": [dt.date(2023, 12, 15), dt.date(2026, 7, 15)],
        }
    )
    out = determine_tables(regimes, snapshot_tables, tx, CSL)
    assert out["verdict"].to_list() == ["license_required", "license_exception_available"]
