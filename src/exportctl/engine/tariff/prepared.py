"""One tariff line answered without the columnar plan: lookups prepared once per regime and data version.

A single lookup through `stack.tariff` runs ~170 polars operations on a one-row frame (~40 ms), while
what decides its answer is small: the HTS line the code resolves to, the layers that reach it and the
inputs charged. Here, per data version, the rate lines are kept as a dict (and a sorted code list for
resolving shorter codes), and per regime the layers are indexed by HTS prefix, chapter 99 footnote and
excluded prefix, so that matching a line is a few dict lookups (`match_one`, the same rule as
`layers.match`).

A line's engine row is a function of the regime, its destination, the layers that reach it, its rate
texts (general, special, column 2) and the amounts and program it is entered with; the HTS code, the
line it resolved to, its description and its origin only name it. Without a program asked, only the
base text the stack reads (column 2's where a column 2 layer reaches the line, else the general one)
counts, and the special text only names the line too. So the row computed by `stack.tariff`
for one line is kept under that signature, and any later line with the same signature is answered from
it with its own names: the batch engine stays the one place where stacks are computed, and the answer
is the one it gives (tests/engine/tariff/test_prepared.py checks both on random lines).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from exportctl.engine.common.memo import Lru
from exportctl.engine.protocols import DatasetLike, RegimeLike
from exportctl.engine.tariff.hts import dotted, valid_shape
from exportctl.engine.tariff.layers import layers_frame
from exportctl.engine.tariff.rates import parse_special
from exportctl.engine.tariff.stack import COLUMN_2, hts_lines, tariff

_SEP = re.compile(r"[.\s\-]")
# the fields of an engine row that only name the line (the rest follows from its signature)
NAMING = ("line_id", "hts", "hts_matched", "description", "origin", "special", "suggestions")
INPUTS = ("value", "quantity", "unit", "steel_content", "aluminum_content", "copper_content")


@dataclass(frozen=True)
class Lines:
    """The rate lines of one data version as Python lookups."""

    rows: dict[str, tuple[str | None, str, str, str, tuple[str, ...], int]]  # hts -> texts, ch99, level
    codes: list[str]  # sorted
    hs6: frozenset[str]


@dataclass
class Prepared:
    """The layers of one regime indexed for matching, and the engine rows kept by signature."""

    geo: list[tuple[frozenset[str], frozenset[str], frozenset[str]]]  # per layer: origins, dests, claims
    column_2: frozenset[int]  # the layers that switch a line's base rate to column 2
    everywhere: list[int]
    by_prefix: dict[str, list[int]]
    by_note: dict[str, list[int]]
    excluded: dict[str, list[int]]
    rows: Lru[dict[str, Any]] = field(default_factory=lambda: Lru(4096))


_LINES: Lru[Lines] = Lru(4)
_PREPARED: Lru[Prepared] = Lru(64)


def lines_of(dataset: DatasetLike) -> Lines:
    """The dataset's rate lines as dicts (kept per data version, as `stack.hts_lines`)."""

    def build() -> Lines:
        rl = hts_lines(dataset)
        cols = [
            rl[c].to_list()
            for c in ("hts", "description", "general", "special", "other", "chapter99_effective", "level")
        ]
        rows = {
            hts: (description, general, special, other, tuple(ch99 or ()), level)
            for hts, description, general, special, other, ch99, level in zip(*cols, strict=True)
        }
        codes = sorted(rows)
        return Lines(rows, codes, frozenset(c[:6] for c in codes))

    return _LINES.get_or_build(str(dataset.version), build)


_ASKED: set[str] = set()


def _lines_if_asked_again(dataset: DatasetLike) -> Lines | None:
    """The prepared rate lines from a data version's second lookup on: a process that asks once (a CLI
    call) answers through the batch engine without building them (~0.1 s)."""
    version = str(dataset.version)
    if _LINES.get(version) is None and version not in _ASKED:
        _ASKED.add(version)
        return None
    return lines_of(dataset)


def prepared(regime: RegimeLike, dataset: DatasetLike) -> Prepared | None:
    """The regime's layers indexed (kept per regime content id and data version); None without an id."""
    rid = getattr(regime, "id", None)
    if not isinstance(rid, str) or not rid:
        return None
    return _PREPARED.get_or_build((rid, str(dataset.version)), lambda: _index(layers_frame(regime)))


