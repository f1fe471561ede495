"""bench/tariff.py runs end to end on one origin and a tiny sample, and its sample agrees with the batch
(no time is asserted: the figures depend on the machine and its load)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import tariff as tariff_bench  # noqa: E402


def test_bench_runs_and_the_sample_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    tariff_bench.main(["--origins", "CN", "--sample", "3", "--date", "2025-04-10"])
    out = capsys.readouterr().out
    assert "19,700 statistical lines x 1 origins" in out
    assert "agrees with the batch on 3/3" in out and "load before:" in out
