"""The engines' typed seams are met by the real parts: a compiled regime of the bundled registry, its active
effects, and the bundled data pack held as a Dataset; and the engines run on exactly those."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from exportctl.data.pack import load_pack
from exportctl.engine import china, ear
from exportctl.engine.protocols import ActiveLike, ControlsRegimeLike, DatasetLike, RegimeLike, SourceLike
from exportctl.registry import compile_regime, load_registry
from exportctl.registry.compile import Regime
from exportctl.store.dataset import Dataset


@pytest.fixture(scope="module")
def regime() -> Regime:
    return compile_regime(load_registry(), "2025-05-01")


@pytest.fixture(scope="module")
def pack() -> Dataset:
    wanted = {"ccl", "country_chart", "country_groups", "license_exceptions", "cn_parties", "csl"}
    return Dataset.from_tables([t for t in load_pack() if t.name in wanted])


def test_a_compiled_regime_is_every_regime_protocol(regime: Regime) -> None:
    assert isinstance(regime, RegimeLike)
    assert isinstance(regime, ControlsRegimeLike)
    active = regime.effects(jurisdiction="US-EAR")
    assert active and all(isinstance(a, ActiveLike) for a in active)


def test_the_bundled_pack_is_a_dataset(pack: Dataset) -> None:
    assert isinstance(pack, DatasetLike)
    assert pack.sources and all(isinstance(s, SourceLike) for s in pack.sources)


def test_an_object_missing_a_member_is_not_a_regime() -> None:
    class OnlyDated:
        id = "x"
        covered = True

    assert not isinstance(OnlyDated(), RegimeLike)
    assert not isinstance(object(), DatasetLike)


def test_both_engines_answer_on_the_real_parts(regime: Regime, pack: Dataset) -> None:
    tx = pl.DataFrame(
        {
            "row": [1],
            "eccn": ["EAR99"],
            "destination": ["DE"],
            "as_of": [dt.date(2025, 5, 1)],
            "exporting": ["US"],
        }
    )
    us = ear.determine(regime, pack, tx)
    cn = china.determine({0: regime}, pack, tx.with_columns(rkey=pl.lit(0, pl.Int64), exporting=pl.lit("CN")))
    assert us.height == 1 and cn.height == 1
    assert us["verdict"][0] == "no_license_required"
    assert cn["verdict"][0] is not None
