"""A Han name read as a Japanese family name and a given name found in name data, with every reading the
data gives the given name (陽翔 Haruto, Hinato; 大翔 Hiroto, Haruto, Daito), which UniDic's lexicon mostly
lacks. The data: `name_readings/ja_names.tsv.gz` (scripts/build_name_readings.py, from PyPI gimei's names)
and `name_readings/jmnedict_names.tsv.gz` (JMnedict's family and given names: rare names and readings gimei
lacks, 斯波 Shiba, Kasuba). The family name is read by UniDic's surname entries (菅野 Kanno, Sugano) and
the same data. The readings a name is searched by (`dictionary_readings`) come from gimei's common names
only: JMnedict's rare family names would split a Chinese name into one (林志玲 as 林志 Hayashishi); JMnedict
serves only `read_as`, where the listed Latin words must spell both the family and the given name."""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

TABLE_FILE = Path(__file__).with_name("name_readings") / "ja_names.tsv.gz"
JMNEDICT_FILE = Path(__file__).with_name("name_readings") / "jmnedict_names.tsv.gz"
MAX_READINGS = 6  # "family given" readings kept per name
FAMILY_READINGS = 2  # readings of the family name combined with the given name's
NBEST = 8  # UniDic parses of a family name (or a character) looked at for its readings


@lru_cache(maxsize=2)
def _table(rare: bool = False) -> dict[str, dict[str, tuple[str, ...]]]:
    """kind (family, given) -> kanji -> readings in hiragana: gimei's (common names, in its order), and with
    `rare` JMnedict's others after them."""
    out: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for path in (TABLE_FILE, JMNEDICT_FILE) if rare else (TABLE_FILE,):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                kind, kanji, kana = line.rstrip("\n").split("\t")
                known = out[kind].get(kanji, ())
                out[kind][kanji] = known + tuple(k for k in kana.split(",") if k not in known)
    return dict(out)


def given_readings(kanji: str, rare: bool = False) -> tuple[str, ...]:
    """The readings (hiragana) of a given name written so, as the name data lists them (with `rare`,
    JMnedict's too); () if unlisted."""
    return _table(rare).get("given", {}).get(kanji, ())


def family_readings(kanji: str, rare: bool = False) -> tuple[str, ...]:
    """The readings (kana) of a family name: UniDic's surname entries first, then the name data's (with
    `rare`, JMnedict's too)."""
    from exportctl.engine.screening.japanese import _tagger

    out: list[str] = []
    for nodes in _tagger().nbestToNodeList(kanji, NBEST):
        words = [n for n in nodes if str(n.surface).strip()]
        if len(words) != 1 or (words[0].feature.pos3, words[0].feature.pos4) != ("人名", "姓"):
            continue
        kana = str(words[0].feature.kana or "")
        if kana and kana not in out:
            out.append(kana)
    for kana in _table(rare).get("family", {}).get(kanji, ()):
        if _katakana(kana) not in out:
            out.append(kana)
    return tuple(out)


def _katakana(hiragana: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in hiragana)


def splits(text: str, rare: bool = False) -> list[tuple[str, str]]:
    """(family, given) splits of a Han name whose given part the name data lists and whose family part has
    a surname reading, or is two characters or more before a given name of two or more (a surname UniDic
    lacks, 忍足: pykakasi reads it); a family name of two characters or more first. With `rare`, JMnedict's
    names too."""
    found = [
        (text[:i], text[i:])
        for i in range(1, len(text))
        if given_readings(text[i:], rare)
        and (family_readings(text[:i], rare) or (i >= 2 and len(text) - i >= 2 and _read(text[:i])))
    ]
    return sorted(found, key=lambda s: (len(s[0]) < 2, -len(s[0])))


def _read(family: str) -> tuple[str, ...]:
    """A family name's surname readings, or pykakasi's reading of it (in hiragana) when it has none."""
    from exportctl.engine.screening.japanese import _kakasi

    known = family_readings(family)
    if known:
        return known
    kana = "".join(str(i["hira"]) for i in _kakasi().convert(family))
    return (kana,) if kana and all("\u3041" <= c <= "\u309f" for c in kana) else ()


def dictionary_readings(text: str, native: bool = True) -> list[str]:
    """Readings "family given" in Hepburn (long vowels as kana write them: satou) of a Han name split into a
    family name and a listed given name; [] when no split fits. With `native`, a one-character family name
    must be read the Japanese way (`japanese._native_reading`: 林 Hayashi, not 李 Ri)."""
    from exportctl.engine.screening.japanese import _hepburn, _native_reading

    out: list[str] = []
    for family, given in splits(text):
        fam = _read(family)[:FAMILY_READINGS]
        if len(family) < 2 and native:
            fam = tuple(k for k in fam if _native_reading(_katakana(k)))
        for f in fam:
            for g in given_readings(given):
                reading = f"{_hepburn(f)} {_hepburn(g)}"
                if reading.strip() and reading not in out:
                    out.append(reading)
        if out:
            break  # the first split that reads is the name's
    return out[:MAX_READINGS]


KANJI_FILE = Path(__file__).with_name("name_readings") / "kanji.tsv.gz"
KANJIDIC_FILE = Path(__file__).with_name("name_readings") / "kanjidic.tsv.gz"


