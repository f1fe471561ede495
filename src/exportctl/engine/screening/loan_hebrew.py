"""Foreign names written in Hebrew read back into Latin letters, their vowel letters read as vowels.

Modern Hebrew writes a foreign name (a place or a person abroad: ולדימיר פוטין, פריז, ג׳רזי) in plene
spelling: א for a or e, ו for o, u, v or w, י for i, e or y, a final ה for a or e, and a geresh for the
sounds Hebrew lacks (ג׳ j, צ׳ ch, ז׳ zh, given in Latin letters by `translit.hebrew_geresh`). BGN's
transform writes those letters as the consonants ʼ, w, y and h, and the consonant skeleton the abjad path
compares drops them, so a foreign name keeps little of itself and its first letters read soft (פריז 'fryz').
As `loanwords` does for Arabic script, each letter is read the ways foreign names are written with it, the
vowel letters by their place in the word; the cheapest readings of a word are kept and compared by
`loanwords.loan_sim`, which forgives a Latin spelling the vowels Hebrew leaves unwritten (priz / Paris).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from exportctl.engine.screening.loanwords import MAX_LETTERS, beam_readings
from exportctl.engine.screening.readings import Reads, add_reads

# A consonant's spellings in foreign names, the usual one first (ב: b or v; כ: k or kh; פ: p or f; ש: sh or
# s; צ: ts or z, as German and Slavic names write it).
_CONSONANTS: dict[str, tuple[str, ...]] = {
    "ב": ("b", "v"), "ג": ("g",), "ד": ("d",), "ז": ("z", "s"), "ח": ("h", "kh"), "ט": ("t",),
    "כ": ("k", "kh", "c"), "ך": ("kh", "k"), "ל": ("l",), "מ": ("m",), "ם": ("m",), "נ": ("n",),
    "ן": ("n",), "ס": ("s", "c"), "פ": ("p", "f"), "ף": ("f",), "צ": ("ts", "z", "tz"), "ץ": ("ts", "z"),
    "ק": ("k", "c", "q"), "ר": ("r",), "ש": ("sh", "s"), "ת": ("t", "th"),
}  # fmt: skip
_ALEF, _VAV, _YOD, _HE, _AYIN = "א", "ו", "י", "ה", "ע"
_VOWEL_LETTERS = frozenset("אויהע")
_MARKS = re.compile(r"[\u0591-\u05c7]")  # niqqud and cantillation
_WORD = re.compile(r"^[\u05d0-\u05eaa-z]+$")  # Hebrew letters, and Latin ones a geresh gave


def _options(word: str, i: int) -> tuple[tuple[str, int], ...]:
    """The spellings of the letter at `i` (with how many letters each takes), the usual one first."""
    ch = word[i]
    prev = word[i - 1] if i > 0 else ""
    nxt = word[i + 1] if i + 1 < len(word) else ""
    if ch.isascii():
        return ((ch, 1),)
    if ch == _ALEF:
        if i == 0 and nxt == _VAV:
            return (("o", 2), ("u", 2), ("au", 2))
        if i == 0 and nxt == _YOD:
            return (("i", 2), ("ei", 2), ("ai", 2), ("e", 2))
        if i == 0:
            return (("a", 1), ("e", 1), ("i", 1), ("o", 1))
        return (("a", 1), ("", 1), ("e", 1))
    if ch == _VAV:
        if nxt == _VAV:
            return (("v", 2), ("w", 2))  # a doubled ו is the consonant (הוואנה Havana, וושינגטון Washington)
        if i == 0:
            return (("v", 1), ("w", 1))
        if prev in "אי" and i > 1:
            return (("v", 1), ("o", 1), ("u", 1), ("w", 1))
        return (("o", 1), ("u", 1), ("v", 1), ("ou", 1))
    if ch == _YOD:
        if nxt == _YOD:
            return (("y", 2), ("ei", 2), ("ai", 2), ("i", 2))
        if i == 0:
            return (("y", 1), ("i", 1), ("e", 1))
        if not nxt:
            return (("i", 1), ("y", 1), ("e", 1), ("ie", 1))
        if nxt in "אוה" or prev in "או":
            return (("y", 1), ("i", 1), ("e", 1))  # beside a vowel letter: a consonant (ia, ya)
        return (("i", 1), ("e", 1), ("y", 1))
    if ch == _HE:
        if not nxt and i > 0:
            return (("a", 1), ("e", 1), ("", 1), ("h", 1))
        return (("h", 1), ("", 1))
    if ch == _AYIN:
        return (("a", 1), ("e", 1), ("", 1))
    spellings = _CONSONANTS.get(ch)
    if spellings is None:
        return (("", 1),)
    return tuple((s, 1) for s in spellings)


@lru_cache(maxsize=1 << 14)
def hebrew_loan_readings(word: str) -> tuple[str, ...]:
    """Latin readings of one word written in Hebrew as a foreign name, cheapest first (at most READINGS);
    () when the word is not written in Hebrew letters (and letters a geresh gave) alone."""
    text = _MARKS.sub("", unicodedata.normalize("NFC", word))[:MAX_LETTERS]
    if not text or not _WORD.match(text) or text.isascii():
        return ()
    return beam_readings(text, _options, _VOWEL_LETTERS)


FOREIGN_LETTERS = 5  # a Hebrew name of shorter words only is read as Hebrew (אייל נוה, דדון מירו)


def _looks_foreign(words: list[str]) -> bool:
    """A name written as foreign names are in Hebrew: no word the name table knows as a Hebrew name (a
    foreign given name beside a Hebrew family name is a Hebrew speaker's name: the skeleton path reads it),
    and a word of FOREIGN_LETTERS letters or more (one less for a name of one word: פריז)."""
    from exportctl.engine.screening.variants import latin_spelling

    hebrew = [w for w in words if not w.isascii()]
    if not hebrew or any(latin_spelling(w) for w in hebrew):
        return False
    return any(len(w) >= FOREIGN_LETTERS - (len(hebrew) == 1) for w in hebrew)


def hebrew_loan_forms(text: str, reads: Reads | None = None) -> list[str]:
    """The reading of a name written in Hebrew as a foreign name: each word the name table does not know
    as its cheapest reading, which stands for all its readings (`hebrew_loan_readings`); words it knows as
    it spells them, words in Latin letters as they are. [] when no word has a reading."""
    from exportctl.engine.screening.variants import latin_spelling

    words = re.findall(r"[^\W\d_]+", text)
    if not _looks_foreign(words):
        return []
    out: list[str] = []
    read = False
    for word in words:
        known = word if word.isascii() else latin_spelling(word)
        readings = () if known else hebrew_loan_readings(word)
        if readings:
            add_reads(reads, readings[0], readings)
            read = True
        out.append(known or (readings[0] if readings else ""))
    return [" ".join(w for w in out if w)] if read else []


__all__ = ["hebrew_loan_forms", "hebrew_loan_readings"]
