"""Property tests: no input makes a CSL parser crash, hang or return an empty table silently."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import DataError
from exportctl.sources.base import SourceTable
from exportctl.sources.csl import parse_csl_compact, parse_csl_csv, parse_csl_json

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "csl"
COMPACT = (FIX / "screening-list-cut.json").read_bytes()
BULK = (FIX / "consolidated-bulk.json").read_bytes()
CSV19 = (FIX / "csl_2019_sample.csv").read_bytes()
CSV25 = (FIX / "csl_2025_sample_consolidated.csv").read_bytes()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Parser = Callable[[Path], SourceTable]
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=50),
    st.text(alphabet="\x00\x01\x1a\r\n\t\"';,{}[]\\", max_size=30),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=10)), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.just("A" * 5_000),
)


def outcome(parser: Parser, data: bytes, name: str) -> SourceTable | DataError:
    """Run the parser on `data`: it must return a non-empty table or raise DataError naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            table = parser(path)
        except DataError as err:
            assert err.file == str(path)
            assert err.message
            return err
        assert table.rows > 0
        assert table.records["name"].null_count() == 0
        assert table.records["entity_id"].null_count() == 0
        return table


@SETTINGS
@given(cut=st.integers(min_value=0, max_value=len(COMPACT) - 2))
def test_compact_truncated_is_an_error(cut: int) -> None:
    assert isinstance(outcome(parse_csl_compact, COMPACT[:cut], "x.json"), DataError)


@SETTINGS
@given(cut=st.integers(min_value=0, max_value=len(BULK) - 2))
def test_bulk_truncated_never_crashes(cut: int) -> None:
    assert isinstance(outcome(parse_csl_json, BULK[:cut], "x.json"), DataError)


@SETTINGS
@given(data=st.data(), which=st.sampled_from(["19", "25"]))
def test_csv_truncated_never_crashes(data: st.DataObject, which: str) -> None:
    raw = CSV19 if which == "19" else CSV25
    cut = data.draw(st.integers(min_value=0, max_value=len(raw)))
    outcome(parse_csl_csv, raw[:cut], "x.csv")


@SETTINGS
@given(
    which=st.sampled_from(["compact", "bulk", "csv19", "csv25"]),
    encoding=st.sampled_from(["utf-16", "utf-32", "cp1252", "latin-1", "utf-8-sig"]),
)
def test_other_encodings(which: str, encoding: str) -> None:
    raw, parser, name = {
        "compact": (COMPACT, parse_csl_compact, "x.json"),
        "bulk": (BULK, parse_csl_json, "x.json"),
        "csv19": (CSV19, parse_csl_csv, "x.csv"),
        "csv25": (CSV25, parse_csl_csv, "x.csv"),
    }[which]
    data = raw.decode("utf-8").encode(encoding, errors="replace")
    result = outcome(parser, data, name)
    if encoding in ("utf-16", "utf-32"):
        assert isinstance(result, DataError)


@SETTINGS
@given(data=st.data(), which=st.sampled_from(["compact", "bulk", "csv19", "csv25"]))
def test_random_byte_damage(data: st.DataObject, which: str) -> None:
    raw, parser, name = {
        "compact": (COMPACT, parse_csl_compact, "x.json"),
        "bulk": (BULK, parse_csl_json, "x.json"),
        "csv19": (CSV19, parse_csl_csv, "x.csv"),
        "csv25": (CSV25, parse_csl_csv, "x.csv"),
    }[which]
    buf = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(buf) - 1))
        buf[pos] = data.draw(st.integers(0, 255))
    outcome(parser, bytes(buf), name)


@SETTINGS
@given(data=st.data(), which=st.sampled_from(["compact", "bulk"]))
def test_json_hostile_values(data: st.DataObject, which: str) -> None:
    doc: dict[str, Any] = json.loads(COMPACT if which == "compact" else BULK)
    key = "entries" if which == "compact" else "results"
    records = doc[key]
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(records) - 1))
        rec = records[i]
        if not isinstance(rec, dict):
            continue
        action = data.draw(st.sampled_from(["set", "drop", "replace"]))
        field = data.draw(st.sampled_from([*sorted(rec), "n", "name", "c", "addresses"]))
        if action == "set":
            rec[field] = data.draw(HOSTILE)
        elif action == "drop":
            rec.pop(field, None)
        else:
            records[i] = data.draw(HOSTILE)
    if data.draw(st.booleans()):
        doc[data.draw(st.sampled_from(sorted(doc)))] = data.draw(HOSTILE)
    parser = parse_csl_compact if which == "compact" else parse_csl_json
    outcome(parser, json.dumps(doc).encode(), "x.json")


@SETTINGS
@given(data=st.data(), which=st.sampled_from(["csv19", "csv25"]))
def test_csv_missing_columns_and_hostile_cells(data: st.DataObject, which: str) -> None:
    import csv
    import io

    raw = (CSV19 if which == "csv19" else CSV25).decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    drop = data.draw(st.one_of(st.none(), st.integers(0, len(rows[0]) - 1)))
    dropped = rows[0][drop] if drop is not None else None
    if drop is not None:
        rows = [r[:drop] + r[drop + 1 :] for r in rows]
    for _ in range(data.draw(st.integers(0, 5))):
        r = data.draw(st.integers(1, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(st.text(max_size=40))
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    result = outcome(parse_csl_csv, out.getvalue().encode("utf-8"), "x.csv")
    if dropped in ("source", "name"):
        assert isinstance(result, DataError)


def test_empty_and_blank_files_are_errors() -> None:
    for parser, name in ((parse_csl_compact, "x.json"), (parse_csl_json, "x.json"), (parse_csl_csv, "x.csv")):
        for data in (b"", b"  \n\r\n", b"\xef\xbb\xbf"):
            assert isinstance(outcome(parser, data, name), DataError)


def test_header_only_csv_is_an_error() -> None:
    header = CSV25.split(b"\n", 1)[0] + b"\n"
    err = outcome(parse_csl_csv, header, "x.csv")
    assert isinstance(err, DataError)
    assert "no screening list entries" in err.message


def test_missing_file_is_an_error() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for parser in (parse_csl_compact, parse_csl_json, parse_csl_csv):
            try:
                parser(Path(tmp) / "nope.json")
            except DataError as err:
                assert "not found" in err.message
            else:
                raise AssertionError("no error")
