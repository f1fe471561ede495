"""Validation of a new data version before it may become active.

Per source, against the source of the same name in the currently active version:

1. schema: the records carry `src_file` and `src_line`, and every column the table's specification
   requires (`required_columns`); a column the active version had must not disappear;
2. not empty: a source with no rows is refused (fail closed: an empty list screens nothing);
3. row counts: a source that shrinks by more than 10% against the active version is refused.

`force=True` waives the checks against the active version (3 and the lost-column part of 1), never
the schema or emptiness checks: those describe a broken file, not a surprising one.
"""

from __future__ import annotations

from collections.abc import Iterable

from exportctl.errors import ValidationFailed
from exportctl.sources.catalog import schema_of
from exportctl.store.dataset import SourceInfo

__all__ = ["MAX_SHRINK", "check_version", "required_columns"]

MAX_SHRINK = 0.10

# Columns every table of records must carry (see sources/base.py).
ALWAYS = ("src_file", "src_line")


def required_columns(name: str) -> tuple[str, ...]:
    """The columns a table must have: src_file, src_line and its parser's schema (sources.catalog)."""
    try:
        spec = tuple(str(c) for c in schema_of(name))
    except KeyError:  # a table no parser declares (tests, local additions): the generic checks only
        spec = ()
    return tuple(dict.fromkeys((*ALWAYS, *spec)))


def _problems(new: SourceInfo, active: SourceInfo | None, force: bool) -> list[tuple[str, str]]:
    """(field, message) pairs; the field is "<source>.columns" or "<source>.rows"."""
    problems: list[tuple[str, str]] = []
    have = {c for c, _ in new.columns}
    where = f"source {new.name!r}"
    missing = [c for c in required_columns(new.name) if c not in have]
    if missing:
        problems.append((f"{new.name}.columns", f"{where}: missing column(s) {', '.join(missing)}"))
    if new.rows == 0:
        problems.append((f"{new.name}.rows", f"{where}: no rows"))
    if active is None or force:
        return problems
    lost = [c for c, _ in active.columns if c not in have]
    if lost:
        problems.append(
            (
                f"{new.name}.columns",
                f"{where}: column(s) {', '.join(lost)} of the active version are gone (use --force)",
            )
        )
    if active.rows and new.rows < active.rows * (1 - MAX_SHRINK):
        shrink = 1 - new.rows / active.rows
        problems.append(
            (
                f"{new.name}.rows",
                f"{where}: {new.rows} rows against {active.rows} in the active version "
                f"({shrink:.1%} fewer, more than {MAX_SHRINK:.0%}; use --force)",
            )
        )
    return problems


def check_source(new: SourceInfo, active: SourceInfo | None, *, force: bool = False) -> list[str]:
    """Problems that forbid activating `new` (empty when it may be activated)."""
    return [message for _, message in _problems(new, active, force)]


def check_version(
    new: Iterable[SourceInfo], active: Iterable[SourceInfo] = (), *, force: bool = False
) -> None:
    """Raise ValidationFailed naming the first source and field at fault (all problems in the message)."""
    before = {s.name: s for s in active}
    problems: list[tuple[str, str]] = []
    for info in new:
        problems.extend(_problems(info, before.get(info.name), force))
    if problems:
        raise ValidationFailed("; ".join(m for _, m in problems), field=problems[0][0])
