"""The Harmonized Tariff Schedule of the United States (USITC): the JSON export and the CSV export.

Both yield the `hts` table (docs/tables.md): one row per printed line, header rows kept and marked,
general rates parsed (sources/rates.py), chapter 99 references read from the footnotes and rate texts
(a "See 9903.88.03" footnote is what ties a tariff line to a Section 301 list), and the rate and
references a statistical line inherits from its tariff line. Strict: wrong types, malformed numbers,
missing columns are DataErrors naming file, line (or record index) and field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError, InputError
from exportctl.model.dates import parse_date
from exportctl.sources._strict import Record, attribution, check_text, load_json, read_text
from exportctl.sources.base import SourceTable
from exportctl.sources.rates import chapter99_refs, parse_rate

__all__ = ["CSV_HEADER", "HTS_SCHEMA", "parse_hts_csv", "parse_hts_json"]

NAME, TITLE = "hts", "Harmonized Tariff Schedule"
_ATTRIBUTION = "Harmonized Tariff Schedule of the United States, USITC (US Government work)"
_HTSNO = re.compile(r"\d{4}(?:\.\d{2}){0,3}")
CSV_HEADER = (
    "HTS Number",
    "Indent",
    "Description",
    "Unit of Quantity",
    "General Rate of Duty",
    "Special Rate of Duty",
    "Column 2 Rate of Duty",
    "Quota Quantity",
    "Additional Duties",
)
LIST_STR = pl.List(pl.String)
FOOTNOTE = pl.Struct({"columns": LIST_STR, "marker": pl.String, "value": pl.String, "type": pl.String})
PART = pl.Struct({"kind": pl.String, "pct": pl.Float64, "usd": pl.Float64, "unit": pl.String})
HTS_SCHEMA: dict[str, Any] = {
    "hts": pl.String,
    "hts_dotted": pl.String,
    "level": pl.Int8,
    "chapter": pl.String,
    "indent": pl.Int8,
    "description": pl.String,
    "is_header": pl.Boolean,
    "units": LIST_STR,
    "general": pl.String,
    "special": pl.String,
    "other": pl.String,
    "general_kind": pl.String,
    "general_ad_valorem_pct": pl.Float64,
    "general_specific_usd": pl.Float64,
    "general_specific_unit": pl.String,
    "general_parts": pl.List(PART),
    "general_inherited": pl.Boolean,
    "footnotes": pl.List(FOOTNOTE),
    "chapter99": LIST_STR,
    "chapter99_effective": LIST_STR,
    "quota_quantity": pl.String,
    "additional_duties": pl.String,
    "src_file": pl.String,
    "src_line": pl.Int64,
}


def _number(htsno: str, rec: Record, field: str) -> tuple[str | None, str | None]:
    htsno = htsno.strip()
    if not htsno:
        return None, None
    if not _HTSNO.fullmatch(htsno):
        raise rec.error(f"not an HTS number: {htsno[:30]!r}", field)
    return htsno.replace(".", ""), htsno


def _indent(value: str, rec: Record, field: str) -> int:
    value = value.strip()
    if not value.isascii() or not value.isdigit() or int(value) > 20:
        raise rec.error(f"indent must be a small whole number, got {value[:20]!r}", field)
    return int(value)


def _row(
    rec: Record, htsno: str, indent: str, chapter: str | None, fields: dict[str, Any], names: dict[str, str]
) -> dict[str, Any]:
    digits, dotted = _number(htsno, rec, names["htsno"])
    row_chapter = digits[:2] if digits else chapter
    if row_chapter is None:
        raise rec.error("an unnumbered line before any numbered one: no chapter", names["htsno"])
    general, special, other = fields["general"], fields["special"], fields["other"]
    own_refs: list[str] = []
    for note in fields["footnotes"]:
        own_refs += chapter99_refs(note["value"])
    for text in (general, special, other, fields["additional_duties"] or ""):
        own_refs += chapter99_refs(text)
    return {
        "hts": digits,
        "hts_dotted": dotted,
        "level": len(digits) if digits else 0,
        "chapter": row_chapter,
        "indent": _indent(indent, rec, names["indent"]),
        "description": fields["description"],
        "is_header": not (general.strip() or special.strip() or other.strip()),
        "units": fields["units"],
        "general": general,
        "special": special,
        "other": other,
        "footnotes": fields["footnotes"],
        "chapter99": list(dict.fromkeys(own_refs)),
        "quota_quantity": fields["quota_quantity"],
        "additional_duties": fields["additional_duties"],
        "src_file": rec.file,
        "src_line": rec.line,
    }


def _finish(rows: list[dict[str, Any]], files: list[str], fmt: str, path: Path) -> SourceTable:
    """Inherit rates and chapter 99 references down the digit prefixes, parse rates, build the table."""
    if not rows:
        raise DataError("no records", file=path.name)
    general_of: dict[str, str] = {}
    refs_of: dict[str, list[str]] = {}
    for row in rows:
        if row["hts"]:
            if row["general"].strip():
                general_of.setdefault(row["hts"], row["general"])
            refs_of.setdefault(row["hts"], []).extend(row["chapter99"])
    for row in rows:
        digits = row["hts"]
        ancestors = [digits[:n] for n in (8, 6, 4) if digits and n < len(digits)]
        text, inherited = row["general"], False
        if not text.strip():
            found = next((general_of[a] for a in ancestors if a in general_of), None)
            text, inherited = (found, True) if found is not None else (text, False)
        rate = parse_rate(text)
        row["general_kind"] = None if rate.kind == "none" else rate.kind
        row["general_ad_valorem_pct"] = rate.ad_valorem_pct
        row["general_specific_usd"] = rate.specific_usd
        row["general_specific_unit"] = rate.specific_unit
        row["general_parts"] = [vars(p) for p in rate.parts]
        row["general_inherited"] = inherited
        effective = set(row["chapter99"])
        for ancestor in ancestors:
            effective.update(refs_of.get(ancestor, ()))
        row["chapter99_effective"] = sorted(effective)
    attrib = attribution(path) or _ATTRIBUTION
    return SourceTable(
        name=NAME,
        title=TITLE,
        format=fmt,
        date="",
        records=pl.DataFrame(rows, schema=HTS_SCHEMA),
        files=tuple(files),
        attribution=attrib,
    )


def _chapter_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = [p for p in path.glob("*.json") if p.stem.isdigit()]
        if not files:
            raise DataError("no chapter files (<number>.json) in directory", file=path.name)
        return sorted(files, key=lambda p: int(p.stem))
    return [path]


def parse_hts_json(path: Path, date: str = "") -> SourceTable:
    """The USITC HTS JSON export: one chapter file, or a directory of <chapter>.json files."""
    path = Path(path)
    rows: list[dict[str, Any]] = []
    names = {"htsno": "htsno", "indent": "indent"}
    files = _chapter_files(path)
    for file in files:
        data = load_json(file)
        if not isinstance(data, list):
            raise DataError("expected a JSON array of HTS records", file=file.name, line=1)
        if not data:
            raise DataError("no records", file=file.name)
        chapter = file.stem.zfill(2) if file.stem.isdigit() and len(file.stem) <= 2 else None
        for index, raw in enumerate(data, start=1):
            rec = Record(raw, file.name, index, f"[{index - 1}]")
            rows.append(
                _row(
                    rec,
                    rec.req_text("htsno", 40),
                    _json_indent(rec),
                    chapter,
                    _json_fields(rec),
                    names,
                )
            )
            chapter = rows[-1]["chapter"]
    table = _finish(rows, [f.name for f in files], "usitc-hts-json", path)
    return _dated(table, date)


def _json_indent(rec: Record) -> str:
    # The export writes indents as text ("2"); a whole number is the same fact, so it is accepted too.
    value = rec.value.get("indent")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return rec.req_text("indent", 10)


def _json_fields(rec: Record) -> dict[str, Any]:
    footnotes = []
    raw_notes = rec.get("footnotes", list, required=False, nullable=True) or []
    for i, raw in enumerate(raw_notes):
        note = Record(raw, rec.file, rec.line, f"{rec.field}.footnotes[{i}]")
        footnotes.append(
            {
                "columns": note.str_list("columns", required=False, max_len=40),
                "marker": note.text("marker", required=False, nullable=True, max_len=40),
                "value": note.req_text("value"),
                "type": note.text("type", required=False, nullable=True, max_len=40),
            }
        )
    superior = rec.text("superior", required=False, nullable=True, max_len=10)
    if superior not in (None, "true", "false"):
        raise rec.error(f"superior must be null, 'true' or 'false', got {superior[:20]!r}", "superior")
    duties = rec.text("additionalDuties", required=False, nullable=True)
    misspelled = rec.text("addiitionalDuties", required=False, nullable=True)
    return {
        "description": rec.req_text("description"),
        "units": rec.str_list("units", max_len=40),
        "general": rec.text("general", nullable=True, max_len=2000) or "",
        "special": rec.text("special", nullable=True, max_len=5000) or "",
        "other": rec.text("other", nullable=True, max_len=2000) or "",
        "footnotes": footnotes,
        "quota_quantity": rec.text("quotaQuantity", required=False, nullable=True),
        # The USITC export carries the key twice, once misspelled; the first non-empty one wins.
        "additional_duties": next((d for d in (duties, misspelled) if d and d.strip()), None),
    }


def parse_hts_csv(path: Path, date: str = "") -> SourceTable:
    """The USITC HTS CSV export (UTF-8 with BOM, nine columns, units as a JSON list text)."""
    path = Path(path)
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[dict[str, Any]] = []
    names = {"htsno": CSV_HEADER[0], "indent": CSV_HEADER[1]}
    try:
        header = next(reader)
        if tuple(h.strip() for h in header) != CSV_HEADER:
            missing = [h for h in CSV_HEADER if h not in header]
            raise DataError(
                f"not the USITC HTS CSV header (expected {', '.join(CSV_HEADER)})",
                file=path.name,
                line=1,
                field=missing[0] if missing else None,
            )
        chapter: str | None = None
        start = reader.line_num + 1
        for values in reader:
            rec = Record(dict(zip(CSV_HEADER, values, strict=False)), path.name, start, "")
            start = reader.line_num + 1
            if len(values) != len(CSV_HEADER):
                raise rec.error(f"expected {len(CSV_HEADER)} fields, got {len(values)}")
            for name in CSV_HEADER:
                check_text(values[CSV_HEADER.index(name)], rec.file, rec.line, name, 20_000)
            rows.append(_row(rec, values[0], values[1], chapter, _csv_fields(rec, values), names))
            chapter = rows[-1]["chapter"]
    except csv.Error as err:
        raise DataError(f"malformed CSV: {err}", file=path.name, line=reader.line_num) from None
    except StopIteration:
        raise DataError("empty file", file=path.name) from None
    return _dated(_finish(rows, [path.name], "usitc-hts-csv", path), date)


def _csv_fields(rec: Record, values: list[str]) -> dict[str, Any]:
    units_text = values[3].strip()
    units: list[str] = []
    if units_text:
        try:
            parsed = json.loads(units_text)
        except (ValueError, RecursionError):
            raise rec.error(
                f"units must be a JSON list text, got {units_text[:30]!r}", CSV_HEADER[3]
            ) from None
        if not isinstance(parsed, list) or not all(isinstance(u, str) for u in parsed):
            raise rec.error("units must be a list of texts", CSV_HEADER[3])
        units = parsed
    return {
        "description": values[2],
        "units": units,
        "general": values[4],
        "special": values[5],
        "other": values[6],
        "footnotes": [],
        "quota_quantity": values[7] or None,
        "additional_duties": values[8] or None,
    }


def _dated(table: SourceTable, date: str) -> SourceTable:
    """Neither layout carries its edition date: the caller gives it, else the first date in SOURCE.txt."""
    if not date:
        found = re.search(r"\b(20\d\d-\d\d-\d\d)\b", table.attribution)
        if found is None:
            raise DataError(
                "no data date: pass date= (the edition date) or keep SOURCE.txt beside the file",
                file=table.files[0],
                field="date",
            )
        date = found.group(1)
    try:
        date = parse_date(date, field="date").isoformat()
    except InputError as err:
        raise DataError(err.message, file=table.files[0], field="date") from None
    return replace(table, date=date)
