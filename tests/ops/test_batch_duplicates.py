"""A batch that asks the same question many times answers each copy as the batch asking it once.

check_table determines each distinct question once and copies its result (ops/check_distinct.py);
check_keyed answers each distinct question once (the same query object under several ids read once) and
reuses the answers kept on its Context, copied or (shared) not. Whatever the
copies, their order and the ids, every id's answer must be the one the batch without the copies gives,
and a malformed row's reasons must still name its own row number in its own batch.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.batch import check_keyed
from exportctl.ops.check import Context, check_table

DAY = dt.date(2025, 5, 1)
POOL: list[dict[str, Any]] = [
    {"destination": "CN", "as_of": DAY, "eccn": "3A090.a"},
    {"destination": "CN", "as_of": DAY, "eccn": "3A090.a", "known_on": dt.date(2023, 1, 1)},
    {"destination": "DE", "as_of": DAY, "eccn": "EAR99"},
    {"destination": "RU", "as_of": "2024-02-01", "eccn": "5A992.c"},
    {"destination": "TH", "as_of": "2025-04-01", "eccn": "2B350.g", "value": 1500.0},
    {"destination": "CN", "as_of": "2025-05-01", "product": "NVIDIA H20"},
    {"destination": "CN", "as_of": DAY, "eccn": "EAR99", "parties": ["Huawei Technologies Co., Ltd."]},
    {"destination": "CN", "as_of": DAY, "eccn": "EAR99", "parties": ["Trading Company 7 Ltd.", "Acme"]},
    {"destination": "DE", "as_of": DAY, "eccn": "3A090", "exporting_country": "CN"},
    {"destination": "Narnia", "as_of": DAY, "eccn": "3A090"},  # malformed: each copy names its row
    {"destination": "CN", "as_of": DAY, "eccn": "9Z999", "parties": ["Huawei"]},
    {"destination": "DE", "as_of": DAY, "eccn": "EAR99", "parties": ["!!!"]},
]
_ROW = re.compile(r"row (\d+): ")


def _numbers(answer: dict[str, Any]) -> set[int]:
    """The row numbers an answer's reasons and checks name."""
    texts = [r.get("text") or "" for r in answer["reasons"]]
    texts += [c.get("result") or "" for c in answer["checks"]]
    return {int(n) for t in texts for n in _ROW.findall(t)}


def _unnumbered(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer with its row numbers taken out (they differ between two batches by construction)."""
    out = copy.deepcopy(answer)
    for r in out["reasons"]:
        r["text"] = _ROW.sub("row N: ", r.get("text") or "")
    for c in out["checks"]:
        c["result"] = _ROW.sub("row N: ", c.get("result") or "")
    return out


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(
    picks=st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=5, unique=True),
    copies=st.lists(st.integers(0, 4), min_size=1, max_size=14),
    known_on=st.sampled_from([None, dt.date(2024, 1, 1)]),
    kept=st.booleans(),
    shared=st.booleans(),
)
def test_copies_answer_as_the_batch_without_them(
    ctx: Context, picks: list[int], copies: list[int], known_on: dt.date | None, kept: bool, shared: bool
) -> None:
    once = {f"q{i}": POOL[i] for i in picks}
    # every distinct query at least once, then copies of them in any order, each under its own id
    asked = [f"q{i}" for i in picks] + [f"q{picks[c % len(picks)]}" for c in copies]
    order = sorted(range(len(asked)), key=lambda k: (k * 7919) % len(asked))
    many = {f"c{k}-{asked[k]}": POOL[int(asked[k][1:])] for k in order}
    if not kept:
        ctx.answers.clear()  # the copies determined afresh, not read from the first batch's answers
    single, env1 = check_keyed(once, known_on=known_on, context=ctx, fuzzy=False, fail_on="hold")
    if not kept:
        ctx.answers.clear()
    # shared: the answers read the kept rows without copying them (the API's batch, which only writes them)
    repeated, env2 = check_keyed(
        many, known_on=known_on, context=ctx, fuzzy=False, fail_on="hold", shared=shared
    )
    assert list(repeated) == list(many)  # every id kept, in the caller's order
    for position, (cid, answer) in enumerate(repeated.items(), start=1):
        base = single[cid.split("-", 1)[1]]
        assert _unnumbered(answer) == _unnumbered(base), cid
        if answer.get("error"):  # a malformed row names its own place in its batch
            assert _numbers(answer) == {position}, cid
    assert env2.rows == len(many) and env2.warnings == env1.warnings
    assert env2.errors == sum(1 for a in repeated.values() if a.get("error"))
    assert {c["verdict"]: c["rows"] for c in env2.summary} == {
        v["verdict"]: sum(1 for a in repeated.values() if a["verdict"] == v["verdict"]) for v in env2.summary
    }


BOOK = [
    {"eccn": "3A090.a", "destination": "CN", "date": "2025-05-01"},
    {"eccn": "EAR99", "destination": "RU", "date": "2023-06-01", "ultimate_consignee": "Acme Trading"},
    {"eccn": "2B350.g", "destination": "TH", "date": "2025-04-01", "value": "9000"},
    {"eccn": "EAR99", "destination": "Narnia", "date": "2025-05-01"},
]


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    cols = ("eccn", "destination", "date", "value", "ultimate_consignee")
    return pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema=dict.fromkeys(cols, pl.Utf8))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(picks=st.lists(st.integers(0, len(BOOK) - 1), min_size=2, max_size=12))
def test_a_book_with_copies_answers_each_copy_as_the_book_without(ctx: Context, picks: list[int]) -> None:
    # check_table alone (the CLI's path): rows repeated answer as the same rows once, row for row
    once = check_table(_frame(BOOK), context=ctx).to_dicts()
    many = check_table(_frame([BOOK[i] for i in picks]), context=ctx).to_dicts()
    for position, (i, row) in enumerate(zip(picks, many, strict=True), start=1):
        base = once[i]
        if base["error"] is not None:  # its own row number, in the error and its reasons
            assert row["error"] == base["error"].replace(f"row {i + 1}:", f"row {position}:")
            assert all(f"row {position}: " in r["text"] for r in row["reasons"] if r["code"] == "input")
            continue
        assert row == base, (i, position)
