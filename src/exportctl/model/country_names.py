"""Country names in other languages ("Deutschland", "中国", "Россия", "Chine"), read from ICU's copy of the
Unicode CLDR (PyICU), so that an order book written in German, Chinese or Russian names its destinations
as its users do. A name two countries share in different languages is left out: it stays unknown."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

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
    return {key: next(iter(owners)) for key, owners in found.items() if key and len(owners) == 1}


def _language_script(locale: str) -> str:
    parts = locale.split("_")
    return "_".join(parts[:2]) if len(parts) > 1 and len(parts[1]) == 4 else parts[0]


def localized_code(text: str, codes: Iterable[str]) -> str | None:
    """The ISO alpha-2 code a name in any CLDR language means, among `codes`; None if unknown or shared."""
    return _names(tuple(sorted(codes))).get(localized_key(text))
