"""GP4 and GP5 by party: how the EAR reads a hit on a US list (the Denied Persons, Entity, Military
End-User and Unverified Lists, OFAC's SDNs), beyond the dating and matching steps every engine shares
(engine.common.party_reasons), and the dated country rules of §744.21.
"""

from __future__ import annotations

import polars as pl

from exportctl.engine.common.party_reasons import Hit, ListReading, Steps
from exportctl.engine.common.party_reasons import party_reasons as read_hits
from exportctl.engine.common.reasons import lit
from exportctl.registry.rules import CountryRule, ear_rules

__all__ = [
    "FDP_FOOTNOTES",
    "LIST_TEXTS",
    "fdp_footnotes",
    "in_force",
    "meu_all_items",
    "meu_country",
    "party_reasons",
    "us_list_reading",
]

# what a hit on the MEU List (§744.21(a)(1): Supp. 2 items only) and the Unverified List (§744.15) reads
LIST_TEXTS = {
    "MEU-EAR99": " on the MEU List; §744.21(a)(1) reaches only items in Supp. 2 to Part 744, not EAR99.",
    "MEU": (
        " on the MEU List: license required for items in Supp. 2 to Part 744 (verify the ECCN is listed "
        "there)."
    ),
    "UVL": (
        " on the Unverified List: a red flag, license exceptions unavailable, UVL statement needed; hold for "
        "review."
    ),
}
# §734.9's FDP footnotes an Entity List entry's licence requirement cites: (pattern, note)
FDP_FOOTNOTES = (
    (r"734\.9\(e\)\s*\(?1", " [footnote 1: FDP §734.9(e)(1)]"),
    (r"734\.9\(e\)\s*\(?2", " [footnote 4: FDP §734.9(e)(2)]"),
    (r"734\.9\(e\)\s*\(?3", " [footnote 5: FDP §734.9(e)(3)]"),
    (r"734\.9\(g\)", " [footnote 3: FDP §734.9(g)]"),
)


def fdp_footnotes(requirement: pl.Expr) -> pl.Expr:
    """§734.9(e)(1) FN1, (e)(2) FN4, (e)(3) FN5, (g) FN3: the Entity List FDP footnotes an entry cites."""
    t = requirement.fill_null("")
    parts = [
        pl.when(t.str.contains(pattern)).then(lit(note)).otherwise(lit("")) for pattern, note in FDP_FOOTNOTES
    ]
    return pl.concat_str(parts)


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


def _meu_ear99(hit: Hit) -> pl.Expr:
    """§744.21(a)(1): an MEU List entry reaches only Supp. 2 items, never EAR99 (outside (a)(2))."""
    ear99 = pl.col("eccn_base") == "EAR99"
    return (hit.lst == "MEU") & ear99 & ~meu_all_items(pl.col("destination"), pl.col("as_of"))


def _meu_effect(hit: Hit) -> Steps:
    """§744.21(a)(1): an EAR99 item to an MEU List entry is information only."""
    return [(_meu_ear99(hit), lit("info"))]


def _meu_conditional(hit: Hit) -> pl.Expr:
    """§744.21, Supp. 2 to Part 744: an MEU List hit on a CCL item holds only if the ECCN is listed there."""
    return (hit.lst == "MEU") & ~(pl.col("eccn_base") == "EAR99")


def _list_texts(hit: Hit) -> Steps:
    """§744.21(a)(1) (MEU List: Supp. 2 items only) and §744.15 (Unverified List: a red flag)."""
    who = hit.who
    return [
        (
            _meu_ear99(hit),
            pl.concat_str(
                [
                    who,
                    lit(LIST_TEXTS["MEU-EAR99"]),
                ]
            ),
        ),
        (
            hit.lst == "MEU",
            pl.concat_str(
                [
                    who,
                    lit(LIST_TEXTS["MEU"]),
                ]
            ),
        ),
        (
            hit.lst == "UVL",
            pl.concat_str(
                [
                    who,
                    lit(LIST_TEXTS["UVL"]),
                ]
            ),
        ),
    ]


def _meu_policy(hit: Hit) -> Steps:
    """§744.21: licences for a military end user on the MEU List are reviewed with a presumption of denial."""
    return [(hit.lst == "MEU", lit("presumption of denial"))]


def us_list_reading() -> ListReading:
    """The EAR's reading of the US lists: their rules (data/rules/us-ear.yaml `party_lists`), §744.21
    for the MEU List, §744.15 for the Unverified List and the §734.9 FDP footnotes of the Entity List."""
    return ListReading(
        builtins=ear_rules().list_rules(),
        measure_step="GP5",
        effect=_meu_effect,
        text=_list_texts,
        policy=_meu_policy,
        detail=fdp_footnotes,
        conditional=_meu_conditional,
    )


def party_reasons(hits: pl.DataFrame, rules: pl.DataFrame | None = None) -> pl.DataFrame:
    """(row, reason) for each US listing that bears on the transaction on its date (GP4, GP5, OFAC)."""
    return read_hits(hits, rules, us_list_reading())
