"""Secondary evidence of party-list entries: dates of birth, nationalities and identifiers.

OFAC writes them into an entry's remarks ("DOB 01 Jan 1970; POB ...; nationality Iran; Passport
E646989 (Iran); National ID No. 123 (Yemen); Vessel Registration Identification IMO 7406784"); the
official CSL files carry them in the fields dates_of_birth, nationalities, citizenships and ids. Both
become three list columns of the party tables (see docs/tables.md):

- `dates_of_birth`: "1970-01-01" (a day), "1970-01" (a month), "1970" (a year), "~1970" (circa a year),
  "1970/1972" (a range of years, both included);
- `nationalities`: ISO-2 codes (nationality and citizenship alike);
- `ids`: "kind|number|country": kind one of ID_KINDS, the number upper case with only its letters and
  digits, the issuing country as ISO-2 or empty.

Anything not recognised is left out (an unknown label is no identifier); the parsers never raise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from exportctl.sources._party import clean, resolve_iso2

__all__ = [
    "ID_KINDS",
    "EntryEvidence",
    "csl_dates_of_birth",
    "csl_ids",
    "id_label_kind",
    "id_number",
    "parse_dob",
    "parse_remarks",
]

# Labels of identifiers (OFAC remarks and CSL ids), lower case, to the kind an evidence step compares.
_LABELS: dict[str, tuple[str, ...]] = {
    "passport": ("passport", "diplomatic passport", "travel document number"),
    "national_id": (
        "national id no.", "national id number", "national id", "cedula no.", "c.u.r.p.", "c.u.r.p. #",
        "curp", "d.n.i.", "identification number", "personal id card", "national foreign id number",
        "turkish identification number", "numero de identidad", "citizen's card number", "kenyan id no.",
        "residency number", "ssn", "c.u.i.", "c.u.i.p.", "credencial electoral", "i.f.e.",
        "electoral registry no.", "birth certificate number", "id card", "identity card",
    ),
    "imo": (
        "vessel registration identification imo", "identification number imo", "company number imo", "imo",
        "vessel registration identification",
    ),
    "registration": (
        "registration number", "registration id", "business registration number", "company number",
        "commercial registry number", "government gazette number", "public registration number",
        "central registration system number", "chamber of commerce number",
        "unified social credit code (uscc)", "united social credit code certificate (usccc)",
        "folio mercantil no.", "matricula mercantil no",
        "legal entity number", "c.r. no.", "economic register number (cbls)",
        "business registration document #",
        "certificate of incorporation number", "uk company number", "business number", "enterprise number",
        "trade license no.", "d-u-n-s number", "istanbul chamber of comm. no.", "le number",
        "dubai chamber of commerce membership no.", "registered charity no.", "branch unit number",
    ),
    "tax": (
        "tax id no.", "tax id", "r.f.c.", "r.f.c. #", "rfc", "nit #", "ruc #", "v.a.t. number", "vat number",
        "rif #", "c.u.i.t.", "us fein", "italian fiscal code", "rtn",
    ),
    "swift": ("swift/bic",),
    "aircraft": ("aircraft manufacturer's serial number (msn)", "aircraft tail number"),
    "mmsi": ("mmsi",),
    "drivers_license": ("driver's license no.",),
}  # fmt: skip
LABEL_KIND = {label: kind for kind, labels in _LABELS.items() for label in labels}
ID_KINDS = tuple(_LABELS)
_LONGEST = sorted(LABEL_KIND, key=len, reverse=True)

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}  # fmt: skip
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]* (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_CIRCA = re.compile(r"^(?:circa|ca\.?|approximately|about)\s+(.+)$", re.I)
_RANGE = re.compile(r"^(.+?)\s+(?:to|-|–)\s+(.+)$")
_COUNTRY_TAIL = re.compile(r"\s*\(([^()]*)\)\s*$")
_AFTER_NUMBER = re.compile(r"\s+(?:issued|expires|valid|\(issued)\b.*$", re.I)
MIN_YEAR, MAX_YEAR = 1850, 2100


class EntryEvidence:
    """Evidence gathered for one entry, without repeats, in the order found."""

    def __init__(self) -> None:
        self.dates_of_birth: list[str] = []
        self.nationalities: list[str] = []
        self.ids: list[str] = []

    def add(self, column: list[str], values: Iterable[str]) -> None:
        """Append `values` to one of the lists, skipping repeats."""
        for v in values:
            if v and v not in column:
                column.append(v)


def _day(day: int, month: int, year: int) -> str | None:
    import datetime as dt

    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _one_date(text: str) -> tuple[str, int] | None:
    """One date as (canonical text, year)."""
    text = text.strip().rstrip(".")
    if m := _DAY_MONTH_YEAR.match(text):
        month = _MONTHS.get(m.group(2).lower())
        day = _day(int(m.group(1)), month, int(m.group(3))) if month else None
        return (day, int(m.group(3))) if day else None
    if m := _MONTH_YEAR.match(text):
        month = _MONTHS.get(m.group(1).lower())
        return (f"{m.group(2)}-{month:02d}", int(m.group(2))) if month else None
    if m := _YEAR.match(text):
        return text, int(text)
    if m := _ISO.match(text):
        if m.group(3) is None:
            month = int(m.group(2))
            return (f"{m.group(1)}-{month:02d}", int(m.group(1))) if 1 <= month <= 12 else None
        day = _day(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return (day, int(m.group(1))) if day else None
    return None


def parse_dob(text: str) -> str | None:
    """One date of birth as written by OFAC or the CSL -> its canonical form (module docstring), or None."""
    text = clean(text or "").strip().rstrip(".")
    if not text:
        return None
    circa = _CIRCA.match(text)
    if circa:
        text = circa.group(1)
    rng = _RANGE.match(text)
    if rng and not _ISO.match(text):
        lo, hi = _one_date(rng.group(1)), _one_date(rng.group(2))
        if lo is None or hi is None or not (MIN_YEAR <= lo[1] <= hi[1] <= MAX_YEAR):
            return None
        return str(lo[1]) if lo[1] == hi[1] else f"{lo[1]}/{hi[1]}"
    one = _one_date(text)
    if one is None or not MIN_YEAR <= one[1] <= MAX_YEAR:
        return None
    if circa:
        return f"~{one[1]}"
    return one[0]


def id_number(text: str) -> str:
    """An identifier as compared: upper case, letters and digits only ("E-64 698.9" -> "E646989")."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def id_label_kind(label: str) -> str | None:
    """The kind of an identifier label ("Passport", "Tax ID No." ...), or None when it names no id."""
    return LABEL_KIND.get(clean(label or "").lower().strip(" :"))


