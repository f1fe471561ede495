"""GP4 and GP5 by party: the Denied Persons, Entity, Military End-User and Unverified Lists, OFAC's SDNs,
and the parties named by measures, screened for every party of every transaction.

Listings are dated (engine.list_dates): the lists carry `listed_from` and `listed_by`. Before
`listed_from` an entry did not yet apply (information only); from `listed_by` it applies; in between the
data cannot tell, and the answer is hold naming the entry and why its date is uncertain.
"""

from __future__ import annotations

import polars as pl

from exportctl.engine.ear.grouping import group_entries
from exportctl.engine.ear.reasons import lit, reason_struct
from exportctl.engine.list_dates import DATE_COLUMNS
from exportctl.engine.parties import match_parties, normalize_names
from exportctl.registry.rules import CountryRule, ear_rules

ROLES = ("ultimate_consignee", "end_user", "intermediate_consignee", "purchaser")


def _us_list_rules() -> dict[str, tuple[str, str, str, str]]:
    """The rule of each US party list (data/rules/us-ear.yaml `party_lists`): list -> (step, code,
    verdict, citation)."""
    return ear_rules().list_rules()


def fdp_footnotes(requirement: pl.Expr) -> pl.Expr:
    """The Entity List FDP footnotes an entry cites: §734.9(e)(1) FN1, (e)(2) FN4, (e)(3) FN5, (g) FN3."""
    t = requirement.fill_null("")
    parts = [
        pl.when(t.str.contains(r"734\.9\(e\)\s*\(?1"))
        .then(lit(" [footnote 1: FDP §734.9(e)(1)]"))
        .otherwise(lit("")),
        pl.when(t.str.contains(r"734\.9\(e\)\s*\(?2"))
        .then(lit(" [footnote 4: FDP §734.9(e)(2)]"))
        .otherwise(lit("")),
        pl.when(t.str.contains(r"734\.9\(e\)\s*\(?3"))
        .then(lit(" [footnote 5: FDP §734.9(e)(3)]"))
        .otherwise(lit("")),
        pl.when(t.str.contains(r"734\.9\(g\)")).then(lit(" [footnote 3: FDP §734.9(g)]")).otherwise(lit("")),
    ]
    return pl.concat_str(parts)


def party_lists(csl: pl.DataFrame | None, measure_parties: pl.DataFrame | None) -> pl.DataFrame:
    """The screened lists: the CSL (all its lists) plus the party names of measures in force."""
    cols = [
        "list",
        "entity_id",
        "name",
        "aliases",
        "countries",
        "license_requirement",
        "license_policy",
        "federal_register_notice",
        *DATE_COLUMNS,
    ]
    types = {c: (pl.Date if c in ("listed_from", "listed_by") else pl.Utf8) for c in cols}

    def conform(df: pl.DataFrame) -> pl.DataFrame:
        return df.select([pl.col(c) if c in df.columns else pl.lit(None, types[c]).alias(c) for c in cols])

    frames = []
    if csl is not None:
        frames.append(conform(csl))
    if measure_parties is not None and measure_parties.height:
        frames.append(conform(measure_parties))
    if not frames:
        return pl.DataFrame(schema=types)
    return pl.concat(frames, how="diagonal_relaxed")


