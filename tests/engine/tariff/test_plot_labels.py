"""The history chart's change labels never overlap one another, stay inside the axes, and sit above the
stack: measured with matplotlib's renderer on the real 2018-2026 series and on a crowded synthetic one."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text

from exportctl.engine.tariff.plot import LABEL_GID, draw_history, spread
from exportctl.ops.tariff_history import history

D = dt.date


def _boxes(fig: Figure) -> list[Any]:
    fig.canvas.draw()  # lay out every artist as when saved
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    notes = fig.findobj(lambda a: isinstance(a, Text) and a.get_gid() == LABEL_GID)
    return [Text.get_window_extent(t, renderer) for t in notes]  # the text, without its leader line


def _check(fig: Figure, count: int) -> None:
    boxes = _boxes(fig)
    assert len(boxes) == count
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    (ax,) = fig.axes
    frame = ax.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    top = max(ax.get_lines()[0].get_ydata()) if ax.get_lines() else 0  # the total's step line
    top_px = ax.transData.transform((0, top))[1]
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, (box, frame)
        assert box.y0 > top_px, "a label covers the stack"
    plt.close(fig)


@pytest.mark.parametrize(
    ("hts", "origin", "start", "changes"),
    [("8481.80.1030", "CN", "2018-01-01", 11), ("0304.81.50", "CN", "2025-01-01", 9)],
)
def test_labels_of_the_real_2018_2026_series_do_not_overlap(
    hts: str, origin: str, start: str, changes: int
) -> None:
    obj = history(hts, origin, start, "2026-07-31")
    programs = {c["program"] for p in obj["series"] for c in p["components"]}
    assert {"ieepa_fentanyl", "ieepa_reciprocal", "section_122"} <= programs  # the 2025-2026 layers
    _check(draw_history(obj), changes)


def test_labels_of_a_crowded_series_do_not_overlap() -> None:
    # 30 changes on consecutive days at the end of a two-year range: far more than fit at their dates
    days = [D(2024, 1, 1)] + [D(2025, 12, 1) + dt.timedelta(days=i) for i in range(30)]
    series = [
        {
            "date": d,
            "total_ad_valorem_pct": float(10 * (i % 7)),
            "mfn_ad_valorem_pct": 2.5,
            "components": [{"program": "section_301", "heading": "9903.88.03", "rate_pct": 10.0 * (i % 7)}],
            "labels": [f"Proclamation {10000 + i}"],
        }
        for i, d in enumerate(days)
    ]
    obj = {
        "hts": "0000.00.00",
        "origin": "CN",
        "destination": "US",
        "from": days[0],
        "to": D(2025, 12, 31),
        "series": series,
        "data_version": "test",
    }
    _check(draw_history(obj), 31)


@settings(deadline=None)  # a loaded machine must not fail it on time
@given(
    anchors=st.lists(st.floats(min_value=0, max_value=1000), min_size=1, max_size=40),
    width=st.floats(min_value=1, max_value=20),
)
def test_spread_keeps_boxes_apart_and_in_bounds(anchors: list[float], width: float) -> None:
    anchors = sorted(anchors)
    widths = [width] * len(anchors)
    pos = spread(anchors, widths, 0.0, 1000.0, 2.0)
    fits = len(anchors) * (width + 2.0) <= 1000.0
    for a, b in itertools.pairwise(pos):
        assert b - a >= width + 2.0 - 1e-6 or not fits
    if fits:
        assert pos[0] >= 0.0 - 1e-6 and pos[-1] + width <= 1000.0 + 1e-6
