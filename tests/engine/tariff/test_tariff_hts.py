"""Resolution of user HTS codes against the real HTS 2025 lines: exact, shorter, ambiguous, unknown."""

from __future__ import annotations

import polars as pl
import pytest

from exportctl.engine.tariff.hts import digits, dotted, rate_lines, resolve_codes
from exportctl.store.dataset import Dataset


@pytest.fixture(scope="module")
def lines(hts_dataset: Dataset) -> pl.DataFrame:
    return rate_lines(hts_dataset.table("hts"))


def _one(lines: pl.DataFrame, code: str) -> dict[str, object]:
    return resolve_codes(lines, pl.Series([digits(code)])).row(0, named=True)


def test_statistical_lines_inherit_their_8_digit_rate_and_footnotes(lines: pl.DataFrame) -> None:
    row = lines.filter(pl.col("hts") == "8481801030").row(0, named=True)
    assert row["general"] == "4%" and row["other"] == "47%"
    assert row["chapter99_effective"] == ["9903.88.03"]


def test_exact_10_digit_code(lines: pl.DataFrame) -> None:
    assert _one(lines, "8481.80.1030") == {
        "code": "8481801030",
        "status": "ok",
        "hts": "8481801030",
        "suggestions": [],
    }


def test_8_digit_code_without_its_own_row_resolves_to_its_only_line(lines: pl.DataFrame) -> None:
    # 8471.30.01 is printed only as the statistical line 8471.30.01.00
    assert _one(lines, "8471.30.01")["hts"] == "8471300100"


def test_6_digit_code_is_ambiguous_when_lines_below_differ(lines: pl.DataFrame) -> None:
    row = _one(lines, "8481.80")
    assert row["status"] == "ambiguous_hts"
    assert "8481.80.10" in row["suggestions"] and "8481.80.90" in row["suggestions"]


def test_6_digit_code_is_accepted_when_every_line_below_is_alike(lines: pl.DataFrame) -> None:
    # 8703.80 has one 8-digit line (8703.80.00, 2.5%, 9903.91.03) and statistical suffixes
    row = _one(lines, "8703.80")
    assert row["status"] == "ok" and str(row["hts"]).startswith("870380")


def test_unknown_code_names_the_nearest_valid_codes(lines: pl.DataFrame) -> None:
    row = _one(lines, "8481.80.1099")
    assert row["status"] == "unknown_hts"
    assert row["suggestions"] and all(str(s).startswith("8481.80") for s in row["suggestions"])  # type: ignore[union-attr]


def test_malformed_code_is_invalid(lines: pl.DataFrame) -> None:
    assert _one(lines, "84818")["status"] == "invalid_hts"


def test_dotted_form() -> None:
    assert dotted("8481801030") == "8481.80.10.30" and dotted("84818010") == "8481.80.10"
