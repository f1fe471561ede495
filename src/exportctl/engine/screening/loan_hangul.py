"""Foreign names written in Hangul read back into Latin letters, as Korean's loanword orthography wrote them.

Korean writes a foreign name (블라디미르 Vladimir, 매코널 McConnell, 로스앤젤레스 Los Angeles) by the
rules of 외래어 표기법 (the National Institute of Korean Language's loanword orthography, 1986): a
consonant with no vowel after it takes the vowel ㅡ (스 s, 르 r, 트 t), an l before a vowel is written ㄹㄹ
(블라 bla), v is written ㅂ and f ㅍ, and the vowels of the source are written with the nearest Korean
ones (ㅓ for o, u and a schwa; ㅐ and ㅔ for e and a). The romanisation systems (`translit._hangul`) spell
every one of those letters (beulladimireu), which meets no Latin spelling. This module reads each jamo
the ways foreign names are written with it, the ㅡ of a lone consonant as nothing, and keeps the few
cheapest readings of a word (each other choice than a letter's first costs its rank); the readings are
compared with Latin spellings by `loanwords.loan_sim` (vowels read as other vowels and the consonants one
jamo writes for two forgiven).
"""

from __future__ import annotations

import re
from functools import lru_cache

from exportctl.engine.screening.readings import Reads, add_reads

READINGS = 12  # readings kept per word
BEAM = 24  # partial readings kept while reading a word (cheapest first)
MAX_SYLLABLES = 10  # a longer "word" is read by its first syllables only

# Initial consonants (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ): spellings in
# foreign names.
_INITIAL: tuple[tuple[str, ...], ...] = (
    ("g", "k"), ("k", "g"), ("n",), ("d", "t"), ("t", "d"), ("r", "l"), ("m",), ("b", "v"), ("p", "b"),
    ("s", "sh"), ("s",), ("",), ("j", "z", "g"), ("ts", "z"), ("ch", "ts"), ("k", "c"), ("t",), ("p", "f"),
    ("h",),
)  # fmt: skip
# Vowels (ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ); ㅡ first as
# nothing (a lone consonant).
_VOWEL: tuple[tuple[str, ...], ...] = (
    ("a",), ("e", "a"), ("ya", "ia"), ("ye",), ("o", "u", "e"), ("e",), ("yo", "ye", "io"), ("ye",), ("o",),
    ("wa", "ua"), ("we",), ("oe", "we"), ("yo",), ("u", "o"), ("wo", "uo"), ("we",), ("wi", "ui"),
    ("yu", "iu"), ("", "u", "e"), ("ui", "i"), ("i", "e", "y"),
)  # fmt: skip
# Final consonants (none ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ).
_FINAL: tuple[tuple[str, ...], ...] = (
    ("",), ("k", "c"), ("k",), ("ks",), ("n",), ("nj",), ("nh",), ("t",), ("l",), ("lk",), ("lm",), ("lb",),
    ("ls",), ("lt",), ("lp",), ("lh",), ("m",), ("p",), ("ps",), ("t", "s"), ("t",), ("ng",), ("t",),
    ("t",), ("k",), ("t",), ("p",), ("t",),
)  # fmt: skip
_PALATAL = frozenset({9, 12, 14})  # ㅅ ㅈ ㅊ
_Y_VOWELS = {2: "a", 6: "o", 12: "o", 17: "u"}  # ㅑ ㅕ ㅛ ㅠ without their y
_YU = 17
_SIOS = 9
_RIEUL_INITIAL = 5
_RIEUL_FINAL = 8
_WORD = re.compile(r"^[\uac00-\ud7a3]+$")


