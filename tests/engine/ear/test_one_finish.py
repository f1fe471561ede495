"""engine.ear.one_finish.finish_one equals verdict.finish row for row, fed the plan's own key work as dicts:
random ECCNs (subparagraphs, 600-series, 9x515, EAR99), every destination the tables know, dates
2016-2027 (before the registry, after coverage), some known_on and values."""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.engine.ear.one_finish import NO_PARTY, finish_one
from exportctl.ops.check import Context, check_table
from exportctl.ops.warm import shared_context

DETERMINE = sys.modules["exportctl.engine.ear.determine"]
SUFFIXES = ("", "", "", ".a", ".b", ".c", ".z", ".a.1", ".z.1.a", ".b.2", ".x", ".y", ".a.5")
FIRST, LAST = dt.date(2016, 1, 1), dt.date(2027, 12, 31)


@pytest.fixture(scope="module")
def ctx() -> Context:
    """The process's Context (the active data version: the bundled pack in the tests' store)."""
    return shared_context()


def axes(ctx: Context) -> tuple[list[str], list[str]]:
    """(the ECCNs to ask: the CCL's, 600-series and 9x515 among them, EAR99; the destinations the tables
    know: the Country Chart's and the Country Groups' members)."""
    eccns, dests = ctx.neighbours.axes(ctx)
    groups = ctx.tables.groups["iso"].unique().to_list()
    return eccns, sorted({*dests, *groups, "UA-43", "UA-14"})


def questions(ctx: Context, rng: random.Random, n: int) -> list[dict[str, Any]]:
    """`n` random plain questions (order-book rows)."""
    eccns, dests = axes(ctx)
    out = []
    for _ in range(n):
        eccn = rng.choice(eccns)
        if eccn != "EAR99":
            eccn += rng.choice(SUFFIXES)
        day = FIRST + dt.timedelta(days=rng.randrange((LAST - FIRST).days + 1))
        known = day - dt.timedelta(days=rng.randrange(0, 400)) if rng.random() < 0.15 else None
        value = rng.choice([None, None, None, "100", "2500", "5000", "1000000"])
        out.append(
            {
                "exporting_country": "US",
                "eccn": eccn,
                "destination": rng.choice(dests),
                "as_of": day.isoformat(),
                "known_on": known.isoformat() if known else None,
                "value": value,
            }
        )
    return out


def _captured(ctx: Context, rows: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The arguments and result of every finish call of a check_table batch of `rows`."""
    calls: list[Any] = []
    real = DETERMINE.finish

    def spy(*args: Any) -> pl.DataFrame:
        out = real(*args)
        calls.append((args, out))
        return out

    monkeypatch.setattr(DETERMINE, "finish", spy)
    frame = pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.Utf8))
    check_table(frame, context=ctx)
    monkeypatch.setattr(DETERMINE, "finish", real)
    return calls


def _compared(calls: list[Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(finish's row, finish_one's row) for each row of the captured calls."""
    for (tx, keys, key_reasons, row_reasons, screening, checks, sections), out in calls:
        assert row_reasons.height == 0 and screening.height == 0
        by_kid = {k["kid"]: k for k in keys.iter_rows(named=True)}
        reasons: dict[int, list[dict[str, Any]]] = {}
        for r in key_reasons.iter_rows(named=True):
            reasons.setdefault(r["kid"], []).append(r["reason"])
        kchecks = {k["kid"]: k for k in checks.kchecks.iter_rows(named=True)}
        pfacts = {p["row"]: p for p in checks.pfacts.iter_rows(named=True)}
        plan = {r["row"]: r for r in out.iter_rows(named=True)}
        for t in tx.select("row", "kid", "value").iter_rows(named=True):
            kid = t["kid"]
            facts = pfacts[t["row"]]
            assert {k: facts[k] for k in NO_PARTY} == dict(NO_PARTY)
            one = finish_one(
                by_kid[kid],
                reasons.get(kid, []),
                kchecks[kid],
                row=t["row"],
                value=t["value"],
                pfacts=facts,
                lists_what=checks.lists_what,
                dpl_what=checks.dpl_what,
                order=checks.order,
                sections=sections,
            )
            yield plan[t["row"]], one


def test_finish_one_equals_finish_on_a_seeded_sweep(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(17)
    n = 0
    verdicts: set[str] = set()
    for _ in range(5):  # 5 batches of 500 questions: each row compared
        calls = _captured(ctx, questions(ctx, rng, 500), monkeypatch)
        for plan, one in _compared(calls):
            assert one == plan
            verdicts.add(plan["verdict"])
            n += 1
    assert n >= 2000
    # the sweep reaches every verdict a question naming no party can get
    assert {"no_license_required", "license_required", "license_exception_available", "hold"} <= verdicts


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(seed=st.integers(0, 2**32 - 1))
def test_finish_one_equals_finish_on_one_question(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    q = questions(ctx, random.Random(seed), 1)
    calls = _captured(ctx, q, monkeypatch)
    for plan, one in _compared(calls):
        assert one == plan


def test_a_wrong_flag_shows(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: a key whose requirement an exception overcomes, read as if it were
    another destination's, gives another row."""
    q = [{"exporting_country": "US", "eccn": "3A090.a", "destination": "AE", "as_of": "2025-06-01"}]
    ((plan, one),) = list(_compared(_captured(ctx, q, monkeypatch)))
    assert one == plan
    ((args, _),) = _captured(ctx, q, monkeypatch)
    key = args[1].row(0, named=True)
    flipped = {**key, "x_md5_dest": not key["x_md5_dest"]}
    other = finish_one(
        flipped,
        [r["reason"] for r in args[2].iter_rows(named=True)],
        args[5].kchecks.row(0, named=True),
        lists_what=args[5].lists_what,
        dpl_what=args[5].dpl_what,
        sections=args[6],
    )
    assert plan["verdict"] == "license_exception_available"
    assert other["exceptions"] != plan["exceptions"] and other["verdict"] == "license_required"
