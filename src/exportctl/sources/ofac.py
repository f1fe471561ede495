"""OFAC's legacy CSV sets: the SDN list (sdn/add/alt/sdn_comments) and the consolidated non-SDN list.

The files have no header row, write "-0-" for an empty field, end with a 0x1A (DOS end-of-file) byte and
CRLF line ends. Remarks longer than the main file allows continue in the comments file, keyed by ent_num.
An empty SDN_Type means an entity (OFAC's convention), so `type` is 'entity' there. Dates of birth,
nationalities and identifiers are read from the remarks (`sources.evidence`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError
from exportctl.sources._party import (
    LIST_STR,
    CountryResolver,
    attribution_for,
    clean,
    csv_rows,
    date_from_mtime,
    date_from_name,
    frame,
    read_text,
    require_rows,
)
from exportctl.sources.base import SourceTable
from exportctl.sources.evidence import parse_remarks

PRIMARY_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
ADD_COLUMNS = ("ent_num", "Add_num", "Address", "City/State/Province/Postal Code", "Country", "Add_remarks")
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
COMMENT_COLUMNS = ("ent_num", "Remarks_Extended")

OFAC_SCHEMA: dict[str, Any] = {
    "entity_id": pl.String,
    "name": pl.String,
    "type": pl.String,
    "programs": LIST_STR,
    "title": pl.String,
    "call_sign": pl.String,
    "vessel_type": pl.String,
    "tonnage": pl.String,
    "grt": pl.String,
    "vessel_flag": pl.String,
    "vessel_owner": pl.String,
    "remarks": pl.String,
    "aliases": LIST_STR,
    "addresses": LIST_STR,
    "countries": LIST_STR,
    "country_names": LIST_STR,
    "dates_of_birth": LIST_STR,
    "nationalities": LIST_STR,
    "ids": LIST_STR,
    "src_file": pl.String,
    "src_line": pl.Int64,
}

Row = tuple[int, list[str | None]]  # (line, values with "-0-" as None)


def _value(text: str) -> str | None:
    text = clean(text)
    return None if text in ("", "-0-") else text


def read_legacy_csv(path: Path, columns: tuple[str, ...]) -> list[Row]:
    """Read one headerless OFAC legacy CSV file into (line, values) rows, checking the field count."""
    text = read_text(path, ("utf-8", "cp1252"))
    end = text.rstrip("\r\n\t \x1a")
    if "\x1a" in end:
        line = end.count("\n", 0, end.index("\x1a")) + 1
        raise DataError("end-of-file byte 0x1A before the end of the file", file=str(path), line=line)
    reader = csv.reader(io.StringIO(end, newline=""), strict=True)
    rows: list[Row] = []
    for start, values in csv_rows(reader, path):
        if not rows and not values[0].strip().lstrip("-").isdigit() and "ent_num" in values[0].lower():
            continue  # a header row some re-publishers add; the official files have none
        if len(values) != len(columns):
            raise DataError(
                f"row has {len(values)} fields, expected {len(columns)} ({', '.join(columns)})",
                file=str(path),
                line=start,
            )
        ent = values[0].strip()
        if not (ent.isascii() and ent.isdigit()):  # "²6" is digits to isdigit, not to int
            raise DataError(f"ent_num {ent!r} is not a number", file=str(path), line=start, field="ent_num")
        rows.append((start, [str(int(ent)), *(_value(v) for v in values[1:])]))
    return rows


@dataclass
class _Set:
    """The files of one legacy set, found in a directory (case-insensitive) or given as one file."""

    primary: Path
    add: Path | None = None
    alt: Path | None = None
    comments: Path | None = None
    skip: dict[str, int] = field(default_factory=dict)


def _find(path: Path, primary: str, add: str, alt: str, comments: str) -> _Set:
    if path.is_dir():
        names = {p.name.lower(): p for p in path.iterdir() if p.is_file()}
        if primary not in names:
            raise DataError(f"no {primary} in this directory", file=str(path))
        return _Set(names[primary], names.get(add), names.get(alt), names.get(comments))
    return _Set(path)


def _programs(text: str | None) -> list[str]:
    """'IRAN] [SDGT] [IFSR' (brackets of a list written inside one field) -> ['IRAN', 'SDGT', 'IFSR']."""
    if not text:
        return []
    parts = (p.strip(" []") for p in text.split("] ["))
    return [p for p in parts if p]


def _parse_set(files: _Set, name: str, title: str, fmt: str, date: str | None) -> SourceTable:
    prim = read_legacy_csv(files.primary, PRIMARY_COLUMNS)
    require_rows(len(prim), files.primary, "entries")
    index: dict[str, int] = {}
    cols: dict[str, list[Any]] = {k: [] for k in OFAC_SCHEMA}
    for line, v in prim:
        ent = v[0]
        assert ent is not None
        if ent in index:
            raise DataError(
                f"ent_num {ent} appears twice", file=str(files.primary), line=line, field="ent_num"
            )
        if not v[1]:
            raise DataError("required field is missing", file=str(files.primary), line=line, field="SDN_Name")
        index[ent] = len(index)
        cols["entity_id"].append(ent)
        cols["name"].append(v[1])
        cols["type"].append((v[2] or "entity").lower())
        cols["programs"].append(_programs(v[3]))
        for key, val in zip(
            ("title", "call_sign", "vessel_type", "tonnage", "grt", "vessel_flag", "vessel_owner", "remarks"),
            v[4:],
            strict=True,
        ):
            cols[key].append(val)
        for key in ("aliases", "addresses", "countries", "country_names"):
            cols[key].append([])
        cols["src_file"].append(files.primary.name)
        cols["src_line"].append(line)
    used = [files.primary.name]
    skip: dict[str, int] = {}
    resolve = CountryResolver()

    def owner(path: Path, ent: str | None, what: str) -> int | None:
        pos = index.get(ent or "")
        if pos is None:
            key = f"{what} rows in {path.name} for an ent_num not in {files.primary.name}"
            skip[key] = skip.get(key, 0) + 1
        return pos

    if files.comments:
        used.append(files.comments.name)
        for _line, v in read_legacy_csv(files.comments, COMMENT_COLUMNS):
            pos = owner(files.comments, v[0], "remarks")
            if pos is not None and v[1]:
                # the comments file continues the remarks cut off in the main file, mid-word
                cols["remarks"][pos] = (cols["remarks"][pos] or "") + v[1]
    if files.alt:
        used.append(files.alt.name)
        for _line, v in read_legacy_csv(files.alt, ALT_COLUMNS):
            pos = owner(files.alt, v[0], "alias")
            if pos is not None and v[3] and v[3] not in cols["aliases"][pos]:
                cols["aliases"][pos].append(v[3])
    if files.add:
        used.append(files.add.name)
        for _line, v in read_legacy_csv(files.add, ADD_COLUMNS):
            pos = owner(files.add, v[0], "address")
            if pos is None:
                continue
            text = ", ".join(p for p in (v[2], v[3], v[4]) if p)
            if text:
                cols["addresses"][pos].append(text)
            if v[4] and v[4] not in cols["country_names"][pos]:
                cols["country_names"][pos].append(v[4])
                for code in resolve([v[4]]):
                    if code not in cols["countries"][pos]:
                        cols["countries"][pos].append(code)
    for remarks in cols["remarks"]:  # complete only now: the comments file continues them
        ev = parse_remarks(remarks)
        cols["dates_of_birth"].append(ev.dates_of_birth)
        cols["nationalities"].append(ev.nationalities)
        cols["ids"].append(ev.ids)
    skip.update(resolve.skip_reasons())
    skipped = sum(n for k, n in skip.items() if k.startswith(("remarks", "alias", "address")))
    return SourceTable(
        name=name,
        title=title,
        format=fmt,
        date=date or date_from_name(files.primary) or date_from_mtime(files.primary),
        records=frame(cols, OFAC_SCHEMA),
        files=tuple(used),
        skipped=skipped,
        skip_reasons=skip,
        attribution=attribution_for(files.primary),
    )


def parse_sdn(path: Path | str, *, date: str | None = None) -> SourceTable:
    """Parse the SDN list: a directory with sdn.csv (and optionally add, alt, sdn_comments) or one sdn.csv."""
    path = Path(path)
    files = _find(path, "sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
    return _parse_set(files, "ofac_sdn", "OFAC SDN List", "ofac-legacy-csv", date)


def parse_consolidated(path: Path | str, *, date: str | None = None) -> SourceTable:
    """Parse the consolidated non-SDN list: cons_prim.csv (+ cons_add, cons_alt, cons_comments)."""
    path = Path(path)
    files = _find(path, "cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
    return _parse_set(files, "ofac_cons", "OFAC Consolidated (non-SDN) List", "ofac-legacy-csv", date)
