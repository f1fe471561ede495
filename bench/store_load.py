"""Benchmark: what checking loaded tables against their import costs (issue #16 part 2).

Three ways to load every table of the same data version, interleaved in one process on one store:

* `unchecked`: the load before the checks (a Dataset whose loader decodes the stored bytes as they are);
* `checked`: `Store.dataset`, which checks the version's sources and every table's stored-bytes hash
  (recorded at import) before answering, then each table's rows and columns as it decodes;
* `legacy`: the same version with no recorded per-table hashes (as imported before them): each table is
  checked on its content hash, as `data verify` does.

Prints the median time of each and the ratios to `unchecked`, with the machine's load
(`os.getloadavg()`). It never asserts a time.

    .venv/bin/python bench/store_load.py [--url sqlite:///...] [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from exportctl.store import Dataset, Store, ensure_active, open_store, tables


def _load_all(make: Callable[[], Dataset]) -> float:
    start = time.perf_counter()
    ds = make()
    for name in ds.names:
        ds.table(name)
    return time.perf_counter() - start


def _unchecked(store: Store, vid: str) -> Dataset:
    infos = store.sources_of(vid)
    return Dataset(vid, infos, lambda info: store.load(info.sha256))


def main() -> None:
    """Run the three loads `--rounds` times each, interleaved, and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="a store with an active version (default: the pack, in a temp file)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="exportctl-bench-store-"))
    try:
        url = args.url or f"sqlite:///{folder / 'store.db'}"
        store = open_store(url)
        vid = ensure_active(store)
        legacy_url = url
        if url.startswith("sqlite:///") and not args.url:
            for suffix in ("", "-wal", "-shm"):  # the WAL holds what is not yet checkpointed
                if (folder / f"store.db{suffix}").exists():
                    shutil.copy(folder / f"store.db{suffix}", folder / f"legacy.db{suffix}")
            legacy_url = f"sqlite:///{folder / 'legacy.db'}"
            engine = sa.create_engine(legacy_url)
            with engine.begin() as conn:
                conn.execute(sa.delete(tables.checks))
            engine.dispose()
        legacy = open_store(legacy_url)
        times: dict[str, list[float]] = {"unchecked": [], "checked": [], "legacy": []}
        for _ in range(args.rounds):
            times["unchecked"].append(_load_all(lambda: _unchecked(store, vid)))
            times["checked"].append(_load_all(lambda: store.dataset(vid)))
            if legacy_url != url:
                times["legacy"].append(_load_all(lambda: legacy.dataset(vid)))
        rows = sum(s.rows for s in store.sources_of(vid))
        base = statistics.median(times["unchecked"])
        print(f"version {vid[:12]}: {len(store.sources_of(vid))} tables, {rows:,} rows; {args.rounds} rounds")
        for name, values in times.items():
            if values:
                med = statistics.median(values)
                print(f"  {name:10} median {med * 1000:8.1f} ms   ratio to unchecked {med / base:5.2f}")
        print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        store.close()
        legacy.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
