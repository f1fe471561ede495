"""One person in many spellings (#12): a surname beside titles or initials, dotted initials after a surname,
male and female surname forms, Ukrainian and Russian given names."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names, screen
from exportctl.engine.screening.forms import query_forms
from exportctl.engine.screening.initials import split_initials, split_tokens
from exportctl.engine.screening.normalise import normalise
from exportctl.engine.screening.score import Part, Scored
from exportctl.engine.screening.slavic import gendered_pair
from exportctl.engine.screening.surname import (
    COMMON_SURNAME_CAP,
    TITLE_SURNAME,
    surname_rank,
    title_surname,
)
from exportctl.engine.screening.titles import SurnameQuery, role_span, role_words, surname_query
from exportctl.engine.screening.variants import are_variants, cyrillic_cognates

PUTIN = "PUTIN, Vladimir Vladimirovich"
SMITH = "SMITH, John Robert"


@pytest.fixture(scope="module")
def persons(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """A few listed persons, one of a rare surname, one of a common one, a woman of a Russian surname."""
    return sdn_index_of(
        [
            ("1", PUTIN, "individual"),
            ("2", SMITH, "individual"),
            ("3", "LAVROVA, Maria Aleksandrovna", "individual"),
            ("4", "SHOIGU, Sergei Kuzhugetovich", "individual"),
            ("5", "PUTIN TRADING LLC", "entity"),
            ("6", "SOKOLOV, Aleksandr Anatolyevich", "individual"),
            ("7", "MAKSIMOVA, Kseniya Gennadiyevna", "individual"),
            ("8", "SOKOLOV, Andrey", "individual"),
        ]
    )


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Putin V.V.", "Putin V. V."),
        ("V.V. Putin", "V. V. Putin"),
        ("Lavrov S.V", "Lavrov S. V."),
        ("Alshevskih A.G.", "Alshevskih A. G."),  # A.G. reads as a legal form, but beside a name only
        ("I.B.M.", None),  # an acronym alone
        ("Acme Trading S.A.", None),  # a legal form beside a generic word: an organisation
        ("A.B.C.D. Smith", None),  # four letters: an acronym
        ("V. V. Putin", None),  # already apart
        ("John F. Kennedy", None),
    ],
)
def test_split_initials(name: str, split: str | None) -> None:
    """A run of dotted initials beside a name is read apart; acronyms and organisations stay as they are."""
    assert split_initials(name) == split


def test_initials_form_replaces_the_acronym_reading() -> None:
    """ "Putin V.V." is screened as "putin v v" (the run is no word); "Efremov D.D." in both readings, since
    "D.D." is a legal form too."""
    assert [toks for _t, toks in query_forms("Putin V.V.")] == [("putin", "v", "v")]
    assert ("efremov", "d", "d") in [toks for _t, toks in query_forms("Efremov D.D.")]
    assert len(query_forms("Efremov D.D.")) == 2
    forms = [toks for _t, toks in query_forms("L.X.C. Aviation")]
    assert forms == [("lxc", "aviation"), ("l", "x", "c", "aviation")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("President Putin", SurnameQuery("putin", True, ())),
        ("Foreign Minister Lavrov", SurnameQuery("lavrov", False, ())),
        ("Gen. Shoigu", SurnameQuery("shoigu", False, ())),
        ("Colonel Shoigu", SurnameQuery("shoigu", True, ())),
        ("V. V. Putin", SurnameQuery("putin", False, ("v", "v"))),
        ("Putin V. V.", SurnameQuery("putin", False, ("v", "v"))),
        ("Vladimir Putin", None),
        ("Putin", None),
        ("President Vladimir Putin", None),
        ("Mr. Xi", None),  # too short to stand alone
        ("King Charles", None),  # "King" is a common name somewhere, never a role word here
        ("mr mstfwy", None),  # the skeleton of an Arabic name (عمر مصطفاوي), no "Mr."
    ],
)
def test_surname_query(query: str, expected: SurnameQuery | None) -> None:
    """Titles, role words and initials around one name word; anything else is no surname query."""
    assert surname_query(normalise(query)) == expected


def test_role_words_leave_names_and_codes_out() -> None:
    """nameparser's offices are role words; common names and two-letter codes are not."""
    words = role_words()
    assert {"minister", "governor", "senator", "deputy"} <= words
    assert not {"king", "prince", "da", "uk", "us"} & words
    assert role_span(("deputy", "prime", "minister", "novak")) == 3


