"""ops.check: input resolution, row errors, files in and out, the contract object."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.check import Context, check_file, check_one, check_table, summary

ORDERS = pl.DataFrame(
    {
        "Order ID": ["a", "b", "c", "d", "e", "f"],
        "ECCN": ["3A090", "3A091", "EAR99", "2B350.g", "EAR99", "3C001"],
        "Destination": ["China", "CN", "Atlantis", "Thailand", "CN", "cn"],
        "Value USD": ["", "", "", "1,500", "12x", "100"],
        "Date": ["2025-05-01", "2025-05-01", "2025-05-01", "2025-04-01", "2025-04-01", "03/04/2025"],
    }
)


def test_check_table_keeps_columns_and_reports_bad_rows(ctx: Context) -> None:
    out = check_table(ORDERS, context=ctx)
    assert out.columns[:5] == ORDERS.columns
    assert out["verdict"].to_list() == [
        "license_required",
        "hold",
        "hold",
        "license_exception_available",
        "hold",
        "hold",
    ]
    errors = out["error"].to_list()
    assert errors[0] is None and errors[3] is None
    assert errors[1].startswith("row 2: ") and ("3A991" in errors[1] or "3A090" in errors[1])
    assert errors[2].startswith("row 3: ") and "Atlantis" in errors[2]
    assert "row 5" in errors[4] and "value" in errors[4]
    assert "row 6" in errors[5] and "date" in errors[5] and "ambiguous" in errors[5]
    assert set(out["data_version"].to_list()) == {ctx.version}
    assert out["engine_version"][0] == "ear-1"
    assert out["reasons"][1][0]["code"] == "input" and out["reasons"][1][0]["effect"] == "hold"


def test_check_one_contract_shape(ctx: Context) -> None:
    obj = check_one(destination="CN", as_of=dt.date(2025, 5, 1), eccn="3A090", context=ctx)
    assert {
        "verdict",
        "license_required",
        "reasons",
        "review_policy",
        "exceptions",
        "as_of",
        "data_version",
    } <= set(obj)
    assert obj["verdict"] == "license_required" and obj["license_required"] is True
    for r in obj["reasons"]:
        assert {"code", "measure", "citation"} <= set(r)
    json.dumps(obj, default=str)


def test_check_one_bad_input_is_one_error(ctx: Context) -> None:
    with pytest.raises(InputError) as err:
        check_one(destination="CN", as_of=dt.date(2025, 5, 1), eccn="9Z999", context=ctx)
    assert err.value.field == "eccn" and err.value.suggestions
    with pytest.raises(InputError) as err2:
        check_one(destination="Atlantis", as_of=dt.date(2025, 5, 1), eccn="3A090", context=ctx)
    assert err2.value.field == "destination" and err2.value.suggestions
    with pytest.raises(InputError):
        check_one(destination="CN", as_of=dt.date(2025, 5, 1), context=ctx)


def test_same_transaction_different_dates(ctx: Context) -> None:
    a = check_one(destination="CN", as_of=dt.date(2025, 6, 15), product="EDA software", context=ctx)
    b = check_one(destination="CN", as_of=dt.date(2025, 7, 10), product="EDA software", context=ctx)
    assert (a["verdict"], b["verdict"]) == ("license_required", "no_license_required")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".jsonl"])
def test_files_round_trip(ctx: Context, tmp_path: Path, suffix: str) -> None:
    src = tmp_path / "orders.csv"
    ORDERS.write_csv(src)
    dst = tmp_path / f"results{suffix}"
    seen: list[tuple[int, int]] = []
    out = check_file(src, dst, context=ctx, progress=lambda d, t: seen.append((d, t)))
    assert dst.is_file() and seen[-1] == (6, 6)
    if suffix == ".jsonl":
        lines = [json.loads(x) for x in dst.read_text().splitlines()]
        assert len(lines) == 6 and lines[0]["verdict"] == "license_required" and lines[0]["Order ID"] == "a"
        assert {"reasons", "exceptions", "data_version", "as_of"} <= set(lines[0])
    elif suffix == ".parquet":
        back = pl.read_parquet(dst)
        assert back["verdict"].to_list() == out["verdict"].to_list()
    again = check_file(dst, None, context=ctx)
    if again is not None:
        assert again["verdict"].to_list()[0] == "license_required"


def test_unsupported_file(ctx: Context, tmp_path: Path) -> None:
    bad = tmp_path / "orders.txt"
    bad.write_text("x")
    with pytest.raises(InputError):
        check_file(bad, None, context=ctx)


def test_demo_order_book(ctx: Context) -> None:
    from exportctl.fronts.cli.check import demo_orders

    out = check_file(demo_orders(), None, context=ctx)
    assert 50 <= out.height <= 200
    assert out["error"].is_null().all()
    counts = {c["verdict"]: c["rows"] for c in summary(out)}
    assert all(counts[v] > 0 for v in counts)


def test_arrow_table_in(ctx: Context) -> None:
    out = check_table(ORDERS.head(1).to_arrow(), context=ctx)
    assert out["verdict"].to_list() == ["license_required"]


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    eccn=st.one_of(st.none(), _text, st.sampled_from(["3A090", "EAR99", "5A992.c", "3a090.A", "9Z999"])),
    dest=st.one_of(st.none(), _text, st.sampled_from(["CN", "China", "macau", "UA-43", "XX"])),
    date=st.one_of(st.none(), _text, st.sampled_from(["2025-05-01", "2019-13-01", "1990-01-01"])),
    value=st.one_of(st.none(), _text, st.sampled_from(["1,500", "-3", "1e9"])),
)
def test_any_row_gets_an_answer_never_an_exception(
    ctx: Context, eccn: str | None, dest: str | None, date: str | None, value: str | None
) -> None:
    rows = pl.DataFrame(
        {
            "eccn": [eccn, "3A090"],
            "destination": [dest, "CN"],
            "date": [date, "2025-05-01"],
            "value": [value, None],
        },
        schema={"eccn": pl.Utf8, "destination": pl.Utf8, "date": pl.Utf8, "value": pl.Utf8},
    )
    out = check_table(rows, context=ctx)
    assert out.height == 2
    assert set(out["verdict"].to_list()) <= {
        "no_license_required",
        "license_exception_available",
        "license_required",
        "hold",
        "prohibited",
    }
    # the good row is unaffected by the bad one
    assert out["verdict"][1] == "license_required" and out["error"][1] is None
    if out["error"][0] is not None:
        assert out["verdict"][0] == "hold" and out["error"][0].startswith("row 1: ")


def test_library_check_still_takes_its_earlier_name_to() -> None:
    """`exportctl.check(to=...)`, the earlier spelling, answers as `destination=`; differing is an error."""
    import datetime as dt

    import pytest

    import exportctl
    from exportctl.errors import InputError

    day = dt.date(2025, 5, 1)
    old = exportctl.check(to="CN", eccn="3A090", as_of=day)
    new = exportctl.check(destination="CN", eccn="3A090", as_of=day)
    assert old == new and old["verdict"] == "license_required"
    with pytest.raises(InputError) as err:
        exportctl.check(to="CN", destination="DE", eccn="3A090", as_of=day)
    assert err.value.field == "destination"
