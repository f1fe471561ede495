"""Fixture registries for the registry machinery tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from exportctl.registry import Registry, load_registry

BASIC = Path(__file__).resolve().parents[1] / "fixtures" / "registry" / "basic"


@pytest.fixture(scope="module")
def basic() -> Registry:
    """The small fixture registry: one measure per action kind (tests/fixtures/registry/basic)."""
    return load_registry([BASIC], bundled=False)


@pytest.fixture(scope="session")
def basic_dir() -> Path:
    """The folder of the basic fixture registry."""
    return BASIC
