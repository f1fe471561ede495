"""Scoring one query name against one listed name, with the explanation of every point.

Each query token aligns to at most one listed token (or two adjacent tokens on one side align to one on
the other: "Huawei" / "hua wei", "AlisherUsmanov"). A pair's similarity is 1 for equal tokens, falls with
the edit distance inside a budget that grows with token length, and is 0 beyond it; numbers match only
exactly. The name score is the weighted similarity of the aligned pairs over the weight of everything:
unaligned query tokens cost ALPHA times their weight, unaligned listed tokens BETA times (a listed middle
name missing from the query is common, a query word missing from the listed name means another party).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from exportctl.engine.screening.terms import terms

ALPHA = 1.0  # cost factor of an unaligned query token
BETA = 0.5  # cost factor of an unaligned listed token
NUMBER_MISMATCH = 1.0  # weight factor of a pair of differing numbers (cost, never a gain)
INITIAL_SIM = 0.8  # "J" against "Joachim"
FORM_WEIGHT = 0.2  # the weight of generic words (index.W_GENERIC); legal forms weigh less
FIRST_LETTER = 0.85
SHORT_WORD = 5  # one edit in a word this short may well be another word
LONE_EXTRA = 0.5  # least cost of a query word beside a one-word listed name
FUZZ = 1.0
VOWEL_FUZZ = (
    0.5  # an edit that changes only vowels costs half  # similarity lost per edit, relative to token length
)
SUBSTITUTION = 0.85  # a name word on each side aligned with nothing: one word was replaced by another
LINEAGE_SWAP = 0.6  # names on the other side of "bin" / "ibn": father and son swapped
CONSONANT_EDITS = 0.6  # similarity factor of a pair whose consonant skeletons differ by two edits or more
SKELETON_SIM = 0.85  # vowel-less transliteration (Arabic, Hebrew, Persian) against its vowelled form

_VOWELS = str.maketrans("", "", "aeiouwyh")
_SKEL_MAP = str.maketrans("pvgqc", "bfjkk")

Weigh = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class Part:
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


def _crosses_lineage(
    q: Sequence[str], chosen: Sequence[tuple[float, float, tuple[int, ...], tuple[int, ...]]]
) -> bool:
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


def edit_budget(length: int) -> int:
    """How many edits a token of this length may carry and still align."""
    if length <= 2:
        return 0
    if length == 3:
        return 1
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


@lru_cache(maxsize=1 << 20)
def token_sim(a: str, b: str) -> float:
    """Similarity of two normalised tokens in [0, 1] (symmetric)."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return INITIAL_SIM if (la == 1) != (lb == 1) and a[0] == b[0] else 0.0
    longest = max(la, lb)
    budget = edit_budget(longest)
    dist = budget + 1
    if budget > 0 and abs(la - lb) <= budget:
        dist = OSA.distance(a, b, score_cutoff=budget)
    if dist <= budget:
        sim = 1.0 - FUZZ * dist / longest
        if dist >= 2 and OSA.distance(_consonants(a), _consonants(b), score_cutoff=2) >= 2:
            # Two consonants changed is another name (Monteiro / Montenegro); spelling variants of one
            # name mostly differ in vowels and y/w/h (Volodimir / Volodymyr, Husayn / Hussein).
            sim *= CONSONANT_EDITS
        if a[0] != b[0] and longest <= SHORT_WORD:
            sim *= FIRST_LETTER  # Gary / Mary: a short word with another first letter is another word
        return max(0.0, sim)
    if _VOWEL_SET.isdisjoint(a) == _VOWEL_SET.isdisjoint(b):
        return 0.0
    return _skeleton_sim(a, b)


def _skeleton(tok: str) -> str:
    out: list[str] = []
    for ch in tok.translate(_VOWELS).translate(_SKEL_MAP):
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


_VOWEL_SET = frozenset("aeiou")


_CONSONANTS = str.maketrans("zvwpqcx", "sffbkks", "aeiouyhj")


def _consonants(tok: str) -> str:
    """The consonants of a token, with letters that transliterations swap folded together (s/z, v/w/f)."""
    out: list[str] = []
    for ch in tok.translate(_CONSONANTS):
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _vowelless(tok: str) -> bool:
    return _VOWEL_SET.isdisjoint(tok)


def _skeleton_sim(a: str, b: str) -> float:
    """Scripts written without short vowels (Arabic, Persian, Hebrew) romanise to consonants only."""
    if _vowelless(a) == _vowelless(b) or min(len(a), len(b)) < 3:
        return 0.0
    sa, sb = _skeleton(a), _skeleton(b)
    if len(sa) < 2 or len(sb) < 2:
        return 0.0
    if sa == sb:
        return SKELETON_SIM
    if max(len(sa), len(sb)) >= 5 and OSA.distance(sa, sb, score_cutoff=1) <= 1:
        return SKELETON_SIM * 0.85
    return 0.0


