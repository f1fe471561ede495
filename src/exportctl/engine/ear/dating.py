"""The snapshot tables as they stood on each row's date, and holds where the registry cannot say.

Each EAR snapshot table describes one day (`EarTables.dates`, its source date). For an earlier date
the Country Groups and Country Chart marks are rebuilt from the registry's dated `table_change`
effects (`Regime.dating`): changes dated after the date and up to the snapshot are undone, newest
first; changes after the snapshot and up to the date are applied. Changes on or before the snapshot
date are a check only: the snapshot must show their result, else the country holds before the
snapshot date. Where the registry's record of a table is not complete for a key on the date
(`registry.yaml` `snapshots`), the key holds, naming the table and its snapshot date, or the snapshot
is applied as it is where the registry says so (`before: snapshot`, listed in docs/snapshot-dating.md).

Work is done once per 'epoch' (the set of changes undone or applied), so a batch of many dates
builds a handful of tables, never one per row.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from exportctl.engine.common.measures import expand_destinations
from exportctl.engine.common.memo import Lru
from exportctl.engine.common.reasons import lit, reason_struct
from exportctl.engine.ear.tables import EarTables
from exportctl.engine.protocols import ControlsRegimeLike
from exportctl.registry.rules import ear_rules
from exportctl.registry.snapshots import Change, TableDating

TITLES = {  # the subject of the hold text with its verb, and the pronoun with its past tense
    "country_groups": ("the Country Groups are", "they were"),
    "country_chart": ("the Country Chart is", "it was"),
    "ccl": ("the Commerce Control List is", "it was"),
    "license_exceptions": ("the License Exception table is", "it was"),
}
CITES = {
    "country_groups": "15 CFR 740 Supp. 1 (Country Groups)",
    "country_chart": "15 CFR 738 Supp. 1 (Commerce Country Chart)",
    "ccl": "15 CFR 774 Supp. 1 (Commerce Control List)",
    "license_exceptions": "15 CFR 740 (License Exceptions)",
}
# the frame column each country table's values are in
VALUE_COL = {"country_groups": "group", "country_chart": "column"}
HOLD_SCHEMA = {"kid": pl.Int64, "reason": pl.Struct}


def rebuild(
    pairs: set[tuple[str, str]], changes: tuple[Change, ...], snapshot: dt.date, as_of: dt.date
) -> set[tuple[str, str]]:
    """The (country, value) pairs on `as_of`, from the snapshot's pairs and the dated changes."""
    out = set(pairs)
    for c in sorted((c for c in changes if as_of < c.effective <= snapshot), key=_newest_first):
        (out.discard if c.added else out.add)((c.country, c.value))
    for c in _forward(changes, snapshot, as_of):
        (out.add if c.added else out.discard)((c.country, c.value))
    return out


def _forward(changes: tuple[Change, ...], snapshot: dt.date, as_of: dt.date) -> list[Change]:
    return sorted((c for c in changes if snapshot < c.effective <= as_of), key=lambda c: c.effective)


def _newest_first(c: Change) -> tuple[int, str]:
    return (-c.effective.toordinal(), c.ref)


def conflicts(pairs: set[tuple[str, str]], changes: tuple[Change, ...], snapshot: dt.date) -> dict[str, str]:
    """Countries whose latest recorded change up to the snapshot disagrees with it: {iso: change ref}."""
    last: dict[tuple[str, str], Change] = {}
    for c in sorted((c for c in changes if c.effective <= snapshot), key=lambda c: c.effective):
        last[(c.country, c.value)] = c
    return {key[0]: c.ref for key, c in sorted(last.items()) if (key in pairs) != c.added}


