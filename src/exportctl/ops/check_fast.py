"""One plain question answered in plain Python around the engine: what `check_table` gives for a one-row
book, without the columnar plan's ~450 collects of a one-row frame.

A plain question is a US export of an ECCN or a product (or both) to a destination on a day (optionally
known on a day, with an end use or a value in dollars), naming no party, without a scenario. Its fields are
read as `check_input.canonical` and `resolve` read them (the same functions on the one value: country_code,
eccn_value, parse_book_date, end_use_value, amount; a destination's and an ECCN's reading kept per text),
its regime compiled as check_table compiles it (compile_regime, kept by the registry), its key's work taken
from the engine's one-row key path (`engine.ear.one_key` on `key_fixed`, what a question naming no party
reads of Fixed; where that declines, the plan's `keyed` and `_key_work` on the one key, kept per Fixed as
determine keeps it), its verdict row made by `engine.ear.one_finish.finish_one`, and the row framed as
check_table frames it (regime id, as_of, known_on, the parties-not-screened note, data and engine versions,
stable_order's content order). Anything it is not sure of returns None, and the caller runs the plan.
tests/ops/test_check_fast.py holds its answers equal to check_table's.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Hashable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import polars as pl

from exportctl.engine.ear import checks as chk
from exportctl.engine.ear.one_finish import NO_PARTY, finish_one
from exportctl.errors import ExportctlError
from exportctl.ops.amounts import amount
from exportctl.ops.check_answer import STEP_ORDER
from exportctl.ops.check_dates import column_order, parse_book_date
from exportctl.ops.check_input import INTERNAL, ROLES, country_code, eccn_value, end_use_value, exporting_code
from exportctl.ops.check_parties import placement_of, unscreened_reason

if TYPE_CHECKING:
    from exportctl.ops.check import Context

__all__ = ["PLAIN_FIELDS", "Plain", "answer_plain", "plain_question"]

# the fields of a plain question's row (ops.check_input.transaction_row), parties aside
PLAIN_FIELDS = frozenset(
    {"exporting_country", "eccn", "product", "destination", "end_use", "value", "as_of", "known_on"}
)
_EMPTY = ("description", "hts", "currency")


def _cell(value: Any) -> str | bool | None:
    """A text cell as canonical reads it (stripped, blank is missing); False when unsure (not text, or
    space at its ends that polars and Python might strip differently)."""
    if value is None:
        return None
    if not isinstance(value, str) or value != value.strip():
        return False
    return value or None


_SOURCES: dict[tuple[str, ...], dict[str, str] | None] = {}


def _sources(columns: tuple[str, ...]) -> dict[str, str] | None:
    """{engine column: header} as check_table places the row's columns, or None when a note in a header
    (a currency, a date format) or an unexpected place would change how the row is read."""
    if columns not in _SOURCES:
        try:
            placement = placement_of(pl.DataFrame(schema=dict.fromkeys(columns, pl.Utf8)))
        except ExportctlError:
            placement = None
        ok = placement is not None and placement.currency is None and not placement.date_formats
        src = {INTERNAL.get(f, f): h for f, h in placement.fields.items()} if ok and placement else {}
        expected = {INTERNAL.get(c, c): c for c in columns if c not in ROLES}
        roles = {r: r for r in columns if r in ROLES}
        _SOURCES[columns] = src if ok and src == {**expected, **roles} else None
    return _SOURCES[columns]


class Plain(NamedTuple):
    """A plain question as resolve reads it."""

    eccn: str | None  # None: the item is named by its product alone
    destination: str
    as_of: dt.date
    known_on: dt.date | None
    end_use: str | None
    value: float | None
    product: str | None = None  # canonical's product (the cell stripped; blank is none)


def plain_question(ctx: Context, row: Mapping[str, Any], known_on: dt.date | None) -> Plain | None:
    """The question as resolve reads it, or None when the row is not a plain one (or not surely one, or
    has an input error: the plan then names it)."""
    if not set(row) <= PLAIN_FIELDS | set(ROLES):
        return None
    src = _sources(tuple(row))
    if src is None:
        return None
    read = {name: _cell(row[header]) for name, header in src.items()}
    if any(c is False for c in read.values()):
        return None
    cells = {name: c for name, c in read.items() if isinstance(c, str)}
    if any(cells.get(r) is not None for r in ROLES) or any(cells.get(f) is not None for f in _EMPTY):
        return None
    exporting, eccn, dest, day, known, use, value, product = (
        cells.get(f)
        for f in ("exporting", "item", "destination", "as_of", "known_on", "end_use", "value", "product")
    )
    if (eccn is None and product is None) or not isinstance(dest, str) or not isinstance(day, str):
        return None
    try:
        if exporting is not None and exporting_code(exporting) != "US":
            return None
        amount_: tuple[float, str | None] | None = amount(value) if value is not None else None
        if amount_ is not None and amount_[1] is not None:
            return None  # a value in another currency holds, naming it (resolve)
        return Plain(
            _eccn(ctx, eccn) if eccn is not None else None,
            _destination(dest),
            parse_book_date(day, "as_of", None, column_order([day])),
            parse_book_date(known, "known_on", None, column_order([known])) if known else known_on,
            end_use_value(use) if use is not None else None,
            None if amount_ is None else float(amount_[0]),
            product,
        )
    except ExportctlError:
        return None


@lru_cache(maxsize=4096)
def _destination(text: str) -> str:
    """country_code of a destination cell, once per text (a pure function of it; errors are not kept)."""
    return country_code(text, field="destination")


# (tables, its ECCNs, {cell: eccn_value of it}) of the last tables object read
_ECCNS: list[tuple[object, set[str], dict[str, str]]] = []


def _eccn(ctx: Context, text: str) -> str:
    """eccn_value of an ECCN cell against the EAR tables' ECCNs (check_table's `ctx.tables.eccn_set()`),
    read once per tables object and cell (errors are not kept)."""
    tables = ctx.tables
    kept = next((k for k in _ECCNS if k[0] is tables), None)
    if kept is None:
        kept = (tables, tables.eccn_set(), {})
        _ECCNS[:] = [kept]
    found = kept[2].get(text)
    if found is None:
        found = eccn_value(text, kept[1])
        if len(kept[2]) < 8192:
            kept[2][text] = found
    return found


def answer_plain(ctx: Context, row: Mapping[str, Any], known_on: dt.date | None) -> dict[str, Any] | None:
    """The RESULT_COLUMNS row check_table gives for the one-row book `row` (text cells) on `ctx`, with
    `known_on` filling a row without one; None when `row` is not a plain question (the plan answers)."""
    from exportctl.engine.ear.determine import ENGINE_VERSION
    from exportctl.registry import compile_regime

    question = plain_question(ctx, row, known_on)
    if question is None:
        return None
    regime = compile_regime(ctx.registry, question.as_of, question.known_on, None)
    key, key_reasons, kchecks, fixed = _key_work(ctx, regime, question)
    done = finish_one(
        key,
        key_reasons,
        kchecks,
        value=question.value,
        pfacts=NO_PARTY,
        lists_what=fixed.lists_what,
        dpl_what=fixed.dpl_what,
        order=chk.US_ORDER,
        sections=ctx.tables.exception_sections,
    )
    return {
        "verdict": done["verdict"],
        "license_required": done["license_required"],
        "parties_screened": False,
        "reasons": sorted([*done["reasons"], unscreened_reason()], key=_reason_order),
        "review_policy": _policies(done["review_policy"]),
        "exceptions": done["exceptions"],
        "screening": None,
        "checks": done["checks"],
        "as_of": question.as_of,
        "known_on": question.known_on,
        "data_version": ctx.version,
        "engine_version": ENGINE_VERSION,
        "regime": regime.id,
        "error": None,
    }


_RANK = {s: i for i, s in enumerate(STEP_ORDER)}
_TEXTS = ("code", "measure", "column", "effect", "text", "citation", "review_policy", "url")


def _reason_order(r: Mapping[str, Any]) -> tuple[Any, ...]:
    """stable_order's order of reasons: the step's rank in STEP_ORDER, then every text field."""
    return (_RANK.get(r.get("step"), len(STEP_ORDER)), *(r.get(f) or "" for f in _TEXTS))  # type: ignore[arg-type]


def _policies(policy: str | None) -> str | None:
    """stable_order's review policy: the parts sorted without case, without repeats."""
    if policy is None:
        return None
    parts = sorted((p.strip() for p in policy.split("; ") if p.strip()), key=str.lower)
    seen: set[str] = set()
    kept = [p for p in parts if not (p.lower() in seen or seen.add(p.lower()))]  # type: ignore[func-returns-value]
    return "; ".join(kept) or None


