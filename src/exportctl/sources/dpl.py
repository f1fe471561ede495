"""The BIS Denied Persons List in its official layout: dpl.txt, tab-delimited with quoted fields.

Header: Name, Street_Address, City, State, Country, Postal_Code, Effective_Date, Expiration_Date,
Standard_Order, Last_Update, Action, FR_Citation. One row per address, so a name can repeat. Dates are
MM/DD/YYYY (effective, expiration) and YYYY-MM-DD (last update). The table has the columns of
bis_lists.BIS_SCHEMA. US rows often leave Country blank: `countries` is then empty, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from exportctl.errors import DataError
from exportctl.sources._party import (
    attribution_for,
    clean,
    csv_header,
    csv_rows,
    date_from_mtime,
    date_from_name,
    read_text,
)
from exportctl.sources.base import SourceTable
from exportctl.sources.bis_lists import BisRows, iso_date

DPL_COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)


def parse_dpl_txt(path: Path | str, *, date: str | None = None) -> SourceTable:
    """Parse the official dpl.txt; the data date is the newest plausible Last_Update unless given."""
    path = Path(path)
    text = read_text(path, ("utf-8", "cp1252"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=True)
    header = csv_header(reader, path, DPL_COLUMNS, "a dpl.txt file")
    col = {h: i for i, h in enumerate(header)}
    rows = BisRows("DPL", "bis_dpl")
    updates: list[str] = []
    effective: list[str] = []
    for line, values in csv_rows(reader, path, len(header)):
        v = {name: (clean(values[i]) or None) for name, i in col.items()}
        if not v["Name"]:
            raise DataError("required field is missing or empty", file=str(path), line=line, field="Name")
        order = (v["Standard_Order"] or "").upper()
        if order not in ("", "Y", "N"):
            raise DataError(
                f"expected Y or N, got {order!r}", file=str(path), line=line, field="Standard_Order"
            )
        last = iso_date(v["Last_Update"], path, line, "Last_Update")
        if last:
            updates.append(last)
        eff = iso_date(v["Effective_Date"], path, line, "Effective_Date")
        if eff:
            effective.append(eff)
        address = ", ".join(
            p for p in (v["Street_Address"], v["City"], v["State"], v["Postal_Code"], v["Country"]) if p
        )
        rows.add(
            v["Country"],
            name=v["Name"],
            aliases=[],
            addresses=[address] if address else [],
            federal_register_notice=v["FR_Citation"],
            effective_date=eff,
            expiration_date=iso_date(v["Expiration_Date"], path, line, "Expiration_Date"),
            standard_order={"Y": True, "N": False}.get(order),
            last_update=last,
            action=v["Action"],
            src_file=path.name,
            src_line=line,
        )
    records = rows.finish(path)
    skip = rows.resolve.skip_reasons()
    # The official file has typos such as a Last_Update in 3017: a date more than a year after the newest
    # Effective_Date is kept in its row but not taken as the date of the file.
    limit = (
        (dt.date.fromisoformat(max(effective)) + dt.timedelta(days=366)).isoformat() if effective else "9999"
    )
    odd = [u for u in updates if u > limit]
    if odd:
        skip[
            "Last_Update later than every Effective_Date by over a year (typo?), not used as the file date"
        ] = len(odd)
    plausible = [u for u in updates if u <= limit]
    return SourceTable(
        name="bis_dpl",
        title="Denied Persons List",
        format="bis-dpl-txt",
        date=date or (max(plausible) if plausible else None) or date_from_name(path) or date_from_mtime(path),
        records=records,
        files=(path.name,),
        skip_reasons=skip,
        attribution=attribution_for(path),
    )