def _jamo(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - 0xAC00
    return code // 588, (code % 588) // 28, code % 28


def _syllable_options(word: str, i: int) -> list[tuple[str, int]]:
    """The spellings of syllable `i` with their cost (the rank of each jamo's choice), cheapest first."""
    initial, vowel, final = _jamo(word[i])
    firsts = _INITIAL[initial]
    vowels = _VOWEL[vowel]
    if initial in _PALATAL and vowel in _Y_VOWELS:
        # 샤 슈 쇼 (sha, shu, sho), 쥬 (ju), 츄 (chu): the y is the consonant's own; 슈 before a consonant
        # writes a lone sh (타슈켄트 Tashkent)
        vowels = (_Y_VOWELS[vowel], *vowels)
        if initial == _SIOS and vowel == _YU and not final:
            vowels = (*vowels[:1], "", *vowels[1:])
    if initial == _RIEUL_INITIAL and i > 0 and _jamo(word[i - 1])[2] == _RIEUL_FINAL:
        firsts = ("",)  # ㄹ after a final ㄹ: the one l of 블라 (bla), 클린 (klin)
    out = [
        (("sh" if f == "s" and b == 0 and vowels is not _VOWEL[vowel] else f) + v + c, a + b + d)
        for a, f in enumerate(firsts)
        for b, v in enumerate(vowels)
        for d, c in enumerate(_FINAL[final])
    ]
    return sorted(out, key=lambda o: o[1])


@lru_cache(maxsize=1 << 14)
def hangul_loan_readings(word: str) -> tuple[str, ...]:
    """Latin readings of one Hangul word as a foreign name, cheapest first (at most READINGS, no
    duplicates); () when the word is not written in Hangul syllables alone."""
    text = word[:MAX_SYLLABLES]
    if not text or not _WORD.match(text):
        return ()
    beam: list[tuple[int, str]] = [(0, "")]
    for i in range(len(text)):
        grown = [(cost + c, reading + s) for cost, reading in beam for s, c in _syllable_options(text, i)]
        grown.sort()
        beam = grown[:BEAM]
    out: list[str] = []
    for _cost, reading in beam:
        single = re.sub(r"([^aeiou])\1+", r"\1", reading)
        if single and single not in out:
            out.append(single)
    return tuple(out[:READINGS])


def _looks_foreign(words: list[str]) -> bool:
    """A Hangul name written as foreign names are: a word with a lone consonant (ㅡ with no final: 스, 르,
    트), which Korean names never have, or two words or more that do not make a Korean person's name (a
    Korean name is one word, 김정은, or a family name and a given name of one or two syllables apart, in
    either order: 김 민수, 민수 김, 남궁 민수; `korean.korean_order`)."""
    from exportctl.engine.screening.korean import korean_order

    if any(_jamo(ch)[1] == 18 and _jamo(ch)[2] == 0 for w in words for ch in w):
        return True
    return len(words) >= 2 and not korean_order(" ".join(words))


def hangul_loan_forms(text: str, reads: Reads | None = None) -> list[str]:
    """The reading of a name written in Hangul as a foreign name: each word as its cheapest reading, which
    stands for all its readings (`hangul_loan_readings`, compared by `loanwords.loan_sim`), words in other
    letters as they are; [] for a name written as a Korean name is (one word with no lone consonant), and
    for a company's name (a legal form or company word, written as its English word by
    `company_words.replace_company_words`): Korean companies write English trade words in Hangul (테크놀로지,
    인터내셔널) and the rest of their name is Korean, which these readings would spell as a foreign name."""
    from exportctl.engine.screening.terms import terms
    from exportctl.engine.screening.variants import latin_spelling

    words = re.findall(r"[\uac00-\ud7a3]+|[^\W\d_]+", text)
    hangul = [w for w in words if _WORD.match(w)]
    if not hangul or not _looks_foreign(hangul):
        return []
    light, company = terms().light, terms().company_words or {}
    if any(w.casefold() in light for w in words if not _WORD.match(w)) or any(w in company for w in hangul):
        return []
    out: list[str] = []
    read = False
    for word in words:
        known = word if not _WORD.match(word) else latin_spelling(word)
        readings = () if known else hangul_loan_readings(word)
        if readings:
            add_reads(reads, readings[0], readings)
            read = True
        out.append(known or (readings[0] if readings else word))
    return [" ".join(out)] if read else []


__all__ = ["hangul_loan_forms", "hangul_loan_readings"]
