"""Table files as users save them: the CSV field separator is read off the header."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.files import csv_separator, read_table

ROWS = [
    ["Order", "Customer", "Destination", "ECCN", "Date"],
    ["1", "Huawei Technologies Co., Ltd.", "China", "5A002", "2024-03-15"],
    ["2", "Acme; Sons | Partners", "Germany", "EAR99", "2024-03-16"],
]


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_excel_exports_with_any_separator_read_as_written(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "book.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=sep).writerows(ROWS)
    assert csv_separator(path) == sep
    assert read_table(path, "orders").rows() == [tuple(row) for row in ROWS[1:]]


def test_a_one_column_file_is_comma_separated(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("name\nHuawei\n", encoding="utf-8")
    assert csv_separator(path) == ","


def test_separators_inside_a_quoted_header_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text('"Ship-To; Name",ECCN\n"A; B",5A002\n', encoding="utf-8")
    assert csv_separator(path) == ","
    assert read_table(path, "orders").columns == ["Ship-To; Name", "ECCN"]


header_word = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.lists(header_word, min_size=2, max_size=6, unique=True), st.sampled_from([",", ";", "\t", "|"]))
def test_any_header_round_trips_with_its_separator(tmp_path: Path, header: list[str], sep: str) -> None:
    path = tmp_path / "any.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=sep).writerows([header, ["x"] * len(header)])
    assert csv_separator(path) == sep
    assert read_table(path, "orders").columns == header


def test_a_refused_xlsx_header_leaves_no_file_open(tmp_path: Path) -> None:
    import psutil
    from openpyxl import Workbook

    from exportctl.errors import InputError
    from exportctl.ops.xlsx import xlsx_rows

    path = tmp_path / "dup.xlsx"
    book = Workbook()
    book.active.append(["ECCN", "eccn", "Country"])  # two columns of one name
    book.active.append(["EAR99", "EAR99", "DE"])
    book.save(path)
    with pytest.raises(InputError) as err:
        xlsx_rows(path, "orders")
    assert err.traceback  # the error kept alive, as the CLI's runner keeps it: its frames hold the reader
    # closed at once, not when the garbage collector gets to it (then as a ResourceWarning in a later test)
    assert str(path) not in [f.path for f in psutil.Process().open_files()]


def test_a_typed_xlsx_number_is_read_one_way(tmp_path: Path) -> None:
    # an XLSX number cell is one number: as text '1.234' would read two ways (ops.amounts: 1,234, the
    # larger), so its text is written so it cannot ('1.2340'); other numbers keep their plain text
    from openpyxl import Workbook

    from exportctl.ops.amounts import amount
    from exportctl.ops.xlsx import xlsx_rows

    path = tmp_path / "n.xlsx"
    book = Workbook()
    book.active.append(["value", "hts"])
    for row in ([1.234, 8471.3], [12.5, 8471300100], ["1.234", "8471.30"]):
        book.active.append(row)
    book.save(path)
    rows = list(xlsx_rows(path, "file").rows)
    assert rows == [["1.2340", "8471.3"], ["12.5", "8471300100"], ["1.234", "8471.30"]]
    assert [amount(r[0] or "")[0] for r in rows] == [1.234, 12.5, 1234.0]  # text typed in a cell: two ways


@pytest.mark.parametrize(("suffix", "encoding"), [(".tsv", "utf-8"), (".txt", "utf-16"), (".tab", "utf-8")])
def test_delimited_text_under_excels_other_names_reads_as_csv(
    tmp_path: Path, suffix: str, encoding: str
) -> None:
    # Excel's "Unicode Text" is a tab-separated .txt in UTF-16 with a byte-order mark; report tools write .tsv
    path = tmp_path / f"book{suffix}"
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh, delimiter="\t").writerows(ROWS)
    assert read_table(path, "orders").rows() == [tuple(row) for row in ROWS[1:]]


def test_delimited_text_is_read_but_never_written_under_another_name(tmp_path: Path) -> None:
    from exportctl.errors import InputError
    from exportctl.ops.files import file_format

    assert file_format(tmp_path / "a.tsv", "orders", reading=True) == "csv"
    with pytest.raises(InputError) as err:
        file_format(tmp_path / "a.tsv", "output")
    assert err.value.field == "output"
