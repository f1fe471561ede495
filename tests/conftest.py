"""Shared test fixtures: where the shared data snapshots are, and an isolated store per test session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore new examples on developers' machines; CI replays a fixed derandomized set, so
# a landing never depends on the luck of one run (a failure found locally is fixed, then kept).
# no deadline: speed is measured in bench/, never asserted, and a loaded machine must not fail a test
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("dev", print_blob=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Every test process (the session, and each xdist worker: they inherit the parent's environment, so
# the variables are set here, not defaulted) gets its own SQLite store and screening-index cache, so
# tests never touch the user's data or cache directories nor race each other creating tables. Tests
# that need a fresh store make their own with tmp_path; PostgreSQL tests use EXPORTCTL_TEST_PG_URL.
_session_dir = tempfile.mkdtemp(prefix=f"exportctl-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-")
os.environ["EXPORTCTL_DATABASE_URL"] = f"sqlite:///{_session_dir}/store.db"
os.environ["EXPORTCTL_CACHE_DIR"] = f"{_session_dir}/cache"
os.environ["EXPORTCTL_CACHE_KEY_FILE"] = f"{_session_dir}/cache.key"  # the cache's signing secret


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real snapshots in ../shared/data (present on developers' machines and in CI).

    On a fresh clone without them the tests that read them are skipped, saying why; where they are
    required (`.ci/run` sets EXPORTCTL_REQUIRE_SHARED_DATA) their absence fails the run."""
    if not SHARED_DATA.is_dir():
        why = f"{SHARED_DATA} is absent: clone the repo beside shared/ to run the tests on the real snapshots"
        if os.environ.get("EXPORTCTL_REQUIRE_SHARED_DATA"):
            pytest.fail(why)
        pytest.skip(why)
    return SHARED_DATA


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """Small files cut from the snapshots, committed under tests/fixtures."""
    return FIXTURES
