"""Countries: ISO 3166-1 alpha-2 codes with the EAR's own names ("Korea, South", "Burma", "Türkiye" ...).

Every country a user or a data file names goes through `resolve_country`, so that "PRC", "China (PRC)",
"CHN" and "cn" are one key (`CN`) everywhere. The EAR spellings live in `ear_countries.json` beside this
module (derived from the eCFR Country Chart and Country Group files), not in code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry

from exportctl.errors import InputError
from exportctl.model.country_names import localized_code

__all__ = ["Country", "all_countries", "country_name", "ear_name", "normalize_name", "resolve_country"]

# Longer text than this is not a country name; refusing it early keeps fuzzy matching cheap.
_MAX_LEN = 200
# Codes pycountry lacks but trade data uses: Kosovo's user-assigned code (EAR, CSL and OFAC use it).
_EXTRA_ISO = {"XK": ("XKX", "Kosovo")}
# Everyday names pycountry and the EAR files do not carry; identity only, never territory inheritance.
_COMMON = {
    "hong kong sar": "HK",
    "hong kong sar china": "HK",
    "hksar": "HK",
    "macao sar": "MO",
    "macao sar china": "MO",
    "mainland": "CN",
    "republic of turkey": "TR",
    "burma myanmar": "MM",
    "kosova": "XK",
    "united states": "US",
    "america": "US",
    "holland": "NL",
    "hong kong china": "HK",  # the WTO's and many registries' form
    "macao china": "MO",
    "macau china": "MO",
    "chinese taipei": "TW",
    "taiwan roc": "TW",
    "taiwan r o c": "TW",
    "pr china": "CN",  # "P.R. China", as Chinese companies write their address
    "china pr": "CN",
    "taiwan china": "TW",  # the World Bank's and the IMF's form
    # ISO 3166-1 PS is the West Bank (East Jerusalem included) and the Gaza Strip: the names statistics,
    # the UN and the World Bank give it ("West Bank and Gaza", "Occupied Palestinian Territory")
    "west bank and gaza": "PS",
    "west bank and gaza strip": "PS",
    "west bank": "PS",
    "gaza strip": "PS",
    "gaza": "PS",
    "occupied palestinian territory": "PS",
    "occupied palestinian territories": "PS",
    "palestinian territories": "PS",
    "palestinian territory": "PS",
    "micronesia fed sts": "FM",  # the World Bank's form ("Fed." is "Federated" here, not "Federation")
    "islas malvinas": "FK",  # "Falkland Islands (Islas Malvinas)"
    "malvinas": "FK",
    "faeroe islands": "FO",
    "korea dem rep": "KP",  # the World Bank's forms
    "macedonia fyr": "MK",
    "fyr macedonia": "MK",
    "former yugoslav republic of macedonia": "MK",
    "micronesia fed states of": "FM",  # the UN's statistical form
}
# Names that mean two countries in everyday use: refused naming both, never resolved to one. "Congo" is
# pycountry's name of the Republic of the Congo, but an order book may mean the Democratic Republic, which
# is in Country Group D:5 where the other is not; the two Koreas; the British and the US Virgin Islands.
_AMBIGUOUS = {
    "congo": ("CG", "CD"),
    "kongo": ("CG", "CD"),
    "korea": ("KR", "KP"),
    "virgin islands": ("VG", "VI"),
    # Taiwan's official name, and easily written for the People's Republic: D:5 either way, but the two
    # answer differently (the Macau/D:5 rows, §744.21), so neither is guessed
    "republic of china": ("TW", "CN"),
}
# Abbreviated words in the country names of statistics and trade tables (the World Bank's "Korea, Rep.",
# "Iran, Islamic Rep.", "Congo, Dem. Rep.", "Lao PDR"; "Russian Fed."), read as the words ISO writes;
# `_LEADING` only as a name's first word ("S. Korea", "N. Macedonia").
_ABBREVIATED = {
    "rep": "republic",
    "dem": "democratic",
    "fed": "federation",
    "pdr": "people s democratic republic",
    "st": "saint",
    "ste": "sainte",
    "is": "islands",
    "isl": "islands",
    "utd": "united",
    "rb": "bolivarian republic",  # "Venezuela, RB" (República Bolivariana)
    "sts": "states",  # "Micronesia, Fed. Sts."
}
_LEADING = {"s": "south", "n": "north"}
# words that qualify a name without changing the country: "China (mainland)", "Russian Federation (the)"
_QUALIFIERS = frozenset({"the", "mainland"})
_PARENTHESIS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


@dataclass(frozen=True, order=True)
class Country:
    """A destination or nationality: ISO alpha-2 `code`, the EAR's `name` where it has one, `iso_name`."""

    code: str
    name: str
    iso_name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def normalize_name(text: str) -> str:
    """Fold case, accents, '&' and punctuation so that "Côte d'Ivoire" == "cote d ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


@dataclass(frozen=True)
class _Index:
    by_key: dict[str, str]  # normalised name or code -> ISO2
    countries: dict[str, Country]  # ISO2 -> Country
    choices: dict[str, str]  # display name -> ISO2, for suggestions
    ear: dict[str, str]  # ISO2 -> EAR spelling
    plain: dict[str, str]  # a name's key without 'of'/'the' -> ISO2, where it is not a key itself


@cache
def _index() -> _Index:
    raw = json.loads(resources.files("exportctl.model").joinpath("ear_countries.json").read_text("utf-8"))
    ear: dict[str, dict[str, object]] = raw["countries"]
    by_key: dict[str, str] = {}
    countries: dict[str, Country] = {}
    choices: dict[str, str] = {}

    def put(name: str, code: str) -> None:
        key = normalize_name(name)
        if key:
            by_key.setdefault(key, code)

    # pycountry first for codes, then EAR names win over pycountry names of another country.
    for rec in pycountry.countries:
        code = rec.alpha_2
        iso_name = getattr(rec, "common_name", None) or rec.name
        ear_entry = ear.get(code)
        name = str(ear_entry["ear_name"]) if ear_entry else iso_name
        countries[code] = Country(code=code, name=name, iso_name=iso_name)
        choices[name] = code
        choices[iso_name] = code
    for code, (alpha3, name) in _EXTRA_ISO.items():
        countries[code] = Country(code=code, name=name, iso_name=name)
        choices[name] = code
        by_key[alpha3.lower()] = code
    for code, entry in ear.items():
        by_key[normalize_name(str(entry["ear_name"]))] = code
        variants = entry["variants"]
        assert isinstance(variants, list)
        for variant in variants:
            by_key[normalize_name(str(variant))] = code
    for rec in pycountry.countries:
        by_key[rec.alpha_2.lower()] = rec.alpha_2
        by_key[rec.alpha_3.lower()] = rec.alpha_2
        for attr in ("name", "official_name", "common_name"):
            value = getattr(rec, attr, None)
            if value:
                put(value, rec.alpha_2)
    for code in _EXTRA_ISO:
        by_key[code.lower()] = code
    for key, code in _COMMON.items():
        by_key.setdefault(key, code)
    for rec in pycountry.countries:
        # "Palestine, State of", "Moldova, Republic of": the name before a formal suffix is the country
        head, _, tail = rec.name.partition(", ")
        if tail.endswith(" of") and normalize_name(head) not in _AMBIGUOUS:
            put(head, rec.alpha_2)
        # "Falkland Islands (Malvinas)": the name outside its parenthesis names it too
        outer = _PARENTHESIS.match(rec.name)
        if outer is not None and outer.group(1) and normalize_name(outer.group(1)) not in _AMBIGUOUS:
            put(outer.group(1), rec.alpha_2)
    # names without 'of'/'the' ("korea republic" for "Korea, Republic of"): looked up after by_key, kept
    # apart so that the API's pattern of spellings (fronts/api/vocab.py) stays the names themselves
    plain = {p: code for key, code in by_key.items() if (p := _plain(key)) != key and p not in by_key}
    ear_names = {code: str(entry["ear_name"]) for code, entry in ear.items()}
    return _Index(by_key=by_key, countries=countries, choices=choices, ear=ear_names, plain=plain)


def _plain(key: str) -> str:
    """A normalised name without 'of' and 'the' ("korea republic of" -> "korea republic")."""
    return " ".join(w for w in key.split() if w not in ("of", "the"))


def _spelled(key: str) -> str:
    """Letters written apart joined ("u a e" -> "uae", "p r china" -> "pr china"), abbreviations in full
    ("korea rep" -> "korea republic"), a trailing ", The" dropped ("netherlands the" -> "netherlands")."""
    words = key.split()
    out: list[str] = []
    for i, word in enumerate(words):
        single = len(word) == 1 and word.isalpha()
        if single and out and i > 0 and len(words[i - 1]) == 1 and words[i - 1].isalpha():
            out[-1] += word
        else:
            out.append(word)
    if len(out) > 1 and out[-1] == "the":
        out.pop()
    full = [_LEADING.get(w, w) if i == 0 and len(out) > 1 else w for i, w in enumerate(out)]
    return " ".join(_ABBREVIATED.get(w, w) for w in " ".join(full).split())


def _forms(text: str) -> list[str]:
    """The keys a name may stand under: as written, spelled out, without 'of'/'the', and a name written
    'Egypt, Arab Rep.' turned round ('arab republic egypt')."""
    key = normalize_name(text)
    head, comma, tail = text.partition(",")
    turned = normalize_name(f"{tail} {head}") if comma and tail.strip() else ""
    forms = [key, _spelled(key), _plain(_spelled(key))]
    if turned:
        forms += [_spelled(turned), _plain(_spelled(turned))]
    # "S.A." joined is Saudi Arabia's code, but written so it is as often South Africa (or a company's
    # "S.A."): letters written apart never make a two-letter ISO code ("U.K." is not one: it stays)
    # "Mỹ" folds to "my": text not written in ASCII never spells a code
    ascii_text = text.strip().isascii()
    return [
        form
        for form in dict.fromkeys(forms)
        if form
        and (form == key or len(form) != 2 or pycountry.countries.get(alpha_2=form) is None)
        and (ascii_text or len(form) > 3)
    ]


def _lookup(text: str, index: _Index) -> str | None:
    """The code a name stands for under one of its forms (None: not known)."""
    for form in _forms(text):
        code = index.by_key.get(form) or index.plain.get(form)
        if code is not None:
            return code
    return None


def _ambiguous(text: str, field: str) -> None:
    """Refuse a name of two countries ('Korea', 'Congo (the)', 'the Virgin Islands') naming both."""
    for form in _forms(text):
        bare = form[4:] if form.startswith("the ") else form
        if bare in _AMBIGUOUS:
            index = _index()
            names = [index.countries[c].name for c in _AMBIGUOUS[bare]]
            raise InputError(
                f"ambiguous country {text.strip()!r}: it may mean {' or '.join(names)}; write which",
                field=field,
                suggestions=names,
            )


def _parenthesised(text: str, index: _Index) -> str | None:
    """'China (mainland)', 'United Arab Emirates (UAE)', 'Russian Federation (the)': the country outside
    the parenthesis when what is inside is a qualifier or names that same country (else None)."""
    found = _PARENTHESIS.match(text.strip())
    if found is None or not found.group(1):
        return None
    outer, inner = _lookup(found.group(1), index), normalize_name(found.group(2))
    if outer is None or any(form in _AMBIGUOUS for form in _forms(found.group(1))):
        return None  # "Congo (mainland)": the qualifier does not say which Congo
    if inner in _QUALIFIERS or _lookup(found.group(2), index) == outer:
        return outer
    return None


def _former(text: str) -> str | None:
    """What to say of a country ISO 3166 has withdrawn ("Netherlands Antilles", "Serbia and Montenegro"),
    named by its name or alpha-3 code (its alpha-2 codes were reassigned or may be): None if not one."""
    key = normalize_name(text)
    for rec in pycountry.historic_countries:
        if key in (normalize_name(rec.name), rec.alpha_3.lower()):
            return (
                f"a former country, withdrawn from ISO 3166 on {rec.withdrawal_date}; write the country the "
                "goods go to today"
            )
    return None


def _suggest(text: str) -> list[str]:
    from rapidfuzz import fuzz, process  # only for an unknown country (cold start of a check)

    index = _index()
    found = process.extract(text, list(index.choices), scorer=fuzz.WRatio, limit=12, score_cutoff=60)
    names: list[str] = []
    for choice, _score, _pos in found:
        name = index.countries[index.choices[choice]].name
        if name not in names:
            names.append(name)
    return names[:5]


def resolve_country(text: str, field: str = "country") -> Country:
    """Resolve an ISO alpha-2/alpha-3 code or a country name (EAR, ISO or common) to a Country."""
    if not isinstance(text, str):
        raise InputError(f"expected a country name or code, got {type(text).__name__}", field=field)
    if len(text) > _MAX_LEN:
        raise InputError(f"not a country: {len(text)} characters of text", field=field)
    if not text.strip():
        raise InputError("empty country", field=field)
    key = normalize_name(text)
    index = _index()
    _ambiguous(text, field)
    code = index.by_key.get(key) if key else None
    if code is not None and len(key) <= 3 and not text.strip().isascii():
        # "Mỹ" (Vietnamese: the United States) folds to "my", Malaysia's code; "Bỉ" (Belgium) to "bi",
        # Burundi's: a code is written in ASCII, and folded text that only spells one is not that code
        code = None
    if code is None and key.startswith("the "):
        code = index.by_key.get(key[4:])
    if code is None:
        code = _lookup(text, index) or _parenthesised(text, index)
    if code is None:
        code = localized_code(text, index.countries)
    if code is None:
        shown = text.strip()[:60]
        former = _former(text)
        raise InputError(
            f"unknown country {shown!r}" + (f": {former}" if former else ""),
            field=field,
            suggestions=_suggest(text),
        )
    return index.countries[code]


def country_name(code: str) -> str:
    """The display name (EAR name where the EAR has one) of an ISO alpha-2 code."""
    country = _index().countries.get(code.upper()) if isinstance(code, str) else None
    if country is None:
        raise InputError(f"unknown country code {str(code)[:20]!r}", field="country")
    return country.name


def ear_name(code: str) -> str | None:
    """The Country Chart / Country Group spelling of an ISO alpha-2 code, or None when the EAR has none."""
    return _index().ear.get(code.upper()) if isinstance(code, str) else None


def all_countries() -> list[Country]:
    """Every known country, sorted by code."""
    return sorted(_index().countries.values())
