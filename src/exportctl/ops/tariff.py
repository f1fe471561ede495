"""Tariff calls for the fronts: one lookup, a batch file and a history's chart (plain dicts and tables).

The history itself is ops.tariff_history (all change dates of a line in one engine pass).

Each call composes the store (HTS table), the registry (the regime on a date) and the engine
(`exportctl.engine.tariff.tariff`). The batch groups its lines by date: one regime per distinct date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import polars as pl

from exportctl.engine.protocols import DatasetLike
from exportctl.engine.tariff import history as hist
from exportctl.engine.tariff.hts import digits, valid_shape
from exportctl.engine.tariff.prepared import tariff_one
from exportctl.engine.tariff.stack import tariff
from exportctl.errors import CoverageError, InputError
from exportctl.model.countries import resolve_country
from exportctl.model.dates import parse_date
from exportctl.ops.amounts import count, dollars
from exportctl.ops.answers import TariffAnswer
from exportctl.ops.gate import forced_warning, warn_forced
from exportctl.ops.registry import DateArg, ScenarioArg, registry, scenario_of
from exportctl.ops.tariff_amounts import CONTENTS, add_amounts, batch_fees, check_mode, line_amounts
from exportctl.registry import compile_regime
from exportctl.registry.compile import REFRESH_HINT, resolve_known_on
from exportctl.registry.loader import Registry
from exportctl.store import active_dataset

T = TypeVar("T")
NOT_LEGAL_ADVICE = "Not legal advice: check each component against the cited instrument."


def _kept(reg: Registry, name: str, arg: str, build: Callable[[], T]) -> T:
    """`build()` kept with the registry (its compile cache): what a lookup reads of every measure."""
    key = ("ops.tariff", name, arg)
    if key not in reg._cache:
        reg._cache[key] = build()
    return cast(T, reg._cache[key])


def coverage(reg: Registry, destination: str = "US") -> tuple[dt.date, dt.date | None]:
    """The dates a destination's tariff answers are given for, both inclusive: from the first additional
    duty layer to the earliest `researched_through` of the destination's tariff families (None: open)."""
    return _kept(reg, "coverage", destination, lambda: _coverage(reg, destination))


def _coverage(reg: Registry, destination: str) -> tuple[dt.date, dt.date | None]:
    starts = [
        e.effective
        for m in reg.measures.values()
        if m.jurisdiction in hist.TARIFF_JURISDICTIONS and m.status not in ("proposed", "threatened")
        for e in m.effects
        if e.kind == "tariff" and e.rate_pct is not None
    ]
    start = min(starts)
    if reg.coverage.start is not None:
        start = max(start, reg.coverage.start)
    families = reg.jurisdiction_families(tariff_jurisdiction(reg, destination))
    return start, families[0].researched_through if families else None


def tariff_jurisdiction(reg: Registry, destination: str) -> str:
    """The tariff jurisdiction whose stack applies to imports into `destination` (the one whose measures
    name it as destination; US-TARIFF when none does)."""
    return _kept(reg, "jurisdiction", destination, lambda: _jurisdiction(reg, destination))


def _jurisdiction(reg: Registry, destination: str) -> str:
    for jurisdiction in hist.TARIFF_JURISDICTIONS:
        if any(
            destination.upper() in (d.upper() for d in e.scope.destinations)
            for m in reg.measures.values()
            if m.jurisdiction == jurisdiction
            for e in m.effects
        ):
            return jurisdiction
    return "US-TARIFF"


