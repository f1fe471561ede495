"""Every statistical line of the bundled schedule resolves, on dates before, during and after the
2025-2026 actions; and the user's code parser never turns a printed line into an unknown one.

The walk runs through `ops.tariff.run_batch` (the path of `exportctl tariff FILE`), columnar: one call
for all 19,700 lines on four dates. Heading 9503 (toys) prints its only rate line at four digits
(`9503`, Free) with its statistical lines 9503.00.00.11 ... .90 under it: it was "no such HTS code".
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.engine.tariff.hts import digits, dotted, rate_lines, resolve_codes, valid_shape
from exportctl.engine.tariff.stack import tariff
from exportctl.ops.tariff import lookup, run_batch
from exportctl.registry import compile_regime, load_registry
from exportctl.store import active_dataset

# 2018-01-01 is before the first layer (run_batch answers out_of_coverage): the engine is asked directly
DATES = ("2018-07-06", "2024-09-27", "2025-04-10", "2026-03-01")


@pytest.fixture(scope="module")
def hts() -> pl.DataFrame:
    return active_dataset().table("hts")


@pytest.fixture(scope="module")
def statistical(hts: pl.DataFrame) -> list[str]:
    return hts.filter(pl.col("level") == 10)["hts"].to_list()


@pytest.fixture(scope="module")
def lines(hts: pl.DataFrame) -> pl.DataFrame:
    return rate_lines(hts)


def test_every_statistical_line_resolves_on_every_date(statistical: list[str]) -> None:
    assert len(statistical) > 19_000  # the whole schedule, not a few chapters
    batch = pl.DataFrame(
        {
            "hts": [dotted(c) for c in statistical] * len(DATES),
            "origin": ["CN"] * (len(statistical) * len(DATES)),
            "date": [d for d in DATES for _ in statistical],
        }
    )
    out = run_batch(batch)
    bad = out.filter(pl.col("status") != "ok")
    assert bad.height == 0, bad.group_by("status").len().to_dicts() + bad.head(5).to_dicts()
    assert out.height == batch.height


def test_every_statistical_line_resolves_in_the_engine_before_the_first_layer(
    statistical: list[str],
) -> None:
    regime = compile_regime(load_registry(), "2018-01-01")
    out = tariff(regime, active_dataset(), pl.DataFrame({"hts": statistical, "origin": "CN"}))
    assert out["status"].unique().to_list() == ["ok"]
    assert out["total_additional_pct"].max() == 0


def test_a_rate_printed_at_four_digits_reaches_its_statistical_lines(lines: pl.DataFrame) -> None:
    row = lines.filter(pl.col("hts") == "9503000073").row(0, named=True)
    assert (row["general"], row["other"]) == ("Free", "70%")
    got = resolve_codes(lines, pl.Series(["9503000073", "95030000", "950300", "9503"]))
    assert got["status"].to_list() == ["ok"] * 4


def test_toys_from_china_2025_get_the_ieepa_layers_and_no_section_301() -> None:
    # 9503.00.00 is enumerated only in U.S. note 20(u) to chapter 99 (heading 9903.88.16, List 4B), which
    # the note marks suspended; the 2025 JSON carries no "See 9903.88.xx" footnote on heading 9503.
    got = lookup("9503.00.0073", "CN", "2025-04-10")
    programs = {c["program"]: c["rate_pct"] for c in got["components"]}
    assert got["mfn"]["text"] == "Free" and got["hts_matched"] == "9503.00.00.73"
    assert programs.get("ieepa_fentanyl") == 20 and programs.get("ieepa_reciprocal") == 125
    assert "section_301" not in programs


def test_a_line_without_a_general_rate_is_answered_with_its_text_kept(lines: pl.DataFrame) -> None:
    # 9802.00.91.00 prints a special rate only ("Free (See U.S. note 4 ...)"): kept, never dropped
    row = lines.filter(pl.col("hts") == "9802009100").row(0, named=True)
    assert row["general"] == "" and row["special"].startswith("Free")


_SEPARATORS = st.sampled_from(["", ".", " ", "-"])


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_printed_spelling_of_a_line_resolves_to_it(lines: pl.DataFrame, data: st.DataObject) -> None:
    code = data.draw(st.sampled_from(lines.filter(pl.col("level") == 10)["hts"].to_list()))
    seps = [data.draw(_SEPARATORS) for _ in range(3)]
    text = code[:4] + seps[0] + code[4:6] + seps[1] + code[6:8] + seps[2] + code[8:]
    assert digits(text) == code and valid_shape(digits(text))
    row = resolve_codes(lines, pl.Series([digits(text)])).row(0, named=True)
    assert (row["status"], row["hts"]) == ("ok", code)


@settings(max_examples=300, deadline=None)
@given(code=st.text(alphabet="0123456789", min_size=0, max_size=12))
def test_any_digit_string_gets_a_status_never_an_exception(lines: pl.DataFrame, code: str) -> None:
    row = resolve_codes(lines, pl.Series([code])).row(0, named=True)
    assert row["status"] in ("ok", "ambiguous_hts", "unknown_hts", "invalid_hts")
    assert (row["status"] == "invalid_hts") == (not valid_shape(code))
    if row["status"] == "ok":
        assert str(row["hts"]).startswith(code)


@given(code=st.text(alphabet="0123456789", min_size=1, max_size=10))
def test_dotted_and_digits_are_inverse(code: str) -> None:
    assert digits(dotted(code)) == code
