"""Lint rule of per-family coverage: no measure is dated after its family's `researched_through`.

A measure known, announced or published after the last day its family's research is complete would be
an answer the registry claims not to know: an error (move the family's `researched_through`, with the
sources checked up to it, or correct the date). Only an `effective` date after it is a scheduled change
known in time: a warning, so that the day it takes effect is looked at when the family moves on.
"""

from __future__ import annotations

from typing import NamedTuple

from exportctl.registry.loader import Registry
from exportctl.registry.schema import Measure

__all__ = ["CODE", "CoverageFinding", "coverage_findings"]

CODE = "after-researched-through"


class CoverageFinding(NamedTuple):
    """One finding: severity, message and the field it is about (a path such as `dates.published`)."""

    severity: str
    message: str
    field: str


def coverage_findings(registry: Registry, m: Measure) -> list[CoverageFinding]:
    """The dates of `m` after its family's researched_through: known_on, announced, published (and an
    action's known_on) are errors; an effective date alone is a warning."""
    fam = registry.family_coverage(m.jurisdiction, m.family) if m.family else None
    if fam is None:
        return []
    last = fam.researched_through
    name = f"{m.jurisdiction} {m.family}"

    def text(what: str, day: object) -> str:
        return (
            f"{what} {day} is after {last}, the day {name} is researched through (registry.yaml "
            f"families): move the family's researched_through with its sources, or correct the date"
        )

    known = [
        ("known_on", m.known_on),
        ("dates.announced", m.dates.announced),
        ("dates.published", m.dates.published),
    ]
    known += [(f"actions.{i}.known_on", a.known_on) for i, a in enumerate(m.actions)]
    out = [CoverageFinding("error", text(f, d), f) for f, d in known if d is not None and d > last]
    if out:
        return out
    scheduled = [("dates.effective", m.dates.effective)]
    scheduled += [(f"actions.{i}.effective", a.effective) for i, a in enumerate(m.actions)]
    return [
        CoverageFinding(
            "warning",
            text(f, d).replace(" or correct the date", "") + " (a scheduled change known in time)",
            f,
        )
        for f, d in scheduled
        if d is not None and d > last
    ]
