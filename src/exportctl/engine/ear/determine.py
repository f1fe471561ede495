"""The EAR license determination over a table of transactions, in the order of Supp. 1 to Part 732.

Work is done once per distinct (regime, item, destination, end use, party countries) key and joined back
to the rows; parties are screened once per distinct name. Per-row Python appears nowhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from exportctl.engine import coverage as cov
from exportctl.engine.ear import ccl as ccl_step
from exportctl.engine.ear import checks as chk
from exportctl.engine.ear import dating, party_rows
from exportctl.engine.ear import exceptions as le_flags
from exportctl.engine.ear import parties as party_step
from exportctl.engine.ear.enduse import meu_gap
from exportctl.engine.ear.groups import destination_facts
from exportctl.engine.ear.measures import effect_rows, effects_frame, known_products, unclassified
from exportctl.engine.ear.reasons import EXCEPTION_DTYPE, REASON_DTYPE, lit, reason_struct
from exportctl.engine.ear.removal import apply_removals
from exportctl.engine.ear.tables import EarTables
from exportctl.engine.ear.verdict import finish
from exportctl.engine.parties import normalize_names
from exportctl.engine.protocols import ControlsRegimeLike, RegimeLike, Regimes

ENGINE_VERSION = "ear-1"
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
US_JURISDICTIONS = ("US-EAR", "US-OFAC")


def prepare(tx: pl.DataFrame, roles: tuple[str, ...] = party_step.ROLES) -> pl.DataFrame:
    """Add the key columns: ECCN base/paragraph, normalised product, the party countries."""
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
        exporting=pl.col("exporting").fill_null("US"),
    )


def compile_effects(
    regimes: Mapping[int, RegimeLike],
    tables: EarTables,
    jurisdictions: tuple[str, ...],
    dated: dating.Dated | None = None,
) -> pl.DataFrame:
    """All effects in force, one frame across the batch's regimes (key `rkey`); with `dated`, a
    scope's Country Groups ('D:5') expand to their members on the regime's date."""
    rows: list[dict[str, Any]] = []
    for rkey, regime in regimes.items():
        effects = [a for j in jurisdictions for a in regime.effects(jurisdiction=j)]
        groups = dated.groups_of(rkey) if dated is not None else tables.groups
        rows += effect_rows(rkey, effects, groups, start=len(rows))
    return effects_frame(rows)


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
    keys = tx.select(KEY_COLS).unique().with_row_index("kid").with_columns(pl.col("kid").cast(pl.Int64))
    dest = facts(keys.select("rkey", "destination", "as_of").unique())
    keys = keys.join(dest, on=["rkey", "destination", "as_of"], how="left").join(
        covered, on="rkey", how="left"
    )
    tx = tx.join(keys.select(*KEY_COLS, "kid"), on=KEY_COLS, how="left", nulls_equal=True)
    return keys, tx


def _coverage_note(regime: ControlsRegimeLike) -> str | None:
    """The regime's own text for a date outside the registry's coverage (Regime.coverage_note)."""
    note = getattr(regime, "coverage_note", None)
    return note() if callable(note) else None


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
    # the Country Groups and Chart marks as they stood on each regime's date (snapshot dating)
    dated = dating.prepare(regimes, tables)
    keys, tx = keyed(
        prepare(transactions),
        regimes,
        lambda dests: destination_facts(dests, tables, dated).with_columns(*le_flags.destination_flags()),
    )

    # coverage per family: past US-EAR controls' day every key holds; past a party family's, the rows
    # naming parties hold (below)
    families = cov.family_frame(regimes, cov.EAR_FAMILIES)
    keys = cov.with_controls_coverage(keys, families)
    # parties headquartered in Macau or D:5 take the Macau/D:5 exception limits (§740.2(a)(9), §740.8)
    keys = (
        keys.join(dated.d5_md(), on="rkey", how="left")
        .with_columns(hq_md5=pl.col("pcs").str.split(",").list.set_intersection(pl.col("md5")).list.len() > 0)
        .drop("md5")
    )
    effects = compile_effects(regimes, tables, US_JURISDICTIONS, dated)
    key_reasons, key_mods = _item_reasons(keys, tables, effects, _dating_regimes(regimes))
    snapshot_holds = dating.holds(keys, dated, tables)
    if snapshot_holds.height:
        key_reasons = pl.concat([key_reasons, snapshot_holds], how="vertical_relaxed")
    hold_unclassified = unclassified(keys, known_products(regimes, US_JURISDICTIONS))
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

    lists = party_step.party_lists(csl, party_rows.measure_parties(effects))
    parties = party_rows.explode_parties(tx)
    hits = party_step.screen_rows(parties, lists, fuzzy=fuzzy, index_key=index_key, suppressed=suppressed)
    hits = party_rows.confirm_measure_hits(hits, keys, effects)
    row_reasons = party_step.party_reasons(hits, party_step.list_rules(effects))
    if csl is None:
        row_reasons = (
            pl.concat([row_reasons, party_rows.no_lists_hold(tx)], how="vertical_relaxed")
            if row_reasons.height
            else party_rows.no_lists_hold(tx)
        )
    late = cov.party_holds(tx, parties, families)
    if late.height:
        row_reasons = pl.concat([row_reasons, late], how="vertical_relaxed") if row_reasons.height else late
    screening = party_step.screening_results(hits)
    dpl = 0 if csl is None or "list" not in csl.columns else csl.filter(pl.col("list") == "DPL").height
    checks = chk.CheckInputs(
        kchecks,
        chk.party_facts(tx, parties, row_reasons),
        chk.lists_description(csl, data_version, chk.LIST_NAMES),
        f"Denied Persons List ({dpl:,} entries)",
    )
    return finish(tx, keys, key_reasons, row_reasons, screening, checks, tables.exception_sections)


def _item_reasons(
    keys: pl.DataFrame, tables: EarTables, effects: pl.DataFrame, dating: list[int]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Key-level reasons (CCL, chart, embargo, measures, data) and per-key facts."""
    from exportctl.engine.ear.measures import match_effects

    ccl = ccl_step.ccl_requirements(keys, tables)
    # effects naming parties are matched later, only for the rows whose parties they name
    matches = match_effects(keys, effects.filter(pl.col("parties").list.len() == 0))
    ccl, missing = apply_removals(ccl, keys, effects.filter(pl.col("kind") == "control_removed"), tables)
    measure_hits = matches.filter(
        ~pl.col("party_scoped")
        & ~party_step.list_level()
        & pl.col("kind").is_in(["license_requirement", "prohibition", "item_control"])
    )
    # §744.21(a)(1) reaches only items listed in Supp. 2 to Part 744 (ECCNs; never EAR99) outside
    # Russia/Belarus (§744.21(a)(2): any item). Supp. 2 is not in the data: a CCL item's hit is conditional
    # (verify the ECCN is listed), an EAR99 item's is information.
    measure_hits = measure_hits.join(
        keys.select(
            "kid",
            pl.col("eccn_base").alias("_eccn"),
            pl.col("destination").alias("_dest"),
            pl.col("as_of").alias("_as_of"),
        ),
        on="kid",
        how="left",
    )
    supp2 = (
        (pl.col("control_reason") == "MEU")
        & (pl.col("end_uses").list.len() > 0)
        & ~party_step.meu_all_items(pl.col("_dest"), pl.col("_as_of"))
    )
    meu_ear99 = supp2 & (pl.col("_eccn") == "EAR99")
    meu_listed = supp2 & pl.col("_eccn").is_not_null() & (pl.col("_eccn") != "EAR99")
    measure_reasons = measure_hits.select(
        "kid",
        reason_struct(
            step=pl.when(pl.col("end_uses").list.len() > 0)
            .then(lit("GP5"))
            .when(pl.col("control_reason") == "IS-INFORMED")
            .then(lit("GP5"))
            .otherwise(lit("GP1")),
            code=pl.col("control_reason").fill_null(pl.col("kind")),
            measure=pl.col("measure"),
            citation=pl.col("citation"),
            url=pl.col("url"),
            effect=pl.when(pl.col("kind") == "prohibition")
            .then(lit("prohibited"))
            .when(meu_ear99)
            .then(lit("info"))
            .otherwise(pl.col("verdict").fill_null("license_required")),
            review_policy=pl.when(meu_ear99).then(None).otherwise(pl.col("review_policy")),
            le_ok=pl.col("exceptions_available").fill_null(False),
            conditional=meu_listed,
            text=pl.when(meu_ear99)
            .then(
                pl.concat_str(
                    [
                        pl.col("text"),
                        lit(" Not for EAR99: §744.21(a)(1) reaches only items in Supp. 2 to Part 744."),
                    ]
                )
            )
            .when(meu_listed)
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
    policy_info = matches.filter(pl.col("kind") == "review_policy").select(
        "kid",
        reason_struct(
            step=lit("POLICY"),
            code=lit("review_policy"),
            measure=pl.col("measure"),
            citation=pl.col("citation"),
            url=pl.col("url"),
            effect=lit("info"),
            review_policy=pl.col("review_policy"),
            le_ok=pl.lit(False),
            conditional=pl.lit(False),
            text=pl.col("text"),
        ),
    )
    data = keys.select(
        "kid",
        pl.when(~pl.col("covered").fill_null(False))
        .then(
            reason_struct(
                step=lit("DATA"),
                code=lit("coverage"),
                citation=lit("exportctl measure registry"),
                effect=lit("hold"),
                le_ok=pl.lit(False),
                conditional=pl.lit(False),
                text=pl.col("coverage_note").fill_null(
                    pl.concat_str(
                        [lit("The registry does not cover "), pl.col("as_of").cast(pl.Utf8), lit(".")]
                    )
                ),
            )
        )
        .when(pl.col("row_iso").is_null())
        .then(
            reason_struct(
                step=lit("DATA"),
                code=lit("country_chart"),
                citation=lit(ccl_step.CHART_CITE),
                effect=lit("hold"),
                le_ok=pl.lit(False),
                conditional=pl.lit(False),
                text=pl.concat_str(
                    [
                        lit("No Country Chart row for "),
                        pl.col("destination"),
                        lit(" on "),
                        pl.col("as_of").cast(pl.Utf8),
                        lit(" in the data."),
                    ]
                ),
            )
        )
        .otherwise(None)
        .alias("reason"),
    ).drop_nulls("reason")
    frames = [
        f.select("kid", "reason")
        for f in (
            data,
            meu_gap(keys, measure_hits),
            ccl,
            ccl_step.embargo_requirements(keys),
            _dated_footnotes(ccl_step.footnote_requirements(keys, tables), keys, effects, dating),
            measure_reasons,
            policy_info,
            missing,
        )
        if f.height
    ]
    reasons = (
        pl.concat(frames, how="vertical_relaxed")
        if frames
        else pl.DataFrame(schema={"kid": pl.Int64, "reason": REASON_DTYPE})
    )
    # the requirements an exception must overcome: the CCL's reasons and those of measures that leave
    # exceptions open (RS-RU §746.8(c), EMBARGO §746.6 ...), so that an exception fit for NS alone
    # (GBS, ENC, LVS) is never taken as overcoming a Part 746 requirement that does not name it
    open_measures = measure_hits.filter(pl.col("exceptions_available").fill_null(False)).select(
        "kid", pl.col("control_reason").fill_null(pl.col("kind")).alias("rreason")
    )
    rreasons = (
        pl.concat([ccl.select("kid", "rreason"), open_measures], how="vertical_relaxed")
        .group_by("kid")
        .agg(pl.col("rreason").unique().sort().str.join(",").alias("rreasons"))
    )
    # exceptions a measure in force makes unavailable for the key (exception_change, available: false)
    exc_changes = (
        matches.filter(
            (pl.col("kind") == "exception_change") & ~pl.col("exceptions_available").fill_null(False)
        )
        .select("kid", pl.col("exceptions").alias("code"))
        .explode("code")
        .drop_nulls("code")
        .group_by("kid")
        .agg(pl.col("code").unique().sort().str.join(",").alias("ex_off"))
    )
    mods = rreasons.join(exc_changes, on="kid", how="full", coalesce=True)
    return reasons, mods


def _dating_regimes(regimes: Mapping[int, RegimeLike]) -> list[int]:
    """The regimes whose registry dates the Russia/Belarus sanctions (an RS-RU effect in a measure)."""
    return [
        rkey
        for rkey, regime in regimes.items()
        if any(e.control_reason == "RS-RU" for m in regime.measures.values() for e in m.effects)
    ]


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


__all__ = ["ENGINE_VERSION", "EXCEPTION_DTYPE", "REASON_DTYPE", "determine", "prepare"]
