"""Similarity of two normalised tokens: equal, within an edit budget that grows with length, an initial
against its name, or a vowel-less transliteration against its vowelled spelling."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

INITIAL_SIM = 0.8  # "J" against "Joachim"
FIRST_LETTER = 0.85
SHORT_WORD = 5  # one edit in a word this short may well be another word
LONG_WORD = 11  # two consonant edits in a longer word are a spelling variant (Khodorkovsky / Khordorovsky)
FUZZ = 1.0  # similarity lost per edit, relative to token length
CONSONANT_EDITS = 0.6  # similarity factor of a pair whose consonant skeletons differ by two edits or more
SKELETON_SIM = 0.85  # vowel-less transliteration (Arabic, Hebrew, Persian) against its vowelled form

_VOWELS = str.maketrans("", "", "aeiouwyh")
_SKEL_MAP = str.maketrans("pvgqc", "bfjkk")


def edit_budget(length: int) -> int:
    """How many edits a token of this length may carry and still align."""
    if length <= 2:
        return 0
    if length == 3:
        return 1
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


@lru_cache(maxsize=1 << 20)
def token_sim(a: str, b: str) -> float:
    """Similarity of two normalised tokens in [0, 1] (symmetric)."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return INITIAL_SIM if (la == 1) != (lb == 1) and a[0] == b[0] else 0.0
    longest = max(la, lb)
    budget = edit_budget(longest)
    dist = budget + 1
    if budget > 0 and abs(la - lb) <= budget:
        dist = OSA.distance(a, b, score_cutoff=budget)
    if dist <= budget:
        sim = 1.0 - FUZZ * dist / longest
        if (
            dist >= 2
            and longest <= LONG_WORD
            and OSA.distance(_consonants(a), _consonants(b), score_cutoff=2) >= 2
        ):
            # Two consonants changed is another name (Monteiro / Montenegro); spelling variants of one
            # name mostly differ in vowels and y/w/h (Volodimir / Volodymyr, Husayn / Hussein).
            sim *= CONSONANT_EDITS
        if a[0] != b[0] and longest <= SHORT_WORD:
            sim *= FIRST_LETTER  # Gary / Mary: a short word with another first letter is another word
        return max(0.0, sim)
    if _VOWEL_SET.isdisjoint(a) == _VOWEL_SET.isdisjoint(b):
        return 0.0
    return _skeleton_sim(a, b)


def _skeleton(tok: str) -> str:
    out: list[str] = []
    for ch in tok.translate(_VOWELS).translate(_SKEL_MAP):
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


_VOWEL_SET = frozenset("aeiou")


_CONSONANTS = str.maketrans("zvwpqcx", "sffbkks", "aeiouyhj")


def _consonants(tok: str) -> str:
    """The consonants of a token, with letters that transliterations swap folded together (s/z, v/w/f)."""
    out: list[str] = []
    for ch in tok.translate(_CONSONANTS):
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _vowelless(tok: str) -> bool:
    return _VOWEL_SET.isdisjoint(tok)


def _skeleton_sim(a: str, b: str) -> float:
    """Scripts written without short vowels (Arabic, Persian, Hebrew) romanise to consonants only."""
    if _vowelless(a) == _vowelless(b) or min(len(a), len(b)) < 3:
        return 0.0
    sa, sb = _skeleton(a), _skeleton(b)
    if len(sa) < 2 or len(sb) < 2:
        return 0.0
    if sa == sb:
        return SKELETON_SIM
    if max(len(sa), len(sb)) >= 5 and OSA.distance(sa, sb, score_cutoff=1) <= 1:
        return SKELETON_SIM * 0.85
    return 0.0
