"""Keying a batch: work is done once per distinct (regime, item, destination, end use, party countries)
key and joined back to the rows; the measures in force are compiled once per regime of the batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from exportctl.engine.common.measures import effect_rows, effects_frame
from exportctl.engine.common.memo import Lru
from exportctl.engine.parties import normalize_names
from exportctl.engine.protocols import ControlsRegimeLike, DatasetLike, RegimeLike, Regimes
from exportctl.errors import NoDataError

KEY_COLS = [
    "rkey",
    "exporting",
    "eccn_base",
    "eccn_para",
    "product_key",
    "destination",
    "end_use",
    "pcs",
    "as_of",
    "cn_code",
    "hts",
]
ROLES = ("ultimate_consignee", "end_user", "intermediate_consignee", "purchaser")


class GroupTables(Protocol):
    """Tables that give the Country Groups (iso, group) a scope's groups ('D:5') expand with."""

    @property
    def groups(self) -> pl.DataFrame: ...


@dataclass(frozen=True)
class CountryGroups:
    """The Country Groups of a data version alone: what an engine without the CCL needs (GroupTables)."""

    groups: pl.DataFrame  # iso, group ('D:5')


def groups_frame(table: pl.DataFrame) -> pl.DataFrame:
    """The store's `country_groups` table (country, group) as (iso, group)."""
    return table.select(pl.col("country").alias("iso"), "group")


def country_groups(ds: DatasetLike) -> CountryGroups:
    """The Country Groups of a data version; NoDataError when it has no `country_groups` table."""
    if not ds.has("country_groups"):
        version = str(getattr(ds, "version", ""))
        raise NoDataError(f"data version {version[:12]} has no table 'country_groups'", field="table")
    return CountryGroups(groups_frame(ds.table("country_groups")))


class GroupsByRegime(Protocol):
    """The Country Groups as they stood on each regime's date (engine.ear.dating.Dated)."""

    def groups_of(self, rkey: int) -> pl.DataFrame: ...


def prepare(tx: pl.DataFrame, exporting: str, roles: tuple[str, ...] = ROLES) -> pl.DataFrame:
    """Add the key columns: ECCN base/paragraph, normalised product, the party countries; rows that
    name no exporting country take `exporting`."""
    for col, dtype in (
        ("product", pl.Utf8),
        ("end_use", pl.Utf8),
        ("value", pl.Float64),
        ("cn_code", pl.Utf8),
        ("hts", pl.Utf8),
        ("rkey", pl.Int64),
        ("exporting", pl.Utf8),
    ):
        if col not in tx.columns:
            tx = tx.with_columns(pl.lit(None, dtype).alias(col))
    country_cols = [f"{r}_country" for r in roles if f"{r}_country" in tx.columns]
    # the party countries as one sorted text key ('CN,US'): cheap to group on, split where needed
    pcs = (
        pl.concat_list([pl.col(c).cast(pl.Utf8) for c in country_cols])
        .list.drop_nulls()
        .list.unique()
        .list.sort()
        .list.join(",")
        if country_cols
        else pl.lit("", pl.Utf8)
    )
    eccn = pl.col("eccn").cast(pl.Utf8)
    return tx.with_columns(
        eccn_base=eccn.str.split(".").list.first(),
        eccn_para=pl.when(eccn.str.contains(r"\."))
        .then(eccn.str.splitn(".", 2).struct.field("field_1"))
        .otherwise(None),
        product_key=normalize_names(pl.col("product")),
        end_use=pl.col("end_use").str.to_lowercase().str.replace_all(r"[_\s]+", "-"),
        pcs=pcs,
        rkey=pl.col("rkey").fill_null(0),
        exporting=pl.col("exporting").fill_null(exporting),
    )


def compile_effects(
    regimes: Mapping[int, RegimeLike],
    tables: GroupTables,
    jurisdictions: tuple[str, ...],
    dated: GroupsByRegime | None = None,
    followers: Callable[[dt.date | None], Mapping[str, Sequence[str]]] | None = None,
) -> pl.DataFrame:
    """All effects in force, one frame across the batch's regimes (key `rkey`); with `dated`, a
    scope's Country Groups ('D:5') expand to their members on the regime's date; with `followers`, a
    scope's destinations bring those that follow them on that date (Hong Kong with China).

    Each regime's rows are built once per (regime content id, jurisdictions, tables, rules) and kept
    (_EFFECTS): a batch with a new mix of dates (an ERP's batch, a book's chunk) rebuilt every
    regime's effects, ~0.6 s of a 1,000-row batch over 150 dates. The batch numbers them (`rkey`, and
    `eid` counting on from the rows before) exactly as when built together."""
    frames: list[pl.DataFrame] = []
    for rkey, regime in regimes.items():

        def build(rkey: int = rkey, regime: RegimeLike = regime) -> pl.DataFrame:
            effects = [a for j in jurisdictions for a in regime.effects(jurisdiction=j)]
            groups = dated.groups_of(rkey) if dated is not None else tables.groups
            follow = followers(getattr(regime, "as_of", None)) if followers is not None else None
            return effects_frame(effect_rows(0, effects, groups, start=0, followers=follow))

        rid = getattr(regime, "id", None)
        rules = getattr(followers, "__self__", followers)
        sources = (tables, rules)
        key = (rid, jurisdictions, dated is None, tuple(id(s) for s in sources))
        found = _EFFECTS.get(key) if isinstance(rid, str) and rid else None
        if found is not None and all(a is b for a, b in zip(found[0], sources, strict=True)):
            frame = found[1]
        else:
            frame = _by_content(rkey, regime, jurisdictions, tables, dated, followers, build)
            if isinstance(rid, str) and rid:
                _EFFECTS.put(key, (sources, frame))
        frames.append(frame)
    return _numbered(list(regimes), frames)


