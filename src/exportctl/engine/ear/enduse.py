"""GP5 end-use controls the registry does not (yet) date: a stated end use never reads as 'no license'."""

from __future__ import annotations

import polars as pl

from exportctl.engine.ear.parties import MEU_COUNTRIES
from exportctl.engine.ear.reasons import lit, reason_struct


def meu_gap(keys: pl.DataFrame, measure_hits: pl.DataFrame) -> pl.DataFrame:
    """Hold a stated military end use in a §744.21 country (2026 text) that no dated MEU measure reaches.

    The registry dates §744.21 for China (June 29, 2020) and Russia/Belarus (2022); the Russia and
    Venezuela scope of June 2020, the 2007 China rule and the later Burma, Cambodia and Nicaragua
    additions are not recorded: a known military end use there must not read as 'no license required'.
    EAR99 outside Russia/Belarus is left alone (Supp. 2 to Part 744 lists ECCNs only).
    """
    covered = measure_hits.filter(pl.col("control_reason") == "MEU").select("kid").unique()
    ru_by = pl.col("destination").is_in(["RU", "BY"])
    gap = keys.filter(
        (pl.col("end_use") == "military")
        & pl.col("destination").is_in(MEU_COUNTRIES)
        & (ru_by | (pl.col("eccn_base").fill_null("") != "EAR99"))
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
