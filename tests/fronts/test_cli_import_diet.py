"""Cold start of a one-row check: `exportctl check --eccn 3A090 --to CN` with no party imports none of the
heavy libraries only other paths need (fuzzy matching, the screening stack and its transliterators,
plotting, the service). Each costs tens to hundreds of ms of a fresh process (issue 17: ≤ 0.8 s)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# top-level modules the one-row check without parties must not import (python -X importtime names them)
HEAVY = (
    "rapidfuzz",
    "icu",
    "fugashi",
    "pykakasi",
    "korean_romanizer",
    "pypinyin",
    "opencc",
    "pythainlp",
    "matplotlib",
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "jinja2",
    "openpyxl",
    "pyarrow",
    "numpy",
    "rigour",
    "followthemoney",
    "exportctl.engine.screening",
    "exportctl.fronts.api",
    "exportctl.fronts.web",
)
ARGS = ("check", "--eccn", "3A090", "--to", "CN", "--as-of", "2025-06-01", "--format", "json")


def _imported(env: dict[str, str]) -> set[str]:
    """The modules a fresh `python -X importtime -m exportctl check ...` process imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "exportctl", *ARGS],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"verdict"' in done.stdout  # the check ran to its answer
    return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", done.stderr, re.M))


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A store and cache of their own; one run first (it imports the bundled pack and fills the caches)."""
    folder = tmp_path_factory.mktemp("diet")
    src = str(Path(__file__).resolve().parents[2] / "src")
    made = {
        **os.environ,
        "EXPORTCTL_DATABASE_URL": f"sqlite:///{folder / 'store.db'}",
        "EXPORTCTL_CACHE_DIR": str(folder / "cache"),
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
    }
    subprocess.run([sys.executable, "-m", "exportctl", *ARGS], env=made, capture_output=True, check=True)
    return made


def test_a_one_row_check_imports_no_heavy_library(env: dict[str, str]) -> None:
    imported = _imported(env)
    assert "exportctl.ops.check" in imported  # the probe sees the check's own imports
    heavy = sorted(m for m in imported if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == []


def test_an_unknown_country_still_suggests(env: dict[str, str]) -> None:
    """The fuzzy matcher is imported where it is needed: an unknown country's suggestions."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "exportctl",
            "check",
            "--eccn",
            "3A090",
            "--to",
            "Chnia",
            "--as-of",
            "2025-06-01",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "China" in done.stderr
