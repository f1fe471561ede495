"""HTS duty rates parsed into structure: free, ad valorem, specific (per unit, in USD), compound.

`parse_rate` never raises: a rate it cannot read with confidence becomes kind "other" with the text kept
(e.g. "The duty provided in the applicable subheading + 25%", "25¢/kg less 0.020668¢/kg for each degree
...", "1.5¢/kg on drained weight"), so a tariff engine holds instead of computing a wrong duty.
Chapter 99 references ("See 9903.88.03", "See 9903.88.01-9903.88.05") are read by `chapter99_refs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Rate", "RateKind", "RatePart", "chapter99_refs", "parse_rate"]

RateKind = Literal["free", "ad_valorem", "specific", "compound", "other", "none"]

_NUM = r"(\d+(?:\.\d+)?|\.\d+)"
# Units as printed in the schedule after "/"; anything else (e.g. "kg on drained weight") is "other".
_UNITS = "clean kg|pf.liter|liter|kg|bbl|doz.|pr.|gross|head|thousand|m2|m²|m3|t|g|No.|pcs|jewel|article|kWh"
_UNIT = "(" + "|".join(re.escape(u) for u in _UNITS.split("|")) + ")"
_AD_VALOREM = re.compile(_NUM + r"\s*%")
_CENTS = re.compile(_NUM + r"\s*¢\s*(?:/\s*" + _UNIT + r"|\s+(each))")
_DOLLARS = re.compile(r"\$\s*" + _NUM + r"\s*(?:/\s*" + _UNIT + r"|\s+(each))")
_TAGS = re.compile(r"<[^>]{0,40}>")
_CH99 = re.compile(r"\b(99\d\d\.\d\d\.\d\d)(?:\s*-\s*(99\d\d\.\d\d\.\d\d))?")
# Ranges wider than this are not expanded (a typo would otherwise produce thousands of headings).
_MAX_RANGE = 60
_MAX_TEXT = 2000


@dataclass(frozen=True)
class RatePart:
    """One additive part of a rate: ad valorem (`pct`) or specific (`usd` per `unit`)."""

    kind: Literal["ad_valorem", "specific"]
    pct: float | None = None
    usd: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Rate:
    """A parsed duty rate; `text` is the source text verbatim."""

    kind: RateKind
    text: str
    parts: tuple[RatePart, ...] = ()

    @property
    def ad_valorem_pct(self) -> float | None:
        """The ad valorem part in percent, if any."""
        return next((p.pct for p in self.parts if p.kind == "ad_valorem"), None)

    @property
    def specific_usd(self) -> float | None:
        """The first specific part in USD per unit, if any."""
        return next((p.usd for p in self.parts if p.kind == "specific"), None)

    @property
    def specific_unit(self) -> str | None:
        """The unit of the first specific part, if any."""
        return next((p.unit for p in self.parts if p.kind == "specific"), None)


def _part(text: str) -> RatePart | None:
    match = _AD_VALOREM.fullmatch(text)
    if match:
        return RatePart("ad_valorem", pct=float(match.group(1)))
    for pattern, scale in ((_CENTS, 100.0), (_DOLLARS, 1.0)):
        match = pattern.fullmatch(text)
        if match:
            unit = match.group(2) or match.group(3)
            # Cents to dollars: round off binary noise (1.2/100 -> 0.012, not 0.011999...).
            return RatePart("specific", usd=round(float(match.group(1)) / scale, 10), unit=unit)
    return None


def parse_rate(text: str | None) -> Rate:
    """Parse a rate text such as 'Free', '6.5%', '1.2¢/kg', '$1.035/kg', '0.9¢/kg + 6%'; never raises."""
    raw = "" if text is None else str(text)
    if len(raw) > _MAX_TEXT:
        return Rate("other", raw[:_MAX_TEXT])
    clean = " ".join(_TAGS.sub(" ", raw).split()).strip().rstrip(".").strip()
    if not clean:
        return Rate("none", raw)
    if clean.lower() == "free":
        return Rate("free", raw)
    pieces = [p.strip() for p in clean.split("+")]
    parts = [_part(p) for p in pieces]
    if not all(parts):
        return Rate("other", raw)
    found = tuple(p for p in parts if p is not None)
    if len(found) > 1:
        return Rate("compound", raw, found)
    return Rate(found[0].kind, raw, found)


def chapter99_refs(text: str | None) -> list[str]:
    """Chapter 99 headings named in a text ('See 9903.88.03', ranges expanded), dotted, unique, in order."""
    if not text:
        return []
    refs: list[str] = []
    for first, last in _CH99.findall(text[:100_000]):
        for ref in _expand(first, last):
            if ref not in refs:
                refs.append(ref)
    return refs


def _expand(first: str, last: str) -> list[str]:
    if not last or first[:7] != last[:7]:
        return [first] if not last else [first, last]
    start, end = int(first[8:]), int(last[8:])
    if not 0 <= end - start <= _MAX_RANGE:
        return [first, last]
    return [f"{first[:8]}{n:02d}" for n in range(start, end + 1)]
