"""Secondary evidence from OFAC remarks and CSL fields: dates of birth, nationalities, identifiers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.sources.evidence import (
    ID_KINDS,
    csl_dates_of_birth,
    csl_ids,
    id_number,
    parse_dob,
    parse_remarks,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
DOB_FORM = re.compile(r"^(~\d{4}|\d{4}/\d{4}|\d{4}(-\d{2}(-\d{2})?)?)$")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Dec 1948", "1948-12-10"),
        ("1946", "1946"),
        ("Sep 1938", "1938-09"),
        ("circa 1951", "~1951"),
        ("1951 to 1953", "1951/1953"),
        ("01 Jan 1961 to 31 Dec 1962", "1961/1962"),
        ("1978-12-05", "1978-12-05"),
        ("31 Feb 1970", None),  # no such day
        ("1970 to 1960", None),  # a range backwards
        ("unknown", None),
        ("", None),
    ],
)
def test_parse_dob(text: str, expected: str | None) -> None:
    assert parse_dob(text) == expected


def test_remarks_of_a_person() -> None:
    ev = parse_remarks(
        "DOB 30 Mar 1977; alt. DOB 1978; POB Port-au-Prince, Haiti; nationality Haiti; citizen Canada; "
        "Gender Male; Passport PP3227493 (Haiti) expires 21 Oct 2019; National ID No. 0018439897 (Haiti); "
        "a.k.a. 'PASSPORT 123'."
    )
    assert ev.dates_of_birth == ["1977-03-30", "1978"]
    assert ev.nationalities == ["HT", "CA"]
    assert ev.ids == ["passport|PP3227493|HT", "national_id|0018439897|HT"]


def test_remarks_of_a_vessel_and_a_company() -> None:
    vessel = parse_remarks("Vessel Registration Identification IMO 8682517; Linked To: DALIAN OCEAN FISHING.")
    assert vessel.ids == ["imo|8682517|"]
    firm = parse_remarks(
        "Organization Established Date 30 Nov 2016; Tax ID No. 5043059992 (Russia); Registration Number "
        "1165043053372 (Russia); Unified Social Credit Code (USCC) 91370202MA948F4T49 (China); "
        "Website http://x.ru; Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, "
        "31 CFR 589.201"
    )
    assert firm.dates_of_birth == [], "an organisation's established date is no date of birth"
    assert firm.ids == [
        "tax|5043059992|RU",
        "registration|1165043053372|RU",
        "registration|91370202MA948F4T49|CN",
    ]


def test_csl_fields_in_both_layouts() -> None:
    assert csl_ids("Passport, 836238033, KP; Gender, Male; Secondary sanctions risk:, North Korea") == [
        "passport|836238033|KP"
    ]
    assert csl_ids("US, 80-0890696, Tax ID No.; 21795618, Passport") == [
        "tax|800890696|US",
        "passport|21795618|",
    ]
    assert csl_ids("IMO 8898831, Vessel Registration Identification; www.x.ir, Website") == ["imo|8898831|"]
    assert csl_dates_of_birth("1974; 1975") == ["1974", "1975"]


@pytest.mark.skipif(not (SHARED / "csl-official-samples").is_dir(), reason="shared data not mounted")
def test_official_csl_csv_carries_evidence() -> None:
    from exportctl.sources.csl import parse_csl_csv

    records = parse_csl_csv(SHARED / "csl-official-samples" / "csl_2025_sample_consolidated.csv").records
    rim = records.filter(records["name"] == "RIM, Ryong Nam").row(0, named=True)
    assert rim["dates_of_birth"] == ["1978-12-05"] and rim["nationalities"] == ["KP"]
    assert rim["ids"] == ["passport|836238033|KP"]


@pytest.mark.skipif(not (SHARED / "ofac-sdn-2021-07").is_dir(), reason="shared data not mounted")
def test_sdn_set_carries_evidence() -> None:
    from exportctl.sources.ofac import parse_sdn

    records = parse_sdn(SHARED / "ofac-sdn-2021-07").records
    people = records.filter(records["type"] == "individual")
    with_dob = people.filter(people["dates_of_birth"].list.len() > 0).height
    assert with_dob / people.height > 0.8, "most listed persons have a date of birth in their remarks"
    assert records.filter(records["ids"].list.len() > 0).height > 3000


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_remarks_never_raise_and_give_well_formed_values(text: str) -> None:
    ev = parse_remarks(text)
    assert all(DOB_FORM.match(d) for d in ev.dates_of_birth)
    assert all(len(c) == 2 and c.isupper() for c in ev.nationalities)
    for found in ev.ids:
        kind, number, country = found.split("|")
        assert kind in ID_KINDS and number == id_number(number) and len(country) in (0, 2)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "DOB ",
                "alt. DOB ",
                "nationality ",
                "Passport ",
                "IMO ",
                "Tax ID No. ",
                "; ",
                "(",
                ")",
                "circa ",
            ]
        )
        | st.text(alphabet="0123456789 -JanFebDc.,;()", max_size=12),
        max_size=12,
    )
)
def test_remark_like_text_never_raises(parts: list[str]) -> None:
    ev = parse_remarks("".join(parts))
    assert all(DOB_FORM.match(d) for d in ev.dates_of_birth)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_ofac_dates_round_trip(day: dt.date) -> None:
    written = f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"
    assert parse_remarks(f"DOB {written}; POB Somewhere").dates_of_birth == [day.isoformat()]
    assert csl_dates_of_birth(day.isoformat()) == [day.isoformat()]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_csl_fields_never_raise(text: str) -> None:
    assert all(DOB_FORM.match(d) for d in csl_dates_of_birth(text))
    assert all(f.split("|")[0] in ID_KINDS for f in csl_ids(text))
