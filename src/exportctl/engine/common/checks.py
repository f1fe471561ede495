"""What an answer checked: one {step, what, result} per check, on every verdict (no clearance unexplained).

Built as columns, never per row: the checks of a key (item, destination, date) once per key, the party
checks once per distinct (parties given, screening outcome), and the list of checks once per distinct
combination of those, joined back to the rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import polars as pl

from exportctl.engine.common.memo import ByIdentity, Lru
from exportctl.engine.common.reasons import lit
from exportctl.engine.common.sets import sorted_join
from exportctl.engine.coverage import check_columns as coverage_checks

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
    "ChartChecks",
    "CheckInputs",
    "Considered",
    "assemble",
    "by_distinct",
    "check",
    "key_checks",
    "lists_description",
    "party_check_values",
    "party_facts",
    "reason_summary",
]

# a jurisdiction's own key checks (the EAR's Country Chart and embargo): from the keys with their
# summaries (s_<category>), the keys with the texts it needs and its check columns (c_<step>)
ChartChecks = Callable[[pl.DataFrame], tuple[pl.DataFrame, list[pl.Expr]]]


class CheckInputs(NamedTuple):
    """What `assemble` needs beside the rows: the key checks, the party facts, the lists' description."""

    kchecks: pl.DataFrame
    pfacts: pl.DataFrame
    lists_what: str
    dpl_what: str | None
    order: tuple[str, ...]  # the steps in the order the jurisdiction's rules take them


class Considered(NamedTuple):
    """The licence exceptions considered: each (kid, lvs_state)'s position `_x` among `lists`."""

    at: pl.DataFrame  # kid, lvs_state, _x
    lists: pl.Series  # the distinct lists of exceptions considered


def check(step: str, what: pl.Expr, result: pl.Expr) -> pl.Expr:
    """One CHECK_DTYPE struct."""
    return pl.struct(
        lit(step).alias("step"), what.cast(pl.Utf8).alias("what"), result.cast(pl.Utf8).alias("result")
    )


def _plural(n: pl.Expr, one: str, many: str) -> pl.Expr:
    return pl.concat_str([n.cast(pl.Utf8), pl.when(n == 1).then(lit(one)).otherwise(lit(many))])


def by_distinct(frame: pl.DataFrame, on: list[str], **exprs: pl.Expr) -> pl.DataFrame:
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
    codes = top.get_column("label").drop_nulls().unique().sort().to_list()
    if len(codes) > _BITS:
        # aggregate plain lists (fast), then make the text on the few distinct (effect, labels)
        grouped = (
            top.group_by(key, "cat")
            .agg(pl.col("eff").first())
            .join(sorted_join(top, [key, "cat"], "label", ", ", "labels"), on=[key, "cat"], how="left")
        )
        return by_distinct(grouped, ["eff", "labels"], summary=_summary_text()).select(key, "cat", "summary")
    # the labels as one bit each (few: the distinct labels of a batch): a group's labels are an integer
    # set, its text made once per distinct (effect, set); as sorted_join, in the labels' sorted order
    bit = (
        pl.col("label").replace_strict(codes, [1 << i for i in range(len(codes))], default=0)
        if codes
        else pl.lit(0)
    )
    grouped = top.group_by(key, "cat").agg(
        pl.col("eff").first(), bit.cast(pl.Int64).bitwise_or().alias("_set")
    )
    sets = grouped.get_column("_set").unique().to_list()
    labels = pl.DataFrame(
        {"_set": sets, "labels": [", ".join(c for i, c in enumerate(codes) if x >> i & 1) for x in sets]},
        schema={"_set": pl.Int64, "labels": pl.Utf8},
    )
    texts = (
        grouped.select("eff", "_set").unique().join(labels, on="_set").with_columns(summary=_summary_text())
    )
    return grouped.join(texts, on=["eff", "_set"], how="left").select(key, "cat", "summary")


_BITS = 62  # distinct labels an Int64 set can hold


def _summary_text() -> pl.Expr:
    """'license required (NS2, RS2)' from `eff` and `labels`."""
    return pl.concat_str(
        [
            pl.col("eff").replace("info", "information only").str.replace_all("_", " "),
            lit(" ("),
            pl.col("labels"),
            lit(")"),
        ]
    )


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


_EU_RULES: ByIdentity[pl.DataFrame] = ByIdentity(8)  # per effects frame (kept by compile_effects)


def _end_use_rules(effects: pl.DataFrame) -> pl.DataFrame:
    """Per regime: the end-use rules in force ('EU (§742.6, §744.23), MEU (§744.21)') and the count of
    measures in force; built once per effects frame (a batch over every day span: ~0.6 s each time)."""
    return _EU_RULES.get_or_build(effects, lambda: _end_use_rules_of(effects))


def _end_use_rules_of(effects: pl.DataFrame) -> pl.DataFrame:
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


