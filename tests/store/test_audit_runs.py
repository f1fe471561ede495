"""A checked book in the audit trail (ops.audit_runs): one record per chunk with the SHA-256 of its rows as
written, one for the finished file; `verify_output` names the rows of a changed file. SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops import audit
from exportctl.ops.audit_runs import CHUNK_KIND, RUN_KIND, verify_output
from exportctl.ops.check import Context
from exportctl.ops.check_stream import stream_file
from exportctl.store import Store
from exportctl.store.audit import iter_records, verify_chain

BOOK = """order_id,eccn,destination,ultimate_consignee,date,value_usd
PO-1,3A090.a,CN,Acme Ltd,2025-03-03,10
PO-2,NOTANECCN,CN,Acme Ltd,2025-03-03,10
PO-3,3A090.a,CN,Huawei Technologies Co. Ltd.,2025-03-03,250000
PO-4,EAR99,DE,Siemens AG,2024-06-01,99
PO-5,5A992.c,CN,Acme Ltd,2025-03-03,5000
"""

# the Context of the ops tests, built from the shared snapshots (no store: the trail goes to `store`)
CONTEXT = """
from pathlib import Path
from exportctl.ops.check import Context
from exportctl.registry import load_registry
from exportctl.sources import china_lists, csl, ecfr
from exportctl.store.dataset import Dataset

def context(shared: Path) -> Context:
    ear = shared / "ear-2026-07-23"
    tables = [
        ecfr.parse_ccl(ear / "ccl.json"),
        ecfr.parse_country_chart(ear / "country-chart.json"),
        ecfr.parse_country_groups(ear / "country-groups.json"),
        csl.parse_csl_compact(shared / "csl-2026-07-31" / "screening-list.json"),
        china_lists.parse_cn_parties(shared / "china-2026-07" / "cn_entity_lists.json"),
    ]
    return Context(Dataset.from_tables(tables), load_registry())
"""
_made: dict[str, Any] = {}
exec(CONTEXT, _made)  # the same function the killed child below runs


@pytest.fixture(scope="module")
def ctx(shared_data: Path) -> Context:
    """The ops tests' Context."""
    made: Context = _made["context"](shared_data)
    return made


def _run(ctx: Context, store: Store, tmp_path: Path, suffix: str, chunk: int = 2) -> Path:
    book = tmp_path / "book.csv"
    book.write_text(BOOK)
    out = tmp_path / f"results{suffix}"
    with audit.acting_as("token:t", engine=store.engine):
        stream_file(book, out, context=ctx, fuzzy=False, chunk=chunk, keep=False)
    return out


def _outputs(store: Store) -> list[tuple[str, dict[str, Any]]]:
    return [(r["kind"], json.loads(r["outputs"])) for r in iter_records(store.engine)]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", ".xlsx"])
def test_a_book_is_recorded_per_chunk_then_once_for_its_file(
    ctx: Context, store: Store, tmp_path: Path, suffix: str
) -> None:
    out = _run(ctx, store, tmp_path, suffix)
    records = _outputs(store)
    assert [k for k, _ in records] == [CHUNK_KIND] * 3 + [RUN_KIND]
    chunks, run = [o for _, o in records[:3]], records[3][1]
    assert [(c["first_row"], c["rows"]) for c in chunks] == [(1, 2), (3, 2), (5, 1)]
    assert run["rows"] == 5 and run["errors"] == 1 == sum(c["errors"] for c in chunks)
    assert run["chunks"] == [1, 2, 3] and run["output"] == out.name and run["size"] == out.stat().st_size
    summed: dict[str, int] = {}
    for c in chunks:
        for verdict, n in c["verdicts"].items():
            summed[verdict] = summed.get(verdict, 0) + n
    assert summed == run["verdicts"] and sum(summed.values()) == 5  # the malformed row holds
    if suffix == ".xlsx":  # written whole at the end: each chunk's rows hashed as Arrow IPC
        assert {c["hashed"] for c in chunks} == {"arrow_ipc"}
    else:  # the chunks' bytes tile the file (Parquet: its footer follows)
        assert [c["offset"] for c in chunks] == [
            0,
            chunks[0]["length"],
            chunks[0]["length"] + chunks[1]["length"],
        ]
        end = chunks[2]["offset"] + chunks[2]["length"]
        assert end == run["size"] if suffix != ".parquet" else end < run["size"]
    got = verify_output(out, engine=store.engine)
    assert got["ok"] and got["run_seq"] == 4 and got["rows"] == 5 and got["problem"] is None, got
    assert verify_chain(store.engine)["ok"]


