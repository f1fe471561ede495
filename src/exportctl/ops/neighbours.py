"""One transaction (`check_one`), answered from what its Context kept or with a block of its neighbours.

A new single question ran the whole columnar plan (`ops.check.check_table`) on a one-row frame: ~200
polars collects of a tiny frame, ~25-100 ms whatever the row, while the same plan answers ~1,000 rows
in about the same time and 5,000 in 2-3 times it. So a new question whose answer can only depend on
the values the batch joins on (its ECCN and destination, for a US export with neither a value nor a
scenario) is answered together with its neighbours in one batch: the same question over every
destination of the Country Chart for the ECCNs of its CCL category and product group (e.g. 3A), and
over every ECCN of the EAR tables for its destination. The result table is kept (not per-row
objects), indexed by (ECCN, destination), under a least-recently-used bound in bytes (`KEPT_BYTES`),
per Context (data version and registry) and per everything else the answer depends on (the rest of the
question: date, known_on, end use, parties, fuzziness, the rules' hash and the reviewers' decisions).
A later question found in a kept block is read from it (one hash lookup and one row), not computed.

A block is a bet that neighbours will be asked, and costs more than the question alone (2,500 rows: ~150
ms against ~90 ms at load 1). So the first question of a rest (a day span or a party never asked, e.g. a
consignee screened once) is answered alone and kept (ops.check_single.SingleAnswers); a block is built
from the rest's second miss on, when it has shown it is asked again.

A row answers the same in any batch as alone (tests/ops/test_batch_independence.py; the block case in
tests/ops/test_neighbours.py), so a block's answer is the one the question would get alone. Other
questions (a value, a product, a scenario, a PRC export) are answered alone and kept per question
(ops.check_single.SingleAnswers). `neighbours=False` (the CLI, a one-shot process) never builds a block.

Since the one-row path (ops.check_fast: a plain question; ops.check_fast_parties: one naming parties;
plain Python, equal to the plan) answers a new question in ~1-3 ms, a question it takes is answered by it
and kept for its span, and builds no block: a block read answered later neighbours in ~0.1 ms, but the call
that built one waited ~150 ms (seconds for every span's), the single answers' p99. Blocks still serve the
questions the path declines, and answer from what was kept before. `Context.one_row = False` sends every
single question through blocks and the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import polars as pl

from exportctl.errors import InputError
from exportctl.ops import check_fast, check_fast_parties
from exportctl.ops.answers import CheckAnswer
from exportctl.ops.check_answer import RESULT_COLUMNS, answer
from exportctl.ops.check_input import ROLES, canonical, day_arg, resolve, transaction_echo
from exportctl.ops.check_single import names_a_party, question_key, question_row
from exportctl.ops.clean_parties import STAND_INS, clean_result
from exportctl.ops.kept_blocks import KeptBlocks
from exportctl.ops.span_answers import (
    by_blocks,
    from_block,
    lends,
    restamped,
    span_row,
    spans_for,
)
from exportctl.ops.warm import shared_context
from exportctl.registry.rules import one_reading

if TYPE_CHECKING:
    from exportctl.ops.check import Context

__all__ = [
    "BLOCK_ROWS",
    "KEPT_BYTES",
    "PARTY_BLOCK_ROWS",
    "Neighbours",
    "block_pairs",
    "check_one",
    "kept_answer",
]

KEPT_BYTES = 64 * 2**20  # result tables kept per Context (a block row is ~2-3 KB, ~5 KB with a listed party)
# at most this many rows in one block: ~2x the cost of a one-row batch (measured at load 9-12: one row
# 50-60 ms, 250 rows 65 ms, 2,500 rows ~110 ms); a row naming a listed party carries its hits (Huawei:
# ~150 list entries), ~0.5-1 ms a row, so a block naming parties is small (64 rows)
BLOCK_ROWS = 2500
PARTY_BLOCK_ROWS = 64
MISSED_RESTS = 4096  # the rests (questions without their ECCN and destination) that missed, remembered
_GROUP = re.compile(r"\d[A-E]")
_INDEX_BYTES = 200  # a block index entry: the (ECCN, destination) tuple, its strings and the dict slot


@dataclass(frozen=True)
class Block:
    """The answers of one block: its result table and the row of each (ECCN, destination)."""

    table: pl.DataFrame
    index: dict[tuple[str, str], int]
    nbytes: int


class Neighbours(KeptBlocks[Block]):
    """The neighbour blocks answered on one Context, least recently used first out, bounded in bytes."""

    def __init__(self, kept_bytes: int = KEPT_BYTES) -> None:
        super().__init__(kept_bytes, MISSED_RESTS)
        self._by_rest: dict[Hashable, list[Hashable]] = {}
        self._axes: tuple[list[str], list[str]] | None = None

    def find(self, rest: Hashable, eccn: str, destination: str) -> dict[str, Any] | None:
        """The result row of the question (`rest`, `eccn`, `destination`) from a kept block, or None."""
        with self._lock:
            for bkey in reversed(self._by_rest.get(rest, ())):
                block = self._blocks[bkey]
                i = block.index.get((eccn, destination))
                if i is not None:
                    self._used(bkey)
                    break
            else:
                return None
        return block.table.row(i, named=True)  # a new dict: the caller may change it

    def keep(self, rest: Hashable, seed: tuple[str, str], block: Block) -> None:
        """Keep `block` for the questions sharing `rest`; the least recently used leave past the bound."""
        self.put((rest, seed), block)

    def _added(self, key: Hashable) -> None:
        self._by_rest.setdefault(key[0], []).append(key)  # type: ignore[index]

    def _evicted(self, key: Hashable) -> None:
        rest = key[0]  # type: ignore[index]
        keys = self._by_rest[rest]
        keys.remove(key)
        if not keys:
            del self._by_rest[rest]

    def _cleared(self) -> None:
        self._by_rest.clear()

    def missed(self, rest: Hashable) -> bool:
        """Whether a question sharing `rest` missed before (now recorded as missed): the first question
        of a rest is answered alone, a block is built from the second on (see the module doc)."""
        return super().missed(rest)

    def axes(self, ctx: Context) -> tuple[list[str], list[str]]:
        """(the ECCNs of the EAR tables with EAR99, the Country Chart's destinations), sorted, read once."""
        if self._axes is None:
            ccl, chart = ctx.table("ccl"), ctx.table("country_chart")
            eccns = sorted({e for e in ccl["eccn"].to_list() if e}) if ccl is not None else []
            dests = sorted({c for c in chart["country"].to_list() if c}) if chart is not None else []
            self._axes = ([*eccns, "EAR99"] if eccns else [], dests)
        return self._axes


def block_pairs(
    eccn: str, destination: str, eccns: Sequence[str], dests: Sequence[str], rows: int = BLOCK_ROWS
) -> list[tuple[str, str]]:
    """The (ECCN, destination) questions of the block around (`eccn`, `destination`), at most `rows`: the
    question itself, the ECCNs of its CCL category and product group (nearest first) over its
    destination, its ECCN over every destination, every ECCN over its destination, then the ECCNs of its
    group over every destination."""
    seed = eccn.strip().upper()
    group = seed[:2]
    near = [e for e in eccns if e.startswith(group)] if _GROUP.fullmatch(group) else []
    at = next((i for i, e in enumerate(near) if e >= seed), len(near))
    near = sorted(near, key=lambda e: abs(near.index(e) - at))  # nearest in the CCL's order first
    pairs = dict.fromkeys([(eccn, destination)])
    for part in (
        ((e, destination) for e in near),
        ((eccn, d) for d in dests),
        ((e, destination) for e in eccns),
        ((e, d) for e in near for d in dests),
    ):
        for pair in part:
            if len(pairs) >= rows:
                return list(pairs)
            pairs[pair] = None
    return list(pairs)


def _neighbourly(row: Mapping[str, Any], scenario: Any) -> bool:
    """A question whose answer the batch joins on its ECCN and destination only (see the module doc)."""
    return (
        scenario is None
        and row.get("value") is None
        and row.get("product") is None
        and bool(row.get("eccn"))
        and row.get("exporting_country") == "US"
    )


def _rest(row: Mapping[str, Any], fuzzy: bool, decided: pl.DataFrame | None) -> tuple[Hashable, ...]:
    """What a block's answers share: the question's key without its ECCN and destination."""
    return question_key({**row, "eccn": None, "destination": None}, fuzzy, decided)


def _block(ctx: Context, row: Mapping[str, Any], run: Callable[[pl.DataFrame], pl.DataFrame]) -> Block:
    """The block around `row`, answered by `run` (check_table) as one batch."""
    eccns, dests = ctx.neighbours.axes(ctx)
    # stand-ins (ops.clean_parties) have no hits to carry: their rows cost what rows naming no party do
    listed = any(row.get(r) and row[r] not in STAND_INS.values() for r in ROLES)
    rows = PARTY_BLOCK_ROWS if listed else BLOCK_ROWS
    pairs = block_pairs(str(row["eccn"]), str(row["destination"]), eccns, dests, rows)
    n = len(pairs)
    cols: dict[str, list[Any]] = {k: [v] * n for k, v in row.items()}
    cols["eccn"] = [e for e, _ in pairs]
    cols["destination"] = [d for _, d in pairs]
    table = run(pl.DataFrame(cols, schema=dict.fromkeys(row, pl.Utf8))).select(RESULT_COLUMNS)
    index = {p: i for i, p in enumerate(pairs)}
    return Block(table, index, int(table.estimated_size()) + _INDEX_BYTES * len(index))


def _kept(
    ctx: Context,
    row: dict[str, Any],
    *,
    known_on: dt.date | None,
    scenario: Any,
    fuzzy: bool,
    decided: pl.DataFrame | None,
) -> dict[str, Any] | None:
    """The result row of `row` if kept: asked before, in a kept block, or either on another day of its
    span (restamped); else None."""
    neighbourly = _neighbourly(row, scenario)

    def lookup(asked: dict[str, Any]) -> dict[str, Any] | None:
        found = ctx.answers.get(question_key(asked, fuzzy, decided))
        if found is None and neighbourly:
            found = ctx.neighbours.find(_rest(asked, fuzzy, decided), row["eccn"], row["destination"])
        return found

    kept = lookup(row)
    if kept is not None:
        return kept
    spans = spans_for(ctx, row, scenario)  # read only now: a question asked again never pays for them
    if spans is None:
        return None
    kept = lookup(span_row(row, spans))
    if kept is None:
        return from_block(ctx, row, spans, fuzzy)
    return restamped(ctx, kept, row, known_on)


def _result(
    ctx: Context,
    row: dict[str, Any],
    *,
    known_on: dt.date | None,
    scenario: Any,
    fuzzy: bool,
    decided: pl.DataFrame | None,
    neighbours: bool,
) -> dict[str, Any]:
    """The result row of the question `row`: kept, from a kept block, from a new block, or alone."""
    from exportctl.ops.check import check_table

    def run(frame: pl.DataFrame) -> pl.DataFrame:
        return check_table(
            frame, known_on=known_on, scenario=scenario, fuzzy=fuzzy, context=ctx, suppressed=decided
        )

    def alone() -> dict[str, Any]:
        # the plan on the one row (the one-row path, below, was asked first or cannot take a scenario)
        return (
            run(pl.DataFrame([row], schema=dict.fromkeys(row, pl.Utf8)))
            .select(RESULT_COLUMNS)
            .row(0, named=True)
        )

    if scenario is not None:
        return alone()
    kept = _kept(ctx, row, known_on=known_on, scenario=scenario, fuzzy=fuzzy, decided=decided)
    if kept is not None:
        return kept
    spans = spans_for(ctx, row, scenario)
    # an answer computed on a day no input names is kept for every day of its span (ops.day_spans)
    keyed = span_row(row, spans) if spans is not None and lends(row, spans) else row
    # the one-row path (ops.check_fast: a plain question; ops.check_fast_parties: one naming parties; the
    # plan's answer in plain Python, ~1-3 ms) is asked once. What it answers is kept, never built with a
    # block of its neighbours or spans (a block cost ~150 ms to seconds on the call that built it, the
    # single answers' p99); what it declines goes to blocks or the plan, never to it again
    fast = None
    if ctx.one_row:
        fast = check_fast.answer_plain(ctx, row, known_on)
        if fast is None:
            fast = check_fast_parties.answer_parties(ctx, row, known_on, fuzzy=fuzzy, decided=decided)
    if fast is not None:
        # a plain answer (no screening) holds no list or dict below its lists of dicts, and its callers
        # (clean_result, check_one) only read it or copy it (answer() makes new dicts of every level):
        # kept as it is, not copied (~4% of a new question)
        ctx.answers.keep(question_key(keyed, fuzzy, decided), fast, copy=fast["screening"] is not None)
        return fast
    if neighbours and spans is not None:
        # a question missing a second span is answered on every span at once (ops.span_answers)
        found = by_blocks(ctx, {0: row}, spans, fuzzy, run).get(0)
        if found is not None:
            return found
    rest = _rest(keyed, fuzzy, decided)
    asked = _neighbourly(row, scenario) and ctx.neighbours.missed(rest)
    if asked and neighbours and ctx.neighbours.axes(ctx)[1]:
        block = _block(ctx, row, run)
        seed = block.table.row(block.index[(row["eccn"], row["destination"])], named=True)
        if seed["error"] is None:  # a refused question keeps no block (its neighbours hardly asked)
            ctx.neighbours.keep(rest, (row["eccn"], row["destination"]), block)
        return seed
    result = alone()
    ctx.answers.keep(question_key(keyed, fuzzy, decided), result)
    return result


@one_reading()  # one version of the rules file for the whole question (one stat of it)
def check_one(
    *,
    destination: str | None = None,
    as_of: dt.date | str | None,
    eccn: str | None = None,
    product: str | None = None,
    exporting_country: str = "US",
    parties: Sequence[str | None] = (),
    end_use: str | None = None,
    value: float | str | None = None,
    known_on: dt.date | str | None = None,
    scenario: Any = None,
    fuzzy: bool = True,
    context: Context | None = None,
    to: str | None = None,
    neighbours: bool = True,
) -> CheckAnswer:
    """One transaction -> its answer (ops.answers.CheckAnswer); bad input raises InputError (one line).

    The fields are named as in an order book and the API (`destination`, not the CLI's `--to`); `to=` is
    the library's earlier name of the same field, still accepted so existing callers keep working.
    `neighbours=False`: a new question is answered alone, never with a block of its neighbours (a
    one-shot process that will not ask again).
    """
    row = question_row(
        destination=destination,
        as_of=as_of,
        eccn=eccn,
        product=product,
        exporting_country=exporting_country,
        parties=parties,
        end_use=end_use,
        value=value,
        known_on=known_on,
        to=to,
    )
    as_of, known_on = day_arg(as_of, "as_of"), day_arg(known_on, "known_on")
    ctx = context or shared_context()
    # read once: the answer is kept under them (ops.check_single) and the engines judge by them
    decided = ctx.suppressions() if names_a_party(parties) else None

    def compute(asked: dict[str, Any]) -> dict[str, Any]:
        return _result(
            ctx,
            asked,
            known_on=known_on,
            scenario=scenario,
            fuzzy=fuzzy,
            decided=decided,
            neighbours=neighbours,
        )

    def kept(asked: dict[str, Any]) -> dict[str, Any] | None:
        return _kept(ctx, asked, known_on=known_on, scenario=scenario, fuzzy=fuzzy, decided=decided)

    # a question whose parties all screen clean is answered as the question with stand-ins (ops.clean_parties)
    result = clean_result(
        ctx, row, parties, known_on=known_on, scenario=scenario, fuzzy=fuzzy, decided=decided,
        compute=compute, kept=kept,
    )  # fmt: skip
    if result["error"] is not None:
        # an input error of the row becomes the one-line InputError a single check deserves (resolved
        # again only then: a valid row pays for one resolve, ~20% of a warm single check)
        frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.Utf8))
        probe = resolve(canonical(frame), ctx.tables.eccn_set(), as_of)
        if probe["error"][0] is not None:
            _raise_first(frame, ctx, str(probe["error"][0]))
    echo = transaction_echo(row, parties)
    return cast(CheckAnswer, {**answer(result), "transaction": echo})


