"""Outputs safe to open: every CSV and XLSX writer neutralises text beginning with = + - @, tab or CR.

CSV cells get a single quote before them (the OWASP rule); XLSX cells are written as quote-prefixed text,
never as a formula. Numbers in numeric columns keep their sign and stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from exportctl.fronts.cli import tariff as cli_tariff
from exportctl.fronts.cli.output import Format, emit_rows
from exportctl.ops import audit
from exportctl.ops.cells import FORMULA_STARTS, formula_like, neutralise, safe_frame, safe_row
from exportctl.ops.check_io import write_results
from exportctl.ops.screen import write_rows
from exportctl.ops.xlsx import write_xlsx

STARTS = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = '1+1|cmd,"/C calc"!A0'  # with the lead, a formula a spreadsheet would run


def test_the_starts_are_owasps() -> None:
    assert set(FORMULA_STARTS) == set(STARTS)


@given(st.text())
def test_neutralise_leaves_no_formula_and_loses_nothing(text: str) -> None:
    out = neutralise(text)
    assert not formula_like(out)
    assert out == text if not formula_like(text) else out == "'" + text
    assert neutralise(out) == out  # idempotent: a neutralised cell is safe as it is


@given(
    st.lists(st.one_of(st.text(), st.none()), max_size=8),
    st.lists(st.integers(-(2**62), 2**62), min_size=1, max_size=8),
)
def test_safe_frame_is_neutralise_on_text_and_keeps_numbers(texts: list[str | None], nums: list[int]) -> None:
    df = pl.DataFrame({"t": pl.Series(texts, dtype=pl.Utf8)})
    assert safe_frame(df)["t"].to_list() == [None if t is None else neutralise(t) for t in texts]
    numbers = pl.DataFrame({"n": nums, "f": [float(n) for n in nums]})
    assert safe_frame(numbers).equals(numbers)


def test_safe_row_touches_only_text() -> None:
    assert safe_row({"a": "-x", "b": -5, "c": None, "d": 2.5}) == {"a": "'-x", "b": -5, "c": None, "d": 2.5}


def _csv_cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("lead", STARTS)
def test_check_results_csv_and_xlsx(lead: str, tmp_path: Path) -> None:
    results = pl.DataFrame({"ultimate_consignee": [lead + PAYLOAD], "value": [-5]})
    write_results(results, tmp_path / "r.csv")
    rows = _csv_cells((tmp_path / "r.csv").read_bytes().decode("utf-8"))
    assert rows[0]["ultimate_consignee"] == "'" + lead + PAYLOAD and rows[0]["value"] == "-5"
    write_results(results, tmp_path / "r.xlsx")
    _assert_xlsx_text(tmp_path / "r.xlsx", lead + PAYLOAD, number=-5)


@pytest.mark.parametrize("lead", STARTS)
def test_screen_rows_csv_and_xlsx(lead: str, tmp_path: Path) -> None:
    rows = [{"name": lead + PAYLOAD, "score": -5, "hits": []}]
    write_rows(rows, tmp_path / "s.csv", "csv")
    got = _csv_cells((tmp_path / "s.csv").read_bytes().decode("utf-8"))
    assert got[0]["name"] == "'" + lead + PAYLOAD and got[0]["score"] == "-5"
    write_rows(rows, tmp_path / "s.xlsx", "xlsx")
    _assert_xlsx_text(tmp_path / "s.xlsx", lead + PAYLOAD, number=-5)


@pytest.mark.parametrize("lead", STARTS)
def test_write_xlsx_header_and_cells_are_text(lead: str, tmp_path: Path) -> None:
    write_xlsx(pl.DataFrame({lead + "h": [lead + PAYLOAD], "n": [-5]}), tmp_path / "x.xlsx", "x")
    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert sheet is not None
    head = sheet["A1"]
    assert head.value == lead + "h" and head.data_type == "s" and head.quotePrefix


def test_xlsx_control_characters_do_not_fail_the_write(tmp_path: Path) -> None:
    write_xlsx(pl.DataFrame({"name": ["a\x00b\x01c"]}), tmp_path / "c.xlsx", "c")
    sheet = load_workbook(tmp_path / "c.xlsx").active
    assert sheet is not None and sheet["A2"].value == "a\ufffdb\ufffdc"


@pytest.mark.parametrize("lead", STARTS)
def test_cli_csv_rows(lead: str, capsys: pytest.CaptureFixture[str]) -> None:
    emit_rows([{"party": lead + PAYLOAD, "rate": -5}], Format.csv)
    got = _csv_cells(capsys.readouterr().out)
    assert got[0] == {"party": "'" + lead + PAYLOAD, "rate": "-5"}


@pytest.mark.parametrize("lead", STARTS)
def test_tariff_csv(lead: str, tmp_path: Path) -> None:
    frame = pl.DataFrame({"description": [lead + PAYLOAD], "rate": [-5.0], "codes": [["=a", "b"]]})
    cli_tariff._write_as(frame, tmp_path / "t.csv", ".csv")
    got = _csv_cells((tmp_path / "t.csv").read_bytes().decode("utf-8"))
    assert got[0]["description"] == "'" + lead + PAYLOAD and got[0]["rate"] == "-5.0"
    assert got[0]["codes"] == '["=a", "b"]'  # JSON text begins with [, safe as it is


@pytest.mark.parametrize("lead", STARTS)
def test_audit_export_csv(lead: str, tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    audit.record(
        "check", {"q": 1}, {"verdict": "hold"}, data_version="d", engine_version="e",
        actor=lead + PAYLOAD, at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC), engine=engine,
    )  # fmt: skip
    out = io.StringIO()
    assert audit.export(out, "csv", "2026-01-01", "2026-01-31", engine=engine) == 1
    assert _csv_cells(out.getvalue())[0]["actor"] == "'" + lead + PAYLOAD
    engine.dispose()


def _assert_xlsx_text(path: Path, text: str, number: int) -> None:
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = {c.value: c for c in sheet[2]}
    cell = cells[text]
    assert cell.data_type == "s" and cell.quotePrefix, (cell.data_type, cell.quotePrefix)
    assert number in cells and cells[number].data_type == "n"
