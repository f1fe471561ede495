"""One person's name forms (#12): Cyrillic initials, a given name and patronymic alone, French, German and
Ukrainian-read spellings of Russian surnames, titles; named cases in person_forms.yml, properties below."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import DEFAULT_THRESHOLD, ScreeningIndex, score_names
from exportctl.engine.screening.forms import query_forms
from exportctl.engine.screening.initials import split_initials
from exportctl.engine.screening.normalise import normalise
from exportctl.engine.screening.patronymic import PatronymicQuery, patronymic_query
from exportctl.engine.screening.slavic import slavic_spelling
from exportctl.engine.screening.titles import surname_query

CASES = yaml.safe_load(Path(__file__).with_name("person_forms.yml").read_text(encoding="utf-8"))
LISTED = sorted(
    {c["listed"] for c in CASES} | {"LAVROV, Sergei", "KADYROV, Ramzan", "SMIRNOV, Pavel Olegovich"}
)


@pytest.fixture(scope="module")
def persons(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """The listed persons of the named cases."""
    return sdn_index_of([(str(i), name, "individual") for i, name in enumerate(LISTED)])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_named_cases(persons: ScreeningIndex, case: dict[str, object]) -> None:
    """Each named pair alerts or not as written, and its explanation says why."""
    s = score_names(persons, str(case["query"]), str(case["listed"]))
    assert (s.score >= DEFAULT_THRESHOLD) is case["alert"], s.explain()
    for words in case.get("says", ()):  # type: ignore[attr-defined]
        assert words in s.explain()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sergei Viktorovich", PatronymicQuery("sergei", "viktorovich")),
        ("Maria Aleksandrovna", PatronymicQuery("maria", "aleksandrovna")),
        ("Sergei Lavrov", None),
        ("Lavrov Sergei Viktorovich", None),
        ("Viktorovich", None),
        ("Li Ivanovich", None),  # a given name this short is no given name here
    ],
)
def test_patronymic_query(query: str, expected: PatronymicQuery | None) -> None:
    """A given name and a patronymic, nothing else."""
    assert patronymic_query(normalise(query)) == expected


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("Vladimir Poutine", "vladimir putin"),
        ("Poetin", "putin"),
        ("Putyn", "putin"),
        ("Monsieur Volodine", "monsieur volodin"),  # the title as written
        ("Herr Mischustin", "herr mishustin"),
        ("Igor Setchine", "igor sechin"),
        ("John Schwartz", None),  # sch of a German name, no Russian ending
        ("Glyn", None),  # too short to be a surname in -yn
    ],
)
def test_slavic_endings(name: str, reading: str | None) -> None:
    """French -ine, Ukrainian-read -yn, German sch: read back into the English spelling."""
    assert slavic_spelling(name) == reading


def test_cyrillic_trailing_initials_are_read_apart() -> None:
    """ "Путин В.В." is screened as "putin v v", as "Putin V.V." is."""
    assert ("putin", "v", "v") in [toks for _t, toks in query_forms("Путин В.В.")]


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=3, max_size=10)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_parsers_never_raise(text: str) -> None:
    """Titles, initials, patronymics and Slavic readings of any text: a value or None, never an error."""
    tokens = normalise(text)
    surname_query(tokens)
    patronymic_query(tokens)
    split_initials(text)
    assert slavic_spelling(text) is None or isinstance(slavic_spelling(text), str)
    query_forms(text)


@settings(max_examples=60, deadline=None)
@given(
    letters=st.lists(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=2),
    title=st.sampled_from(["", "Dr. ", "Mr. ", "Herr ", "President "]),
    dotted=st.booleans(),
    cyrillic=st.booleans(),
)
def test_an_initial_meets_only_a_name_of_its_letter(
    persons: ScreeningIndex, letters: list[str], title: str, dotted: bool, cyrillic: bool
) -> None:
    """Whatever initials and title stand before (or after) a listed surname, an initial aligned with a
    listed word is that word's first letter."""
    marks = " ".join(f"{c.upper()}." if dotted else c.upper() for c in letters)
    for listed in LISTED:
        family = listed.split(",")[0].title()
        query = f"{title}{marks} {family}" if not cyrillic else f"{family} {marks}"
        for part in score_names(persons, query, listed).parts:
            if len(part.query) == 1 and part.listed and part.sim > 0.0:
                assert part.listed[0] == part.query, (query, listed, part)


@settings(max_examples=40, deadline=None)
@given(given_name=WORD, stem=WORD)
def test_a_patronymic_query_alerts_only_on_its_own_words(
    persons: ScreeningIndex, given_name: str, stem: str
) -> None:
    """A made-up given name and patronymic alert on no listed person unless both words are the person's."""
    query = f"{given_name.title()} {stem.title()}ovich"
    for listed in LISTED:
        words = set(normalise(listed))
        if score_names(persons, query, listed).score >= DEFAULT_THRESHOLD:
            assert given_name in words or any(w.startswith(given_name[:3]) for w in words), (query, listed)


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("Макконнелл", "Mcconnell"),
        ("Рональд Макдональд", "Ronald Mcdonald"),
        ("Джамал", "Jamal"),
        ("Макаров", None),  # Мака-: a Russian name
        ("Максим", None),
    ],
)
def test_english_names_in_cyrillic(name: str, english: str | None) -> None:
    """Mc as Мак with a doubled consonant, J as Дж: read in the letters the lists write, second."""
    from exportctl.engine.screening.translit import romanisations

    forms = romanisations(name)
    if english is None:
        assert not any(f.startswith("Mc") or "J" in f for f in forms)
    else:
        assert forms[1] == english
