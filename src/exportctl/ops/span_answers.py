"""Answers kept per day span (ops.day_spans): the key a question's answer is kept under for every day of
its span, and a kept answer restamped as the answer on the asked day.

Shared by the single path (ops.neighbours.check_one), the gathered single checks of the API
(ops.check_single.prepare) and keyed batches (ops.batch.check_keyed): a question on a new day of a span
another day of which was answered is read and restamped, not computed (the API's random dates cost a
regime and a determination each, ~87% of the server's time under schemathesis).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from exportctl.ops.check_input import ROLES
from exportctl.ops.check_single import names_a_party, question_key
from exportctl.ops.day_spans import DaySpans, restamp
from exportctl.ops.kept_blocks import KeptBlocks

if TYPE_CHECKING:
    from exportctl.ops.check import Context

__all__ = [
    "SpanBlock",
    "SpanBlocks",
    "blockable",
    "build_blocks",
    "by_blocks",
    "day_of",
    "followers",
    "from_block",
    "lends",
    "restamped",
    "span_key",
    "span_keys",
    "span_row",
    "spans_for",
    "undated",
]


def spans_for(ctx: Context, row: Mapping[str, Any], scenario: Any) -> DaySpans | None:
    """The Context's DaySpans when `row` may be answered from another day of its span (ops.day_spans: a
    US export naming no party, no scenario), in a warm process only (one that answered a question on
    this Context before): a one-shot process never pays for reading the spans (~0.2-0.3 s once)."""
    if scenario is not None or row.get("exporting_country") != "US":
        return None
    if names_a_party(row.get(r) for r in ROLES):
        return None
    if not (len(ctx.answers) or len(ctx.neighbours) or len(ctx.span_blocks)):
        return None
    return ctx.day_spans()


def span_row(row: Mapping[str, Any], spans: DaySpans) -> dict[str, Any]:
    """The question with its day replaced by its span: the key of the answers every day of it shares."""
    return {**row, "as_of": ("span", spans.span(dt.date.fromisoformat(row["as_of"])))}


def lends(row: Mapping[str, Any], spans: DaySpans | None) -> bool:
    """An answer computed for `row` may answer every day of its span: no input names its day, and the
    question does not name it twice (as its known_on too: the kept texts could not tell them apart)."""
    return (
        spans is not None
        and row.get("known_on") != row["as_of"]
        and spans.lends(dt.date.fromisoformat(row["as_of"]))
    )


def span_key(
    row: Mapping[str, Any], spans: DaySpans, fuzzy: bool, decided: pl.DataFrame | None
) -> tuple[Hashable, ...]:
    """The key the answers of every day of `row`'s span are kept under (ops.check_single.question_key)."""
    return question_key(span_row(row, spans), fuzzy, decided)


def restamped(
    ctx: Context, kept: dict[str, Any], row: Mapping[str, Any], known_on: dt.date | None
) -> dict[str, Any]:
    """A result row kept for another day of the question's span, as the answer on the question's day."""
    from exportctl.registry import compile_regime

    day = dt.date.fromisoformat(row["as_of"])
    lent = kept["as_of"] if isinstance(kept["as_of"], dt.date) else dt.date.fromisoformat(str(kept["as_of"]))
    if lent == day:
        return kept
    return restamp(kept, lent, day, compile_regime(ctx.registry, day, known_on).id)


def span_keys(
    ctx: Context, rows: list[Mapping[str, Any]], fuzzy: bool
) -> list[tuple[tuple[Hashable, ...], bool] | None]:
    """Per row of a batch without a scenario: (its span's key, whether its day lends), or None when it
    is not answered by its span (a party, a PRC export, a cold Context)."""
    out: list[tuple[tuple[Hashable, ...], bool] | None] = []
    for row in rows:
        spans = spans_for(ctx, row, None)
        out.append(None if spans is None else (span_key(row, spans, fuzzy, None), lends(row, spans)))
    return out


def followers(spanned: list[tuple[tuple[Hashable, ...], bool] | None], missing: list[int]) -> dict[int, int]:
    """{question: the question of the same span it is restamped from} among the `missing` questions of
    a batch: each span with a question whose day lends computes that one alone."""
    reps: dict[Hashable, int] = {}
    for n in missing:
        s = spanned[n]
        if s is not None and s[1]:
            reps.setdefault(s[0], n)
    out = {}
    for n in missing:
        s = spanned[n]
        if s is not None and reps.get(s[0], n) != n:
            out[n] = reps[s[0]]
    return out


def day_of(text: str | None) -> dt.date | None:
    """An ISO day of a question row, or None."""
    return dt.date.fromisoformat(text) if text else None


SPAN_KEPT_BYTES = 64 * 2**20  # span blocks kept per Context (~340 rows, ~0.5-1 MB a question)
MISSED_QUESTIONS = 4096  # questions (without their day) that missed a span, remembered


