"""Base rates: parse an HTS rate text ("Free", "4%", "1.2¢/kg", "2.5¢/kg + 5%") into its parts.

Parsing works on the distinct rate texts of a table (a few thousand), never per line: `parse_rates`
returns one row per text, which the stack joins back onto the lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

# One specific part: "1.2¢/kg", "$1.05/doz.", "37.5¢ each", "$2/pr." (unit ends at '+', ',', ';' or ' on').
_SPECIFIC = re.compile(
    r"(?P<dollar>\$)?(?P<amount>\d+(?:\.\d+)?)\s*(?P<cent>¢)?\s*"
    r"(?:/\s*(?P<unit>[A-Za-z][A-Za-z0-9 .²]*?)|\s+(?P<each>each))"
    r"(?=\s*(?:\+|,|;|$|\s+on\b|\s+plus\b|\s+less\b|\s+of\b))"
)
_AD_VALOREM = re.compile(r"(?<![\d.])(?P<pct>\d+(?:\.\d+)?)\s*%")
# Texts that are formulas or cross-references: kept verbatim, never guessed.
_FORMULA = re.compile(r"\b(less|applicable|see|provided|subject|not less than|maximum|minimum)\b", re.I)

RATE_SCHEMA: dict[str, pl.DataType] = {
    "rate_text": pl.String(),
    "rate_kind": pl.String(),
    "rate_ad_valorem_pct": pl.Float64(),
    "rate_specific": pl.List(pl.Struct({"usd": pl.Float64, "unit": pl.Utf8})),
}


@dataclass(frozen=True)
class Rate:
    """A parsed rate: kind ('free', 'ad_valorem', 'specific', 'compound', 'other', 'none'), its parts."""

    text: str
    kind: str
    ad_valorem_pct: float | None = None
    specific: list[tuple[float, str]] = field(default_factory=list)


def normalize_unit(unit: str) -> str:
    """A comparable unit name: 'kg', 'liter', 'doz', 'each', 'pr', 'm2' ..."""
    text = unit.strip().lower().rstrip(".").replace("²", "2").replace(" ", "")
    aliases = {
        "no": "each",
        "number": "each",
        "pcs": "each",
        "pieces": "each",
        "l": "liter",
        "litre": "liter",
        "liters": "liter",
        "kgs": "kg",
        "kilogram": "kg",
        "kilograms": "kg",
        "dozen": "doz",
        "pair": "pr",
        "pairs": "pr",
        "prs": "pr",
    }
    return aliases.get(text, text)


def parse_rate(text: str | None) -> Rate:
    """Parse one rate text; formulas and references come back as kind 'other' with the text kept."""
    raw = (text or "").strip()
    if not raw:
        return Rate(raw, "none")
    if raw.lower().startswith("free"):
        return Rate(raw, "free", 0.0)
    if _FORMULA.search(raw):
        return Rate(raw, "other")
    specific: list[tuple[float, str]] = []
    for m in _SPECIFIC.finditer(raw):
        amount = float(m.group("amount"))
        usd = amount / 100 if m.group("cent") else amount
        if not m.group("dollar") and not m.group("cent"):
            continue  # a bare number with a slash is not a money amount
        unit = "each" if m.group("each") else normalize_unit(m.group("unit") or "")
        specific.append((round(usd, 10), unit))
    stripped = _SPECIFIC.sub(" ", raw)
    pcts = [float(m.group("pct")) for m in _AD_VALOREM.finditer(stripped)]
    if len(pcts) > 1:
        return Rate(raw, "other")
    pct = pcts[0] if pcts else None
    leftover = _AD_VALOREM.sub(" ", stripped)
    if re.search(r"[A-Za-z0-9]", leftover.replace("+", " ")):
        return Rate(raw, "other")  # words we do not understand: keep the text, do not guess
    if specific and pct is not None:
        return Rate(raw, "compound", pct, specific)
    if specific:
        return Rate(raw, "specific", None, specific)
    if pct is not None:
        return Rate(raw, "ad_valorem", pct)
    return Rate(raw, "other")


def parse_rates(texts: pl.Series) -> pl.DataFrame:
    """One row per distinct rate text: kind, ad valorem percent and specific parts (usd per unit)."""
    rows = []
    for text in texts.drop_nulls().unique().to_list():
        rate = parse_rate(text)
        rows.append(
            {
                "rate_text": text,
                "rate_kind": rate.kind,
                "rate_ad_valorem_pct": rate.ad_valorem_pct,
                "rate_specific": [{"usd": u, "unit": n} for u, n in rate.specific],
            }
        )
    return pl.DataFrame(rows, schema=RATE_SCHEMA)


_SPECIAL_GROUP = re.compile(r"(?P<rate>[^()]*?)\s*\((?P<codes>[A-Z][A-Z0-9*+,\s]*)\)")


def parse_special(text: str | None) -> list[tuple[str, list[str]]]:
    """'Free (A*,AU,BH) 2.4% (JO)' -> [('Free', ['A*', 'AU', 'BH']), ('2.4%', ['JO'])]."""
    groups = []
    for m in _SPECIAL_GROUP.finditer(text or ""):
        codes = [c.strip() for c in m.group("codes").split(",") if c.strip()]
        groups.append((m.group("rate").strip(), codes))
    return groups


def special_rates(texts: pl.Series) -> pl.DataFrame:
    """(special_text, program, special_rate) for every program code named in each distinct special text.

    A code marked '*' or '+' (e.g. 'A*': GSP with country exclusions) also answers its bare letters;
    the marks stay in `program_as_listed` so that the answer can say so.
    """
    rows = []
    for text in texts.drop_nulls().unique().to_list():
        for rate, codes in parse_special(text):
            for code in codes:
                rows.append(
                    {
                        "special_text": text,
                        "program": code.rstrip("*+"),
                        "program_as_listed": code,
                        "special_rate": rate,
                    }
                )
    schema = {
        "special_text": pl.String(),
        "program": pl.String(),
        "program_as_listed": pl.String(),
        "special_rate": pl.String(),
    }
    return pl.DataFrame(rows, schema=schema).unique(["special_text", "program"], keep="first")
