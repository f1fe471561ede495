"""A person whose whole name is common (homonym.py, #12): a name match alone is no alert; other evidence
that agrees lifts it again; a rare name still alerts; the one name-frequency table behind it."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import ScreeningIndex, build_index, screen
from exportctl.engine.screening.homonym import cap_hits, common_name, policy, word_rank
from exportctl.engine.screening.lists import LIST_SCHEMA
from exportctl.engine.screening.surname import surname_rank
from exportctl.engine.screening.terms import name_rank, name_ranks

DEFAULT = 0.7


@pytest.fixture(scope="module")
def persons(sdn_index_of: Callable[[list[tuple[str, str, str]]], ScreeningIndex]) -> ScreeningIndex:
    """Listed persons of common names (Wang Wei, Kim Yong Chol, Alexander Petrov) and of rare ones."""
    return sdn_index_of(
        [
            ("1", "WANG, Wei", "individual"),
            ("2", "KIM, Yong Chol", "individual"),
            ("3", "PETROV, Alexander", "individual"),
            ("4", "PUTIN, Vladimir", "individual"),
            ("5", "SHOIGU, Sergei", "individual"),
            ("6", "HASHEMI, Ali", "individual"),
        ]
    )


def _hits(index: ScreeningIndex, name: str, **more: str) -> pl.DataFrame:
    return screen(index, pl.DataFrame({"name": [name], **{k: [v] for k, v in more.items()}}), DEFAULT)


@pytest.mark.parametrize("name", ["王伟", "김영철", "Александр Петров", "علی هاشمی"])
def test_a_common_name_alone_does_not_alert(persons: ScreeningIndex, name: str) -> None:
    """The listed person's name met whole, every word of it common: no alert on the name alone."""
    assert common_name(name)
    assert _hits(persons, name).height == 0


@pytest.mark.parametrize("name", ["Vladimir Putin", "Владимир Путин", "Sergei Shoigu"])
def test_a_rare_name_met_whole_still_alerts(persons: ScreeningIndex, name: str) -> None:
    """A word no name list ranks among its top 1,000 (Putin, Shoigu) keeps the exact match's alert."""
    assert not common_name(name)
    assert _hits(persons, name)["score"].max() >= 0.9


def test_a_company_is_never_a_common_name() -> None:
    assert not common_name("王伟贸易有限公司")
    assert not common_name("Александр Петров", "entity")


def test_latin_and_one_word_names_are_left_alone() -> None:
    """A Latin name meets the lists as written, and one word alone is the lone-word rule's (score.py)."""
    assert not common_name("Alexander Petrov") and not common_name("Петров")


def _dated() -> pl.DataFrame:
    row = {
        "list": "SDN",
        "list_name": "Specially Designated Nationals (SDN) - Treasury Department",
        "entity_id": "201",
        "name": "PETROV, Alexander",
        "aliases": [],
        "type": "Individual",
        "countries": ["RU"],
        "programs": ["X"],
        "dates_of_birth": ["1961-05-12"],
        "nationalities": ["RU"],
        "ids": [],
    }
    return pl.DataFrame([row]).select(
        [pl.col(c).cast(t) if c in row else pl.lit(None, t).alias(c) for c, t in LIST_SCHEMA.items()]
    )


def test_agreeing_evidence_lifts_a_common_name_and_the_explanation_says_why() -> None:
    """The same day of birth, or the same nationality, takes a common name back over the threshold; the
    hit's explanation names the cap."""
    index = build_index(_dated())
    assert _hits(index, "Александр Петров").height == 0
    for more in ({"dob": "1961-05-12"}, {"nationality": "RU"}):
        hit = _hits(index, "Александр Петров", **more).row(0, named=True)
        assert hit["score"] >= DEFAULT
        assert "common name (александр#" in hit["explanation"].lower()
    assert _hits(index, "Александр Петров", dob="1990-01-01").height == 0


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(st.text(max_size=20), st.sampled_from(["王伟", "김영철", "علی هاشمی", "Иван Петров"])),
    st.lists(st.floats(min_value=DEFAULT, max_value=1.0), min_size=0, max_size=4),
)
def test_cap_hits_never_raises_and_always_says_why(name: str, scores: list[float]) -> None:
    """Any query, any hits at the threshold or above (as screening gives them): no score rises, every
    lowered one says "common name", none below the threshold is kept."""
    hits = [(i, i, s, "x") for i, s in enumerate(scores)]
    out = cap_hits(name, "", hits, DEFAULT)
    before = {h[0]: h for h in hits}
    for entry, _nid, score, text in out:
        assert score >= DEFAULT and score <= before[entry][2]
        assert (score < before[entry][2]) == ("common name" in text)
    assert policy().cap < DEFAULT


def test_one_table_for_every_name_frequency() -> None:
    """name_ranks.tsv.gz holds the given and family ranks as written in any script, and the anyascii
    reading of family names written in another script: name_rank and surname_rank both read it."""
    assert name_rank("smith") > 0 and surname_rank("smith") == name_rank("smith")
    assert name_rank("biryukov") == 0 < surname_rank("biryukov")  # ranked only as Бирюков
    assert word_rank("영철") > 0 and word_rank("Александр") > 0 and word_rank("Путин") == 0
    assert all(len(v) == 3 for v in list(name_ranks().values())[:100])
