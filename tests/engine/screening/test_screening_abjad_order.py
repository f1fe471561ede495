"""Screening answers depend on the query alone: a name written in an abjad (Arabic, Persian, Hebrew) makes
its own vowel-less readings compare by skeleton, and no later query's (issue #12 review: `ABJAD` was a
process-wide set that `forms.query_forms` filled)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import screen
from exportctl.engine.screening.forms import form_abjad
from exportctl.engine.screening.index import ScreeningIndex

LISTED = [
    ("1", "BARAT TRADING", "Entity"),
    ("2", "HUSSEIN, Mohammed", "Individual"),
    ("3", "OMAR, Ali", "Individual"),
    ("4", "AO BRT", "Entity"),
    ("5", "MIRZA, Khan", "Individual"),
]
# Abjad names whose readings are vowel-less, and Latin or Cyrillic names written with the same letters.
NAMES = [
    "برات",
    "حسين محمد",
    "عمر علي",
    "עומר",
    "ميرزا خان",
    "Brt Trading",
    "Hsyn Mhmd",
    "Mr Ali",
    "Брат",
    "Mrz Khan",
]


def _answer(index: ScreeningIndex, name: str) -> list[tuple[str, float, str]]:
    hits = screen(index, pl.DataFrame({"name": [name]}), threshold=0.3)
    return [(r["entity_id"], r["score"], r["explanation"]) for r in hits.iter_rows(named=True)]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3), st.sampled_from(NAMES))
def test_an_answer_does_not_depend_on_earlier_queries(
    sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex], before: list[str], name: str
) -> None:
    alone = _answer(sdn_index_of(LISTED), name)
    index = sdn_index_of(LISTED)
    for other in before:
        _answer(index, other)
    assert _answer(index, name) == alone


def test_a_latin_word_without_vowels_is_no_skeleton_after_an_arabic_one(
    sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex],
) -> None:
    index = sdn_index_of(LISTED)
    arabic = _answer(index, "برات")  # 'brt': an Arabic reading meets BARAT by its skeleton
    assert any(e == "1" and s >= 0.7 for e, s, _x in arabic)
    assert not any(e == "1" and s >= 0.7 for e, s, _x in _answer(index, "Brt Trading"))
    assert form_abjad("برات", ("brt",)) == {"brt"} and form_abjad("Brt", ("brt",)) == frozenset()


def test_abjad_readings_joined_are_one_reading() -> None:
    from exportctl.engine.screening import score_tokens

    one = lambda _t: 1.0  # noqa: E731
    yes = lambda _t: True  # noqa: E731
    # لوك أويل (Lukoil written as two words): the two readings joined meet the listed word by skeleton
    assert score_tokens(("lwk", "wyl"), ("lukoil",), one, yes, abjad=frozenset({"lwk", "wyl"})).score >= 0.7
    assert score_tokens(("lwk", "wyl"), ("lukoil",), one, yes).score < 0.7  # Latin letters: no skeleton


def test_other_names_hold_for_readings_against_latin_names_only(
    sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex],
) -> None:
    from exportctl.engine.screening import score_names

    index = sdn_index_of([*LISTED, ("6", "SULTAN, Mohammed bin", "Individual")])
    # two names of the name data (Sultan / Salman), met by a reading of Arabic: another name
    read = score_names(index, "محمد بن سلطان", "Mohammed bin Salman")
    assert read.score < 0.7 and "another name" in dict(read.factors)
    # both written in Arabic: one letter apart may be a typo in that script, as in a Latin name
    assert "another name" not in dict(score_names(index, "محمد بن سلطان", "محمد بن سلمان").factors)
