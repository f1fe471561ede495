"""Candidate retrieval for a batch of queries: which listed names could reach the threshold, and a bound on
their score, computed for many queries at once.

Per query, prefix filtering picks the rarest tokens (a name sharing none of them misses more than a
passing name may miss) and only their postings are read; the other tokens are counted on the candidates.
A token a name holds (or a spelling of it the scorer can align, `index.reach`, or an adjacent pair of
words joined) counts whole, whatever its similarity, and the bound is `bound.upper_bound`: per query token
and name, its weight, its miss cost and the listed weight it can take up. The sums and the bounds of all
queries of a batch are computed together in numpy, one sort for the batch instead of a dozen small array
operations per query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from exportctl.engine.screening.bound import key_weight, miss_costs, upper_bound
from exportctl.engine.screening.postings import holds, values_at
from exportctl.engine.screening.readings import reads_of

if TYPE_CHECKING:
    from exportctl.engine.screening.index import ScreeningIndex

BIG_POSTING = 3000  # tokens on more names than this are never probed: they are assumed to match
PROBE_MARGIN = (
    0.0  # the bound is an upper bound of the scorer (bound.py): retrieval prunes at the threshold itself
)
MAX_WEIGHT = 1.0  # the most a listed word weighs (index.weigh)
LETTER_BIT = {chr(97 + k): 1 << k for k in range(26)}
Candidates = tuple[np.ndarray, np.ndarray]


@dataclass
class Plan:
    """What one query reads: probed groups (positions, sorted name ids, the listed weight each can take up),
    the tokens counted on the candidates, the very common ones checked per name, and its bound's scalars."""

    q: tuple[str, ...]
    wq: list[float]
    cost: list[float]  # per position, its least miss cost (`bound.miss_costs`)
    total_cost: float
    alpha: float
    t: float
    groups: list[tuple[tuple[int, ...], np.ndarray, np.ndarray]] = field(default_factory=list)
    later: list[int] = field(default_factory=list)
    big: list[tuple[int, frozenset[str], float]] = field(default_factory=list)  # position, spellings, weight
    # adjacent tokens joined ("hua wei"): their positions, the names holding the join, what they can take up
    joins: list[tuple[tuple[int, ...], np.ndarray, np.ndarray]] = field(default_factory=list)
    free: list[int] = field(default_factory=list)  # read or abjad tokens: may align with any listed word


def plan(
    index: ScreeningIndex, q: tuple[str, ...], threshold: float, abjad: frozenset[str] = frozenset()
) -> Plan | None:
    """The postings one query reads, or None when no listed name can reach the threshold (`abjad`: its
    tokens romanised from an abjad, `similarity.abjad_set`)."""
    if not q:
        return None
    wq = index.weights(q, abjad)
    cost, alpha = miss_costs(q, wq)
    total = sum(wq)
    t = max(0.05, threshold - PROBE_MARGIN)
    p = Plan(q, wq, cost, sum(cost), alpha, t)
    sizes = [index.posting_size(tok, tok in abjad) for tok in q]
    probed: set[int] = set()
    lone_initial = [
        len(tok) > 1 and all(k == tok[0] for k, _s in index.reach(tok, tok in abjad)) for tok in q
    ]
    if not any(size and not lone for size, lone in zip(sizes, lone_initial, strict=True)):
        # No token hit (but a listed initial), not even within its edit budget: trigram search keeps recall.
        for i, tok in enumerate(q):
            ab = tok in abjad
            m = index.fallback_merged(tok, ab) if index.identity(tok, ab) and len(tok) >= 5 else None
            if m is not None and len(m[0]):
                p.groups.append(((i,), *m))
                probed.add(i)
    else:
        # A name holding none of the probed tokens scores at most (W-m)/(W-m+alpha*c) (m their weight, c
        # their miss cost): probe the rarest until that is below t.
        missed_w = missed_c = 0.0
        # A token read from another script (`readings`) or written without vowels compares by similarities
        # no posting list holds: probed for candidates, but assumed held by every name in the bound.
        p.free = [i for i, tok in enumerate(q) if tok in abjad or reads_of(abjad, tok)]
        for i in sorted(range(len(q)), key=lambda k: (sizes[k], k)):
            safe = (total - missed_w) * (1.0 - t) < t * alpha * missed_c
            initial = len(q[i]) == 1 and q[i].isalpha()  # meets any listed word of its letter: counted later
            if not safe and not initial and sizes[i] <= BIG_POSTING:
                if i not in p.free:
                    missed_w += wq[i]
                    missed_c += cost[i]
                m = index.merged(q[i], q[i] in abjad)
                if m is not None and len(m[0]):
                    p.groups.append(((i,), *m))
                probed.add(i)
            elif sizes[i] > BIG_POSTING and not initial:
                # Too common to read: assumed held, checked per candidate (the names the rarer tokens found;
                # a name holding only very common words is not retrieved: nothing identifies it).
                reach = index.reach(q[i], q[i] in abjad)
                heaviest = max((key_weight(index, k) for k, _s in reach), default=0.0)
                p.big.append((i, frozenset(k for k, _s in reach), heaviest))
            else:
                p.later.append(i)
    for size in (2, 3):
        for i in range(len(q) - size + 1):
            run = tuple(range(i, i + size))
            m = index.joined("".join(q[i : i + size]), size == 2)
            if m is None or not len(m[0]):
                continue
            p.joins.append((run, *m))
            pair = tuple(k for k in run if k in probed)
            if pair:  # a join counts here for its probed tokens, and on the candidates for the others
                p.groups.append((pair, *m))
    return p if p.groups else None


