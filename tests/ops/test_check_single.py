"""Single answers after the per-process memos (engine/common/memo.py, ops/warm.py) equal the columnar
plan's, on the first call and when asked again (then served from the kept frames)."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.check import Context, check_one, check_table
from exportctl.ops.check_answer import answer
from exportctl.ops.check_input import transaction_row

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
