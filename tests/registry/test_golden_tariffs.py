"""The tariff stack holds past the data: the mechanism behind the YAML goldens.

The golden duty stacks that used to live here (headline stacks of 2025-2026, the Section 301 lists of
2018-2020, China's duties on US goods, the facts PART 6 series, Section 232 steps, Annex II, specific and
compound amounts, column 2, known_on) are YAML cases under tests/golden/tariffs/, each citing its source,
run through `ops.tariff.lookup` by tests/golden/tariffs/test_golden_tariffs.py.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from exportctl.engine.tariff import tariff
from exportctl.registry import Registry, compile_regime, load_registry
from exportctl.sources.base import SourceTable
from exportctl.sources.hts import parse_hts_json
from exportctl.store.dataset import Dataset

CHAPTERS = (3, 84)
FREE_NO_301 = "0304.81.50"  # fish fillets, MFN Free, no Section 301 footnote, not excepted


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def ds(shared_data: Path) -> Dataset:
    folder = shared_data / "hts-2025-json"
    records = pl.concat(
        [parse_hts_json(folder / f"{c}.json").records for c in CHAPTERS], how="vertical_relaxed"
    )
    return Dataset.from_tables([SourceTable("hts", "HTS", "usitc-hts-json", "2025-01-13", records)])


def test_dates_after_the_data_hold(reg: Registry, ds: Dataset) -> None:
    """The tariff families are researched through 2026-07-31 (the newest snapshots are of July 2026):
    later dates may have duties the registry does not know, so the stack holds instead of answering."""
    for hts, origin, dest in ((FREE_NO_301, "CN", "US"), ("8471.30.0100", "US", "CN")):
        line = pl.DataFrame({"hts": [hts], "origin": [origin], "destination": [dest]})
        row = tariff(compile_regime(reg, "2026-11-10"), ds, line).row(0, named=True)
        assert row["status"] == "hold", row
