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
}
# Names that mean two countries in everyday use: refused naming both, never resolved to one. "Congo" is
# pycountry's name of the Republic of the Congo, but an order book may mean the Democratic Republic, which
# is in Country Group D:5 where the other is not; the two Koreas; the British and the US Virgin Islands.
_AMBIGUOUS = {
    "congo": ("CG", "CD"),
    "kongo": ("CG", "CD"),
    "korea": ("KR", "KP"),
    "virgin islands": ("VG", "VI"),
}


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
    ear_names = {code: str(entry["ear_name"]) for code, entry in ear.items()}
    return _Index(by_key=by_key, countries=countries, choices=choices, ear=ear_names)


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
    bare = key[4:] if key.startswith("the ") else key
    if bare in _AMBIGUOUS:
        names = [index.countries[c].name for c in _AMBIGUOUS[bare]]
        raise InputError(
            f"ambiguous country {text.strip()!r}: it may mean {' or '.join(names)}; write which",
            field=field,
            suggestions=names,
        )
    code = index.by_key.get(key) if key else None
    if code is not None and len(key) <= 3 and not text.strip().isascii():
        # "Mỹ" (Vietnamese: the United States) folds to "my", Malaysia's code; "Bỉ" (Belgium) to "bi",
        # Burundi's: a code is written in ASCII, and folded text that only spells one is not that code
        code = None
    if code is None and key.startswith("the "):
        code = index.by_key.get(key[4:])
    if code is None:
        code = localized_code(text, index.countries)
    if code is None:
        shown = text.strip()[:60]
        raise InputError(f"unknown country {shown!r}", field=field, suggestions=_suggest(text))
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
