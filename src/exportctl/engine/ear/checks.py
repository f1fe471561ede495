"""What an answer checked: one {step, what, result} per check, on every verdict (no clearance unexplained).

Built as columns, never per row: the checks of a key (item, destination, date) once per key, the party
checks once per distinct (parties given, screening outcome), and the list of checks once per distinct
combination of those, joined back to the rows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import polars as pl

from exportctl.engine.coverage import assemble_steps
from exportctl.engine.coverage import check_columns as coverage_checks
from exportctl.engine.ear.grouping import LIST_NAMES
from exportctl.engine.ear.reasons import lit

CHECK_FIELDS: dict[str, Any] = {
    "step": pl.Utf8,  # coverage | country_chart | embargo | denied_persons | party_lists | end_use | ...
    "what": pl.Utf8,  # what was consulted: columns, lists (with data version), rules, measures
    "result": pl.Utf8,  # what it gave: 'license required (RS2)', 'no listed party found' ...
}
CHECK_DTYPE = pl.Struct(CHECK_FIELDS)
SEVERITY = {"prohibited": 4, "hold": 3, "license_required": 2, "info": 1}

__all__ = [
    "CHECK_DTYPE",
    "CHECK_FIELDS",
    "LIST_NAMES",
    "US_ORDER",
    "CheckInputs",
    "assemble",
    "check",
    "exception_checks",
    "key_checks",
    "lists_description",
    "party_facts",
    "reason_summary",
]


US_ORDER = (
    "coverage",
    "denied_persons",
    "embargo",
    "country_chart",
    "party_lists",
    "end_use",
    "measures",
    "license_exceptions",
)  # fmt: skip  (Supp. 1 to Part 732: GP4 parties, GP6 embargo, GP1 chart, GP5 parties and end uses)


class CheckInputs(NamedTuple):
    """What `assemble` needs beside the rows: the key checks, the party facts, the lists' description."""

    kchecks: pl.DataFrame
    pfacts: pl.DataFrame
    lists_what: str
    dpl_what: str | None
    order: tuple[str, ...] = US_ORDER


def check(step: str, what: pl.Expr, result: pl.Expr) -> pl.Expr:
    """One CHECK_DTYPE struct."""
    return pl.struct(
        lit(step).alias("step"), what.cast(pl.Utf8).alias("what"), result.cast(pl.Utf8).alias("result")
    )


def _plural(n: pl.Expr, one: str, many: str) -> pl.Expr:
    return pl.concat_str([n.cast(pl.Utf8), pl.when(n == 1).then(lit(one)).otherwise(lit(many))])


def _by(frame: pl.DataFrame, on: list[str], **exprs: pl.Expr) -> pl.DataFrame:
    """Add columns computed once per distinct `on` (texts shared by many keys are built once)."""
    distinct = frame.select(on).unique().with_columns(**exprs)
    return frame.join(distinct, on=on, how="left", nulls_equal=True)


def reason_summary(frame: pl.DataFrame, key: str, category: pl.Expr, label: pl.Expr) -> pl.DataFrame:
    """(key, category, summary) from (key, reason): the gravest effect and the labels carrying it,
    e.g. 'license required (NS2, RS2)'; information alone reads 'information only (EL)'."""
    if frame.height == 0 or "reason" not in frame.columns:
        return pl.DataFrame(schema={key: pl.Int64, "cat": pl.Utf8, "summary": pl.Utf8})
    eff = pl.col("reason").struct.field("effect")
    r = frame.select(
        key,
        category.alias("cat"),
        eff.alias("eff"),
        eff.replace_strict(SEVERITY, default=0, return_dtype=pl.Int64).alias("sev"),
        label.alias("label"),
    ).filter(pl.col("eff").is_not_null())
    top = r.with_columns(top=pl.col("sev").max().over(key, "cat")).filter(pl.col("sev") == pl.col("top"))
    # aggregate plain lists (fast), then make the text on the few distinct (effect, labels)
    grouped = (
        top.unique([key, "cat", "label"])
        .group_by(key, "cat")
        .agg(pl.col("eff").first(), pl.col("label").drop_nulls().sort().alias("labels"))
        .with_columns(pl.col("labels").list.join(", "))
    )
    return _by(
        grouped,
        ["eff", "labels"],
        summary=pl.concat_str(
            [
                pl.col("eff").replace("info", "information only").str.replace_all("_", " "),
                lit(" ("),
                pl.col("labels"),
                lit(")"),
            ]
        ),
    ).select(key, "cat", "summary")


