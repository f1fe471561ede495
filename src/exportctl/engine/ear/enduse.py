"""GP5 end-use controls the registry does not (yet) date: a stated end use never reads as 'no license'."""

from __future__ import annotations

import polars as pl

from exportctl.engine.common.reasons import lit, reason_struct
from exportctl.engine.ear.parties import meu_all_items, meu_country


def meu_gap(keys: pl.DataFrame, measure_hits: pl.DataFrame) -> pl.DataFrame:
    """Hold a stated military end use in a §744.21 country on that day that no dated MEU measure reaches.

    The countries and the day each entered §744.21 are data (data/rules/us-ear.yaml `military_end_use`);
    the measures date the expansions of June 29, 2020 and the Russia/Belarus rules of 2022, not the
    earlier scope or the Burma, Cambodia and Nicaragua licence requirements: a known military end use
    there must not read as 'no license required'. EAR99 is left alone where only Supp. 2 items are
    reached (§744.21(a)(1): Supp. 2 to Part 744 lists ECCNs only).
    """
    covered = measure_hits.filter(pl.col("control_reason") == "MEU").select("kid").unique()
    all_items = meu_all_items(pl.col("destination"), pl.col("as_of"))
    gap = keys.filter(
        (pl.col("end_use") == "military")
        & meu_country(pl.col("destination"), pl.col("as_of"))
        & (all_items | (pl.col("eccn_base").fill_null("") != "EAR99"))
    ).join(covered, on="kid", how="anti")
    return gap.select(
        "kid",
        reason_struct(
            step=lit("GP5"),
            code=lit("MEU"),
            citation=lit("15 CFR 744.21 (military end use/user); Supp. 2 to Part 744"),
            effect=lit("hold"),
            le_ok=pl.lit(False),
            conditional=pl.lit(True),
            text=pl.concat_str(
                [
                    lit("Military end use stated for "),
                    pl.col("destination"),
                    lit(" on "),
                    pl.col("as_of").cast(pl.Utf8),
                    lit(
                        ": §744.21 may require a license (Supp. 2 items; any item for Russia/Belarus), but "
                        "the registry has no dated §744.21 measure for this destination and date."
                    ),
                ]
            ),
        ).alias("reason"),
    )
