"""Duty rate texts parsed into structure; unknown forms kept as 'other', never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.sources.rates import Rate, RatePart, chapter99_refs, parse_rate


@pytest.mark.parametrize(
    ("text", "kind", "pct", "usd", "unit"),
    [
        ("Free", "free", None, None, None),
        ("6.5%", "ad_valorem", 6.5, None, None),
        ("6.5% ", "ad_valorem", 6.5, None, None),
        ("2.5% <u></u>", "ad_valorem", 2.5, None, None),  # HTML debris in the 2024 CSV
        ("1.2¢/kg", "specific", None, 0.012, "kg"),
        ("$1.035/kg", "specific", None, 1.035, "kg"),
        ("14.27¢/ liter", "specific", None, 0.1427, "liter"),
        ("10.5¢/clean kg", "specific", None, 0.105, "clean kg"),
        ("5¢ each", "specific", None, 0.05, "each"),
        ("0.9¢/kg + 6%", "compound", 6.0, 0.009, "kg"),
        ("33.9¢/kg +5.1%", "compound", 5.1, 0.339, "kg"),
        ("", "none", None, None, None),
        (None, "none", None, None, None),
    ],
)
def test_parse_rate(
    text: str | None, kind: str, pct: float | None, usd: float | None, unit: str | None
) -> None:
    rate = parse_rate(text)
    assert (rate.kind, rate.ad_valorem_pct, rate.specific_usd, rate.specific_unit) == (kind, pct, usd, unit)


@pytest.mark.parametrize(
    "text",
    [
        "25¢/kg less 0.020668¢/kg for each degree under 100 degrees (and fractions of a degree)",
        "See 9903.88.03",
        "The duty provided in the applicable subheading + 25%",
        "1.5¢/kg on drained weight",
        "Free, under bond, as prescribed in U.S. note 4 to this subchapter",
        "5¢ each + 6% on the case + 4.9% on the battery",
    ],
)
def test_unknown_forms_are_other_with_text_kept(text: str) -> None:
    rate = parse_rate(text)
    assert rate == Rate("other", text)


def test_compound_parts_in_order() -> None:
    rate = parse_rate("3.1¢/kg + 4.6¢/liter + 2%")
    assert rate.parts == (
        RatePart("specific", usd=0.031, unit="kg"),
        RatePart("specific", usd=0.046, unit="liter"),
        RatePart("ad_valorem", pct=2.0),
    )


def test_chapter99_refs() -> None:
    assert chapter99_refs("See 9903.88.03. ") == ["9903.88.03"]
    assert chapter99_refs("See 9903.88.01-9903.88.04 and 9903.88.03") == [
        "9903.88.01",
        "9903.88.02",
        "9903.88.03",
        "9903.88.04",
    ]
    assert chapter99_refs("See subheadings 9903.88.01-9904.10.02.") == ["9903.88.01", "9904.10.02"]
    assert chapter99_refs("See chapter 99 statistical note 1.") == []
    assert chapter99_refs(None) == []


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.from_regex(r"[0-9.$¢%/+ a-z]{0,40}", fullmatch=True)))
def test_parse_rate_never_raises(text: str) -> None:
    rate = parse_rate(text)
    assert rate.kind in {"free", "ad_valorem", "specific", "compound", "other", "none"}
    if rate.kind == "other":
        assert rate.text == text[:2000]
    chapter99_refs(text)
