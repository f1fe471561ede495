"""A batch's amounts as its lines write them (`line_amounts`, through ops.amounts), and duty amounts in
dollars: per layer, the MFN base (ad valorem, specific, compound), and the customs fees charged beside the
duties (MPF, HMF), read from `data/fees/us_customs_fees.yaml` with their citations.

The fee schedule is policy, so it is data: rates, per-entry minimum and maximum per fiscal year, the
modes of transport a fee applies to, and the gaps where a year's figures were not found (then the fee's
`amount_usd` is null and the answer says why; a limit is never carried forward).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict

from exportctl.errors import DataError, InputError
from exportctl.model.citation import Citation
from exportctl.ops.amounts import USD, read_cells

# libyaml's safe loader when PyYAML was built with it (the same documents, about ten times faster)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MODES = ("ocean", "air", "truck", "rail", "mail", "other")
CONTENTS = ("steel_content", "aluminum_content", "copper_content")  # dollar values of a line's metal content
FEES_FILE = Path(__file__).resolve().parents[1] / "data" / "fees" / "us_customs_fees.yaml"


class FeePeriod(BaseModel):
    """The limits of a fee between two days (inclusive); `gap` when the figures were not found."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    start: dt.date
    end: dt.date | None
    min_usd: float | None = None
    max_usd: float | None = None
    citation: Citation | None = None
    gap: str | None = None


class Fee(BaseModel):
    """One customs fee: its ad valorem rate, the modes it applies to ([] = all) and its periods."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fee: str
    name: str
    rate_pct: float
    modes: list[str]
    citations: list[Citation]
    notes: list[str] = []
    periods: list[FeePeriod]

    def period(self, day: dt.date) -> FeePeriod | None:
        """The period in force on `day`, if any."""
        return next((p for p in self.periods if p.start <= day and (p.end is None or day <= p.end)), None)


def _period(raw: dict[str, Any]) -> dict[str, Any]:
    out = dict(raw)
    out["start"], out["end"] = out.pop("from", None), out.pop("to", None)
    return out


@cache
def fee_schedule() -> tuple[Fee, ...]:
    """The bundled fee schedule (strict: a malformed file is a DataError naming it)."""
    text = FEES_FILE.read_text(encoding="utf-8")
    try:
        raw = yaml.load(text, Loader=_LOADER)
        fees = tuple(
            Fee(**{**f, "periods": [FeePeriod(**_period(p)) for p in f["periods"]]}) for f in raw["fees"]
        )
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as err:
        raise DataError(f"malformed fee schedule: {err}", file=FEES_FILE.name) from None
    return fees


def check_mode(mode: str | None) -> str | None:
    """The mode of transport in lower case, or an InputError naming the field."""
    if mode is None:
        return None
    low = mode.strip().lower()
    if low not in MODES:
        raise InputError(f"mode of transport must be one of {', '.join(MODES)}, not {mode!r}", field="mode")
    return low


def fee_lines(value: float, day: dt.date, mode: str | None) -> tuple[list[dict[str, Any]], list[str]]:
    """The fees on an entry of `value` dollars on `day` by `mode`, and notes (gaps, fees left out)."""
    out: list[dict[str, Any]] = []
    notes: list[str] = []
    for fee in fee_schedule():
        if fee.modes and mode is None:
            notes.append(f"{fee.fee} ({', '.join(fee.modes)} only) not computed: give --mode")
            continue
        if fee.modes and mode not in fee.modes:
            continue
        period = fee.period(day)
        raw = value * fee.rate_pct / 100
        amount: float | None = raw
        if period is None or (period.gap and period.min_usd is None and period.max_usd is None):
            amount = None
            why = period.gap if period and period.gap else f"no figures for {day}"
            notes.append(f"{fee.fee} not computed: {why}")
        else:
            low = raw if period.min_usd is None else period.min_usd
            high = raw if period.max_usd is None else period.max_usd
            amount = min(max(raw, low), high)
        cites = [c.short() for c in fee.citations]
        if period is not None and period.citation is not None:
            cites.append(period.citation.short())
        out.append(
            {
                "fee": fee.fee,
                "name": fee.name,
                "rate_pct": fee.rate_pct,
                "min_usd": period.min_usd if period else None,
                "max_usd": period.max_usd if period else None,
                "ad_valorem_usd": round(raw, 2),
                "amount_usd": None if amount is None else round(amount, 2),
                "citation": "; ".join(cites),
                "notes": list(fee.notes) + ([period.gap] if period and period.gap else []),
            }
        )
    return out, notes


def add_amounts(answer: dict[str, Any], day: dt.date, mode: str | None) -> dict[str, Any]:
    """Add dollar amounts to a lookup answer (additive keys only): each component's `amount_usd`, the MFN
    base's, and `duty.fees`, `duty.fees_usd`, `duty.total_usd` (duties plus the fees computed)."""
    duty = answer["duty"]
    value = duty.get("value")
    duty["mode"] = mode
    for comp in answer["components"]:
        # a layer charged on a content share (Section 232 derivatives) carries applied_pct = rate x share
        pct = comp.get("applied_pct", comp["rate_pct"])
        comp["amount_usd"] = None if value is None or pct is None else round(value * pct / 100, 2)
    mfn = answer["mfn"]
    mfn_pct = mfn.get("ad_valorem_pct") if mfn.get("included_in_total") else None
    specific = duty.get("specific_usd")
    mfn["amount_usd"] = (
        None
        if value is None or not mfn.get("included_in_total") or specific is None
        else round(value * (mfn_pct or 0.0) / 100 + specific, 2)
    )
    if value is None or answer.get("destination") != "US":
        duty["fees"], duty["fees_usd"], duty["total_usd"] = [], None, None
        return answer
    fees, notes = fee_lines(value, day, mode)
    duty["fees"] = fees
    amounts = [f["amount_usd"] for f in fees]
    duty["fees_usd"] = None if None in amounts else round(sum(amounts), 2)
    total = duty.get("amount")
    fees_usd = duty["fees_usd"]
    duty["total_usd"] = None if total is None or fees_usd is None else round(total + fees_usd, 2)
    answer["notes"].extend(notes)
    return answer


