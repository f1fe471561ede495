"""Russian names as other Latin-script languages write them (issue #12): read back into the English spelling
the lists use, only when a word carries a mark of such a spelling; never raises on odd input."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, score_names
from exportctl.engine.screening.slavic import slavic_spelling
from exportctl.engine.screening.translit import romanisations


@pytest.mark.parametrize(
    ("written", "english"),
    [
        ("Sergej Wiktorowitsch Lawrow", "sergey viktorovich lavrov"),  # German
        ("Siergiej Ławrow", "sergey lavrov"),  # Polish
        ("Aleksandr Loekasjenko", "aleksandr lukashenko"),  # Dutch
        ("Sergueï Choïgou", "sergei shoigu"),  # French
        ("Sergej Viktorovič Lavrov", "sergey viktorovich lavrov"),  # Czech, Slovak, Croatian
        ("Sergejus Lavrovas", "sergey lavrov"),  # Lithuanian endings
        ("Dmitrij Anatoljevics Medvegyev", "dmitriy anatolyevich medvedev"),  # Hungarian
        ("Viktoriâ Svâtoslavovna Kuznecova", "viktoriya svyatoslavovna kuznetsova"),  # ISO 9, GOST 7.79 A
        ("Anisim Danilovich Xoxlov", "anisim danilovich khokhlov"),  # GOST 7.79 system B: x for х
        ("Epifan Xarlamp`evich Mixajlov", "epifan kharlampevich mikhaylov"),  # system B: ` for ь
        ("Demʹjan Feoktistovič Ilʹin", "demyan feoktistovich ilin"),  # scientific: ʹ for ь
        ("Iouliia Artemovna Kononova", "yuliya artemovna kononova"),  # French passport (MVD 310)
        ("Dmitrij Kusnezow", "dmitriy kusnezov"),  # German writes ц as z: its c and z stay
    ],
)
def test_read_back(written: str, english: str) -> None:
    """Each orthography's letter groups and endings give the English spelling."""
    assert slavic_spelling(written) == english


@pytest.mark.parametrize(
    "name",
    [
        "John Schwartz", "James Lankford", "Benjamin Cardin", "Jelena Smith", "Dmitri Peskov",
        "Maxim Oreshkin", "Francis Xavier", "Sean O'Brien", "Ian Cox",
    ],
)  # fmt: skip
def test_unmarked_names_stay(name: str) -> None:
    """A name with no mark of another orthography (English names, a name already in English) gets no form."""
    assert slavic_spelling(name) is None
    assert romanisations(name) == (name,)


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """A small index: only the pair scores are read from it."""
    names = [
        "LAVROV, Sergei Viktorovich", "SHOIGU, Sergei Kuzhugetovich", "John SMITH",
        "KUZNETSOVA, Viktoriya Svyatoslavovna", "KUZNETSOV, Viktor Sergeyevich",
        "KHOKHLOV, Anisim Danilovich", "KHOKHLOVA, Anisa", "IL'IN, Dem'yan Feoktistovich", "ILINSKIY, Demyan",
    ]  # fmt: skip
    return sdn_index_of([(str(i), name, "Individual") for i, name in enumerate(names)])


def test_pair_scores(index: ScreeningIndex) -> None:
    """The German and Polish spellings meet the listed name; another person's stays apart."""
    assert score_names(index, "Sergej Wiktorowitsch Lawrow", "LAVROV, Sergei Viktorovich").score >= 0.7
    assert score_names(index, "Siergiej Szojgu", "SHOIGU, Sergei Kuzhugetovich").score >= 0.7
    assert score_names(index, "Siergiej Szojgu", "LAVROV, Sergei Viktorovich").score < 0.7


@pytest.mark.parametrize(
    ("query", "found", "near"),
    [
        # ISO 9 / GOST 7.79: c for ц, â for я; the man of the same family name stays apart
        (
            "Viktoriâ Svâtoslavovna Kuznecova",
            "KUZNETSOVA, Viktoriya Svyatoslavovna",
            "KUZNETSOV, Viktor Sergeyevich",
        ),
        # GOST 7.79 system B: x for х; Anisa Khokhlova is another person
        ("Anisim Danilovich Xoxlov", "KHOKHLOV, Anisim Danilovich", "KHOKHLOVA, Anisa"),
        # ICAO (passports): the soft sign dropped; the listed apostrophe is no word break
        ("Demian Feoktistovich Ilin", "IL'IN, Dem'yan Feoktistovich", "ILINSKIY, Demyan"),
    ],
)
def test_standard_spellings(index: ScreeningIndex, query: str, found: str, near: str) -> None:
    """A transliteration standard's spelling meets the BGN/PCGN listed name, not a near other person."""
    assert score_names(index, query, found).score >= 0.7
    assert score_names(index, query, near).score < 0.7


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text(text: str) -> None:
    """Any text: None or a lower-case reading with as many words as the name has."""
    out = slavic_spelling(text)
    if out is not None:
        assert out == out.lower()
        # a word with the signs written inside it is one word ("Il`in")
        assert len(out.split()) == len(re.findall(r"[^\W\d_]+(?:['’`ʹʺ][^\W\d_]+)*", text.lower()))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abdefhiklmpqrstux ", max_size=30))
def test_no_mark_no_form(text: str) -> None:
    """Letters that make none of the marks (no c, j, o, w, z, no accented letter; no n, so no French -ine
    or Ukrainian-read -yn ending, and no v, so no Baltic -evs ending either) never give a form."""
    assert slavic_spelling(text) is None
