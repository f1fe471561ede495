"""A person named by given name and patronymic alone ("Sergei Viktorovich", "Mikhail Vladimirovich"): the
Russian form of polite address, which leaves the family name out (issue #12).

Such a query meets a listed person whose given name and patronymic it writes (each pair at PAIR_SIM or
better, the listed family name absent from the query) at GIVEN_PATRONYMIC plus BY_REST times the weaker
pair's similarity: just above the alert threshold, every listed bearer of that given name and patronymic
tied and shown for review, and the `country` column keeps the others apart; without the family name it is
never more than that. When both the given name and the father's name are common (Elena Vladimirovna,
Sergey Yuryevich: the names-dataset ranks of the surname rule), the pair is capped below the threshold
instead, as a common surname beside a title is. Any other query, or a listed name without a patronymic,
is scored as it is. The explanation says which reading was taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .score import Scored
from .surname import BY_REST, COMMON_SURNAME_CAP, TITLE_SURNAME, listed_family, surname_rank

if TYPE_CHECKING:
    from .index import ScreeningIndex

GIVEN_PATRONYMIC = TITLE_SURNAME  # the least score of a given name and patronymic met (threshold 0.7)
PAIR_SIM = 0.9  # each word must meet its listed word at least this well (Sergey / Sergei 0.83 does not)
NOTE = "given name and patronymic only (family name left out)"


# Russian, Ukrainian and Belarusian patronymics as `normalise` writes them: Viktorovich, Ivanovna, Lvovna,
# Uladzimiravich (Belarusian -avich), Ilyinichna and Kuzminichna (-ichna).
_PATRONYMIC = re.compile(
    r"^[a-z]{2,}(?:ovich|evich|ovych|evych|avich|ovitch|evitch|ovna|evna|ivna|avna|ichna)$"
)


def is_patronymic(token: str) -> bool:
    """A Russian, Ukrainian or Belarusian patronymic as `normalise` writes it ("viktorovich", "ivanovna")."""
    return bool(_PATRONYMIC.match(token))


class PatronymicQuery(NamedTuple):
    """A query of a given name and a patronymic, nothing else."""

    given: str
    patronymic: str


def patronymic_query(tokens: Sequence[str]) -> PatronymicQuery | None:
    """("vladimir", "vladimirovich") read as a given name and patronymic; None for any other query."""
    if len(tokens) != 2:
        return None
    given, patronymic = tokens
    if len(given) < 3 or not given.isalpha() or is_patronymic(given) or not is_patronymic(patronymic):
        return None
    return PatronymicQuery(given, patronymic)


def given_patronymic(
    query: PatronymicQuery, scored: Scored, listed: Sequence[str], family: frozenset[str], person: bool
) -> Scored:
    """A given-name-and-patronymic query scored by the rule of this module; `scored` as it is otherwise;
    `person`: the listed entry is a person (or of no stated type)."""
    if scored.score <= 0.0 or not person:
        return scored
    surname = listed_family(listed, family)
    if not surname or surname & set(query):
        return scored
    met = {p.query: p for p in scored.parts if p.query and p.listed}
    given, patronymic = met.get(query.given), met.get(query.patronymic)
    if given is None or patronymic is None or min(given.sim, patronymic.sim) < PAIR_SIM:
        return scored
    if given.listed in surname or patronymic.listed in surname or not is_patronymic(patronymic.listed):
        return scored
    if common_pair(query):
        # Elena Vladimirovna, Sergey Yuryevich: thousands of people; says nothing of which one
        return _capped(scored, "given name and patronymic only, both common")
    # Every bearer of the pair ties (nothing in the query tells them apart); a nearer spelling ranks first.
    lifted = round(GIVEN_PATRONYMIC + BY_REST * min(given.sim, patronymic.sim), 4)
    if lifted <= scored.score:
        return Scored(scored.score, scored.parts, (*scored.factors, (NOTE, 1.0)))
    return Scored(lifted, scored.parts, (*scored.factors, (NOTE, lifted)))


def patronymic_names(index: ScreeningIndex, query: PatronymicQuery) -> np.ndarray:
    """The listed names that hold both words of the query, or spellings of them at PAIR_SIM or better
    (sorted ids); none when either word is too common to read its names."""
    given, patronymic = index.merged(query.given), index.merged(query.patronymic)
    if given is None or patronymic is None:
        return np.empty(0, dtype=np.int32)
    return np.intersect1d(given[0][given[1] >= PAIR_SIM], patronymic[0][patronymic[1] >= PAIR_SIM])


_SUFFIX = re.compile(r"(?:ovich|evich|ovych|evych|avich|ovitch|evitch|ovna|evna|ivna|avna|ichna)$")


def father_names(patronymic: str) -> tuple[str, ...]:
    """The spellings of the father's given name a patronymic is made from (yuryevich -> yury, yuri, yuriy;
    nikolaevna -> nikola, nikolai, nikolay; vladimirovich -> vladimir)."""
    stem = _SUFFIX.sub("", patronymic)
    if not stem:
        return ()
    bare = stem[:-1] if stem.endswith(("y", "i")) else stem
    return tuple(dict.fromkeys((stem, bare, bare + "i", bare + "y", bare + "iy", stem + "i", stem + "y")))


def common_pair(query: PatronymicQuery) -> bool:
    """Both the given name and the father's name are common names (`surname.surname_rank`: some country's
    top 1,000 given or family names): the pair is shared by too many people to alert on alone."""
    if not surname_rank(query.given):
        return False
    return any(surname_rank(name) for name in father_names(query.patronymic))


def _capped(scored: Scored, why: str) -> Scored:
    """At most COMMON_SURNAME_CAP, saying why (the reading is shown even when the score was lower)."""
    if scored.score <= COMMON_SURNAME_CAP:
        return Scored(scored.score, scored.parts, (*scored.factors, (why, 1.0)))
    return Scored(COMMON_SURNAME_CAP, scored.parts, (*scored.factors, (why, COMMON_SURNAME_CAP)))
