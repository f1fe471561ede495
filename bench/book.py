"""Benchmark: the main job, `exportctl check BOOK -o OUT.parquet`, on a book with a consignee on every row
and fuzzy party screening on (the default), streamed in chunks, beside the unchunked path measured in the
same run at a size it can hold.

Each measurement runs in its own child process (peak memory is a process's high-water mark, so one run
must not inherit another's); the synthetic book is written to Parquet chunk by chunk (bench/book_data.py).
Prints rows/s and peak RSS, at each of --marks for the streamed run, with os.getloadavg() before and
after. The audit trail of the runs goes to a scratch copy of the store, deleted with the books at the end.

The streamed run calls what `exportctl check BOOK -o OUT` calls (ops.batch.check_book, rows written as
answered, never held); at each of --marks (1M, 5M, 10M) it prints the peak and resident memory and the rate
so far as a ratio of the first mark's (the issue-17 goal: peak flat and 10M within 20% of the 1M run).

`--against OTHER/src` first streams the same book with another tree's code (a before/after in one run:
the after's rate is printed as a ratio of the before's); `--exact` matches parties exactly (the 10M-row
Parquet-to-Parquet run, where the I/O, the audit trail and memory are measured, not fuzzy screening);
`--home` ships 9 rows in 10 to the consignee's own country (a forwarder's book: ~2 screening keys per name)
instead of every consignee to all 30 destinations (book_data.py).

Beside wall time, each run prints its CPU seconds with its screening workers' (on a loaded machine the
fairer figure) and the peak proportional memory (PSS) of the process and its workers together, sampled.

    PYTHONPATH=src .venv/bin/python bench/book.py [--rows 1000000] [--baseline-rows 100000]
    PYTHONPATH=src .venv/bin/python bench/book.py --rows 10000000 --baseline-rows 0 --exact
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import peak_mb, rss_mb


def tree_pss_mb(pid: int | None = None) -> float:
    """Proportional set size of a process and its children, in MB (Linux; 0 elsewhere)."""
    pid = pid or os.getpid()
    total = 0.0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1]) / 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += tree_pss_mb(int(child))
    except OSError:
        pass
    return total


class PssPeak:
    """The peak of tree_pss_mb, sampled every `every` seconds in a thread while running."""

    def __init__(self, every: float = 0.25) -> None:
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.peak = max(self.peak, tree_pss_mb())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return max(self.peak, tree_pss_mb())


def cpu_s() -> float:
    """CPU seconds of this process and its finished children (the screening workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def make_book(path: Path, rows: int, parties: int, home: bool = False) -> None:
    """The synthetic book: real ECCNs of the active data version, `parties` distinct consignees."""
    import polars as pl
    from book_data import party_names, write_book

    from exportctl.ops.check import Context

    ctx = Context()
    lists = ctx.us_lists()
    listed = (
        lists.filter(pl.col("list").is_in(["EL", "MEU", "UVL", "DPL", "SDN"]))["name"].to_list()
        if lists is not None
        else []
    )
    write_book(path, rows, sorted(ctx.tables.eccn_set()), party_names(parties, listed), home=home)


def one(mode: str, book: Path, out: Path, chunk: int, marks: list[int], fuzzy: bool = True) -> dict[str, Any]:
    """One measured run in this process: `stream` (stream_file, keep=False) or `whole` (the unchunked
    path as it was: read the whole book, one check_table, one audit record_run, one write)."""
    from exportctl.ops import audit
    from exportctl.ops.batch import check_book
    from exportctl.ops.check import Context, check_table
    from exportctl.ops.check_io import read_orders, write_results

    ctx = Context()
    ctx.us_lists()
    setup = peak_mb()
    pss = PssPeak()
    cpu0 = cpu_s()
    t0 = time.perf_counter()
    seen: list[dict[str, float]] = []
    todo = sorted(marks)

    def step(done: int, total: int) -> None:
        while todo and done >= todo[0]:
            seen.append({"rows": todo.pop(0), "s": time.perf_counter() - t0, "cpu_s": cpu_s() - cpu0,
                         "peak_mb": peak_mb(), "rss_mb": rss_mb(), "pss_mb": pss.peak})  # fmt: skip
            # said as it is reached (a 10M-row run is long on a loaded machine); the parent prints them all
            print(f"[{mode}] {json.dumps(seen[-1])}", file=sys.stderr, flush=True)

    if mode == "stream":  # what `exportctl check BOOK -o OUT` calls (fronts/cli/check.py: rows never held)
        run = check_book(book, out, context=ctx, fuzzy=fuzzy, chunk=chunk, keep=False, progress=step)
        rows = run.rows
    else:
        orders = read_orders(book)
        results = check_table(orders, context=ctx, fuzzy=fuzzy)
        audit.record_run(results, source=book.name, data_version=ctx.version)
        write_results(results, out)
        rows = results.height
    took = time.perf_counter() - t0
    cpu = cpu_s() - cpu0
    return {
        "mode": mode, "rows": rows, "s": took, "cpu_s": cpu, "peak_mb": peak_mb(), "setup_mb": setup,
        "pss_mb": pss.stop(), "marks": seen,
    }  # fmt: skip


def child(
    mode: str, book: Path, out: Path, chunk: int, marks: list[int], fuzzy: bool = True, src: str | None = None
) -> dict[str, Any]:
    """`one` in a fresh process (with another tree's `src` first on the path when given); its JSON line."""
    cmd = [sys.executable, __file__, "--child", mode, "--book", str(book), "--out", str(out)]
    cmd += ["--chunk", str(chunk), "--marks", ",".join(str(m) for m in marks)]
    cmd += [] if fuzzy else ["--exact"]
    env = {**os.environ, "PYTHONPATH": src} if src else None
    # its stderr passes through: the marks as they are reached, and a failure's traceback
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False, env=env)
    if done.returncode:
        raise SystemExit(f"{mode} run failed (its error above)")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def show(r: dict[str, Any], base: dict[str, Any] | None = None) -> None:
    rate = r["rows"] / r["s"]
    ratio = ""
    if base:
        ratio = f", {rate / (base['rows'] / base['s']):.2f}x the baseline's rate"
        if r.get("cpu_s") and base.get("cpu_s"):
            ratio += f" ({r['rows'] / r['cpu_s'] / (base['rows'] / base['cpu_s']):.2f}x per CPU second)"
    print(
        f"{r['mode']:>6}: {r['rows']:,} rows in {r['s']:.1f} s = {rate:,.0f} rows/s{ratio}; "
        f"CPU {r.get('cpu_s', 0):.1f} s with workers; peak {r['peak_mb']:,.0f} MB (after setup "
        f"{r['setup_mb']:,.0f} MB), with workers PSS {r.get('pss_mb', 0):,.0f} MB",
        flush=True,
    )
    show_marks(r["marks"])


