"""The Consolidated Screening List (trade.gov) in its three layouts, all parsed to one `csl` table.

Layouts: the compact derived JSON of the full list (csl-2026-07-31/screening-list.json), the official CSV
(2025 layout with `_id` first, 2019 layout without), and the official JSON bulk file (consolidated.json,
records under `results`). Every layout yields the same columns (see CSL_SCHEMA and docs/tables.md).

`entity_id` is the source's entity_number; failing that the CSV/JSON `_id`/`id`; failing that
"<LIST>-<16 hex digits of sha256(list name, name)>", with "-2", "-3" ... appended to repeats within one
list in file order (the Denied Persons List repeats a name once per address). Ids are unique per list.
"""

from __future__ import annotations

import csv
import io
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
    clean,
    csv_header,
    csv_rows,
    frame,
    load_json,
    read_text,
    require_rows,
    resolve_iso2,
    split_list,
    stable_id,
    unique_ids,
)
from exportctl.sources.base import SourceTable
from exportctl.sources.evidence import csl_dates_of_birth, csl_ids

NAME = "csl"
TITLE = "Consolidated Screening List"

CSL_SCHEMA: dict[str, Any] = {
    "list": pl.String,
    "list_name": pl.String,
    "entity_id": pl.String,
    "name": pl.String,
    "aliases": LIST_STR,
    "type": pl.String,
    "countries": LIST_STR,
    "addresses": LIST_STR,
    "license_requirement": pl.String,
    "license_policy": pl.String,
    "federal_register_notice": pl.String,
    "programs": LIST_STR,
    "source_url": pl.String,
    "dates_of_birth": LIST_STR,
    "nationalities": LIST_STR,
    "ids": LIST_STR,
    "src_file": pl.String,
    "src_line": pl.Int64,
}

# Lists whose source name carries no "(CODE)" part, seen in older CSL files.
_KNOWN_CODES = {
    "foreign sanctions evaders": "FSE",
    "part 561 list": "561",
    "non-sdn iranian sanctions act list": "NS-ISA",
    "non-sdn palestinian legislative council list": "PLC",
    "menu-based sanctions list": "MBS",
}
_CODE_RE = re.compile(r"\(([A-Za-z0-9][A-Za-z0-9 .\-]*?)(?: List)?\)")
_DATE_IN_NAME = re.compile(r"(19|20)\d\d-[01]\d(-[0-3]\d)?")
_ISO_DATE = re.compile(r"^(19|20)\d\d-[01]\d-[0-3]\d")


def list_code(list_name: str) -> str:
    """The short code of a CSL source name: "Entity List (EL) - Bureau ..." -> "EL"."""
    m = _CODE_RE.search(list_name)
    if m:
        return m.group(1).strip().upper().replace(" ", "-")
    head = list_name.split(" - ")[0].strip().lower()
    if head in _KNOWN_CODES:
        return _KNOWN_CODES[head]
    letters = "".join(w[0] for w in re.findall(r"[A-Za-z][A-Za-z]*", head) if w not in {"of", "and", "the"})
    return letters.upper() or "UNKNOWN"


_EVIDENCE = ("dates_of_birth", "nationalities", "ids")  # empty lists where a layout has none


class _Rows:
    """Column-wise accumulator for the csl table."""

    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {k: [] for k in CSL_SCHEMA}

    def add(self, **values: Any) -> None:
        for key, col in self.cols.items():
            col.append(values.get(key, [] if key in _EVIDENCE else None))

    def finish(self, path: Path) -> pl.DataFrame:
        require_rows(len(self.cols["name"]), path, "screening list entries")
        ids: list[str] = []
        for lst, lname, eid, name in zip(
            self.cols["list"], self.cols["list_name"], self.cols["entity_id"], self.cols["name"], strict=True
        ):
            ids.append(eid or f"{lst}-{stable_id(lname, name)}")
        self.cols["entity_id"] = unique_ids(ids, self.cols["list"])
        return frame(self.cols, CSL_SCHEMA)


def _table(records: pl.DataFrame, path: Path, fmt: str, date: str, countries: CountryResolver) -> SourceTable:
    reasons = countries.skip_reasons()
    return SourceTable(
        name=NAME,
        title=TITLE,
        format=fmt,
        date=date,
        records=records,
        files=(path.name,),
        skip_reasons=reasons,
        attribution=attribution_for(path),
    )


def _date_from(path: Path, candidates: list[str | None], given: str | None) -> str:
    """The data date: given, else a date in the file's folder or name, else the newest start date."""
    if given:
        return given
    for part in (path.name, path.parent.name):
        m = _DATE_IN_NAME.search(part)
        if m:
            text = m.group(0)
            return text if len(text) == 10 else text + "-01"
    dates = [c[:10] for c in candidates if c and _ISO_DATE.match(c)]
    if dates:
        return max(dates)
    raise DataError("cannot tell the data date of this file: pass date=", file=str(path))


