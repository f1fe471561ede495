"""The golden runner: every case of tests/golden/<kind>/*.yaml, validated by golden_schema and run by
golden_runs on the bundled registry and data pack (no ../shared/data: it runs from a plain clone).

    PYTHONPATH=src python -m pytest tests/golden -q -n 2
    PYTHONPATH=src python -m pytest tests/golden -k claims    # one kind (ids start with the kind)
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import golden_runs as run
import polars as pl
import pytest
from golden_schema import KINDS, DeterminationCase, load_kind

from exportctl.errors import RegistryError
from exportctl.ops.check import check_table
from exportctl.ops.registry import bundled_registry
from exportctl.registry.snapshots import table_dating

CASES: dict[str, list[Any]] = {kind: load_kind(kind) for kind in KINDS}
ALL = [(kind, case) for kind, cases in CASES.items() for case in cases]
# each kind's floor: the cases it had when the runners were one; a folder that loses cases fails here
AT_LEAST = {"determinations": 381, "tariffs": 760, "registry": 151, "snapshot_tables": 28, "claims": 23}


@pytest.fixture(scope="module")
def determinations() -> dict[str, dict[str, Any]]:
    """Every determination case's answer, computed in one batch per scenario."""
    return run.determine(CASES["determinations"])


def test_cases_are_many_unique_and_sourced() -> None:
    counts = {kind: len(cases) for kind, cases in CASES.items()}
    assert all(counts[k] >= n for k, n in AT_LEAST.items()), counts
    dupes = [i for i, n in Counter(case.id for _, case in ALL).items() if n > 1]
    assert not dupes, dupes


@pytest.mark.parametrize(("kind", "case"), ALL, ids=[f"{kind}:{case.id}" for kind, case in ALL])
def test_golden(kind: str, case: Any, request: pytest.FixtureRequest) -> None:
    if kind == "determinations":
        run.check_determination(case, request.getfixturevalue("determinations")[case.id])
    elif kind == "tariffs":
        run.check_tariff(case)
    elif kind == "registry":
        run.check_registry(case)
    elif kind == "snapshot_tables":
        run.check_snapshot(case)
    else:
        run.check_claim(case)


def test_every_recorded_snapshot_change_has_a_golden() -> None:
    dating = table_dating(bundled_registry())
    have = {(c.input.table, c.input.country, c.input.change) for c in CASES["snapshot_tables"]}
    missing = sorted(
        {(c.table, c.country, c.effective) for c in dating.changes} - have, key=lambda t: (t[2], t[1])
    )
    assert not missing, missing


def test_a_row_answers_the_same_alone_as_in_the_batch(determinations: dict[str, dict[str, Any]]) -> None:
    # Batch-first must not mean batch-dependent: the regimes of other rows' dates (e.g. a 2025 row
    # with the dated Russia sanctions) must never change a 2021 row's answer.
    case: DeterminationCase
    for case in CASES["determinations"]:
        row = run.determination_row(case)
        frame = pl.DataFrame([row], schema={k: pl.Utf8 for k in row})
        alone = check_table(frame, context=run.pack_context(), fuzzy=False, scenario=case.input.scenario)
        got = alone.row(0, named=True)
        together = determinations[case.id]
        assert got["verdict"] == together["verdict"], case.id
        codes = sorted(r["code"] for r in got["reasons"] or [])
        assert codes == sorted(r["code"] for r in together["reasons"] or []), case.id


def test_a_misspelt_key_fails_naming_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "bad.yaml").write_text(
        "- id: x\n"
        "  source: {title: t, url: 'https://example.org'}\n"
        "  input: {ref: 'm#e', date: 2025-01-01}\n"
        "  expect: {active: true, suspnded: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as err:
        load_kind("registry", tmp_path)
    assert (Path(str(err.value.file)).name, err.value.line, err.value.field) == (
        "bad.yaml",
        4,
        "expect.suspnded",
    )
