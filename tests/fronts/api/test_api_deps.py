"""Rate limits and settings, on a fake clock."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.fronts.api.deps import Settings, TokenBucket, TokenCache
from exportctl.store.tokens import TokenInfo


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


def _info(revoked: str | None = None) -> TokenInfo:
    return TokenInfo(id="abc123abc123", name="", scopes=("read",), created_at="t", revoked_at=revoked)


def test_token_cache_keeps_active_tokens_for_ttl_only() -> None:
    clock = Clock()
    cache = TokenCache(ttl=2.0, clock=clock)
    cache.put("d1", _info())
    cache.put("d2", _info(revoked="2026-01-01T00:00:00Z"))  # never kept
    assert cache.get("d1") == _info() and cache.get("d2") is None and cache.get("d3") is None
    clock.now = 1.999
    assert cache.get("d1") is not None
    clock.now = 2.0
    assert cache.get("d1") is None
    zero = TokenCache(ttl=0.0, clock=clock)
    zero.put("d1", _info())
    assert zero.get("d1") is None


def test_token_cache_is_bounded() -> None:
    cache = TokenCache(ttl=60.0, clock=Clock(), size=3)
    for i in range(10):
        cache.put(f"d{i}", _info())
    assert sum(cache.get(f"d{i}") is not None for i in range(10)) <= 3
    assert cache.get("d9") is not None


def test_settings_token_ttl_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_API_TOKEN_TTL", "0")
    assert Settings.from_env().token_ttl == 0.0
