"""Fixtures for the tariff engine: the real HTS 2025 rows of a few chapters, and the bundled registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from exportctl.registry import compile_regime, load_registry
from exportctl.registry.compile import Regime
from exportctl.registry.loader import Registry
from exportctl.sources.base import SourceTable
from exportctl.sources.hts import parse_hts_json
from exportctl.store.dataset import Dataset

CHAPTERS = (1, 2, 3, 12, 15, 27, 72, 76, 84, 85, 87)


def hts_table(shared_data: Path, chapters: tuple[int, ...] = CHAPTERS) -> SourceTable:
    """The `hts` table of the given chapters of the real HTS 2025 JSON."""
    folder = shared_data / "hts-2025-json"
    frames = [parse_hts_json(folder / f"{c}.json").records for c in chapters]
    records = pl.concat(frames, how="vertical_relaxed")
    return SourceTable("hts", "Harmonized Tariff Schedule", "usitc-hts-json", "2025-01-13", records)


@pytest.fixture(scope="session")
def hts_dataset(shared_data: Path) -> Dataset:
    """A Dataset holding the real HTS 2025 rows of a few chapters."""
    return Dataset.from_tables([hts_table(shared_data)])


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The bundled registry."""
    return load_registry()


@pytest.fixture()
def regime_on(registry: Registry) -> Callable[..., Regime]:
    """compile_regime on a date of the bundled registry."""

    def on(day: str, **kw: Any) -> Regime:
        return compile_regime(registry, day, **kw)

    return on
