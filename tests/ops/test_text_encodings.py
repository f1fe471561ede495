"""Text files in the encodings spreadsheets write: read the same as UTF-8, or refused naming the line.

Excel saves 'CSV' in the Windows code page (cp1252 in Western Europe), 'Unicode Text' in UTF-16 with a
byte-order mark and 'CSV UTF-8' with a UTF-8 mark. A file with a mark is read in the encoding the mark
names; a file in a code page is read when `encoding` says which; any other file that is not UTF-8 is
refused naming its first line that is not, never guessed (ops.files.text_encoding).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import InputError
from exportctl.ops.check_io import Book
from exportctl.ops.files import read_table

# cells as order books hold them: any character a name may carry, but no line breaks or NULs
CELL = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() == s and s != "")
ROWS = st.lists(st.tuples(CELL, CELL), min_size=1, max_size=6)
# the characters Windows-1252 can write (its five undefined bytes left out)
CP1252_CHARS = "".join(
    bytes([b]).decode("cp1252") for b in range(0x20, 0x100) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
)
CP1252_CELL = st.text(st.sampled_from(CP1252_CHARS), min_size=1, max_size=12).filter(lambda s: s.strip() == s)
CP1252_ROWS = st.lists(st.tuples(CP1252_CELL, CP1252_CELL), min_size=1, max_size=6)


def _csv(rows: list[tuple[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["name", "country"])
    writer.writerows(rows)
    return buf.getvalue()


def _expected(rows: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame({"name": [r[0] for r in rows], "country": [r[1] for r in rows]})


def _book(path: Path, encoding: str | None = None) -> pl.DataFrame:
    book = Book(path, encoding=encoding)
    try:
        return pl.concat(list(book.chunks(4)))
    finally:
        book.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_a_file_with_a_byte_order_mark_reads_as_utf8(
    tmp_path: Path, rows: list[tuple[str, str]], encoding: str
) -> None:
    path = tmp_path / "book.csv"
    path.write_bytes(_csv(rows).encode(encoding))
    assert read_table(path, "parties").equals(_expected(rows))
    assert _book(path).equals(_expected(rows))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=CP1252_ROWS)
def test_a_code_page_file_is_read_as_said_or_refused_naming_its_line(
    tmp_path: Path, rows: list[tuple[str, str]]
) -> None:
    path = tmp_path / "book.csv"
    data = _csv(rows).encode("cp1252")
    path.write_bytes(data)
    assert read_table(path, "parties", encoding="cp1252").equals(_expected(rows))
    assert _book(path, encoding="cp1252").equals(_expected(rows))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        # the first line holding a byte sequence UTF-8 cannot read
        bad_line = data.count(b"\n", 0, err.start) + 1
        with pytest.raises(InputError) as caught:
            read_table(path, "parties")
        assert caught.value.field == "parties" and caught.value.line == bad_line, caught.value
        assert "--encoding" in caught.value.message
        with pytest.raises(InputError) as caught:
            Book(path)
        assert caught.value.line == bad_line
    else:  # bytes that happen to be UTF-8 read as UTF-8: what the file says in that encoding
        assert read_table(path, "parties").equals(pl.read_csv(io.StringIO(text), infer_schema=False))


def test_a_bad_byte_far_into_a_large_file_is_found(tmp_path: Path) -> None:
    # past the first read chunk: the whole file is checked, and the line counted across chunks
    lines = [b"name,country"] + [b"Acme Trading Company Limited number %d,DE" % i for i in range(120_000)]
    lines[100_001] = "Müller GmbH,DE".encode("cp1252")
    path = tmp_path / "big.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert path.stat().st_size > 4 << 20
    with pytest.raises(InputError) as caught:
        read_table(path, "orders")
    assert caught.value.line == 100_002 and "Müller GmbH" in caught.value.message
    assert read_table(path, "orders", encoding="cp1252")["name"][100_000] == "Müller GmbH"


def test_an_unknown_encoding_is_refused_by_its_field(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text("name\nAcme\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path, "orders", encoding="klingon")
    assert caught.value.field == "encoding" and "cp1252" in caught.value.suggestions


def test_a_file_that_does_not_read_in_the_said_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_bytes("name\n華為\n".encode())
    with pytest.raises(InputError) as caught:
        read_table(path, "orders", encoding="ascii")
    assert caught.value.field == "orders" and "as ascii" in caught.value.message
