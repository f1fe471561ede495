"""ops.defaults: the one severity order and fail-on rule the fronts share."""

from __future__ import annotations

import pytest

from exportctl.errors import InputError
from exportctl.ops.defaults import FAIL_ON, SEVERITY, VERDICT_ORDER, fails


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