def _check_date(reg: Registry, day: dt.date, destination: str = "US", field: str = "date") -> None:
    """Refuse a date before the tariff layers start, or after any family of the destination's stack is
    researched through (a partial stack would be wrong): CoverageError names the day and the families."""
    start, _ = coverage(reg, destination)
    if day < start:
        raise InputError(f"{day} is outside the tariff data's coverage (it starts {start})", field=field)
    jurisdiction = tariff_jurisdiction(reg, destination)
    late = [f for f in reg.jurisdiction_families(jurisdiction) if day > f.researched_through]
    if late:
        last = late[0].researched_through
        names = ", ".join(
            f"{f.jurisdiction} {f.family} (researched through {f.researched_through})" for f in late
        )
        raise CoverageError(
            f"{day} is after {last}, the last day the research of {names} is complete: the "
            f"{jurisdiction} duty stack is not known past it. {REFRESH_HINT}, or ask for a date up to "
            f"{last} (`--date {last}`).",
            field=field,
            family=f"{late[0].jurisdiction} {late[0].family}",
            last_day=last,
        )


def _country(text: str, field: str) -> str:
    return resolve_country(text, field=field).code


def _component(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "program": c["program"],
        "heading": c["heading"],
        "rate_pct": c["rate_pct"],
        # what rate_pct is charged on: `value`, a metal content (`steel_content` ...) or what a content
        # basis leaves (`non_metal_content`); basis_share of the customs value, applied_pct = rate x share
        "basis": c.get("basis") or "value",
        "basis_share": c.get("basis_share", 1.0),
        "applied_pct": c.get("applied_pct", c["rate_pct"]),
        "measure": c["measure"],
        "effect": c["effect"],
        "citation": c["citation"],
        "instrument": c["instrument"],
        "changed_by": c["changed_by"],
    }


def _excluded_key(layer: dict[str, Any]) -> tuple[str, str, str]:
    return (str(layer.get("program")), str(layer.get("heading")), str(layer.get("ref")))


def _answer(row: dict[str, Any], day: dt.date, known_on: dt.date | None, data_version: str) -> dict[str, Any]:
    """The contract object of one line (the shape `exportctl tariff --format json` prints)."""
    return {
        "hts": row["hts"],
        "hts_matched": row["hts_matched"],
        "description": row["description"],
        "origin": row["origin"],
        "destination": row["destination"],
        "date": day,
        "as_of": day,
        "known_on": known_on,
        "status": row["status"],
        "mfn": {
            "column": row["base_column"],
            "text": row["mfn_text"],
            "special_text": row["special"],
            "special_program": row["special_program"],
            "kind": row["mfn_kind"],
            "ad_valorem_pct": row["mfn_ad_valorem_pct"],
            "specific": row["mfn_specific"] or [],
            "included_in_total": bool(row["mfn_known"]),
        },
        "components": [_component(c) for c in row["components"] or []],
        "citations": list(dict.fromkeys(c["citation"] for c in row["components"] or [])),
        "excluded": sorted(row["excluded"] or [], key=_excluded_key),
        "advisories": row["advisories"] or [],
        "total_additional_pct": row["total_additional_pct"],
        "total_ad_valorem_pct": row["total_ad_valorem_pct"],
        "total_ave_pct": row["total_ave_pct"],
        "duty": {
            "value": row["value"],
            "quantity": row["quantity"],
            "unit": row["unit"],
            "specific_usd": row["duty_specific_usd"],
            "amount": row["duty_amount"],
        },
        "notes": row["notes"] or [],
        "regime": row["regime"],
        "data_version": data_version,
        "disclaimer": NOT_LEGAL_ADVICE,
    }


