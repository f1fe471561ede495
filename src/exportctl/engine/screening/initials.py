"""Initials of a person's given names written together after or before the surname ("Putin V.V.",
"Lavrov S.V.", "V.V. Putin"), as Russian and other Slavic usage writes them: `normalise` reads a run of
dotted letters as one acronym ("I.B.M." -> ibm), which is right for an organisation and wrong here. A name
with such a run beside a word of a name, and no legal form, is screened in one more form with the run
spelt as separate initials ("putin v v"); the form as written stays."""

from __future__ import annotations

import re

from .normalise import normalise
from .terms import terms

MAX_INITIALS = 3  # "V.V.", "A.G.", "S.V.K.": a longer dotted run is an acronym
# A run of two or three single letters, each with a dot (the last dot may be missing), spaces allowed after
# the dots ("V.V.", "V. V.", "S.V"), standing alone.
_RUN = re.compile(r"(?<![\w.])((?:[^\W\d_]\.\s?){1,2}[^\W\d_]\.?)(?![\w.])")
_LETTER = re.compile(r"[^\W\d_]")


def split_initials(name: str) -> str | None:
    """The name with each run of dotted initials spelt as separate initials ("Putin V.V." -> "Putin V. V."),
    or None when it has no such run, or its other words hold a legal form or generic word, or none of them
    has three letters or more."""
    if "." not in name or len(name) > 200:
        return None
    runs = list(_RUN.finditer(name))
    if not runs:
        return None
    rest = normalise(_RUN.sub(" ", name))
    light = terms().light
    # The run may read as a legal form ("A.G.", "S.A."): beside name words only it is a person's initials.
    if not any(len(w) >= 3 for w in rest) or any(t in light for t in rest):
        return None
    out = _RUN.sub(lambda m: " ".join(f"{c}." for c in _LETTER.findall(m.group(1))) + " ", name)
    out = " ".join(out.split())
    return out if out != name and len(_LETTER.findall(runs[0].group(1))) <= MAX_INITIALS else None
