"""A question answered from a block of its neighbours (ops.neighbours) equals the same question answered
alone through check_table, across ECCNs, destinations, parties, end uses and the days rules change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.check import Context, check_one, check_table
from exportctl.ops.check_answer import answer
from exportctl.ops.check_input import transaction_row
from exportctl.ops.check_single import question_row
from exportctl.ops.clean_parties import _screens_clean, stand_in
from exportctl.ops.neighbours import BLOCK_ROWS, PARTY_BLOCK_ROWS, Block, Neighbours, block_pairs, kept_answer

ECCNS = ("3A090", "3A001", "3B001", "4A994", "5A002", "5A992", "2B350", "9A991", "0A919", "3C001", "EAR99")
PARTIES = ("Huawei Technologies Co., Ltd.", "Abu Trade LLC", "Acme Widgets GmbH")


@pytest.fixture(autouse=True, scope="module")
def _through_blocks(ctx: Context) -> Iterator[None]:
    """These tests are of blocks of neighbours: the single questions here go through them and the plan,
    not the one-row path that answers plain and party questions alone (ops.check_fast; Context.one_row)."""
    ctx.one_row = False
    yield
    ctx.one_row = True


def _plain(a: Any) -> dict[str, Any]:
    return {k: v for k, v in a.items() if k != "transaction"}


def _alone(ctx: Context, q: dict[str, Any]) -> dict[str, Any]:
    """The answer of `q` as the one row of a check_table batch."""
    row = transaction_row(**{k: v for k, v in q.items() if k != "parties"}, parties=q.get("parties", ()))
    frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.Utf8))
    known_on = dt.date.fromisoformat(q["known_on"]) if q.get("known_on") else None
    return dict(answer(check_table(frame, known_on=known_on, context=ctx, fuzzy=False).row(0, named=True)))


def _stand_ins(ctx: Context, q: dict[str, Any]) -> int:
    """1 when the question's parties all screen clean, so that it is asked with stand-ins, else 0."""
    row = question_row(**q)
    asked = stand_in(row, q.get("parties", ()), None)
    known_on = dt.date.fromisoformat(q["known_on"]) if q.get("known_on") else None
    decided = ctx.suppressions() if asked is not None else None
    return int(
        asked is not None
        and _screens_clean(ctx, row, asked.names, known_on=known_on, fuzzy=False, decided=decided)
    )


@pytest.fixture(scope="module")
def change_days(ctx: Context) -> list[dt.date]:
    """The days US export-control measures of the registry take effect, with the days either side."""
    days = {
        day + dt.timedelta(days=shift)
        for m in ctx.registry.measures.values()
        if m.jurisdiction in ("US-EAR", "US-OFAC")
        for e in m.effects
        if (day := getattr(e, "effective", None) or m.effective) is not None
        for shift in (-1, 0, 1)
    }
    return sorted(days)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_an_answer_from_a_neighbour_block_equals_the_question_alone(
    ctx: Context, change_days: list[dt.date], data: st.DataObject
) -> None:
    eccns, dests = ctx.neighbours.axes(ctx)
    q: dict[str, Any] = {
        "eccn": data.draw(st.sampled_from(ECCNS), label="eccn"),
        "destination": data.draw(
            st.sampled_from(("CN", "HK", "RU", "IR", "DE", "IN", "AE", "TW")), label="to"
        ),
        "as_of": data.draw(st.sampled_from(change_days), label="as_of").isoformat(),
    }
    if data.draw(st.booleans(), label="known_on?"):
        q["known_on"] = data.draw(st.sampled_from(change_days), label="known_on").isoformat()
    if data.draw(st.integers(0, 4), label="end use?") == 0:
        q["end_use"] = "military"
    if data.draw(st.integers(0, 2), label="parties?") == 0:
        q["parties"] = [data.draw(st.sampled_from(PARTIES), label="party")]
    ctx.answers.clear()
    ctx.neighbours.clear()
    # parties that screen clean are asked as stand-ins (ops.clean_parties): that answer is kept for the
    # stand-in question and for the question itself
    own = _stand_ins(ctx, q)
    alone = check_one(**q, context=ctx, fuzzy=False)
    assert len(ctx.neighbours) == 0 and len(ctx.answers) == 1 + own, "the first question of a rest: alone"
    ctx.answers.clear()
    first = check_one(**q, context=ctx, fuzzy=False)
    assert len(ctx.neighbours) == 1, "a rest's second miss is answered with its block"
    ctx.answers.clear()
    assert _plain(first) == _plain(alone) == _alone(ctx, q)
    rows = PARTY_BLOCK_ROWS if q.get("parties") else BLOCK_ROWS
    pairs = block_pairs(q["eccn"], q["destination"], eccns, dests, rows)[1:]
    picked = data.draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=3, unique=True), label="asked")
    for eccn, destination in picked:
        other = {**q, "eccn": eccn, "destination": destination}
        got = check_one(**other, context=ctx, fuzzy=False)
        kept = _stand_ins(ctx, other) * (picked.index((eccn, destination)) + 1)
        assert len(ctx.neighbours) == 1 and len(ctx.answers) == kept, "read from the block, not computed"
        assert _plain(got) == _alone(ctx, other), other


