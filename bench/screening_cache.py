"""Cold start of the screening index: building it, against loading the verified on-disk cache (npz read
with allow_pickle=False, HMAC checked, arrays checked against the lists: ops/screen_index.py), against
the pickle the cache used to be (measured here only, as the old baseline), in the same run.

    .venv/bin/python bench/screening_cache.py [--repeat 3]

Prints seconds, sizes and ratios with the machine load; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import pickle  # the old cache format, measured as the baseline: nothing in src/ reads it any more
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from screening_common import list_table, load_tables

from exportctl.engine.screening import build_index
from exportctl.engine.screening.screen import clear_caches
from exportctl.ops import screen_index


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times = []
    out: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    """Print build, verified-load and pickle-load seconds and their ratios."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print("load before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    lists = list_table(load_tables(sdn=True, extra=True))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ[screen_index.ENV_CACHE] = tmp
        os.environ[screen_index.ENV_CACHE_KEY] = str(Path(tmp) / "key")
        build_s, index = _best(lambda: (clear_caches(), build_index(lists))[1], args.repeat)  # cold
        path = Path(tmp) / "bench.npz"
        digest_s, digest = _best(lambda: screen_index.lists_digest(lists), args.repeat)
        store_s, _ = _best(lambda: screen_index._store(path, index, digest), 1)  # type: ignore[arg-type]
        load_s, loaded = _best(
            lambda: screen_index._load(path, lists, screen_index.lists_digest(lists)), args.repeat
        )
        old = Path(tmp) / "bench.pickle"
        old.write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        pickle_s, _ = _best(lambda: pickle.loads(old.read_bytes()), args.repeat)
        npz_mb, pickle_mb = path.stat().st_size / 1e6, old.stat().st_size / 1e6
    assert loaded.name_tokens == index.name_tokens  # type: ignore[attr-defined]
    print(f"lists: {lists.height} entries, {len(index.name_text)} names")  # type: ignore[attr-defined]
    print(f"build                    {build_s:7.2f} s")
    print(f"lists digest             {digest_s:7.2f} s  (part of the verified load)")
    print(f"store (npz + signature)  {store_s:7.2f} s  {npz_mb:.1f} MB")
    print(f"verified load (npz)      {load_s:7.2f} s  build/load = {build_s / load_s:.1f}x")
    print(
        f"old pickle load          {pickle_s:7.2f} s  {pickle_mb:.1f} MB  "
        f"npz/pickle = {load_s / pickle_s:.2f}x"
    )
    print("load after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
