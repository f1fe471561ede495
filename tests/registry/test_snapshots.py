"""Snapshot dating in the registry: `table_change` effects, `registry.yaml` `snapshots`, the coverage note.

The loader stays strict for the new kind and settings; lint knows the kind; the bundled changes agree
with the bundled data pack (a change dated before the snapshot must show in it).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from exportctl.errors import RegistryError
from exportctl.registry import compile_regime, load_registry
from exportctl.registry.lint import lint
from exportctl.registry.snapshots import table_dating

PACK = Path(__file__).resolve().parents[2] / "src" / "exportctl" / "data" / "pack"


def _dates(value: Any) -> Any:
    """ISO strings to dates, so that they are written unquoted as in real measure files."""
    if isinstance(value, dict):
        return {k: _dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[:4].isdigit():
        return dt.date.fromisoformat(value)
    return value


def ear_measure(mid: str, effects: list[dict[str, Any]], **over: Any) -> dict[str, Any]:
    """A US-EAR measure with the given effects (dates as ISO strings)."""
    doc: dict[str, Any] = {
        "id": mid,
        "title": mid,
        "jurisdiction": "US-EAR",
        "authority": "BIS",
        "instrument": "final_rule",
        "known_on": "2021-01-01",
        "status": "in_force",
        "dates": {"effective": "2021-01-01"},
        "citations": [{"kind": "federal_register", "title": "rule", "url": "https://example.org/fr"}],
        "effects": effects,
    }
    doc.update(over)
    return doc


def change(eid: str = "c", **over: Any) -> dict[str, Any]:
    """A table_change effect: Kazakhstan into D:5 on 2021-01-01 unless overridden."""
    doc: dict[str, Any] = {
        "id": eid,
        "kind": "table_change",
        "effective": "2021-01-01",
        "table_change": {"table": "country_groups", "countries": ["KZ"], "add": ["D:5"]},
    }
    doc.update(over)
    return doc


def write_registry(
    root: Path, measures: list[dict[str, Any]], settings: dict[str, Any] | None = None
) -> Path:
    """A registry folder: one YAML per measure, and registry.yaml when settings are given."""
    root.mkdir(parents=True, exist_ok=True)
    for doc in measures:
        path = root / doc["jurisdiction"] / f"{doc['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(_dates(doc), sort_keys=False))
    if settings is not None:
        (root / "registry.yaml").write_text(yaml.safe_dump(_dates(settings), sort_keys=False))
    return root


@pytest.mark.parametrize(
    ("effect", "needle"),
    [
        (
            change(table_change={"table": "country_groups", "countries": ["KZ"], "add": ["D:9"]}),
            "not a value",
        ),
        (change(table_change={"table": "country_chart", "countries": ["KZ"], "add": ["D:5"]}), "not a value"),
        (change(table_change={"table": "country_groups", "countries": ["KZ"]}), "add"),
        (change(table_change={"table": "ccl", "countries": ["KZ"], "add": ["D:5"]}), "table_change.table"),
        (
            change(table_change={"table": "country_groups", "countries": ["KZ"], "add": ["D:5"], "x": 1}),
            "'x'",
        ),
        (change(table_change=None), "table_change"),
        (change(end="2022-01-01"), "no end"),
        (
            {
                "id": "e",
                "kind": "license_requirement",
                "effective": "2021-01-01",
                **{"table_change": change()["table_change"]},
            },
            "table_change",
        ),
    ],
)
def test_loader_is_strict_about_table_changes(tmp_path: Path, effect: dict[str, Any], needle: str) -> None:
    root = write_registry(tmp_path, [ear_measure("us-ear-x", [effect])])
    with pytest.raises(RegistryError) as err:
        load_registry([root], bundled=False)
    assert needle in (err.value.message + str(err.value.field)), err.value.message
    assert err.value.file and err.value.file.endswith("us-ear-x.yaml")


def test_snapshot_settings_are_strict(tmp_path: Path) -> None:
    ok = {"snapshots": {"country_groups": {"complete_from": "2018-01-01", "basis": "researched"}}}
    reg = load_registry([write_registry(tmp_path / "a", [], ok)], bundled=False)
    assert reg.settings.snapshots["country_groups"].complete_from == dt.date(2018, 1, 1)
    for i, bad in enumerate(
        (
            {"snapshots": {"country_grups": {"basis": "x"}}},  # not a table
            {"snapshots": {"country_groups": {"basis": "x", "complete": "2018-01-01"}}},  # unknown key
            {"snapshots": {"country_groups": {"basis": "x", "before": "guess"}}},  # not hold/snapshot
            {"snapshots": {"country_groups": {"complete_from": "2018-01-01"}}},  # basis is required
            {"snapshots": {"country_chart": {"basis": "x", "keys": {"Korea": None}}}},  # not an ISO code
            {"snapshots": {"country_chart": {"basis": "x", "keys": {"KR/XX": None}}}},  # not a reason
        )
    ):
        root = write_registry(tmp_path / f"bad{i}", [], bad)
        with pytest.raises(RegistryError):
            load_registry([root], bundled=False)


def test_lint_knows_table_changes(tmp_path: Path) -> None:
    bad_iso = ear_measure(
        "us-ear-x",
        [change(table_change={"table": "country_groups", "countries": ["Kazakhstan"], "add": ["D:5"]})],
    )
    actor = ear_measure(
        "us-ear-y",
        [],
        actions=[{"id": "lift-it", "action": "lift", "target": "us-ear-z#c", "effective": "2022-01-01"}],
    )
    target = ear_measure("us-ear-z", [change()])
    reg = load_registry([write_registry(tmp_path, [bad_iso, actor, target])], bundled=False)
    found = {(f.code, f.measure) for f in lint(reg) if f.severity == "error"}
    assert ("table-change", "us-ear-x") in found  # a name where an ISO code belongs
    assert ("table-change", "us-ear-y") in found  # an action on a table change


def test_table_dating_collects_changes_whatever_the_known_on(tmp_path: Path) -> None:
    late = ear_measure("us-ear-late", [change("late", effective="2021-06-01")], known_on="2021-07-01")
    proposed = ear_measure("us-ear-prop", [change("p")], status="proposed")
    reg = load_registry([write_registry(tmp_path, [late, proposed])], bundled=False)
    dating = table_dating(reg)
    assert [(c.country, c.value, c.added, c.ref) for c in dating.changes] == [
        ("KZ", "D:5", True, "us-ear-late#late")
    ]
    # the snapshot contains the change even for a view before it became public: it must be undone
    assert compile_regime(reg, "2021-01-01", known_on="2021-02-01").dating.changes == dating.changes


def test_coverage_note_names_the_last_day_and_the_way_out() -> None:
    reg = load_registry()
    last = reg.last_day  # the earliest family's researched_through
    assert last is not None
    inside = compile_regime(reg, last)
    assert inside.covered and inside.coverage_note() is None and inside.last_covered == last
    assert not inside.uncovered_families()
    after = compile_regime(reg, last + dt.timedelta(days=1))
    first = next(f for f in reg.settings.families if f.researched_through == last)
    name = f"{first.jurisdiction} {first.family}"
    note = after.family_note(first.jurisdiction, first.family) or ""
    assert after.covered and not after.family_covered(first.jurisdiction, first.family)
    assert str(last) in note and name in note
    assert "exportctl data sync" in note and f"--date {last}" in note
    before = compile_regime(reg, "2017-12-31").coverage_note() or ""
    assert "2018-01-01" in before and "data sync" not in before


def _pack_table(name: str) -> tuple[pl.DataFrame, dt.date]:
    manifest = json.loads((PACK / "manifest.json").read_text())
    src = next(s for s in manifest["sources"] if s["name"] == name)
    return pl.read_parquet(PACK / src["file"]), dt.date.fromisoformat(src["date"])


def test_bundled_changes_agree_with_the_bundled_snapshot() -> None:
    # every change dated on or before the snapshot must show in it (else the history is wrong)
    from exportctl.engine.ear.dating import conflicts

    dating = table_dating(load_registry())
    groups, gday = _pack_table("country_groups")
    pairs = set(zip(groups["country"].to_list(), groups["group"].to_list(), strict=True))
    assert dating.for_table("country_groups")
    assert conflicts(pairs, dating.for_table("country_groups"), gday) == {}
    chart, cday = _pack_table("country_chart")
    marked = chart.filter(pl.col("mark").fill_null(False) & pl.col("inherited_from").is_null())
    cpairs = set(
        zip(marked["country"].to_list(), marked["column"].str.replace_all(" ", "").to_list(), strict=True)
    )
    assert conflicts(cpairs, dating.for_table("country_chart"), cday) == {}


def test_every_snapshot_table_has_a_statement() -> None:
    reg = load_registry()
    assert set(reg.settings.snapshots) == {"ccl", "country_chart", "country_groups", "license_exceptions"}
    groups = reg.settings.snapshots["country_groups"]
    assert groups.before == "hold" and groups.complete_from == reg.coverage.start
