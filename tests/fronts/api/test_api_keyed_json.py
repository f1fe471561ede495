"""A batch's answers written once per distinct answer: the very bytes json_bytes writes of the whole."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from exportctl.fronts.api.app import json_bytes, keyed_json_bytes

VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=9) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
HOW = ["copy", "deep", "same"]
Answer = dict[str, object]
ANSWER = st.dictionaries(st.text(max_size=8), VALUE, max_size=5)


@given(
    answers=st.lists(ANSWER, min_size=1, max_size=4),
    picks=st.lists(st.tuples(st.text(max_size=6), st.integers(0, 3), st.sampled_from(HOW))),
)
def test_keyed_bytes_are_json_bytes(answers: list[Answer], picks: list[tuple[str, int, str]]) -> None:
    keyed: dict[str, dict[str, object]] = {}
    for qid, k, how in picks:  # ids sharing an answer as check_keyed shares it (a shallow copy), or not
        answer = answers[k % len(answers)]
        keyed[qid] = dict(answer) if how == "copy" else copy.deepcopy(answer) if how == "deep" else answer
    assert keyed_json_bytes(keyed) == json_bytes(keyed)


def test_an_answer_changed_after_its_copy_is_written_as_it_is() -> None:
    first = {"verdict": "hold", "reasons": [{"text": "a"}]}
    second = dict(first)
    second["verdict"] = "no_license_required"  # another object under one key: written on its own
    keyed = {"b": second, "a": first, "c": dict(first)}
    assert keyed_json_bytes(keyed) == json_bytes(keyed)
