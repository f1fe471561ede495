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
from exportctl.engine.screening.devanagari import hindi_spelling, schwa_deleted
from exportctl.engine.screening.han_words import translated
from exportctl.engine.screening.icu_scripts import icu_readings, mac_spelling
from exportctl.engine.screening.japanese import (  # noqa: F401 (tests reach the readers through translit)
    _foreign_spelling,
    _kana_readings,
    _unidic_name,
    japanese_reading,
)
from exportctl.engine.screening.katakana import kana_loan_forms
from exportctl.engine.screening.loan_greek import greek_loan_forms
from exportctl.engine.screening.loan_han import DOTS, han_loan_forms
from exportctl.engine.screening.loan_hangul import hangul_loan_forms
from exportctl.engine.screening.loan_hebrew import hebrew_loan_forms
from exportctl.engine.screening.loanwords import loan_forms
from exportctl.engine.screening.native import native_reads, spell, written_words
from exportctl.engine.screening.sino_korean import hangul_readings
from exportctl.engine.screening.slavic import slavic_spelling
from exportctl.engine.screening.terms import terms
from exportctl.engine.screening.wade_giles import pinyin_spelling

MAX_FORMS = 7  # alternatives kept per name (the first is always the plain one)
LOAN_FORMS = 3  # readings of a foreign name written in Hangul or katakana kept among them

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
_KANA_LETTER = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]")  # not the middle dot
_HANGUL_WORD = re.compile(r"[\uac00-\ud7af]+")


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
    if _MAC.search(text) or _DZH.search(text):
        # An English name as Russian writes it: Mc/Mac as Мак with the next consonant doubled (Макконнелл,
        # Маккейн, Макдональд), J as Дж (Джон, Джеймс): also in the letters the lists write, second.
        english = _MAC_LATIN.sub(lambda m: "Mcc" if m.group(1) == "k" else "Mc" + m.group(1), out[1])
        out.insert(1, _DZH_LATIN.sub(lambda m: "J" if m.group(0)[0] == "D" else "j", english))
    return out


# Мак before к, д, г, м, н, ф: a Mc/Mac name (Russian words begin with Мака-, Маке-, Макс- instead).
_MAC = re.compile(r"(?<![^\W\d_])[Мм]ак(?=[кдгмнфКДГМНФ])")
_MAC_LATIN = re.compile(r"(?<![^\W\d_])[Mm]ak(k|[dgmnf])")
_DZH = re.compile(r"(?<![^\W\d_])[Дд]ж")
_DZH_LATIN = re.compile(r"(?<![^\W\d_])[Dd]zh")


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
        # The hard reading of a word's first letter first (Putin, Vladimir), then BGN's own (Frank, William).
        hebrew = _icu("Hebrew-Latin/BGN")
        out += dict.fromkeys([hebrew.transliterate(hebrew_letters(text)), hebrew.transliterate(text)])
    if _RANGES["arabic"].search(text):
        if _PERSIAN.search(text):
            out.append(_icu("Persian-Latin/BGN").transliterate(text))
        out.append(_icu("Arabic-Latin/BGN").transliterate(text))
    return out


# A letter with a geresh writes a sound Hebrew lacks (ג׳ j, צ׳ ch, ז׳ zh, ת׳ th: ג׳רזי Jersey, צ׳ארלס).
_GERESH = re.compile("([\u05d2\u05e6\u05e5\u05d6\u05ea])[\u05f3'\u2019`\u00b4]")
_GERESH_LATIN = {"ג": "j", "צ": "ch", "ץ": "ch", "ז": "zh", "ת": "th"}
# At the start of a word ב, כ and פ are hard (b, k, p: פוטין Putin, כהן Kohen) and ו is the consonant v
# (ולדימיר Vladimir); inside a word a doubled ו is v (הוואנה Havana). BGN's transform writes v, kh, f and w.
_HEBREW_HARD = re.compile("(?<![\u05d0-\u05ea])([\u05d1\u05db\u05e4\u05d5])|\u05d5\u05d5(?=[\u05d0-\u05ea])")
_HARD_LATIN = {"ב": "b", "כ": "k", "פ": "p", "ו": "v"}


def hebrew_geresh(text: str) -> str:
    """Hebrew with each letter that carries a geresh in the Latin letters it stands for (ג׳רזי -> jרזי), so
    the word stays one word; other text as it is."""
    return _GERESH.sub(lambda m: _GERESH_LATIN[m.group(1)], text)


def hebrew_letters(text: str) -> str:
    """Hebrew with the first letter of each word read hard, as names write it (`_HEBREW_HARD`: b, k, p, v),
    and a doubled ו inside a word as v, in Latin letters; other text as it is."""
    return _HEBREW_HARD.sub(lambda m: _HARD_LATIN[m.group(1)] if m.group(1) else "v", hebrew_geresh(text))


