"""Weak evidence in a name written in another script and scored in a romanisation (issue #12).

A name written in Arabic, Hebrew, Han, Hangul, kana or Thai reaches the lists through a romanisation that
is a guess: vowels an abjad leaves out, readings of characters. Two kinds of pair that say little on their
own then carry a clean person over the threshold, in a name of at most SHORT_NAME name words:

- a romanised name word (a vowel-less one, `similarity.abjad_set`, or a reading of Hangul, Han, kana or Thai)
  met only by a near spelling of a particle, legal form or generic word (לוי 'lwy' / "al", אבי 'vy' /
  "abu", 네오 'neo' / "NPO"): the pair weighs what the particle weighs
  (0.1), so the query's name word costs nothing and is evidence of nothing. It counts as unmatched. (ابو
  spelt "abou" from the name table is the particle itself and keeps its pair.)
- a vowel-less romanised word (its consonant skeleton) only near a listed name word (below NEAR_ONLY: the
  skeleton's last long vowel differs, or one consonant stands for a whole name): a skeleton met by a near
  spelling is as often another name (كركوك 'krkwk' / Karaki). The score takes the substitution factor,
  as a Latin pair this far apart does in `score.score_tokens`.

Each effect is a factor in the explanation. The functions read only a scored pair's parts.
"""

from __future__ import annotations

from collections.abc import Callable

from exportctl.engine.screening.one_word import ONE_WORD, longer_word, read_short_word
from exportctl.engine.screening.readings import reads_of
from exportctl.engine.screening.score import SUBSTITUTION, Scored
from exportctl.engine.screening.similarity import name_consonants, other_name, skeleton_key

NO_INITIALS = frozenset({"arabic", "hebrew", "hangul", "han", "kana", "thai"})  # scripts that write none


def letters_not_initials(scored: Scored) -> Scored:
    """A name written in a script without initials (Arabic, Hebrew, Hangul, Han, kana, Thai), scored in a
    romanisation: a pair of one letter and a word is no initial standing for its name (ام -> "m" is not
    "M." nor "Mishan", مصري -> "msry" is not "M."), so it counts as unmatched (similarity 0)."""
    single = [
        p
        for p in scored.parts
        if p.query and p.listed and (len(p.query) == 1) != (len(p.listed) == 1) and p.sim > 0.0
    ]
    if not single or scored.score <= 0.0:
        return scored
    num = sum(p.sim * p.weight for p in scored.parts if p.query and p.listed)
    den = sum(p.weight if p.query and p.listed else p.cost for p in scored.parts)
    if num <= 0.0 or den <= 0.0:
        return scored
    lost = sum(p.sim * p.weight for p in single)
    factor = max(0.0, num - lost) / num
    return Scored(
        scored.score * factor, scored.parts, (*scored.factors, ("a letter is no initial here", factor))
    )


NEAR_ONLY = 0.7  # a skeleton pair less similar than this is no spelling variant (one consonant edit: 0.72)
SHORT_NAME = 2  # a name of this many name words or fewer rests on each of them
_HEAVY = ("substitution", "surname missing", "initials differ", "weak pair", "one short word, near only")


def _totals(scored: Scored) -> tuple[float, float]:
    num = sum(p.sim * p.weight for p in scored.parts if p.query and p.listed)
    den = sum(p.weight if p.query and p.listed else p.cost for p in scored.parts)
    return num, den


def name_word_on_particle(
    scored: Scored,
    weigh: Callable[[str], float],
    identity: Callable[[str], bool],
    abjad: frozenset[str] = frozenset(),
) -> Scored:
    """A romanised query name word aligned, at less than equality, with a listed particle, legal form or
    generic word counts as a query word left unmatched (at its own weight), in a name of at most SHORT_NAME
    name words (in a longer one the other words carry the match): a reading of Arabic (לוי 'lwy' / "al"),
    or of Hangul and Han as much (네오 'neo' / NPO, 마루 'mru' / MRS: a legal form one letter away is no
    spelling of a company's name)."""
    if scored.score <= 0.0:
        return scored
    from exportctl.engine.screening.terms import terms

    particles = terms().particles
    moved = [
        p
        for p in scored.parts
        if p.query
        and p.listed
        and p.sim < 1.0
        and "+" not in p.query
        and "+" not in p.listed
        and (p.query in abjad or p.listed not in particles)  # a vowelled "abou" is the particle "abu"
        and identity(p.query)
        and not identity(p.listed)
        and len(p.listed) > 1
    ]
    if not moved or sum(1 for p in scored.parts if p.query and identity(p.query.split("+")[0])) > SHORT_NAME:
        return scored
    num, den = _totals(scored)
    if num <= 0.0 or den <= 0.0:
        return scored
    new_num = num - sum(p.sim * p.weight for p in moved)
    new_den = den + sum(weigh(p.query) - p.weight for p in moved)
    if new_den <= 0.0:
        return scored
    factor = min(1.0, (new_num / new_den) / (num / den))
    if factor >= 1.0:
        return scored
    return Scored(scored.score * factor, scored.parts, (*scored.factors, ("name word on a particle", factor)))


