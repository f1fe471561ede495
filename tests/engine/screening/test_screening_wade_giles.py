"""Chinese names written in Wade-Giles (issue #12): read into pinyin as one more form, only when a syllable is
no pinyin syllable; never raises on odd input."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names
from exportctl.engine.screening.translit import romanisations
from exportctl.engine.screening.wade_giles import pinyin_spelling


@pytest.mark.parametrize(
    ("written", "pinyin"),
    [
        ("Mao Tse-tung", "mao zedong"),
        ("Chiang Ching-kuo", "jiang jingguo"),
        ("Hsü Lan-ying", "xu lanying"),
        ("Hsu Lan-ying", "xu lanying"),  # the umlaut left out
        ("Ts'eng Kuei-hsiang", "ceng guixiang"),  # the aspirate's apostrophe read
        ("CHANG, Chien-kuo", "zhang jianguo"),  # list order, capitals
    ],
)
def test_read_into_pinyin(written: str, pinyin: str) -> None:
    """Each Wade-Giles syllable reads as its pinyin one; a hyphenated given name is one word."""
    assert pinyin_spelling(written) == pinyin
    assert pinyin in romanisations(written)


@pytest.mark.parametrize(
    "name", ["Wang Cheng", "Chang Liu", "Li Wei", "John Smith", "Chen Shui-bian", "Sergei Lavrov", "Chang"]
)
def test_pinyin_and_other_names_stay(name: str) -> None:
    """A name that is pinyin as it stands, has a word of no Wade-Giles syllable, or one word only, gets no
    form ("Wang Cheng" is not read as "Wang Zheng")."""
    assert pinyin_spelling(name) is None


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """A small index: only the pair scores are read from it."""
    names = ["ZHANG, Jianguo", "ZHANG, Hongwei", "MAO, Zedong", "MAO, Zemin", "DENG, Xiaoping"]
    return sdn_index_of([(str(i), name, "Individual") for i, name in enumerate(names)])


@pytest.mark.parametrize(
    ("query", "found", "near"),
    [
        ("Chang Chien-kuo", "ZHANG, Jianguo", "ZHANG, Hongwei"),
        ("Mao Tse-tung", "MAO, Zedong", "MAO, Zemin"),
        ("Teng Hsiao-p'ing", "DENG, Xiaoping", "ZHANG, Jianguo"),
    ],
)
def test_pair_scores(index: ScreeningIndex, query: str, found: str, near: str) -> None:
    """The Wade-Giles spelling meets the pinyin listed name; another given name of the family stays apart."""
    assert score_names(index, query, found).score >= 0.7
    assert score_names(index, query, near).score < 0.7


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text(text: str) -> None:
    """Any text: None or a lower-case reading of as many words as the name has."""
    out = pinyin_spelling(text)
    if out is not None:
        assert out == out.lower()
        assert 2 <= len(out.split()) <= 4


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["zhang", "wang", "li", "xiao", "ping", "guo", "jian", "cheng"]),
        min_size=2,
        max_size=4,
    )
)
def test_pinyin_names_get_no_form(words: list[str]) -> None:
    """Names of pinyin syllables only are never read again."""
    assert pinyin_spelling(" ".join(w.capitalize() for w in words)) is None
