"""From reasons to one verdict per row: prohibited > hold > license_required > exception > no license.

Flags are computed once per key and once per row's party hits, then combined; the license exceptions
considered are built once per (key, LVS outcome), since only LVS depends on the row's value.
"""

from __future__ import annotations

import itertools

import polars as pl

from exportctl.engine.common.checks import Considered, assemble
from exportctl.engine.common.reasons import EXCEPTION_DTYPE, REASON_DTYPE
from exportctl.engine.ear import checks as chk
from exportctl.engine.ear import exceptions as le

RESULT_COLUMNS = (
    "row", "verdict", "license_required", "reasons", "review_policy", "exceptions", "screening", "checks",
)  # fmt: skip


FEW_ROWS = 64  # up to this many rows, the reasons lists are sliced in polars rather than built in pyarrow


def _flags(frame: pl.DataFrame, key: str, prefix: str, every: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per key: which effects occur, and the review policies of requirements (the reasons themselves
    are gathered once per row by `_reason_lists`).

    With `every` (a frame of all keys), keys without reasons are there too: no effect, no policy ('').
    """
    if every is not None and "reason" in frame.columns:
        flags = _flags(frame, key, prefix)
        return (
            every.select(key)
            .join(flags, on=key, how="left")
            .with_columns(
                pl.col(f"{prefix}_{f}").fill_null(False) for f in ("prohibited", "hold", "hard", "le")
            )
            .with_columns(pl.col(f"{prefix}_policy").fill_null(""))
        )
    if frame.height == 0 or "reason" not in frame.columns:
        return pl.DataFrame(
            schema={
                key: pl.Int64,
                f"{prefix}_prohibited": pl.Boolean,
                f"{prefix}_hold": pl.Boolean,
                f"{prefix}_hard": pl.Boolean,
                f"{prefix}_le": pl.Boolean,
                f"{prefix}_policy": pl.Utf8,
            }
        )
    r = frame.select(
        key,
        pl.col("reason").struct.field("effect").alias("_e"),
        pl.col("reason").struct.field("le_ok").fill_null(False).alias("_l"),
        pl.col("reason").struct.field("review_policy").alias("_p"),
    )
    eff, le_ok, policy = pl.col("_e"), pl.col("_l"), pl.col("_p")
    flags = r.group_by(key).agg(
        (eff == "prohibited").any().alias(f"{prefix}_prohibited"),
        (eff == "hold").any().alias(f"{prefix}_hold"),
        ((eff == "license_required") & ~le_ok).any().alias(f"{prefix}_hard"),
        ((eff == "license_required") & le_ok).any().alias(f"{prefix}_le"),
    )
    # the policies of requirements, in the order of the reasons: only the few reasons that carry one
    policies = (
        r.filter((eff != "no_license_required") & policy.is_not_null())
        .group_by(key)
        .agg(policy.unique(maintain_order=True).str.join("; ").alias(f"{prefix}_policy"))
    )
    return flags.join(policies, on=key, how="left").with_columns(pl.col(f"{prefix}_policy").fill_null(""))


def exception_value() -> pl.Expr:
    """A value standing for the LVS outcome: at the limit (within) or just above it."""
    return (
        pl.when(pl.col("lvs_state") == 1)
        .then(pl.col("lvs_limit"))
        .when(pl.col("lvs_state") == 2)
        .then(pl.col("lvs_limit") + 1)
    )


def _lvs_state(value: pl.Expr) -> pl.Expr:
    """What LVS makes of the row's value: 0 no limit or no value, 1 within the limit, 2 above it."""
    limit = pl.col("lvs_limit")
    return (
        pl.when(limit.is_null() | value.is_null())
        .then(0)
        .when(value <= limit)
        .then(1)
        .otherwise(2)
        .cast(pl.Int8)
    )


KEY_FACTS = (
    "x_e", "x_md5_dest", "x_b", "x_d3", "x_aca_exists", "rreasons", "ex_off", "lvs", "lvs_limit", "gbs",
    "hq_md5", "as_of", "eccn_base", "eccn_para",
)  # fmt: skip
KEY_FACT_TYPES = (
    ("rreasons", pl.Utf8),
    ("ex_off", pl.Utf8),
    ("lvs", pl.Utf8),
    ("lvs_limit", pl.Float64),
    ("gbs", pl.Utf8),
    ("hq_md5", pl.Boolean),
)


def finish(
    tx: pl.DataFrame,
    keys: pl.DataFrame,
    key_reasons: pl.DataFrame,
    row_reasons: pl.DataFrame,
    screening: pl.DataFrame,
    checks: chk.CheckInputs | None = None,
    sections: dict[str, str] | None = None,
) -> pl.DataFrame:
    """Aggregate key and row reasons, weigh license exceptions, and decide each row's verdict.

    With `checks`, each row also lists the checks it made (`checks`); without, that column is null.
    `sections`: the licence exceptions' Part 740 sections from the data version's eCFR table.
    The order inside a row's lists follows the batch's joins; ops.check_answer.stable_order gives every
    answer one content order (tests/ops/test_batch_independence.py, a large batch either way round).
    """
    kf = _flags(key_reasons, "kid", "k", every=keys)
    rf = _flags(row_reasons, "row", "r")
    kinfo = _key_facts(keys, kf)
    out = _lvs_outcomes(tx, kinfo)
    ex, considered = _exceptions(out, kinfo, sections)
    made = _checks(out, ex, considered, checks) if checks is not None else None
    out = (
        out.drop("k_le")
        .join(ex, on=["kid", "lvs_state"], how="left", nulls_equal=True)
        .join(kf, on="kid", how="left")
        .join(rf, on="row", how="left")
    )
    if not out["row"].is_sorted():
        out = out.sort("row")
    out = out.with_columns(_reason_lists(out.select("row", "kid"), key_reasons, row_reasons))
    out = out.with_columns(made.alias("checks") if made is not None else pl.lit(None).alias("checks"))
    # the exceptions considered: gathered once from the distinct lists (no exception considered: empty)
    exceptions = _considered(considered.cast(pl.List(EXCEPTION_DTYPE)), out["_x"])
    policy = _review_policy()
    out = out.with_columns(
        verdict=_verdict(),
        review_policy=pl.when(policy == "").then(None).otherwise(policy),
        exceptions=exceptions,
    ).with_columns(license_required=pl.col("verdict").is_in(["license_required", "prohibited", "hold"]))
    if screening.height and "screening" in screening.columns:
        out = out.join(screening, on="row", how="left", maintain_order="left")
    else:
        out = out.with_columns(screening=pl.lit(None))
    return out.select(*RESULT_COLUMNS)


def _key_facts(keys: pl.DataFrame, kf: pl.DataFrame) -> pl.DataFrame:
    """Per key: the facts the exceptions test (destination flags, requirements to overcome, LVS/GBS)."""
    kinfo = keys.select("kid", *[c for c in KEY_FACTS if c in keys.columns])
    for col, dtype in KEY_FACT_TYPES:
        if col not in kinfo.columns:
            kinfo = kinfo.with_columns(pl.lit(None, dtype).alias(col))
    return kinfo.with_columns(pl.col("rreasons").fill_null("")).join(kf, on="kid", how="left")


def _lvs_outcomes(tx: pl.DataFrame, kinfo: pl.DataFrame) -> pl.DataFrame:
    """§740.3: (row, kid, value, lvs_state) what LVS makes of each row's value, where an exception could
    overcome the key's requirements."""
    out = tx.select("row", "kid", "value").join(
        kinfo.select("kid", "lvs_limit", "k_le"), on="kid", how="left"
    )
    return out.with_columns(
        lvs_state=pl.when(pl.col("k_le").fill_null(False)).then(_lvs_state(pl.col("value"))).otherwise(None)
    )


def _exceptions(
    out: pl.DataFrame, kinfo: pl.DataFrame, sections: dict[str, str] | None
) -> tuple[pl.DataFrame, pl.Series]:
    """Part 740: (kid, lvs_state, _x, any_ex) and the licence exceptions considered: lists built once per
    distinct combination of the inputs they depend on (the representative value gives the same LVS),
    `_x` a key's position among them (the lists are gathered to the rows once, at the end)."""
    ex_keys = (
        out.filter(pl.col("k_le").fill_null(False)).group_by("kid", "lvs_state").agg(pl.col("value").first())
    )
    flagged = (
        ex_keys.join(kinfo, on="kid", how="left")
        .with_columns(*le.key_flags())
        .with_columns(rr=pl.col("rreasons"))
    )
    inputs = [*le.FLAG_COLUMNS, "rr", "ex_off", "lvs_limit", "lvs_state"]
    combos = (
        flagged.select(inputs)
        .unique()
        .with_columns(rreasons=pl.col("rr").str.split(",").list.filter(pl.element() != ""))
        .with_columns(exceptions=le.considered(exception_value(), sections))
        .select(
            *inputs,
            "exceptions",
            pl.col("exceptions").list.eval(pl.element().struct.field("applies")).list.any().alias("any_ex"),
        )
        .with_row_index("_x")
        .with_columns(pl.col("_x").cast(pl.Int64))
    )
    at = flagged.select("kid", *inputs).join(
        combos.select("_x", *inputs, "any_ex"), on=inputs, how="left", nulls_equal=True
    )
    return at.select("kid", "lvs_state", "_x", "any_ex"), combos["exceptions"]


def _checks(out: pl.DataFrame, ex: pl.DataFrame, considered: pl.Series, checks: chk.CheckInputs) -> pl.Series:
    """The checks each row made, with the licence exceptions considered for its key and LVS outcome
    (`ex`: kid, lvs_state and `_x`, the position of its list in `considered`)."""
    return assemble(
        out.select("row", "kid", "lvs_state"),
        checks.kchecks,
        checks.pfacts,
        Considered(ex.select("kid", "lvs_state", "_x"), considered),
        lists_what=checks.lists_what,
        dpl_what=checks.dpl_what,
        order=checks.order,
        ex_check=chk.exception_checks,
    )


def _flag(name: str) -> pl.Expr:
    return pl.col(name).fill_null(False)


def _verdict() -> pl.Expr:
    """Supp. 1 to Part 732: prohibited > hold > license required (no exception overcomes it) > license
    exception available > no license required."""
    return (
        pl.when(_flag("k_prohibited") | _flag("r_prohibited"))
        .then(pl.lit("prohibited"))
        .when(_flag("k_hold") | _flag("r_hold"))
        .then(pl.lit("hold"))
        .when(_flag("k_hard") | _flag("r_hard") | (_flag("k_le") & ~_flag("any_ex")))
        .then(pl.lit("license_required"))
        .when(_flag("k_le"))
        .then(pl.lit("license_exception_available"))
        .otherwise(pl.lit("no_license_required"))
    )


def _review_policy() -> pl.Expr:
    """The review policies of the key's and the row's requirements, joined once per key and per row:
    only rows with both need a (string) merge."""
    k_pol = pl.col("k_policy").fill_null("")
    r_pol = pl.col("r_policy").fill_null("")
    return (
        pl.when(r_pol == "")
        .then(k_pol)
        .when((k_pol == "") | (k_pol == r_pol))
        .then(r_pol)
        .otherwise(pl.concat_str([k_pol, pl.lit("; "), r_pol]))
    )


def _reason_lists(order: pl.DataFrame, key_reasons: pl.DataFrame, row_reasons: pl.DataFrame) -> pl.Series:
    """`reasons`, one list per row of `order` (row, kid): the key's reasons, then the row's.

    Built by one gather of the reasons into row order and a list over offsets: joining per-key lists
    to the rows, then concatenating struct lists and sorting them, copied every reason several times.
    """
    k, r = _flat(key_reasons, "kid"), _flat(row_reasons, "row")
    n_k = k.height
    at = (
        order.join(_spans(k, "kid", "k"), on="kid", how="left", maintain_order="left")
        .join(_spans(r, "row", "r"), on="row", how="left", maintain_order="left")
        .select(
            pl.col("k_n").fill_null(0),
            pl.col("r_n").fill_null(0),
            pl.col("k_at").fill_null(0),
            (pl.col("r_at").fill_null(0) + n_k).alias("r_at"),
        )
    )
    idx = (
        at.select(
            pl.concat_list(
                pl.int_ranges(pl.col("k_at"), pl.col("k_at") + pl.col("k_n"), dtype=pl.Int64),
                pl.int_ranges(pl.col("r_at"), pl.col("r_at") + pl.col("r_n"), dtype=pl.Int64),
            ).alias("i")
        )["i"]
        .explode()
        .drop_nulls()
    )  # an empty list explodes to one null
    values = pl.concat([k["reason"], r["reason"]]).gather(idx)
    out = _lists(values, (at["k_n"] + at["r_n"]).cast(pl.Int64), "reasons")
    return out.cast(pl.List(REASON_DTYPE)) if out.dtype != pl.List(REASON_DTYPE) else out


def _considered(considered: pl.Series, at: pl.Series) -> pl.Series:
    """`exceptions`, one list per row: the list of `considered` at each row's position `at` (null: none).

    A gather of the flat exceptions and a list over offsets: polars' gather of a list of structs per row
    took ~2 s for a million rows."""
    lengths = considered.list.len().fill_null(0).cast(pl.Int64)
    slots = lengths.clip(lower_bound=1)  # an empty (or null) list explodes to one null: its slot is skipped
    zero = pl.Series([0], dtype=pl.Int64)  # a row without exceptions considered: an empty span
    starts, lens = pl.concat([slots.cum_sum() - slots, zero]), pl.concat([lengths, zero])
    x = at.fill_null(considered.len()).cast(pl.Int64)
    span = pl.DataFrame({"a": starts.gather(x), "n": lens.gather(x)})
    idx = span.select(pl.int_ranges("a", pl.col("a") + pl.col("n"), dtype=pl.Int64).alias("i"))["i"]
    return _lists(considered.explode().gather(idx.explode().drop_nulls()), span["n"], "exceptions")


def _lists(values: pl.Series, lengths: pl.Series, name: str) -> pl.Series:
    """One list per row of `lengths`, laid over `values` in order."""
    offsets = pl.concat([pl.Series([0], dtype=pl.Int64), lengths.cast(pl.Int64).cum_sum()])
    if lengths.len() <= FEW_ROWS:
        # a few rows (a single check): sliced in polars, so a one-row check never imports pyarrow (cold start)
        at_ = offsets.to_list()
        rows = [values.slice(a, b - a) for a, b in itertools.pairwise(at_)]
        return pl.Series(name, rows, dtype=pl.List(values.dtype))
    import pyarrow as pa  # type: ignore[import-untyped]

    lists = pa.LargeListArray.from_arrays(
        offsets.to_arrow(), values.to_arrow(compat_level=pl.CompatLevel.newest())
    )
    return pl.Series(name, lists)


def _flat(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """(key, reason) without null reasons, ordered by key (stable), the reasons as REASON_DTYPE."""
    if frame.height == 0 or "reason" not in frame.columns:
        return pl.DataFrame(schema={key: pl.Int64, "reason": REASON_DTYPE})
    return (
        frame.select(key, pl.col("reason").cast(REASON_DTYPE))
        .filter(pl.col("reason").is_not_null())
        .sort(key, maintain_order=True)
    )


def _spans(flat: pl.DataFrame, key: str, prefix: str) -> pl.DataFrame:
    """(key, <prefix>_at, <prefix>_n): where each key's reasons start in `flat` and how many."""
    return (
        flat.select(key)
        .with_row_index("i")
        .group_by(key)
        .agg(
            pl.col("i").first().cast(pl.Int64).alias(f"{prefix}_at"),
            pl.len().cast(pl.Int64).alias(f"{prefix}_n"),
        )
    )
