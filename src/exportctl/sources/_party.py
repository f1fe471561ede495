"""Helpers shared by the party-list parsers: safe reading, typed field checks, stable ids, frames.

Every failure here is a DataError naming the file (and the line or record and the field when known),
so that a truncated, mis-encoded or hostile file never surfaces as a traceback.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from exportctl.errors import DataError

# A party list larger than this is not one of ours: refuse instead of exhausting memory.
MAX_FILE_BYTES = 512 * 1024 * 1024

LIST_STR = pl.List(pl.String)


def csv_header(reader: Iterator[list[str]], path: Path, required: Sequence[str], what: str) -> list[str]:
    """The header row of a CSV reader, checked to hold every `required` column (DataError naming it)."""
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise DataError(f"cannot read the header row: {exc}", file=str(path), line=1) from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(
            f"not {what}: missing column(s) {', '.join(missing)}", file=str(path), line=1, field=missing[0]
        )
    return header


def csv_rows(reader: Any, path: Path, width: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line, values) of each non-blank row, `line` being where the row starts; with `width`, a row
    with another number of fields is a DataError (a truncated or misquoted row)."""
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(f"malformed CSV: {exc}", file=str(path), line=line) from exc
        if not values or not any(v.strip() for v in values):
            continue
        if width is not None and len(values) != width:
            raise DataError(
                f"row has {len(values)} fields, header has {width} (truncated or misquoted row?)",
                file=str(path),
                line=line,
            )
        yield line, values


def read_bytes(path: Path) -> bytes:
    """Read a file, failing with DataError when it is missing, unreadable, too large or empty."""
    try:
        if not path.is_file():
            raise DataError("file not found (or not a regular file)", file=str(path))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(f"file is too large ({size} bytes)", file=str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", file=str(path)) from exc
    if not data.strip(b" \t\r\n\x00\x1a\xef\xbb\xbf"):
        raise DataError("file is empty", file=str(path))
    return data


def decode(data: bytes, path: Path, encodings: Sequence[str] = ("utf-8",)) -> str:
    """Decode bytes with the first encoding that fits; DataError names the line of the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    first: UnicodeDecodeError | None = None
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            first = first or exc
            continue
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise DataError(
                "NUL byte in text file (wrong encoding or binary file?)", file=str(path), line=line
            )
        return text
    assert first is not None
    line = data.count(b"\n", 0, first.start) + 1
    raise DataError(
        f"not valid {'/'.join(encodings)} text (byte {data[first.start]:#04x} at offset {first.start})",
        file=str(path),
        line=line,
    )


def read_text(path: Path, encodings: Sequence[str] = ("utf-8",)) -> str:
    """Read and decode a text file (see `read_bytes` and `decode`)."""
    return decode(read_bytes(path), path, encodings)


def load_json(path: Path) -> Any:
    """Parse a JSON file; DataError names the line of a syntax error."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", file=str(path), line=exc.lineno
        ) from exc
    except RecursionError as exc:
        raise DataError("invalid JSON: nested too deeply", file=str(path)) from exc
    except ValueError as exc:  # e.g. an integer longer than Python converts (4,300 digits)
        raise DataError(f"invalid JSON: {exc}", file=str(path)) from exc


