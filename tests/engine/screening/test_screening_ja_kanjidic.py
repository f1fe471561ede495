"""Japanese given names the name data lacks, spelt by KANJIDIC2's readings of their kanji, and the
romanisation variants of common names (bench/data/dev_japanese_variants.jsonl; issue #12): named cases
and properties."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names
from exportctl.engine.screening.ja_names import (
    KANJIDIC_FILE,
    _kanji_table,
    given_readings,
    kanji_latin,
    read_as,
)


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """Only pair scores are read from it."""
    return sdn_index_of([("1", "John SMITH", "Individual")])


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("佐藤惇博", "Atsuhiro Sato"),  # 惇博 in no name list: 惇 あつ and 博 ひろ from KANJIDIC2
        ("田中暉博", "TANAKA Teruhiro"),  # 暉 てる: a name reading only KANJIDIC2 gives
        ("村松崇継", "Muramatsu Takatsugu"),  # 継 つ.ぐ: a kun reading's whole word
        ("伊藤大翔", "Haruto Itoh"),  # a long o written oh, a second reading of the given name
        ("河野和子", "Kawano Kazuko"),  # the family name's second reading
        ("大野拓", "OHNO Taku"),
        ("佐藤陽菜", "Satō Haruna"),  # a macron
    ],
)
def test_japanese_names_meet_their_spellings(index: ScreeningIndex, query: str, latin: str) -> None:
    scored = score_names(index, query, latin)
    assert scored.score >= 0.7, (query, latin, scored.explain())


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("佐藤惇博", "Atsuhiro Kato"),  # another family name
        ("佐藤惇博", "Sato Hiroshi"),  # the given name's last kanji alone
        ("田中暉博", "Tanaka Teruhisa"),  # another given name sharing its start
        ("伊藤大翔", "Hikaru Ito"),
        ("河野和子", "Kono Akiko"),  # (Kazuki is one letter off Kazuko: the fuzzy score meets it)
    ],
)
def test_near_names_do_not(index: ScreeningIndex, query: str, latin: str) -> None:
    scored = score_names(index, query, latin)
    assert scored.score < 0.7, (query, latin, scored.explain())


def test_kanjidic_readings_widen_the_spellings_of_one_kanji() -> None:
    assert not given_readings("惇博", rare=True)  # the case above is read through the kanji alone
    assert {"hiro", "haku"} <= kanji_latin("博")
    assert "teru" in kanji_latin("暉")
    assert {"tsu", "tsugu"} <= kanji_latin("継")  # a kun reading's stem and its whole word
    assert read_as("佐藤惇博", ("atsuhiro", "sato")) and not read_as("佐藤惇博", ("atsushi", "sato"))


def test_every_kanji_has_a_bounded_number_of_spellings() -> None:
    table = _kanji_table(KANJIDIC_FILE)
    assert len(table) > 2500  # jōyō and jinmeiyō kanji
    # Each reading gives at most three spellings (kana, short, oh), a reading ending in a small tsu four
    # doubled consonants of each; the name data's table keeps at most 10 readings and KANJIDIC2's 24.
    assert max(len(kanji_latin(c)) for c in table) <= 4 * 3 * (10 + 24)


_KANJI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_KANA = st.characters(min_codepoint=0x3041, max_codepoint=0x30FF)
_TEXT = st.lists(_KANJI | _KANA | st.sampled_from(["々", " ", "ー", "a"]), max_size=8).map("".join)
_LATIN = st.lists(st.sampled_from(["sato", "atsuhiro", "teru", "hiro", "ohno", "itoh", "", "n"]), max_size=3)


@settings(max_examples=80, deadline=None)
@given(_TEXT, _LATIN)
def test_the_kanji_reader_never_raises_and_is_deterministic(name: str, listed: list[str]) -> None:
    sets = [kanji_latin(c) for c in name]
    first = read_as(name, tuple(listed))
    read_as.cache_clear()
    assert read_as(name, tuple(listed)) == first and isinstance(first, bool)
    assert all(len(s) <= 4 * 3 * (10 + 24) for s in sets)
