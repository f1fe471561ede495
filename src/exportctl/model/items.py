"""Items: ECCNs (and EAR99), HTS codes, and PRC control and customs codes, parsed strictly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from exportctl.errors import InputError

__all__ = [
    "ChinaCode",
    "Eccn",
    "hts_dotted",
    "normalize_hts",
    "parse_china_code",
    "parse_eccn",
]

# 0..9 category, A..E product group, three digits; sub-paragraphs are dot-separated letters or numbers.
_ECCN = re.compile(r"(\d)([A-E])(\d{3})((?:\.[a-z0-9]{1,4})*)", re.IGNORECASE)
_EAR99 = re.compile(r"EAR\s*-?\s*99", re.IGNORECASE)
_MAX_LEN = 64


def _clean(text: object, field: str, what: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"expected {what} as text, got {type(text).__name__}", field=field)
    if len(text) > _MAX_LEN:
        raise InputError(f"not {what}: {len(text)} characters", field=field)
    stripped = text.strip()
    if not stripped:
        raise InputError(f"empty {what}", field=field)
    return stripped


@dataclass(frozen=True, order=True)
class Eccn:
    """An Export Control Classification Number such as 3A090, with an optional sub-paragraph ('c', 'a.1').

    `code` is the five-character entry or "EAR99"; `paragraph` is lower-case without the leading dot.
    """

    code: str
    paragraph: str | None = None

    @property
    def full(self) -> str:
        """The ECCN as written on a classification, e.g. '3A090.c'."""
        return self.code if self.paragraph is None else f"{self.code}.{self.paragraph}"

    @property
    def is_ear99(self) -> bool:
        """True for EAR99 (subject to the EAR, on no CCL entry)."""
        return self.code == "EAR99"

    @property
    def category(self) -> str | None:
        """The CCL category digit, None for EAR99."""
        return None if self.is_ear99 else self.code[0]

    @property
    def product_group(self) -> str | None:
        """The product group letter A..E, None for EAR99."""
        return None if self.is_ear99 else self.code[1]

    def within(self, reference: str) -> bool:
        """Whether this classification falls under `reference` ('3A090', '3A090.a', ...): same or deeper."""
        ref = parse_eccn(reference, field="reference")
        if ref.code != self.code:
            return False
        if ref.paragraph is None:
            return True
        own = (self.paragraph or "").split(".")
        want = ref.paragraph.split(".")
        return own[: len(want)] == want

    def __str__(self) -> str:
        return self.full


def parse_eccn(text: str, field: str = "eccn") -> Eccn:
    """Parse '3a090.C', '3A090', 'EAR99' into an Eccn; InputError naming `field` otherwise."""
    raw = _clean(text, field, "an ECCN")
    if _EAR99.fullmatch(raw):
        return Eccn("EAR99")
    match = _ECCN.fullmatch(raw)
    if match is None:
        raise InputError(
            f"not an ECCN: {raw[:40]!r} (expected e.g. 3A090, 3A090.c or EAR99)",
            field=field,
            suggestions=_eccn_suggestions(raw),
        )
    cat, group, digits, para = match.groups()
    code = f"{cat}{group.upper()}{digits}"
    paragraph = para[1:].lower() if para else None
    return Eccn(code, paragraph)


def _eccn_suggestions(raw: str) -> list[str]:
    # Common slips: a letter O for zero, a missing dot before the sub-paragraph ("3A090c").
    candidates = []
    fixed = raw.upper().replace(" ", "")
    if fixed[:1] == "O":
        candidates.append("0" + fixed[1:])
    glued = re.fullmatch(r"(\d[A-E]\d{3})([A-Z])", fixed)
    if glued:
        candidates.append(f"{glued.group(1)}.{glued.group(2).lower()}")
    return [c for c in candidates if _ECCN.fullmatch(c)]


def normalize_hts(text: str, field: str = "hts") -> str:
    """Digits only, 4/6/8/10 long: '8541.10.0080', '8541 10 00 80' -> '8541100080'."""
    raw = _clean(text, field, "an HTS code")
    digits = re.sub(r"[.\s]", "", raw)
    if not digits.isascii() or not digits.isdigit():
        raise InputError(f"not an HTS code: {raw[:40]!r} (digits, dots and spaces only)", field=field)
    if len(digits) not in (4, 6, 8, 10):
        raise InputError(f"an HTS code has 4, 6, 8 or 10 digits, {raw[:40]!r} has {len(digits)}", field=field)
    return digits


def hts_dotted(digits: str) -> str:
    """The printed form of a digits-only HTS code: '8541100080' -> '8541.10.00.80'."""
    parts = [digits[:4]] + [digits[i : i + 2] for i in range(4, len(digits), 2)]
    return ".".join(parts)


@dataclass(frozen=True)
class ChinaCode:
    """A PRC item code: a dual-use control code (管制编码, e.g. '1C004') or a customs code (8/10 digits)."""

    kind: Literal["control", "customs"]
    code: str

    def __str__(self) -> str:
        return self.code


def parse_china_code(text: str, field: str = "cn_code") -> ChinaCode:
    """Parse a PRC control code ('1C902.a') or an 8/10-digit PRC customs commodity code ('8112921010')."""
    raw = _clean(text, field, "a PRC item code")
    match = _ECCN.fullmatch(raw)
    if match:
        cat, group, digits, para = match.groups()
        return ChinaCode("control", f"{cat}{group.upper()}{digits}{para.lower()}")
    digits_only = re.sub(r"[.\s]", "", raw)
    if digits_only.isascii() and digits_only.isdigit() and len(digits_only) in (8, 10):
        return ChinaCode("customs", digits_only)
    raise InputError(
        f"not a PRC control code (e.g. 1C004) or customs code (8 or 10 digits): {raw[:40]!r}", field=field
    )
