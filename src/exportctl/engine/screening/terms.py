"""The matcher's word lists (terms.yml), loaded once: legal forms, generic words, particles, numbers, Han."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TERMS_FILE = Path(__file__).with_name("terms.yml")


@dataclass(frozen=True)
class Terms:
    """Word classes that change how a token weighs or how it is spelt."""

    legal_forms: frozenset[str]
    legal_words: frozenset[str]
    generic: dict[str, str]  # variant -> canonical generic word
    generic_words: frozenset[str]  # canonical generic words
    particles: frozenset[str]
    numbers: dict[str, str]  # number word / ordinal / roman numeral -> digits
    han_terms: tuple[tuple[str, str], ...]  # longest first
    japanese_forms: tuple[str, ...] = ()
    legal: frozenset[str] = frozenset()  # legal forms and legal-form words
    light: frozenset[str] = frozenset()  # those and the generic words: what a personal name never holds
    company_words: dict[str, str] | None = None  # company words in other scripts rigour lacks -> canonical
    korean_abbreviations: tuple[tuple[str, str], ...] = ()  # (주) -> 주식회사


@lru_cache(maxsize=1)
def terms() -> Terms:
    """The parsed terms.yml (cached for the process)."""
    raw: dict[str, Any] = yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))
    generic = {str(k): str(v) for k, v in raw["generic"].items()}
    han = sorted(((str(k), str(v)) for k, v in raw["han_terms"].items()), key=lambda kv: -len(kv[0]))
    legal_forms = frozenset(str(x) for x in raw["legal_forms"])
    legal_words = frozenset(str(x) for x in raw["legal_words"])
    return Terms(
        legal_forms=legal_forms,
        legal_words=legal_words,
        generic=generic,
        generic_words=frozenset(generic.values()),
        particles=frozenset(str(x) for x in raw["particles"]),
        numbers={str(k): str(v) for k, v in raw["numbers"].items()},
        han_terms=tuple(han),
        japanese_forms=tuple(str(x) for x in raw.get("japanese_forms", ())),
        legal=legal_forms | legal_words,
        light=legal_forms | legal_words | frozenset(generic.values()),
        company_words={str(k): str(v) for k, v in (raw.get("company_words") or {}).items()},
        korean_abbreviations=tuple(
            (str(k), str(v)) for k, v in (raw.get("korean_abbreviations") or {}).items()
        ),
    )


NAME_RANKS_FILE = Path(__file__).with_name("name_ranks.tsv.gz")
NAME_RANK_MAX = 1000  # the table keeps names ranked up to this (scripts/build_name_ranks.py MAX_RANK)


@lru_cache(maxsize=1)
def name_ranks() -> dict[str, tuple[int, int, int]]:
    """The one name-frequency table (scripts/build_name_ranks.py): lower-case token -> (best rank as a
    given name, as a family name, as a family name written in another script read with anyascii); 0 when
    not ranked. Tokens are names as written, in any script."""
    import gzip

    out: dict[str, tuple[int, int, int]] = {}
    with gzip.open(NAME_RANKS_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            tok, given, family, read = line.rstrip("\n").split("\t")
            out[tok] = (int(given), int(family), int(read))
    return out


@lru_cache(maxsize=1 << 16)
def name_rank(tok: str) -> int:
    """A name word's best rank as a given or family name in any country, as written (names-dataset, rank
    <= 1000); 0 when it is no such name."""
    given, family, _read = name_ranks().get(tok, (0, 0, 0))
    return min((r for r in (given, family) if r), default=0)


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every syllable of Hanyu Pinyin (pypinyin's readings, tones off): a one-to-one romanisation, in which
    two different syllables are two different characters."""
    import unicodedata

    from pypinyin.constants import PINYIN_DICT

    out: set[str] = set()
    for readings in set(PINYIN_DICT.values()):
        for r in readings.split(","):
            bare = "".join(c for c in unicodedata.normalize("NFD", r) if c.isascii()).lower()
            if bare.isalpha():
                out.add(bare)
    return frozenset(out)
