"""The duty stack of each line: the MFN base and every additional layer in force, in one columnar pass.

`tariff(regime, dataset, lines)` takes a table of questions (one regime date) and returns one row per
line. Which layers stack and which exclude each other is read from the measures (`stacking`,
`priority`, `excludes_programs`, `tariff_exclusion` effects), never decided here:
  - a layer or exclusion that names `excludes_programs` removes those programs' layers from the line;
  - within one program, when a layer says `stacking: replaces`, only the highest `priority` stays
    (China's 9903.01.63 rate replaces the 10% baseline; a four-year-review 301 rate replaces the list rate);
  - a `column_2` layer switches the base rate to column 2 (Cuba, North Korea; Russia, Belarus from 2022);
  - each layer is charged on its `basis`: the value, or a metal content given with the line (a content
    basis turns the programs it excludes off on its share only): `exportctl.engine.tariff.basis`.
Each component carries `rate_pct` (the rate), `basis`, `basis_share` and `applied_pct` (rate x share,
what the total adds up).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from exportctl.engine.protocols import DatasetLike, RegimeLike
from exportctl.engine.tariff import basis as base
from exportctl.engine.tariff.floor import ADVISORY_FIELDS, apply_floors
from exportctl.engine.tariff.history import TARIFF_JURISDICTIONS
from exportctl.engine.tariff.hts import dotted_expr, rate_lines, resolve_codes
from exportctl.engine.tariff.layers import layers_frame, match, shown_advisories
from exportctl.engine.tariff.rates import RATE_SCHEMA, normalize_unit, parse_rates, special_rates

COLUMN_2 = "column_2"
_CACHE: dict[str, pl.DataFrame] = {}  # rate lines per data version (read-only frames)
_COMPONENT_FIELDS = (
    "program",
    "heading",
    "rate_pct",
    "basis",
    "basis_share",
    "applied_pct",
    "measure",
    "effect",
    "citation",
    "instrument",
    "changed_by",
)


def hts_lines(dataset: DatasetLike) -> pl.DataFrame:
    """The rate lines of the dataset's `hts` table, prepared once per data version."""
    key = str(dataset.version)
    found = _CACHE.get(key)
    if found is None:
        found = rate_lines(dataset.table("hts"))
        if len(_CACHE) > 4:
            _CACHE.clear()
        _CACHE[key] = found
    return found


def _prepare(lines: pl.DataFrame) -> pl.DataFrame:
    cols = lines.columns
    out = lines
    if "line_id" not in cols:
        out = out.with_row_index("line_id")
    defaults: dict[str, Any] = {
        "destination": "US",
        "value": None,
        "quantity": None,
        "unit": None,
        "special_program": None,
        **dict.fromkeys(base.CONTENT_BASES),
    }
    numeric = ("value", "quantity", *base.CONTENT_BASES)
    for name, default in defaults.items():
        if name not in cols:
            dtype = pl.Float64 if name in numeric else pl.Utf8
            out = out.with_columns(pl.lit(default, dtype=dtype).alias(name))
    return out.with_columns(
        pl.col("line_id").cast(pl.Int64),
        pl.col("hts").cast(pl.Utf8).str.replace_all(r"[.\s\-]", "").alias("code"),
        pl.col("origin").cast(pl.Utf8).str.to_uppercase(),
        pl.col("destination").cast(pl.Utf8).fill_null("US").str.to_uppercase(),
        pl.col("value").cast(pl.Float64),
        pl.col("quantity").cast(pl.Float64),
        *[pl.col(b).cast(pl.Float64) for b in base.CONTENT_BASES],
        pl.col("unit").cast(pl.Utf8),
        pl.col("special_program").cast(pl.Utf8).str.strip_chars().str.to_uppercase(),
    )


