"""Romanising a name the ways names in its script are written in Latin letters: alternatives, not one guess.

Each script goes through the libraries made for it:
- Cyrillic: iuliia's standards (BGN/PCGN, ICAO Doc 9303 as in passports, Wikipedia, GOST 52535) and
  rigour's own spelling.
- Arabic, Persian, Hebrew: ICU's BGN transforms, which write the consonants and long vowels only; the
  scorer compares them with Latin spellings as consonant skeletons (`similarity.skeleton_key`).
- Greek: ICU's UNGEGN and BGN transforms and rigour.
- Hangul: korean-romanizer (Revised Romanization) and ICU's Korean-Latin/BGN (McCune-Reischauer), the
  family syllable of a person name apart from the given name.
- Japanese (any kana, a Han name with a Japanese legal form, or one pykakasi reads as a surname and a
  given name): pykakasi's Hepburn readings, also with long vowels written short.
- Thai: pythainlp's Royal Thai General System (and ICU); Devanagari: ICU, with and without the final
  inherent vowel.
Han without kana stays Han here: `normalise` spells it in pinyin. Latin text is returned as it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from anyascii import anyascii

from exportctl.engine.screening.company_words import replace_company_words
from exportctl.engine.screening.loanwords import loan_forms
from exportctl.engine.screening.native import spell, written_words

MAX_FORMS = 7  # alternatives kept per name (the first is always the plain one)

_RANGES = {
    "cyrillic": re.compile(r"[\u0400-\u052f]"),
    "greek": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "hebrew": re.compile(r"[\u0590-\u05ff\ufb1d-\ufb4f]"),
    "hangul": re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"),
    "kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]"),
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "thai": re.compile(r"[\u0e00-\u0e7f]"),
    "devanagari": re.compile(r"[\u0900-\u097f]"),
}
_UKRAINIAN = re.compile(r"[іїєґўІЇЄҐЎ]")
_PERSIAN = re.compile(r"[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
_HANGUL_WORD = re.compile(r"[\uac00-\ud7af]+")
_HAN_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{3,4}$")
_HAN_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]{3,6}$")


def scripts(text: str) -> tuple[str, ...]:
    """The non-Latin scripts a name is written in (by the ranges above), in a fixed order."""
    if text.isascii():
        return ()
    return tuple(name for name, pattern in _RANGES.items() if pattern.search(text))


@lru_cache(maxsize=32)
def _icu(transform: str) -> Any:
    import icu

    return icu.Transliterator.createInstance(transform)


def _strip(text: str) -> str:
    """Latin letters without their accents, other marks (ʿ ʼ ʹ) dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[ʿʾʹʺ’‘`´ʼ]", "", text)


def _latin(text: str) -> str:
    """Whatever a transform left in another script, through anyascii; accents stripped."""
    text = _strip(text)
    return text if text.isascii() else anyascii(text)


def _cyrillic(text: str) -> list[str]:
    import iuliia
    from rigour.text.translit import maybe_ascii

    out = [maybe_ascii(text)]
    for schema in (iuliia.BGN_PCGN, iuliia.ICAO_DOC_9303, iuliia.WIKIPEDIA, iuliia.GOST_52535):
        out.append(schema.translate(text))
    # Ukrainian and Belarusian names are written from their own letters (Г as H: Hryhoriy, Holyk); first
    # when the name holds a letter only they have, else before the Russian-only standards.
    own = _UKRAINIAN.search(text) is not None
    out.insert(1 if own else 3, _icu("Ukrainian-Latin/BGN").transliterate(text))
    return out


def _greek(text: str) -> list[str]:
    from rigour.text.translit import maybe_ascii

    return [
        maybe_ascii(text),
        _icu("Greek-Latin/UNGEGN").transliterate(text),
        _icu("Greek-Latin/BGN").transliterate(text),
    ]


def _abjad(text: str) -> list[str]:
    """Arabic, Persian and Hebrew: the written consonants (and long vowels) in BGN's letters."""
    out: list[str] = []
    if _RANGES["hebrew"].search(text):
        out.append(_icu("Hebrew-Latin/BGN").transliterate(text))
    if _RANGES["arabic"].search(text):
        if _PERSIAN.search(text):
            out.append(_icu("Persian-Latin/BGN").transliterate(text))
        out.append(_icu("Arabic-Latin/BGN").transliterate(text))
    return out


def _hangul(text: str) -> list[str]:
    """Revised Romanization and McCune-Reischauer, the family syllable of a person name set apart."""
    from korean_romanizer.romanizer import Romanizer

    mr = _icu("Korean-Latin/BGN")

    def word(w: str, scheme: str) -> str:
        if scheme == "rr":
            return str(Romanizer(w).romanize())
        return str(mr.transliterate(unicodedata.normalize("NFD", w)))

    out: list[str] = []
    # McCune-Reischauer's family name with the Revised given name comes first (Kim, Pak with Jeongeun is
    # how most names are written), then the given name's syllables apart (Myung-bak), then each system.
    for family_scheme, given_scheme, split in (
        ("mr", "rr", False),
        ("mr", "rr", True),
        ("rr", "rr", False),
        ("mr", "mr", False),
    ):
        parts: list[str] = []
        for m in re.finditer(r"[\uac00-\ud7af]+|[^\uac00-\ud7af]+", text):
            w = m.group()
            if not _HANGUL_WORD.fullmatch(w):
                parts.append(w)
            elif 2 <= len(w) <= 4 and _HANGUL_WORD.fullmatch(text.strip()):
                # One word of 2-4 syllables is a person name: family syllable, then the given name.
                family = word(w[0], family_scheme)
                if len(family) <= 1:
                    family = "y" + family  # a family name that is one vowel is written with y (이 Yi, 유 Yu)
                given = " ".join(word(c, given_scheme) for c in w[1:]) if split else word(w[1:], given_scheme)
                parts.append(f"{family} {given}")
            else:
                parts.append(word(w, given_scheme))
        out.append("".join(parts))
    return out


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
    foreign = _foreign_spelling(text) if _KATAKANA.search(text) else ""
    return [foreign, plain, short] if foreign else [plain, short]


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
    from exportctl.engine.screening.normalise import to_simplified

    unidic = _unidic_name(text)
    if unidic and len(_surname(text)) >= 2:
        return unidic  # a surname of two characters UniDic knows: Japanese, old forms (黒澤) included
    if to_simplified(text) != text and _traditional_only(text):
        return []
    if unidic:
        return unidic
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


def _to_japanese(text: str) -> str:
    """Simplified Chinese characters in Japanese forms (OpenCC s2t, then t2jp): 八洲电机 -> 八洲電機."""
    global _S2T, _T2JP
    if _S2T is None or _T2JP is None:
        import opencc

        _S2T, _T2JP = opencc.OpenCC("s2t"), opencc.OpenCC("t2jp")
    return str(_T2JP.convert(_S2T.convert(text)))


def _brahmic(text: str) -> list[str]:
    out: list[str] = []
    if _RANGES["thai"].search(text):
        from pythainlp.transliterate import romanize

        out.append(
            " ".join(romanize(w, engine="royin") for w in text.split())
        )  # RTGS, as Thai names are written
        out.append(_icu("Thai-Latin").transliterate(text))
    if _RANGES["devanagari"].search(text):
        latin = _strip(_icu("Devanagari-Latin").transliterate(text))
        out.append(latin)
        out.append(
            re.sub(r"(?<=[^aeiou\W])a\b", "", latin)
        )  # the inherent final vowel is not written (Rama / Ram)
    return out


_WORD = re.compile(r"[^\W\d_]+")


def romanisations(text: str, guess_japanese: bool = True) -> tuple[str, ...]:
    """Alternative Latin spellings of a name (the name itself first); Latin names as they are. A Han name
    without kana is also read as Japanese where it looks like one, unless `guess_japanese` is False."""
    found = scripts(text)
    if not found:
        return (text,)
    if set(found) - {"han"}:
        # Company words written in the name's script weigh as the generic words they are (Текнолоджиз).
        text = replace_company_words(text, _word_letters)
        found = scripts(text) or found
    # Han is kept as it is (normalise spells it in pinyin); other scripts are replaced by their forms.
    forms: list[str] = [text] if "han" in found and "kana" not in found else []
    try:
        forms += _script_forms(text, found, guess_japanese)
        if "han" not in found and not {"arabic", "hebrew"} & set(found):
            # A spelling from the name data first: it is how the name is written (Vladimir, not Uladzimir).
            by_data, _whole = spell(text, _word_letters)
            if by_data:
                forms.insert(0, by_data)
    except (ValueError, RuntimeError, UnicodeError):  # a library refusing odd input: keep what we have
        pass
    out: list[str] = []
    for form in forms:
        latin = form if form is text else " ".join(_latin(form).split())
        if latin.strip() and latin not in out:
            out.append(latin)
    return tuple(out[:MAX_FORMS]) or (text,)


def _script_forms(text: str, found: tuple[str, ...], guess_japanese: bool) -> list[str]:
    """The romanisations of each script the text holds (Han itself left out)."""
    forms: list[str] = []
    if "kana" in found:
        forms += _unidic_name("".join(text.split())) + _kana_readings(text)
    elif "han" in found and guess_japanese:
        forms += japanese_reading(text.strip())
    if "cyrillic" in found:
        forms += _cyrillic(text)
    if "greek" in found:
        forms += _greek(text)
    if "arabic" in found or "hebrew" in found:
        written = _abjad(text)
        by_data, whole = spell(text, _word_letters)
        # Every word spelt from the name data: the consonant skeletons would add only chance meetings.
        if by_data:
            forms += [by_data] if whole else [by_data, *written]
        else:
            # No word in the table: each word's letters with the article apart first (lsdt is no Sadat).
            forms += [written_words(text, _word_letters), *written]
        if "arabic" in found and not whole:
            # A foreign name written out (هواوي Huawei): its vowel letters read as vowels.
            forms += loan_forms(text, _word_letters)
    if "hangul" in found:
        forms += _hangul(text)
    if "thai" in found or "devanagari" in found:
        forms += _brahmic(text)
    return forms


def _word_letters(word: str) -> str:
    """One word the name data does not know, in its script's first letter-for-letter romanisation."""
    found = scripts(word)
    if "arabic" in found or "hebrew" in found:
        written = _abjad(word)
        return _latin(written[-1]) if written else word
    forms = _script_forms(word, found, False) if found else []
    return _latin(forms[0]) if forms else word
