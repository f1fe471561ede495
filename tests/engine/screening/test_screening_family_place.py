"""Issue #12, false alerts on clean persons: the family name is what tells namesakes of a given name apart.

A CJK person name (family name first) meets a listed name that marks its family name ("U, Yong Su") only
when its family syllable meets that family name, not a syllable of the given name (苏勇 'su yong' is not U
Yong Su, 송정호 Song Jeong-ho is not Jong Song-ho). A family name read from an alphabet that writes every
vowel (Cyrillic, Greek) that meets the listed family name only near is another family name (Сахаров is not
Makarov). Pairs that must still match beside pairs that must not."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names, screen
from exportctl.engine.screening.korean import spelt_by
from exportctl.engine.screening.score import Part, Scored
from exportctl.engine.screening.weak import FAMILY_NEAR, read_family_near

LISTED = [
    ("1", "U, Yong Su", "Individual"),
    ("2", "JONG, Yong Su", "Individual"),
    ("3", "JONG, Song Ho", "Individual"),
    ("4", "KIM, Jong Un", "Individual"),
    ("5", "Paek Chang-Ho", "Individual"),
    ("6", "XI, Jinping", "Individual"),
    ("7", "MAKAROV, Aleksey", "Individual"),
    ("8", "DEMIN, Alexander Vyacheslavovich", "Individual"),
    ("9", "LUKASHENKA, Alyaksandr", "Individual"),
    ("10", "ZELENSKYY, Volodymyr", "Individual"),
    ("11", "SHOIGU, Sergei Kuzhugetovich", "Individual"),
    ("12", "Andrey Leonidovich Kuznetsov", "Individual"),
]


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """An index over the names above."""
    return sdn_index_of(LISTED)


OTHER_PERSONS = [
    ("苏勇", "U, Yong Su", "family name met as a given name"),  # Su Yong: the listed family name is U
    ("徐晶瑩", "JONG, Yong Su", ""),  # 서정영 Seo Jeong-yeong: Seo spelt "Su" is not Jong
    ("송정호", "JONG, Song Ho", ""),  # Song Jeong-ho, not Jong Song-ho
    ("Алексей Сахаров", "MAKAROV, Aleksey", "family name read near only"),
    ("Александр Еремин", "DEMIN, Alexander Vyacheslavovich", "family name read near only"),
]
SAME_PERSONS = [
    ("우영수", "U, Yong Su"),
    ("정영수", "JONG, Yong Su"),
    ("김정은", "KIM, Jong Un"),
    ("김정은", "Kim Jong Un"),  # no comma: the family name is not marked, the rule does not apply
    ("金正恩", "KIM, Jong Un"),
    ("백장호", "Paek Chang-Ho"),
    ("习近平", "XI, Jinping"),
    ("习近平", "Xi Jinping"),
    ("Алексей Макаров", "MAKAROV, Aleksey"),
    ("Александр Лукашенко", "LUKASHENKA, Alyaksandr"),  # Russian and Belarusian spellings, 0.9
    ("Владимир Зеленский", "ZELENSKYY, Volodymyr"),
    ("Сергей Шойгу", "SHOIGU, Sergei Kuzhugetovich"),
    ("Андрей Кузнецов", "Andrey Leonidovich Kuznetsov"),
]


@pytest.mark.parametrize(("query", "listed", "why"), OTHER_PERSONS)
def test_another_family_name_is_another_person(
    index: ScreeningIndex, query: str, listed: str, why: str
) -> None:
    scored = score_names(index, query, listed)
    assert scored.score < 0.7, (query, listed, scored.score, scored.explain())
    assert why in scored.explain()


@pytest.mark.parametrize(("query", "listed"), SAME_PERSONS)
def test_the_family_name_in_its_place_still_matches(index: ScreeningIndex, query: str, listed: str) -> None:
    scored = score_names(index, query, listed)
    assert scored.score >= 0.7, (query, listed, scored.score, scored.explain())


def test_screening_applies_both_rules(index: ScreeningIndex) -> None:
    """The screening path (screen_tokens) reads the family name as the pair-scoring one does."""
    queries = [q for q, _l, _w in OTHER_PERSONS] + [q for q, _l in SAME_PERSONS]
    hits = screen(index, pl.DataFrame({"name": queries}))
    alerted = set(hits["query"].to_list())
    assert alerted.isdisjoint(q for q, _l, _w in OTHER_PERSONS), hits.select("query", "matched_name")
    assert {q for q, _l in SAME_PERSONS} <= alerted


def test_a_latin_query_keeps_its_typos() -> None:
    """Only a reading loses a near family name: a query typed in Latin letters may hold a typo."""
    parts = (Part("aleksey", "aleksey", 1.0, 1.0, 0.0), Part("makarovv", "makarov", 0.9, 1.0, 0.1))
    scored = Scored(0.95, parts)
    assert read_family_near(scored, frozenset({"makarov"})) is scored
    assert read_family_near(scored, frozenset()) is scored


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_HUNDREDTHS = st.integers(0, 100).map(lambda n: n / 100)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_WORD, _WORD, _HUNDREDTHS, _HUNDREDTHS.filter(bool)), min_size=1, max_size=4))
def test_read_family_near_only_lowers_and_says_so(pairs: list[tuple[str, str, float, float]]) -> None:
    parts = tuple(Part(q, lt, s, w, w * (1 - s)) for q, lt, s, w in pairs)
    num = sum(p.sim * p.weight for p in parts)
    den = sum(p.weight for p in parts)
    scored = Scored(num / den, parts)
    family = frozenset(lt for _q, lt, _s, _w in pairs[:1])
    out = read_family_near(scored, family)
    assert 0.0 <= out.score <= scored.score
    near = any(0.0 < p.sim < FAMILY_NEAR and len(p.query) > 1 and p.listed in family for p in parts)
    assert (out.score < scored.score) == (near and num > 0), (parts, out)
    if out.score < scored.score:
        assert out.factors[-1][0] == "family name read near only"


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=2, max_size=4),
    st.lists(st.sampled_from(["kim", "jong", "un", "yong", "su", "u", "song", "ho", "paek"]), max_size=4),
    st.sets(st.sampled_from(["kim", "jong", "u", "song"]), max_size=2),
)
def test_a_marked_family_name_only_narrows_spelt_by(chars: str, tokens: list[str], family: set[str]) -> None:
    """With the listed family name marked, a name is spelt by fewer listed names, never by more."""
    if spelt_by(chars, tokens, frozenset(family)):
        assert spelt_by(chars, tokens)
