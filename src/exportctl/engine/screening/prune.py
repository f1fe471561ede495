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
is not asked. Only plain Latin queries are tested (`screen.screen_tokens`): the readings, skeletons and
the rules that lift a score (a title and surname, a given name and patronymic) are left to the scorer.
"""

from __future__ import annotations

from collections.abc import Sequence

from exportctl.engine.screening.align import VARIANT_SIM
from exportctl.engine.screening.similarity import edit_budget, token_sim
from exportctl.engine.screening.terms import terms
from exportctl.engine.screening.variants import are_variants, has_variants

EPS = 1e-9
SLACK = 1e-12  # margin of an early answer (cannot_reach)
# A pair of words longer than one letter whose length gap is beyond the longer word's edit budget scores 0
# in `token_sim` (a plain query: no skeleton, reading or vowel skeleton): `_best` skips it without the call.
_BUDGET = tuple(edit_budget(n) for n in range(64))


def _best(a: str, toks: Sequence[str], lens: Sequence[int], best: float) -> float:
    """The greater of `best` and the highest `token_sim` of plain query token `a` with any of `toks`
    (their lengths `lens`), stopping at 1, the highest similarity."""
    la = len(a)
    for b, lb in zip(toks, lens, strict=True):
        if la > 1 and lb > 1:
            longest = la if la > lb else lb
            budget = _BUDGET[longest] if longest < 64 else edit_budget(longest)
            if (la - lb if la > lb else lb - la) > budget:
                continue  # scores 0 (similarity._token_sim: beyond the budget, neither side an initial)
        s = token_sim(a, b, False, (), False)  # the arguments greedy passes: one cache entry
        if s > best:
            best = s
            if best >= 1.0:
                break
    return best


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
    return QueryBound(q, wq, wb, alpha).cannot_reach(lt, t)


Listed = tuple[frozenset[str], list[int], list[str], list[int]]  # a listed name's tokens as a set, their
# lengths, its tokens joined by two and three, their lengths
_LISTED: dict[tuple[str, ...], Listed] = {}
LISTED_KEPT = 1 << 17  # listed names whose set, lengths and joins are kept (a batch meets the same ones)


def clear_listed() -> None:
    """Forget the listed names kept by `_listed` (screen.clear_caches: benchmarks start cold)."""
    _LISTED.clear()


def _listed(lt: Sequence[str]) -> Listed:
    """What `QueryBound.cannot_reach` reads of a listed name, made once per name."""
    key = tuple(lt)
    got = _LISTED.get(key)
    if got is None:
        m = len(key)
        joins_l = ["".join(key[j : j + k]) for k in (2, 3) for j in range(m - k + 1)]
        got = (frozenset(key), [len(b) for b in key], joins_l, [len(b) for b in joins_l])
        if len(_LISTED) >= LISTED_KEPT:
            _LISTED.clear()
        _LISTED[key] = got
    return got


class QueryBound:
    """`cannot_reach` for one plain query against each of its candidates: what depends on the query alone
    (its joins, which tokens are name words, which have spellings in the name table, the sums of a
    threshold) is made once, not once per listed name."""

    __slots__ = ("_at", "alpha", "joins", "n", "name_word", "q", "spelt", "wb", "wq")

    def __init__(self, q: Sequence[str], wq: Sequence[float], wb: Sequence[float], alpha: float) -> None:
        tm = terms()
        self.q, self.wq, self.wb, self.alpha, self.n = tuple(q), wq, wb, alpha, len(q)
        n = self.n
        self.name_word = [
            len(a) > 1 and not a.isdigit() and a not in tm.legal and a not in tm.particles for a in q
        ]
        self.spelt = [not a.isdigit() and has_variants(a) for a in q]
        # per token, the joins of two and three query tokens that hold it (in the order they are asked)
        self.joins = [
            [
                "".join(q[start : start + k])
                for k in (2, 3)
                for start in range(max(0, i - k + 1), min(i, n - k) + 1)
            ]
            for i in range(n)
        ]
        self._at: dict[float, tuple[list[float], list[float], float, float]] = {}

    def _sums(self, t: float) -> tuple[list[float], list[float], float, float]:
        """What each token can add at most and at least at threshold `t`, and their sums."""
        got = self._at.get(t)
        if got is None:
            wq, wb, alpha = self.wq, self.wb, self.alpha
            most = [(1.0 - t) * wq[i] if t < 1.0 else 0.0 for i in range(self.n)]
            least = [-t * alpha * wb[i] if self.name_word[i] else 0.0 for i in range(self.n)]
            got = self._at[t] = (most, least, sum(most), sum(least))
        return got

    def cannot_reach(self, lt: Sequence[str], t: float) -> bool:
        """Whether the query scores below `t` against listed tokens `lt` whatever the alignment."""
        q, wq = self.q, self.wq
        listed, lens, joins_l, join_lens = _listed(lt)
        most, least, rest_most, rest_least = self._sums(t)
        # What each token can add at most and at least, whatever it aligns with: once what is summed plus
        # the most the rest can add is below 0 (or plus the least is at or above it), the answer is known.
        # SLACK (far above the rounding of a few sums, far below any weight) keeps such an early answer the
        # same as the whole sum's.
        joined: dict[str, float] = {}  # a join of query tokens asked for one token is asked once per pair
        total = 0.0
        for i, a in enumerate(q):
            rest_most -= most[i]
            rest_least -= least[i]
            if a in listed:
                best = 1.0
            else:
                best = _best(a, lt, lens, 0.0)
                if best < 1.0:
                    best = _best(a, joins_l, join_lens, best)
                if best < 1.0:
                    for x in self.joins[i]:
                        m = joined.get(x)
                        if m is None:
                            m = joined[x] = _best(x, lt, lens, 0.0)
                        if m > best:
                            best = m
                            if best >= 1.0:
                                break
                # a spelling of the same name lifts the token to VARIANT_SIM: no change at all when that is
                # at most t and the token aligns with something already (it adds 0 either way)
                if (
                    best < VARIANT_SIM
                    and (best <= 0.0 or t < VARIANT_SIM)
                    and self.spelt[i]
                    and any(are_variants(a, b) for b in lt if not b.isdigit())
                ):
                    best = VARIANT_SIM
            if best > t:
                total += (best - t) * wq[i]
            elif best <= 0.0:
                total += least[i]
            if total + rest_most < -EPS - SLACK:
                return True
            if total + rest_least >= -EPS + SLACK:
                return False
        return total < -EPS
