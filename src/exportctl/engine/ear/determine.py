"""The EAR license determination over a table of transactions, in the order of Supp. 1 to Part 732.

Work is done once per distinct (regime, item, destination, end use, party countries) key and joined back
to the rows; parties are screened once per distinct name. Per-row Python appears nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from exportctl.engine import coverage as cov
from exportctl.engine.common import keying, party_rows
from exportctl.engine.common import lists as party_lists
from exportctl.engine.common.checks import lists_description, party_facts
from exportctl.engine.common.grouping import LIST_NAMES
from exportctl.engine.common.keying import compile_effects, keyed, regime_map
from exportctl.engine.common.measures import known_products, unclassified
from exportctl.engine.common.memo import ByIdentity, Lru, memo_of
from exportctl.engine.common.party_scripts import any_held, script_holds
from exportctl.engine.common.reasons import EXCEPTION_DTYPE, REASON_DTYPE
from exportctl.engine.ear import checks as chk
from exportctl.engine.ear import dating
from exportctl.engine.ear import exceptions as le_flags
from exportctl.engine.ear.groups import destination_facts
from exportctl.engine.ear.items import item_reasons
from exportctl.engine.ear.parties import party_reasons
from exportctl.engine.ear.tables import EarTables
from exportctl.engine.ear.verdict import finish
from exportctl.engine.parties import no_match
from exportctl.engine.protocols import ControlsRegimeLike, RegimeLike, Regimes
from exportctl.registry.rules import ear_rules

ENGINE_VERSION = "ear-1"
KEY_COLS = keying.KEY_COLS
US_JURISDICTIONS = ("US-EAR", "US-OFAC")


def prepare(tx: pl.DataFrame, roles: tuple[str, ...] = keying.ROLES) -> pl.DataFrame:
    """Add the key columns (engine.common.keying.prepare); a row without an exporting country is a US
    export."""
    return keying.prepare(tx, "US", roles)


def determine(
    regimes: Regimes,
    tables: EarTables,
    transactions: pl.DataFrame,
    csl: pl.DataFrame | None,
    *,
    fuzzy: bool = False,
    index_key: str | None = None,
    data_version: str | None = None,
    suppressed: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One answer row per transaction: verdict, license_required, reasons, review_policy, exceptions,
    parties, and the checks made.

    `regimes` is a Regime (every row) or {rkey: Regime} with an `rkey` column in `transactions`.
    `csl` is the screening list table, or None when the data version has none (rows then hold).
    `data_version` names the lists screened in the checks.
    """
    regimes, transactions = regime_map(regimes, transactions)
    fixed = _fixed(regimes, tables, csl, data_version)
    dated, effects = fixed.dated, fixed.effects
    keys, tx = keyed(
        prepare(transactions),
        regimes,
        lambda dests: destination_facts(dests, tables, dated).with_columns(*le_flags.destination_flags()),
    )

    if keys.height == 1:  # a single answer: its one key's work is kept per (key, Fixed)
        memo_key = (repr(keys.schema), repr(keys.rows()))
        keys, key_reasons, kchecks = fixed.by_key.get_or_build(
            memo_key, lambda: _key_work(keys, fixed, tables, regimes)
        )
    else:
        keys, key_reasons, kchecks = _key_work(keys, fixed, tables, regimes)

    lists = fixed.lists
    parties, hits = _screened(tx, fixed, fuzzy=fuzzy, index_key=index_key, suppressed=suppressed)
    hits = party_rows.confirm_measure_hits(hits, keys, effects)
    row_reasons = party_reasons(hits, fixed.list_rules)
    if csl is None:
        row_reasons = (
            pl.concat([row_reasons, party_rows.no_lists_hold(tx)], how="vertical_relaxed")
            if row_reasons.height
            else party_rows.no_lists_hold(tx)
        )
    for late in (cov.party_holds(tx, parties, fixed.families), script_holds(parties, hits, lists)):
        if late.height:
            row_reasons = (
                pl.concat([row_reasons, late], how="vertical_relaxed") if row_reasons.height else late
            )
    screening = party_lists.screening_results(hits)
    checks = chk.CheckInputs(
        kchecks,
        party_facts(tx, parties, row_reasons),
        fixed.lists_what,
        fixed.dpl_what,
        chk.US_ORDER,
    )
    return finish(tx, keys, key_reasons, row_reasons, screening, checks, tables.exception_sections)


