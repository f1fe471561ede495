"""From reasons to one verdict per row: prohibited > hold > license_required > exception > no license."""

from __future__ import annotations

import polars as pl

from exportctl.engine.ear import exceptions as le
from exportctl.engine.ear.reasons import EXCEPTION_DTYPE, REASON_DTYPE

RESULT_COLUMNS = ("row", "verdict", "license_required", "reasons", "review_policy", "exceptions", "screening")


def _agg(frame: pl.DataFrame, key: str, name: str) -> pl.DataFrame:
    if frame.height == 0 or "reason" not in frame.columns:
        return pl.DataFrame(schema={key: pl.Int64, name: pl.List(REASON_DTYPE)})
    return frame.group_by(key).agg(pl.col("reason").cast(REASON_DTYPE).alias(name))


def finish(
    tx: pl.DataFrame,
    keys: pl.DataFrame,
    key_reasons: pl.DataFrame,
    row_reasons: pl.DataFrame,
    screening: pl.DataFrame,
    eccns: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Aggregate key and row reasons, weigh license exceptions, and decide each row's verdict."""
    empty_r = pl.lit([], pl.List(REASON_DTYPE))
    kinfo = keys.select(
        "kid", "groups", "row_iso", "pointer",
        *[c for c in ("rreasons", "lvs", "lvs_limit", "gbs", "hq_md5") if c in keys.columns],
    )
    out = (
        tx.select("row", "kid", "value", "as_of", "eccn_base", "eccn_para")
        .join(_agg(key_reasons, "kid", "k_reasons"), on="kid", how="left")
        .join(_agg(row_reasons, "row", "r_reasons"), on="row", how="left")
        .join(kinfo, on="kid", how="left")
    )
    for col, dtype in (("rreasons", pl.List(pl.Utf8)), ("lvs", pl.Utf8), ("lvs_limit", pl.Float64), ("gbs", pl.Utf8), ("hq_md5", pl.Boolean)):
        if col not in out.columns:
            out = out.with_columns(pl.lit(None, dtype).alias(col))
    out = out.with_columns(
        pl.col("rreasons").fill_null(pl.lit([], pl.List(pl.Utf8))),
        reasons=pl.concat_list([pl.col("k_reasons").fill_null(empty_r), pl.col("r_reasons").fill_null(empty_r)]),
    )
    eff = pl.col("reasons").list.eval(pl.element().struct.field("effect"))
    le_req = pl.col("reasons").list.eval(
        (pl.element().struct.field("effect") == "license_required") & pl.element().struct.field("le_ok")
    ).list.any()
    hard_req = pl.col("reasons").list.eval(
        (pl.element().struct.field("effect") == "license_required") & ~pl.element().struct.field("le_ok")
    ).list.any()
    out = out.with_columns(*le.key_flags()).with_columns(
        exceptions=pl.when(le_req).then(le.considered(pl.col("value"))).otherwise(pl.lit([], pl.List(EXCEPTION_DTYPE))),
        _le_req=le_req.fill_null(False),
        _hard=hard_req.fill_null(False),
        _eff=eff,
    )
    any_ex = pl.col("exceptions").list.eval(pl.element().struct.field("applies")).list.any().fill_null(False)
    verdict = (
        pl.when(pl.col("_eff").list.contains("prohibited")).then(pl.lit("prohibited"))
        .when(pl.col("_eff").list.contains("hold")).then(pl.lit("hold"))
        .when(pl.col("_hard") | (pl.col("_le_req") & ~any_ex)).then(pl.lit("license_required"))
        .when(pl.col("_le_req")).then(pl.lit("license_exception_available"))
        .otherwise(pl.lit("no_license_required"))
    )
    policy = pl.col("reasons").list.eval(
        pl.element().filter(pl.element().struct.field("effect").is_in(["license_required", "prohibited", "info"]))
        .struct.field("review_policy").drop_nulls().unique(maintain_order=True)
    ).list.join("; ")
    out = out.with_columns(verdict=verdict).with_columns(
        license_required=pl.col("verdict").is_in(["license_required", "prohibited", "hold"]),
        review_policy=pl.when(policy == "").then(None).otherwise(policy),
    )
    if screening.height and "screening" in screening.columns:
        out = out.join(screening, on="row", how="left")
    else:
        out = out.with_columns(screening=pl.lit(None))
    return out.select(*RESULT_COLUMNS).sort("row")
