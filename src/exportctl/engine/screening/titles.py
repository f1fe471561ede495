"""Titles, honorifics and offices at the edges of a person's name ("President", "Herr", "Sheikh", "elnök",
"先生"): kept in the name, so the explanation shows them, but weightless in matching."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from .normalise import normalise
from .places import place_weights
from .terms import TERMS_FILE, terms

W_TITLE = 0.0
_VOWEL = re.compile("[aeiouy]")
_SHORT_VOWEL = re.compile("[aeiou]")


def _library_titles() -> list[str]:
    """rigour's person-name prefixes (resources/names/stopwords.yml PERSON_NAME_PREFIXES)."""
    try:
        from rigour._core import person_name_prefixes_list
    except ImportError:  # pragma: no cover - rigour is a dependency; the terms.yml words still apply
        return []
    return [str(p) for p in person_name_prefixes_list()]


def _raw() -> dict[str, list[str]]:
    import yaml

    raw = yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))
    return {k: [str(x) for x in raw.get(k, ())] for k in ("titles", "title_suffixes", "not_titles")}


@lru_cache(maxsize=1)
def library_title_words() -> frozenset[str]:
    """The one-word titles of rigour's list, terms.yml `titles` and nameparser's, lower case as written
    (no `normalise`, no romanisation: the readings of a name may ask for them)."""
    words = [*_library_titles(), *_raw()["titles"]]
    try:
        from nameparser.config.titles import TITLES

        words += [str(t) for t in TITLES]
    except ImportError:  # pragma: no cover - nameparser is a dependency
        pass
    return frozenset(w.lower() for w in words if w.isalpha())


@lru_cache(maxsize=1)
def title_phrases() -> frozenset[tuple[str, ...]]:
    """Every title written before a name, as the tokens `normalise` makes of it: rigour's list and terms.yml
    `titles`, less terms.yml `not_titles`."""
    raw = _raw()
    return _phrases(_library_titles() + raw["titles"], raw["not_titles"])


@lru_cache(maxsize=1)
def suffix_phrases() -> frozenset[tuple[str, ...]]:
    """Every title written after a name (terms.yml `title_suffixes`), as tokens."""
    return _phrases(_raw()["title_suffixes"], [])


def _phrases(words: list[str], excluded: list[str]) -> frozenset[tuple[str, ...]]:
    legal = terms().legal
    skip = {normalise(w) for w in excluded}
    from .forms import query_forms  # late: forms reaches the index, which reaches this module

    out: set[tuple[str, ...]] = set()
    for word in words:
        for toks in {normalise(word), *(f for _, f in query_forms(word))}:
            if toks and toks not in skip and not any(t in legal for t in toks) and toks != ("the",):
                out.add(toks)
    return frozenset(out)


@lru_cache(maxsize=4)
def _longest(phrases: frozenset[tuple[str, ...]]) -> int:
    """The most tokens a phrase of a set has (asked for every name: the sets are large)."""
    return max(map(len, phrases), default=0)


def _run(
    tokens: Sequence[str], phrases: frozenset[tuple[str, ...]], longest: int, start: int, step: int
) -> int:
    """How many tokens from `start` (step 1: forwards, -1: backwards) are a run of title phrases."""
    n, taken = len(tokens), 0
    while taken < n:
        for k in range(min(longest, n - taken), 0, -1):
            if step > 0:
                chunk = tuple(tokens[start + taken : start + taken + k])
            else:
                chunk = tuple(tokens[n - taken - k : n - taken])
            if chunk in phrases:
                taken += k
                break
        else:
            return taken
    return taken


