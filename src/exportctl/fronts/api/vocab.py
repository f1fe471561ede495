"""The API's vocabularies, derived from data when the app is built (policy is data: no list is written here).

Each is stated in the OpenAPI document as an enum or a pattern, and enforced by the request models, so
a request the document allows is one the server accepts (schemathesis' positive_data_acceptance):

- countries: every spelling `model.countries.resolve_country` knows (ISO alpha-2 and alpha-3 codes, the
  EAR's, ISO's and everyday names, from pycountry and ear_countries.json), any letter case, any run of
  ASCII punctuation or spaces between words, accented letters as written. The resolver folds more than
  a pattern can say (other accents, any Unicode punctuation): those spellings are refused by the API with
  a 422 naming the field, as the document says; the CLI still takes them.
- measure ids: those of the bundled registry (a scenario's `remove`).
- screening profiles: the bundled ones and those of $EXPORTCTL_SCREEN_PROFILES, when the app is built.
- tariff destinations: the importing countries whose tariffs the registry holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

__all__ = [
    "Vocabulary",
    "country_pattern",
    "country_suggestions",
    "destination_pattern",
    "hts_pattern",
    "measure_ids",
    "screen_profiles",
    "spelling_pattern",
    "tariff_destinations",
    "text_type",
]

# Between two words of a spelling: ASCII spaces and punctuation, never '&' (read as "and"); at most three,
# so that the pattern bounds the length by itself (a maxLength beside a pattern makes generators search).
_SEP = r"[ !-%'-/:-@\[-`{-~]{1,3}"
_EDGE = r"[ !-%'-/:-@\[-`{-~]{0,3}"


def _letter(ch: str) -> str:
    """A class matching `ch` in either case, where both cases fold to the same key."""
    from exportctl.model.countries import normalize_name

    forms = sorted({ch, ch.upper(), ch.lower()})
    forms = [f for f in forms if len(f) == 1 and normalize_name(f) == normalize_name(ch)]
    return forms[0] if len(forms) == 1 else "[" + "".join(re.escape(f) for f in forms) + "]"


def spelling_pattern(spelling: str) -> str | None:
    """A regex (no anchors) for `spelling` in any case with any ASCII separators between its words; None
    when it has no word (or holds a character that is neither a word character nor ASCII punctuation)."""
    from exportctl.model.countries import normalize_name

    words = re.split(_SEP, unicodedata.normalize("NFC", spelling).strip())
    words = [w for w in words if w]
    if not words or any(not normalize_name(w) or " " in normalize_name(w) for w in words):
        return None
    if any(not ((ch.isalnum() and ch.isascii()) or ch.isalpha()) for w in words for ch in w):
        return None
    return _SEP.join("".join(_letter(ch) for ch in w) for w in words)


def _alternation(spellings: Iterable[str]) -> str:
    parts = sorted(
        {p for s in spellings if (p := spelling_pattern(s)) is not None}, key=lambda p: (-len(p), p)
    )
    the = _SEP.join("".join(_letter(ch) for ch in "the") for _ in (0,)) + _SEP  # "the Netherlands"
    return "^" + _EDGE + f"(?:{the})?" + "(?:" + "|".join(parts) + ")" + _EDGE + "$"


@cache
def _spellings() -> dict[str, set[str]]:
    """ISO alpha-2 code -> every spelling the resolver knows for it (codes, names, variants)."""
    import json
    from importlib import resources

    import pycountry

    from exportctl.model.countries import _index

    out: dict[str, set[str]] = {}
    index = _index()
    for key, code in index.by_key.items():
        out.setdefault(code, set()).add(key)
    for country in index.countries.values():
        out.setdefault(country.code, set()).update({country.code, country.name, country.iso_name})
    raw = json.loads(resources.files("exportctl.model").joinpath("ear_countries.json").read_text("utf-8"))
    for code, entry in raw["countries"].items():
        out.setdefault(code, set()).update([str(entry["ear_name"]), *map(str, entry["variants"])])
    for rec in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if value := getattr(rec, attr, None):
                out.setdefault(rec.alpha_2, set()).add(value)
    return out


@cache
def country_pattern(codes: tuple[str, ...] | None = None) -> str:
    """A pattern of every spelling of these countries (None: every country the resolver knows)."""
    table = _spellings()
    chosen = table if codes is None else {c: table[c] for c in codes}
    return _alternation(s for spellings in chosen.values() for s in spellings)


@cache
def destination_pattern() -> str:
    """A country, or a region the EAR names by ISO 3166-2 code (UA-43: Crimea), as `exportctl check` takes."""
    codes = "|".join("".join(_letter(ch) for ch in c) for c in sorted(_spellings()) if len(c) == 2)
    return country_pattern() + f"|^(?:{codes})-[0-9]{{2}}$"


def country_suggestions(value: str) -> list[str]:
    """Country names near a refused value (the resolver's own suggestions, or the name it reads there)."""
    from exportctl.errors import InputError
    from exportctl.model.countries import resolve_country

    try:
        return [resolve_country(value).name]
    except InputError as err:
        return err.suggestions


def hts_pattern() -> str:
    """An HTS code: 4, 6, 8 or 10 digits, a dot allowed between the pairs after the first four."""
    return r"^[0-9]{4}(?:\.?[0-9]{2}){0,3}$"


@cache
def measure_ids() -> tuple[str, ...]:
    """The ids of the bundled registry's measures."""
    from exportctl.ops.registry import bundled_registry

    return tuple(sorted(bundled_registry().measures))


def screen_profiles() -> tuple[str, ...]:
    """The screening profiles known when the app is built (bundled, and $EXPORTCTL_SCREEN_PROFILES)."""
    from exportctl.ops.screen_profiles import load_profiles

    return tuple(sorted(load_profiles()))


@cache
def tariff_destinations() -> tuple[str, ...]:
    """The importing countries whose tariffs the bundled registry holds."""
    from exportctl.ops.registry import bundled_registry
    from exportctl.ops.tariff import destinations_modelled

    return tuple(sorted(destinations_modelled(bundled_registry())))


@dataclass(frozen=True)
class Vocabulary:
    """A text vocabulary of the API: a pattern or an enum (callables, run once when first needed)."""

    name: str
    description: str
    pattern: Any = None  # a callable giving the pattern
    values: Any = None  # a callable giving the enum
    max_length: int | None = None  # for an enum only: a pattern bounds the length by itself
    suggest: Any = None  # a callable giving suggestions for a refused value (default: a short enum)

    @cached_property
    def _regex(self) -> re.Pattern[str] | None:
        return re.compile(self.pattern()) if self.pattern is not None else None

    @cached_property
    def _enum(self) -> tuple[str, ...] | None:
        return tuple(self.values()) if self.values is not None else None

    def check(self, value: str) -> str:
        """`value` if the vocabulary holds it; else a validation error naming the schema."""
        ok = (self._regex is None or self._regex.fullmatch(value)) and (
            self._enum is None or value in self._enum
        )
        if not ok:
            if self.suggest is not None:
                suggestions = list(self.suggest(value))
            else:
                suggestions = list(self._enum or ())[:10] if len(self._enum or ()) <= 10 else []
            template = "{shown} is not a " + self.name + " this API knows (" + self.description + ")"
            raise PydanticCustomError(
                "vocabulary", template, {"shown": repr(value[:60]), "suggestions": suggestions}
            )
        return value

    def json_schema(self, out: JsonSchemaValue) -> JsonSchemaValue:
        """The named schema: type string, maxLength, and the pattern or the enum, with the description."""
        if self.pattern is not None:
            out["pattern"] = self.pattern()
        if self._enum is not None:
            out["enum"] = list(self._enum)
        out["description"] = self.description
        return out


def text_type(vocab: Vocabulary) -> type[str]:
    """A str type checked against `vocab`, shown once in the OpenAPI document as
    #/components/schemas/<name> and referenced by every field and parameter using it."""

    def core(cls: type, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            vocab.check, core_schema.str_schema(max_length=vocab.max_length), ref=vocab.name
        )

    def json(cls: type, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return vocab.json_schema(handler.resolve_ref_schema(handler(schema)))

    namespace = {
        "__doc__": vocab.description,
        "__get_pydantic_core_schema__": classmethod(core),
        "__get_pydantic_json_schema__": classmethod(json),
    }
    return type(vocab.name, (str,), namespace)
