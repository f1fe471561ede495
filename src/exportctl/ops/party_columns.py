"""Which column of a parties file (`exportctl screen FILE`) is which field: name, evidence, the caller's key.

Headers are the ones people export from CRMs, KYC tools and ERPs (`Account Name`, `Legal Name`, `Country
of Incorporation`, `Date of Birth`, `Passport No.`, `Kundenname`, `客户名称`), in the vocabulary of
data/vocabulary/party_headers.yaml, compared as order-book headers are (column_spellings) and read with
their notes (column_notes: `Country (ISO)`). The name column is required; two columns on one field are
refused by name (a second date of birth is not silently ignored); `--column HEADER=FIELD` and
`--ignore-column HEADER` settle both. Any other column is carried through to the output unread, and named.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from exportctl.errors import InputError
from exportctl.ops.column_notes import note_meaning, split_note
from exportctl.ops.column_spellings import normalise_header

__all__ = [
    "PARTY_FIELDS",
    "PartyPlacement",
    "id_kind_of",
    "party_field",
    "party_target",
    "place_party_columns",
]

PARTY_FIELDS = ("name", "country", "nationality", "dob", "id_number", "type", "id")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
# notes are read as the order book's are, under the field whose values are alike
_NOTE_AS = {"country": "destination", "nationality": "destination", "dob": "date"}


@cache
def _vocabulary() -> dict[str, dict[str, list[str]]]:
    """party_headers.yaml as written: {field: {language: [spelling]}}."""
    from importlib import resources

    import yaml

    path = resources.files("exportctl.data") / "vocabulary" / "party_headers.yaml"
    doc: dict[str, dict[str, list[str]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return doc


@cache
def _spellings() -> dict[str, str]:
    """{normalised spelling: field} over every language (German also typed without umlauts)."""
    doc = _vocabulary()
    unknown = sorted(set(doc) - set(PARTY_FIELDS))
    if unknown:
        raise ValueError(f"party_headers.yaml: {unknown} are not parties-file fields")
    table: dict[str, str] = {}
    for name in PARTY_FIELDS:
        table.setdefault(normalise_header(name), name)
        for language, words in (doc.get(name) or {}).items():
            for spelling in words:
                key = normalise_header(str(spelling))
                if table.setdefault(key, name) != name:
                    raise ValueError(f"party_headers.yaml: {spelling!r} is under two fields")
                if language == "de":
                    table.setdefault(normalise_header(str(spelling).translate(_UMLAUTS)), name)
    return table


def party_field(header: str) -> str | None:
    """The parties-file field a header reads as ('Account Name' -> name, 'Beneficiary Country' ->
    country), or None."""
    found = _field_of(header)
    if found is not None:
        return found
    # the party's role before a field ('Beneficiary Country', 'Customer Date of Birth', 'Client Tax ID'):
    # a payment or KYC file's columns name whose country or id they hold; the role is a name spelling
    words = normalise_header(header).split()
    for cut in (1, 2):
        if len(words) > cut and " ".join(words[:cut]) in _roles():
            return _field_of(" ".join(words[cut:]))
    return None


@cache
def _roles() -> frozenset[str]:
    """The name spellings that name a party's role ('customer', 'beneficiary', 'legal entity'): a header
    they begin names that party's field."""
    # the English ones: other languages put the role after the field or in one word (Land des Kunden,
    # Kundenland), and their words for 'name' itself (nom, naam, nombre) name no party
    names = [normalise_header(str(s)) for s in (_vocabulary().get("name") or {}).get("en", [])]
    # 'legal entity name' gives 'legal entity'; 'full name' and 'legal name' name no party
    return frozenset({s.removesuffix(" name") for s in names} - {"name", "full", "legal"})


