"""Order books as people export them: every run answers each row with its parties screened, or refuses
by name; none clears a listed party. Runs over the shared snapshots (no store), like the golden cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.check import NO_PARTY_COLUMN, Context, check_file, check_table
from exportctl.ops.check_columns import FIELDS, RESULT_NAMES, field_of
from exportctl.ops.check_io import write_results

CLEAR = ("no_license_required", "license_exception_available")
# Entity List parties as the bundled CSL names them (15 CFR 744 Supp. 4)
LISTED = (
    "Huawei Technologies Co., Ltd.",
    "Semiconductor Manufacturing International Corporation",
    "Hangzhou Hikvision Digital Technology Co., Ltd.",
)
ERP = "SO Number,Ship Date,ECCN,Description,Ship-To Country,Customer,End User\n"
ERP_ROWS = (
    'SO-1,2025-03-03,EAR99,Network switch,China,"Huawei Technologies Co., Ltd.",\n'
    "SO-2,2025-03-04,EAR99,Wafer robot,China,Semiconductor Manufacturing International Corporation,\n"
    'SO-3,2025-03-05,EAR99,Camera module,China,"Hangzhou Hikvision Digital Technology Co., Ltd.",\n'
    "SO-4,2025-03-06,EAR99,Office chairs,Germany,Siemens AG,\n"
)


def _spellings(name: str) -> st.SearchStrategy[str]:
    words = [name.replace("_", " "), *FIELDS[name]]
    return st.builds(
        lambda w, style: [w, w.title(), w.upper(), w.replace(" ", "_"), w.title().replace(" ", "-")][style],
        st.sampled_from(words),
        st.integers(0, 4),
    )


_unknown = st.one_of(
    st.sampled_from(
        ["Farbe", "Warehouse", "Incoterms", "Country of Origin", "Sales Rep", "Geschäftspartner"]
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=3, max_size=12),
).filter(lambda h: h.strip() != "" and field_of(h) is None and h.strip() not in RESULT_NAMES)


@st.composite
def books(draw: Any) -> tuple[pl.DataFrame, list[str], list[str]]:
    """A book with random header spellings, maybe no party column, maybe unknown columns (some ignored)."""
    cols: dict[str, list[str | None]] = {}
    roles = draw(st.lists(st.sampled_from(["purchaser", "ultimate_consignee", "end_user"]), max_size=2))
    listed = draw(st.sampled_from(LISTED[:2]))
    for name, values in (
        ("eccn", ["EAR99", "EAR99"]),
        ("destination", ["CN", "DE"]),
        ("date", ["2025-03-03", "03/15/2025"]),
        ("order_id", ["A", "B"]),
        ("quantity", ["1", "2"]),
    ):
        if name in ("eccn", "destination") or draw(st.booleans()):
            cols[draw(_spellings(name))] = list(values)
    for i, role in enumerate(dict.fromkeys(roles)):
        cols[draw(_spellings(role))] = [listed if i == 0 else None, "Siemens AG" if i == 0 else None]
    unknown = draw(st.lists(_unknown, max_size=2, unique_by=str.lower))
    for h in unknown:
        cols.setdefault(h, ["x", "y"])
    ignored = draw(st.lists(st.sampled_from(unknown), unique=True)) if unknown else []
    frame = pl.DataFrame(cols, schema={c: pl.Utf8 for c in cols})
    return frame, [h for h in unknown if h in cols and h not in ignored], ignored


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(book=books())
def test_a_book_is_answered_with_parties_screened_or_refused_by_name(
    ctx: Context, book: tuple[pl.DataFrame, list[str], list[str]]
) -> None:
    frame, unplaced, ignored = book
    said: list[str] = []
    try:
        out = check_table(
            frame,
            as_of=dt.date(2025, 6, 1),
            ignore_columns=ignored,
            fuzzy=True,
            context=ctx,
            warn=said.append,
        )
    except InputError as err:
        assert err.field == "columns"
        # refused only for a reason: a column it names has no place, or two columns share a role
        # (the message's own example may quote a placed header, so only the unplaced ones are looked for)
        assert unplaced or "both read as" in err.message, err.message
        assert all(repr(h) in err.message for h in unplaced)
        return
    assert not unplaced
    has_party = any(field_of(c) in ("purchaser", "ultimate_consignee", "end_user") for c in frame.columns)
    assert said == ([] if has_party else [NO_PARTY_COLUMN])
    screened = out["parties_screened"].to_list()
    for row, ok in zip(out.iter_rows(named=True), screened, strict=True):
        codes = {r["code"] for r in row["reasons"]}
        if ok:
            assert "parties-not-screened" not in codes
        else:
            assert "parties-not-screened" in codes
    if has_party:
        # the listed party is row 1, screened, and never cleared
        assert screened[0] is True and out["verdict"][0] not in CLEAR, out.row(0, named=True)
    else:
        assert screened == [False, False]


def test_the_erp_book_of_the_issue_clears_no_listed_customer(ctx: Context, tmp_path: Path) -> None:
    src = tmp_path / "erp.csv"
    src.write_text(ERP + ERP_ROWS)
    out = check_file(src, None, context=ctx, fuzzy=True)
    assert out.columns[:7] == ERP.strip().split(",")
    assert out["parties_screened"].to_list() == [True] * 4
    assert all(v not in CLEAR for v in out["verdict"][:3]), out["verdict"].to_list()
    assert all(any(r["code"] == "EL" for r in reasons) for reasons in out["reasons"][:3]), out[
        "reasons"
    ].to_list()
    assert out["verdict"][3] == "no_license_required"


@pytest.mark.parametrize("consignee", ["هواوي تكنولوجيز", "شركة هواوي"])
def test_huawei_written_in_arabic_script_is_not_cleared(ctx: Context, consignee: str) -> None:
    # issue #12: the consignee in Arabic script found nothing, and the EAR99 row to China cleared
    frame = pl.DataFrame(
        {"eccn": ["EAR99"], "to": ["CN"], "Ultimate Consignee": [consignee], "date": ["2025-03-03"]}
    )
    out = check_table(frame, fuzzy=True, context=ctx)
    assert out["parties_screened"][0] is True
    assert out["verdict"][0] not in CLEAR, out.row(0, named=True)
    assert any(r["code"] == "EL" for r in out["reasons"][0]), out["reasons"][0]


def test_the_erp_book_as_xlsx_with_date_cells(ctx: Context, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(ERP.strip().split(","))
    sheet.append(["SO-1", dt.datetime(2025, 3, 3), "EAR99", "Switch", "China", LISTED[0], None])
    sheet.append(["SO-2", 45719, "EAR99", "Chairs", "Germany", "Siemens AG", None])  # a date as a number
    path = tmp_path / "erp.xlsx"
    book.save(path)
    out = check_file(path, None, context=ctx, fuzzy=True)
    assert out["as_of"].to_list() == [dt.date(2025, 3, 3), dt.date(2025, 3, 3)]
    assert out["verdict"][0] not in CLEAR and out["parties_screened"].all()


def test_a_book_without_parties_says_so_once_and_marks_every_row(ctx: Context, tmp_path: Path) -> None:
    src = tmp_path / "noparty.csv"
    src.write_text("Order No,Ship Date,ECCN,Ship To Ctry\n1,2025-03-03,EAR99,DE\n2,2025-03-03,3A090,CN\n")
    said: list[str] = []
    out = check_file(src, None, context=ctx, warn=said.append, chunk=1)  # two parts, one warning
    assert said == [NO_PARTY_COLUMN]
    assert out["parties_screened"].to_list() == [False, False]
    assert out["verdict"].to_list() == ["no_license_required", "license_required"]
    for suffix in (".csv", ".xlsx", ".jsonl"):
        dst = tmp_path / f"out{suffix}"
        write_results(out, dst)
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            rows = list(load_workbook(dst).active.iter_rows(values_only=True))
            header = list(rows[0])
            text = " ".join(str(c) for c in rows[1])
            assert rows[1][header.index("parties_screened")] is False and "parties not screened" in text
        else:
            text = dst.read_text()
            assert "parties_screened" in text and "parties not screened" in text


def test_a_book_without_a_destination_says_so_once_naming_a_country_column(
    ctx: Context, tmp_path: Path
) -> None:
    # a sales export whose only country is the customer's: every row holds; the run says why once and
    # which column might be the destination, never taking it as one unasked
    src = tmp_path / "nodest.csv"
    src.write_text("Order,Customer,Customer Country,ECCN,Ship Date\n1,Acme,Germany,EAR99,2025-03-03\n"
                   "2,Acme,Germany,3A090,2025-03-03\n")  # fmt: skip
    said: list[str] = []
    out = check_file(src, None, context=ctx, warn=said.append, chunk=1)
    assert [s for s in said if "destination" in s] == [
        "the order book has no destination column (Ship-To Country, Destination ...): every row holds "
        "naming field 'destination'; if 'Customer Country' holds it, map it: "
        "--column 'Customer Country=destination'"
    ]
    assert out["verdict"].to_list() == ["hold", "hold"]
    assert all("'destination'" in e for e in out["error"].to_list())
    mapped = check_file(src, None, context=ctx, warn=said.append, columns={"Customer Country": "destination"})
    assert mapped["verdict"].to_list() == ["no_license_required", "no_license_required"]


def test_a_row_with_empty_party_cells_is_not_screened(ctx: Context) -> None:
    frame = pl.DataFrame(
        {
            "eccn": ["EAR99", "EAR99"],
            "to": ["DE", "DE"],
            "Customer": ["Siemens AG", " "],
            "date": ["2025-03-03"] * 2,
        }
    )
    said: list[str] = []
    out = check_table(frame, context=ctx, warn=said.append)
    assert said == [] and out["parties_screened"].to_list() == [True, False]
    assert out["verdict"].to_list() == ["no_license_required", "no_license_required"]
    assert [r["code"] for r in out["reasons"][1]] == ["parties-not-screened"]


def test_dates_fill_override_format_and_column_order(ctx: Context) -> None:
    frame = pl.DataFrame(
        {"eccn": ["EAR99"] * 4, "to": ["DE"] * 4, "Ship Date": ["03/04/2025", "25/03/2025", None, "45292"]}
    )
    out = check_table(frame, as_of=dt.date(2025, 6, 1), context=ctx)
    # 25/03 settles the column as day first; the blank date takes --date; 45292 is a spreadsheet date
    assert out["as_of"].to_list() == [
        dt.date(2025, 4, 3),
        dt.date(2025, 3, 25),
        dt.date(2025, 6, 1),
        dt.date(2024, 1, 1),
    ]
    over = check_table(frame, as_of=dt.date(2025, 6, 1), date_override=True, context=ctx)
    assert over["as_of"].to_list() == [dt.date(2025, 6, 1)] * 4
    alone = check_table(frame.head(1), context=ctx)
    assert alone["verdict"][0] == "hold" and "row 1: field 'as_of'" in alone["error"][0]
    assert "ambiguous" in alone["error"][0]
    # with a default date, an unreadable date is not replaced by it: the row names no day it was not given
    held = check_table(frame.head(1), as_of=dt.date(2025, 6, 1), context=ctx)
    assert held["verdict"][0] == "hold" and "ambiguous" in held["error"][0]
    assert held["as_of"][0] is None
    stated = check_table(frame.head(1), date_format="%m/%d/%Y", context=ctx)
    assert stated["as_of"][0] == dt.date(2025, 3, 4)
    with pytest.raises(InputError):
        check_table(frame, date_override=True, context=ctx)


def test_a_book_settles_its_date_order_across_parts(ctx: Context, tmp_path: Path) -> None:
    src = tmp_path / "dmy.csv"
    src.write_text("eccn,to,date\nEAR99,DE,03/04/2025\nEAR99,DE,25/03/2025\n")
    out = check_file(src, None, context=ctx, chunk=1)  # the first part alone settles nothing
    assert out["as_of"].to_list() == [dt.date(2025, 4, 3), dt.date(2025, 3, 25)]


def test_a_value_in_another_currency_holds_its_row(ctx: Context) -> None:
    frame = pl.DataFrame(
        {
            "eccn": ["2B350.g"] * 3,
            "to": ["TH"] * 3,
            "Line Value": ["1500", "1500", "1500"],
            "Currency": ["USD", "EUR", None],
            "date": ["2025-04-01"] * 3,
        }
    )
    out = check_table(frame, context=ctx)
    assert out["verdict"][1] == "hold" and "field 'currency'" in out["error"][1] and "EUR" in out["error"][1]
    assert out["error"][0] is None and out["error"][2] is None


def test_an_empty_unnamed_column_is_no_column(ctx: Context, tmp_path: Path) -> None:
    src = tmp_path / "trailing.csv"
    src.write_text("eccn,to,date,customer,\nEAR99,DE,2025-01-02,Siemens AG,\n")
    assert check_file(src, None, context=ctx)["verdict"].to_list() == ["no_license_required"]
    src.write_text(
        "eccn,to,date,customer,\nEAR99,DE,2025-01-02,Siemens AG,Huawei\n"
    )  # a value: placed or refused
    with pytest.raises(InputError) as err:
        check_file(src, None, context=ctx)
    assert err.value.field == "columns" and "''" in err.value.message
