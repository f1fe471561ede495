"""Hypothesis fuzzing of the HTS parsers: truncation, encodings, missing columns/keys, hostile values.

Acceptable outcomes: a DataError naming the file, or a non-empty table whose rows name their source.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import DataError
from exportctl.sources.hts import CSV_HEADER, parse_hts_csv, parse_hts_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hts"
CHAPTER = FIXTURES / "json" / "1.json"
CSV = FIXTURES / "hts_2024_sample.csv"
DATE = "2025-01-01"
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

hostile = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=40),
    st.sampled_from(
        ["", "\x00", "\x07", "8401.10.00.00.00", "99", "-1", "1e9", "Free" * 20_000, "[", '["kg"']
    )
    | st.lists(st.text(max_size=5), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


def _json_outcome(path: Path) -> None:
    try:
        table = parse_hts_json(path, date=DATE)
    except DataError as err:
        assert err.file == path.name
        return
    assert table.rows > 0 and table.records["src_line"].null_count() == 0


def _csv_outcome(path: Path) -> int | None:
    try:
        table = parse_hts_csv(path, date=DATE)
    except DataError as err:
        assert err.file == path.name and (err.line is not None or err.message == "empty file")
        return None
    assert table.rows > 0 and table.records["src_line"].null_count() == 0
    return table.rows


@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=0.999))
def test_json_truncated(cut: float, tmp_path: Path) -> None:
    data = CHAPTER.read_bytes().rstrip()
    path = tmp_path / "1.json"
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(DataError):
        parse_hts_json(path, date=DATE)


@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=0.999))
def test_csv_truncated(cut: float, tmp_path: Path) -> None:
    data = CSV.read_bytes().rstrip()
    path = tmp_path / "hts.csv"
    path.write_bytes(data[: int(len(data) * cut)])
    rows = _csv_outcome(path)
    assert rows is None or rows < 85  # a cut at a record boundary is a shorter, still valid file


@pytest.mark.parametrize("source", [CHAPTER, CSV])
@FUZZ
@given(
    position=st.floats(min_value=0.0, max_value=0.999), bad=st.sampled_from([b"\xff", b"\xc3", b"\x80\x80"])
)
def test_invalid_utf8(source: Path, position: float, bad: bytes, tmp_path: Path) -> None:
    data = source.read_bytes()
    at = int(len(data) * position)
    path = tmp_path / source.name
    path.write_bytes(data[:at] + bad + data[at:])
    parse = parse_hts_json if source.suffix == ".json" else parse_hts_csv
    with pytest.raises(DataError) as info:
        parse(path, date=DATE)
    assert info.value.line is not None


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_wrong_encoding(encoding: str, tmp_path: Path) -> None:
    for source, parse in ((CHAPTER, parse_hts_json), (CSV, parse_hts_csv)):
        path = tmp_path / source.name
        path.write_bytes(source.read_text("utf-8-sig").encode(encoding, errors="replace"))
        with pytest.raises(DataError):
            parse(path, date=DATE)


@FUZZ
@given(data=st.data())
def test_json_missing_keys_and_hostile_values(data: st.DataObject, tmp_path: Path) -> None:
    rows = json.loads(CHAPTER.read_text("utf-8"))
    index = data.draw(st.integers(0, len(rows) - 1))
    record = copy.deepcopy(rows[index])
    key = data.draw(st.sampled_from(sorted(record)))
    if data.draw(st.booleans()):
        del record[key]
    else:
        record[key] = data.draw(hostile)
    rows[index] = record
    path = tmp_path / "1.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    _json_outcome(path)


@FUZZ
@given(data=st.data())
def test_csv_missing_columns_and_hostile_values(data: st.DataObject, tmp_path: Path) -> None:
    records = list(csv.reader(io.StringIO(CSV.read_text("utf-8-sig"))))
    kind = data.draw(st.sampled_from(["drop_column", "cell", "drop_field", "extra_field"]))
    column = data.draw(st.integers(0, len(CSV_HEADER) - 1))
    row = data.draw(st.integers(1, len(records) - 1))
    if kind == "drop_column":
        records = [r[:column] + r[column + 1 :] for r in records]
    elif kind == "cell":
        value = data.draw(hostile)
        records[row][column] = value if isinstance(value, str) else json.dumps(value)
    elif kind == "drop_field":
        del records[row][column]
    else:
        records[row].append("extra")
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(records)
    path = tmp_path / "hts.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    rows = _csv_outcome(path)
    if kind in ("drop_column", "drop_field", "extra_field"):
        assert rows is None


def test_hostile_structures(tmp_path: Path) -> None:
    path = tmp_path / "1.json"
    for content in ("[" * 100_000, "[" * 50_000 + "]" * 50_000, "[null]", '[{"htsno": []}]', "NaN", "[1, 2]"):
        path.write_text(content, "utf-8")
        with pytest.raises(DataError):
            parse_hts_json(path, date=DATE)
    csv_path = tmp_path / "hts.csv"
    csv_path.write_text(
        ",".join(CSV_HEADER) + '\n"0101","0","' + "x" * 200_000 + '","","","","","",""\n', "utf-8"
    )
    with pytest.raises(DataError):
        parse_hts_csv(csv_path, date=DATE)
    csv_path.write_text(",".join(CSV_HEADER) + '\n"0101","0","a\x00b","","","","","",""\n', "utf-8")
    with pytest.raises(DataError):
        parse_hts_csv(csv_path, date=DATE)
