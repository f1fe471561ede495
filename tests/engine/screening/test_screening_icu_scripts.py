"""Scripts with no reader of their own, read through ICU's transforms (icu_scripts.tsv; issue #12): an
Armenian or Georgian name gets ICU's reading beside the plain text, an English Mc/Mac name written out by
ear in Armenian, Greek, Devanagari or Hangul (Մակքոնել, मैककॉनेल, 매코널) also in the lists' Mc spelling;
near names stay apart, and the readers survive any text in those scripts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import DEFAULT_THRESHOLD, ScreeningIndex, score_names
from exportctl.engine.screening import translit as tr
from exportctl.engine.screening.icu_scripts import _table, icu_readings, icu_scripts, mac_spelling


@pytest.fixture(scope="module")
def index(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """An index for score_names (its name data; the pairs are scored as given)."""
    return sdn_index_of([("1", "PUTIN, Vladimir Vladimirovich", "Individual")])


def test_table_scripts_are_found_and_read() -> None:
    """Armenian and Georgian names are recognised and read by ICU's BGN transforms."""
    assert icu_scripts("Վլադիմիր Պուտին") == ("armenian",)
    assert icu_scripts("Vladimir Putin") == ()
    assert "Vladimir Putin" in icu_readings("Վլադիմիր Պուտին")
    assert "vladimer putini" in icu_readings("ვლადიმერ პუტინი")
    # The plain text stays the first form: a reader is added, none replaced.
    assert tr.romanisations("Վլադիմիր Պուտին")[:2] == ("Վլադիմիր Պուտին", "Vladimir Putin")


def test_khmer_has_no_icu_reading() -> None:
    """A script ICU cannot read (Khmer) keeps the plain text only, as before."""
    assert icu_readings("វ្លាឌីមៀ ពូទីន") == []
    assert tr.romanisations("វ្លាឌីមៀ ពូទីន") == ("វ្លាឌីមៀ ពូទីន",)


def test_mac_spelling() -> None:
    """Mak before a consonant is Mc (the k doubled as Mcc); names that only begin like it do not change."""
    assert mac_spelling("Mitch Makkonel") == "Mitch Mcconel"
    assert mac_spelling("Mak Donald") == "Mcdonald"
    assert mac_spelling("Makarov") == ""
    assert mac_spelling("Vladimir Putin") == ""
    assert mac_spelling("michi maekoneol", vowelled=True) == "michi Mcconeol"
    assert mac_spelling("maekseu", vowelled=True) == ""  # 맥스 Max
    assert mac_spelling("maekoneol") == ""  # the added vowel is read only where the script adds one


@pytest.mark.parametrize(
    ("query", "near"),
    [
        ("Միթչ Մակքոնել", "Mitch McCarthy"),  # Armenian
        ("मिच मैककॉनेल", "Mitch McDonald"),  # Devanagari
    ],
)
def test_mcconnell_found_near_apart(index: ScreeningIndex, query: str, near: str) -> None:
    """McConnell written out by ear meets the lists' spelling; another Mc name stays below the threshold."""
    assert score_names(index, query, "Mitch McConnell").score >= DEFAULT_THRESHOLD
    assert score_names(index, query, near).score < DEFAULT_THRESHOLD


def test_armenian_putin_found_near_apart(index: ScreeningIndex) -> None:
    """The Armenian Putin meets the listed Putin through ICU's reading, not a near name."""
    assert score_names(index, "Վլադիմիր Պուտին", "Vladimir Putin").score == pytest.approx(1.0)
    assert score_names(index, "Վլադիմիր Պուտին", "Vladimir Pushkin").score < DEFAULT_THRESHOLD


def test_hangul_mc_reading() -> None:
    """매코널 is also read in the Mc spelling beside the romanisation systems' own."""
    assert "michi Mcconeol" in tr.romanisations("미치 매코널")


_BLOCKS = sorted({(block.pattern[1], block.pattern[3]) for _s, block, _ids in _table()})
_LETTERS = st.one_of(
    *(st.characters(min_codepoint=ord(a), max_codepoint=ord(b)) for a, b in _BLOCKS),
    st.sampled_from(" -.'"),
)


@settings(max_examples=150, deadline=None)
@given(st.text(_LETTERS, min_size=1, max_size=14))
def test_any_text_in_the_table_scripts(text: str) -> None:
    """Any text in the table's scripts reads without error; the readings after the text are ASCII."""
    forms = tr.romanisations(text)
    assert forms and all(isinstance(f, str) for f in forms)
    assert all(f.isascii() for f in forms[1:])
    assert all(isinstance(f, str) for f in icu_readings(text))


def test_hangul_foreign_name_is_not_a_korean_whole_name(index: ScreeningIndex) -> None:
    """코피 아난 (no Korean family name first or last) is a foreign name read in loan spelling: it meets
    Kofi Annan; a Korean name written apart (김 정은) is still a Korean person's; near names stay apart."""
    from exportctl.engine.screening.forms import cjk_person

    assert not cjk_person("코피 아난")
    assert cjk_person("김 정은") and cjk_person("김정은")
    assert score_names(index, "코피 아난", "Kofi Annan").score >= DEFAULT_THRESHOLD
    assert score_names(index, "코피 아난", "Kofi Adjei").score < DEFAULT_THRESHOLD
