"""`tariff compare`: the duty stacks of one HTS line from several origins on one date, side by side.

One regime and one columnar pass of the stack engine for all origins. The object is
`{"date", "hts", "origins": [{"origin", "total_ad_valorem_pct", "components": [...]}]}`, each component in
the shape of `exportctl tariff --format json` (`ops.tariff._component`). Errors are the lookup's: an
unknown country is an InputError naming `origins`, a date after a family's `researched_through` a
CoverageError naming the day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.engine.tariff.hts import digits, valid_shape
from exportctl.engine.tariff.stack import tariff
from exportctl.errors import InputError
from exportctl.model.countries import resolve_country
from exportctl.model.dates import parse_date
from exportctl.ops import tariff as one
from exportctl.ops.registry import DateArg, ScenarioArg, registry, scenario_of
from exportctl.ops.tariff_amounts import add_amounts
from exportctl.registry import compile_regime
from exportctl.store import active_dataset

MAX_ORIGINS = 60


def parse_origins(origins: str | list[str] | tuple[str, ...]) -> list[str]:
    """ISO codes of a comma-separated list (or a list) of countries, in order, without repeats."""
    items = origins.split(",") if isinstance(origins, str) else list(origins)
    names = [str(t).strip() for t in items if str(t).strip()]
    if not names:
        raise InputError("give at least one origin (--origins CN,VN,MX)", field="origins")
    if len(names) > MAX_ORIGINS:
        raise InputError(
            f"at most {MAX_ORIGINS} origins in one comparison, got {len(names)}", field="origins"
        )
    codes = [resolve_country(name, field="origins").code for name in names]
    return list(dict.fromkeys(codes))


def _line(hts: str, codes: list[str], destination: str, special_program: str | None) -> pl.DataFrame:
    n = len(codes)
    return pl.DataFrame(
        {
            "hts": [hts] * n,
            "origin": codes,
            "destination": [destination] * n,
            "special_program": [special_program] * n,
        },
        schema={"hts": pl.Utf8, "origin": pl.Utf8, "destination": pl.Utf8, "special_program": pl.Utf8},
    )


def _check_line(row: dict[str, Any], hts: str) -> None:
    if row["status"] == "unknown_hts":
        raise InputError(f"no such HTS code: {hts}", field="hts", suggestions=row["suggestions"] or [])
    if row["status"] == "ambiguous_hts":
        raise InputError(
            f"HTS code {hts} is ambiguous: the lines below it have different rates; give 8 or 10 digits",
            field="hts",
            suggestions=row["suggestions"] or [],
        )


def compare(
    hts: str,
    origins: str | list[str] | tuple[str, ...],
    date: DateArg,
    destination: str = "US",
    known_on: DateArg = None,
    scenario: ScenarioArg = None,
    special_program: str | None = None,
) -> dict[str, Any]:
    """The duty stacks of one HTS line from each origin on `date`, in the order the origins were given."""
    code = digits(hts)
    if not valid_shape(code):
        raise InputError(f"not an HTS code (4 to 10 digits): {hts!r}", field="hts")
    codes = parse_origins(origins)
    dest_code = resolve_country(destination, field="destination").code
    if date is None:
        raise InputError("give the entry date (--date YYYY-MM-DD)", field="date")
    day: dt.date = parse_date(date, "date")
    reg = registry()
    one._check_destination(reg, dest_code)
    one._check_date(reg, day, dest_code)
    regime = compile_regime(reg, day, known_on, scenario_of(scenario))
    dataset = active_dataset()
    rows = tariff(regime, dataset, _line(hts, codes, dest_code, special_program)).rows(named=True)
    _check_line(rows[0], hts)
    # each origin's answer is built as `exportctl tariff` builds it, so components keep its shape
    answers = [add_amounts(one._answer(r, day, regime.known_on, dataset.version), day, None) for r in rows]
    return {
        "date": day,
        "hts": hts,
        "origins": [
            {
                "origin": a["origin"],
                "total_ad_valorem_pct": a["total_ad_valorem_pct"],
                "components": a["components"],
            }
            for a in answers
        ],
    }


def chart(obj: dict[str, Any], path: str | Path) -> Path:
    """Draw the comparison as bars (one per origin, the layers stacked) to a .png or .svg file."""
    from exportctl.engine.tariff.plot_compare import plot_compare  # matplotlib: only when drawn

    return plot_compare(obj, path)
