"""engine.list_dates: entries dated from their notices, the SDN snapshots, or the list's snapshot."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from exportctl.engine.list_dates import date_entries, notice_dates
from exportctl.sources.fr_pages import Citation, ListRule, Notices, PageDates
from exportctl.sources.ofac_dates import presence_bounds

D = dt.date
NOTICES = Notices(
    issues=(),
    rules=(ListRule(84, 22961, 22963, D(2019, 5, 21), D(2019, 5, 16), "Huawei", ("https://example.org",)),),
    window_days=14,
)
PAGES = PageDates([(84, 22963, 22963, D(2019, 5, 21)), (88, 13675, 13675, D(2023, 3, 6))])


def test_rule_with_effective_date_fixes_both_bounds() -> None:
    lo, hi, basis = notice_dates("84 FR 22963; 85 FR 29853", NOTICES, PAGES)
    assert (lo, hi) == (D(2019, 5, 16), D(2019, 5, 16)) and basis and "effective 2019-05-16" in basis


def test_publication_only_opens_the_window() -> None:
    lo, hi, _ = notice_dates("88 FR 13675", NOTICES, PAGES)
    assert (lo, hi) == (D(2023, 2, 20), D(2023, 3, 6))
    lo, hi, _ = notice_dates("65 FR 42664 7/11/00", NOTICES, PAGES)  # a date written beside it
    assert (lo, hi) == (D(2000, 6, 27), D(2000, 7, 11))
    assert notice_dates(None, NOTICES, PAGES) == (None, None, None)


def test_entries_sdn_and_undated() -> None:
    lists = pl.DataFrame(
        {
            "list": ["EL", "SDN", "SDN", "UVL"],
            "entity_id": ["1", "10", "11", "2"],
            "federal_register_notice": ["84 FR 22963", None, None, None],
        }
    )
    sdn = presence_bounds([(D(2021, 7, 7), {"10"}, "a"), (D(2024, 5, 3), {"10", "11"}, "b")])
    out = date_entries(lists, NOTICES, PAGES, sdn, D(2026, 7, 31))
    got = {r[1]: r[2:4] for r in out.rows()}
    assert got["1"] == (D(2019, 5, 16), D(2019, 5, 16))
    assert got["10"] == (None, D(2021, 7, 7))
    assert got["11"] == (D(2021, 7, 8), D(2024, 5, 3))
    assert got["2"] == (None, D(2026, 7, 31))


@given(st.lists(st.sets(st.sampled_from("abcdefgh"), max_size=8), min_size=1, max_size=5))
def test_presence_bounds_bracket_the_first_sighting(sets: list[set[str]]) -> None:
    snaps = [(D(2020, 1, 1) + dt.timedelta(days=100 * i), s, str(i)) for i, s in enumerate(sets)]
    out = presence_bounds(snaps)
    assert set(out["entity_id"]) == sets[-1]
    for eid, seen, absent in out.select("entity_id", "seen_on", "absent_on").rows():
        i = next(k for k, s in enumerate(sets) if eid in s)
        assert seen == snaps[i][0]
        assert absent == (snaps[i - 1][0] if i else None)
        assert absent is None or eid not in sets[i - 1]


def test_citation_order() -> None:
    assert min([Citation(85, 1), Citation(84, 99999)]) == Citation(84, 99999)


def test_rule_without_last_page_covers_the_pages_of_its_issue() -> None:
    rules = (
        ListRule(85, 34495, None, D(2020, 6, 5), D(2020, 6, 5), "a", ("https://example.org",)),
        ListRule(85, 34503, None, D(2020, 6, 5), D(2020, 6, 5), "b", ("https://example.org",)),
    )
    notices = Notices(issues=(), rules=rules, window_days=14)
    pages = PageDates([(85, 34497, 34497, D(2020, 6, 5)), (85, 34505, 34505, D(2020, 6, 5))])
    assert notices.rule_for(Citation(85, 34497), pages) == rules[0]
    assert notices.rule_for(Citation(85, 34505), pages) == rules[1]  # the nearest start before the page
    assert notices.rule_for(Citation(85, 34600), pages) is None  # not known to be in that issue
    assert notices.rule_for(Citation(85, 34490), pages) is None
