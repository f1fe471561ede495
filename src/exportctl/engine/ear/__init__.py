"""The US EAR license determination: CCL and Country Chart, Part 744/746 controls, measures, exceptions."""

from __future__ import annotations

import polars as pl

from exportctl.engine.ear.determine import ENGINE_VERSION, prepare
from exportctl.engine.ear.determine import determine as determine_tables
from exportctl.engine.ear.tables import EarTables, from_dataset
from exportctl.engine.protocols import DatasetLike, Regimes


def determine(
    regime: Regimes, dataset: DatasetLike, transactions: pl.DataFrame, *, fuzzy: bool = False
) -> pl.DataFrame:
    """The architecture contract: (Regime or {rkey: Regime}, Dataset, transactions) -> answers."""
    csl = dataset.table("csl") if dataset.has("csl") else None
    return determine_tables(regime, from_dataset(dataset), transactions, csl, fuzzy=fuzzy)


__all__ = ["ENGINE_VERSION", "EarTables", "determine", "determine_tables", "from_dataset", "prepare"]
