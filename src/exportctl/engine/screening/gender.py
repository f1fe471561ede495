"""Slavic family names carry the bearer's gender in their ending (Ivanov / Ivanova, Sokolovsky /
Sokolovskaya, Kowalski / Kowalska): the two forms are one family's name but never one person's.

A name written in Cyrillic and read by the matcher has no typos, so a reading that differs from a listed
name only by that ending is another person (a woman against a listed man, or the reverse). A Latin query
may have dropped the letter by mistake, so only readings of other scripts take the rule (`weak.py`).
"""

from __future__ import annotations

import re

from exportctl.engine.screening.similarity import name_consonants

# (masculine, feminine) endings in the Latin spellings the lists use, longest first per ending.
ENDINGS: tuple[tuple[str, str], ...] = (
    ("skiy", "skaya"),
    ("skii", "skaya"),
    ("skij", "skaja"),
    ("sky", "skaya"),
    ("ski", "ska"),
    ("cki", "cka"),
    ("ov", "ova"),
    ("ev", "eva"),
    ("in", "ina"),
    ("yn", "yna"),
)
STEM_MIN = 3  # letters before the ending: "Ov" / "Ova" are no family names
# The same endings written in Cyrillic (Иванова, Соколовская, Никитина).
_FEMININE_CYRILLIC = re.compile(r"(ова|ева|ёва|ина|ына|ская|цкая)$")
_MASCULINE_CYRILLIC = re.compile(r"(ов|ев|ёв|ин|ын|ский|цкий)$")
_FEMININE_LATIN = re.compile(r"(ova|eva|ina|yna|skaya|skaja|ska|cka)$")
_MASCULINE_LATIN = re.compile(r"(ov|ev|in|yn|sky|skiy|skii|skij|ski|cki)$")


def other_gender(a: str, b: str) -> bool:
    """Two tokens that are one Slavic family name in its masculine and its feminine form (the stems spelt
    alike: Ivanov / Yvanova)."""
    if len(a) == len(b) or a == b:
        return False
    for masc, fem in ENDINGS:
        for m, f in ((a, b), (b, a)):
            if m.endswith(masc) and f.endswith(fem) and len(m) - len(masc) >= STEM_MIN:
                stem_m, stem_f = m[: -len(masc)], f[: -len(fem)]
                if stem_m == stem_f or name_consonants(stem_m) == name_consonants(stem_f):
                    return True
    return False


def gender_disagrees(native: str, latin: str) -> bool:
    """A Cyrillic family name and a Latin token whose endings give two genders (Петрова / petrov): the
    Latin token spells the family's name, not this person's."""
    if _FEMININE_CYRILLIC.search(native):
        return _MASCULINE_LATIN.search(latin) is not None and _FEMININE_LATIN.search(latin) is None
    if _MASCULINE_CYRILLIC.search(native):
        return _FEMININE_LATIN.search(latin) is not None
    return False