def lookup(
    hts: str,
    origin: str,
    date: DateArg,
    destination: str = "US",
    value: float | str | None = None,
    quantity: float | str | None = None,
    unit: str | None = None,
    known_on: DateArg = None,
    scenario: ScenarioArg = None,
    special_program: str | None = None,
    mode: str | None = None,
    steel_content: float | str | None = None,
    aluminum_content: float | str | None = None,
    copper_content: float | str | None = None,
    dataset: DatasetLike | None = None,
) -> TariffAnswer:
    """The duty stack (ops.answers.TariffAnswer) of one HTS line from `origin` on `date`; bad input raises
    InputError naming a field.

    `dataset`: the data version to read (default: the active one; the activation gate passes a candidate).

    With `value`: dollars per layer and the MPF/HMF fees (`mode` of transport for the HMF). Amounts may be
    given as a cell writes them ('12.000,50', '$1,500': ops.amounts, the larger reading where a cell reads
    two ways); one in another currency ('EUR 12') is refused naming its field, never priced as dollars.
    `steel_content`, `aluminum_content`, `copper_content`: dollar values of the metal content (what CBP
    asks the importer to declare); a Section 232 layer with that content basis is charged on content /
    value of the customs value. Without them the whole value is assumed (and the answer says so).
    """
    code = digits(hts)
    if not valid_shape(code):
        raise InputError(f"not an HTS code (4 to 10 digits): {hts!r}", field="hts")
    origin_code = _country(origin, "origin")
    dest_code = _country(destination, "destination")
    if date is None:
        raise InputError("give the entry date (--date YYYY-MM-DD)", field="date")
    day = parse_date(date, "date")
    # NaN, infinity and negative amounts are refused: they would poison every ad valorem amount
    value = None if value is None else dollars(value, "value")
    quantity = None if quantity is None else count(quantity, "quantity")
    mode = check_mode(mode)
    contents = _contents(value, steel_content, aluminum_content, copper_content)
    reg = registry()
    _check_destination(reg, dest_code)
    _check_date(reg, day, dest_code)
    line = {
        "hts": hts,
        "origin": origin_code,
        "destination": dest_code,
        "value": value,
        "quantity": quantity,
        "unit": unit,
        "special_program": special_program,
        **contents,
    }
    dataset = dataset if dataset is not None else active_dataset()
    regime = compile_regime(reg, day, known_on, scenario_of(scenario))
    # the prepared single-line path: the batch engine's row for this line (engine.tariff.prepared)
    row = tariff_one(regime, dataset, line)
    return line_answer(reg, row, hts, day, regime.known_on, dataset.version, mode)


def line_answer(
    reg: Registry,
    row: dict[str, Any],
    hts: str,
    day: dt.date,
    known_on: dt.date | None,
    version: str,
    mode: str | None = None,
) -> TariffAnswer:
    """The answer of one engine row (ops.answers.TariffAnswer); an unknown or ambiguous code raises."""
    if row["status"] == "unknown_hts":
        raise InputError(f"no such HTS code: {hts}", field="hts", suggestions=row["suggestions"] or [])
    if row["status"] == "ambiguous_hts":
        raise InputError(
            f"HTS code {hts} is ambiguous: the lines below it have different rates; give 8 or 10 digits",
            field="hts",
            suggestions=row["suggestions"] or [],
        )
    answer = cast(TariffAnswer, add_amounts(_answer(row, day, known_on, version), day, mode))
    warn_forced(cast(dict[str, Any], answer), version)
    origin_code = row["origin"]
    if origin_code not in origins_modelled(reg):
        answer["notes"].append(
            f"no measure of the registry names {origin_code} as origin: the stack holds the layers for "
            "every origin (such as the 10% reciprocal baseline, Section 232, Section 122), none of its own"
        )
    return answer


def _contents(value: float | None, *given: float | str | None) -> dict[str, float | None]:
    """The metal contents by basis name, checked: dollar amounts (ops.amounts), with a value, not above it."""
    out = {f: None if g is None else dollars(g, f) for f, g in zip(CONTENTS, given, strict=True)}
    for field, amount in out.items():
        if amount is None:
            continue
        flag = "--" + field.replace("_", "-")
        if value is None:
            raise InputError(
                f"{flag} is the dollar value of the content: give the customs value too (--value), "
                "the duty is charged on content / value of it",
                field=field,
            )
        if amount > value:
            raise InputError(f"{flag} ({amount:g}) is more than the customs value ({value:g})", field=field)
    return out


