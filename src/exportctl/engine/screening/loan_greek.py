"""Foreign names written in Greek read back into Latin letters as their own spelling has them.

Greek writes the sounds it has no letter for with digraphs (μπ b, ντ d, γκ g, τζ j) and English or French
vowels with vowel pairs (ου u, αι e, ει, οι i): Μπρισμπέιν Brisbane, Ντόναλντ Donald, Τζούμπα Juba. ICU's
UNGEGN and BGN transforms and rigour write those letter by letter (Mprismpein, Ntonalnt), which is right for
Greek names and far from the foreign name's own spelling. Each word here is read both ways a digraph is
said (b at a word's start, b or mb inside it), and the readings stand for the word (`readings.Reads`),
compared by `loanwords.loan_sim`, which forgives the vowels a Latin spelling writes and Greek does not.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from exportctl.engine.screening.readings import Reads, add_reads

READINGS = 4
# Digraphs: (inside a word, at its start); the first spelling is a foreign name's
_DIGRAPHS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "μπ": (("b", "mp", "mb"), ("b",)), "ντ": (("d", "nd", "nt"), ("d",)), "γκ": (("g", "ng"), ("g",)),
    "γγ": (("ng", "g"), ("g",)), "τζ": (("j", "dz"), ("j",)), "τσ": (("ts", "ch"), ("ts",)),
    "ου": (("u", "ou", "w"), ("u", "ou", "w")), "αι": (("e", "ai"), ("e", "ai")),
    "ει": (("ei", "i", "e"), ("ei", "i", "e")), "οι": (("oi", "i"), ("oi", "i")),
    "αυ": (("av", "au"), ("av", "au")), "ευ": (("ev", "eu"), ("ev", "eu")),
}  # fmt: skip
_LETTERS = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "i", "φ": "f", "χ": "h", "ψ": "ps", "ω": "o",
}  # fmt: skip
_WORD = re.compile(r"^[\u03b1-\u03c9]+$")
_FRONT = frozenset("εηιυ")  # γ before these is y (Καγιέν Cayenne)


def _plain(word: str) -> str:
    text = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 12)
def greek_loan_readings(word: str) -> tuple[str, ...]:
    """Latin readings of one Greek word as a foreign name, the foreign spelling's first (at most READINGS);
    () when the word is not in Greek letters alone."""
    text = _plain(word)[:24]
    if not text or not _WORD.match(text):
        return ()
    partial: list[str] = [""]
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _DIGRAPHS:
            inside, first = _DIGRAPHS[pair]
            options: tuple[str, ...] = first if i == 0 else inside
            i += 2
        else:
            ch = text[i]
            nxt = text[i + 1] if i + 1 < len(text) else ""
            options = ("y", "g") if ch == "γ" and nxt in _FRONT else (_LETTERS.get(ch, ""),)
            i += 1
        partial = [p + o for p in partial for o in options][: READINGS * 4]
    return tuple(dict.fromkeys(partial))[:READINGS]


_FOREIGN = re.compile(r"^(?:μπ|ντ|γκ|τζ)|τζ|[^\W\d_αεηιουωςν]$")


def _foreign(word: str) -> bool:
    """A Greek word written as foreign names are: it begins with a digraph for b, d, g or j, holds τζ, or
    ends in a consonant other than ς and ν, as no Greek word does (Τραμπ, Βλαντιμίρ, Μπρισμπέιν)."""
    return _FOREIGN.search(_plain(word)) is not None


def greek_loan_forms(text: str, reads: Reads | None = None) -> list[str]:
    """The name with each Greek word as its foreign-name reading, which stands for all its readings
    (`greek_loan_readings`); [] when no word has one, or when a word is a Greek name the name table knows
    (`_foreign`: Σαμπάνη is a Greek name, which Greek's own standards spell)."""
    from exportctl.engine.screening.variants import latin_spelling

    words = re.findall(r"[^\W\d_]+", text)
    if any(not w.isascii() and latin_spelling(w) for w in words) or not any(map(_foreign, words)):
        return []
    out: list[str] = []
    read = False
    for word in words:
        readings = greek_loan_readings(word)
        if readings:
            add_reads(reads, readings[0], readings)
            read = True
        out.append(readings[0] if readings else word)
    return [" ".join(out)] if read else []


__all__ = ["greek_loan_forms", "greek_loan_readings"]