def candidates_batch(
    index: ScreeningIndex,
    queries: list[tuple[str, ...]],
    threshold: float,
    abjad: list[frozenset[str]] | None = None,
) -> list[Candidates]:
    """Per query: name ids whose score could reach `threshold`, and that upper bound, best first (`abjad`:
    per query, its tokens romanised from an abjad)."""
    empty: Candidates = (np.empty(0, dtype=np.int64), np.empty(0))
    none: frozenset[str] = frozenset()
    plans = [plan(index, q, threshold, abjad[k] if abjad else none) for k, q in enumerate(queries)]
    live = [k for k, p in enumerate(plans) if p is not None]
    out = [empty] * len(queries)
    if not live:
        return out
    n_names = len(index.name_text)
    width = max(len(q) for q in queries) + 1
    keys_l, w_l, c_l, lw_l = [], [], [], []

    def add(k: int, i: int, ids: np.ndarray, lws: np.ndarray) -> None:
        p = plans[k]
        assert p is not None
        keys_l.append((ids.astype(np.int64) + k * n_names) * width + i)
        w_l.append(np.full(len(ids), p.wq[i]))
        c_l.append(np.full(len(ids), p.cost[i]))
        lw_l.append(lws)

    for k in live:
        for pos, ids, lws in plans[k].groups:  # type: ignore[union-attr]
            for i in pos:
                add(k, i, ids, lws)
    cand = np.unique(np.concatenate(keys_l) // width)
    qidx, nid = cand // n_names, cand % n_names
    at = np.searchsorted(qidx, np.arange(len(queries) + 1))
    first_letters = index.letter_masks()
    for k in live:
        p = plans[k]
        assert p is not None
        a, b = at[k], at[k + 1]
        ids = nid[a:b]
        for i in p.later:
            # Counted where the name has the token, a near spelling, or it joined with a neighbour.
            m = index.merged(p.q[i], p.q[i] in (abjad[k] if abjad else none))
            got = values_at(*m, ids) if m is not None else np.zeros(b - a)
            for run, j_ids, j_lws in p.joins:
                if i in run:
                    got = np.maximum(got, values_at(j_ids, j_lws, ids))
            add(k, i, ids[got > 0.0], got[got > 0.0])
        for i, tok in enumerate(p.q):
            bit = LETTER_BIT.get(tok) if len(tok) == 1 else None
            if bit is not None:  # an initial aligns with any listed word of its letter
                hit = (first_letters[ids] & bit) > 0
                add(k, i, ids[hit], np.full(int(hit.sum()), MAX_WEIGHT))
    # Per (query, name, position): held once, taking up the heaviest listed word it reaches.
    key3, lw = np.concatenate(keys_l), np.concatenate(lw_l)
    w3, c3 = np.concatenate(w_l), np.concatenate(c_l)
    order = np.lexsort((-lw, key3))
    key3, lw, w3, c3 = key3[order], lw[order], w3[order], c3[order]
    first = np.ones(len(key3), dtype=bool)
    first[1:] = key3[1:] != key3[:-1]
    key3, lw, w3, c3 = key3[first], lw[first], w3[first], c3[first]
    uniq, inv = np.unique(key3 // width, return_inverse=True)
    assert len(uniq) == len(cand)
    # A pair weighs the lighter of its two sides: per held position, its weight or what it can take up.
    acc = np.bincount(inv, weights=np.minimum(w3, lw), minlength=len(uniq))
    held = np.bincount(inv, weights=c3, minlength=len(uniq))
    acc_l = np.bincount(inv, weights=lw, minlength=len(uniq))
    total_cost = np.zeros(len(queries))
    alpha = np.ones(len(queries))
    t = np.ones(len(queries))
    big_w = np.zeros(len(queries))
    big_c = np.zeros(len(queries))
    big_l = np.zeros(len(queries))
    for k in live:
        p = plans[k]
        assert p is not None
        total_cost[k], alpha[k], t[k] = p.total_cost, p.alpha, p.t
        for i in p.free:
            big_w[k] += min(p.wq[i], MAX_WEIGHT)
            big_c[k] += p.cost[i]
            big_l[k] += MAX_WEIGHT
        for i, _keys, heaviest in p.big:
            big_w[k] += min(p.wq[i], heaviest)
            big_c[k] += p.cost[i]
            big_l[k] += heaviest
    charge = index.name_weight[nid]
    bound = upper_bound(acc + big_w[qidx], held + big_c[qidx], acc_l + big_l[qidx], total_cost[qidx],
                        alpha[qidx], charge)  # fmt: skip
    ok = bound >= t[qidx]
    qidx, nid, acc, held, acc_l, charge = qidx[ok], nid[ok], acc[ok], held[ok], acc_l[ok], charge[ok]
    at = np.searchsorted(qidx, np.arange(len(queries) + 1))
    sets = index.name_sets
    for k in live:
        p = plans[k]
        assert p is not None
        a, b = at[k], at[k + 1]
        if not p.big or b == a:
            continue
        ids = nid[a:b]
        for i, spellings, heaviest in p.big:  # held where the name has a spelling, or the token joined
            hit = np.fromiter((not spellings.isdisjoint(sets[n]) for n in ids.tolist()), bool, b - a)
            for run, j_ids, _l in p.joins:
                if i in run:
                    hit |= holds(j_ids, ids)
            acc[a:b] += np.where(hit, min(p.wq[i], heaviest), 0.0)
            held[a:b] += np.where(hit, p.cost[i], 0.0)
            acc_l[a:b] += np.where(hit, heaviest, 0.0)
    free_w, free_c, free_l = np.zeros(len(queries)), np.zeros(len(queries)), np.zeros(len(queries))
    for k in live:
        for i in plans[k].free:  # type: ignore[union-attr]
            free_w[k] += min(plans[k].wq[i], MAX_WEIGHT)  # type: ignore[union-attr]
            free_c[k] += plans[k].cost[i]  # type: ignore[union-attr]
            free_l[k] += MAX_WEIGHT
    bound = upper_bound(acc + free_w[qidx], held + free_c[qidx], acc_l + free_l[qidx], total_cost[qidx],
                        alpha[qidx], charge)  # fmt: skip
    ok = bound >= t[qidx]
    qidx, nid, bound = qidx[ok], nid[ok], bound[ok]
    order = np.lexsort((-bound, qidx))  # by query, then best bound first (ties: lower name id first)
    qidx, nid, bound = qidx[order], nid[order], bound[order]
    at = np.searchsorted(qidx, np.arange(len(queries) + 1))
    for k in live:  # all of them: screening scores them best bound first and stops where none can enter
        a, b = at[k], at[k + 1]
        if b > a:
            out[k] = (nid[a:b], bound[a:b])
    return out