class Fields:
    """Typed access to one record of a JSON list, naming file, record and field on failure."""

    def __init__(self, obj: object, path: Path, line: int, what: str = "record") -> None:
        if not isinstance(obj, dict):
            raise DataError(
                f"{what} {line} is {type(obj).__name__}, expected an object", file=str(path), line=line
            )
        self.obj: dict[str, Any] = obj
        self.path = path
        self.line = line

    def error(self, field: str, message: str) -> DataError:
        """A DataError about `field` of this record."""
        return DataError(message, file=str(self.path), line=self.line, field=field)

    def text(self, key: str, *, required: bool = False, field: str | None = None) -> str | None:
        """A string field (numbers are accepted as text); blank counts as missing."""
        value = self.obj.get(key)
        if isinstance(value, bool) or not (value is None or isinstance(value, str | int | float)):
            raise self.error(field or key, f"expected text, got {type(value).__name__}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(field or key, f"expected text, got the number {value}")
        out = None if value is None else clean(str(value))
        if required and not out:
            raise self.error(field or key, "required field is missing or empty")
        return out

    def texts(self, key: str, *, field: str | None = None, split: str | None = None) -> list[str]:
        """A list-of-strings field (a single string is split on `split` when given, else one item)."""
        value = self.obj.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return split_list(value, split) if split else [x for x in [clean(value)] if x]
        if not isinstance(value, list):
            raise self.error(field or key, f"expected a list of text, got {type(value).__name__}")
        out: list[str] = []
        for item in value:
            if item is None:
                continue
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise self.error(field or key, f"expected text items, got {type(item).__name__}")
            if isinstance(item, float) and not math.isfinite(item):
                raise self.error(field or key, f"expected text items, got the number {item}")
            text = clean(str(item))
            if text:
                out.append(text)
        return out

    def index(
        self, key: str, table: Sequence[str], table_name: str, *, field: str | None = None
    ) -> str | None:
        """An integer index into a lookup table (the compact CSL layout)."""
        value = self.obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(table):
            raise self.error(field or key, f"index {value!r} is not a valid position in tables.{table_name}")
        return table[value]


# Control characters (but tab) become blanks; tabs and runs of blanks then fold to one blank.
_CONTROL = {c: " " for c in [*range(0, 9), *range(10, 32), 127]}


def clean(value: str) -> str:
    """Trim whitespace and drop control characters that have no place in a name or address."""
    if not value:
        return ""
    value = value.translate(_CONTROL)
    return " ".join(value.split()) if ("  " in value or "\t" in value) else value.strip()


def split_list(value: str | None, sep: str = ";") -> list[str]:
    """Split a delimited text field into trimmed, non-empty parts."""
    if not value:
        return []
    return [p for p in (clean(x) for x in value.split(sep)) if p]


# Names the official lists use that ISO 3166 (pycountry) does not know by that spelling. Regions that
# belong to no single country (Kashmir, Kafia Kingi, the CIS ...) are deliberately absent: they stay
# unresolved and are counted, never guessed.
COUNTRY_ALIASES: dict[str, str] = {
    "TURKIYE": "TR",
    "TURKEY": "TR",
    "PRC": "CN",
    "CHINA": "CN",
    "MACAU": "MO",
    "MAN, ISLE OF": "IM",
    "RUSSIA": "RU",
    "IRAN": "IR",
    "BURMA": "MM",
    "KOREA, NORTH": "KP",
    "NORTH KOREA": "KP",
    "KOREA, SOUTH": "KR",
    "SOUTH KOREA": "KR",
    "KOSOVO": "XK",
    "WEST BANK": "PS",
    "GAZA": "PS",
    "NORTH GAZA": "PS",
    "NORTHERN GAZA": "PS",
    "PALESTINIAN": "PS",
    "CRIMEA (OCCUPIED)": "UA",
    "CRIMEA": "UA",
    "CRIMEA REGION OF UKRAINE": "UA",
    "NORTHERN MALI": "ML",
    "CONGO, DEMOCRATIC REPUBLIC OF THE": "CD",
    "CONGO, REPUBLIC OF THE": "CG",
    "BOLIVIA": "BO",
    "VENEZUELA": "VE",
    "SYRIA": "SY",
    "LAOS": "LA",
    "VIETNAM": "VN",
    "TANZANIA": "TZ",
    "MOLDOVA": "MD",
    "CZECH REPUBLIC": "CZ",
    "BRUNEI": "BN",
    "CAPE VERDE": "CV",
    "COTE D'IVOIRE": "CI",
    "COTE D IVOIRE": "CI",
    "THE GAMBIA": "GM",
    "CURACAO": "CW",
    "ESWATINI": "SZ",
    "SWAZILAND": "SZ",
    "MICRONESIA, FEDERATED STATES OF": "FM",
    "ST. KITTS AND NEVIS": "KN",
    "ST. LUCIA": "LC",
    "ST. VINCENT AND THE GRENADINES": "VC",
    "SAINT VINCENT AND THE GRENADINES": "VC",
    "NETHERLANDS ANTILLES": "AN",
    "UNITED KINGDOM": "GB",
    "UK": "GB",
    "UNITED STATES": "US",
    "BAHAMAS, THE": "BS",
    "GAMBIA, THE": "GM",
    "HONG KONG": "HK",
    "TAIWAN": "TW",
    "MACEDONIA": "MK",
    "NORTH MACEDONIA": "MK",
    "SERBIA AND MONTENEGRO": "CS",
    "YUGOSLAVIA": "YU",
    "SOVIET UNION": "SU",
    "BOSNIA-HERZEGOVINA": "BA",
    "TIMOR-LESTE": "TL",
    "EAST TIMOR": "TL",
    "VATICAN CITY": "VA",
    "HOLY SEE": "VA",
}
# Codes that are valid on these lists though pycountry has none (user-assigned or withdrawn).
_EXTRA_ISO2 = {"XK", "AN", "CS", "YU", "SU"}


def resolve_iso2(value: str) -> str | None:
    """Map a country code or name (as official lists spell it) to ISO-2, or None when it is no country."""
    import pycountry  # local: pycountry builds its indexes on first use

    text = " ".join(value.split()).strip().upper()
    if text.startswith("REGION:"):
        text = text[len("REGION:") :].strip()
    if not text:
        return None
    if text in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[text]
    if len(text) == 2 and text.isalpha() and text.isascii():
        if text in _EXTRA_ISO2 or pycountry.countries.get(alpha_2=text) is not None:
            return text
        return None
    # The project's resolver knows the EAR's spellings ("Korea, North", "Burma" ...); exact matches only.
    from exportctl.errors import InputError
    from exportctl.model.countries import resolve_country

    try:
        return resolve_country(text).code
    except InputError:
        pass
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


class CountryResolver:
    """Resolves country values, remembering the ones that are no country so they can be counted."""

    def __init__(self) -> None:
        self.cache: dict[str, str | None] = {}
        self.unresolved: dict[str, int] = {}

    def __call__(self, values: Iterable[str]) -> list[str]:
        """ISO-2 codes for `values` in order, without repeats; unresolved values are counted."""
        out: list[str] = []
        for v in values:
            if v not in self.cache:
                self.cache[v] = resolve_iso2(v)
            code = self.cache[v]
            if code is None:
                key = clean(v)[:80]
                self.unresolved[key] = self.unresolved.get(key, 0) + 1
            elif code not in out:
                out.append(code)
        return out

    def skip_reasons(self) -> dict[str, int]:
        """Counts of country values left out of `countries`, keyed for `data status`."""
        return {
            f"country value not resolved to ISO-2 (kept out of countries): {k}": n
            for k, n in sorted(self.unresolved.items())
        }


def stable_id(*parts: str) -> str:
    """A short content hash used when a source gives no identifier (stable across runs and machines)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:16]


def unique_ids(ids: list[str], groups: list[str]) -> list[str]:
    """Make ids unique within each group by suffixing repeats (-2, -3 ...) in file order."""
    seen: dict[tuple[str, str], int] = {}
    out: list[str] = []
    for gid, group in zip(ids, groups, strict=True):
        n = seen.get((group, gid), 0) + 1
        seen[(group, gid)] = n
        out.append(gid if n == 1 else f"{gid}-{n}")
    return out


def frame(
    rows: Mapping[str, list[Any]], schema: Mapping[str, pl.DataType | type[pl.DataType]]
) -> pl.DataFrame:
    """Build a DataFrame with an explicit schema (so that empty or sparse columns keep their types)."""
    # Through Arrow: polars' own constructor converts list columns element by element (10x slower).
    arrow: dict[object, Any] = {pl.String: pa.string(), pl.Int64: pa.int64(), pl.Boolean: pa.bool_()}
    arrow[LIST_STR] = pa.list_(pa.string())
    arrays = {}
    for name, dtype in schema.items():
        typ = arrow.get(dtype)
        if typ is None:
            return pl.DataFrame({k: rows[k] for k in schema}, schema=dict(schema), strict=False)
        arrays[name] = pa.array(rows[name], type=typ)
    out = pl.from_arrow(pa.table(arrays))
    assert isinstance(out, pl.DataFrame)
    return out


def require_rows(n: int, path: Path, what: str = "records") -> None:
    """A list with no records is an error, never a silently empty table."""
    if n == 0:
        raise DataError(f"no {what} found", file=str(path))


_DATE_IN_NAME = re.compile(r"((?:19|20)\d\d)-([01]\d)(?:-([0-3]\d))?")


def date_from_name(path: Path) -> str | None:
    """A data date written in the file or folder name ("ofac-sdn-2024-05-03", "csl-2026-07"), else None."""
    for part in (path.name, path.parent.name) if path.is_file() else (path.name,):
        m = _DATE_IN_NAME.search(part)
        if m:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3) or '01'}"
    return None


def date_from_mtime(path: Path) -> str:
    """The UTC date a file was last written: the data date of a fresh download that names none."""
    import datetime as dt

    stamp = path.stat().st_mtime
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date().isoformat()


def attribution_for(path: Path) -> str:
    """The SOURCE.txt beside a snapshot (licence and origin), or '' when there is none."""
    folder = path if path.is_dir() else path.parent
    src = folder / "SOURCE.txt"
    try:
        return src.read_text(encoding="utf-8").strip() if src.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return ""
