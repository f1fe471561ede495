"""Notes people write inside order-book headers: a unit, a date format, a code standard.

`Order Date (DD/MM/YYYY)`, `Ship Date (UTC)`, `Value (EUR)`, `Net Value [USD]`, `Amount EUR`,
`Destination (ISO 3166)`, `ECCN Code`, `Country Code`, `ECCN (US)`: the header without its note names a
field, and the note either says nothing the determination needs (a code standard, a time zone) or says
something it must use: a currency (the values are in it: anything but USD holds the row, as a currency
column would) or a day/month order (read as a stated `--date-format` for that column). A note that is
none of these leaves the header unplaced, so the run stops naming it: `Value (USD thousands)` or
`Value (k)` must not be read as dollars, and `Customer Code` is an identifier, not a party's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["HeaderNote", "note_meaning", "split_note"]

# fields whose values are codes: `<field> code` and `<field> (ISO ...)` say nothing more
_CODE_FIELDS = frozenset(
    {
        "eccn",
        "hts",
        "destination",
        "exporting_country",
        "currency",
        "ultimate_consignee_country",
        "end_user_country",
        "intermediate_consignee_country",
        "purchaser_country",
        "origin",  # a tariff line's country of origin (ops.tariff_columns)
    }
)
_COUNTRY_FIELDS = _CODE_FIELDS - {"eccn", "hts", "currency"}
_DATE_FIELDS = frozenset({"date", "known_on"})
# notes that name a code standard or a time zone: nothing for the determination to use
_NEUTRAL: dict[str, frozenset[str]] = {
    "code": _CODE_FIELDS,
    "iso": _COUNTRY_FIELDS | {"currency"},
    "iso code": _COUNTRY_FIELDS | {"currency"},
    "iso 3166": _COUNTRY_FIELDS,
    "iso 3166 1": _COUNTRY_FIELDS,
    "iso 3166 alpha 2": _COUNTRY_FIELDS,
    "iso2": _COUNTRY_FIELDS,
    "iso 2": _COUNTRY_FIELDS,
    "alpha 2": _COUNTRY_FIELDS,
    "alpha2": _COUNTRY_FIELDS,
    "2 letter": _COUNTRY_FIELDS,
    "2 letter code": _COUNTRY_FIELDS,
    "iso 4217": frozenset({"currency"}),
    "us": frozenset({"eccn"}),
    "ear": frozenset({"eccn"}),
    "us ear": frozenset({"eccn"}),
    "utc": _DATE_FIELDS,
    "gmt": _DATE_FIELDS,
    "local": _DATE_FIELDS,
    "local time": _DATE_FIELDS,
}
# currency signs written for a currency code; the yen/yuan sign is both JPY and CNY, so it is not read
_SIGNS = {"$": "USD", "us$": "USD", "usd$": "USD", "€": "EUR", "£": "GBP", "rmb": "CNY"}
_BRACKETED = re.compile(r"\s*(?P<base>.*?\S)\s*(?:\((?P<p>[^()]*)\)|\[(?P<s>[^\[\]]*)\])\s*")
_DATE_PATTERN = re.compile(r"(?P<a>dd?|mm?|yyyy|yy)(?P<sep>[/.\- ])(?P<b>dd?|mm?)(?P=sep)(?P<c>yyyy|yy|dd?)")
_STRPTIME = {"d": "%d", "dd": "%d", "m": "%m", "mm": "%m", "yyyy": "%Y", "yy": "%y"}


@dataclass(frozen=True)
class HeaderNote:
    """What a header's note adds: the values' currency, or the strptime format of a date column."""

    currency: str | None = None
    date_format: str | None = None


def split_note(header: str) -> tuple[str, str] | None:
    """'Value (EUR)' -> ('Value', 'EUR'); 'Amount EUR' / 'ECCN Code' -> their last word apart; else None."""
    m = _BRACKETED.fullmatch(header)
    if m:
        note = m.group("p") if m.group("p") is not None else m.group("s")
        return m.group("base"), (note or "").strip()
    words = header.strip().rsplit(None, 1)
    if len(words) == 2 and words[1].strip():
        return words[0], words[1]
    return None


def _currency(note: str) -> str | None:
    text = note.strip().casefold()
    if text in _SIGNS:
        return _SIGNS[text]
    if re.fullmatch(r"[a-z]{3}", text):
        import pycountry

        found = pycountry.currencies.get(alpha_3=text.upper())
        return str(found.alpha_3) if found is not None else None
    return None


def _date_format(note: str) -> str | None:
    m = _DATE_PATTERN.fullmatch(note.strip().casefold())
    if not m:
        return None
    parts = [m.group("a"), m.group("b"), m.group("c")]
    kinds = sorted(p[0] for p in parts)
    if kinds != ["d", "m", "y"]:
        return None
    if parts[0][0] == "y" and parts[1][0] != "m":  # year first is always year, month, day
        return None
    return m.group("sep").join(_STRPTIME[p] for p in parts)


def note_meaning(field: str, note: str) -> HeaderNote | None:
    """What `note` says about the column of `field`, or None when it is not understood there."""
    words = " ".join(re.sub(r"[\W_]+", " ", note.casefold()).split())
    if field in _NEUTRAL.get(words, ()):
        return HeaderNote()
    if field == "value":
        currency = _currency(note)
        return HeaderNote(currency=currency) if currency else None
    if field in _DATE_FIELDS:
        fmt = _date_format(note)
        return HeaderNote(date_format=fmt) if fmt else None
    return None