def _index(layers: pl.DataFrame) -> Prepared:
    geo: list[tuple[frozenset[str], frozenset[str], frozenset[str]]] = []
    column_2: set[int] = set()
    everywhere: list[int] = []
    by_prefix: dict[str, list[int]] = {}
    by_note: dict[str, list[int]] = {}
    excluded: dict[str, list[int]] = {}
    for layer in layers.iter_rows(named=True):
        n = layer["layer"]
        assert n == len(geo), "layers are numbered in order"
        geo.append(
            (frozenset(layer["origins"]), frozenset(layer["destinations"]), frozenset(layer["claims"]))
        )
        if layer["program"] == COLUMN_2:
            column_2.add(n)
        if not layer["hts"] and not layer["footnotes"]:
            everywhere.append(n)
        for p in layer["hts"] or ():
            if p is not None:
                by_prefix.setdefault(p, []).append(n)
        for f in layer["footnotes"] or ():
            if f is not None:
                by_note.setdefault(f, []).append(n)
        for p in layer["hts_exclude"] or ():
            if p is not None:
                excluded.setdefault(p, []).append(n)
    return Prepared(geo, frozenset(column_2), everywhere, by_prefix, by_note, excluded)


def resolve_one(lines: Lines, code: str) -> str | None:
    """The rate line a US code stands for when `hts.resolve_codes` finds it `ok`, else None (unknown,
    ambiguous or invalid: the batch path answers those, with their suggestions)."""
    if not valid_shape(code):
        return None
    start = bisect.bisect_left(lines.codes, code)
    sigs = set()
    first: tuple[int, str] | None = None
    for hts in lines.codes[start:]:
        if not hts.startswith(code):
            break
        _, general, _, other, ch99, level = lines.rows[hts]
        sigs.add((general, other, ",".join(ch99)))
        if len(sigs) > 1:
            return None
        if first is None or (level, hts) < first:
            first = (level, hts)
    return first[1] if first is not None else None


def match_one(
    prep: Prepared, key: str, origin: str, destination: str, ch99: tuple[str, ...], claimed: str | None
) -> tuple[int, ...]:
    """The layers reaching one line, in order: `layers.match` for a single line."""
    prefixes = {key[:n] for n in (2, 4, 6, 8, 10)}

    def fits(n: int) -> bool:
        origins, dests, claims = prep.geo[n]
        return (
            (not claims or (claimed is not None and claimed in claims))
            and (not origins or origin in origins)
            and (not dests or destination in dests)
        )

    scoped = {n for p in prefixes for n in prep.by_prefix.get(p, ())}
    scoped |= {n for f in ch99 for n in prep.by_note.get(f, ())}
    out = {n for n in prep.everywhere if fits(n)} | {n for n in scoped if fits(n)}
    out -= {n for p in prefixes for n in prep.excluded.get(p, ())}
    return tuple(sorted(out))


def _claimed(special: str | None, program: str | None) -> str | None:
    """The special program a line is entered under, where its special text lists it (as the stack's join)."""
    if program is None or special is None:
        return None
    for _, codes in parse_special(special):
        if any(c.rstrip("*+") == program for c in codes):
            return program
    return None


def tariff_one(regime: RegimeLike, dataset: DatasetLike, line: Mapping[str, Any]) -> dict[str, Any]:
    """The engine row of one line (hts, origin [, destination, value, quantity, unit, special_program,
    steel_content, aluminum_content, copper_content]): the row `stack.tariff` gives for it alone."""
    prep = prepared(regime, dataset)
    code = _SEP.sub("", str(line["hts"]))
    origin = str(line["origin"]).upper()
    given = line.get("destination")
    dest = "US" if given is None else str(given).upper()
    raw = line.get("special_program")
    program = raw.strip().upper() if isinstance(raw, str) else None
    lines = _lines_if_asked_again(dataset) if prep is not None else None
    found = _located(lines, code, dest) if lines is not None else None
    if prep is None or lines is None or found is None:
        return _engine_row(regime, dataset, line)
    key, description, general, special, other, ch99 = found
    sig = _signature(prep, line, key, (general, special, other, ch99), origin, dest, program)
    kept = prep.rows.get(sig)
    if kept is None:
        kept = _block(regime, dataset, prep, lines, line, key, sig, (origin, dest, program))
    row = _fresh(kept)
    row.update(
        line_id=0,
        hts=line["hts"],
        hts_matched=dotted(key),
        description=description,
        origin=origin,
        special=special,
        suggestions=[],
    )
    return row


def _signature(
    prep: Prepared,
    line: Mapping[str, Any],
    key: str,
    texts: tuple[str | None, str | None, str | None, tuple[str, ...]],
    origin: str,
    dest: str,
    program: str | None,
) -> tuple[Any, ...]:
    """What the engine row of `line` (resolved to the rate line `key` with its `texts`: general, special,
    column 2, chapter 99 headings) follows from, beside the naming fields."""
    general, special, other, ch99 = texts
    layers = match_one(prep, key, origin, dest, ch99, _claimed(special, program))
    raw = line.get("special_program")
    if raw is None:  # no program asked: the base rate is column 2's or the general one, the special text
        # only names the line (it is parsed for a line entered under a program alone)
        base = other if prep.column_2.intersection(layers) else general
        return (dest, layers, base, *(_input(line, k) for k in INPUTS))
    return (dest, layers, general, special, other, raw, *(_input(line, k) for k in INPUTS))


