"""Retrieval is sound: a listed name the scorer puts at or above the threshold is never lost before scoring
(issue 12: a missed hit clears a listed party)."""

from __future__ import annotations

from functools import lru_cache

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exportctl
from exportctl.engine.screening import LIST_SCHEMA, ScreeningIndex, build_index, score_names, screen

PEOPLE = [
    "PUTIN, Vladimir Vladimirovich",
    "George Miles",
    "MILLER, Alexey Borisovich",
    "Ken Miller",
    "KIM, Jong Un",
    "Theodore Kaczynski",
    "HUSSEIN, Saddam",
    "Mohammed Ali Hassan",
    "Aleksandr Bortnikov",
    "Xi Jinping",
]
COMPANIES = [
    "Huawei Technologies Co., Ltd.",
    "BANK OF KUNLUN CO LTD",
    "Aero Engine Corporation of China",
    "JOINT STOCK COMPANY TEKHNODINAMIKA",
    "Sinobright Import and Export Company",
]
VARIANTS = {"vladimir": "volodymyr", "theodore": "ted", "hussein": "husayn", "mohammed": "muhammad",
            "aleksandr": "alexander", "george": "georgy", "alexey": "aleksei"}  # fmt: skip
EXTRA_WORDS = ["john", "trading", "petrov", "international", "ali", "group"]


def _lists() -> pl.DataFrame:
    names = [(n, "Individual") for n in PEOPLE] + [(n, "Entity") for n in COMPANIES]
    rows = [
        dict(
            list="SDN",
            entity_id=str(i),
            name=n,
            aliases=[],
            type=t,
            countries=[],
            license_requirement=None,
            license_policy=None,
            federal_register_notice=None,
            list_name="SDN list",
            programs=[],
            source_url=None,
        )
        for i, (n, t) in enumerate(names)
    ]
    return pl.DataFrame(rows, schema=LIST_SCHEMA)


@lru_cache(maxsize=1)
def people_index() -> ScreeningIndex:
    """Index over a few persons and companies, some with close names (built once; not a fixture, whose
    repr hypothesis would print)."""
    return build_index(_lists())


def _typo(word: str, kind: int, at: int, letter: str) -> str:
    if len(word) < 3:
        return word
    i = at % len(word)
    if kind == 0:
        return word[:i] + word[i + 1 :]  # a letter dropped
    if kind == 1:
        return word[:i] + letter + word[i + 1 :]  # a letter replaced
    if kind == 2 and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped
    return word[:i] + letter + word[i:]  # a letter added


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A listed name with a typo and a few of: a word dropped or added, a variant spelling, reordering."""
    name = draw(st.sampled_from(PEOPLE + COMPANIES))
    words = name.replace(",", "").lower().split()
    if draw(st.booleans()):
        # One edit, first: an edit on a variant spelling or a second edit in the word can put it two
        # deletions from the listed word, a known gap (test_two_deletions_on_the_listed_side).
        k = draw(st.integers(0, len(words) - 1))
        words[k] = _typo(
            words[k],
            draw(st.integers(0, 3)),
            draw(st.integers(0, 20)),
            draw(st.sampled_from("aeiouylrstnkh")),
        )
    for _ in range(draw(st.integers(0, 2))):
        op = draw(st.sampled_from(["drop", "add", "variant", "reverse"]))
        k = draw(st.integers(0, len(words) - 1))
        if op == "drop" and len(words) > 1:
            del words[k]
        elif op == "add":
            words.insert(k, draw(st.sampled_from(EXTRA_WORDS)))
        elif op == "variant":
            words[k] = VARIANTS.get(words[k], words[k])
        elif op == "reverse":
            words.reverse()
    return " ".join(words)


@settings(max_examples=300, deadline=None)
@given(query=mutated(), threshold=st.sampled_from([0.5, 0.6, 0.7, 0.8]))
def test_every_entry_scoring_above_the_threshold_is_retrieved(query: str, threshold: float) -> None:
    index = people_index()
    listed = index.entries
    want = {
        eid
        for eid, name in zip(listed["entity_id"].to_list(), listed["name"].to_list(), strict=True)
        if score_names(index, query, name).score >= threshold + 1e-4  # screen rounds to 4 places
    }
    hits = screen(index, pl.DataFrame({"name": [query]}), threshold=threshold)
    assert want <= set(hits["entity_id"].to_list()), (query, want)


def test_a_short_word_beside_a_light_listed_word() -> None:
    # The scorer weighs "nd" ~ "and" at the particle's weight, not the query word's: the bound must too.
    index = people_index()
    query = "sinobright import nd export company"
    assert score_names(index, query, COMPANIES[-1]).score >= 0.7
    hits = screen(index, pl.DataFrame({"name": [query]}), threshold=0.7)
    assert "Sinobright Import and Export Company" in hits["name"].to_list()


@pytest.mark.xfail(
    strict=True,
    reason="known gap: the deletion index holds one deletion per listed word, so a listed word two deletions "
    "away from the query word ('orge' / 'george', or two letters replaced) is not reached",
)
def test_two_deletions_on_the_listed_side() -> None:
    index = people_index()
    assert score_names(index, "orge miles", "George Miles").score >= 0.7
    hits = screen(index, pl.DataFrame({"name": ["orge miles"]}), threshold=0.7)
    assert "George Miles" in hits["name"].to_list()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "listed"),
    [("Vladimir Poetin", "PUTIN, Vladimir"), ("George Miller", "George Miles")],
)
def test_a_two_edit_typo_is_found_at_the_threshold(query: str, listed: str) -> None:
    # Both score above 0.7 and were found only when screening at a lower threshold (issue 12).
    hits = exportctl.screen([query], threshold=0.7)[0]["hits"]
    assert any(h["matched_name"] == listed and h["score"] >= 0.7 for h in hits), hits
