"""Rate limits and settings, on a fake clock."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.fronts.api.deps import Settings, TokenBucket


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_burst_then_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=2.0, burst=3.0, clock=clock)
    assert [bucket.take("a") for _ in range(3)] == [None, None, None]
    wait = bucket.take("a")
    assert wait is not None and wait == pytest.approx(0.5)
    assert bucket.take("b") is None  # buckets are per token
    clock.now = 0.5
    assert bucket.take("a") is None
    assert bucket.take("a") is not None
    clock.now = 100.0
    assert [bucket.take("a") for _ in range(4)].count(None) == 3  # refills to the burst, not beyond


@settings(max_examples=100, deadline=None)
@given(
    rate=st.floats(0.1, 100),
    burst=st.integers(1, 50),
    gaps=st.lists(st.floats(0, 2), min_size=1, max_size=200),
)
def test_bucket_never_admits_more_than_burst_plus_rate_times_time(
    rate: float, burst: int, gaps: list[float]
) -> None:
    clock = Clock()
    bucket = TokenBucket(rate=rate, burst=float(burst), clock=clock)
    admitted = 0
    for gap in gaps:
        clock.now += gap
        admitted += bucket.take("t") is None
    assert admitted <= burst + rate * clock.now + 1e-6


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_API_RATE", "5")
    monkeypatch.setenv("EXPORTCTL_API_MAX_BATCH", "7")
    s = Settings.from_env()
    assert s.rate_per_second == 5.0 and s.max_batch == 7 and s.burst == Settings.burst
    monkeypatch.setenv("EXPORTCTL_API_BURST", "lots")
    with pytest.raises(InputError) as err:
        Settings.from_env()
    assert err.value.field == "EXPORTCTL_API_BURST"
