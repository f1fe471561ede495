"""A partial match of a listed person that rests only on common names takes the evidence.yml factor (#12):
shown in the explanation and the evidence; never on an organisation, a rare name or a whole-name match."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, screen
from exportctl.engine.screening.frequency import PARTIAL, partial_common, partial_policy
from exportctl.engine.screening.score import Part, Scored

LISTED = [
    ("1", "HOSSEINI, Mohammad Ali Reza", "Individual"),
    ("2", "PUTIN, Vladimir Vladimirovich", "Individual"),
    ("3", "MOHAMMAD ALI HOSSEINI TRADING", "Entity"),
    ("4", "AHMED, Ali", "Individual"),
    ("5", "MILES, George", "Individual"),
]
LOW = 0.4  # a threshold low enough to see the hits the factor lowers


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """An index over the names above."""
    return sdn_index_of(LISTED)


def _hit(index: ScreeningIndex, name: str, entity_id: str, qtype: str = "") -> dict[str, object] | None:
    frame = pl.DataFrame({"name": [name], "type": [qtype]})
    hits = screen(index, frame, LOW).filter(pl.col("entity_id") == entity_id)
    return hits.row(0, named=True) if hits.height else None


def _always(_: str) -> bool:
    return True


def test_the_factor_is_data() -> None:
    """The threshold of bearers and the factor come from evidence.yml."""
    pol = partial_policy()
    assert pol.bearers == 1000 and pol.factor == 0.85


def test_common_names_in_a_longer_listed_name_are_lowered(index: ScreeningIndex) -> None:
    """ "Ali Reza Hosseini" meets HOSSEINI, Mohammad Ali Reza on three common names, Mohammad left out: the
    match is partial and rests on common names, so it is lowered, and the explanation and the evidence (kind
    name) say so."""
    row = _hit(index, "Ali Reza Hosseini", "1", "person")
    assert row is not None
    assert f"{PARTIAL} x0.85" in str(row["explanation"])
    notes = [e for e in row["evidence"] if e["kind"] == "name" and e["effect"].startswith(PARTIAL)]  # type: ignore[attr-defined]
    assert len(notes) == 1 and notes[0]["effect"] == f"{PARTIAL} x0.85"
    assert notes[0]["entry"] == row["matched_name"]


def test_a_rare_name_among_the_aligned_words_keeps_the_score(index: ScreeningIndex) -> None:
    """Putin is ranked in no country's name list: "Vladimir Putin" is evidence of the listed person."""
    row = _hit(index, "Vladimir Putin", "2", "person")
    assert row is not None and PARTIAL not in str(row["explanation"])


def test_an_organisation_is_never_lowered(index: ScreeningIndex) -> None:
    """The listed entity and a query typed entity keep their scores, though their words are common names."""
    row = _hit(index, "Mohammad Ali Hosseini", "3")
    assert row is not None and PARTIAL not in str(row["explanation"])
    row = _hit(index, "Mohammad Ali", "1", "entity")
    assert row is None or PARTIAL not in str(row["explanation"])


def test_the_whole_listed_name_keeps_its_score(index: ScreeningIndex) -> None:
    """Every word of both sides met exactly: the homonym rule's (marked for review), not lowered."""
    row = _hit(index, "Ali Ahmed", "4", "person")
    assert row is not None and float(row["score"]) == 1.0  # type: ignore[arg-type]
    assert PARTIAL not in str(row["explanation"])


def _parts(words: list[tuple[str, str, float]]) -> tuple[Part, ...]:
    return tuple(Part(q, lt, s, 1.0, 1.0 - s if q and lt else 1.0) for q, lt, s in words)


def test_the_rule_on_parts() -> None:
    """A listed name word left out beside two common names met exactly is partial; a near spelling of the
    whole name is not (Mohammed bin Sultan / Salman is labelled a match); a person entry is needed."""
    parts = _parts([("mohammad", "mohammad", 1.0), ("ali", "ali", 1.0), ("", "hosseini", 0.0)])
    lowered = partial_common(Scored(0.8, parts), _always, True, False)
    assert lowered.score == pytest.approx(0.8 * 0.85) and lowered.factors[-1] == (PARTIAL, 0.85)
    assert partial_common(Scored(0.8, parts), _always, False, False).score == 0.8
    assert partial_common(Scored(0.8, parts), _always, True, True).score == 0.8
    near = _parts([("mohammed", "mohammed", 1.0), ("sultan", "salman", 0.67)])
    assert partial_common(Scored(0.82, near), _always, True, False).score == 0.82
    exact = _parts([("mohammad", "mohammad", 1.0), ("ali", "ali", 1.0)])
    assert partial_common(Scored(1.0, exact), _always, True, False).score == 1.0


NAMES = st.sampled_from(["ali", "mohammad", "hassan", "putin", "wang", "wei", "zzqx", "al", "ltd", "x"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(NAMES | st.just(""), NAMES | st.just(""), st.floats(0.0, 1.0)), max_size=5),
    st.floats(0.0, 1.0),
    st.booleans(),
    st.booleans(),
)
def test_the_rule_only_ever_applies_its_factor(
    words: list[tuple[str, str, float]], score: float, person: bool, organisation: bool
) -> None:
    """Whatever the parts, the score stays or takes exactly the factor; never on a non-person entry."""
    parts = _parts([(q, lt, s) for q, lt, s in words if q or lt])
    out = partial_common(Scored(score, parts), _always, person, organisation).score
    pol = partial_policy()
    assert out == score or out == pytest.approx(score * pol.factor)
    if not person or organisation:
        assert out == score
