"""Candidate retrieval for a batch of queries: which listed names could reach the threshold, and a bound on
their score, computed for many queries at once.

Per query, prefix filtering picks the rarest tokens (a name sharing none of them misses more weight than
a passing name may miss) and only their postings are read; the other tokens are counted on the
candidates. A token a name holds (or a spelling of it the scorer can align, `index.reach`) counts its
whole query weight, whatever its similarity: the scorer weighs a pair at the lighter of its two words, so a
weak pair beside a light listed word ("nd" / "and") costs less than its similarity says, and only the
whole weight keeps the bound an upper bound of the score. The sums, the join corrections and the bounds of
all queries of a batch are then computed together in numpy, one sort for the batch instead of a dozen small
array operations per query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from exportctl.engine.screening.postings import holds, values_at
from exportctl.engine.screening.readings import vowelled_of
from exportctl.engine.screening.score import BETA

if TYPE_CHECKING:
    from exportctl.engine.screening.index import ScreeningIndex

BIG_POSTING = 3000  # tokens on more names than this are never probed: they are assumed to match
MAX_CANDIDATES = 64
PROBE_MARGIN = 0.05  # probe as if the threshold were this much lower, so fuzzy pairs are not lost
Expansions = tuple[tuple[str, float], ...]
Candidates = tuple[np.ndarray, np.ndarray]


@dataclass
class Plan:
    """What one query reads: probed groups (positions, sorted name ids, the gain of each of them), the
    tokens counted on the candidates, the very common ones checked per name, and the scalars of its bound."""

    q: tuple[str, ...]
    wq: list[float]
    total: float
    alpha: float
    t: float
    assumed: float = 0.0
    groups: list[tuple[tuple[int, ...], np.ndarray, float]] = field(default_factory=list)
    later: list[int] = field(default_factory=list)
    big: list[tuple[Expansions, float]] = field(default_factory=list)
    joins: dict[int, np.ndarray] = field(default_factory=dict)


def plan(
    index: ScreeningIndex, q: tuple[str, ...], threshold: float, abjad: frozenset[str] = frozenset()
) -> Plan | None:
    """The postings one query reads, or None when no listed name can reach the threshold (`abjad`: its
    tokens romanised from an abjad, `similarity.abjad_set`)."""
    if not q:
        return None
    wq = index.weights(q, abjad)
    wb, alpha = index.bound_weights(q, wq)
    total = sum(wb)
    t = max(0.05, threshold - PROBE_MARGIN)
    # A candidate that misses query tokens of weight m scores at most (W-m)/(W-m+alpha*m).
    max_missed = (1.0 - t) * total / (1.0 - t + t * alpha)
    p = Plan(q, wq, total, alpha, t)
    sizes = [index.posting_size(tok, tok in abjad, vowelled_of(abjad, tok)) for tok in q]
    probed: set[int] = set()
    if not any(sizes):
        # No token hit, not even within its edit budget: trigram search keeps recall.
        for i, tok in enumerate(q):
            ab = tok in abjad
            m = index.fallback_merged(tok, ab) if index.identity(tok, ab) and len(tok) >= 5 else None
            if m is not None and len(m[0]):
                p.groups.append(((i,), m[0], wq[i]))
                probed.add(i)
    else:
        covered = 0.0
        for i in sorted(range(len(q)), key=lambda k: (sizes[k], k)):
            if covered <= max_missed and (wb[i] > 0.0 or not sizes[i]) and sizes[i] <= BIG_POSTING:
                covered += wb[i]
                m = index.merged(q[i], q[i] in abjad, vowelled_of(abjad, q[i]))
                if m is not None and len(m[0]):
                    p.groups.append(((i,), m[0], wq[i]))
                probed.add(i)
            elif sizes[i] > BIG_POSTING:
                # Too common to read: assumed held, checked per candidate (the names the rarer tokens found;
                # a name holding only very common words is not retrieved: nothing identifies it).
                p.assumed += wq[i]
                p.big.append((index.reach(q[i], q[i] in abjad, vowelled_of(abjad, q[i])), wq[i]))
            else:
                p.later.append(i)
    for i in range(len(q) - 1):
        post = index.postings.get(q[i] + q[i + 1])
        if post is not None and len(post) <= BIG_POSTING:
            p.joins[i] = post
            pair = [k for k in (i, i + 1) if k in probed]
            if pair:  # a join counts here for its probed tokens, and on the candidates for the others
                p.groups.append(((i, i + 1), post, sum(wq[k] for k in pair)))
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
    singles: _Groups = ([], [], [], [])
    joined: _Groups = ([], [], [], [])
    for k in live:
        p = plans[k]
        assert p is not None
        for pos, ids, each in p.groups:
            ids_of, query_of, pos_of, gain_of = singles if len(pos) == 1 else joined
            ids_of.append(ids)
            query_of.append(k)
            pos_of.append(pos[0])
            gain_of.append(each)
    keys, s_pos, gain = _stacked(singles, n_names)
    if joined[0]:
        # A join adds only what it brings beyond the two tokens matched on their own.
        jk, jp, jg = _stacked(joined, n_names)
        single = keys * 64 + s_pos
        order = np.argsort(single, kind="stable")
        single, single_gain = single[order], gain[order]
        extra = (
            jg
            - values_at(single, single_gain, jk * 64 + jp)
            - values_at(single, single_gain, jk * 64 + jp + 1)
        )
        keys, gain = np.concatenate([keys, jk]), np.concatenate([gain, np.maximum(extra, 0.0)])
    uniq, inv = np.unique(keys, return_inverse=True)
    acc = np.bincount(inv, weights=gain, minlength=len(uniq)).astype(np.float64)
    qidx, nid = uniq // n_names, uniq % n_names
    bounds_at = np.searchsorted(qidx, np.arange(len(queries) + 1))
    assumed = np.zeros(len(queries))
    total = np.zeros(len(queries))
    alpha = np.ones(len(queries))
    t = np.ones(len(queries))
    for k in live:
        p = plans[k]
        assert p is not None
        assumed[k], total[k], alpha[k], t[k] = p.assumed, p.total, p.alpha, p.t
        a, b = bounds_at[k], bounds_at[k + 1]
        for i in p.later:
            # Counted where the name has the token, a near spelling, or it joined with a neighbour.
            marks = abjad[k] if abjad else none
            m = index.merged(p.q[i], p.q[i] in marks, vowelled_of(marks, p.q[i]))
            got = (values_at(*m, nid[a:b]) > 0.0) * p.wq[i] if m is not None else np.zeros(b - a)
            for j in (i - 1, i):
                post = p.joins.get(j)
                if post is not None:
                    got = np.maximum(got, np.where(holds(post, nid[a:b]), p.wq[i], 0.0))
            acc[a:b] += got
    weight = index.name_weight[nid]
    bound = _bound(np.minimum(acc + assumed[qidx], total[qidx]), total[qidx], alpha[qidx], weight)
    ok = bound >= t[qidx]
    qidx, nid, acc, weight = qidx[ok], nid[ok], acc[ok], weight[ok]
    has_big = [k for k in live if plans[k].big]  # type: ignore[union-attr]
    if has_big and len(nid):
        sets = index.name_sets
        big_of = {  # per query, the spellings of each common token as one set: one C call per name
            k: [(frozenset(x for x, _ in exp), w) for exp, w in plans[k].big]  # type: ignore[union-attr]
            for k in has_big
        }
        acc = acc + np.asarray(
            [
                sum(w for keys, w in big_of[q] if not keys.isdisjoint(sets[n])) if q in big_of else 0.0
                for q, n in zip(qidx.tolist(), nid.tolist(), strict=True)
            ],
            dtype=np.float64,
        )
    acc = np.minimum(acc, total[qidx])
    bound = _bound(acc, total[qidx], alpha[qidx], weight)
    ok = bound >= t[qidx]
    qidx, nid, bound = qidx[ok], nid[ok], bound[ok]
    order = np.lexsort((-bound, qidx))  # by query, then best bound first (ties: lower name id first)
    qidx, nid, bound = qidx[order], nid[order], bound[order]
    at = np.searchsorted(qidx, np.arange(len(queries) + 1))
    for k in live:
        a, b = at[k], min(at[k + 1], at[k] + MAX_CANDIDATES)
        if b > a:
            out[k] = (nid[a:b], bound[a:b])
    return out


_Groups = tuple[list[np.ndarray], list[int], list[int], list[float]]  # ids, query, position, gain of groups


def _stacked(groups: _Groups, n_names: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The groups' (query, name id) keys (query * n_names + name id), positions and gains, one row per
    name of each group, in the groups' order: a few calls for the batch, not three per group."""
    ids, query, pos, gain = groups
    if not ids:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0)
    sizes = np.fromiter((len(a) for a in ids), dtype=np.int64, count=len(ids))
    offsets = np.repeat(np.asarray(query, dtype=np.int64) * n_names, sizes)
    keys = np.concatenate(ids).astype(np.int64) + offsets
    return keys, np.repeat(np.asarray(pos, dtype=np.int64), sizes), np.repeat(np.asarray(gain), sizes)


def _bound(acc: np.ndarray, total: np.ndarray, alpha: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The best score a name can reach when it shares query weight `acc` (alpha: the cost of a query
    token it misses; the name's own unshared weight costs BETA)."""
    return np.asarray(acc / (acc + alpha * (total - acc) + BETA * np.maximum(weight - acc, 0.0) + 1e-9))