def _tamper(path: Path, row: int) -> None:
    """Change the verdict of the book's `row` (1-based) in a results file, as an editor would."""
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        frame = frame.with_columns(
            pl.when(pl.int_range(pl.len()) == row - 1).then(pl.lit("prohibited")).otherwise(pl.col("verdict"))
            .alias("verdict")
        )  # fmt: skip
        pq.write_table(frame.to_arrow().cast(table.schema), path, row_group_size=2)
        return
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        sheet = book.active
        assert sheet is not None
        sheet.cell(row=row + 1, column=7).value = "prohibited"
        book.save(path)
        return
    text = path.read_text(encoding="utf-8")
    needle = f"PO-{row},"
    if path.suffix == ".jsonl":
        lines = text.splitlines(keepends=True)
        lines[row - 1] = lines[row - 1].replace('"verdict": "', '"verdict": "x', 1)
        path.write_text("".join(lines), encoding="utf-8")
        return
    at = text.index(needle)
    path.write_text(text[:at] + "PO-9" + text[at + len(needle) - 1 :], encoding="utf-8")


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
@pytest.mark.parametrize(("row", "rows"), [(1, [1, 2]), (4, [3, 4]), (5, [5, 5])])
def test_one_changed_row_is_named(
    ctx: Context, store: Store, tmp_path: Path, suffix: str, row: int, rows: list[int]
) -> None:
    out = _run(ctx, store, tmp_path, suffix)
    _tamper(out, row)
    got = verify_output(out, engine=store.engine)
    assert not got["ok"] and got["run_seq"] == 4 and got["bad_rows"] == rows, got
    assert f"rows {rows[0]}-{rows[1]} of book.csv differ from audit record" in got["problem"]
    assert verify_chain(store.engine)["ok"]  # the trail itself is intact: the file is what changed


def test_a_changed_xlsx_is_detected_as_a_whole(ctx: Context, store: Store, tmp_path: Path) -> None:
    out = _run(ctx, store, tmp_path, ".xlsx")
    _tamper(out, 3)
    got = verify_output(out, engine=store.engine)
    assert not got["ok"] and got["run_seq"] == 4 and got["bad_rows"] is None
    assert "differs from the file recorded by audit record 4" in got["problem"]


def test_a_file_no_run_wrote_is_refused(ctx: Context, store: Store, tmp_path: Path) -> None:
    _run(ctx, store, tmp_path, ".csv")
    other = tmp_path / "other.csv"
    other.write_text("verdict\nhold\n")
    got = verify_output(other, engine=store.engine)
    assert not got["ok"] and got["run_seq"] is None and "no checked book" in got["problem"]
    assert not verify_output(tmp_path / "results.csv", seq=1, engine=store.engine)["ok"]  # a chunk's seq


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".csv", ".jsonl", ".parquet"]), where=st.floats(0, 1, exclude_max=True))
def test_any_changed_byte_is_found_in_its_chunk(
    ctx: Context, tmp_path_factory: pytest.TempPathFactory, suffix: str, where: float
) -> None:
    from exportctl.store import open_store

    tmp = tmp_path_factory.mktemp("byte")
    store = open_store(f"sqlite:///{tmp / 'store.db'}")
    try:
        out = _run(ctx, store, tmp, suffix)
        data = bytearray(out.read_bytes())
        at = int(where * len(data))
        data[at] ^= 0x01
        out.write_bytes(bytes(data))
        got = verify_output(out, engine=store.engine)
        chunks = [o for k, o in _outputs(store) if k == CHUNK_KIND]
        inside = [c for c in chunks if c["offset"] <= at < c["offset"] + c["length"]]
        assert not got["ok"]
        if inside:
            (c,) = inside
            assert got["bad_rows"] == [c["first_row"], c["first_row"] + c["rows"] - 1], (at, got)
        else:  # Parquet's footer: after the last chunk's bytes
            assert got["bad_rows"] is None and "after its last recorded row" in got["problem"]
    finally:
        store.close()


CHILD = (
    CONTEXT
    + """
import sys
from exportctl.ops.check_stream import stream_file
stream_file(sys.argv[2], sys.argv[3], context=context(Path(sys.argv[1])), fuzzy=False, chunk=1, keep=False)
"""
)


def test_kill_9_mid_book_keeps_the_chain(shared_data: Path, store_url: str, tmp_path: Path) -> None:
    """SIGKILL while a book is being checked chunk by chunk: the chain verifies, the chunks answered so far
    are recorded, and the unfinished file is no run's file."""
    book = tmp_path / "book.csv"
    rows = BOOK.splitlines()
    book.write_text("\n".join([rows[0], *(rows[1:] * 200)]) + "\n")
    out = tmp_path / "results.csv"
    env = {**os.environ, "EXPORTCTL_DATABASE_URL": store_url, "EXPORTCTL_CACHE_DIR": str(tmp_path / "cache")}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(shared_data), str(book), str(out)], env=env)
    engine = sa.create_engine(store_url)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and child.poll() is None:
            try:
                with engine.connect() as conn:
                    if (conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar() or 0) >= 3:
                        break
            except sa.exc.DBAPIError:
                pass  # the tables are not there yet
            time.sleep(0.05)
        assert child.poll() is None, "the book was finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        chain = verify_chain(engine)
        kinds = {r["kind"] for r in iter_records(engine)}
        assert chain["ok"] and chain["records"] >= 3, chain
        assert kinds == {CHUNK_KIND}  # no run record: the file was never finished
        got = verify_output(out, engine=engine)
        assert not got["ok"] and got["run_seq"] is None
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        engine.dispose()
