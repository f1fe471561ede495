"""Foreign names written in Han characters read back into Latin letters, as Chinese transcription wrote them.

Chinese writes a foreign person's name with characters chosen for their sound, the given name and the family
name apart by a middle dot (弗拉基米尔·普京 Vladimir Putin, 米奇·麦康奈尔 Mitch McConnell, 阿卜杜拉·阿卜杜拉
Abdullah Abdullah). Pinyin spells every syllable whole (fu la ji mi er), while the transcription tables
(Xinhua's 世界人名翻译大辞典 and the national standard GB/T 17693 for each source language) write a
consonant with no vowel after it with a syllable of its own: 弗 fu for f, 斯 si for s, 克 ke for k, 特 te for
t, 德 de for d, 尔 er for r or l, 布 bu and 普 pu for b and p; and the palatal j, q, x of Mandarin write the
g, k, d, t, ch and s of many languages (基 ji for gi, ki or di; 京 jing for tin). This module reads each
syllable (pypinyin's reading of the character) the ways foreign names are written with it, keeps the few
cheapest readings of a word (each other choice than a syllable's first costs its rank), and compares them
with Latin spellings by `loanwords.loan_sim`. Only names written with the middle dot are read so: a
Chinese person's name (王文宇) has none.
"""

from __future__ import annotations

import re
from functools import lru_cache

from exportctl.engine.screening.readings import Reads, add_reads

MAX_SYLLABLES = 8  # a longer "word" is read by its first syllables only
DOTS = re.compile(r"\s*[·・•‧･∙⋅]\s*")  # the middle dots that part a transcribed foreign name
_HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")

# Sound classes: what a transcription keeps of a consonant (b p f v one labial, d t one dental, g k c q one
# velar, s z j ch sh ts one sibilant, l r one liquid); vowels, h, y and w are dropped on both sides.
_LATIN_CLASSES = (
    ("tch", "s"), ("dzh", "s"), ("sch", "s"), ("ch", "s"), ("sh", "s"), ("zh", "s"), ("ts", "s"), ("tz", "s"),
    ("dj", "s"), ("ph", "p"), ("th", "t"), ("kh", "k"), ("gh", "k"), ("ck", "k"), ("x", "ks"), ("q", "k"),
    ("c", "k"), ("g", "k"), ("j", "s"), ("z", "s"), ("b", "p"), ("f", "p"), ("v", "p"), ("d", "t"),
    ("r", "l"),
)  # fmt: skip
_INITIAL_CLASS: dict[str, tuple[str, ...]] = {
    "b": ("p",), "p": ("p",), "f": ("p",), "m": ("m",), "d": ("t",), "t": ("t",), "n": ("n",), "l": ("l",),
    "r": ("l", "s"), "g": ("k",), "k": ("k",), "h": ("", "k"), "j": ("s", "k", "t"), "q": ("s", "k", "t"),
    "x": ("s", "k"), "zh": ("s",), "ch": ("s",), "sh": ("s",), "z": ("s",), "c": ("s",), "s": ("s",),
    "y": ("",), "w": ("", "p"), "": ("",),
}  # fmt: skip
LATTICE_EXACT = 0.9  # a Latin spelling whose consonant classes a transcription's characters spell
LATTICE_NEAR = 0.78  # ... but for one class (a consonant the transcription dropped or added)
_MAX_SPELLINGS = 4096


def latin_classes(word: str) -> tuple[str, ...]:
    """A Latin word's consonant classes, doubled ones once, as written, with an r after a vowel and before a
    consonant (or at the end) left out, as non-rhotic transcriptions do (Alexander), and with ch as k
    (Michael)."""
    out: list[str] = []
    nonrhotic = re.sub(r"(?<=[aeiouy])r(?![aeiouy])", "", word)
    for text in (word, nonrhotic, word.replace("ch", "k")):
        keys, i = "", 0
        while i < len(text):
            for latin, cls in _LATIN_CLASSES:
                if text.startswith(latin, i):
                    keys, i = keys + cls, i + len(latin)
                    break
            else:
                keys += text[i] if text[i] in "mnlpkst" else ""
                i += 1
        out.append(re.sub(r"(.)\1+", r"\1", keys))
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1 << 12)
def _char_classes(char: str) -> tuple[str, ...]:
    """The consonant classes one character writes in transcriptions (its initial's, then n for a nasal
    final, l for er)."""
    from pypinyin import Style, pinyin

    read = pinyin(char, style=Style.NORMAL, errors="ignore")
    if not read or not read[0]:
        return ("",)
    syllable = str(read[0][0])
    if syllable == "er":
        return ("l",)
    initial = next((i for i in ("zh", "ch", "sh") if syllable.startswith(i)), "")
    if not initial and syllable[:1] not in "aeiouv":
        initial = syllable[:1]
    final = syllable[len(initial) :]
    nasal = "n" if final.endswith(("n", "ng")) else ""
    return tuple(dict.fromkeys(c + nasal for c in _INITIAL_CLASS.get(initial, ("",))))