@dataclass(frozen=True)
class Dated:
    """Per batch: each regime's epoch of the Country Groups and Chart, their tables, and the holds."""

    epochs: pl.DataFrame  # rkey, eg, em
    groups: pl.DataFrame  # eg, iso, group
    marks: pl.DataFrame  # em, iso, column
    by_rkey: dict[int, pl.DataFrame]  # rkey -> (iso, group): the groups measures' destinations expand with
    regimes: Mapping[int, ControlsRegimeLike]
    dates: dict[str, dt.date]

    def groups_of(self, rkey: int) -> pl.DataFrame:
        """The Country Groups (iso, group) as they stood on the regime's date."""
        return self.by_rkey[rkey]

    def d5_md(self) -> pl.DataFrame:
        """(rkey, md5): the destinations §740.2(a)(9) names on each regime's date (data/rules/us-ear.yaml
        `advanced_restricted_destinations`: Macau and D:5, whose China brings Hong Kong from Dec 23, 2020)."""
        rules = ear_rules()
        names = rules.advanced_restricted_destinations.scope.destinations
        rows = [
            {"rkey": k, "md5": expand_destinations(names, g, rules.followers(self.regimes[k].as_of))}
            for k, g in self.by_rkey.items()
        ]
        return pl.DataFrame(rows, schema={"rkey": pl.Int64, "md5": pl.List(pl.Utf8)})


@dataclass
class _Snapshot:
    """What a new day's Dated reuses from one EarTables: the snapshot's pairs, and each epoch's pairs and
    frames (an epoch is the same set of changes undone or applied, so its tables are the same)."""

    tables: EarTables
    pairs: dict[str, set[tuple[str, str]]]
    epochs: Lru[set[tuple[str, str]]]
    frames: Lru[pl.DataFrame]
    conflicts: Lru[tuple[TableDating, dict[str, str]]]
    reasons: pl.DataFrame | None = None  # (eccn_base, reason) of the CCL rows


_SNAPSHOTS: Lru[_Snapshot] = Lru(4)


def _snapshot(tables: EarTables) -> _Snapshot:
    """The snapshot's (country, group) and (country, chart column) pairs, built once per EarTables: a new
    day's regime used to rebuild them (~5-18 ms of a single answer on a day not asked before)."""
    kept = _SNAPSHOTS.get(id(tables))
    if kept is not None and kept.tables is tables:
        return kept
    base = {
        "country_groups": tables.groups.select("iso", pl.col("group").alias("v")),
        "country_chart": tables.marks.select("iso", pl.col("column").alias("v")),
    }
    pairs = {t: set(zip(f["iso"].to_list(), f["v"].to_list(), strict=True)) for t, f in base.items()}
    return _SNAPSHOTS.put(id(tables), _Snapshot(tables, pairs, Lru(256), Lru(256), Lru(16)))


def prepare(regimes: Mapping[int, ControlsRegimeLike], tables: EarTables) -> Dated:
    """Build the dated Country Groups and Chart marks for every regime of a batch (once per epoch; an
    epoch's pairs and frames are kept per EarTables, so a new day of a known epoch builds none)."""
    snapshot = _snapshot(tables)
    pairs = snapshot.pairs
    built: dict[str, dict[Any, tuple[int, set[tuple[str, str]]]]] = {t: {} for t in pairs}
    epochs: list[dict[str, int]] = []
    by_rkey: dict[int, pl.DataFrame] = {}
    group_frames: dict[int, pl.DataFrame] = {}
    for rkey, regime in regimes.items():
        dating: TableDating = regime.dating
        row = {"rkey": rkey}
        for table, col in (("country_groups", "eg"), ("country_chart", "em")):
            snap = tables.dates.get(table)
            changes = dating.for_table(table)
            if snap is None or not changes:
                key: Any = (table, "snapshot")
                result = pairs[table]
            else:
                days = sorted({c.effective for c in changes})
                key = (changes, snap, bisect.bisect_right(days, regime.as_of))
                found = snapshot.epochs.get((table, key))
                result = (
                    found
                    if found is not None
                    else snapshot.epochs.put((table, key), rebuild(pairs[table], changes, snap, regime.as_of))
                )
            if key not in built[table]:
                built[table][key] = (len(built[table]), result)
            row[col] = built[table][key][0]
        epochs.append(row)
        eg = row["eg"]
        if eg not in group_frames:
            group_frames[eg] = _stack(snapshot, built["country_groups"], "group", eg)
        by_rkey[rkey] = group_frames[eg]
    groups = _stack(snapshot, built["country_groups"], "group")
    marks = _stack(snapshot, built["country_chart"], "column")
    ep = pl.DataFrame(epochs, schema={"rkey": pl.Int64, "eg": pl.Int64, "em": pl.Int64})
    return Dated(ep, groups, marks, by_rkey, regimes, dict(tables.dates))


