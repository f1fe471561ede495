"""GP1 to GP6 for the item: the key-level reasons of an EAR determination, step by step.

Each step returns (kid, reason) rows for the keys it reaches: the registry's coverage and the chart row
(data), the §744.21 end-use gap, the CCL against the Country Chart (GP1), the Part 746 embargoes (GP6)
and the chart's footnotes, the measures in force (GP1, GP5) and their review policies, and the CCL
rows a removal took out. Beside the reasons, per key: the requirements a licence exception must
overcome and the exceptions measures make unavailable.
"""

from __future__ import annotations

import polars as pl

from exportctl.engine.common.lists import list_level
from exportctl.engine.common.measures import match_effects
from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.common.reasons import (
    REASON_DTYPE,
    coverage_holds,
    hold_reason,
    lit,
    measure_reason,
    policy_notes,
)
from exportctl.engine.common.sets import sorted_join
from exportctl.engine.ear import ccl as ccl_step
from exportctl.engine.ear.enduse import meu_gap
from exportctl.engine.ear.parties import meu_all_items
from exportctl.engine.ear.removal import apply_removals
from exportctl.engine.ear.tables import EarTables

__all__ = ["item_reasons"]

ITEM_KINDS = ["license_requirement", "prohibition", "item_control"]


def item_reasons(
    keys: pl.DataFrame, tables: EarTables, effects: pl.DataFrame, dating: list[int]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Key-level reasons (CCL, chart, embargo, measures, data) and per-key facts (rreasons, ex_off)."""
    ccl = ccl_step.ccl_requirements(keys, tables)
    # effects naming parties are matched later, only for the rows whose parties they name
    unnamed, removed = _split(effects)
    matches = match_effects(keys, unnamed)
    ccl, missing = apply_removals(ccl, keys, removed, tables)
    hits = _measure_hits(keys, matches)
    frames = [
        f.select("kid", "reason")
        for f in (
            coverage_holds(keys),
            _chart_row_holds(keys),
            meu_gap(keys, hits),
            ccl,
            ccl_step.embargo_requirements(keys),
            _dated_footnotes(ccl_step.footnote_requirements(keys, tables), keys, effects, dating),
            _measure_reasons(hits),
            policy_notes(matches, "POLICY"),
            missing,
        )
        if f.height
    ]
    reasons = (
        pl.concat(frames, how="vertical_relaxed")
        if frames
        else pl.DataFrame(schema={"kid": pl.Int64, "reason": REASON_DTYPE})
    )
    mods = _overcome(ccl, hits).join(_exceptions_off(matches), on="kid", how="full", coalesce=True)
    return reasons, mods


_SPLIT: ByIdentity[tuple[pl.DataFrame, pl.DataFrame]] = ByIdentity(8)  # per effects frame


def _split(effects: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the effects naming no party, the control_removed effects), once per effects frame (kept by
    compile_effects): the same frames then key the memos of match_effects."""
    return _SPLIT.get_or_build(
        effects,
        lambda: (
            effects.filter(pl.col("parties").list.len() == 0),
            effects.filter(pl.col("kind") == "control_removed"),
        ),
    )


def _chart_row_holds(keys: pl.DataFrame) -> pl.DataFrame:
    """Supp. 1 to Part 738: a covered key whose destination has no Country Chart row holds."""
    text = pl.concat_str(
        [
            lit("No Country Chart row for "),
            pl.col("destination"),
            lit(" on "),
            pl.col("as_of").cast(pl.Utf8),
            lit(" in the data."),
        ]
    )
    return keys.filter(pl.col("covered").fill_null(False) & pl.col("row_iso").is_null()).select(
        "kid", hold_reason("country_chart", ccl_step.CHART_CITE, text)
    )


def _measure_hits(keys: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """The item-scoped requirements and prohibitions of measures in force that match a key, with the
    key's ECCN, destination and date (`_eccn`, `_dest`, `_as_of`) for the §744.21 steps."""
    return matches.filter(~pl.col("party_scoped") & ~list_level() & pl.col("kind").is_in(ITEM_KINDS)).join(
        keys.select(
            "kid",
            pl.col("eccn_base").alias("_eccn"),
            pl.col("destination").alias("_dest"),
            pl.col("as_of").alias("_as_of"),
        ),
        on="kid",
        how="left",
    )


def _supp2_only() -> pl.Expr:
    """§744.21(a)(1): a military end use measure that reaches only items in Supp. 2 to Part 744 (outside
    the (a)(2) countries, where it reaches any item)."""
    return (
        (pl.col("control_reason") == "MEU")
        & (pl.col("end_uses").list.len() > 0)
        & ~meu_all_items(pl.col("_dest"), pl.col("_as_of"))
    )


def _meu_ear99() -> pl.Expr:
    """§744.21(a)(1): Supp. 2 lists ECCNs only, so an EAR99 item's hit is information."""
    return _supp2_only() & (pl.col("_eccn") == "EAR99")


def _meu_listed() -> pl.Expr:
    """§744.21(a)(1): Supp. 2 is not in the data, so a CCL item's hit is conditional (verify the ECCN)."""
    return _supp2_only() & pl.col("_eccn").is_not_null() & (pl.col("_eccn") != "EAR99")


def _measure_step() -> pl.Expr:
    """§736.2(b)(5) GP5 for end-use measures and is-informed letters, else §736.2(b)(1) GP1."""
    return (
        pl.when(pl.col("end_uses").list.len() > 0)
        .then(lit("GP5"))
        .when(pl.col("control_reason") == "IS-INFORMED")
        .then(lit("GP5"))
        .otherwise(lit("GP1"))
    )


def _measure_reasons(hits: pl.DataFrame) -> pl.DataFrame:
    """(kid, reason) per measure hit: its requirement or prohibition, read through §744.21(a)(1)."""
    ear99, listed = _meu_ear99(), _meu_listed()
    return hits.select(
        "kid",
        measure_reason(
            _measure_step(),
            effect=pl.when(pl.col("kind") == "prohibition")
            .then(lit("prohibited"))
            .when(ear99)
            .then(lit("info"))
            .otherwise(pl.col("verdict").fill_null("license_required")),
            review_policy=pl.when(ear99).then(None).otherwise(pl.col("review_policy")),
            le_ok=pl.col("exceptions_available").fill_null(False),
            conditional=listed,
            text=pl.when(ear99)
            .then(
                pl.concat_str(
                    [
                        pl.col("text"),
                        lit(" Not for EAR99: §744.21(a)(1) reaches only items in Supp. 2 to Part 744."),
                    ]
                )
            )
            .when(listed)
            .then(
                pl.concat_str(
                    [
                        pl.col("text"),
                        lit(" Applies only if the ECCN is listed in Supp. 2 to Part 744 (verify)."),
                    ]
                )
            )
            .otherwise(pl.col("text")),
        ),
    )


def _overcome(ccl: pl.DataFrame, hits: pl.DataFrame) -> pl.DataFrame:
    """§740.1(a), §736.2(b): (kid, rreasons) the requirements a licence exception must overcome.

    The CCL's reasons and those of measures that leave exceptions open (RS-RU §746.8(c), EMBARGO §746.6
    ...), so that an exception fit for NS alone (GBS, ENC, LVS) is never taken as overcoming a Part 746
    requirement that does not name it."""
    open_measures = hits.filter(pl.col("exceptions_available").fill_null(False)).select(
        "kid", pl.col("control_reason").fill_null(pl.col("kind")).alias("rreason")
    )
    both = pl.concat([ccl.select("kid", "rreason"), open_measures], how="vertical_relaxed")
    return sorted_join(both, "kid", "rreason", ",", "rreasons")


def _exceptions_off(matches: pl.DataFrame) -> pl.DataFrame:
    """(kid, ex_off): the exceptions a measure in force makes unavailable (exception_change, available:
    false)."""
    off = (
        matches.filter(
            (pl.col("kind") == "exception_change") & ~pl.col("exceptions_available").fill_null(False)
        )
        .select("kid", pl.col("exceptions").alias("code"))
        .explode("code")
        .drop_nulls("code")
    )
    return sorted_join(off, "kid", "code", ",", "ex_off")


def _dated_footnotes(
    reasons: pl.DataFrame, keys: pl.DataFrame, effects: pl.DataFrame, dating: list[int]
) -> pl.DataFrame:
    """Chart footnote 6 (Russia/Belarus, §746.8) describes July 2026. Where the registry dates those
    sanctions (RS-RU measures), the measures speak for the CCL items and the EAR99 hold applies only
    while such a measure is in force for the destination. Decided per row's regime, never per batch."""
    if reasons.height == 0 or "reason" not in reasons.columns or not dating:
        return reasons  # no dated measure: keep the snapshot's footnote (fail closed)
    ru = effects.filter(pl.col("control_reason") == "RS-RU")
    code = pl.col("reason").struct.field("code")
    effect = pl.col("reason").struct.field("effect")
    dated_keys = keys.filter(pl.col("rkey").is_in(dating)).select("kid")
    undated = reasons.join(dated_keys, on="kid", how="anti")
    reasons = reasons.join(dated_keys, on="kid", how="semi")
    other = pl.concat([undated, reasons.filter(code != "FN6")], how="vertical_relaxed")
    ear99 = reasons.filter((code == "FN6") & (effect == "hold"))
    active = (
        ru.select("rkey", pl.col("dests").alias("d"))
        .explode("d")
        .drop_nulls("d")
        .unique()
        .join(
            keys.select("kid", "rkey", "destination"), left_on=["rkey", "d"], right_on=["rkey", "destination"]
        )
        .select("kid")
        .unique()
    )
    return pl.concat([other, ear99.join(active, on="kid", how="semi")], how="vertical_relaxed")
