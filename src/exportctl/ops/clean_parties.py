"""A single question whose every party screens clean, answered as the same question with stand-in parties.

The inline ERP case is a known item and destination with a new consignee on every call: its key is new,
so it ran the whole columnar plan on one row (~90 ms at load 1) although the answer takes from a party
only what screening finds for it. In the US engine (engine/ear/determine.py) a party reaches the answer
through its hits (the screening column, the list reasons and the checks' summaries, marked by reviewers'
decisions), through a script hold (`script_holds`: a company named in a script the lists lack, no hit),
through the rows it makes name a party at all (`parties_screened`, `mark_unscreened`, the coverage hold
of a party family past its day: `cov.party_holds`) and through how many distinct names a row gives
(`party_facts`' n_given in the checks' texts). A party with no hit and no script hold therefore answers
as any other such party in its role: the question is answered with a stand-in per role (so every clean
consignee of one question shares one kept answer or neighbours block: ops/check_single.py,
ops/neighbours.py; a stand-in carries no hits, so its block is as large as one naming no party) and its
real names come back in the transaction echo, built from the question as asked.

The real names are screened first, exactly as `determine` screens them (engine.ear.determine
.screen_parties: the same lists on the question's regime, index, fuzziness, reviewers' decisions and
country evidence; the Context's memory of fuzzy hits), on one row's path without frames
(engine.ear.determine.parties_clean: the lists' exact keys as a set, the memory or the same scorer, the
script test per name; ~1.5 ms of CPU where the frames around one name cost ~10 ms) once the index is in.
Anything else takes the whole path: a hit at any
score (suppressed or not, a measure's party), a script hold, a name with nothing to screen, a stand-in
that would itself hit, a question that is not a plain US export of an ECCN (a product, a value, a
scenario, a PRC export), more parties than roles, a refused field, and an answer in which a stand-in's
name appears (nothing shown is then taken from a stand-in). tests/ops/test_clean_parties.py holds the
answers equal to the whole path's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from exportctl.errors import InputError
from exportctl.ops.check_input import ROLES, country_code
from exportctl.ops.check_parties import screenable
from exportctl.ops.check_single import question_key

if TYPE_CHECKING:
    from exportctl.ops.check import Context

__all__ = ["STAND_INS", "StandIn", "clean_result", "stand_in"]

# one made-up name per role, of letters no list entry is near (checked: a stand-in with a hit is not used)
STAND_INS = {
    "ultimate_consignee": "Qzxv Wjkq Ypfx",
    "end_user": "Qzxv Wjkq Bdgh",
    "intermediate_consignee": "Qzxv Wjkq Mtlr",
    "purchaser": "Qzxv Wjkq Cvns",
}


@dataclass(frozen=True)
class StandIn:
    """The question with its parties replaced by stand-ins, and the names as the engines read them."""

    row: dict[str, Any]
    names: dict[str, str]  # role -> the name as given, stripped (the engines' cell)


def _plain(row: Mapping[str, Any], parties: Sequence[Any], scenario: Any) -> bool:
    """A US export of an ECCN without product, value or scenario, naming one to len(ROLES) parties."""
    return (
        scenario is None
        and row.get("exporting_country") == "US"
        and bool(row.get("eccn"))
        and row.get("product") is None
        and row.get("value") is None
        and 0 < len(parties) <= len(ROLES)
    )


def stand_in(row: Mapping[str, Any], parties: Sequence[Any], scenario: Any) -> StandIn | None:
    """The question `row` with a stand-in for each party (two roles naming one party keep one stand-in,
    so a row names as many distinct parties as asked), or None when the question is not one to answer
    so (see the module doc)."""
    if not _plain(row, parties, scenario) or not all(isinstance(p, str) for p in parties):
        return None
    asked = dict(row)
    names: dict[str, str] = {}
    by_name: dict[str, str] = {}
    # stripped as the engines' cells are (ops.check_input.canonical), so that equal cells stay equal
    cells = _stripped(parties)
    for role, text in zip(ROLES, cells, strict=False):
        if not text or not screenable(text) or text in STAND_INS.values():
            return None
        names[role] = text
        asked[role] = by_name.setdefault(text, STAND_INS[role])
    return StandIn(asked, names)


_ASCII_SPACE = " \t\n\x0b\x0c\r"  # the ASCII characters polars' strip_chars() strips (Unicode White_Space)


def _stripped(parties: Sequence[str]) -> list[str]:
    """The names stripped as polars' `str.strip_chars()` strips a cell, without a Series for ASCII names
    (Python's own strip() also takes \\x1c-\\x1f, which are no White_Space)."""
    if all(p.isascii() for p in parties):
        return [p.strip(_ASCII_SPACE) for p in parties]
    return pl.Series(list(parties), dtype=pl.Utf8).str.strip_chars().to_list()


def _screens_clean(
    ctx: Context,
    row: Mapping[str, Any],
    names: Mapping[str, str],
    *,
    known_on: dt.date | None,
    fuzzy: bool,
    decided: pl.DataFrame | None,
) -> bool:
    """Whether every name (and stand-in) finds no hit and no script hold as determine screens them."""
    from exportctl.engine.ear.determine import parties_clean, screen_parties
    from exportctl.ops.check import index_key, remembering_parties, warm_indexes
    from exportctl.registry import compile_regime

    try:
        destination = country_code(str(row["destination"]).strip(), "destination")
        as_of = dt.date.fromisoformat(str(row["as_of"]))
    except (InputError, ValueError):
        return False
    csl = ctx.us_lists()
    if csl is None:
        return False
    key = index_key(ctx)
    regime = compile_regime(ctx.registry, as_of, known_on, None)
    with remembering_parties(ctx, fuzzy and decided is not None):
        # one row's path (no frames): the same lists, keys, index and scorer; None until the index is in
        fast = parties_clean(
            regime,
            ctx.tables,
            [*names.values(), *STAND_INS.values()],
            destination,
            csl,
            fuzzy=fuzzy,
            index_key=key + ":us",
            data_version=ctx.version,
        )
    if fast is not None:
        return fast
    # the question's row (its real names) and the stand-ins' row, screened together
    roles = {role: [names.get(role), STAND_INS[role]] for role in ROLES}
    tx = pl.DataFrame(
        {
            "row": [1, 2],
            "kid": [0, 0],
            "as_of": [as_of, as_of],
            "eccn_base": [str(row["eccn"]).split(".")[0]] * 2,
            "destination": [destination, destination],
            **roles,
        },
        schema={
            "row": pl.Int64,
            "kid": pl.Int64,
            "as_of": pl.Date,
            "eccn_base": pl.Utf8,
            "destination": pl.Utf8,
            **dict.fromkeys(ROLES, pl.Utf8),
        },
    )
    if fuzzy:
        warm_indexes(ctx, key, tx, tx.clear())
    with remembering_parties(ctx, fuzzy and decided is not None):
        hits, held = screen_parties(
            regime,
            ctx.tables,
            tx,
            csl,
            fuzzy=fuzzy,
            index_key=key + ":us",
            data_version=ctx.version,
            suppressed=decided,
        )
    return hits.height == 0 and held.height == 0


def _names_a_stand_in(result: Mapping[str, Any]) -> bool:
    """Whether some text of the answer names a stand-in (then it is not the real question's answer)."""
    text = repr(result)
    return any(s in text for s in STAND_INS.values())


def clean_result(
    ctx: Context,
    row: dict[str, Any],
    parties: Sequence[Any],
    *,
    known_on: dt.date | None,
    scenario: Any,
    fuzzy: bool,
    decided: pl.DataFrame | None,
    compute: Callable[[dict[str, Any]], dict[str, Any]],
    kept: Callable[[dict[str, Any]], dict[str, Any] | None],
) -> dict[str, Any]:
    """The result row of the question `row`: kept (`kept(row)`: asked before or prepared), else `compute`
    of its stand-in question when every party screens clean (then kept for `row` too, as the whole path
    keeps it), else `compute(row)` (the whole path). The caller echoes the question as asked."""
    if not _plain(row, parties, scenario):
        return compute(row)
    found = kept(row)  # before the names are read: a question asked again costs a lookup, as before
    if found is not None:
        return found
    asked = stand_in(row, parties, scenario)
    clean = asked is not None and _screens_clean(
        ctx, row, asked.names, known_on=known_on, fuzzy=fuzzy, decided=decided
    )
    if asked is None or not clean:
        return compute(row)
    result = compute(asked.row)
    if result["error"] is not None or _names_a_stand_in(result):
        return compute(row)
    ctx.answers.keep(question_key(row, fuzzy, decided), result)
    return result
