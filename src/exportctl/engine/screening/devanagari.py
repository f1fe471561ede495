"""Hindi's schwa deletion: the inherent vowel a Devanagari consonant carries is not said (nor written in Latin
letters) at the end of a word, nor between a vowel-consonant and a consonant-vowel (बेलग्रेड is Belgred, not
Belagreda; सिडनी Sidni; राहुल Rahul), applied from the end of the word to its start, so that कमल stays
Kamal. ICU's transform writes every inherent vowel; this marks the deleted ones with a virama first.
"""

from __future__ import annotations

import re

_CONSONANT = re.compile(r"[\u0915-\u0939\u0958-\u095f]")
_NUKTA = "\u093c"
_VIRAMA = "\u094d"
_SIGNS = re.compile(r"[\u093e-\u094c\u0962\u0963]")  # vowel signs (matras)
_NASAL = frozenset("\u0901\u0902\u0903")  # candrabindu, anusvara, visarga: the vowel before them is said


def _syllables(word: str) -> list[tuple[int, str]]:
    """(index of the character after the consonant (and nukta), kind) per consonant of a word: kind 'a' for
    a consonant with its inherent vowel, 'v' for one with a vowel sign, a nasal or visarga after it, '-'
    for one with a virama; ('', 'V') entries for independent vowels."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if _CONSONANT.match(ch):
            j = i + 1 + (word[i + 1 : i + 2] == _NUKTA)
            nxt = word[j : j + 1]
            kind = "-" if nxt == _VIRAMA else "v" if _SIGNS.match(nxt) or nxt in _NASAL else "a"
            out.append((j, kind))
            i = j + (nxt == _VIRAMA)
        else:
            if "\u0904" <= ch <= "\u0914":
                out.append((i + 1, "V"))
            i += 1
    return out


def schwa_deleted(word: str) -> str:
    """A Devanagari word with a virama after each consonant whose inherent vowel Hindi does not say."""
    syl = _syllables(word)
    kinds = [k for _, k in syl]  # '-' a written virama (a conjunct), 'x' a vowel deleted here
    cut: list[int] = []
    for n in range(len(syl) - 1, 0, -1):  # never the first syllable's vowel
        if kinds[n] != "a":
            continue
        nxt = n + 1
        while nxt < len(kinds) and kinds[nxt] == "-":
            nxt += 1  # a conjunct's consonants: the vowel after them counts (बेल-ग्रे)
        last = n == len(syl) - 1
        if last and kinds[n - 1] == "-":
            continue  # a word ending in a conjunct says its vowel (नरेंद्र Narendra)
        if last or (kinds[n - 1] in "avV" and nxt < len(kinds) and kinds[nxt] in "av"):
            kinds[n] = "x"
            cut.append(syl[n][0])
    for at in sorted(cut, reverse=True):
        word = word[:at] + _VIRAMA + word[at:]
    return word


def hindi_spelling(latin: str) -> str:
    """ICU's Devanagari-Latin output as names are written in English letters: ś and ṣ as sh, c as ch."""
    latin = latin.replace("ś", "sh").replace("ṣ", "sh")
    return re.sub(r"c(?!h)", "ch", latin)


__all__ = ["hindi_spelling", "schwa_deleted"]
