"""Foreign names written in Arabic script (issue #12): هواوي is Huawei, read with its vowel letters as
vowels; Arabic and Persian person names keep the skeleton path; the reader survives any input."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names, screen
from exportctl.engine.screening import translit as tr
from exportctl.engine.screening.loanwords import LOAN_MAX, loan_forms, loan_readings, loan_sim

HUAWEI = "Huawei Technologies Co., Ltd."


@pytest.mark.parametrize(
    ("word", "reading"),
    [
        ("هواوي", "huawi"),  # و between a consonant and a vowel letter is u, after a vowel w
        ("سوني", "soni"),  # و between consonants is o
        ("تايوان", "taiwan"),
        ("ميتسوبيشي", "mitsobishi"),
        ("أوراكل", "orakl"),  # أو opening a word is o
        ("لينوفو", "linofo"),  # a و before a consonant or at the end is o
    ],
)
def test_vowel_letters_are_read_as_vowels(word: str, reading: str) -> None:
    assert reading in loan_readings(word), loan_readings(word)


def test_readings_are_few_ranked_and_only_for_arabic_letters() -> None:
    assert loan_readings("هواوي")[0] == "huawi"
    assert 1 <= len(loan_readings("تكنولوجيز")) <= 4
    assert loan_readings("Huawei") == loan_readings("华为") == loan_readings("") == ()


def test_a_reading_is_forgiven_vowels_only() -> None:
    assert loan_sim("huawi", "huawei") == LOAN_MAX  # one short vowel unwritten
    assert 0.85 < loan_sim("soni", "sony") < LOAN_MAX  # ي read as y
    assert loan_sim("huawi", "huawei") > loan_sim("hwawi", "huawei") > 0.0
    assert loan_sim("etalran", "etalon") == 0.0  # a consonant more: left to the plain similarity
    assert loan_sim("huawi", "hua") == 0.0


def test_person_names_get_no_loan_forms() -> None:
    # Arabic and Persian persons (two words, no company word) stay with the name table and skeletons.
    for name in ("روان المصري", "محمد علي", "مهرشاد جعفری", "حسين امام"):
        assert loan_forms(name, tr._word_letters) == [], name
    assert loan_forms("الهواوي", tr._word_letters) == []  # a foreign name takes no article
    assert loan_forms("Huawei هواوي", tr._word_letters) == []  # a Latin name word is no company word
    # a company word (already written in English) or one unknown word reads as a foreign name
    assert loan_forms("هواوي", tr._word_letters)[0] == "huawi"
    assert loan_forms("company هواوي technology", tr._word_letters)[0] == "company huawi technology"


@pytest.mark.parametrize("query", ["هواوي تكنولوجيز", "شركة هواوي", "هواوي", "شركة هواوي تكنولوجيز المحدودة"])
def test_huawei_in_arabic_script_hits_the_entity_list_entry(small_index: ScreeningIndex, query: str) -> None:
    hits = screen(small_index, pl.DataFrame({"name": [query], "country": ["CN"]}))
    top = hits.sort("score", descending=True).row(0, named=True)
    assert (top["list"], top["entity_id"], top["name"]) == ("EL", "1", HUAWEI), hits
    assert "huawi~huawei" in top["explanation"]


def test_the_company_words_weigh_as_company_words(small_index: ScreeningIndex) -> None:
    s = score_names(small_index, "شركة هواوي تكنولوجيز المحدودة", HUAWEI)
    assert s.score >= 0.8
    assert "technology=technology 1.00 w0.20" in s.explain() and "llc=llc" in s.explain()


_ARABIC = st.text(
    alphabet=st.sampled_from(
        [*"اأإآوؤيىئةهءعبتثجحخدذرزسشصضطظغفقكلمنپچژگکیےںھ", "\u064e", "\u0651", "\u0640"]
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(_ARABIC | st.text(max_size=12))
def test_the_reader_never_crashes_and_is_deterministic(word: str) -> None:
    first = loan_readings(word)
    loan_readings.cache_clear()
    assert loan_readings(word) == first
    assert len(first) <= 4 and all(r.isascii() and r for r in first)
    for reading in first:
        assert 0.0 <= loan_sim(reading, "huawei") <= LOAN_MAX


@settings(max_examples=60, deadline=None)
@given(st.lists(_ARABIC | st.sampled_from(["company", "technology", "شركة", " ", "\u200f"]), max_size=4))
def test_loan_forms_never_crash(words: list[str]) -> None:
    name = " ".join(words)
    forms = loan_forms(name, tr._word_letters)
    assert forms == loan_forms(name, tr._word_letters)
    assert all(isinstance(f, str) and f.isascii() for f in forms)
    assert tr.romanisations(name)
