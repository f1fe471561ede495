"""Answers kept per day span (ops.day_spans): the key a question's answer is kept under for every day of
its span, and a kept answer restamped as the answer on the asked day.

Shared by the single path (ops.neighbours.check_one), the gathered single checks of the API
(ops.check_single.prepare) and keyed batches (ops.batch.check_keyed): a question on a new day of a span
another day of which was answered is read and restamped, not computed (the API's random dates cost a
regime and a determination each, ~87% of the server's time under schemathesis).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import polars as pl

from exportctl.ops.check_input import ROLES
from exportctl.ops.check_single import names_a_party, question_key
from exportctl.ops.day_spans import DaySpans, restamp

if TYPE_CHECKING:
    from exportctl.ops.check import Context

__all__ = ["day_of", "followers", "lends", "restamped", "span_key", "span_keys", "span_row", "spans_for"]


def spans_for(ctx: Context, row: Mapping[str, Any], scenario: Any) -> DaySpans | None:
    """The Context's DaySpans when `row` may be answered from another day of its span (ops.day_spans: a
    US export naming no party, no scenario), in a warm process only (one that answered a question on
    this Context before): a one-shot process never pays for reading the spans (~0.2-0.3 s once)."""
    if scenario is not None or row.get("exporting_country") != "US":
        return None
    if names_a_party(row.get(r) for r in ROLES):
        return None
    if not (len(ctx.answers) or len(ctx.neighbours)):
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
