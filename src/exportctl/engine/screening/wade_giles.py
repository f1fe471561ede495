"""Chinese names written in Wade-Giles ("Chang Chien-kuo", "Hsü Lan-ying", "Ts'eng Kuei-hsiang"), as Taiwan
and older documents write them, read into the pinyin the lists use ("zhang jianguo"): one more form to
screen, never a replacement for the name as written.

The table is pypinyin's own Wade-Giles table (`pypinyin.style.wadegiles`, the whole syllables it converts),
read backwards. A name is read only when every word is one Wade-Giles syllable or several joined by hyphens
and at least one syllable is no pinyin syllable (chien, hsu, tzu, jung, kuo: "Wang Cheng" is pinyin as it
stands and is not read as "Wang Zheng"); the
apostrophe of the aspirates is often left out (Chien-kuo for Ch'ien-kuo), so a syllable without it reads as
the unaspirated one, as the system writes it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_WORDS = 4  # a Chinese name has two or three words (a Western-style middle name at most)
MAX_SYLLABLES = 3  # syllables in one word at most ("Chien-kuo", "Ssu-ma")
_WORD = re.compile(r"[^\W\d_]+(?:['’ʻ`][^\W\d_]*)?(?:-[^\W\d_]+(?:['’ʻ`][^\W\d_]*)?)*")
_APOSTROPHE = re.compile(r"['’ʻ`]")


def _fold(syllable: str) -> str:
    """A syllable in lower case, the apostrophe as ', ü kept, other accents off (tone marks, breves)."""
    s = _APOSTROPHE.sub("'", syllable.lower().replace("ü", "\0"))
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.replace("\0", "ü")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Wade-Giles syllable -> pinyin syllable (pypinyin's table read backwards; the first one wins), each
    also without its apostrophe and with u for ü where that spells no other syllable."""
    from pypinyin.style import wadegiles

    pairs: list[list[str]] = [*wadegiles._except_table, *wadegiles._convert_table]
    out: dict[str, str] = {}
    for pinyin, wg in pairs:
        out.setdefault(_fold(wg), pinyin.replace("v", "ü").replace("ü", "u"))
    loose: dict[str, str] = {}
    for wg, pinyin in out.items():
        for variant in (wg.replace("'", ""), wg.replace("ü", "u"), wg.replace("'", "").replace("ü", "u")):
            if variant not in out:
                loose.setdefault(variant, pinyin)
    return {**loose, **out}


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    """The pinyin syllables of the table (a word that is one reads as itself in pinyin too)."""
    return frozenset(_table().values())


def _syllables(word: str) -> list[str] | None:
    """A word split into Wade-Giles syllables (by its hyphens, else one syllable), None when one is none."""
    parts = [_fold(p) for p in word.split("-")]
    if len(parts) > MAX_SYLLABLES or not all(p in _table() for p in parts):
        return None
    return parts


@lru_cache(maxsize=1 << 14)
def pinyin_spelling(text: str) -> str | None:
    """A Latin name read from Wade-Giles into pinyin ("Chang Chien-kuo" -> "zhang jianguo"); None when a word
    is no Wade-Giles syllable (or run of them) or nothing changes."""
    if not text or len(text) > 80 or not any("a" <= c.lower() <= "z" for c in text):
        return None
    words = _WORD.findall(text)
    if not 2 <= len(words) <= MAX_WORDS or len("".join(words)) != len(re.sub(r"[\s,]", "", text)):
        return None
    table, plain = _table(), _pinyin_syllables()
    read: list[str] = []
    marked = False
    for word in words:
        syllables = _syllables(word)
        if syllables is None:
            return None
        pinyin = [table[s] for s in syllables]
        marked = marked or any(s not in plain for s in syllables)
        read.append("".join(pinyin))
    if not marked:
        return None
    out = " ".join(read)
    return out if out != " ".join(w.lower().replace("-", "") for w in words) else None
