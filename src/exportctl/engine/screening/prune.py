"""A cheap test, before the full scorer, that a (query, listed name) pair cannot reach the threshold.

The name score is N / (N + K): N the similarity-weighted weight of the aligned pairs, K what they lack of
their weight plus the costs of unaligned tokens (score.py); the factors after it only lower it. A score
reaches t only if N - t (N + K) >= 0, a sum over the query's tokens. Each query token adds at most:
  - (m - t) * its weight, when m, the best similarity it has to any listed token, to two or three adjacent
    listed tokens joined, within a join of its own neighbours, or as a spelling of the same person name
    (VARIANT_SIM), is above t (a pair weighs at most the query side's weight);
  - 0 when m is above 0 but at most t (the pair may weigh almost nothing beside a light listed word), and
    for a number (its mismatch pair costs the lighter side's weight);
  - minus t times what leaving it unaligned costs at the least (`index.bound_weights`, the weights and the
    cost factor the retrieval bound counts) when it aligns with nothing and is a name word: a legal word,
    a particle or a single letter may be a piece of a broken legal form, which costs once in all.
Listed tokens left over only add costs. When that sum is below 0 the pair scores below t, and the scorer
is not asked. The part of a token's best similarity that does not depend on its neighbours is memoised per
(token, listed name): a common word meets the same listed names in many queries. Only plain Latin queries
are tested (`screen.screen_tokens`): the readings, skeletons and the rules that lift a score (a title and
surname, a given name and patronymic) are left to the scorer.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from exportctl.engine.screening.align import VARIANT_SIM
from exportctl.engine.screening.similarity import token_sim
from exportctl.engine.screening.terms import terms
from exportctl.engine.screening.variants import are_variants

EPS = 1e-9
MAX_EDITS = 3  # the largest edit budget (similarity.edit_budget): a longer length gap scores 0


def cannot_reach(
    q: Sequence[str],
    lt: Sequence[str],
    wq: Sequence[float],
    wb: Sequence[float],
    alpha: float,
    t: float,
) -> bool:
    """Whether plain query tokens `q` (weights `wq`; `wb` and `alpha` from `index.bound_weights`) score
    below `t` against listed tokens `lt` whatever the alignment (see the module's note)."""
    listed = tuple(lt)
    tm = terms()
    n = len(q)
    total = 0.0
    for i, a in enumerate(q):
        best = _own_best(a, listed)
        if best < 1.0:
            for k in (2, 3):
                for start in range(max(0, i - k + 1), min(i, n - k) + 1):
                    joined = "".join(q[start : start + k])
                    lj = len(joined)
                    for b in listed:
                        # a join is two letters at least: beyond MAX_EDITS of length difference it scores 0
                        # unless b is a single letter (an initial)
                        if abs(lj - len(b)) <= MAX_EDITS or len(b) == 1:
                            best = max(best, token_sim(joined, b, False, (), False))
        if best > t:
            total += (best - t) * wq[i]
        elif best <= 0.0 and len(a) > 1 and not a.isdigit() and a not in tm.legal and a not in tm.particles:
            total -= t * alpha * wb[i]
    return total < -EPS


MEMO_MAX = 1 << 18  # pairs the memo keeps before it starts over (~25 MB per process)
# (query token, listed tokens) -> what `_own_best` found: the part of a token's bound that does not depend on
# the query's other tokens, asked again whenever another query with the token meets the same listed name
_OWN: dict[tuple[str, tuple[str, ...]], float] = {}


def clear_prune_caches() -> None:
    """Forget the memo of best similarities and the joins of listed names (benchmarks start cold)."""
    _OWN.clear()
    _listed_joins.cache_clear()


def _own_best(a: str, lt: tuple[str, ...]) -> float:
    """The best similarity of query token `a` to a listed token of `lt`, to a join of two or three adjacent
    ones, or VARIANT_SIM for a name word when a listed token spells the same person name (memoised)."""
    key = (a, lt)
    best = _OWN.get(key)
    if best is not None:
        return best
    if a in lt:
        best = 1.0
    else:
        best = 0.0
        la = len(a)
        for b in lt:
            if la == 1 or len(b) == 1 or abs(la - len(b)) <= MAX_EDITS:
                best = max(best, token_sim(a, b, False, (), False))
        if best < 1.0:
            for b in _listed_joins(lt):
                if la == 1 or abs(la - len(b)) <= MAX_EDITS:
                    best = max(best, token_sim(a, b, False, (), False))
        if best < VARIANT_SIM and not a.isdigit() and any(are_variants(a, b) for b in lt if not b.isdigit()):
            best = VARIANT_SIM
    if len(_OWN) >= MEMO_MAX:
        _OWN.clear()
    _OWN[key] = best
    return best


@lru_cache(maxsize=1 << 16)
def _listed_joins(lt: tuple[str, ...]) -> tuple[str, ...]:
    """The joins of two and three adjacent listed tokens."""
    m = len(lt)
    return tuple("".join(lt[j : j + k]) for k in (2, 3) for j in range(m - k + 1))