def near_only_pair(
    scored: Scored, identity: Callable[[str], bool], abjad: frozenset[str] = frozenset()
) -> Scored:
    """A vowel-less romanised query word paired with a listed name word below NEAR_ONLY (and above 0): the
    substitution factor, unless a factor of that kind already applies. Words spelt from the name table
    (`native.py`: Musavi, Danial) are vowelled and keep their similarity."""
    if scored.score <= 0.0 or any(name in _HEAVY for name, _ in scored.factors):
        return scored
    if sum(1 for p in scored.parts if p.query and identity(p.query.split("+")[0])) > SHORT_NAME:
        return scored
    if not any(
        p.query
        and p.listed
        and 0.0 < p.sim < NEAR_ONLY
        and p.query in abjad
        and identity(p.query)
        and identity(p.listed.split("+")[0])
        for p in scored.parts
    ):
        return scored
    return Scored(scored.score * SUBSTITUTION, scored.parts, (*scored.factors, ("near only", SUBSTITUTION)))


def romanised(
    scored: Scored,
    weigh: Callable[[str], float],
    identity: Callable[[str], bool],
    abjad: frozenset[str] = frozenset(),
) -> Scored:
    """The adjustments of a query written in a script without initials and scored in a romanisation
    (`abjad`: its tokens romanised from an abjad, `similarity.abjad_set`)."""
    scored = name_word_on_particle(scored, weigh, identity, abjad)
    return nisba_pairs(clash_only(near_only_pair(scored, identity, abjad), identity, abjad))


CLASH_ONLY = 0.8  # a reading this similar or less is a skeleton whose long vowels clash (SKELETON_CLASH 0.75)


def clash_only(
    scored: Scored, identity: Callable[[str], bool], abjad: frozenset[str] = frozenset()
) -> Scored:
    """A name read from an abjad (Arabic, Persian, Hebrew: `abjad` not empty), of at most SHORT_NAME name
    words, whose every name word met the listed name only below CLASH_ONLY (a skeleton whose long vowels sit
    elsewhere, a near spelling of a read name: שילה סואעד 'sylh swd' / Salah Sayyid, غامد كانو / Kani
    Mohamed): no word of it is read as the listed name writes it, so it takes the substitution factor,
    unless a factor of that kind already applies. Joined words (one reading of two words) are left alone."""
    if not abjad or scored.score <= 0.0 or any(name in (*_HEAVY, "near only") for name, _ in scored.factors):
        return scored
    named = [p for p in scored.parts if p.query and p.listed and identity(p.query.split("+")[0])]
    if not named or len(named) > SHORT_NAME:
        return scored
    if sum(1 for p in scored.parts if p.query and identity(p.query.split("+")[0])) > SHORT_NAME:
        return scored
    if any("+" in p.query + p.listed or not 0.0 < p.sim < CLASH_ONLY for p in named):
        return scored
    return Scored(scored.score * SUBSTITUTION, scored.parts, (*scored.factors, ("clash only", SUBSTITUTION)))


def read_names(scored: Scored, marks: frozenset[str] = frozenset()) -> Scored:
    """The adjustments of a query written in another script than Latin and scored in a reading, which has
    no typos: another name (`other_names`) and a family name of the other gender (`other_genders`) say
    nothing (`marks`: the query's, `readings.Marks`)."""
    return other_genders(other_names(scored, marks))


def short_company_reading(scored: Scored, identity: Callable[[str], bool]) -> Scored:
    """A company's one name word read from a script without initials as a short word
    (`one_word.read_short_word`: 스타 'sta' / LLC STA, كان 'kn' / UCON COMPANY) is weak evidence: the
    score takes ONE_WORD."""
    if scored.score <= 0.0 or not read_short_word(scored.parts, identity):
        return scored
    return Scored(scored.score * ONE_WORD, scored.parts, (*scored.factors, ("short word read", ONE_WORD)))


def other_names(scored: Scored, marks: frozenset[str] = frozenset()) -> Scored:
    """A romanised query name word paired with another name of the name data (`similarity.other_name`:
    المهدي 'mahdi' / Majdi, وليد 'walid' / Vahid, Панов 'panov' / Ivanov) is another name, not a typo (a
    reading has none): the pair says nothing. A token that stands for a foreign name's readings
    (`readings.reads_of`) is left alone: its similarity is already that of its best reading."""
    if scored.score <= 0.0:
        return scored
    lost = sum(
        p.sim * p.weight
        for p in scored.parts
        if p.query
        and p.listed
        and 0.0 < p.sim < 1.0
        and "+" not in p.query + p.listed
        and not _read_as(marks, p.query, p.listed, p.sim)
        and other_name(p.query, p.listed)
    )
    return _capped(scored, lost, "another name")


