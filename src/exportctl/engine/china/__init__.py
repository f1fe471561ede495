"""China's export-control determination: MOFCOM item controls by date and the PRC party lists."""

from __future__ import annotations

import polars as pl

from exportctl.engine.china.determine import ENGINE_VERSION
from exportctl.engine.china.determine import determine as determine_tables
from exportctl.engine.common.keying import country_groups
from exportctl.engine.protocols import DatasetLike, Regimes


def determine(
    regime: Regimes, dataset: DatasetLike, transactions: pl.DataFrame, *, fuzzy: bool = False
) -> pl.DataFrame:
    """The architecture contract: (Regime or {rkey: Regime}, Dataset, transactions) -> answers."""
    parties = dataset.table("cn_parties") if dataset.has("cn_parties") else None
    return determine_tables(regime, country_groups(dataset), transactions, parties, fuzzy=fuzzy)


__all__ = ["ENGINE_VERSION", "determine", "determine_tables"]
