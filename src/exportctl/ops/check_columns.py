"""Which column of an order book is which field: the headers people export, an explicit mapping, refusals.

A header is compared after normalisation (column_spellings: `Ship-To Country`, `ship_to_country`,
`SHIP TO CTRY` and `ShipToCountry` are one name), or by the note it carries (column_notes: `Value (EUR)`,
`Ship Date (DD/MM/YYYY)`). Every column is placed: on a field the determination reads, on a reference
kept for the user to join back (order id, part number, quantity ...), on an earlier result (re-checking
a results file), or ignored because the user said so. A column that is none of these refuses the run
(InputError, field `columns`): a column dropped silently once cleared listed customers.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exportctl.errors import InputError
from exportctl.ops.column_notes import HeaderNote, note_meaning, split_note
from exportctl.ops.column_spellings import (
    FIELDS,
    PARTY_ROLES,
    REFERENCE_FIELDS,
    SPELLINGS,
    field_of,
    normalise_header,
    other_languages,
)

__all__ = [
    "FIELDS",
    "ORDER_BOOK",
    "PARTY_ROLES",
    "REFERENCE_FIELDS",
    "Placement",
    "Vocabulary",
    "column_map_text",
    "column_options",
    "field_of",
    "load_column_map",
    "normalise_header",
    "noted_field",
    "other_languages",
    "place_columns",
]

RESULT_NAMES = frozenset(
    {
        "verdict",
        "license_required",
        "reasons",
        "review_policy",
        "exceptions",
        "screening",
        "data_version",
        "engine_version",
        "regime",
        "error",
        "parties_screened",
        "checks",
        "reasons_short",
    }
)


@dataclass(frozen=True)
class Vocabulary:
    """The fields one kind of file is read into: how a header reads, which fields are references (kept
    for the user, several columns each), every spelling (for suggestions) and a few to quote."""

    reads: Callable[[str], str | None]
    references: tuple[str, ...]
    fields: tuple[str, ...]
    spellings: Mapping[str, str]
    examples: str


ORDER_BOOK = Vocabulary(
    field_of, REFERENCE_FIELDS, tuple(FIELDS), SPELLINGS, "'Ship-To Country', 'Customer', 'SO Number'"
)


@dataclass(frozen=True)
class Placement:
    """Where each column of a book went: `fields` (field -> header), references, results, ignored."""

    fields: dict[str, str]
    references: dict[str, list[str]] = field(default_factory=dict)
    results: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # what notes in the headers said (column_notes): the values' currency, a date column's format
    currency: str | None = None
    date_formats: dict[str, str] = field(default_factory=dict)

    @property
    def has_parties(self) -> bool:
        """True when some column holds party names."""
        return any(r in self.fields for r in PARTY_ROLES)

    def header(self, name: str) -> str | None:
        """The book's header placed on `name` (a field or the first reference column), or None."""
        return self.fields.get(name) or next(iter(self.references.get(name, [])), None)


def noted_field(header: str, reads: Callable[[str], str | None] = field_of) -> tuple[str, HeaderNote] | None:
    """A header whose note is understood ('Value (EUR)', 'Ship Date (DD/MM/YYYY)') -> (field, note)."""
    split = split_note(header)
    if split is None:
        return None
    name = reads(split[0])
    meaning = note_meaning(name, split[1]) if name is not None else None
    return (name, meaning) if name is not None and meaning is not None else None


def _target(name: str, source: str) -> str:
    found = field_of(name)
    if found is None:
        close = difflib.get_close_matches(normalise_header(name), sorted(SPELLINGS), n=3, cutoff=0.6)
        raise InputError(
            f"{source}: {name!r} is not a field; the fields: {', '.join(FIELDS)}",
            field="columns",
            suggestions=list(dict.fromkeys(SPELLINGS[c] for c in close)),
        )
    return found


def column_options(
    pairs: Iterable[str],
    reads: Callable[[str], str | None] = field_of,
    target: Callable[[str, str], str] | None = None,
) -> dict[str, str]:
    """`--column HEADER=FIELD` options -> {header: field}; the last '=' splits (headers may hold one).

    `reads` and `target` are the order book's (field_of, an InputError naming the fields) unless given:
    a parties file passes its own (party_columns)."""
    out: dict[str, str] = {}
    for pair in pairs:
        header, sep, name = pair.rpartition("=")
        if not sep or not header.strip() or not name.strip():
            raise InputError(f"--column takes HEADER=FIELD, not {pair!r}", field="columns")
        if reads(name) is None and reads(header) is not None:
            raise InputError(
                f"--column takes HEADER=FIELD (their header first), not {pair!r}",
                field="columns",
                suggestions=[f"{name}={header}"],
            )
        out[header.strip()] = (target or _target)(name.strip(), "--column")
    return out