def _greedy(
    q: Sequence[str], lt: Sequence[str], wq: Sequence[float], wl: Sequence[float]
) -> tuple[list[tuple[float, float, tuple[int, ...], tuple[int, ...]]], set[int], set[int]]:
    chosen: list[tuple[float, float, tuple[int, ...], tuple[int, ...]]] = []
    used_q: set[int] = set()
    used_l: set[int] = set()
    # Equal tokens align first (no pair can do better for either token); only the rest is compared.
    where: dict[str, list[int]] = {}
    for j, b in enumerate(lt):
        where.setdefault(b, []).append(j)
    for i, a in enumerate(q):
        spots = where.get(a)
        if spots:
            j = spots.pop(0)
            used_q.add(i)
            used_l.add(j)
            chosen.append((min(wq[i], wl[j]), 1.0, (i,), (j,)))
    if len(used_q) == len(q) or len(used_l) == len(lt):
        return chosen, used_q, used_l
    cands: list[tuple[float, float, tuple[int, ...], tuple[int, ...]]] = []
    free_l = [j for j in range(len(lt)) if j not in used_l]
    for i, a in enumerate(q):
        if i in used_q:
            continue
        for j in free_l:
            s = token_sim(a, lt[j])
            if s > 0.0:
                cands.append((s * min(wq[i], wl[j]), s, (i,), (j,)))
    cands.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    for gain, s, qi, lj in cands:
        if qi[0] in used_q or lj[0] in used_l:
            continue
        used_q.add(qi[0])
        used_l.add(lj[0])
        chosen.append((gain, s, qi, lj))
    return chosen, used_q, used_l


def _joins(
    q: Sequence[str],
    lt: Sequence[str],
    wq: Sequence[float],
    wl: Sequence[float],
    used_q: set[int],
    used_l: set[int],
) -> list[tuple[float, float, tuple[int, ...], tuple[int, ...]]]:
    """Align two or three adjacent unaligned tokens on one side with one unaligned token on the other."""
    found: list[tuple[float, float, tuple[int, ...], tuple[int, ...]]] = []
    free_l = [j for j in range(len(lt)) if j not in used_l]
    free_q = [i for i in range(len(q)) if i not in used_q]
    for size in (2, 3):
        for i in free_q:
            run = tuple(range(i, i + size))
            if run[-1] < len(q) and not any(x in used_q for x in run):
                joined = "".join(q[x] for x in run)
                for j in free_l:
                    s = token_sim(joined, lt[j])
                    if s > 0.0:
                        found.append((s * min(sum(wq[x] for x in run), wl[j]), s, run, (j,)))
        for j in free_l:
            run = tuple(range(j, j + size))
            if run[-1] < len(lt) and not any(x in used_l for x in run):
                joined = "".join(lt[x] for x in run)
                for i in free_q:
                    s = token_sim(q[i], joined)
                    if s > 0.0:
                        found.append((s * min(wq[i], sum(wl[x] for x in run)), s, (i,), run))
    found.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    chosen = []
    for gain, s, qi, lj in found:
        if any(x in used_q for x in qi) or any(x in used_l for x in lj):
            continue
        used_q.update(qi)
        used_l.update(lj)
        chosen.append((gain, s, qi, lj))
    return chosen


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


def score_tokens(
    q: Sequence[str],
    lt: Sequence[str],
    weigh: Weigh,
    identity: Callable[[str], bool],
    wq: Sequence[float] | None = None,
    wl: Sequence[float] | None = None,
) -> Scored:
    """Score query tokens against listed tokens; `weigh` gives each token's weight (or pass wq, wl)."""
    if not q or not lt:
        return Scored(0.0, ())
    if wq is None:
        wq = [weigh(t) for t in q]
    if wl is None:
        wl = [weigh(t) for t in lt]
    chosen, used_q, used_l = _greedy(q, lt, wq, wl)
    if len(used_q) < len(q) and len(used_l) < len(lt):
        chosen += _joins(q, lt, wq, wl, used_q, used_l)
    parts: list[Part] = []
    num = den = 0.0
    has_identity = False
    for _gain, s, qi, lj in sorted(chosen, key=lambda c: c[2]):
        w = min(sum(wq[i] for i in qi), sum(wl[j] for j in lj))
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
    for i, t in enumerate(q):
        if i not in used_q:
            cost = ALPHA * (wq[i] if _is_form(t, wq[i]) else max(wq[i], floor))
            den += cost
            parts.append(Part(t, "", 0.0, wq[i], cost))
    for j, t in enumerate(lt):
        if j not in used_l:
            den += BETA * wl[j]
            parts.append(Part("", t, 0.0, wl[j], BETA * wl[j]))
    factors: list[tuple[str, float]] = []
    score = num / den if den > 0 else 0.0
    if _crosses_lineage(q, chosen):
        factors.append(("son/father swapped", LINEAGE_SWAP))
        score *= LINEAGE_SWAP
    if any(p.query and not p.listed and _named(p.query, identity) for p in parts) and any(
        p.listed and not p.query and _named(p.listed, identity) for p in parts
    ):
        factors.append(("substitution", SUBSTITUTION))
        score *= SUBSTITUTION
    if not has_identity and not _same_generic_name(q, lt, parts, used_q, used_l, wq):
        # A name made only of generic words, legal forms and particles identifies nobody ("CORP"),
        # unless it is the listed name itself, word for word ("Materials International").
        factors.append(("generic only", 0.0))
        score = 0.0
    if mismatched:
        factors.append(("number mismatch", 1.0))
    return Scored(min(1.0, max(0.0, score)), tuple(parts), tuple(factors))
