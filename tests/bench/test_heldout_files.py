"""The held-out screening sets load through the bench's loader and follow their schema (no benchmark run)."""

from __future__ import annotations

import csv
import itertools
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from screening_heldout import HELDOUT, SCHEMAS, HeldoutError, load_heldout  # noqa: E402


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_heldout_file_loads(name: str) -> None:
    rows = load_heldout(name)
    splits = {r["split"] for r in rows}
    assert splits == {"open", "sealed"}, f"{name}: both an open and a sealed part"
    sealed = sum(r["split"] == "sealed" for r in rows) / len(rows)
    assert 0.05 < sealed < 0.4, f"{name}: a small part is put aside ({sealed:.2f})"
    assert (HELDOUT / f"{name.removesuffix('.csv')}.SOURCE.txt").is_file(), f"{name} has its SOURCE file"


def test_no_heldout_file_is_left_out_of_the_schemas() -> None:
    assert {p.name for p in HELDOUT.glob("*.csv")} == set(SCHEMAS)


def _copy_with(tmp: Path, name: str, column: str, value: str) -> Path:
    with (HELDOUT / name).open(encoding="utf-8", newline="") as fh:
        rows = list(itertools.islice(csv.DictReader(fh), 5))
    rows[2][column] = value
    with (tmp / name).open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return tmp


@pytest.mark.parametrize(
    ("name", "column", "value"),
    [
        ("un_persons.csv", "target_keys", ""),
        ("un_persons.csv", "split", "train"),
        ("cross_script.csv", "target_keys", "SDN-7843"),
        ("cross_script.csv", "query", "  "),
        ("clean_names.csv", "listed_twin", "yes"),
        ("one_person.csv", "id", "putin000x"),
    ],
)
def test_a_broken_file_is_refused_with_its_line(tmp_path: Path, name: str, column: str, value: str) -> None:
    directory = _copy_with(tmp_path, name, column, value)
    if column == "id":  # a repeated id
        with (directory / name).open(encoding="utf-8", newline="") as fh:
            value = next(csv.DictReader(fh))["id"]
        directory = _copy_with(tmp_path, name, column, value)
    with pytest.raises(HeldoutError, match=rf"{name}( line 4)?:"):
        load_heldout(name, directory)


@settings(deadline=None, max_examples=60)
@given(st.text(max_size=30), st.sampled_from(sorted(SCHEMAS)))
def test_any_cell_value_loads_or_is_refused_clearly(value: str, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        column = SCHEMAS[name][1]
        directory = _copy_with(Path(tmp), name, column, value.replace("\r", ""))
        try:
            rows = load_heldout(name, directory)
        except HeldoutError:
            return
        assert len(rows) == 5
