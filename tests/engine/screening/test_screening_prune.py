"""prune.cannot_reach: a pair it skips scores below the threshold (so no hit is lost), and screening
answers alike with and without it."""

from __future__ import annotations

import sys

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, normalise, score_tokens, screen
from exportctl.engine.screening.prune import _own_best, cannot_reach

# near spellings, joins, initials, legal forms, particles and numbers, so that most rules of score.py meet
WORDS = st.one_of(
    st.text(alphabet="abdehilmnorsy", min_size=1, max_size=9),
    st.sampled_from(
        [
            "smith",
            "smyth",
            "jon",
            "john",
            "johnson",
            "hua",
            "wei",
            "huawei",
            "ltd",
            "co",
            "llc",
            "limited",
            "de",
            "al",
            "bin",
            "ibn",
            "sa",
            "cv",
            "1",
            "22",
            "trading",
            "international",
            "moscow",
            "j",
            "a",
        ]
    ),
)
TOKENS = st.lists(WORDS, min_size=1, max_size=5).map(lambda ws: normalise(" ".join(ws)))


def _verdict(index: ScreeningIndex, q: tuple[str, ...], lt: tuple[str, ...], t: float) -> tuple[bool, float]:
    wq = index.weights(q)
    wb, alpha = index.bound_weights(q, wq)
    pruned = cannot_reach(q, lt, wq, wb, alpha, t)
    return pruned, score_tokens(q, lt, index.weigh, index.identity, wq, index.weights(lt)).score


@settings(max_examples=400, deadline=None)
@given(TOKENS, TOKENS, st.sampled_from([0.3, 0.5, 0.7, 0.85, 1.0]))
def test_a_skipped_pair_scores_below_the_threshold(
    small_index: ScreeningIndex, q: tuple[str, ...], lt: tuple[str, ...], t: float
) -> None:
    if not q or not lt:
        return
    pruned, score = _verdict(small_index, q, lt, t)
    assert not pruned or score < t, (q, lt, score)


def test_unrelated_names_are_skipped_and_near_ones_kept(small_index: ScreeningIndex) -> None:
    assert _verdict(small_index, normalise("James Smith"), normalise("Wolfgang Amadeus Mozart"), 0.7)[0]
    assert not _verdict(small_index, normalise("Jon Smith"), normalise("John Smith"), 0.7)[0]
    assert not _verdict(
        small_index, normalise("Huawei Technologies"), normalise("Hua Wei Technologies"), 0.7
    )[0]


NAMES = [
    "Huawei Technologies Co Ltd",
    "Hua Wei Technologies",
    "John Smith",
    "Jon Smyth Trading LLC",
    "Moscow Trading",
    "Acme Widgets GmbH",
    "Vladimir Putin",
    "J. Smith",
]


def test_screening_answers_alike_without_the_test(
    small_index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = pl.DataFrame({"name": NAMES})
    with_test = screen(small_index, queries, 0.5)
    module = sys.modules["exportctl.engine.screening.screen"]
    monkeypatch.setattr(module, "cannot_reach", lambda *_args: False)
    without = screen(small_index, queries, 0.5)
    assert with_test.drop("evidence").to_dicts() == without.drop("evidence").to_dicts()
    assert with_test.height > 0


def _plain_bound(
    q: tuple[str, ...], lt: tuple[str, ...], wq: list[float], wb: list[float], alpha: float, t: float
) -> bool:
    """The bound as the module's note states it, every similarity asked afresh: the oracle of the memoised
    `cannot_reach`."""
    from exportctl.engine.screening.align import VARIANT_SIM
    from exportctl.engine.screening.similarity import token_sim
    from exportctl.engine.screening.terms import terms
    from exportctl.engine.screening.variants import are_variants

    tm = terms()
    joins_l = ["".join(lt[j : j + k]) for k in (2, 3) for j in range(len(lt) - k + 1)]
    total = 0.0
    for i, a in enumerate(q):
        near = list(lt) + joins_l
        near_q = [
            ("".join(q[s : s + k]), b)
            for k in (2, 3)
            for s in range(max(0, i - k + 1), min(i, len(q) - k) + 1)
            for b in lt
        ]
        best = max([token_sim(a, b) for b in near] + [token_sim(x, b) for x, b in near_q], default=0.0)
        if not a.isdigit() and any(are_variants(a, b) for b in lt if not b.isdigit()):
            best = max(best, VARIANT_SIM)
        if best > t:
            total += (best - t) * wq[i]
        elif best <= 0.0 and len(a) > 1 and not a.isdigit() and a not in tm.legal and a not in tm.particles:
            total -= t * alpha * wb[i]
    return total < -1e-9


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(TOKENS, TOKENS), min_size=1, max_size=6), st.sampled_from([0.3, 0.5, 0.7, 0.85]))
@example([(("huawei", "trading"), ("hua", "wei", "trading")), (("hua", "wei"), ("huawei",))], 0.7)
@example([(("j", "smyth"), ("john", "smith")), (("john", "smith"), ("j", "smith"))], 0.85)
def test_the_memoised_bound_answers_as_the_plain_one(
    small_index: ScreeningIndex, pairs: list[tuple[tuple[str, ...], tuple[str, ...]]], t: float
) -> None:
    # several pairs in a row, so that later ones read what the memo kept from earlier ones
    for q, lt in pairs + pairs[::-1]:
        if not q or not lt:
            continue
        wq = small_index.weights(q)
        wb, alpha = small_index.bound_weights(q, wq)
        assert cannot_reach(q, lt, wq, wb, alpha, t) == _plain_bound(q, lt, wq, wb, alpha, t), (q, lt)
        for a in q:  # and the memoised part of each token's bound, which a verdict may not show
            assert _own_best(a, lt) == _plain_own(a, lt), (a, lt)


def _plain_own(a: str, lt: tuple[str, ...]) -> float:
    """A token's best similarity to the listed tokens, their joins and name variants (the oracle)."""
    from exportctl.engine.screening.align import VARIANT_SIM
    from exportctl.engine.screening.similarity import token_sim
    from exportctl.engine.screening.variants import are_variants

    near = [*lt, *("".join(lt[j : j + k]) for k in (2, 3) for j in range(len(lt) - k + 1))]
    best = max(token_sim(a, b) for b in near)
    if not a.isdigit() and any(are_variants(a, b) for b in lt if not b.isdigit()):
        best = max(best, VARIANT_SIM)
    return best
