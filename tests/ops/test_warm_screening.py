"""A service's start builds the scorer's readings tables (ops.warm.warm_screening), not its first request
naming a Korean or Japanese party."""

from __future__ import annotations

from exportctl.engine.screening import japanese, korean
from exportctl.ops.check import Context
from exportctl.ops.warm import warm_screening


def test_warm_screening_builds_the_readings_tables(ctx: Context) -> None:
    korean._all_spellings.cache_clear()
    japanese._kakasi.cache_clear()
    warm_screening(ctx)
    assert korean._all_spellings.cache_info().currsize == 1
    assert japanese._kakasi.cache_info().currsize == 1
