"""Single answers kept per Context: a question asked again is answered without running the engines.

A warm single determination ran ~700 polars operations on a one-row frame (~40 ms), while its answer is
a pure function of what the Context holds (data version, registry, EAR tables, lists) and of the
question: the transaction's fields, `fuzzy`, the EAR rules file, and for a row naming parties the
reviewers' current decisions. An order system asks the same (ECCN, destination, date) again and again,
so the result row of each question is kept on its Context (so a new data version or registry never
sees another's answers), keyed by exactly those inputs. A question asked the first time runs the one
batch path (`check_table`, alone or with a block of its neighbours: ops/neighbours.py), which is what
makes both paths answer identically; every caller gets its own copy of the kept row to change.

Not kept: questions with a scenario (an object with no content key), and answers of a row whose input
was refused (they raise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from exportctl.engine.common.memo import Lru
from exportctl.errors import InputError
from exportctl.ops.check_answer import RESULT_COLUMNS
from exportctl.ops.check_input import day_arg, transaction_row
from exportctl.registry.rules import ear_rules_hash

if TYPE_CHECKING:
    from exportctl.ops.check import Context

__all__ = [
    "KEPT_ANSWERS",
    "SingleAnswers",
    "kept_key",
    "names_a_party",
    "parties_by_role",
    "prepare",
    "question_key",
    "question_keys",
    "question_row",
]

KEPT_ANSWERS = 1024  # result rows kept per Context (5-13 KB as JSON, ~30-50 KB as Python objects)


def question_row(
    *,
    destination: str | None = None,
    as_of: dt.date | str | None,
    eccn: str | None = None,
    product: str | None = None,
    exporting_country: str = "US",
    parties: Sequence[str | None] = (),
    end_use: str | None = None,
    value: float | str | None = None,
    known_on: dt.date | str | None = None,
    to: str | None = None,
) -> dict[str, Any]:
    """check_one's fields -> the question as one row of an order book; InputError naming the field."""
    if to is not None and destination is not None and to != destination:
        raise InputError(
            "give the destination once (destination= or its earlier name to=)", field="destination"
        )
    destination = destination if destination is not None else to
    # a date or its ISO string ("2025-06-01"); a string used to crash in transaction_row
    as_of, known_on = day_arg(as_of, "as_of"), day_arg(known_on, "known_on")
    if not destination:
        raise InputError("give a destination country", field="destination")
    if not eccn and not product:
        raise InputError("give an ECCN (--eccn) or a product (--product)", field="eccn")
    return transaction_row(
        destination=destination,
        as_of=as_of,
        eccn=eccn,
        product=product,
        exporting_country=exporting_country,
        parties=parties,
        end_use=end_use,
        value=value,
        known_on=known_on,
    )


def parties_by_role(
    parties: Sequence[str | None],
    by_role: Sequence[str | None],
    *,
    field: str,
    roles: str,
) -> list[str | None]:
    """The parties in check_one's order (ultimate consignee, end user, intermediate consignee, purchaser):
    those given in order, or those named by role (`by_role`, in that order; a role not named is None);
    InputError naming `field` when both are given (`roles` names the role fields in the message)."""
    named = list(by_role)
    if any(p is not None and str(p).strip() for p in parties) and any(named):
        raise InputError(f"give the parties either by role ({roles}) or in order, not both", field=field)
    if parties:
        return list(parties)
    while named and not named[-1]:
        named.pop()
    return [p if p else None for p in named]


def names_a_party(parties: Iterable[str | None]) -> bool:
    """Some party has a name (then the answer depends on reviewers' decisions)."""
    return any(p and str(p).strip() for p in parties)


def question_key(row: Mapping[str, Any], fuzzy: bool, decided: pl.DataFrame | None) -> tuple[Hashable, ...]:
    """What a single answer depends on beyond its Context: the row's fields, fuzzy matching, the EAR
    rules' content and, when it names parties, the reviewers' current false-positive decisions."""
    return question_keys(fuzzy, decided)(row, decided is not None)


def question_keys(
    fuzzy: bool, decided: pl.DataFrame | None
) -> Callable[[Mapping[str, Any], bool], tuple[Hashable, ...]]:
    """question_key for many rows: the rules' hash and the decisions read once; called with a row and
    whether it names a party (only then does its key hold the decisions)."""
    rules = ear_rules_hash()
    reviews = None if decided is None else tuple(decided.rows())

    def key(row: Mapping[str, Any], party: bool) -> tuple[Hashable, ...]:
        return (tuple(sorted(row.items())), bool(fuzzy), rules, reviews if party else None)

    return key


