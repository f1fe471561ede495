"""Single answers after the per-process memos (engine/common/memo.py, ops/warm.py) equal the columnar
plan's, on the first call and when asked again (then served from the kept frames)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.check import Context, check_one, check_table
from exportctl.ops.check_answer import answer
from exportctl.ops.check_input import transaction_row
from exportctl.ops.check_single import prepare

SINGLE: list[dict[str, Any]] = [
    {"eccn": "3A090", "destination": "CN", "as_of": "2025-06-01"},
    {"eccn": "3A090.a", "destination": "CN", "as_of": "2022-12-01"},
    {"eccn": "EAR99", "destination": "RU", "as_of": "2023-06-01"},
    {"eccn": "2B350.g", "destination": "TH", "as_of": "2025-04-01", "value": 1500.0},
    {"eccn": "4A994", "destination": "CN", "as_of": "2025-03-01", "end_use": "military"},
    {"product": "NVIDIA H20", "destination": "CN", "as_of": "2025-05-01", "known_on": "2025-01-01"},
    {
        "eccn": "EAR99",
        "destination": "CN",
        "as_of": "2025-03-01",
        "parties": ["Huawei Technologies Co., Ltd."],
    },
    {"eccn": "3A090", "destination": "CN", "as_of": "2025-06-01", "parties": ["Huawei Technologies"]},
]


def _plain(a: Any) -> dict[str, Any]:
    return {k: v for k, v in a.items() if k != "transaction"}


def _in_batch(ctx: Context, q: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, Any]:
    """The answer of `q` as one row among `others` in one check_table batch."""
    rows = [
        transaction_row(**{k: v for k, v in o.items() if k != "parties"}, parties=o.get("parties", ()))
        for o in [*others, q]
    ]
    cols = sorted({k for r in rows for k in r})
    frame = pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema={c: pl.Utf8 for c in cols})
    return dict(answer(check_table(frame, context=ctx, fuzzy=False).row(len(rows) - 1, named=True)))


@settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(i=st.integers(0, len(SINGLE) - 1), others=st.lists(st.sampled_from(SINGLE), max_size=3))
def test_a_single_answer_asked_again_equals_its_row_in_a_batch(
    ctx: Context, i: int, others: list[dict[str, Any]]
) -> None:
    q = SINGLE[i]
    first = check_one(**q, context=ctx, fuzzy=False)
    again = check_one(**q, context=ctx, fuzzy=False)
    assert again == first
    assert _plain(first) == _in_batch(ctx, q, others)


# The questions below are drawn across items, destinations, end uses, values, parties and the days the
# measures change (each change day, the day before and the day after, read from the registry itself),
# so that a kept answer is checked on both sides of every rule change it could straddle.
ECCNS = (
    "3A090", "3A090.a", "3A001.b.2", "3B001.c", "4A994", "5A002.a", "5A992.c", "2B350.g", "9A991", "0A919",
    "3C001", "EAR99",
)  # fmt: skip
DESTINATIONS = ("CN", "HK", "MO", "RU", "BY", "IR", "VE", "UA-43", "DE", "NL", "IN", "AE", "TH", "TW", "US")
PARTIES = ("Huawei Technologies Co., Ltd.", "AL-ZAWAHIRI, Ayman", "Abu Trade LLC", "Acme Widgets GmbH")
CN_ITEMS = ("8112929010", "8482100000")


@pytest.fixture(scope="module")
def change_days(ctx: Context) -> list[dt.date]:
    """Every day an export-control measure of the registry takes effect, with the days either side."""
    days = {
        day + dt.timedelta(days=shift)
        for m in ctx.registry.measures.values()
        if m.jurisdiction in ("US-EAR", "US-OFAC", "CN-EXPORT")
        for e in m.effects
        if (day := getattr(e, "effective", None) or m.effective) is not None
        for shift in (-1, 0, 1)
    }
    return sorted(days)


@st.composite
def questions(draw: st.DrawFn, days: list[dt.date]) -> dict[str, Any]:
    """One single question, US or PRC export, on a change day or beside one."""
    q: dict[str, Any] = {"destination": draw(st.sampled_from(DESTINATIONS))}
    q["as_of"] = draw(st.sampled_from(days)).isoformat()
    if draw(st.integers(0, 5)) == 0:
        q["exporting_country"] = "CN"
        q["eccn"] = draw(st.sampled_from(CN_ITEMS))
        q["destination"] = draw(st.sampled_from(("US", "NL", "DE")))
    else:
        q["eccn"] = draw(st.sampled_from(ECCNS))
    if draw(st.booleans()):
        q["known_on"] = draw(st.sampled_from(days)).isoformat()
    if draw(st.integers(0, 4)) == 0:
        q["end_use"] = "military"
    if draw(st.integers(0, 3)) == 0:
        q["value"] = float(draw(st.sampled_from((100, 1500, 9000))))
    if draw(st.booleans()):
        q["parties"] = draw(st.lists(st.sampled_from(PARTIES), min_size=1, max_size=2, unique=True))
    return q


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_a_kept_answer_equals_the_batch_across_rule_changes(
    ctx: Context, change_days: list[dt.date], data: st.DataObject
) -> None:
    batch = data.draw(st.lists(questions(change_days), min_size=1, max_size=4), label="batch")
    kept = [check_one(**q, context=ctx, fuzzy=False) for q in batch]  # asked first (or kept earlier)
    again = [check_one(**q, context=ctx, fuzzy=False) for q in reversed(batch)][::-1]  # now from the keep
    assert again == kept
    for i, q in enumerate(batch):
        assert _plain(kept[i]) == _in_batch(ctx, q, batch[:i] + batch[i + 1 :]), q


def test_a_kept_answer_is_a_copy(ctx: Context) -> None:
    q = SINGLE[0]
    first = check_one(**q, context=ctx, fuzzy=False)
    first["reasons"].clear()
    first["checks"][0]["result"] = "changed by the caller"
    assert check_one(**q, context=ctx, fuzzy=False) != first


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_prepared_answers_equal_the_answers_alone(
    ctx: Context, change_days: list[dt.date], data: st.DataObject
) -> None:
    batch = data.draw(st.lists(questions(change_days), min_size=2, max_size=6), label="batch")
    ctx.answers.clear()
    assert prepare(batch, context=ctx, fuzzy=False) == len(batch)
    kept = len(ctx.answers)
    prepared = [check_one(**q, context=ctx, fuzzy=False) for q in batch]
    assert len(ctx.answers) == kept, "every prepared question was answered from the keep"
    ctx.answers.clear()
    alone = [check_one(**q, context=ctx, fuzzy=False) for q in batch]
    assert prepared == alone
