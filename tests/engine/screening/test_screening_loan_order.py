"""Loan readings travel with the query (issue #12 review of h-xs4): a foreign name read from Arabic,
Hangul, katakana or Han transcription characters makes its own tokens compare by their readings, and no
later query's (`loanwords.LOAN`, `similarity.READ_AS` and `loan_han.HAN_READINGS` were process-wide); a
Korean company's name is not read as a foreign person's."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import screen
from exportctl.engine.screening.forms import form_abjad, query_forms
from exportctl.engine.screening.index import ScreeningIndex
from exportctl.engine.screening.loan_han import company_pieces, han_loan_forms
from exportctl.engine.screening.loan_hangul import hangul_loan_forms
from exportctl.engine.screening.readings import Marks, add_reads, reads_of
from exportctl.engine.screening.similarity import token_sim

LISTED = [
    ("1", "PUTIN, Vladimir", "Individual"),
    ("2", "HUAWEI TECHNOLOGIES", "Entity"),
    ("3", "TRUMP, Donald", "Individual"),
    ("4", "BLADE TECH", "Entity"),
]
NAMES = [
    "블라디미르 푸틴",
    "弗拉基米尔·普京",
    "ウラジーミル・プーチン",
    "هواوي",
    "도널드 트럼프",
    "Vladimir Putin",
    "Bladimir Putin",
    "Huawi",
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


def test_a_latin_query_gets_no_reading_from_an_earlier_foreign_one() -> None:
    marks = [form_abjad("블라디미르 푸틴", toks) for _text, toks in query_forms("블라디미르 푸틴")]
    assert any(isinstance(m, Marks) and m.reads for m in marks)
    for _text, toks in query_forms("Bladimir Putin"):
        assert not any(reads_of(form_abjad("Bladimir Putin", toks), t) for t in toks)
    assert token_sim("bladimir", "vladimir") < token_sim(
        "bladimir", "vladimir", reads=("bladimir", "vladimir")
    )


def test_korean_company_names_are_not_read_as_foreign_names() -> None:
    assert hangul_loan_forms("블라디미르 푸틴")
    assert hangul_loan_forms("한국 technologies") == []  # a company word, as replace_company_words writes it
    assert hangul_loan_forms("대한 테크 co ltd") == []


_TEXT = st.text(max_size=8) | st.sampled_from(
    ["\u200f푸틴", "\u200dプーチン", "Ｐｕｔｉｎ", "普·京", "ه", "블"]
)


@settings(max_examples=100, deadline=None)
@given(_TEXT, st.lists(st.text(max_size=5), max_size=3))
def test_marks_never_crash_and_are_the_querys_own(name: str, readings: list[str]) -> None:
    for _text, toks in query_forms(name):
        marks = form_abjad(name, toks)
        assert marks == form_abjad(name, toks)
        for t in toks:
            assert all(isinstance(r, str) and r for r in reads_of(marks, t))
            assert 0.0 <= token_sim(t, "putin", False, reads_of(marks, t)) <= 1.0
    reads: dict[str, tuple[str, ...]] = {}
    add_reads(reads, name, tuple(readings))
    assert reads.get(name, ()) == tuple(dict.fromkeys(readings)) if name and readings else name not in reads


def test_a_transcription_is_read_apart_from_its_company_words() -> None:
    assert company_pieces("马丁公司") == [("马丁", ""), ("公司", "company")]
    assert han_loan_forms("洛克希德·马丁公司") == ["luokexide mading company"]
    assert company_pieces("公司") == [("公司", "company")]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from("马丁公司有限技术·\u200d\u200fＡ1 株式会社"), max_size=10))
def test_company_pieces_cover_the_word(word: str) -> None:
    pieces = company_pieces(word)
    assert "".join(p for p, _t in pieces) == word or pieces == [(word, "")]
    assert all(isinstance(r, str) for r in han_loan_forms(word))
