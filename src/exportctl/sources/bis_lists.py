"""BIS party lists in the derived JSON of bis-lists-2026-07: Entity List, MEU List, Denied Persons List.

Layout: {"list_id", "source_file", "extracted", "count", "entities": [{name, aliases, country, address,
status, effective_date, federal_register, notes}]}. For the Entity List `notes` holds the License
Requirement; this source does not keep the License Review Policy (use the CSL's Entity List rows for it),
so `license_policy` is null here. All three tables share BIS_SCHEMA, as does dpl.parse_dpl_txt.

`entity_id` is "<EL|MEU|DPL>-<16 hex of sha256(table name, name)>", with "-2", "-3" ... for repeats in file
order (BIS lists one row per address): the sources carry no identifier.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError
from exportctl.sources._party import (
    LIST_STR,
    CountryResolver,
    Fields,
    attribution_for,
    frame,
    load_json,
    require_rows,
    stable_id,
    unique_ids,
)
from exportctl.sources.base import SourceTable

BIS_SCHEMA: dict[str, Any] = {
    "list": pl.String,
    "entity_id": pl.String,
    "name": pl.String,
    "aliases": LIST_STR,
    "addresses": LIST_STR,
    "countries": LIST_STR,
    "country_name": pl.String,
    "license_requirement": pl.String,
    "license_policy": pl.String,
    "federal_register_notice": pl.String,
    "effective_date": pl.String,
    "expiration_date": pl.String,
    "standard_order": pl.Boolean,
    "last_update": pl.String,
    "action": pl.String,
    "status": pl.String,
    "notes": pl.String,
    "src_file": pl.String,
    "src_line": pl.Int64,
}

_EXPIRES = re.compile(r"Expires:\s*(\d{4}-\d{2}-\d{2})")
_DENIAL = re.compile(r"Type of denial:\s*(Standard|Non-?standard)", re.IGNORECASE)


def iso_date(value: str | None, path: Path, line: int, field: str) -> str | None:
    """Check an ISO date (or US MM/DD/YYYY, as in dpl.txt) and return it as YYYY-MM-DD."""
    if not value:
        return None
    text = value.strip()
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            month, day, year = (int(x) for x in text.split("/"))
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise DataError(f"not a date: {value!r}", file=str(path), line=line, field=field) from None


class BisRows:
    """Column-wise accumulator for BIS_SCHEMA tables."""

    def __init__(self, code: str, table: str) -> None:
        self.code = code
        self.table = table
        self.cols: dict[str, list[Any]] = {k: [] for k in BIS_SCHEMA}
        self.resolve = CountryResolver()

    def add(self, country_name: str | None, **values: Any) -> None:
        """Add one row; the country name is resolved to ISO-2 (unresolved names are counted)."""
        values["list"] = self.code
        values["country_name"] = country_name
        values["countries"] = self.resolve([country_name]) if country_name else []
        for key, col in self.cols.items():
            col.append(values.get(key))

    def finish(self, path: Path) -> pl.DataFrame:
        """The table, with stable ids made unique within the list."""
        require_rows(len(self.cols["name"]), path, "entries")
        ids = [f"{self.code}-{stable_id(self.table, n)}" for n in self.cols["name"]]
        self.cols["entity_id"] = unique_ids(ids, [self.code] * len(ids))
        return frame(self.cols, BIS_SCHEMA)


def _split_addresses(text: str | None) -> list[str]:
    """BIS joins several addresses of one party with "; and "."""
    if not text:
        return []
    return [p.strip() for p in re.split(r";\s+and\s+", text) if p.strip()]


def _parse(path: Path | str, code: str, name: str, title: str, list_id: str) -> SourceTable:
    path = Path(path)
    doc = load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("entities"), list):
        raise DataError(
            "not a BIS list file: expected an object with 'entities'", file=str(path), field="entities"
        )
    found = doc.get("list_id")
    if found is not None and found != list_id:
        raise DataError(f"list_id is {found!r}, expected {list_id!r}", file=str(path), field="list_id")
    extracted = doc.get("extracted")
    date = iso_date(extracted, path, 1, "extracted") if isinstance(extracted, str) else None
    if date is None:  # absent, not a string, or empty
        raise DataError("missing extraction date", file=str(path), field="extracted")
    rows = BisRows(code, name)
    for i, raw in enumerate(doc["entities"], start=1):
        rec = Fields(raw, path, i, "entity")
        notes = rec.text("notes")
        expires = _EXPIRES.search(notes or "")
        denial = _DENIAL.search(notes or "")
        rows.add(
            rec.text("country"),
            name=rec.text("name", required=True),
            aliases=rec.texts("aliases"),
            addresses=_split_addresses(rec.text("address")),
            license_requirement=notes if code == "EL" else None,
            federal_register_notice=rec.text("federal_register"),
            effective_date=iso_date(rec.text("effective_date"), path, i, "effective_date"),
            expiration_date=expires.group(1) if expires else None,
            standard_order=(denial.group(1).lower() == "standard") if denial else None,
            status=rec.text("status"),
            notes=notes,
            src_file=path.name,
            src_line=i,
        )
    records = rows.finish(path)
    count = doc.get("count")
    if isinstance(count, int) and not isinstance(count, bool) and count != records.height:
        raise DataError(
            f"file declares {count} entities but holds {records.height} (truncated?)",
            file=str(path),
            field="count",
        )
    return SourceTable(
        name=name,
        title=title,
        format="bis-derived-json",
        date=date,
        records=records,
        files=(path.name,),
        skip_reasons=rows.resolve.skip_reasons(),
        attribution=attribution_for(path),
    )


def parse_entity_list(path: Path | str) -> SourceTable:
    """Parse the derived Entity List JSON (Supplement No. 4 to Part 744)."""
    return _parse(path, "EL", "bis_entity_list", "Entity List", "bis-entity-list")


def parse_meu(path: Path | str) -> SourceTable:
    """Parse the derived Military End-User List JSON (Supplement No. 7 to Part 744)."""
    return _parse(path, "MEU", "bis_meu", "Military End-User List", "bis-meu")


def parse_bis_dpl_json(path: Path | str) -> SourceTable:
    """Parse the derived Denied Persons List JSON."""
    return _parse(path, "DPL", "bis_dpl", "Denied Persons List", "bis-dpl")
