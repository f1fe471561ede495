"""A person named by one surname beside titles or initials ("President Putin", "Foreign Minister Lavrov",
"Gen. Shoigu", "V. V. Putin", "Putin V.V."): how much that says depends on how many people bear the surname.

The rule (issue #12), for a query of titles or role words, initials and one name word
(`titles.surname_query`):
- the name word must meet a listed person's family name (the words before the comma of "FAMILY, Given",
  or the last word of a name of two or three words) at TITLE_SURNAME_SIM or better, in the same gender
  (Lavrova is not Lavrov: `slavic.gendered_pair`), and the initials must meet the listed given names in
  their order ("N. A." is not Aleksandr Nikolayevich); otherwise the score is capped at COMMON_SURNAME_CAP,
  below any alert threshold in use;
- a common surname (`surname_rank`: names-dataset ranks it among some country's top 1,000 given or family
  names, in Latin letters or in its own script read with anyascii: Smith, Ivanov, Kim, Egorov) never
  alerts this way: capped at COMMON_SURNAME_CAP, unless the initials spell the listed given name and
  patronymic in order (`full_initials`: "Sokolov A.A." for SOKOLOV, Aleksandr Anatolyevich, the way
  Russian documents write a full name; "J. R. Smith" stays capped);
- a rare surname with a title and no initials alerts at TITLE_SURNAME plus BY_REST of the score as it was
  (times the pair's similarity): every listed person of that rare surname is alerted, and the country
  column keeps the others apart (a country the entry does not list takes it below the threshold). With
  initials the score stays as it is (the initials already count).
The rule reads listed persons (and entries of no stated type); an organisation or a ship only caps a name
with a title phrase or initials (a person's) and leaves names of role words alone ("Air Koryo"); a listed
name the title is a word of ("SAIFULLAH, Qari") is left as it is. The explanation says which reading was
taken.
"""

from __future__ import annotations

from collections.abc import Sequence

from .score import Part, Scored
from .slavic import gendered_pair
from .terms import name_rank, name_ranks
from .titles import SurnameQuery

TITLE_SURNAME = 0.72  # the least score of a title and a rare surname met exactly (DEFAULT_THRESHOLD is 0.7)
BY_REST = 0.05  # times the name score as it was: of several persons of that surname, the one whose listed
# name the query leaves least of ranks first
TITLE_SURNAME_SIM = 0.9  # the surname pair must be at least this similar (Vergun / Sergun 0.83, Sysoev /
# Sysoyev 0.86: as often another family's name as a spelling of this one)
COMMON_SURNAME_CAP = 0.6  # most such a query scores when the rule does not hold
FULL_INITIALS = 2  # initials of a given name and a patronymic lift the cap


def surname_rank(tok: str) -> int:
    """How common a surname is: its best rank as a name word (terms.name_rank) or as a family name written
    in another script read with anyascii (terms.name_ranks: Бирюков -> biryukov); 0 when rare."""
    _given, _family, read = name_ranks().get(tok, (0, 0, 0))
    return min((r for r in (name_rank(tok), read) if r > 0), default=0)


def listed_family(listed: Sequence[str], family: frozenset[str]) -> frozenset[str]:
    """The family-name words of a listed name: as indexed, else the last word of two or three."""
    if family:
        return family
    return frozenset(listed[-1:]) if 2 <= len(listed) <= 3 else frozenset()


def _initials_in_order(query: SurnameQuery, parts: Sequence[Part], listed: Sequence[str]) -> bool:
    """Whether the initials that met listed words met them in the query's order."""
    where: list[int] = []
    taken: set[int] = set()
    for p in parts:
        if len(p.query) == 1 and p.listed and p.sim > 0.0:
            j = next((k for k, t in enumerate(listed) if t == p.listed and k not in taken), -1)
            taken.add(j)
            where.append(j)
    return where == sorted(where)


def full_initials(
    query: SurnameQuery, parts: Sequence[Part], listed: Sequence[str], family: frozenset[str]
) -> bool:
    """Whether the query's initials spell the listed given name and patronymic, in order ("Sokolov A.A." for
    SOKOLOV, Aleksandr Anatolyevich; not "Sokolov A." for it, nor "Sokolov A.A." for SOKOLOV, Aleksandr):
    the surname and initials are how Russian, Ukrainian and Belarusian documents and the press name one
    person in full ("Фамилия И.О."), where "J. R. Smith" is a short form of an English name."""
    if len(query.initials) < FULL_INITIALS:
        return False
    from .index import _PATRONYMIC

    fam = listed_family(listed, family)
    given = [t for t in listed if t not in fam]
    if len(given) != len(query.initials) or not _PATRONYMIC.match(given[-1]):
        return False
    met = [p.listed for p in parts if len(p.query) == 1 and p.listed and p.sim > 0.0]
    return len(met) == len(given) and _initials_in_order(query, parts, listed)


