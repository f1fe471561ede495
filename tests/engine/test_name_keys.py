"""The exact-match keys and cells of names in ASCII, taken without a frame, equal the polars ones."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.parties import name_keys, normalize_names
from exportctl.ops.clean_parties import _stripped

ASCII = st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=24)
ANY = st.text(max_size=12)


def _polars_keys(names: list[str]) -> list[str | None]:
    return (
        pl.DataFrame({"n": names}, schema={"n": pl.Utf8}).select(normalize_names(pl.col("n")))["n"].to_list()
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ASCII, ASCII, ANY), min_size=1, max_size=4))
def test_name_keys_equal_normalize_names(names: list[str]) -> None:
    assert name_keys(names) == _polars_keys(names)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ASCII, ASCII, ANY), min_size=1, max_size=4))
def test_stripped_equals_strip_chars(names: list[str]) -> None:
    assert _stripped(names) == pl.Series(names, dtype=pl.Utf8).str.strip_chars().to_list()


def test_ascii_edges() -> None:
    names = ["  Acme--Widgets  Co. ", "\x1cAcme\x1f", "A\tB\x0bC", "!!!", "", "Ünïcode"]
    assert name_keys(names) == _polars_keys(names)
    assert _stripped(names) == pl.Series(names, dtype=pl.Utf8).str.strip_chars().to_list()
