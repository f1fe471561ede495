"""A person name written in Hangul, compared syllable by syllable: each Korean syllable meets only its own
spellings, as the romanisers write it (Revised Romanization by korean-romanizer, its eo also written u as in
Myung-bak; McCune-Reischauer by ICU's Korean-Latin/BGN, alone and voiced inside a name: 정 Chong / Jong),
and, for the family syllable, the spellings rigour's name data gives for those (Lee, Rhee for 이; Park for
박; Choi for 최) unless that spelling is another Korean syllable's or a pinyin syllable. Two different
syllables are never variants of each other (상 Sang / 송 Song, 준 Jun / 진 Jin), however near their letters.

Koreans write a name in Hangul as one word (김정은), with the family name apart (김 정은, 남궁 민수)
or after the given name (정은 김, as in Western order): `korean_order` reads each of those as the one word
family + given,
when a first or last word is a Korean family name (name_readings/ko_family.txt) and the given name has one or
two syllables with no lone consonant (스, 트: a foreign name's). Such a name is then read as a Korean name
(Revised and McCune-Reischauer), never as a foreign name in loanword orthography (loan_hangul.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from exportctl.engine.screening.normalise import normalise
from exportctl.engine.screening.terms import pinyin_syllables
from exportctl.engine.screening.translit import _icu, _latin
from exportctl.engine.screening.variants import variant_spellings

_SYLLABLES = re.compile(r"^[\uac00-\ud7a3]{2,4}$")
_HANGUL_WORDS = re.compile(r"^[\uac00-\ud7a3]+(?:[\s,\u00b7\u30fb]+[\uac00-\ud7a3]+)+$")
FAMILY_FILE = Path(__file__).with_name("name_readings") / "ko_family.txt"
GIVEN_MAX = (
    2  # syllables of a given name written apart from the family name (민수, 정은; 바이든 is no Korean's)
)
_LONE_VOWEL = 18  # ㅡ: with no final consonant, a lone consonant of a foreign name (스 s, 트 t)
_FIRST, _LAST = 0xAC00, 0xD7A3
_VOICING_PREFIX = "가"  # a syllable ending in a vowel: what follows it is written as inside a word


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", _latin(text).lower())


def _mr(text: str) -> str:
    """McCune-Reischauer, as ICU writes it (ŏ, ŭ, the aspiration mark ’)."""
    return str(_icu("Korean-Latin/BGN").transliterate(unicodedata.normalize("NFD", text)))


def _mr_forms(mr: str) -> set[str]:
    """McCune-Reischauer without its marks (Chong), its aspiration mark written h as the DPRK does (Thaek),
    and its ŏ written u (Chung, Sung)."""
    return {_letters(mr), _letters(mr.replace("ch’", "ch").replace("’", "h")), _letters(mr.replace("ŏ", "u"))}


def _rr(syllable: str) -> str:
    from korean_romanizer.romanizer import Romanizer

    try:
        return _letters(str(Romanizer(syllable).romanize()))
    except (KeyError, ValueError, IndexError):  # a final consonant cluster the romaniser lacks
        return ""


def _informal(rr: str) -> set[str]:
    """The spellings names take beside the systems (Moon, Yoon, Soo, Woo; Shin; Young; Hee): ㅜ as oo, a
    word-initial ㅜ as woo, 시 as shi, 영 as young, 희 as hee. None is another syllable's system spelling."""
    out: set[str] = set()
    if "u" in rr and "eu" not in rr and "ui" not in rr:
        out.add(rr.replace("u", "oo"))
        if rr.startswith("u"):
            out.add("w" + rr.replace("u", "oo"))
    if rr.startswith("si"):
        out.add("sh" + rr[1:])
    if rr == "yeong":
        out.add("young")
    if rr == "hui":
        out.add("hee")
    return out


@lru_cache(maxsize=1 << 12)
def spellings(syllable: str) -> frozenset[str]:
    """The Latin spellings of one Hangul syllable: Revised, McCune-Reischauer alone and inside a word."""
    rr = _rr(syllable)
    out = {rr, rr.replace("eo", "u")} | _mr_forms(_mr(syllable))  # RR's eo is often written u: Myung, Hyun
    pre = _mr(_VOICING_PREFIX)
    inside = _mr(_VOICING_PREFIX + syllable)
    if inside.startswith(pre):
        out |= _mr_forms(inside[len(pre) :])
    elif inside[:1] == pre[:1]:  # ICU leaves the prefix's vowel out
        out |= _mr_forms(inside[1:])
    out |= _informal(rr)
    # A spelling that normalises as a legal form (인 in, 유 yu, 나 na: llc, fin) is met as that token too.
    out |= {t[0] for t in map(normalise, out) if len(t) == 1 and t[0] not in out}
    return frozenset(s for s in out if s)


