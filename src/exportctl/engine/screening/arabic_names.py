"""Arabic-script person names against the Latin spellings people write them in, letter by letter.

A name written in Arabic script (Arabic, Persian, Urdu) leaves its short vowels unwritten, and each of its
letters is spelt several ways in Latin letters, by region and by the language the spelling follows: ج is j,
g in Egypt, dj in the Maghreb (Jamal, Gamal, Djamel); ق is q, k, g or gh in Persian (Qasim, Kassem, Ghasem);
ث is th or s (Uthman, Osman); ض is d, dh or z in Persian and Urdu (Ramadan, Ramzan); ش is sh, ch in French
spellings (Chaker); و is w, v in Persian, o, u or ou (Walid, Vahid, Youssef); a final ه or ة is a, ah, e or eh
(Fatima, Fatemeh). The consonant skeleton of one romanisation (`similarity.skeleton_key`) meets only the
spellings that share its letters; this module instead compiles the written word into a pattern of every
spelling its letters have (`latin_pattern`), the unwritten short vowels free between them, and a Latin
word either is such a spelling or is not (`native_sim`). Doubled letters are compared once (a shadda is not
written: Haddad, Hadad).

The spellings are those of the common romanisation practices of Arabic and Persian personal names
(English, French and passport spellings; cf. the BGN/PCGN romanisation systems for Arabic and Persian and
the name tables of `variants.py`); the letters of the name data (`name_variants.tsv.gz`) are not used here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

NATIVE_SIM = 0.85  # a Latin word that is a spelling of an Arabic-script word's letters
NATIVE_SHORT = 0.65  # ... when the word has fewer than MIN_CONSONANTS consonant letters (as SKELETON_SHORT)
MIN_CONSONANTS = 2  # consonant letters a word needs for its pattern to say much (علي / Ali, Eli, Ola ...)

# Each consonant letter's spellings in Latin names (doubles are compared once, so none is listed doubled).
_CONSONANTS: dict[str, str] = {
    "ب": "b|p", "پ": "p|b", "ت": "t|th", "ٹ": "t", "ث": "th|s|t", "ج": "j|g|dj|dg|gu|dz", "چ": "ch|tch|c",
    "ح": "h|kh", "خ": "kh|h|x|j|ch", "د": "d", "ڈ": "d", "ذ": "dh|z|d|th", "ر": "r", "ڑ": "r",
    "ز": "z", "ژ": "zh|j|z|g", "س": "s|c", "ش": "sh|ch|sch", "ص": "s|c|ss", "ض": "d|dh|z",
    "ط": "t|th", "ظ": "z|dh|d|th", "غ": "gh|g", "ف": "f|ph|v", "ڤ": "v|f", "ق": "q|k|g|gh|c|ck|qu|kh",
    "ك": "k|c|ck|q|ch|g", "ک": "k|c|ck|q|ch|g", "گ": "g|gu|gh", "ڭ": "ng", "ل": "l", "م": "m",
    "ن": "n|m", "ں": "n", "ه": "h", "ہ": "h", "ھ": "h",
}  # fmt: skip
_VOWEL = "[aeiou]"
_SHORT = f"{_VOWEL}{{0,2}}"  # an unwritten short vowel (or none) between two letters
_ALEF = "اأإآٱ"
_WAW = "وؤ"
_YA = "يىیئۍےۓ"
_HAMZA = "ءٔ"
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")  # harakat, shadda, tatweel, Quranic marks
_WORD = re.compile(r"^[\u0600-\u06ff\u0750-\u077f]+$")
_ARTICLE = "ال"
_ARTICLE_LATIN = "(?:al|el|ul|il|ol)?"  # the article as Latin spellings write it, or left out
_ARTICLE_SUN = "(?:al|el|ul|il|ol|a|e|u)?"  # ... and before a sun letter, assimilated (as-Sayyid, ar-Rashid)
_SUN = frozenset("تثدذرزسشصضطظلن")
_INNER_ARTICLE = re.compile(
    "^(?:عبد|ابو|بو)(ال)..|..(ال)(?:له|دين)$"
)  # the article as Latin spellings write it, or left out


def _letter(word: str, i: int) -> str:
    """The pattern of the letter at `i` (a long vowel or semivowel letter by its place in the word)."""
    ch = word[i]
    first, last = i == 0, i == len(word) - 1
    if ch in _ALEF:
        return _VOWEL if first else "(?:a|e)"  # إبراهيم Ibrahim; ا a, or e (imala: Djamel)
    if ch in _WAW:
        if first:
            return "(?:w|v|ou|o|u)"
        return "(?:w|v|o|u|ou|ow|aw|au|ew|eu|ue)"
    if ch in _YA:
        if last and ch == "ی":
            return "(?:i|y|e|ie|ey|ei|ay|ai|iy)"  # the Persian ye, never an alef maqsura
        if last:
            return "(?:i|y|e|a|ie|ey|ei|ay|ai|iy)"  # final ى is a (منى Mona), as ي may be written for it
        return "(?:y|i|j|e|ie|ei|ey|ai|ay|iy)" if not first else "(?:y|j|i|e)"
    if ch == "ع":
        # An ain is heard as its vowel; before a long vowel letter that vowel is the letter's (عايد Ayed).
        return f"{_VOWEL}{{1,2}}" if first and word[1:2] not in _ALEF + _WAW + _YA else f"{_VOWEL}{{0,2}}"
    if ch in _HAMZA:
        return f"{_VOWEL}?"
    if ch in "ةۃ" or (ch in "هہ" and last and i >= 1):
        return "(?:a|ah|at|e|eh|et|h)"  # ta marbuta, a Persian final he (Fatemeh, Zadeh)
    spellings = _CONSONANTS.get(ch)
    return f"(?:{spellings})" if spellings else ""


def _article(after: str) -> str:
    """The article's pattern before a word: assimilated to a sun letter it may be a vowel alone."""
    return _ARTICLE_SUN if after[:1] in _SUN else _ARTICLE_LATIN


