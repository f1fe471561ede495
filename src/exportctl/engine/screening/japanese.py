"""Japanese names read in Latin letters: kana in Hepburn (pykakasi), katakana foreign words as their
bearers spell them (UniDic's lemmas), and Han-only names read as Japanese person names (UniDic's name
entries through fugashi with unidic-lite; pykakasi's readings beside them)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_HAN_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{3,4}$")
_HAN_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]{3,6}$")
_WORD = re.compile(r"[^\W\d_]+")


def warm() -> None:
    """Load the kana readings dictionary now (~1-2 s), not on the first Japanese name screened."""
    _kakasi()


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def _kana_readings(text: str) -> list[str]:
    """Hepburn readings (pykakasi), and the same with long vowels written short (Shinzou / Shinzo)."""
    from exportctl.engine.screening.terms import terms

    for term, canonical in terms().han_terms:
        if term in text:
            text = text.replace(term, f" {canonical} ")
    text = _to_japanese(text)
    words = [str(item["hepburn"]) for item in _kakasi().convert(text)]
    plain = " ".join(w for w in words if w)
    short = re.sub(r"ou|oo", "o", re.sub(r"uu", "u", plain))
    if not _KATAKANA.search(text):
        return [plain, short]
    from exportctl.engine.screening.katakana import loanword_spellings

    # Katakana words spelt as foreign names are (ファーウェイ fawei, huawei; ソニー sony), the rest Hepburn.
    loans = [
        " ".join(str(i["hepburn"]) for i in _kakasi().convert(s)).strip() for s in loanword_spellings(text)
    ]
    foreign = _foreign_spelling(text)
    return [r for r in dict.fromkeys([foreign, plain, short, *loans]) if r]


_KATAKANA = re.compile(r"[\u30a1-\u30fa]")
_LEMMA_LATIN = re.compile(r"-([A-Za-z][A-Za-z' .]*)$")


def _foreign_spelling(text: str) -> str:
    """A name written in katakana as its bearer spells it, where UniDic's lemma gives the foreign word
    (ウラジーミル-Vladimir, フセイン-Hussein, キム-Kim), the other words in Hepburn; "" when none has one."""
    out: list[str] = []
    found = False
    for word in _tagger()(text):
        if not word.surface.strip() or not _WORD.search(word.surface):
            continue
        lemma = _LEMMA_LATIN.search(str(word.feature.lemma or ""))
        if lemma and word.feature.pos2 == "固有名詞":
            out.append(lemma.group(1))
            found = True
        else:
            reading = "".join(str(i["hepburn"]) for i in _kakasi().convert(word.surface))
            out.append(re.sub(r"([aeiou])\1", r"\1", reading))  # a long vowel (ー) is a short one in Latin
    return " ".join(out) if found else ""


def japanese_reading(text: str) -> list[str]:
    """A Han-only name read as a Japanese person name: its Hepburn readings. UniDic (fugashi with
    unidic-lite) must tag it as a surname of two characters or more and given names, or pykakasi split it
    into such a surname and a given name; otherwise none (a Chinese name stays pinyin only)."""
    from exportctl.engine.screening.terms import terms

    if any(term in text for term in terms().japanese_forms):
        return _kana_readings(text)
    text = "".join(text.split())
    if not _HAN_NAME.match(text):
        return []
    from exportctl.engine.screening.ja_names import dictionary_readings
    from exportctl.engine.screening.normalise import to_simplified

    unidic = _unidic_name(text)
    if unidic and len(_surname(text)) >= 2:
        # a surname of two characters UniDic knows: Japanese, old forms (黒澤) included
        return _with_data(unidic, dictionary_readings(text))
    if to_simplified(text) != text and _traditional_only(text):
        return []
    by_data = dictionary_readings(text)
    if unidic or by_data:
        return _with_data(unidic, by_data)
    if not _HAN_ONLY.match(text):
        return []
    last = _given_name_last(text)
    if last:
        return last
    if not _HAN_ONLY.match(text):
        return []
    items = _kakasi().convert(text)
    if len(items) != 2 or len(str(items[0]["orig"])) < 2 or not all(item["hepburn"] for item in items):
        return []
    return _kana_readings(text)


def _with_data(unidic: list[str], by_data: list[str]) -> list[str]:
    """UniDic's best reading (in both spellings), then the name data's readings of the given name (written
    short, as passports do), then UniDic's others: a given name has many readings, the data lists them."""
    out: list[str] = []
    for form in [*unidic[:2], *(_short(r) for r in by_data), *unidic[2:]]:
        if form not in out:
            out.append(form)
    return out[:JAPANESE_READINGS]


def _short(reading: str) -> str:
    """Long vowels written short, as passports write them (satou -> sato, yuuto -> yuto)."""
    return re.sub(r"ou|oo", "o", re.sub(r"uu", "u", reading))


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import fugashi

    return fugashi.Tagger()  # UniDic (unidic-lite): person names carry 姓 / 名 tags and their readings


