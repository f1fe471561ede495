"""Shared test fixtures: where the shared data snapshots are, and an isolated store per test session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Every test session (and every xdist worker) gets its own SQLite store, so tests never touch the
# user's data directory. Tests that need a fresh store make their own with tmp_path.
_session_dir = tempfile.mkdtemp(prefix="exportctl-test-")
os.environ.setdefault("EXPORTCTL_DATABASE_URL", f"sqlite:///{_session_dir}/store.db")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real snapshots in ../shared/data (present on developers' machines and in CI)."""
    assert SHARED_DATA.is_dir(), f"missing {SHARED_DATA}: clone the repo beside shared/"
    return SHARED_DATA


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """Small files cut from the snapshots, committed under tests/fixtures."""
    return FIXTURES