def _identifier(kind: str, raw: str, country: str) -> str | None:
    number = id_number(raw)
    if kind == "imo" and number.startswith("IMO"):
        number = number[3:]
    if len(number) < 3 or not any(ch.isdigit() for ch in number):
        return None  # "-", "N/A", a word: no number to compare
    return f"{kind}|{number}|{country}"


def _remark_id(segment: str) -> str | None:
    low = segment.lower()
    for label in _LONGEST:
        if low.startswith(label + " "):
            rest = segment[len(label) + 1 :].strip()
            rest = _AFTER_NUMBER.sub("", rest)
            country = ""
            m = _COUNTRY_TAIL.search(rest)
            if m:
                country = resolve_iso2(m.group(1)) or ""
                rest = rest[: m.start()]
            return _identifier(LABEL_KIND[label], rest, country)
    return None


def _segments(remarks: str) -> list[str]:
    # "; " separates the facts; a name in "a.k.a. 'X; Y'" never holds a DOB or an id label worth reading
    return [s.strip().rstrip(".").strip() for s in clean(remarks).split(";") if s.strip()]


def parse_remarks(remarks: str | None) -> EntryEvidence:
    """Dates of birth, nationalities (and citizenships) and identifiers written in OFAC remarks."""
    ev = EntryEvidence()
    for seg in _segments(remarks or ""):
        body = seg[5:].strip() if seg.lower().startswith("alt. ") else seg
        head, _, value = body.partition(" ")
        key = head.lower()
        if key == "dob":
            dob = parse_dob(value)
            ev.add(ev.dates_of_birth, [dob] if dob else [])
        elif key in ("nationality", "citizen"):
            code = resolve_iso2(value)
            ev.add(ev.nationalities, [code] if code else [])
        else:
            found = _remark_id(body)
            ev.add(ev.ids, [found] if found else [])
    return ev


def csl_dates_of_birth(value: str | None) -> list[str]:
    """The CSL's dates_of_birth field ("1978-12-05", "1955", "1974; 1975", "circa 1960")."""
    out: list[str] = []
    for part in clean(value or "").split(";"):
        dob = parse_dob(part.strip().removeprefix("and ").strip())
        if dob and dob not in out:
            out.append(dob)
    return out


def csl_ids(value: str | None) -> list[str]:
    """The CSL's ids field: "Passport, 836238033, KP" (2025 layout: label first) or "KP, 836238033, Passport"
    and "21795618, Passport" (2019 layout: label last); parts that are no identifier are left out."""
    out: list[str] = []
    for item in clean(value or "").split(";"):
        parts = [p.strip() for p in item.split(",") if p.strip()]
        if len(parts) < 2:
            continue
        for label_at in (0, len(parts) - 1):
            kind = id_label_kind(parts[label_at])
            if kind is None:
                continue
            rest = parts[:label_at] + parts[label_at + 1 :]
            country = ""
            if len(rest) >= 2:
                country = resolve_iso2(rest[0]) or resolve_iso2(rest[-1]) or ""
                number = rest[1] if resolve_iso2(rest[0]) else rest[0]
            else:
                number = rest[0]
            found = _identifier(kind, number, country)
            if found and found not in out:
                out.append(found)
            break
    return out
