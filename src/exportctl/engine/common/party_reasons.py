"""Reading a party hit on its date: one reason per listing that bears on the transaction.

The steps every jurisdiction shares run in order: a reviewer's decision, a waiver or a weaker match
makes the hit information; a possible match holds for review; a measure naming the party speaks for
itself; an entry not yet listed on the date is information; an entry whose listing day is uncertain
holds; otherwise the list's rule decides. A jurisdiction adds its own reading of its lists
(`ListReading`: the US reads §744.21 into the MEU List and §744.15 into the Unverified List).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import polars as pl

from exportctl.engine.common.grouping import group_entries
from exportctl.engine.common.reasons import lit, reason_struct
from exportctl.engine.parties import normalize_names

__all__ = ["Hit", "ListReading", "Steps", "chain", "party_reasons"]

Steps = Sequence[tuple[pl.Expr, pl.Expr]]  # (condition, value), first true wins


class Hit(NamedTuple):
    """The facts of a hit the reading steps test, as expressions over the hits frame."""

    lst: pl.Expr  # the list id ('EL', 'effect:<rkey>:<eid>' for a measure naming the party)
    who: pl.Expr  # "end_user 'X' matches 'Y'"
    not_yet: pl.Expr  # the date asked is before the entry's earliest listing day
    undated: pl.Expr  # between the earliest and the sure listing day
    measure_hit: pl.Expr  # a measure in force names the party
    ruled: pl.Expr  # a list-level measure in force rules the list
    waived: pl.Expr  # that measure waives the listing for the party
    fuzzy: pl.Expr  # a possible match only, with no exact match of the same party
    weak: pl.Expr  # a weaker match of a party that also matched exactly
    decided: pl.Expr  # a reviewer suppressed the hit as a false positive
    rule: Callable[[int], pl.Expr]  # the list's rule: 0 step, 1 code, 2 verdict, 3 citation


@dataclass(frozen=True)
class ListReading:
    """What a jurisdiction reads into hits on its own lists beyond the shared steps."""

    builtins: Mapping[str, tuple[str, str, str, str]]  # list -> (step, code, verdict, citation)
    measure_step: str  # the step of a reason from a measure naming the party
    effect: Callable[[Hit], Steps] = lambda hit: ()  # before the list's rule decides
    text: Callable[[Hit], Steps] = lambda hit: ()  # before a measure's and the entry's own text
    policy: Callable[[Hit], Steps] = lambda hit: ()  # after the entry's and the list rule's policy
    detail: Callable[[pl.Expr], pl.Expr] | None = None  # appended to the entry's licence requirement
    conditional: Callable[[Hit], pl.Expr] | None = None  # applies only to part of the entry


def chain(steps: Steps, otherwise: pl.Expr) -> pl.Expr:
    """when(c1).then(v1).when(c2).then(v2)... .otherwise(otherwise): the first step that holds decides."""
    if not steps:
        return otherwise
    (c0, v0), *rest = steps
    first = pl.when(c0).then(v0)
    if not rest:
        return first.otherwise(otherwise)
    (c1, v1), *more = rest
    expr = first.when(c1).then(v1)
    for cond, value in more:
        expr = expr.when(cond).then(value)
    return expr.otherwise(otherwise)


def party_reasons(hits: pl.DataFrame, rules: pl.DataFrame | None, reading: ListReading) -> pl.DataFrame:
    """(row, reason) for each listing that bears on the transaction on its date.

    A hit on a list is judged by the list-level party_control measure in force for the row's regime
    (`rules`); without one, by the jurisdiction's own rule of the list (`reading.builtins`); a hit on
    a list neither knows is left out.
    """
    if hits.height == 0:
        return pl.DataFrame(schema={"row": pl.Int64})
    h = _with_rules(hits, rules)
    known = pl.col("list").is_in(list(reading.builtins)) | pl.col("list").str.starts_with("effect:")
    h = h.filter(known | pl.col("r_verdict").is_not_null())
    h, hit = _materialised(h, _facts(h, reading.builtins))
    h = h.with_columns(_effect(hit, reading).alias("_h_effect"))
    h = h.with_columns(_settle_uncertain(pl.col("_h_effect"), hit).alias("_h_effect"))
    effect = pl.col("_h_effect")
    conditional = reading.conditional(hit) if reading.conditional is not None else pl.lit(False)
    return group_entries(
        h.with_columns(hit.measure_hit.alias("_measure_hit")),
        reason_struct(
            step=pl.when(hit.measure_hit).then(lit(reading.measure_step)).otherwise(hit.rule(0)),
            code=pl.when(hit.measure_hit).then(pl.col("m_reason").fill_null("PARTY")).otherwise(hit.rule(1)),
            measure=pl.when(hit.measure_hit)
            .then(pl.col("m_measure"))
            .when(hit.ruled)
            .then(pl.col("r_measure"))
            .otherwise(None),
            citation=_citation(hit),
            effect=effect,
            review_policy=_policy(hit, reading),
            le_ok=pl.lit(False),
            conditional=conditional,
            text=_text(hit, reading),
        ),
    )


def _with_rules(hits: pl.DataFrame, rules: pl.DataFrame | None) -> pl.DataFrame:
    """The hits with their listing dates, the measure naming the party (m_*) and the list's rule (r_*)."""
    h = hits
    for col, dtype in (("listed_from", pl.Date), ("listed_by", pl.Date), ("listed_basis", pl.Utf8)):
        if col not in h.columns:
            h = h.with_columns(pl.lit(None, dtype).alias(col))
    for col in ("m_verdict", "m_text", "m_citation", "m_policy", "m_reason", "m_measure"):
        if col not in h.columns:
            h = h.with_columns(pl.lit(None, pl.Utf8).alias(col))
    if rules is not None and rules.height:
        h = h.join(rules, on=["rkey", "list"], how="left")
    else:
        h = h.with_columns(
            *[
                pl.lit(None, pl.Utf8).alias(c)
                for c in ("r_verdict", "r_policy", "r_citation", "r_measure", "r_reason", "r_text")
            ],
            pl.lit(None, pl.List(pl.Utf8)).alias("r_waived"),
        )
    if "date_added" in h.columns:  # lists that state the day an entry was added (the PRC lists)
        added = pl.col("date_added").cast(pl.Date, strict=False)
        h = h.with_columns(
            listed_from=pl.coalesce(added, pl.col("listed_from")),
            listed_by=pl.coalesce(added, pl.col("listed_by")),
        )
    return h