def key_checks(
    keys: pl.DataFrame,
    key_reasons: pl.DataFrame,
    effects: pl.DataFrame,
    families: pl.DataFrame | None = None,
    chart: ChartChecks | None = None,
) -> pl.DataFrame:
    """(kid, c_coverage, [chart's checks,] c_end_use, c_measures): the key's checks.

    Each text is built once per distinct input it depends on, then joined to the keys. With
    `families` (engine.coverage.family_frame), one coverage check per family consulted replaces the
    single registry coverage check; `chart` adds a jurisdiction's own checks (the EAR's Country Chart
    and embargo), left out for an engine without them.
    """
    summ = reason_summary(key_reasons, "kid", _category(), _label())
    k = keys.select(
        "kid", "rkey", "as_of", "destination", "eccn_base", "eccn_para", "end_use",
        *[c for c in ("row_iso", "em", "marks", "pointer", "covered") if c in keys.columns],
    )  # fmt: skip
    for cat in ("coverage", "country_chart", "embargo", "end_use", "measures"):
        part = summ.filter(pl.col("cat") == cat).select("kid", pl.col("summary").alias(f"s_{cat}"))
        k = k.join(part, on="kid", how="left")
    rules = _end_use_rules(effects)
    k = _coverage_texts(k)
    k = _measures_texts(k, rules)
    k = _end_use_texts(k, rules)
    out = [
        check("coverage", pl.col("w_cov"), pl.col("s_coverage").fill_null(pl.col("d_cov"))).alias(
            "c_coverage"
        )
    ]
    if families is not None and families.height:
        k, names = coverage_checks(k, families)
        out = [pl.col(n) for n in names]
    if chart is not None:
        k, own = chart(k)
        out += own
    out.append(
        check("end_use", pl.col("w_eu"), pl.col("s_end_use").fill_null(pl.col("d_eu"))).alias("c_end_use")
    )
    out.append(
        check("measures", pl.col("w_measures"), pl.col("s_measures").fill_null(lit("none applies"))).alias(
            "c_measures"
        )
    )
    return k.select("kid", *out)


def _coverage_texts(k: pl.DataFrame) -> pl.DataFrame:
    """w_cov, d_cov: what the registry coverage check consulted and its default result."""
    return by_distinct(
        k,
        ["as_of", "covered"],
        w_cov=pl.concat_str([lit("registry coverage of "), pl.col("as_of").cast(pl.Utf8)]),
        d_cov=pl.when(pl.col("covered").fill_null(False)).then(lit("covered")).otherwise(lit("hold")),
    )


def _measures_texts(k: pl.DataFrame, rules: pl.DataFrame) -> pl.DataFrame:
    """w_measures: how many measures in force were evaluated for the item to the destination."""
    return by_distinct(
        k,
        ["rkey", "as_of", "destination"],
        w_measures=pl.concat_str(
            [
                pl.col("rkey").replace_strict(rules["rkey"], rules["_n_measures"], default=0).cast(pl.Utf8),
                lit(" measures in force on "),
                pl.col("as_of").cast(pl.Utf8),
                lit(" evaluated for the item to "),
                pl.col("destination").fill_null("?"),
            ]
        ),
    )


def _end_use_texts(k: pl.DataFrame, rules: pl.DataFrame) -> pl.DataFrame:
    """w_eu, d_eu: the end-use rules in force and the end use stated, and the default result."""
    stated = (
        pl.when(pl.col("end_use").is_not_null())
        .then(pl.concat_str([lit(" (end use stated: "), pl.col("end_use"), lit(")")]))
        .otherwise(lit(" (no end use stated)"))
    )
    eu_rules = pl.col("rkey").replace_strict(rules["rkey"], rules["_eu_rules"], default=None)
    return by_distinct(
        k,
        ["rkey", "end_use"],
        w_eu=pl.concat_str([lit("end-use rules in force: "), eu_rules.fill_null("none"), stated]),
        d_eu=pl.when(pl.col("end_use").is_null())
        .then(lit("none triggered: no end use stated"))
        .otherwise(lit("none applies to this end use")),
    )


_COUNTS: ByIdentity[list[tuple[Any, ...]]] = ByIdentity(4)


def lists_description(lists: pl.DataFrame | None, data_version: str | None, names: dict[str, str]) -> str:
    """'Entity List 3,420, ... (data version 1a2b3c4d5e6f)': the lists screened, counted once per batch."""
    version = f"data version {data_version[:12]}" if data_version else "data version not given"
    if lists is None or lists.height == 0 or "list" not in lists.columns:
        return f"no party lists in the data ({version})"
    # counted once per lists frame (a new day's regime used to count the CSL again, ~2-8 ms)
    counts = _COUNTS.get_or_build(lists, lambda: list(lists.group_by("list").len().sort("list").iter_rows()))
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


_PARTY_CHECKS: Lru[dict[str, dict[str, Any]]] = Lru(64)


def party_check_values(pfacts: Mapping[str, Any], lists_what: str, dpl_what: str | None) -> dict[str, Any]:
    """{step: check} of the party checks of one row's party facts (n_given, screened, s_dpl, s_lists), as
    `assemble` makes them; made once per distinct facts and lists (one frame's evaluation) and kept."""
    facts = tuple(pfacts.get(c) for c in _PARTY_FACTS)
    key = (facts, lists_what, dpl_what)
    found = _PARTY_CHECKS.get(key)
    if found is None:
        frame = pl.DataFrame([facts], schema=_PARTY_FACTS, orient="row")
        made = frame.select(**_party_checks(lists_what, dpl_what)).row(0, named=True)
        found = _PARTY_CHECKS.put(key, made)
    return {step: dict(c) for step, c in found.items()}


