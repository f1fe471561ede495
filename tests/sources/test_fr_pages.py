"""Federal Register citations, the page -> publication date table and the notices file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.errors import DataError
from exportctl.sources.fr_pages import (
    Citation,
    PageDates,
    consistent,
    load_notices,
    load_page_dates,
    parse_citations,
    parse_dated_citations,
    parse_issue_date,
    read_pages,
    volume_year,
)

VOL = st.integers(min_value=1, max_value=120)
PAGE = st.integers(min_value=1, max_value=120_000)


@given(VOL, PAGE, st.sampled_from(["FR", "F.R.", "F. R.", "fr"]), st.sampled_from(["; ", ", ", " and "]))
def test_citations_round_trip(vol: int, page: int, fr: str, sep: str) -> None:
    text = f"{vol} {fr} {page:,}{sep}{vol + 1} {fr} {page}"
    assert parse_citations(text) == [Citation(vol, page), Citation(vol + 1, page)]


@given(st.text(max_size=200))
def test_citations_never_crash_on_any_text(text: str) -> None:
    for c in parse_citations(text):
        assert c.volume >= 1 and c.page >= 1


@given(VOL, PAGE, st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_dated_citations(vol: int, page: int, day: dt.date) -> None:
    text = f"{vol} FR {page}, {day.month}/{day.day}/{day.year}"
    assert parse_dated_citations(text) == [(Citation(vol, page), day)]
    assert parse_dated_citations(f"{vol} FR {page}, 13/45/20") == []


def test_real_notice_fields() -> None:
    assert parse_citations("84 FR 22963, 84 FR 43495, 85 FR 29853")[0] == Citation(84, 22963)
    assert min(parse_citations("85 FR 83420; 89 FR 96837")) == Citation(85, 83420)
    assert parse_citations("76 FR No. 197 (10/12/2011)") == []
    assert parse_issue_date("76 FR No. 197 (10/12/2011)") == (76, dt.date(2011, 10, 12))
    assert parse_dated_citations("81.F.R. 22575 4/18/2016") == [(Citation(81, 22575), dt.date(2016, 4, 18))]
    assert parse_citations(None) == []
    assert volume_year(84) == 2019


anchors = st.lists(
    st.tuples(st.integers(1, 2000), st.integers(0, 50), st.integers(0, 364)), min_size=1, max_size=30
)


@given(anchors, st.integers(1, 3000))
def test_bounds_contain_the_truth(raw: list[tuple[int, int, int]], page: int) -> None:
    # a monotone truth: day grows with page; anchors drawn from it bound every page
    start = dt.date(2019, 1, 1)
    truth = lambda p: start + dt.timedelta(days=min(p // 10, 364))  # noqa: E731
    rows = [(84, f, f + span, truth(f + span)) for f, span, _ in raw if truth(f) == truth(f + span)]
    table = PageDates(rows)
    lo, hi = table.bounds(Citation(84, page))
    assert lo <= truth(page) <= hi
    assert dt.date(2019, 1, 1) <= lo <= hi <= dt.date(2019, 12, 31)


def test_page_between_anchors_is_an_interval_not_a_guess() -> None:
    table = PageDates([(84, 21236, 21236, dt.date(2019, 5, 14)), (84, 22963, 22963, dt.date(2019, 5, 21))])
    assert table.bounds(Citation(84, 22000)) == (dt.date(2019, 5, 14), dt.date(2019, 5, 21))
    assert table.bounds(Citation(84, 22963)) == (dt.date(2019, 5, 21), dt.date(2019, 5, 21))
    assert table.bounds(Citation(83, 5)) == (dt.date(2018, 1, 1), dt.date(2018, 12, 31))


def test_consistent_drops_the_contradiction() -> None:
    d = dt.date
    rows = [
        (88, 100, 100, d(2023, 1, 3), "a"),
        (88, 200, 200, d(2023, 1, 2), "b"),
        (88, 300, 300, d(2023, 1, 5), "c"),
    ]
    rows.append((88, 400, 400, d(2023, 1, 6), "e"))
    kept, dropped = consistent(rows)
    assert len(dropped) == 1 and len(kept) == 3
    dates = [k[3] for k in kept]
    assert dates == sorted(dates)


def test_bundled_table_and_notices_load() -> None:
    rows = read_pages()
    assert {r[0] for r in rows} >= set(range(83, 91))
    assert all(r[4] for r in rows)  # every anchor names its source
    pages = load_page_dates()
    assert pages.bounds(Citation(85, 83420)) == (dt.date(2020, 12, 22), dt.date(2020, 12, 22))
    notices = load_notices()
    rule = notices.rule_for(Citation(84, 22963))
    assert (
        rule is not None and rule.effective == dt.date(2019, 5, 16) and rule.published == dt.date(2019, 5, 21)
    )
    assert all(r.effective <= r.published + dt.timedelta(days=notices.window_days) for r in notices.rules)


def test_notices_reject_unknown_keys(tmp_path: Path) -> None:
    bad = tmp_path / "n.yaml"
    bad.write_text("effective_before_publication_days: 3\nissues: []\nrules: []\nextra: 1\n")
    with pytest.raises(DataError):
        load_notices(bad)
    bad.write_text(
        "effective_before_publication_days: 3\nissues:\n"
        "  - {volume: 84, first_page: 5, last_page: 9, date: 2020-01-02, source: x}\nrules: []\n"
    )
    with pytest.raises(DataError, match="volume 84"):
        load_notices(bad)
