"""Hypothesis fuzzing of the eCFR parsers: truncated files, wrong encodings, missing keys, hostile values.

The only acceptable outcomes are a DataError naming the file, or a non-empty table whose rows all name
their source; never another exception, never a silently empty table.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.errors import DataError
from exportctl.sources.base import SourceTable
from exportctl.sources.ecfr import (
    parse_ccl,
    parse_country_chart,
    parse_country_groups,
    parse_license_exceptions,
)
from exportctl.sources.ecfr_xml import parse_country_chart_xml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ecfr"
PARSERS: dict[str, Callable[[Path], SourceTable]] = {
    "ccl_sample.json": parse_ccl,
    "country_chart_sample.json": parse_country_chart,
    "country_groups_sample.json": parse_country_groups,
    "license_exception_catalog.json": parse_license_exceptions,
    "part738_supp1_sample.xml": lambda p: parse_country_chart_xml(p, date="2026-07-23"),
}
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=50)
    | st.sampled_from(["", "X", "\x00", "\x1b[31m", "NS Column 9", "3A0900", "A" * 200_000, "China\u202e"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _outcome(parse: Callable[[Path], SourceTable], path: Path) -> None:
    try:
        table = parse(path)
    except DataError as err:
        assert err.file == path.name
        assert err.one_line()
        return
    assert table.rows > 0
    assert table.records["src_file"].null_count() == 0 and table.records["src_line"].null_count() == 0


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


def _mutate(doc: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    doc = copy.deepcopy(doc)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    else:
        parent[last] = value
    return doc


@pytest.mark.parametrize("name", list(PARSERS))
@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=0.999))
def test_truncated(name: str, cut: float, tmp_path: Path) -> None:
    data = (FIXTURES / name).read_bytes().rstrip()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(DataError) as info:
        PARSERS[name](path)
    assert info.value.file == name


@pytest.mark.parametrize("name", list(PARSERS))
@FUZZ
@given(
    position=st.floats(min_value=0.0, max_value=0.999),
    junk_bytes=st.sampled_from([b"\xff", b"\xc3", b"\xe9t\xe9"]),
)
def test_invalid_utf8(name: str, position: float, junk_bytes: bytes, tmp_path: Path) -> None:
    data = (FIXTURES / name).read_bytes()
    at = int(len(data) * position)
    path = tmp_path / name
    path.write_bytes(data[:at] + junk_bytes + data[at:])
    with pytest.raises(DataError) as info:
        PARSERS[name](path)
    assert info.value.line is not None


@pytest.mark.parametrize("name", list(PARSERS))
@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1252"])
def test_wrong_encodings(name: str, encoding: str, tmp_path: Path) -> None:
    text = (FIXTURES / name).read_text("utf-8")
    path = tmp_path / name
    path.write_bytes(text.encode(encoding, errors="replace"))
    if encoding != "utf-16" and text.isascii():
        pytest.skip("an ASCII file reads the same in every ASCII-compatible encoding")
    with pytest.raises(DataError):
        PARSERS[name](path)


@pytest.mark.parametrize("name", [n for n in PARSERS if n.endswith(".json")])
@FUZZ
@given(data=st.data())
def test_missing_keys_and_hostile_values(name: str, data: st.DataObject, tmp_path: Path) -> None:
    doc = json.loads((FIXTURES / name).read_text("utf-8"))
    paths = _paths(doc)
    path = data.draw(st.sampled_from(paths))
    action = data.draw(st.sampled_from(["delete", "replace"]))
    value = data.draw(junk) if action == "replace" else None
    target = tmp_path / name
    target.write_text(json.dumps(_mutate(doc, path, action, value), ensure_ascii=False), "utf-8")
    _outcome(PARSERS[name], target)


@FUZZ
@given(
    position=st.floats(min_value=0.0, max_value=0.999),
    insert=st.sampled_from(["<", "&", "</TR>", "<TD>X</TD>", "<sup>99</sup>", "<TR>", "]]>", "\x01", "&#0;"]),
)
def test_xml_hostile_edits(position: float, insert: str, tmp_path: Path) -> None:
    text = (FIXTURES / "part738_supp1_sample.xml").read_text("utf-8")
    at = int(len(text) * position)
    path = tmp_path / "chart.xml"
    path.write_text(text[:at] + insert + text[at:], "utf-8")
    _outcome(PARSERS["part738_supp1_sample.xml"], path)


@pytest.mark.parametrize("name", list(PARSERS))
def test_deeply_nested_and_empty(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    nested = "<a>" * 100_000 + "</a>" * 100_000 if name.endswith(".xml") else "[" * 100_000 + "]" * 100_000
    for content in (nested, "", "null", "{}", "[]", "<DIV9/>"):
        path.write_text(content, "utf-8")
        with pytest.raises(DataError):
            PARSERS[name](path)
