"""Determination results in the contract shape: the result columns, a stable order, one JSON answer.

Shared by every front (CLI, HTTP API, files, audit trail) so that one transaction reads the same
everywhere. Not legal advice.
"""

from __future__ import annotations

from typing import Any, cast

import polars as pl

from exportctl.ops.answers import Determination
from exportctl.ops.defaults import VERDICT_ORDER

__all__ = ["RESULT_COLUMNS", "STEP_ORDER", "answer", "answer_row", "stable_order", "summary"]

RESULT_COLUMNS = (
    "verdict",
    "license_required",
    "parties_screened",
    "reasons",
    "review_policy",
    "exceptions",
    "screening",
    "checks",
    "as_of",
    "known_on",
    "data_version",
    "engine_version",
    "regime",
    "error",
)


# The order of the steps in Supplement No. 1 to Part 732 (then China's), for listing reasons.
STEP_ORDER = ("DATA", "GP4", "GP6", "GP1", "GP2", "GP3", "GP5", "GP7", "GP8", "GP9", "GP10", "POLICY", "PRC")


def stable_order(results: pl.DataFrame) -> pl.DataFrame:
    """Reasons and hits in a fixed order, review policies without repeats: same input, same answer."""
    exprs: list[pl.Expr] = []
    if "reasons" in results.columns and results.schema["reasons"] != pl.Null:
        field = pl.element().struct.field
        rank = field("step").replace_strict(STEP_ORDER, list(range(len(STEP_ORDER))), default=len(STEP_ORDER))
        # every text field, so that two reasons differing only in a citation or a policy keep one order too
        texts = ("code", "measure", "column", "effect", "text", "citation", "review_policy", "url")
        keys = [rank, *(field(f).fill_null("") for f in texts)]
        exprs.append(pl.col("reasons").list.eval(pl.element().sort_by(keys)))
    if "screening" in results.columns and isinstance(results.schema["screening"], pl.List):
        field = pl.element().struct.field
        # parties named by a measure are matched as list 'effect:<regime>:<effect>' inside the engine;
        # a person reads them as the measure that names them (its id is the hit's entity_id)
        internal = field("list").fill_null("").str.starts_with("effect:")
        shown = pl.when(internal).then(pl.lit("measure")).otherwise(field("list"))
        named = pl.element().struct.with_fields(shown.alias("list"))
        # sorted as shown: the internal list id numbers the batch's regimes and effects, so a row
        # alone and the same row in a batch listed two measures' hits in different orders
        hit_keys = [
            field("role").fill_null(""),
            -field("match_score").fill_null(0.0),
            shown.fill_null(""),
            field("entity_id").fill_null(""),
            field("listed_name").fill_null(""),
            field("name").fill_null(""),
        ]
        exprs.append(pl.col("screening").list.eval(named.sort_by(hit_keys)))
    if "review_policy" in results.columns:
        parts = pl.col("review_policy").str.split("; ")
        exprs.append(
            parts.list.eval(pl.element().str.strip_chars().filter(pl.element() != ""))
            .list.eval(pl.element().sort_by(pl.element().str.to_lowercase()))
            .list.eval(pl.element().filter(pl.element().str.to_lowercase().is_first_distinct()))
            .list.join("; ")
            .replace("", None)
            .alias("review_policy")
        )
    return results.with_columns(exprs) if exprs else results


def _as_dicts(value: Any) -> list[dict[str, Any]]:
    return [dict(v) for v in (value or [])]


def answer(row: dict[str, Any]) -> Determination:
    """One result row in the contract shape (JSON-ready): ops.answers.Determination."""
    reasons = [
        {
            k: v
            for k, v in {**r, "rule": r.get("code")}.items()
            if v is not None or k in ("code", "measure", "citation")
        }
        for r in _as_dicts(row.get("reasons"))
    ]
    out = {
        "verdict": row.get("verdict"),
        "license_required": bool(row.get("license_required")),
        # false: no party was screened (none given, or the row was not determined); see the reasons
        "parties_screened": bool(row.get("parties_screened")),
        "reasons": reasons,
        "review_policy": row.get("review_policy"),
        "exceptions": _as_dicts(row.get("exceptions")),
        "parties": _as_dicts(row.get("screening")),
        "checks": _as_dicts(row.get("checks")),
        "as_of": row.get("as_of"),
        "known_on": row.get("known_on"),
        "data_version": row.get("data_version"),
        "engine_version": row.get("engine_version"),
        "regime": row.get("regime"),
        **({"error": row["error"]} if row.get("error") else {}),
    }
    from exportctl.ops.gate import warn_forced

    return cast(Determination, warn_forced(out, row.get("data_version")))


def answer_row(row: dict[str, Any]) -> dict[str, Any]:
    """A file or stream line: the input's own columns plus the contract object's keys."""
    inputs = {k: v for k, v in row.items() if k not in RESULT_COLUMNS}
    return {**inputs, **answer(row)}


def summary(results: pl.DataFrame) -> list[dict[str, Any]]:
    """Counts per verdict, in the order of severity."""
    order = VERDICT_ORDER
    counts = results.group_by("verdict").len()
    got = dict(counts.iter_rows())
    return [{"verdict": v, "rows": int(got.get(v, 0))} for v in order]
