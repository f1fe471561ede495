"""The gate on the CLI (issue #16 contract): a damaged official file is refused with exit 2 and one line
naming the invariant; --force needs --reason; a forced version is recorded in the store and the audit
trail, and every answer on it carries a warning naming it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app
from exportctl.ops import audit
from exportctl.store import clear_cache, open_store

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh store named by EXPORTCTL_DATABASE_URL."""
    value = f"sqlite:///{tmp_path / 'gate.db'}"
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", value)
    clear_cache()
    yield value
    clear_cache()


def without_china(shared_data: Path, tmp_path: Path) -> Path:
    """The official-format Country Groups file with China and Macau taken out of every group."""
    doc = json.loads((shared_data / "ear-2026-07-23" / "country-groups.json").read_text(encoding="utf-8"))
    for group, names in doc["groups"].items():
        doc["groups"][group] = [n for n in names if n not in ("China (PRC)", "Macau")]
    for block in doc["byCountry"].values():
        block.pop("China (PRC)", None)
        block.pop("Macau", None)
    path = tmp_path / "country-groups.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_damaged_file_is_refused_then_forced_with_a_reason_and_every_answer_warns(
    url: str, shared_data: Path, tmp_path: Path
) -> None:
    damaged = without_china(shared_data, tmp_path)
    code, out, _ = run("data", "status", "--format", "json")
    assert code == 0
    before = json.loads(out)
    assert before["invariants"] == {"passed": before["invariants"]["passed"], "failed": []}
    assert before["forced"] is None
    code, _, err = run("data", "import", str(damaged))
    assert code == 2 and err.count("\n") == 1, err
    assert "invariant canary:" in err or "invariant country_groups." in err
    assert open_store(url).active_version() == before["active_version"]  # nothing changed
    code, _, err = run("data", "import", str(damaged), "--force")
    assert code == 2 and "--reason" in err
    why = "test: operator accepts a Country Groups file without China"
    code, out, err = run("data", "import", str(damaged), "--force", "--reason", why, "--format", "json")
    assert code == 0, err
    done = json.loads(out)
    assert done["activated"] and done["forced"]["reason"] == why and done["forced"]["at"]
    names = [f["name"] for f in done["invariants"]["failed"]]
    assert "country_groups.members_removed" in names and "canary:CN-in-D5" in names
    code, out, _ = run("data", "status", "--format", "json")
    status = json.loads(out)
    assert status["forced"]["reason"] == why and status["invariants"]["failed"]
    vid = status["active_version"]
    code, out, err = run("check", "--eccn", "1C010", "--to", "DE", "--date", "2026-07-01", "--format", "json")
    answer = json.loads(out)
    assert any(vid[:12] in w and why in w for w in answer["warnings"]), answer.get("warnings")
    assert "warning: data version" in err
    code, out, err = run("screen", "Huawei Technologies Co., Ltd.", "--format", "json")
    assert any(why in w for w in json.loads(out)["warnings"])
    code, out, err = run(
        "tariff", "--hts", "6109100012", "--origin", "DE", "--date", "2025-02-01", "--format", "json"
    )
    assert code == 0, err
    assert any(why in w for w in json.loads(out)["warnings"])
    book = tmp_path / "lines.csv"
    book.write_text(
        "hts,origin,date\n6109100012,DE,2025-02-01\n8471300100,CN,2025-06-01\n0000000000,CN,2025-06-01\n"
    )
    code, _, err = run("tariff", "batch", str(book), "-o", str(tmp_path / "duties.jsonl"))
    assert code == 0, err
    rows = [json.loads(line) for line in (tmp_path / "duties.jsonl").read_text().splitlines()]
    assert len(rows) == 3 and all(any(vid[:12] in w and why in w for w in r["warnings"]) for r in rows), rows
    assert err.count(f"warning: data version {vid[:12]}") == 1, err
    kinds = [(r["kind"], r["data_version"]) for r in audit.records(engine=open_store(url).engine)]
    assert ("data_forced", vid) in kinds
