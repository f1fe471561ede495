"""Parties files for screening: read with their columns placed (ops.party_columns), a title above the
header skipped, and their evidence columns (dob, nationality, id_number, country) checked cell by cell,
each error naming its file and line."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.engine.screening.evidence import parse_query_id, query_dob
from exportctl.errors import InputError
from exportctl.model.countries import resolve_country
from exportctl.ops.files import read_titled
from exportctl.ops.party_columns import PartyPlacement, party_field, place_party_columns
from exportctl.ops.party_dates import file_dobs

__all__ = ["check_dob", "check_id_number", "party_evidence", "read_parties"]


def check_dob(value: Any, field: str = "dob", line: int | None = None, file: str | None = None) -> str:
    """A date of birth as YYYY-MM-DD (or YYYY-MM, YYYY), or InputError naming the field."""
    text = "" if value is None else str(value).strip()
    if hasattr(value, "isoformat") and not isinstance(value, str):
        text = value.isoformat()[:10]  # a date cell of a spreadsheet
    if text and query_dob(text) is None:
        raise InputError(
            f"date of birth must be YYYY-MM-DD (or YYYY-MM, YYYY), not {text[:40]!r}",
            field=field,
            line=line,
            file=file,
        )
    return text


def check_id_number(
    value: Any, field: str = "id_number", line: int | None = None, file: str | None = None
) -> str:
    """An identifier ("E646989", "passport:E646989", "IMO 9116412"), or InputError when it has no digits."""
    text = "" if value is None else str(value).strip()
    if text and not any(ch.isdigit() for ch in parse_query_id(text)[1]):
        raise InputError(
            f"id number has no digits: {text[:40]!r} (write KIND:NUMBER, e.g. passport:E646989)",
            field=field,
            line=line,
            file=file,
        )
    return text


def read_parties(
    path: Path | str,
    columns: Mapping[str, str] | None = None,
    ignore: Sequence[str] = (),
    encoding: str | None = None,
    sheet: str | None = None,
) -> tuple[pl.DataFrame, PartyPlacement]:
    """A parties file with its columns placed (ops.party_columns): the read ones renamed to their fields
    (name, country, nationality, dob, id_number, type, id), the others carried through as read; a title
    above the header (a report export's) skipped and kept in the placement's `title`; `sheet` names an
    XLSX workbook's sheet to read."""
    p = Path(path)
    mapped = {k.strip() for k in columns or {}}
    df, title, notes = read_titled(
        p,
        "parties",
        lambda c: party_field(c) is not None or c.strip() in mapped,
        encoding=encoding,
        sheet=sheet,
    )
    placement = replace(
        place_party_columns(df.columns, columns, ignore, source=p.name), title=title, notes=notes
    )
    df = df.drop(placement.ignored).rename(placement.fields)
    if placement.id_kind and "id_number" in df.columns:  # 'Passport No.' names the numbers' kind
        value = pl.col("id_number").cast(pl.Utf8).str.strip_chars()
        df = df.with_columns(
            id_number=pl.when(value.is_not_null() & (value != "") & ~value.str.contains(":", literal=True))
            .then(pl.lit(f"{placement.id_kind}:") + value)
            .otherwise(value)
        )
    return df, placement


def party_evidence(
    parties: pl.DataFrame, file: str, first: int
) -> tuple[list[str], list[str], list[str], list[str] | None]:
    """The evidence columns of a parties table, checked: (dobs, nationalities, ids, countries or None
    without a country column), each '' where empty; InputError naming the file and line of a bad cell (the
    first row on line `first`). Dates of birth as the file writes them (31/12/1975) are read as ISO."""
    born = file_dobs(parties["dob"].to_list(), file, first) if "dob" in parties.columns else None
    dobs = _column_checked(parties, "dob", check_dob, file, first, born)
    nats = _column_checked(parties, "nationality", _nationality, file, first)
    idents = _column_checked(parties, "id_number", check_id_number, file, first)
    countries = (
        _countries(parties["country"].to_list(), file, first) if "country" in parties.columns else None
    )
    return dobs, nats, idents, countries


def _column_checked(
    parties: pl.DataFrame,
    col: str,
    check: Callable[..., str],
    file: str,
    first: int,
    values: list[Any] | None = None,
) -> list[str]:
    """A column's values (or `values` read from it) through `check` (InputError naming the file, line and
    column; the first row on line `first`), '' when absent."""
    if col not in parties.columns:
        return [""] * parties.height
    cells = parties[col].to_list() if values is None else values
    return [check(v, col, line, file) for line, v in enumerate(cells, start=first)]


def _nationality(value: Any, field: str, line: int, file: str) -> str:
    text = "" if value is None else str(value).strip()
    return _country_at(text, field, line, file) if text else ""


def _country_at(text: str, field: str, line: int, file: str) -> str:
    """A country cell's code; InputError naming the file, line and column when it is no country."""
    try:
        return resolve_country(text, field=field).code
    except InputError as err:
        raise InputError(
            err.message, field=field, file=file, line=line, suggestions=err.suggestions
        ) from None


def _countries(values: list[Any], file: str, first: int) -> list[str]:
    out = []
    memo: dict[str, str] = {}
    for line, v in enumerate(values, start=first):
        text = "" if v is None else str(v).strip()
        if text and text not in memo:
            memo[text] = _country_at(text, "country", line, file)
        out.append(memo.get(text, ""))
    return out