def parse_csl_compact(path: Path | str) -> SourceTable:
    """Parse the compact derived JSON of the full CSL (keys n, a, s, t, c, e, lr, lp, pg, fr, u)."""
    path = Path(path)
    doc = load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise DataError(
            "not a compact CSL file: expected an object with 'entries'", file=str(path), field="entries"
        )
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise DataError("missing 'tables' lookup object", file=str(path), field="tables")
    lookups: dict[str, list[str]] = {}
    for key in ("sources", "licenceRequirements", "licencePolicies", "programmes", "urls"):
        values = tables.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DataError(f"tables.{key} must be a list of text", file=str(path), field=f"tables.{key}")
        lookups[key] = values
    generated = doc.get("sourceGeneratedAt")
    date = generated[:10] if isinstance(generated, str) and _ISO_DATE.match(generated) else None
    rows = _Rows()
    resolve = CountryResolver()
    for i, raw in enumerate(doc["entries"], start=1):
        rec = Fields(raw, path, i, "entry")
        list_name = rec.index("s", lookups["sources"], "sources", field="source")
        if not list_name:
            raise rec.error("source", "required field is missing")
        rows.add(
            list=list_code(list_name),
            list_name=list_name,
            entity_id=rec.text("e", field="entity_number"),
            name=rec.text("n", required=True, field="name"),
            aliases=rec.texts("a", field="alt_names"),
            type=rec.text("t", field="type"),
            countries=resolve(rec.texts("c", field="countries")),
            addresses=[],
            license_requirement=rec.index("lr", lookups["licenceRequirements"], "licenceRequirements"),
            license_policy=rec.index("lp", lookups["licencePolicies"], "licencePolicies"),
            federal_register_notice=rec.text("fr", field="federal_register_notice"),
            programs=split_list(rec.index("pg", lookups["programmes"], "programmes", field="programs")),
            source_url=rec.index("u", lookups["urls"], "urls", field="source_list_url"),
            src_file=path.name,
            src_line=i,
        )
    records = rows.finish(path)
    declared = doc.get("entryCount")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared != records.height:
        raise DataError(
            f"file declares {declared} entries but holds {records.height} (truncated?)",
            file=str(path),
            field="entryCount",
        )
    if date is None:
        date = _date_from(path, [], None)
    return _table(records, path, "csl-compact-json", date, resolve)


def _parts(value: str | None) -> list[str]:
    """Split a "; "-joined CSL field, dropping the "and " that joins the last item ("A; B; and C")."""
    out = []
    for part in split_list(value):
        if part[:4].lower() == "and " and len(part) > 4:
            part = part[4:].lstrip()
        out.append(part)
    return out


def _address_country(address: str) -> str:
    """The country that the CSL puts last in each address ("..., Xian, China, CN"); '' for a postcode."""
    tail = address.rsplit(",", 1)[-1].strip()
    # Old US addresses end in the ZIP code and name no country: that is no unresolved country.
    return "" if any(ch.isdigit() for ch in tail) else tail


# Columns every CSL CSV must have (both layouts); the rest are optional.
CSV_REQUIRED = ("source", "name")


