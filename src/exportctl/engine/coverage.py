"""Coverage per family of measures on the export side: which families an engine consults, the holds of
a family past its `researched_through`, and one coverage check per family on every verdict.

A family that is not party-scoped (the controls of a jurisdiction) answers for every row: past its day
the whole key holds. A party family (lists of parties) answers only for rows that name parties: past its
day only those rows hold, and the other families still answer. Which families exist and their days are
data (registry.yaml `families`); this module only says which ones an engine consults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from exportctl.engine.protocols import ControlsRegimeLike

__all__ = [
    "CN_FAMILIES",
    "EAR_FAMILIES",
    "Consulted",
    "family_frame",
    "family_rows",
    "party_holds",
    "with_controls_coverage",
]


@dataclass(frozen=True)
class Consulted:
    """A family an engine consults; `parties` families only for rows that name parties."""

    jurisdiction: str
    family: str
    parties: bool = False

    @property
    def label(self) -> str:
        """'US-EAR controls'."""
        return f"{self.jurisdiction} {self.family}"


EAR_FAMILIES = (
    Consulted("US-EAR", "controls"),
    Consulted("US-EAR", "parties", parties=True),
    Consulted("US-OFAC", "sanctions", parties=True),
)
CN_FAMILIES = (Consulted("CN-EXPORT", "controls"), Consulted("CN-EXPORT", "parties", parties=True))


def _row(rkey: int, i: int, fam: Consulted, regime: ControlsRegimeLike) -> dict[str, Any]:
    """One (regime, family): whether it answers, its hold text, and its coverage check's texts."""
    found = regime.family(fam.jurisdiction, fam.family) if hasattr(regime, "family") else None
    covered = bool(regime.family_covered(fam.jurisdiction, fam.family)) if found else bool(regime.covered)
    note = regime.family_note(fam.jurisdiction, fam.family) if found else None
    if found is not None:
        known = regime.knowledge_through(fam.jurisdiction, fam.family)
        what = f"{fam.label} researched through {found.researched_through}; known up to {known}"
        late = f"{regime.as_of} is after {found.researched_through}"
    else:
        what = f"{fam.label}: no researched_through recorded (registry coverage of {regime.as_of})"
        late = "outside the registry's coverage"
    if not regime.covered:
        late = "before the registry's start"
    return {
        "rkey": rkey,
        "fi": i,
        "parties": fam.parties,
        "f_covered": covered,
        # the family's own hold text, only where the regime is otherwise covered (no double hold)
        "f_note": note if regime.covered and not covered else None,
        "f_what": what,
        "f_result": "covered" if covered else f"hold ({late})",
        "f_unasked": "not consulted: no party named" + ("" if covered else f" (it would hold: {late})"),
    }


FRAME_SCHEMA = {
    "rkey": pl.Int64,
    "fi": pl.Int64,
    "parties": pl.Boolean,
    "f_covered": pl.Boolean,
    "f_note": pl.Utf8,
    "f_what": pl.Utf8,
    "f_result": pl.Utf8,
    "f_unasked": pl.Utf8,
}


def family_frame(regimes: Mapping[int, ControlsRegimeLike], families: tuple[Consulted, ...]) -> pl.DataFrame:
    """(rkey, fi, parties, f_covered, f_note, f_what, f_result, f_unasked): one row per regime and family."""
    return pl.DataFrame(family_rows(regimes, families), schema=FRAME_SCHEMA)


def family_rows(
    regimes: Mapping[int, ControlsRegimeLike], families: tuple[Consulted, ...]
) -> list[dict[str, Any]]:
    """family_frame's rows as dicts (the one-row path reads them without the frame)."""
    return [_row(rkey, i, fam, r) for rkey, r in regimes.items() for i, fam in enumerate(families)]


def with_controls_coverage(keys: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    """`covered` and `coverage_note` of each key narrowed by the families that answer for every row:
    past such a family's day, the key holds with that family's text."""
    whole = (
        frame.filter(~pl.col("parties"))
        .group_by("rkey")
        .agg(
            pl.col("f_covered").all().alias("_fc"),
            pl.col("f_note").drop_nulls().str.join(" ").alias("_fn"),
        )
    )
    return (
        keys.join(whole, on="rkey", how="left")
        .with_columns(
            covered=pl.col("covered").fill_null(False) & pl.col("_fc").fill_null(True),
            coverage_note=pl.coalesce(
                pl.col("coverage_note"), pl.when(pl.col("_fn") != "").then(pl.col("_fn"))
            ),
        )
        .drop("_fc", "_fn")
    )


def party_holds(tx: pl.DataFrame, parties: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    """(row, reason): a `coverage` hold for each row naming parties, per party family past its day."""
    from exportctl.engine.common.reasons import hold_reason  # the engines' reason shape (no import cycle)

    late = frame.filter(pl.col("parties") & pl.col("f_note").is_not_null()).select("rkey", "f_note")
    if late.height == 0 or parties.height == 0 or "row" not in parties.columns:
        return pl.DataFrame()
    named = tx.join(parties.select("row").unique(), on="row", how="semi").select("row", "rkey")
    reason = hold_reason("coverage", "exportctl measure registry (families)", pl.col("f_note"))
    return named.join(late, on="rkey").select("row", reason.alias("reason"))


def check_columns(k: pl.DataFrame, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Join one coverage check per family to the keys `k` (by `rkey`): `c_coverage[.i]` for a family
    consulted on every row, `p_coverage.i` (rows naming parties) and `n_coverage.i` (rows naming none)
    for a party family. Returns the frame and the new column names, in the families' order."""
    names: list[str] = []
    for i in frame["fi"].unique().sort().to_list():
        part = frame.filter(pl.col("fi") == i)
        step = "coverage" if i == 0 else f"coverage.{i}"
        what = pl.col("f_what")
        cols = {f"c_{step}": _check(what, pl.col("f_result"))}
        if bool(part["parties"].any()):
            cols = {
                f"p_{step}": _check(what, pl.col("f_result")),
                f"n_{step}": _check(what, pl.col("f_unasked")),
            }
        built = part.select("rkey", *[e.alias(n) for n, e in cols.items()])
        k = k.join(built, on="rkey", how="left")
        names += list(cols)
    return k, names


def _check(what: pl.Expr, result: pl.Expr) -> pl.Expr:
    """A coverage check struct {step, what, result} (the shape of engine.ear.checks.CHECK_DTYPE)."""
    return pl.struct(pl.lit("coverage", pl.Utf8).alias("step"), what.alias("what"), result.alias("result"))
