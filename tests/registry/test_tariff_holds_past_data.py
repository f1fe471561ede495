"""The tariff stack holds past the data: the mechanism behind the YAML goldens (tests/golden/tariffs/).

Run on the bundled data pack's HTS table, so it needs no ../shared/data."""

from __future__ import annotations

import polars as pl
import pytest

from exportctl.data.pack import load_pack
from exportctl.engine.tariff import tariff
from exportctl.registry import Registry, compile_regime, load_registry
from exportctl.store.dataset import Dataset

FREE_NO_301 = "0304.81.50"  # fish fillets, MFN Free, no Section 301 footnote, not excepted


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return Dataset.from_tables([t for t in load_pack() if t.name == "hts"])


def test_dates_after_the_data_hold(reg: Registry, ds: Dataset) -> None:
    """Past the day its families are researched through (registry.yaml) a date may have duties the registry
    does not know, so the stack holds instead of answering (and answers on the last researched day)."""
    for hts, origin, dest in ((FREE_NO_301, "CN", "US"), ("8471.30.0100", "US", "CN")):
        line = pl.DataFrame({"hts": [hts], "origin": [origin], "destination": [dest]})
        late = tariff(compile_regime(reg, "2026-11-10"), ds, line).row(0, named=True)
        assert late["status"] == "hold", late
    line = pl.DataFrame({"hts": [FREE_NO_301], "origin": ["CN"], "destination": ["US"]})
    last = tariff(compile_regime(reg, "2026-07-31"), ds, line).row(0, named=True)
    assert last["status"] != "hold", last
