"""One question naming parties answered in plain Python around the engine: what `check_table` gives for a
one-row book naming parties (roles, their names and countries), without the columnar plan on one row.

The question is read as ops.check_fast reads a plain one (a US export of an ECCN to a destination on a
day, optionally known on a day, an end use, a value in dollars; no product, no scenario), its parties'
names and countries as canonical, hold_unscreenable and resolve read them. Its key and key work come
from the one-row key path (engine.ear.one_key, the party countries in its key), its parties' row reasons,
screening and party facts from engine.ear.one_parties (the screening's own hits: the lists dated as
check_table dates them, the index, the Context's memory of fuzzy hits and the reviewers' decisions
`decided`), its row from engine.ear.one_finish.finish_one, framed as check_table frames it
(stable_order's content order of reasons and hits). None for anything else: the caller runs the plan.
tests/ops/test_check_fast_parties.py holds its answers equal to check_table's.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import polars as pl

from exportctl.engine.ear import checks as chk
from exportctl.engine.ear.one_finish import finish_one
from exportctl.errors import ExportctlError
from exportctl.ops.check_fast import PLAIN_FIELDS, _cell, _policies, _reason_order, _sources, plain_question
from exportctl.ops.check_input import ROLES, country_code
from exportctl.ops.check_parties import screenable

if TYPE_CHECKING:
    from exportctl.ops.check import Context

__all__ = ["PARTY_FIELDS", "answer_parties", "party_question"]

COUNTRIES = tuple(f"{r}_country" for r in ROLES)
# the fields of a question naming parties: a plain question's, the roles and their countries
PARTY_FIELDS = PLAIN_FIELDS | set(ROLES) | set(COUNTRIES)


def party_question(ctx: Context, row: Mapping[str, Any], known_on: dt.date | None) -> dict[str, Any] | None:
    """The question's engine fields (eccn, destination, as_of, known_on, end_use, value, the roles' names
    and countries) as canonical, hold_unscreenable and resolve read them, or None when it is not a
    question naming parties this path answers (or not surely one, or one with an input error: the plan
    then names it). Its fields other than the parties are read as ops.check_fast reads a plain question."""
    if not set(row) <= PARTY_FIELDS:
        return None
    src = _sources(tuple(row))
    if src is None:
        return None
    read = {c: _cell(row[c]) for c in (*ROLES, *COUNTRIES) if c in row and src.get(c) == c}
    if any(c is False for c in read.values()) or len(read) != len(set(row) & {*ROLES, *COUNTRIES}):
        return None
    names = {r: read[r] for r in ROLES if isinstance(read.get(r), str)}
    if not names or not all(screenable(n) for n in names.values()):
        return None
    plain = plain_question(ctx, {k: v for k, v in row.items() if k not in read}, known_on)
    if plain is None or plain.product is not None:
        return None  # a product with parties: the plan (this path is held equal to it without one)
    try:
        countries = {
            c: country_code(v, field=c) if isinstance(v := read.get(c), str) else None for c in COUNTRIES
        }
    except ExportctlError:
        return None
    return {**plain._asdict(), **countries, **names}


def answer_parties(
    ctx: Context,
    row: Mapping[str, Any],
    known_on: dt.date | None,
    *,
    fuzzy: bool,
    decided: pl.DataFrame | None,
) -> dict[str, Any] | None:
    """The RESULT_COLUMNS row check_table(fuzzy=fuzzy, suppressed=decided) gives for the one-row book
    `row` naming parties on `ctx`, with `known_on` filling a row without one; None when the path does not
    answer it (the plan does)."""
    from exportctl.engine.ear.determine import ENGINE_VERSION
    from exportctl.engine.ear.one_key import key_one, key_work_one
    from exportctl.engine.ear.one_parties import party_work_one
    from exportctl.ops.check import index_key, remembering_parties, warm_indexes
    from exportctl.registry import compile_regime

    q = party_question(ctx, row, known_on)
    if q is None:
        return None
    regime = compile_regime(ctx.registry, q["as_of"], q["known_on"], None)
    determine = sys.modules["exportctl.engine.ear.determine"]
    csl = ctx.us_lists()
    fixed = determine._fixed({0: regime}, ctx.tables, csl, ctx.version)
    tx = {**q, "row": 1, "rkey": 0, "kid": 0, "exporting": "US", "parties_screened": True}
    key = key_one(tx, regime, fixed, ctx.tables)
    work = key_work_one(key, fixed, ctx.tables, regime) if key is not None else None
    if work is None:
        return None
    keys_row, key_reasons, kchecks = work
    ikey = index_key(ctx)
    if fuzzy:
        names = pl.DataFrame({r: [q.get(r)] for r in ROLES}, schema=dict.fromkeys(ROLES, pl.Utf8))
        warm_indexes(ctx, ikey, names, names.clear())
    with remembering_parties(ctx, fuzzy and decided is not None):
        parties = party_work_one(
            {**tx, "eccn_base": keys_row["eccn_base"]},
            keys_row,
            fixed,
            csl_missing=csl is None,
            fuzzy=fuzzy,
            index_key=ikey + ":us",
            suppressed=decided,
        )
    if parties is None:
        return None
    done = finish_one(
        keys_row,
        key_reasons,
        kchecks,
        value=q["value"],
        pfacts=parties.pfacts,
        lists_what=fixed.lists_what,
        dpl_what=fixed.dpl_what,
        order=chk.US_ORDER,
        sections=ctx.tables.exception_sections,
        row_reasons=parties.reasons,
        screening=parties.screening,
    )
    return {
        "verdict": done["verdict"],
        "license_required": done["license_required"],
        "parties_screened": True,
        "reasons": sorted(done["reasons"], key=_reason_order),
        "review_policy": _policies(done["review_policy"]),
        "exceptions": done["exceptions"],
        "screening": _hit_order(done["screening"]),
        "checks": done["checks"],
        "as_of": q["as_of"],
        "known_on": q["known_on"],
        "data_version": ctx.version,
        "engine_version": ENGINE_VERSION,
        "regime": regime.id,
        "error": None,
    }


def _hit_order(hits: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """stable_order's screening: a measure's party shown as list 'measure', the hits in its order."""
    if hits is None:
        return None
    shown = [{**h, "list": "measure" if (h["list"] or "").startswith("effect:") else h["list"]} for h in hits]
    return sorted(
        shown,
        key=lambda h: (
            h["role"] or "",
            -(h["match_score"] if h["match_score"] is not None else 0.0),
            h["list"] or "",
            h["entity_id"] or "",
            h["listed_name"] or "",
            h["name"] or "",
        ),
    )