def destinations_modelled(reg: Registry) -> set[str]:
    """The importing countries whose tariffs the registry holds (US, CN)."""
    return set(_kept(reg, "destinations", "", lambda: frozenset(_destinations(reg))))


def _destinations(reg: Registry) -> set[str]:
    return {
        d.upper()
        for m in reg.measures.values()
        if m.jurisdiction in hist.TARIFF_JURISDICTIONS
        for e in m.effects
        for d in e.scope.destinations
    }


def _check_destination(reg: Registry, dest: str) -> None:
    known = sorted(destinations_modelled(reg))
    if dest not in known:
        raise InputError(
            f"no tariffs of {dest} are in the registry: destination must be one of {', '.join(known)}",
            field="destination",
            suggestions=known,
        )


def origins_modelled(reg: Registry) -> set[str]:
    """The origins some tariff measure of the registry names."""
    return set(_kept(reg, "origins", "", lambda: frozenset(_origins(reg))))


def _origins(reg: Registry) -> set[str]:
    return {
        o.upper()
        for m in reg.measures.values()
        if m.jurisdiction in hist.TARIFF_JURISDICTIONS
        for e in m.effects
        for o in e.scope.origins
    }


def run_batch(lines: pl.DataFrame, known_on: DateArg = None, scenario: ScenarioArg = None) -> pl.DataFrame:
    """Duty stacks for lines: hts, origin, date [, destination, value, quantity, unit, special_program,
    steel_content, aluminum_content, copper_content (dollar values of the metal content, with a value),
    mode, entry] (mode and entry give the fee columns mpf_usd, hmf_usd: ops.tariff_amounts.batch_fees).

    Amounts are read as cells write them ('12.000,50', '$1,500': ops.amounts.read_cells). Rows that cannot
    be answered keep a `status` (unknown_hts, ambiguous_hts, invalid_hts, invalid_origin,
    invalid_destination, invalid_date, invalid_value, value_not_usd (a value in another currency, in its
    cell or the row's `currency`), invalid_quantity, invalid_metal_content, metal_content_not_usd,
    out_of_coverage) instead of failing the batch. On a data version forced active (`data import --force
    --reason`), every row carries the warning single answers carry, in a `warnings` list column.
    """
    for col in ("hts", "origin", "date"):
        if col not in lines.columns:
            raise InputError(f"the input lacks a {col!r} column", field=col)
    reg = registry()
    scen = scenario_of(scenario)
    df = lines.with_row_index("line_id") if "line_id" not in lines.columns else lines
    # dates typed by Parquet/JSON readers (Date, Datetime) are days already; text must be YYYY-MM-DD
    typed = df.schema["date"] in (pl.Date, pl.Datetime) or isinstance(df.schema["date"], pl.Datetime)
    day = (
        pl.col("date").cast(pl.Date)
        if typed
        else pl.col("date").cast(pl.Utf8).str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
    )
    df = df.with_columns(day.alias("_day"))
    origins = {o: _safe_country(o) for o in df["origin"].cast(pl.Utf8).unique().to_list()}
    df = df.with_columns(
        pl.col("origin").cast(pl.Utf8).replace_strict(origins, default=None).alias("_origin")
    )
    if "destination" in df.columns:
        allowed = destinations_modelled(reg)
        df = df.with_columns(pl.col("destination").cast(pl.Utf8).fill_null("US"))
        dests = {d: _safe_country(d or "US") for d in df["destination"].unique().to_list()}
        dests = {k: (v if v in allowed else None) for k, v in dests.items()}
        df = df.with_columns(pl.col("destination").replace_strict(dests, default=None).alias("_dest"))
    else:
        df = df.with_columns(pl.lit("US").alias("_dest"))
    numeric = ("value", "quantity", *CONTENTS)
    df = line_amounts(df)
    # each destination's stack answers up to the earliest researched_through of its own families
    # (US-TARIFF, CN-TARIFF independent); later lines are kept with status out_of_coverage
    spans = {d: coverage(reg, d) for d in df["_dest"].drop_nulls().unique().to_list()}
    first = pl.col("_dest").replace_strict(
        {d: s for d, (s, _) in spans.items()}, default=None, return_dtype=pl.Date
    )
    last = pl.col("_dest").replace_strict(
        {d: e or dt.date.max for d, (_, e) in spans.items()}, default=None, return_dtype=pl.Date
    )
    in_cov = (pl.col("_day") >= first) & (pl.col("_day") <= last)
    good = df.filter(
        pl.col("_day").is_not_null()
        & pl.col("_origin").is_not_null()
        & pl.col("_dest").is_not_null()
        & pl.all_horizontal([pl.col(f"_{c}_bad").is_null() for c in numeric])
        & in_cov
    )
    dataset = active_dataset()
    known = resolve_known_on(reg, known_on)
    parts = []
    for (day,), group in good.group_by(["_day"], maintain_order=True):
        regime = compile_regime(reg, day, known, scen)
        q = group.select(
            "line_id",
            "hts",
            pl.col("_origin").alias("origin"),
            pl.col("_dest").alias("destination"),
            pl.col("_value").alias("value"),
            pl.col("_quantity").alias("quantity"),
            *[pl.col(f"_{c}").alias(c) for c in CONTENTS],
            *[c for c in ("unit", "special_program") if c in group.columns],
        )
        parts.append(tariff(regime, dataset, q).with_columns(pl.lit(day).alias("date")))
    answered = pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame()
    bad = (
        df.join(good.select("line_id"), on="line_id", how="anti")
        .with_columns(
            pl.when(pl.col("_day").is_null())
            .then(pl.lit("invalid_date"))
            .when(pl.col("_origin").is_null())
            .then(pl.lit("invalid_origin"))
            .when(pl.col("_dest").is_null())
            .then(pl.lit("invalid_destination"))
            .when(pl.col("_value_bad") == "not_usd")
            .then(pl.lit("value_not_usd"))
            .when(pl.col("_value_bad").is_not_null())
            .then(pl.lit("invalid_value"))
            .when(pl.col("_quantity_bad").is_not_null())
            .then(pl.lit("invalid_quantity"))
            .when(pl.any_horizontal([pl.col(f"_{c}_bad") == "not_usd" for c in CONTENTS]))
            .then(pl.lit("metal_content_not_usd"))
            .when(pl.any_horizontal([pl.col(f"_{c}_bad").is_not_null() for c in CONTENTS]))
            .then(pl.lit("invalid_metal_content"))
            .otherwise(pl.lit("out_of_coverage"))
            .alias("status"),
            pl.col("_day").alias("date"),
        )
        .select("line_id", "hts", "origin", "date", "status")
    )
    out = pl.concat([answered, bad], how="diagonal_relaxed") if answered.height else bad
    out = batch_fees(out, df)  # mpf_usd, hmf_usd per line (optional `mode` and `entry` columns)
    out = out.with_columns(pl.lit(dataset.version).alias("data_version")).sort("line_id")
    return forced_rows(out, dataset.version)


def forced_rows(out: pl.DataFrame, version: str) -> pl.DataFrame:
    """On a data version forced active, every row carries its warning in `warnings` (as single answers do)."""
    warning = forced_warning(version)
    if warning is None:
        return out
    mine = pl.lit([warning], dtype=pl.List(pl.String))
    if "warnings" in out.columns:
        return out.with_columns(pl.concat_list(pl.col("warnings").fill_null([]), mine).alias("warnings"))
    return out.with_columns(mine.alias("warnings"))


def _safe_country(text: str | None) -> str | None:
    try:
        return _country(text or "", "origin")
    except InputError:
        return None


def plot(history_obj: dict[str, Any], path: str | Path) -> Path:
    """Write the chart of a history to .png or .svg."""
    from exportctl.engine.tariff.plot import plot_history  # matplotlib: only when a chart is drawn

    return plot_history(history_obj, path)
