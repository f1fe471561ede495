"""Strict YAML: a file parsed to data and the node tree that locates each value, then validated.

YAML is composed to a node tree first, so that a pydantic error location (`effects.0.rate_pct`) can be
walked back to the node and its line. Values are validated in pydantic's strict mode: a quoted date,
a number where a list is expected or a date-time where a date is expected is an error, not a guess.
Duplicate mapping keys (which PyYAML would silently collapse), recursive aliases and aliases that expand
past MAX_NODES values are errors too. Measure, claim, scenario, vocabulary and golden files are read here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from exportctl.errors import RegistryError

__all__ = ["MAX_NODES", "LoadedFile", "load_yaml", "locate", "validate_loaded"]

M = TypeVar("M", bound=BaseModel)

# libyaml's loader when PyYAML was built with it (about ten times faster); marks are the same
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class LoadedFile:
    """A parsed YAML file: its data and the node tree that locates each value."""

    path: Path
    data: Any
    node: yaml.Node


def load_yaml(path: Path) -> LoadedFile:
    """Parse one YAML file to data plus node tree; YAML syntax errors and duplicate keys name the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RegistryError(f"cannot read: {err}", file=str(path)) from None
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RegistryError("empty file", file=str(path), line=1)
        _check_duplicates(node, path)
        if _expanded_size(node, {}) > MAX_NODES:  # "billion laughs": aliases of aliases
            raise RegistryError(
                f"YAML aliases expand to more than {MAX_NODES} values", file=str(path), line=1
            )
        try:
            data = loader.construct_document(node)
        except ValueError as err:  # PyYAML builds dates without marks: find the bad one
            bad = _bad_timestamp(node)
            raise RegistryError(
                f"not a date: {bad.value if bad else ''!r} ({err})",
                file=str(path),
                line=_line(bad) if bad else None,
            ) from None
    except RecursionError:  # nesting thousands deep: PyYAML's composer recurses per level
        raise RegistryError("YAML nested too deep", file=str(path), line=1) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise RegistryError(
            f"YAML syntax: {err.problem or err.context}",
            file=str(path),
            line=mark.line + 1 if mark else None,
        ) from None
    finally:
        loader.dispose()
    return LoadedFile(path, data, node)


def _bad_timestamp(node: yaml.Node) -> yaml.Node | None:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader("").construct_yaml_timestamp(node)
            except ValueError:
                return node
        return None
    children = (
        [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else list(node.value)
    )
    for child in children:
        found = _bad_timestamp(child)
        if found is not None:
            return found
    return None


MAX_NODES = 200_000  # the largest measure file has a few thousand


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values the document has once every alias is expanded (memoised: linear in the nodes)."""
    if id(node) not in memo:
        if isinstance(node, yaml.MappingNode):
            memo[id(node)] = 1 + sum(_expanded_size(v, memo) + 1 for _, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            memo[id(node)] = 1 + sum(_expanded_size(v, memo) for v in node.value)
        else:
            memo[id(node)] = 1
    return memo[id(node)]


def _check_duplicates(
    node: yaml.Node, path: Path, done: set[int] | None = None, open_: set[int] | None = None
) -> None:
    # Aliases share nodes: each node is walked once (nested aliases cannot blow up the walk), and an
    # alias to a node still open is a recursive structure, refused with its line.
    done = set() if done is None else done
    open_ = set() if open_ is None else open_
    if id(node) in open_:
        raise RegistryError("recursive YAML alias", file=str(path), line=_line(node))
    if id(node) in done or isinstance(node, yaml.ScalarNode):
        return
    open_.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                raise RegistryError(
                    f"duplicate key {name!r}", file=str(path), line=key.start_mark.line + 1, field=name
                )
            seen.add(name)
            _check_duplicates(value, path, done, open_)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item, path, done, open_)
    open_.discard(id(node))
    done.add(id(node))


def validate_loaded(
    model: type[M], loaded: LoadedFile, path: Path, context: dict[str, Any] | None = None
) -> M:
    """Validate parsed YAML against `model` strictly; the first error names file, line and field.

    `context` is pydantic's validation context (the vocabulary, for measure files)."""
    if not isinstance(loaded.data, dict):
        raise RegistryError(
            f"expected a mapping of {model.__name__} fields, got {type(loaded.data).__name__}",
            file=str(path),
            line=_line(loaded.node),
        )
    try:
        return model.model_validate(loaded.data, strict=True, context=context)
    except ValidationError as err:
        first = err.errors()[0]
        loc = _untagged(loaded.node, tuple(first["loc"]))
        _, line = locate(loaded.node, loc)
        dotted = ".".join(str(p) for p in loc) or None
        message = _message(first, loc)
        more = len(err.errors()) - 1
        if more:
            message += f" (and {more} more error{'s' if more > 1 else ''} in this file)"
        raise RegistryError(
            message, file=str(path), line=line, field=dotted, suggestions=_suggest(first)
        ) from None


def _suggest(error: Any) -> list[str]:
    """For a value outside a fixed list (status, authority, kind ...), the allowed values closest to it."""
    if error["type"] != "literal_error" or not isinstance(error.get("input"), str):
        return []
    allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
    return difflib.get_close_matches(error["input"], allowed, n=5, cutoff=0.5)


def _message(error: Any, loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key {loc[-1]!r}"
    if kind == "missing":
        return f"missing required key {loc[-1]!r}"
    if kind in ("date_type", "date_from_datetime_inexact", "date_from_datetime_parsing") or (
        kind.startswith("date") and isinstance(error.get("input"), str | dt.datetime)
    ):
        return f"not a date: {error.get('input')!r} (write an unquoted YYYY-MM-DD)"
    if kind == "literal_error":
        return f"{error['msg']}, got {error.get('input')!r}"
    return f"{error['msg']} (got {error.get('input')!r})" if "input" in error else str(error["msg"])


def _untagged(node: yaml.Node, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A pydantic location without the tags of discriminated unions: ('effects', 0, 'tariff', 'rate_pct')
    names the effect whose `kind` is 'tariff'; the file has no key 'tariff', so it is dropped."""
    out: list[Any] = []
    current: yaml.Node | None = node
    tagged: yaml.Node | None = None  # the mapping whose tag was dropped (a tag comes once, first)
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            keys = {str(k.value): v for k, v in current.value}
            kind = keys.get("kind")
            if tagged is not current and isinstance(kind, yaml.ScalarNode) and str(kind.value) == str(part):
                tagged = current
                continue
            current = keys.get(str(part))
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and part < len(current.value):
            current = current.value[part]
        else:
            current = None
        out.append(part)
    return tuple(out)


def locate(node: yaml.Node, loc: Sequence[Any]) -> tuple[yaml.Node, int | None]:
    """Walk a pydantic error location through the YAML node tree; return the deepest node and its line."""
    current = node
    line = _line(node)
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if str(key.value) == str(part):
                    # for an unknown key the key's own line is the one to show
                    nxt, line = value, key.start_mark.line + 1
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and part < len(current.value):
            nxt = current.value[part]
            line = _line(nxt)
        if nxt is None:
            break
        current = nxt
    return current, line


def _line(node: yaml.Node | None) -> int | None:
    if node is None or node.start_mark is None:
        return None
    return int(node.start_mark.line) + 1
