"""Benchmark: what the audit trail costs a checked book, per chunk of result rows, in one process.

Three ways over the same result rows (a results Parquet file of `exportctl check`, e.g. bench/book.py's
--keep-files output), each into its own scratch SQLite store, repeated and the median taken:

- rows: the design before issue 17's change, every result row's JSON kept in the trail (polars
  write_json of the rows and of the input columns, hashed, appended; one record per 20,000 rows);
- chunk: one record per chunk with its counts per verdict and the SHA-256 of its rows as written,
  the Parquet written through the hashing writer (ops.check_write, ops.audit_runs);
- write: the Parquet written alone, no audit (what the chunk record adds is chunk - write).

Prints ms per chunk, rows/s and the ratios, with os.getloadavg() beside them.

    PYTHONPATH=src .venv/bin/python bench/book_audit.py RESULTS.parquet [--chunk 60000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from exportctl.ops.audit_runs import RunTrail
from exportctl.ops.check_answer import RESULT_COLUMNS
from exportctl.ops.check_write import ResultWriter
from exportctl.store import audit as trail
from exportctl.store.audit import AuditEntry


def per_row_json(part: pl.DataFrame, engine: sa.Engine) -> None:
    """The design before: each 20,000 rows' inputs and results as JSON in one record."""
    inputs = [c for c in part.columns if c not in RESULT_COLUMNS]
    entries = []
    for first in range(0, part.height, 20_000):
        rows = part.slice(first, 20_000)
        head = json.dumps({"first_row": first + 1, "source": "book.parquet"})[:-1]
        asked = head + ',"rows":' + rows.select(inputs).write_json() + "}"
        entries.append(
            AuditEntry(
                kind="check_run",
                actor="bench",
                input_hash=hashlib.sha256(asked.encode()).hexdigest(),
                outputs=None,
                outputs_json=head + ',"rows":' + rows.write_json() + "}",
                data_version="v",
                engine_version="e",
            )
        )
    trail.append(engine, entries)


def timed(work: Callable[[], None], repeat: int) -> float:
    """Median seconds of `repeat` runs."""
    took = []
    for _ in range(repeat):
        t = time.perf_counter()
        work()
        took.append(time.perf_counter() - t)
    return statistics.median(took)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--chunk", type=int, default=60_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    part = pl.read_parquet(args.results).head(args.chunk)
    work = Path(tempfile.mkdtemp(prefix="exportctl-book-audit-"))
    engines = {m: sa.create_engine(f"sqlite:///{work / m}.db") for m in ("rows", "chunk")}
    print(f"load before: {os.getloadavg()}; {part.height:,} result rows", flush=True)

    def write_only() -> None:
        w = ResultWriter(work / "w.parquet")
        w.write(part)
        w.close()

    def chunk_record() -> None:
        out = work / "c.parquet"
        w = ResultWriter(out)
        run = RunTrail("book.parquet", "v", out, actor="bench", engine=engines["chunk"])
        run.chunk(part, 1, w.write(part))
        run.close(w.close())

    write = timed(write_only, args.repeat)
    chunk = timed(chunk_record, args.repeat)
    rows = timed(lambda: (write_only(), per_row_json(part, engines["rows"])), args.repeat)  # type: ignore[func-returns-value]
    for name, s in (("write alone", write), ("rows as JSON + write", rows), ("chunk record + write", chunk)):
        print(f"{name:>22}: {s * 1000:8.0f} ms per chunk, {part.height / s:10,.0f} rows/s")
    print(f"audit's cost per chunk: rows as JSON {(rows - write) * 1000:,.0f} ms, chunk record "
          f"{(chunk - write) * 1000:,.0f} ms; per 1M rows {(rows - write) * 1e6 / part.height:,.1f} s vs "
          f"{(chunk - write) * 1e6 / part.height:,.1f} s; chunk+write is {rows / chunk:.1f}x faster than "
          f"rows+write")  # fmt: skip
    print(f"load after: {os.getloadavg()}")
    for engine in engines.values():
        engine.dispose()
    for made in work.iterdir():
        made.unlink()
    work.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
