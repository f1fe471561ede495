"""Scoring one query name against one listed name, with the explanation of every point.

Each query token aligns to at most one listed token (or two adjacent tokens on one side align to one on
the other: "Huawei" / "hua wei", "AlisherUsmanov"). A pair's similarity is 1 for equal tokens, falls with
the edit distance inside a budget that grows with token length, and is 0 beyond it; numbers match only
exactly. The name score is the weighted similarity of the aligned pairs over the weight of everything:
unaligned query tokens cost ALPHA times their weight, unaligned listed tokens BETA times (a listed middle
name missing from the query is common, a query word missing from the listed name means another party).
The alignment itself is `align`; this module weighs it and applies the factors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from exportctl.engine.screening.align import Pair, greedy, joins, variants
from exportctl.engine.screening.one_word import ONE_WORD, part_of_listed
from exportctl.engine.screening.terms import NAME_RANK_MAX, name_rank, terms

ALPHA = 1.0  # cost factor of an unaligned query token
BETA = 0.5  # cost factor of an unaligned listed token
COVERED_EXTRA = 0.4  # cost factor of a query token beside a listed name the query holds whole
NUMBER_MISMATCH = 1.0  # weight factor of a pair of differing numbers (cost, never a gain)
FORM_WEIGHT = 0.2  # the weight of generic words (index.W_GENERIC); legal forms weigh less
LONE_EXTRA = 0.5  # least cost of a query word beside a one-word listed name
WEAK_PAIR = 0.5  # an aligned pair less similar than this counts as a substitution
SUBSTITUTION = 0.85  # a name word on each side aligned with nothing: one word was replaced by another
LINEAGE_SWAP = 0.6  # names on the other side of "bin" / "ibn": father and son swapped
COMMON_WEIGHT = 0.45  # the weight of the most common given or family name of a country (Kim, Smith, Wang)


Weigh = Callable[[str], float]


class Part(NamedTuple):  # a tuple: made several times per pair scored, ten times quicker than a dataclass
    """One line of an explanation: an aligned pair or an unaligned token and what it cost."""

    query: str  # query token(s), "a+b" for a join; "" for an unaligned listed token
    listed: str  # listed token(s); "" for an unaligned query token
    sim: float
    weight: float
    cost: float  # weight lost to the score's denominator minus what it earned in the numerator


@dataclass(frozen=True, slots=True)
class Scored:
    """A name score in [0, 1] and its parts."""

    score: float
    parts: tuple[Part, ...]
    factors: tuple[tuple[str, float], ...] = ()

    def explain(self) -> str:
        """Compact one-line explanation: aligned pairs, extra tokens, factors."""
        bits = []
        for p in self.parts:
            if p.query and p.listed:
                sep = "=" if p.sim == 1.0 else "~"
                bits.append(
                    f"{p.query}{sep}{p.listed} {p.sim:.2f}" + (f" w{p.weight:.2f}" if p.weight < 0.5 else "")
                )
            elif p.query:
                bits.append(f"+{p.query} -{p.cost:.2f}")
            else:
                bits.append(f"-{p.listed} -{p.cost:.2f}")
        bits.extend(f"{name} x{value:.2f}" for name, value in self.factors)
        return "; ".join(bits)


def _is_form(tok: str, weight: float) -> bool:
    """Legal forms and generic words (light, and not name particles such as "al" or "bin")."""
    return weight <= FORM_WEIGHT and tok not in terms().particles


def _named(tok: str, identity: Callable[[str], bool]) -> bool:
    """A word that names something: an identity token or a generic word ("Systems"), not a legal form."""
    t = terms()
    return identity(tok) or (tok in t.generic_words and tok not in t.legal_forms and tok not in t.legal_words)


_LINEAGE = frozenset({"bin", "ibn", "ben", "bint", "binti", "ould", "walad"})


def _crosses_lineage(q: Sequence[str], chosen: Sequence[Pair]) -> bool:
    """The names on either side of "bin" swapped ("Omar bin Abdullah" / "Abdullah bin Omar"): the son is
    not the father. Only a clean swap counts (a reordered or "Last, First" name is left alone)."""
    to_l = {qi[0]: lj[0] for _g, s, qi, lj in chosen if len(qi) == 1 and len(lj) == 1 and s > 0.0}
    for p, tok in enumerate(q):
        lp = to_l.get(p)
        if (
            tok in _LINEAGE
            and lp is not None
            and 0 < p < len(q) - 1
            and to_l.get(p - 1) == lp + 1
            and to_l.get(p + 1) == lp - 1
        ):
            return True
    return False


def _legal_leftovers(toks: Sequence[str], used: set[int], w: Sequence[float]) -> tuple[set[int], float]:
    """Unaligned pieces of a legal form broken up ("S. de de C.V.", "Open Joint Stock"): legal words with
    the particles and single letters beside them. Together they cost what one legal form costs."""
    if len(used) == len(toks):
        return set(), 0.0
    t = terms()
    legal = t.legal
    found = {i for i, tok in enumerate(toks) if i not in used and tok in legal}
    if not found:
        return found, 0.0
    anchors = {i for i, tok in enumerate(toks) if tok in legal}
    for _ in range(2):
        for i, tok in enumerate(toks):
            if i in used or i in found or not ((len(tok) == 1 and not tok.isdigit()) or tok in t.particles):
                continue
            if i - 1 in anchors or i + 1 in anchors:
                found.add(i)
                anchors.add(i)
    return found, max(w[i] for i in found if toks[i] in legal)


def _personal(q: Sequence[str], lt: Sequence[str]) -> bool:
    """Neither side holds a legal form or a generic word: both read as personal names."""
    light = terms().light
    return light.isdisjoint(q) and light.isdisjoint(lt)


def _holds_listed(
    q: Sequence[str], lt: Sequence[str], used_l: set[int], parts: list[Part], identity: Callable[[str], bool]
) -> bool:
    """A personal name (no legal form or generic word on either side) whose every listed word aligned,
    two name words or more, none of them with an initial only."""
    if len(used_l) < len(lt) or any(len(p.query) == 1 and len(p.listed) > 1 for p in parts):
        return False
    if not _personal(q, lt):
        return False
    return (
        sum(
            1
            for p in parts
            if p.sim >= 0.8 and identity(p.query.split("+")[0]) and identity(p.listed.split("+")[0])
        )
        >= 2
    )


def _family_missing(
    q: Sequence[str],
    lt: Sequence[str],
    parts: list[Part],
    family: frozenset[str],
    identity: Callable[[str], bool],
) -> bool:
    """A personal name whose listed family-name words all went unaligned, one of them a name word."""
    if not _personal(q, lt):
        return False
    aligned = {w for p in parts if p.query and p.listed and p.sim >= 0.5 for w in p.listed.split("+")}
    return aligned.isdisjoint(family) and any(identity(w) for w in family)


def _same_generic_name(
    q: Sequence[str],
    lt: Sequence[str],
    parts: list[Part],
    used_q: set[int],
    used_l: set[int],
    wq: Sequence[float],
) -> bool:
    """All words of both names aligned exactly, but legal forms: two such words or more, not all legal forms
    ("General Technology" / "General Technology Limited")."""
    t = terms()

    def legal(tok: str) -> bool:
        return tok in t.legal_forms or tok in t.legal_words

    named = 0
    for p in parts:
        if p.query and p.listed:
            if p.sim < 1.0:
                return False
            named += not legal(p.query)
        elif not legal(p.query or p.listed):
            return False
    return named >= 2


NEAR_SHORT = 6  # a word this short, met only by a near spelling, is weak evidence on its own
TINY_WORD = 3  # a word this short is evidence on its own only when met exactly


def _one_near_short_word(
    q: Sequence[str], lt: Sequence[str], parts: Sequence[Part], identity: Callable[[str], bool]
) -> bool:
    """An organisation's name (a legal form or generic word on either side) whose only name word on each
    side is one short word, aligned with a near spelling only (similarity below 0.8; below 1 for a word of
    TINY_WORD letters or fewer)."""
    if _personal(q, lt):
        return False
    named = [p for p in parts if p.query and p.listed and identity(p.query.split("+")[0])]
    if len(named) != 1 or sum(1 for t in q if identity(t)) != 1 or sum(1 for t in lt if identity(t)) != 1:
        return False
    p = named[0]
    longest = max(len(p.query), len(p.listed))
    # A word of two or three letters met by anything but itself ("ko" / "ge": one Han character's Korean
    # and Chinese readings in the name data) says nothing about an organisation.
    return 0.0 < p.sim < 1.0 and (longest <= TINY_WORD or (p.sim < 0.8 and longest <= NEAR_SHORT))


def _initials_only(parts: Sequence[Part], identity: Callable[[str], bool]) -> bool:
    """Every name word that aligned is a word against an initial (one side a single letter): an initial is
    evidence beside a name met in full, never alone."""
    if not any(
        p.sim > 0.0 and (len(p.query) == 1) != (len(p.listed) == 1) for p in parts if p.query and p.listed
    ):
        return False
    light = terms().light
    initial = False
    for p in parts:
        if not (p.query and p.listed and p.sim > 0.0) or p.query in light or p.listed in light:
            continue
        if not identity(p.query.split("+")[0]):
            continue
        if (len(p.query) == 1) != (len(p.listed) == 1):
            initial = True
        elif len(p.query) > 1:
            return False
    return initial


@lru_cache(maxsize=1 << 16)
def common_weight(tok: str) -> float:
    """The most a name word weighs as evidence when it is a common given or family name somewhere: from
    COMMON_WEIGHT at rank 1 up to 1 at rank NAME_RANK_MAX (log scale); 1 for a word no name list ranks."""
    rank = name_rank(tok)
    if rank <= 0:
        return 1.0
    return COMMON_WEIGHT + (1.0 - COMMON_WEIGHT) * math.log(rank) / math.log(NAME_RANK_MAX)


def _pair_cap(q: Sequence[str], lt: Sequence[str], qi: tuple[int, ...], lj: tuple[int, ...]) -> float:
    """What an exact pair of a personal name can weigh: its `common_weight`; joined or initial pairs are left
    as they are."""
    if len(qi) != 1 or len(lj) != 1 or len(q[qi[0]]) < 2 or len(lt[lj[0]]) < 2:
        return 1.0
    return min(common_weight(q[qi[0]]), common_weight(lt[lj[0]]))


def score_tokens(
    q: Sequence[str],
    lt: Sequence[str],
    weigh: Weigh,
    identity: Callable[[str], bool],
    wq: Sequence[float] | None = None,
    wl: Sequence[float] | None = None,
    family: frozenset[str] = frozenset(),
    abjad: frozenset[str] = frozenset(),
) -> Scored:
    """Score query tokens against listed tokens; `weigh` gives each token's weight (or pass wq, wl).
    `family`: the listed person's family-name words, when known (`normalise.family_tokens`); `abjad`: the
    query tokens romanised from an abjad (`similarity.abjad_set`)."""
    if not q or not lt:
        return Scored(0.0, ())
    if wq is None:
        wq = [weigh(t) for t in q]
    if wl is None:
        wl = [weigh(t) for t in lt]
    chosen, used_q, used_l = greedy(q, lt, wq, wl, abjad)
    if len(used_q) < len(q) and len(used_l) < len(lt):
        chosen += joins(q, lt, wq, wl, used_q, used_l, abjad)
    if len(used_q) < len(q) and len(used_l) < len(lt):
        chosen += variants(q, lt, wq, wl, used_q, used_l)
    parts: list[Part] = []
    num = den = 0.0
    has_identity = False
    # In a personal name of which the query leaves listed words out, a common given or family name met
    # exactly is weak evidence that it is the listed person (Kim, Smith, Mohammed): it weighs less, the words
    # beside it as before. An exact pair is at least as similar as the whole name,
    # so weighing it less can only lower a score (and the retrieval bound stays a bound).
    personal = len(used_l) < len(lt) and _personal(q, lt)  # a listed word is left out: is it the person?
    for _gain, s, qi, lj in sorted(chosen, key=lambda c: c[2]):
        w = min(sum(wq[i] for i in qi), sum(wl[j] for j in lj))
        if personal and s == 1.0:
            w = min(w, _pair_cap(q, lt, qi, lj))
        num += s * w
        den += w
        qs = "+".join(q[i] for i in qi)
        ls = "+".join(lt[j] for j in lj)
        if any(identity(q[i]) for i in qi):
            has_identity = True
        parts.append(Part(qs, ls, s, w, w * (1.0 - s)))
    # Numbers left over on both sides differ ("Zu Zag Bong 6" / "... 5"): they pair up at similarity 0.
    q_num = [i for i, t in enumerate(q) if i not in used_q and t.isdigit()]
    l_num = [j for j, t in enumerate(lt) if j not in used_l and t.isdigit()]
    mismatched = False
    for i, j in zip(q_num, l_num, strict=False):
        used_q.add(i)
        used_l.add(j)
        w = NUMBER_MISMATCH * min(wq[i], wl[j])
        den += w
        mismatched = True
        parts.append(Part(q[i], lt[j], 0.0, w, w))
    # A one-word listed name ("GREEN", a vessel) is evidence only when the query adds little to it.
    floor = LONE_EXTRA if sum(1 for t in lt if identity(t)) == 1 else 0.0
    # The query holds the whole listed name, two name words or more: its extra words are more names of
    # the same party ("Janan Mohammad Ahmed Agha" / "Janan Agha") as often as another party.
    covered = _holds_listed(q, lt, used_l, parts, identity)
    alpha = COVERED_EXTRA if covered else ALPHA
    aligned = {q[i] for i in used_q} if covered else set()
    q_form, q_form_cost = _legal_leftovers(q, used_q, wq)
    l_form, l_form_cost = _legal_leftovers(lt, used_l, wl)
    for i, t in enumerate(q):
        if i not in used_q:
            cost = alpha * (wq[i] if _is_form(t, wq[i]) else max(wq[i], floor))
            if t in aligned:
                cost = 0.0  # the same word twice ("Shoigu Shoigu Sergey") says nothing more
            elif i in q_form:
                cost = alpha * q_form_cost if i == min(q_form) else 0.0
            den += cost
            parts.append(Part(t, "", 0.0, wq[i], cost))
    for j, t in enumerate(lt):
        if j not in used_l:
            cost = BETA * (l_form_cost if j == min(l_form) else 0.0) if j in l_form else BETA * wl[j]
            den += cost
            parts.append(Part("", t, 0.0, wl[j], cost))
    factors: list[tuple[str, float]] = []
    score = num / den if den > 0 else 0.0
    if _crosses_lineage(q, chosen):
        factors.append(("son/father swapped", LINEAGE_SWAP))
        score *= LINEAGE_SWAP
    if any(
        p.query and (not p.listed or len(p.listed) == 1 < len(p.query)) and _named(p.query, identity)
        for p in parts
    ) and any(p.listed and (not p.query or len(p.query) == 1) and _named(p.listed, identity) for p in parts):
        # A name word on each side left over; a word met only by an initial counts as left over, on either
        # side ("Thomas H. Kean" / "Thomas Harris": Kean is not Harris; "Arina Sokolov" / "Vladislav A.
        # Sokolov": Arina is not Vladislav).
        factors.append(("substitution", SUBSTITUTION))
        score *= SUBSTITUTION
    elif family and _family_missing(q, lt, parts, family, identity):
        # "James Allen" / "James Allen Larrison": the listed surname is nowhere in the query.
        factors.append(("surname missing", SUBSTITUTION))
        score *= SUBSTITUTION
    elif any(len(p.query) == 1 and not p.listed and p.query.isalpha() for p in parts) and any(
        len(p.listed) == 1 and not p.query and p.listed.isalpha() for p in parts
    ):
        # "George D. Mitchell" / "George R. Mitchell": two middle initials, two people.
        factors.append(("initials differ", SUBSTITUTION))
        score *= SUBSTITUTION
    elif any(p.query and p.listed and 0.0 < p.sim < WEAK_PAIR and identity(p.query) for p in parts):
        # A pair this far apart ("Jonsdottir" / "Tomasdottir") is more often one name put for another.
        factors.append(("weak pair", SUBSTITUTION))
        score *= SUBSTITUTION
    elif _initials_only(parts, identity):
        # "OOO Krov" / "OOO A-K-S": the only name words that met are a word and an initial.
        factors.append(("initials only", SUBSTITUTION))
        score *= SUBSTITUTION
    elif _one_near_short_word(q, lt, parts, identity):
        # "Koeo LLC" / "KOTO MACHINERY CO., LTD": the one word that names anything differs by a letter
        # in a short word, which is as often another word as a spelling of the same.
        factors.append(("one short word, near only", SUBSTITUTION))
        score *= SUBSTITUTION
    if part_of_listed(q, lt, parts, identity, common_weight, abjad):
        # "Eko LLC" / "EKO SHIPPING LLC": a company's one weak word meets part of a longer listed name
        factors.append(("one word of a longer company name", ONE_WORD))
        score *= ONE_WORD
    if not has_identity and not _same_generic_name(q, lt, parts, used_q, used_l, wq):
        # A name made only of generic words, legal forms and particles identifies nobody ("CORP"),
        # unless it is the listed name itself, word for word ("Materials International").
        factors.append(("generic only", 0.0))
        score = 0.0
    if mismatched:
        factors.append(("number mismatch", 1.0))
    return Scored(min(1.0, max(0.0, score)), tuple(parts), tuple(factors))


def _one(_: str) -> float:
    return 1.0


def _always(_: str) -> bool:
    return True


def cjk_score(query_chars: str, listed_chars: str) -> Scored | None:
    """Both names written in Han, kana or Hangul: each character aligned as a token of its own, since
    homophones romanise alike (高石 / 高市, 김종은 / 김정은). None when either side has no such character."""
    if not query_chars or not listed_chars:
        return None
    scored = score_tokens(tuple(query_chars), tuple(listed_chars), _one, _always)
    return Scored(scored.score, scored.parts, (("characters", scored.score),))
