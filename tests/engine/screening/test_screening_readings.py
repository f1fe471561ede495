"""Names read in another language's readings (issue #12): Korean names in hanja read in Korean, katakana
company names spelt as foreign names, Japanese kanji names read with the name data's given-name readings."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names, screen
from exportctl.engine.screening import translit as tr
from exportctl.engine.screening.ja_names import dictionary_readings, kanji_latin, read_as
from exportctl.engine.screening.katakana import loanword_spellings
from exportctl.engine.screening.sino_korean import hangul_readings


def _hit_ids(index: ScreeningIndex, name: str) -> set[str]:
    hits = screen(index, pl.DataFrame({"name": [name]}))
    return set(hits["entity_id"].to_list())


def test_a_korean_name_in_hanja_hits_its_listing(small_index: ScreeningIndex) -> None:
    """金正恩 is Kim Jong Un in Korean readings (pinyin would read Jin Zhengen)."""
    assert hangul_readings("金正恩")[0] == "김정은"  # 金 read as the family name 김, not 금
    assert "6" in _hit_ids(small_index, "金正恩")


def test_a_katakana_company_name_hits_its_listing(small_index: ScreeningIndex) -> None:
    """ファーウェイ spelt as Chinese names are in katakana (ファ hua) meets Huawei on the Entity List."""
    assert "huawei" in loanword_spellings("ファーウェイ")
    assert loanword_spellings("ソニー") == ["sony"]  # a final long i is y
    assert "1" in _hit_ids(small_index, "ファーウェイ")


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """Only pair scores are read from it."""
    return sdn_index_of([("1", "John SMITH", "Individual")])


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("原千代海", "Chiyomi Hara"),  # JMnedict dev pair: no reader split it before
        ("佐藤勇人", "SATO Yuto"),  # JMnedict dev pair: UniDic reads Hayato first
        ("上脇結友", "KAMIWAKI Yu"),  # JMnedict dev pair: Yu reads as a legal form on both sides
        ("佐藤陽翔", "Haruto Sato"),  # a given name UniDic does not know: haru + to
        ("李明博", "Lee Myung-bak"),  # 李 as 이 (South) ...
        ("李明博", "RI Myong Bak"),  # ... and as 리, written Ri (North)
        ("朴槿惠", "Park Geun-hye"),
        ("尹錫悅", "Yoon Suk Yeol"),  # spellings names take: 윤 Yoon, 희 Hee ...
        ("朴正熙", "Park Chung-hee"),
        ("윤석열", "Yoon Suk-yeol"),  # ... in Hangul too
        ("文在寅", "Moon Jae-in"),  # 인 in reads as a legal form (llc) on both sides
    ],
)
def test_names_read_in_their_language_meet_their_latin_spelling(
    index: ScreeningIndex, query: str, latin: str
) -> None:
    scored = score_names(index, query, latin)
    assert scored.score >= 0.7, (query, latin, scored.explain())


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("佐藤陽翔", "Hiroshi Sato"),  # the family name alone is not the name
        ("陳素珍", "KIM, CHIN-SO'K"),  # Korean readings: each syllable its own (진 is not 김)
        ("龍宇軒", "JANG, Hyon U"),
        ("王文宇", "Wang Wen"),  # a Chinese name stays whole
        ("金军", "KIM, Kun"),  # a two-character Han name is not read in Korean (mostly Chinese names)
    ],
)
def test_other_names_do_not(index: ScreeningIndex, query: str, latin: str) -> None:
    scored = score_names(index, query, latin)
    assert scored.score < 0.7, (query, latin, scored.explain())


def test_readers() -> None:
    assert set(hangul_readings("李明博")) == {"리명박", "이명박"}  # both sides of the initial sound law
    assert hangul_readings("王") == [] and hangul_readings("abc") == []
    assert "haru" in kanji_latin("陽") and "to" in kanji_latin("翔")
    assert read_as("佐藤陽翔", ("haruto", "sato")) and read_as("佐藤陽翔", ("sato", "haruto"))
    assert not read_as("佐藤陽翔", ("sato", "kenji"))
    assert read_as("本間晋平", ("homma", "shimpei"))  # passports write ん as m before b, m, p
    assert not read_as("王伟", ("o", "i"))  # 王 read the Chinese way (オウ) is no Japanese family name
    assert "hayashi yuuto" in dictionary_readings("林悠人")
    assert dictionary_readings("林志玲") == []


_PIECES = st.sampled_from(
    [
        "金",
        "正",
        "恩",
        "李",
        "陽",
        "翔",
        "佐藤",
        "々",
        "ファ",
        "ー",
        "ウェ",
        "イ",
        "ッ",
        "ソ",
        "ニ",
        "・",
        "ヴ",
        "a",
        " ",
    ]
)
_NAMES = st.lists(_PIECES, max_size=7).map("".join) | st.text(max_size=4)
_READERS = [hangul_readings, loanword_spellings, dictionary_readings, tr.korean_forms]


@settings(max_examples=60, deadline=None)
@given(_NAMES, st.lists(st.sampled_from(["sato", "haruto", "kim", "jong", "un", "yu", ""]), max_size=3))
def test_the_new_readers_never_crash_and_are_deterministic(name: str, listed: list[str]) -> None:
    for reader in _READERS:
        first = reader(name)
        assert isinstance(first, list) and first == reader(name)
    assert read_as(name, tuple(listed)) == read_as(name, tuple(listed))
    assert tr.romanisations(name) == tr.romanisations(name)