@lru_cache(maxsize=1 << 14)
def _spellings(word: str) -> frozenset[str]:
    """Every string of consonant classes the characters of a word may spell (doubled classes once)."""
    found = {""}
    for ch in word[:MAX_SYLLABLES]:
        found = {s + c for s in found for c in _char_classes(ch)}
        if len(found) > _MAX_SPELLINGS:
            break
    return frozenset(re.sub(r"(.)\1+", r"\1", s) for s in found)


@lru_cache(maxsize=1 << 16)
def lattice_sim(word: str, latin: str) -> float:
    """How well a Latin word matches a word of Han characters read as a transcribed foreign name: its
    consonant classes spelt by the characters (LATTICE_EXACT), or but for one class when the Latin word has
    four or more and the characters three or more (LATTICE_NEAR); 0 otherwise, or when the Latin word has
    fewer than two classes."""
    from rapidfuzz.distance import Levenshtein

    spelt = _spellings(word)
    best = 0.0
    for key in latin_classes(latin):
        if len(key) < 2:
            continue
        if key in spelt:
            return LATTICE_EXACT
        if len(key) >= 4 and any(
            len(s) >= 3 and Levenshtein.distance(s, key, score_cutoff=1) <= 1 for s in spelt
        ):
            best = LATTICE_NEAR
    return best


def han_loan_forms(text: str, reads: Reads | None = None) -> list[str]:
    """The reading of a foreign name written in Han characters with middle dots: each Han word as its
    pinyin joined, a token standing for the Han word (recorded in the query's `reads`, compared by
    `lattice_sim`), words in other letters as they are; [] for a name without a middle dot between Han
    words."""
    parts = [p for p in DOTS.split(text.strip()) if p]
    if len(parts) < 2 or not any(_HAN_WORD.match(p) for p in parts):
        return []
    words: list[str] = []
    for part in parts:
        for word in part.split():
            if not _HAN_WORD.match(word):
                words.append(word)
                continue
            for piece, term in company_pieces(word):
                if term:
                    words.append(term)
                    continue
                token = _token(piece)
                add_reads(reads, token, (piece,))
                words.append(token)
    return [" ".join(words)] if words else []


def company_pieces(word: str) -> list[tuple[str, str]]:
    """A Han word split at the company words and legal forms it holds (terms.yml `han_terms`, longest
    first): (characters, "") for a transcribed piece, (term, its English word) for a company word;
    洛克希德公司 -> [("洛克希德", ""), ("公司", "company")]. A transcription is written apart from them."""
    from exportctl.engine.screening.han_words import english_word, longest_word
    from exportctl.engine.screening.normalise import to_simplified
    from exportctl.engine.screening.terms import terms

    simplified = to_simplified(word)
    if len(simplified) != len(word):
        return [(word, "")]
    for term, canonical in terms().han_terms:
        at = simplified.find(term)
        if at >= 0:
            left = company_pieces(word[:at]) if at else []
            right = company_pieces(word[at + len(term) :]) if at + len(term) < len(word) else []
            return [*left, (word[at : at + len(term)], canonical), *right]
    # Then the company words foreign companies translate (导弹 missile, 实验室 laboratory: han_words.tsv).
    at, found = longest_word(simplified)
    if at >= 0:
        left = company_pieces(word[:at]) if at else []
        right = company_pieces(word[at + len(found) :]) if at + len(found) < len(word) else []
        return [*left, (word[at : at + len(found)], english_word(found)), *right]
    return [(word, "")]


def _token(word: str) -> str:
    """The token a Han word read as a transcription stands as: its pinyin, joined ("fulajimier")."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word[:MAX_SYLLABLES], style=Style.NORMAL, errors="ignore")) or "x"


__all__ = ["DOTS", "company_pieces", "han_loan_forms", "lattice_sim"]