def _facts(h: pl.DataFrame, builtins: Mapping[str, tuple[str, str, str, str]]) -> Hit:
    """The expressions the steps test (see Hit)."""
    lst = pl.col("list")
    ruled = pl.col("r_verdict").is_not_null()
    not_yet = pl.col("listed_from").is_not_null() & (pl.col("as_of") < pl.col("listed_from"))

    def base(i: int) -> pl.Expr:
        return lst.replace_strict({k: v[i] for k, v in builtins.items()}, default=None)

    def rule(i: int) -> pl.Expr:
        ruled_value = [
            base(0).fill_null("PARTY"),
            pl.col("r_reason").fill_null(lst),
            pl.col("r_verdict"),
            pl.col("r_citation"),
        ][i]
        return pl.when(ruled).then(ruled_value).otherwise(base(i))

    no_names = pl.lit([], pl.List(pl.Utf8))
    waivers = pl.col("r_waived").fill_null(no_names)
    score = pl.col("match_score").fill_null(1.0)
    exact_party = (score >= 1.0).any().over(["row", "role"])
    return Hit(
        lst=lst,
        who=pl.concat_str(
            [pl.col("role"), lit(" '"), pl.col("name"), lit("' matches '"), pl.col("listed_name"), lit("'")]
        ),
        not_yet=not_yet,
        undated=(~not_yet) & pl.col("listed_by").is_not_null() & (pl.col("as_of") < pl.col("listed_by")),
        measure_hit=lst.str.starts_with("effect:"),
        ruled=ruled,
        waived=waivers.list.contains(normalize_names(pl.col("listed_name")))
        | waivers.list.contains(normalize_names(pl.col("name"))),
        fuzzy=(score < 1.0) & ~exact_party,
        weak=(score < 1.0) & exact_party,
        decided=pl.col("suppressed_by").is_not_null() if "suppressed_by" in h.columns else pl.lit(False),
        rule=rule,
    )


_FACTS = ("who", "not_yet", "undated", "measure_hit", "ruled", "waived", "fuzzy", "weak", "decided")
_RULE_PARTS = 4  # step, code, verdict, citation


def _materialised(h: pl.DataFrame, hit: Hit) -> tuple[pl.DataFrame, Hit]:
    """The hit's facts computed once as columns (`_h_*`) of the same frame, and a Hit reading them.

    The steps test each fact many times over: as expressions, the reason's one expression grew to
    ~15,000 characters with windows inside windows, and planning it cost a one-party check ~20 ms.
    Computed as columns on the same rows, every window sees the same frame, so the values are the same.
    """
    h = h.with_columns(
        *[getattr(hit, name).alias(f"_h_{name}") for name in _FACTS],
        *[hit.rule(i).alias(f"_h_rule{i}") for i in range(_RULE_PARTS)],
    )
    facts = {name: pl.col(f"_h_{name}") for name in _FACTS}
    return h, Hit(lst=hit.lst, rule=lambda i: pl.col(f"_h_rule{i}"), **facts)


def _binding(hit: Hit) -> pl.Expr:
    """The list's rule would require a licence or prohibit."""
    return hit.rule(2).is_in(["prohibited", "license_required"])


