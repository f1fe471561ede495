"""A company named in a script the lists do not use, without a hit, holds its row (never a clearance)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exportctl
from exportctl.engine.common.party_scripts import foreign_scripts, is_organisation

DAY = dt.date(2024, 3, 1)


def _script_reasons(answer: dict[str, object]) -> list[dict[str, object]]:
    reasons = answer["reasons"]
    assert isinstance(reasons, list)
    return [r for r in reasons if r["code"] == "party-script"]


@pytest.mark.parametrize(
    ("party", "script"),
    [
        ("中芯国际集成电路制造有限公司", "Han"),  # SMIC, listed only as its English translation
        ("ООО Ромашка", "Cyrillic"),
        ("شركة النفط الوطنية", "Arabic"),
    ],
)
def test_a_company_in_a_script_the_us_lists_lack_holds(party: str, script: str) -> None:
    answer = exportctl.check(eccn="EAR99", destination="CN", as_of=DAY, parties=[party])
    assert answer["verdict"] == "hold"
    (reason,) = _script_reasons(answer)
    assert reason["effect"] == "hold"
    assert party in str(reason["text"]) and f"{script} script" in str(reason["text"])


def test_the_same_company_under_its_english_name_is_screened_and_met() -> None:
    answer = exportctl.check(
        eccn="EAR99", destination="CN", as_of=DAY, parties=["Semiconductor Manufacturing International Corp"]
    )
    assert not _script_reasons(answer)
    assert answer["verdict"] != "no_license_required"


def test_a_han_company_name_the_lists_meet_by_its_reading_needs_no_script_hold() -> None:
    answer = exportctl.check(eccn="EAR99", destination="CN", as_of=DAY, parties=["华为技术有限公司"])
    assert not _script_reasons(answer)  # Huawei: the reading meets the Entity List entry
    assert answer["verdict"] == "license_required"


@pytest.mark.parametrize("party", ["王伟国", "Иван Сергеевич Петров", "Acme Industrial Supply Inc"])
def test_persons_and_latin_names_get_no_script_hold(party: str) -> None:
    answer = exportctl.check(eccn="EAR99", destination="DE", as_of=DAY, parties=[party])
    assert not _script_reasons(answer)


def test_lists_that_carry_the_script_are_screened_without_the_hold() -> None:
    # the PRC lists write names in Han script: a Han company name is compared, not held for its script
    answer = exportctl.check(
        product="gallium",
        destination="US",
        exporting_country="CN",
        as_of=DAY,
        parties=["某某精密仪器有限公司"],
    )
    assert not _script_reasons(answer)


@settings(max_examples=200)
@given(st.text(max_size=60))
def test_any_text_is_read_without_error(text: str) -> None:
    scripts = foreign_scripts(text)
    assert "Latin" not in scripts and "Common" not in scripts
    assert isinstance(is_organisation(text), bool)


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60))
def test_a_name_in_ascii_has_no_foreign_script(text: str) -> None:
    assert foreign_scripts(text) == frozenset()


def test_screening_a_company_in_han_script_says_no_hit_is_not_a_clearance() -> None:
    from exportctl.ops.screen import screen_names

    (smic,) = screen_names(["中芯国际集成电路制造有限公司"], decisions=False)
    assert smic["hits"] == []
    (warning,) = smic.get("warnings", [])
    assert "no hit is not a clearance" in warning and "EL" in warning
    assert "cn-unreliable-entity-list" not in warning  # the PRC lists do write names in Han script
    (person,) = screen_names(["王伟国"], decisions=False)
    assert not any("clearance" in w for w in person.get("warnings", []))
