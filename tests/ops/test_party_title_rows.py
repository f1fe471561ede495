"""Parties files exported as reports (a title, a run date, blank lines above the header) are screened, not
refused: the title is found as an order book's is (ops.files.read_titled), skipped, named once on stderr,
and an error about a cell still names that cell's line of the file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app
from exportctl.ops.files import header_line
from exportctl.ops.party_columns import party_field
from exportctl.ops.party_file import read_parties

runner = CliRunner()
LIST = "id,name,aliases,country,type\nC-3,Ivan Petrovich Sidorov,,RU,person\n"
HEADER = ["Customer Name", "Country", "Account Owner"]
ROWS = [["Ivan Sidorov", "RU", "jane"], ["Siemens AG", "DE", "joe"]]


def _places(cell: str) -> bool:
    return party_field(cell) is not None


def _screen(tmp_path: Path, parties: Path, *args: str) -> tuple[int, dict[str, object], str]:
    lists = tmp_path / "lists.csv"
    lists.write_text(LIST, encoding="utf-8")
    res = runner.invoke(app, ["screen", str(parties), "--only-list-file", str(lists), "-f", "json", *args])
    return res.exit_code, (json.loads(res.stdout) if res.stdout.strip() else {}), res.stderr


def test_a_csv_parties_file_with_a_title_is_screened_and_the_title_named(tmp_path: Path) -> None:
    parties = tmp_path / "kunden.csv"
    lines = ['Customer master "Q4" - run 2026-12-01', "", ";".join(HEADER), *(";".join(r) for r in ROWS)]
    parties.write_text("\n".join(lines) + "\n", encoding="utf-8")
    df, placed = read_parties(parties)
    assert df["name"].to_list() == ["Ivan Sidorov", "Siemens AG"] and placed.carried == ["Account Owner"]
    assert placed.title == ['Customer master "Q4" - run 2026-12-01', ""]
    code, out, err = _screen(tmp_path, parties)
    assert code == 1 and out["rows"] == 2, err
    said = [line for line in err.splitlines() if "title" in line]
    assert len(said) == 1 and "header is on line 3" in said[0] and "Customer master" in said[0], err


def test_an_xlsx_parties_file_with_a_title_is_screened_and_the_title_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Business partners"])
    sheet.append(["Run", dt.datetime(2026, 12, 1)])
    sheet.append([])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    parties = tmp_path / "partners.xlsx"
    book.save(parties)
    df, placed = read_parties(parties)
    assert df["name"].to_list() == ["Ivan Sidorov", "Siemens AG"] and len(placed.title) == 3
    code, out, err = _screen(tmp_path, parties)
    assert code == 1 and out["rows"] == 2, err
    assert sum("header is on line 4" in line for line in err.splitlines()) == 1, err


def test_a_plain_parties_file_says_nothing_about_titles(tmp_path: Path) -> None:
    parties = tmp_path / "plain.csv"
    parties.write_text("\n".join(",".join(r) for r in [HEADER, *ROWS]) + "\n", encoding="utf-8")
    assert read_parties(parties)[1].title == []
    code, out, err = _screen(tmp_path, parties)
    assert code == 1 and "warnings" not in out and "title" not in err, err


def _refusal(tmp_path: Path, parties: Path) -> dict[str, object]:
    code, _, err = _screen(tmp_path, parties)
    assert code == 2, err
    return dict(json.loads(err))


def test_a_bad_cell_below_a_title_names_its_line_of_the_file(tmp_path: Path) -> None:
    parties = tmp_path / "bad.csv"
    head = ["Parties to screen", "", "", "name,country,dob,nationality"]  # the header on line 4
    parties.write_text("\n".join([*head, "Ivan Sidorov,RU,1970-01-01,RU", "Other,Atlantis,,"]) + "\n")
    said = _refusal(tmp_path, parties)
    assert (said["field"], said["line"], str(said["file"]).endswith("bad.csv")) == ("country", 6, True)
    parties.write_text("\n".join([*head, "Ivan Sidorov,RU,1970-01-01,RU", "Other,DE,yesterday,RU"]) + "\n")
    assert (_refusal(tmp_path, parties)["field"], _refusal(tmp_path, parties)["line"]) == ("dob", 6)
    parties.write_text("\n".join([*head, "Other,DE,1971-01-01,Narnia"]) + "\n")
    assert (_refusal(tmp_path, parties)["field"], _refusal(tmp_path, parties)["line"]) == ("nationality", 5)


def test_a_bad_cell_below_an_xlsx_title_names_its_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Parties"], [], ["name", "country"], ["Siemens AG", "DE"], ["Other", "Atlantis"]):
        sheet.append(row)
    parties = tmp_path / "bad.xlsx"
    book.save(parties)
    said = _refusal(tmp_path, parties)
    assert (said["field"], said["line"]) == ("country", 5)


def test_a_titled_xlsx_parties_file_is_opened_once(tmp_path: Path, workbook_opens: list[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in (["Customer master"], ["Run", dt.datetime(2026, 12, 1)], HEADER, *ROWS):
        book.active.append(row)
    parties = tmp_path / "kunden.xlsx"
    book.save(parties)
    df, placed = read_parties(parties)
    assert df["name"].to_list() == ["Ivan Sidorov", "Siemens AG"] and len(placed.title) == 2
    assert workbook_opens == [str(parties)]


def test_a_mapped_header_counts_as_a_header(tmp_path: Path) -> None:
    parties = tmp_path / "mapped.csv"
    parties.write_text("Partner report\nGeschaeftspartner,Ort\nSiemens AG,Berlin\n", encoding="utf-8")
    df, placed = read_parties(parties, {"Geschaeftspartner": "name"})
    assert df["name"].to_list() == ["Siemens AG"] and placed.title == ["Partner report"]


_title = st.one_of(
    st.just([]),
    st.lists(st.text(min_size=1, max_size=40).filter(lambda t: not _places(t)), min_size=1, max_size=1),
    st.just(["Report date:", "2026-12-01"]),  # two cells, neither a column name
)
_cell = st.text(min_size=0, max_size=20)


@given(titles=st.lists(_title, max_size=6))
def test_a_parties_header_is_found_below_any_title_block(titles: list[list[str]]) -> None:
    assert header_line([*titles, HEADER, *ROWS], _places) == len(titles)


@given(names=st.lists(st.lists(_cell, min_size=1, max_size=3), max_size=8))
def test_a_one_column_file_keeps_its_first_row_as_the_header(names: list[list[str]]) -> None:
    # `name` over names: whatever a name row splits into, the header of one column is not looked past
    assert header_line([["name"], *names], _places) == 0
