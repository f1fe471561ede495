"""ops.check_fast.answer_plain gives check_table's row for a plain one-row question (and None for any
other): random ECCNs (subparagraphs, 600-series, 9x515, EAR99, unknown ones), some products (alone or
beside an ECCN), every destination the tables know, dates 2016-2027, some known_on, end uses and values;
and check_one answers through it."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops import check_fast
from exportctl.ops.check import Context, check_one, check_table
from exportctl.ops.check_answer import RESULT_COLUMNS
from exportctl.ops.check_input import END_USES, transaction_row

VALUES = (0, 100, 1500, 1500.5, 2501, 5000, 10_000_000, "$1,500", "USD 2500", "1.234,50")
SUFFIXES = ("", "", "", ".a", ".b", ".c", ".z", ".a.1", ".z.1.a", ".b.2", ".x", ".a.5")
FIRST, LAST = dt.date(2016, 1, 1), dt.date(2027, 12, 31)
# products as an order line names them (ASCII and not, a measure's product of another jurisdiction, blank)
PRODUCTS = (
    *("NVIDIA H100", "nvidia a100 gpu", "Huawei Ascend 910B chip", "EDA software", "graphics card"),
    *("C919 engine", "widget", "ethane", "", "Ünïcode GPU-X", "graphite", "civilian drone", "laptop"),
)


def _axes(ctx: Context) -> tuple[list[str], list[str]]:
    eccns, dests = ctx.neighbours.axes(ctx)
    groups = ctx.tables.groups["iso"].unique().to_list()
    return [*eccns, "9Z999", "3A0901"], sorted({*dests, *groups, "UA-43", "UA-09"})


def _question(ctx: Context, rng: random.Random) -> tuple[dict[str, Any], dt.date | None]:
    """A random plain question (check_one's row) and the known_on check_one would pass."""
    eccns, dests = _axes(ctx)
    eccn = rng.choice(eccns)
    if eccn != "EAR99":
        eccn += rng.choice(SUFFIXES)
    day = FIRST + dt.timedelta(days=rng.randrange((LAST - FIRST).days + 1))
    known = day - dt.timedelta(days=rng.randrange(0, 600)) if rng.random() < 0.15 else None
    use = rng.choice(END_USES) if rng.random() < 0.15 else None
    value = rng.choice(VALUES) if rng.random() < 0.2 else None
    # a product in one question of four: alone (the item named by it) or beside the ECCN
    product = rng.choice(PRODUCTS) if rng.random() < 0.25 else None
    alone = product is not None and rng.random() < 0.5
    row = transaction_row(
        eccn=None if alone else eccn,
        product=product,
        destination=rng.choice(dests),
        as_of=day,
        known_on=known,
        end_use=use,
        value=value,
    )
    return row, known


def _plan(ctx: Context, rows: list[dict[str, Any]], known_on: dt.date | None = None) -> list[dict[str, Any]]:
    """check_table's RESULT_COLUMNS rows of `rows` as one book (a row answers alike in any batch)."""
    frame = pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.Utf8))
    return list(
        check_table(frame, known_on=known_on, context=ctx).select(RESULT_COLUMNS).iter_rows(named=True)
    )