def _resolve(rl: pl.DataFrame, q: pl.DataFrame) -> pl.DataFrame:
    """Add status, key (the line the layers match on), suggestions, ch99 and the HTS texts."""
    us = q.filter(pl.col("destination") == "US")
    other = q.filter(pl.col("destination") != "US")
    res = resolve_codes(rl, us["code"]).rename({"hts": "key"})
    us = us.join(res, on="code", how="left")
    us = us.join(
        rl.select(
            pl.col("hts").alias("key"),
            "description",
            "general",
            "special",
            "other",
            pl.col("chapter99_effective").alias("ch99"),
        ),
        on="key",
        how="left",
    )
    # Another destination's tariff lines (China's 8-digit codes) are not in the US schedule: the code
    # is checked at the shared HS 6-digit level and its MFN rate is unknown (not in the data).
    hs6 = rl.select(pl.col("hts").str.slice(0, 6).alias("_hs6")).unique()
    other = (
        other.with_columns(pl.col("code").str.slice(0, 6).alias("_hs6"))
        .join(hs6.with_columns(pl.lit(True).alias("_known")), on="_hs6", how="left")
        .with_columns(
            pl.when(pl.col("_known")).then(pl.lit("ok")).otherwise(pl.lit("unknown_hts")).alias("status"),
            pl.when(pl.col("_known")).then(pl.col("code")).otherwise(None).alias("key"),
            pl.lit([], dtype=pl.List(pl.Utf8)).alias("suggestions"),
            pl.lit(None, dtype=pl.Utf8).alias("description"),
            pl.lit(None, dtype=pl.Utf8).alias("general"),
            pl.lit(None, dtype=pl.Utf8).alias("special"),
            pl.lit(None, dtype=pl.Utf8).alias("other"),
            pl.lit([], dtype=pl.List(pl.Utf8)).alias("ch99"),
        )
        .drop("_hs6", "_known")
    )
    return pl.concat([us.select(other.columns), other], how="vertical_relaxed")


def out_special(q: pl.DataFrame) -> pl.Series:
    """The special-rate texts of the lines that ask for a program (only those are parsed)."""
    return q.filter(pl.col("special_program").is_not_null())["special"]


