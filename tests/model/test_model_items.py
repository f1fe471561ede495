"""ECCN, HTS and PRC code parsing: strict, normalising, one InputError naming the field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.model.items import Eccn, hts_dotted, normalize_hts, parse_china_code, parse_eccn


@pytest.mark.parametrize(
    ("text", "code", "paragraph"),
    [
        ("3A090", "3A090", None),
        ("3a090.C", "3A090", "c"),
        (" 4A003.z.1.a ", "4A003", "z.1.a"),
        ("0A501.y", "0A501", "y"),
        ("EAR99", "EAR99", None),
        ("ear 99", "EAR99", None),
    ],
)
def test_parse_eccn(text: str, code: str, paragraph: str | None) -> None:
    assert parse_eccn(text) == Eccn(code, paragraph)


@pytest.mark.parametrize(
    "bad", ["", "3F090", "3A09", "3A0900", "A3090", "3A090..c", "3A090.", "EAR98", "x" * 500]
)
def test_parse_eccn_rejects(bad: str) -> None:
    with pytest.raises(InputError) as info:
        parse_eccn(bad, field="items[0].eccn")
    assert info.value.field == "items[0].eccn"


def test_parse_eccn_suggests_fixes() -> None:
    with pytest.raises(InputError) as info:
        parse_eccn("3A090c")
    assert info.value.suggestions == ["3A090.c"]
    with pytest.raises(InputError) as info:
        parse_eccn("OA501")
    assert info.value.suggestions == ["0A501"]


def test_eccn_properties_and_within() -> None:
    eccn = parse_eccn("3A090.a.1")
    assert eccn.full == "3A090.a.1" and str(eccn) == "3A090.a.1"
    assert (eccn.category, eccn.product_group, eccn.is_ear99) == ("3", "A", False)
    assert eccn.within("3A090") and eccn.within("3A090.a") and not eccn.within("3A090.b")
    assert not eccn.within("3A001") and not parse_eccn("3A090").within("3A090.a")
    assert parse_eccn("EAR99").category is None


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("8541.10.0080", "8541100080"),
        ("8541 10 00 80", "8541100080"),
        ("8401", "8401"),
        ("9903.88.03", "99038803"),
    ],
)
def test_normalize_hts(text: str, digits: str) -> None:
    assert normalize_hts(text) == digits


@pytest.mark.parametrize("bad", ["", "84", "85411", "8541.10.00.801", "85a1", "８５４１", "8541-10"])
def test_normalize_hts_rejects(bad: str) -> None:
    with pytest.raises(InputError) as info:
        normalize_hts(bad, field="lines[3].hts")
    assert info.value.field == "lines[3].hts"


def test_hts_dotted() -> None:
    assert hts_dotted("8541100080") == "8541.10.00.80"
    assert hts_dotted("99038803") == "9903.88.03"
    assert hts_dotted("8541") == "8541"


def test_parse_china_code() -> None:
    assert parse_china_code("1c004") == parse_china_code("1C004")
    assert parse_china_code("1C902.A").code == "1C902.a"
    assert parse_china_code("8112921010").kind == "customs"
    assert parse_china_code("8112.9210.10").code == "8112921010"
    assert parse_china_code("81129210").kind == "customs"
    for bad in ["", "811292101", "123", "EAR99"]:
        with pytest.raises(InputError):
            parse_china_code(bad)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_raises_input_error(text: str) -> None:
    for parse in (parse_eccn, normalize_hts, parse_china_code):
        try:
            parse(text)
        except InputError as err:
            assert err.field