def test_surname_ranks_read_every_script() -> None:
    """Russian family names ranked in Cyrillic count as common in Latin letters too."""
    assert surname_rank("smith") > 0 and surname_rank("ivanov") > 0 and surname_rank("egorov") > 0
    assert surname_rank("shoigu") == 0


def test_title_and_rare_surname_alerts(persons: ScreeningIndex) -> None:
    """A title and a rare surname alert on its bearer, just above the threshold, and say why."""
    s = score_names(persons, "President Putin", PUTIN)
    assert TITLE_SURNAME <= s.score < 0.8
    assert "rare surname only" in s.explain()
    hits = screen(persons, pl.DataFrame({"name": ["Gen. Shoigu"]}))
    assert hits["entity_id"].to_list()[:1] == ["4"]


def test_title_and_common_surname_never_alerts(persons: ScreeningIndex) -> None:
    """A title and a common surname say nothing of which Smith: below the threshold."""
    s = score_names(persons, "Mr. Smith", SMITH)
    assert s.score <= COMMON_SURNAME_CAP
    assert screen(persons, pl.DataFrame({"name": ["Senator Smith", "J. R. Smith"]})).height == 0


def test_other_gender_is_another_person(persons: ScreeningIndex) -> None:
    """Mr. Lavrov is not Maria Lavrova."""
    assert score_names(persons, "Mr. Lavrov", "LAVROVA, Maria Aleksandrovna").score <= COMMON_SURNAME_CAP
    assert gendered_pair("lavrov", "lavrova") and gendered_pair("dostoevsky", "dostoevskaya")
    assert not gendered_pair("shoigu", "shoygu") and not gendered_pair("anna", "ann")


def test_initials_in_order(persons: ScreeningIndex) -> None:
    """Initials meet the given names in their order: "V. V. Putin" and "Putin V.V." alert, as initials."""
    for query in ("V. V. Putin", "Putin V.V."):
        hits = screen(persons, pl.DataFrame({"name": [query]}))
        assert hits["entity_id"].to_list()[:1] == ["1"], query
    assert score_names(persons, "K. Putin", PUTIN).score <= COMMON_SURNAME_CAP  # another initial


def test_initials_of_name_and_patronymic_lift_the_common_surname_cap(persons: ScreeningIndex) -> None:
    """ "Sokolov A.A." names SOKOLOV, Aleksandr Anatolyevich in full, as Russian documents write a name, even
    though Sokolov is common; one initial, initials of another name, or a listed name without a patronymic
    stay capped."""
    assert score_names(persons, "Sokolov A.A.", "SOKOLOV, Aleksandr Anatolyevich").score >= 0.7
    assert score_names(persons, "A. A. Sokolov", "SOKOLOV, Aleksandr Anatolyevich").score >= 0.7
    assert score_names(persons, "Sokolov A.", "SOKOLOV, Aleksandr Anatolyevich").score <= COMMON_SURNAME_CAP
    assert score_names(persons, "Sokolov A.B.", "SOKOLOV, Aleksandr Anatolyevich").score <= COMMON_SURNAME_CAP
    assert score_names(persons, "Sokolov A.A.", "SOKOLOV, Andrey").score <= COMMON_SURNAME_CAP
    assert (
        score_names(persons, "Sokolova A.A.", "SOKOLOV, Aleksandr Anatolyevich").score <= COMMON_SURNAME_CAP
    )