def _field_of(header: str) -> str | None:
    """The field a header reads as on its own, notes included, or None."""
    spellings = _spellings()
    found = spellings.get(normalise_header(header))
    if found is not None:
        return found
    split = split_note(header)
    if split is None:
        return None
    base = spellings.get(normalise_header(split[0]))
    if base is None or base not in _NOTE_AS:
        return None
    meaning = note_meaning(_NOTE_AS[base], split[1])
    # a date of birth's stated format is not used by check_dob yet: such a note leaves the header unplaced
    return base if meaning is not None and meaning.date_format is None and meaning.currency is None else None


def id_kind_of(header: str) -> str | None:
    """The identifier kind a header names ('Passport No.' -> passport, 'IMO Number' -> imo), or None."""
    from exportctl.sources.evidence import ID_KINDS, id_label_kind

    words = normalise_header(header).split()
    while words and words[-1] in ("number", "id", "code"):
        words = words[:-1]
    label = " ".join(words)
    if label.replace(" ", "_") in ID_KINDS:
        return label.replace(" ", "_")
    return id_label_kind(label) or id_label_kind(header)


@dataclass(frozen=True)
class PartyPlacement:
    """{header: field} for the columns read, the columns carried through unread, the id column's kind, and
    the title rows skipped above the header (a report's name, its date, blank lines: files.read_titled)."""

    fields: dict[str, str]
    carried: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    id_kind: str | None = None
    title: list[str] = field(default_factory=list)
    # what was said of a workbook's sheets (xlsx.XlsxSheet.notes): a cover sheet skipped, others not read
    notes: list[str] = field(default_factory=list)


def place_party_columns(
    headers: Sequence[str],
    mapping: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    source: str = "the parties file",
) -> PartyPlacement:
    """Place a parties file's headers; InputError when it has no name column or two on one field."""
    mapping = {k.strip(): party_target(v, "the column map") for k, v in (mapping or {}).items()}
    skip = {i.strip() for i in ignore}
    stray = [h for h in [*mapping, *skip] if h not in {c.strip() for c in headers}]
    if stray:
        raise InputError(
            f"{source} has no column {stray[0]!r} (mapped or ignored); its columns: "
            + ", ".join(repr(h) for h in headers[:12]),
            field="columns",
            suggestions=difflib.get_close_matches(stray[0], list(headers), n=3, cutoff=0.5),
        )
    by_field: dict[str, list[str]] = {}
    carried: list[str] = []
    ignored: list[str] = []
    for header in headers:
        key = header.strip()
        if key in skip:
            ignored.append(header)
            continue
        name = mapping.get(key) or party_field(key)
        if name is None:
            carried.append(header)
        else:
            by_field.setdefault(name, []).append(header)
    for name, cols in by_field.items():
        if len(cols) > 1:
            raise InputError(
                f"{source}: columns {' and '.join(repr(c) for c in cols)} both read as {name}; say which one "
                f"is {name} (--column HEADER={name}) and map or ignore the other (--ignore-column HEADER)",
                field="columns",
                suggestions=cols,
            )
    if "name" not in by_field:
        close = [h for h in headers if _looks_like_a_name(h)]
        raise InputError(
            f"{source} has no column of party names; its columns: "
            + ", ".join(repr(h) for h in headers[:12])
            + " (name it 'name', or map it: --column HEADER=name)",
            field="name",
            suggestions=[f"{h}=name" for h in close] or ["name"],
        )
    placed = {cols[0]: name for name, cols in by_field.items()}
    id_header = next((h for h, f in placed.items() if f == "id_number"), None)
    return PartyPlacement(placed, carried, ignored, id_kind_of(id_header) if id_header else None)


def party_target(name: str, source: str) -> str:
    """The parties-file field `name` reads as; InputError naming the fields when it is none."""
    found = party_field(name)
    if found is None:
        raise InputError(
            f"{source}: {name!r} is not a parties-file field; the fields: {', '.join(PARTY_FIELDS)}",
            field="columns",
            suggestions=difflib.get_close_matches(name, PARTY_FIELDS, n=2, cutoff=0.5),
        )
    return found


def _looks_like_a_name(header: str) -> bool:
    words = normalise_header(header).split()
    return bool(words) and words[-1] in ("name", "party", "company", "entity", "customer", "account")
