"""Claims: gathered from measures and claim files, listed with verdicts, registry checks verified."""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.errors import RegistryError
from exportctl.registry import Claim, Registry, load_registry
from exportctl.registry.claims import claim_rows, verify_claim


def claim(check: dict[str, Any]) -> Claim:
    return Claim.model_validate(
        {
            "id": "c",
            "text": "t",
            "source": {"title": "s"},
            "verdict": "consistent",
            "why": "w",
            "check": check,
        }
    )


@pytest.mark.parametrize(
    ("check", "actual"),
    [
        (
            {
                "as_of": "2025-03-05",
                "measure": "fx-tariff-base",
                "effect": "layer",
                "field": "rate_pct",
                "expect": 20,
            },
            20.0,
        ),
        (
            {"as_of": "2025-06-01", "measure": "fx-tariff-base", "effect": "layer", "expect": "suspended"},
            "suspended",
        ),
        (
            {"as_of": "2025-07-03", "measure": "fx-letter", "effect": "licence", "expect": "inactive"},
            "inactive",
        ),
        ({"as_of": "2025-07-03", "measure": "fx-letter", "expect": "ended"}, "ended"),
        (
            {
                "kind": "registry",
                "as_of": "2025-09-01",
                "measure": "fx-truce",
                "field": "status",
                "expect": "in_force",
            },
            "in_force",
        ),
        (
            {
                "as_of": "2025-06-15",
                "measure": "fx-entity",
                "effect": "listing",
                "field": "waived_parties",
                "expect": "Acme Co",
            },
            ["Acme Co"],
        ),
        (
            {
                "as_of": "2025-08-12",
                "known_on": "2025-08-10",
                "measure": "fx-tariff-base",
                "effect": "layer",
                "expect": "active",
            },
            "active",
        ),
    ],
)
def test_checks_that_hold(basic: Registry, check: dict[str, Any], actual: Any) -> None:
    result = verify_claim(basic, claim(check))
    assert result == {"claim": "c", "holds": True, "expect": check["expect"], "actual": actual}


def test_a_check_that_fails(basic: Registry) -> None:
    check = {
        "as_of": "2025-03-03",
        "measure": "fx-tariff-base",
        "effect": "layer",
        "field": "rate_pct",
        "expect": 20,
    }
    assert verify_claim(basic, claim(check))["holds"] is False


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ({"as_of": "2025-01-01", "measure": "fx-truce"}, "needs 'expect'"),
        (
            {"as_of": "2025-01-01", "measure": "fx-truce", "expect": 1, "colour": 1},
            "unknown check key 'colour'",
        ),
        ({"as_of": "2025-01-01", "measure": "fx-truce", "field": "rate_pct", "expect": 1}, "needs 'effect'"),
        ({"as_of": "2025-01-01", "measure": "fx-nope", "expect": "in_force"}, "no measure 'fx-nope'"),
    ],
)
def test_malformed_checks(basic: Registry, check: dict[str, Any], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        verify_claim(basic, claim(check))


def test_claim_rows(basic: Registry) -> None:
    rows = claim_rows(basic)
    assert [(r["id"], r["verdict"], r["check"]) for r in rows] == [
        ("fx-report-1", "consistent", True),
        ("fx-report-2", "inconsistent", None),
    ]
    assert rows[1]["measures"] == ["fx-letter-lift"] and rows[1]["why"].startswith("The lift")
    assert [r["id"] for r in claim_rows(basic, "inconsistent")] == ["fx-report-2"]


def test_bundled_claims_have_verdicts_and_reasons() -> None:
    reg = load_registry()
    assert reg.claims
    for entry in reg.claims:
        assert entry.claim.why.strip() and entry.claim.text.strip()
        assert all(m in reg.measures for m in entry.measures), entry.claim.id
    # claims kept under a measure speak of that measure unless they name others
    for entry in reg.claims:
        if entry.measure and not entry.claim.measures:
            assert entry.measures == [entry.measure]
