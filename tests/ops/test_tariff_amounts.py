"""Duty amounts in dollars and the MPF/HMF fees (data/fees/us_customs_fees.yaml): limits per fiscal year,
the day before, of and after a change, the HMF only on ocean shipments, gaps never filled in."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.tariff import lookup
from exportctl.ops.tariff_amounts import check_mode, fee_lines, fee_schedule

D = dt.date


def _fee(value: float, day: dt.date, mode: str | None, name: str) -> dict:
    return next(f for f in fee_lines(value, day, mode)[0] if f["fee"] == name)


@pytest.mark.parametrize(
    ("day", "low", "high"),
    [
        (D(2025, 9, 30), 32.71, 634.62),  # FY2025 (CSMS 61572319)
        (D(2025, 10, 1), 33.58, 651.50),  # FY2026 (90 FR 34665, CBP Dec. 25-10)
        (D(2025, 10, 2), 33.58, 651.50),
        (D(2018, 9, 30), 25.67, 497.99),  # FY2018 (82 FR 50659)
        (D(2018, 10, 1), 26.22, 508.70),  # FY2019 (83 FR 37509)
    ],
)
def test_mpf_limits_change_on_the_first_day_of_the_fiscal_year(day: dt.date, low: float, high: float) -> None:
    assert _fee(100.0, day, "air", "MPF")["amount_usd"] == low  # 0.35 below the minimum
    assert _fee(1_000_000.0, day, "air", "MPF")["amount_usd"] == high  # 3,464 above the maximum
    assert _fee(50_000.0, day, "air", "MPF")["amount_usd"] == 173.20  # 0.3464% in between


def test_hmf_is_charged_on_ocean_shipments_only() -> None:
    assert _fee(10_000.0, D(2025, 5, 1), "ocean", "HMF")["amount_usd"] == 12.50  # 0.125%, 19 CFR 24.24
    fees, notes = fee_lines(10_000.0, D(2025, 5, 1), "air")
    assert [f["fee"] for f in fees] == ["MPF"] and not notes
    fees, notes = fee_lines(10_000.0, D(2025, 5, 1), None)
    assert [f["fee"] for f in fees] == ["MPF"] and any("HMF" in n and "--mode" in n for n in notes)


def test_a_year_without_figures_is_a_gap_not_the_last_known_limits() -> None:
    mpf = _fee(10_000.0, D(2026, 10, 1), "air", "MPF")
    assert mpf["amount_usd"] is None and mpf["max_usd"] is None
    assert any("FY2027" in n for n in mpf["notes"])


def test_every_mpf_period_cites_an_instrument_or_states_its_gap() -> None:
    (mpf,) = [f for f in fee_schedule() if f.fee == "MPF"]
    days = sorted((p.start, p.end) for p in mpf.periods)
    for (_, end), (start, _) in itertools.pairwise(days):
        assert end is not None and start == end + dt.timedelta(days=1)  # no hole, no overlap
    for p in mpf.periods:
        assert p.citation is not None or p.gap, p
        if p.citation is not None:
            assert p.citation.url and p.citation.url.startswith("http")


@given(value=st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_mpf_stays_within_its_limits(value: float) -> None:
    mpf = _fee(value, D(2024, 3, 1), "truck", "MPF")
    assert 31.67 <= mpf["amount_usd"] <= 614.35


def test_mode_is_checked() -> None:
    assert check_mode(" Ocean ") == "ocean" and check_mode(None) is None
    with pytest.raises(InputError) as err:
        check_mode("boat")
    assert err.value.field == "mode"


def test_each_layer_gets_its_dollars_and_the_total_adds_the_fees() -> None:
    # 8481.80.1030 from China on 2025-05-01: MFN 4%, fentanyl 20%, reciprocal 125%, Section 301 25%
    got = lookup("8481.80.1030", "CN", "2025-05-01", value=10_000.0, mode="ocean")
    amounts = {c["program"]: c["amount_usd"] for c in got["components"]}
    assert amounts == {"ieepa_fentanyl": 2000.0, "ieepa_reciprocal": 12500.0, "section_301": 2500.0}
    assert got["mfn"]["amount_usd"] == 400.0
    duty = got["duty"]
    assert duty["amount"] == 17400.0 == sum(amounts.values()) + got["mfn"]["amount_usd"]
    assert {f["fee"]: f["amount_usd"] for f in duty["fees"]} == {"MPF": 34.64, "HMF": 12.5}
    assert duty["fees_usd"] == 47.14 and duty["total_usd"] == 17447.14


def test_compound_mfn_amount_needs_its_quantity() -> None:
    # 2709.00.20 crude petroleum: 10.5¢/bbl general rate
    with_qty = lookup("2709.00.2010", "CN", "2025-05-01", value=7000.0, quantity=100, unit="bbl")
    assert with_qty["mfn"]["amount_usd"] == 10.5
    without = lookup("2709.00.2010", "CN", "2025-05-01", value=7000.0)
    assert without["mfn"]["amount_usd"] is None and without["duty"]["total_usd"] is None


def test_without_a_value_there_are_no_dollars() -> None:
    got = lookup("9503.00.0073", "CN", "2025-05-01")
    assert got["duty"]["fees"] == [] and all(c["amount_usd"] is None for c in got["components"])
