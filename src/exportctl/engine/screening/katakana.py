"""A foreign name written in katakana (a company's, mostly) spelt back the way such names are written in
Latin letters, not in Hepburn: the combinations kana make for foreign sounds (ファ fa, ウェ we, ティ ti,
ヴィ vi), the long-vowel mark left out and a final long i written y (ソニー Sony), the doubling mark left out
(フォックスコン foksukon). A second spelling reads フ before a small vowel as hu (ファーウェイ huawei), as
katakana writes the hua, huo of Chinese names."""

from __future__ import annotations

import re
from functools import lru_cache

from exportctl.engine.screening.readings import Reads, add_reads

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


LOAN_READINGS = 12  # readings kept per katakana word
_BEAM = 24
# Kana that write a consonant alone in a foreign word (the vowel katakana must add): ス s, ク k, ト t, ド d,
# ル l or r, フ f, ブ b, プ p, グ g, ズ z, ム m, ツ ts, ッ before them doubles; ー lengthens a vowel.
_LONE = {"ス": "s", "ク": "k", "ト": "t", "ド": "d", "ル": "l", "フ": "f", "ブ": "b", "プ": "p", "グ": "g",
         "ズ": "z", "ム": "m", "ツ": "ts", "シ": "sh", "チ": "ch", "ジ": "j"}  # fmt: skip
_R_ROW = "ラリルレロ"
_LIP = "バビブベボパピプペポマミムメモ"


def _unit_options(units: list[str], i: int) -> list[tuple[str, int]]:
    """The spellings of unit `i` in a foreign word with their cost, the usual one first."""
    unit = units[i]
    nxt = units[i + 1] if i + 1 < len(units) else ""
    if unit == "ー":
        return [("", 0)]
    if unit == "ッ":
        return [("t", 0)] if nxt in ("チ", "チャ", "チュ", "チョ", "チェ") else [("", 0)]
    spelt = _FOREIGN.get(unit) or _unit(unit)
    out = [(spelt, 0)]
    if unit in _LONE and nxt != "ー":
        # A lone consonant: mostly inside or at the end of a word (ドナルド d-na-l-d), rarely at its start.
        out.append((_LONE[unit], (0 if unit in "スクトドルフブプグズ" else 1) + (2 if i == 0 else 0)))
    if unit == "ル":
        out.append(("r", 1))
    if unit[:1] in _R_ROW:
        out += [("l" + s[1:], 1) for s, _c in list(out) if s.startswith("r")]
    if unit == "ン" and nxt and nxt[:1] in _LIP:
        out.insert(0, ("m", 0))  # ン before b, p, m writes m (トランプ Trump)
    if unit[:1] in "チジ":  # チ ti, ジ di as Russian names are written (プーチン Putin)
        out.append(("t" + spelt[2:] if unit[:1] == "チ" else "d" + spelt[1:], 1))
    if unit == "ウ" and i == 0 and nxt:
        out.append(("v", 1))  # ウ before a consonant writes v (ウラジーミル Vladimir)
    return out


@lru_cache(maxsize=1 << 14)
def kana_loan_readings(word: str) -> tuple[str, ...]:
    """Latin readings of one katakana word as the foreign name it writes, cheapest first (a lone consonant's
    vowel left out, ル as l or r, ー and ッ left out); () when the word is not katakana alone."""
    if not word or not _KATAKANA_WORD.fullmatch(word):
        return ()
    units = _units(word)
    beam: list[tuple[int, str]] = [(0, "")]
    for i in range(len(units)):
        options = _unit_options(units, i)
        grown = [(cost + c, reading + s) for cost, reading in beam for s, c in options]
        grown.sort()
        beam = grown[:_BEAM]
    out: list[str] = []
    for _cost, reading in beam:
        if reading and reading.isascii() and reading.isalpha() and reading not in out:
            out.append(reading)
    return tuple(out[:LOAN_READINGS])


def kana_loan_forms(text: str, reads: Reads | None = None) -> list[str]:
    """The reading of a name written in katakana as a foreign name: each katakana word as its cheapest
    reading, which stands for all its readings (`kana_loan_readings`, compared by `loanwords.loan_sim`;
    recorded in the query's `reads`); [] without a katakana word."""
    words = [w for w in re.split(r"[\s・=＝]+", text) if w]
    out: list[str] = []
    for word in words:
        readings = kana_loan_readings(word)
        if readings:
            add_reads(reads, readings[0], readings)
        out.append(readings[0] if readings else word)
    return [" ".join(out)] if any(kana_loan_readings(w) for w in words) else []


__all__ = ["kana_loan_forms", "kana_loan_readings", "loanword_spellings"]
