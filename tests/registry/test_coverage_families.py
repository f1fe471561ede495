"""Coverage per family (#13): each family answers up to its `researched_through`; `registry check` fails on
a measure dated after it; `registry coverage` prints the families."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportctl.errors import CoverageError
from exportctl.fronts.cli.main import app
from exportctl.ops.registry import coverage, families
from exportctl.ops.tariff import _check_date
from exportctl.registry import Registry, compile_regime, load_registry
from exportctl.registry.lint import lint

SETTINGS = """\
coverage: {start: 2018-01-01}
families:
  - jurisdiction: US-EAR
    family: controls
    description: fixture controls
    researched_through: 2025-06-30
    sources:
      - {title: Fixture source, url: 'https://example.org/fr', checked: 2025-06-30}
"""
MEASURE = """\
id: fx-late
title: Late
jurisdiction: US-EAR
family: controls
authority: BIS
instrument: final_rule
known_on: {known_on}
status: in_force
dates:
  published: {published}
  effective: {effective}
citations:
  - kind: federal_register
    title: Fixture rule
    url: https://example.org/one
effects:
  - id: req
    kind: license_requirement
    effective: {effective}
"""


def moved(reg: Registry, **days: str) -> Registry:
    """The registry with some families' researched_through moved (keys 'US_EAR__parties' ...)."""
    new = {k.replace("__", "/").replace("_", "-"): dt.date.fromisoformat(v) for k, v in days.items()}
    fams = []
    for f in reg.settings.families:
        day = new.get(f"{f.jurisdiction}/{f.family}", f.researched_through)
        fams.append(f.model_copy(update={"researched_through": day}))
    settings = reg.settings.model_copy(update={"families": fams})
    return dataclasses.replace(reg, settings=settings, _cache={})


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


def test_every_family_is_researched_at_least_through_july_2026(reg: Registry) -> None:
    assert reg.settings.families and reg.coverage.end is None
    assert all(f.researched_through >= dt.date(2026, 7, 31) for f in reg.settings.families)
    assert reg.last_day == min(f.researched_through for f in reg.settings.families)


def test_a_family_past_its_day_holds_and_another_still_answers(reg: Registry) -> None:
    early = moved(reg, US_EAR__controls="2026-06-30")
    assert early.last_day == dt.date(2026, 6, 30)  # the single day: the earliest family's
    on = compile_regime(early, "2026-06-30")
    after = compile_regime(early, "2026-07-01")
    assert on.family_covered("US-EAR", "controls") and on.family_note("US-EAR", "controls") is None
    assert not after.family_covered("US-EAR", "controls")
    note = after.family_note("US-EAR", "controls") or ""
    assert "US-EAR controls" in note and "2026-06-30" in note and "--date 2026-06-30" in note
    for other in (("US-EAR", "parties"), ("CN-EXPORT", "controls"), ("US-TARIFF", "section-301")):
        assert after.family_covered(*other) and after.family_note(*other) is None
    assert [(f.jurisdiction, f.family) for f in after.uncovered_families()] == [("US-EAR", "controls")]
    assert after.to_dict()["families"][0] == {
        "jurisdiction": "US-EAR",
        "family": "controls",
        "researched_through": dt.date(2026, 6, 30),
        "covered": False,
    }


def test_known_on_after_researched_through_does_not_hold(reg: Registry) -> None:
    last = reg.last_day
    assert last is not None
    today = compile_regime(reg, last, known_on="2026-12-04")
    assert today.family_covered("US-EAR", "controls") and not today.uncovered_families()
    # what is known is what was known up to min(known_on, researched_through)
    fam = reg.family_coverage("US-EAR", "controls")
    assert fam is not None and today.knowledge_through("US-EAR", "controls") == fam.researched_through
    then = compile_regime(reg, last, known_on="2025-01-01")
    assert then.knowledge_through("US-EAR", "controls") == dt.date(2025, 1, 1)


