"""Base rates: the HTS rate texts parse into ad valorem and specific parts, formulas stay text."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.tariff.rates import normalize_unit, parse_rate, parse_rates


@pytest.mark.parametrize(
    ("text", "kind", "pct", "specific"),
    [
        ("Free", "free", 0.0, []),
        ("4%", "ad_valorem", 4.0, []),
        ("1.2¢/kg", "specific", None, [(0.012, "kg")]),
        ("2.5¢/kg + 5%", "compound", 5.0, [(0.025, "kg")]),
        ("$1.05/doz.", "specific", None, [(1.05, "doz")]),
        ("37.5¢ each", "specific", None, [(0.375, "each")]),
        ("$2/pr. + 2.5%", "compound", 2.5, [(2.0, "pr")]),
        ("10.5¢/bbl", "specific", None, [(0.105, "bbl")]),
        ("5.3¢/m² + 3%", "compound", 3.0, [(0.053, "m2")]),
        ("", "none", None, []),
    ],
)
def test_rate_texts(text: str, kind: str, pct: float | None, specific: list[tuple[float, str]]) -> None:
    rate = parse_rate(text)
    assert (rate.kind, rate.ad_valorem_pct, rate.specific) == (kind, pct, specific)


@pytest.mark.parametrize(
    "text",
    [
        "6.6¢/kg on drained weight",
        "0.35¢/kg less 0.020668¢/kg for each degree under 100 degrees",
        "The rate applicable to the natural juice in heading 2009",
        "See 9903.88.03",
    ],
)
def test_formulas_are_kept_as_text_not_guessed(text: str) -> None:
    rate = parse_rate(text)
    assert rate.kind == "other" and rate.ad_valorem_pct is None and rate.specific == []


def test_units_normalise() -> None:
    assert [normalize_unit(u) for u in ("Kg", "No.", "liters", "doz.", "pairs")] == [
        "kg",
        "each",
        "liter",
        "doz",
        "pr",
    ]


def test_parse_rates_one_row_per_distinct_text() -> None:
    out = parse_rates(pl.Series(["Free", "4%", "4%", None, "1.2¢/kg"]))
    assert out.height == 3
    assert dict(zip(out["rate_text"], out["rate_kind"], strict=True)) == {
        "Free": "free",
        "4%": "ad_valorem",
        "1.2¢/kg": "specific",
    }


@settings(max_examples=100, deadline=None)
@given(
    pct=st.integers(min_value=0, max_value=5000),
    cents=st.integers(min_value=1, max_value=9999),
)
def test_compound_round_trip(pct: int, cents: int) -> None:
    rate = parse_rate(f"{cents / 10:g}¢/kg + {pct / 10:g}%")
    assert rate.kind == "compound"
    assert rate.ad_valorem_pct == pytest.approx(pct / 10)
    assert rate.specific[0][0] == pytest.approx(cents / 1000)
