"""Foreign names written in Arabic script read back into Latin letters, their vowel letters read as vowels.

Arabic, Persian and Urdu write a foreign name (a company, a brand, a place abroad) as it sounds, and spell
its vowels with the letters that also stand for long vowels and semivowels (matres lectionis): ا for a,
و for u, o, w or v, ي for i, e or y (هواوي: Huawei, سامسونج: Samsung, تكنولوجي: technology). The consonant
skeleton the abjad path compares (`similarity.skeleton_key`) drops those letters, so such a name keeps
almost nothing of itself (هواوي -> "h"). This module reads each letter the ways foreign names are written
with it, the vowel letters by their place in the word (a و between a consonant and a vowel letter is u,
after a vowel it is w), and keeps the few cheapest readings of a word: each other choice than a letter's
first costs its rank (twice that for a consonant), and the readings are ranked by total cost, then by
their letters (deterministic). Short vowels, which the script does not write, stay unwritten: `loan_sim`
forgives a Latin spelling the vowels it has beyond a reading (huawi / Huawei).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from exportctl.engine.screening.readings import Reads, add_reads

READINGS = 4  # readings kept per word
BEAM = 16  # partial readings kept while reading a word (cheapest first)
CONSONANT_COST = 2  # another spelling of a consonant costs more than another vowel: the edit budget
# absorbs one consonant (k / c) more readily than the vowels that make a foreign name (huawi / hwawi)
MAX_LETTERS = 24  # a longer "word" is no name: it is read by its first letters only

# A consonant's Latin spellings in foreign names, the usual one first, where they differ in their number of
# letters (ش: sh, or x as pinyin writes it; غ: g as foreign names are written with it, or gh); one letter
# for another (ب: b or p, ج: j or g) is left to `loan_sim` (_SAME_LETTER).
_CONSONANTS: dict[str, tuple[str, ...]] = {
    "ب": ("b",), "پ": ("p",), "ت": ("t",), "ٹ": ("t",), "ث": ("th", "s"), "ج": ("j",), "چ": ("ch",),
    "ح": ("h",), "خ": ("kh", "h"), "د": ("d",), "ڈ": ("d",), "ذ": ("z", "dh"), "ر": ("r",), "ڑ": ("r",),
    "ز": ("z",), "ژ": ("zh", "j"), "س": ("s",), "ش": ("sh", "x", "ch"), "ص": ("s",), "ض": ("d",),
    "ط": ("t",), "ظ": ("z",), "غ": ("g", "gh"), "ف": ("f", "ph"), "ڤ": ("v",), "ق": ("k",), "ك": ("k",),
    "ک": ("k",), "گ": ("g",), "ڭ": ("ng",), "ل": ("l",), "م": ("m",), "ن": ("n",), "ں": ("n",),
    "ه": ("h",), "ہ": ("h",), "ھ": ("h",), "ع": ("", "a"), "ء": ("",),
}  # fmt: skip
_ALEF = frozenset("اآأإٱ")
_WAW = frozenset("وؤ")
_YA = frozenset("يىیئےۓ")
_VOWEL_LETTERS = _ALEF | _WAW | _YA
_CHEAP_LETTERS = frozenset(_VOWEL_LETTERS | set("ةۃه"))  # a final he or ta marbuta may write a vowel
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")  # harakat, shadda, tatweel, Quranic marks
_WORD = re.compile(r"^[\u0600-\u06ff\u0750-\u077f]+$")


def _norm(word: str) -> str:
    text = unicodedata.normalize("NFKC", word)
    return _MARKS.sub("", text)


def _options(word: str, i: int) -> tuple[tuple[str, int], ...]:
    """The spellings of the letter at `i` (with how many letters each takes), the usual one first."""
    ch = word[i]
    prev = word[i - 1] if i > 0 else ""
    nxt = word[i + 1] if i + 1 < len(word) else ""
    if ch in _ALEF:
        if i == 0 and nxt in _WAW:
            return (("o", 2), ("u", 2), ("au", 2))  # أو: the vowel o or u written on an alef (أوراكل)
        if i == 0 and nxt in _YA:
            return (("i", 2), ("e", 2), ("ai", 2))  # إي: i or e (إيرباص Airbus reads ai)
        if ch == "إ":
            return (("i", 1), ("e", 1))
        if i == 0 and ch != "آ":
            return (("a", 1), ("e", 1), ("i", 1))
        return (("a", 1),)
    vowel_before = prev in _VOWEL_LETTERS
    vowel_after = nxt in _VOWEL_LETTERS
    if ch in _WAW:
        if i == 0:
            return (("w", 1), ("v", 1))
        if vowel_before:
            return (("w", 1), ("u", 1), ("v", 1))  # after a vowel: a consonant (تايوان Taiwan)
        if vowel_after:
            return (("u", 1), ("w", 1), ("o", 1))  # between a consonant and a vowel: hua, hwa (هواوي)
        return (("o", 1), ("u", 1), ("ou", 1))  # between consonants or final: a vowel (سوني Sony)
    if ch in _YA:
        if ch in "ےۓ":
            return (("e", 1), ("ai", 1))  # Urdu bari ye
        if i == 0:
            return (("y", 1), ("i", 1), ("e", 1))
        if vowel_before and vowel_after:
            return (("y", 1), ("i", 1))
        if vowel_before and prev in _ALEF:
            return (("i", 1), ("y", 1), ("e", 1))  # ai, ay (تايوان, هايير Haier)
        if vowel_after:
            return (("i", 1), ("y", 1), ("e", 1))  # before a vowel letter: ia, ya (شيا)
        if not nxt:
            return (("i", 1), ("y", 1), ("e", 1), ("ei", 1))  # final: Sony, Mitsubishi, Huawei
        return (("i", 1), ("e", 1), ("ei", 1))  # between consonants: a vowel (سيمنس Siemens)
    if ch in "ةۃ":
        return (("a", 1), ("ah", 1), ("e", 1))
    if ch == "ه" and not nxt and i > 0:
        return (("h", 1), ("a", 1), ("e", 1))  # a final he may write a vowel (as the Persian he does)
    if ch == "ع" and i == 0:
        return (("a", 1), ("e", 1), ("o", 1))  # an ain that opens a word is heard as its vowel
    spellings = _CONSONANTS.get(ch)
    if spellings is None:
        return (("", 1),)  # a letter with no reading here (a digit, a mark): nothing
    return tuple((s, 1) for s in spellings)


@lru_cache(maxsize=1 << 14)
def loan_readings(word: str) -> tuple[str, ...]:
    """Latin readings of one word written in Arabic script as a foreign name, cheapest first (at most
    READINGS, duplicates once); () when the word is not written in Arabic letters alone."""
    text = _norm(word)[:MAX_LETTERS]
    if not text or not _WORD.match(text):
        return ()
    return beam_readings(text, _options, _CHEAP_LETTERS)


Options = Callable[[str, int], tuple[tuple[str, int], ...]]


def beam_readings(text: str, options: Options, cheap: frozenset[str]) -> tuple[str, ...]:
    """The cheapest Latin readings of a word letter by letter (at most READINGS, duplicates once).

    `options(text, i)` lists the spellings of the letter at i, likeliest first, each with the letters it
    reads; another spelling of a letter in `cheap` (a vowel letter) costs 1, of any other CONSONANT_COST;
    a beam of BEAM partial readings keeps the search bounded (Arabic-script and Hebrew loan readings)."""
    beam: list[tuple[int, str, int]] = [(0, "", 0)]  # (cost, reading so far, next letter)
    done: dict[str, int] = {}
    while beam:
        grown: list[tuple[int, str, int]] = []
        for cost, reading, i in beam:
            if i >= len(text):
                if reading and cost < done.get(reading, cost + 1):
                    done[reading] = cost
                continue
            step = 1 if text[i] in cheap else CONSONANT_COST
            for rank, (spelt, size) in enumerate(options(text, i)):
                grown.append((cost + rank * step, reading + spelt, i + size))
        grown.sort()
        beam = grown[:BEAM]
    out: list[str] = []
    for reading, _cost in sorted(done.items(), key=lambda kv: (kv[1], kv[0])):
        one = single(reading)
        if one and one not in out:
            out.append(one)
    return tuple(out[:READINGS])


def single(reading: str) -> str:
    """A consonant doubled by two Arabic letters written once, as Latin spellings mostly do."""
    return re.sub(r"([^aeiou])\1+", r"\1", reading)


_ARTICLE = "ال"
_WORDS = re.compile(r"[^\W\d_]+|\d+")


def loan_forms(text: str, letters: Callable[[str], str], reads: Reads | None = None) -> list[str]:
    """Whole-name readings of a name written in Arabic script as a foreign name: the k-th form takes each
    unknown word's k-th reading (`loan_readings`). Words in Latin letters (company words already written as
    their English word) and words the name table spells (`variants.latin_spelling`: محمد -> mohamed) stay as
    they are, a word with the article is written by `letters` (a foreign name takes no article).

    Only a name that reads as a foreign name gets these forms: one with a company word or legal form, or
    a single word (a brand: هواوي) the name table does not know, without the article. An Arabic or Persian
    person's name (two words or more, none a company word), read with its long vowels as vowels, meets
    listed names of other persons by near spellings (مهرشاد جعفری 'mhrxad jfry' / Mehrdad Jafari): there
    the skeleton path decides. [] otherwise, or when no word has a reading of its own."""
    from exportctl.engine.screening.terms import terms
    from exportctl.engine.screening.variants import latin_spelling

    words = _WORDS.findall(text)
    light = terms().light
    company = any(w.lower() in light for w in words if w.isascii())
    columns: list[tuple[str, ...]] = []
    read: list[str] = []
    for word in words:
        known = word if word.isascii() else latin_spelling(word)
        article = not known and word.startswith(_ARTICLE) and len(word) >= 5
        if not company and (known or article or len(words) > 1):
            return []
        if known or article:
            columns.append((known or f"al {letters(word[2:])}",))
            continue
        readings = loan_readings(word)
        if readings:
            read += readings
            columns.append(readings)
    if not read:
        return []
    for token in read:
        add_reads(reads, token, (token,))
    out: list[str] = []
    for k in range(max(len(c) for c in columns)):
        form = " ".join(c[min(k, len(c) - 1)] for c in columns)
        if form not in out:
            out.append(form)
    return out


UNWRITTEN = 0.2  # cost of a vowel (or a doubled consonant) the Latin spelling has and the script left out
VOWEL_SWAP = 0.3  # cost of a vowel letter read as another vowel (و: o / u, ي: i / e), or a semivowel as one
CONSONANT_SWAP = 0.4  # cost of a consonant the script writes with one letter for two (ب: b / p, ف: f / v)
UNHEARD_R = 0.3  # cost of an r after a vowel a reading leaves out (Hangul writes English -er as a vowel)
LOAN_MAX = 0.95  # most a reading says of a Latin spelling it does not equal
_VOWELS = frozenset("aeiou")
_SEMIVOWEL = {"w": "uov", "y": "ie"}
# Latin consonants one Arabic letter writes in foreign names (Arabic has no p, v or hard c; ج is j or g; ز
# writes a final s; ق and ك are k, c or q): a reading's first spelling stands for the others.
_SAME_LETTER = {
    "b": "pv", "f": "v", "k": "cqg", "q": "kcg", "j": "g", "g": "j", "z": "s", "s": "cz", "t": "d", "d": "t",
}  # fmt: skip
_HARD = float("inf")


def _sub_cost(r: str, latin: str) -> float:
    if r == latin:
        return 0.0
    if r in _VOWELS and latin in _VOWELS:
        return VOWEL_SWAP
    if latin in _SEMIVOWEL.get(r, "") or r in _SEMIVOWEL.get(latin, ""):
        return VOWEL_SWAP
    if latin in _SAME_LETTER.get(r, ""):
        return CONSONANT_SWAP
    return _HARD


@lru_cache(maxsize=1 << 16)
def loan_sim(reading: str, latin: str) -> float:
    """How well a Latin spelling matches a reading of a foreign name written in Arabic script (in [0,
    LOAN_MAX]): an alignment where a vowel of the Latin spelling the script left unwritten costs UNWRITTEN
    (huawi / Huawei: one unwritten e), a vowel letter read as another vowel VOWEL_SWAP, a consonant the
    script writes with the same letter CONSONANT_SWAP (kasbrski / Kaspersky), a vowel the script writes and
    the Latin spelling lacks a whole edit. Nothing else is forgiven: 0 when a consonant differs otherwise
    (the plain similarity judges that), beyond the edit budget of the longer word, or when the first letters
    differ in kind (a vowel and a consonant)."""
    from exportctl.engine.screening.similarity import edit_budget

    if not reading or not latin or not reading.isalpha() or not latin.isalpha():
        return 0.0
    latin = latin.replace("x", "ks")  # the two sounds every script but Latin writes with two letters
    if (reading[0] in _VOWELS) != (latin[0] in _VOWELS):
        return 0.0
    longest = max(len(reading), len(latin))
    budget = edit_budget(longest)
    if budget <= 0:
        return 0.0

    def skipped(j: int) -> float:  # a letter of the Latin spelling the reading does not write
        ch = latin[j - 1]
        if ch in _VOWELS or (j >= 2 and latin[j - 2] == ch):
            return UNWRITTEN
        # An r after a vowel and before none, which non-rhotic transcriptions leave out (알렉산더 Alexander)
        after_vowel = j >= 2 and latin[j - 2] in _VOWELS
        return UNHEARD_R if ch == "r" and after_vowel and latin[j : j + 1] not in _VOWELS else _HARD

    prev = [0.0]
    for j in range(1, len(latin) + 1):
        prev.append(prev[-1] + skipped(j))
    for r in reading:
        extra = 1.0 if r in _VOWELS or r in _SEMIVOWEL else _HARD  # a written vowel the Latin lacks
        row = [prev[0] + extra]
        for j, ch in enumerate(latin, 1):
            row.append(min(prev[j - 1] + _sub_cost(r, ch), prev[j] + extra, row[j - 1] + skipped(j)))
        prev = row
    cost = prev[-1]
    if cost > budget:
        return 0.0
    return min(LOAN_MAX, 1.0 - cost / longest)