def _frame(pairs: set[tuple[str, str]], col: str) -> pl.DataFrame:
    ordered = sorted(pairs)
    return pl.DataFrame(
        {"iso": [p[0] for p in ordered], col: [p[1] for p in ordered]}, schema={"iso": pl.Utf8, col: pl.Utf8}
    )


_EPOCH_COL = {"group": "eg", "column": "em"}


def _stack(
    snapshot: _Snapshot, built: dict[Any, tuple[int, set[tuple[str, str]]]], col: str, only: int | None = None
) -> pl.DataFrame:
    """The epochs' frames (iso, `col`) with their number (eg/em) stacked; `only`: that epoch's frame
    alone, without its number. Each frame is kept per (epoch, number) on the snapshot."""
    key = _EPOCH_COL[col]
    frames = []
    for epoch, (i, p) in built.items():
        if only is None or i == only:
            tag = (col, epoch, "alone" if only is not None else i)
            kept = snapshot.frames.get(tag)
            if kept is None:
                frame = _frame(p, col)
                if only is None:
                    frame = frame.with_columns(pl.lit(i, pl.Int64).alias(key))
                kept = snapshot.frames.put(tag, frame)
            if only is not None:
                return kept
            frames.append(kept)
    if not frames:
        return pl.DataFrame(schema={"iso": pl.Utf8, col: pl.Utf8, key: pl.Int64})
    return frames[0] if len(frames) == 1 else pl.concat(frames)


def holds(keys: pl.DataFrame, dated: Dated, tables: EarTables) -> pl.DataFrame:
    """(kid, reason) holds: a key's date is before a snapshot table's date and the registry's record of
    that table is not complete for the key (its country or ECCN) on that date, or disagrees with it.

    Decided once per distinct (regime, country) and (regime, ECCN), then joined to the keys."""
    need = keys.select("kid", "rkey", "eccn_base", pl.coalesce("row_iso", "destination").alias("iso"))
    bad: dict[tuple[str, int], dict[str, str]] = {}
    found: list[pl.DataFrame] = []
    for table, col in (("country_groups", "iso"), ("country_chart", "iso"), ("ccl", "eccn_base")):
        snap = dated.dates.get(table)
        early = [k for k, r in dated.regimes.items() if snap is None or r.as_of < snap]
        pairs = (
            need.filter(pl.col("rkey").is_in(early) & pl.col(col).is_not_null() & (pl.col(col) != "EAR99"))
            .select("rkey", col)
            .unique()
        )
        rows: list[tuple[int, str, str]] = []
        for rkey, key in pairs.iter_rows():
            regime = dated.regimes[rkey]
            wrong = bad.get((table, id(regime.dating)))
            if wrong is None:
                wrong = bad[(table, id(regime.dating))] = _conflicts_of(table, regime.dating, tables, snap)
            text = _hold_text(regime.dating, table, key, regime.as_of, snap, wrong)
            if text:
                rows.append((rkey, key, text))
        if rows:
            hits = pl.DataFrame(rows, schema={"rkey": pl.Int64, col: pl.Utf8, "text": pl.Utf8}, orient="row")
            found.append(
                need.join(hits, on=["rkey", col]).select("kid", pl.lit(table).alias("table"), "text")
            )
    by_reason = _reason_holds(need, dated, tables)
    if by_reason is not None:
        found.append(by_reason)
    if not found:
        return pl.DataFrame(schema={"kid": pl.Int64})
    frame = pl.concat(found)
    return frame.select(
        "kid",
        reason_struct(
            step=lit("DATA"),
            code=pl.concat_str([lit("snapshot:"), pl.col("table")]),
            citation=pl.col("table").replace_strict(CITES, return_dtype=pl.Utf8),
            effect=lit("hold"),
            le_ok=pl.lit(False),
            conditional=pl.lit(False),
            text=pl.col("text"),
        ),
    )


