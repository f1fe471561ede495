"""Property tests: damaged OFAC legacy CSV sets give a table or a DataError naming the file, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import DataError
from exportctl.sources.base import SourceTable
from exportctl.sources.ofac import parse_consolidated, parse_sdn

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ofac"
SDN = {p.name: p.read_bytes() for p in (FIX / "sdn-2021-07-cut").iterdir()}
CONS = {p.name: p.read_bytes() for p in (FIX / "cons-2025-12-cut").iterdir()}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(which: str, files: dict[str, bytes]) -> SourceTable | DataError:
    """Parse a set written to a temporary directory: a non-empty table, or a DataError naming a file in it."""
    parser = parse_sdn if which == "sdn" else parse_consolidated
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        try:
            table = parser(Path(tmp), date="2024-01-01")
        except DataError as err:
            assert err.file is not None and err.file.startswith(tmp)
            return err
        assert table.rows > 0
        assert table.records["entity_id"].n_unique() == table.rows
        assert table.records["name"].null_count() == 0
        return table


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, dict[str, bytes], str]:
    which = draw(st.sampled_from(["sdn", "cons"]))
    files = dict(SDN if which == "sdn" else CONS)
    name = draw(st.sampled_from(sorted(files)))
    raw = files[name]
    kind = draw(st.sampled_from(["truncate", "bytes", "encoding", "drop_column", "hostile", "delete"]))
    if kind == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif kind == "bytes":
        buf = bytearray(raw)
        for _ in range(draw(st.integers(1, 6))):
            buf[draw(st.integers(0, len(buf) - 1))] = draw(st.integers(0, 255))
        raw = bytes(buf)
    elif kind == "encoding":
        raw = raw.decode("utf-8").encode(draw(st.sampled_from(["utf-16", "utf-32", "utf-16-le"])))
    elif kind == "drop_column":
        col = draw(st.integers(0, 4))
        raw = b"\r\n".join(
            b",".join(x for i, x in enumerate(line.split(b",")) if i != col) for line in raw.split(b"\r\n")
        )
    elif kind == "hostile":
        lines = raw.split(b"\r\n")
        i = draw(st.integers(0, len(lines) - 1))
        cell = draw(st.text(max_size=30)).encode("utf-8")
        parts = lines[i].split(b",")
        parts[draw(st.integers(0, len(parts) - 1))] = cell
        lines[i] = b",".join(parts)
        raw = b"\r\n".join(lines)
    else:
        del files[name]
        return which, files, kind
    files[name] = raw
    return which, files, kind


@SETTINGS
@given(case=damaged())
def test_damaged_sets_never_crash(case: tuple[str, dict[str, bytes], str]) -> None:
    which, files, kind = case
    result = outcome(which, files)
    if kind == "encoding":
        assert isinstance(result, DataError)


@SETTINGS
@given(cut=st.integers(0, len(SDN["sdn.csv"]) - 1))
def test_truncated_primary(cut: int) -> None:
    files = dict(SDN)
    files["sdn.csv"] = SDN["sdn.csv"][:cut]
    result = outcome("sdn", files)
    if isinstance(result, SourceTable):
        assert result.rows <= 45


def test_empty_primary_is_an_error() -> None:
    for data in (b"", b"\x1a", b"\r\n\r\n\x1a"):
        assert isinstance(outcome("sdn", {**SDN, "sdn.csv": data}), DataError)


def test_missing_primary_is_an_error() -> None:
    files = {k: v for k, v in CONS.items() if k != "cons_prim.csv"}
    err = outcome("cons", files)
    assert isinstance(err, DataError) and "cons_prim.csv" in err.message
