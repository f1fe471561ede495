"""Japanese names read with JMnedict's rare family and given names, and Chinese-written foreign company
names read with their company words in English (issue #12): named cases and properties."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names
from exportctl.engine.screening import translit as tr
from exportctl.engine.screening.han_words import english_word, translated
from exportctl.engine.screening.ja_names import family_readings, given_readings, read_as, splits
from exportctl.engine.screening.normalise import cjk_chars


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """Only pair scores are read from it."""
    return sdn_index_of([("1", "John SMITH", "Individual")])


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("神明前亜雄", "Shimmeima Tsuguo"),  # a family name only JMnedict lists, five characters
        ("神宮映里", "Erina Jimmiya"),  # simplified 神宫映里: OpenCC reads 里 back as 裏
        ("相越乃々", "Nono Aikoshi"),  # 々 written out (乃乃)
        ("爲家恭治", "TAMEKA Yasuharu"),  # an old form (爲), simplified 为
        ("斯波義将", "Shiba Yoshimasa"),  # common readings still read
    ],
)
def test_rare_japanese_names_meet_their_hepburn_spelling(
    index: ScreeningIndex, query: str, latin: str
) -> None:
    scored = score_names(index, query, latin)
    assert scored.score >= 0.7, (query, latin, scored.explain())


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("神明前亜雄", "Shimmeima Hiroshi"),  # the family name alone is not the name
        ("神宮映里", "Erina Sato"),
        ("林志玲", "Hayashishi Rei"),  # a Chinese name is not split by a rare family name for searching ...
        ("王海洋", "Wang Ocean"),  # ... nor a person's given name translated
    ],
)
def test_other_names_do_not(index: ScreeningIndex, query: str, latin: str) -> None:
    if query == "林志玲":
        assert splits(query) == [] and splits(query, rare=True)  # the rare names serve read_as only
        return
    scored = score_names(index, query, latin)
    assert scored.score < 0.7, (query, latin, scored.explain())


def test_readers() -> None:
    assert "かすば" in family_readings("斯波", rare=True) and "かすば" not in family_readings("斯波")
    assert given_readings("亜雄", rare=True) and not given_readings("亜雄")
    assert read_as("神宫映里", ("erina", "jimmiya"))  # the simplified form is listed too
    assert cjk_chars("佐々木美咲") == "佐佐木美咲"
    assert english_word("导弹") == "missile" and english_word("雷神") == ""
    assert translated("雷神导弹系统公司") == "lei shen missile system company"
    assert translated("雷神導彈系統公司") == "lei shen missile system company"  # traditional too
    assert translated("航空装备研究所") == ""  # company words alone: no name of its own
    assert translated("华为技术有限公司") == ""  # terms.yml's han_terms only: the pinyin form serves
    assert "lei shen missile system company" in tr.romanisations("雷神导弹系统公司")
    assert not any("ocean" in form for form in tr.romanisations("王海洋"))


_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_MIXED = st.sampled_from(["々", "・", "·", " ", "ー", "ア", "a", "公司", "株式会社", "\u200b", "\u202e"])
_TEXT = st.lists(_HAN | _MIXED, max_size=9).map("".join) | st.text(max_size=6)
_LATIN = st.lists(st.sampled_from(["sato", "erina", "jimmiya", "shiba", "kasuba", "o", ""]), max_size=3)


@settings(max_examples=80, deadline=None)
@given(_TEXT, _TEXT, _LATIN)
def test_readers_never_raise_are_deterministic_and_forget_earlier_queries(
    name: str, other: str, listed: list[str]
) -> None:
    first = (translated(name), read_as(name, tuple(listed)), cjk_chars(name), splits(name, rare=True))
    translated(other), read_as(other, tuple(listed)), splits(other, rare=True)
    translated.cache_clear()
    read_as.cache_clear()
    again = (translated(name), read_as(name, tuple(listed)), cjk_chars(name), splits(name, rare=True))
    assert first == again
    assert isinstance(first[0], str) and isinstance(first[1], bool)
