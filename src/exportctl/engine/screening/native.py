"""Names in their own scripts spelt as the lists spell them, from name data rather than letter by letter.

The name-variant table (variants.py) holds, beside the lists' Latin tokens, the given and family names of
Faker's person providers in Arabic, Persian, Hebrew, Cyrillic, Greek, Hangul, kana, Thai and Devanagari that
rigour's Wikidata name data ties to a Latin token of the lists. A word it knows is written with that Latin
token (محمد -> mohamed, Владимир -> vladimir); the variant step then meets the other spellings (Muhammad,
Mohammed). Arabic names also read the way they are written in Latin letters: the article of a nisba apart
(الخطيب -> al khatib, as AL-KHATIB) and عبد joined to the name after it (عبد الله -> abdullah).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from exportctl.engine.screening.readings import Reads, add_reads
from exportctl.engine.screening.similarity import skeleton_key
from exportctl.engine.screening.variants import latin_spelling, native_key

_WORD = re.compile(r"[^\W\d_]+")
_ARTICLE = "ال"
_ABD = "عبد"
_ARABIC_WORD = re.compile(r"^[\u0600-\u06ff]+$")
# Consonants the word after an unknown article must have to stand apart: fewer meet too many short names
# by skeleton alone (السيد as al syd meets Saudi).
_SKELETON_APART = 3


def _article(word: str) -> bool:
    return word.startswith(_ARTICLE) and len(word) >= 5 and _ARABIC_WORD.match(word) is not None


def spell(text: str, letters: Callable[[str], str]) -> tuple[str, bool]:
    """The name with each word the table knows spelt as the lists spell it, the other words by `letters`
    (a transliteration of one word); ("", False) when the table knows no word. The flag: it knew them all."""
    words = _WORD.findall(native_key(text))
    out: list[str] = []
    known = unknown = 0
    i = 0
    while i < len(words):
        word = words[i]
        if word.isascii():
            out.append(word)
            i += 1
            continue
        if word == _ABD and i + 1 < len(words):
            joined = latin_spelling(word + words[i + 1])  # عبد الله -> abdullah
            if joined:
                out.append(joined)
                known += 1
                i += 2
                continue
        latin = latin_spelling(word)
        if not latin and _article(word):
            rest = latin_spelling(word[2:])
            latin = f"al {rest}" if rest else ""
            if not latin:
                out.append(f"al {letters(word[2:])}")
                unknown += 1
                i += 1
                continue
        if latin:
            known += 1
            out.append(latin)
        else:
            unknown += 1
            out.append(letters(word))
        i += 1
    if not known:
        return "", False
    return " ".join(w for w in out if w.strip()), unknown == 0


def native_reads(text: str, letters: Callable[[str], str], reads: Reads | None) -> None:
    """Record that each token an Arabic-script word is read as (its name-table spelling, its letters, with
    or without the article; عبد joined to the next word) stands for that word (`arabic_names.native_sim`
    compares it with Latin spellings by the word's own letters)."""
    if reads is None:
        return
    from exportctl.engine.screening.forms import abjad_tokens

    words = _WORD.findall(native_key(text))
    for i, word in enumerate(words):
        if word.isascii() or not _ARABIC_WORD.match(word):
            continue
        spelt = [latin_spelling(word), letters(word)]
        if _article(word):
            spelt += [latin_spelling(word[2:]), letters(word[2:])]
        if word == _ABD and i + 1 < len(words):
            joined = word + words[i + 1]
            for tok in abjad_tokens(latin_spelling(joined)):
                add_reads(reads, tok, (joined,))
        for tok in {t for form in spelt if form for t in abjad_tokens(form)}:
            if tok != "al":
                add_reads(reads, tok, (word,))


def written_words(text: str, letters: Callable[[str], str]) -> str:
    """The name letter by letter (`letters`, one word at a time) with the article of each nisba apart, as
    Latin spellings write it (السادات -> al sdt, as AL-SADAT / Sadat): the form for names the table knows
    no word of, whose article a whole-name transliteration would fuse with the word (lsdt)."""
    out: list[str] = []
    for word in _WORD.findall(native_key(text)):
        if word.isascii():
            out.append(word)
        elif _article(word) and len(skeleton_key(letters(word[2:]))) >= _SKELETON_APART:
            out.append(f"al {letters(word[2:])}")
        else:
            out.append(letters(word))
    return " ".join(w for w in out if w.strip())
