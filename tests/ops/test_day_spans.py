"""A question answered from another day of its span (ops.day_spans) equals the same question answered on
its own day through check_table, across ECCNs, destinations, end uses, values and the days rules change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.check import Context, check_one, check_table
from exportctl.ops.check_answer import answer
from exportctl.ops.check_input import transaction_row
from exportctl.ops.day_spans import DaySpans, dates_in, restamp

ECCNS = ("3A090", "3A001", "3B001", "4A994", "5A002", "5A992", "2B350", "9A991", "0A919", "3C001", "EAR99")
DESTS = ("CN", "HK", "RU", "IR", "DE", "IN", "AE", "TW", "MO", "BY")


def _plain(a: Any) -> dict[str, Any]:
    return {k: v for k, v in a.items() if k != "transaction"}


def _alone(ctx: Context, q: dict[str, Any]) -> dict[str, Any]:
    """The answer of `q` as the one row of a check_table batch (never kept)."""
    row = transaction_row(**{k: v for k, v in q.items() if k != "parties"}, parties=q.get("parties", ()))
    frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.Utf8))
    known_on = dt.date.fromisoformat(q["known_on"]) if q.get("known_on") else None
    return dict(answer(check_table(frame, known_on=known_on, context=ctx, fuzzy=False).row(0, named=True)))


@pytest.fixture(scope="module")
def spans(ctx: Context) -> DaySpans:
    return ctx.day_spans()


@pytest.fixture(scope="module")
def near_cuts(ctx: Context, spans: DaySpans) -> list[dt.date]:
    """Days where the spans change and days any measure names (a tariff's too, which must not matter),
    with the days either side (where a wrong span would show)."""
    every: set[dt.date] = set()
    dates_in(list(ctx.registry.measures.values()), every)
    days = sorted(spans.named | every)
    return sorted(
        {
            d + dt.timedelta(days=s)
            for d in days
            if dt.date(2019, 1, 1) < d < dt.date(2027, 1, 1)
            for s in (-2, -1, 0, 1, 2)
        }
    )


def _same_span(spans: DaySpans, day: dt.date, shift: int) -> dt.date | None:
    """A day `shift` days from `day` (walking one day at a time) in `day`'s span, else None."""
    step = dt.timedelta(days=1 if shift > 0 else -1)
    other = day
    for _ in range(abs(shift)):
        if spans.span(other + step) != spans.span(day):
            return None
        other += step
    return other


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_an_answer_lent_by_another_day_of_the_span_equals_the_question_on_its_day(
    ctx: Context, spans: DaySpans, near_cuts: list[dt.date], data: st.DataObject
) -> None:
    first_day = data.draw(
        st.sampled_from(near_cuts) | st.dates(dt.date(2018, 1, 1), dt.date(2027, 12, 31)), label="first day"
    )
    shift = data.draw(st.integers(-12, 12), label="shift")
    day = _same_span(spans, first_day, shift) or first_day
    q: dict[str, Any] = {
        "eccn": data.draw(st.sampled_from(ECCNS), label="eccn"),
        "destination": data.draw(st.sampled_from(DESTS), label="to"),
        "as_of": first_day.isoformat(),
    }
    if data.draw(st.integers(0, 3), label="known_on?") == 0:
        q["known_on"] = data.draw(st.sampled_from(near_cuts), label="known_on").isoformat()
    if data.draw(st.integers(0, 4), label="end use?") == 0:
        q["end_use"] = "military"
    if data.draw(st.integers(0, 3), label="value?") == 0:
        q["value"] = float(data.draw(st.sampled_from((500, 1500, 5000, 250_000)), label="value"))
    neighbours = data.draw(st.booleans(), label="neighbours")
    ctx.answers.clear()
    ctx.neighbours.clear()
    check_one(eccn="EAR99", destination="DE", as_of="2025-01-01", context=ctx, fuzzy=False)  # warm
    first = check_one(**q, context=ctx, fuzzy=False, neighbours=neighbours)
    assert _plain(first) == _alone(ctx, q)
    asked = {**q, "as_of": day.isoformat()}
    kept = len(ctx.answers), len(ctx.neighbours)
    got = check_one(**asked, context=ctx, fuzzy=False, neighbours=neighbours)
    if spans.lends(first_day) and q.get("known_on") != q["as_of"]:
        assert (len(ctx.answers), len(ctx.neighbours)) == kept, "lent by the first day, not computed"
    assert _plain(got) == _alone(ctx, asked), asked


@pytest.mark.parametrize("neighbours", [False, True])
def test_a_day_of_the_span_is_answered_from_the_kept_day(
    ctx: Context, spans: DaySpans, neighbours: bool
) -> None:
    day = next(
        d
        for d in (dt.date(2025, 6, 1) - dt.timedelta(days=i) for i in range(400))
        if spans.lends(d) and spans.span(d + dt.timedelta(days=3)) == spans.span(d)
    )
    ctx.answers.clear()
    ctx.neighbours.clear()
    check_one(eccn="EAR99", destination="DE", as_of="2025-01-01", context=ctx, fuzzy=False)  # warm
    q = {"eccn": "3A090", "destination": "CN"}
    check_one(**q, as_of=day, context=ctx, fuzzy=False, neighbours=neighbours)
    kept = len(ctx.answers), len(ctx.neighbours)
    for later in (1, 3):
        asked = {**q, "as_of": (day + dt.timedelta(days=later)).isoformat()}
        got = check_one(**asked, context=ctx, fuzzy=False, neighbours=neighbours)
        assert (len(ctx.answers), len(ctx.neighbours)) == kept, "lent, not computed"
        assert _plain(got) == _alone(ctx, asked)
        assert str(got["as_of"]) == asked["as_of"] and day.isoformat() not in str(got)


def test_a_day_an_input_names_lends_nothing_and_cuts_its_span(spans: DaySpans) -> None:
    named = min(d for d in spans.named if d.year >= 2024)
    assert not spans.lends(named)
    before, after = named - dt.timedelta(days=1), named + dt.timedelta(days=1)
    # `as_of < d` flips at d and `as_of <= d` at d + 1: the named day is a span of its own
    assert spans.span(before) != spans.span(named) != spans.span(after)


def test_a_question_naming_a_party_is_never_lent(ctx: Context) -> None:
    ctx.answers.clear()
    ctx.neighbours.clear()
    q = {"eccn": "3A090", "destination": "CN", "parties": ["Acme Widgets GmbH"]}
    check_one(**q, as_of="2025-06-01", context=ctx, fuzzy=False, neighbours=False)
    kept = len(ctx.answers)  # the question's answer (and, for a clean party, its stand-in's: clean_parties)
    check_one(**q, as_of="2025-06-02", context=ctx, fuzzy=False, neighbours=False)
    assert len(ctx.answers) == 2 * kept  # the next day computed and kept as the first was, not lent


@dataclass(frozen=True)
class _Holder:
    day: dt.date
    text: str
    frame: pl.DataFrame


def test_dates_in_reads_values_texts_frames_and_dataclasses() -> None:
    out: set[dt.date] = set()
    frame = pl.DataFrame(
        {"since": [dt.date(2020, 12, 23), None], "note": ["from 2021-03-04 on", None], "n": [1, 2]}
    )
    dates_in(
        [_Holder(dt.date(2019, 5, 16), "ends 2026-07-23", frame), {"k": (dt.datetime(2024, 1, 2, 3),)}], out
    )
    assert out == {
        dt.date(2019, 5, 16),
        dt.date(2026, 7, 23),
        dt.date(2020, 12, 23),
        dt.date(2021, 3, 4),
        dt.date(2024, 1, 2),
    }


def test_restamp_replaces_the_lent_day_everywhere_and_the_regime() -> None:
    row = {
        "as_of": dt.date(2025, 6, 1),
        "regime": "old",
        "checks": [{"what": "63 measures in force on 2025-06-01", "result": "none"}],
        "known_on": None,
    }
    got = restamp(row, dt.date(2025, 6, 1), dt.date(2025, 6, 3), "new")
    assert got == {
        "as_of": dt.date(2025, 6, 3),
        "regime": "new",
        "checks": [{"what": "63 measures in force on 2025-06-03", "result": "none"}],
        "known_on": None,
    }
    assert row["checks"][0]["what"].endswith("2025-06-01"), "the kept row is not changed"


def test_the_spans_follow_an_edited_rules_file(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exportctl.registry import rules

    text = rules.bundled_rules_path().read_text(encoding="utf-8")
    assert "effective: 2023-11-17" in text
    before = ctx.day_spans()
    moved = dt.date(2023, 11, 20)
    assert moved not in before.named
    copy = tmp_path / "us-ear.yaml"
    copy.write_text(text.replace("effective: 2023-11-17", "effective: 2023-11-20"), encoding="utf-8")
    monkeypatch.setenv(rules.ENV_RULES, str(copy))
    assert moved in ctx.day_spans().named  # read again for the edited file
    monkeypatch.delenv(rules.ENV_RULES)
    assert moved not in ctx.day_spans().named
