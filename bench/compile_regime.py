"""Speed of compile_regime over the bundled registry: 100 consecutive dates, beside the first (cold) date
as the baseline of the same run. Prints figures and the machine's load; asserts nothing.

    .venv/bin/python bench/compile_regime.py [--days 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

from exportctl.registry import compile_regime, load_registry


def main() -> None:
    """Time compile_regime on consecutive dates and print per-date figures beside the cold first date."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=100)
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()}")
    reg = load_registry()
    start = dt.date(2025, 1, 1)
    t0 = time.perf_counter()
    compile_regime(reg, start)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(1, args.days + 1):
        compile_regime(reg, start + dt.timedelta(days=i))
    warm = (time.perf_counter() - t0) / args.days
    print(f"{len(reg.measures)} measures")
    print(f"first date (cold, baseline): {cold * 1000:.2f} ms")
    print(f"each next date: {warm * 1000:.2f} ms  (ratio to cold {warm / cold:.3f})")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
