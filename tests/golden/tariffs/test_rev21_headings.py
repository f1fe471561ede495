"""The registry follows the 2026 chapter 99 (issue 14, item 5): every heading of the HTSUS 2026 Revision 21
table (hts_2026_rev21/, re-typed from the USITC text of Oct 7, 2026) that carries a rate is in the bundled
registry with the same rate (or all-in floor), origins and start; a heading of the table the registry does not
model is one of the relief headings named here, each with the gap that says why."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from exportctl.ops.registry import bundled_registry

TABLE = Path(__file__).parent / "hts_2026_rev21" / "ch99_key_measures_2026_rev21.csv"
ROWS = list(csv.DictReader(TABLE.read_text(encoding="utf-8").splitlines()))

# Rev. 21 headings not modelled as layers: relief whose product or country lists are not in the data (the
# gaps of the section-301 family and of the two 2026 Section 301 records, and of the pharmaceuticals record)
NOT_MODELLED = {
    "9903.04.66": "specialty pharmaceuticals of 20 jurisdictions (91 FR 60360): the list is not in the data",
    "9903.04.67": "generics and biosimilars: no Section 232 duty, nothing to add",
    "9903.05.03": "Brazil relief (note 50): product list not in the data",
    "9903.05.04": "Brazil relief (note 50): product list not in the data",
    "9903.05.06": "Brazil relief (note 50): product list not in the data",
    "9903.05.07": "Brazil relief for Section 232 goods (note 50(a)(vi)): an advisory, list not read",
    "9903.05.08": "Brazil relief (note 50): product list not in the data",
    "9903.05.09": "Brazil relief (note 50): product list not in the data",
    "9903.05.86": "listed subheadings, all economies (note 52(b))",
    "9903.05.89": "pharmaceutical applications (note 52(e))",
    **{f"9903.05.{n}": "country relief list (note 52(j))" for n in (96, 97, 98, 99)},
    **{f"9903.06.{n:02d}": "country relief list (note 52(j))" for n in (2, 4, 7, 10, 12, 14, 16, 18, 20)},
}


def _effects() -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for m in bundled_registry().measures.values():
        if m.jurisdiction != "US-TARIFF":
            continue
        for e in m.effects:
            # a relief heading shown only as an advisory (its list not read) is no layer
            if getattr(e, "heading", None) and not e.advisory_with_programs:
                out.setdefault(str(e.heading), []).append(e)
    return out


EFFECTS = _effects()


def _countries(row: dict[str, str]) -> set[str] | None:
    text = row["countries"].strip()
    return None if not text or text.startswith("(") else set(text.split())


RATED = [r for r in ROWS if r["rate_pct"] and r["ch99_code"] not in NOT_MODELLED]


@pytest.mark.parametrize("row", RATED, ids=lambda r: r["ch99_code"])
def test_rated_heading_follows_rev21(row: dict[str, str]) -> None:
    found = EFFECTS.get(row["ch99_code"])
    assert found, f"{row['ch99_code']} ({row['program']}) is not in the registry"
    start = dt.date.fromisoformat(row["effective_from"])
    same_day = [e for e in found if e.effective == start]
    assert same_day, f"{row['ch99_code']}: no effect from {start}; registry {[e.effective for e in found]}"
    rate = float(row["rate_pct"])
    assert any(rate in (e.rate_pct, e.floor_pct) for e in same_day), (row["ch99_code"], rate)
    if row["rate_kind"] == "floor":  # an all-in total: a floor, or an advisory total (pharmaceuticals)
        assert all(e.floor_pct is not None or e.scope.products for e in same_day), row["ch99_code"]
    want = _countries(row)
    if want is not None:
        assert any({o.upper() for o in e.scope.origins} == want for e in same_day), row["ch99_code"]


def test_rev21_end_dates_follow() -> None:
    ended = [r for r in ROWS if r["effective_to"]]
    assert ended
    for row in ended:
        ends = {e.end for e in EFFECTS.get(row["ch99_code"], [])}
        assert dt.date.fromisoformat(row["effective_to"]) in ends, (row["ch99_code"], ends)


def test_headings_not_modelled_are_the_named_relief() -> None:
    missing = {r["ch99_code"] for r in ROWS} - set(EFFECTS)
    assert missing == set(NOT_MODELLED)
    assert all(r["rate_kind"] == "relief" or r["rate_pct"] == "0" for r in ROWS if r["ch99_code"] in missing)
