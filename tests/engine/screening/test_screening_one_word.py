"""Issue #12, a company named by a legal form and one word (one_word.py): weak evidence on that word alone.
Tuned on the dev clean sets (bench/data/dev_clean_*.csv, dev_clean_companies.csv), never on bench/heldout."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names, score_tokens
from exportctl.engine.screening.one_word import ONE_WORD, common_word, part_of_listed, read_short_word
from exportctl.engine.screening.score import common_weight
from exportctl.engine.screening.terms import terms

LISTED = [
    ("1", "EKO SHIPPING LIMITED LIABILITY COMPANY", "Entity"),
    ("2", "COSTIN SHIPPING LIMITED", "Entity"),
    ("3", "MISSION COMMUNICATIONS, LLC", "Entity"),
    ("4", "LLC STA", "Entity"),
    ("5", "Dahua Technology", "Entity"),
    ("6", "Huawei Technologies Co., Ltd.", "Entity"),
    ("7", "VOSTOCHNAYA VERF JOINT STOCK COMPANY", "Entity"),
    ("8", "JSC Vega Corp", "Entity"),
    ("9", "Casue", "Entity"),
    ("10", "Hangzhou Hikvision Digital Technology Co., Ltd.", "Entity"),
]

MUST_NOT_MEET = [
    ("Eko LLC", "EKO SHIPPING LIMITED LIABILITY COMPANY"),  # a short word, the listed name goes on
    ("ЗАО «Костин»", "COSTIN SHIPPING LIMITED"),  # a family name many companies bear
    ("Mission LLC", "MISSION COMMUNICATIONS, LLC"),  # an everyday word beside a generic one
    ("Cause Ltd", "Casue"),  # an everyday word spelt right is not a misspelling
    ("유한회사 스타", "LLC STA"),  # 스타 (star) read 'sta': a short reading
    ("(유) 에코", "EKO SHIPPING LIMITED LIABILITY COMPANY"),
]

MUST_MEET = [
    ("Zhejiang Dahua Technology Co., Ltd.", "Dahua Technology"),  # place prefix (issue #12)
    ("Huawei Co., Ltd.", "Huawei Technologies Co., Ltd."),  # a distinctive word keeps its weight
    ("STA LLC", "LLC STA"),  # in Latin letters a short word met exactly is the name
    ("Vega LLC", "JSC Vega Corp"),  # another legal form, the same name
    ("شركة هواوي تكنولوجيز المحدودة", "Huawei Technologies Co., Ltd."),  # more than one word
    ("EKO SHIPPING GmbH", "EKO SHIPPING LIMITED LIABILITY COMPANY"),  # the listed words all there
    ("OAO Gazprom", "Gasprom JSC"),  # a brand the frequency lists carry, spelt otherwise (nk unit tests)
]


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """Listed companies that share one short or common word with clean ones."""
    return sdn_index_of(LISTED)


@pytest.mark.parametrize(("query", "listed"), MUST_NOT_MEET)
def test_one_weak_company_word_does_not_meet(index: ScreeningIndex, query: str, listed: str) -> None:
    scored = score_names(index, query, listed)
    assert scored.score < 0.7, scored.explain()
    assert any(name in ("one word of a longer company name", "short word read") for name, _ in scored.factors)


@pytest.mark.parametrize(("query", "listed"), MUST_MEET)
def test_a_company_name_still_meets(index: ScreeningIndex, query: str, listed: str) -> None:
    scored = score_names(index, query, listed)
    assert scored.score >= 0.7, scored.explain()


def test_an_everyday_word_before_a_distinctive_one_is_no_weak_word(index: ScreeningIndex) -> None:
    # the lists' own short form of a name drops its distinctive word (token_drop): the factor stays off
    scored = score_names(index, "Vostochnaya JSC", "VOSTOCHNAYA VERF JOINT STOCK COMPANY")
    assert scored.score > 0.0 and not scored.factors, scored.explain()


def test_a_legal_form_met_by_a_name_word_is_no_company(index: ScreeningIndex) -> None:
    # Khmer ប៉ុល ពត read 'bol pt': 'pt' is a legal form (Perseroan Terbatas) only when it meets none
    scored = score_names(index, "ប៉ុល ពត", "Pol Pot")
    assert not any(name == "one word of a longer company name" for name, _ in scored.factors)


def test_the_common_word_table() -> None:
    assert common_word("mission") and common_word("kosmos")  # English, and Russian as read
    assert not common_word("huawei") and not common_word("hikvision") and not common_word("verf")


def _weigh(tok: str) -> float:
    t = terms()
    if tok in t.legal_forms or tok in t.legal_words:
        return 0.1
    return 0.2 if tok in t.generic_words else 1.0


def _identity(tok: str) -> bool:
    return len(tok) > 1 and _weigh(tok) > 0.2


WORDS = st.sampled_from(
    ["eko", "neo", "huawei", "dahua", "llc", "jsc", "company", "shipping", "technology", "mission", "22", "a"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=4), st.lists(WORDS, min_size=1, max_size=5))
def test_one_weak_word_never_alerts_alone_and_needs_a_legal_form(q: list[str], lt: list[str]) -> None:
    scored = score_tokens(tuple(q), tuple(lt), _weigh, _identity)
    flagged = ("one word of a longer company name", ONE_WORD) in scored.factors
    if flagged:
        assert scored.score <= ONE_WORD + 1e-9
        assert any(_weigh(t) == 0.1 for t in q)  # the query holds a legal form
        assert sum(1 for t in q if _identity(t)) == 1  # and one name word
    assert part_of_listed(tuple(q), tuple(lt), scored.parts, _identity, common_weight) == flagged


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=4), st.lists(WORDS, min_size=1, max_size=5))
def test_a_short_reading_needs_a_legal_form_and_one_word(q: list[str], lt: list[str]) -> None:
    scored = score_tokens(tuple(q), tuple(lt), _weigh, _identity)
    if read_short_word(scored.parts, _identity):
        assert any(t in terms().light for t in q)
        assert sum(1 for t in q if _identity(t)) == 1
