"""The API's vocabularies (fronts/api/vocab.py): what the document states, the server accepts.

Each pattern is a subset of what the resolver behind it takes (every string it allows resolves, checked
with Hypothesis over the pattern itself), and wide enough that every code and EAR name matches it.
"""

from __future__ import annotations

import json
import re
from importlib import resources

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from exportctl.engine.tariff.hts import digits, valid_shape
from exportctl.fronts.api import vocab
from exportctl.fronts.api.schemas import CheckQuery, Country, TariffQuery
from exportctl.model.countries import resolve_country
from exportctl.ops.check_input import country_code as check_destination
from exportctl.ops.defaults import FAIL_ON
from exportctl.ops.registry import bundled_registry
from exportctl.ops.screen_profiles import load_profiles

COUNTRY = re.compile(vocab.country_pattern())


@settings(max_examples=300)
@given(st.from_regex(COUNTRY, fullmatch=True))
def test_every_country_the_pattern_allows_resolves(text: str) -> None:
    assert resolve_country(text).code


@settings(max_examples=200)
@given(st.from_regex(re.compile(vocab.destination_pattern()), fullmatch=True))
def test_every_destination_the_pattern_allows_is_taken_by_check(text: str) -> None:
    assert check_destination(text, "destination")


@settings(max_examples=100)
@given(st.from_regex(re.compile(vocab.country_pattern(vocab.tariff_destinations())), fullmatch=True))
def test_tariff_destinations_resolve_to_the_modelled_ones(text: str) -> None:
    assert resolve_country(text).code in vocab.tariff_destinations()


@settings(max_examples=200)
@given(st.from_regex(re.compile(vocab.hts_pattern()), fullmatch=True))
def test_every_hts_code_the_pattern_allows_has_the_shape(text: str) -> None:
    assert valid_shape(digits(text))


def test_every_code_and_ear_name_is_in_the_pattern() -> None:
    raw = json.loads(resources.files("exportctl.model").joinpath("ear_countries.json").read_text("utf-8"))
    names = [str(e["ear_name"]) for e in raw["countries"].values()]
    codes = [c.alpha_2 for c in pycountry.countries] + [c.alpha_3 for c in pycountry.countries]
    for text in [*codes, *(c.lower() for c in codes), *names, "Korea--South", "the Netherlands", "Türkiye"]:
        assert COUNTRY.fullmatch(text), text
    for text in ("Narnia", "", "C N", "CN-12", "&"):
        assert not COUNTRY.fullmatch(text), text
    assert re.fullmatch(vocab.destination_pattern(), "UA-43") and not COUNTRY.fullmatch("UA-43")


def test_enums_are_the_data() -> None:
    assert set(vocab.measure_ids()) == set(bundled_registry().measures)
    assert set(vocab.screen_profiles()) == set(load_profiles())
    assert {"US", "CN"} <= set(vocab.tariff_destinations())


class _One(BaseModel):
    country: Country


def test_refusals_name_the_vocabulary_and_suggest() -> None:
    with pytest.raises(ValidationError) as err:
        _One(country="Narnia")
    (e,) = err.value.errors()
    assert e["type"] == "vocabulary" and "Country" in e["msg"]
    with pytest.raises(ValidationError) as err:  # the resolver reads it, the document does not say it
        _One(country="Côte d\u2019Ivoire")
    assert err.value.errors()[0]["ctx"]["suggestions"] == [resolve_country("Côte d'Ivoire").name]
    with pytest.raises(ValidationError) as err:
        CheckQuery.model_validate({"destination": "CN", "fail_on": "{x}"})
    assert err.value.errors()[0]["ctx"]["suggestions"] == list(FAIL_ON)
    assert TariffQuery.model_validate({"hts": "8471.30.01", "origin": "china", "date": "2025-05-01"})


def test_the_document_names_each_vocabulary_once(served: object) -> None:
    doc = served.app.openapi()  # type: ignore[attr-defined]
    schemas = doc["components"]["schemas"]
    assert schemas["Country"]["pattern"] == vocab.country_pattern()
    assert schemas["MeasureId"]["enum"] == list(vocab.measure_ids())
    text = json.dumps(doc)
    head = json.dumps(vocab.country_pattern())[1:200]
    assert text.count(head) == 2  # Country, and CheckDestination built on it: each field refers to them
    for name in ("CheckFailOn", "ScreenFailOn", "ScreenProfile", "Hts", "TariffDestination"):
        assert '"#/components/schemas/' + name + '"' in text, name
