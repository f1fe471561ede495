"""Benchmark: cold start of the CLI, this tree against a baseline tree, in the same run.

Each run is a fresh `python -m exportctl ...` subprocess (what a user or a shell script pays per call):
`check --eccn 3A090 --to CN --as-of 2025-06-01` and `tariff 9503.00.0073 --origin CN --as-of 2025-04-10`.
The baseline is the source of a git ref (default `main`) exported to a temporary folder; both trees run
with the same interpreter, the same store and a cache folder of their own (their first run fills what
each tree keeps on disk and compiles its bytecode: it is not counted). The runs alternate (baseline,
this tree, ...) so that both meet the same load; each figure is the median of `--repeats` runs, wall
time and CPU time (user + system of the child), printed with the load average beside it. The ratio
after / before is the figure to read on a loaded machine; nothing is asserted.

    .venv/bin/python bench/cold_start.py [--repeats 7] [--baseline main]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "check one row": ["check", "--eccn", "3A090", "--to", "CN", "--as-of", "2025-06-01"],
    "tariff lookup": ["tariff", "9503.00.0073", "--origin", "CN", "--as-of", "2025-04-10"],
}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _export(ref: str, into: Path) -> Path:
    """The `src` folder of `ref`, written under `into`."""
    archive = into / "base.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "base", filter="data")
    return into / "base" / "src"


def _run(src: Path, cache: Path, args: list[str]) -> tuple[float, float]:
    """(wall s, cpu s) of one CLI process on the tree `src`."""
    env = {**os.environ, "PYTHONPATH": str(src), "EXPORTCTL_CACHE_DIR": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the first run writes each tree's bytecode, as a user's does
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "exportctl", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--baseline", default="main", help="git ref of the baseline tree")
    args = parser.parse_args()
    print(f"load at start: {_load()} (cores: {os.cpu_count()})")
    with tempfile.TemporaryDirectory(prefix="exportctl-cold-") as tmp:
        folder = Path(tmp)
        trees = {"before": _export(args.baseline, folder), "after": ROOT / "src"}
        caches = {name: folder / f"cache-{name}" for name in trees}
        for label, cmd in COMMANDS.items():
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
            for name, src in trees.items():
                _run(src, caches[name], cmd)  # bytecode and on-disk caches of that tree
            for _ in range(args.repeats):
                for name, src in trees.items():
                    times[name].append(_run(src, caches[name], cmd))
            wall = {n: statistics.median(w for w, _ in ts) for n, ts in times.items()}
            cpu = {n: statistics.median(c for _, c in ts) for n, ts in times.items()}
            b, a = "before", "after"
            print(
                f"{label:<14} before ({args.baseline}) wall {wall[b]:6.2f} s cpu {cpu[b]:5.2f} s"
                f" | after wall {wall[a]:6.2f} s cpu {cpu[a]:5.2f} s"
                f" | after/before wall {wall[a] / wall[b]:.2f} cpu {cpu[a] / cpu[b]:.2f}"
                f"  (median of {args.repeats}, load {_load()})"
            )


if __name__ == "__main__":
    main()