def _effect(hit: Hit, reading: ListReading) -> pl.Expr:
    """The hit's effect: the shared steps, the jurisdiction's own, then the list's rule."""
    shared: list[tuple[pl.Expr, pl.Expr]] = [
        (hit.weak | hit.waived | hit.decided, lit("info")),
        (hit.fuzzy & ~hit.not_yet, lit("hold")),
        (hit.measure_hit, pl.col("m_verdict").fill_null("license_required")),
        (hit.not_yet, lit("info")),
        (hit.undated & _binding(hit), lit("hold")),
    ]
    return chain([*shared, *reading.effect(hit)], hit.rule(2).replace("no_license_required", "info"))


def _settle_uncertain(effect: pl.Expr, hit: Hit) -> pl.Expr:
    """A hold that comes only from an uncertain match (a possible match, or a listing date known only to
    the year) gives way when the same row already needs a license for sure, unless the list's own rule
    could prohibit: a person's review would not change the answer, and it stays in the reasons."""
    uncertain = (hit.fuzzy & ~hit.not_yet) | (hit.undated & ~hit.measure_hit)
    definite = effect.is_in(["license_required", "prohibited"]).any().over("row")
    return (
        pl.when((effect == "hold") & uncertain & definite & (hit.rule(2) != "prohibited"))
        .then(lit("info"))
        .otherwise(effect)
    )


def _text(hit: Hit, reading: ListReading) -> pl.Expr:
    """The reason's text: who matched what, and why it bears (or does not) on the date asked."""
    who, lst = hit.who, hit.lst
    requirement = pl.col("license_requirement")
    entry = [who, lit(": "), requirement.fill_null("listed")]
    if reading.detail is not None:
        entry.append(reading.detail(requirement))
    shared: list[tuple[pl.Expr, pl.Expr]] = [
        (
            hit.decided,
            pl.concat_str(
                [
                    who,
                    lit(" on the "),
                    lst,
                    lit(": suppressed as a false positive by "),
                    pl.col("suppressed_by"),
                ]
            ),
        ),
        (
            hit.waived,
            pl.concat_str(
                [who, lit(" on the "), lst, lit(": the listing is waived for this party on this date.")]
            ),
        ),
        (
            hit.fuzzy & ~hit.not_yet,
            pl.concat_str(
                [
                    who,
                    lit(" on the "),
                    lst,
                    lit(" only as a possible match (score "),
                    pl.col("match_score").round(2).cast(pl.Utf8),
                    lit("): a person must review it."),
                ]
            ),
        ),
        (
            hit.not_yet,
            pl.concat_str(
                [
                    who,
                    lit(" on the "),
                    lst,
                    lit(", but the entry applies only from "),
                    pl.col("listed_from").cast(pl.Utf8),
                    lit(": not yet listed on the date asked ("),
                    pl.col("listed_basis").fill_null(""),
                    lit(")."),
                ]
            ),
        ),
        (
            hit.undated & _binding(hit),
            pl.concat_str(
                [
                    who,
                    lit(" on the "),
                    lst,
                    lit(" (entry "),
                    pl.col("entity_id").cast(pl.Utf8).fill_null("?"),
                    lit("): listed for sure only from "),
                    pl.col("listed_by").cast(pl.Utf8),
                    lit(", not before "),
                    pl.col("listed_from").cast(pl.Utf8).fill_null("a date the data does not give"),
                    lit(" ("),
                    pl.col("listed_basis").fill_null(""),
                    lit("); a person must check whether it applied on the date asked."),
                ]
            ),
        ),
    ]
    measure = (hit.measure_hit, pl.concat_str([who, lit(": "), pl.col("m_text").fill_null("")]))
    return chain([*shared, *reading.text(hit), measure], pl.concat_str(entry))


def _citation(hit: Hit) -> pl.Expr:
    """The measure's citation, else the list rule's with the entry's Federal Register notice."""
    notice = (
        pl.when(pl.col("federal_register_notice").is_not_null())
        .then(pl.concat_str([lit("; "), pl.col("federal_register_notice")]))
        .otherwise(lit(""))
    )
    return pl.when(hit.measure_hit).then(pl.col("m_citation")).otherwise(pl.concat_str([hit.rule(3), notice]))


def _policy(hit: Hit, reading: ListReading) -> pl.Expr:
    """The review policy: the measure's, the entry's own, the list rule's, then the jurisdiction's."""
    shared: list[tuple[pl.Expr, pl.Expr]] = [
        (hit.measure_hit, pl.col("m_policy")),
        (pl.col("license_policy").is_not_null(), pl.col("license_policy")),
        (hit.ruled, pl.col("r_policy")),
    ]
    return chain([*shared, *reading.policy(hit)], pl.col("license_policy"))
