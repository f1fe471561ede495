"""Romanisation per script (issue #12): names spelt from name data, Japanese names read with UniDic, katakana
names in their bearers' spelling, Ukrainian letters, the Arabic article; each romaniser survives bad input."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names
from exportctl.engine.screening import translit as tr
from exportctl.engine.screening.native import spell
from exportctl.engine.screening.variants import latin_spelling, native_key


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """A small index: only the pair scores are read from it."""
    names = ["Hashem WEHBE", "Ali MUSAVI", "Orel SHALOM", "Yuki NISHIMURA", "John SMITH", "Oles HOLYK"]
    return sdn_index_of([(str(i), name, "Individual") for i, name in enumerate(names)])


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("هاشم وهبة", "Hashem Wehbe"),  # Arabic: spelt from the name data (BGN's hshm whbh meets nothing)
        ("علی موسوی", "Ali Musavi"),  # Persian
        ("אוראל שלום", "Orel Shalom"),  # Hebrew
        (
            "西村裕樹",
            "Yuki Nishimura",
        ),  # kanji read as a Japanese name by UniDic (pykakasi split it otherwise)
        ("ジョン・スミス", "John Smith"),  # katakana: UniDic's lemma gives the bearer's spelling
        ("Голик Олесь", "Oles Holyk"),  # Ukrainian BGN: Г as H
    ],
)
def test_names_in_their_scripts_meet_their_latin_spelling(
    index: ScreeningIndex, query: str, latin: str
) -> None:
    scored = score_names(index, query, latin)
    assert scored.score >= 0.7, (query, latin, scored.score, scored.explain())


def test_name_data_spellings() -> None:
    assert latin_spelling("محمد") and latin_spelling("владимир") == "vladimir"
    assert native_key("إبراهيم") == native_key("ابراهيم")  # hamza seats folded
    assert native_key("Νικόλαος") == "νικολαοσ"  # tonos and final sigma
    assert latin_spelling("zzzz") == "" and latin_spelling("") == ""
    text, whole = spell("فاطمة عبد الله", lambda w: w)
    assert whole and text.split()[-1].startswith("abd")  # عبد joined to the name after it
    text, whole = spell("سعيد الشهرييي", lambda w: "x")
    assert not whole and " al x" in f" {text}"  # the article of an unknown nisba stands apart


def test_japanese_readings() -> None:
    assert "abe shinzo" in tr.romanisations("安倍晋三")
    assert tr.japanese_reading("王文宇") == []  # a Chinese name is not read as Japanese
    assert tr.japanese_reading("习近平") == []
    assert tr.romanisations("ウラジーミル・プーチン")[0].startswith("Vladimir")


_PIECES = st.sampled_from(
    [
        "محمد",
        "ال",
        "عبد",
        "آیدا",
        "שלום",
        "Олесь",
        "ґ",
        "Νίκος",
        "김",
        "박근혜",
        "ウラジーミル",
        "ー",
        "・",
        "安倍",
        "々",
        "王",
        "สมชาย",
        "राम",
        "Ｈｕａｗｅｉ",  # full-width Latin
        "\u200f",  # right-to-left mark
        "\u200e",
        "\u200d",  # zero-width joiner
        "\u200c",
        "\u202b",
        "\ufeff",
        "a",
        "1",
        " ",
        "-",
        "\u0301",
        "\u064e",
    ]
)
_NAMES = st.lists(_PIECES, min_size=0, max_size=6).map("".join) | st.text(max_size=3)  # one character too

_ROMANISERS = [
    tr._cyrillic,
    tr._greek,
    tr._abjad,
    tr._hangul,
    tr._brahmic,
    tr._kana_readings,
    tr.japanese_reading,
    tr._foreign_spelling,
    tr._unidic_name,
]


@settings(max_examples=40, deadline=None)
@given(_NAMES)
def test_each_romaniser_survives_bad_input(name: str) -> None:
    for romaniser in _ROMANISERS:
        try:
            out = romaniser(name)
        except (ValueError, RuntimeError, UnicodeError):
            continue  # what romanisations() catches: a library refusing odd input
        assert isinstance(out, list | str), romaniser
    text, whole = spell(name, lambda w: w)
    assert isinstance(text, str) and isinstance(whole, bool)
    forms = tr.romanisations(name)
    assert isinstance(forms, tuple) and forms and all(isinstance(f, str) for f in forms)


def test_japanese_readings_beyond_the_tagged_name() -> None:
    """A one-character surname read the Japanese way, an old form (澤), a given name UniDic reads otherwise
    first (勇人: Hayato), a surname UniDic does not know: each gives a reading (JMnedict dev cases)."""
    assert "katsura reiko" in tr.romanisations("桂玲子")
    assert "kurosawa hisao" in tr.romanisations("黒澤久雄")
    assert "sato hayato" in tr.romanisations("佐藤勇人")
    assert "sugano mitsuo" in tr.romanisations("菅野光夫")
    assert tr.japanese_reading("林志玲") == []  # a Chinese name with a one-character surname stays Chinese
    assert tr.japanese_reading("王文宇") == []
