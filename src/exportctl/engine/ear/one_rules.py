"""The rules file and reason shapes for one key in plain Python: what the columnar plan's expressions
(groups.dest_rule_applies, parties.in_force, exceptions' destination flags, reasons.reason_struct) say
for one row, with polars' null semantics where they matter (concat_str, three-valued and)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import polars as pl

from exportctl.engine.common.reasons import REASON_FIELDS
from exportctl.engine.parties import normalize_names
from exportctl.registry.rules import CountryRule, WordRule, ear_rules

__all__ = [
    "Row",
    "aca_day",
    "cat",
    "dest_rule_reaches",
    "hold",
    "kand",
    "meu_all_items",
    "meu_country",
    "padded_in",
    "product_key",
    "reason",
    "restricted_destination",
]

Row = dict[str, Any]


def cat(*parts: str | None) -> str | None:
    """pl.concat_str: null when any part is null."""
    return None if any(p is None for p in parts) else "".join(p for p in parts if p is not None)


def kand(*values: bool | None) -> bool | None:
    """Polars' `&` on booleans with nulls (Kleene): false wins, then null."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def reason(**fields: Any) -> Row:
    """A REASON_DTYPE struct as a dict: the fields in order, those not given None."""
    return {name: fields.get(name) for name in REASON_FIELDS}


def hold(code: str, citation: str, text: str | None) -> Row:
    """reasons.hold_reason for one row."""
    return reason(
        step="DATA", code=code, citation=citation, effect="hold", le_ok=False, conditional=False, text=text
    )


def _in_force(rules: list[CountryRule], destination: str | None, day: dt.date) -> bool:
    """parties.in_force: the destination is one a dated country rule reaches on the day."""
    for rule in rules:
        if destination is None or destination not in rule.scope.destinations:
            continue
        if rule.effective is not None and not day >= rule.effective:
            continue
        if rule.end is not None and not day < rule.end:
            continue
        return True
    return False


def meu_all_items(destination: str | None, day: dt.date) -> bool:
    """parties.meu_all_items: §744.21(a)(2) reaches any item to the destination on the day."""
    return _in_force(ear_rules().military_end_use_all_items, destination, day)


def meu_country(destination: str | None, day: dt.date) -> bool:
    """parties.meu_country: §744.21(a)(1) reaches the destination on the day."""
    return _in_force(ear_rules().military_end_use, destination, day)


def restricted_destination(row_iso: str | None, groups: list[str]) -> bool:
    """exceptions._restricted_destination: the row is one §740.2(a)(9) names (ISO code or group)."""
    names = ear_rules().advanced_restricted_destinations.scope.destinations
    return any(
        (row_iso is not None and ":" not in n and row_iso == n) or (":" in n and n in groups) for n in names
    )


def aca_day() -> dt.date | None:
    """exceptions._exists('ACA'): the day License Exception ACA came into being (None: undated)."""
    return ear_rules().exception("ACA").effective


def _reaches(rule: WordRule, k: Row) -> bool:
    """groups._reaches for the key's chart row."""
    if rule.everywhere:
        return True
    if rule.footnote is not None:
        return rule.footnote in k["footnotes"]

    def among(codes: list[str]) -> bool:
        return any((":" not in c and k["row_iso"] == c) or (":" in c and c in k["groups"]) for c in codes)

    if rule.destinations is None:
        return not among(rule.excluding)
    named = among(rule.destinations)
    return named and not among(rule.excluding) if rule.excluding else named


def dest_rule_reaches(rule: str | None, k: Row) -> bool:
    """groups.dest_rule_applies: a CCL row's destination test reaches the key's chart row."""
    if rule is None:
        return True  # polars: a null condition falls through the chain to its default (fail closed)
    if rule.startswith("col:"):
        return rule.removeprefix("col:") in k["marks"]
    words = ear_rules().ccl_destination_words.get(rule)
    return True if words is None else _reaches(words, k)


@lru_cache(maxsize=65536)
def product_key(text: str) -> str | None:
    """keying.prepare's product_key of one product text (normalize_names), once per distinct text."""
    frame = pl.DataFrame({"t": [text]}, schema={"t": pl.Utf8})
    value = frame.select(normalize_names(pl.col("t")))["t"][0]
    return None if value is None else str(value)


def padded_in(name: str | None, text: str | None) -> bool:
    """measures._padded: the words of `name` stand in `text` (' a b ' within ' x a b y ')."""
    return f" {name or ''} " in f" {text or ''} "