def batch_fees(out: pl.DataFrame, lines: pl.DataFrame) -> pl.DataFrame:
    """Per-line fee columns of a batch (`<fee>_usd`, e.g. mpf_usd, hmf_usd) from its optional `mode` and
    `entry` columns: the MPF limits apply per entry (lines sharing `entry`; without it each line is an
    entry), prorated to its lines by value; a fee limited to some modes is null where the mode is not
    given. Null too where the line is not answered, has no value, or the fiscal year's limits are a gap."""
    if "value" not in out.columns or "date" not in out.columns or out.height == 0:
        return out
    extra = [c for c in ("mode", "entry") if c in lines.columns]
    frame = out.select("line_id", "date", "value", "status", "destination")
    if extra:
        keyed = lines.with_row_index("line_id") if "line_id" not in lines.columns else lines
        frame = frame.join(keyed.select(pl.col("line_id").cast(pl.Int64), *extra), on="line_id", how="left")
    mode = (
        pl.col("mode").cast(pl.Utf8).str.strip_chars().str.to_lowercase()
        if "mode" in extra
        else pl.lit(None, pl.Utf8)
    )
    own = pl.lit("line ") + pl.col("line_id").cast(pl.Utf8)  # a line without an entry is its own entry
    entry = pl.lit("entry ") + pl.col("entry").cast(pl.Utf8) if "entry" in extra else own
    ok = (pl.col("status") == "ok") & (pl.col("destination") == "US") & pl.col("value").is_not_null()
    frame = frame.with_columns(mode.alias("_mode"), entry.fill_null(own).alias("_entry"), ok.alias("_ok"))
    days = frame.filter("_ok")["date"].unique().to_list()
    cols = []
    for fee in fee_schedule():
        limits = {d: fee.period(d) for d in days}
        usable = {d for d, p in limits.items() if p is not None and not (p.gap and p.min_usd is None)}
        low = {d: limits[d].min_usd for d in usable}  # type: ignore[union-attr]
        high = {d: limits[d].max_usd for d in usable}  # type: ignore[union-attr]
        share = pl.col("value") / pl.col("value").sum().over("_entry", "date")
        raw = pl.col("value").sum().over("_entry", "date") * fee.rate_pct / 100
        lo = pl.col("date").replace_strict(low, default=None, return_dtype=pl.Float64)
        hi = pl.col("date").replace_strict(high, default=None, return_dtype=pl.Float64)
        entry_fee = pl.max_horizontal(raw, lo.fill_null(raw))
        entry_fee = pl.min_horizontal(entry_fee, hi.fill_null(entry_fee))
        line_fee = entry_fee * share.fill_nan(1.0 / pl.len().over("_entry", "date"))
        applies = pl.lit(True) if not fee.modes else pl.col("_mode").is_in(fee.modes)
        known_mode = pl.lit(True) if not fee.modes else pl.col("_mode").is_not_null()
        cols.append(
            pl.when(pl.col("_ok") & pl.col("date").is_in(list(usable)) & known_mode)
            .then(pl.when(applies).then(line_fee).otherwise(0.0))
            .otherwise(None)
            .round(2)
            .alias(f"{fee.fee.lower()}_usd")
        )
    fees = frame.filter("_ok").with_columns(cols).select("line_id", *[c.meta.output_name() for c in cols])
    return out.join(fees, on="line_id", how="left")


def line_amounts(df: pl.DataFrame) -> pl.DataFrame:
    """Per amount column, `_<col>` (the number) and `_<col>_bad` (null, 'invalid' or 'not_usd'): a dollar
    amount in another currency (in its cell, or the row's `currency` column) is not priced as dollars; a
    content needs the line's value and is not above it."""
    cols: dict[str, pl.Series] = {}
    for col in ("value", "quantity", *CONTENTS):
        if col in df.columns:
            values, bad = read_cells(df[col], col, money=col != "quantity")
        else:
            values, bad = (
                pl.Series([None] * df.height, dtype=pl.Float64),
                pl.Series([None] * df.height, dtype=pl.Utf8),
            )
        cols[f"_{col}"], cols[f"_{col}_bad"] = values, bad
    frame = pl.DataFrame(cols)
    if "currency" in df.columns:  # the row's currency: dollar amounts in another one are not dollars
        written = df["currency"].cast(pl.Utf8).str.to_uppercase().str.replace_all(r"[\s.]", "")
        foreign = pl.lit(written.is_not_null() & (written != "") & ~written.is_in(USD))
        frame = frame.with_columns(
            pl.when(pl.col(f"_{c}").is_not_null() & foreign)
            .then(pl.lit("not_usd"))
            .otherwise(pl.col(f"_{c}_bad"))
            .alias(f"_{c}_bad")
            for c in ("value", *CONTENTS)
        )
    over = {
        c: pl.col(f"_{c}").is_not_null() & (pl.col("_value").is_null() | (pl.col(f"_{c}") > pl.col("_value")))
        for c in CONTENTS
    }
    frame = frame.with_columns(
        pl.coalesce(pl.col(f"_{c}_bad"), pl.when(over[c]).then(pl.lit("invalid"))).alias(f"_{c}_bad")
        for c in CONTENTS
    )
    return df.hstack(frame.get_columns())