def longer_words(scored: Scored) -> Scored:
    """A query word that is an everyday word and the listed word with letters added, no inflection
    (`one_word.longer_word`: Samsung / SAMSUN), is another word: the pair says nothing."""
    return _near_pairs_void(scored, longer_word, "another, longer word")


def _near_pairs_void(scored: Scored, void: Callable[[str, str], bool], name: str) -> Scored:
    """The score with every near pair (query word, listed word) that `void` holds to be two words taken out
    of the matched sum, the factor named `name`."""
    if scored.score <= 0.0:
        return scored
    lost = sum(
        p.sim * p.weight
        for p in scored.parts
        if p.query and p.listed and 0.0 < p.sim < 1.0 and void(p.query, p.listed)
    )
    return _capped(scored, lost, name)


def _read_as(marks: frozenset[str], query: str, listed: str, sim: float) -> bool:
    """Whether the query token's readings account for its similarity: a foreign name's readings always,
    the letters of an Arabic-script word (`arabic_names.native_sim`, which asks the name data whether the
    two words are different names) only when they spell the listed word."""
    from exportctl.engine.screening.arabic_names import arabic_word, native_sim

    reads = reads_of(marks, query)
    return any(not arabic_word(r) or native_sim(r, listed) >= sim for r in reads)


def other_genders(scored: Scored) -> Scored:
    """A romanised query family name paired with the same Slavic family name of the other gender (Иванова
    'ivanova' / Ivanov: `gender.other_gender`) is another person's name: the pair says nothing."""
    from exportctl.engine.screening.gender import other_gender

    return _near_pairs_void(scored, other_gender, "family name of the other gender")


SHORT_SKELETON = {2: 0.7, 3: 0.85}  # most a Hebrew skeleton of so many consonants says (khn: Cohen, Chen)


def _capped(scored: Scored, lost: float, name: str) -> Scored:
    """The score less the part `lost` takes from the matched sum, with the factor named in the explanation."""
    num, _den = _totals(scored)
    if lost <= 0.0 or num <= 0.0:
        return scored
    factor = (num - lost) / num
    return Scored(scored.score * factor, scored.parts, (*scored.factors, (name, factor)))


def hebrew_short_skeletons(scored: Scored, abjad: frozenset[str] = frozenset()) -> Scored:
    """A name written in Hebrew reaches the lists by its skeleton alone (there is no Hebrew name table, and
    ו / י are consonants or vowels alike), so a skeleton of two or three consonants spells many unrelated
    Latin names (כהן 'khhn': Cohen, Chen, Chan, China): such a pair says at most SHORT_SKELETON."""
    if scored.score <= 0.0:
        return scored
    lost = sum(
        max(0.0, p.sim - SHORT_SKELETON.get(len(skeleton_key(p.query)), 1.0)) * p.weight
        for p in scored.parts
        if p.query and p.listed and p.query in abjad and "+" not in p.query
    )
    return _capped(scored, lost, "short Hebrew skeleton")


NISBA = 0.6  # most "Mohammadi" says of "Mohammad" (as SKELETON_END: a final long vowel is another name)


def _nisba(a: str, b: str) -> bool:
    """Whether one word is the other with the nisba ending, in the same spelling (Mohammad / Mohammadi) or
    another (Muhammad / Mohammadi: the consonants without the ending are the same, `name_consonants`)."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(short) < 4 or long_[-1] not in "iy":
        return False
    if len(long_) == len(short) + 1 and long_.startswith(short):
        return True
    return (
        len(long_) > len(short)
        and short[-1] not in _VOWELS  # the shorter word ends on its consonant (not Mehdi / Mahdi)
        and long_[-2] not in _VOWELS  # the ending follows a consonant (not Hussein / Husseini's ei)
        and name_consonants(long_[:-1]) == name_consonants(short)
    )


_VOWELS = frozenset("aeiouy")


def nisba_pairs(scored: Scored) -> Scored:
    """A name word and the same word with the nisba ending -i / -y (محمدی Mohammadi / Mohammad, احمدی Ahmadi /
    Ahmad, حسینی Hosseini / Hossein) are two names, a family name and a given name: such a pair says at most
    NISBA, as a vowel-less spelling whose final long vowel differs does (`similarity.SKELETON_END`)."""
    if scored.score <= 0.0:
        return scored
    lost = sum(
        (p.sim - NISBA) * p.weight
        for p in scored.parts
        if p.query
        and p.listed
        and p.sim > NISBA
        and "+" not in p.query + p.listed
        and _nisba(p.query, p.listed)
    )
    return _capped(scored, lost, "nisba ending")
