"""Amounts as order books and entry lines write them: '12,000.50', '12.000,50', "1'500.00", '1 500', '$1,500',
'USD 1500', '1.500,00 €'. A value read too small could let License Exception LVS through, or price a duty
a thousand times too low, so where a cell can be read two ways ('1,500': 1500 or 1.5) the larger reading is
taken, and a cell in another currency is named, never read as dollars. Every reader of amounts (order
books, tariff lines, the CLI's and API's --value) goes through this module."""

from __future__ import annotations

import math
import re

import polars as pl

from exportctl.errors import InputError

USD = ("USD", "US$", "$", "USDOLLAR", "USDOLLARS", "DOLLAR", "DOLLARS")
# the number inside a cell: digits with the separators books use (comma, dot, apostrophe, spaces)
_CORE = re.compile(r"\d(?:[\d.,'\u2019 \u00a0\u202f]*\d)?")
_SPACES = re.compile(r"['\u2019 \u00a0\u202f]")
_SCIENTIFIC = re.compile(r"^\+?\d+(?:\.\d+)?[eE][+-]?\d+$")
_MARK = re.compile(r"^[A-Z$€£¥₩₹₽¥]{1,8}$")


def amount(text: str, field: str = "value") -> tuple[float, str | None]:
    """(the amount, the currency written in the cell, None when none or US dollars); InputError naming
    `field` on anything that is not one non-negative finite amount."""
    value, mark = _read(text, field)
    return value, (None if not mark or mark in USD else mark)


def _read(text: str, field: str) -> tuple[float, str]:
    """(the amount, the mark written beside it in upper case: '' when none)."""
    cell = text.strip()
    if _SCIENTIFIC.match(cell):  # a float written out by a program ('1.5e+06')
        value = float(cell)
        if not math.isfinite(value):
            raise InputError(f"not a finite amount: {text[:40]!r}", field=field)
        return value, ""
    found = list(_CORE.finditer(cell))
    if len(found) != 1:
        raise InputError(f"not an amount: {text[:40]!r}", field=field)
    core = found[0]
    rest = (cell[: core.start()] + " " + cell[core.end() :]).strip()
    negative = rest.startswith("-") or rest.endswith("-") or (rest.startswith("(") and rest.endswith(")"))
    mark = re.sub(r"[\s.]", "", rest.lstrip("+")).upper()
    if negative or (mark and not _MARK.match(mark)):
        raise InputError(f"not a non-negative amount: {text[:40]!r}", field=field)
    value = _number(core.group(0))
    if not math.isfinite(value):
        raise InputError(f"not a finite amount: {text[:40]!r}", field=field)
    return value, mark


def _number(core: str) -> float:
    """The digits and separators of one amount as a number, the larger reading where two exist."""
    digits = _SPACES.sub("", core)
    comma, dot = digits.rfind(","), digits.rfind(".")
    if comma >= 0 and dot >= 0:  # both: the last one is the decimal mark
        decimal, thousands = (",", ".") if comma > dot else (".", ",")
        return float(digits.replace(thousands, "").replace(decimal, "."))
    mark = "," if comma >= 0 else ("." if dot >= 0 else "")
    if not mark:
        return float(digits)
    parts = digits.split(mark)
    if len(parts) > 2:  # 1,000,000 or 1.000.000: grouping only
        return float("".join(parts))
    whole, tail = parts
    if len(tail) == 3 and whole != "0" and len(whole) <= 3:
        # '1,500' or '12.000': grouping in one notation, a decimal mark in the other: the larger reading
        return float(whole + tail)
    return float(f"{whole}.{tail}")


_TWO_WAYS = re.compile(r"^\d{1,3}\.\d{3}$")


def number_text(value: float) -> str:
    """A typed number as text that `amount` reads back as that number: '1.234' (which it would read as
    1,234, the larger reading) is written '1.2340'."""
    text = str(value)
    return text + "0" if isinstance(value, float) and _TWO_WAYS.match(text) else text


def given_amount(given: float | str, field: str = "value") -> tuple[float, str | None]:
    """As `amount`, for a number as well as a cell's text (a number is taken as it is: only text is read
    two ways); InputError naming `field`."""
    if isinstance(given, str):
        return amount(given, field)
    if isinstance(given, bool) or not (math.isfinite(given) and given >= 0):
        raise InputError(f"not a finite, non-negative amount: {given!r}", field=field)
    return float(given), None


def dollars(given: float | str, field: str = "value") -> float:
    """A dollar amount from a number or a cell's text ('12.000,50', '$1,500', 'USD 1500'); InputError naming
    `field` on anything else, a cell in another currency included (it is never priced as dollars)."""
    value, currency = given_amount(given, field)
    if currency is not None:
        raise InputError(
            f"the {field.replace('_', ' ')} is in {currency} ({str(given)[:40]!r}): duties are charged on US "
            "dollars: convert it",
            field=field,
        )
    return value


def count(given: float | str, field: str = "quantity") -> float:
    """A non-negative number (a quantity) from a number or a cell's text, in any notation `amount` reads,
    with no currency or other mark; InputError naming `field`."""
    if not isinstance(given, str):
        return given_amount(given, field)[0]
    value, mark = _read(given, field)
    if mark:
        raise InputError(f"not a number: {given[:40]!r}", field=field)
    return value


def read_cells(cells: pl.Series, field: str, money: bool = True) -> tuple[pl.Series, pl.Series]:
    """A column of amounts (numbers as they are, text read once per distinct cell) -> (Float64 amounts,
    Utf8 problems: 'invalid', or 'not_usd' where a money cell names another currency; null where read)."""
    if cells.dtype.is_numeric():
        n = pl.col("n")
        ok = n.is_finite() & (n >= 0)
        out = (
            cells.cast(pl.Float64)
            .to_frame("n")
            .select(
                pl.when(ok).then(n).alias("value"),
                pl.when(n.is_not_null() & ~ok).then(pl.lit("invalid")).alias("problem"),
            )
        )
        return out["value"], out["problem"]
    text = cells.cast(pl.Utf8).str.strip_chars().replace("", None)
    read: dict[str, tuple[float | None, str | None]] = {}
    for cell in text.unique().drop_nulls().to_list():
        try:
            number, mark = _read(cell, field)
        except InputError:
            read[cell] = (None, "invalid")
            continue
        if money and mark and mark not in USD:
            read[cell] = (None, "not_usd")
        else:
            read[cell] = (number, None) if money or not mark else (None, "invalid")
    values = text.replace_strict({k: v[0] for k, v in read.items()}, default=None, return_dtype=pl.Float64)
    problems = text.replace_strict({k: v[1] for k, v in read.items()}, default=None, return_dtype=pl.Utf8)
    return values, problems
