"""Golden tests of the US-EAR / US-OFAC regime on the days on each side of every change.

They pin the bundled measure files (src/exportctl/data/measures/US-EAR, US-OFAC) through the real
registry API: a wrong date, a missing lift or a broken action target makes one of these fail.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from exportctl.ops.check import check_one
from exportctl.registry import ActiveEffect, Measure, Registry, compile_regime, load_registry

US = ("US-EAR", "US-OFAC")

HUAWEI_EL = "us-ear-2019-05-huawei-entity-list#huawei-el"
OCT23 = "us-ear-2023-10-advanced-computing-ifr"


@pytest.fixture(scope="module")
def reg() -> Registry:
    """The bundled registry (all jurisdictions), loaded once."""
    return load_registry()


def us_measures(reg: Registry) -> Iterator[Measure]:
    """The US-EAR and US-OFAC measures of the registry."""
    return (m for m in reg.measures.values() if m.jurisdiction in US)


def state(reg: Registry, day: str, ref: str, known_on: str | None = None) -> tuple[str, ActiveEffect] | None:
    """('active'|'suspended', item) for `ref` on `day`, or None when it does not apply."""
    regime = compile_regime(reg, day, known_on=known_on)
    for item in regime.effects():
        if item.ref == ref:
            return ("active", item)
    for item in regime.suspended():
        if item.ref == ref:
            return ("suspended", item)
    return None


# The effect's state on the day before and the day of every dated change (the former EDGES table) is
# YAML under tests/golden/registry/, each case citing its measure's instrument; so are the known_on cases
# (H20 before the 8-K, the EDA lifting, the Affiliates Rule suspension), AI Diffusion never applying, and
# the forms of H20, ethane, the Affiliates Rule and Syria around their changes (us_ear_forms.yaml). What
# stays here are properties over many effects or days, not tables of cases.


@pytest.mark.parametrize(
    "day",
    [
        "2018-06-01",
        "2022-10-06",
        "2022-10-07",
        "2023-11-16",
        "2023-11-17",
        "2025-01-13",
        "2025-05-14",
        "2025-05-13",
        "2025-11-30",
    ],
)
def test_snapshot_worldwide_3a090a_row_is_taken_out_on_every_day(reg: Registry, day: str) -> None:
    """The July 2026 row '3A090.a to any destination worldwide' is AI Diffusion text: never applied."""
    regime = compile_regime(reg, day)
    removed = [
        a
        for a in regime.effects(kind="control_removed", jurisdiction="US-EAR")
        if any(e in ("3A090", "3A090.a") for e in a.effect.scope.eccns)
        and a.effect.control_reason in (None, "RS")
    ]
    assert removed, f"no control_removed effect covers the 3A090.a RS row on {day}"
    # ... and the answer shows it: 3A090.a to Brazil (not D:1/D:4/D:5, not A:5/A:6) and Germany (A:5)
    # gets no RS reason on any of these days. Without the removal the worldwide row requires a licence.
    for to in ("BR", "DE"):
        out = check_one(destination=to, as_of=dt.date.fromisoformat(day), eccn="3A090.a", fuzzy=False)
        rs = [(r["code"], r["measure"]) for r in out["reasons"] if r["code"] == "RS"]
        assert not rs, f"3A090.a to {to} on {day}: the worldwide RS row still applies: {rs}"
        assert out["verdict"] != "license_required", (to, day, out["verdict"])


@pytest.mark.parametrize(
    ("day", "destinations"),
    [
        ("2022-10-06", set()),
        ("2022-10-07", {"CN", "HK"}),
        ("2023-01-16", {"CN", "HK"}),
        ("2023-01-17", {"CN", "HK", "MO"}),
        ("2023-11-17", {"MO", "D:1", "D:4", "D:5"}),
        ("2025-06-01", {"MO", "D:1", "D:4", "D:5"}),
    ],
)
def test_3a090_rs_destinations_by_date(reg: Registry, day: str, destinations: set[str]) -> None:
    """Where a 3A090 licence was required for RS: China, then + Macau, then Macau/D:1/D:4/D:5."""
    regime = compile_regime(reg, day)
    got: set[str] = set()
    for a in regime.effects(kind="license_requirement", jurisdiction="US-EAR"):
        e = a.effect
        if (
            e.control_reason == "RS"
            and any(x.startswith("3A090") for x in e.scope.eccns)
            and e.scope.destinations
        ):
            got |= set(e.scope.destinations)
    assert got == destinations


def test_oct_2023_excludes_a5_a6(reg: Registry) -> None:
    """The Nov 2023 requirement excludes destinations also in A:5 or A:6."""
    found = state(reg, "2024-06-01", f"{OCT23}#rs-3a090-4a090-d145")
    assert found is not None
    assert found[1].effect.scope.destinations_exclude == ["A:5", "A:6"]
    assert "NAC" in found[1].effect.exceptions


def test_proposals_and_threats_never_change_the_regime(reg: Registry) -> None:
    """The London-era rollback offer and the critical-software threat are never active or suspended."""
    ids = {m.id for m in us_measures(reg) if m.status in ("proposed", "threatened")}
    assert ids >= {
        "us-ear-2025-06-london-phased-rollback-proposal",
        "us-ear-2025-10-critical-software-threat",
    }
    for day in ("2025-06-10", "2025-08-15", "2025-11-01", "2025-12-31"):
        regime = compile_regime(reg, day)
        seen = {a.measure.id for a in (*regime.effects(), *regime.suspended())}
        assert not seen & ids
        assert not any(p.split("#")[0] in ids for a in regime.effects() for p in a.provenance)
    huawei = state(reg, "2025-08-15", HUAWEI_EL)
    assert huawei is not None and huawei[0] == "active" and not huawei[1].waived_parties


def test_securities_measures_are_not_export_controls(reg: Registry) -> None:
    """EO 13959 / 14032 effects never require an export licence."""
    cmic = "CMIC-SECURITIES"
    securities = [(m, e) for m in us_measures(reg) for e in m.effects if e.control_reason == cmic]
    # Both orders' effects are found: a renamed control reason fails here, not passes with none checked.
    assert {m.id for m, _ in securities} >= {
        "us-ofac-2020-11-eo-13959-cmic-securities",
        "us-ofac-2021-06-eo-14032-ns-cmic-securities",
    }, [m.id for m, _ in securities]
    for m, e in securities:
        assert e.verdict == "no_license_required" and e.kind == "party_control", f"{m.id}#{e.id}"


FR_URL = re.compile(r"^https://www\.federalregister\.gov/d/(\d{4}-\d{5})$")


def test_us_measure_files_follow_the_conventions(reg: Registry) -> None:
    """Ids, citations, sources and control_removed scopes as the README says."""
    measures = list(us_measures(reg))
    assert len(measures) >= 35
    for m in measures:
        assert re.fullmatch(r"us-(ear|ofac)-[a-z0-9-]+", m.id), m.id
        assert m.citations, f"{m.id}: no citation"
        for c in m.citations:
            if c.url and c.url.startswith("https://www.federalregister.gov/d/"):
                match = FR_URL.match(c.url)
                assert match and match.group(1) == c.document, f"{m.id}: FR URL does not match document"
        for e in m.effects:
            if e.kind == "control_removed":
                assert e.scope.eccns and e.description, f"{m.id}#{e.id}"
            if e.kind == "license_requirement":
                assert e.verdict in ("license_required", "prohibited", "hold"), f"{m.id}#{e.id}"
        if m.instrument == "is_informed_letter" and m.effects:
            assert any(e.scope.products for e in m.effects), f"{m.id}: letters name products"


def test_every_us_action_targets_an_existing_effect(reg: Registry) -> None:
    """Actions of US measures name measures (and effects) that exist."""
    for m in us_measures(reg):
        for a in m.actions:
            mid, _, eid = a.target.partition("#")
            target = reg.measure(mid)
            assert not eid or eid in {e.id for e in target.effects}, f"{m.id}#{a.id} -> {a.target}"
