"""Country names in other languages ("Deutschland", "中国", "Россия", "Chine"), read from ICU's copy of the
Unicode CLDR (PyICU) and from the iso-codes translations of ISO 3166-1 that pycountry ships (the official
names a registry or an ERP writes: "Volksrepublik China", "Russische Föderation", "中華人民共和国"), so that
an order book written in German, Chinese or Russian names its destinations as its users do. A name two
countries share in different languages is left out: it stays unknown."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

__all__ = ["localized_code", "localized_key"]

_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)


def localized_key(text: str) -> str:
    """Fold width, case, accents and punctuation of a name in any script ("Türkei" == "turkei")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_SEPARATORS.sub(" ", stripped.casefold()).split())


@cache
def _names(codes: tuple[str, ...]) -> dict[str, str]:
    import icu

    # each language, and each script it is written in (zh_Hant: 中國, sr_Latn: Nemačka)
    locales = sorted({_language_script(str(loc)) for loc in icu.Locale.getAvailableLocales()})
    found: dict[str, set[str]] = {}
    for locale in locales:
        display = icu.Locale(locale)
        for code in codes:
            name = icu.Locale("", code).getDisplayCountry(display)
            if name and name != code:
                found.setdefault(localized_key(name), set()).add(code)
    for key, code in _iso_translations(codes):
        found.setdefault(key, set()).add(code)
    return {key: next(iter(owners)) for key, owners in found.items() if key and len(owners) == 1}


def _iso_translations(codes: tuple[str, ...]) -> Iterable[tuple[str, str]]:
    """(folded name, code) for each country's ISO name and official name in every language of iso-codes."""
    import gettext

    import pycountry

    records = [r for r in pycountry.countries if r.alpha_2 in codes]
    for language in sorted(d.name for d in Path(pycountry.LOCALES_DIR).iterdir()):
        try:
            catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:  # a language without a country catalogue
            continue
        for rec in records:
            for attr in ("name", "official_name", "common_name"):
                english = getattr(rec, attr, None)
                if english and (name := catalog.gettext(english)) != english:
                    yield localized_key(name), rec.alpha_2


def _language_script(locale: str) -> str:
    parts = locale.split("_")
    return "_".join(parts[:2]) if len(parts) > 1 and len(parts[1]) == 4 else parts[0]


def localized_code(text: str, codes: Iterable[str]) -> str | None:
    """The ISO alpha-2 code a name in any CLDR language means, among `codes`; None if unknown or shared."""
    return _names(tuple(sorted(codes))).get(localized_key(text))