@dataclass(frozen=True)
class SpanBlock:
    """One question answered on the first day of every span: its result table and each span's row."""

    table: pl.DataFrame
    index: dict[int, int]
    nbytes: int


class SpanBlocks(KeptBlocks[SpanBlock]):
    """The span blocks answered on one Context, least recently used first out, bounded in bytes.

    A question asked on a second span never asked is answered on every span at once (one batch of ~340
    rows costs 1-3 times what the one row alone does, most of it the plan's fixed cost), so that any
    later day of it is a lookup (a restamp); the first miss is answered alone, as ops.neighbours bets."""

    def __init__(self, kept_bytes: int = SPAN_KEPT_BYTES) -> None:
        super().__init__(kept_bytes, MISSED_QUESTIONS)

    def find(self, question: Hashable, span: int) -> dict[str, Any] | None:
        """The result row kept for `question` (its key without the day) on a day of `span`, or None."""
        with self._lock:
            block = self._blocks.get(question)
            i = None if block is None else block.index.get(span)
            if block is None or i is None:
                return None
            self._used(question)
        return block.table.row(i, named=True)  # a new dict: the caller may change it


def undated(row: Mapping[str, Any], fuzzy: bool) -> tuple[Hashable, ...]:
    """The key of a question without its day: what a span block answers on every span."""
    return question_key({**row, "as_of": None}, fuzzy, None)


def blockable(row: Mapping[str, Any], spans: DaySpans | None) -> bool:
    """A question a span block may answer: one answered by its span (`spans`), without a known_on (a
    known_on is a date of the question the spans do not cut at)."""
    return spans is not None and not row.get("known_on")


def from_block(ctx: Context, row: Mapping[str, Any], spans: DaySpans, fuzzy: bool) -> dict[str, Any] | None:
    """The result row of `row` from a kept span block, restamped to its day, or None."""
    if row.get("known_on"):
        return None
    kept = ctx.span_blocks.find(undated(row, fuzzy), spans.span(dt.date.fromisoformat(row["as_of"])))
    return None if kept is None else restamped(ctx, kept, row, day_of(row.get("known_on")))


def build_blocks(
    ctx: Context,
    questions: list[tuple[Hashable, Mapping[str, Any]]],
    spans: DaySpans,
    run: Callable[[pl.DataFrame], pl.DataFrame],
) -> None:
    """Answer each question (its `undated` key and row: no party, no scenario) on the first day of every
    span, in one batch by `run` (check_table), and keep a span block per question (refused rows left out).
    A span's first day lends to the others, or is the span's one day (a day an input names)."""
    days = [d.isoformat() for d in spans.first_days()]
    rows = [r for _, r in questions]
    if not rows or not days:
        return
    cols = sorted({k for r in rows for k in r})
    frame = pl.DataFrame(
        {k: [r.get(k) if k != "as_of" else d for r in rows for d in days] for k in cols},
        schema=dict.fromkeys(cols, pl.Utf8),
    )
    from exportctl.ops.check_answer import RESULT_COLUMNS

    table = run(frame).select(RESULT_COLUMNS)
    ok = table["error"].is_null().to_list()
    n = len(days)
    for q, (key, _) in enumerate(questions):
        part = table.slice(q * n, n)
        index = {spans.span(dt.date.fromisoformat(d)): i for i, d in enumerate(days) if ok[q * n + i]}
        ctx.span_blocks.put(key, SpanBlock(part, index, int(part.estimated_size()) + 64 * len(index)))


def by_blocks(
    ctx: Context,
    rows: Mapping[int, Mapping[str, Any]],
    spans: DaySpans,
    fuzzy: bool,
    run: Callable[[pl.DataFrame], pl.DataFrame],
) -> dict[int, dict[str, Any]]:
    """{n: result row} of the questions `rows` (no party, no scenario) a span block answers: one kept, or
    one built now, in one batch, for the questions that missed a span before."""
    out: dict[int, dict[str, Any]] = {}
    again: dict[Hashable, Mapping[str, Any]] = {}
    seen: set[Hashable] = set()  # a question misses once per call, on however many of its days
    for n, row in rows.items():
        if not blockable(row, spans):
            continue
        found = from_block(ctx, row, spans, fuzzy)
        if found is not None:
            out[n] = found
            continue
        question = undated(row, fuzzy)
        if question not in seen and ctx.span_blocks.missed(question):
            again[question] = row
        seen.add(question)
    if again:
        build_blocks(ctx, list(again.items()), spans, run)
        for n, row in rows.items():
            if n not in out and undated(row, fuzzy) in again:
                found = from_block(ctx, row, spans, fuzzy)
                if found is not None:
                    out[n] = found
    return out
