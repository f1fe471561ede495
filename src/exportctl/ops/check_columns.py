"""Which column of an order book is which field: the headers people export, an explicit mapping, refusals.

A header is compared after normalisation (case, spaces, punctuation, camelCase and the usual
abbreviations folded: `Ship-To Country`, `ship_to_country`, `SHIP TO CTRY` and `ShipToCountry` are one
name). Every column is placed: on a field the determination reads, on a reference kept for the user to
join back (order id, part number, quantity ...), on an earlier result (re-checking a results file), or
ignored because the user said so. A column that is none of these refuses the run (InputError, field
`columns`): a column dropped silently once cleared listed customers.

Party roles, as an EAR compliance reader takes them (15 CFR 748.5 names the parties):
customer / sold-to / bill-to / buyer / client -> purchaser; consignee / ship-to party -> ultimate
consignee; end user / end customer -> end user; forwarder -> intermediate consignee. The engines screen
all four roles alike (15 CFR 744.11 applies to any party to the transaction), so the role chosen never
decides whether a name is screened; two columns may not share one role.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exportctl.errors import InputError

__all__ = [
    "FIELDS",
    "PARTY_ROLES",
    "REFERENCE_FIELDS",
    "Placement",
    "column_map_text",
    "column_options",
    "field_of",
    "load_column_map",
    "normalise_header",
    "other_languages",
    "place_columns",
]

PARTY_ROLES = ("ultimate_consignee", "end_user", "intermediate_consignee", "purchaser")

_PARTY_ALIASES: dict[str, tuple[str, ...]] = {
    "ultimate_consignee": (
        "ultimate consignee",
        "consignee",
        "ship to",
        "ship to party",
        "ship to customer",
        "ship to name",
        "recipient",
        "deliver to",
    ),
    "end_user": ("end user", "end customer", "final user", "ultimate end user"),
    "intermediate_consignee": (
        "intermediate consignee",
        "forwarder",
        "freight forwarder",
        "forwarding agent",
    ),
    "purchaser": (
        "purchaser",
        "customer",
        "sold to",
        "sold to party",
        "sold to customer",
        "bill to",
        "bill to party",
        "bill to customer",
        "buyer",
        "client",
    ),
}

# field (user-facing name) -> accepted spellings, before normalisation; the field's own name is one
FIELDS: dict[str, tuple[str, ...]] = {
    "exporting_country": (
        "exporting",
        "exporter country",
        "export country",
        "country of export",
        "ship from country",
        "from country",
        "from",
        "jurisdiction",
    ),
    "eccn": (
        "item",
        "classification",
        "export classification",
        "export control classification number",
        "control code",
        "ccl",
    ),
    "hts": ("hts code", "htsus", "hs code", "hs", "customs code", "cn customs code", "tariff code"),
    "product": ("product name", "model"),
    "description": (
        "item description",
        "product description",
        "material description",
        "goods description",
    ),
    "destination": (
        "to",
        "country",
        "destination country",
        "country of destination",
        "country of ultimate destination",
        "ultimate destination",
        "ship to country",
        "delivery country",
    ),
    "end_use": ("enduse", "intended end use"),
    "value": (
        "value usd",
        "usd",
        "amount",
        "amount usd",
        "extended value",
        "extended amount",
        "extended price",
        "line value",
        "line amount",
        "net value",
        "net amount",
        "total value",
        "order value",
        "invoice value",
    ),
    "currency": ("currency code", "curr", "ccy", "cur"),
    "date": (
        "as of",
        "ship date",
        "shipping date",
        "shipment date",
        "export date",
        "date of export",
        "order date",
        "planned ship date",
        "delivery date",
    ),
    "known_on": (),
    **{role: aliases for role, aliases in _PARTY_ALIASES.items()},
    **{
        f"{role}_country": tuple(f"{a} country" for a in aliases if not a.startswith("ship to"))
        for role, aliases in _PARTY_ALIASES.items()
    },
    # references: kept in the output for the user to join back; several columns may share one
    "order_id": (
        "id",
        "order",
        "order number",
        "so",
        "so number",
        "sales order",
        "sales order number",
        "po",
        "po number",
        "purchase order",
        "purchase order number",
        "customer po",
        "customer po number",
        "reference",
        "reference number",
        "transaction id",
        "invoice",
        "invoice number",
        "shipment id",
        "shipment number",
        "delivery number",
        "document number",
    ),
    "part_number": (
        "part",
        "sku",
        "material",
        "material number",
        "item number",
        "product code",
        "product number",
        "mpn",
        "manufacturer part number",
        "article number",
    ),
    "quantity": ("order quantity", "units", "pieces"),
    "line": ("line number", "line item", "position", "pos"),
    "note": ("notes", "comment", "comments", "remark", "remarks", "memo"),
}
REFERENCE_FIELDS = ("order_id", "part_number", "quantity", "line", "note")
# a party column is also read under "<role alias> name" ('Customer Name', 'End User Name')
_NAMED = {f"{a} name": role for role, aliases in _PARTY_ALIASES.items() for a in (role, *aliases)}

_ABBREVIATIONS = {
    "no": "number",
    "nr": "number",
    "num": "number",
    "nbr": "number",
    "qty": "quantity",
    "ctry": "country",
    "cntry": "country",
    "desc": "description",
    "descr": "description",
    "amt": "amount",
    "val": "value",
    "ref": "reference",
    "cust": "customer",
    "dest": "destination",
    "dt": "date",
    "shipto": "ship to",
    "soldto": "sold to",
    "billto": "bill to",
    "enduser": "end user",
}


def _fold_latin_accents(text: str) -> str:
    """'Date d'expédition' -> 'Date d'expedition': marks on Latin letters only (kana keep their dakuten)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def normalise_header(name: str) -> str:
    """A header as compared: 'Ship-To Country', 'ship_to_country', 'ShipToCtry' -> 'ship to country'."""
    text = _fold_latin_accents(unicodedata.normalize("NFKC", str(name)))
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)  # camelCase
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)  # 'SONumber'
    text = text.casefold().replace("#", " number ").replace("&", " and ")
    words = re.sub(r"[\W_]+", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def other_languages() -> dict[str, dict[str, list[str]]]:
    """The headers in other languages, {field: {language: [spelling, ...]}} (data/vocabulary)."""
    from importlib import resources

    import yaml

    path = resources.files("exportctl.data") / "vocabulary" / "column_headers.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = sorted(set(doc) - set(FIELDS))
    if unknown:
        raise ValueError(f"column_headers.yaml: {unknown} are not fields")
    return {name: {lang: [str(s) for s in words] for lang, words in by.items()} for name, by in doc.items()}


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, aliases in FIELDS.items():
        for spelling in (name, *aliases):
            table.setdefault(normalise_header(spelling), name)
    for spelling, role in _NAMED.items():
        table.setdefault(normalise_header(spelling), role)
    for name, by_language in other_languages().items():
        for language, words in by_language.items():
            for spelling in words:
                table.setdefault(normalise_header(spelling), name)
                if language == "de":  # 'Warenempfaenger', as German is typed without umlauts
                    table.setdefault(normalise_header(spelling.translate(_UMLAUTS)), name)
    # the engines' own column names stay accepted
    table.update({"as of": "date", "item": "eccn", "exporting": "exporting_country"})
    return table


SPELLINGS = _lookup()
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
class Placement:
    """Where each column of a book went: `fields` (field -> header), references, results, ignored."""

    fields: dict[str, str]
    references: dict[str, list[str]] = field(default_factory=dict)
    results: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def has_parties(self) -> bool:
        """True when some column holds party names."""
        return any(r in self.fields for r in PARTY_ROLES)

    def header(self, name: str) -> str | None:
        """The book's header placed on `name` (a field or the first reference column), or None."""
        return self.fields.get(name) or next(iter(self.references.get(name, [])), None)


def field_of(spelling: str) -> str | None:
    """The field a header or field name reads as, or None."""
    return SPELLINGS.get(normalise_header(spelling))


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


def column_options(pairs: Iterable[str]) -> dict[str, str]:
    """`--column HEADER=FIELD` options -> {header: field}; the last '=' splits (headers may hold one)."""
    out: dict[str, str] = {}
    for pair in pairs:
        header, sep, target = pair.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            raise InputError(f"--column takes HEADER=FIELD, not {pair!r}", field="columns")
        if field_of(target) is None and field_of(header) is not None:
            raise InputError(
                f"--column takes HEADER=FIELD (their header first), not {pair!r}",
                field="columns",
                suggestions=[f"{target}={header}"],
            )
        out[header.strip()] = _target(target.strip(), "--column")
    return out


def load_column_map(path: str | Path) -> dict[str, str]:
    """A YAML file `{their header: field}` -> {header: field}; InputError naming the file otherwise."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the column map: {err}", field="columns", file=str(p)) from None
    return column_map_text(text, p.name)


def column_map_text(text: str, source: str = "the column map") -> dict[str, str]:
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
    return {k.strip(): _target(v, source) for k, v in doc.items()}


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
) -> Placement:
    """Place every header on a field; InputError (field `columns`) naming each one that has no place.

    `mapping` {header: field} overrides the recognised spellings; `ignore` lists headers to leave out.
    Two columns on one field the determination reads are refused by name (references may repeat).
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
    results_file = "verdict" in headers
    for header in headers:
        key = header.strip()
        if key in skip:
            ignored.append(header)
            continue
        name = mapping.get(key) or (None if _result_like(key, texts) else field_of(key))
        if name is None:
            (results if _result_like(key, texts) else unplaced).append(header)
        elif name in REFERENCE_FIELDS:
            refs.setdefault(name, []).append(header)
        else:
            fields.setdefault(name, []).append(header)
    if unplaced:
        raise _unplaced(unplaced, source)
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
    return Placement({k: v[0] for k, v in fields.items()}, refs, results, ignored)


def _closest(name: str) -> list[str]:
    """The spelling to suggest for an unplaced header: its longest known tail ('material eccn' -> 'eccn',
    English puts the head noun last), else the closest spelling by letters."""
    words = name.split()
    for k in range(1, len(words)):
        tail = " ".join(words[k:])
        if tail in SPELLINGS:
            return [tail]
    return difflib.get_close_matches(name, sorted(SPELLINGS), n=1, cutoff=0.6)


def _unplaced(headers: list[str], source: str) -> InputError:
    names: list[str] = []
    hints: list[str] = []
    for h in headers:
        close = _closest(normalise_header(h))
        if close:
            names.append(f"{h!r} (closest: {SPELLINGS[close[0]]})")
            hints.append(f"{h}={SPELLINGS[close[0]]}")
        else:
            names.append(repr(h))
    return InputError(
        f"{source}: cannot place column{'s' if len(headers) > 1 else ''} {', '.join(names)}; "
        f"accepted fields: {', '.join(FIELDS)} (spellings such as 'Ship-To Country', 'Customer', "
        "'SO Number'); map with --column HEADER=FIELD or --columns map.yaml, "
        "or leave out with --ignore-column HEADER",
        field="columns",
        suggestions=hints,
    )
