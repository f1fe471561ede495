"""Company words written in other scripts, known as the generic words they are.

"Хуавэй Текнолоджиз" is Huawei Technologies: its second word is a company word, and weighs like one only if
the matcher knows it. Three sources, in order:
- rigour's org symbols and domains (company_words.tsv, built by scripts/build_company_words.py): the word
  in many languages and scripts (технологии, τεχνολογία, グループ, חברה);
- terms.yml `company_words`: words rigour lacks (hand list, said so there);
- the sound of an English company word written out in another script (Текнолоджиз, テクノロジーズ,
  테크놀로지스, تكنولوجيز): the word romanised, reduced to its consonants (`loan_key`), equal to the key of
  an English generic word of terms.yml (one edit apart for long keys).
Han is left to terms.yml's `han_terms` (normalise.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from rigour.names.org_types import replace_org_types_compare

from exportctl.engine.screening.terms import terms

TABLE_FILE = Path(__file__).with_name("company_words.tsv")
MIN_KEY = 5  # consonant keys shorter than this meet too many names (Seleznev: slsn, as "solutions")
NEAR_LOOK = 0.6  # and the romanised word this like the English word (Indel similarity)
NEAR_KEY = 7  # keys this long may be one edit apart (인터내셔널 drops the r of international)

_WORDS = re.compile(
    r"[\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9f]+|[\u3040-\u309f]+|[\uac00-\ud7af]+|[^\W\d_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff66-\uff9f]+"
)
_ARABIC_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل")
_ARABIC = re.compile(r"^[\u0600-\u06ff]+$")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in TABLE_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, canonical = line.split("\t")
            out[word] = canonical
    for word, canonical in (terms().company_words or {}).items():
        out[unicodedata.normalize("NFKC", word).casefold()] = canonical
    return out


_SOUNDS = (
    ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("sch", "s"), ("tch", "c"), ("sh", "s"), ("ch", "k"),
    ("ck", "k"), ("ph", "f"), ("th", "t"), ("ts", "s"), ("x", "ks"), ("q", "k"), ("z", "s"), ("r", "l"),
)  # fmt: skip


@lru_cache(maxsize=1 << 14)
def loan_key(latin: str) -> str:
    """The consonants of a word as it sounds (technologies, tekhnolodzhiz, tekunorojizu -> tknljs): soft c
    and g read as s and j, -tion as s, h, w, v, y and vowels dropped, r as l, doubles once; a leading
    vowel kept as `a`."""
    s = re.sub(r"[^a-z]", "", latin.lower())
    if not s:
        return ""
    s = re.sub(r"ti(?=[aeiou])", "s", s)
    s = re.sub(r"c(?=[eiy])", "s", s)
    s = re.sub(r"g(?=[eiy])", "j", s)
    for a, b in _SOUNDS:
        s = s.replace(a, b)
    s = s.replace("c", "k")
    lead = "a" if s[0] in "aeiou" else ""
    body = re.sub(r"[aeiouhwvy]", "", s)
    return lead + re.sub(r"(.)\1+", r"\1", body)


@lru_cache(maxsize=1)
def _loan_keys() -> dict[str, str]:
    t = terms()
    words = [*t.generic.items(), ("corporation", "corporation"), ("company", "company")]
    out: dict[str, str] = {}
    for word, canonical in words:
        key = loan_key(word)
        if len(word) >= 5 and len(key) >= MIN_KEY:
            out.setdefault(key, canonical)
    return out


def _by_sound(latin: str) -> str | None:
    keys = _loan_keys()
    # Cyrillic х romanised as h stands for the English ch of "technology" too (Технолоджис)
    for key in dict.fromkeys((loan_key(latin), loan_key(latin.lower().replace("h", "k")))):
        if len(key) >= MIN_KEY and key in keys:
            return keys[key]
    key = loan_key(latin)
    if len(key) < NEAR_KEY:
        return None
    from rapidfuzz.distance import OSA

    near = {
        c
        for k, c in keys.items()
        if abs(len(k) - len(key)) <= 1 and OSA.distance(k, key, score_cutoff=1) <= 1
    }
    if len(near) != 1:
        return None
    canonical = near.pop()
    # One edit apart: the word must also look like its English word (인터내셔널 / international, not
    # Inestrosa / industries)
    from rapidfuzz.distance import Indel

    return canonical if Indel.normalized_similarity(latin.lower(), canonical) >= NEAR_LOOK else None


@lru_cache(maxsize=1 << 16)
def company_word(word: str, letters: Callable[[str], str] | None = None) -> str | None:
    """The canonical English word of a company word written in another script, or None. `letters`
    romanises one word, to meet a loanword by its sound."""
    w = unicodedata.normalize("NFKC", word).casefold()
    table = _table()
    stems = [w]
    if _ARABIC.match(w):
        stems += [w[len(p) :] for p in _ARABIC_PREFIXES if w.startswith(p) and len(w) - len(p) >= 3]
    if letters is not None and _latin_of(w, letters).lower() in terms().legal_words:
        return (
            None  # a word of a legal form written out (Общество с ограниченной ...): rigour maps the phrase
        )
    for stem in stems:
        if stem in table:
            return table[stem]
    if letters is None:
        return None
    for stem in stems:
        latin = _latin_of(stem, letters)
        if latin and not _a_name(stem, latin):
            hit = _by_sound(latin)
            if hit is not None:
                return hit
    return None


def _a_name(word: str, latin: str) -> bool:
    """A word the name data knows as a person's name (names-dataset ranks, the name-variant table): never
    taken for a company word by its sound (Селезнев is no "solutions")."""
    from exportctl.engine.screening.terms import name_rank
    from exportctl.engine.screening.variants import latin_spelling

    plain = re.sub(r"[^a-z]", "", latin.lower())
    return bool(name_rank(plain) or latin_spelling(word))


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_company_words(text: str, letters: Callable[[str], str]) -> str:
    """The name with each company word written in another script replaced by its English word (only in
    names of two words or more: one word alone is a name). `letters` romanises one word."""
    words = list(_WORDS.finditer(text))
    if len(words) < 2:
        return text
    # Legal forms first, through rigour's org-type data, which knows them in many scripts (ООО, 주식회사,
    # المحدودة): what it maps becomes its Latin form.
    from exportctl.engine.screening.normalise import join_apostrophes

    text = join_apostrophes(text)  # "Sa'id" is one word, not the legal form "S.A." and "id"
    # rigour's Rust core cannot take a lone surrogate (from undecodable bytes): such a text keeps its words
    forms = text.casefold() if _SURROGATE.search(text) else replace_org_types_compare(text, generic=True)
    if forms != text.casefold():
        text = forms
        words = list(_WORDS.finditer(text))
    out: list[str] = []
    last = 0
    changed = False
    for m in words:
        word = m.group()
        if word.isascii():
            continue
        canonical = company_word(word, letters)
        if canonical is None:
            continue
        out.append(text[last : m.start()])
        out.append(f" {canonical} ")
        last = m.end()
        changed = True
    if not changed:
        return text
    out.append(text[last:])
    return " ".join("".join(out).split())


def _latin_of(word: str, letters: Callable[[str], str]) -> str:
    try:
        return letters(word)
    except (ValueError, RuntimeError, UnicodeError):
        return ""