def _reason_holds(need: pl.DataFrame, dated: Dated, tables: EarTables) -> pl.DataFrame | None:
    """Holds from Country Chart keys scoped to a reason for control ('KR/CC': Korea's CC columns): they
    reach only items whose ECCN has a control row for that reason, before the key's day."""
    snap = dated.dates.get("country_chart")
    rows: list[tuple[int, str, str, dt.date | None, dt.date]] = []
    for rkey, regime in dated.regimes.items():
        h = regime.dating.histories.get("country_chart")
        if h is None or (snap is not None and regime.as_of >= snap):
            continue
        for key, start in h.keys.items():
            if "/" in key and (start is None or regime.as_of < start):
                iso, reason = key.split("/", 1)
                rows.append((rkey, iso, reason, start, regime.as_of))
    if not rows:
        return None
    spec = pl.DataFrame(
        rows,
        schema={"rkey": pl.Int64, "iso": pl.Utf8, "reason": pl.Utf8, "start": pl.Date, "day": pl.Date},
        orient="row",
    )
    kept = _snapshot(tables)
    if kept.reasons is None:
        kept.reasons = tables.rows.select(pl.col("eccn").alias("eccn_base"), "reason").unique()
    reasons = kept.reasons
    hits = need.join(spec, on=["rkey", "iso"]).join(reasons, on=["eccn_base", "reason"])
    when = f"the eCFR of {snap}" if snap else "a snapshot of unknown date"
    text = pl.concat_str(
        [
            lit(f"hold: the Country Chart is {when}; its "),
            pl.col("reason"),
            lit(" columns for "),
            pl.col("iso"),
            lit(" on "),
            pl.col("day").cast(pl.Utf8),
            lit(" are not recorded"),
            pl.when(pl.col("start").is_not_null())
            .then(
                pl.concat_str(
                    [
                        lit(" (the registry's record is complete from "),
                        pl.col("start").cast(pl.Utf8),
                        lit(")."),
                    ]
                )
            )
            .otherwise(lit(".")),
        ]
    )
    return hits.select("kid", lit("country_chart").alias("table"), text.alias("text")).unique()


def _conflicts_of(table: str, dating: TableDating, tables: EarTables, snap: dt.date | None) -> dict[str, str]:
    """conflicts() of the table's snapshot and the registry's dating, kept per (EarTables, dating)."""
    if snap is None or table not in VALUE_COL:
        return {}
    kept = _snapshot(tables).conflicts
    found = kept.get((table, id(dating), snap))
    if found is not None and found[0] is dating:
        return found[1]
    return kept.put((table, id(dating), snap), (dating, _conflicts(table, dating, tables, snap)))[1]


def _conflicts(table: str, dating: TableDating, tables: EarTables, snap: dt.date) -> dict[str, str]:
    frame = tables.groups if table == "country_groups" else tables.marks
    col = VALUE_COL[table]
    pairs = set(zip(frame["iso"].to_list(), frame[col].to_list(), strict=True))
    return conflicts(pairs, dating.for_table(table), snap)


def _hold_text(
    dating: TableDating, table: str, key: str, as_of: dt.date, snap: dt.date | None, bad: dict[str, str]
) -> str | None:
    title, past = TITLES[table]
    when = f"the eCFR of {snap}" if snap else "a snapshot of unknown date"
    if key in bad:
        return (
            f"hold: {title} {when}; the registry's change {bad[key]} disagrees with it for "
            f"{key}, so the table on {as_of} cannot be rebuilt."
        )
    start = dating.complete_from(table, key)
    if start is not None and snap is not None and as_of >= start:
        return None
    if dating.before(table) == "snapshot" and snap is not None and not dating.listed(table, key):
        return None
    return f"hold: {title} {when}; what {past} on {as_of} is not recorded for {key}" + (
        f" (the registry's record is complete from {start})." if start else "."
    )


__all__ = ["Dated", "conflicts", "holds", "prepare", "rebuild"]
