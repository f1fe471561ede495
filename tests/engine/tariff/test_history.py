"""Tariff history: the change dates come from the registry; each change names the instruments behind it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from exportctl.engine.tariff import tariff
from exportctl.engine.tariff.history import change_dates, series, series_frame
from exportctl.engine.tariff.plot import plot_history
from exportctl.errors import InputError
from exportctl.registry.compile import Regime
from exportctl.registry.loader import Registry
from exportctl.store.dataset import Dataset

D = dt.date


def test_change_dates_are_the_registrys_own(registry: Registry) -> None:
    days = change_dates(registry.measures.values(), D(2025, 4, 1), D(2025, 6, 1))
    assert days[0] == D(2025, 4, 1)
    for day in (D(2025, 4, 5), D(2025, 4, 9), D(2025, 4, 10), D(2025, 4, 12), D(2025, 5, 14)):
        assert day in days
    assert D(2025, 4, 20) not in days


def _stacker(regime_on: Callable[..., Regime], ds: Dataset, hts: str, origin: str, dest: str = "US") -> Any:
    def on(day: dt.date) -> dict[str, Any]:
        row = tariff(
            regime_on(day.isoformat()),
            ds,
            pl.DataFrame({"hts": [hts], "origin": [origin], "destination": [dest]}),
        ).row(0, named=True)
        return {
            "components": [dict(c) for c in row["components"]],
            "total_ad_valorem_pct": row["total_ad_valorem_pct"],
            "total_additional_pct": row["total_additional_pct"],
            "mfn": {"text": row["mfn_text"], "ad_valorem_pct": row["mfn_ad_valorem_pct"]},
        }

    return on


def test_list3_series_with_instrument_labels(
    registry: Registry, regime_on: Callable[..., Regime], hts_dataset: Dataset
) -> None:
    points = series(
        _stacker(regime_on, hts_dataset, "8481.80.1030", "CN"),
        registry.measures,
        D(2018, 9, 1),
        D(2019, 12, 31),
    )
    assert [(p["date"], p["total_ad_valorem_pct"], p["labels"]) for p in points] == [
        (D(2018, 9, 1), 4.0, []),
        (D(2018, 9, 24), 14.0, ["83 FR 47974"]),
        (D(2019, 5, 10), 29.0, ["84 FR 20459"]),
    ]


def test_china_side_labels_name_the_announcements(
    registry: Registry, regime_on: Callable[..., Regime], hts_dataset: Dataset
) -> None:
    points = series(
        _stacker(regime_on, hts_dataset, "8471.30.0100", "US", "CN"),
        registry.measures,
        D(2025, 4, 1),
        D(2025, 6, 1),
    )
    got = {p["date"]: (p["total_additional_pct"], p["labels"]) for p in points}
    assert got[D(2025, 4, 12)] == (125.0, ["Tariff Commission Announcement No. 6 of 2025"])
    assert got[D(2025, 5, 14)][0] == 10.0


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_writes_the_chart(
    registry: Registry, regime_on: Callable[..., Regime], hts_dataset: Dataset, tmp_path: Path, suffix: str
) -> None:
    points = series(
        _stacker(regime_on, hts_dataset, "0302.13.00", "CN"),
        registry.measures,
        D(2025, 1, 1),
        D(2025, 12, 31),
    )
    frame = series_frame(points, D(2025, 12, 31))
    assert set(frame["program"]) == {"section_301", "ieepa_fentanyl", "ieepa_reciprocal"}
    history = {
        "hts": "0302.13.00",
        "origin": "CN",
        "destination": "US",
        "from": D(2025, 1, 1),
        "to": D(2025, 12, 31),
        "series": points,
        "data_version": hts_dataset.version,
    }
    out = plot_history(history, tmp_path / f"chart{suffix}")
    assert out.stat().st_size > 5000
    with pytest.raises(InputError):
        plot_history(history, tmp_path / "chart.pdf")
