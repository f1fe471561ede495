"""A company name that is a legal form and one word (issue #12): weak evidence on that word alone.

"OOO Alfa", "Vega LLC", "유한회사 네오", "شركة كان" name a company by one word beside a legal
form. Many listed companies share such a word (EKO SHIPPING LLC, NEO SHIPPING INC., HANA ELECTRONICS), so
a clean company of that one word meets them although nothing else of their names is there. Two kinds of
pair then say little:

- `part_of_listed`: the query is a legal form and one name word, which meets one word of a listed
  organisation's name, and the listed name goes on with other words the query lacks (not legal forms:
  "Shipping", "Electronics", a name); the word is weak (WEAK_LEN letters or fewer, NEAR_LEN or fewer met
  only by a near spelling, a given or family name ranked somewhere: `score.common_weight` below 1, an
  everyday word: `common_word`, unless the listed name goes on with a distinctive word, or a place of
  the gazetteer: `places.place_words`). "Eko LLC" / EKO
  SHIPPING LLC, "ЗАО «Костин»" / COSTIN SHIPPING LIMITED, "Mission LLC" / MISSION COMMUNICATIONS,
  LLC. A distinctive word keeps its weight: "Huawei Co., Ltd." / HUAWEI TECHNOLOGIES CO., LTD.,
  "شركة هيكفيجن" / Hangzhou Hikvision Digital Technology. An everyday word of NEAR_LEN letters or
  fewer met only by a near spelling is another word, whatever the listed name holds ("Cause Ltd" / CASUE).
  A reading from another script whose vowels are unwritten or guessed (`vowels_guessed`: an abjad's
  skeleton, a foreign name read back, a Cyrillic or Greek word in one of its standards) that differs from
  the listed word in vowels alone (`vowels_apart`: inside the word for an abjad, which writes a final long
  vowel; spelt otherwise, none added or dropped, for an alphabet) is met by the spelling it is expected to
  have, not by a near one: "شركة هواوي" 'huawi' / HUAWEI TECHNOLOGIES keeps its weight as "Huawei Co.,
  Ltd." does; "شركة هامش" 'hamch' / HAMCHO INTERNATIONAL, "ОАО «Пасть»" 'past' / PASIT do not.
- `read_short_word`: the query, a legal form and one name word, is written in a script whose reading is
  a guess (Arabic, Hebrew, Hangul, Han, kana, Thai: `weak.NO_INITIALS`; Cyrillic reads letter for
  letter, "ЗТЕ Корпорейшн" is ZTE Corporation), and its word reads as READ_TINY letters or fewer
  (스타 'sta', 에코 'eko', a vowel-less كان 'kn'), or as READ_SHORT letters or fewer met
  only by a near spelling (below READ_NEAR_ONLY, or any for a vowel-less skeleton: 미래 'mirae' /
  MIRA, シュガー 'shuga' / SHOGA, أحدث 'hdth' / AL-HADITH; "شركة هواوي" 'huawi' / Huawei 0.95 is
  Huawei), or as READ_LONG letters or fewer met at less than
  READ_NEAR: a reading of a short word spells many unrelated Latin names. A name in Latin letters keeps
  its exact short words ("STA LLC" / LLC STA).

Both multiply the score by ONE_WORD, named in the explanation. Neither touches a personal name (no legal
form on the query's side) or a name of two name words or more (Zhejiang Dahua Technology, "شركة
هواوي تكنولوجيز"). The functions read the tokens and the aligned parts of a scored pair only.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from exportctl.engine.screening.places import place_words
from exportctl.engine.screening.readings import reads_of, vowelled_of
from exportctl.engine.screening.terms import name_rank, terms

ONE_WORD = 0.65  # what a pair on a company's one weak word keeps: 1.0 falls below the 0.7 threshold
WEAK_LEN = 4  # a word this short is shared by many companies (Eko, Neo, Hana, Alfa, Vega)
NEAR_LEN = 6  # a word this short met only by a near spelling is as often another word (Fedorov / Fedorovo)
READ_TINY = 3  # a reading this short is weak even when exact (스타 'sta', كان 'kn')
READ_SHORT = 5  # a reading this short met only by a near spelling is another word (미래 'mirae' / Mira)
READ_NEAR_ONLY = 0.9  # a vowelled reading this alike or more is a spelling of the word, not another
_VOWELS = frozenset("aeiou")
READ_NEAR = 0.75  # and a reading of READ_LONG letters or fewer met less alike than this
READ_LONG = 7  # (네오바이오 'neobaio' / NEOBIT 0.71, 가람에너지 'kramnji' / KREMNI 0.71)


COMMON_WORDS_FILE = Path(__file__).with_name("common_words.tsv.gz")  # scripts/build_common_words.py


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    with gzip.open(COMMON_WORDS_FILE, "rt", encoding="utf-8") as fh:
        return frozenset(line.split("\t", 1)[0] for line in fh if line and not line.startswith("#"))


def common_word(word: str) -> bool:
    """An everyday English or Russian word (wordfreq Zipf 4 or more: mission, space, kosmos, struktura),
    in Latin letters (`common_words.tsv.gz`)."""
    return word in _common_words()


INFLECTIONS = frozenset({"s", "es"})  # endings that leave a word itself (Holdings / Holding, Stars / Star)


def longer_word(query: str, listed: str) -> bool:
    """The query word is an everyday word (`common_word`) that is the listed word, which is none, with
    letters added at its end that are no inflection (Samsung / SAMSUN, a Turkish port; Century / Centur):
    another word spelt right, not a spelling of the listed one. Not when either is a given or family name
    somewhere (`terms.name_rank`): Daniel / Dani is a name and its short form."""
    if "+" in query or "+" in listed or len(query) <= len(listed) or not query.startswith(listed):
        return False
    if query[len(listed) :] in INFLECTIONS or not common_word(query) or common_word(listed):
        return False
    return not name_rank(query) and not name_rank(listed)


def org_word_left(parts: Sequence[Any]) -> bool:
    """A query word left unaligned that names what an organisation does, a generic word ("Electronics",
    "Trading"); a legal form alone is not one ("NAVIS 6 LLC" is as often the one ship's owning company)."""
    t = terms()
    return any(
        p.query
        and not p.listed
        and p.query in t.generic_words
        and p.query not in t.legal_forms
        and p.query not in t.legal_words
        and p.query not in t.particles
        for p in parts
    )


_UNWRITTEN = frozenset("aeiouy")  # letters a reading writes for vowels (y: Cyrillic й, ы; Arabic ي)


def vowels_guessed(marks: frozenset[str], token: str) -> str:
    """How a query token (each token of a join "a+b") is read from a script whose vowels a Latin spelling
    cannot be told from (`readings.Marks`): "abjad" for a skeleton of Arabic, Persian or Hebrew, which write
    no short vowels, or a foreign name read back from Arabic script, kana, Hangul or Han, whose vowels the
    reading guesses; "alphabet" for a word of Cyrillic or Greek, whose romanisation standards spell its
    vowels apart; "" for neither."""
    toks = token.split("+") if token else []
    if toks and all(t in marks or reads_of(marks, t) for t in toks):
        return "abjad"
    if toks and all(vowelled_of(marks, t) for t in toks):
        return "alphabet"
    return ""


def _shape(word: str) -> tuple[str, tuple[bool, ...]]:
    """A word's consonants in order (a letter doubled in place once: the scripts read here write no doubled
    consonant, shadda and dagesh are marks) and, for each gap before, between and after them, whether a
    vowel stands there."""
    cons: list[str] = []
    gaps = [False]
    for i, ch in enumerate(word):
        if ch in _UNWRITTEN:
            gaps[-1] = True
        elif i == 0 or word[i - 1] != ch:
            cons.append(ch)
            gaps.append(False)
    return "".join(cons), tuple(gaps)


def consonants(word: str) -> str:
    """A word's consonants in order, a letter doubled in place written once."""
    return _shape(word)[0]


def vowels_apart(reading: str, listed: str, kind: str = "abjad") -> bool:
    """Two words that differ in their vowels alone, as a reading of `kind` (`vowels_guessed`) may: the same
    consonants in the same order, neither without any; an abjad leaves vowels inside a word unwritten but
    writes a final long one (huawi / huawei, not hamch / Hamcho), an alphabet writes every vowel and its
    standards only spell them otherwise (kostyn / kostin, not past / Pasit)."""
    a, ga = _shape(reading.replace("+", ""))
    b, gb = _shape(listed.replace("+", ""))
    if not a or a != b:
        return False
    return ga == gb if kind == "alphabet" else ga[-1] == gb[-1]


def read_spelling(marks: frozenset[str], query: str, listed: str) -> bool:
    """Whether a query word is a reading whose vowels are guessed (`vowels_guessed`) and it, or a Latin
    reading it stands for (`readings.reads_of`: a Hebrew ו read o, u, v or w), differs from the listed word
    in vowels alone (`vowels_apart`): the listed word is its expected spelling, not a near one."""
    kind = vowels_guessed(marks, query)
    if not kind:
        return False
    spellings = [query, *(r for r in reads_of(marks, query) if r.isascii())]
    return any(vowels_apart(s, listed, kind) for s in spellings)


def _legal(tok: str) -> bool:
    t = terms()
    return (
        tok in t.legal_forms
        or tok in t.legal_words
        or tok in t.particles
        or (len(tok) <= 1 and not tok.isdigit())
    )


def _has_legal_form(toks: Sequence[str]) -> bool:
    t = terms()
    return any(tok in t.legal_forms or tok in t.legal_words for tok in toks)


def _only_name_word(parts: Sequence[Any], identity: Callable[[str], bool]) -> Any | None:
    """The aligned part of the query's one name word (a join counts as one), or None when the query has
    another name word or its name word aligned with nothing."""
    named = [p for p in parts if p.query and any(identity(t) for t in p.query.split("+"))]
    if len(named) != 1 or not named[0].listed or named[0].sim <= 0.0:
        return None
    if not named[0].query.replace("+", "").isalpha():
        return None  # a number is an identifier, not a word ("DA 22" / DA GROUP 22)
    return named[0]


def _form_on_a_name(parts: Sequence[Any]) -> bool:
    """A query legal form of two letters aligned with a listed word that is none (Khmer 'pt' / Pol Pot):
    a reading's syllable, no company (LLC / JVC is a company's form met by a near one)."""
    return any(
        p.query and p.listed and len(p.query) <= 2 and _legal(p.query) and not _legal(p.listed) for p in parts
    )


def part_of_listed(
    q: Sequence[str],
    lt: Sequence[str],
    parts: Sequence[Any],
    identity: Callable[[str], bool],
    common: Callable[[str], float],
    marks: frozenset[str] = frozenset(),
) -> bool:
    """The query is an organisation's name of one weak name word that meets only part of a listed
    organisation's name (see the module docstring); `common`: `score.common_weight`; `marks`: the query's
    (`readings.Marks`), which say whether its word is a reading whose vowels are guessed."""
    if not _has_legal_form(q):
        return False
    p = _only_name_word(parts, identity)
    if p is None:
        return False
    if any(t not in p.query.split("+") and not _legal(t) for t in q):
        return False  # the query names more than its one word ("Mahan Aviation")
    if _form_on_a_name(parts):
        return False
    word = p.query.replace("+", "")
    # a reading that differs from the listed word in vowels alone is that word's expected spelling
    near = p.sim < 1.0 and not read_spelling(marks, p.query, p.listed)
    if near and common_word(word) and len(word) <= NEAR_LEN:
        # an everyday short word spelt right is not a misspelling of another ("Cause" / CASUE); a longer
        # one may be a brand the frequency lists carry (gazprom, from Russian news: "OAO Gazprom" / GASPROM)
        return True
    aligned = {w for part in parts if part.query and part.listed for w in part.listed.split("+")}
    extra = [t for t in lt if t not in aligned and not _legal(t)]
    if not extra:
        return False
    size = max(len(word), len(p.listed.replace("+", "")))
    # An everyday word counts as weak only beside generic words, everyday words and places (MISSION
    # COMMUNICATIONS, BANK ACCEPT, XINJIANG FINANCIAL IMPORT AND EXPORT): a listed name that goes on with a
    # distinctive word is met by its everyday word when that word is left out ("Vostochnaya JSC" /
    # VOSTOCHNAYA VERF JSC), as a list's own short form of it
    places = place_words()
    distinct = [t for t in extra if identity(t) and not common_word(t) and t not in places]
    everyday = not distinct and (common_word(word) or common_word(p.listed.replace("+", "")))
    return size <= WEAK_LEN or (near and size <= NEAR_LEN) or common(word) < 1.0 or everyday or word in places


def read_short_word(parts: Sequence[Any], identity: Callable[[str], bool]) -> bool:
    """The query, written in another script and read, is an organisation's name whose one name word reads
    short (see the module docstring)."""
    if not any(p.query and p.query in terms().light for p in parts):
        return False
    p = _only_name_word(parts, identity)
    if p is None:
        return False
    if _form_on_a_name(parts):
        return False
    if any(part.query and part is not p and not _legal(part.query) for part in parts):
        return False  # the query names more than its one word (شركة هواوي تكنولوجيز)
    word = p.query.replace("+", "")
    size = len(word)
    # a vowelled loan reading meets its brand's spelling at 0.95 ("شركة هواوي" 'huawi' / Huawei); a
    # vowel-less skeleton that close is as often another word (أحدث 'hdth' / AL-HADITH)
    near = p.sim < READ_NEAR_ONLY or _VOWELS.isdisjoint(word)
    return (
        size <= READ_TINY
        or (p.sim < 1.0 and near and size <= READ_SHORT)
        or (p.sim < READ_NEAR and size <= READ_LONG)
    )
