"""Draw a tariff history: the total rate over time with its components stacked, each change labelled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a window: the CLI and the API run headless

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from exportctl.errors import InputError

_ORDER = (
    "mfn",
    "section_232_steel",
    "section_232_aluminum",
    "section_232_metals",
    "section_232_copper",
    "section_232_vehicles",
    "section_232_vehicle_parts",
    "section_232_trucks",
    "section_232_lumber",
    "section_232_furniture",
    "section_232_semiconductors",
    "section_232_pharmaceuticals",
    "section_301",
    "section_301_forced_labor",
    "section_301_brazil",
    "section_301_ships",
    "ieepa_fentanyl",
    "ieepa_reciprocal",
    "section_122",
    "ieepa_brazil",
    "ieepa_russia_oil",
    "cn_retaliation_301",
    "cn_retaliation_fentanyl",
    "cn_retaliation_reciprocal",
)
_NAMES = {
    "mfn": "MFN (column 1)",
    "section_301": "Section 301",
    "section_301_forced_labor": "Section 301 (2026, 60 economies)",
    "section_301_brazil": "Section 301 Brazil",
    "section_301_ships": "Section 301 ships",
    "ieepa_fentanyl": "IEEPA fentanyl",
    "ieepa_reciprocal": "IEEPA reciprocal",
    "section_122": "Section 122 surcharge",
    "section_232_steel": "Section 232 steel",
    "section_232_aluminum": "Section 232 aluminium",
    "section_232_vehicles": "Section 232 vehicles",
    "section_232_vehicle_parts": "Section 232 vehicle parts",
    "ieepa_brazil": "IEEPA Brazil",
    "ieepa_russia_oil": "IEEPA Russian oil",
    "section_232_copper": "Section 232 copper",
    "section_232_metals": "Section 232 metals (2026 annexes)",
    "cn_retaliation_301": "PRC vs Section 301",
    "cn_retaliation_fentanyl": "PRC vs fentanyl tariff",
    "cn_retaliation_reciprocal": "PRC vs reciprocal",
}


LABEL_GID = "change-label"  # the gid of each change's label (tests measure their extents)
_GAP_PX = 2.0
# One colour per program, the same in every chart; programs not listed take the next free colours.
_PALETTE = [plt.get_cmap("tab10")(i) for i in range(10)] + [plt.get_cmap("tab20b")(i) for i in range(20)]


def _num(day: dt.date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _colour(program: str, taken: set[int]) -> Any:
    known = {"mfn": 0, "section_301": 1, "ieepa_fentanyl": 2, "ieepa_reciprocal": 3, "section_122": 4}
    index = known.get(program)
    if index is None or index in taken:
        free = [i for i in range(len(_PALETTE)) if i not in taken and i not in known.values()]
        index = free[0] if free else len(taken)
    taken.add(index)
    return _PALETTE[index % len(_PALETTE)]


def spread(anchors: list[float], widths: list[float], low: float, high: float, gap: float) -> list[float]:
    """Left edges for boxes of `widths` wanted at `anchors` (sorted), in [low, high], none overlapping:
    each box as near its anchor as the ones before and after it allow (greedy, then pushed back from the
    right edge). When they cannot all fit, the overflow is shared evenly."""
    pos: list[float] = []
    for i, x in enumerate(anchors):
        pos.append(max(x, low, pos[-1] + widths[i - 1] + gap if pos else low))
    limit = high
    for i in range(len(pos) - 1, -1, -1):
        pos[i] = min(pos[i], limit - widths[i])
        limit = pos[i] - gap
    if pos and pos[0] < low:  # more labels than room: equal steps from the left edge
        step = (high - low - widths[-1]) / max(len(pos) - 1, 1)
        pos = [low + i * step for i in range(len(pos))]
    return pos


def draw_history(history: dict[str, Any]) -> Figure:
    """The chart of `history` as a matplotlib Figure (the caller saves and closes it)."""
    points = history["series"]
    end = dt.date.fromisoformat(str(history["to"]))
    dates = [p["date"] for p in points] + [end]
    programs = sorted(
        {c["program"] for p in points for c in p["components"]}
        | ({"mfn"} if any(p.get("mfn_ad_valorem_pct") for p in points) else set()),
        key=lambda k: (_ORDER.index(k) if k in _ORDER else len(_ORDER), k),
    )

    def rate(p: dict[str, Any], program: str) -> float:
        if program == "mfn":
            return float(p.get("mfn_ad_valorem_pct") or 0.0)
        return float(
            sum(c.get("applied_pct", c["rate_pct"]) for c in p["components"] if c["program"] == program)
        )

    fig, ax = plt.subplots(figsize=(11, 6.5), dpi=110)
    ys = [[rate(p, k) for p in points] + [rate(points[-1], k)] for k in programs] if points else []
    labels: list[tuple[float, str]] = []
    if ys:
        taken: set[int] = set()
        colours = [_colour(k, taken) for k in programs]
        names = [_NAMES.get(k, k.replace("_", " ")) for k in programs]
        ax.stackplot(dates, ys, labels=names, colors=colours, step="post", alpha=0.85)
        totals = [p["total_ad_valorem_pct"] for p in points] + [points[-1]["total_ad_valorem_pct"]]
        ax.step(dates, totals, where="post", color="black", linewidth=1.4, label="total")
        ax.set_ylim(0, max(totals) * 1.75 + 1)
        for i, p in enumerate(points):
            if i == 0 and not p["labels"]:
                continue
            ax.axvline(p["date"], color="grey", linestyle=":", linewidth=0.8)
            acts = " + ".join(p["labels"][:2]) or "change"
            text = f"{acts}\n{p['date']:%Y-%m-%d} → {p['total_ad_valorem_pct']:g}%"
            labels.append((_num(p["date"]), text))
    ax.set_xlim(dates[0], dates[-1])
    ax.set_ylabel("duty, % ad valorem")
    ax.set_title(
        f"HTS {history['hts']} from {history['origin']} to {history['destination']}: duty stack "
        f"{history['from']} to {history['to']}",
        fontsize=10,
    )
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
    if ax.get_legend_handles_labels()[0]:  # a duty-free line has no layers: no legend, no warning
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), fontsize=7, ncols=5, frameon=False)
    ax.grid(axis="y", linewidth=0.3)
    fig.text(
        0.01, 0.01, f"data {str(history['data_version'])[:12]} · exportctl · not legal advice", fontsize=6
    )
    fig.tight_layout()
    _place(fig, ax, labels, top=max((p["total_ad_valorem_pct"] for p in points), default=0.0))
    return fig


def _label(ax: Axes, x: float, text: str, shift_pt: float = 0.0) -> Any:
    moved = abs(shift_pt) >= 0.5
    note = ax.annotate(
        text,
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(shift_pt, -14),  # the 14 points above the labels carry the leaders, crossing no text
        textcoords="offset points",
        rotation=90,
        va="top",
        ha="left",
        fontsize=7,
        gid=LABEL_GID,
        arrowprops={"arrowstyle": "-", "color": "grey", "linewidth": 0.5, "relpos": (0.5, 1.0)}
        if moved
        else None,
        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
    )
    note.set_in_layout(False)
    return note


def _place(fig: Figure, ax: Axes, labels: list[tuple[float, str]], top: float) -> None:
    """Draw the change labels apart: measured with the renderer, laid out left to right inside the axes,
    each joined to its date by a thin leader when it had to move; the y range leaves the labels a band
    above the highest total, so no label covers the stack."""
    if not labels:
        return
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = ax.get_window_extent(renderer)
    anchors = [float(ax.transData.transform((x, 0))[0]) for x, _ in labels]
    widths, heights = [], []
    for x, text in labels:
        probe = _label(ax, x, text)
        extent = Text.get_window_extent(probe, renderer)  # the text alone, not a leader
        widths.append(extent.width)
        heights.append(extent.height + 14 * fig.dpi / 72 + 8)
        probe.remove()
    band = max(heights) / box.height
    if band < 0.85:
        ax.set_ylim(0, max(top, 1.0) * 1.04 / (1 - band))
    order = sorted(range(len(labels)), key=lambda i: anchors[i])
    lefts = spread(
        [anchors[i] for i in order], [widths[i] for i in order], box.x0 + _GAP_PX, box.x1 - _GAP_PX, _GAP_PX
    )
    for i, left in zip(order, lefts, strict=True):
        _label(ax, labels[i][0], labels[i][1], (left - anchors[i]) * 72.0 / fig.dpi)


def plot_history(history: dict[str, Any], path: str | Path) -> Path:
    """Write the chart of `history` (ops.tariff.history's result) to a .png or .svg file."""
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"plot file must end in .png or .svg, not {out.suffix or 'nothing'!r}", field="plot")
    fig = draw_history(history)
    fig.savefig(out)
    plt.close(fig)
    return out
