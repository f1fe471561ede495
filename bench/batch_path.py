"""The API's batch path in-process (ops.batch.check_keyed), for batches the Context has and has not seen.

    .venv/bin/python bench/batch_path.py [--batches 6] [--batch-rows 1000]

Three kinds of 1,000-row batch, fuzzy party screening on (the API's batch without "exact"), on one
Context over a fresh SQLite store, the first batch of each kind a warm-up:
  repeat    the demo order book's rows cycled (79 distinct questions), as bench/service_load.py sends:
            after the warm-up every question was answered before;
  new-79    the same batches with the Context's kept answers forgotten before each: 79 distinct questions
            determined afresh per batch (its party names screened before, as a Context keeps them);
  distinct  1,000 distinct questions per batch (the demo's rows on 5 dates near theirs and a value of
            their own), new to the Context; consecutive batches share 4 of their 5 date shifts.
Prints CPU (user + system, every thread) and wall time per batch with the machine's load. To compare
with another tree, run that tree's copy of this script with its own src (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _shifted(q: dict[str, Any], days: int) -> dict[str, Any]:
    return {**q, "date": (dt.date.fromisoformat(q["date"]) + dt.timedelta(days=days)).isoformat()}


def batches(kind: str, n: int, size: int, rows: list[dict[str, Any]]) -> list[dict[str, dict[str, Any]]]:
    """`n` batches of `size` queries of one kind (see the module doc)."""
    if kind == "distinct":
        return [
            {
                f"r{b}-{i}": {**_shifted(rows[i % len(rows)], 1 + b + i % 5), "value": 100.0 + b * size + i}
                for i in range(size)
            }
            for b in range(n)
        ]
    return [{f"r{b}-{i}": rows[(b * size + i) % len(rows)] for i in range(size)} for b in range(n)]


def main() -> int:
    """Run the three kinds and print their figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batches", type=int, default=6)
    ap.add_argument("--batch-rows", type=int, default=1000)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="exportctl-bench-")
    os.environ["EXPORTCTL_DATABASE_URL"] = f"sqlite:///{tmp.name}/store.db"
    import service_load

    from exportctl.ops.check import Context
    from exportctl.ops.registry import bundled_registry
    from exportctl.store import active_dataset

    ctx = Context(dataset=active_dataset(), registry=bundled_registry())
    rows = service_load.demo_queries(True)
    print(f"batch path in-process, {args.batch_rows}-row batches, load before {os.getloadavg()[0]:.1f}")
    for kind in ("repeat", "new-79", "distinct"):
        todo = batches(kind, args.batches, args.batch_rows, rows)
        service_load.in_process_batch(todo[0], ctx)
        cpu, wall = time.process_time(), time.perf_counter()
        for batch in todo[1:]:
            if kind == "new-79":
                ctx.answers.clear()
            service_load.in_process_batch(batch, ctx)
        n = len(todo) - 1
        cpu_ms = (time.process_time() - cpu) / n * 1000
        wall_ms = (time.perf_counter() - wall) / n * 1000
        rate = args.batch_rows / cpu_ms * 1000
        print(
            f"  {kind:<9} CPU {cpu_ms:7.0f} ms per batch ({rate:9,.0f} rows per CPU second); "
            f"wall {wall_ms:7.0f} ms; load {os.getloadavg()[0]:.1f}"
        )
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
