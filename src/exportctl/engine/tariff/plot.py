"""Draw a tariff history: the total rate over time with its components stacked, each change labelled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a window: the CLI and the API run headless

import matplotlib.dates as mdates
import matplotlib.pyplot as plt

from exportctl.errors import InputError

_ORDER = (
    "mfn",
    "section_232_steel",
    "section_232_aluminum",
    "section_232_copper",
    "section_232_metals",
    "section_301",
    "ieepa_fentanyl",
    "ieepa_reciprocal",
    "section_122",
    "cn_retaliation_301",
    "cn_retaliation_fentanyl",
    "cn_retaliation_reciprocal",
)
_NAMES = {
    "mfn": "MFN (column 1)",
    "section_301": "Section 301",
    "ieepa_fentanyl": "IEEPA fentanyl",
    "ieepa_reciprocal": "IEEPA reciprocal",
    "section_122": "Section 122 surcharge",
    "section_232_steel": "Section 232 steel",
    "section_232_aluminum": "Section 232 aluminium",
    "section_232_copper": "Section 232 copper",
    "section_232_metals": "Section 232 metals (2026 annexes)",
    "cn_retaliation_301": "PRC vs Section 301",
    "cn_retaliation_fentanyl": "PRC vs fentanyl tariff",
    "cn_retaliation_reciprocal": "PRC vs reciprocal",
}


def _num(day: dt.date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def plot_history(history: dict[str, Any], path: str | Path) -> Path:
    """Write the chart of `history` (ops.tariff.history's result) to a .png or .svg file."""
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"plot file must end in .png or .svg, not {out.suffix or 'nothing'!r}", field="plot")
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

    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=110)
    ys = [[rate(p, k) for p in points] + [rate(points[-1], k)] for k in programs] if points else []
    if ys:
        ax.stackplot(dates, ys, labels=[_NAMES.get(k, k) for k in programs], step="post", alpha=0.85)
        totals = [p["total_ad_valorem_pct"] for p in points] + [points[-1]["total_ad_valorem_pct"]]
        ax.step(dates, totals, where="post", color="black", linewidth=1.4, label="total")
        top = max(totals) if totals else 0.0
        span = max((dates[-1] - dates[0]).days, 1)
        width_pt = ax.get_position().width * fig.get_figwidth() * 72
        last_pt = -1e9
        for i, p in enumerate(points):
            if i == 0 and not p["labels"]:
                continue
            # Changes days apart (Apr 5, 9, 10, 2025) would print on top of each other: each vertical
            # label takes at least 10 points, shifted right of the previous one when needed.
            at_pt = (p["date"] - dates[0]).days / span * width_pt
            shift = max(0.0, last_pt + 10 - at_pt)
            last_pt = at_pt + shift
            ax.axvline(p["date"], color="grey", linestyle=":", linewidth=0.8)
            text = f"{' + '.join(p['labels'][:2]) or 'change'} → {p['total_ad_valorem_pct']:g}%"
            ax.annotate(
                text,
                xy=(_num(p["date"]), 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2 + shift, -4),
                arrowprops={"arrowstyle": "-", "color": "grey", "linewidth": 0.5} if shift > 0 else None,
                textcoords="offset points",
                rotation=90,
                va="top",
                ha="left",
                fontsize=7,
            )
        ax.set_ylim(0, top * 1.6 + 1)
    ax.set_xlim(dates[0], dates[-1])
    ax.set_ylabel("duty, % ad valorem")
    ax.set_title(
        f"HTS {history['hts']} from {history['origin']} to {history['destination']}: duty stack "
        f"{history['from']} to {history['to']}",
        fontsize=10,
    )
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
    if ax.get_legend_handles_labels()[0]:  # a duty-free line has no layers: no legend, no warning
        ax.legend(loc="center left", fontsize=7, ncols=2)
    ax.grid(axis="y", linewidth=0.3)
    fig.text(
        0.01, 0.01, f"data {str(history['data_version'])[:12]} · exportctl · not legal advice", fontsize=6
    )
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out
