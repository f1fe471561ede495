"""The schema of `registry.yaml`: registry-wide settings, each family's coverage, snapshot-table histories.

Strict like the measure schema: unknown keys are errors, and the loader adds file and line to each.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from exportctl.registry.schema import Jurisdiction, SnapshotTable, Strict

__all__ = ["FamilyCoverage", "FamilySource", "Settings", "SnapshotHistory"]


class FamilySource(Strict):
    """A source checked while researching a family of measures, and the day it was checked."""

    title: str
    url: str | None = None
    checked: dt.date


class FamilyCoverage(Strict):
    """One family of measures of a jurisdiction and the last day its research is complete.

    A date after `researched_through` holds (export side) or is an error naming the day (tariffs),
    for this family only.
    """

    jurisdiction: Jurisdiction
    family: str
    researched_through: dt.date
    description: str
    sources: list[FamilySource] = Field(min_length=1)
    gaps: list[str] = Field(default_factory=list)


class SnapshotHistory(Strict):
    """How far back the registry records every change of one snapshot table (`registry.yaml`).

    Before the snapshot's own date, a key (country, ECCN) listed in `keys` is answered from the table
    as rebuilt by the dated `table_change` effects on and after its day, and holds before it (null:
    on every earlier date). A key not listed is answered from the rebuilt table on and after
    `complete_from`; before it (or without one) `before` decides: `hold` (no answer), or `snapshot`
    (the snapshot is applied as it is: a known gap, listed in docs/snapshot-dating.md). A Country
    Chart key 'ISO/REASON' ('KR/CC') holds only items controlled for that reason (its columns changed
    on a day the registry knows, in a way it does not record).
    """

    complete_from: dt.date | None = None
    keys: dict[str, dt.date | None] = Field(default_factory=dict)
    before: Literal["hold", "snapshot"] = "hold"
    basis: str

    @model_validator(mode="after")
    def _keys(self) -> SnapshotHistory:
        # an ISO code ('IN'), a chart key scoped to a reason for control ('KR/CC'), or an ECCN ('3A090')
        bad = [
            k for k in self.keys if not re.fullmatch(r"[A-Z]{2}(/(NS|MT|NP|CB|RS|FC|CC|AT))?|\d[A-E]\d{3}", k)
        ]
        if bad:
            raise ValueError(f"snapshot keys must be ISO codes, 'ISO/REASON' or ECCNs, got {bad}")
        return self


class Settings(Strict):
    """Registry-wide settings read from `registry.yaml`."""

    # key: start (the first day answered). There is no global end: each family's `researched_through`
    # is the last day it answers for (`families`).
    coverage: dict[Literal["start"], dt.date | None] = Field(default_factory=dict)
    description: str | None = None
    # per EAR snapshot table: how far back its recorded history is complete (schema.SnapshotHistory)
    snapshots: dict[SnapshotTable, SnapshotHistory] = Field(default_factory=dict)
    # the families of measures and how far each one's research reaches (schema.FamilyCoverage); when
    # given, every measure names one of them in `family`
    families: list[FamilyCoverage] = Field(default_factory=list)

    @field_validator("coverage", mode="before")
    @classmethod
    def _no_global_end(cls, value: Any) -> Any:
        """`coverage.end` is gone: say where the last day now lives."""
        if isinstance(value, dict) and "end" in value:
            raise ValueError(
                "coverage.end is no longer read: coverage ends per family (families[].researched_through)"
            )
        return value