def screen_parties(
    regimes: Regimes,
    tables: EarTables,
    transactions: pl.DataFrame,
    csl: pl.DataFrame | None,
    *,
    fuzzy: bool = False,
    index_key: str | None = None,
    data_version: str | None = None,
    suppressed: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(hits, script holds) of the parties of `transactions` screened as `determine` screens them: the same
    lists (the CSL and the parties of the measures in force on each row's regime), index, fuzziness and
    decisions, before measure hits are confirmed (a superset of determine's). `transactions` needs row,
    kid, as_of, eccn_base, destination, the roles (and rkey when `regimes` is a mapping)."""
    regimes, transactions = regime_map(regimes, transactions)
    fixed = _fixed(regimes, tables, csl, data_version)
    parties, hits = _screened(transactions, fixed, fuzzy=fuzzy, index_key=index_key, suppressed=suppressed)
    return hits, script_holds(parties, hits, fixed.lists)


def parties_clean(
    regime: ControlsRegimeLike,
    tables: EarTables,
    names: Sequence[str],
    destination: str,
    csl: pl.DataFrame | None,
    *,
    fuzzy: bool = False,
    index_key: str | None = None,
    data_version: str | None = None,
) -> bool | None:
    """Whether `screen_parties` finds no hit and no script hold for a row on `regime` naming `names` (blank
    names left out) to `destination`: one row's path, the same lists, exact keys, index and scorer without
    a frame per call (engine.parties.no_match). None when only screen_parties can tell."""
    fixed = _fixed({0: regime}, tables, csl, data_version)
    asked = [n for n in dict.fromkeys(names) if n and n.strip()]
    found = no_match(asked, destination, fixed.lists, fuzzy=fuzzy, index_key=index_key)
    if not found:
        return found
    return not any_held(asked, fixed.lists)


def _screened(
    tx: pl.DataFrame, fixed: Fixed, *, fuzzy: bool, index_key: str | None, suppressed: pl.DataFrame | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(parties, hits): one row per named party of `tx` and what screening the lists finds for each."""
    parties = party_rows.explode_parties(tx)
    hits = party_lists.screen_rows(
        parties, fixed.lists, fuzzy=fuzzy, index_key=index_key, suppressed=suppressed
    )
    return parties, hits


@dataclass(frozen=True)
class Fixed:
    """What a batch derives from its regimes, the EAR tables and the lists alone (not from its rows).

    The screened lists and their rules are built when first read (a batch naming a party): a question
    naming none never reads them, and on a day whose measures differ they cost ~5-10 ms to build."""

    dated: dating.Dated
    effects: pl.DataFrame
    families: pl.DataFrame
    known_products: pl.DataFrame
    csl: pl.DataFrame | None
    lists_what: str
    dpl_what: str
    # one key's (keys, key_reasons, key checks), for single answers (determine)
    by_key: Lru[tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]] = field(default_factory=lambda: Lru(1024))

    @cached_property
    def lists(self) -> pl.DataFrame:
        """The lists screened: the CSL and the parties the measures in force name."""
        return party_lists.party_lists(self.csl, party_rows.measure_parties(self.effects))

    @cached_property
    def list_rules(self) -> pl.DataFrame:
        """The rules of each list (engine.common.lists.list_rules)."""
        return party_lists.list_rules(self.effects)


_FIXED: Lru[tuple[tuple[Any, ...], Fixed]] = Lru(32)


def _fixed(
    regimes: Mapping[int, ControlsRegimeLike],
    tables: EarTables,
    csl: pl.DataFrame | None,
    data_version: str | None,
) -> Fixed:
    """The batch's Fixed frames, built once per (regimes' content ids, tables, lists, data version)."""

    def build() -> Fixed:
        # the Country Groups and Chart marks as they stood on each regime's date (snapshot dating)
        dated = dating.prepare(regimes, tables)
        effects = compile_effects(regimes, tables, US_JURISDICTIONS, dated, ear_rules().followers)
        lists_what, dpl_what = list_texts(csl, data_version)
        return Fixed(
            dated=dated,
            effects=effects,
            families=cov.family_frame(regimes, cov.EAR_FAMILIES),
            known_products=known_products(regimes, US_JURISDICTIONS),
            csl=csl,
            lists_what=lists_what,
            dpl_what=dpl_what,
        )

    return memo_of(_FIXED, regimes, (tables, csl, ear_rules()), build, data_version)


_DPL: ByIdentity[int] = ByIdentity(4)  # the Denied Persons List's entries, per lists frame


def list_texts(csl: pl.DataFrame | None, data_version: str | None) -> tuple[str, str]:
    """(lists_what, dpl_what): the lists screened and the Denied Persons List's size as the checks name
    them, counted once per lists frame (a new day's Fixed filtered the CSL again)."""
    if csl is None or "list" not in csl.columns:
        dpl = 0
    else:
        dpl = _DPL.get_or_build(csl, lambda: csl.filter(pl.col("list") == "DPL").height)
    return lists_description(csl, data_version, LIST_NAMES), f"Denied Persons List ({dpl:,} entries)"


def _key_work(
    keys: pl.DataFrame, fixed: Fixed, tables: EarTables, regimes: Mapping[int, ControlsRegimeLike]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(keys, key_reasons, key checks): everything decided once per key, from the key and Fixed alone."""
    dated, effects = fixed.dated, fixed.effects
    # coverage per family: past US-EAR controls' day every key holds; past a party family's, the rows
    # naming parties hold (below)
    families = fixed.families
    keys = cov.with_controls_coverage(keys, families)
    # parties headquartered in Macau or D:5 take the Macau/D:5 exception limits (§740.2(a)(9), §740.8)
    keys = (
        keys.join(dated.d5_md(), on="rkey", how="left")
        .with_columns(hq_md5=pl.col("pcs").str.split(",").list.set_intersection(pl.col("md5")).list.len() > 0)
        .drop("md5")
    )
    key_reasons, key_mods = item_reasons(keys, tables, effects, _dating_regimes(regimes))
    snapshot_holds = dating.holds(keys, dated, tables)
    if snapshot_holds.height:
        key_reasons = pl.concat([key_reasons, snapshot_holds], how="vertical_relaxed")
    hold_unclassified = unclassified(keys, fixed.known_products)
    if hold_unclassified.height:
        key_reasons = pl.concat([key_reasons, hold_unclassified], how="vertical_relaxed")
    kchecks = chk.key_checks(keys, key_reasons, effects, tables.rows, families)
    keys = keys.drop("marks", "groups", "footnotes")  # the chart's lists are spent; flags remain (memory)
    keys = keys.join(key_mods, on="kid", how="left").join(
        tables.eccns.select("eccn", "lvs", "lvs_limit", "gbs"),
        left_on="eccn_base",
        right_on="eccn",
        how="left",
    )
    return keys, key_reasons, kchecks


def _dating_regimes(regimes: Mapping[int, RegimeLike]) -> list[int]:
    """The regimes whose registry dates the Russia/Belarus sanctions (an RS-RU effect in a measure)."""
    return [
        rkey
        for rkey, regime in regimes.items()
        if any(e.control_reason == "RS-RU" for m in regime.measures.values() for e in m.effects)
    ]


__all__ = [
    "ENGINE_VERSION",
    "EXCEPTION_DTYPE",
    "REASON_DTYPE",
    "determine",
    "list_texts",
    "parties_clean",
    "prepare",
    "screen_parties",
]