def _consonant(ch: str) -> bool:
    """A letter written for a consonant: the ain too, which Latin writes as its vowel (Ali, Abbou)."""
    return bool(ch) and (ch in _CONSONANTS or ch == "ع")


@lru_cache(maxsize=1 << 14)
def latin_pattern(word: str) -> re.Pattern[str] | None:
    """The pattern of the Latin spellings of one word written in Arabic script (lower case, doubled letters
    once, `_collapse`); None when the word is not in Arabic letters alone."""
    text = _MARKS.sub("", unicodedata.normalize("NFKC", word))
    if not text or not _WORD.match(text):
        return None
    article = text.startswith(_ARTICLE) and len(text) >= 4
    body = text[2:] if article else text
    # The article inside a compound name, after عبد or ابو or before الله or الدين (عبدالقادر Abdulqadir,
    # Abdelkader; نورالدين Noureddine): written as Latin spellings write an article, or not at all.
    inner = _INNER_ARTICLE.search(body)
    at = inner.lastindex if inner else None
    pieces = [body[: inner.start(at)], body[inner.end(at) :]] if inner and at else [body]
    parts = [_article(body)] if article else []
    for k, piece in enumerate(pieces):
        if k:
            parts.append(_SHORT + _article(piece))
        piece = re.sub(r"(.)\1+", r"\1", piece)  # a doubled letter once, as the Latin word is compared
        for i in range(len(piece)):
            parts.append(_letter(piece, i))
            if i + 1 < len(piece):
                parts.append(_SHORT)
    if _consonant(text[-1]) and text[-1] not in "هہ":
        parts.append("e?")  # French spellings add a mute e after a consonant (Dehane, Zitoune)
    return re.compile("".join(parts))


def consonants(word: str) -> int:
    """How many consonant letters an Arabic-script word writes (its article and long vowels left out)."""
    text = _MARKS.sub("", unicodedata.normalize("NFKC", word))
    if text.startswith(_ARTICLE) and len(text) >= 4:
        text = text[2:]
    return sum(_consonant(ch) for ch in text[:-1]) + (text[-1:] not in "هہة" and _consonant(text[-1:]))


def other_names(word: str, latin: str) -> bool:
    """Whether the name data knows both words and as spellings of different names (محمد / Mahmud: the
    pattern lets the unwritten vowels be anything, the data knows Mahmud as محمود)."""
    from exportctl.engine.screening.variants import name_symbols, native_key

    ours, theirs = name_symbols(native_key(word)), name_symbols(latin)
    return bool(ours) and bool(theirs) and ours.isdisjoint(theirs)


def _collapse(latin: str) -> str:
    """A Latin word with each doubled letter once (Haddad hadad, Saad sad, Mohammed mohamed)."""
    return re.sub(r"(.)\1+", r"\1", latin)


@lru_cache(maxsize=1 << 16)
def native_sim(word: str, latin: str) -> float:
    """NATIVE_SIM when the Latin word is a spelling of the Arabic-script word's letters (`latin_pattern`),
    NATIVE_SHORT when it is but the word writes fewer than MIN_CONSONANTS consonants; 0 otherwise (and for
    a particle alone or a word of long vowels only)."""
    if not latin.isascii() or not latin.isalpha():
        return 0.0
    pattern = latin_pattern(word)
    if pattern is None or word in PARTICLES or not pattern.fullmatch(_collapse(latin.lower())):
        return 0.0
    if other_names(word, latin.lower()):
        return 0.0
    written = consonants(word)
    return NATIVE_SIM if written >= MIN_CONSONANTS else NATIVE_SHORT if written else 0.0


# Particles written as words of their own (عبد, ابو, بن ...): a reading of the particle alone says nothing
# of a name (`native_sim` 0); joined to the next word it is read with it (عبد القادر Abdulqadir).
PARTICLES = frozenset({"عبد", "ابو", "ابي", "بن", "ابن", "بنت", "ال", "آل", "ولد", "بو"})


def joined_reads(reads: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The reading of adjacent query tokens joined into one (عبد + القادر: عبدالقادر), when each stands for
    an Arabic-script word; () otherwise."""
    words = [next((r for r in rs if arabic_word(r)), "") for rs in reads]
    return ("".join(words),) if words and all(words) else ()


def arabic_word(text: str) -> bool:
    """Whether a reading stands for a word written in Arabic letters (a `native_sim` reading)."""
    return bool(text) and _WORD.match(text) is not None


__all__ = [
    "NATIVE_SHORT",
    "NATIVE_SIM",
    "PARTICLES",
    "arabic_word",
    "consonants",
    "joined_reads",
    "latin_pattern",
    "native_sim",
]
