"""`exportctl timeline|diff|regime|registry ...` through the real Typer app: contracts, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exportctl.fronts.cli.main import app

runner = CliRunner()
BASIC = Path(__file__).resolve().parents[1] / "fixtures" / "registry" / "basic"
CHANGES = {"entered_into_force", "ended", "suspended", "resumed", "amended"}

SCENARIO = """\
name: extra-duty
description: What if a 5% duty on origin CN had applied from 2025-06-01
add:
  - id: scenario-extra-duty
    title: Scenario extra duty
    jurisdiction: US-TARIFF
    authority: President
    instrument: executive_order
    known_on: 2025-05-01
    status: in_force
    dates: {effective: 2025-06-01}
    citations: [{kind: other, title: Scenario, url: https://example.org/s}]
    effects:
      - {id: duty, kind: tariff, effective: 2025-06-01, program: scenario, rate_pct: 5.0}
"""


def test_diff_json_contract() -> None:
    result = runner.invoke(app, ["diff", "--from", "2025-05-01", "--to", "2025-07-15", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["from"], doc["to"]) == ("2025-05-01", "2025-07-15")
    assert doc["changes"]
    for change in doc["changes"]:
        assert {"date", "measure", "title", "jurisdiction", "change", "citations"} <= set(change)
        assert change["change"] in CHANGES and "2025-05-01" < change["date"] <= "2025-07-15"
        assert isinstance(change["citations"], list) and change["citations"]
    dates = [(c["date"], c["measure"]) for c in doc["changes"]]
    assert dates == sorted(dates)


def test_diff_jurisdiction_and_csv() -> None:
    result = runner.invoke(
        app, ["diff", "--from", "2025-05-01", "--to", "2025-07-15", "-j", "us-ear", "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "date,change,jurisdiction,measure,title,by,citations"
    assert all(",US-EAR," in line for line in lines[1:])


def test_timeline_json_contract() -> None:
    result = runner.invoke(
        app, ["timeline", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["measures"]
    for m in doc["measures"]:
        assert {"id", "title", "jurisdiction", "status", "effective", "end", "citations"} <= set(m)


def test_timeline_table() -> None:
    result = runner.invoke(app, ["timeline", "--jurisdiction", "CN-EXPORT"])
    assert result.exit_code == 0, result.output
    assert "Measures (" in result.stdout


def test_bad_date_is_one_line_exit_2() -> None:
    result = runner.invoke(app, ["diff", "--from", "2025-13-01", "--to", "2025-07-15"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: field 'from': not a date") and result.stderr.count("\n") == 1


def test_unknown_jurisdiction_suggests() -> None:
    result = runner.invoke(app, ["timeline", "-j", "EU"])
    assert result.exit_code == 2 and "US-EAR" in result.stderr


def test_json_errors_in_json() -> None:
    result = runner.invoke(app, ["diff", "--from", "2025-07-15", "--to", "2025-05-01", "-f", "json"])
    assert result.exit_code == 2
    assert json.loads(result.stderr)["field"] == "to"


def test_scenario_option(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    args = ["diff", "--from", "2025-05-31", "--to", "2025-06-01", "-f", "json"]
    base = json.loads(runner.invoke(app, args).stdout)
    alt = json.loads(runner.invoke(app, [*args, "--scenario", str(path)]).stdout)
    assert alt["scenario"] == "extra-duty" and base["scenario"] is None
    extra = [c for c in alt["changes"] if c not in base["changes"]]
    assert [(c["measure"], c["change"]) for c in extra] == [("scenario-extra-duty", "entered_into_force")]


def test_bad_scenario_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        SCENARIO.replace("  - id: scenario-extra-duty\n", "  - id: scenario-extra-duty\n    colour: red\n")
    )
    result = runner.invoke(app, ["timeline", "--scenario", str(path)])
    assert result.exit_code == 2
    assert f"{path}:5" in result.stderr and "unknown key 'colour'" in result.stderr


def test_regime_json_and_known_on() -> None:
    result = runner.invoke(app, ["regime", "--as-of", "2025-05-20", "--known-on", "2025-05-20", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2025-05-20" and doc["known_on"] == "2025-05-20" and len(doc["regime"]) == 64
    assert doc["covered"] is True and doc["effects"]


def test_registry_check_passes_on_a_clean_registry() -> None:
    result = runner.invoke(app, ["registry", "check", "--dir", str(BASIC), "--only"])
    assert result.exit_code == 0, result.output
    assert "17 measures and 2 claims checked: 0 errors" in result.stderr


def test_registry_check_fails_with_errors(tmp_path: Path) -> None:
    bad = tmp_path / "US-EAR"
    bad.mkdir()
    (bad / "x.yaml").write_text("id: y\n")
    result = runner.invoke(app, ["registry", "check", "--dir", str(tmp_path), "--only", "-f", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False and doc["findings"][0]["code"] == "load" and doc["findings"][0]["line"] == 1


def test_registry_claims() -> None:
    result = runner.invoke(app, ["registry", "claims", "-f", "json"])
    assert result.exit_code == 0, result.output
    claims = json.loads(result.stdout)["claims"]
    assert claims and all(c["verdict"] and c["why"] for c in claims)
    only = runner.invoke(app, ["registry", "claims", "--verdict", "inconsistent", "-f", "json"])
    assert {c["verdict"] for c in json.loads(only.stdout)["claims"]} == {"inconsistent"}


def test_registry_history() -> None:
    result = runner.invoke(app, ["registry", "history", "us-ear-2025-05-eda-letters", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (effect,) = doc["effects"]
    assert effect["segments"][0]["state"] == "active" and effect["segments"][0]["from"] == "2025-05-23"
    assert any("lifted" in ref for ref in effect["ended_by"])
    table = runner.invoke(app, ["registry", "history", "us-ear-2025-05-eda-letters", "-f", "csv"])
    assert table.exit_code == 0 and ",ended," in table.stdout
    missing = runner.invoke(app, ["registry", "history", "us-ear-2025-05-eda-letter"])
    assert missing.exit_code == 2 and "did you mean: us-ear-2025-05-eda-letters" in missing.stderr