@lru_cache(maxsize=2)
def _kanji_table(path: Path = KANJI_FILE) -> dict[str, tuple[str, ...]]:
    """char -> readings (hiragana) of a per-kanji table (`kanji.tsv.gz`, `kanjidic.tsv.gz`)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return {c: tuple(r.split(",")) for c, r in (line.rstrip("\n").split("\t") for line in fh)}


def _variants(kana: str) -> set[str]:
    """A reading in Hepburn as kana write it and with long vowels short (ゆう yuu, yu)."""
    from exportctl.engine.screening.japanese import _hepburn, _short

    latin = _hepburn(kana)
    # Passports may also write a long o as oh (Satoh, Ohno).
    return {latin, _short(latin), re.sub(r"ou|oo", "oh", re.sub(r"uu", "u", latin))} - {""}


@lru_cache(maxsize=1 << 12)
def kanji_latin(char: str) -> frozenset[str]:
    """The Latin spellings of one kanji as names read it: the readings the name data's given names cut
    it into (陽 haru, hi, hina; 翔 to, sho) and KANJIDIC2's name, kun and on readings of it (博 hiro, haku:
    the given names the name data lacks), else UniDic's entries for the character."""
    readings = _kanji_table().get(char, ()) + _kanji_table(KANJIDIC_FILE).get(char, ())
    if not readings:
        from exportctl.engine.screening.japanese import _tagger

        found = []
        for nodes in _tagger().nbestToNodeList(char, NBEST):
            words = [n for n in nodes if str(n.surface).strip()]
            if len(words) == 1 and words[0].feature.kana:
                found.append(str(words[0].feature.kana))
        readings = tuple(found)
    out = {v for r in readings if not r.endswith(("っ", "ッ")) for v in _variants(r)}
    # A reading cut short by a doubled consonant (一 いっ in 一生 issei, 一平 ippei) doubles what follows.
    out |= {v + c for r in readings if r.endswith(("っ", "ッ")) for v in _variants(r[:-1]) for c in "kstp"}
    return frozenset(out)


@lru_cache(maxsize=1 << 12)
def _family_latin(kanji: str) -> frozenset[str]:
    """A family name's Latin spellings from its surname readings (UniDic, the name data); a one-character
    family name only in readings of its own (林 Hayashi; not 王 O, read as the Chinese name is)."""
    from exportctl.engine.screening.japanese import _native_reading

    readings = family_readings(kanji, rare=True)
    if len(kanji) < 2:
        readings = tuple(r for r in readings if _native_reading(_katakana(r)))
    return frozenset(v for r in readings for v in _variants(r))


def _spelt(sets: list[frozenset[str]], word: str) -> bool:
    """The word is the characters' spellings, one each, in order (the search Korean names use)."""
    from exportctl.engine.screening.korean import spells

    return spells(sets, [word])


_M_BEFORE_LIP = re.compile(r"m(?=[bmp])")


@lru_cache(maxsize=1 << 14)
def read_as(han: str, listed: tuple[str, ...]) -> bool:
    """Whether listed Latin tokens read a Han name as a Japanese one: a family name in one of its surname
    readings, first or last, and the given name (the other tokens, joined) in a reading the name data
    gives it or spelt by its characters' name readings in order (陽翔 Haruto: haru + to)."""
    han = "".join(han.split())
    if not 2 <= len(han) <= 6 or len(listed) < 2 or not all(t.isascii() and t.isalpha() for t in listed):
        return False
    # Passports write ん as m before b, m, p (Homma, Namba, Shimpei): the readings write n.
    listed = tuple(_M_BEFORE_LIP.sub("n", t) for t in listed)
    hepburn = tuple(from_kunrei(t) for t in listed)
    return _read_as(han, listed) or (hepburn != listed and _read_as(han, hepburn))


_KUNREI = (  # Kunrei-shiki (ISO 3602) -> Hepburn, longest first; "hu" after s or c is Hepburn's own shu, chu
    (re.compile(r"sy([aou])"), r"sh\1"),
    (re.compile(r"ty([aou])"), r"ch\1"),
    (re.compile(r"[zd]y([aou])"), r"j\1"),
    (re.compile(r"si"), "shi"),
    (re.compile(r"ti"), "chi"),
    (re.compile(r"tu"), "tsu"),
    (re.compile(r"[zd]i"), "ji"),
    (re.compile(r"du"), "zu"),
    (re.compile(r"(?<![sc])hu"), "fu"),
)


def from_kunrei(word: str) -> str:
    """A romanised Japanese word in Kunrei-shiki (the official system, ISO 3602: Hirosi, Tanaka Tiyoko,
    Tukuba) in Hepburn (Hiroshi, Chiyoko, Tsukuba); a Hepburn word, which writes none of these syllables, is
    left as it is."""
    for pattern, repl in _KUNREI:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=1 << 12)
def _given_latin(given: str) -> frozenset[str]:
    """A given name's Latin spellings from the readings the name data gives it (asked once per name, not
    once per listed name it is read against)."""
    return frozenset(v for r in given_readings(given, rare=True) for v in _variants(r))


def _read_as(han: str, listed: tuple[str, ...]) -> bool:
    """`read_as` for listed tokens in Hepburn."""
    for i in range(1, len(han)):
        family, given = _family_latin(han[:i]), han[i:]
        # A family name of two or three characters no surname entry reads (多田野, 日之内): spelt by its
        # characters' name readings in order, as a given name is.
        fam_sets = [kanji_latin(c) for c in han[:i]] if not family and 2 <= i <= 3 else []
        if not family and not (fam_sets and all(fam_sets)):
            continue
        whole = _given_latin(given)
        sets = [kanji_latin(c) for c in given] if len(given) <= 3 else []
        for f in (0, len(listed) - 1):
            if listed[f] in family or (fam_sets and _spelt(fam_sets, listed[f])):
                rest = "".join(listed[:f] + listed[f + 1 :])
                if rest in whole or (sets and all(sets) and _spelt(sets, rest)):
                    return True
    return False


__all__ = [
    "dictionary_readings",
    "family_readings",
    "from_kunrei",
    "given_readings",
    "kanji_latin",
    "read_as",
    "splits",
]