def load_column_map(path: str | Path, target: Callable[[str, str], str] | None = None) -> dict[str, str]:
    """A YAML file `{their header: field}` -> {header: field}; InputError naming the file otherwise.
    `target` reads a field name (the order book's unless given)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the column map: {err}", field="columns", file=str(p)) from None
    return column_map_text(text, p.name, target)


def column_map_text(
    text: str, source: str = "the column map", target: Callable[[str, str], str] | None = None
) -> dict[str, str]:
    """A YAML (or JSON) object `{their header: field}` -> {header: field}; InputError otherwise."""
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        first = (str(err).splitlines() or [type(err).__name__])[0][:160]
        raise InputError(f"cannot read {source}: {first}", field="columns") from None
    if not isinstance(doc, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in doc.items()
    ):
        raise InputError(
            f"{source} is a mapping of their header to a field, e.g. 'Geschäftspartner: customer'",
            field="columns",
        )
    return {k.strip(): (target or _target)(v, source) for k, v in doc.items()}


def _result_like(header: str, text_columns: frozenset[str] | None) -> bool:
    if header in RESULT_NAMES:
        return True
    # a results file's `parties` is a list of hits; a text column of that name holds names to screen
    return header == "parties" and text_columns is not None and header not in text_columns


def place_columns(
    headers: Sequence[str],
    mapping: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    *,
    text_columns: Iterable[str] | None = None,
    source: str = "the order book",
    vocabulary: Vocabulary = ORDER_BOOK,
) -> Placement:
    """Place every header on a field; InputError (field `columns`) naming each one that has no place.

    `mapping` {header: field} overrides the recognised spellings; `ignore` lists headers to leave out.
    Two columns on one field the determination reads are refused by name (references may repeat).
    `vocabulary` is the order book's unless given (a tariff lines file: ops.tariff_columns).
    """
    mapping = {k.strip(): v for k, v in (mapping or {}).items()}
    skip = {i.strip() for i in ignore}
    texts = frozenset(text_columns) if text_columns is not None else None
    stray = [h for h in [*mapping, *skip] if h not in {c.strip() for c in headers}]
    if stray:
        raise InputError(
            f"{source} has no column {stray[0]!r} (mapped or ignored); its columns: "
            + ", ".join(repr(h) for h in headers[:12]),
            field="columns",
            suggestions=difflib.get_close_matches(stray[0], list(headers), n=3, cutoff=0.5),
        )
    fields: dict[str, list[str]] = {}
    refs: dict[str, list[str]] = {}
    results: list[str] = []
    ignored: list[str] = []
    unplaced: list[str] = []
    notes: dict[str, HeaderNote] = {}
    results_file = "verdict" in headers
    for header in headers:
        key = header.strip()
        if key in skip:
            ignored.append(header)
            continue
        name = mapping.get(key) or (None if _result_like(key, texts) else vocabulary.reads(key))
        if name is None and not _result_like(key, texts):
            noted = noted_field(key, vocabulary.reads)
            if noted is not None:
                name, notes[header] = noted
        if name is None:
            (results if _result_like(key, texts) else unplaced).append(header)
        elif name in vocabulary.references:
            refs.setdefault(name, []).append(header)
        else:
            fields.setdefault(name, []).append(header)
    if unplaced:
        raise _unplaced(unplaced, source, vocabulary)
    for name, cols in fields.items():
        if len(cols) > 1 and results_file and name in ("date", "known_on"):
            # re-checking a results file: its as_of/known_on columns are the answers, the book's own win
            earlier = [c for c in cols if c.strip() in ("as_of", "known_on")]
            if earlier and len(earlier) < len(cols):
                results.extend(earlier)
                cols[:] = [c for c in cols if c not in earlier]
        if len(cols) > 1:
            raise InputError(
                f"{source}: columns {' and '.join(repr(c) for c in cols)} both read as {name}; "
                f"say which one is {name} (--column HEADER={name}) and map or ignore the other "
                "(--ignore-column HEADER)",
                field="columns",
                suggestions=cols,
            )
    placed = {k: v[0] for k, v in fields.items()}
    return Placement(placed, refs, results, ignored, *_noted(placed, notes, source))


def _noted(
    placed: Mapping[str, str], notes: Mapping[str, HeaderNote], source: str
) -> tuple[str | None, dict[str, str]]:
    """(the currency a value header names, {date field: format its header states})."""
    currency = next((n.currency for h, n in notes.items() if n.currency and placed.get("value") == h), None)
    if currency is not None and "currency" in placed:
        raise InputError(
            f"{source}: column {placed['value']!r} names its currency ({currency}) and column "
            f"{placed['currency']!r} gives one per row; map or ignore one of them (--ignore-column HEADER)",
            field="columns",
            suggestions=[placed["value"], placed["currency"]],
        )
    formats = {
        name: note.date_format
        for name, header in placed.items()
        if (note := notes.get(header)) is not None and note.date_format
    }
    return currency, formats


def _closest(name: str, spellings: Mapping[str, str]) -> list[str]:
    """The spelling to suggest for an unplaced header: its longest known tail ('material eccn' -> 'eccn',
    English puts the head noun last), else the closest spelling by letters."""
    words = name.split()
    for k in range(1, len(words)):
        tail = " ".join(words[k:])
        if tail in spellings:
            return [tail]
    return difflib.get_close_matches(name, sorted(spellings), n=1, cutoff=0.6)


def _unplaced(headers: list[str], source: str, vocabulary: Vocabulary = ORDER_BOOK) -> InputError:
    names: list[str] = []
    hints: list[str] = []
    spellings = vocabulary.spellings
    for h in headers:
        close = _closest(normalise_header(h), spellings)
        if close:
            names.append(f"{h!r} (closest: {spellings[close[0]]})")
            hints.append(f"{h}={spellings[close[0]]}")
        else:
            names.append(repr(h))
    return InputError(
        f"{source}: cannot place column{'s' if len(headers) > 1 else ''} {', '.join(names)}; "
        f"accepted fields: {', '.join(vocabulary.fields)} (spellings such as {vocabulary.examples}); "
        "map with --column HEADER=FIELD or --columns map.yaml, "
        "or leave out with --ignore-column HEADER",
        field="columns",
        suggestions=hints,
    )
