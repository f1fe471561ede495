"""Lookups (dicts) for one key's EAR work, prepared once per EarTables, Dated, effects frame and families
frame, found by identity: what the columnar plan joins on, as plain Python (engine.ear.one_key)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from exportctl.engine.common.measures import ITEM_KINDS, effect_rows, expand_destinations
from exportctl.engine.common.memo import ByIdentity, Lru
from exportctl.engine.ear.ccl import footnote_rules
from exportctl.engine.ear.dating import Dated
from exportctl.engine.ear.one_rules import Row, cat
from exportctl.engine.ear.tables import EarTables
from exportctl.engine.protocols import ControlsRegimeLike
from exportctl.registry.rules import EarRules, ear_rules

__all__ = [
    "DatedLookups",
    "EffectLookups",
    "TableLookups",
    "dated_lookups",
    "effect_lookups",
    "md5_of",
    "regime_lookups",
    "table_lookups",
]


@dataclass(frozen=True)
class TableLookups:
    """The EAR tables by key: CCL rows per ECCN, chart rows, territory inheritance, footnote rules."""

    rows: dict[str, list[Row]]  # eccn -> its control rows (tables.rows order)
    labels: dict[str, tuple[str, list[str], bool]]  # eccn -> (_labels, _cols, _text_rules) of checks
    reasons: set[tuple[str, str]]  # (eccn, reason) of the control rows
    eccns: dict[str, tuple[Any, Any, Any]]  # eccn -> (lvs, lvs_limit, gbs)
    inherit: dict[str, tuple[str | None, dt.date | None]]  # iso -> (row_iso, since)
    chart: dict[str, tuple[list[int], str | None]]  # iso -> (footnotes, pointer)
    footnotes: list[Row]  # chart.footnote_requirements' rules
    ok: bool  # every key above is unique in its table (else the one-row path refuses)


_TABLES: ByIdentity[TableLookups] = ByIdentity(4)


def table_lookups(tables: EarTables) -> TableLookups:
    """TableLookups of `tables`, built once per EarTables object."""
    return _TABLES.get_or_build(tables, lambda: _tables(tables))


def _tables(tables: EarTables) -> TableLookups:
    rows: dict[str, list[Row]] = {}
    for r in tables.rows.iter_rows(named=True):
        rows.setdefault(r["eccn"], []).append(r)
    labels: dict[str, tuple[str, list[str], bool]] = {}
    for eccn, rs in rows.items():
        names = set()
        for r in rs:
            label = r["column"] if r["column"] is not None else cat(r["reason"], " §", r["section"])
            if label is not None:
                names.add(label)
        cols = sorted({r["column"] for r in rs if r["column"] is not None})
        labels[eccn] = (", ".join(sorted(names)), cols, any(r["column"] is None for r in rs))
    eccn_rows = tables.eccns.select("eccn", "lvs", "lvs_limit", "gbs").rows()
    inherit_rows = tables.inherit.select("iso", "row_iso", "since").rows()
    chart_rows = tables.chart.select("iso", pl.col("footnotes").cast(pl.List(pl.Int64)), "pointer").rows()
    ok = all(len({r[0] for r in frame}) == len(frame) for frame in (eccn_rows, inherit_rows, chart_rows))
    return TableLookups(
        rows=rows,
        labels=labels,
        reasons={(r["eccn"], r["reason"]) for rs in rows.values() for r in rs},
        eccns={e: (lvs, lim, gbs) for e, lvs, lim, gbs in eccn_rows},
        inherit={iso: (row, since) for iso, row, since in inherit_rows},
        chart={iso: (fns if fns is not None else [], ptr) for iso, fns, ptr in chart_rows},
        footnotes=footnote_rules(tables.footnotes),
        ok=ok,
    )


@dataclass(frozen=True)
class DatedLookups:
    """A Dated's frames by key: epochs per regime, marks and groups per (epoch, country), §740.2(a)(9)."""

    epochs: dict[int, tuple[int, int]]  # rkey -> (eg, em)
    marks: dict[tuple[int, str], list[str]]  # (em, iso) -> columns
    groups: dict[tuple[int, str], list[str]]  # (eg, iso) -> groups


_DATED: ByIdentity[DatedLookups] = ByIdentity(8)
# the marks and groups frames are kept per epoch (dating._Snapshot): a new day of a known epoch finds them
_PAIRS: ByIdentity[dict[tuple[int, str], list[str]]] = ByIdentity(64)  # ~2,000 pairs each


def dated_lookups(dated: Dated) -> DatedLookups:
    """DatedLookups of `dated`, built once per Dated object (its marks and groups once per frame)."""
    return _DATED.get_or_build(dated, lambda: _dated(dated))


