"""A book checked in chunks answers every row as the one-shot run does (ops.check_stream)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.batch import check_book
from exportctl.ops.check import Context, check_table
from exportctl.ops.check_answer import summary
from exportctl.ops.check_io import read_orders, write_results
from exportctl.ops.check_stream import stream_file

# rows 1-2 malformed (a first chunk of only errors leaves result columns untyped), a listed consignee
# spelt three ways across the book (fuzzy screening), plain repeated customers, a headerless empty column
BOOK = """order_id,eccn,destination,ultimate_consignee,date,value_usd,
PO-1,3A090.a,Atlantis,Acme Ltd,2025-03-03,10,
PO-2,NOTANECCN,CN,Acme Ltd,2025-03-03,10,
PO-3,3A090.a,CN,Huawei Technologies Co. Ltd.,2025-03-03,250000,
PO-4,EAR99,DE,Siemens AG,2024-06-01,99,
PO-5,5A992.c,CN,Acme Ltd,2025-03-03,5000,
PO-6,3A090.a,CN,Huawei Technologies Co Ltd,2025-09-01,1000,
PO-7,EAR99,RU,Siemens AG,2025-03-03,1,
PO-8,3A001.b.2,HK,Huawei Technologes Co Ltd,2024-06-01,700,
PO-9,EAR99,DE,,2025-03-03,3,
PO-10,EAR99,CN,!!!,2025-03-03,3,
PO-11,5A992.c,CN,Acme Ltd,2024-06-01,5000,
"""
ROWS = BOOK.count("\n") - 1


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stream") / "book.csv"
    path.write_text(BOOK)
    return path


@pytest.fixture(scope="module")
def one_shot(ctx: Context, book: Path) -> pl.DataFrame:
    """The whole book in one check_table call (no chunks, no party memory)."""
    return check_table(read_orders(book), context=ctx, fuzzy=True)


def test_the_one_shot_reference_is_check_table(ctx: Context, book: Path, one_shot: pl.DataFrame) -> None:
    run = stream_file(book, None, context=ctx, fuzzy=True, chunk=10_000)
    assert run.results is not None and run.results.equals(one_shot)
    assert one_shot.height == ROWS and one_shot["error"][0].startswith("row 1: ")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunk=st.integers(1, ROWS + 2), suffix=st.sampled_from([".parquet", ".csv", ".jsonl"]))
def test_any_chunk_size_writes_what_the_one_shot_run_writes(
    ctx: Context, book: Path, one_shot: pl.DataFrame, tmp_path: Path, chunk: int, suffix: str
) -> None:
    got, want = tmp_path / f"c{chunk}{suffix}", tmp_path / f"w{chunk}{suffix}"
    run = stream_file(book, got, context=ctx, fuzzy=True, chunk=chunk, keep=False)
    write_results(one_shot, want)
    if suffix == ".parquet":
        assert pl.read_parquet(got).equals(pl.read_parquet(want))
    else:
        assert got.read_text() == want.read_text()
    assert run.results is None and run.totals.rows == ROWS
    assert [
        {"verdict": v, "rows": run.totals.verdicts.get(v, 0)}
        for v in (d["verdict"] for d in summary(one_shot))
    ] == summary(one_shot)


@pytest.mark.parametrize("chunk", [1, 3, 4])
def test_an_error_names_the_row_of_the_book_not_of_its_chunk(ctx: Context, book: Path, chunk: int) -> None:
    run = stream_file(book, None, context=ctx, fuzzy=True, chunk=chunk)
    assert run.results is not None
    errors = [e for e in run.results["error"].to_list() if e]
    assert [e.split(":")[0] for e in errors] == ["row 1", "row 2", "row 10"]


def test_the_envelope_of_a_streamed_book_adds_up_across_chunks(
    ctx: Context, book: Path, one_shot: pl.DataFrame, tmp_path: Path
) -> None:
    held = check_book(book, tmp_path / "a.parquet", context=ctx, fuzzy=True, fail_on="hold", chunk=2)
    streamed = check_book(
        book, tmp_path / "b.parquet", context=ctx, fuzzy=True, fail_on="hold", chunk=2, keep=False
    )
    assert streamed.results.height == 0 and held.results.equals(one_shot)
    for name in ("rows", "summary", "errors", "unscreened", "regimes", "engine_versions", "failed"):
        assert getattr(streamed, name) == getattr(held, name), name
    assert streamed.notes() == held.notes() and streamed.errors == 3


_CELL = st.one_of(
    st.none(), st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(st.tuples(_CELL, _CELL, st.integers(-5, 10**6)), max_size=12),
    size=st.integers(1, 5),
    suffix=st.sampled_from([".csv", ".xlsx", ".jsonl", ".parquet"]),
)
def test_a_book_read_in_chunks_is_the_book_read_whole(
    tmp_path_factory: pytest.TempPathFactory, cells: list[tuple[str | None, str | None, int]], size: int,
    suffix: str,
) -> None:  # fmt: skip
    from exportctl.ops.check_io import Book
    from exportctl.ops.xlsx import write_xlsx

    frame = pl.DataFrame(
        cells, schema={"order_id": pl.Utf8, "ultimate consignee": pl.Utf8, "value": pl.Int64}, orient="row"
    )
    path = tmp_path_factory.mktemp("book") / f"book{suffix}"
    if suffix == ".csv":
        frame.write_csv(path)
    elif suffix == ".xlsx":
        write_xlsx(frame, path, "orders")
    elif suffix == ".jsonl":
        frame.write_ndjson(path)
    else:
        frame.write_parquet(path)
    try:
        whole = read_orders(path)
    except InputError as err:  # an empty JSONL file: refused alike, in the same words
        with pytest.raises(InputError) as got:
            list(Book(path).chunks(size))
        assert str(got.value) == str(err)
        return
    book = Book(path)
    try:
        parts = list(book.chunks(size))
        assert book.columns == whole.columns
        assert all(p.height == size for p in parts[:-1]) and sum(p.height for p in parts) == whole.height
        assert pl.concat(parts, how="vertical_relaxed").equals(whole)
        assert book.text(["value"])[0] == whole.height
    finally:
        book.close()
