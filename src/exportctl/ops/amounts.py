"""Amounts as order books write them: '12,000.50', '12.000,50', "1'500.00", '1 500', '$1,500', 'USD 1500',
'1.500,00 €'. A value read too small could let License Exception LVS through, so where a cell can be read
two ways ('1,500': 1500 or 1.5) the larger reading is taken, and a cell in another currency is named."""

from __future__ import annotations

import math
import re

from exportctl.errors import InputError

USD = ("USD", "US$", "$", "USDOLLAR", "USDOLLARS", "DOLLAR", "DOLLARS")
# the number inside a cell: digits with the separators books use (comma, dot, apostrophe, spaces)
_CORE = re.compile(r"\d(?:[\d.,'\u2019 \u00a0\u202f]*\d)?")
_SPACES = re.compile(r"['\u2019 \u00a0\u202f]")
_SCIENTIFIC = re.compile(r"^\+?\d+(?:\.\d+)?[eE][+-]?\d+$")
_MARK = re.compile(r"^[A-Z$€£¥₩₹₽¥]{1,8}$")


def amount(text: str) -> tuple[float, str | None]:
    """(the amount, the currency written in the cell, None when none or US dollars); InputError on
    anything that is not one non-negative finite amount."""
    cell = text.strip()
    if _SCIENTIFIC.match(cell):  # a float written out by a program ('1.5e+06')
        value = float(cell)
        if not math.isfinite(value):
            raise InputError(f"not a finite amount: {text[:40]!r}", field="value")
        return value, None
    found = list(_CORE.finditer(cell))
    if len(found) != 1:
        raise InputError(f"not an amount: {text[:40]!r}", field="value")
    core = found[0]
    rest = (cell[: core.start()] + " " + cell[core.end() :]).strip()
    negative = rest.startswith("-") or rest.endswith("-") or (rest.startswith("(") and rest.endswith(")"))
    mark = re.sub(r"[\s.]", "", rest.lstrip("+")).upper()
    if negative or (mark and not _MARK.match(mark)):
        raise InputError(f"not a non-negative amount: {text[:40]!r}", field="value")
    value = _number(core.group(0))
    if not math.isfinite(value):
        raise InputError(f"not a finite amount: {text[:40]!r}", field="value")
    return value, (None if not mark or mark in USD else mark)


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