def show_marks(marks: list[dict[str, float]]) -> None:
    """Each mark's peak and resident memory, its rate so far as a ratio of the first mark's (the goal:
    10M rows within 20% of the 1M run), and the rate since the mark before (wall, and per CPU second with
    the workers: on a loaded machine the fairer one)."""
    first: tuple[float, float] | None = None
    prev = {"rows": 0.0, "s": 0.0, "cpu_s": 0.0}
    for m in marks:
        rate, per_cpu = m["rows"] / max(m["s"], 1e-9), m["rows"] / max(m.get("cpu_s", 0.0), 1e-9)
        first = first or (rate, per_cpu)
        rows = m["rows"] - prev["rows"]
        lately = rows / max(m["s"] - prev["s"], 1e-9)
        lately_cpu = rows / max(m.get("cpu_s", 0.0) - prev["cpu_s"], 1e-9)
        print(
            f"        at {m['rows']:>11,} rows: {m['s']:7.1f} s, peak {m['peak_mb']:,.0f} MB (resident now "
            f"{m.get('rss_mb', 0):,.0f} MB, PSS with workers peak {m.get('pss_mb', 0):,.0f} MB); so far "
            f"{rate:,.0f} rows/s = {rate / first[0]:.2f}x the first mark's ({per_cpu / first[1]:.2f}x per "
            f"CPU s); since the mark before {lately:,.0f} rows/s, {lately_cpu:,.0f} per CPU s",
            flush=True,
        )
        prev = {"rows": m["rows"], "s": m["s"], "cpu_s": m.get("cpu_s", 0.0)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--baseline-rows", type=int, default=100_000, help="0: no unchunked baseline")
    ap.add_argument("--parties", type=int, default=20_000, help="distinct consignees in the book")
    ap.add_argument("--chunk", type=int, default=None, help="rows per chunk (default: the CLI's)")
    ap.add_argument("--marks", default="1000000,5000000,10000000")
    ap.add_argument("--dir", type=Path, default=None, help="where the books go (default: a temp dir)")
    ap.add_argument("--exact", action="store_true", help="parties matched exactly (no fuzzy screening)")
    ap.add_argument("--home", action="store_true", help="9 rows in 10 to the consignee's own country")
    ap.add_argument("--against", default=None, help="another tree's src/: its streamed run first, same book")
    ap.add_argument(
        "--keep-files", action="store_true", help="keep the books (used again from --dir) and results"
    )
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--book", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    marks = [int(m) for m in args.marks.split(",") if m]
    if args.chunk is None:
        from exportctl.ops.check_stream import CHUNK

        args.chunk = CHUNK
    if args.child:
        print(json.dumps(one(args.child, args.book, args.out, args.chunk, marks, fuzzy=not args.exact)))
        return 0
    work = args.dir or Path(tempfile.mkdtemp(prefix="exportctl-book-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    scratch = "EXPORTCTL_DATABASE_URL" not in os.environ
    if scratch:  # the runs' audit records go to a scratch store
        from exportctl.store import default_url

        src = Path(default_url().removeprefix("sqlite:///"))
        if src.is_file():
            shutil.copy(src, work / "store.db")
        os.environ["EXPORTCTL_DATABASE_URL"] = f"sqlite:///{work / 'store.db'}"
    print(f"load before: {os.getloadavg()} on {os.cpu_count()} cores", flush=True)
    t = time.perf_counter()
    big = work / f"book-{args.rows}-{args.parties}{'-home' if args.home else ''}.parquet"
    made = not big.is_file()
    if made:  # a book kept (--keep-files) in --dir is used again
        make_book(big, args.rows, args.parties, args.home)
    spread = ", 9 in 10 to their own country" if args.home else ", each to any of 30 destinations"
    how = f"written in {time.perf_counter() - t:.1f} s" if made else f"kept in {work}"
    print(f"book: {args.rows:,} rows, {args.parties:,} distinct consignees{spread}, {how} "
          f"({big.stat().st_size / 1e6:,.0f} MB)", flush=True)  # fmt: skip
    base: dict[str, Any] | None = None
    if args.baseline_rows:
        small = work / f"book-{args.baseline_rows}-{args.parties}{'-home' if args.home else ''}.parquet"
        if not small.is_file():
            make_book(small, args.baseline_rows, args.parties, args.home)
        whole = child("whole", small, work / "whole.parquet", args.chunk, [])
        show(whole)
        base = whole
        same = child("stream", small, work / "stream-small.parquet", args.chunk, [])
        show(same, base)
        import polars as pl

        equal = pl.read_parquet(work / "whole.parquet").equals(pl.read_parquet(work / "stream-small.parquet"))
        print(f"        streamed results equal the unchunked ones: {equal}", flush=True)
    fuzzy = not args.exact
    marked = [m for m in marks if m <= args.rows]
    if args.against:
        before = child("stream", big, work / "before.parquet", args.chunk, marked, fuzzy, args.against)
        print(f"before ({args.against}):", flush=True)
        show(before, base)
        (work / "before.parquet").unlink(missing_ok=True)
        print(f"load between: {os.getloadavg()}", flush=True)
        base = before
    streamed = child("stream", big, work / "stream.parquet", args.chunk, marked, fuzzy)
    show(streamed, base)
    print(f"load after: {os.getloadavg()}")
    if not args.keep_files:  # a 10M-row book and its results are GBs
        for made in [*work.glob("*.parquet"), *(work.glob("store.db*") if scratch else [])]:
            made.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
