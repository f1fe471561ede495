"""Initials of a person's given names written together after or before the surname ("Putin V.V.",
"Lavrov S.V.", "V.V. Putin"), as Russian and other Slavic usage writes them: `normalise` reads a run of
dotted letters as one acronym ("I.B.M." -> ibm), which is right for an organisation and wrong here. A name
made of such a run and one surname is screened in one more form with the run
spelt as separate initials ("putin v v"), in place of the acronym reading unless the run is a legal form
too ("A.G.", "N.V.")."""

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
    or None when it has no such run, or holds another word than one surname (three letters or more, no legal
    form or generic word)."""
    if "." not in name or len(name) > 200:
        return None
    runs = list(_RUN.finditer(name))
    if not runs:
        return None
    rest = normalise(_RUN.sub(" ", name))
    light = terms().light
    # The run may read as a legal form ("A.G.", "S.A."): beside one surname only it is a person's initials
    # ("Alshevskih A.G."); beside more words it is left to the organisation's reading ("Chase Bank, N.A.").
    if len(rest) != 1 or len(rest[0]) < 3 or rest[0] in light:
        return None
    out = _RUN.sub(lambda m: " ".join(f"{c}." for c in _LETTER.findall(m.group(1))) + " ", name)
    out = " ".join(out.split())
    return out if out != name and len(_LETTER.findall(runs[0].group(1))) <= MAX_INITIALS else None


def split_tokens(split: str) -> tuple[str, ...]:
    """The tokens of a name `split_initials` wrote, word by word: the initials stay single letters even
    where a pair of them is a legal form too ("Maksimova K. G.": k g, not KG; "Sokolov A. G.": not AG)."""
    return tuple(t for word in split.split() for t in normalise(word))