def _category() -> pl.Expr:
    """Which check a key-level reason belongs to."""
    r = pl.col("reason").struct
    return (
        pl.when(r.field("code") == "coverage")
        .then(lit("coverage"))
        .when(r.field("step") == "GP6")
        .then(lit("embargo"))
        .when(r.field("step") == "GP5")
        .then(lit("end_use"))
        .when(r.field("measure").is_not_null() | (r.field("step") == "POLICY"))
        .then(lit("measures"))
        .when(r.field("step").is_in(["GP1", "DATA"]))
        .then(lit("country_chart"))
        .otherwise(lit("measures"))
    )


def _label() -> pl.Expr:
    r = pl.col("reason").struct
    return (
        pl.when(r.field("measure").is_not_null() & (r.field("step") != "GP5"))
        .then(r.field("measure"))
        .otherwise(pl.coalesce(r.field("column"), r.field("code")))
    )


def _eccn_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """Per ECCN: its control rows as labels ('NS2', 'RS §742.6(a)(6)(i)') and its chart columns."""
    label = pl.coalesce(pl.col("column"), pl.concat_str([pl.col("reason"), lit(" §"), pl.col("section")]))
    return rows.group_by("eccn").agg(
        label.drop_nulls().unique().sort().str.join(", ").alias("_labels"),
        pl.col("column").drop_nulls().unique().alias("_cols"),
        pl.col("column").is_null().any().alias("_text_rules"),
    )


def _end_use_rules(effects: pl.DataFrame) -> pl.DataFrame:
    """Per regime: the end-use rules in force ('EU (§742.6, §744.23), MEU (§744.21)') and the count of
    measures in force."""
    e = effects.filter(pl.col("end_uses").list.len() > 0)
    sections = pl.col("citation").fill_null("").str.extract_all(r"7\d\d\.\d+")
    per_reason = (
        e.select("rkey", pl.col("control_reason").fill_null(pl.col("kind")).alias("r"), sections.alias("s"))
        .explode("s")
        .group_by("rkey", "r")
        .agg(pl.col("s").drop_nulls().unique().sort().alias("s"))
        .select(
            "rkey",
            pl.concat_str(
                [
                    pl.col("r"),
                    pl.when(pl.col("s").list.len() > 0)
                    .then(pl.concat_str([lit(" (§"), pl.col("s").list.join(", §"), lit(")")]))
                    .otherwise(lit("")),
                ]
            ).alias("l"),
        )
    )
    labels = per_reason.group_by("rkey").agg(pl.col("l").sort().str.join(", ").alias("_eu_rules"))
    counts = effects.group_by("rkey").agg(pl.col("measure").n_unique().alias("_n_measures"))
    return counts.join(labels, on="rkey", how="left")


