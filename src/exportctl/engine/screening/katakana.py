"""A foreign name written in katakana (a company's, mostly) spelt back the way such names are written in
Latin letters, not in Hepburn: the combinations kana make for foreign sounds (ファ fa, ウェ we, ティ ti,
ヴィ vi), the long-vowel mark left out and a final long i written y (ソニー Sony), the doubling mark left out
(フォックスコン foksukon). A second spelling reads フ before a small vowel as hu (ファーウェイ huawei), as
katakana writes the hua, huo of Chinese names."""

from __future__ import annotations

import re
from functools import lru_cache

_SMALL = "ァィゥェォャュョヮ"
_FOREIGN = {
    "ファ": "fa",
    "フィ": "fi",
    "フェ": "fe",
    "フォ": "fo",
    "フュ": "fyu",
    "ウィ": "wi",
    "ウェ": "we",
    "ウォ": "wo",
    "ヴァ": "va",
    "ヴィ": "vi",
    "ヴ": "v",
    "ヴェ": "ve",
    "ヴォ": "vo",
    "ティ": "ti",
    "ディ": "di",
    "トゥ": "tu",
    "ドゥ": "du",
    "テュ": "tyu",
    "デュ": "dyu",
    "シェ": "she",
    "ジェ": "je",
    "チェ": "che",
    "ツァ": "tsa",
    "ツィ": "tsi",
    "ツェ": "tse",
    "ツォ": "tso",
    "クァ": "kwa",
    "クィ": "kwi",
    "クェ": "kwe",
    "クォ": "kwo",
    "グァ": "gwa",
    "イェ": "ye",
}
_HU = {"ファ": "hua", "フィ": "hui", "フェ": "hue", "フォ": "huo"}  # the Chinese hua, huo in katakana
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc]+")


@lru_cache(maxsize=1 << 10)
def _unit(kana: str) -> str:
    """One kana (with its small kana) in Hepburn, by pykakasi."""
    from exportctl.engine.screening.japanese import _kakasi

    return "".join(str(i["hepburn"]) for i in _kakasi().convert(kana))


def _units(word: str) -> list[str]:
    """The word's kana, each with the small kana that follows it (ファ, キャ), the marks ー and ッ alone."""
    out: list[str] = []
    for ch in word:
        if ch in _SMALL and out and out[-1] not in ("ー", "ッ"):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _spell(word: str, table: dict[str, str]) -> str:
    units = _units(word)
    out: list[str] = []
    for i, unit in enumerate(units):
        if unit == "ッ":
            continue
        if unit == "ー":
            if i == len(units) - 1 and out and out[-1].endswith("i"):
                out[-1] = out[-1][:-1] + "y"  # ソニー Sony, ティファニー Tiffany
            continue
        out.append(table.get(unit) or _FOREIGN.get(unit) or _unit(unit))
    return "".join(out)


def loanword_spellings(text: str) -> list[str]:
    """The katakana words of a name spelt as foreign names are (other text as it is): the plain spelling,
    then the one with フ before a small vowel as hu where that differs; [] when there is no katakana word."""
    if not _KATAKANA_WORD.search(text):
        return []
    out: list[str] = []
    for table in ({}, _HU):
        spelt = _KATAKANA_WORD.sub(lambda m, t=table: f" {_spell(m.group(), t)} ", text)  # type: ignore[misc]
        spelt = " ".join(spelt.replace("・", " ").split())
        if spelt and spelt not in out:
            out.append(spelt)
    return out


__all__ = ["loanword_spellings"]