def parse_csl_csv(path: Path | str, *, date: str | None = None) -> SourceTable:
    """Parse the official CSL CSV (2025 layout with `_id` first, or the 2019 layout); layout by header."""
    path = Path(path)
    text = read_text(path, ("utf-8", "cp1252"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = csv_header(reader, path, CSV_REQUIRED, "a CSL CSV")
    layout = "csl-csv-2025" if header[0] == "_id" else "csl-csv-2019"
    col = {h: i for i, h in enumerate(header)}
    rows = _Rows()
    resolve = CountryResolver()
    start_dates: list[str | None] = []
    line = 1
    for line, values in csv_rows(reader, path, len(header)):

        def get(name: str, values: list[str] = values) -> str | None:
            i = col.get(name)
            return (clean(values[i]) or None) if i is not None else None

        list_name = get("source")
        name = get("name")
        if not list_name:
            raise DataError("required field is missing or empty", file=str(path), line=line, field="source")
        if not name:
            raise DataError("required field is missing or empty", file=str(path), line=line, field="name")
        addresses = _parts(get("addresses"))
        start_dates.append(get("start_date"))
        rows.add(
            list=list_code(list_name),
            list_name=list_name,
            entity_id=get("entity_number") or get("_id"),
            name=name,
            aliases=_parts(get("alt_names")),
            type=get("type"),
            countries=resolve(c for c in (_address_country(a) for a in addresses) if c),
            addresses=addresses,
            license_requirement=get("license_requirement"),
            license_policy=get("license_policy"),
            federal_register_notice=get("federal_register_notice"),
            programs=split_list(get("programs")),
            source_url=get("source_list_url"),
            dates_of_birth=csl_dates_of_birth(get("dates_of_birth")),
            nationalities=evidence_countries([*_parts(get("nationalities")), *_parts(get("citizenships"))]),
            ids=csl_ids(get("ids")),
            src_file=path.name,
            src_line=line,
        )
    records = rows.finish(path)
    return _table(records, path, layout, _date_from(path, start_dates, date), resolve)


def _json_address(value: object, rec: Fields) -> tuple[str | None, str | None]:
    """One address object of the bulk JSON -> (one-line address, country as given)."""
    if isinstance(value, str):
        text = clean(value)
        return (text or None), (_address_country(text) or None)
    part = Fields(value, rec.path, rec.line, "address of record")
    pieces = [part.text(k, field=f"addresses.{k}") for k in ("address", "city", "state", "postal_code")]
    country = part.text("country", field="addresses.country")
    text = ", ".join(p for p in [*pieces, country] if p)
    return (text or None), country


def evidence_countries(values: list[str]) -> list[str]:
    """ISO-2 codes of nationality or citizenship values (unresolved ones are left out, not counted)."""
    out: list[str] = []
    for v in values:
        for part in split_list(v):
            code = resolve_iso2(part)
            if code and code not in out:
                out.append(code)
    return out


def _json_ids(rec: Fields) -> list[str]:
    """The bulk JSON's ids: objects {type, number, country} (or text in the CSV's shape)."""
    raw = rec.obj.get("ids") or []
    if not isinstance(raw, list):
        return csl_ids(raw) if isinstance(raw, str) else []
    out: list[str] = []
    for item in raw:
        if isinstance(item, str):
            found = csl_ids(item)
        elif isinstance(item, dict):
            parts = [str(item.get(k) or "") for k in ("type", "number", "country")]
            found = csl_ids(", ".join(p.replace(",", " ") for p in parts if p))
        else:
            found = []
        out.extend(f for f in found if f not in out)
    return out


def parse_csl_json(path: Path | str, *, date: str | None = None) -> SourceTable:
    """Parse the official CSL bulk JSON (consolidated.json: records under `results`)."""
    path = Path(path)
    doc = load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
        raise DataError(
            "not a CSL bulk JSON file: expected an object with 'results'", file=str(path), field="results"
        )
    rows = _Rows()
    resolve = CountryResolver()
    start_dates: list[str | None] = []
    for i, raw in enumerate(doc["results"], start=1):
        rec = Fields(raw, path, i, "result")
        list_name = rec.text("source", required=True)
        assert list_name is not None
        addr_raw = rec.obj.get("addresses") or []
        if not isinstance(addr_raw, list):
            raise rec.error("addresses", f"expected a list, got {type(addr_raw).__name__}")
        addresses: list[str] = []
        countries: list[str] = []
        for a in addr_raw:
            text, country = _json_address(a, rec)
            if text:
                addresses.append(text)
            if country:
                countries.append(country)
        top_country = rec.text("country")  # older bulk files put one country beside the addresses
        if top_country and not countries:
            countries.append(top_country)
        start_dates.append(rec.text("start_date"))
        rows.add(
            list=list_code(list_name),
            list_name=list_name,
            entity_id=rec.text("entity_number") or rec.text("id") or rec.text("_id"),
            name=rec.text("name", required=True),
            aliases=[a for x in rec.texts("alt_names") for a in _parts(x)],
            type=rec.text("type"),
            countries=resolve(countries),
            addresses=addresses,
            license_requirement=rec.text("license_requirement"),
            license_policy=rec.text("license_policy"),
            federal_register_notice=rec.text("federal_register_notice"),
            programs=rec.texts("programs", split=";"),
            source_url=rec.text("source_list_url"),
            dates_of_birth=[d for x in rec.texts("dates_of_birth") for d in csl_dates_of_birth(x)],
            nationalities=evidence_countries([*rec.texts("nationalities"), *rec.texts("citizenships")]),
            ids=_json_ids(rec),
            src_file=path.name,
            src_line=i,
        )
    records = rows.finish(path)
    used = doc.get("sources_used")
    updated = [
        u["source_last_updated"][:10]
        for u in (used if isinstance(used, list) else [])
        if isinstance(u, dict)
        and isinstance(u.get("source_last_updated"), str)
        and _ISO_DATE.match(u["source_last_updated"])
    ]
    if date is None and updated:
        date = max(updated)  # the newest list update is the date of the bulk file
    return _table(records, path, "csl-bulk-json", _date_from(path, start_dates, date), resolve)