def _chart_what() -> dict[str, pl.Expr]:
    item = pl.concat_str(
        [pl.col("eccn_base"), pl.when(pl.col("eccn_para").is_not_null()).then("." + pl.col("eccn_para"))],
        ignore_nulls=True,
    )
    marked = pl.col("_cols").list.set_intersection(pl.col("marks")).list.sort().list.join(", ")
    what = (
        pl.when(pl.col("eccn_base").is_null())
        .then(lit("no ECCN given: the item is judged by the measures that name it"))
        .when(pl.col("eccn_base") == "EAR99")
        .then(lit("EAR99 is not on the Commerce Control List: no Country Chart column applies"))
        .when(pl.col("row_iso").is_null())
        .then(pl.concat_str([item, lit(" against the Country Chart: no row for "), pl.col("destination")]))
        .otherwise(
            pl.concat_str(
                [
                    item,
                    lit(" reasons "),
                    pl.col("_labels").fill_null("(none listed)"),
                    lit(" against "),
                    pl.col("row_iso"),
                    lit("'s Country Chart row: "),
                    pl.when(marked != "").then(pl.concat_str([lit("X in "), marked])).otherwise(lit("no X")),
                    pl.when(pl.col("_text_rules").fill_null(False))
                    .then(lit("; rows without a column apply by the destinations their section names"))
                    .otherwise(lit("")),
                    pl.when(pl.col("pointer").is_not_null())
                    .then(lit(" (the row points to Part 746)"))
                    .otherwise(lit("")),
                ]
            )
        )
    )
    default = (
        pl.when(pl.col("eccn_base").is_null())
        .then(lit("not consulted"))
        .when(pl.col("pointer").is_not_null())
        .then(lit("no marks: the destination is embargoed (see the embargo check)"))
        .otherwise(lit("no license required by the chart"))
    )
    return {"w_chart": what, "d_chart": default}


