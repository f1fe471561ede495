"""Name normalisation: one spelling per name, as a tuple of tokens.

Case folding, NFKC, control characters, legal forms (rigour's org-type database, generic mode: "Co., Ltd.",
"GmbH", "ООО" all become `llc`), Chinese (traditional to simplified with OpenCC, generic terms and legal
forms from terms.yml, the rest to pinyin syllables), every other script through anyascii, punctuation and
spacing. Numbers are never dropped; number words and roman numerals become digits.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from anyascii import anyascii
from pypinyin import lazy_pinyin
from rigour.names.org_types import replace_org_types_compare

from exportctl.engine.screening.places import join_places
from exportctl.engine.screening.terms import terms

MAX_NAME_CHARS = 1000  # longer "names" are not names: they screen to nothing (ops reports an error)
MAX_TOKENS = 40

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KANA = re.compile(r"[\u3040-\u30ff]")
_DROP = re.compile(r"[.'`´‘’ʼʻ]")  # "A.B.C." -> abc, "Qa'ida" -> qaida
# An apostrophe inside a word, as transliterations of Russian write the soft and hard signs ("Il'in",
# "Ignat`ev", "Vorob’yev", ISO 9 "Ilʹin"): the word stays one word before the legal forms are read, so its
# pieces are never read as legal forms ("IN" is one, "EV" another: "Il'in" is not "Il LLC").
_INWORD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['`´‘’ʼʻʹʺ](?=[^\W\d_])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LETTERS_DIGITS = re.compile(r"^[a-z]+\d+$|^\d+[a-z]+$")
# "o.O.O.", "z.a.o.": a dotted legal form that the org-type data knows only undotted ("ooo", "zao").
_DOTTED = re.compile(r"(?<![\w.])(?:[^\W\d_]\.){2,}(?!\w)")
# "M&P", "AT&T": letters joined by an ampersand are one word, not initials
_AMP_INITIALS = re.compile(r"\b([^\W\d_]{1,2})\s?&\s?(?=[^\W\d_]{1,2}\b)")
_ROMAN_TWO = re.compile(r"(?<![\w.])ii(?![\w.])")  # rigour's data reads a lone "II" as a legal form

_converter: Any = None


def _t2s(text: str) -> str:
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return str(_converter.convert(text))


def to_simplified(text: str) -> str:
    """Traditional Chinese to simplified (OpenCC t2s); other text unchanged."""
    return _t2s(text) if _HAN.search(text) else text


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# The iteration mark repeats the character before it (佐々木 is 佐佐木, as Chinese text writes the name).
_ITERATION = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])\u3005")


@lru_cache(maxsize=1 << 16)
def cjk_chars(name: str) -> str:
    """The Han, kana and Hangul characters of a name (simplified, the iteration mark written out: 佐佐木;
    legal forms and generic terms taken out), or "" when it has none. Romanised, 高市 and 高石 are both
    "gao shi": the characters differ."""
    if not name or len(name) > MAX_NAME_CHARS or _CJK.search(name) is None:
        return ""
    text = _t2s(_ITERATION.sub(lambda m: m.group(1) * 2, unicodedata.normalize("NFKC", name)))
    for term, _canonical in terms().han_terms:
        if term in text:
            text = text.replace(term, " ")
    return "".join(_CJK.findall(text))


def has_han(text: str) -> bool:
    """True when the text holds Chinese characters."""
    return _HAN.search(text) is not None


# Format characters (soft hyphen, zero-width, bidi marks) vanish inside words; controls, lone surrogates
# from undecodable bytes, private-use characters and line separators split words.
_FORMAT = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_SPLIT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ue000-\uf8ff]")


def _clean_chars(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text
    text = _FORMAT.sub("", text)
    text = _SPLIT.sub(" ", text)
    # Anything else of category Cf that the pattern above does not name.
    if not text.isprintable():
        text = "".join(ch for ch in text if ch.isprintable() or ch == " " or unicodedata.category(ch) != "Cf")
    return text


def _han_to_latin(text: str) -> str:
    text = _t2s(text)
    for term, canonical in terms().han_terms:
        if term in text:
            text = text.replace(term, f" {canonical} ")
    return _HAN_RUN.sub(lambda m: " " + " ".join(join_places(lazy_pinyin(m.group()))) + " ", text)


@lru_cache(maxsize=1)
def _pinyin_terms() -> dict[tuple[str, ...], str]:
    """The Han terms spelt in pinyin ("you xian gong si" -> llc), so romanised Chinese names meet too."""
    out: dict[tuple[str, ...], str] = {}
    for term, canonical in terms().han_terms:
        syllables = tuple(lazy_pinyin(term))
        if len(syllables) >= 2:
            out.setdefault(syllables, canonical)
            out.setdefault(("".join(syllables),), canonical)
    return out


@lru_cache(maxsize=1)
def _pinyin_starts() -> frozenset[str]:
    return frozenset(key[0] for key in _pinyin_terms())


def _pinyin(tokens: list[str]) -> list[str]:
    starts = _pinyin_starts()
    if not any(t in starts for t in tokens):
        return tokens
    table = _pinyin_terms()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in starts:
            out.append(tokens[i])
            i += 1
            continue
        for size in (7, 6, 5, 4, 3, 2, 1):
            seq = tuple(tokens[i : i + size])
            if len(seq) == size and seq in table:
                out.extend(table[seq].split())
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _numbers(tokens: list[str]) -> list[str]:
    nums = terms().numbers
    out: list[str] = []
    for tok in tokens:
        digit = nums.get(tok)
        if digit is None:
            out.append(tok)
            continue
        # "forty four" -> 44: a tens word followed by a units word is one number.
        if out and out[-1].isdigit() and len(out[-1]) == 2 and out[-1].endswith("0") and len(digit) == 1:
            out[-1] = str(int(out[-1]) + int(digit))
        else:
            out.append(digit)
    return out


# Look-alike characters inside a name word ("Techn0l0gies", "Hu@wei", "5iemens") are the letters they
# stand for; pure numbers stay numbers, and so does a run of two digits or more at a word's edge ("MiG29").
_LOOKALIKE = dict(zip("0134578@$!", "oleastbasi", strict=True))
_LOOK_CHARS = "0134578@$!"
_LOOK_NEAR = re.compile(rf"[a-z][{re.escape(_LOOK_CHARS)}]|[{re.escape(_LOOK_CHARS)}][a-z]")
_LOOK_WORD = re.compile(r"[a-z0-9@$!]*[a-z][a-z0-9@$!]*")
_EDGE_DIGITS = re.compile(r"^(\d*)(.*?)(\d*)$", re.S)
_EDGE_SYMBOLS = "@$!"
MIN_FOLD_LETTERS = 2  # a word with fewer letters is a code ("3M", "X5", "F16"), never folded


def fold_lookalikes(word: str) -> str:
    """A word with the digits and symbols that stand for letters inside it folded to those letters."""
    letters = sum(1 for ch in word if "a" <= ch <= "z")
    if letters < MIN_FOLD_LETTERS:
        return word
    # a symbol at a word's edge is punctuation ("Photonics!", "@acme"), not a letter
    core = word.strip(_EDGE_SYMBOLS)
    lead, trail = word[: len(word) - len(word.lstrip(_EDGE_SYMBOLS))], word[len(word.rstrip(_EDGE_SYMBOLS)) :]
    if lead or trail:
        return lead + fold_lookalikes(core) + trail if core else word
    m = _EDGE_DIGITS.match(word)
    assert m is not None
    head, body, tail = m.groups()
    # a single digit at an edge stands for a letter ("5iemens", "Huawe1"); a longer run is a number
    if len(head) == 1 and letters >= 3:
        body, head = head + body, ""
    if len(tail) == 1 and letters >= 3:
        body, tail = body + tail, ""
    return head + "".join(_LOOKALIKE.get(ch, ch) for ch in body) + tail


def _fold_word(m: re.Match[str]) -> str:
    return fold_lookalikes(m.group())


@lru_cache(maxsize=1 << 18)
def normalise(name: str) -> tuple[str, ...]:
    """The token tuple of one name (empty for names with nothing to match on)."""
    if not name or len(name) > MAX_NAME_CHARS:
        return ()
    if not name.isascii():
        name = unicodedata.normalize("NFKC", name)
    text = _clean_chars(name).casefold()
    # look-alikes first: "a!na" is the word "aina", not "a" and the legal form "N.A."
    if _LOOK_NEAR.search(text):
        text = _LOOK_WORD.sub(_fold_word, text)
    if "ii" in text:
        text = _ROMAN_TWO.sub("2", text)
    if "&" in text:
        text = _AMP_INITIALS.sub(r"\1", text)
    text = join_apostrophes(text)
    text = replace_org_types_compare(text, generic=True)
    if "." in text and _DOTTED.search(text):
        undotted = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
        text = replace_org_types_compare(undotted, generic=True)
    if _HAN.search(text) and not _KANA.search(text):
        # Again after pinyin: a romanised spelling of the same name goes through the same mapping
        # (pinyin "zao" reads as ЗАО on both sides, so Han and its pinyin still meet).
        text = replace_org_types_compare(_han_to_latin(text), generic=True)
    if not text.isascii():
        text = anyascii(text).lower()
    text = _NON_ALNUM.sub(" ", _DROP.sub("", text))
    tokens = _repair_legal(_numbers(_pinyin(text.split())))
    if "s" in tokens:
        tokens = _drop_legal_preposition(tokens)
    tokens = [_generic(t) for t in tokens]
    return tuple(tokens[:MAX_TOKENS])


def join_apostrophes(text: str) -> str:
    """The text with each apostrophe inside a word left out ("Il'in" -> "Ilin", "Sa'id" -> "Said"), as it is
    before any legal-form reading."""
    return _INWORD_APOSTROPHE.sub("", text) if not text.isalnum() else text


def _drop_legal_preposition(tokens: list[str]) -> list[str]:
    """The "s" of "Obshchestvo s Ogranichennoi Otvetstvennostyu" when a typo left the phrase unmapped."""
    words = terms().legal_words
    return [
        t
        for i, t in enumerate(tokens)
        if t != "s" or not (0 < i < len(tokens) - 1 and tokens[i - 1] in words and tokens[i + 1] in words)
    ]


def _repair_legal(tokens: list[str]) -> list[str]:
    """A legal form broken by a typo ("Joint Stok Company"): fix the near word and map the phrase again."""
    words = terms().legal_words
    forms = terms().legal_forms
    if not any(t in words or t in forms for t in tokens):
        return tokens
    fixed = list(tokens)
    changed = False
    for i, tok in enumerate(tokens):
        if tok in words or tok.isdigit():
            continue
        word = near_legal_word(tok)
        if word is not None:
            fixed[i] = word
            changed = True
    if not changed:
        return tokens
    return replace_org_types_compare(" ".join(fixed), generic=True).split()


@lru_cache(maxsize=1 << 16)
def near_legal_word(tok: str) -> str | None:
    """The legal-form word `tok` is, or is one edit from ("stok" -> "stock"; "cubic" is not "public")."""
    from rapidfuzz.distance import OSA

    if tok in terms().legal_words:
        return tok
    if len(tok) < 4:
        return None
    ends = legal_ends()
    if len(tok) > 5 and tok[:2] not in ends and tok[-2:] not in ends:
        return None  # one edit leaves the first or the last two letters of a longer word as they were
    table = legal_deletes()
    near = sorted(
        {w for p in (tok, *(tok[:j] + tok[j + 1 :] for j in range(len(tok)))) for w in table.get(p, ())}
    )
    return next((w for w in near if OSA.distance(tok, w, score_cutoff=1) <= 1), None)


@lru_cache(maxsize=1)
def legal_ends() -> frozenset[str]:
    """The first two and the last two letters of each legal-form word (a quick filter for near words)."""
    return frozenset(e for w in terms().legal_words for e in (w[:2], w[-2:]))


@lru_cache(maxsize=1)
def legal_deletes() -> dict[str, tuple[str, ...]]:
    """Legal-form words by themselves and each of their one-letter deletions (symmetric-delete lookup)."""
    out: dict[str, set[str]] = {}
    for word in terms().legal_words:
        for d in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            out.setdefault(d, set()).add(word)
    return {d: tuple(sorted(ws)) for d, ws in out.items()}


@lru_cache(maxsize=1)
def _generic_deletes() -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for key in terms().generic:
        if len(key) >= 5:
            for d in {key, *(key[:i] + key[i + 1 :] for i in range(len(key)))}:
                out.setdefault(d, set()).add(key)
    return {d: tuple(sorted(keys)) for d, keys in out.items()}


@lru_cache(maxsize=1 << 16)
def _generic(tok: str) -> str:
    """The canonical generic word of a token, also for a one-edit misspelling ("Indsutries")."""
    generic = terms().generic
    hit = generic.get(tok)
    if hit is not None or len(tok) < 6 or not tok.isalpha():
        return hit or tok
    from rapidfuzz.distance import OSA

    table = _generic_deletes()
    for probe in (tok, *(tok[:i] + tok[i + 1 :] for i in range(len(tok)))):
        for key in table.get(probe, ()):
            # Typos rarely touch the first letter: "Toptics" is a name, not "optics".
            if key[0] == tok[0] and OSA.distance(tok, key, score_cutoff=1) <= 1:
                return generic[key]
    return tok


def name_key(tokens: tuple[str, ...]) -> str:
    """The exact-match key of a token tuple."""
    return " ".join(tokens)


# -- CSL name cleaning --------------------------------------------------------------------------------

_SUCCESSOR = re.compile(r"[;,]?\s*(?:and|including)\s+any\s+successors?\b.*$", re.IGNORECASE)
_AKA = re.compile(
    r"\s*[;,]?\s*\b(?:a\.?k\.?a\.?|f\.?k\.?a\.?|d\.?b\.?a\.?|also known as|formerly known as)\s+",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\(([^()]*)\)")
_SPECIAL = re.compile(
    r"[;(/]|\b(?:a\.?k\.?a|f\.?k\.?a|d\.?b\.?a|also known|formerly known|successor)", re.IGNORECASE
)
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9&\-.]{1,11}$")


def split_listed_name(name: str) -> tuple[str, list[str]]:
    """Clean one listed name: (name, aliases found inside it).

    Drops "and any successor, sub-unit, or subsidiary thereof", splits "a.k.a." and ";" alternatives
    into aliases, and turns a parenthesised acronym ("... INC. (SSI)") or "(a.k.a. X)" into an alias.
    """
    if _SPECIAL.search(name) is None:
        return " ".join(name.split()), []
    text = _SUCCESSOR.sub("", name.strip()).strip(" ;,")
    aliases: list[str] = []

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        aka = _AKA.match(" " + inner)
        if aka:
            aliases.append(inner[aka.end() - 1 :].strip())
            return " "
        if _ACRONYM.match(inner) and inner.lower().strip(".") not in terms().legal_forms:
            aliases.append(inner)
            return " "
        return m.group(0)

    text = _PAREN.sub(paren, text)
    # "Al-Qa'ida/Islamic Army": a slash between two words of 3+ letters separates alternatives ("A/S" stays).
    parts = [p.strip(" ;,") for p in re.split(r";|(?<=[^\W\d_]{3})\s*/\s*(?=[^\W\d_]{3})", text)]
    pieces: list[str] = []
    for part in parts:
        pieces.extend(s.strip(" ;,") for s in _AKA.split(part))
    pieces = [" ".join(p.split()) for p in pieces if p.strip(" ;,")]
    if not pieces:
        return " ".join(name.split()), aliases
    return pieces[0], pieces[1:] + [" ".join(a.split()) for a in aliases if a.strip()]


def clear_normalise_caches() -> None:
    """Forget the memoised names and tokens (a benchmark's cold start)."""
    normalise.cache_clear()
    cjk_chars.cache_clear()
    near_legal_word.cache_clear()
    _generic.cache_clear()


def family_span(text: str, tokens: tuple[str, ...]) -> int:
    """Where a listed person's family name is: k > 0 for the first k words ("LAST, First"), -1 for the last
    word of "First Middle Last", 0 when unknown: shorter names (a replaced word counts anyway), longer
    ones and names with particles (Arabic and Afghan name chains), names of short syllables only (Korean
    and Chinese names put the family first)."""
    if "," in text:
        head = normalise(text.split(",", 1)[0])
        return len(head) if head and len(head) < len(tokens) and tokens[: len(head)] == head else 0
    if len(tokens) != 3 or all(len(t) <= 3 for t in tokens) or any(t in terms().particles for t in tokens):
        return 0
    return -1


def family_of(tokens: tuple[str, ...], span: int) -> frozenset[str]:
    """The family-name words a `family_span` points at."""
    if span > 0:
        return frozenset(tokens[:span])
    return frozenset(tokens[-1:]) if span < 0 else frozenset()