def _hangul(text: str) -> list[str]:
    """Revised Romanization and McCune-Reischauer, the family syllable of a person name set apart."""
    from korean_romanizer.romanizer import Romanizer

    mr = _icu("Korean-Latin/BGN")

    def word(w: str, scheme: str) -> str:
        if scheme == "rr":
            try:
                return str(Romanizer(w).romanize())
            except (KeyError, ValueError, IndexError):
                pass  # a final consonant cluster korean_romanizer lacks (ᆭ): ICU's McCune-Reischauer instead
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


def korean_forms(text: str) -> list[tuple[str, str]]:
    """(romanisation, Hangul) of the Korean readings of a Han person name (`sino_korean`): McCune-Reischauer's
    family name with the Revised given name, joined and syllable by syllable; [] for other names."""
    out: list[tuple[str, str]] = []
    for hangul in hangul_readings(text):
        for form in _hangul(hangul)[:2]:
            if (ord(hangul[0]) - 0xAC00) // 588 == 5 and form[:1] == "n":  # 리 Ri, 류 Ryu: an initial ㄹ
                form = "r" + form[1:]  # is written r (as the DPRK writes it), not n as in the South
            out.append((form, hangul))
    return out


def _brahmic(text: str) -> list[str]:
    out: list[str] = []
    if _RANGES["thai"].search(text):
        from pythainlp.transliterate import romanize

        out.append(
            " ".join(romanize(w, engine="royin") for w in text.split())
        )  # RTGS, as Thai names are written
        out.append(_icu("Thai-Latin").transliterate(text))
    if _RANGES["devanagari"].search(text):
        icu = _icu("Devanagari-Latin")
        latin = _strip(icu.transliterate(text))
        out.append(latin)
        out.append(
            re.sub(r"(?<=[^aeiou\W])a\b", "", latin)
        )  # the inherent final vowel is not written (Rama / Ram)
        # As Hindi says it (schwa deletion: बेलग्रेड Belgred, सिडनी Sidni, sh and ch as English writes them).
        out.append(
            " ".join(_strip(hindi_spelling(icu.transliterate(schwa_deleted(w)))) for w in text.split())
        )
        out += [m for m in [mac_spelling(out[-1], vowelled=True)] if m]  # मैककॉनेल McConnell
    return out


_WORD = re.compile(r"[^\W\d_]+")


def romanisations(text: str, guess_japanese: bool = True) -> tuple[str, ...]:
    """Alternative Latin spellings of a name (the name itself first); Latin names as they are. A Han name
    without kana is also read as Japanese where it looks like one, unless `guess_japanese` is False."""
    return romanised(text, guess_japanese)[0]


@lru_cache(maxsize=1 << 12)
def romanised(
    text: str, guess_japanese: bool = True
) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """`romanisations` and what their reading tokens stand for (a foreign name read from Arabic, Hangul,
    katakana or Han transcription characters), as (token, readings) pairs: the query's own, never shared."""
    reads: dict[str, tuple[str, ...]] = {}
    forms = _romanisations(text, guess_japanese, reads)
    return forms, tuple(reads.items())


