"""Company words of a name written in Chinese read as the English words they translate (雷神导弹系统公司:
导弹 missile, 系统 system), as foreign companies written in Chinese translate them. The table is data:
`han_words.tsv` (scripts/build_han_words.py: CC-CEDICT's first gloss of a word, where it is a word of the
English company names on the lists). A reading beside the pinyin one, never instead of it: a Chinese
company's own words are read in pinyin too (the lists spell many that way)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

TABLE_FILE = Path(__file__).with_name("han_words.tsv")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], int]:
    """simplified word -> English, and the longest word's length; words that overlap terms.yml's `han_terms`
    (有限 in 有限公司) are left to them."""
    from exportctl.engine.screening.terms import terms

    han_terms = [term for term, _canonical in terms().han_terms]
    out: dict[str, str] = {}
    for line in TABLE_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, english = line.split("\t")
            if not any(word in term or term in word for term in han_terms):
                out[word] = english
    return out, max((len(w) for w in out), default=0)


def english_word(text: str) -> str:
    """The English word of a Chinese company word written so (simplified), or ""."""
    return _table()[0].get(text, "")


def longest_word(text: str) -> tuple[int, str]:
    """(start, word) of the first longest table word in a simplified Han text; (-1, "") when none."""
    table, longest = _table()
    for i in range(len(text)):
        for n in range(min(longest, len(text) - i), 1, -1):
            if text[i : i + n] in table:
                return i, text[i : i + n]
    return -1, ""


def _brand_left(text: str) -> bool:
    """Han characters left once the company words and terms.yml's `han_terms` are taken out."""
    from exportctl.engine.screening.terms import terms

    for term, _canonical in terms().han_terms:
        text = text.replace(term, " ")
    while (found := longest_word(text))[0] >= 0:
        text = text.replace(found[1], " ")
    return bool(_HAN.search(text))


@lru_cache(maxsize=1 << 12)
def translated(text: str) -> str:
    """A company name written in Chinese with its company words in English and the rest in pinyin, as
    `normalise` spells Han ("lei shen missile system company"); "" when it holds no company word."""
    from exportctl.engine.screening.normalise import _han_to_latin, to_simplified

    rest = to_simplified(text)
    if not _brand_left(rest):
        return ""  # company words alone (航空装备研究所): no name of its own to meet a listed one with
    out: list[str] = []
    found = False
    while rest:
        at, word = longest_word(rest)
        if at < 0:
            out.append(_han_to_latin(rest))
            break
        out += [_han_to_latin(rest[:at]), english_word(word)]
        rest = rest[at + len(word) :]
        found = True
    return " ".join(" ".join(out).split()) if found else ""


__all__ = ["english_word", "longest_word", "translated"]
