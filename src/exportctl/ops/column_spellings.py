"""The spellings of order-book headers: each field's English names, the other languages' (data), and the
normalisation they are compared after (case, spacing, punctuation, camelCase, abbreviations, accents).

Party roles, as an EAR compliance reader takes them (15 CFR 748.5 names the parties):
customer / sold-to / bill-to / buyer / client -> purchaser; consignee / ship-to party -> ultimate
consignee; end user / end customer -> end user; forwarder -> intermediate consignee. The engines screen
all four roles alike (15 CFR 744.11 applies to any party to the transaction), so the role chosen never
decides whether a name is screened; two columns may not share one role.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

__all__ = [
    "FIELDS",
    "PARTY_ROLES",
    "REFERENCE_FIELDS",
    "SPELLINGS",
    "field_of",
    "normalise_header",
    "other_languages",
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
        "export class",
        "export control class",
        "export control classification",
        "export control classification number",
        "export control class number",  # SAP GTS's 'Export Control Class. No.'
        "export classification number",
        "eccn number",
        "eccn code",
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
        # SAP SD: goods issue is the shipment leaving the warehouse (VA05's 'Planned GI Date', VL06's
        # 'Act. Gds Mvmnt Date'), the day the export happens
        "goods issue date",
        "planned goods issue date",
        "actual goods issue date",
        "actual goods movement date",
        "goods movement date",
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
        "sales document",  # SAP SD: the sales order's number (VBELN)
        "sales document number",
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
    "doc": "document",  # SAP's 'Sales Doc.'
    "gi": "goods issue",  # SAP's 'Planned GI Date'
    "gds": "goods",
    "mvmnt": "movement",
    "act": "actual",
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
    # a currency sign is kept as a word: 'Value (€)' is not 'Value' (column_notes reads the sign)
    words = [
        w
        for w in re.split(r"([^\w]|_)", text)
        if w and (w.isalnum() or (len(w) == 1 and unicodedata.category(w) == "Sc"))
    ]
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


def _english() -> dict[str, str]:
    """The English spellings (and the engines' own column names), the table a book is read by first."""
    table: dict[str, str] = {}
    for name, aliases in FIELDS.items():
        for spelling in (name, *aliases):
            table.setdefault(normalise_header(spelling), name)
    for spelling, role in _NAMED.items():
        table.setdefault(normalise_header(spelling), role)
    # the engines' own column names stay accepted
    table.update({"as of": "date", "item": "eccn", "exporting": "exporting_country"})
    return table


def _lookup() -> dict[str, str]:
    """Every spelling: the English ones, then the other languages' (never overriding an English one)."""
    table = _english()
    for name, by_language in other_languages().items():
        for language, words in by_language.items():
            for spelling in words:
                table.setdefault(normalise_header(spelling), name)
                if language == "de":  # 'Warenempfaenger', as German is typed without umlauts
                    table.setdefault(normalise_header(spelling.translate(_UMLAUTS)), name)
    return table


class _Spellings(Mapping[str, str]):
    """Normalised spelling -> field. The other languages' vocabulary (a YAML file) is read only when a
    header is not an English spelling, or when every spelling is listed: a book with English headers (and
    every single check) never parses it. An English spelling reads the same in both tables."""

    def __init__(self) -> None:
        self._english = _english()
        self._all: dict[str, str] | None = None

    def _every(self) -> dict[str, str]:
        if self._all is None:
            self._all = _lookup()
        return self._all

    def __getitem__(self, key: str) -> str:
        found = self._english.get(key)
        return found if found is not None else self._every()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._english or key in self._every()

    def __iter__(self) -> Iterator[str]:
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())


SPELLINGS: Mapping[str, str] = _Spellings()


def field_of(spelling: str) -> str | None:
    """The field a header or field name reads as, or None."""
    return SPELLINGS.get(normalise_header(spelling))
