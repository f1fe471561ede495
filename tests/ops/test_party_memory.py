"""A book's party names screened once (engine.parties.remembering): the hits of every (name, country) are
those the screening engine gives that key asked on its own, whatever the chunks it comes in."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.engine import screening
from exportctl.engine.parties import _conform, _Remembered, match_parties, remembering
from exportctl.ops.check import Context
from exportctl.ops.screen_index import cached_list_index

COUNTRIES = ["", "CN", "RU", "IR", "HK", "DE", "AE", "KP", "US"]
COUNTRY = st.integers(0, len(COUNTRIES) - 1)
MADE_UP = ["Pacific Star 812 Ltd.", "Golden River Trading Co.", "Acme GmbH", "Siemens AG", "Nordic Valve AB"]


@pytest.fixture(scope="module")
def lists(ctx: Context) -> pl.DataFrame:
    found = ctx.us_lists()
    assert found is not None
    return found


@pytest.fixture(scope="module")
def index(ctx: Context, lists: pl.DataFrame) -> Any:
    return cached_list_index(f"{ctx.version}:{ctx.registry.content_hash}:us:memory-test", lists)


@pytest.fixture(scope="module")
def names(lists: pl.DataFrame) -> list[str]:
    """Listed names (some with countries, some misspelt, some in other scripts) beside made-up ones."""
    listed = (
        lists.filter(pl.col("list").is_in(["EL", "SDN", "MEU"]))
        .sort("entity_id")
        .gather_every(997)["name"]
        .head(14)
        .to_list()
    )
    misspelt = [n[:4] + n[5:] for n in listed[:5] if len(n) > 8]
    return [*listed, *misspelt, *MADE_UP, "华为技术有限公司", "Huawei Technologies Co Ltd", "Rosoboronexport"]


def _direct(index: Any, queries: pl.DataFrame) -> pl.DataFrame:
    """Each query's own screening (the reference: every (name, country) key screened as asked)."""
    return _conform(screening.match_parties(index, queries))


def _queries(names: list[str], picks: list[tuple[int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "qid": range(len(picks)),
            "name": [names[n] for n, _ in picks],
            "country": [COUNTRIES[c] or None for _, c in picks],
        },
        schema={"qid": pl.Int64, "name": pl.Utf8, "country": pl.Utf8},
    )


def test_a_name_without_a_hit_has_none_in_any_country(index: Any, names: list[str]) -> None:
    """What the memory rests on: a country only lowers a name's score or raises a hit the name found."""
    picks = [(n, c) for n in range(len(names)) for c in range(len(COUNTRIES))]
    hits = _direct(index, _queries(names, picks))
    hit = {picks[q][0] for q in hits["qid"].to_list()}
    bare = {picks[q][0] for q in hits["qid"].to_list() if picks[q][1] == 0}
    assert hit == bare
    assert bare and len(bare) < len(names)  # the pool has names with hits and names without


def test_the_memory_answers_every_key_as_its_own_screening(index: Any, names: list[str]) -> None:
    picks = [(n, c) for c in range(len(COUNTRIES)) for n in range(len(names))]
    queries = _queries(names, picks)
    want = _direct(index, queries)
    memory = _Remembered(1_000)
    got = pl.concat(
        [memory.hits("k", queries.slice(s, 37), index) for s in range(0, queries.height, 37)],
        how="vertical_relaxed",
    )
    assert got.equals(want)
    assert want.height > 0 and want["qid"].n_unique() < queries.height


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.tuples(st.integers(0, 29), COUNTRY), min_size=1, max_size=50),
    cut=st.integers(1, 60),
    limit=st.sampled_from([1, 8, 1_000]),
)
def test_any_chunking_and_any_bound_answer_the_same(
    index: Any, names: list[str], picks: list[tuple[int, int]], cut: int, limit: int
) -> None:
    """Chunks of a book with repeated names (a bound small enough to start over mid-book, too)."""
    queries = _queries(names, [(n % len(names), c) for n, c in picks])
    want = _direct(index, queries)
    memory = _Remembered(limit)
    got = [memory.hits("k", queries.slice(s, cut), index) for s in range(0, queries.height, cut)]
    assert pl.concat(got, how="vertical_relaxed").equals(want)


def test_the_engines_seam_remembers_within_a_block(lists: pl.DataFrame, index: Any, names: list[str]) -> None:
    """engine.parties.match_parties gives the same hits inside `remembering` (chunk after chunk) and out."""
    key = "memory-seam:us"
    from exportctl.engine.parties import provide_index

    provide_index(key, index)
    queries = _queries(names, [(n, c) for n in range(len(names)) for c in (0, 1, 2)])
    alone = match_parties(queries, lists, fuzzy=True, index_key=key)
    with remembering(100_000):
        first = match_parties(queries, lists, fuzzy=True, index_key=key)
        again = match_parties(queries, lists, fuzzy=True, index_key=key)
    assert first.equals(alone) and again.equals(alone) and alone.height


def test_a_name_with_one_country_is_screened_once(index: Any, names: list[str]) -> None:
    """A single check's party is screened with its country only (no screening without one first);
    a name asked with several countries is screened without one, then only if it hits, with each."""
    memory = _Remembered(1_000)
    listed, made_up = names[0], MADE_UP[0]
    memory.hits("k", _queries([listed], [(0, 1)]), index)
    assert set(memory.ids) == {("k", listed, "CN")}
    memory.hits("k", _queries([listed, made_up], [(0, 2), (0, 3), (1, 2), (1, 3)]), index)
    assert set(memory.ids) == {("k", listed, c) for c in ("CN", "RU", "IR")} | {("k", made_up, "")}