_PARTY_FACTS = {"n_given": pl.Int64, "screened": pl.Boolean, "s_dpl": pl.Utf8, "s_lists": pl.Utf8}


def assemble(
    out: pl.DataFrame,
    kchecks: pl.DataFrame,
    pfacts: pl.DataFrame,
    ex: Considered | None,
    *,
    lists_what: str,
    dpl_what: str | None,
    order: tuple[str, ...],
    ex_check: Callable[[pl.Expr], pl.Expr] | None = None,
) -> pl.Series:
    """The `checks` column for `out` (row, kid, lvs_state), in row order and in the order of `order`'s steps.

    `ex` holds the exceptions considered per (kid, lvs_state) and `ex_check` makes their
    `license_exceptions` check (once per distinct list), or both are None for an engine without
    license exceptions.

    Each step's checks are built where they are decided (a key's once per key, the party checks once per
    distinct party facts, the exceptions' once per (kid, lvs_state)); each row then only takes integer
    positions into them, and one gather makes the lists (the combinations of every input were nearly as
    many as the rows of a large batch, so building the checks per combination built them per row).
    """
    base = out.select("row", "kid", "lvs_state").join(pfacts, on="row", how="left").sort("row")
    n = base.height
    if n == 0:
        return pl.Series("checks", [], dtype=pl.List(CHECK_DTYPE))
    kat = (
        base.select("kid")
        .join(kchecks.select("kid").with_row_index("_k"), on="kid", how="left", maintain_order="left")["_k"]
        .cast(pl.Int64)
    )
    n_k = kchecks.height
    # a step: (its distinct checks, each row's position among them)
    by_step: dict[str, tuple[pl.Series, pl.Series]] = {
        c.removeprefix("c_"): (kchecks[c], kat) for c in kchecks.columns if c.startswith("c_")
    }
    named = (pl.col("n_given") > 0).fill_null(False) if "n_given" in base.columns else pl.lit(False)
    asked = base.select(named.alias("_p"))["_p"]
    for c in kchecks.columns:
        if c.startswith("p_coverage"):
            # a party family's coverage check reads `not consulted` on rows that name no party
            step = c.removeprefix("p_")
            both = pl.concat([kchecks[c], kchecks[f"n_{step}"]])
            by_step[step] = (both, pl.select(pl.when(asked).then(kat).otherwise(kat + n_k)).to_series())
    party_cols = [c for c in pfacts.columns if c != "row"]
    party = base.select(party_cols).unique(maintain_order=True).with_row_index("_p")
    pat = (
        base.select(party_cols)
        .join(party, on=party_cols, how="left", nulls_equal=True, maintain_order="left")["_p"]
        .cast(pl.Int64)
    )
    for step, expr in _party_checks(lists_what, dpl_what).items():
        by_step[step] = (party.select(expr.alias("c"))["c"], pat)
    if ex is not None and ex_check is not None:
        # the rows without exceptions considered take the check of none (a null list)
        lists = pl.concat([ex.lists, pl.Series([None], dtype=ex.lists.dtype)])
        eat = (
            base.select("kid", "lvs_state")
            .join(ex.at, on=["kid", "lvs_state"], how="left", nulls_equal=True, maintain_order="left")["_x"]
            .cast(pl.Int64)
            .fill_null(ex.lists.len())
        )
        made = pl.DataFrame({"e": lists}).select(ex_check(pl.col("e")).alias("c"))["c"]
        by_step["license_exceptions"] = (made, eat)
    # "coverage" stands for every family's coverage check ('coverage', 'coverage.1' ...), in order
    steps = [
        t
        for s in order
        for t in ([s] if s != "coverage" else sorted(k for k in by_step if k.split(".")[0] == s))
    ]
    return _lists_of(n, [by_step[s] for s in steps if s in by_step]).alias("checks")


def _lists_of(n: int, parts: list[tuple[pl.Series, pl.Series]]) -> pl.Series:
    """One list per row of the structs `parts` give it, in order: each part is (its distinct checks,
    each row's position among them).

    pl.concat_list on structs is slow (seconds per 100k rows); all the parts' checks stacked, the rows'
    positions among them laid out row-major and one gather and a reshape are much faster.
    """
    k = len(parts)
    if n == 0 or k == 0:
        return pl.Series([[]] * n, dtype=pl.List(CHECK_DTYPE))
    values = pl.concat([v.cast(CHECK_DTYPE) for v, _ in parts])
    starts = list(itertools.accumulate((len(v) for v, _ in parts), initial=0))
    stacked = pl.concat([(at + start).cast(pl.Int64) for (_, at), start in zip(parts, starts, strict=False)])
    p = pl.int_range(0, n * k, dtype=pl.Int64, eager=True)
    where = stacked.gather((p % k) * n + p // k)
    return values.gather(where).reshape((n, k)).arr.to_list()
