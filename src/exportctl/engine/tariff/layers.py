"""The regime's tariff effects as a table of layers, and their matching to lines by joins.

A layer reaches a line when the origin and destination fit and the line falls in its product scope:
HTS prefixes (`scope.hts`), the chapter 99 headings its footnotes name (`scope.hts_footnotes`), or every
line when neither is given. `scope.hts_exclude` takes lines out. A layer whose scope names products or
keywords cannot be decided from the tariff line alone: it is reported as possibly applicable
(an advisory), never added to the stack. `basis` says what the rate is charged on (`value`, or a metal
content such as `steel_content`: see `exportctl.engine.tariff.basis`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from exportctl.engine.common.memo import Lru
from exportctl.engine.protocols import ActiveLike, RegimeLike
from exportctl.engine.tariff.hts import digits
from exportctl.registry.schema import Effect, Measure

KINDS = ("tariff", "tariff_exclusion", "de_minimis")
_STR_LIST = pl.List(pl.Utf8)
LAYER_SCHEMA: dict[str, Any] = {
    "layer": pl.Int64,
    "ref": pl.Utf8,
    "measure": pl.Utf8,
    "kind": pl.Utf8,
    "program": pl.Utf8,
    "heading": pl.Utf8,
    "rate_pct": pl.Float64,
    "floor_pct": pl.Float64,
    "stacking": pl.Utf8,
    "priority": pl.Int64,
    "basis": pl.Utf8,
    "excludes": _STR_LIST,
    "origins": _STR_LIST,
    "destinations": _STR_LIST,
    "claims": _STR_LIST,
    "hts": _STR_LIST,
    "hts_exclude": _STR_LIST,
    "footnotes": _STR_LIST,
    "advisory": pl.Boolean,
    "with_programs": _STR_LIST,
    "description": pl.Utf8,
    "note": pl.Utf8,
    "citation": pl.Utf8,
    "instrument": pl.Utf8,
    "changed_by": pl.Utf8,
    "provenance": _STR_LIST,
}


def _shaper(active: ActiveLike, measures: dict[str, Measure]) -> Measure:
    """The measure whose act gave the layer its current form (the last amendment), else its own."""
    for ref in reversed(active.provenance):
        found = measures.get(ref.split("#", 1)[0])
        if found is not None:
            return found
    return active.measure


def _cite(measure: Measure, heading: str | None) -> str:
    parts = [c.short() for c in measure.citations[:2]]
    if heading:
        parts.append(f"HTSUS {heading}")
    return "; ".join(dict.fromkeys(parts))


_LAYERS: Lru[pl.DataFrame] = Lru(64)


def layers_frame(regime: RegimeLike) -> pl.DataFrame:
    """One row per active tariff, tariff-exclusion and de minimis effect of the regime (kept per
    process under the regime's content id: registry content, as_of, known_on, scenario)."""
    rid = getattr(regime, "id", None)
    if isinstance(rid, str) and rid:
        return _LAYERS.get_or_build(rid, lambda: _regime_layers(regime))
    return _regime_layers(regime)


def _regime_layers(regime: RegimeLike) -> pl.DataFrame:
    return layers_of([a for kind in KINDS for a in regime.effects(kind=kind)], regime.measures)


def layers_of(actives: Sequence[ActiveLike], measures: dict[str, Measure]) -> pl.DataFrame:
    """One row per effect of `actives`, numbered (`layer`) in their order (KINDS, then measure#effect)."""
    rows: list[dict[str, Any]] = []
    for active in actives:
        e: Effect = active.effect
        s = e.scope
        shaper = _shaper(active, measures)
        rows.append(
            {
                "layer": len(rows),
                "ref": f"{active.measure.id}#{e.id}",
                "measure": active.measure.id,
                "kind": e.kind,
                "program": e.program,
                "heading": e.heading,
                "rate_pct": e.rate_pct,
                "floor_pct": e.floor_pct,
                "stacking": e.stacking,
                "priority": e.priority,
                "basis": e.basis,
                "excludes": list(e.excludes_programs),
                "origins": [o.upper() for o in s.origins],
                "destinations": [d.upper() for d in s.destinations],
                "claims": [p.upper() for p in s.special_programs],
                "hts": [digits(h) for h in s.hts],
                "hts_exclude": [digits(h) for h in s.hts_exclude],
                "footnotes": list(s.hts_footnotes),
                "advisory": bool(s.products or s.keywords or e.advisory_with_programs),
                "with_programs": list(e.advisory_with_programs),
                "description": e.description,
                "note": s.note,
                "citation": _cite(shaper, e.heading),
                "instrument": shaper.title,
                "changed_by": shaper.id,
                "provenance": list(active.provenance),
            }
        )
    return pl.DataFrame(rows, schema=LAYER_SCHEMA)


def _prefixes(lines: pl.DataFrame) -> pl.DataFrame:
    """(line_id, p) for every prefix of the line's code of 2, 4, 6, 8 and 10 digits."""
    return (
        lines.select(
            "line_id",
            pl.concat_list([pl.col("key").str.slice(0, n) for n in (2, 4, 6, 8, 10)]).alias("p"),
        )
        .explode("p")
        .unique()
    )


def match(lines: pl.DataFrame, layers: pl.DataFrame) -> pl.DataFrame:
    """(line_id, layer) pairs: each layer reaching each line (line_id, key, origin, destination, ch99,
    and optionally claimed: the special program the line is entered under, where listed for it)."""
    if "claimed" not in lines.columns:
        lines = lines.with_columns(pl.lit(None, dtype=pl.Utf8).alias("claimed"))
    geo = (
        lines.select("line_id", "origin", "destination", "claimed")
        .join(layers.select("layer", "origins", "destinations", "claims"), how="cross")
        .filter(
            (
                (pl.col("claims").list.len() == 0)
                | pl.col("claims").list.contains(pl.col("claimed")).fill_null(False)
            )
            & ((pl.col("origins").list.len() == 0) | pl.col("origins").list.contains(pl.col("origin")))
            & (
                (pl.col("destinations").list.len() == 0)
                | pl.col("destinations").list.contains(pl.col("destination"))
            )
        )
        .select("line_id", "layer")
    )
    prefixes = _prefixes(lines)
    everywhere = layers.filter((pl.col("hts").list.len() == 0) & (pl.col("footnotes").list.len() == 0))
    by_all = geo.join(everywhere.select("layer"), on="layer", how="semi")
    by_hts = prefixes.join(
        layers.select("layer", pl.col("hts").alias("p")).explode("p").drop_nulls(), on="p"
    ).select("line_id", "layer")
    by_note = (
        lines.select("line_id", pl.col("ch99").alias("f"))
        .explode("f")
        .drop_nulls()
        .join(layers.select("layer", pl.col("footnotes").alias("f")).explode("f").drop_nulls(), on="f")
        .select("line_id", "layer")
    )
    excluded = prefixes.join(
        layers.select("layer", pl.col("hts_exclude").alias("p")).explode("p").drop_nulls(), on="p"
    ).select("line_id", "layer")
    scoped = pl.concat([by_hts, by_note]).unique().join(geo, on=["line_id", "layer"], how="semi")
    return (
        pl.concat([by_all, scoped])
        .unique()
        .join(excluded, on=["line_id", "layer"], how="anti")
        .sort("line_id", "layer")
    )


def shown_advisories(adv: pl.DataFrame, charged: pl.DataFrame) -> pl.DataFrame:
    """The advisory layers of each line (line_id, layer, with_programs ...) that hold there: one that names
    `with_programs` only where the line is charged one of them (`charged`: line_id, program)."""
    conditional = adv.filter(pl.col("with_programs").list.len() > 0)
    held = (
        conditional.select("line_id", "layer", pl.col("with_programs").alias("program"))
        .explode("program")
        .join(charged.select("line_id", "program").unique(), on=["line_id", "program"], how="semi")
        .select("line_id", "layer")
        .unique()
    )
    return pl.concat(
        [adv.filter(pl.col("with_programs").list.len() == 0), conditional.join(held, on=["line_id", "layer"])]
    )
