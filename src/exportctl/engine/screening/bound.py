"""The retrieval bound: the most `score.score_tokens` can give a listed name, from which of the query's
tokens the name can align with, and nothing else.

The scorer's score is at most P / (P + Cq + Cl): P, the weight of its aligned pairs (each pair weighs the
lighter of its two sides), Cq and Cl what the unaligned query and listed tokens cost (its factors only
lower a score). So a bound needs, per candidate, an upper bound of P and lower bounds of Cq and Cl:

* P is at most the sum, over the query tokens the name can align with, of the lighter of the token's weight
  and the listed weight it can take up (the heaviest listed word or adjacent pair of words it reaches,
  `key_weight`: a light query word may align with a heavy listed word, "70th" with "70 th").
* Cq is at least `alpha` times the `miss_costs` of the query tokens the name cannot align with: a repeated
  word of a personal name, the second and later words of a legal form and the particles and letters that
  may be pieces of one cost nothing there, as they may in the scorer.
* Cl is at least BETA times what the listed name's words are charged when unaligned (`listed_charge`: legal
  forms, particles and letters beside them, numbers left out) less what the query can take up.

Every such token counts whole in P and nothing in Cq (and the reverse for the others): a token aligned at
similarity s adds s*w to the score's numerator and w to its denominator, which can raise a score below 1,
so leaving an alignable token out of both sides is no bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from exportctl.engine.screening.score import ALPHA, BETA, COVERED_EXTRA
from exportctl.engine.screening.terms import terms

ROUNDING = 1e-9

if TYPE_CHECKING:
    from exportctl.engine.screening.index import ScreeningIndex


def miss_costs(q: Sequence[str], wq: Sequence[float]) -> tuple[list[float], float]:
    """Per query position, the least the scorer charges (before its factor alpha) when the token aligns with
    nothing, and the least that factor can be (COVERED_EXTRA for a personal name: no legal form or generic
    word)."""
    t = terms()
    legal_q = any(tok in t.legal for tok in q)
    personal = not any(tok in t.light for tok in q)
    counts: dict[str, int] = {}
    for tok in q:
        counts[tok] = counts.get(tok, 0) + 1
    out: list[float] = []
    legal_seen = False
    for tok, w in zip(q, wq, strict=True):
        if personal and counts[tok] > 1:
            out.append(0.0)  # "Shoigu Shoigu Sergey": the same word again costs nothing beside a covered name
        elif legal_q and tok in t.legal:
            out.append(0.0 if legal_seen else w)  # the pieces of a legal form cost what one costs
            legal_seen = True
        elif legal_q and ((len(tok) == 1 and not tok.isdigit()) or tok in t.particles):
            out.append(0.0)  # a letter or particle beside a legal form may be a piece of it ("S. de R.L.")
        else:
            out.append(w)
    return out, (COVERED_EXTRA if personal else ALPHA)


def listed_charge(toks: Sequence[str], weights: Sequence[float]) -> float:
    """The least the scorer charges (before BETA) for a listed name's words, all left unaligned: numbers
    may pair with a query number instead, and the pieces of a legal form cost what one costs."""
    t = terms()
    legal_l = any(tok in t.legal for tok in toks)
    total = 0.0
    legal_seen = False
    for tok, w in zip(toks, weights, strict=True):
        if tok.isdigit():
            continue
        if legal_l and tok in t.legal:
            total += 0.0 if legal_seen else w
            legal_seen = True
        elif legal_l and (len(tok) == 1 or tok in t.particles):
            continue
        else:
            total += w
    return total


def key_weight(index: ScreeningIndex, key: str) -> float:
    """The most a posting key weighs in any listed name: a listed word weighs its `weigh` or less
    (`titles.name_weights` only lowers), two or three adjacent words joined ("70 th" under "70th") the
    sum of their weights."""
    got = index._key_weights.get(key)
    if got is not None:
        return got
    df = index.df
    best = index.weigh(key) if key in df else 0.0
    for i in range(1, len(key)):
        a, b = key[:i], key[i:]
        if a not in df:
            continue
        if b in df:
            best = max(best, index.weigh(a) + index.weigh(b))
        for j in range(i + 1, len(key)):  # three words joined ("chan o cha" under "chanocha")
            if key[i:j] in df and key[j:] in df:
                best = max(best, index.weigh(a) + index.weigh(key[i:j]) + index.weigh(key[j:]))
    index._key_weights[key] = best
    return best


def seen_pair(index: ScreeningIndex, query: str, listed: str) -> bool:
    """Whether a pair the scorer aligned (`score.Part`: words joined with "+") is one retrieval can see, so
    that the bound counts it: the listed word (or words joined) among the spellings `index.reach` finds for
    the query word, one edit from two query words joined (`index.joined`), equal to three, an initial; an
    unaligned word is no pair. The rest (a listed word two deletions away, "pension" / "pensionny") is the
    deletion index's known gap, outside the bound."""
    if not query or not listed:
        return True
    q, lt = query.replace("+", ""), listed.replace("+", "")
    if q == lt or ((len(q) == 1) != (len(lt) == 1) and q[0] == lt[0]):
        return True
    if "+" in query:
        return query.count("+") == 1 and any(k == lt for k, _s in index.expand(q))
    return any(k == lt for k, _s in index.reach(q))


def upper_bound(
    pairs: np.ndarray,
    held_cost: np.ndarray,
    acc_listed: np.ndarray,
    total_cost: np.ndarray,
    alpha: np.ndarray,
    charge: np.ndarray,
) -> np.ndarray:
    """The most a name can score: `pairs` the most its aligned pairs can weigh (per query token it can align,
    the lighter of its weight and the listed weight it can take up), `held_cost` the `miss_costs` of those
    tokens, `acc_listed` the listed weight they can take up, `total_cost` the query's `miss_costs`, `charge`
    the name's `listed_charge`."""
    missed = np.maximum(total_cost - held_cost, 0.0)
    unaligned = np.maximum(charge - acc_listed, 0.0)
    den = pairs + alpha * missed + BETA * unaligned
    ratio = np.divide(pairs, den, out=np.zeros(len(den)), where=den > 0.0)
    return np.asarray(ratio + ROUNDING)  # the scorer sums in another order: never a hair below its score
