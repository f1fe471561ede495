"""Dates as order books write them: ISO, spreadsheet dates and serials, and day/month orders people use.

Accepted without being told:
- ISO 8601: `2025-03-15`, `20250315`, date-times `2025-03-15T10:00:00Z`, `2025-03-15 00:00:00` (the date
  as written; a time zone does not move it);
- year first: `2025/03/15`, `2025.03.15` (always year, month, day);
- month names: `15 Mar 2025`, `15-Mar-2025`, `March 15, 2025`, `Mar 15 2025`;
- spreadsheet serial numbers (Excel's 1900 system: 45292 is 2024-01-01) from 32874 (1990-01-01) to
  73050 (2099-12-31), in a date column only: a number outside that range is refused, not guessed;
- day and month in digits (`03/15/2025`, `15.03.2025`, `15-03-2025`, four-digit year) where only one
  order makes a date: 15/03 is a day first, 03/15 a month first, 03/03 either.

Per column: when some value of the column settles the order (`25/03/2025`), the ambiguous values of that
column (`03/04/2025`) are read the same way. A column with values settling both orders settles nothing.
An ambiguous value with nothing settling it is an error naming the value (the row is held); a stated
`--date-format` (strptime, e.g. `%m/%d/%Y`) reads every value that is not ISO.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from exportctl.errors import InputError

__all__ = ["DMY", "MDY", "SERIAL_RANGE", "column_order", "parse_book_date"]

DMY = "%d/%m/%Y"
MDY = "%m/%d/%Y"
SERIAL_RANGE = (32874, 73050)  # 1990-01-01 .. 2099-12-31 in Excel's 1900 date system
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's 1900-02-29

_ISO_TIME = r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})" + _ISO_TIME)
_ISO_BASIC = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_DAY_MONTH = re.compile(r"(\d{1,2})[\s-]+([a-z]+)\.?,?[\s-]+(\d{4})")
_MONTH_DAY = re.compile(r"([a-z]+)\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4})")


def _make(year: int, month: int, day: int, text: str, field: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(f"not a date: {text[:30]!r}", field=field) from None


def _order(text: str) -> str | None:
    """DMY or MDY when a digits-only day/month value settles the order by itself, else None."""
    m = _NUMERIC.fullmatch(text.strip())
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(3))
    if a > 12 >= b:
        return DMY
    if b > 12 >= a:
        return MDY
    return None


def column_order(values: Iterable[str | None]) -> str | None:
    """The day/month order the column's values settle (DMY or MDY), or None when none or both do."""
    seen = {_order(v) for v in values if v}
    seen.discard(None)
    return seen.pop() if len(seen) == 1 else None


def parse_book_date(
    text: str, field: str = "date", date_format: str | None = None, order: str | None = None
) -> dt.date:
    """One date cell -> a date; InputError naming `field` when it is not one, or is ambiguous.

    `date_format` is the user's stated format for every value that is not ISO; `order` (DMY or MDY) is
    the day/month order the column settled (`column_order`), used for the ambiguous values only.
    """
    raw = text.strip()
    m = _ISO.fullmatch(raw)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw, field)
    if date_format:
        try:
            return dt.datetime.strptime(raw, date_format).date()
        except ValueError:
            raise InputError(
                f"{raw[:30]!r} is neither an ISO date nor in the stated format {date_format!r}", field=field
            ) from None
    m = _ISO_BASIC.fullmatch(raw)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw, field)
    m = _SERIAL.fullmatch(raw)
    if m:
        serial = int(m.group(1))
        if not SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
            raise InputError(
                f"{raw[:30]!r} is no plausible spreadsheet date (serials {SERIAL_RANGE[0]}-{SERIAL_RANGE[1]}"
                " are 1990-2099); write the date as YYYY-MM-DD",
                field=field,
            )
        return _EXCEL_EPOCH + dt.timedelta(days=serial)
    m = _YEAR_FIRST.fullmatch(raw)
    if m:
        return _make(int(m.group(1)), int(m.group(3)), int(m.group(4)), raw, field)
    low = raw.lower()
    m = _DAY_MONTH.fullmatch(low)
    if m and m.group(2) in _MONTHS:
        return _make(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)), raw, field)
    m = _MONTH_DAY.fullmatch(low)
    if m and m.group(1) in _MONTHS:
        return _make(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)), raw, field)
    m = _NUMERIC.fullmatch(raw)
    if m:
        a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        order = _order(raw) or order
        if order == DMY or a == b:
            return _make(year, b, a, raw, field)
        if order == MDY:
            return _make(year, a, b, raw, field)
        if a > 12 and b > 12:
            raise InputError(f"not a date: {raw[:30]!r}", field=field)
        raise InputError(
            f"{raw!r} is ambiguous ({_make(year, b, a, raw, field):%d %b %Y} or "
            f"{_make(year, a, b, raw, field):%d %b %Y}): state the order with --date-format "
            f"({DMY} or {MDY}) or write YYYY-MM-DD",
            field=field,
        )
    raise InputError(
        f"not a date: {raw[:30]!r} (write YYYY-MM-DD, or state the format with --date-format)", field=field
    )