def kept_answer(
    fields: Mapping[str, Any], *, scenario: Any, fuzzy: bool, context: Context
) -> CheckAnswer | None:
    """check_one's answer to `fields` when it is kept (asked before, or in a kept block), else None (then
    nothing is computed): for a front that answers new questions another way (the service's batches)."""
    if scenario is not None:
        return None
    parties = fields.get("parties") or ()
    try:
        row = question_row(**{**fields, "parties": parties})
    except InputError:
        return None
    decided = context.suppressions() if names_a_party(parties) else None
    known_on = day_arg(fields.get("known_on"), "known_on")
    result = _kept(context, row, known_on=known_on, scenario=scenario, fuzzy=fuzzy, decided=decided)
    if result is None or result["error"] is not None:
        return None
    return cast(CheckAnswer, {**answer(result), "transaction": transaction_echo(row, parties)})


def _raise_first(frame: pl.DataFrame, ctx: Context, error: str = "") -> None:
    from exportctl.model.countries import resolve_country
    from exportctl.ops.check_input import eccn_value, end_use_value

    r = frame.row(0, named=True)
    if r["exporting_country"] not in ("US", "CN", "us", "cn"):
        raise InputError(
            f"exporting country must be US or CN, not {r['exporting_country']!r}", field="exporting_country"
        )
    resolve_country(r["destination"], field="destination")
    if r["end_use"]:
        end_use_value(r["end_use"])
    if r["eccn"] and r["exporting_country"].upper() == "US":
        eccn_value(r["eccn"], ctx.tables.eccn_set())
    # the row's own error ("field 'value': ..."), as the one line with its field
    m = re.match(r"field '([a-z_]+)': (.*)", error, re.S)
    if m:
        raise InputError(m.group(2), field=m.group(1))
    raise InputError(error or "invalid transaction", field="transaction")
