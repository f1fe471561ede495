"""Batches as every front reports them: one envelope, built here, serialised by the fronts.

`CheckBatch` holds the result table of a batch (an order book, or the API's queries keyed by the client's
ids) with what each front says about it: the data version and regimes it was judged by, the counts per
verdict (`summary`, in severity order), the rows with input errors, the rows whose parties were not
screened, the warnings said once for the batch, the `--fail-on` outcome and the disclaimer. The CLI
prints it (rows, then the summary table and notes), the API answers with it (`responses`, `warnings`,
`fail_on`/`failed`; for a file the X-Exportctl-* headers): neither counts nor words anything itself.
`screen_keyed` is the same for the API's keyed screening batch: each result in ops.screen's shape.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.ops.check_answer import answer, answer_row, summary
from exportctl.ops.defaults import (
    NOT_LEGAL_ADVICE,
    VERDICT_ORDER,
    answer_fail_fields,
    check_fail_on,
    fail_fields,
    fails,
)

__all__ = ["SCREEN_FIELDS", "CheckBatch", "check_book", "check_keyed", "screen_keyed"]

_ROW_PREFIX = re.compile(r"^row \d+: ")


@dataclass(frozen=True)
class CheckBatch:
    """The envelope of a checked batch: its result table and what every front reports about it."""

    results: pl.DataFrame
    data_version: str
    warnings: tuple[str, ...] = ()
    fail_on: str | None = None
    disclaimer: str = field(default=NOT_LEGAL_ADVICE)
    forced: str | None = field(default=None, init=False)  # the warning of a data version forced active
    totals: Any = None  # ops.check_stream.BookTotals of a book streamed without keeping its rows

    def __post_init__(self) -> None:
        check_fail_on(self.fail_on)
        from exportctl.ops.gate import forced_warning

        forced = forced_warning(self.data_version)  # a forced data version: said once for the batch too
        if forced is not None and forced not in self.warnings:
            object.__setattr__(self, "warnings", (*self.warnings, forced))
            object.__setattr__(self, "forced", forced)

    @property
    def rows(self) -> int:
        """How many rows were checked."""
        return int(self.totals.rows) if self.totals is not None else self.results.height

    @cached_property
    def summary(self) -> list[dict[str, Any]]:
        """Rows per verdict, most severe first (ops.check_answer.summary)."""
        if self.totals is not None:
            return [{"verdict": v, "rows": int(self.totals.verdicts.get(v, 0))} for v in VERDICT_ORDER]
        return summary(self.results)

    @property
    def errors(self) -> int:
        """Rows with an input error (each holds, naming its row and field)."""
        if self.totals is not None:
            return int(self.totals.errors)
        if "error" not in self.results.columns:
            return 0
        return int(self.results["error"].is_not_null().sum())

    @property
    def unscreened(self) -> int:
        """Rows whose parties were not screened (their verdict covers the item and country only)."""
        if self.totals is not None:
            return int(self.totals.unscreened)
        if not self.results.height:
            return 0
        return int((~self.results["parties_screened"].fill_null(False)).sum())

    @property
    def regimes(self) -> list[str]:
        """The regime ids the rows were judged by (one per distinct date, known_on and scenario)."""
        if self.totals is not None:
            return sorted(self.totals.regimes)
        return sorted(str(r) for r in self.results["regime"].drop_nulls().unique()) if self.rows else []

    @property
    def engine_versions(self) -> list[str]:
        """The engines that judged the rows."""
        if self.totals is not None:
            return sorted(self.totals.engine_versions)
        col = self.results["engine_version"] if self.rows else pl.Series([], dtype=pl.Utf8)
        return sorted(str(v) for v in col.drop_nulls().unique())

    @property
    def failed(self) -> bool:
        """Whether any verdict is at least `fail_on` (False without one)."""
        if self.totals is not None:
            return fails([v for v, n in self.totals.verdicts.items() if n], self.fail_on)
        return fails(self.results["verdict"].drop_nulls().to_list(), self.fail_on) if self.rows else False

    def fail_fields(self) -> dict[str, Any]:
        """{"fail_on", "failed"} when a fail_on was asked (ops.defaults.fail_fields), else {}."""
        return fail_fields(self.failed, self.fail_on)

    def answers(self) -> list[dict[str, Any]]:
        """Each row in the contract shape (ops.check_answer.answer)."""
        return [dict(answer(r)) for r in self.results.iter_rows(named=True)]

    def answer_rows(self) -> list[dict[str, Any]]:
        """Each row as a file line: its own columns plus the contract keys."""
        return [answer_row(r) for r in self.results.iter_rows(named=True)]

    def notes(self) -> list[str]:
        """What a person is told beneath the counts: input errors, rows not screened."""
        out = [f"warning: {self.forced}"] if self.forced else []
        if self.errors:
            out.append(f"{self.errors} row(s) with input errors (verdict hold; see the error column)")
        if self.unscreened:
            out.append(
                f"{self.unscreened} row(s): parties not screened (parties_screened = false); their verdicts "
                "cover the item and country checks only"
            )
        return out


def check_book(
    path: str | Path,
    out: str | Path | None = None,
    *,
    fail_on: str | None = None,
    warn: Callable[[str], None] | None = None,
    context: Any = None,
    keep: bool = True,
    **kwargs: Any,
) -> CheckBatch:
    """Check an order book (ops.check.check_file, same options) and wrap its results in the envelope.

    `warn` is still called as each warning arises (a long run says it first); the envelope keeps them too.
    With keep=False (and an `out`) the rows are only written, never held: the envelope has the totals
    (a book of any size in bounded memory) and an empty result table.
    """
    from exportctl.ops.check import Context
    from exportctl.ops.check_stream import stream_file

    check_fail_on(fail_on)  # refused before any work
    ctx = context or Context()
    said: list[str] = []

    def say(text: str) -> None:
        said.append(text)
        if warn is not None:
            warn(text)

    run = stream_file(path, out, context=ctx, warn=say, keep=keep, **kwargs)
    if run.results is not None:
        return CheckBatch(run.results, ctx.version, tuple(said), fail_on)
    return CheckBatch(pl.DataFrame(), ctx.version, tuple(said), fail_on, totals=run.totals)


def check_keyed(
    queries: Mapping[str, Mapping[str, Any]],
    *,
    known_on: Any = None,
    scenario: Any = None,
    fuzzy: bool = True,
    context: Any = None,
    fail_on: str | None = None,
    shared: bool = False,
) -> tuple[dict[str, dict[str, Any]], CheckBatch]:
    """Transactions keyed by the caller's ids -> ({id: answer}, envelope).

    Each query holds ops.check_input.transaction_row's fields (`parties` a list). Each answer is
    check_one's shape (with `transaction`); a malformed query answers hold with its `error` (without
    the row number: the id names it). With `fail_on`, each answer carries `fail_on` and `failed`.

    Each distinct question is answered once and its answer given to every id asking it; without a
    scenario, a question answered before on the same Context (a batch's or a single check's, kept by
    ops.check_single under everything its answer depends on) is not determined again. The envelope holds
    the batch's totals (its answers are the responses).

    With shared=True the answers share their values with the answers kept on the Context (no copy of
    each kept row) and ids asking one question get the one answer object: for a caller that only
    serialises them (the API) and never changes them.
    """
    from exportctl.ops.check import Context, check_table
    from exportctl.ops.check_answer import RESULT_COLUMNS
    from exportctl.ops.check_input import transaction_echo, transaction_row
    from exportctl.ops.check_single import names_a_party, question_keys
    from exportctl.ops.check_stream import BookTotals
    from exportctl.ops.span_answers import by_blocks, day_of, followers, restamped, span_keys

    check_fail_on(fail_on)
    ids = list(queries)
    # a query asked again under another id (as given: the same fields and values) is read once: its row,
    # parties and question are shared, not made again per id (most of a known batch's cost)
    made: dict[Hashable, tuple[dict[str, Any], tuple[str, ...], int]] = {}
    # the very same query object under several ids (the API's validated queries share theirs) is keyed
    # once: `queries` holds each object for the whole call, so its id is not reused meanwhile
    by_object: dict[int, tuple[dict[str, Any], tuple[str, ...], int]] = {}
    # each distinct question (row and parties: two queries written differently may ask one) is numbered,
    # and the ids carry its number: hashing the question's tuple again per id was a third of the loop
    numbered: dict[tuple[Any, ...], int] = {}
    questions: list[tuple[dict[str, Any], tuple[str, ...]]] = []  # per number: its row and parties
    rows, parties, asks = [], [], []  # per id: its row, its parties, its question's number
    for n, qid in enumerate(ids):
        query = queries[qid]
        seen = by_object.get(id(query))
        if seen is None:
            key = _query_key(query, n)
            seen = made.get(key)
            if seen is None:
                row, p = transaction_row(**query), tuple(_parties(query))
                number = numbered.setdefault((tuple(row.items()), p), len(numbered))
                if number == len(questions):
                    questions.append((row, p))
                seen = made[key] = (row, p, number)
            by_object[id(query)] = seen
        rows.append(seen[0])
        parties.append(seen[1])
        asks.append(seen[2])
    cols = sorted({k for r, _ in questions for k in r})
    ctx = context or Context()
    decided = ctx.suppressions() if any(names_a_party(p) for _, p in questions) else None
    kept_keys: list[Any] = []  # per question: its key on the Context (None: not kept)
    results: dict[int, dict[str, Any]] = {}  # a question -> its result row
    read = ctx.answers.peek if shared else ctx.answers.get
    keyer = question_keys(fuzzy, decided)  # the rules' hash and the decisions read once per batch
    # per question: its day span's key (ops.span_answers): another day of the span answers it, restamped
    spanned: list[tuple[tuple[Hashable, ...], bool] | None] = [None] * len(questions)
    if scenario is None and known_on is None:
        spanned = span_keys(ctx, [r for r, _ in questions], fuzzy)
    for number, (row, p) in enumerate(questions):
        kept_keys.append(_kept_key(row, p, keyer, known_on, scenario))
        found = None if kept_keys[number] is None else read(kept_keys[number])
        span = spanned[number]
        if found is None and span is not None:
            lent = read(span[0])
            found = None if lent is None else restamped(ctx, lent, row, day_of(row.get("known_on")))
        if found is not None:
            results[number] = found
        if span is not None and span[1]:
            kept_keys[number] = span[0]  # a new answer is kept for every day of its span
    if any(s is not None for s in spanned):
        # a question missing a second span is answered on every span at once (ops.span_answers)
        def run(frame: pl.DataFrame) -> pl.DataFrame:
            return check_table(frame, fuzzy=fuzzy, context=ctx, suppressed=decided)

        missing = {n: questions[n][0] for n, s in enumerate(spanned) if s is not None and n not in results}
        results.update(by_blocks(ctx, missing, ctx.day_spans(), fuzzy, run))
    # the questions of one span are computed once (a day that lends) and the others restamped
    follows = followers(spanned, [n for n in range(len(questions)) if n not in results])
    said: list[str] = []
    own: dict[int, dict[str, Any]] = {}  # rows with an input error: each names its own row number

    def compute(todo: list[int]) -> None:
        # built column by column: from a list of row dicts polars reads value by value (~10% of a batch)
        frame = pl.DataFrame(
            {k: [rows[i].get(k) for i in todo] for k in cols}, schema={k: pl.Utf8 for k in cols}
        )
        table = check_table(
            frame,
            known_on=known_on,
            scenario=scenario,
            fuzzy=fuzzy,
            context=ctx,
            warn=said.append,
            suppressed=decided,
            row_numbers=[i + 1 for i in todo],
        ).select(RESULT_COLUMNS)
        errors = table["error"].is_not_null().to_list()
        firsts: dict[int, int] = {}
        for j, i in enumerate(todo):
            if not errors[j]:
                firsts.setdefault(asks[i], j)
        picked = sorted({*firsts.values(), *(j for j, e in enumerate(errors) if e)})
        got = dict(zip(picked, table[picked].iter_rows(named=True), strict=True))
        for ask, j in firsts.items():
            results[ask] = got[j]
            if kept_keys[ask] is not None:
                ctx.answers.keep(kept_keys[ask], got[j], copy=not shared)
        own.update({todo[j]: got[j] for j, e in enumerate(errors) if e})

    todo = [i for i, ask in enumerate(asks) if ask not in results and ask not in follows]
    if todo:
        compute(todo)
    elif not _names_party_columns(tuple(cols)):
        from exportctl.ops.check import NO_PARTY_COLUMN

        said.append(NO_PARTY_COLUMN)  # as check_table says it of a batch naming no party
    for n, rep in follows.items():
        if rep in results:
            row = questions[n][0]
            results[n] = restamped(ctx, results[rep], row, day_of(row.get("known_on")))
    late = {n for n, rep in follows.items() if rep not in results}  # their span's day was refused
    if late:
        compute([i for i, ask in enumerate(asks) if ask in late])
    said = list(dict.fromkeys(said))
    totals = BookTotals()
    for result in own.values():
        _count(totals, result, 1)
    counted = Counter(asks)
    for i in own:
        counted[asks[i]] -= 1
    for ask, n in counted.items():
        if n:
            _count(totals, results[ask], n)
    responses: dict[str, dict[str, Any]] = {}
    answered: dict[int, dict[str, Any]] = {}
    for i, (qid, ask) in enumerate(zip(ids, asks, strict=True)):
        result = own.get(i) or results[ask]
        obj = answered.get(ask) if i not in own else None
        if obj is None:
            obj = dict(answer(result))
            if obj.get("error"):
                obj["error"] = _ROW_PREFIX.sub("", str(obj["error"]))
            obj["transaction"] = transaction_echo(rows[i], parties[i])
            obj |= answer_fail_fields(obj, fail_on)
            if i not in own:
                answered[ask] = obj
        responses[qid] = obj if shared else dict(obj)
    batch = CheckBatch(pl.DataFrame(), ctx.version, tuple(said), fail_on, totals=totals)
    return responses, batch


@functools.lru_cache(maxsize=64)
def _names_party_columns(cols: tuple[str, ...]) -> bool:
    """Whether a batch of these columns has a party column (as check_table places a book's columns)."""
    from exportctl.ops.check import placement_of

    return placement_of(pl.DataFrame(schema=dict.fromkeys(cols, pl.Utf8))).has_parties


def _query_key(query: Mapping[str, Any], n: int) -> Hashable:
    """What makes two queries one question to transaction_row: their fields, values (equal, and of one
    type: True is not 1, a list not a tuple) and `value` as it is written (-0.0 is not 0.0); a query with
    a value that cannot be a key is its own."""
    values = tuple(query.values())
    lists = tuple(tuple(v) if type(v) is list else v for v in values)
    key = (tuple(query), lists, tuple(map(type, values)), str(query.get("value")))
    try:
        hash(key)
    except TypeError:
        return ("unhashable", n)
    return key


def _kept_key(
    row: Mapping[str, Any],
    parties: Sequence[str],
    keyer: Callable[[Mapping[str, Any], bool], tuple[Hashable, ...]],
    known_on: Any,
    scenario: Any,
) -> tuple[Any, ...] | None:
    """The key of a question's answer on its Context (ops.check_single.question_key, by `keyer`, the
    batch's question_keys: a single check's when the batch gives no known_on), or None when it is not
    kept (a scenario)."""
    from exportctl.ops.check_single import names_a_party

    if scenario is not None:
        return None
    key = keyer(row, names_a_party(parties))
    return key if known_on is None or row.get("known_on") else (key, "batch known_on", str(known_on))


def _count(totals: Any, result: Mapping[str, Any], n: int) -> None:
    """Add `n` rows answered `result` to the batch's totals (as ops.check_stream.BookTotals.add)."""
    totals.rows += n
    if result.get("verdict") is not None:
        totals.verdicts[result["verdict"]] += n
    totals.errors += n * (result.get("error") is not None)
    totals.unscreened += n * (not result.get("parties_screened"))
    if result.get("regime") is not None:
        totals.regimes.add(str(result["regime"]))
    if result.get("engine_version") is not None:
        totals.engine_versions.add(str(result["engine_version"]))


def _parties(query: Mapping[str, Any]) -> Sequence[str]:
    return list(query.get("parties") or ())


SCREEN_FIELDS = ("name", "country", "type", "dob", "nationality", "id_number")


def screen_keyed(
    queries: Mapping[str, Mapping[str, Any]],
    *,
    threshold: float | None = None,
    as_of: Any = None,
    profile: str | None = None,
    dataset: Any = None,
    engine: Any = None,
    fail_on: str | None = None,
) -> tuple[dict[str, Any], str]:
    """Names keyed by the caller's ids (each with SCREEN_FIELDS) -> ({"responses": {id: result}, ...},
    data version). Every query is checked before any work (InputError naming `queries.<id>.<field>`).

    Each result is ops.screen.screen_names's shape; with `fail_on`, each result and the batch carry
    `fail_on` and `failed` (ops.defaults.screen_fails).
    """
    from exportctl.model.countries import resolve_country
    from exportctl.ops.defaults import check_screen_fail_on, screen_fails
    from exportctl.ops.party_file import check_dob, check_id_number
    from exportctl.ops.screen import check_name, resolve_profile, result_of, screen_table

    check_screen_fail_on(fail_on)
    for qid, q in queries.items():  # one clear error naming the query, before any work
        check_name(q.get("name"), field=f"queries.{qid}.name")
        for key in ("country", "nationality"):
            if q.get(key):
                resolve_country(str(q[key]), field=f"queries.{qid}.{key}")
        check_dob(q.get("dob"), field=f"queries.{qid}.dob")
        check_id_number(q.get("id_number"), field=f"queries.{qid}.id_number")
    ids = list(queries)
    parties = pl.DataFrame(
        {c: [queries[i].get(c) or "" for i in ids] for c in SCREEN_FIELDS},
        schema={c: pl.Utf8 for c in SCREEN_FIELDS},
    )
    prof, threshold = resolve_profile(profile, None, threshold)
    rows, version = screen_table(
        parties, threshold=threshold, dataset=dataset, profile=profile, engine=engine, as_of=as_of
    )
    responses = {
        qid: _with_row_warnings(
            result_of(r["name"], r["hits"], r["cleared"], version, threshold, as_of, prof), r
        )
        | fail_fields(screen_fails(r["hits"], fail_on), fail_on)
        for qid, r in zip(ids, rows, strict=True)
    }
    failed = any(r.get("failed") for r in responses.values())
    return {"responses": responses, **fail_fields(failed, fail_on)}, version


def _with_row_warnings(answer: dict[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """A query's answer with its screened row's `warnings` (a company's name in a script the lists lack:
    ops.screen.unmet_script_warning) after its own, as a single screen carries them."""
    extra = [w for w in row.get("warnings") or () if w not in answer.get("warnings", ())]
    if extra:
        answer["warnings"] = [*answer.get("warnings", ()), *extra]
    return answer
