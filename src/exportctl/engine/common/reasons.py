"""The shape of one reason in an answer, shared by the US and PRC engines."""

from __future__ import annotations

from typing import Any

import polars as pl

ENTRY_FIELDS: dict[str, Any] = {
    "list": pl.Utf8,
    "entity_id": pl.Utf8,
    "name": pl.Utf8,  # the listed name
    "score": pl.Float64,
    "notice": pl.Utf8,  # the Federal Register notice(s) the entry cites
}
ENTRY_DTYPE = pl.Struct(ENTRY_FIELDS)

REASON_FIELDS: dict[str, Any] = {
    "step": pl.Utf8,  # GP1 ... GP10, PRC, DATA
    "code": pl.Utf8,  # the control code or rule: 'RS', 'EL', '744.23', 'IS-INFORMED'
    "column": pl.Utf8,  # Country Chart column where one applies: 'NS2'
    "measure": pl.Utf8,  # measure id, when a measure made the rule
    "citation": pl.Utf8,
    "url": pl.Utf8,
    "effect": pl.Utf8,  # license_required | prohibited | hold | info
    "review_policy": pl.Utf8,
    "le_ok": pl.Boolean,  # can a license exception overcome it (GP1-GP3 only)
    "conditional": pl.Boolean,  # applies only to part of the entry: classify to the subparagraph
    "text": pl.Utf8,
    "entries": pl.List(ENTRY_DTYPE),  # several entries of one list behind one party (affiliates), else null
}
REASON_DTYPE = pl.Struct(REASON_FIELDS)

EXCEPTION_FIELDS: dict[str, Any] = {
    "code": pl.Utf8,
    "section": pl.Utf8,
    "applies": pl.Boolean,
    "why": pl.Utf8,
}
EXCEPTION_DTYPE = pl.Struct(EXCEPTION_FIELDS)

VERDICTS = ("no_license_required", "license_exception_available", "license_required", "hold", "prohibited")


def reason_struct(**exprs: pl.Expr) -> pl.Expr:
    """A REASON_DTYPE struct from expressions; missing fields are typed nulls."""
    fields = []
    for name, dtype in REASON_FIELDS.items():
        expr = exprs.get(name)
        fields.append((expr if expr is not None else pl.lit(None)).cast(dtype).alias(name))
    return pl.struct(fields).alias("reason")


def hold_reason(code: str, citation: str, text: pl.Expr) -> pl.Expr:
    """A DATA-step `hold` reason (input, coverage ...): no licence exception overcomes it."""
    return reason_struct(
        step=lit("DATA"),
        code=lit(code),
        citation=lit(citation),
        effect=lit("hold"),
        le_ok=pl.lit(False),
        conditional=pl.lit(False),
        text=text,
    )


def empty_reasons(key: str = "row") -> pl.DataFrame:
    """A (key, reason) frame with no rows."""
    return pl.DataFrame(schema={key: pl.Int64, "reason": REASON_DTYPE})


def lit(value: str | None) -> pl.Expr:
    """A string literal (typed)."""
    return pl.lit(value, pl.Utf8)


def coverage_holds(keys: pl.DataFrame) -> pl.DataFrame:
    """(kid, reason): a hold for every key whose regime's date the registry does not cover."""
    text = pl.col("coverage_note").fill_null(
        pl.concat_str([lit("The registry does not cover "), pl.col("as_of").cast(pl.Utf8), lit(".")])
    )
    return keys.filter(~pl.col("covered").fill_null(False)).select(
        "kid", hold_reason("coverage", "exportctl measure registry", text)
    )


def measure_reason(step: pl.Expr, **fields: pl.Expr) -> pl.Expr:
    """A reason a measure in force gives (its code, measure, citation, url and text), with `fields`
    (effect, review_policy, le_ok, conditional, text ...) overriding the measure's own."""
    base: dict[str, pl.Expr] = {
        "code": pl.col("control_reason").fill_null(pl.col("kind")),
        "measure": pl.col("measure"),
        "citation": pl.col("citation"),
        "url": pl.col("url"),
        "review_policy": pl.col("review_policy"),
        "le_ok": pl.lit(False),
        "conditional": pl.lit(False),
        "text": pl.col("text"),
    }
    return reason_struct(step=step, **{**base, **fields})


def policy_notes(matches: pl.DataFrame, step: str) -> pl.DataFrame:
    """(kid, reason): the review policies of the measures in force that match a key, as information."""
    return matches.filter(pl.col("kind") == "review_policy").select(
        "kid", measure_reason(lit(step), code=lit("review_policy"), effect=lit("info"))
    )
