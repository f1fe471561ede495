"""What the latency benchmarks print beside each figure: the machine's load, a p99, and a line per case."""

from __future__ import annotations

import os
import statistics


def load() -> str:
    """The load averages (1, 5, 15 min), printed beside every figure."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def p99(xs: list[float]) -> float:
    """The 99th percentile of `xs` (nearest rank)."""
    return sorted(xs)[min(len(xs) - 1, round(0.99 * (len(xs) - 1)))]


def line(label: str, xs: list[float], *, width: int = 44, show_max: bool = False) -> str:
    """One case's median, p99 (and max) in ms, its count and the load, as the latency benches print it."""
    most = f"max {max(xs) * 1e3:8.2f} ms   " if show_max else ""
    return (
        f"{label:<{width}} median {statistics.median(xs) * 1e3:8.2f} ms   p99 {p99(xs) * 1e3:8.2f} ms   "
        f"{most}(n={len(xs)}, load {load()})"
    )