def _block(
    regime: RegimeLike,
    dataset: DatasetLike,
    prep: Prepared,
    lines: Lines,
    line: Mapping[str, Any],
    key: str,
    sig: tuple[Any, ...],
    asked: tuple[str, str, str | None],
) -> dict[str, Any]:
    """The engine row of `line` (signature `sig`, not kept), computed in one batch with a line of each
    other signature not kept among the rate lines of its chapter nearest to it (`BLOCK_LINES`), the same
    origin, destination, inputs and program: the batch engine answers ~250 lines in about the time of
    one (~40-50 ms, its fixed cost), and a line answers the same in a batch as alone, so the next lines
    asked in that chapter are answered from kept rows. Every row is kept under its signature."""
    origin, dest, program = asked
    todo: dict[tuple[Any, ...], Mapping[str, Any]] = {sig: line}
    if dest == "US":  # another country's lines are checked at HS 6 digits, not by rate line: alone
        for code in _near(lines, key):
            _, general, special, other, ch99, _ = lines.rows[code]
            other_sig = _signature(prep, line, code, (general, special, other, ch99), origin, dest, program)
            if other_sig not in todo and prep.rows.get(other_sig) is None:
                todo[other_sig] = {**line, "hts": code}
    rows = _engine_rows(regime, dataset, list(todo.values()))
    for s, row in zip(todo, rows, strict=True):
        if s != sig:
            prep.rows.put(s, row)
    return prep.rows.put(sig, rows[0])


BLOCK_LINES = 256


def _near(lines: Lines, key: str) -> list[str]:
    """The rate lines of `key`'s chapter nearest to it in the HTS order (at most `BLOCK_LINES`), each a
    line its own code resolves to (not an 8-digit line standing over statistical lines)."""
    at = bisect.bisect_left(lines.codes, key)
    lo, hi = at, at
    chapter = key[:2]
    out: list[str] = []
    while len(out) < BLOCK_LINES:
        below = lo > 0 and lines.codes[lo - 1].startswith(chapter)
        above = hi < len(lines.codes) and lines.codes[hi].startswith(chapter)
        if not (below or above):
            break
        if above and (not below or hi - at <= at - lo):
            code, hi = lines.codes[hi], hi + 1
        else:
            lo -= 1
            code = lines.codes[lo]
        if code != key and resolve_one(lines, code) == code:
            out.append(code)
    return out


def _fresh(row: dict[str, Any]) -> dict[str, Any]:
    """A copy of a kept row that its caller may change: its lists and their dicts (structs of scalars
    and lists) copied, so that no answer shares a mutable part with the memo."""
    return {k: [_copy(x) for x in v] if isinstance(v, list) else v for k, v in row.items()}


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
    return list(value) if isinstance(value, list) else value


def _input(line: Mapping[str, Any], name: str) -> Any:
    value = line.get(name)
    return float(value) if isinstance(value, int | float) and name != "unit" else value


def _located(
    lines: Lines, code: str, dest: str
) -> tuple[str, str | None, str | None, str | None, str | None, tuple[str, ...]] | None:
    """(key, description, general, special, other, chapter 99 headings) of a code `ok` for `dest`."""
    if dest != "US":  # another country's line: checked at the shared HS 6-digit level (stack._resolve)
        return (code, None, None, None, None, ()) if code[:6] in lines.hs6 else None
    key = resolve_one(lines, code)
    if key is None:
        return None
    description, general, special, other, ch99, _ = lines.rows[key]
    return key, description, general, special, other, ch99


def _engine_row(regime: RegimeLike, dataset: DatasetLike, line: Mapping[str, Any]) -> dict[str, Any]:
    """The batch engine's row for one line."""
    return _engine_rows(regime, dataset, [line])[0]


def _engine_rows(
    regime: RegimeLike, dataset: DatasetLike, batch: list[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The batch engine's rows for lines of the same fields, in their order."""
    schema = {
        "hts": pl.Utf8,
        "origin": pl.Utf8,
        "destination": pl.Utf8,
        "value": pl.Float64,
        "quantity": pl.Float64,
        "unit": pl.Utf8,
        "special_program": pl.Utf8,
        "steel_content": pl.Float64,
        "aluminum_content": pl.Float64,
        "copper_content": pl.Float64,
    }
    given = {k: v for k, v in schema.items() if k in batch[0]}
    frame = pl.DataFrame({k: [line[k] for line in batch] for k in given}, schema=given)
    return list(tariff(regime, dataset, frame).iter_rows(named=True))
