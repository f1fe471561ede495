"""China's export-control determination (Export Control Law, Dual-Use Items Regulations, MOFCOM/GAC
announcements) over a table of transactions whose exporting country is CN.

Items are matched by PRC control code, customs code prefix or named product against the CN-EXPORT
measures in force (gallium and germanium from Aug 1, 2023, graphite, antimony, the US-specific ban of
Dec 3, 2024 and its suspension, rare earths ...); parties against the Export Control Control List, the
Unreliable Entity List and the attention list, each from its own listing date.
"""

from __future__ import annotations

import polars as pl

from exportctl.engine import coverage as cov
from exportctl.engine.common import checks as chk
from exportctl.engine.common import lists as party_lists
from exportctl.engine.common import party_rows
from exportctl.engine.common.keying import GroupTables, compile_effects, keyed, prepare, regime_map
from exportctl.engine.common.measures import known_products, match_effects, unclassified
from exportctl.engine.common.party_reasons import ListReading, party_reasons
from exportctl.engine.common.party_scripts import script_holds
from exportctl.engine.common.reasons import (
    EXCEPTION_DTYPE,
    REASON_DTYPE,
    coverage_holds,
    lit,
    measure_reason,
    policy_notes,
)
from exportctl.engine.protocols import Regimes

ENGINE_VERSION = "cn-1"
CN_JURISDICTIONS = ("CN-EXPORT",)
STEP = "PRC"
CN_ORDER = ("coverage", "party_lists", "end_use", "measures")
EXPORTING = "CN"  # a row of this engine exports from China
# the PRC lists have no built-in rule: a hit counts only where a list-level measure in force rules its
# list; a party a measure names reads under GP5, the label the EAR engine gives such hits
PRC_READING = ListReading(builtins={}, measure_step="GP5")


def cn_lists(cn_parties: pl.DataFrame | None) -> pl.DataFrame | None:
    """The PRC party lists in the screening-list shape (`list` = the list id used by the measures)."""
    if cn_parties is None:
        return None
    cols = {
        "list": pl.col("list_id") if "list_id" in cn_parties.columns else pl.col("list"),
        "entity_id": pl.col("entity_id").cast(pl.Utf8),
        "name": pl.col("name"),
        "aliases": pl.col("aliases") if "aliases" in cn_parties.columns else pl.lit([], pl.List(pl.Utf8)),
        "countries": pl.lit([], pl.List(pl.Utf8)),
        "license_requirement": pl.lit(None, pl.Utf8),
        "license_policy": pl.lit(None, pl.Utf8),
        "federal_register_notice": pl.col("source_url")
        if "source_url" in cn_parties.columns
        else pl.lit(None, pl.Utf8),
        "date_added": pl.col("date_added") if "date_added" in cn_parties.columns else pl.lit(None, pl.Utf8),
    }
    # each listing applies from its own date: the screening joins these columns onto its hits
    added = pl.col("date_added").cast(pl.Utf8).str.to_date("%Y-%m-%d", strict=False)
    return (
        cn_parties.select([e.alias(k) for k, e in cols.items()])
        .with_columns(listed_from=added, listed_by=added)
        .with_columns(
            listed_basis=pl.when(added.is_not_null())
            .then(pl.lit("date_added of the PRC party-list data"))
            .otherwise(pl.lit(None, pl.Utf8))
        )
    )


