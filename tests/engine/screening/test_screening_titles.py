"""Titles, honorifics and offices around a person's name weigh nothing but stay in the explanation (#12)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names, screen
from exportctl.engine.screening.normalise import normalise
from exportctl.engine.screening.titles import (
    _library_titles,
    _raw,
    suffix_phrases,
    title_phrases,
    title_span,
)

PUTIN = "Vladimir Vladimirovich PUTIN"
KIM = "KIM, Jong Un"


def test_titles_come_from_rigour_and_terms() -> None:
    """rigour's PERSON_NAME_PREFIXES and terms.yml's words are both titles; name syllables are not."""
    phrases = title_phrases()
    assert ("herr",) in phrases and ("admiral",) in phrases  # rigour
    assert ("predsjednik",) in phrases and ("gospodin",) in phrases and ("ayatollah",) in phrases  # terms.yml
    assert ("hon",) not in phrases and ("pak",) not in phrases and ("shi",) not in phrases
    assert ("elnok",) in suffix_phrases()


@pytest.mark.parametrize(
    ("tokens", "span"),
    [
        (("predsjednik", "vladimir", "putin"), (1, 0)),
        (("his", "excellency", "general", "qasem", "soleimani"), (3, 0)),
        (("orban", "viktor", "elnok"), (0, 1)),
        (("president",), (0, 0)),
        (("general", "president"), (0, 0)),  # a name of titles only keeps their weight
        (("pak", "yong", "chun"), (0, 0)),
        (("hon", "hai", "precision"), (0, 0)),
        (("janan", "agha"), (0, 0)),
        (("vladimir", "putin", "president"), (0, 0)),
        (("fr", "hjr"), (0, 0)),  # the skeleton of an Arabic name, not "Fr."
        (("dr", "ayman"), (1, 0)),
    ],
)
def test_title_span(tokens: tuple[str, ...], span: tuple[int, int]) -> None:
    """Leading titles and trailing suffixes, never the whole name, never a name syllable."""
    assert title_span(tokens) == span


@pytest.mark.parametrize(
    "query",
    [
        "Predsjednik Vladimir Vladimirovich Putin",
        "Presiden Vladimir Vladimirovich Putin",
        "Herr Vladimir Vladimirovich Putin",
        "Dr. Vladimir Vladimirovich Putin",
        "Admiral Vladimir Vladimirovich Putin",
        "господин Владимир Владимирович Путин",
        "Putin Vladimir Vladimirovich elnök",
    ],
)
def test_titled_person_matches_fully(small_index: ScreeningIndex, query: str) -> None:
    """A title costs nothing, and the explanation still shows it."""
    s = score_names(small_index, query, PUTIN)
    assert s.score == pytest.approx(1.0)
    assert "+" in s.explain()


def test_general_of_an_organisation_still_weighs(small_index: ScreeningIndex) -> None:
    """In an organisation's name (one with a legal form) "General" is no title."""
    w = small_index.weights(normalise("General Dynamics Corporation"))
    assert w[0] > 0


def test_listed_title_costs_nothing(small_index: ScreeningIndex) -> None:
    """A title on the listed side is weightless too."""
    assert score_names(small_index, "Kim Jong Un", "Marshal KIM Jong Un").score == pytest.approx(1.0)


TITLE_WORDS = sorted(
    w for w in _library_titles() + _raw()["titles"] if normalise(w) in title_phrases() and w.isascii()
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    titles=st.lists(st.sampled_from(TITLE_WORDS), min_size=1, max_size=2),
    listed=st.sampled_from([PUTIN, KIM]),
)
def test_titles_never_lower_a_score(small_index: ScreeningIndex, titles: list[str], listed: str) -> None:
    """Any run of titles before a listed person's name scores what the bare name scores, and is shown."""
    bare = score_names(small_index, listed, listed).score
    s = score_names(small_index, " ".join(titles) + " " + listed, listed)
    assert s.score == pytest.approx(bare)
    shown = s.explain()
    assert all(f"+{t}" in shown for t in normalise(titles[0]))


def test_screen_finds_a_titled_person_with_the_title_shown(small_index: ScreeningIndex) -> None:
    """ "Predsjednik Vladimir Vladimirovich Putin" alerts on Putin at 1.0, the title in the explanation."""
    hits = screen(small_index, pl.DataFrame({"name": ["Predsjednik Vladimir Vladimirovich Putin"]}))
    assert hits["score"][0] == pytest.approx(1.0)
    assert "predsjednik" in hits["explanation"][0]
