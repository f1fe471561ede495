"""The forms one query name is screened in (each romanisation of its script) and the whole-name rule of
CJK person names: a Chinese, Korean or Japanese person name of two to four characters is one name (family
name and given name), so every syllable of it must align, and it never matches an organisation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from exportctl.engine.screening.initials import split_initials, split_tokens
from exportctl.engine.screening.korean import hangul_person, korean_order, spelt_by
from exportctl.engine.screening.normalise import MAX_NAME_CHARS, cjk_chars, normalise, to_simplified
from exportctl.engine.screening.readings import Marks
from exportctl.engine.screening.score import Part, Scored, score_tokens
from exportctl.engine.screening.similarity import TRANSLIT_MIN, abjad_set
from exportctl.engine.screening.terms import terms
from exportctl.engine.screening.translit import korean_forms, romanisations, romanised, scripts

WHOLE_SIM = 0.6  # each syllable of a CJK person name aligns at least this well (Han: forms.HAN_SYLLABLE_SIM)
_CJK_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3040-\u30ff\u3005]+$")


@lru_cache(maxsize=1 << 16)
def query_forms(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(romanised text, tokens) of each distinct form of a query name, the plain form first; () when
    nothing is left to match on."""
    if not name or len(name) > MAX_NAME_CHARS:
        return ()
    out: list[tuple[str, tuple[str, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    abjad = abjad_query(name)
    for text in romanisations(name):
        toks = abjad_tokens(text) if abjad else normalise(text)
        if toks and toks not in seen:
            seen.add(toks)
            out.append((text, toks))
    # A name in another script reads its initials in its first romanisation ("Путин В.В." -> "Putin V.V.").
    # A Latin name with a typographic apostrophe ("Ignat’yev A.F.") is read as written.
    latin = out[0][0] if out and out[0][0].isascii() else ""
    if name.isascii() or not scripts(name):
        latin = name
    split = split_initials(latin) if out and latin else None
    if split is not None and (toks := split_tokens(split)) not in seen:
        # "Putin V.V.": the initials apart (initials.py). After the surname they replace the run read as
        # one word ("vv"), unless that word is a legal form ("A.G.", "D.D."); before a word ("L.X.C.
        # Aviation", "V.V. Putin") both readings are screened.
        legal = terms().legal
        after = len(toks[0]) > 1
        if after and len(out) == 1 and not any(t in legal and t not in toks for t in out[0][1]):
            out.clear()
        out.append((split, toks))
    return tuple(out)


def abjad_query(name: str) -> bool:
    """A name written in a script without short vowels (Arabic, Persian, Hebrew): its vowel-less readings
    compare by consonant skeleton (`similarity.abjad_set`)."""
    return bool({"arabic", "hebrew"} & set(scripts(name)))


@lru_cache(maxsize=1 << 16)
def form_abjad(name: str, tokens: tuple[str, ...]) -> frozenset[str]:
    """The marks of one form of `name` (`readings.Marks`): its tokens romanised from an abjad
    (`similarity.abjad_set`) and what its reading tokens stand for (`translit.romanised`), the query's own."""
    if name.isascii():
        return frozenset()
    reads = dict(romanised(name)[1])
    return Marks(
        abjad_set(tokens, abjad_query(name)),
        {t: reads[t] for t in tokens if t in reads},
        vowelled_set(name, tokens),
    )


VOWELLED_SCRIPTS = frozenset({"cyrillic", "greek"})  # alphabets: every standard writes the vowels, not alike


def vowelled_set(name: str, tokens: tuple[str, ...]) -> frozenset[str]:
    """The tokens of one form of a name written in an alphabet (Cyrillic, Greek) and romanised: they also
    compare by their vowel skeleton (`similarity.translit_sim`), since the standards spell vowels apart."""
    found = set(scripts(name))
    if not found or not found <= VOWELLED_SCRIPTS:
        return frozenset()
    return frozenset(t for t in tokens if t.isascii() and t.isalpha() and len(t) > TRANSLIT_MIN)


ABBREVIATION_MAX = 3  # a reading word this short that normalises to a legal form is a name's skeleton


def abjad_tokens(text: str) -> tuple[str, ...]:
    """The tokens of a reading of an Arabic, Persian or Hebrew name: as `normalise`, but a short word that
    alone reads as a Latin legal abbreviation stays a name word (the skeleton of العساف is "sf", no
    "S.F."; of الاسعد "sd", no "S.D."): those scripts write legal forms as words, never as initials."""
    words = text.split()
    if not any(_skeleton_abbreviation(w) for w in words):
        return normalise(text)
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if word and not _skeleton_abbreviation(word):
            run.append(word)
            continue
        out.extend(normalise(" ".join(run)) if run else ())
        run = []
        if word:
            out.append(word.lower())
    return tuple(out)


def _skeleton_abbreviation(word: str) -> bool:
    """A short all-letter ASCII word that normalises alone to another word, a legal form."""
    if not (word.isascii() and word.isalpha() and 2 <= len(word) <= ABBREVIATION_MAX):
        return False
    toks = normalise(word)
    return len(toks) == 1 and toks[0] != word.lower() and toks[0] in terms().legal_forms


@lru_cache(maxsize=1 << 16)
def cjk_person(name: str) -> bool:
    """A name written in Han, Hangul or kana alone, two to four characters after legal forms and generic
    terms are taken out, with no legal form or generic word: a person's family and given name. Five or
    six Han characters too when they split into a Japanese family name of two characters or more and a
    given name the name data (JMnedict's rare names included) lists (佐々木美咲, 長谷川陽翔, 神明前亜雄)."""
    text = "".join(name.split())
    if not text or len(text) > 8 or not _CJK_WORD.match(text) or not scripts(text):
        return False
    if _HANGUL_APART.match(name.strip()) and not korean_order(name):
        return False  # Hangul words that make no Korean name (코피 아난): a foreign name in loan spelling
    simplified = to_simplified(text)
    if any(term in simplified for term, _ in terms().han_terms):
        return False
    n = len(cjk_chars(text))
    if n in (5, 6) and _HAN.match(text):
        from exportctl.engine.screening.ja_names import splits

        return any(len(family) >= 2 for family, _given in splits(text, rare=True))
    return 2 <= n <= 4


def whole_name(
    scored: Scored,
    listed: Sequence[str],
    entity: bool,
    hangul: str = "",
    family: frozenset[str] = frozenset(),
) -> Scored:
    """A CJK person name scored as one name: 0 against an organisation, or when one of its syllables (or a
    listed name word) is left unaligned or aligned poorly (a single shared character is not evidence).
    `hangul`: the query's Hangul syllables, when the listed name is in Latin letters: each must be spelt by
    the listed name as that very syllable (`korean.spelt_by`). A Han name the listed words read as a
    Japanese name (`japanese_read`) keeps at least that reading's score. `family`: the listed name's
    family-name words, when it marks them (`korean.spelt_by`)."""
    reading = None
    if not entity and hangul:
        reading = japanese_read(hangul, tuple(listed)) if _HAN.match(hangul) else None
        reading = reading or korean_spelt(hangul, tuple(listed), family)
    light = terms().light
    # A short given name can read as a legal form on both sides (Yu, Na: llc, fin); only a listed one the
    # query's reading does not share makes the listed name an organisation's.
    shared = {p.listed for p in scored.parts if p.listed in light and p.query == p.listed}
    reason = ""
    if entity or any(tok in light and tok not in shared for tok in listed):
        reason = "person name against an organisation"
    elif any(p.query and (not p.listed or p.sim < WHOLE_SIM) for p in scored.parts):
        reason = "part of the name unmatched"
    elif any(p.listed and not p.query and len(p.listed) > 1 for p in scored.parts):
        reason = "listed name longer"
    elif hangul and hangul_person(hangul) and not spelt_by(hangul, listed, family):
        reason = "a Korean syllable spelt as another"
    elif hangul and (read := korean_read(hangul, scored)) and not spelt_by(read, listed, family):
        reason = "a Korean syllable spelt as another"  # a name in hanja scored in its Korean reading
    if reading is not None and (reason or reading.score > scored.score):
        return reading
    if not reason:
        return scored
    return Scored(0.0, scored.parts, (*scored.factors, (f"whole name: {reason}", 0.0)))


JAPANESE_READ = 0.9  # a Han name whose family and given name the listed words read (ja_names.read_as)
_HANGUL_APART = re.compile(r"^[\uac00-\ud7a3]+(?:\s+[\uac00-\ud7a3]+)+$")  # Hangul words, apart
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]+$")


@lru_cache(maxsize=1 << 16)  # a query's forms meet the same listed names: one reading each
def japanese_read(han: str, listed: tuple[str, ...]) -> Scored | None:
    """A Han person name the listed Latin words read as a Japanese name, family and given name each in a
    reading of its own (佐藤陽翔 / Haruto Sato): scored JAPANESE_READ; None when they do not."""
    from exportctl.engine.screening.ja_names import read_as
    from exportctl.engine.screening.japanese import _to_japanese

    # The characters come simplified (`cjk_chars`); the name data lists simplified forms too, and OpenCC's
    # way back to Japanese forms can err (映里 -> 映裏): both are tried.
    if not read_as(han, listed) and not read_as(_to_japanese(han), listed):
        return None
    parts = tuple(Part(t, t, 1.0, 1.0 / len(listed), 0.0) for t in listed)
    return Scored(JAPANESE_READ, parts, (("read as a Japanese name", JAPANESE_READ),))


KOREAN_READ = 0.9  # a Korean name (Hangul, or hanja in its Korean reading) the listed words spell


@lru_cache(maxsize=1 << 16)  # a query's forms meet the same listed names: one reading each
def korean_spelt(chars: str, listed: tuple[str, ...], family: frozenset[str] = frozenset()) -> Scored | None:
    """A Korean person name (Hangul, or Han read in Korean) whose every syllable the listed Latin words
    spell as its own, in a system or a spelling names take (Yoon Suk-yeol, Park Chung-hee): scored
    KOREAN_READ; None when they do not. `family`: the listed name's family-name words (`korean.spelt_by`)."""
    from exportctl.engine.screening.sino_korean import hangul_readings

    if any(tok in terms().light for tok in listed):
        return None  # a legal form (Sa, In read as jsc, llc) spells a syllable only as a last resort
    readings = [chars] if hangul_person(chars) else hangul_readings(chars) if _HAN.match(chars) else []
    if not any(spelt_by(h, listed, family) for h in readings):
        return None
    parts = tuple(Part(t, t, 1.0, 1.0 / len(listed), 0.0) for t in listed)
    return Scored(KOREAN_READ, parts, (("read as a Korean name", KOREAN_READ),))


@lru_cache(maxsize=1 << 12)
def _korean_forms(han: str) -> tuple[tuple[frozenset[str], str], ...]:
    """(tokens, Hangul) of each romanised Korean reading of a Han name (`translit.korean_forms`)."""
    return tuple((frozenset(normalise(text)), hangul) for text, hangul in korean_forms(han))


def korean_read(han: str, scored: Scored) -> str:
    """The Hangul reading of a Han name whose romanisation the scored query tokens are, else ""."""
    tokens = {t for p in scored.parts for t in p.query.split("+") if t}
    return next((hangul for toks, hangul in _korean_forms(han) if toks == tokens), "")


HAN_SYLLABLE_SIM = 0.8  # a pinyin syllable of a Han name aligns at least this well (a near syllable is
# another character: dong / song, fang / feng)


@lru_cache(maxsize=1 << 12)
def wade_giles(syllable: str) -> str:
    """A pinyin syllable in Wade-Giles as names write it, without apostrophes or umlaut (zhang -> chang,
    xu -> hsu, rong -> jung): pypinyin's own table."""
    from pypinyin.style.wadegiles import to_wade_glides

    return re.sub(r"[^a-z]", "", to_wade_glides(syllable).replace("v", "u").replace("ü", "u"))


def same_syllable(query: str, listed: str, sim: float) -> bool:
    """Whether a listed word met by a pinyin syllable of a Han name spells that syllable: equal, its
    Wade-Giles spelling, or a spelling of the same name in rigour's name data (Chen / Chan, Wang / Wong),
    aligned at HAN_SYLLABLE_SIM or better. A near spelling alone (zhang / zhuang, jian / jiang, cheng /
    chen) is another syllable, so another character. Joined syllables keep the similarity rule."""
    if sim >= 1.0:
        return True
    if sim < HAN_SYLLABLE_SIM:
        return False
    if "+" in query or "+" in listed:
        return True
    from exportctl.engine.screening.variants import are_variants

    return wade_giles(query) == listed or are_variants(query, listed)


def han_syllables(scored: Scored) -> Scored:
    """A name written in Han, scored in pinyin: 0 when one of its syllables met a listed word that does not
    spell it (`same_syllable`)."""
    if all(same_syllable(p.query, p.listed, p.sim) for p in scored.parts if p.query and p.listed):
        return scored
    return Scored(0.0, scored.parts, (*scored.factors, ("Han syllable met another syllable", 0.0)))


def abjad_words(name: str) -> tuple[str, ...]:
    """The words of a name written in Arabic or Hebrew script alone (format characters dropped), else ()."""
    words = tuple(w for w in (_ABJAD_WORD.findall(name) if not name.isascii() else ()) if w)
    return words if words and not _LATIN.search(name) else ()


def abjad_score(query: tuple[str, ...], listed: tuple[str, ...]) -> Scored | None:
    """Both names in an abjad: their words compared letter for letter as well (عارف / آصف romanise to
    near spellings but are two names); None when either side is not such a name."""
    if not query or not listed:
        return None
    scored = score_tokens(query, listed, lambda _t: 1.0, lambda _t: True)
    return Scored(scored.score, scored.parts, (("written words", scored.score),))


_ABJAD_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u0590-\u05ff]+")
_LATIN = re.compile(r"[A-Za-z]")


def explain_form(text: str, name: str, explanation: str) -> str:
    """An explanation, prefixed with the romanised form it was scored in when that is not the name."""
    return explanation if text == name else f"as {text.strip()!r}: {explanation}"


__all__ = ["Part", "cjk_person", "explain_form", "han_syllables", "query_forms", "whole_name"]
