"""Korean person names written in Hangul compare syllable by syllable: each syllable meets its own spellings
(Revised Romanization, McCune-Reischauer; Kim/Gim, Lee/Yi/Rhee, Park/Bak/Pak for the family), never another
syllable's, however near its letters (issue #12)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names, screen
from exportctl.engine.screening.korean import family_spellings, hangul_person, spellings, spelt_by

LISTED = [
    ("1", "KIM, Jong Un", "Individual"),
    ("2", "KIM, Yong Chol", "Individual"),
    ("3", "KIM, Song Hun", "Individual"),
    ("4", "KIM, Yong Su", "Individual"),
    ("5", "Young Su Kim", "Individual"),
    ("6", "YUN, Ho-Jin", "Individual"),
    ("7", "RYU, Jin", "Individual"),
    ("8", "PARK, Geun-hye", "Individual"),
    ("9", "LEE, Myung-bak", "Individual"),
    ("10", "CHOE, Ryong Hae", "Individual"),
    ("11", "JANG, Song Thaek", "Individual"),
    ("12", "CHUNG, Ju-yung", "Individual"),
]


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """An index over the names above."""
    return sdn_index_of(LISTED)


def test_syllable_spellings() -> None:
    assert {"jeong", "chong", "jong"} <= spellings("정")  # RR; MR alone and voiced inside a name
    assert {"eun", "un"} <= spellings("은")
    assert {"taek", "thaek"} <= spellings("택") and {"seong", "song", "sung"} <= spellings("성")
    assert {"kim", "gim"} <= family_spellings("김")
    assert {"yi", "lee", "rhee"} <= family_spellings("이")
    assert {"park", "pak", "bak"} <= family_spellings("박")
    assert "choi" in family_spellings("최")
    # rigour links these to the family's spellings, but they are other Korean syllables' (영, 진).
    assert "young" not in family_spellings("정")
    assert "jin" not in family_spellings("김")


def test_spelt_by_syllable() -> None:
    assert spelt_by("김정은", ["kim", "jong", "un"])
    assert spelt_by("김정은", ["jong", "un", "kim"])  # family name last
    assert spelt_by("김정은", ["kim", "jongun"])  # given name joined
    assert spelt_by("이명박", ["lee", "myung", "bak"])
    assert not spelt_by("김정은", ["kim", "jong"])
    assert not spelt_by("김상훈", ["kim", "song", "hun"])  # 상 sang is not 송 song
    assert not spelt_by("윤준호", ["yun", "ho", "jin"])  # 준 jun is not 진 jin
    assert not spelt_by("김영숙", ["kim", "yong", "su"])  # 숙 suk is not 수 su
    assert not spelt_by("김종수", ["young", "su", "kim"])  # 종 jong is not 영 young
    assert not spelt_by("진영수", ["kim", "yong", "su"])  # 진 jin is not 김 kim
    assert hangul_person("김정은") and not hangul_person("김") and not hangul_person("Kim")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("김정은", "KIM, Jong Un"),
        ("김영철", "KIM, Yong Chol"),
        ("박근혜", "PARK, Geun-hye"),
        ("이명박", "LEE, Myung-bak"),
        ("최룡해", "CHOE, Ryong Hae"),
        ("장성택", "JANG, Song Thaek"),  # the DPRK writes McCune-Reischauer's aspiration mark as h
        ("정주영", "CHUNG, Ju-yung"),  # McCune-Reischauer's ŏ written u
    ],
)
def test_korean_names_meet_their_spelling(index: ScreeningIndex, query: str, listed: str) -> None:
    assert score_names(index, query, listed).score >= 0.7


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("김상훈", "KIM, Song Hun"),
        ("김영숙", "KIM, Yong Su"),
        ("김종수", "Young Su Kim"),
        ("진영수", "KIM, Yong Su"),
        ("윤준호", "YUN, Ho-Jin"),
        ("류진우", "RYU, Jin"),
    ],
)
def test_near_korean_syllables_are_other_names(index: ScreeningIndex, query: str, listed: str) -> None:
    scored = score_names(index, query, listed)
    assert scored.score == 0.0, scored.explain()
    assert "whole name" in scored.explain()


def test_clean_korean_names_raise_no_alert(index: ScreeningIndex) -> None:
    hits = screen(index, pl.DataFrame({"name": ["김상훈", "김영숙", "김종수", "진영수", "윤준호", "류진우"]}))
    assert hits.is_empty(), hits.select("query", "name", "explanation").rows()
    hits = screen(index, pl.DataFrame({"name": ["김정은", "김영철"]}))
    assert sorted(hits["entity_id"].to_list()) == ["1", "2"]


_FAMILY = st.sampled_from(list("김이박최정강조윤장임한오서신권황안송류홍"))
_SYLLABLE = st.integers(0xAC00, 0xD7A3).map(chr)


@settings(max_examples=150, deadline=None)
@given(_FAMILY, st.lists(_SYLLABLE, min_size=1, max_size=2), st.data())
def test_a_name_meets_its_spellings_and_not_another_syllable(
    family: str, given_name: list[str], data: st.DataObject
) -> None:
    name = family + "".join(given_name)
    tokens = [min(spellings(c)) for c in name]
    assert spelt_by(name, tokens)
    assert spelt_by(name, [*tokens[1:], tokens[0]])  # family name last
    # One given syllable put for another whose spellings are all different: no match.
    i = data.draw(st.integers(1, len(given_name)))
    other = data.draw(_SYLLABLE)
    assume(not spellings(other) & spellings(name[i]))
    changed = [*tokens[:i], min(spellings(other)), *tokens[i + 1 :]]
    assume(not any(t in family_spellings(family) for t in changed[1:]))
    assume(not any(changed[0] in spellings(c) for c in name[1:]))
    assert not spelt_by(name, changed)


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=0, max_size=6),
    st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'-|", max_size=8), max_size=5),
)
def test_spelt_by_never_crashes(chars: str, tokens: list[str]) -> None:
    if hangul_person(chars):
        assert spelt_by(chars, tokens) in (True, False)