def _unidic_name(text: str) -> list[str]:
    """UniDic's reading of a surname followed by a given name, family name first, in Hepburn (pykakasi,
    from UniDic's kana), also with long vowels written short; [] when it is not read as such a name.
    The surname must be tagged 姓 (one character only when a tagged given name follows); the given name
    may be words UniDic does not tag as a name (modern given names, 璃奈子): then their readings joined and
    pykakasi's reading of them stand for it (several readings: a given name has many)."""
    words = [w for w in _tagger()(text) if w.surface.strip()]
    if not 2 <= len(words) <= 4:
        return []
    tags = [(w.feature.pos2, w.feature.pos3, w.feature.pos4, w.feature.kana) for w in words]
    if tags[0][:3] != ("固有名詞", "人名", "姓") or not tags[0][3]:
        return []
    named = [t[:2] == ("固有名詞", "人名") and bool(t[3]) for t in tags[1:]]
    if len(words[0].surface) < 2 and not (len(text) >= 3 and all(named) and _native_reading(str(tags[0][3]))):
        return []
    family = _hepburn(str(tags[0][3]))
    readings: list[str] = []
    if all(t[3] for t in tags[1:]):
        readings.append(f"{family} {''.join(_hepburn(str(t[3])) for t in tags[1:])}")
    # A given name has several readings (裕樹: Yuuki, Hiroki; 勇人: Yuuto, Hayato): pykakasi's, then UniDic's
    # next-best readings of the whole name where the given name is read as a name.
    other = _hepburn("".join(w.surface for w in words[1:]))
    if other:
        readings.append(f"{family} {other}")
    readings += _given_readings(text, str(words[0].surface))
    out: list[str] = []
    for i, plain in enumerate(readings):
        short = re.sub(r"ou|oo", "o", re.sub(r"uu", "u", plain))
        for form in (plain, short) if i == 0 else (short,):
            if form not in out:
                out.append(form)
    return out[:JAPANESE_READINGS]


JAPANESE_READINGS = 5  # readings kept per Japanese name (the first in two spellings)
NBEST = 12  # UniDic parses looked at for other readings of a given name


def _given_readings(text: str, surname: str) -> list[str]:
    """Other readings of the whole name (Hepburn, "family given"): UniDic's next-best parses that keep the
    surname's characters as a surname and read the rest as name words, in UniDic's order (菅野: Kanno,
    Sugano; 勇人: Yuuto, Hayato)."""
    out: list[str] = []
    for nodes in _tagger().nbestToNodeList(text, NBEST):
        words = [n for n in nodes if str(n.surface).strip()]
        if len(words) < 2 or str(words[0].surface) != surname or not words[0].feature.kana:
            continue
        named = all(n.feature.pos3 == "人名" and n.feature.kana for n in words)
        if words[0].feature.pos4 != "姓" or not named:
            continue
        family = _hepburn(str(words[0].feature.kana))
        given = "".join(_hepburn(str(n.feature.kana)) for n in words[1:])
        if given and f"{family} {given}" not in out:
            out.append(f"{family} {given}")
    return out


def _given_name_last(text: str) -> list[str]:
    """A name UniDic does not know the surname of (津室隆夫): two characters or more read by pykakasi, then a
    given name of two characters or more that UniDic tags as one ("tsumuro takao"); [] otherwise."""
    words = [w for w in _tagger()(text) if w.surface.strip()]
    last = words[-1] if words else None
    if last is None or (last.feature.pos3, last.feature.pos4) != ("人名", "名") or not last.feature.kana:
        return []
    head = text[: len(text) - len(last.surface)]
    if len(head) < 2 or len(last.surface) < 2:
        return []
    family = _hepburn(head)
    plain = f"{family} {_hepburn(str(last.feature.kana))}"
    short = re.sub(r"ou|oo", "o", re.sub(r"uu", "u", plain))
    return [plain, short] if short != plain else [plain]


def _native_reading(kana: str) -> bool:
    """A one-character surname read the Japanese way (原 Hara, 林 Hayashi, 森 Mori), not as a Chinese surname
    is read in Japanese (王 Ou, 李 Ri, 張 Chou, 陳 Chin): two kana or more, no final ウ or ン, no ャュョ."""
    return len(kana) >= 2 and kana[-1] not in "ウン" and not any(c in kana for c in "ャュョ")


def _surname(text: str) -> str:
    """The first word UniDic reads in a name (its surname when it is a Japanese name)."""
    return next((str(w.surface) for w in _tagger()(text) if str(w.surface).strip()), "")


def _hepburn(text: str) -> str:
    """Kana (or a name pykakasi knows) in Hepburn, as one word."""
    return "".join(str(i["hepburn"]) for i in _kakasi().convert(text))


def _traditional_only(text: str) -> bool:
    """Characters that are traditional Chinese and not Japanese shinjitai forms (OpenCC t2jp changes them)."""
    _to_japanese("")
    return str(_T2JP.convert(text)) != text


_T2JP: Any = None
_S2T: Any = None


@lru_cache(maxsize=1 << 12)
def _to_japanese(text: str) -> str:
    """Simplified Chinese characters in Japanese forms (OpenCC s2t, then t2jp): 八洲电机 -> 八洲電機."""
    global _S2T, _T2JP
    if _S2T is None or _T2JP is None:
        import opencc

        _S2T, _T2JP = opencc.OpenCC("s2t"), opencc.OpenCC("t2jp")
    return str(_T2JP.convert(_S2T.convert(text)))