def key_checks(
    keys: pl.DataFrame,
    key_reasons: pl.DataFrame,
    effects: pl.DataFrame,
    rows: pl.DataFrame | None,
    families: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """(kid, c_coverage, [c_country_chart, c_embargo,] c_end_use, c_measures): the key's checks.

    `keys` still carries the chart facts (marks, pointer, row_iso); `rows` are the CCL control rows
    (None for an engine without the Country Chart: the chart and embargo checks are then left out).
    Each text is built once per distinct input it depends on, then joined to the keys. With
    `families` (engine.coverage.family_frame), one coverage check per family consulted replaces the
    single registry coverage check.
    """
    summ = reason_summary(key_reasons, "kid", _category(), _label())
    k = keys.select(
        "kid", "rkey", "as_of", "destination", "eccn_base", "eccn_para", "end_use",
        *[c for c in ("row_iso", "marks", "pointer", "covered") if c in keys.columns],
    )  # fmt: skip
    for cat in ("coverage", "country_chart", "embargo", "end_use", "measures"):
        part = summ.filter(pl.col("cat") == cat).select("kid", pl.col("summary").alias(f"s_{cat}"))
        k = k.join(part, on="kid", how="left")
    rules = _end_use_rules(effects)
    dest = pl.col("destination").fill_null("?")
    none = lit("none applies")
    k = _by(
        k,
        ["as_of", "covered"],
        w_cov=pl.concat_str([lit("registry coverage of "), pl.col("as_of").cast(pl.Utf8)]),
        d_cov=pl.when(pl.col("covered").fill_null(False)).then(lit("covered")).otherwise(lit("hold")),
    )
    k = _by(
        k,
        ["rkey", "as_of", "destination"],
        w_measures=pl.concat_str(
            [
                pl.col("rkey").replace_strict(rules["rkey"], rules["_n_measures"], default=0).cast(pl.Utf8),
                lit(" measures in force on "),
                pl.col("as_of").cast(pl.Utf8),
                lit(" evaluated for the item to "),
                dest,
            ]
        ),
    )
    stated = (
        pl.when(pl.col("end_use").is_not_null())
        .then(pl.concat_str([lit(" (end use stated: "), pl.col("end_use"), lit(")")]))
        .otherwise(lit(" (no end use stated)"))
    )
    eu_rules = pl.col("rkey").replace_strict(rules["rkey"], rules["_eu_rules"], default=None)
    k = _by(
        k,
        ["rkey", "end_use"],
        w_eu=pl.concat_str([lit("end-use rules in force: "), eu_rules.fill_null("none"), stated]),
        d_eu=pl.when(pl.col("end_use").is_null())
        .then(lit("none triggered: no end use stated"))
        .otherwise(lit("none applies to this end use")),
    )
    out = [
        check("coverage", pl.col("w_cov"), pl.col("s_coverage").fill_null(pl.col("d_cov"))).alias(
            "c_coverage"
        )
    ]
    if families is not None and families.height:
        k, names = coverage_checks(k, families)
        out = [pl.col(n) for n in names]
    if rows is not None:
        chart = ["eccn_base", "eccn_para", "destination", "row_iso", "pointer"]
        facts = (
            k.select(*chart, "marks")
            .unique(chart)
            .join(_eccn_rows(rows), left_on="eccn_base", right_on="eccn", how="left")
            .with_columns(**_chart_what())
            .select(*chart, "w_chart", "d_chart")
        )
        k = k.join(facts, on=chart, how="left", nulls_equal=True)
        k = _by(
            k,
            ["destination"],
            w_emb=pl.concat_str([lit("Part 746 embargoes and Country Chart footnotes for "), dest]),
        )
        out.append(
            check(
                "country_chart", pl.col("w_chart"), pl.col("s_country_chart").fill_null(pl.col("d_chart"))
            ).alias("c_country_chart")
        )
        out.append(check("embargo", pl.col("w_emb"), pl.col("s_embargo").fill_null(none)).alias("c_embargo"))
    out.append(
        check("end_use", pl.col("w_eu"), pl.col("s_end_use").fill_null(pl.col("d_eu"))).alias("c_end_use")
    )
    out.append(
        check("measures", pl.col("w_measures"), pl.col("s_measures").fill_null(none)).alias("c_measures")
    )
    return k.select("kid", *out)


def exception_checks(exceptions: pl.Expr) -> pl.Expr:
    """The license_exceptions check from a row's exceptions considered (list of EXCEPTION_DTYPE)."""
    codes = exceptions.list.eval(pl.element().struct.field("code")).list.join(", ")
    applies = exceptions.list.eval(
        pl.element().filter(pl.element().struct.field("applies")).struct.field("code")
    ).list.join(", ")
    considered = exceptions.list.len().fill_null(0) > 0
    return check(
        "license_exceptions",
        pl.when(considered)
        .then(pl.concat_str([lit("Part 740 exceptions considered: "), codes]))
        .otherwise(lit("Part 740 license exceptions")),
        pl.when(~considered)
        .then(lit("not considered: no requirement an exception can overcome"))
        .when(applies != "")
        .then(pl.concat_str([lit("available: "), applies]))
        .otherwise(lit("none applies")),
    )


def lists_description(lists: pl.DataFrame | None, data_version: str | None, names: dict[str, str]) -> str:
    """'Entity List 3,420, ... (data version 1a2b3c4d5e6f)': the lists screened, counted once per batch."""
    version = f"data version {data_version[:12]}" if data_version else "data version not given"
    if lists is None or lists.height == 0 or "list" not in lists.columns:
        return f"no party lists in the data ({version})"
    counts = lists.group_by("list").len().sort("list").iter_rows()
    parts = [f"{names.get(str(name), str(name))} {n:,}" for name, n in counts if name]
    return f"{', '.join(parts)} ({version})"


def party_facts(
    tx: pl.DataFrame, parties: pl.DataFrame, row_reasons: pl.DataFrame, gp4: bool = True
) -> pl.DataFrame:
    """(row, n_given, screened, s_dpl, s_lists): how many parties each row names, whether they were
    screened (an input `parties_screened` false means the book gave none), and the hits' summaries."""
    given = (
        parties.group_by("row").agg(pl.col("name").n_unique().alias("n_given"))
        if parties.height and "name" in parties.columns
        else pl.DataFrame(schema={"row": pl.Int64, "n_given": pl.UInt32})
    )
    flag = pl.col("parties_screened").cast(pl.Boolean) if "parties_screened" in tx.columns else pl.lit(True)
    out = tx.select("row", flag.fill_null(True).alias("_flag")).join(given, on="row", how="left")
    out = out.with_columns(pl.col("n_given").fill_null(0).cast(pl.Int64)).with_columns(
        screened=(pl.col("n_given") > 0) & pl.col("_flag")
    )
    code = pl.col("reason").struct.field("code")
    cat = pl.when(code == "DPL").then(lit("dpl")).otherwise(lit("lists")) if gp4 else lit("lists")
    summ = reason_summary(row_reasons, "row", cat, code)
    for c, name in (("dpl", "s_dpl"), ("lists", "s_lists")):
        out = out.join(
            summ.filter(pl.col("cat") == c).select("row", pl.col("summary").alias(name)), on="row", how="left"
        )
    return out.drop("_flag")


def _party_checks(lists_what: str, dpl_what: str | None) -> dict[str, pl.Expr]:
    n = pl.col("n_given")
    who = _plural(n, " party", " parties")
    not_screened = lit("not screened: no party given")
    out = {}
    if dpl_what is not None:
        out["denied_persons"] = check(
            "denied_persons",
            pl.when(n > 0)
            .then(pl.concat_str([who, lit(" against the " + dpl_what)]))
            .otherwise(lit(dpl_what)),
            pl.when(~pl.col("screened"))
            .then(not_screened)
            .otherwise(pl.col("s_dpl").fill_null(lit("no match"))),
        )
    out["party_lists"] = check(
        "party_lists",
        pl.when(n > 0)
        .then(pl.concat_str([who, lit(" screened against " + lists_what)]))
        .otherwise(lit("lists available: " + lists_what)),
        pl.when(~pl.col("screened"))
        .then(not_screened)
        .otherwise(pl.col("s_lists").fill_null(lit("no listed party found"))),
    )
    return out


def assemble(
    out: pl.DataFrame,
    kchecks: pl.DataFrame,
    pfacts: pl.DataFrame,
    ex: pl.DataFrame | None,
    *,
    lists_what: str,
    dpl_what: str | None,
    order: tuple[str, ...],
) -> pl.Series:
    """The `checks` column for `out` (row, kid, lvs_state), in the order of `order`'s steps.

    `ex` holds the exceptions considered per (kid, lvs_state), or None for an engine without license
    exceptions. The list is built once per distinct combination of its inputs and joined to the rows.
    """
    base = out.select("row", "kid", "lvs_state").join(pfacts, on="row", how="left")
    inputs = [c for c in base.columns if c != "row"]
    combos = base.select(inputs).unique().join(kchecks, on="kid", how="left")
    by_step = {c.removeprefix("c_"): pl.col(c) for c in kchecks.columns if c.startswith("c_")}
    by_step |= assemble_steps(kchecks)
    by_step |= _party_checks(lists_what, dpl_what)
    if ex is not None:
        combos = combos.join(ex, on=["kid", "lvs_state"], how="left", nulls_equal=True)
        by_step["license_exceptions"] = exception_checks(pl.col("exceptions"))
    # "coverage" stands for every family's coverage check ('coverage', 'coverage.1' ...), in order
    steps = [
        t
        for s in order
        for t in ([s] if s != "coverage" else sorted(k for k in by_step if k.split(".")[0] == s))
    ]
    parts = [by_step[s] for s in steps if s in by_step]
    combos = combos.with_columns(_lists_of(combos, parts).alias("checks"))
    joined = base.join(combos.select(*inputs, "checks"), on=inputs, how="left", nulls_equal=True)
    return joined.sort("row")["checks"]


def _lists_of(frame: pl.DataFrame, parts: list[pl.Expr]) -> pl.Series:
    """One list per row of `frame` holding the structs `parts`, in order.

    pl.concat_list on structs is slow (seconds per 100k rows); stacking the parts and regrouping them
    row-major by one gather and a reshape is ten times faster.
    """
    n, k = frame.height, len(parts)
    if n == 0:
        return pl.Series([], dtype=pl.List(CHECK_DTYPE))
    stacked = pl.concat([frame.select(p.cast(CHECK_DTYPE).alias("c")) for p in parts])["c"]
    p = pl.int_range(0, n * k, dtype=pl.Int64, eager=True)
    order = (p % k) * n + p // k
    return stacked.gather(order).reshape((n, k)).arr.to_list()
