"""timeline and status_on on the fixture registry."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from exportctl.errors import InputError, RegistryError
from exportctl.registry import Registry, load_registry
from exportctl.registry.timeline import status_on, timeline

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("measure", "day", "status"),
    [
        ("fx-tariff-base", "2025-02-03", "not_yet"),
        ("fx-tariff-base", "2025-02-04", "in_force"),
        ("fx-tariff-base", "2025-06-01", "suspended"),
        ("fx-tariff-base", "2025-11-10", "in_force"),
        ("fx-letter", "2025-07-02", "in_force"),
        ("fx-letter", "2025-07-03", "ended"),
        ("fx-threat", "2026-01-01", "threatened"),
        ("fx-truce", "2025-05-13", "not_yet"),
        ("fx-truce", "2025-09-01", "in_force"),  # extended
        ("fx-truce", "2025-11-10", "ended"),
        ("fx-letter-lift", "2025-12-01", "in_force"),  # a lift keeps its effect
        ("fx-cn-retaliation", "2025-07-01", "ended"),
        ("fx-waiver", "2025-09-01", "ended"),  # its window closed
        ("fx-tariff-hike", "2026-06-01", "in_force"),  # what it amends still applies
    ],
)
def test_status_on(basic: Registry, measure: str, day: str, status: str) -> None:
    assert status_on(basic, measure, day) == status


def test_status_as_known_on(basic: Registry) -> None:
    assert status_on(basic, "fx-letter", "2025-04-10", known_on="2025-04-14") == "not_known"
    assert status_on(basic, "fx-tariff-base", "2025-09-01", known_on="2025-08-10") == "in_force"
    with pytest.raises(RegistryError):
        status_on(basic, "fx-nope", "2025-01-01")


def test_timeline_window_and_rows(basic: Registry) -> None:
    rows = timeline(basic, "2025-07-01", "2025-07-31", "US-EAR")
    assert [r["id"] for r in rows] == [
        "fx-entity", "fx-letter", "fx-policy", "fx-waiver", "fx-letter-lift", "fx-policy-phase",
    ]  # fmt: skip
    letter = next(r for r in rows if r["id"] == "fx-letter")
    assert (letter["effective"], letter["end"], letter["status"]) == (
        D("2025-04-09"),
        D("2025-07-03"),
        "ended",
    )
    assert letter["citations"] == [
        {
            "kind": "federal_register",
            "title": "Fixture fx-letter",
            "url": "https://example.org/fixture-fx-letter",
        }
    ]


def test_timeline_excludes_what_ended_before_the_window(basic: Registry) -> None:
    ids = [r["id"] for r in timeline(basic, "2025-07-03", "2025-07-31")]
    assert "fx-letter" not in ids and "fx-cn-retaliation" not in ids
    assert "fx-letter" in [r["id"] for r in timeline(basic, "2025-07-02", "2025-07-02")]


def test_timeline_without_window_lists_everything_known(basic: Registry) -> None:
    rows = timeline(basic)
    assert len(rows) == len(basic.measures)
    assert next(r for r in rows if r["id"] == "fx-threat")["status"] == "threatened"
    assert [r["effective"] for r in rows] == sorted(r["effective"] for r in rows)
    assert len(timeline(basic, known_on="2025-04-14")) < len(rows)


def test_timeline_bad_window(basic: Registry) -> None:
    with pytest.raises(InputError) as info:
        timeline(basic, "2025-07-31", "2025-07-01")
    assert info.value.field == "to"


def test_an_amendment_is_moot_once_its_target_ended(basic: Registry, tmp_path: Path, basic_dir: Path) -> None:
    root = tmp_path / "reg"
    shutil.copytree(basic_dir, root)
    path = root / "US-EAR" / "fx-letter-amend.yaml"
    path.write_text(
        (root / "US-TARIFF" / "fx-tariff-hike.yaml")
        .read_text()
        .replace("id: fx-tariff-hike", "id: fx-letter-amend")
        .replace("jurisdiction: US-TARIFF", "jurisdiction: US-EAR")
        .replace("target: fx-tariff-base#layer", "target: fx-letter#licence")
        .replace("rate_pct: 20.0", "review_policy: case-by-case")
        .replace("2025-03-04", "2025-05-01")
    )
    reg = load_registry([root], bundled=False)
    assert status_on(reg, "fx-letter-amend", "2025-06-01") == "in_force"
    assert status_on(reg, "fx-letter-amend", "2025-07-03") == "ended"  # the letter was lifted that day
