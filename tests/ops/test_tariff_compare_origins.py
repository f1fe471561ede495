"""The --origins mapping of `tariff compare`: a comma list of countries to ISO codes, in order, once each."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.tariff_compare import MAX_ORIGINS, parse_origins

CODES = ["CN", "VN", "MX", "IN", "DE", "JP", "BR", "CA", "CH", "KR", "GB", "FK", "MM", "XK", "NO"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(CODES), min_size=1, max_size=12),
    st.lists(st.sampled_from(["", " ", "  "]), min_size=24, max_size=24),
    st.booleans(),
)
def test_codes_in_any_case_and_spacing_keep_their_order_once(
    codes: list[str], pads: list[str], lower: bool
) -> None:
    text = ",".join(f"{pads[2 * i]}{c.lower() if lower else c}{pads[2 * i + 1]}" for i, c in enumerate(codes))
    assert parse_origins(text) == list(dict.fromkeys(codes))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_codes_or_an_input_error_naming_origins(text: str) -> None:
    try:
        out = parse_origins(text)
    except InputError as err:
        assert err.field == "origins"
    else:
        assert out and all(len(c) == 2 and c.isupper() for c in out)


def test_names_and_lists() -> None:
    assert parse_origins(["Vietnam", "china", "Mexico"]) == ["VN", "CN", "MX"]
    with pytest.raises(InputError, match="at most"):
        parse_origins(",".join(["CN"] * (MAX_ORIGINS + 1)))