def test_answer_plain_equals_check_table_on_a_seeded_sweep(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned: list[Any] = []
    real = check_fast._planned_key_work
    monkeypatch.setattr(check_fast, "_planned_key_work", lambda *a: planned.append(a) or real(*a))
    rng = random.Random(1717)
    asked = [_question(ctx, rng) for _ in range(2000)]
    plan = _plan(ctx, [r for r, _ in asked])
    answered = refused = 0
    for (row, known), want in zip(asked, plan, strict=True):
        got = check_fast.answer_plain(ctx, row, known)
        if got is None:
            refused += 1
            assert want["error"] is not None, row  # only a row the plan refuses is left to the plan
            continue
        assert got == want, row
        # nothing below its lists of dicts is a container: check_one keeps the row uncopied (ops.neighbours)
        cells = [v for f in got.values() if isinstance(f, list) for d in f for v in d.values()]
        assert not any(isinstance(v, (list, dict)) for v in cells), row
        answered += 1
    assert answered >= 1800 and refused > 0
    # products alone and beside an ECCN are answered here too, not left to the plan
    named = [r for r, _ in asked if r["product"] and check_fast.answer_plain(ctx, r, None) is not None]
    assert sum(r["eccn"] is None for r in named) >= 150 and sum(r["eccn"] is not None for r in named) >= 150
    # the one-row key path (engine.ear.one_key) answers nearly all; the plan's key work the rest
    assert len(planned) <= answered // 20, len(planned)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(seed=st.integers(0, 2**32 - 1))
def test_answer_plain_equals_check_table_alone(ctx: Context, seed: int) -> None:
    row, known = _question(ctx, random.Random(seed))
    (want,) = _plan(ctx, [row], known)
    got = check_fast.answer_plain(ctx, row, known)
    assert got == want if want["error"] is None else got is None


@pytest.mark.parametrize(
    "fields",
    [
        {"parties": ["Huawei Technologies"]},
        {"value": "EUR 1000"},
        {"value": "-5"},
        {"product": " laptop"},  # space at its ends: polars and Python might strip it differently
        {"product": "laptop", "eccn": None, "parties": ["ACME"]},
        {"end_use": "militray"},
        {"exporting_country": "CN", "eccn": "3A090"},
        {"eccn": "9Z999"},
        {"destination": "Atlantis"},
    ],
)
def test_other_questions_are_left_to_the_plan(ctx: Context, fields: dict[str, Any]) -> None:
    base: dict[str, Any] = {"eccn": "3A090.a", "destination": "CN", "as_of": dt.date(2025, 6, 1)}
    row = transaction_row(**{**base, **fields})
    assert check_fast.answer_plain(ctx, row, None) is None


def test_cells_the_plan_reads_otherwise_are_left_to_it(ctx: Context) -> None:
    row = transaction_row(eccn="3A090.a", destination="CN", as_of=dt.date(2025, 6, 1))
    assert check_fast.answer_plain(ctx, row, None) is not None
    assert check_fast.answer_plain(ctx, {**row, "eccn": " 3A090.a"}, None) is None
    assert check_fast.answer_plain(ctx, {**row, "currency": "EUR"}, None) is None
    assert check_fast.answer_plain(ctx, {**row, "ultimate_consignee": "ACME"}, None) is None


def test_check_one_answers_a_new_span_through_it(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first question of a never-asked span: answer_plain's row, equal to check_table's."""
    called: list[Any] = []
    real = check_fast.answer_plain

    def spy(*args: Any) -> Any:
        out = real(*args)
        called.append(out)
        return out

    monkeypatch.setattr(check_fast, "answer_plain", spy)
    day = dt.date(2021, 3, 9)
    got = check_one(eccn="5A002.a", destination="RU", as_of=day, context=ctx, neighbours=False)
    assert called and called[0] is not None
    row = transaction_row(eccn="5A002.a", destination="RU", as_of=day)
    (want,) = _plan(ctx, [row])
    assert got["verdict"] == want["verdict"] and got["regime"] == want["regime"]
    assert [r["code"] for r in got["reasons"]] == [r["code"] for r in want["reasons"]]


def test_check_one_answers_a_value_and_an_end_use_through_it(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question with a value (never answered by a block), one with an end use, one naming a product
    alone and one a product beside its ECCN: answer_plain's rows."""
    called: list[Any] = []
    real = check_fast.answer_plain
    monkeypatch.setattr(check_fast, "answer_plain", lambda *a: called.append(real(*a)) or called[-1])
    day = dt.date(2024, 2, 29)
    for fields in (
        {"eccn": "5A002.a", "destination": "DE", "value": 1200},
        {"eccn": "EAR99", "end_use": "military", "destination": "RU"},
        {"product": "NVIDIA H100", "destination": "CN"},
        {"eccn": "3A090.a", "product": "graphics card", "destination": "CN"},
    ):
        got = check_one(as_of=day, context=ctx, neighbours=False, **fields)
        assert called[-1] is not None
        (want,) = _plan(ctx, [transaction_row(as_of=day, **fields)])
        assert got["verdict"] == want["verdict"] and got["exceptions"] == want["exceptions"]
        assert [r["code"] for r in got["reasons"]] == [r["code"] for r in want["reasons"]]
