"""The EAR tables from the derived JSON of the eCFR: CCL, Country Chart, Country Groups, exceptions.

Files: ear-2026-07-23/{ccl,country-chart,country-groups,license-exception-catalog}.json, generated from
the eCFR versioner XML of 15 CFR parts 774, 738 and 740. Strict: a missing key, a wrong type, an ECCN
that is not `\\d[A-E]\\d{3}`, an unknown chart column or country is a DataError naming file, record and
field. Column layouts: docs/tables.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError, InputError
from exportctl.model.countries import resolve_country
from exportctl.model.dates import parse_date
from exportctl.sources._strict import Record, attribution, load_json
from exportctl.sources.base import SourceTable
from exportctl.sources.ccl_text import (
    CHART_COLUMNS,
    exception_status,
    parse_control,
    parse_lvs,
    parse_reasons,
)
from exportctl.sources.ecfr_schema import (
    CCL_SCHEMA,
    CHART_SCHEMA,
    EXCEPTIONS_SCHEMA,
    GROUPS_SCHEMA,
)

__all__ = [
    "CHART_SCHEMA",
    "parse_ccl",
    "parse_country_chart",
    "parse_country_groups",
    "parse_license_exceptions",
]

FORMAT = "ecfr-derived-json"
_DEFAULT_ATTRIBUTION = (
    "eCFR, 15 CFR (US Government work); derived JSON by seelpeed-debug/export-controls-agent-mcp, "
    "MIT License (c) 2026 seelpeed-debug"
)
_ECCN = re.compile(r"\d[A-E]\d{3}")
_GROUP = re.compile(r"[ABDE](?::\d)?")


def _document(path: Path) -> tuple[Record, str]:
    doc = Record(load_json(path), path.name, None, "")
    issued = doc.req_text("ecfrIssueDate", max_len=40)
    try:
        date = parse_date(issued, field="ecfrIssueDate").isoformat()
    except InputError as err:
        raise doc.error(err.message, "ecfrIssueDate") from None
    return doc, date


def _table(
    name: str, title: str, path: Path, date: str, rows: list[dict[str, Any]], schema: dict[str, Any]
) -> SourceTable:
    if not rows:
        raise DataError("no records", file=path.name)
    return SourceTable(
        name=name,
        title=title,
        format=FORMAT,
        date=date,
        records=pl.DataFrame(rows, schema=schema),
        files=(path.name,),
        attribution=attribution(path) or _DEFAULT_ATTRIBUTION,
    )


def _country(name: str, rec: Record, field: str) -> str:
    try:
        return resolve_country(name, field=field).code
    except InputError as err:
        raise DataError(
            err.message, file=rec.file, line=rec.line, field=field, suggestions=err.suggestions
        ) from None


def parse_ccl(path: Path) -> SourceTable:
    """The Commerce Control List (Supp. No. 1 to Part 774): one row per ECCN."""
    path = Path(path)
    doc, date = _document(path)
    entries = doc.get("entries", list)
    assert entries is not None
    count = doc.get("entryCount", int, required=False)
    if count is not None and count != len(entries):
        raise doc.error(f"entryCount is {count} but there are {len(entries)} entries", "entryCount")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries, start=1):
        rec = Record(raw, path.name, index, f"entries[{index - 1}]")
        rows.append(_ccl_row(rec, seen))
    return _table("ccl", "Commerce Control List", path, date, rows, CCL_SCHEMA)


def _ccl_row(rec: Record, seen: set[str]) -> dict[str, Any]:
    eccn = rec.req_text("eccn", max_len=10)
    if not _ECCN.fullmatch(eccn):
        raise rec.error(f"not an ECCN: {eccn[:20]!r}", "eccn")
    if eccn in seen:
        raise rec.error(f"duplicate ECCN {eccn}", "eccn")
    seen.add(eccn)
    category = rec.req_text("category", max_len=2)
    group = rec.req_text("productGroup", max_len=2)
    if (category, group) != (eccn[0], eccn[1]):
        raise rec.error(f"category/productGroup {category}/{group} disagree with {eccn}", "category")
    reasons_text = rec.text("reasonForControl", nullable=True)
    controls: list[dict[str, Any]] = []
    chart = rec.get("countryChart", list)
    assert chart is not None
    for i, raw_row in enumerate(chart):
        row = Record(raw_row, rec.file, rec.line, f"{rec.field}.countryChart[{i}]")
        applies_to = " ".join(row.req_text("control").split())
        chart_text = " ".join(row.req_text("countryChart").split())
        try:
            controls.extend(parse_control(eccn, applies_to, chart_text))
        except ValueError as err:
            raise row.error(str(err), "countryChart") from None
    flags = rec.child("licenceExceptionFlags")
    assert flags is not None
    exceptions = []
    for symbol in flags.value:
        text = flags.req_text(symbol)
        if not re.fullmatch(r"[A-Z]{3}", symbol):
            raise flags.error(f"not a licence-exception symbol: {symbol[:20]!r}", symbol)
        exceptions.append({"symbol": symbol, "status": exception_status(text), "text": text})
    lvs_text = flags.text("LVS", required=False)
    lvs_usd, lvs_conditional = parse_lvs(lvs_text)
    gbs_text = flags.text("GBS", required=False)
    paragraphs: set[str] = set()
    items = rec.get("items", list, required=False) or []
    for i, raw_item in enumerate(items):
        item = Record(raw_item, rec.file, rec.line, f"{rec.field}.items[{i}]")
        para = item.text("paragraph", nullable=True, max_len=40)
        item.text("text")
        if para is not None and item.req_text("kind", max_len=10) == "item":
            paragraphs.add(para)
    return {
        "eccn": eccn,
        "category": category,
        "product_group": group,
        "heading": rec.req_text("heading"),
        "reasons_text": reasons_text,
        "reasons": parse_reasons(reasons_text),
        "controls": controls,
        "lvs_text": lvs_text,
        "lvs_usd": lvs_usd,
        "lvs_conditional": lvs_conditional,
        "gbs": None if gbs_text is None else exception_status(gbs_text),
        "exceptions": exceptions,
        "sta_conditions": rec.text("staSpecialConditions", nullable=True),
        "related_controls": rec.text("relatedControls", nullable=True),
        "deep": "items" in rec.value,
        "paragraphs": sorted(paragraphs),
        "src_file": rec.file,
        "src_line": rec.line,
    }


def _footnotes(rec: Record, notes: dict[int, str]) -> list[int]:
    raw = rec.get("footnotes", list)
    assert raw is not None
    out = []
    for i, value in enumerate(raw):
        if not isinstance(value, int) or isinstance(value, bool) or value not in notes:
            raise rec.error(f"not a footnote number of this chart: {str(value)[:20]!r}", f"footnotes[{i}]")
        out.append(value)
    return out


def parse_country_chart(path: Path) -> SourceTable:
    """The Commerce Country Chart (Supp. No. 1 to Part 738), long form: destination x column."""
    path = Path(path)
    doc, date = _document(path)
    columns = doc.str_list("columns", max_len=10)
    normalised = [c.replace(" ", "") for c in columns]
    if sorted(normalised) != sorted(CHART_COLUMNS):
        raise doc.error(f"chart columns {columns} are not the 16 known columns", "columns")
    notes_rec = doc.child("footnotes")
    assert notes_rec is not None
    notes: dict[int, str] = {}
    for key in notes_rec.value:
        if not key.isdigit():
            raise notes_rec.error("footnote keys are numbers", key)
        notes[int(key)] = notes_rec.req_text(key)
    graded = doc.child("countries")
    embargoed = doc.child("embargoed")
    assert graded is not None and embargoed is not None
    count = doc.get("countryCount", int, required=False)
    if count is not None and count != len(graded.value):
        raise doc.error(
            f"countryCount is {count} but there are {len(graded.value)} countries", "countryCount"
        )
    rows: list[dict[str, Any]] = []
    line = 0
    codes: dict[str, list[dict[str, Any]]] = {}
    for name in graded.value:
        line += 1
        rec = Record(graded.value[name], path.name, line, f"countries[{name[:60]!r}]")
        code = _country(name, rec, rec.field)
        marks = [m.replace(" ", "") for m in rec.str_list("marks", max_len=10)]
        unknown = [m for m in marks if m not in CHART_COLUMNS]
        if unknown:
            raise rec.error(f"unknown chart column {unknown[0]!r}", "marks")
        foot = _footnotes(rec, notes)
        own = [
            _chart_row(code, name, col, col in marks, foot, notes, None, None, None, rec)
            for col in CHART_COLUMNS
        ]
        codes[code] = own
        rows.extend(own)
    for name in embargoed.value:
        line += 1
        rec = Record(embargoed.value[name], path.name, line, f"embargoed[{name[:60]!r}]")
        code = _country(name, rec, rec.field)
        pointer = rec.req_text("pointer")
        foot = _footnotes(rec, notes)
        own = [
            _chart_row(code, name, col, None, foot, notes, pointer, None, None, rec) for col in CHART_COLUMNS
        ]
        codes[code] = own
        rows.extend(own)
    inherit = doc.child("territoryInheritance", required=False)
    for territory in inherit.value if inherit else {}:
        line += 1
        rec = Record(inherit.value[territory], path.name, line, f"territoryInheritance[{territory[:60]!r}]")  # type: ignore[union-attr]
        code = _country(territory, rec, rec.field)
        target = _country(rec.req_text("row", max_len=200), rec, f"{rec.field}.row")
        basis = rec.req_text("basis")
        if code in codes:
            continue  # a territory with its own row (Liechtenstein) keeps it
        if target not in codes:
            raise rec.error(f"inherits from {target}, which has no row", "row")
        name = _name(code, territory)
        rows.extend(
            {
                **r,
                "country": code,
                "country_name": name,
                "inherited_from": target,
                "basis": basis,
                "src_line": line,
            }
            for r in codes[target]
        )
    return _table("country_chart", "Commerce Country Chart", path, date, rows, CHART_SCHEMA)


def _name(code: str, fallback: str) -> str:
    return resolve_country(code).name if code else fallback


def _chart_row(
    code: str,
    name: str,
    column: str,
    mark: bool | None,
    foot: list[int],
    notes: dict[int, str],
    pointer: str | None,
    inherited: str | None,
    basis: str | None,
    rec: Record,
) -> dict[str, Any]:
    return {
        "country": code,
        "country_name": name,
        "column": column,
        "mark": mark,
        "footnotes": foot,
        "footnote_texts": [notes[n] for n in foot],
        "embargoed": pointer is not None,
        "pointer": pointer,
        "inherited_from": inherited,
        "basis": basis,
        "src_file": rec.file,
        "src_line": rec.line,
    }


def parse_country_groups(path: Path) -> SourceTable:
    """The Country Groups (Supp. No. 1 to Part 740), long form: group x member."""
    path = Path(path)
    doc, date = _document(path)
    labels = doc.child("labels")
    groups = doc.child("groups")
    assert labels is not None and groups is not None
    rows: list[dict[str, Any]] = []
    members_by_group: dict[str, set[str]] = {}
    for group in groups.value:
        if not _GROUP.fullmatch(group):
            raise groups.error(f"not a Country Group: {group[:20]!r}", group)
        label = labels.text(group, required=False) or group
        names = groups.str_list(group, max_len=200)
        members_by_group[group] = set()
        for index, name in enumerate(names, start=1):
            rec = Record({}, path.name, index, f"groups[{group!r}][{index - 1}]")
            code = _country(name, rec, rec.field)
            if code in members_by_group[group]:
                raise rec.error(f"{name} is listed twice in {group}")
            members_by_group[group].add(code)
            rows.append(
                {
                    "group": group,
                    "group_label": label,
                    "country": code,
                    "country_name": name,
                    "src_file": path.name,
                    "src_line": index,
                }
            )
    _check_by_country(doc, members_by_group)
    return _table("country_groups", "Country Groups", path, date, rows, GROUPS_SCHEMA)


def _check_by_country(doc: Record, members_by_group: dict[str, set[str]]) -> None:
    """The `byCountry` index must say what `groups` says (for the letters it covers)."""
    index = doc.child("byCountry", required=False)
    if index is None:
        return
    for letter in index.value:
        block = index.child(letter)
        assert block is not None
        for name in block.value:
            code = _country(name, block, f"byCountry.{letter}[{name[:60]!r}]")
            for group in block.str_list(name, max_len=10):
                if code not in members_by_group.get(group, set()):
                    raise block.error(f"byCountry puts {name} in {group}, the groups table does not", name)
        for group, members in members_by_group.items():
            if group.startswith(letter + ":"):
                listed = {
                    _country(n, block, "byCountry") for n in block.value if group in (block.value[n] or [])
                }
                if listed != members:
                    raise block.error(f"byCountry and groups disagree on {group}")


def parse_license_exceptions(path: Path) -> SourceTable:
    """The License Exception catalogue (Part 740): one row per exception symbol."""
    path = Path(path)
    doc, date = _document(path)
    entries = doc.get("exceptions", list)
    assert entries is not None
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries, start=1):
        rec = Record(raw, path.name, index, f"exceptions[{index - 1}]")
        section = rec.req_text("sectionNumber", max_len=20)
        if not re.fullmatch(r"740\.\d{1,2}", section):
            raise rec.error(f"not a Part 740 section: {section!r}", "sectionNumber")
        symbols = rec.str_list("symbols", max_len=10)
        if not symbols:
            raise rec.error("no symbols", "symbols")
        for symbol in symbols:
            if not re.fullmatch(r"[A-Z]{3}", symbol) or symbol in seen:
                raise rec.error(f"bad or repeated symbol {symbol!r}", "symbols")
            seen.add(symbol)
            rows.append(
                {
                    "symbol": symbol,
                    "section": section,
                    "citation": rec.req_text("section", max_len=100),
                    "title": rec.req_text("title", max_len=1000),
                    "src_file": path.name,
                    "src_line": index,
                }
            )
    return _table("license_exceptions", "License Exception Catalog", path, date, rows, EXCEPTIONS_SCHEMA)
