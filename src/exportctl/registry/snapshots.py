"""The dated history of the EAR snapshot tables, as the registry records it.

The data pack's Commerce Control List, Country Chart, Country Groups and licence-exception table are
one eCFR snapshot each; its source date is the day it describes. The registry says what changed in
them, and when, with `table_change` effects (schema.TableChange), and how far back that record is
complete with `registry.yaml` `snapshots` (schema.SnapshotHistory). `TableDating` gathers both once
per registry; engines rebuild a table as it stood on a date from it (engine/ear/dating.py).

Table changes are facts about the snapshot, not rules that bind on a date: every change of a measure
that applies (not proposed or threatened) is kept whatever the `known_on`, because undoing a change the
snapshot already contains is needed to see the earlier table even when the change was not yet public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from exportctl.registry.loader import Registry
from exportctl.registry.settings import SnapshotHistory

INACTIVE = ("proposed", "threatened")


@dataclass(frozen=True)
class Change:
    """One dated edit: on `effective`, `country` enters (`added`) or leaves `value` of `table`."""

    table: str
    country: str
    value: str
    added: bool
    effective: dt.date
    ref: str  # 'measure-id#effect-id'
    citation: str  # the measure's first citation, short form


@dataclass(frozen=True)
class TableDating:
    """Every recorded change of the snapshot tables, and how far back each table's record is complete."""

    changes: tuple[Change, ...] = ()
    histories: dict[str, SnapshotHistory] = field(default_factory=dict)

    def for_table(self, table: str) -> tuple[Change, ...]:
        """The changes of one table, oldest first."""
        return tuple(c for c in self.changes if c.table == table)

    def complete_from(self, table: str, key: str) -> dt.date | None:
        """The first day from which the record of `table` is complete for `key` (None: never)."""
        h = self.histories.get(table)
        if h is None:
            return None
        if key in h.keys:
            return h.keys[key]
        return h.complete_from

    def listed(self, table: str, key: str) -> bool:
        """Whether the table's statement names the key (its own day decides, never `before`)."""
        h = self.histories.get(table)
        return h is not None and key in h.keys

    def before(self, table: str) -> str:
        """What an unlisted key gets before `complete_from`: 'hold' or 'snapshot'."""
        h = self.histories.get(table)
        return h.before if h is not None else "hold"


def table_dating(registry: Registry) -> TableDating:
    """The registry's TableDating, built once and cached on the registry."""
    key = ("table_dating",)
    found = registry._cache.get(key)
    if isinstance(found, TableDating):
        return found
    changes: list[Change] = []
    for m in registry.measures.values():
        if m.status in INACTIVE:
            continue
        cite = m.citations[0].short() if m.citations else m.title
        for e in m.effects:
            tc = e.table_change
            if tc is None:
                continue
            for iso in tc.countries:
                for value, added in [*((v, True) for v in tc.add), *((v, False) for v in tc.remove)]:
                    changes.append(
                        Change(tc.table, iso.upper(), value, added, e.effective, f"{m.id}#{e.id}", cite)
                    )
    changes.sort(key=lambda c: (c.effective, c.table, c.country, c.value, c.ref))
    dating = TableDating(tuple(changes), {str(k): v for k, v in registry.settings.snapshots.items()})
    registry._cache[key] = dating
    return dating


__all__ = ["Change", "TableDating", "table_dating"]
