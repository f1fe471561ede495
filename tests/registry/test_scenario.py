"""Scenarios: strict files, each kind of change, and answers changed only where they should be."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from exportctl.errors import RegistryError
from exportctl.registry import Registry, compile_regime, load_scenario
from exportctl.registry.diff import diff
from exportctl.registry.scenario import Scenario, apply_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "fixtures" / "registry" / "scenarios"
DAYS = [dt.date(2024, 12, 1) + dt.timedelta(days=7 * i) for i in range(80)]  # weekly, to mid-2026


def answers(reg: Registry, scenario: Scenario | None) -> dict[tuple[dt.date, str], Any]:
    """Every (day, effect) -> (state, form, waived parties), for a year and a half of weeks."""
    out: dict[tuple[dt.date, str], Any] = {}
    for day in DAYS:
        regime = compile_regime(reg, day, scenario=scenario)
        for state, items in (("active", regime.effects()), ("suspended", regime.suspended())):
            for a in items:
                out[(day, a.ref)] = (state, a.effect.model_dump(), tuple(a.waived_parties))
    return out


def changed(reg: Registry, scenario: Scenario) -> dict[str, tuple[dt.date, dt.date]]:
    """Effect ref -> (first, last) day whose answer differs under the scenario."""
    base, alt = answers(reg, None), answers(reg, scenario)
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    for key in sorted(set(base) | set(alt)):
        if base.get(key) != alt.get(key):
            day, ref = key
            first, _ = spans.get(ref, (day, day))
            spans[ref] = (first, day)
    return spans


def test_promote_changes_only_the_promoted_measure_from_its_date(basic: Registry) -> None:
    scen = load_scenario(SCENARIOS / "promote-threat.yaml")
    spans = changed(basic, scen)
    assert list(spans) == ["fx-threat#layer"]
    assert spans["fx-threat#layer"][0] == min(d for d in DAYS if d >= dt.date(2025, 12, 1))
    regime = compile_regime(basic, "2025-12-01", scenario=scen)
    assert [a.effect.rate_pct for a in regime.effects() if a.ref == "fx-threat#layer"] == [100.0]
    assert regime.scenario == "threat-carried-out"
    assert regime.id != compile_regime(basic, "2025-12-01").id


def test_added_waiver_changes_only_the_waived_listing(basic: Registry) -> None:
    scen = load_scenario(SCENARIOS / "waive-beta.yaml")
    spans = changed(basic, scen)
    assert list(spans) == ["fx-entity#listing"]
    assert spans["fx-entity#listing"][0] == min(d for d in DAYS if d >= dt.date(2025, 8, 1))
    listing = [
        a
        for a in compile_regime(basic, "2025-08-20", scenario=scen).effects()
        if a.ref == "fx-entity#listing"
    ]
    assert listing[0].waived_parties == ["Acme Co", "Beta Ltd"]
    assert "fx-waiver-beta#beta" in listing[0].provenance


def test_removed_suspension_changes_only_the_suspended_layer_during_the_pause(basic: Registry) -> None:
    scen = load_scenario(SCENARIOS / "remove-truce.yaml")
    spans = changed(basic, scen)
    assert list(spans) == ["fx-tariff-base#layer"]
    first, last = spans["fx-tariff-base#layer"]
    assert dt.date(2025, 5, 14) <= first and last < dt.date(2025, 11, 10)
    # the extension of the removed pause acts on nothing, and does not fail
    assert compile_regime(basic, "2025-09-01", scenario=scen).effects(kind="tariff")


def test_modified_rate_changes_only_the_amended_layer_while_amended(basic: Registry) -> None:
    scen = load_scenario(SCENARIOS / "modify-hike.yaml")
    spans = changed(basic, scen)
    assert list(spans) == ["fx-tariff-base#layer"]
    assert spans["fx-tariff-base#layer"][0] == min(d for d in DAYS if d >= dt.date(2025, 3, 4))
    rates = [
        a.effect.rate_pct for a in compile_regime(basic, "2025-04-01", scenario=scen).effects(kind="tariff")
    ]
    assert 25.0 in rates and 20.0 not in rates


def test_diff_under_a_scenario(basic: Registry) -> None:
    scen = load_scenario(SCENARIOS / "promote-threat.yaml")
    rows = diff(basic, "2025-11-01", "2025-12-31", scenario=scen)
    base = diff(basic, "2025-11-01", "2025-12-31")
    extra = [r for r in rows if r not in base]
    assert [(r["date"], r["measure"], r["change"]) for r in extra] == [
        (dt.date(2025, 12, 1), "fx-threat", "entered_into_force")
    ]
    assert len(rows) == len(base) + 1


def test_scenario_file_is_strict(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as info:
        load_scenario(SCENARIOS / "bad-key.yaml")
    assert info.value.line == 5 and info.value.field == "promote.0.effectve"
    with pytest.raises(RegistryError, match="no such scenario file"):
        load_scenario(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nremove: [nope]\n", "removes unknown measure 'nope'"),
        ("name: x\nmodify: [{id: nope, set: {title: t}}]\n", "modifies unknown measure"),
        ("name: x\nmodify: [{id: fx-truce, set: {colour: red}}]\n", "no field 'colour'"),
        ("name: x\nmodify: [{id: fx-truce, set: {actions.nope.end: 2025-09-01}}]\n", "no element 'nope'"),
        ("name: x\nmodify: [{id: fx-truce, set: {status: maybe}}]\n", "modify fx-truce"),
        ("name: x\npromote: [{id: fx-truce}]\n", "only proposed or threatened"),
        ("name: x\npromote: [{id: nope}]\n", "promotes unknown measure"),
    ],
)
def test_scenario_errors_name_what_is_wrong(basic: Registry, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(RegistryError, match=message):
        apply_scenario(basic.measures, load_scenario(path))


def test_adding_an_existing_measure_is_an_error(basic: Registry) -> None:
    scen = Scenario(name="dup", add=[basic.measures["fx-truce"]])
    with pytest.raises(RegistryError, match="use modify"):
        apply_scenario(basic.measures, scen)


def test_modify_by_index_and_hash_is_stable(basic: Registry) -> None:
    a = Scenario.model_validate(
        {"name": "i", "modify": [{"id": "fx-truce", "set": {"actions.0.end": dt.date(2025, 6, 1)}}]}
    )
    b = Scenario.model_validate(
        {"name": "i", "modify": [{"id": "fx-truce", "set": {"actions.0.end": dt.date(2025, 6, 1)}}]}
    )
    assert a.hash == b.hash
    out = apply_scenario(basic.measures, a)
    assert out["fx-truce"].actions[0].end == dt.date(2025, 6, 1)
    assert basic.measures["fx-truce"].actions[0].end == dt.date(2025, 8, 12)  # the registry is untouched
