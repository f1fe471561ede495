"""Draw a tariff comparison: one horizontal bar per origin, its layers stacked, the total at the bar's end.

Origins are rows (their labels never overlap however many there are: the figure grows with them); the
legend sits below the bars, outside the plot area.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a window: the CLI and the API run headless

import matplotlib.pyplot as plt

from exportctl.engine.tariff.plot import _NAMES, _ORDER
from exportctl.errors import InputError

_MFN = "mfn"
_MORE = {
    "mfn": "base rate (MFN or column 2)",
    "ieepa_brazil": "IEEPA Brazil",
    "ieepa_russia_oil": "IEEPA India",
}


def _segments(origin: dict[str, Any]) -> dict[str, float]:
    """Rate per program of one origin's stack, the base rate (total less the layers) as 'mfn'."""
    out: dict[str, float] = {}
    for c in origin["components"]:
        out[c["program"]] = out.get(c["program"], 0.0) + float(c["rate_pct"] or 0.0)
    base = float(origin["total_ad_valorem_pct"] or 0.0) - sum(out.values())
    if base > 1e-9:
        out[_MFN] = base
    return out


def _order(program: str) -> tuple[int, str]:
    return (_ORDER.index(program) if program in _ORDER else len(_ORDER), program)


def plot_compare(obj: dict[str, Any], path: str | Path) -> Path:
    """Write the chart of `obj` (ops.tariff_compare.compare's result) to a .png or .svg file."""
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg"):
        raise InputError(
            f"chart file must end in .png or .svg, not {out.suffix or 'nothing'!r}", field="chart"
        )
    origins = obj["origins"]
    segs = [_segments(o) for o in origins]
    programs = sorted({p for s in segs for p in s}, key=_order)
    rows = len(origins)
    fig, ax = plt.subplots(figsize=(10, 1.6 + 0.42 * rows + 0.25 * ((len(programs) + 2) // 3)), dpi=110)
    ys = list(range(rows))[::-1]  # the first origin on top
    left = [0.0] * rows
    cmap = plt.get_cmap("tab10")
    for i, program in enumerate(programs):
        widths = [s.get(program, 0.0) for s in segs]
        color = "#b0b0b0" if program == _MFN else cmap(i % 10)
        ax.barh(
            ys,
            widths,
            left=left,
            height=0.62,
            color=color,
            label=_MORE.get(program) or _NAMES.get(program, program),
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    top = max([float(o["total_ad_valorem_pct"] or 0.0) for o in origins] + [1.0])
    for y, o in zip(ys, origins, strict=True):
        total = float(o["total_ad_valorem_pct"] or 0.0)
        ax.text(total + top * 0.01, y, f"{total:g}%", va="center", ha="left", fontsize=8)
    ax.set_yticks(ys, [o["origin"] for o in origins], fontsize=9)
    ax.set_xlim(0, top * 1.12)
    ax.set_xlabel("duty, % ad valorem")
    ax.set_title(f"HTS {obj['hts']} on {obj['date']}: duty stack by origin", fontsize=10)
    ax.grid(axis="x", linewidth=0.3)
    if programs:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, fontsize=7, frameon=False)
    fig.text(0.01, 0.005, "exportctl · not legal advice", fontsize=6)
    fig.tight_layout()
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)
    return out
