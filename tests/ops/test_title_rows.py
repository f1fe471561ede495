"""Report exports put a title, a run date or blank lines above the header: those rows are found, skipped
and named in a warning, never read as the header (which refused the book) nor as rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.check import Context, check_file
from exportctl.ops.check_columns import field_of, noted_field
from exportctl.ops.files import header_line
from exportctl.ops.xlsx import xlsx_rows

HEADER = ["Sales Document", "Sold-To Party", "Ship-To Country", "ECCN", "Net Value", "Ship Date"]
ROWS = [
    ["4500001", "Huawei Technologies Co., Ltd.", "CN", "EAR99", "1200.00", "2025-03-03"],
    ["4500002", "Siemens AG", "DE", "EAR99", "800", "2025-03-04"],
]


def _places(cell: str) -> bool:
    return bool(field_of(cell) or noted_field(cell))


_title = st.one_of(
    st.just([]),
    st.lists(st.text(min_size=1, max_size=40).filter(lambda t: not _places(t)), min_size=1, max_size=1),
    st.just(["Report date:", "2026-12-01"]),  # two cells, neither a column name
)


@given(titles=st.lists(_title, max_size=6))
def test_the_header_is_found_below_any_title_block(titles: list[list[str]]) -> None:
    assert header_line([*titles, HEADER, *ROWS], _places) == len(titles)


def test_a_file_without_a_known_header_keeps_its_first_row() -> None:
    assert header_line([["a", "b"], ["1", "2"]], _places) == 0


def _warned(path: Path, ctx: Context) -> tuple[list[str], list[str]]:
    said: list[str] = []
    out = check_file(path, None, context=ctx, fuzzy=True, warn=said.append)
    return said, out["verdict"].to_list()


def test_a_csv_with_a_title_is_checked_and_the_title_named(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "sap.csv"
    lines = ["Open sales orders - exported 2026-12-01", "", ";".join(HEADER), *(";".join(r) for r in ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    said, verdicts = _warned(path, ctx)
    assert any("header is on line 3" in s and "Open sales orders" in s for s in said)
    assert len(verdicts) == 2 and verdicts[0] not in ("no_license_required", "license_exception_available")


def test_an_xlsx_with_a_title_is_checked_and_the_title_named(ctx: Context, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Open sales orders"])
    sheet.append(["Run", dt.datetime(2026, 12, 1)])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "sap.xlsx"
    book.save(path)
    said, verdicts = _warned(path, ctx)
    assert any("header is on line 3" in s for s in said)
    assert len(verdicts) == 2 and verdicts[0] not in ("no_license_required", "license_exception_available")


def test_a_plain_book_says_nothing_about_titles(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("\n".join([",".join(HEADER), *(",".join(f'"{c}"' for c in r) for r in ROWS)]) + "\n")
    said, verdicts = _warned(path, ctx)
    assert not any("title" in s for s in said) and len(verdicts) == 2


def test_a_title_with_an_unmatched_quote_is_skipped_by_lines(ctx: Context, tmp_path: Path) -> None:
    # polars' skip_rows reads the quote as opening a cell and finds no header: titles are skipped by lines
    path = tmp_path / "quoted.csv"
    lines = ['Report "Q4 2026 open orders', ";".join(HEADER), *(";".join(r) for r in ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    said, verdicts = _warned(path, ctx)
    assert any("header is on line 2" in s for s in said) and len(verdicts) == 2


def _titled_xlsx(path: Path, titles: list[list[object]], header: list[str], rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in [*titles, header, *rows]:
        book.active.append(row)
    book.save(path)
    return path


def test_a_titled_xlsx_book_is_opened_once(ctx: Context, tmp_path: Path, workbook_opens: list[str]) -> None:
    # xlsx_head then xlsx_rows opened it twice: its shared-strings table parsed twice (a sheet near Excel's
    # row limit holds most of its text there)
    path = _titled_xlsx(
        tmp_path / "sap.xlsx", [["Open sales orders"], ["Run", dt.datetime(2026, 12, 1)]], HEADER, ROWS
    )
    said, verdicts = _warned(path, ctx)
    assert len(workbook_opens) == 1 and any("header is on line 3" in s for s in said) and len(verdicts) == 2


_sheet_title = st.one_of(
    st.just([]),
    st.lists(  # text a sheet can hold (no control characters)
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40).filter(
            lambda t: not _places(t)
        ),
        min_size=1,
        max_size=1,
    ),
    st.just(["Report date:", "2026-12-01"]),
)


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(_sheet_title, max_size=5))
def test_an_xlsx_header_is_found_in_the_one_pass_that_reads_it(
    tmp_path: Path, titles: list[list[str]]
) -> None:
    path = _titled_xlsx(tmp_path / "t.xlsx", titles, HEADER, ROWS)
    sheet = xlsx_rows(path, "orders", _places)
    assert sheet.header == HEADER and list(sheet.rows) == ROWS and len(sheet.title) == len(titles)
    assert sheet.notes == ()
    plain = xlsx_rows(path, "orders")  # no search: the first row is the header, as before
    assert (plain.header == HEADER) == (not titles) and plain.title == []
    list(plain.rows)  # read to the end: the workbook closes


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_cover_sheet_before_the_orders_is_skipped_and_named(ctx: Context, tmp_path: Path) -> None:
    # a workbook whose first sheet explains it ("Read me") was refused as having no order-book columns
    path = _workbook(
        tmp_path / "q2.xlsx",
        {"Read me": [["Open orders for Q2, prepared by trade compliance"]], "Orders": [HEADER, *ROWS]},
    )
    said, verdicts = _warned(path, ctx)
    assert any("read sheet 'Orders'" in s and "'Read me'" in s for s in said)
    assert len(verdicts) == 2 and verdicts[0] not in ("no_license_required", "license_exception_available")


def test_orders_on_a_second_sheet_are_refused_never_left_unchecked(ctx: Context, tmp_path: Path) -> None:
    import pytest

    from exportctl.errors import InputError

    path = _workbook(tmp_path / "two.xlsx", {"Q1": [HEADER, ROWS[0]], "Q2": [HEADER, ROWS[1]]})
    with pytest.raises(InputError) as err:
        _warned(path, ctx)
    assert "'Q1'" in err.value.message and "'Q2'" in err.value.message


def test_a_parties_workbook_with_a_cover_sheet_is_screened_saying_so(tmp_path: Path) -> None:
    from exportctl.ops.party_file import read_parties

    path = _workbook(tmp_path / "p.xlsx", {"Cover": [["Screening request"]], "Names": [["Name"], ["Huawei"]]})
    df, placement = read_parties(path)
    assert df["name"].to_list() == ["Huawei"] and any("'Names'" in n for n in placement.notes)


def test_a_named_sheet_is_read_of_a_workbook_with_two_order_sheets(ctx: Context, tmp_path: Path) -> None:
    # two sheets of orders were refused, and the only way on was to save each as a file: `sheet` names one
    path = _workbook(
        tmp_path / "two.xlsx", {"Q1": [HEADER, ROWS[0]], "Q2 orders": [["Run 2026-12-07"], HEADER, ROWS[1]]}
    )
    for sheet in ("Q2 orders", "q2 ORDERS", "2"):
        out = check_file(path, as_of=dt.date(2025, 6, 1), context=ctx, sheet=sheet)
        assert out["Sales Document"].to_list() == ["4500002"], sheet  # Siemens' row only, title skipped
    first = check_file(path, as_of=dt.date(2025, 6, 1), context=ctx, sheet="1")
    assert first["Sales Document"].to_list() == ["4500001"]
    assert first["verdict"].to_list()[0] not in ("no_license_required", "license_exception_available")


def test_a_sheet_the_workbook_lacks_or_a_sheet_of_a_csv_is_refused_naming_the_field(
    ctx: Context, tmp_path: Path
) -> None:
    import pytest

    from exportctl.errors import InputError
    from exportctl.ops.party_file import read_parties

    path = _workbook(tmp_path / "two.xlsx", {"Q1": [HEADER, ROWS[0]], "Q2": [HEADER, ROWS[1]]})
    for sheet in ("Q3", "3", "0"):
        with pytest.raises(InputError) as err:
            check_file(path, as_of=dt.date(2025, 6, 1), context=ctx, sheet=sheet)
        assert err.value.field == "sheet" and "'Q1', 'Q2'" in err.value.message
    csv = tmp_path / "orders.csv"
    csv.write_text(",".join(HEADER) + "\n" + ",".join(ROWS[0]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        check_file(csv, as_of=dt.date(2025, 6, 1), context=ctx, sheet="Q1")
    assert err.value.field == "sheet"
    parties = _workbook(tmp_path / "p.xlsx", {"A": [["Name"], ["Siemens AG"]], "B": [["Name"], ["Huawei"]]})
    df, _ = read_parties(parties, sheet="B")
    assert df["name"].to_list() == ["Huawei"]
    with pytest.raises(InputError) as err:
        read_parties(parties, sheet="C")
    assert err.value.field == "sheet"