def title_span(tokens: Sequence[str]) -> tuple[int, int]:
    """How many leading tokens are titles, trailing ones title suffixes (one other token at least stays)."""
    phrases, suffixes = title_phrases(), suffix_phrases()
    head = _run(tokens, phrases, _longest(phrases), 0, 1)
    if head >= len(tokens):
        return 0, 0
    if head and not _VOWEL.search("".join(tokens[:head])) and not _SHORT_VOWEL.search(tokens[head]):
        # "fr hjr", "mr dyb" (عمر دياب): a skeleton of an Arabic or Hebrew name, whose only vowel letters are
        # the long vowels y and w, not "Fr." or "Mr."
        head = 0

    tail = _run(tokens[head:], suffixes, _longest(suffixes), 0, -1)
    if head + tail >= len(tokens):
        return head, 0
    return head, tail


def name_weights(tokens: Sequence[str], weights: Sequence[float]) -> list[float]:
    """`weights` for one name: an organisation's (a legal form or generic word outside the titles) with its
    place words lowered, a person's with the titles at either edge set to W_TITLE."""
    head, tail = title_span(tokens)
    n = len(tokens)
    light = terms().light
    if any(t in light for t in tokens[head : n - tail]):
        return place_weights(tokens, weights, True)
    return [W_TITLE if i < head or i >= n - tail else w for i, w in enumerate(weights)]


ROLE_MIN = 3  # letters of a role word at least (nameparser's shorter ones are mostly codes: "da", "uk")
ROLE_NAME_RANK = 100  # a title word ranked this high as a given or family name somewhere is a name first


@lru_cache(maxsize=1)
def role_words() -> frozenset[str]:
    """Offices, ranks and honorifics written before a surname ("Minister", "Gen", "Lt", "Governor"):
    nameparser's title list, less legal forms, generic words and words that are common names somewhere
    (names-dataset rank ROLE_NAME_RANK or better: King, Prince, Sultan), terms.yml `not_titles` and words
    shorter than ROLE_MIN (the short titles, "Mr", "Dr", are title phrases already)."""
    try:
        from nameparser.config.titles import TITLES
    except ImportError:  # pragma: no cover - nameparser is a dependency; the title phrases still apply
        return frozenset()
    from .terms import name_rank

    light = terms().light
    skip = {normalise(w) for w in _raw()["not_titles"]}
    out = set()
    for word in TITLES:
        toks = normalise(str(word))
        if len(toks) == 1 and len(toks[0]) >= ROLE_MIN and toks[0].isalpha() and toks[0] not in light:
            if toks in skip:
                continue
            rank = name_rank(toks[0])
            if rank == 0 or rank > ROLE_NAME_RANK:
                out.add(toks[0])
    return frozenset(out)


def role_span(tokens: Sequence[str]) -> int:
    """How many leading tokens are titles or role words ("foreign minister", "lt gen", "herr")."""
    phrases, roles = title_phrases(), role_words()
    longest = _longest(phrases)
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i] in roles:
            i += 1
            continue
        step = _run(tokens[i:], phrases, longest, 0, 1)
        if not step:
            break
        i += step
    return i


class SurnameQuery(NamedTuple):
    """A query that names a person by one surname: titles or role words before it, initials beside it."""

    surname: str
    titled: bool  # a title of the title phrases leads ("Mr", "President"), not only role words ("Minister")
    initials: tuple[str, ...]


def surname_query(tokens: Sequence[str]) -> SurnameQuery | None:
    """A query of titles or role words, initials and one name word ("President Putin", "Foreign Minister
    Lavrov", "V. V. Putin", "Putin V. V."), read as such; None for any other query."""
    if len(tokens) < 2 or len(tokens) > 8:
        return None
    head = role_span(tokens)
    rest = tokens[head:]
    words = [t for t in rest if len(t) > 1]
    if len(words) != 1 or (not head and len(rest) == len(words)):
        return None
    word = words[0]
    if len(word) < 3 or not word.isalpha() or word in terms().light or not _SHORT_VOWEL.search(word):
        return None  # a consonant skeleton ("mr mstfwy", عمر مصطفاوي) is no title and surname
    letters = tuple(t for t in rest if len(t) == 1)
    if not all(c.isalpha() for c in letters):
        return None
    return SurnameQuery(word, title_span(tokens)[0] > 0, letters)
