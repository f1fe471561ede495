"""Party screening shared by the engines: the lists screened, the hits per transaction party, reviewers'
false-positive decisions, the list-level measures in force, and the screening column of an answer.

Listings are dated (engine.list_dates): the lists carry `listed_from` and `listed_by`; the reading of a
hit on its date is `party_reasons`.
"""

from __future__ import annotations

import polars as pl

from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.list_dates import DATE_COLUMNS
from exportctl.engine.parties import match_parties

__all__ = [
    "SEVERITY",
    "list_level",
    "list_rules",
    "mark_suppressed",
    "party_lists",
    "screen_rows",
    "screening_results",
]

SEVERITY = {"prohibited": 4, "hold": 3, "license_required": 2, "info": 1, "no_license_required": 0}


_LISTS: ByIdentity[ByIdentity[pl.DataFrame]] = ByIdentity(4)  # per CSL frame, then per measures' parties


def party_lists(csl: pl.DataFrame | None, measure_parties: pl.DataFrame | None) -> pl.DataFrame:
    """The screened lists: the CSL (all its lists) plus the party names of measures in force; the same
    frames give the same lists frame (kept), whose screening memos then serve a new day too."""
    if csl is None or measure_parties is None:
        return _party_lists(csl, measure_parties)
    by_parties = _LISTS.get_or_build(csl, lambda: ByIdentity(8))
    return by_parties.get_or_build(measure_parties, lambda: _party_lists(csl, measure_parties))


def _party_lists(csl: pl.DataFrame | None, measure_parties: pl.DataFrame | None) -> pl.DataFrame:
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


_DATES: ByIdentity[pl.DataFrame] = ByIdentity(4)  # per lists frame (kept by the engines)


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
        dates = _DATES.get_or_build(
            lists,
            lambda: lists.select(
                pl.col("list").cast(pl.Utf8), pl.col("entity_id").cast(pl.Utf8), *DATE_COLUMNS
            ).unique(["list", "entity_id"], keep="first"),
        )
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


def list_level() -> pl.Expr:
    """Effects that govern every entry of a party list (party lists named, no party named)."""
    return (
        (pl.col("party_lists").list.len() > 0)
        & (pl.col("parties").list.len() == 0)
        & pl.col("kind").is_in(["party_control", "prohibition", "license_requirement"])
    )


_RULES: ByIdentity[pl.DataFrame] = ByIdentity(8)  # per effects frame (kept by compile_effects)


def list_rules(effects: pl.DataFrame) -> pl.DataFrame:
    """(rkey, list) -> the most severe list-level party_control effect in force (no named parties)."""
    return _RULES.get_or_build(effects, lambda: _list_rules(effects))


def _list_rules(effects: pl.DataFrame) -> pl.DataFrame:
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
