"""What the engines read of a regime and a data version: the typed seams between registry, store and engine.

The engines never import `registry.compile.Regime` or `store.Dataset`: they take anything with these
attributes (a compiled regime, a dataset held in memory, a test's own object). Each protocol lists only
what some engine reads; `tests/engine/test_protocols.py` checks the real classes satisfy them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeAlias, runtime_checkable

import polars as pl

from exportctl.registry.schema import Effect, Measure
from exportctl.registry.settings import FamilyCoverage
from exportctl.registry.snapshots import TableDating

__all__ = [
    "ActiveLike",
    "ControlsRegimeLike",
    "DatasetLike",
    "RegimeLike",
    "Regimes",
    "SourceLike",
]


@runtime_checkable
class ActiveLike(Protocol):
    """An effect in force on the regime's date (`registry.compile.ActiveEffect`)."""

    @property
    def effect(self) -> Effect: ...
    @property
    def measure(self) -> Measure: ...
    @property
    def provenance(self) -> list[str]: ...
    @property
    def waived_parties(self) -> list[str]: ...


@runtime_checkable
class RegimeLike(Protocol):
    """What every engine reads of a compiled regime (`registry.compile.Regime`): the tariff stack's seam."""

    @property
    def id(self) -> str: ...
    @property
    def as_of(self) -> dt.date: ...
    @property
    def known_on(self) -> dt.date | None: ...
    @property
    def covered(self) -> bool: ...
    @property
    def measures(self) -> dict[str, Measure]: ...

    def effects(self, kind: str | None = None, jurisdiction: str | None = None) -> Sequence[ActiveLike]:
        """The effects in force, optionally of one kind and jurisdiction."""
        ...


@runtime_checkable
class ControlsRegimeLike(RegimeLike, Protocol):
    """What the export-control engines (US EAR, China) read besides: snapshot dating and family coverage."""

    @property
    def dating(self) -> TableDating: ...

    def coverage_note(self) -> str | None:
        """The regime's own text for a date outside the registry's coverage."""
        ...

    def family(self, jurisdiction: str, family: str) -> FamilyCoverage | None:
        """The family's coverage record, if the registry has one."""
        ...

    def family_covered(self, jurisdiction: str, family: str) -> bool:
        """True when the regime's date is within the family's research."""
        ...

    def family_note(self, jurisdiction: str, family: str) -> str | None:
        """The family's hold text past its researched_through."""
        ...

    def knowledge_through(self, jurisdiction: str, family: str) -> dt.date | None:
        """The last day the family's knowledge reaches on this regime."""
        ...


# One regime for every row, or one per `rkey` value of the transactions.
Regimes: TypeAlias = ControlsRegimeLike | Mapping[int, ControlsRegimeLike]


@runtime_checkable
class SourceLike(Protocol):
    """One table's metadata in a data version (`store.dataset.SourceInfo`)."""

    @property
    def name(self) -> str: ...
    @property
    def date(self) -> str: ...


@runtime_checkable
class DatasetLike(Protocol):
    """What the engines read of a data version (`store.Dataset`): its id, its tables and their sources."""

    @property
    def version(self) -> str: ...
    @property
    def sources(self) -> Sequence[SourceLike]: ...

    def has(self, name: str) -> bool:
        """True when the version holds a table of that name."""
        ...

    def table(self, name: str) -> pl.DataFrame:
        """The records of that table."""
        ...
