"""ops.defaults: the one severity order and fail-on rule the fronts share."""

from __future__ import annotations

import pytest

from exportctl.errors import InputError
from exportctl.ops.defaults import (
    FAIL_ON,
    SCREEN_FAIL_ON,
    SCREEN_FAIL_ON_DEFAULT,
    SEVERITY,
    VERDICT_ORDER,
    answer_fail_fields,
    check_fail_on,
    fail_fields,
    fails,
    hit_level,
    screen_fails,
)


def test_the_order_runs_from_prohibited_to_no_license() -> None:
    assert VERDICT_ORDER == (
        "prohibited",
        "hold",
        "license_required",
        "license_exception_available",
        "no_license_required",
    )
    assert set(FAIL_ON) <= set(SEVERITY)


@pytest.mark.parametrize(
    ("verdicts", "fail_on", "expected"),
    [
        (["prohibited"], None, False),
        (["license_required"], "license_required", True),
        (["hold"], "license_required", True),
        (["license_exception_available", "no_license_required"], "license_required", False),
        (["license_required"], "hold", False),
        (["prohibited", "no_license_required"], "prohibited", True),
        ([], "hold", False),
    ],
)
def test_fails_at_or_above_the_threshold(verdicts: list[str], fail_on: str | None, expected: bool) -> None:
    assert fails(verdicts, fail_on) is expected


def test_an_unknown_threshold_names_the_field() -> None:
    with pytest.raises(InputError) as err:
        fails(["hold"], "licence_required")
    assert err.value.field == "fail_on"


def _hit(suppressed: bool = False, decision: str | None = None, status: str = "current") -> dict[str, object]:
    review = {"decision": decision, "status": status} if decision else None
    return {
        "list": "EL",
        "entity_id": "1",
        "suppressed": {"review_id": 1} if suppressed else None,
        "review": review,
    }


def test_a_hit_ranks_by_what_reviewers_decided() -> None:
    assert hit_level(_hit()) == "hit"
    assert hit_level(_hit(suppressed=True, decision="false_positive")) == "suppressed"
    assert hit_level(_hit(decision="match")) == "match"
    assert hit_level(_hit(decision="match", status="expired")) == "hit"  # the entry changed since
    assert SCREEN_FAIL_ON == ("suppressed", "hit", "match") and SCREEN_FAIL_ON_DEFAULT in SCREEN_FAIL_ON


@pytest.mark.parametrize(
    ("hits", "fail_on", "expected"),
    [
        ([_hit()], None, False),
        ([_hit()], "hit", True),
        ([_hit(suppressed=True)], "hit", False),
        ([_hit(suppressed=True)], "suppressed", True),
        ([_hit()], "match", False),
        ([_hit(), _hit(decision="match")], "match", True),
        ([], "suppressed", False),
    ],
)
def test_screen_fails_at_or_above_the_level(
    hits: list[dict[str, object]], fail_on: str | None, expected: bool
) -> None:
    assert screen_fails(hits, fail_on) is expected


def test_screen_levels_are_not_verdicts() -> None:
    with pytest.raises(InputError) as err:
        screen_fails([_hit()], "hold")
    assert err.value.field == "fail_on" and err.value.suggestions == list(SCREEN_FAIL_ON)
    with pytest.raises(InputError):
        check_fail_on("hit")


def test_fail_fields_only_when_asked() -> None:
    assert fail_fields(True, None) == {}
    assert fail_fields(False, "hold") == {"fail_on": "hold", "failed": False}
    assert answer_fail_fields({"verdict": "prohibited"}, "hold") == {"fail_on": "hold", "failed": True}
