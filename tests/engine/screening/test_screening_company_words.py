"""Company words written in other scripts (issue #12): rigour's org symbols, the hand list, loanwords by their
sound; a person's name is never taken for one; the replacement survives bad input."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import LIST_SCHEMA, ScreeningIndex, build_index, score_names, screen
from exportctl.engine.screening import translit as tr
from exportctl.engine.screening.company_words import company_word, loan_key, replace_company_words


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    """Listed companies written as the lists write them, and a person."""
    names = [
        "HUAWEI TECHNOLOGIES CO., LTD.",
        "SAMSUNG ELECTRONICS CO., LTD.",
        "ZTE Corporation",
        "Hikvision Digital Technology Co., Ltd.",
        "Sergey SELEZNEV",
    ]
    rows = [
        {
            "list": "EL",
            "list_name": "Entity List",
            "entity_id": str(i),
            "name": name,
            "aliases": [],
            "type": "Individual" if name.startswith("Sergey") else "Entity",
            "countries": [],
            "programs": [],
        }
        for i, name in enumerate(names)
    ]
    return build_index(pl.DataFrame(rows, schema=LIST_SCHEMA))


@pytest.mark.parametrize(
    ("word", "canonical"),
    [
        ("Технологии", "technology"),  # rigour
        ("Групп", "group"),
        ("グループ", "group"),
        ("חברה", "company"),
        ("Εταιρεία", "company"),
        ("للتجارة", "trading"),  # the Arabic preposition taken off (hand list)
        ("والتجارة", "trading"),
        ("그룹", "group"),  # hand list
        ("บริษัท", "company"),
    ],
)
def test_company_words_from_the_tables(word: str, canonical: str) -> None:
    assert company_word(word) == canonical


@pytest.mark.parametrize(
    ("word", "canonical"),
    [
        ("Текнолоджиз", "technology"),
        ("Индастриз", "industry"),
        ("Интернешнл", "international"),
        ("Электроникс", "electronic"),
        ("تكنولوجيز", "technology"),
        ("للتكنولوجيا", "technology"),
        ("테크놀로지스", "technology"),
        ("인터내셔널", "international"),
        ("エレクトロニクス", "electronic"),
    ],
)
def test_loanwords_by_their_sound(word: str, canonical: str) -> None:
    assert company_word(word, tr._word_letters) == canonical


def test_loan_key() -> None:
    assert loan_key("technologies") == loan_key("tekhnolodzhiz") == loan_key("tekunorojiizu") == "tknljs"
    assert loan_key("international") == loan_key("interneshnl")
    assert loan_key("") == ""


def test_names_are_not_company_words() -> None:
    for word in ("Селезнев", "Иванов", "محمد", "Никодим", "Смирнов"):
        assert company_word(word, tr._word_letters) is None, word
    # a one-word name is a name
    assert replace_company_words("Технологии", tr._word_letters) == "Технологии"
    # the words of a legal form written out stay for rigour's phrase
    assert "obshchestvo" in tr.romanisations("Общество с ограниченной ответственностью Ромашка")[0].lower()


@pytest.mark.parametrize(
    "query",
    [
        "Хуавэй Текнолоджиз",  # Huawei Technologies in Russian
        "화웨이 테크놀로지스",  # in Korean
        "화웨이 테크놀로지스 주식회사",
        "華為技術有限公司",
        "ЗТЕ Корпорейшн",  # ZTE Corporation
        "삼성 일렉트로닉스",  # Samsung Electronics, the English word in Hangul
    ],
)
def test_listed_companies_in_other_scripts(index: ScreeningIndex, query: str) -> None:
    hits = screen(index, pl.DataFrame({"name": [query]}))
    assert hits.height and hits.sort("score", descending=True)["matched_name"][0] in {
        "HUAWEI TECHNOLOGIES CO., LTD.",
        "ZTE Corporation",
        "SAMSUNG ELECTRONICS CO., LTD.",
    }, query


def test_company_word_weighs_little(index: ScreeningIndex) -> None:
    s = score_names(index, "Хуавэй Текнолоджиз", "HUAWEI TECHNOLOGIES CO., LTD.")
    assert s.score >= 0.7 and "technology=technology" in s.explain()


_PIECES = st.sampled_from(
    ["Текнолоджиз", "Хуавэй", "テクノロジーズ", "・", "ー", "그룹", "للتكنولوجيا", "ال", "\u200f", "\u200d",
     "\u200c", "Ｈｕａｗｅｉ", "株式会社", "ООО", " ", "-", ".", "a", "々", "\u064e"]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=6).map("".join) | st.text(max_size=4))
def test_replacement_survives_bad_input(name: str) -> None:
    out = replace_company_words(name, tr._word_letters)
    assert isinstance(out, str)
    forms = tr.romanisations(name)
    assert isinstance(forms, tuple) and forms