def _dated(dated: Dated) -> DatedLookups:
    marks = _PAIRS.get_or_build(dated.marks, lambda: _pairs(dated.marks, "em", "column"))
    groups = _PAIRS.get_or_build(dated.groups, lambda: _pairs(dated.groups, "eg", "group"))
    # read by column, no query: a polars query waits for its thread pool, milliseconds on a loaded machine
    e = dated.epochs.to_dict(as_series=False)
    epochs = {k: (eg, em) for k, eg, em in zip(e["rkey"], e["eg"], e["em"], strict=True)}
    return DatedLookups(epochs, marks, groups)


def _pairs(frame: pl.DataFrame, epoch: str, col: str) -> dict[tuple[int, str], list[str]]:
    """{(epoch, iso): values in the frame's order}: groups.destination_facts' group_by/agg."""
    out: dict[tuple[int, str], list[str]] = {}
    # by column, no query (faster than rows; a query waits for polars' thread pool)
    for e, iso, value in zip(
        frame[epoch].to_list(), frame["iso"].to_list(), frame[col].to_list(), strict=True
    ):
        out.setdefault((e, iso), []).append(value)
    return out


# per Dated: {(rkey, id(rules)): (rules, destinations)} (the rules held, so their id is not reused)
_MD5: ByIdentity[dict[tuple[int, int], tuple[object, frozenset[str] | None]]] = ByIdentity(16)


def md5_of(dated: Dated, rkey: int) -> frozenset[str] | None:
    """Dated.d5_md's destinations for one regime key (Macau and D:5 on its date), None without it; read
    once per (Dated, regime key, rules file read)."""
    rules = ear_rules()
    kept = _MD5.get_or_build(dated, dict)
    found = kept.get((rkey, id(rules)))
    if found is None or found[0] is not rules:
        found = kept[(rkey, id(rules))] = (rules, _md5(dated, rkey, rules))
    return found[1]


def _md5(dated: Dated, rkey: int, rules: EarRules) -> frozenset[str] | None:
    groups = dated.by_rkey.get(rkey)
    if groups is None:
        return None
    names = rules.advanced_restricted_destinations.scope.destinations
    return frozenset(expand_destinations(names, groups, rules.followers(dated.regimes[rkey].as_of)))


@dataclass(frozen=True)
class EffectLookups:
    """An effects frame by key: what match_effects, apply_removals and the checks read of it."""

    exact: dict[tuple[int, str], list[Row]]  # (rkey, ECCN) -> selector rows naming it
    wild: dict[int, list[Row]]  # rkey -> ECCN prefix selector rows ('3A*')
    anyitem: dict[int, list[Row]]  # rkey -> rows on any item
    named: dict[int, list[Row]]  # rkey -> product/keyword selector rows
    codes: dict[int, list[Row]]  # rkey -> PRC code / HTS selector rows
    payload: dict[int, Row]  # eid -> the effect's row
    removals: dict[tuple[int, str], list[Row]]  # (rkey, ECCN) -> control_removed rows naming it
    ru_dests: dict[int, set[str]]  # rkey -> destinations of the RS-RU effects
    n_measures: dict[int, int]  # rkey -> measures in force
    eu_rules: dict[int, str | None]  # rkey -> end-use rules in force
    n_rows: int = 0  # effect rows read (one per item selector)


# one per effects frame: compile_effects gives a day the frame of an earlier day of the same content, so
# the lookups of the contents a process has met are kept (~200 effect rows, ~150 KB each)
_EFFECTS: ByIdentity[EffectLookups] = ByIdentity(64)


def effect_lookups(effects: pl.DataFrame) -> EffectLookups:
    """EffectLookups of `effects` (Fixed.effects), built once per frame object."""
    return _EFFECTS.get_or_build(effects, lambda: _effects(effects))


# the effect columns the key work reads
COLUMNS = [
    "rkey",
    "eid",
    "kind",
    "sel",
    "sel_base",
    "sel_para",
    "dests",
    "dests_not",
    "hq",
    "end_uses",
    "exporting",
    "parties",
    "party_lists",
    "control_reason",
    "ccl_rows",
    "review_policy",
    "verdict",
    "exceptions",
    "exceptions_available",
    "measure",
    "citation",
    "url",
    "text",
]


def _effects(effects: pl.DataFrame) -> EffectLookups:
    columns = [effects[c].to_list() for c in COLUMNS]  # by column, no query
    return _from_rows([dict(zip(COLUMNS, values, strict=True)) for values in zip(*columns, strict=True)])