def _components(
    pairs: pl.DataFrame, layers: pl.DataFrame, share: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The applied components and the excluded ones (with what excluded them), per line."""
    hit = pairs.join(layers, on="layer")
    duties = hit.filter(
        (pl.col("kind") == "tariff")
        & ~pl.col("advisory")
        & (pl.col("program") != COLUMN_2)
        & (pl.col("rate_pct").is_not_null() | pl.col("floor_pct").is_not_null())
    )
    excluders = (
        hit.filter(~pl.col("advisory") & (pl.col("excludes").list.len() > 0))
        .select(
            "line_id",
            pl.col("excludes").alias("program"),
            pl.col("ref").alias("excluded_by"),
            pl.col("basis").alias("xbasis"),
        )
        .explode("program")
    )
    kept, excluded = base.split_exclusions(duties, excluders, share)
    excluded = excluded.unique(["line_id", "layer"])
    kept = kept.with_columns(
        (pl.col("stacking") == "replaces").any().over("line_id", "program").alias("_replaces"),
        pl.col("priority").max().over("line_id", "program").alias("_top"),
    )
    replaced = kept.filter(pl.col("_replaces") & (pl.col("priority") < pl.col("_top")))
    kept = kept.filter(~pl.col("_replaces") | (pl.col("priority") == pl.col("_top")))
    replaced = replaced.with_columns(pl.lit("replaced").alias("excluded_by")).select(excluded.columns)
    gone = pl.concat([excluded, replaced], how="vertical_relaxed")
    kept = kept.with_columns((pl.col("rate_pct") * pl.col("basis_share")).alias("applied_pct"))
    return kept.drop("_replaces", "_top").sort("line_id", "program", "heading"), gone


def _struct(frame: pl.DataFrame, fields: list[str], name: str) -> pl.DataFrame:
    return frame.group_by("line_id").agg(pl.struct(fields).alias(name))


def tariff(
    regime: RegimeLike,
    dataset: DatasetLike,
    lines: pl.DataFrame,
    layers: pl.DataFrame | None = None,
    allowed: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Duty stacks for `lines` on the regime's date.

    Columns: hts, origin, and optionally destination (default US), value, quantity, unit,
    special_program (a special-rate program code such as 'AU': applied only when asked and listed) and
    steel_content, aluminum_content, copper_content (dollar values of the metal content).

    `layers` (layers.layers_of) replaces the regime's own layers and `allowed` (line_id, layer) says which
    of them each line may meet: a line then answers as on the day whose layers it is allowed (several
    days of one line in one pass; the regime gives only the id, coverage and measures).
    """
    q = _prepare(lines)
    rl = hts_lines(dataset)
    q = _resolve(rl, q)
    layers = layers_frame(regime) if layers is None else layers
    sp = special_rates(out_special(q))
    # the special program a line is entered under, where it is listed for the line (USMCA 'S' ...)
    ok = q.filter(pl.col("status") == "ok").join(
        sp.select("special_text", "program", pl.col("special_rate").is_not_null().alias("_listed")),
        left_on=["special", "special_program"],
        right_on=["special_text", "program"],
        how="left",
    )
    ok = ok.with_columns(pl.when(pl.col("_listed")).then(pl.col("special_program")).alias("claimed"))
    pairs = match(ok.select("line_id", "key", "origin", "destination", "ch99", "claimed"), layers)
    if allowed is not None:
        pairs = pairs.join(allowed, on=["line_id", "layer"], how="semi")
    hit = pairs.join(layers, on="layer")

    col2 = (
        hit.filter(pl.col("program") == COLUMN_2)
        .select("line_id")
        .unique()
        .with_columns(pl.lit(True).alias("_col2"))
    )
    out = (
        q.join(col2, on="line_id", how="left")
        .with_columns(pl.col("_col2").fill_null(False))
        .with_columns(
            pl.when(pl.col("destination") != "US")
            .then(pl.lit(None, dtype=pl.Utf8))
            .when(pl.col("_col2"))
            .then(pl.lit("column_2"))
            .otherwise(pl.lit("general"))
            .alias("base_column"),
        )
        .join(
            sp,
            left_on=["special", "special_program"],
            right_on=["special_text", "program"],
            how="left",
        )
        .with_columns(
            pl.when((pl.col("base_column") == "general") & pl.col("special_rate").is_not_null())
            .then(pl.lit("special"))
            .otherwise(pl.col("base_column"))
            .alias("base_column")
        )
        .with_columns(
            pl.when(pl.col("base_column") == "special")
            .then(pl.col("special_rate"))
            .when(pl.col("base_column") == "column_2")
            .then(pl.col("other"))
            .when(pl.col("base_column") == "general")
            .then(pl.col("general"))
            .otherwise(None)
            .alias("mfn_text")
        )
    )
    rates = parse_rates(out["mfn_text"]) if out.height else pl.DataFrame(schema=RATE_SCHEMA)
    kept, gone = _components(pairs, layers, base.shares(ok))
    comp = kept.with_columns(pl.col("ref").alias("effect"))
    mfn_base = out.join(rates, left_on="mfn_text", right_on="rate_text", how="left")
    comp, floor_notes, floor_adv = apply_floors(
        comp, mfn_base.select("line_id", "base_column", "mfn_text", "rate_kind", "rate_ad_valorem_pct")
    )
    # a floor layer's rate is only known now: its applied rate follows
    comp = comp.with_columns((pl.col("rate_pct") * pl.col("basis_share")).alias("applied_pct"))
    comp_l = _struct(comp, list(_COMPONENT_FIELDS), "components")
    totals = comp.group_by("line_id").agg(pl.col("applied_pct").sum().alias("total_additional_pct"))
    gone_l = _struct(gone, ["program", "heading", "rate_pct", "ref", "excluded_by"], "excluded")
    adv = shown_advisories(hit.filter(pl.col("advisory")), comp).with_columns(
        pl.col("ref").alias("measure_effect")
    )
    adv = pl.concat([adv.select("line_id", *ADVISORY_FIELDS), floor_adv], how="vertical_relaxed")
    adv_l = _struct(adv, ADVISORY_FIELDS, "advisories")
    dmin = (
        hit.filter(pl.col("kind") == "de_minimis")
        .group_by("line_id")
        .agg(pl.col("description").alias("_dmin"))
    )

    out = (
        out.join(rates, left_on="mfn_text", right_on="rate_text", how="left")
        .join(comp_l, on="line_id", how="left")
        .join(totals, on="line_id", how="left")
        .join(gone_l, on="line_id", how="left")
        .join(adv_l, on="line_id", how="left")
        .join(dmin, on="line_id", how="left")
        .join(floor_notes, on="line_id", how="left")
        .join(base.notes(comp), on="line_id", how="left")
    )
    return _finish(out, regime)


def late_destinations(regime: RegimeLike, destinations: list[str]) -> list[str]:
    """The destinations whose duty stack holds on the regime's date: a family of the tariff jurisdiction
    whose measures name the destination (US-TARIFF when none does) is past its researched_through.
    A partial stack would be wrong, so one family past its day holds the whole stack."""
    late_of = getattr(regime, "uncovered_families", None)
    if late_of is None:
        return []
    out = []
    for dest in destinations:
        named = {
            m.jurisdiction
            for m in regime.measures.values()
            if m.jurisdiction in TARIFF_JURISDICTIONS
            and any(dest in (d.upper() for d in e.scope.destinations) for e in m.effects)
        }
        if any(late_of(j) for j in named or {"US-TARIFF"}):
            out.append(dest)
    return out


def _finish(out: pl.DataFrame, regime: RegimeLike) -> pl.DataFrame:
    """Totals, duty amounts and notes; `hold` rows when the regime date is before the registry's start
    or after a family of the line's tariff jurisdiction is researched through."""
    empty_s = pl.lit([], dtype=pl.List(pl.Utf8))
    spec = pl.col("rate_specific").fill_null(pl.lit([], dtype=RATE_SCHEMA["rate_specific"]))
    unit = pl.col("unit").map_elements(normalize_unit, return_dtype=pl.Utf8)
    lists = [c for c in ("components", "excluded", "advisories", "suggestions") if c in out.columns]
    out = out.with_columns(pl.col(c).fill_null(pl.lit([], dtype=out.schema[c])) for c in lists)
    out = out.with_columns(
        pl.col("total_additional_pct").fill_null(0.0),
        pl.col("rate_kind")
        .is_in(["free", "ad_valorem", "specific", "compound"])
        .fill_null(False)
        .alias("mfn_known"),
        spec.alias("mfn_specific"),
        unit.alias("_unit"),
    ).with_columns(
        (pl.col("rate_ad_valorem_pct").fill_null(0.0) + pl.col("total_additional_pct")).alias(
            "total_ad_valorem_pct"
        ),
        pl.col("mfn_specific").list.eval(pl.element().struct.field("usd")).alias("_usd"),
        pl.col("mfn_specific").list.eval(pl.element().struct.field("unit")).alias("_units"),
    )
    # Specific duty: every specific part must be in the unit given with the quantity.
    out = out.with_columns(
        pl.when(pl.col("mfn_specific").list.len() == 0)
        .then(pl.lit(0.0))
        .when(
            pl.col("quantity").is_not_null()
            & pl.col("_units").list.set_difference(pl.concat_list(pl.col("_unit"))).list.len().eq(0)
        )
        .then(pl.col("_usd").list.sum() * pl.col("quantity"))
        .otherwise(None)
        .alias("duty_specific_usd")
    ).with_columns(
        pl.when(pl.col("value").is_null() | ~pl.col("mfn_known") | (pl.col("status") != "ok"))
        .then(None)
        .otherwise(pl.col("value") * pl.col("total_ad_valorem_pct") / 100 + pl.col("duty_specific_usd"))
        .round(2)
        .alias("duty_amount"),
        pl.when(
            pl.col("value").is_not_null() & (pl.col("value") > 0) & pl.col("duty_specific_usd").is_not_null()
        )
        .then(pl.col("total_ad_valorem_pct") + pl.col("duty_specific_usd") / pl.col("value") * 100)
        .otherwise(None)
        .round(4)
        .alias("total_ave_pct"),
    )
    notes = pl.concat_list(
        pl.when(pl.col("destination") != "US")
        .then(
            pl.lit(
                [
                    "the importing country's MFN rates are not in the data: "
                    "total_ad_valorem_pct counts the additional duties only"
                ]
            )
        )
        .otherwise(empty_s),
        pl.when((pl.col("destination") == "US") & ~pl.col("mfn_known") & (pl.col("status") == "ok"))
        .then(
            pl.concat_list(
                pl.lit("MFN rate not computable, kept as text: ") + pl.col("mfn_text").fill_null("")
            )
        )
        .otherwise(empty_s),
        pl.when((pl.col("mfn_specific").list.len() > 0) & pl.col("duty_specific_usd").is_null())
        .then(
            pl.lit(
                ["the MFN rate has a specific part: give --quantity in its unit to compute the duty amount"]
            )
        )
        .otherwise(empty_s),
        pl.when(pl.col("value").is_null() | (pl.col("value") <= 800))  # 19 U.S.C. 1321 de minimis: $800
        .then(pl.col("_dmin").fill_null(empty_s))
        .otherwise(empty_s),
        pl.col("_basis_notes").fill_null(empty_s),
    )
    asked = pl.col("special_program").is_not_null() & (pl.col("destination") == "US")
    notes = pl.concat_list(
        notes,
        pl.when(asked & (pl.col("base_column") == "special"))
        .then(
            pl.concat_list(pl.lit("special program ") + pl.col("program_as_listed") + pl.lit(" rate applied"))
        )
        .when(asked & (pl.col("base_column") == "general"))
        .then(
            pl.concat_list(
                pl.lit("special program ")
                + pl.col("special_program")
                + pl.lit(" is not listed for this line: the general rate applies")
            )
        )
        .otherwise(empty_s),
        pl.col("floor_notes").fill_null(empty_s),
    )
    covered = bool(regime.covered)
    late = late_destinations(regime, out["destination"].drop_nulls().unique().to_list())
    out = out.with_columns(
        notes.alias("notes"),
        pl.lit(regime.id).alias("regime"),
        pl.when(pl.col("status") != "ok")
        .then(pl.col("status"))
        .when(pl.lit(not covered) | pl.col("destination").is_in(late))
        .then(pl.lit("hold"))
        .otherwise(pl.lit("ok"))
        .alias("status"),
        dotted_expr("key").alias("hts_matched"),
        pl.col("rate_ad_valorem_pct").alias("mfn_ad_valorem_pct"),
        pl.col("rate_kind").alias("mfn_kind"),
    )
    return out.select(
        "line_id",
        "hts",
        "hts_matched",
        "description",
        "origin",
        "destination",
        "status",
        "suggestions",
        "base_column",
        "special",
        "special_program",
        "mfn_text",
        "mfn_kind",
        "mfn_ad_valorem_pct",
        "mfn_specific",
        "mfn_known",
        "components",
        "excluded",
        "advisories",
        "total_additional_pct",
        "total_ad_valorem_pct",
        "total_ave_pct",
        "value",
        "quantity",
        "unit",
        "duty_specific_usd",
        "duty_amount",
        "notes",
        "regime",
    ).sort("line_id")
