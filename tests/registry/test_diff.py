"""diff: each change kind with its date, causes and citations (fixture registry)."""

from __future__ import annotations

import datetime as dt

import pytest

from exportctl.errors import InputError
from exportctl.registry import Registry, compile_regime
from exportctl.registry.diff import diff

D = dt.date.fromisoformat

EXPECTED = [
    ("2025-02-04", "fx-tariff-base", "entered_into_force", []),
    ("2025-03-04", "fx-tariff-base", "amended", ["fx-tariff-hike#raise"]),
    ("2025-03-10", "fx-cn-retaliation", "entered_into_force", []),
    ("2025-04-09", "fx-letter", "entered_into_force", []),
    ("2025-04-09", "fx-policy", "entered_into_force", []),
    ("2025-05-14", "fx-tariff-base", "suspended", ["fx-truce#pause"]),
    ("2025-06-01", "fx-entity", "amended", ["fx-waiver#acme"]),
    ("2025-07-01", "fx-cn-retaliation", "ended", ["fx-cn-sunset#expiry", "fx-cn-sunset-extension#push"]),
    ("2025-07-03", "fx-letter", "ended", ["fx-letter-lift#rescind"]),
    ("2025-07-14", "fx-policy", "amended", ["fx-policy-phase#relax"]),
    ("2025-08-01", "fx-policy", "amended", ["fx-policy-phase#relax"]),
    ("2025-09-01", "fx-entity", "amended", ["fx-waiver#acme"]),
    ("2025-11-09", "fx-cn-ban", "suspended", ["fx-cn-ban-suspension#pause"]),
    ("2025-11-10", "fx-tariff-base", "resumed", ["fx-truce#pause", "fx-truce-extension#extend-pause"]),
    ("2026-03-01", "fx-cn-ban", "resumed", ["fx-cn-ban-resumption#back"]),
]


def test_every_change_of_the_fixture_registry(basic: Registry) -> None:
    rows = diff(basic, "2024-12-31", "2026-12-31")
    assert [(r["date"].isoformat(), r["measure"], r["change"], r["by"]) for r in rows] == EXPECTED
    assert all(set(r) >= {"date", "measure", "title", "jurisdiction", "change", "citations"} for r in rows)


def test_window_excludes_from_and_includes_to(basic: Registry) -> None:
    assert [r["measure"] for r in diff(basic, "2025-02-03", "2025-02-04")] == ["fx-tariff-base"]
    assert diff(basic, "2025-02-04", "2025-03-03") == []
    assert diff(basic, "2025-02-04", "2025-02-04") == []


def test_citations_of_the_acting_measure_come_first(basic: Registry) -> None:
    (row,) = diff(basic, "2025-07-02", "2025-07-03")
    assert [c["title"] for c in row["citations"]] == ["Fixture fx-letter-lift", "Fixture fx-letter"]
    assert row["citations"][0]["url"].startswith("https://")


def test_details_of_an_amendment(basic: Registry) -> None:
    (row,) = diff(basic, "2025-03-03", "2025-03-04")
    assert row["details"] == {"layer.rate_pct": [10.0, 20.0]}
    (waiver,) = diff(basic, "2025-05-31", "2025-06-01")
    assert waiver["details"] == {"listing.waived_parties": [[], ["Acme Co"]]}


def test_jurisdiction_filter(basic: Registry) -> None:
    rows = diff(basic, "2024-12-31", "2026-12-31", "CN-EXPORT")
    assert [(r["measure"], r["change"]) for r in rows] == [
        ("fx-cn-ban", "suspended"),
        ("fx-cn-ban", "resumed"),
    ]


def test_known_on_changes_what_the_diff_sees(basic: Registry) -> None:
    # as known on 2025-08-10 the pause ends on 2025-08-12 (the extension came on 08-11)
    rows = diff(basic, "2025-07-31", "2025-08-31", known_on="2025-08-10")
    assert [(r["date"], r["change"], r["by"]) for r in rows] == [
        (D("2025-08-01"), "amended", ["fx-policy-phase#relax"]),
        (D("2025-08-12"), "resumed", ["fx-truce#pause"]),
    ]
    assert [r["change"] for r in diff(basic, "2025-07-31", "2025-08-31")] == ["amended"]


def test_to_before_from_is_an_input_error(basic: Registry) -> None:
    with pytest.raises(InputError) as info:
        diff(basic, "2025-05-01", "2025-04-01")
    assert info.value.field == "to"


def test_each_change_matches_the_regimes_either_side(basic: Registry) -> None:
    """The diff and compile_regime agree: the day before a change and the day of it differ as stated."""
    for row in diff(basic, "2024-12-31", "2026-12-31"):
        day = row["date"]
        before, after = compile_regime(basic, day - dt.timedelta(days=1)), compile_regime(basic, day)
        for eid in row["effects"]:
            ref = f"{row['measure']}#{eid}"
            state_b = _state(before, ref)
            state_a = _state(after, ref)
            expected = {
                "entered_into_force": (None, "active"),
                "ended": ("active", None),
                "suspended": ("active", "suspended"),
                "resumed": ("suspended", "active"),
                "amended": ("active", "active"),
            }[row["change"]]
            assert (state_b, state_a) == expected, (row, ref)


def _state(regime: object, ref: str) -> str | None:
    if any(a.ref == ref for a in regime.effects()):  # type: ignore[attr-defined]
        return "active"
    if any(a.ref == ref for a in regime.suspended()):  # type: ignore[attr-defined]
        return "suspended"
    return None
