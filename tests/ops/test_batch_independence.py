"""Batch-first must never mean batch-dependent: a row answers the same inside any batch as alone.

Random small batches are drawn from a pool of varied transactions (dates 2018-2026, US and PRC
exporters, subparagraphs, EAR99, named products, embargoed and sanctioned destinations, listed parties,
values for LVS, `known_on` before and after the acts); each row's verdict, reason codes and exceptions
must equal its answer alone. Runs over the shared snapshots (no store), like the golden cases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.check import Context, check_table
from exportctl.registry import load_registry
from exportctl.sources import china_lists, csl, ecfr
from exportctl.store.dataset import Dataset

COLS = (
    "exporting_country",
    "eccn",
    "product",
    "destination",
    "end_use",
    "value",
    "date",
    "known_on",
    "ultimate_consignee",
    "end_user",
)


def _tx(**kw: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = dict.fromkeys(COLS)
    row["exporting_country"] = "US"
    row.update(kw)
    return row


POOL: list[dict[str, str | None]] = [
    _tx(eccn="3A991", destination="RU", date="2021-05-01"),
    _tx(eccn="3A991", destination="RU", date="2025-03-01"),
    _tx(eccn="EAR99", destination="RU", date="2023-06-01"),
    _tx(eccn="EAR99", destination="RU", date="2019-06-01"),
    _tx(eccn="5A992.c", destination="RU", date="2024-02-01"),
    _tx(eccn="5A992.c", destination="DE", date="2024-02-01"),
    _tx(eccn="3A090.a", destination="CN", date="2023-12-01"),
    _tx(eccn="3A090.a", destination="CN", date="2022-12-01"),
    _tx(eccn="3A090.a", destination="MO", date="2025-06-01"),
    _tx(eccn="3A090.a", destination="IN", date="2025-03-01"),
    _tx(eccn="3B001.c.1.a", destination="NL", date="2025-03-01"),
    _tx(eccn="3B001.c", destination="CN", date="2024-06-01"),
    _tx(eccn="4A994", destination="CN", date="2025-03-01", end_use="military"),
    _tx(eccn="2B350.g", destination="CN", date="2025-04-01"),
    _tx(eccn="2B350.g", destination="TH", date="2025-04-01", value="1500"),
    _tx(eccn="2B350.g", destination="TH", date="2025-04-01", value="9000"),
    _tx(eccn="3C001", destination="IN", date="2018-03-01", value="2500"),
    _tx(eccn="3C001", destination="IN", date="2025-04-01"),
    _tx(eccn="5A002.a", destination="DE", date="2020-01-01"),
    _tx(eccn="EAR99", destination="IR", date="2024-01-01"),
    _tx(eccn="EAR99", destination="UA-43", date="2020-01-01"),
    _tx(eccn="EAR99", destination="US", date="2025-01-01"),
    _tx(eccn="9A991", destination="HK", date="2020-06-01"),
    _tx(eccn="9A991", destination="HK", date="2021-06-01"),
    _tx(product="NVIDIA H20", destination="CN", date="2025-05-01"),
    _tx(product="NVIDIA H20", destination="CN", date="2025-05-01", known_on="2025-01-01"),
    _tx(product="NVIDIA H20", destination="CN", date="2024-05-01"),
    _tx(product="EDA software", destination="CN", date="2025-06-15"),
    _tx(product="EDA software", destination="CN", date="2025-06-15", known_on="2025-05-01"),
    _tx(product="ethane", destination="CN", date="2025-06-15"),
    _tx(product="some widget", destination="CN", date="2025-06-15"),
    _tx(
        eccn="EAR99", destination="CN", date="2025-03-01", ultimate_consignee="Huawei Technologies Co., Ltd."
    ),
    _tx(
        eccn="EAR99", destination="CN", date="2018-06-01", ultimate_consignee="Huawei Technologies Co., Ltd."
    ),
    _tx(eccn="3A001.b.2", destination="CN", date="2025-10-15", end_user="Huawei Technologies Co., Ltd."),
    _tx(
        eccn="9A991", destination="CN", date="2025-03-01", end_user="AECC Commercial Aircraft Engine Co. Ltd."
    ),
    _tx(eccn="EAR99", destination="AE", date="2025-03-01", ultimate_consignee="Abu Trade LLC"),
    _tx(
        product="EDA software",
        destination="CN",
        date="2025-06-15",
        ultimate_consignee="Beijing Chip Design Studio Co., Ltd.",
    ),
    _tx(exporting_country="CN", eccn="8112929010", destination="US", date="2023-07-15"),
    _tx(exporting_country="CN", eccn="8112929010", destination="US", date="2025-03-01"),
    _tx(exporting_country="CN", eccn="8112929010", destination="US", date="2025-12-01"),
    _tx(exporting_country="CN", product="gallium metal", destination="NL", date="2025-03-01"),
    _tx(exporting_country="CN", product="dysprosium oxide", destination="US", date="2025-05-01"),
    _tx(
        exporting_country="CN",
        product="rare-earth magnets",
        destination="US",
        date="2025-03-01",
        ultimate_consignee="General Dynamics",
    ),
    _tx(
        exporting_country="CN",
        eccn="8482100000",
        product="ball bearings",
        destination="US",
        date="2025-09-01",
        ultimate_consignee="Oceaneering International, Inc.",
    ),
    _tx(eccn="3A090.a", destination="CN", date="2026-03-01"),
    _tx(eccn="EAR99", destination="CN", date="2025-03-01", end_use="military"),
    _tx(eccn="EAR99", destination="RU", date="2024-03-01", end_use="military"),
    _tx(eccn="9A991", destination="VE", date="2021-03-01", end_use="military"),
    _tx(eccn="3C001", destination="UA-43", date="2024-02-01", value="100"),
    _tx(eccn="5A002.a", destination="RU", date="2023-02-01"),
    _tx(eccn="2B350.g", destination="TH", date="2019-04-01", value="1500", known_on="2019-01-01"),
    _tx(
        product="EDA software",
        destination="CN",
        date="2025-06-15",
        known_on="2025-05-01",
        ultimate_consignee="Beijing Chip Design Studio Co., Ltd.",
    ),
    _tx(
        exporting_country="CN",
        product="gallium metal",
        destination="US",
        date="2025-03-01",
        known_on="2023-01-01",
    ),
    _tx(eccn="0A919", destination="UA", date="2026-01-01"),
]


def shared_context(shared: Path) -> Context:
    """A Context over the shared snapshots (no store), with the bundled measures."""
    ear = shared / "ear-2026-07-23"
    tables = [
        ecfr.parse_ccl(ear / "ccl.json"),
        ecfr.parse_country_chart(ear / "country-chart.json"),
        ecfr.parse_country_groups(ear / "country-groups.json"),
        csl.parse_csl_compact(shared / "csl-2026-07-31" / "screening-list.json"),
        china_lists.parse_cn_parties(shared / "china-2026-07" / "cn_entity_lists.json"),
    ]
    return Context(Dataset.from_tables(tables), load_registry())


def _frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict.fromkeys(COLS, pl.Utf8))


def _answer(row: dict[str, Any]) -> tuple[Any, ...]:
    reasons = sorted((r["code"], r["effect"]) for r in row["reasons"] or [])
    exceptions = sorted((e["code"], e["applies"]) for e in row["exceptions"] or [])
    return row["verdict"], row["license_required"], reasons, exceptions, row["error"]


@pytest.fixture(scope="module")
def ctx(shared_data: Path) -> Context:
    return shared_context(shared_data)


@pytest.fixture(scope="module")
def alone(ctx: Context) -> list[tuple[Any, ...]]:
    return [_answer(check_table(_frame([r]), context=ctx).row(0, named=True)) for r in POOL]


def test_whole_pool_as_one_batch(ctx: Context, alone: list[tuple[Any, ...]]) -> None:
    out = check_table(_frame(POOL), context=ctx)
    for i, row in enumerate(out.iter_rows(named=True)):
        assert _answer(row) == alone[i], POOL[i]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(picks=st.lists(st.integers(0, len(POOL) - 1), min_size=2, max_size=6))
def test_random_batches_answer_as_alone(ctx: Context, alone: list[tuple[Any, ...]], picks: list[int]) -> None:
    out = check_table(_frame([POOL[i] for i in picks]), context=ctx)
    for i, row in zip(picks, out.iter_rows(named=True), strict=True):
        assert _answer(row) == alone[i], POOL[i]


def test_fuzzy_prc_row_with_a_party_answers(ctx: Context, alone: list[tuple[Any, ...]]) -> None:
    # the PRC screening index was once built from the raw party table (no `list` column): a traceback
    i = next(k for k, r in enumerate(POOL) if r["ultimate_consignee"] == "General Dynamics")
    row = check_table(_frame([POOL[i]]), context=ctx, fuzzy=True).row(0, named=True)
    assert row["error"] is None
    assert row["verdict"] == alone[i][0]


def test_reasons_lists_read_alike_on_both_paths(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    # engine/ear/verdict.py slices a few rows' reasons lists in polars and builds larger batches' in pyarrow:
    # the same rows give the same lists, in the same order, either way
    from exportctl.engine.ear import verdict

    sliced = check_table(_frame(POOL), context=ctx)
    monkeypatch.setattr(verdict, "FEW_ROWS", -1)
    built = check_table(_frame(POOL), context=ctx)
    assert sliced["reasons"].to_list() == built["reasons"].to_list()
    monkeypatch.setattr(verdict, "FEW_ROWS", 10**9)
    assert check_table(_frame(POOL), context=ctx)["reasons"].to_list() == built["reasons"].to_list()


LISTS = ("reasons", "review_policy", "exceptions", "screening", "checks")


def _shifted(days: int) -> list[dict[str, str | None]]:
    """POOL with every date moved by `days` (known_on too): other keys, the same kinds of answers."""
    import datetime as dt

    def move(value: str | None) -> str | None:
        return None if value is None else (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()

    return [{**r, "date": move(r["date"]), "known_on": move(r["known_on"])} for r in POOL]


def test_lists_keep_one_order_in_a_large_batch_either_way_round(ctx: Context) -> None:
    # a batch of thousands of keys is joined and grouped on several threads: the engine's own lists come
    # out in an order that depends on the batch (two runs of 1M rows listed Iran's review policies and a
    # row's hits in different orders). Each answer's lists are in one content order whatever the batch:
    # forwards, backwards and alone, element for element, not only as sets
    rows = [r for days in range(0, 120, 2) for r in _shifted(days)]
    book = _frame(rows)
    forwards = check_table(book, context=ctx).select(LISTS)
    backwards = check_table(book.reverse(), context=ctx).select(LISTS).reverse()
    for col in LISTS:
        assert forwards[col].to_list() == backwards[col].to_list(), col
    by_itself = check_table(_frame(POOL), context=ctx).select(LISTS)
    for col in LISTS:
        assert forwards[col].head(len(POOL)).to_list() == by_itself[col].to_list(), col


def test_removal_of_a_subparagraph_beside_a_whole_eccn_in_one_batch(ctx: Context) -> None:
    # 3A001 (a removal naming no subparagraph) beside 3A090 (removals naming .a/.c) to China in one batch:
    # polars ran the subparagraph overlap on every row, also those naming none, and raised TypeError
    rows = [_tx(eccn=e, destination="CN", date="2025-06-01") for e in ("3A001", "3A090")]
    out = check_table(_frame(rows), context=ctx)
    for row, tx in zip(out.iter_rows(named=True), rows, strict=True):
        assert _answer(row) == _answer(check_table(_frame([tx]), context=ctx).row(0, named=True))