class SingleAnswers:
    """The result rows of single questions answered on one Context (bounded, least recently used)."""

    def __init__(self, kept: int = KEPT_ANSWERS) -> None:
        self._rows: Lru[dict[str, Any]] = Lru(kept)

    def get(self, key: tuple[Hashable, ...]) -> dict[str, Any] | None:
        """A copy of the result row kept for the question `key`, or None."""
        kept = self._rows.get(key)
        return None if kept is None else _copied(kept)

    def peek(self, key: tuple[Hashable, ...]) -> dict[str, Any] | None:
        """The result row kept for `key` itself, or None: for a caller that only reads it (ops.batch's
        answers for the API, which only serialises them), never to be changed or handed out."""
        return self._rows.get(key)

    def row(self, key: tuple[Hashable, ...], run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The result row of the question `key`: a copy of the kept one, else `run()` kept."""
        kept = self.get(key)
        if kept is not None:
            return kept
        row = run()
        self.keep(key, row)
        return row

    def keep(self, key: tuple[Hashable, ...], row: dict[str, Any], *, copy: bool = True) -> None:
        """Keep the result row of the question `key` (a row with an input error is not kept); with
        copy=False the row itself, by a caller that never changes it or hands it out."""
        if row.get("error") is None:
            self._rows.put(key, _copied(row) if copy else row)

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        """Forget every kept answer."""
        self._rows.clear()


def _copied(row: dict[str, Any]) -> dict[str, Any]:
    """A copy of a result row a caller may change: its lists and structs copied, its values shared
    (text, numbers, dates and None are immutable)."""

    out: dict[str, Any] = _copy(row)
    return out


_NESTED = (dict, list)


def _copy(value: dict[str, Any] | list[Any]) -> Any:
    # a value is tested here rather than in a call of its own: four in five are text, numbers or None, and
    # a call per value was most of a kept answer's cost
    if isinstance(value, dict):
        return {k: _copy(v) if isinstance(v, _NESTED) else v for k, v in value.items()}
    return [_copy(v) if isinstance(v, _NESTED) else v for v in value]


def prepare(
    questions: Iterable[Mapping[str, Any]], *, fuzzy: bool = True, context: Context | None = None
) -> int:
    """Answer `questions` (check_one's fields, without a scenario) as one batch and keep each answer for
    check_one on the same Context (a service's or an order system's usual questions, before the first
    call); returns how many were kept. A row answers the same in a batch as alone (the batch
    independence tests), so a prepared answer is the one check_one would give."""
    from exportctl.ops.check import check_table
    from exportctl.ops.warm import shared_context

    ctx = context or shared_context()
    asked = [dict(q) for q in questions]
    rows = [question_row(**q) for q in asked]
    if not rows:
        return 0
    decided = ctx.suppressions() if any(names_a_party(q.get("parties", ())) for q in asked) else None
    # a question missing a second span is answered on every span at once (ops.span_answers): kept there
    blocked = _by_blocks(ctx, rows, fuzzy, decided)
    kept = len(blocked)
    asked = [q for i, q in enumerate(asked) if i not in blocked]
    rows = [r for i, r in enumerate(rows) if i not in blocked]
    if not rows:
        return kept
    cols = sorted({k for r in rows for k in r})
    frame = pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema=dict.fromkeys(cols, pl.Utf8))
    out = check_table(frame, fuzzy=fuzzy, context=ctx, suppressed=decided).select(RESULT_COLUMNS)
    for q, row, result in zip(asked, rows, out.iter_rows(named=True), strict=True):
        if result["error"] is None:
            own = decided if names_a_party(q.get("parties", ())) else None
            ctx.answers.keep(kept_key(ctx, row, fuzzy, own), result)
            kept += 1
    return kept


def _by_blocks(
    ctx: Context, rows: list[dict[str, Any]], fuzzy: bool, decided: pl.DataFrame | None
) -> dict[int, dict[str, Any]]:
    """{i: result row} of the rows a span block answers (ops.span_answers.by_blocks)."""
    from exportctl.ops.check import check_table
    from exportctl.ops.span_answers import by_blocks, spans_for

    eligible = {i: r for i, r in enumerate(rows) if spans_for(ctx, r, None) is not None}
    if not eligible:
        return {}

    def run(frame: pl.DataFrame) -> pl.DataFrame:
        return check_table(frame, fuzzy=fuzzy, context=ctx, suppressed=decided)

    return by_blocks(ctx, eligible, ctx.day_spans(), fuzzy, run)


def kept_key(
    ctx: Context, row: Mapping[str, Any], fuzzy: bool, decided: pl.DataFrame | None
) -> tuple[Hashable, ...]:
    """The key a new answer to `row` (no scenario) is kept under: its span's when the day lends (every
    day of the span is then answered from it, ops.span_answers), else the question's own."""
    from exportctl.ops.span_answers import lends, span_key, spans_for

    spans = spans_for(ctx, row, None)
    if spans is not None and lends(row, spans):
        return span_key(row, spans, fuzzy, decided)
    return question_key(row, fuzzy, decided)