def warm() -> None:
    """Build the spellings table now (~1 s), not on the first Hangul name screened."""
    _all_spellings()


@lru_cache(maxsize=1)
def _all_spellings() -> frozenset[str]:
    """Every spelling of every Hangul syllable, and RR's eo written ou (Young is 영's, not 정's)."""
    out = {s for c in range(_FIRST, _LAST + 1) for s in spellings(chr(c))}
    return frozenset(out | {s.replace("eo", "ou") for s in out})


@lru_cache(maxsize=1 << 10)
def family_spellings(syllable: str) -> frozenset[str]:
    """A family syllable's spellings: its own (a lone vowel also with y: 이 Yi, 유 Yu), and their variants in
    rigour's name data that spell no other Korean syllable and no pinyin syllable (Lee, Rhee; not Jin)."""
    own = set(spellings(syllable))
    own |= {"y" + s for s in own if len(s) == 1}
    taken = _all_spellings() | pinyin_syllables()
    more = {v for s in own for v in variant_spellings(s) if v.isascii() and v.isalpha() and v not in taken}
    return frozenset(own | more)


@lru_cache(maxsize=1)
def family_names() -> frozenset[str]:
    """The Korean family names in Hangul (name_readings/ko_family.txt: one or two syllables)."""
    lines = FAMILY_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _lone_consonant(word: str) -> bool:
    return any((ord(ch) - _FIRST) % 588 // 28 == _LONE_VOWEL and (ord(ch) - _FIRST) % 28 == 0 for ch in word)


@lru_cache(maxsize=1 << 14)
def korean_order(text: str) -> str:
    """A Korean person's name written in two Hangul words or more, as the one word family + given name
    (김 정은, 정은 김 -> 김정은; 남궁 민수 -> 남궁민수; 정은김 is not read); "" when the words do not make
    one: no family name first or last, a given name longer than GIVEN_MAX syllables, a lone consonant
    (도널드 트럼프)."""
    if not _HANGUL_WORDS.match(text.strip()):
        return ""
    words: list[str] = re.findall(r"[\uac00-\ud7a3]+", text)
    if any(_lone_consonant(w) for w in words):
        return ""
    family = family_names()
    first, rest = words[0], "".join(words[1:])
    last, before = words[-1], "".join(words[:-1])
    if first in family and 1 <= len(rest) <= GIVEN_MAX:
        return first + rest
    if last in family and 1 <= len(before) <= GIVEN_MAX:
        return last + before
    return ""


def hangul_person(chars: str) -> bool:
    """Two to four Hangul syllables: a Korean person's family syllable and given name."""
    return bool(_SYLLABLES.match(chars))


def spells(sets: Sequence[frozenset[str]], tokens: Sequence[str]) -> bool:
    """The tokens, in order, spell the syllables in order, each token made of whole syllables."""
    text = "|".join(tokens)
    seen: set[tuple[int, int]] = set()

    def go(k: int, pos: int) -> bool:
        if (k, pos) in seen:
            return False
        seen.add((k, pos))
        if k == len(sets):
            return pos == len(text)
        if k and pos < len(text) and text[pos] == "|":
            pos += 1
        return any(text.startswith(s, pos) and go(k + 1, pos + len(s)) for s in sets[k])

    return go(0, 0)


def spelt_by(chars: str, listed: Sequence[str], marked: frozenset[str] = frozenset()) -> bool:
    """Whether listed name tokens spell a Hangul person name syllable by syllable: the family syllable as a
    token of its own anywhere (KIM, Jong Un / Jong Un Kim) or first, the given syllables in order, joined
    or apart (Jong Un, Jongun, Jong-un). `marked`: the listed name's own family-name words, when it marks
    them ("JONG, Yong Su": jong); a family syllable met elsewhere is then a given name's (徐晶瑩 read
    'so jeong yeong' is not JONG, Yong Su with Su for 徐)."""
    family = family_spellings(chars[0])
    given = [spellings(c) for c in chars[1:]]
    if spells([family, *given], listed):
        return True
    if any(
        tok in family and (not marked or tok in marked) and spells(given, [*listed[:f], *listed[f + 1 :]])
        for f, tok in enumerate(listed)
    ):
        return True
    if len(chars) < 3 or chars[:2] not in family_names():
        return False
    # A family name of two syllables (남궁 Namgung) as a token of its own anywhere: Minsu Namgung
    compound, rest = [spellings(c) for c in chars[:2]], given[1:]
    return any(
        spells(compound, [tok])
        and (not marked or tok in marked)
        and spells(rest, [*listed[:f], *listed[f + 1 :]])
        for f, tok in enumerate(listed)
    )


__all__ = [
    "family_names",
    "family_spellings",
    "hangul_person",
    "korean_order",
    "spellings",
    "spelt_by",
    "warm",
]