def _from_rows(rows: list[Row]) -> EffectLookups:
    """EffectLookups of effect rows (measures.EFFECT_SCHEMA dicts), in the frame's order."""
    out = EffectLookups({}, {}, {}, {}, {}, {}, {}, {}, {}, {})
    measures: dict[int, set[str | None]] = {}
    sections: dict[int, dict[str, set[str]]] = {}
    for r in rows:
        rkey = r["rkey"]
        measures.setdefault(rkey, set()).add(r["measure"])
        if r["end_uses"]:
            why = r["control_reason"] if r["control_reason"] is not None else r["kind"]
            found = sections.setdefault(rkey, {}).setdefault(why, set())
            found.update(re.findall(r"7\d\d\.\d+", r["citation"] or ""))
        if r["kind"] == "control_removed" and r["sel"] == "eccn":
            out.removals.setdefault((rkey, r["sel_base"]), []).append(r)
        if r["control_reason"] == "RS-RU":
            out.ru_dests.setdefault(rkey, set()).update(d for d in (r["dests"] or []) if d is not None)
        # items.item_reasons matches the effects naming no party (its _split), through
        # measures._prepared: item kinds, not governing a whole party list
        if r["parties"] is None or r["parties"] or r["kind"] not in ITEM_KINDS:
            continue
        if r["party_lists"] is None or r["party_lists"]:
            continue
        out.payload.setdefault(r["eid"], r)
        sel, base = r["sel"], r["sel_base"]
        if sel == "eccn" and base is None:
            continue
        if sel == "eccn" and base.endswith("*"):
            out.wild.setdefault(rkey, []).append(r)
        elif sel == "eccn":
            out.exact.setdefault((rkey, base), []).append(r)
        elif sel == "any":
            out.anyitem.setdefault(rkey, []).append(r)
        elif sel in ("product", "keyword"):
            out.named.setdefault(rkey, []).append(r)
        elif sel in ("code", "hts"):
            out.codes.setdefault(rkey, []).append(r)
    out = replace(out, n_rows=len(rows))
    # common.checks._end_use_rules: the measures counted per regime, the end-use rules with their sections
    for rkey, names in measures.items():
        out.n_measures[rkey] = len(names)
        labels = [
            why + (f" (§{', §'.join(sorted(found))})" if found else "")
            for why, found in sections.get(rkey, {}).items()
        ]
        out.eu_rules[rkey] = ", ".join(sorted(labels)) if labels else None
    return out


# per regime effect content (~180 KB each; a random day of 2018-2026 meets one of a few hundred)
_CONTENT: Lru[tuple[tuple[Any, ...], EffectLookups]] = Lru(128)


def regime_lookups(
    regimes: Mapping[int, ControlsRegimeLike],
    dated: Dated,
    jurisdictions: tuple[str, ...],
    followers: Callable[[dt.date | None], Mapping[str, Sequence[str]]],
) -> EffectLookups:
    """The EffectLookups of the effects frame keying.compile_effects would build for `regimes`, from the
    same rows (measures.effect_rows, numbered as compile_effects numbers them) without building the
    frame; kept per (regime key, numbering start, effect objects, Country Groups frame, followers), as
    compile_effects keeps a regime's rows."""
    parts: list[EffectLookups] = []
    start = 0
    for rkey, regime in regimes.items():
        effects = [a for j in jurisdictions for a in regime.effects(jurisdiction=j)]
        groups = dated.groups_of(rkey)
        follow = followers(getattr(regime, "as_of", None))
        held = [(a.effect, a.measure, tuple(getattr(a, "waived_parties", ()))) for a in effects]
        sources: tuple[Any, ...] = (groups, *(x for e, m, _ in held for x in (e, m)))
        key = (
            rkey,
            start,
            jurisdictions,
            id(groups),
            tuple(sorted((k, tuple(v)) for k, v in follow.items())),
            tuple((id(e), id(m), w) for e, m, w in held),
        )
        found = _CONTENT.get(key)
        if found is not None and all(a is b for a, b in zip(found[0], sources, strict=True)):
            part = found[1]
            n = part.n_rows
        else:
            rows = effect_rows(rkey, effects, groups, start=0, followers=follow)
            for r in rows:
                r["eid"] += start
            part = _CONTENT.put(key, (sources, _from_rows(rows)))[1]
            n = len(rows)
        parts.append(part)
        start += n
    return parts[0] if len(parts) == 1 else _merged(parts)


def _merged(parts: list[EffectLookups]) -> EffectLookups:
    """One EffectLookups of several regimes' (their keys are disjoint: rkey, eid)."""
    out = EffectLookups({}, {}, {}, {}, {}, {}, {}, {}, {}, {})
    for p in parts:
        for name in EffectLookups.__dataclass_fields__:
            if name != "n_rows":
                getattr(out, name).update(getattr(p, name))
    return out
