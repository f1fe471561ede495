"""Name variants from rigour's person-name data: "Ted" / "Theodore", "Husayn" / "Hussein", "Hsi" / "Xi".

rigour tags a name part with the Wikidata given and family names (and nicknames) it can spell; two tokens
that spell one such name are variants of each other, however far apart their letters are. rigour's lookup
is too slow for batch screening, so scripts/build_name_variants.py writes its answers for every token of
the bundled lists to name_variants.tsv.gz, and the matcher reads that table. A token outside it (a word no
bundled list holds) has no variants.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

TABLE_FILE = Path(__file__).with_name("name_variants.tsv.gz")
_NONE: frozenset[int] = frozenset()


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[int]]:
    out: dict[str, frozenset[int]] = {}
    with gzip.open(TABLE_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            token, _, ids = line.rstrip("\n").partition("\t")
            out[token] = frozenset(int(i) for i in ids.split(","))
    return out


def name_symbols(token: str) -> frozenset[int]:
    """The person names and nicknames a token can spell, as table ids (empty when none is known)."""
    return _table().get(token, _NONE)


def are_variants(a: str, b: str) -> bool:
    """Whether two tokens spell one person name (or a nickname and its name), or are its Ukrainian and
    Russian forms (`cyrillic_cognates`)."""
    sa = _table().get(a)
    if sa is None:
        return False
    return not sa.isdisjoint(_table().get(b, _NONE)) or cyrillic_cognates(a, b)


COGNATE_MIN = 5  # letters of each word: shorter ones (Li, Yi, Ivan) are left to the table itself
_CYRILLIC = re.compile(r"^[\u0400-\u04ff]+$")


@lru_cache(maxsize=1 << 14)
def cyrillic_spellings(token: str) -> frozenset[str]:
    """The Cyrillic words of the name table that spell a person name `token` spells (and `token` itself when
    it is Cyrillic)."""
    return frozenset(t for t in variant_spellings(token) | {token} if _CYRILLIC.match(t))


@lru_cache(maxsize=1 << 14)
def cognate_spellings(token: str) -> frozenset[str]:
    """The Latin tokens of the table that `cyrillic_cognates` joins to `token` (retrieval reads them, so
    that its bound counts them), itself left out."""
    if len(token) < COGNATE_MIN or not token.isascii():
        return frozenset()
    out = {t for c in cyrillic_spellings(token) for t in variant_spellings(c)}
    return frozenset(t for t in out if len(t) >= COGNATE_MIN and t.isascii()) - {token}


def cyrillic_cognates(a: str, b: str) -> bool:
    """Two Latin given names that one Cyrillic spelling in Wikidata's name items joins: a Ukrainian and a
    Russian form of one name (Volodymyr / Vladimir through владимир, Oleksandr / Aleksandr through
    александр, Mykola / Nikolay, Olena / Elena); both COGNATE_MIN letters or longer."""
    if len(a) < COGNATE_MIN or len(b) < COGNATE_MIN or not (a.isascii() and b.isascii()):
        return False
    return not cyrillic_spellings(a).isdisjoint(cyrillic_spellings(b))


@lru_cache(maxsize=1)
def _spellings() -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for token, ids in _table().items():
        for i in ids:
            out.setdefault(i, []).append(token)
    return {i: tuple(toks) for i, toks in out.items()}


def variant_spellings(token: str) -> frozenset[str]:
    """The tokens of the table that spell a person name `token` spells (`are_variants`), itself left out."""
    by_symbol = _spellings()
    return frozenset(t for i in name_symbols(token) for t in by_symbol.get(i, ())) - {token}


_ARABIC_FOLD = str.maketrans("أإآٱىؤئۀ", "ااااييوه")  # hamza seats and alef forms as the bare letters
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # Arabic short-vowel marks, shadda, tatweel


def native_key(word: str) -> str:
    """The form a word in another script is looked up by: NFKC, lower case, marks dropped (niqqud, tonos,
    harakat), Arabic hamza seats and alef forms folded (إبراهيم / ابراهيم), final sigma as sigma."""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", word).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _MARKS.sub("", unicodedata.normalize("NFC", text)).translate(_ARABIC_FOLD)
    return text.replace("ς", "σ")


@lru_cache(maxsize=1 << 14)
def latin_spelling(word: str) -> str:
    """The Latin list token that spells the name a word in another script is (the table's native words:
    محمد -> mohammed), the one sharing most of its names and of the word's gender (Петрова -> petrova, not
    petrov); "" when the table does not know the word."""
    key = native_key(word)
    ids = _table().get(key)
    if not ids:
        return ""
    from exportctl.engine.screening.gender import gender_disagrees

    best = ("", 0)
    for i in sorted(ids):
        for tok in _spellings().get(i, ()):
            # rigour's name items gather both genders of a Slavic family name (Петрова, Petrov): a spelling
            # of the other gender is another person's name.
            if tok.isascii() and not gender_disagrees(key, tok):
                shared = len(ids & _table()[tok])
                if shared > best[1] or (shared == best[1] and tok < best[0]):
                    best = (tok, shared)
    return best[0]


def rigour_symbols(token: str) -> frozenset[str]:
    """rigour's own answer for one token (slow: the table builder and its test use it)."""
    from rigour.names import NameTypeTag, analyze_names
    from rigour.names.symbol import Symbol

    if len(token) < 2 or token.isdigit():
        return frozenset()
    kinds = (Symbol.Category.NAME, Symbol.Category.NICK)
    found = analyze_names(
        NameTypeTag.PER, [token], phonetics=False, numerics=False, consolidate=False, rewrite=False
    )
    return frozenset(
        f"{span.symbol.category.value}:{span.symbol.id}"
        for name in found
        for span in name.spans
        if span.symbol.category in kinds
    )


def has_variants(token: str) -> bool:
    """Whether the name table knows `token`: `are_variants(token, b)` is False for every `b` otherwise."""
    return token in _table()
