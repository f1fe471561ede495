"""The four-year review's line lists in the registry are those of U.S. note 31 in the 2026 chapter 99 text.

Each 9903.91 heading's subdivision of note 31 (HTSUS 2026 Rev 6, ../shared/data/hts-2026-ch99) is read and
compared with the `scope.hts` of the effect that carries it, so an edit of either side shows here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exportctl.registry.loader import load_registry

FYR = "us-tariff-2024-09-27-s301-four-year-review"
DEC = "us-tariff-2025-01-01-s301-tungsten-wafers-polysilicon"
# subdivision start marker -> the effects whose scope.hts together hold its list
CASES = {
    "(b) Heading 9903.91.01 applies": [(FYR, "fyr-25-2024")],
    "(c) Heading 9903.91.02 applies": [(FYR, "fyr-50-2024")],
    "(d) Heading 9903.91.03 applies": [(FYR, "fyr-100-2024")],
    "(i) Heading 9903.91.05 applies": [(FYR, "fyr-50-2025-semiconductors"), (DEC, "polysilicon-wafers-50")],
    "(g) Heading 9903.91.06 applies": [(FYR, "fyr-25-2026")],
    "(h) Heading 9903.91.07 applies": [(FYR, "fyr-50-2026-masks")],
    "(i) Heading 9903.91.08 applies": [(FYR, "fyr-100-2026-gloves")],
    "(j) Heading 9903.91.11 applies": [(DEC, "tungsten-25")],
}
_CODE = re.compile(r"(?<![\d.])\d{4}\.\d{2}\.\d{2}(?:\d{2})?(?![\d.])")
_NEXT = re.compile(r"^\s*\((?:[a-l]|ii)\)\s*$|^\s*\((?:[a-l]|ii)\) ")


def _note31(text: str) -> str:
    start = text.index("31. (a)  As provided in headings 9903.91.01")
    return text[start : text.index("(v) For purposes of headings 9903.91.14", start)]


def _listed(note: str, marker: str) -> set[str]:
    """The codes of one subdivision: from its marker to the next subdivision's, page headers left out."""
    lines = note[note.index(marker) :].splitlines()
    out: set[str] = set()
    for i, line in enumerate(lines):
        if i > 0 and _NEXT.match(line):
            break
        if "Harmonized Tariff Schedule" in line or "99 - III" in line:
            continue
        out.update(c for c in _CODE.findall(line) if not c.startswith("9903"))
    return out


@pytest.mark.parametrize("marker", list(CASES))
def test_note31_lists_match_the_registry(shared_data: Path, marker: str) -> None:
    text = (shared_data / "hts-2026-ch99" / "chapter99_2026_rev_6.txt").read_text(errors="replace")
    want = _listed(_note31(text), marker)
    reg = load_registry()
    have: set[str] = set()
    for mid, eid in CASES[marker]:
        effect = next(e for e in reg.measures[mid].effects if e.id == eid)
        have.update(effect.scope.hts)
    assert want, marker
    assert have == want, (marker, sorted(want - have), sorted(have - want))