def _capped(scored: Scored, why: str) -> Scored:
    if scored.score <= COMMON_SURNAME_CAP:
        return scored
    return Scored(COMMON_SURNAME_CAP, scored.parts, (*scored.factors, (why, COMMON_SURNAME_CAP)))


def title_surname(
    query: SurnameQuery, scored: Scored, listed: Sequence[str], family: frozenset[str], person: bool
) -> Scored:
    """A surname query (titles.surname_query) scored by the rule of this module; `scored` as it is for any
    other query; `person`: the listed entry is a person (or of no stated type)."""
    if scored.score <= 0.0:
        return scored
    if not person:
        # A name with a title or initials is a person's, not an organisation's or a ship's; one of role
        # words ("Air Koryo") or with a letter of the listed name itself ("M Finans") is left as it is.
        if not (query.titled or query.initials) or any(
            len(p.query) == 1 == len(p.listed) for p in scored.parts
        ):
            return scored
        return _capped(scored, "a person's title or initials against no person")
    surname = query.surname
    if any(
        p.query != surname and len(p.query) > 1 and p.listed and p.sim >= TITLE_SURNAME_SIM
        for p in scored.parts
    ):
        return scored  # the title is a word of the listed name ("SAIFULLAH, Qari")
    pair = next((p for p in scored.parts if p.query == surname and p.listed), None)
    if pair is None or pair.sim < TITLE_SURNAME_SIM or pair.listed not in listed_family(listed, family):
        return _capped(scored, "surname only, not met as the listed family name")
    if gendered_pair(surname, pair.listed):
        return _capped(scored, "surname only, in the other gender")
    rank = min((r for r in (surname_rank(surname), surname_rank(pair.listed)) if r > 0), default=0)
    if rank and not full_initials(query, scored.parts, listed, family):
        return _capped(scored, f"common surname only (name rank {rank})")
    if query.initials:
        if any(len(p.query) == 1 and not p.listed for p in scored.parts) and len(listed) > 1:
            return _capped(scored, "an initial met no listed given name")
        if not _initials_in_order(query, scored.parts, listed):
            return _capped(scored, "initials in another order")
        why = f"initials of the listed name and patronymic, common surname (name rank {rank})" if rank else ""
        return Scored(
            scored.score, scored.parts, (*scored.factors, (why or "initials and rare surname", 1.0))
        )
    lifted = round((TITLE_SURNAME + BY_REST * scored.score) * pair.sim, 4)
    note = "title dropped; rare surname only (no name list ranks it)"
    if lifted <= scored.score:
        return Scored(scored.score, scored.parts, (*scored.factors, (note, 1.0)))
    return Scored(lifted, scored.parts, (*scored.factors, (note, lifted)))


def readings(scored: Scored) -> str:
    """What the explanation of a person's name adds to its aligned pairs: initials met, two forms of one given
    name that one Cyrillic spelling joins (named), a listed patronymic the query leaves out ("" when none)."""
    from .index import _PATRONYMIC, _PATRONYMIC_WORDS
    from .variants import cyrillic_cognates, cyrillic_spellings

    notes = []
    initials = [f"{p.query}~{p.listed}" for p in scored.parts if len(p.query) == 1 < len(p.listed)]
    if initials:
        notes.append("initials matched: " + " ".join(initials))
    cognates = [
        f"{p.query}~{p.listed} ({min(cyrillic_spellings(p.query) & cyrillic_spellings(p.listed))})"
        for p in scored.parts
        if p.query and p.listed and p.sim < 1.0 and cyrillic_cognates(p.query, p.listed)
    ]
    if cognates:
        # one Cyrillic spelling joins them: a Ukrainian and a Russian form (volodymyr, vladimir: владимир),
        # or two romanisations of one name written alike in Cyrillic (hassan, hasan: хасан)
        notes.append("one name in Cyrillic: " + " ".join(cognates))
    absent = [
        p.listed
        for p in scored.parts
        if p.listed and not p.query and (p.listed in _PATRONYMIC_WORDS or _PATRONYMIC.match(p.listed))
    ]
    if absent:
        notes.append("patronymic absent: " + " ".join(absent))
    return "; ".join(notes)


def explain(scored: Scored) -> str:
    """`Scored.explain` with the `readings` of a person's name after it."""
    more = readings(scored)
    return f"{scored.explain()}; {more}" if more else scored.explain()
