"""Foreign names written in Hangul or in Han characters (issue #12): 블라디미르 푸틴 and 弗拉基米尔·普京 are
Vladimir Putin, read as the loanword orthography and the transcription tables wrote them; Korean and
Chinese persons' own names are not read so; the readers survive any input."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import DEFAULT_THRESHOLD, ScreeningIndex, score_names, screen
from exportctl.engine.screening import translit as tr
from exportctl.engine.screening.katakana import kana_loan_forms, kana_loan_readings
from exportctl.engine.screening.loan_han import (
    LATTICE_EXACT,
    LATTICE_NEAR,
    han_loan_forms,
    latin_classes,
    lattice_sim,
)
from exportctl.engine.screening.loan_hangul import hangul_loan_forms, hangul_loan_readings
from exportctl.engine.screening.loanwords import LOAN_MAX, loan_sim

PUTIN = "Vladimir Vladimirovich PUTIN"


@pytest.mark.parametrize(
    ("word", "latin"),
    [
        ("블라디미르", "vladimir"),  # ㄹㄹ is one l, ㅡ of a lone consonant nothing, ㅂ writes v
        ("푸틴", "putin"),
        ("도널드", "donald"),
        ("트럼프", "trump"),
        ("알렉산더", "alexander"),  # x as ks, an English -er written as a vowel
        ("모스크바", "moskva"),
        ("타슈켄트", "tashkent"),  # 슈 before a consonant is a lone sh
        ("베를린", "berlin"),
    ],
)
def test_hangul_loanwords_read_back(word: str, latin: str) -> None:
    readings = hangul_loan_readings(word)
    assert 1 <= len(readings) <= 12 and max(loan_sim(r, latin) for r in readings) >= 0.85, readings


def test_hangul_other_words_are_not_their_readings() -> None:
    assert max(loan_sim(r, "berlin") for r in hangul_loan_readings("블라디미르")) == 0.0
    assert max(loan_sim(r, "vladimir") for r in hangul_loan_readings("푸틴")) == 0.0
    assert hangul_loan_readings("Putin") == hangul_loan_readings("普京") == hangul_loan_readings("") == ()


def test_korean_names_are_not_read_as_foreign_names() -> None:
    # One word with no lone consonant is how a Korean person's name is written: the systems spell it.
    assert hangul_loan_forms("김정은") == hangul_loan_forms("박근혜") == hangul_loan_forms("김 민수") == []
    assert hangul_loan_forms("블라디미르 푸틴")[0] == "bladimir putin"
    assert hangul_loan_forms("모스크바")  # a lone consonant (스, 크) is a foreign word's


@pytest.mark.parametrize(
    ("word", "latin"),
    [
        ("ミッチ", "mitch"),  # ッ before チ writes t
        ("プーチン", "putin"),  # チ writes ti in Russian names
        ("ドナルド", "donald"),  # ル and ド lone consonants
        ("トランプ", "trump"),  # ン before プ is m
        ("マスカット", "muscat"),
        ("ラゴス", "lagos"),
    ],
)
def test_katakana_loanwords_read_back(word: str, latin: str) -> None:
    readings = kana_loan_readings(word)
    assert max(loan_sim(r, latin) for r in readings) >= 0.85, readings
    assert max(loan_sim(r, "berlin") for r in readings) == 0.0


def test_katakana_names_stand_for_their_readings() -> None:
    assert kana_loan_forms("ミッチ・マコーネル") == ["mitchi makonel"]
    assert kana_loan_forms("佐藤") == []
    assert kana_loan_readings("Sony") == kana_loan_readings("") == ()


@pytest.mark.parametrize(
    ("word", "latin", "sim"),
    [
        ("弗拉基米尔", "vladimir", LATTICE_EXACT),  # 弗 f(v), 基 ji for di, 尔 er for r
        ("普京", "putin", LATTICE_EXACT),  # 京 jing for tin
        ("麦康奈尔", "mcconnell", LATTICE_EXACT),
        ("米奇", "mitch", LATTICE_EXACT),
        ("阿卜杜拉", "abdullah", LATTICE_EXACT),
        ("亚历山大", "alexander", LATTICE_NEAR),  # the k of x dropped
        ("特朗普", "trump", LATTICE_NEAR),  # 朗 lang for the r of tr, n for m
        ("弗拉基米尔", "alexander", 0.0),
        ("普京", "obama", 0.0),
    ],
)
def test_han_transcriptions_spell_the_latin_consonants(word: str, latin: str, sim: float) -> None:
    assert lattice_sim(word, latin) == sim, (latin_classes(latin), word)


def test_only_names_with_a_middle_dot_are_read_as_transcriptions() -> None:
    assert han_loan_forms("王文宇") == han_loan_forms("普京") == []
    assert han_loan_forms("弗拉基米尔·普京") == ["fulajimier pujing"]
    assert "fulajimier pujing" in tr.romanisations("弗拉基米尔·普京")
    assert "fulajimier pujing" in tr.romanisations("弗拉基米尔・普京")  # the Japanese middle dot too


@pytest.mark.parametrize(
    "query", ["블라디미르 푸틴", "弗拉基米尔·普京", "푸틴 블라디미르", "ウラジーミル・プーチン"]
)
def test_putin_in_hangul_and_han_scores_and_hits(small_index: ScreeningIndex, query: str) -> None:
    assert score_names(small_index, query, PUTIN).score >= DEFAULT_THRESHOLD
    hits = screen(small_index, pl.DataFrame({"name": [query]}))
    assert hits.height and hits.sort("score", descending=True).row(0, named=True)["entity_id"] == "8", hits


def test_other_persons_in_hangul_and_han_do_not_score(small_index: ScreeningIndex) -> None:
    for query in ("도널드 트럼프", "唐纳德·特朗普", "김정은"):
        assert score_names(small_index, query, PUTIN).score < DEFAULT_THRESHOLD, query


_ODD = st.sampled_from(["\u200f", "\u200e", "\u200d", "\u200c", "·", "・", " ", "Ｐｕｔｉｎ", "x", "1"])
_HANGUL = st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), max_size=6)
_HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=6)
_KANA = st.text(alphabet=st.characters(min_codepoint=0x30A0, max_codepoint=0x30FF), max_size=6)


@settings(max_examples=120, deadline=None)
@given(st.lists(_HANGUL | _HAN | _KANA | _ODD | st.text(max_size=4), max_size=5))
def test_the_readers_never_crash_and_are_deterministic(parts: list[str]) -> None:
    name = "".join(parts)
    for forms in (hangul_loan_forms(name), han_loan_forms(name), kana_loan_forms(name)):
        assert all(isinstance(f, str) for f in forms)
    assert hangul_loan_forms(name) == hangul_loan_forms(name)
    assert han_loan_forms(name) == han_loan_forms(name)
    assert tr.romanisations(name)
    for word in name.split():
        for reading in hangul_loan_readings(word) + kana_loan_readings(word):
            assert reading.isascii() and 0.0 <= loan_sim(reading, "putin") <= LOAN_MAX
        assert lattice_sim(word, "putin") in (0.0, LATTICE_NEAR, LATTICE_EXACT)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["블", "푸", "普", "京", "·", "Ｐ", "\u200d", "ー", "ッ", "ン", "ル"]))
def test_one_character_names_are_screened(name: str) -> None:
    assert tr.romanisations(name)
    assert latin_classes(name.lower()) is not None


@pytest.mark.parametrize("name", ["않", "김 않다", "않 회사", "ᆭ"])
def test_a_final_cluster_korean_romanizer_lacks_is_read_by_icu(name: str) -> None:
    # korean_romanizer raises KeyError on the final cluster ᆭ (found by the test above in CI)
    assert tr.romanisations(name)
