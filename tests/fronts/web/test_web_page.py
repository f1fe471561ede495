"""What a person sees on the real page: verdicts with reasons, hits with explanations, charts drawn."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_sign_in_refuses_a_bad_token(browser: Any, site: Any) -> None:
    pg = browser.new_page()
    pg.goto(site.url + "/")
    assert pg.is_visible("#login") and pg.is_hidden("#tabs")
    pg.get_by_label("API token").fill("not-a-token")
    pg.keyboard.press("Enter")  # the form works from the keyboard
    pg.wait_for_selector("#login-error:has-text('unknown or revoked token')")
    assert pg.is_hidden("#tabs")
    pg.close()


def test_check_shows_verdict_reasons_and_citations(page: Any) -> None:
    page.get_by_role("link", name="Check").click()
    page.get_by_label("ECCN").fill("3A090")
    page.get_by_label("Destination").fill("CN")
    page.get_by_label("Parties (one per line: ultimate consignee, end user, ...)").fill(
        "Huawei Technologies Co., Ltd."
    )
    page.get_by_label("Date", exact=True).fill("2025-05-01")
    page.get_by_role("button", name="Check", exact=True).click()
    badge = page.wait_for_selector("#check-out .badge")
    assert badge.inner_text() == "license required"
    rows = page.query_selector_all("#check-out table:first-of-type tbody tr")
    assert len(rows) >= 2
    text = page.inner_text("#check-out")
    assert "Entity List" in text or "EL" in text
    links = [a.get_attribute("href") for a in page.query_selector_all("#check-out td a")]
    assert any(h.startswith("https://www.federalregister.gov/citation/") for h in links)
    assert any(h.startswith("https://www.ecfr.gov/current/title-15/") for h in links)


def _visible_check(page: Any, eccn: str, to: str, party: str = "", value: str = "") -> str:
    page.get_by_role("link", name="Check").click()
    page.get_by_label("ECCN").fill(eccn)
    page.get_by_label("Destination").fill(to)
    page.get_by_label("Parties (one per line: ultimate consignee, end user, ...)").fill(party)
    page.fill("#c-value", value)
    page.get_by_label("Date", exact=True).fill("2025-06-01")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_selector("#check-out .badge")
    text = str(page.inner_text("#check-out"))
    # what a person must never read: a JavaScript value printed instead of its content
    assert "[object " not in text and not re.search(r"\b(null|undefined|NaN)\b", text), text
    return text


def test_check_shows_exceptions_parties_and_checks_as_text(page: Any) -> None:
    text = _visible_check(page, "2B350.g", "TH", "Huawei Technologies Co., Ltd.", "1500")
    assert page.inner_text("#check-out .badge") == "license required"
    assert "Entity List: Huawei Technologies Co., Ltd. and " in text  # affiliates grouped in one reason
    assert "License exceptions considered" in text and "LVS" in text and "value within" in text
    assert "Parties found on lists" in text and "Huawei Tech Investment Limited" in text
    assert "Checks made" in text and "country chart" in text and "X in CB2" in text
    assert "party lists" in text and "1 party screened against" in text
    entries = page.query_selector_all("#check-out ul.entries li")
    assert len(entries) >= 2 and all(e.is_visible() for e in entries)


def test_check_clearance_shows_what_it_checked(page: Any) -> None:
    text = _visible_check(page, "EAR99", "DE")
    assert page.inner_text("#check-out .badge") == "no license required"
    assert "parties not screened" in text  # the clearance says what it did not check
    for line in (
        "coverage",
        "denied persons",
        "embargo",
        "country chart",
        "party lists",
        "end use",
        "measures",
    ):
        assert line in text
    assert "not screened: no party given" in text


def test_date_fields_show_the_last_covered_day(page: Any) -> None:
    from exportctl.ops.registry import coverage

    last = coverage()["last_day"].isoformat()
    page.wait_for_selector(f"#c-date-help:has-text('{last}')")
    assert "later date answers hold" in page.inner_text("#c-date-help")
    assert page.get_attribute("#c-date", "data-last-covered") == last


def test_check_error_names_the_field(page: Any) -> None:
    page.get_by_label("ECCN").fill("3A090")
    page.get_by_label("Destination").fill("Narnia")
    page.get_by_role("button", name="Check", exact=True).click()
    err = page.wait_for_selector("#check-out .error")
    assert "Narnia" in err.inner_text() and "destination" in err.inner_text()


def test_screen_explains_hits_and_records_a_review(page: Any) -> None:
    page.get_by_role("link", name="Screen").click()
    page.get_by_label("Name", exact=True).fill("Huawei Technologies Duesseldorf")
    page.get_by_role("button", name="Screen", exact=True).click()
    first = page.wait_for_selector("#screen-out article.hit")
    assert "huawei" in first.query_selector("h3").inner_text().lower()
    cells = first.query_selector_all("details table tbody tr")
    assert cells and "huawei" in cells[0].inner_text().lower()
    first.query_selector("input").fill("different firm, checked registry")
    first.query_selector("button:has-text('False positive')").click()
    page.wait_for_selector("#screen-out article.hit [role=status]:has-text('Recorded: false positive')")
    page.get_by_role("button", name="Screen", exact=True).click()
    page.wait_for_selector("#screen-out .review.current")
    assert "false positive" in page.inner_text("#screen-out .review.current")
    page.get_by_role("link", name="Reviews").click()
    page.wait_for_selector("#reviews-out td:has-text('different firm, checked registry')")


def _look_up_tariff(page: Any, hts: str, origin: str, day: str) -> None:
    page.get_by_role("link", name="Tariff").click()
    page.get_by_label("HTS code").fill(hts)
    page.get_by_label("Origin").fill(origin)
    page.get_by_label("Entry date").fill(day)
    page.get_by_role("button", name="Look up").click()


def test_tariff_history_chart_is_drawn(page: Any) -> None:
    _look_up_tariff(page, "8471.30.01", "CN", "2025-05-01")
    page.wait_for_selector("#tariff-chart svg path.series")
    d = page.get_attribute("#tariff-chart svg path.series", "d")
    assert d and d.count("L") >= 4
    assert len(page.query_selector_all("#tariff-chart svg circle")) >= 2
    assert "Additional duties" in page.inner_text("#tariff-out")
    assert page.query_selector_all("#tariff-out tbody tr")


def test_tariff_advisories_are_shown(page: Any) -> None:
    """An advisory (not in the total) is on the page: acai from Colombia on 2025-11-13 may be a particular
    article of U.S. note 2(v)(iii)(b) (9903.02.78)."""
    _look_up_tariff(page, "2008.99.2120", "CO", "2025-11-13")
    page.wait_for_selector("#tariff-out .advisories li")
    text = page.inner_text("#tariff-out .advisories")
    assert "9903.02.78" in text and "None" not in text
    assert "null" not in page.inner_text("#tariff-out")  # nothing excluded here: left out, not printed "null"


def test_timeline_chart_and_diff(page: Any) -> None:
    page.get_by_role("link", name="Timeline & diff").click()
    page.get_by_label("From").fill("2022-01-01")
    page.get_by_label("To", exact=True).fill("2023-12-31")
    page.get_by_role("button", name="Show timeline").click()
    page.wait_for_selector("#timeline-chart svg rect.bar")
    assert len(page.query_selector_all("#timeline-chart svg rect.bar")) >= 10
    page.get_by_role("button", name="What changed between the two dates").click()
    page.wait_for_selector("#timeline-out h3:has-text('What changed')")
    assert len(page.query_selector_all("#timeline-out tbody tr")) >= 5


def test_order_book_upload_and_download(page: Any) -> None:
    demo = Path(str(resources.files("exportctl.data").joinpath("demo", "orders.csv")))
    page.get_by_role("link", name="Order book").click()
    page.set_input_files("#o-file", str(demo))
    page.get_by_role("button", name="Upload and check").click()
    link = page.wait_for_selector("#orders-download")
    assert page.is_hidden("#orders-progress")
    status = page.inner_text("#orders-out [role=status]")
    assert "Checked 79 rows" in status
    with page.expect_download() as info:
        link.click()
    saved = Path(info.value.path()).read_text(encoding="utf-8")
    assert saved.splitlines()[0].startswith("order_id,") and "verdict" in saved.splitlines()[0]


def test_every_control_has_a_label(page: Any) -> None:
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
              .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
              .map((e) => e.id || e.name)"""
    )
    assert unlabelled == []


def test_keyboard_only(browser: Any, site: Any) -> None:
    pg = browser.new_page()
    pg.goto(site.url + "/")
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.className") == "skip"
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.id") == "token"
    pg.keyboard.type(site.checker)
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#tabs:not([hidden])")
    assert "scopes read, check" in pg.inner_text("#session")
    pg.focus("#tabs a[data-tab=screen]")
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#screen:not([hidden])")
    assert pg.get_attribute("#tabs a[data-tab=screen]", "aria-current") == "page"
    pg.close()
