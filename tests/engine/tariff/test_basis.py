"""The content basis of a duty layer: shares, the partial exclusion it makes, and the notes it writes."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from exportctl.engine.tariff import basis


def _q(value: float | None, steel: float | None = None, aluminum: float | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {"line_id": [0], "value": [value], "steel_content": [steel], "aluminum_content": [aluminum],
         "copper_content": [None]},
        schema={"line_id": pl.Int64, "value": pl.Float64, "steel_content": pl.Float64,
                "aluminum_content": pl.Float64, "copper_content": pl.Float64},
    )  # fmt: skip


def _duty(program: str, b: str = "value", layer: int = 0) -> dict[str, object]:
    return {"line_id": 0, "layer": layer, "program": program, "heading": "9903", "rate_pct": 10.0, "basis": b}


def _split(duties: list[dict[str, object]], excluders: list[tuple[str, str]], q: pl.DataFrame) -> tuple:
    x = pl.DataFrame(
        [{"line_id": 0, "program": p, "excluded_by": f"m#{b}", "xbasis": b} for p, b in excluders],
        schema={"line_id": pl.Int64, "program": pl.Utf8, "excluded_by": pl.Utf8, "xbasis": pl.Utf8},
    )
    return basis.split_exclusions(pl.DataFrame(duties), x, basis.shares(q))


def test_without_a_content_the_whole_value_is_assumed() -> None:
    s = basis.shares(_q(1000.0)).filter(pl.col("basis") == "steel_content").row(0, named=True)
    assert s["basis_share"] == 1.0 and s["basis_assumed"]


def test_a_content_without_a_value_is_not_a_share() -> None:
    s = basis.shares(_q(None, steel=400.0)).filter(pl.col("basis") == "steel_content").row(0, named=True)
    assert s["basis_share"] == 1.0 and s["basis_assumed"]


def test_a_value_basis_excluder_removes_the_program() -> None:
    kept, gone = _split([_duty("ieepa_reciprocal")], [("ieepa_reciprocal", "value")], _q(1000.0, steel=400.0))
    assert kept.height == 0 and gone["excluded_by"].to_list() == ["m#value"]


def test_a_content_excluder_leaves_the_program_on_the_rest() -> None:
    kept, gone = _split(
        [_duty("ieepa_reciprocal")], [("ieepa_reciprocal", "steel_content")], _q(1000.0, steel=400.0)
    )
    row = kept.row(0, named=True)
    assert gone.height == 0 and row["basis"] == basis.REST and abs(row["basis_share"] - 0.6) < 1e-12


def test_two_content_excluders_add_up_and_one_basis_counts_once() -> None:
    excl = [("ieepa_reciprocal", "steel_content"), ("ieepa_reciprocal", "steel_content"),
            ("ieepa_reciprocal", "aluminum_content")]  # fmt: skip
    kept, _ = _split([_duty("ieepa_reciprocal")], excl, _q(1000.0, steel=400.0, aluminum=100.0))
    assert abs(kept["basis_share"][0] - 0.5) < 1e-12


def test_an_assumed_content_excludes_entirely() -> None:
    kept, gone = _split([_duty("ieepa_reciprocal")], [("ieepa_reciprocal", "steel_content")], _q(1000.0))
    assert kept.height == 0 and gone.height == 1


def test_notes_say_which_share_or_that_the_whole_value_was_assumed() -> None:
    kept, _ = _split([_duty("section_232_steel", "steel_content")], [], _q(1000.0, steel=250.0))
    assert "25.0% of the customs value" in basis.notes(kept)["_basis_notes"][0][0]
    kept, _ = _split([_duty("section_232_steel", "steel_content")], [], _q(1000.0))
    assert "whole customs value is assumed" in basis.notes(kept)["_basis_notes"][0][0]


@given(
    value=st.floats(min_value=0.01, max_value=1e9, allow_nan=False),
    frac=st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
)
def test_metal_share_and_rest_make_the_whole_value(value: float, frac: float) -> None:
    q = _q(value, steel=value * frac)
    duties = [_duty("section_232_steel", "steel_content", 0), _duty("ieepa_reciprocal", "value", 1)]
    kept, gone = _split(duties, [("ieepa_reciprocal", "steel_content")], q)
    metal = kept.filter(pl.col("program") == "section_232_steel")["basis_share"][0]
    rest = kept.filter(pl.col("program") == "ieepa_reciprocal")["basis_share"].sum()
    assert 0.0 <= metal <= 1.0
    assert abs(metal + rest - 1.0) < 1e-9
    assert gone.height == (1 if metal >= 1.0 - 1e-9 else 0)
