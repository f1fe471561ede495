"""`exportctl registry new`: a skeleton measure and its goldens, refused by the registry and golden
loaders until every TODO is filled, then loading and passing as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from golden_schema import RegistryCase, load_file
from typer.testing import CliRunner

from exportctl.errors import RegistryError
from exportctl.fronts.cli.main import app
from exportctl.registry import compile_regime, load_registry

MEASURE = "us-ear-2026-03-test-rule"
FILLED = {
    "family: TODO": "family: controls",
    "authority: TODO": "authority: BIS",
    "instrument: TODO": "instrument: final_rule",
    "  - kind: TODO": "  - kind: federal_register",
    "url: TODO": "url: https://www.federalregister.gov/d/2026-00000",
    "    kind: TODO": "    kind: license_requirement",
    "scope: {}": "scope: {eccns: ['3A090'], destinations: ['CN']}",
}


def new(measure: str, folder: Path, golden: Path) -> Result:
    """Run `exportctl registry new` on 2026-03-02 into the folders given."""
    args = ["registry", "new", measure, "--effective", "2026-03-02", "--dir", str(folder)]
    return CliRunner().invoke(app, [*args, "--golden-dir", str(golden)])


@pytest.fixture()
def written(tmp_path: Path) -> tuple[Path, Path]:
    """The skeleton files, written by the CLI into a temp folder."""
    result = new(MEASURE, tmp_path / "measures", tmp_path / "golden")
    assert result.exit_code == 0, result.output
    measure = tmp_path / "measures" / "US-EAR" / f"{MEASURE}.yaml"
    golden = tmp_path / "golden" / f"{MEASURE}.yaml"
    assert f"measure: {measure}" in result.output and f"goldens: {golden}" in result.output
    return measure, golden


def test_the_skeletons_fail_until_filled(written: tuple[Path, Path]) -> None:
    measure, golden = written
    errors = load_registry([measure.parents[1]], bundled=False, collect=True).load_errors
    lines = measure.read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(lines, 1) if t.startswith("authority: TODO"))
    assert [(e.file, e.line, e.field) for e in errors][:1] == [(str(measure), line, "authority")]
    with pytest.raises(RegistryError) as err:
        load_file(golden, RegistryCase)
    text = golden.read_text(encoding="utf-8")
    first = next(n for n, t in enumerate(text.splitlines(), 1) if "url: TODO" in t)
    assert (err.value.file, err.value.line, err.value.field) == (str(golden), first, "source.url")
    assert [d in text for d in ("date: 2026-03-01", "date: 2026-03-02", "date: 2026-03-03")] == [True] * 3


def test_filled_in_they_load_and_the_goldens_pass(written: tuple[Path, Path]) -> None:
    measure, golden = written
    text = measure.read_text(encoding="utf-8")
    for old, new in FILLED.items():
        text = text.replace(old, new)
    measure.write_text(text, encoding="utf-8")
    source = "url: https://www.federalregister.gov/d/2026-00000"
    text = golden.read_text(encoding="utf-8").replace("url: TODO", source)
    for day, active in (("2026-03-01", "false"), ("2026-03-02", "true"), ("2026-03-03", "true")):
        head, _, tail = text.partition(f"date: {day}")
        text = head + f"date: {day}" + tail.replace("active: TODO", f"active: {active}", 1)
    golden.write_text(text, encoding="utf-8")
    reg = load_registry([measure.parents[1]])
    cases = load_file(golden, RegistryCase)
    assert len(cases) == 3
    for case in cases:
        refs = {a.ref for a in compile_regime(reg, case.input.date).effects()}
        assert (case.input.ref in refs) is case.expect.active, case.id


def test_an_existing_measure_or_an_id_without_jurisdiction_is_refused(tmp_path: Path) -> None:
    for measure in ("us-ear-2025-09-syria-relaxation", "foo-bar"):
        result = new(measure, tmp_path, tmp_path)
        assert result.exit_code != 0 and "measure_id" in result.output, result.output
    assert not list(tmp_path.rglob("*.yaml"))
