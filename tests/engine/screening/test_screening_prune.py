"""prune.cannot_reach: a pair it skips scores below the threshold (so no hit is lost), and screening
answers alike with and without it."""

from __future__ import annotations

import sys

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, normalise, score_tokens, screen
from exportctl.engine.screening.align import VARIANT_SIM
from exportctl.engine.screening.prune import QueryBound, cannot_reach
from exportctl.engine.screening.similarity import edit_budget, token_sim
from exportctl.engine.screening.terms import terms
from exportctl.engine.screening.variants import are_variants

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
    monkeypatch.setattr(module.QueryBound, "cannot_reach", lambda *_args: False)
    without = screen(small_index, queries, 0.5)
    assert with_test.drop("evidence").to_dicts() == without.drop("evidence").to_dicts()
    assert with_test.height > 0


PLAIN = st.text(alphabet="abdehilmnorsy019", min_size=1, max_size=16)


@settings(max_examples=600, deadline=None)
@given(PLAIN, PLAIN)
def test_a_pair_beyond_its_edit_budget_scores_0(a: str, b: str) -> None:
    # prune._best skips such a pair without asking token_sim: it must score 0 there.
    if len(a) > 1 and len(b) > 1 and abs(len(a) - len(b)) > edit_budget(max(len(a), len(b))):
        assert token_sim(a, b, False, (), False) == 0.0


@settings(max_examples=300, deadline=None)
@given(TOKENS, TOKENS, st.sampled_from([0.5, 0.7, 0.8, 0.95, 1.0]))
def test_the_early_answer_is_the_whole_sums(
    small_index: ScreeningIndex, q: tuple[str, ...], lt: tuple[str, ...], t: float
) -> None:
    # cannot_reach stops once the tokens left cannot change its answer: the same answer as summing all,
    # which the pair scores of every query token give (_best over the listed tokens and their joins).
    if q and lt:
        wq = small_index.weights(q)
        whole = _whole_sum(q, lt, wq, *small_index.bound_weights(q, wq), t)
        assert _verdict(small_index, q, lt, t)[0] == whole, (q, lt, t)


def _whole_sum(
    q: tuple[str, ...], lt: tuple[str, ...], wq: list[float], wb: list[float], alpha: float, t: float
) -> bool:
    """The module note's sum over every query token, written plainly (every pair asked)."""
    tm = terms()
    joined_l = ["".join(lt[j : j + k]) for k in (2, 3) for j in range(len(lt) - k + 1)]
    total = 0.0
    for i, a in enumerate(q):
        sims = [token_sim(a, b, False, (), False) for b in (*lt, *joined_l)]
        sims += [
            token_sim("".join(q[s : s + k]), b, False, (), False)
            for k in (2, 3)
            for s in range(len(q) - k + 1)
            if s <= i < s + k
            for b in lt
        ]
        best = max(sims)
        if best < VARIANT_SIM and not a.isdigit() and any(are_variants(a, b) for b in lt if not b.isdigit()):
            best = VARIANT_SIM
        if best > t:
            total += (best - t) * wq[i]
        elif best <= 0.0 and len(a) > 1 and not a.isdigit() and a not in tm.legal and a not in tm.particles:
            total -= t * alpha * wb[i]
    return total < -1e-9


@settings(max_examples=200, deadline=None)
@given(
    TOKENS,
    st.lists(
        st.tuples(TOKENS, st.sampled_from([0.5, 0.7, 0.7 / 0.9, 0.7 / 0.75, 1.0])), min_size=1, max_size=6
    ),
)
def test_one_query_bound_for_many_candidates_answers_as_the_whole_sum(
    small_index: ScreeningIndex, q: tuple[str, ...], asked: list[tuple[tuple[str, ...], float]]
) -> None:
    # screen_tokens makes one QueryBound per query and asks it of each candidate in turn, at the threshold
    # over each entry's factor: what it keeps between the pairs (the threshold's sums, the query's joins,
    # the listed names' joins) must not change any answer.
    if not q:
        return
    wq = small_index.weights(q)
    wb, alpha = small_index.bound_weights(q, wq)
    bound = QueryBound(q, wq, wb, alpha)
    for lt, t in asked:
        if lt:
            assert bound.cannot_reach(lt, t) == _whole_sum(q, lt, wq, wb, alpha, t), (q, lt, t)
