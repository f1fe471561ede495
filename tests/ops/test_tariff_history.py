"""The history's one-pass stacks (ops.tariff_history.stacks_on) equal the single lookup's answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.engine.tariff.history import change_dates
from exportctl.ops.registry import registry
from exportctl.ops.tariff import coverage, lookup
from exportctl.ops.tariff_history import history, stacks_on

# lines with many layers over the years: Section 301 lists, 232 metals, IEEPA, de minimis, column 2
LINES = [
    "8471.30.0100",
    "8481.80.1030",
    "7208.10.1500",
    "0901.11.0015",
    "8703.23.0190",
    "7606.12.30",
    "7326.90.8688",
    "2204.21.5040",
]
ORIGINS = ["CN", "BR", "MX", "DE", "RU", "VN", "CA", "IN"]


def _same(answer: dict[str, Any]) -> dict[str, Any]:
    # `excluded` is compared as a set (its order between calls is not stable: test_api_endpoints)
    out = dict(answer)
    out["excluded"] = sorted(map(repr, out["excluded"]))
    return out


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hts=st.sampled_from(LINES),
    origin=st.sampled_from(ORIGINS),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6, unique=True),
)
def test_every_day_of_the_one_pass_is_the_single_lookup(hts: str, origin: str, picks: list[int]) -> None:
    reg = registry()
    start, last = coverage(reg, "US")
    days = change_dates(reg.measures.values(), start, last or dt.date(2026, 12, 31))
    chosen = sorted({days[i % len(days)] for i in picks})
    together = stacks_on(reg, hts, origin, "US", chosen)
    for day in chosen:
        assert _same(dict(together[day])) == _same(dict(lookup(hts, origin, day)))


def test_history_series_matches_the_lookups_of_its_dates() -> None:
    got = history("8471.30.0100", "CN", "2018-01-01", "2026-12-01")
    assert len(got["series"]) > 1
    for point in got["series"]:
        single = lookup("8471.30.0100", "CN", point["date"])
        assert point["total_ad_valorem_pct"] == single["total_ad_valorem_pct"]
        assert point["components"] == single["components"]