_NUMBERED: Lru[tuple[list[pl.DataFrame], pl.DataFrame]] = Lru(32)  # as many as determine._FIXED keeps


def _numbered(rkeys: list[int], frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The regimes' effect rows as one frame, numbered (`rkey`, `eid` counting on from the rows before);
    the same frames with the same keys give the same frame object (kept): what is built from the effects
    alone (list rules, the measures' parties, the screened lists) is then kept by its identity too."""
    key = tuple((rkey, id(frame)) for rkey, frame in zip(rkeys, frames, strict=True))
    found = _NUMBERED.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], frames, strict=True)):
        return found[1]
    out, offset = [], 0
    for rkey, frame in zip(rkeys, frames, strict=True):
        out.append(frame.with_columns(rkey=pl.lit(rkey, pl.Int64), eid=pl.col("eid") + offset))
        offset += frame.height
    return _NUMBERED.put(key, (frames, pl.concat(out, how="vertical") if out else effects_frame([])))[1]


_EFFECTS: Lru[tuple[tuple[Any, ...], pl.DataFrame]] = Lru(1024)  # one regime's effect rows: ~200 rows
_CONTENT: Lru[tuple[tuple[Any, ...], pl.DataFrame]] = Lru(256)


def _by_content(
    rkey: int,
    regime: RegimeLike,
    jurisdictions: tuple[str, ...],
    tables: GroupTables,
    dated: GroupsByRegime | None,
    followers: Callable[[dt.date | None], Mapping[str, Sequence[str]]] | None,
    build: Callable[[], pl.DataFrame],
) -> pl.DataFrame:
    """A regime's effect rows, shared with any regime of the same content: the same effect and measure
    objects with the same waived parties, the same Country Groups frame and the same followers. A new
    day (a new regime id) mostly finds the effects of a day before unchanged (~7 ms to build).

    The rows read nothing else of the regime (effect_rows: the effect, its measure and the waived
    parties; the groups and followers given); the kept value holds the objects whose ids the key names,
    so no id is reused while its entry lives."""
    effects = [a for j in jurisdictions for a in regime.effects(jurisdiction=j)]
    held = [
        (getattr(a, "effect", None), getattr(a, "measure", None), tuple(getattr(a, "waived_parties", ())))
        for a in effects
    ]
    groups = dated.groups_of(rkey) if dated is not None else tables.groups
    follow = followers(getattr(regime, "as_of", None)) if followers is not None else None
    follow_key = None if follow is None else tuple(sorted((k, tuple(v)) for k, v in follow.items()))
    sources: tuple[Any, ...] = (groups, *(x for e, m, _ in held for x in (e, m)))
    key = (
        jurisdictions,
        id(groups),
        follow_key,
        tuple((id(e), id(m), w) for e, m, w in held),
    )
    found = _CONTENT.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], sources, strict=True)):
        return found[1]
    return _CONTENT.put(key, (sources, build()))[1]


def regime_map(
    regimes: Regimes, transactions: pl.DataFrame
) -> tuple[Mapping[int, ControlsRegimeLike], pl.DataFrame]:
    """One Regime for every row becomes {0: regime} with an `rkey` column; a mapping is kept as it is."""
    if isinstance(regimes, Mapping):
        return regimes, transactions
    return {0: regimes}, transactions.with_columns(rkey=pl.lit(0, pl.Int64))


def keyed(
    tx: pl.DataFrame,
    regimes: Mapping[int, ControlsRegimeLike],
    facts: Callable[[pl.DataFrame], pl.DataFrame],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The distinct keys of a batch (`kid`), with their destination facts and their regime's coverage;
    and the transactions with their `kid`. Everything after is decided once per key, then joined."""
    covered = pl.DataFrame(
        {
            "rkey": list(regimes),
            "covered": [bool(r.covered) for r in regimes.values()],
            "coverage_note": [_coverage_note(r) for r in regimes.values()],
        },
        schema={"rkey": pl.Int64, "covered": pl.Boolean, "coverage_note": pl.Utf8},
    )
    # one hashing of the key columns: the distinct keys with the positions of their rows
    grouped = (
        tx.select(KEY_COLS)
        .with_row_index("_at")
        .group_by(KEY_COLS)
        .agg("_at")
        .with_row_index("kid")
        .with_columns(pl.col("kid").cast(pl.Int64))
    )
    at = grouped.select("kid", "_at").explode("_at").sort("_at")
    keys = grouped.drop("_at")
    dest = facts(keys.select("rkey", "destination", "as_of").unique())
    keys = keys.join(dest, on=["rkey", "destination", "as_of"], how="left").join(
        covered, on="rkey", how="left"
    )
    return keys, tx.with_columns(at["kid"])


def _coverage_note(regime: ControlsRegimeLike) -> str | None:
    """The regime's own text for a date outside the registry's coverage (Regime.coverage_note)."""
    note = getattr(regime, "coverage_note", None)
    return note() if callable(note) else None