def determine(
    regimes: Regimes,
    tables: GroupTables,
    transactions: pl.DataFrame,
    cn_parties: pl.DataFrame | None,
    *,
    fuzzy: bool = False,
    index_key: str | None = None,
    data_version: str | None = None,
    suppressed: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One answer row per CN-exported transaction (same columns as the EAR engine), with its checks."""
    regimes, transactions = regime_map(regimes, transactions)
    src = next((c for c in ("cn_item", "item", "eccn") if c in transactions.columns), None)
    item = pl.col(src).cast(pl.Utf8) if src else pl.lit(None, pl.Utf8)
    tx = transactions.with_columns(
        exporting=pl.lit(EXPORTING), cn_code=_code(item, "control"), hts=_code(item, "customs")
    )
    keys, tx = keyed(
        prepare(tx.with_columns(eccn=pl.lit(None, pl.Utf8)), EXPORTING),
        regimes,
        _destination_facts,
    )
    # coverage per family: past CN-EXPORT controls' day every key holds; past CN-EXPORT parties', the
    # rows naming parties hold
    families = cov.family_frame(regimes, cov.CN_FAMILIES)
    keys = cov.with_controls_coverage(keys, families)

    effects = compile_effects(regimes, tables, CN_JURISDICTIONS)
    matches = _with_implied_products(keys, effects, match_effects(keys, effects))
    key_reasons = _key_reasons(keys, matches)
    hold_unclassified = unclassified(keys, known_products(regimes, CN_JURISDICTIONS))
    if hold_unclassified.height:
        key_reasons = pl.concat([key_reasons, hold_unclassified], how="vertical_relaxed")

    kchecks = chk.key_checks(keys, key_reasons, effects, families)
    lists = cn_lists(cn_parties)
    parties = party_rows.explode_parties(tx)
    if lists is None:
        hits = pl.DataFrame(schema={"row": pl.Int64})
        row_reasons = party_rows.no_lists_hold(tx, "cn_parties", "PRC party lists", "PRC party lists")
    else:
        # parties named by measures (the Oct 2025 countermeasures against Hanwha Ocean's US units) are
        # screened beside the lists, as 'effect:<rkey>:<eid>' entries, like the EAR engine's
        named = party_rows.measure_parties(effects)
        screened = pl.concat([lists, named], how="diagonal_relaxed") if named.height else lists
        hits = party_lists.screen_rows(
            parties, screened, fuzzy=fuzzy, index_key=index_key, suppressed=suppressed
        )
        hits = party_rows.confirm_measure_hits(hits, keys, effects)
        row_reasons = party_reasons(hits, party_lists.list_rules(effects), PRC_READING)
        unmet = script_holds(parties, hits, screened)
        if unmet.height:
            row_reasons = (
                pl.concat([row_reasons, unmet], how="vertical_relaxed") if row_reasons.height else unmet
            )
    late = cov.party_holds(tx, parties, families)
    if late.height:
        row_reasons = pl.concat([row_reasons, late], how="vertical_relaxed") if row_reasons.height else late
    names = (
        dict(cn_parties.select("list_id", "list_name").unique("list_id").iter_rows())
        if cn_parties is not None and {"list_id", "list_name"} <= set(cn_parties.columns)
        else {}
    )
    checks = chk.CheckInputs(
        kchecks,
        chk.party_facts(tx, parties, row_reasons, gp4=False),
        chk.lists_description(lists, data_version, names),
        None,
        CN_ORDER,
    )
    return _finish(tx, key_reasons, row_reasons, party_lists.screening_results(hits), checks)


def _destination_facts(dests: pl.DataFrame) -> pl.DataFrame:
    """PRC destinations are plain ISO codes: no chart row inheritance (Hong Kong is its own customs
    territory), so a destination's row is itself."""
    return dests.select("rkey", "destination", "as_of").with_columns(row_iso=pl.col("destination"))


def _key_reasons(keys: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """(kid, reason): the registry's coverage holds, the item controls of measures in force (a
    prohibition prohibits, a requirement requires a licence) and their review policies."""
    item_hits = matches.filter(
        ~pl.col("party_scoped")
        & ~party_lists.list_level()
        & pl.col("kind").is_in(["item_control", "license_requirement", "prohibition"])
    )
    controls = item_hits.select(
        "kid",
        measure_reason(
            lit(STEP),
            effect=pl.when(pl.col("kind") == "prohibition")
            .then(lit("prohibited"))
            .otherwise(pl.col("verdict").fill_null("license_required")),
        ),
    )
    frames = [f for f in (coverage_holds(keys), controls, policy_notes(matches, STEP)) if f.height]
    if not frames:
        return pl.DataFrame(schema={"kid": pl.Int64, "reason": REASON_DTYPE})
    return pl.concat(frames, how="vertical_relaxed")


def _with_implied_products(keys: pl.DataFrame, effects: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """A customs or control code that a measure names also names that measure's products: 8112929010 is
    'gallium', so the product-scoped US ban of Dec 2024 reaches it too."""
    coded = effects.filter(pl.col("sel").is_in(["hts", "code"]))
    by_code = match_effects(keys, coded).select("kid", "eid").unique() if coded.height else pl.DataFrame()
    if by_code.height == 0:
        return matches
    names = effects.filter(pl.col("sel") == "product").select("eid", pl.col("sel_base").alias("implied"))
    implied = by_code.join(names, on="eid").select("kid", "implied").unique()
    again = keys.join(implied, on="kid").with_columns(product_key=pl.col("implied")).drop("implied")
    extra = match_effects(again, effects.filter(pl.col("sel").is_in(["product", "keyword"])))
    return pl.concat([matches, extra], how="diagonal_relaxed").unique(["kid", "eid"], keep="first")


def _prohibits(reasons: pl.Expr) -> pl.Expr:
    """A prohibition among the reasons, unless they hold for coverage too (their family is past its day)."""
    effect = reasons.list.eval(pl.element().struct.field("effect"))
    past = reasons.list.eval(
        (pl.element().struct.field("code") == "coverage") & (pl.element().struct.field("effect") == "hold")
    )
    return effect.list.contains("prohibited") & ~past.list.any()


def _code(item: pl.Expr, kind: str) -> pl.Expr:
    is_customs = item.str.contains(r"^\d{8,10}$")
    if kind == "customs":
        return pl.when(is_customs).then(item).otherwise(None)
    return pl.when(item.is_not_null() & ~is_customs).then(item.str.to_uppercase()).otherwise(None)


def _finish(
    tx: pl.DataFrame,
    key_reasons: pl.DataFrame,
    row_reasons: pl.DataFrame,
    screening: pl.DataFrame,
    checks: chk.CheckInputs,
) -> pl.DataFrame:
    empty = pl.lit([], pl.List(REASON_DTYPE))
    kr = key_reasons.group_by("kid").agg(pl.col("reason").cast(REASON_DTYPE).alias("k"))
    rr = (
        row_reasons.group_by("row").agg(pl.col("reason").cast(REASON_DTYPE).alias("r"))
        if row_reasons.height and "reason" in row_reasons.columns
        else pl.DataFrame(schema={"row": pl.Int64, "r": pl.List(REASON_DTYPE)})
    )
    out = (
        tx.select("row", "kid")
        .join(kr, on="kid", how="left")
        .join(rr, on="row", how="left")
        .with_columns(reasons=pl.concat_list([pl.col("k").fill_null(empty), pl.col("r").fill_null(empty)]))
    )
    eff = pl.col("reasons").list.eval(pl.element().struct.field("effect"))
    # a date past a family's research is a hold even where that family's measures prohibit: the item
    # prohibition may be one a suspension ending on an unresearched day brings back (No. 46 clause 2
    # after No. 72). Key reasons carry the item families' coverage, row reasons the party families'.
    verdict = (
        pl.when(_prohibits(pl.col("k").fill_null(empty)) | _prohibits(pl.col("r").fill_null(empty)))
        .then(lit("prohibited"))
        .when(eff.list.contains("hold") | eff.list.contains("prohibited"))
        .then(lit("hold"))
        .when(eff.list.contains("license_required"))
        .then(lit("license_required"))
        .otherwise(lit("no_license_required"))
    )
    policy = (
        pl.col("reasons")
        .list.eval(
            pl.element()
            .filter(pl.element().struct.field("effect") != "info")
            .struct.field("review_policy")
            .drop_nulls()
            .unique(maintain_order=True)
        )
        .list.join("; ")
    )
    out = out.with_columns(verdict=verdict).with_columns(
        license_required=pl.col("verdict").is_in(["license_required", "prohibited", "hold"]),
        review_policy=pl.when(policy == "").then(None).otherwise(policy),
        exceptions=pl.lit([], pl.List(EXCEPTION_DTYPE)),
    )
    out = (
        out.join(screening, on="row", how="left")
        if screening.height and "screening" in screening.columns
        else out.with_columns(screening=pl.lit(None))
    ).sort("row")
    made = chk.assemble(
        out.select("row", "kid", pl.lit(None, pl.Int8).alias("lvs_state")),
        checks.kchecks,
        checks.pfacts,
        None,
        lists_what=checks.lists_what,
        dpl_what=None,
        order=checks.order,
    )
    return out.with_columns(made.alias("checks")).select(
        "row", "verdict", "license_required", "reasons", "review_policy", "exceptions", "screening", "checks"
    )