def test_initials_that_spell_a_legal_form_stay_initials(persons: ScreeningIndex) -> None:
    """ "K.G." and "A.G." are legal forms too; beside one surname they are still a person's initials."""
    assert split_tokens("Maksimova K. G.") == ("maksimova", "k", "g")
    assert score_names(persons, "Maksimova K.G.", "MAKSIMOVA, Kseniya Gennadiyevna").score >= 0.7
    assert score_names(persons, "Maksimova K.G.", "SOKOLOV, Aleksandr Anatolyevich").score < 0.7


def test_crossed_initials_are_capped() -> None:
    """Initials that met the listed given names in the other order ("K. S." / Sergei Kuzhugetovich)."""
    parts = (
        Part("k", "kuzhugetovich", 0.8, 0.35, 0.07),
        Part("s", "sergei", 0.8, 0.5, 0.1),
        Part("shoigu", "shoigu", 1.0, 1.0, 0.0),
    )
    scored = Scored(0.9, parts)
    query = SurnameQuery("shoigu", False, ("k", "s"))
    listed = ("shoigu", "sergei", "kuzhugetovich")
    out = title_surname(query, scored, listed, frozenset({"shoigu"}), True)
    assert out.score == COMMON_SURNAME_CAP and "another order" in out.explain()


def test_ukrainian_and_russian_given_names() -> None:
    """Volodymyr / Vladimir, Oleksandr / Aleksandr meet through their Cyrillic spelling; Ivan is not John."""
    assert cyrillic_cognates("volodymyr", "vladimir") and are_variants("oleksandr", "aleksandr")
    assert are_variants("mykola", "nikolay")
    assert not cyrillic_cognates("ivan", "john") and not cyrillic_cognates("maria", "marko")


WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
ODD = st.one_of(
    WORDS,
    st.lists(
        st.sampled_from(["V.", "V.V.", "S.A.", ".", "..", "Mr.", "Gen.", "Putin", "A", "ъ", "‏", ""])
    ).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(ODD)
def test_parsers_never_crash(text: str) -> None:
    """The initials, title and surname readers take any text: an answer or None, never an exception."""
    split = split_initials(text)
    if split is not None:
        # every initial (a Latin letter) of the split name stays a token of its own
        letters = [
            w for w in split.split() if len(w) == 2 and w.endswith(".") and w[0].isascii() and w[0].isalpha()
        ]
        assert len([t for t in split_tokens(split) if len(t) == 1]) >= len(letters)
    assert split is None or isinstance(split, str)
    toks = normalise(text)
    assert 0 <= role_span(toks) <= len(toks)
    query = surname_query(toks)
    assert query is None or query.surname in toks
    assert isinstance(query_forms(text), tuple)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20), st.text(max_size=20))
def test_name_word_relations_never_crash(a: str, b: str) -> None:
    """Gender forms and cognates of any two words: a bool, symmetric."""
    assert gendered_pair(a, b) == gendered_pair(b, a)
    assert cyrillic_cognates(a, b) == cyrillic_cognates(b, a)


@settings(max_examples=100, deadline=None)
@given(ODD)
def test_screening_odd_surname_queries(text: str) -> None:
    """Screening odd titled or initialled names returns a table, never an exception."""
    from tests.engine.screening.conftest import _sdn_index

    index = _PERSONS.get("i") or _PERSONS.setdefault("i", _sdn_index([("1", PUTIN, "individual")]))
    out = screen(index, pl.DataFrame({"name": [text, f"President {text}", f"{text} V.V."]}))
    assert set(out["qid"].to_list()) <= {0, 1, 2}


_PERSONS: dict[str, ScreeningIndex] = {}


def test_explanation_reads_initials_cognates_and_patronymic(persons: ScreeningIndex) -> None:
    """The explanation says what was read: initials met, two forms of one Cyrillic name, a patronymic
    left out."""
    hits = screen(persons, pl.DataFrame({"name": ["Putin V.V.", "Volodymyr Putin"]}))
    text = dict(zip(hits["qid"].to_list()[::-1], hits["explanation"].to_list()[::-1], strict=True))
    assert "initials matched: v~vladimir" in text[0]
    assert "one name in Cyrillic: volodymyr~vladimir (владимир)" in text[1] and "patronymic absent" in text[1]