def screen_rows(
    parties: pl.DataFrame,
    lists: pl.DataFrame,
    *,
    fuzzy: bool = False,
    index_key: str | None = None,
    suppressed: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Hits per transaction party: `parties` has row, role, name, as_of, eccn_base, destination and
    optionally country (the screening's country evidence). `suppressed` (party_key, list, entity_id,
    suppressed_by): reviewers' current false-positive decisions, marked on the hits they name."""
    keys = ["name", "country"] if "country" in parties.columns else ["name"]
    names = (
        parties.select(keys)
        .unique(maintain_order=True)
        .drop_nulls("name")
        .with_row_index("qid")
        .with_columns(pl.col("qid").cast(pl.Int64))
    )
    hits = match_parties(names, lists, fuzzy=fuzzy, index_key=index_key)
    if hits.height == 0:
        return pl.DataFrame(schema={"row": pl.Int64})
    hits = hits.join(names, on="qid").drop("qid")
    if all(c in lists.columns for c in DATE_COLUMNS):
        dates = lists.select(
            pl.col("list").cast(pl.Utf8), pl.col("entity_id").cast(pl.Utf8), *DATE_COLUMNS
        ).unique(["list", "entity_id"], keep="first")
        hits = hits.join(dates, on=["list", "entity_id"], how="left")
    hits = mark_suppressed(hits, suppressed)
    return parties.join(hits, on=keys, how="inner")


def mark_suppressed(hits: pl.DataFrame, suppressed: pl.DataFrame | None) -> pl.DataFrame:
    """`suppressed_by` on the hits of a (party, entry) pair a reviewer decided is a false positive."""
    if suppressed is None or suppressed.height == 0:
        return hits.with_columns(pl.lit(None, pl.Utf8).alias("suppressed_by"))
    from exportctl.engine.screening.normalise import name_key, normalise

    party = {n: name_key(normalise(n)) for n in hits["name"].unique().to_list()}
    keyed = hits.with_columns(
        pl.col("name").replace_strict(party, default="", return_dtype=pl.Utf8).alias("party_key")
    )
    marks = suppressed.select("party_key", "list", pl.col("entity_id").cast(pl.Utf8), "suppressed_by")
    return (
        keyed.with_columns(pl.col("entity_id").cast(pl.Utf8))
        .join(marks, on=["party_key", "list", "entity_id"], how="left")
        .drop("party_key")
    )


def in_force(rules: list[CountryRule], destination: pl.Expr, day: pl.Expr) -> pl.Expr:
    """The destination is one a dated country rule reaches on the row's day."""
    hits = []
    for rule in rules:
        hit = destination.is_in(rule.scope.destinations)
        if rule.effective is not None:
            hit = hit & (day >= pl.lit(rule.effective))
        if rule.end is not None:
            hit = hit & (day < pl.lit(rule.end))
        hits.append(hit.fill_null(False))
    return pl.any_horizontal(pl.lit(False), *hits)


def meu_all_items(destination: pl.Expr, day: pl.Expr) -> pl.Expr:
    """§744.21(a)(2) on the day: the military end use rule reaches any item, not only Supp. 2 items."""
    return in_force(ear_rules().military_end_use_all_items, destination, day)


def meu_country(destination: pl.Expr, day: pl.Expr) -> pl.Expr:
    """§744.21(a)(1) on the day: the destination is one the military end use rule reaches."""
    return in_force(ear_rules().military_end_use, destination, day)


SEVERITY = {"prohibited": 4, "hold": 3, "license_required": 2, "info": 1, "no_license_required": 0}


def list_level() -> pl.Expr:
    """Effects that govern every entry of a party list (party lists named, no party named)."""
    return (
        (pl.col("party_lists").list.len() > 0)
        & (pl.col("parties").list.len() == 0)
        & pl.col("kind").is_in(["party_control", "prohibition", "license_requirement"])
    )


def list_rules(effects: pl.DataFrame) -> pl.DataFrame:
    """(rkey, list) -> the most severe list-level party_control effect in force (no named parties)."""
    e = effects.filter(list_level()).unique(["rkey", "eid"])
    e = (
        e.explode("party_lists")
        .drop_nulls("party_lists")
        .with_columns(
            sev=pl.col("verdict")
            .fill_null("license_required")
            .replace_strict(SEVERITY, default=2, return_dtype=pl.Int64)
        )
    )
    # the earliest rule of the most severe kind is the list's baseline; later ones refine marked entries
    return (
        e.sort(["sev", "effective"], descending=[True, False])
        .unique(["rkey", "party_lists"], keep="first")
        .select(
            "rkey",
            pl.col("party_lists").alias("list"),
            pl.col("verdict").fill_null("license_required").alias("r_verdict"),
            pl.col("review_policy").alias("r_policy"),
            pl.col("citation").alias("r_citation"),
            pl.col("measure").alias("r_measure"),
            pl.col("control_reason").alias("r_reason"),
            pl.col("text").alias("r_text"),
            pl.col("waived").alias("r_waived"),
        )
    )


def party_reasons(
    hits: pl.DataFrame,
    rules: pl.DataFrame | None = None,
    builtins: dict[str, tuple[str, str, str, str]] | None = None,
) -> pl.DataFrame:
    """(row, reason) for each listing that bears on the transaction on its date.

    A hit on a list is judged by the list-level party_control measure in force for the row's regime
    (`rules`); without one, by the built-in rule of the list (`builtins`, the US lists); otherwise it is
    reported as information only.
    """
    if hits.height == 0:
        return pl.DataFrame(schema={"row": pl.Int64})
    _LIST_RULES = builtins if builtins is not None else _us_list_rules()  # noqa: N806
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
    not_yet = pl.col("listed_from").is_not_null() & (pl.col("as_of") < pl.col("listed_from"))
    # between the earliest and the sure listing date the data cannot tell: hold, naming why
    undated = (~not_yet) & pl.col("listed_by").is_not_null() & (pl.col("as_of") < pl.col("listed_by"))
    lst = pl.col("list")
    measure_hit = lst.str.starts_with("effect:")
    ruled = pl.col("r_verdict").is_not_null()
    known = lst.is_in(list(_LIST_RULES)) | measure_hit | ruled
    h = h.filter(known)

    def base(i: int) -> pl.Expr:
        return lst.replace_strict({k: v[i] for k, v in _LIST_RULES.items()}, default=None)

    def rule(i: int) -> pl.Expr:
        ruled_value = [
            base(0).fill_null("PARTY"),
            pl.col("r_reason").fill_null(lst),
            pl.col("r_verdict"),
            pl.col("r_citation"),
        ][i]
        return pl.when(ruled).then(ruled_value).otherwise(base(i))

    ear99 = pl.col("eccn_base") == "EAR99"
    meu_ear99 = (lst == "MEU") & ear99 & ~meu_all_items(pl.col("destination"), pl.col("as_of"))
    # a waiver (e.g. the PRC's May 14, 2025 suspension for named US firms) lifts the listing for them
    no_names = pl.lit([], pl.List(pl.Utf8))
    waived = pl.col("r_waived").fill_null(no_names).list.contains(
        normalize_names(pl.col("listed_name"))
    ) | pl.col("r_waived").fill_null(no_names).list.contains(normalize_names(pl.col("name")))
    # a possible match is for a person to review, unless the same party already matched exactly
    exact_party = (pl.col("match_score").fill_null(1.0) >= 1.0).any().over(["row", "role"])
    fuzzy = (pl.col("match_score").fill_null(1.0) < 1.0) & ~exact_party
    weak = (pl.col("match_score").fill_null(1.0) < 1.0) & exact_party
    decided = pl.col("suppressed_by").is_not_null() if "suppressed_by" in h.columns else pl.lit(False)
    effect = (
        pl.when(weak | waived | decided)
        .then(lit("info"))
        .when(fuzzy & ~not_yet)
        .then(lit("hold"))
        .when(measure_hit)
        .then(pl.col("m_verdict").fill_null("license_required"))
        .when(not_yet)
        .then(lit("info"))
        .when(undated & rule(2).is_in(["prohibited", "license_required"]))
        .then(lit("hold"))
        .when(meu_ear99)
        .then(lit("info"))
        .otherwise(rule(2).replace("no_license_required", "info"))
    )
    who = pl.concat_str(
        [pl.col("role"), lit(" '"), pl.col("name"), lit("' matches '"), pl.col("listed_name"), lit("'")]
    )
    text = (
        pl.when(decided)
        .then(
            pl.concat_str(
                [
                    who,
                    lit(" on the "),
                    lst,
                    lit(": suppressed as a false positive by "),
                    pl.col("suppressed_by"),
                ]
            )
        )
        .when(waived)
        .then(
            pl.concat_str(
                [who, lit(" on the "), lst, lit(": the listing is waived for this party on this date.")]
            )
        )
        .when(fuzzy & ~not_yet)
        .then(
            pl.concat_str(
                [
                    who,
                    lit(" on the "),
                    lst,
                    lit(" only as a possible match (score "),
                    pl.col("match_score").round(2).cast(pl.Utf8),
                    lit("): a person must review it."),
                ]
            )
        )
        .when(not_yet)
        .then(
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
            )
        )
        .when(undated & rule(2).is_in(["prohibited", "license_required"]))
        .then(
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
            )
        )
        .when(meu_ear99)
        .then(
            pl.concat_str(
                [
                    who,
                    lit(
                        " on the MEU List; §744.21(a)(1) reaches only "
                        "items in Supp. 2 to Part 744, not EAR99."
                    ),
                ]
            )
        )
        .when(lst == "MEU")
        .then(
            pl.concat_str(
                [
                    who,
                    lit(
                        " on the MEU List: license required for items in Supp. "
                        "2 to Part 744 (verify the ECCN is listed there)."
                    ),
                ]
            )
        )
        .when(lst == "UVL")
        .then(
            pl.concat_str(
                [
                    who,
                    lit(
                        " on the Unverified List: a red flag, license exceptions "
                        "unavailable, UVL statement needed; hold for review."
                    ),
                ]
            )
        )
        .when(measure_hit)
        .then(pl.concat_str([who, lit(": "), pl.col("m_text").fill_null("")]))
        .otherwise(
            pl.concat_str(
                [
                    who,
                    lit(": "),
                    pl.col("license_requirement").fill_null("listed"),
                    fdp_footnotes(pl.col("license_requirement")),
                ]
            )
        )
    )
    cite = (
        pl.when(measure_hit)
        .then(pl.col("m_citation"))
        .otherwise(
            pl.concat_str(
                [
                    rule(3),
                    pl.when(pl.col("federal_register_notice").is_not_null())
                    .then(pl.concat_str([lit("; "), pl.col("federal_register_notice")]))
                    .otherwise(lit("")),
                ]
            )
        )
    )
    policy = (
        pl.when(measure_hit)
        .then(pl.col("m_policy"))
        .when(pl.col("license_policy").is_not_null())
        .then(pl.col("license_policy"))
        .when(ruled)
        .then(pl.col("r_policy"))
        .when(lst == "MEU")
        .then(lit("presumption of denial"))
        .otherwise(pl.col("license_policy"))
    )
    # A hold that comes only from an uncertain match (a possible match, or a listing date known only to
    # the year) gives way when the same row already needs a license for sure, unless the list's own
    # rule could prohibit: a person's review would not change the answer, and it stays in the reasons.
    uncertain = (fuzzy & ~not_yet) | (undated & ~measure_hit)
    definite = effect.is_in(["license_required", "prohibited"]).any().over("row")
    effect = (
        pl.when((effect == "hold") & uncertain & definite & (rule(2) != "prohibited"))
        .then(lit("info"))
        .otherwise(effect)
    )
    return group_entries(
        h.with_columns(measure_hit.alias("_measure_hit")),
        reason_struct(
            step=pl.when(measure_hit).then(lit("GP5")).otherwise(rule(0)),
            code=pl.when(measure_hit).then(pl.col("m_reason").fill_null("PARTY")).otherwise(rule(1)),
            measure=pl.when(measure_hit)
            .then(pl.col("m_measure"))
            .when(ruled)
            .then(pl.col("r_measure"))
            .otherwise(None),
            citation=cite,
            effect=effect,
            review_policy=policy,
            le_ok=pl.lit(False),
            conditional=(lst == "MEU") & ~ear99,
            text=text,
        ),
    )


def screening_results(hits: pl.DataFrame) -> pl.DataFrame:
    """(row, parties) with one struct per hit: role, name, list, entity_id, listed_name, score."""
    if hits.height == 0:
        return pl.DataFrame(schema={"row": pl.Int64})
    return hits.group_by("row").agg(
        pl.struct(
            "role",
            "name",
            "list",
            pl.col("entity_id").cast(pl.Utf8),
            "listed_name",
            pl.col("match_score").cast(pl.Float64),
            *([pl.col("suppressed_by")] if "suppressed_by" in hits.columns else []),
        ).alias("screening")
    )
