"""Foreign names written in Hebrew letters read back into Latin letters, their vowel letters read as vowels.

Hebrew writes a foreign name (מייקל Michael, פוטין Putin, לוס אנג׳לס Los Angeles) as it sounds, its vowels
with the letters that also stand for consonants (matres lectionis): ו for o, u or v, י for i, e or y, א
and ע for a or e, a final ה for a; a geresh marks the sounds Hebrew has no letter for (ג׳ j, צ׳ ch, ז׳
zh). BGN's transliteration (`translit._abjad`) writes every such letter as its consonant (pvtyn), which
the skeleton comparison then reads without vowels. This module reads each letter the ways foreign names
are written with it and keeps the cheapest readings of a word (each other choice than a letter's first
costs its rank); the readings are compared with Latin spellings by `loanwords.loan_sim`, which forgives
the short vowels Hebrew leaves unwritten.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

READINGS = 12  # readings kept per word
BEAM = 24  # partial readings kept while reading a word (cheapest first)
MAX_LETTERS = 16
MIN_LETTERS = 4  # shorter words are Hebrew names' (כהן, חן), which the skeleton rules judge

_GERESH = "\u05f3'’`"
_WITH_GERESH = {"ג": ("j", "g"), "צ": ("ch", "tsh"), "ז": ("zh", "j"), "ת": ("th", "t"), "ח": ("kh",)}
_LETTERS: dict[str, tuple[str, ...]] = {
    "ב": ("b", "v"), "ג": ("g",), "ד": ("d",), "ה": ("h", "a", "e"), "ז": ("z", "s"), "ח": ("kh", "h", "ch"),
    "ט": ("t",), "כ": ("k", "c", "kh"), "ך": ("kh", "k"), "ל": ("l",), "מ": ("m",), "ם": ("m",),
    "נ": ("n",), "ן": ("n",), "ס": ("s", "c"), "פ": ("p", "f"), "ף": ("f", "p"), "צ": ("ts", "tz", "z"),
    "ץ": ("ts", "tz", "z"), "ק": ("k", "c", "q"), "ר": ("r",), "ש": ("sh", "s"), "ת": ("t",),
}  # fmt: skip
_WORD = re.compile(r"^[\u05d0-\u05ea\u05f3'’`]+$")


def _options(word: str, i: int) -> tuple[tuple[str, int], ...]:
    """The spellings of the letter at `i` (with how many letters each takes), the usual one first."""
    ch = word[i]
    nxt = word[i + 1] if i + 1 < len(word) else ""
    geresh = bool(nxt) and nxt in _GERESH
    last = i + 1 >= len(word) or (i + 2 == len(word) and geresh)
    if geresh and ch in _WITH_GERESH:
        return tuple((s, 2) for s in _WITH_GERESH[ch])
    if ch in _GERESH:
        return (("", 1),)
    if ch == "ו":
        if nxt == "ו":
            return (("v", 2), ("w", 2), ("vu", 2))  # וו: a consonant v or w
        if i == 0:
            return (("v", 1), ("w", 1), ("o", 1), ("u", 1))
        return (("o", 1), ("u", 1), ("v", 1), ("w", 1))
    if ch == "י":
        if nxt == "י":
            return (("y", 2), ("ey", 2), ("ai", 2), ("i", 2))  # יי: y, ei, ai (מייקל Michael)
        if i == 0:
            return (("y", 1), ("i", 1), ("e", 1), ("j", 1))
        return (("i", 1), ("e", 1), ("y", 1), ("ey", 1))
    if ch in "אע":
        return (("a", 1), ("", 1), ("e", 1), ("o", 1))
    if ch == "ה" and last and i > 0:
        return (("a", 1), ("e", 1), ("h", 1))  # a final he writes a vowel
    return tuple((s, 1) for s in _LETTERS.get(ch, ("",)))


@lru_cache(maxsize=1 << 14)
def hebrew_loan_readings(word: str) -> tuple[str, ...]:
    """Latin readings of one Hebrew word as a foreign name, cheapest first (at most READINGS, no
    duplicates, a doubled consonant once); () when the word is not written in Hebrew letters alone."""
    text = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text)[:MAX_LETTERS]
    if not text or not _WORD.match(text):
        return ()
    beam: list[tuple[int, str, int]] = [(0, "", 0)]
    done: dict[str, int] = {}
    while beam:
        grown: list[tuple[int, str, int]] = []
        for cost, reading, i in beam:
            if i >= len(text):
                if reading and cost < done.get(reading, cost + 1):
                    done[reading] = cost
                continue
            for rank, (spelt, size) in enumerate(_options(text, i)):
                grown.append((cost + rank, reading + spelt, i + size))
        grown.sort()
        beam = grown[:BEAM]
    out: list[str] = []
    for reading, _cost in sorted(done.items(), key=lambda kv: (kv[1], kv[0])):
        single = re.sub(r"([^aeiou])\1+", r"\1", reading)
        if single and single not in out:
            out.append(single)
    return tuple(out[:READINGS])


def hebrew_loan_forms(text: str) -> list[str]:
    """The reading of a name written in Hebrew as a foreign name: each word the name table does not know
    as its cheapest reading, which stands for all its readings (compared by `loanwords.loan_sim`), the
    words it knows as the lists spell them, words shorter than MIN_LETTERS as they are; [] when no word
    has a reading."""
    from exportctl.engine.screening.similarity import register_readings
    from exportctl.engine.screening.variants import latin_spelling

    out: list[str] = []
    read = False
    for word in re.findall(r"[\u05d0-\u05ea\u05f3'’`]+|[^\W\d_]+", text):
        known = latin_spelling(word) if _WORD.match(word) else word
        readings = () if known or len(word) < MIN_LETTERS else hebrew_loan_readings(word)
        if readings:
            register_readings(readings[0], readings)
            read = True
        out.append(known or (readings[0] if readings else word))
    return [" ".join(out)] if read else []


__all__ = ["hebrew_loan_forms", "hebrew_loan_readings"]