def test_us_tariff_error_names_the_day_and_the_family(reg: Registry) -> None:
    early = moved(reg, US_TARIFF__section_232="2026-06-30")
    _check_date(early, dt.date(2026, 6, 30), "US")
    with pytest.raises(CoverageError) as info:
        _check_date(early, dt.date(2026, 7, 1), "US")
    err = info.value
    assert "2026-07-01" in err.message and "2026-06-30" in err.message
    assert "US-TARIFF section-232" in err.message and err.family == "US-TARIFF section-232"
    assert err.last_day == dt.date(2026, 6, 30) and err.field == "date" and err.code == "out_of_coverage"
    # a partial stack is wrong: the other US-TARIFF families' later day does not help, but China's
    # retaliation stack is its own family and still answers
    _check_date(early, dt.date(2026, 7, 1), "CN")


def test_cn_tariff_is_independent(reg: Registry) -> None:
    early = moved(reg, CN_TARIFF__retaliation="2026-06-30")
    _check_date(early, dt.date(2026, 7, 15), "US")
    with pytest.raises(CoverageError, match="CN-TARIFF retaliation"):
        _check_date(early, dt.date(2026, 7, 15), "CN")
    with pytest.raises(CoverageError, match="US-TARIFF"):
        _check_date(reg, dt.date(2026, 11, 10), "US")


def test_coverage_json_shape() -> None:
    result = CliRunner().invoke(app, ["registry", "coverage", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert list(doc) == ["families"] and doc == json.loads(json.dumps(families(), default=str))
    for fam in doc["families"]:
        assert set(fam) == {"jurisdiction", "family", "researched_through", "sources"}
        assert fam["sources"] and all(set(s) == {"title", "url", "checked"} for s in fam["sources"])
    assert {(f["jurisdiction"], f["family"]) for f in doc["families"]} >= {
        ("US-EAR", "controls"),
        ("US-OFAC", "sanctions"),
        ("CN-TARIFF", "retaliation"),
    }
    table = CliRunner().invoke(app, ["registry", "coverage"])
    assert table.exit_code == 0 and "researched_through" in table.output and "US-OFAC" in table.output


def test_coverage_table_names_each_family_gap() -> None:
    """The table ends with every family's recorded gaps (events found but not recorded, unclear expiries)."""
    doc = families(gaps=True)
    expected = [f"gap, {f['jurisdiction']} {f['family']}: " for f in doc["families"] for _ in f["gaps"]]
    assert expected, "the bundled registry records gaps"
    out = CliRunner().invoke(app, ["registry", "coverage"], terminal_width=400).output
    lines = [line for line in out.splitlines() if line.startswith("gap, ")]
    assert [line[: len(e)] for line, e in zip(lines, expected, strict=True)] == expected


def test_api_coverage_keeps_its_fields_and_gains_families() -> None:
    doc = coverage()
    assert {"first_day", "last_day", "refresh", "snapshots", "families"} <= set(doc)
    assert doc["last_day"] == min(f["researched_through"] for f in doc["families"])


def _fixture_registry(tmp_path: Path, known_on: str, published: str, effective: str) -> tuple[Registry, Path]:
    (tmp_path / "registry.yaml").write_text(SETTINGS)
    folder = tmp_path / "US-EAR"
    folder.mkdir(exist_ok=True)
    path = folder / "fx-late.yaml"
    path.write_text(MEASURE.format(known_on=known_on, published=published, effective=effective))
    return load_registry([tmp_path], bundled=False), path


def _coverage_findings(reg: Registry) -> list[tuple[str, str | None, str | None]]:
    return [(f.severity, f.file, f.field) for f in lint(reg) if f.code == "after-researched-through"]


def test_lint_errors_on_a_measure_known_after_its_family(tmp_path: Path) -> None:
    reg, path = _fixture_registry(tmp_path, "2025-07-02", "2025-07-01", "2025-07-03")
    found = _coverage_findings(reg)
    assert ("error", str(path), "known_on") in found and ("error", str(path), "dates.published") in found
    assert all(sev == "error" for sev, _, _ in found)
    message = next(f.message for f in lint(reg) if f.field == "known_on")
    assert "2025-07-02" in message and "2025-06-30" in message and "US-EAR controls" in message


def test_lint_warns_on_a_scheduled_change_known_in_time(tmp_path: Path) -> None:
    reg, path = _fixture_registry(tmp_path, "2025-06-20", "2025-06-20", "2025-08-01")
    assert _coverage_findings(reg) == [("warning", str(path), "dates.effective")]
    reg, _ = _fixture_registry(tmp_path, "2025-06-20", "2025-06-20", "2025-06-30")
    assert _coverage_findings(reg) == []
