"""A new day's regime reuses what an earlier day built from the same content, and gets what it would build
fresh: the dated Country Groups and Chart (engine.ear.dating, kept per epoch) and the effect rows
(engine.common.keying, kept per effect objects, groups and followers), on random days around the days
the registry's US measures change, asked in random order."""

from __future__ import annotations

import datetime as dt
import importlib

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.engine.common import keying, measures, party_rows
from exportctl.engine.common import lists as party_lists
from exportctl.engine.common.memo import ByIdentity, Lru
from exportctl.engine.ear import dating
from exportctl.ops.warm import shared_context
from exportctl.registry import compile_regime
from exportctl.registry.rules import ear_rules

determine = importlib.import_module("exportctl.engine.ear.determine")


def _days() -> list[dt.date]:
    reg = shared_context().registry
    days = {
        day + dt.timedelta(days=shift)
        for m in reg.measures.values()
        if m.jurisdiction in determine.US_JURISDICTIONS
        for e in m.effects
        if (day := getattr(e, "effective", None) or m.effective) is not None
        for shift in (-1, 0, 1)
    }
    return sorted(days)


DAYS = _days()


def _built(days: list[dt.date]) -> tuple[dating.Dated, pl.DataFrame]:
    ctx = shared_context()
    regimes = {k: compile_regime(ctx.registry, d) for k, d in enumerate(days)}
    dated = dating.prepare(regimes, ctx.tables)
    rules = ear_rules()
    return dated, keying.compile_effects(
        regimes, ctx.tables, determine.US_JURISDICTIONS, dated, rules.followers
    )


def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing kept: every memo of a new day's Dated and effect rows starts empty."""
    monkeypatch.setattr(dating, "_SNAPSHOTS", Lru(4))
    monkeypatch.setattr(keying, "_EFFECTS", Lru(1024))
    monkeypatch.setattr(keying, "_CONTENT", Lru(256))
    monkeypatch.setattr(measures, "_MEMBERS", ByIdentity(8))
    monkeypatch.setattr(keying, "_NUMBERED", Lru(32))
    monkeypatch.setattr(party_lists, "_RULES", ByIdentity(8))
    monkeypatch.setattr(party_lists, "_LISTS", ByIdentity(4))
    monkeypatch.setattr(party_rows, "_PARTIES", ByIdentity(8))


def _from_effects(effects: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(list rules, screened lists) built from the effect rows."""
    lists = party_lists.party_lists(shared_context().us_lists(), party_rows.measure_parties(effects))
    return party_lists.list_rules(effects), lists


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    before=st.lists(st.sampled_from(DAYS), max_size=4),
    days=st.lists(st.sampled_from(DAYS), min_size=1, max_size=3),
)
def test_a_new_day_gets_what_it_would_build_fresh(
    monkeypatch: pytest.MonkeyPatch, before: list[dt.date], days: list[dt.date]
) -> None:
    for day in before:  # other days built first: their epochs and effect rows are kept
        _from_effects(_built([day])[1])
    dated, effects = _built(days)
    rules, lists = _from_effects(effects)
    with monkeypatch.context() as m:
        _fresh(m)
        dated_0, effects_0 = _built(days)
        rules_0, lists_0 = _from_effects(effects_0)
    assert effects.equals(effects_0, null_equal=True)
    # the measures' parties and list_rules come in polars' order (unique), not a fixed one: compared sorted
    by = ["list", "entity_id", "name"]
    assert lists.sort(by, maintain_order=True).equals(lists_0.sort(by, maintain_order=True), null_equal=True)
    assert rules.sort("rkey", "list").equals(rules_0.sort("rkey", "list"), null_equal=True)
    assert dated.epochs.equals(dated_0.epochs)
    assert dated.groups.equals(dated_0.groups) and dated.marks.equals(dated_0.marks)
    for rkey in range(len(days)):
        assert dated.groups_of(rkey).equals(dated_0.groups_of(rkey))
    assert dated.d5_md().equals(dated_0.d5_md())
    assert _holds(dated) == _holds(dated_0)


def _holds(dated: dating.Dated) -> list[tuple[int, str]]:
    """(kid, text) of the snapshot holds of a few keys on each regime of `dated`, sorted."""
    keys = (
        pl.DataFrame(
            [
                {"rkey": rkey, "eccn_base": eccn, "row_iso": iso, "destination": dest}
                for rkey in dated.regimes
                for eccn, iso, dest in (("3A090", "CN", "CN"), ("5A002", "KR", "KR"), ("0A501", None, "HK"))
            ]
        )
        .with_row_index("kid")
        .with_columns(pl.col("kid").cast(pl.Int64))
    )
    held = dating.holds(keys, dated, shared_context().tables)
    if "reason" not in held.columns:
        return []
    return sorted((k, r["text"]) for k, r in held.select("kid", "reason").iter_rows())


def test_a_day_of_the_same_content_shares_the_effect_rows() -> None:
    """Two days a week apart with no US measure changing between them: one effect rows frame."""
    changes = set(DAYS)
    day = next(
        d for d in DAYS[::-1] if not any(d + dt.timedelta(days=n) in changes for n in range(1, 9))
    ) + dt.timedelta(days=2)
    ctx = shared_context()
    a, b = compile_regime(ctx.registry, day), compile_regime(ctx.registry, day + dt.timedelta(days=5))
    assert a.id != b.id
    rules = ear_rules()
    jur = determine.US_JURISDICTIONS
    da, db = dating.prepare({0: a}, ctx.tables), dating.prepare({0: b}, ctx.tables)
    keying.compile_effects({0: a}, ctx.tables, jur, da, rules.followers)
    kept = len(keying._CONTENT)
    ea = keying.compile_effects({0: a}, ctx.tables, jur, da, rules.followers)
    eb = keying.compile_effects({0: b}, ctx.tables, jur, db, rules.followers)
    assert da.groups_of(0) is db.groups_of(0)
    assert len(keying._CONTENT) == kept
    assert ea is eb and _from_effects(ea)[1] is _from_effects(eb)[1]  # the same screened lists frame