def test_a_question_with_a_value_or_a_product_is_answered_alone(ctx: Context) -> None:
    ctx.neighbours.clear()
    check_one(eccn="2B350.g", destination="TH", as_of="2025-04-01", value=1500.0, context=ctx, fuzzy=False)
    check_one(product="NVIDIA H20", destination="CN", as_of="2025-05-01", context=ctx, fuzzy=False)
    check_one(eccn="8112929010", exporting_country="CN", destination="US", as_of="2025-03-01", context=ctx)
    assert len(ctx.neighbours) == 0


def test_no_block_without_neighbours(ctx: Context) -> None:
    ctx.neighbours.clear()
    ctx.answers.clear()
    q = {"eccn": "3A090", "destination": "CN", "as_of": "2025-06-02"}
    assert kept_answer(q, scenario=None, fuzzy=False, context=ctx) is None
    alone = check_one(**q, context=ctx, fuzzy=False, neighbours=False)
    assert len(ctx.neighbours) == 0
    assert kept_answer(q, scenario=None, fuzzy=False, context=ctx) == alone
    near = {**q, "destination": "HK"}
    check_one(**near, context=ctx, fuzzy=False)  # the first question of its day span's rest: alone
    assert len(ctx.neighbours) == 0
    check_one(**{**q, "destination": "DE"}, context=ctx, fuzzy=False)  # the rest's second miss: a block
    assert len(ctx.neighbours) == 1
    assert kept_answer({**q, "destination": "RU"}, scenario=None, fuzzy=False, context=ctx) == check_one(
        **{**q, "destination": "RU"}, context=ctx, fuzzy=False
    )


def test_a_refused_question_keeps_no_block(ctx: Context) -> None:
    from exportctl.errors import InputError

    ctx.neighbours.clear()
    with pytest.raises(InputError) as e:
        check_one(eccn="3A090", destination="Atlantis", as_of="2025-06-01", context=ctx, fuzzy=False)
    assert e.value.field == "destination"
    assert len(ctx.neighbours) == 0


def _block(n: int) -> Block:
    table = pl.DataFrame({"x": list(range(n))})
    return Block(table, {(str(i), "DE"): i for i in range(n)}, int(table.estimated_size()))


def test_blocks_are_bounded_in_bytes_least_recently_used_first_out() -> None:
    one = _block(100)
    kept = Neighbours(kept_bytes=2 * one.nbytes)
    kept.keep("r", ("0", "DE"), one)
    kept.keep("r", ("1", "DE"), _block(100))
    assert kept.find("r", "5", "DE") == {"x": 5}
    kept.keep("s", ("0", "DE"), _block(100))  # the least recently used leaves
    assert len(kept) == 2 and kept.nbytes <= 2 * one.nbytes
    assert kept.find("r", "5", "DE") == {"x": 5} and kept.find("s", "7", "DE") == {"x": 7}
    assert kept.find("r", "5", "FR") is None and kept.find("t", "5", "DE") is None


@given(
    eccn=st.sampled_from(["3A090", "3a090.a", "EAR99", "0A919", "9E003", " 1C001 ", "XYZ"]),
    destination=st.sampled_from(["CN", "cn", "Atlantis", "DE"]),
    rows=st.integers(1, 3000),
)
def test_block_pairs_start_with_the_question_and_stay_within_their_size(
    eccn: str, destination: str, rows: int
) -> None:
    eccns = [f"{c}{g}{n:03d}" for c in "0139" for g in "ABCE" for n in range(0, 40, 3)] + ["EAR99"]
    dests = ["CN", "DE", "FR", "HK", "RU"]
    pairs = block_pairs(eccn, destination, eccns, dests, rows)
    assert pairs[0] == (eccn, destination)
    assert len(pairs) == len(set(pairs)) <= max(1, rows)
    if rows >= 1 + len(eccns) * (len(dests) + 1):
        assert {(e, destination) for e in eccns} <= set(pairs)
        assert {(eccn, d) for d in dests} <= set(pairs)


def test_a_question_the_one_row_path_takes_builds_no_block(ctx: Context) -> None:
    # a block answered its later neighbours in ~0.1 ms but cost ~150 ms on the call that built it (the
    # single answers' p99): a question the one-row path answers is answered alone, kept for its span
    ctx.one_row = True
    try:
        ctx.neighbours.clear()
        ctx.answers.clear()
        q = {"eccn": "3A090", "destination": "CN", "as_of": "2025-06-02"}
        answers = [check_one(**{**q, "destination": d}, context=ctx, fuzzy=False) for d in ("CN", "HK", "DE")]
        assert len(ctx.neighbours) == 0 and len(ctx.span_blocks) == 0
        assert kept_answer({**q, "destination": "DE"}, scenario=None, fuzzy=False, context=ctx) == answers[2]
        for d, got in zip(("CN", "HK", "DE"), answers, strict=True):
            assert _plain(got) == _alone(ctx, {**q, "destination": d})
    finally:
        ctx.one_row = False