def _key_work(
    ctx: Context, regime: Any, q: Plain
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any], Any]:
    """(the keys row, the key reasons, the key checks, what names the lists) of the question's one key:
    from the one-row key path on what a no-party question reads of Fixed (engine.ear.one_key.key_fixed),
    else as determine makes them (its Fixed, its memo of one key's work)."""
    from exportctl.engine.ear.one_key import key_fixed, key_one, key_work_one

    regimes = {0: regime}
    tables, csl = ctx.tables, ctx.table("csl")
    fixed: Any = key_fixed(regimes, tables, csl, ctx.version)
    tx = {
        "row": 1, "eccn": q.eccn, "product": q.product, "destination": q.destination, "as_of": q.as_of,
        "end_use": q.end_use, "rkey": 0, "exporting": "US",
    }  # fmt: skip
    key = key_one(tx, regime, fixed, tables)
    work = key_work_one(key, fixed, tables, regime) if key is not None else None
    if work is not None:
        return work[0], work[1], work[2], fixed
    fixed = sys.modules["exportctl.engine.ear.determine"]._fixed(regimes, tables, csl, ctx.version)
    return (*_planned_key_work(tx, regimes, fixed, tables), fixed)


def _planned_key_work(
    tx: dict[str, Any], regimes: dict[int, Any], fixed: Any, tables: Any
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """The plan's key work (keyed, determine._key_work kept per Fixed) on the one key, as dicts."""
    from exportctl.engine.common.keying import keyed
    from exportctl.engine.ear import exceptions as le_flags
    from exportctl.engine.ear.groups import destination_facts

    determine = sys.modules["exportctl.engine.ear.determine"]
    frame = pl.DataFrame(
        [tx],
        schema={
            "row": pl.Int64, "eccn": pl.Utf8, "product": pl.Utf8, "destination": pl.Utf8, "as_of": pl.Date,
            "end_use": pl.Utf8, "rkey": pl.Int64, "exporting": pl.Utf8,
        },
    )  # fmt: skip
    keys, _ = keyed(
        determine.prepare(frame),
        regimes,
        lambda d: destination_facts(d, tables, fixed.dated).with_columns(*le_flags.destination_flags()),
    )
    memo_key: Hashable = (repr(keys.schema), repr(keys.rows()))
    keys, key_reasons, kchecks = fixed.by_key.get_or_build(
        memo_key, lambda: determine._key_work(keys, fixed, tables, regimes)
    )
    reasons = [r["reason"] for r in key_reasons.iter_rows(named=True)]
    return keys.row(0, named=True), reasons, kchecks.row(0, named=True)
