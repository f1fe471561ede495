"""The evidence step: dates of birth, nationalities, ids and countries move a hit's name score."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.screening import build_index, screen
from exportctl.engine.screening.evidence import (
    KINDS,
    compare_dob,
    compare_id,
    effects,
    parse_query_id,
    query_dob,
)
from exportctl.engine.screening.lists import LIST_SCHEMA, share_evidence

DEFAULT = 0.7


def _lists() -> pl.DataFrame:
    rows = [
        {
            "list": "SDN",
            "list_name": "Specially Designated Nationals (SDN) - Treasury Department",
            "entity_id": "101",
            "name": "KARIMOV, Rustam Alievich",
            "aliases": [],
            "type": "Individual",
            "countries": ["UZ"],
            "programs": ["X"],
            "dates_of_birth": ["1961-05-12"],
            "nationalities": ["UZ"],
            "ids": ["passport|AA1234567|UZ"],
        },
        {
            "list": "SDN",
            "list_name": "Specially Designated Nationals (SDN) - Treasury Department",
            "entity_id": "102",
            "name": "OCEAN STAR",
            "aliases": [],
            "type": "Vessel",
            "countries": [],
            "programs": ["X"],
            "dates_of_birth": [],
            "nationalities": [],
            "ids": ["imo|9116412|"],
        },
        {
            "list": "SDN",
            "list_name": "Specially Designated Nationals (SDN) - Treasury Department",
            "entity_id": "103",
            "name": "HASSAN, Omar",
            "aliases": [],
            "type": "Individual",
            "countries": [],
            "programs": ["X"],
            "dates_of_birth": ["~1970"],
            "nationalities": [],
            "ids": [],
        },
    ]
    return pl.DataFrame(rows).select(
        [pl.col(c).cast(t) if c in rows[0] else pl.lit(None, t).alias(c) for c, t in LIST_SCHEMA.items()]
    )


@pytest.fixture(scope="module")
def index():  # type: ignore[no-untyped-def]
    return build_index(_lists())


def _one(index, **query: str) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    return screen(index, pl.DataFrame({k: [v] for k, v in query.items()}), DEFAULT, cleared=True)


def test_name_only_hits_carry_the_name_evidence(index) -> None:  # type: ignore[no-untyped-def]
    hits = _one(index, name="Rustam Karimov")
    (hit,) = hits.to_dicts()
    assert hit["evidence"] == [
        {
            "kind": "name",
            "query": "Rustam Karimov",
            "entry": "KARIMOV, Rustam Alievich",
            "effect": f"{hit['score']:.3f}",
        }
    ]


def test_same_day_of_birth_raises_and_explains(index) -> None:  # type: ignore[no-untyped-def]
    base = _one(index, name="Rustam Karimov")["score"][0]
    hit = _one(index, name="Rustam Karimov", dob="1961-05-12").row(0, named=True)
    assert hit["score"] == pytest.approx(min(1.0, base + effects().raises["dob.day"]), abs=1e-3)
    assert "dob 1961-05-12 vs 1961-05-12: day +0.15" in hit["explanation"]
    assert {"kind": "dob", "query": "1961-05-12", "entry": "1961-05-12", "effect": "+0.15"} in hit["evidence"]


def test_contradicting_dob_takes_an_exact_name_below_the_threshold(index) -> None:  # type: ignore[no-untyped-def]
    assert (
        screen(index, pl.DataFrame({"name": ["Rustam Alievich Karimov"], "dob": ["1985-01-01"]})).height == 0
    )
    cleared = _one(index, name="Rustam Alievich Karimov", dob="1985-01-01").row(0, named=True)
    assert cleared["score"] < DEFAULT and "contradict x0.5" in cleared["explanation"]


def test_circa_dates_have_a_tolerance(index) -> None:  # type: ignore[no-untyped-def]
    near = _one(index, name="Omar Hassan", dob="1972-03-01").row(0, named=True)
    assert near["score"] >= DEFAULT and "near" in near["explanation"]
    far = _one(index, name="Omar Hassan", dob="1990-03-01").row(0, named=True)
    assert far["score"] < DEFAULT


def test_ids_match_and_contradict(index) -> None:  # type: ignore[no-untyped-def]
    weak = screen(index, pl.DataFrame({"name": ["Ocean Stars Shipping"]}), DEFAULT)
    strong = _one(index, name="Ocean Stars Shipping", id_number="IMO 9116412")
    assert strong["score"][0] > (weak["score"][0] if weak.height else 0.0)
    assert any(e["kind"] == "id" and e["effect"] == "+0.25" for e in strong["evidence"][0])
    # a company's words against the vessel weigh as a company typed (x0.6), and its IMO still makes the hit
    owner = _one(index, name="Ocean Star Shipping Co", id_number="IMO 9116412").row(0, named=True)
    assert owner["score"] >= DEFAULT and "company words/vessel x0.6" in owner["explanation"]
    assert _one(index, name="Ocean Star", id_number="IMO 9116412")["score"][0] >= DEFAULT
    other = _one(index, name="Rustam Alievich Karimov", id_number="passport:ZZ999").row(0, named=True)
    assert other["score"] < DEFAULT, "another passport number of the same issuer contradicts"
    untyped = _one(index, name="Rustam Alievich Karimov", id_number="ZZ999").row(0, named=True)
    assert untyped["score"] >= DEFAULT, "a number of unknown kind never contradicts"


def test_nationality_and_country(index) -> None:  # type: ignore[no-untyped-def]
    base = _one(index, name="Rustam Karimov")["score"][0]
    same = _one(index, name="Rustam Karimov", nationality="UZ", country="UZ").row(0, named=True)
    kinds = [e["kind"] for e in same["evidence"]]
    assert kinds == ["name", "country", "nationality"] and same["score"] > base
    other = _one(index, name="Rustam Karimov", country="KZ").row(0, named=True)
    assert {"kind": "country", "query": "KZ", "entry": "UZ", "effect": "x0.9"} in other["evidence"]


def test_missing_values_are_neutral(index) -> None:  # type: ignore[no-untyped-def]
    base = _one(index, name="Rustam Karimov")["score"][0]
    assert _one(index, name="Rustam Karimov", dob="", id_number="", nationality="")["score"][0] == base
    # the vessel has no date of birth: a query's dob changes nothing
    assert _one(index, name="Ocean Star", dob="1961-05-12")["score"][0] == 1.0


@pytest.mark.parametrize(
    ("query", "entry", "outcome"),
    [
        ("1961-05-12", ["1961-05-12"], "day"),
        ("1961-06-12", ["1961-05-12"], "near"),
        ("1961", ["1961-05-12"], "year"),
        ("1962-05-12", ["1961-05-12"], "contradict"),
        ("1961-05-02", ["1961-05"], "month"),
        ("1962-05-02", ["1961"], "near"),
        ("1963-05-02", ["1961"], "contradict"),
        ("1963-05-02", ["~1961"], "near"),
        ("1965-05-02", ["~1961"], "contradict"),
        ("1958-05-02", ["1959/1962"], "near"),
        ("1960-05-02", ["1959/1962"], "year"),
        ("1990-01-01", ["1961-05-12", "1990"], "year"),  # any of the entry's dates may match
    ],
)
def test_compare_dob(query: str, entry: list[str], outcome: str) -> None:
    found = compare_dob(query, entry, effects())
    assert found is not None and found[0] == outcome


def test_compare_id_and_query_kinds() -> None:
    assert parse_query_id("passport: e-64 698.9") == ("passport", "E646989")
    assert parse_query_id("IMO 9116412") == ("imo", "9116412")
    assert parse_query_id("Tax ID No.:7725136315") == ("tax", "7725136315")
    assert compare_id("7725136315", ["tax|7725136315|RU"]) == ("match", "tax|7725136315|RU")
    assert compare_id("passport:1", ["tax|7725136315|RU"]) is None, "ids of another kind say nothing"
    assert compare_id("", ["tax|7725136315|RU"]) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_query_dob_never_raises(text: str) -> None:
    parsed = query_dob(text)
    assert parsed is None or 1 <= (parsed[1] or 1) <= 12


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=0.0, max_value=1.0),
    st.sampled_from(["dob.contradict", "id.contradict"]),
)
def test_a_contradiction_always_ends_below_the_default_threshold(score: float, key: str) -> None:
    eff = effects()
    best = min(1.0, score + eff.raise_cap) * eff.factors[key]
    assert best < DEFAULT


def test_share_evidence_fills_csl_rows_from_ofac() -> None:
    lists = _lists()
    csl_row = lists.head(1).with_columns(
        pl.lit([], pl.List(pl.Utf8)).alias("dates_of_birth"),
        pl.lit([], pl.List(pl.Utf8)).alias("ids"),
        pl.lit([], pl.List(pl.Utf8)).alias("nationalities"),
    )
    ofac_row = lists.head(1).with_columns(
        pl.lit("ofac_sdn").alias("list"), pl.lit(None, pl.Utf8).alias("list_name")
    )
    shared = share_evidence(pl.concat([csl_row, ofac_row]))
    assert shared["dates_of_birth"].to_list() == [["1961-05-12"], ["1961-05-12"]]
    assert shared.columns == lists.columns
    assert set(KINDS) == {"name", "country", "dob", "nationality", "id"}


_ITEM = st.fixed_dictionaries(
    {k: st.text(max_size=6) for k in ("kind", "query", "entry", "effect")}  # the four fields of an item
)


@given(st.lists(st.lists(_ITEM, max_size=3), max_size=80))
@settings(max_examples=60, deadline=None)
def test_evidence_column_few_hits_as_many(items: list[list[dict[str, str]]]) -> None:
    # A few hits' column is built directly (one name screened alone): the same column as the joined build.
    from polars.testing import assert_series_equal

    from exportctl.engine.screening import evidence

    direct = evidence.evidence_column(items)
    saved = evidence.FEW_HITS
    try:
        evidence.FEW_HITS = -1
        joined = evidence.evidence_column(items)
    finally:
        evidence.FEW_HITS = saved
    assert_series_equal(direct, joined)
