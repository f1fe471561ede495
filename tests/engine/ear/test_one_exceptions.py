"""engine.ear.one_exceptions gives, for one row, what the columnar expressions give (exceptions.considered
and checks.exception_checks): every combination of the twelve flags, each with several requirements,
measures' exclusions, LVS limits and outcomes, and null flags, compared in one frame."""

from __future__ import annotations

import itertools
import random
from typing import Any

import polars as pl

from exportctl.engine.ear import checks as chk
from exportctl.engine.ear import exceptions as le
from exportctl.engine.ear.one_exceptions import considered_one, exception_check
from exportctl.engine.ear.verdict import exception_value
from exportctl.registry.rules import ear_rules

COLS = [*le.FLAG_COLUMNS, "rr", "ex_off", "lvs_limit", "lvs_state"]
TYPES = [*[pl.Boolean] * len(le.FLAG_COLUMNS), pl.Utf8, pl.Utf8, pl.Float64, pl.Int8]
SECTIONS = {"LVS": "740.3", "GBS": "740.4", "ENC": "740.17", "ACA": "740.8", "NAC": "740.8", "XYZ": "740.99"}


def _requirements() -> list[str]:
    own = list(ear_rules().own_exception_codes.codes)
    return ["", "NS", "NS,EI", "EI", "RS", "MT", "NS,RS", "RS-RU", "NS,RS-RU", "AT", ",NS,", *own[:2]]


def _grid(seed: int) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    reqs = _requirements()
    offs = [None, "", "CIV", "LVS", "ENC,ACA", "GBS,LVS,NAC"]
    limits = [(None, None), (None, 0), (1500.0, 0), (1500.0, 1), (1500.0, 2), (5000.5, 1), (0.0, 2)]
    rows = []
    for flags in itertools.product([True, False], repeat=len(le.FLAG_COLUMNS)):
        for _ in range(5):
            limit, state = rng.choice(limits)
            rows.append((*flags, rng.choice(reqs), rng.choice(offs), limit, state))
    for _ in range(3000):  # null flags (a destination without a chart row, an unknown ECCN's facts)
        flags = tuple(rng.choice([True, False, None]) for _ in le.FLAG_COLUMNS)
        limit, state = rng.choice(limits)
        rows.append((*flags, rng.choice(reqs), rng.choice(offs), limit, state))
    return rows


def _plan(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    frame = pl.DataFrame(rows, schema=dict(zip(COLS, TYPES, strict=True)), orient="row")
    return list(
        frame.with_columns(rreasons=pl.col("rr").str.split(",").list.filter(pl.element() != ""))
        .with_columns(exceptions=le.considered(exception_value(), SECTIONS))
        .select("exceptions", chk.exception_checks(pl.col("exceptions")).alias("check"))
        .iter_rows(named=True)
    )


def _standing(limit: float | None, state: int | None) -> float | None:
    return None if limit is None or state not in (1, 2) else limit if state == 1 else limit + 1


def test_every_flag_combination_reads_as_the_columnar_expressions() -> None:
    rows = _grid(740)
    plan = _plan(rows)
    n = len(le.FLAG_COLUMNS)
    applies = set()
    for row, want in zip(rows, plan, strict=True):
        flags = dict(zip(le.FLAG_COLUMNS, row[:n], strict=True))
        rr, off, limit, state = row[n:]
        got = considered_one(flags, rr, off, limit, _standing(limit, state), SECTIONS)
        assert got == want["exceptions"], row
        assert exception_check(got) == want["check"], row
        applies |= {e["code"] for e in got if e["applies"]}
    assert applies == {"LVS", "GBS", "ENC", "ACA"}  # the grid reaches every exception that can apply


def test_none_considered_reads_as_the_columnar_check() -> None:
    want = pl.select(chk.exception_checks(pl.lit(None, pl.List(le.EXCEPTION_DTYPE))).alias("c")).item()
    assert exception_check(None) == want


def test_a_changed_text_shows() -> None:
    """The comparison can fail: the plan's list with one reason changed is not the one-row list."""
    base = {c: c == "x_b" for c in le.FLAG_COLUMNS}  # a Group B destination, nothing restricted
    row = (*base.values(), "NS", None, 1500.0, 1)
    (want,) = _plan([row])
    flags = dict(zip(le.FLAG_COLUMNS, row[: len(le.FLAG_COLUMNS)], strict=True))
    got = considered_one(flags, "NS", None, 1500.0, 1500.0, SECTIONS)
    assert got == want["exceptions"] and got[0]["applies"]
    assert considered_one(flags, "NS,MT", None, 1500.0, 1500.0, SECTIONS) != want["exceptions"]
