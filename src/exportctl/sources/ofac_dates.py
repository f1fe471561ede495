"""When each SDN entry was designated, as far as dated snapshots of the SDN list bound it.

The OFAC legacy CSV files carry no designation date. Snapshots of the list taken on known days do: an
entry present in the snapshot of day S was designated on or before S; an entry absent from the snapshot of
day R (and present later) was designated after R. The table `ofac_sdn_dates` holds, per SDN entry
(`entity_id` = OFAC ent_num, as in the CSL), `seen_on` (the first snapshot day it is present) and
`absent_on` (the last snapshot day before that on which it was absent; null when present in the first).
Built at pack-build time from the shared snapshots; the runtime reads only the table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError
from exportctl.sources.base import SourceTable
from exportctl.sources.csl import parse_csl_compact
from exportctl.sources.ofac import parse_sdn

__all__ = ["NAME", "SDN_DATES_SCHEMA", "SNAPSHOTS", "parse_sdn_dates", "presence_bounds"]

NAME = "ofac_sdn_dates"
TITLE = "Designation-date bounds of SDN entries (from dated snapshots of the SDN list)"

SDN_DATES_SCHEMA: dict[str, Any] = {
    "entity_id": pl.String,
    "seen_on": pl.Date,
    "absent_on": pl.Date,
    "src_file": pl.String,
    "src_line": pl.Int64,
}

# (folder under the shared data folder, file or folder to parse, the day the snapshot describes, kind)
SNAPSHOTS: tuple[tuple[str, str, str], ...] = (
    ("ofac-sdn-2021-07", "2021-07-07", "sdn"),
    ("ofac-sdn-2024-05-03", "2024-05-03", "sdn"),
    ("csl-2026-07-31/screening-list.json", "2026-07-31", "csl"),
)


def presence_bounds(snapshots: list[tuple[dt.date, set[str], str]]) -> pl.DataFrame:
    """(entity_id, seen_on, absent_on, src_file, src_line) per id of the newest snapshot, from dated id sets.

    `absent_on` is the snapshot day just before the first one holding the id (null when the first does).
    """
    ordered = sorted(snapshots, key=lambda s: s[0])
    cols: dict[str, list[Any]] = {k: [] for k in SDN_DATES_SCHEMA}
    if ordered:
        for eid in sorted(ordered[-1][1]):
            first = next(i for i, snap in enumerate(ordered) if eid in snap[1])
            cols["entity_id"].append(eid)
            cols["seen_on"].append(ordered[first][0])
            cols["absent_on"].append(ordered[first - 1][0] if first > 0 else None)
            cols["src_file"].append(ordered[first][2])
            cols["src_line"].append(None)
    return pl.DataFrame(cols, schema=SDN_DATES_SCHEMA)


def _ids(root: Path, rel: str, day: str, kind: str) -> set[str]:
    path = root / rel
    if kind == "sdn":
        t = parse_sdn(path, date=day)
        return set(t.records["entity_id"].drop_nulls().to_list())
    t = parse_csl_compact(path)
    sdn = t.records.filter(pl.col("list") == "SDN")
    return set(sdn["entity_id"].drop_nulls().to_list())


def parse_sdn_dates(root: Path | str) -> SourceTable:
    """Bounds of the designation date of every SDN entry, from the snapshots under the shared data folder."""
    root = Path(root)
    snaps = []
    attributions = []
    for rel, day, kind in SNAPSHOTS:
        if not (root / rel).exists():
            raise DataError("snapshot missing", file=str(root / rel))
        snaps.append((dt.date.fromisoformat(day), _ids(root, rel, day, kind), rel))
        folder = (root / rel).parent if (root / rel).is_file() else root / rel
        src = folder / "SOURCE.txt"
        text = src.read_text(encoding="utf-8").strip() if src.is_file() else rel
        attributions.append(f"[{day}] {text}")
    records = presence_bounds(snaps)
    return SourceTable(
        name=NAME,
        title=TITLE,
        format="derived: presence in dated SDN snapshots",
        date=max(day for _, day, _ in SNAPSHOTS),
        records=records,
        files=tuple(rel for rel, _, _ in SNAPSHOTS),
        attribution="\n".join(attributions),
    )