# Zero-width (non-)joiners, bidi marks, word joiners and soft hyphens: format characters inside a word
# (Persian writes خامنه‌ای with a non-joiner), which must not split it in two.
_FORMAT = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _romanisations(text: str, guess_japanese: bool, reads: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if not text.isascii():
        text = _FORMAT.sub("", text)
    found = scripts(text)
    if not found:
        # A script with no reader here (Armenian, Georgian ...): also ICU's readings (icu_scripts.tsv).
        if by_icu := icu_readings(text):
            return tuple(dict.fromkeys([text, *(_latin(f) for f in by_icu)]))[:MAX_FORMS]
        # A Russian or Ukrainian name as another Latin-script language writes it (Sergej Lawrow): also
        # in the English spelling the lists use.
        slavic = slavic_spelling(text)
        if slavic:
            return (text, slavic)
        # A Chinese name in Wade-Giles (Chang Chien-kuo): also in the pinyin the lists use.
        pinyin = pinyin_spelling(text)
        return (text, pinyin) if pinyin else (text,)
    if "kana" in found and "han" in found and not _KANA_LETTER.search(text):
        # Han words parted by the Japanese middle dot and no kana letter: a transcribed foreign name in Han.
        text = text.replace("\u30fb", "\u00b7")
        found = scripts(text)
    if "hebrew" in found:
        text = hebrew_geresh(text)
    if "hangul" in found and ("(" in text or "\u321c" in text):  # ㈜
        text = _korean_abbreviations(text)
    if set(found) - {"han"}:
        # Company words written in the name's script weigh as the generic words they are (Текнолоджиз).
        text = replace_company_words(text, _word_letters)
        found = scripts(text) or found
    # Han is kept as it is (normalise spells it in pinyin); other scripts are replaced by their forms.
    forms: list[str] = [text] if "han" in found and "kana" not in found else []
    if forms and guess_japanese and not DOTS.search(text) and not _person_like(text):
        # A company name written in Chinese: its company words also read as the English they translate.
        # A query's reading only: listed names (read with guess_japanese=False, build.py) keep theirs.
        forms += [t for t in [translated(text)] if t]
    try:
        forms += _script_forms(text, found, guess_japanese, reads)
        if "han" not in found and not {"arabic", "hebrew"} & set(found):
            # A spelling from the name data first: it is how the name is written (Vladimir, not Uladzimir).
            by_data, _whole = spell(text, _word_letters)
            if by_data:
                forms.insert(0, by_data)
    except (
        ValueError,
        RuntimeError,
        UnicodeError,
        KeyError,
    ):  # a library refusing odd input (korean_romanizer
        # romanizer has no romanisation for some final consonant clusters: KeyError): keep what we have
        pass
    out: list[str] = []
    for form in forms:
        latin = form if form is text else " ".join(_latin(form).split())
        if latin.strip() and latin not in out:
            out.append(latin)
    return tuple(out[:MAX_FORMS]) or (text,)


def _korean_abbreviations(text: str) -> str:
    """Korean legal forms abbreviated in parentheses written out, as a word of their own: (주)대창 ->
    주식회사 대창."""
    folded = unicodedata.normalize("NFKC", text)
    if not any(short in folded for short, _full in terms().korean_abbreviations):
        return text
    text = folded
    for short, full in terms().korean_abbreviations:
        if short in text:
            text = text.replace(short, f" {full} ")
    return " ".join(text.split())


def _script_forms(
    text: str, found: tuple[str, ...], guess_japanese: bool, reads: dict[str, tuple[str, ...]] | None = None
) -> list[str]:
    """The romanisations of each script the text holds (Han itself left out); what reading tokens stand
    for goes to `reads`."""
    forms: list[str] = []
    if "kana" in found:
        kana = _unidic_name("".join(text.split())) + _kana_readings(text)
        # A foreign name in katakana also read with its added vowels left out (ミッチ・マコーネル).
        forms += kana[:2] + kana_loan_forms(text, reads)[:LOAN_FORMS] + kana[2:]
    elif "han" in found and DOTS.search(text):
        # A foreign name transcribed in Han characters, its parts apart by middle dots (弗拉基米尔·普京).
        forms += han_loan_forms(text, reads)
    elif "han" in found and guess_japanese:
        forms += japanese_reading(text.strip())
        # A Korean name in hanja reads in Korean (金正恩 Kim Jong Un), as its Hangul reading is romanised.
        forms += [form for form, _hangul_text in korean_forms(text)]
    if "cyrillic" in found:
        forms += _cyrillic(text)
    if "greek" in found:
        # Greek's own standards first, then a foreign name's spelling (Μπρισμπέιν Brisbane, not Mprismpein).
        greek = _greek(text)
        forms += (
            greek + greek_loan_forms(text, reads) + [m for f in greek[1:2] if (m := mac_spelling(_strip(f)))]
        )
    if "arabic" in found or "hebrew" in found:
        written = _abjad(text)
        by_data, whole = spell(text, _word_letters)
        # Every word spelt from the name data: the consonant skeletons would add only chance meetings.
        if by_data:
            forms += [by_data] if whole else [by_data, *written]
        else:
            # No word in the table: each word's letters with the article apart first (lsdt is no Sadat).
            forms += [written_words(text, _word_letters), *written]
        if "arabic" in found:
            # Each word's readings also stand for its letters, to meet the spellings people write it in.
            native_reads(text, _word_letters, reads)
        if "arabic" in found and not whole:
            # A foreign name written out (هواوي Huawei): its vowel letters read as vowels.
            forms += loan_forms(text, _word_letters, reads)
        if "hebrew" in found and not whole:
            # A foreign name in plene spelling (פריז Paris, ולדימיר Vladimir): its vowel letters as vowels.
            forms += hebrew_loan_forms(text, reads)[:1]
    if "hangul" in found:
        # A foreign name written in Hangul (블라디미르 푸틴) read as the loanword orthography wrote it, after
        # the romanisation systems' first spelling.
        systems = _hangul(text)
        mac = [m for m in [mac_spelling(systems[0], vowelled=True)] if m]  # 매코널 McConnell
        forms += systems[:1] + mac + hangul_loan_forms(text, reads)[:LOAN_FORMS] + systems[1:]
    if "thai" in found or "devanagari" in found:
        forms += _brahmic(text)
    return forms


def _person_like(text: str) -> bool:
    """A Han name of two to four characters (or a Japanese person's five or six): a person's, not a
    company's (`forms.cjk_person`)."""
    from exportctl.engine.screening.forms import cjk_person

    return cjk_person(text)


def _word_letters(word: str) -> str:
    """One word the name data does not know, in its script's first letter-for-letter romanisation."""
    found = scripts(word)
    if "arabic" in found or "hebrew" in found:
        written = _abjad(word)
        return _latin(written[0] if "arabic" not in found else written[-1]) if written else word
    forms = _script_forms(word, found, False) if found else []
    return _latin(forms[0]) if forms else word
