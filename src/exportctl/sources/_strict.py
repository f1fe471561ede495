"""Strict reading of source files: text, JSON and typed field access that fail with a DataError.

Shared by the eCFR and HTS parsers. Every failure names the file, the line (or record index) and the
field, never a bare KeyError/TypeError/UnicodeDecodeError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from exportctl.errors import DataError

T = TypeVar("T")

# Far above any official file we parse (the CCL JSON is ~1.2 MB); refusing larger input bounds memory.
MAX_BYTES = 256 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TYPE_NAMES = {str: "text", int: "an integer", list: "a list", dict: "an object", bool: "true/false"}


def read_text(path: Path) -> str:
    """The file's text, UTF-8 (a BOM is dropped); DataError for a missing, empty, huge or non-UTF-8 file."""
    name = path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DataError(f"file larger than {MAX_BYTES} bytes", file=name)
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"cannot read file: {err.strerror or err}", file=name) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DataError(f"not UTF-8 text (byte {err.start}: {err.reason})", file=name, line=line) from None
    if not text.strip():
        raise DataError("empty file", file=name)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError("NUL character in text file", file=name, line=line)
    return text


def load_json(path: Path) -> Any:
    """Parse a JSON file strictly (no NaN/Infinity); DataError with the line of the syntax error."""
    text = read_text(path)

    def no_constants(value: str) -> Any:
        raise ValueError(f"{value} is not JSON")

    try:
        return json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as err:
        raise DataError(f"invalid JSON: {err.msg}", file=path.name, line=err.lineno) from None
    except ValueError as err:
        raise DataError(f"invalid JSON: {err}", file=path.name) from None
    except RecursionError:
        raise DataError("invalid JSON: nested too deeply", file=path.name) from None


class Record:
    """Typed access to one JSON object of a source file, failing with file, line and field."""

    def __init__(self, value: object, file: str, line: int | None, field: str) -> None:
        if not isinstance(value, Mapping):
            raise DataError(f"expected an object, got {_kind(value)}", file=file, line=line, field=field)
        self.value: Mapping[str, Any] = value
        self.file = file
        self.line = line
        self.field = field

    def _path(self, key: str) -> str:
        return f"{self.field}.{key}" if self.field else key

    def error(self, message: str, key: str | None = None) -> DataError:
        """A DataError about this record (or one of its keys)."""
        field = self._path(key) if key else self.field
        return DataError(message, file=self.file, line=self.line, field=field or None)

    def get(self, key: str, kind: type[T], *, required: bool = True, nullable: bool = False) -> T | None:
        """The value of `key`, checked to be of `kind`; None only when allowed."""
        if key not in self.value:
            if required:
                raise self.error("missing key", key)
            return None
        value = self.value[key]
        if value is None:
            if nullable or not required:
                return None
            raise self.error(f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, got null", key)
        # bool is an int in Python; a JSON true where a count belongs is still wrong.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, got {_kind(value)}", key)
        return value

    def text(
        self, key: str, *, required: bool = True, nullable: bool = False, max_len: int = 100_000
    ) -> str | None:
        """A text value, bounded in length and free of control characters other than tab and newline."""
        value = self.get(key, str, required=required, nullable=nullable)
        if value is not None:
            check_text(value, self.file, self.line, self._path(key), max_len)
        return value

    def req_text(self, key: str, max_len: int = 100_000) -> str:
        """A required, non-null text value."""
        value = self.text(key, max_len=max_len)
        assert value is not None
        return value

    def str_list(self, key: str, *, required: bool = True, max_len: int = 100_000) -> list[str]:
        """A list of text values (missing optional key -> [])."""
        value = self.get(key, list, required=required)
        if value is None:
            return []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(f"expected text, got {_kind(item)}", f"{key}[{i}]")
            check_text(item, self.file, self.line, self._path(f"{key}[{i}]"), max_len)
        return list(value)

    def child(self, key: str, *, required: bool = True) -> Record | None:
        """A nested object as a Record."""
        value = self.get(key, dict, required=required, nullable=not required)
        return None if value is None else Record(value, self.file, self.line, self._path(key))


def attribution(path: Path) -> str:
    """The SOURCE.txt beside a snapshot (licence and origin), or '' when there is none or it is unreadable."""
    folder = path if path.is_dir() else path.parent
    try:
        return (folder / "SOURCE.txt").read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def check_text(value: str, file: str, line: int | None, field: str, max_len: int = 100_000) -> None:
    """Refuse text that is too long or carries control characters (a sign of a corrupt or hostile file)."""
    if len(value) > max_len:
        raise DataError(f"text longer than {max_len} characters", file=file, line=line, field=field)
    bad = _CONTROL.search(value)
    if bad:
        raise DataError(f"control character {bad.group()!r} in text", file=file, line=line, field=field)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)
