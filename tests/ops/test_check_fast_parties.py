"""ops.check_fast_parties.answer_parties gives check_table's row for a one-row question naming parties (and
None only where the plan holds the row with an input error or the path declines): listed names exact and
mutated (Entity List, SDN, MEU, DPL), names in other scripts, the parties measures name (is-informed
companies), clean names, one to four roles, with and without party countries, dates 2016-2027, random
destinations, some end uses and values, exact and fuzzy screening, reviewers' suppressions; and check_one
answers a new question naming a listed party through it."""

from __future__ import annotations

import datetime as dt
import random
import sys
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.engine.common.party_rows import measure_parties
from exportctl.ops.check import Context, check_table
from exportctl.ops.check_answer import RESULT_COLUMNS
from exportctl.ops.check_fast_parties import answer_parties
from exportctl.ops.check_input import ROLES, transaction_row

FIRST, LAST = dt.date(2016, 1, 1), dt.date(2027, 12, 31)
SUFFIXES = ("", "", "", ".a", ".b", ".z", ".a.1")
CLEAN = ("Qzxv Wjkq Ypfx", "Northwind Traders", "Blue Harbor Logistics LLC", "Acme Widgets GmbH")
SCRIPTS = (
    "中芯国际集成电路制造有限公司",
    "华为技术有限公司",
    "ООО Ромашка",
    "شركة النور للتجارة",
    "Сбербанк",
)
COUNTRIES = ("CN", "RU", "IR", "HK", "DE", "AE", "US", "Russia", None, None, None)


def _names(ctx: Context) -> list[str]:
    """Listed names to ask: Entity List, SDN, MEU, DPL and UVL entries, and the parties measures name."""
    csl = ctx.us_lists()
    assert csl is not None
    out: list[str] = []
    for lst in ("EL", "SDN", "MEU", "DPL", "UVL", "CMIC"):
        part = csl.filter(pl.col("list") == lst)["name"].drop_nulls()
        out += part.sample(min(40, part.len()), seed=7).to_list()
    determine = sys.modules["exportctl.engine.ear.determine"]
    from exportctl.registry import compile_regime

    for day in (dt.date(2022, 10, 1), dt.date(2024, 6, 1), dt.date(2026, 1, 1)):
        regime = compile_regime(ctx.registry, day, None, None)
        fixed = determine._fixed({0: regime}, ctx.tables, csl, ctx.version)
        named = measure_parties(fixed.effects)
        if named.height:
            out += named["name"].unique().sort().to_list()
    return out


def _mutated(name: str, rng: random.Random) -> str:
    """A listed name as a clerk might write it: a letter changed or dropped, a word left out, case."""
    words = name.split()
    kind = rng.randrange(5)
    if kind == 0 and len(name) > 6:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1 :]
    if kind == 1 and len(name) > 6:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + rng.choice("aeiouxk") + name[i + 1 :]
    if kind == 2 and len(words) > 2:
        return " ".join(words[:-1])
    if kind == 3:
        return name.upper()
    return name


def _question(ctx: Context, names: list[str], rng: random.Random) -> dict[str, Any]:
    """A random question naming one to four parties (check_one's row, with party countries at times)."""
    eccns, dests = ctx.neighbours.axes(ctx)
    eccn = rng.choice([*eccns[:200], "EAR99", "3A090", "5A992", "4A994", "9A515"])
    if eccn != "EAR99":
        eccn += rng.choice(SUFFIXES)
    day = FIRST + dt.timedelta(days=rng.randrange((LAST - FIRST).days + 1))
    known = day - dt.timedelta(days=rng.randrange(0, 400)) if rng.random() < 0.1 else None
    parties = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        pick = rng.random()
        if pick < 0.55:
            parties.append(_mutated(rng.choice(names), rng))
        elif pick < 0.8:
            parties.append(rng.choice(CLEAN))
        else:
            parties.append(rng.choice(SCRIPTS))
    dest = rng.choice([*dests, "CN", "RU", "IR", "HK", "AE"])
    use = rng.choice(["military", "nuclear", "supercomputer"]) if rng.random() < 0.15 else None
    value = rng.choice(["100", "2500", "1000000", "EUR 500"]) if rng.random() < 0.15 else None
    row = transaction_row(
        eccn=eccn, destination=dest, as_of=day, known_on=known, parties=parties, end_use=use, value=value
    )
    if rng.random() < 0.3:
        for role in ROLES[: len(parties)]:
            country = rng.choice(COUNTRIES)
            if country is not None:
                row[f"{role}_country"] = country
    return row


def _plan(
    ctx: Context, rows: list[dict[str, Any]], fuzzy: bool, decided: pl.DataFrame | None
) -> list[dict[str, Any]]:
    """check_table's RESULT_COLUMNS rows of `rows` as one book (every row with every column)."""
    cols = list(dict.fromkeys(c for r in rows for c in r))
    frame = pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema=dict.fromkeys(cols, pl.Utf8))
    out = check_table(frame, fuzzy=fuzzy, context=ctx, suppressed=decided).select(RESULT_COLUMNS)
    return list(out.iter_rows(named=True))


