"""Reading the License Requirements text of a CCL entry into structure the EAR engine can join on.

Conservative by design: what is not recognised with confidence is kept verbatim and labelled
(`scope="conditional"`, `destinations="see"`, exception status `conditional`), so that the engine holds
rather than guesses. Layout of the results: docs/tables.md, table `ccl`.
"""

from __future__ import annotations

import re
from typing import Any

from exportctl.errors import InputError
from exportctl.model.countries import resolve_country

__all__ = [
    "CHART_COLUMNS",
    "REASONS",
    "exception_status",
    "parse_control",
    "parse_lvs",
    "parse_reasons",
]

CHART_COLUMNS = tuple(
    [
        "CB1",
        "CB2",
        "CB3",
        "NP1",
        "NP2",
        "NS1",
        "NS2",
        "MT1",
        "RS1",
        "RS2",
        "FC1",
        "CC1",
        "CC2",
        "CC3",
        "AT1",
        "AT2",
    ]
)
REASONS = ("NS", "RS", "MT", "NP", "CB", "CW", "AT", "CC", "FC", "UN", "SL", "SS", "EI", "SI")
_REASON_AT_START = re.compile(r"\s*(" + "|".join(REASONS) + r")\b")
_REASON_WORD = re.compile(r"\b(" + "|".join(REASONS) + r")(?:\s*\d)?\b")
_SECTOR = re.compile(r"\s*Russian industry sector sanctions?\b", re.IGNORECASE)
_COLUMN = re.compile(r"\b(CB|NP|NS|MT|RS|FC|CC|AT)\s+Column\s+(\d)\b")
_BARE_COLUMN = re.compile(r"^\s*Column\s+(\d)\b")
_APPLIES = re.compile(r"^.*?\bappl(?:y|ies)\s+(?:to\s+)?", re.IGNORECASE | re.DOTALL)
_ECCN_REF = re.compile(r"(\d[A-E]\d{3})((?:\.[a-z0-9]+)*)")
_BARE_REF = re.compile(r"\.?([a-z0-9]+(?:\.[a-z0-9]+)*)")
_FILLER = re.compile(r"\b(?:paragraphs?|items controlled by|of this entry|only|ECCN)\b", re.IGNORECASE)
_GROUPS = re.compile(r"\b([ABDE]:\d)\b")
_CAPITALISED = re.compile(r"[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|and\s+the|of\s+the))*(?:\s+[A-Z][a-z]+)?")
_DOLLARS = re.compile(r"\$\s?(\d[\d,]*)")


def parse_reasons(text: str | None) -> list[str]:
    """Reason codes named in a 'Reason for Control' line, in order, deduplicated ('foreign policy' -> FP)."""
    if not text:
        return []
    found: list[str] = []
    for code in _REASON_WORD.findall(text):
        if code not in found:
            found.append(code)
    if "foreign policy" in text.lower() and "FP" not in found:
        found.append("FP")
    return found


def _reason_of(applies_to: str) -> str | None:
    match = _REASON_AT_START.match(applies_to)
    if match:
        return match.group(1)
    if _SECTOR.match(applies_to):
        return "ISS"
    return None


def _refs(text: str, eccn: str) -> list[str] | None:
    """The ECCN-qualified references of a pure reference list ('0A505.a and .x'), or None if it says more."""
    text = _FILLER.sub(" ", text).strip().rstrip(".").strip()
    if not text:
        return None
    tokens = [t.strip() for t in re.split(r"\s*(?:,|\band\b|\bor\b)\s*", text) if t.strip()]
    refs: list[str] = []
    for token in tokens:
        full = _ECCN_REF.fullmatch(token)
        if full:
            if full.group(1) != eccn or not full.group(2):
                return None
            refs.append(full.group(1) + full.group(2))
            continue
        bare = _BARE_REF.fullmatch(token)
        if not bare:
            return None
        path = bare.group(1)
        if path[0].isdigit():
            # ".16" after "1C351.d.15" is the sibling 1C351.d.16: replace the last component.
            if not refs:
                return None
            refs.append(refs[-1].rsplit(".", 1)[0] + "." + path)
        else:
            refs.append(f"{eccn}.{path}")
    return refs


