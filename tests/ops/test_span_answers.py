"""A question on a day of a span never asked equals the batch's answer (check_table, one row), on every
path: a single check (check_one, alone or with neighbours), a keyed batch (ops.batch.check_keyed: the
API's batches, whose questions of one span are computed once and restamped), and the API's gathered
single checks (ops.check_single.prepare, then kept_answer); for random dates across 2018-2026."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.batch import check_keyed
from exportctl.ops.check import Context, check_one, check_table
from exportctl.ops.check_answer import answer
from exportctl.ops.check_input import transaction_row
from exportctl.ops.check_single import prepare
from exportctl.ops.neighbours import kept_answer

ECCNS = ("3A090", "3A001", "3B001", "4A994", "5A002", "5A992", "2B350", "9A991", "0A919", "EAR99")
DESTS = ("CN", "HK", "RU", "IR", "DE", "IN", "AE", "TW", "MO", "BY")
DAYS = st.dates(dt.date(2018, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture(autouse=True, scope="module")
def _through_blocks(ctx: Context) -> Iterator[None]:
    """These tests are of span blocks: the single questions here go through them and the plan, not the one-row
    path that answers plain and party questions alone (ops.check_fast; Context.one_row)."""
    ctx.one_row = False
    yield
    ctx.one_row = True


def _plain(a: Any) -> dict[str, Any]:
    return {k: v for k, v in a.items() if k not in ("transaction", "failed", "fail_on")}


def _alone(ctx: Context, q: dict[str, Any]) -> dict[str, Any]:
    """The answer of `q` as the one row of a check_table batch (never kept)."""
    row = transaction_row(**q)
    frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.Utf8))
    return dict(answer(check_table(frame, context=ctx, fuzzy=False).row(0, named=True)))


def _warm(ctx: Context) -> None:
    ctx.answers.clear()
    ctx.neighbours.clear()
    ctx.span_blocks.clear()
    check_one(eccn="EAR99", destination="DE", as_of="2025-01-01", context=ctx, fuzzy=False)


_SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


@_SETTINGS
@given(
    eccn=st.sampled_from(ECCNS),
    dest=st.sampled_from(DESTS),
    days=st.lists(DAYS, min_size=1, max_size=4),
    neighbours=st.booleans(),
)
def test_a_single_check_on_new_spans_equals_the_batch(
    ctx: Context, eccn: str, dest: str, days: list[dt.date], neighbours: bool
) -> None:
    _warm(ctx)
    for day in days:
        q = {"eccn": eccn, "destination": dest, "as_of": day.isoformat()}
        got = check_one(**q, context=ctx, fuzzy=False, neighbours=neighbours)
        assert _plain(got) == _alone(ctx, q), q


@_SETTINGS
@given(
    questions=st.lists(
        st.tuples(st.sampled_from(ECCNS), st.sampled_from(DESTS), DAYS), min_size=1, max_size=6
    ),
    near=st.lists(st.integers(-3, 3), min_size=1, max_size=6),
)
def test_a_keyed_batch_on_new_spans_equals_the_batch(
    ctx: Context, questions: list[tuple[str, str, dt.date]], near: list[int]
) -> None:
    _warm(ctx)
    # the questions, and each again a few days off (often the same span: restamped in the batch)
    asked = [{"eccn": e, "destination": d, "as_of": day.isoformat()} for e, d, day in questions]
    asked += [
        {**q, "as_of": (dt.date.fromisoformat(q["as_of"]) + dt.timedelta(days=s)).isoformat()}
        for q, s in zip(asked, near, strict=False)
    ]
    for round_ in range(2):  # a second batch reads the kept spans
        got, _ = check_keyed({str(i): q for i, q in enumerate(asked)}, fuzzy=False, context=ctx)
        for i, q in enumerate(asked):
            assert _plain(got[str(i)]) == _alone(ctx, q), (round_, q)


def test_a_keyed_batch_computes_a_span_once(ctx: Context) -> None:
    _warm(ctx)
    spans = ctx.day_spans()
    day = next(
        d
        for d in (dt.date(2024, 6, 1) - dt.timedelta(days=i) for i in range(400))
        if spans.lends(d) and spans.span(d + dt.timedelta(days=3)) == spans.span(d)
    )
    asked = {str(i): {"eccn": "3A090", "destination": "CN", "as_of": (day + dt.timedelta(days=i)).isoformat()}
             for i in range(4)}  # fmt: skip
    before = len(ctx.answers)
    got, _ = check_keyed(asked, fuzzy=False, context=ctx)
    assert len(ctx.answers) == before + 1, "one answer kept for the span, the other days restamped"
    for qid, q in asked.items():
        assert str(got[qid]["as_of"]) == q["as_of"]
        assert _plain(got[qid]) == _alone(ctx, q)


@_SETTINGS
@given(eccn=st.sampled_from(ECCNS), dest=st.sampled_from(DESTS), day=DAYS, shift=st.integers(1, 5))
def test_a_gathered_single_check_is_kept_for_its_span(
    ctx: Context, eccn: str, dest: str, day: dt.date, shift: int
) -> None:
    _warm(ctx)
    q = {"eccn": eccn, "destination": dest, "as_of": day.isoformat()}
    prepare([q], fuzzy=False, context=ctx)  # the API's gathered batch
    for asked in (q, {**q, "as_of": (day + dt.timedelta(days=shift)).isoformat()}):
        kept = kept_answer(asked, scenario=None, fuzzy=False, context=ctx)
        spans = ctx.day_spans()
        same = spans.span(dt.date.fromisoformat(asked["as_of"])) == spans.span(day) and spans.lends(day)
        if asked is q or same:
            assert kept is not None, asked
        if kept is not None:
            assert _plain(kept) == _alone(ctx, asked), asked


def _new_span_days(ctx: Context, n: int) -> list[dt.date]:
    """`n` lending days of distinct spans, across 2018-2026."""
    spans = ctx.day_spans()
    days = [
        d for d in spans.first_days() if spans.lends(d) and dt.date(2018, 1, 1) <= d <= dt.date(2026, 12, 31)
    ]
    step = max(1, len(days) // n)
    return [d + dt.timedelta(days=1) if spans.span(d + dt.timedelta(days=1)) == spans.span(d) else d
            for d in days[::step][:n]]  # fmt: skip


def test_a_question_on_a_third_span_is_read_from_its_span_block(ctx: Context) -> None:
    _warm(ctx)
    first, second, *later = _new_span_days(ctx, 6)
    named = sorted(d for d in ctx.day_spans().named if dt.date(2019, 1, 1) <= d <= dt.date(2026, 6, 1))
    later += [named[0], named[len(named) // 2]]  # a day an input names: its own span, its block row as is
    q = {"eccn": "3A090", "destination": "CN"}
    check_one(**q, as_of=first, context=ctx, fuzzy=False)
    assert len(ctx.span_blocks) == 0, "the first span missed is answered alone"
    got = check_one(**q, as_of=second, context=ctx, fuzzy=False)
    assert len(ctx.span_blocks) == 1, "the second builds the question's block over every span"
    assert _plain(got) == _alone(ctx, {**q, "as_of": second.isoformat()})
    kept = len(ctx.answers), ctx.span_blocks.nbytes
    for day in later:
        got = check_one(**q, as_of=day, context=ctx, fuzzy=False)
        assert (len(ctx.answers), ctx.span_blocks.nbytes) == kept, "read from the block, not computed"
        assert _plain(got) == _alone(ctx, {**q, "as_of": day.isoformat()}), day


def test_the_api_paths_build_and_read_span_blocks(ctx: Context) -> None:
    _warm(ctx)
    days = _new_span_days(ctx, 5)
    q = {"eccn": "5A992", "destination": "RU"}
    check_keyed({"a": {**q, "as_of": days[0].isoformat()}}, fuzzy=False, context=ctx)
    prepare([{**q, "as_of": days[1].isoformat()}], fuzzy=False, context=ctx)
    assert len(ctx.span_blocks) == 1
    got, _ = check_keyed({str(i): {**q, "as_of": d.isoformat()} for i, d in enumerate(days)}, fuzzy=False,
                         context=ctx)  # fmt: skip
    for i, d in enumerate(days):
        asked = {**q, "as_of": d.isoformat()}
        assert _plain(got[str(i)]) == _alone(ctx, asked)
        assert _plain(kept_answer(asked, scenario=None, fuzzy=False, context=ctx) or {}) == _alone(ctx, asked)


def test_span_blocks_are_bounded_in_bytes() -> None:
    from exportctl.ops.span_answers import SpanBlock, SpanBlocks

    blocks = SpanBlocks(kept_bytes=1000)
    table = pl.DataFrame({"as_of": [dt.date(2020, 1, 1)]})
    for q in range(5):
        blocks.put(q, SpanBlock(table, {1: 0}, 400))
    assert len(blocks) == 2 and blocks.nbytes == 800
    assert blocks.find(0, 1) is None and blocks.find(4, 1) == {"as_of": dt.date(2020, 1, 1)}
    assert blocks.find(4, 2) is None
    assert not blocks.missed("q") and blocks.missed("q")