def _decided(ctx: Context, names: list[str]) -> pl.DataFrame:
    """Reviewers' decisions on some listed names' entries (as reviews.suppressions gives them)."""
    from exportctl.engine.screening.normalise import name_key, normalise

    csl = ctx.us_lists()
    assert csl is not None
    picked = csl.filter(pl.col("name").is_in(names[::5]))
    return pl.DataFrame(
        {
            "party_key": [name_key(normalise(n)) for n in picked["name"].to_list()],
            "list": picked["list"].to_list(),
            "entity_id": picked["entity_id"].cast(pl.Utf8).to_list(),
            "suppressed_by": ["reviewer@example.com"] * picked.height,
        },
        schema={"party_key": pl.Utf8, "list": pl.Utf8, "entity_id": pl.Utf8, "suppressed_by": pl.Utf8},
    )


@pytest.fixture(scope="module")
def names(ctx: Context) -> list[str]:
    return _names(ctx)


def _compare(ctx: Context, rows: list[dict[str, Any]], fuzzy: bool, decided: pl.DataFrame | None) -> int:
    """Assert answer_parties equals check_table on every row it answers; the rows answered."""
    answered = 0
    for row, want in zip(rows, _plan(ctx, rows, fuzzy, decided), strict=True):
        got = answer_parties(ctx, {**row}, None, fuzzy=fuzzy, decided=decided)
        if got is None:
            continue
        assert want["error"] is None, row
        assert got == want, row
        # asked again: its fuzzy hits kept per index (engine.ear.one_hits), the same answer
        assert answer_parties(ctx, {**row}, None, fuzzy=fuzzy, decided=decided) == want, row
        answered += 1
    return answered


@pytest.mark.parametrize("fuzzy", [False, True])
def test_answer_parties_equals_check_table_on_a_seeded_sweep(
    ctx: Context, names: list[str], fuzzy: bool
) -> None:
    rng = random.Random(2026 + fuzzy)
    rows = [_question(ctx, names, rng) for _ in range(600)]
    decided = _decided(ctx, names)
    answered = sum(_compare(ctx, rows[i : i + 200], fuzzy, decided) for i in range(0, len(rows), 200))
    assert answered >= 500, answered


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(seed=st.integers(0, 2**32 - 1), fuzzy=st.booleans(), reviewed=st.booleans())
def test_answer_parties_equals_check_table_alone(
    ctx: Context, names: list[str], seed: int, fuzzy: bool, reviewed: bool
) -> None:
    row = _question(ctx, names, random.Random(seed))
    decided = _decided(ctx, names) if reviewed else None
    (want,) = _plan(ctx, [row], fuzzy, decided)
    got = answer_parties(ctx, row, None, fuzzy=fuzzy, decided=decided)
    assert got is None or got == want


def test_questions_it_does_not_answer_are_left_to_the_plan(ctx: Context) -> None:
    base = transaction_row(eccn="3A090", destination="CN", as_of=dt.date(2025, 6, 1), parties=["Huawei"])
    assert answer_parties(ctx, base, None, fuzzy=False, decided=None) is not None
    plain = transaction_row(eccn="3A090", destination="CN", as_of=dt.date(2025, 6, 1))
    assert answer_parties(ctx, plain, None, fuzzy=False, decided=None) is None  # no party: answer_plain's
    for other in (
        {"value": "EUR 5"},
        {"product": "laptop"},
        {"ultimate_consignee": "!!!"},
        {"eccn": "9Z999"},
    ):
        assert answer_parties(ctx, {**base, **other}, None, fuzzy=False, decided=None) is None


def test_check_one_answers_a_listed_party_through_it(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new question naming a listed party, alone: answer_parties' row, as check_table gives it."""
    from exportctl.ops import check_fast_parties
    from exportctl.ops.check import check_one

    called: list[Any] = []
    real = check_fast_parties.answer_parties

    def spy(*args: Any, **kwargs: Any) -> Any:
        called.append(real(*args, **kwargs))
        return called[-1]

    monkeypatch.setattr(check_fast_parties, "answer_parties", spy)
    day = dt.date(2023, 4, 11)
    got = check_one(
        eccn="3A001.a",
        destination="CN",
        as_of=day,
        parties=["Huawei Technologies"],
        context=ctx,
        neighbours=False,
    )
    assert called and called[0] is not None
    row = transaction_row(eccn="3A001.a", destination="CN", as_of=day, parties=["Huawei Technologies"])
    (want,) = _plan(ctx, [row], True, ctx.suppressions())
    assert got["verdict"] == want["verdict"] == called[0]["verdict"]
    assert called[0]["reasons"] == want["reasons"] and called[0]["screening"] == want["screening"]