def _scope(applies_to: str, eccn: str) -> tuple[str, list[str]]:
    rest = _APPLIES.sub("", applies_to, count=1).strip() if _APPLIES.match(applies_to) else ""
    rest = rest.rstrip(".").strip()
    if re.fullmatch(r"(?:the\s+)?entire\s+entry", rest, re.IGNORECASE):
        return "entire", []
    except_match = re.fullmatch(r"(?:the\s+)?entire\s+entry,?\s+except\s+(.+)", rest, re.IGNORECASE)
    if except_match:
        refs = _refs(except_match.group(1), eccn)
        return ("entire_except", refs) if refs else ("conditional", [])
    refs = _refs(rest, eccn) if rest else None
    if refs:
        return "paragraphs", refs
    return "conditional", [m.group(1) + m.group(2) for m in _ECCN_REF.finditer(applies_to) if m.group(2)]


def _countries_in(text: str) -> list[str]:
    codes: list[str] = []
    for phrase in _CAPITALISED.findall(text):
        # Try the whole phrase, then its words, so "Iraq or Pakistan" and "North Korea" both resolve.
        for candidate in [phrase, *phrase.split()]:
            if len(candidate) < 4:
                continue  # "To", "Or" would resolve as ISO codes (Tonga, ...).
            try:
                code = resolve_country(candidate).code
            except InputError:
                continue
            if code not in codes:
                codes.append(code)
            break
    return codes


def _destinations(chart_text: str) -> dict[str, Any]:
    text = " ".join(chart_text.split())
    lower = text.lower()
    out: dict[str, Any] = {
        "destinations": "see",
        "countries": [],
        "groups": [],
        "except_countries": [],
        "except_groups": [],
    }
    parts = re.split(r",?\s+(?:excluding|except(?:\s+for)?)\s+", text, maxsplit=1)
    main = parts[0]
    excluded = parts[1] if len(parts) > 1 else ""
    excluded = excluded.split(" regardless")[0].split(". ")[0]
    if "worldwide" in lower or "all destinations" in lower:
        out["destinations"] = "all"
    elif lower.startswith(("to or within", "china, russia", "a license is required")):
        first_sentence = main.split(". ")[0]
        countries = _countries_in(first_sentence)
        groups = _GROUPS.findall(first_sentence)
        if countries or groups:
            out.update(destinations="listed", countries=countries, groups=groups)
    if out["destinations"] in ("all", "listed") and excluded:
        out["except_countries"] = _countries_in(excluded)
        out["except_groups"] = _GROUPS.findall(excluded)
    return out


def parse_control(eccn: str, applies_to: str, chart_text: str) -> list[dict[str, Any]]:
    """One License Requirements row as control elements (one per chart column it names, at least one)."""
    reason = _reason_of(applies_to)
    scope, paragraphs = _scope(applies_to, eccn)
    columns = [f"{r}{n}" for r, n in _COLUMN.findall(chart_text)]
    bare = _BARE_COLUMN.match(chart_text)
    if not columns and bare and reason:
        columns = [f"{reason}{bare.group(1)}"]
    for column in columns:
        if column not in CHART_COLUMNS:
            raise ValueError(f"unknown Country Chart column {column!r}")
    base = {"applies_to": applies_to, "chart_text": chart_text, "scope": scope, "paragraphs": paragraphs}
    if columns:
        empty: dict[str, Any] = {"countries": [], "groups": [], "except_countries": [], "except_groups": []}
        # "NP Column 1 AT Column 1" in one cell: one element per column, each with its own reason.
        return [
            {
                **base,
                **empty,
                "reason": col[:2] if len(columns) > 1 else (reason or col[:2]),
                "column": col,
                "destinations": "chart",
            }
            for col in columns
        ]
    return [{**base, **_destinations(chart_text), "reason": reason, "column": None}]


def parse_lvs(text: str | None) -> tuple[int | None, bool]:
    """(first dollar amount, whether the line says more than one plain amount) of an LVS line."""
    if text is None:
        return None, False
    plain = text.strip().rstrip(".").strip()
    if plain.upper() == "N/A":
        return None, False
    amounts = _DOLLARS.findall(plain)
    usd = int(amounts[0].replace(",", "")) if amounts else None
    conditional = re.fullmatch(r"\$\s?\d[\d,]*", plain) is None
    return usd, conditional


def exception_status(text: str) -> str:
    """'yes', 'no' (N/A) or 'conditional' for a licence-exception line of a CCL entry."""
    plain = text.strip().rstrip(".").strip().lower()
    if plain in ("n/a", "no", "none"):
        return "no"
    if plain == "yes":
        return "yes"
    return "conditional"
