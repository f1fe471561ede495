"""diff and compile on the bundled registry: the issue's two windows, and agreement on every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from exportctl.registry import Registry, compile_regime, load_registry
from exportctl.registry.diff import diff


@pytest.fixture(scope="module")
def bundled() -> Registry:
    return load_registry()


def _rows(rows: list[dict[str, Any]], change: str, prefix: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["change"] == change and r["measure"].startswith(prefix)]


def test_may_to_july_2025_lifts_eda_ethane_jet_engines_and_turns_on_h20(bundled: Registry) -> None:
    rows = diff(bundled, "2025-05-01", "2025-07-15", "US-EAR")
    ended = {r["measure"]: r for r in rows if r["change"] == "ended" and r["date"] >= dt.date(2025, 7, 1)}
    for fragment in ("eda", "ethane", "comac"):
        hits = [m for m in ended if fragment in m]
        assert hits, f"no {fragment} measure ended in July 2025: {sorted(ended)}"
        row = ended[hits[0]]
        assert row["citations"] and all("title" in c for c in row["citations"])
    h20 = [r for r in rows if "h20" in r["measure"] and r["change"] == "amended"]
    assert h20 and h20[0]["date"] == dt.date(2025, 7, 14)
    assert any(k.endswith("review_policy") for k in h20[0]["details"])


def test_april_to_may_2025_shows_the_escalation_and_the_geneva_cut(bundled: Registry) -> None:
    rows = diff(bundled, "2025-04-01", "2025-05-20")
    us = [r for r in rows if r["jurisdiction"] == "US-TARIFF" and "reciprocal" in r["measure"]]
    rates = [v for r in us for k, v in r.get("details", {}).items() if k.endswith("rate_pct")]
    assert [84.0, 125.0] in rates  # the escalation
    geneva = [r for r in us if r["date"] == dt.date(2025, 5, 14)]
    assert geneva and any("geneva" in b for r in geneva for b in r["by"])  # the cut, caused by EO 14298
    cn = [r for r in rows if r["jurisdiction"] == "CN-TARIFF"]
    assert {r["change"] for r in cn if r["date"] == dt.date(2025, 5, 14)} >= {"suspended", "ended"}
    assert any(r["change"] == "entered_into_force" and r["date"] == dt.date(2025, 4, 10) for r in cn)


def test_every_bundled_change_matches_the_regimes_either_side(bundled: Registry) -> None:
    rows = diff(bundled, "2017-12-31", "2027-12-31")
    assert len(rows) > 50
    expected = {
        "entered_into_force": (None, "active"),
        "ended": ("active", None),
        "suspended": ("active", "suspended"),
        "resumed": ("suspended", "active"),
        "amended": ("active", "active"),
    }
    for row in rows:
        day = row["date"]
        before, after = compile_regime(bundled, day - dt.timedelta(days=1)), compile_regime(bundled, day)
        states_b = {a.ref: "active" for a in before.effects()} | {
            a.ref: "suspended" for a in before.suspended()
        }
        states_a = {a.ref: "active" for a in after.effects()} | {
            a.ref: "suspended" for a in after.suspended()
        }
        for eid in row["effects"]:
            ref = f"{row['measure']}#{eid}"
            got = (states_b.get(ref), states_a.get(ref))
            if row["change"] == "ended":  # an effect may end while suspended
                assert got[0] is not None and got[1] is None, (row["date"], ref)
            else:
                assert got == expected[row["change"]], (row["date"], ref, row["change"])


def test_regimes_are_deterministic_across_loads(bundled: Registry) -> None:
    again = load_registry()
    for day in ("2019-06-01", "2025-04-10", "2025-05-14", "2025-11-10"):
        a, b = compile_regime(bundled, day), compile_regime(again, day)
        assert a.id == b.id
        assert [(x.ref, x.effect, x.provenance) for x in a.effects()] == [
            (x.ref, x.effect, x.provenance) for x in b.effects()
        ]
