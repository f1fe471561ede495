"""Proclamation 11052's duties from Dec 4, 2026 are recorded as a scheduled change: the US-TARIFF families
are researched only through Nov 9, 2026, so no lookup answers Dec 4 yet (the YAML goldens stop there).
This test moves the families' researched_through past Dec 4 in a copy of the registry and checks what the
data will answer then (U.S. note 42 as a public tracker reads the proclamation: +15% on wafers, cells and
modules, 15% in all for the EU, Japan, Korea, Taiwan, Switzerland and Liechtenstein, +10% for the UK,
minimum import prices as an advisory)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
import pytest

from exportctl.data.pack import load_pack
from exportctl.engine.tariff import tariff
from exportctl.registry import Registry, compile_regime, load_registry
from exportctl.store.dataset import Dataset

MEASURE = "us-tariff-2026-08-06-s232-polysilicon-proclamation-11052"


@pytest.fixture(scope="module")
def reg() -> Registry:
    """The bundled registry with every US-TARIFF family researched through Dec 5, 2026."""
    base = load_registry()
    day = dt.date(2026, 12, 5)
    fams = [
        f.model_copy(update={"researched_through": day}) if f.jurisdiction == "US-TARIFF" else f
        for f in base.settings.families
    ]
    return dataclasses.replace(base, settings=base.settings.model_copy(update={"families": fams}), _cache={})


@pytest.fixture(scope="module")
def ds() -> Dataset:
    """The bundled data pack's HTS table (no ../shared/data needed)."""
    return Dataset.from_tables([t for t in load_pack() if t.name == "hts"])


def _row(reg: Registry, ds: Dataset, hts: str, origin: str, day: str) -> dict[str, Any]:
    line = pl.DataFrame({"hts": [hts], "origin": [origin], "destination": ["US"]})
    row = tariff(compile_regime(reg, day), ds, line).row(0, named=True)
    assert row["status"] == "ok", row
    return row


def _poly(row: dict[str, Any]) -> list[tuple[str, float]]:
    comps = row["components"]
    return [(c["heading"], c["applied_pct"]) for c in comps if c["program"] == "section_232_polysilicon"]


def test_no_polysilicon_duty_the_day_before(reg: Registry, ds: Dataset) -> None:
    row = _row(reg, ds, "8541.43.0010", "MY", "2026-12-03")
    assert _poly(row) == []
    assert any(a["measure"] == MEASURE for a in row["advisories"])


@pytest.mark.parametrize(
    ("hts", "origin", "want"),
    [
        ("8541.43.0010", "MY", [("9903.45.30", 15.0)]),
        ("8541.42.0010", "CN", [("9903.45.30", 15.0)]),
        ("3818.00.0090", "VN", [("9903.45.30", 15.0)]),
        ("8541.43.0080", "KR", [("9903.45.31", 15.0)]),  # 15% in all on a Free line
        ("8541.43.0010", "DE", [("9903.45.31", 15.0)]),
        ("8541.43.0010", "GB", [("9903.45.32", 10.0)]),
        ("3818.00.0010", "CN", []),  # gallium arsenide wafers: not in Annex I
        ("2804.61.0000", "CN", []),  # raw polysilicon: minimum import price only
    ],
)
def test_duties_from_dec_4(
    reg: Registry, ds: Dataset, hts: str, origin: str, want: list[tuple[str, float]]
) -> None:
    for day in ("2026-12-04", "2026-12-05"):
        assert _poly(_row(reg, ds, hts, origin, day)) == want, (hts, origin, day)


def test_the_other_layers_stack(reg: Registry, ds: Dataset) -> None:
    """No Section 232 overlap exclusion was added to note 52: a Chinese module pays 15% + the Section 301 50%
    (9903.91.02) + the 2026 Section 301 12.5% (9903.05.31)."""
    row = _row(reg, ds, "8541.43.0010", "CN", "2026-12-04")
    headings = {c["heading"] for c in row["components"]}
    assert {"9903.45.30", "9903.91.02", "9903.05.31"} <= headings
    assert row["total_ad_valorem_pct"] == pytest.approx(77.5)


def test_minimum_import_prices_are_an_advisory(reg: Registry, ds: Dataset) -> None:
    row = _row(reg, ds, "2804.61.0000", "CN", "2026-12-04")
    mip = [a for a in row["advisories"] if a["program"] == "section_232_polysilicon_mip"]
    assert mip and all(a["measure"] == MEASURE for a in mip)
    assert all(c["program"] != "section_232_polysilicon_mip" for c in row["components"])
