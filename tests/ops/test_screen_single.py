"""A name screened alone (ops.screen.screen_names: its hits as dicts, no tables) answers exactly as the
same name in a parties table (screen_table: the batch path through the hits frame)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.check import Context
from exportctl.ops.screen import screen_names, screen_table

LISTED = [
    "Huawei Technologies",
    "HUAWEI TECHNOLOGIES CO., LTD., 101 Main Road, Shenzhen",
    "Kim Jong Un",
    "Vladimir Putin",
    "Bank Melli Iran",
    "Rosneft",
    "Aero Engine Corporation of China",
    "Beijing Institute of Technology",
    "華為技術有限公司",
    "Ali Khamenei",
]
NAMES = st.one_of(
    st.sampled_from(LISTED),
    st.builds(lambda n, cut: n[: max(4, cut)], st.sampled_from(LISTED), st.integers(4, 40)),
    st.text(alphabet="abcdehiklmnoprstuvwyz ABHKMR", min_size=3, max_size=24).filter(str.strip),
)


@pytest.fixture(scope="module")
def lists(ctx: Context) -> object:
    """The dataset whose lists are screened (its index built once)."""
    screen_names(["warm"], dataset=ctx.dataset, decisions=False)
    return ctx.dataset


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=NAMES,
    others=st.lists(st.sampled_from(LISTED), max_size=3),
    country=st.sampled_from(["", "CN", "RU"]),
    dob=st.sampled_from(["", "1961-01-08", "1970"]),
    as_of=st.sampled_from([None, dt.date(2020, 1, 1), dt.date(2026, 7, 1)]),
    threshold=st.sampled_from([0.6, 0.7]),
)
def test_a_name_alone_answers_as_in_a_table(
    lists: object,
    name: str,
    others: list[str],
    country: str,
    dob: str,
    as_of: dt.date | None,
    threshold: float,
) -> None:
    alone = screen_names(
        [name], country=country or None, dob=dob, threshold=threshold, dataset=lists, as_of=as_of
    )[0]
    table = pl.DataFrame(
        {
            "name": [*others, name],
            "country": [country] * (len(others) + 1),
            "dob": [dob] * (len(others) + 1),
        }
    )
    rows, version = screen_table(table, threshold=threshold, dataset=lists, as_of=as_of)
    assert version == alone["data_version"]
    assert alone["hits"] == rows[-1]["hits"]
    assert alone["cleared"] == rows[-1]["cleared"]


def test_one_name_given_as_a_string_is_screened_as_that_name(lists: object) -> None:
    # a str is a Sequence[str]: read as its characters, 'Kim Jong Un' was refused at the space
    (one,) = screen_names("Kim Jong Un", dataset=lists, decisions=False)
    assert one["query"] == "Kim Jong Un"
    assert one == screen_names(["Kim Jong Un"], dataset=lists, decisions=False)[0]
    assert any("KIM" in str(h["name"]).upper() for h in one["hits"])
