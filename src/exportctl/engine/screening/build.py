"""Building the screening index from a list table: names and aliases cleaned and normalised, postings over
tokens and adjacent-token joins, document frequencies, the deletion index, entry types and countries."""

from __future__ import annotations

import itertools
import multiprocessing as mp
import time
from collections import defaultdict
from typing import Any

import numpy as np
import polars as pl

from exportctl.engine.screening.collector import collector_paused
from exportctl.engine.screening.index import BuildStats, ScreeningIndex
from exportctl.engine.screening.normalise import family_span, name_key, normalise, split_listed_name
from exportctl.engine.screening.postings import Postings
from exportctl.engine.screening.titles import name_weights
from exportctl.engine.screening.translit import romanisations


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v).strip() for v in value if v is not None and str(v).strip()]


_TYPES = {
    "individual": "person",
    "person": "person",
    "entity": "entity",
    "company": "entity",
    "organization": "entity",
    "organisation": "entity",
    "legalentity": "entity",
    "vessel": "vessel",
    "aircraft": "aircraft",
}


def normalise_type(value: str | None) -> str:
    """One of person, entity, vessel, aircraft, or '' when unknown."""
    if not value:
        return ""
    return _TYPES.get(value.strip().lower().replace(" ", "").replace("_", ""), "")


Rows = list[tuple[int, Any, Any, Any]]  # (entry row, name, aliases, type) of the entries named
_ROWS: Rows = []  # what forked build workers read
PARALLEL_BUILD_MIN = 5000  # fewer entries than this are named in-process
Named = tuple[list[int], list[str], list[tuple[str, ...]], list[int]]


def _named(rows: Rows) -> Named:
    """Every distinct name form of each entry (`rows`): its entry row, text, tokens and family span."""
    name_entry: list[int] = []
    name_text: list[str] = []
    name_tokens: list[tuple[str, ...]] = []
    name_family: list[int] = []
    for row, name, aliases, etype in rows:
        seen: set[str] = set()
        variants: list[str] = []
        for raw in [name or "", *_as_list(aliases)]:
            primary, more = split_listed_name(raw)
            variants.append(primary)
            variants.extend(more)
        person = normalise_type(etype) in ("person", "")
        for text in variants:
            # A name in another script is indexed in each of its romanisations (translit.romanisations); a
            # listed Han name is not guessed Japanese (its entry has its Latin name anyway).
            for form in (text,) if text.isascii() else romanisations(text, guess_japanese=False):
                toks = normalise(form)
                key = name_key(toks)
                if not toks or key in seen:
                    continue
                seen.add(key)
                name_entry.append(row)
                name_text.append(text)
                name_tokens.append(toks)
                name_family.append(family_span(text, toks) if person else 0)
    return name_entry, name_text, name_tokens, name_family


def _named_range(span: tuple[int, int]) -> Named:
    return _named(_ROWS[span[0] : span[1]])


def _named_all(rows: Rows, workers: int) -> Named:
    """`_named` of every row, in `workers` forked processes for many (the same lists, in row order)."""
    global _ROWS
    if workers <= 1 or len(rows) < PARALLEL_BUILD_MIN or "fork" not in mp.get_all_start_methods():
        return _named(rows)
    size = -(-len(rows) // (workers * 4))
    spans = [(i, min(i + size, len(rows))) for i in range(0, len(rows), size)]
    _ROWS = rows
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_named_range, spans, chunksize=1)
    finally:
        _ROWS = []
    out: Named = ([], [], [], [])
    for part in parts:
        for whole, piece in zip(out, part, strict=True):
            whole.extend(piece)  # type: ignore[attr-defined]
    return out


def build_index(lists: pl.DataFrame, workers: int = 1) -> ScreeningIndex:
    """Build the index over a list table (columns list, entity_id, name, aliases, type, countries ...);
    with `workers` > 1, the names of a large table are cleaned in forked processes."""
    with collector_paused():  # its objects are all kept: a collection would only walk them
        return _build(lists, workers, time.perf_counter())


def _build(lists: pl.DataFrame, workers: int, start: float) -> ScreeningIndex:
    """`build_index`, begun at `start` (perf_counter)."""
    for col in ("list", "entity_id", "name"):
        if col not in lists.columns:
            raise ValueError(f"list table lacks column {col!r}")
    entries = lists
    aliases_col = entries["aliases"].to_list() if "aliases" in entries.columns else [None] * entries.height
    types = entries["type"].to_list() if "type" in entries.columns else [None] * entries.height
    rows = list(zip(range(entries.height), entries["name"].to_list(), aliases_col, types, strict=True))
    name_entry, name_text, name_tokens, name_family = _named_all(rows, workers)
    keys: dict[str, list[int]] = defaultdict(list)
    post: dict[str, list[int]] = defaultdict(list)
    df: dict[str, int] = defaultdict(int)
    for nid, toks in enumerate(name_tokens):
        keys[name_key(toks)].append(nid)
        for tok in set(toks):
            post[tok].append(nid)
            df[tok] += 1
        for a, b in itertools.pairwise(toks):
            if a.isdigit() or b.isdigit():
                continue
            ids = post[a + b]
            if not ids or ids[-1] != nid:
                ids.append(nid)
    deletes: dict[str, list[str]] = {}
    for tok in df:
        if len(tok) >= 4 and not tok.isdigit():
            for d in {tok[:i] + tok[i + 1 :] for i in range(len(tok))}:
                found = deletes.get(d)
                if found is None:
                    deletes[d] = [tok]
                else:
                    found.append(tok)
    countries = _countries(entries)
    index = ScreeningIndex(
        entries=entries,
        name_entry=np.asarray(name_entry, dtype=np.int32),
        name_text=name_text,
        name_tokens=name_tokens,
        name_weight=np.zeros(len(name_tokens)),
        keys=Postings(keys),
        postings=Postings(post),
        df=dict(df),
        deletes={k: " ".join(v) for k, v in deletes.items()},
        entry_type=[normalise_type(t) for t in types],
        entry_countries=countries,
    )
    index.name_sets = [frozenset(toks) for toks in name_tokens]
    index.name_family = np.asarray(name_family, dtype=np.int8)
    weight = {tok: index.weigh(tok) for tok in df}
    index.name_weights = [tuple(name_weights(toks, [weight[t] for t in toks])) for toks in name_tokens]
    # For the retrieval bound only: short tokens may be joined in pairs ("hua wei" = "huawei"), so they
    # count half; an optimistic weight keeps the bound an upper bound.
    bound_weight = {
        tok: w * (0.5 if len(tok) <= 4 and not tok.isdigit() else 1.0) for tok, w in weight.items()
    }
    index.name_weight = np.asarray(
        [
            sum([min(bound_weight[t], w) for t, w in zip(toks, ws, strict=True)])
            for toks, ws in zip(name_tokens, index.name_weights, strict=True)
        ]
    )
    index.stats = BuildStats(
        entries=entries.height,
        names=len(name_tokens),
        tokens=len(df),
        seconds=time.perf_counter() - start,
        approx_bytes=_approx_bytes(index),
    )
    return index


def _countries(entries: pl.DataFrame) -> list[frozenset[str]]:
    """Per entry, its countries in upper case (joined in polars: a list column is slow to walk in Python)."""
    if "countries" not in entries.columns:
        return [frozenset()] * entries.height
    col = entries["countries"]
    if col.dtype == pl.List(pl.Utf8):
        joined = col.list.eval(pl.element().str.strip_chars().str.to_uppercase()).list.join("\x1f").to_list()
        return [frozenset(c for c in (j or "").split("\x1f") if c) for j in joined]
    return [frozenset(c.upper() for c in _as_list(v)) for v in col.to_list()]


def _approx_bytes(index: ScreeningIndex) -> int:
    posting_bytes = index.postings.nbytes() + index.keys.nbytes()
    delete_bytes = 140 * len(index.deletes)  # a key, its tokens, the dict slot (about)
    name_bytes = (
        64 * len(index.name_tokens) + 56 * sum(map(len, index.name_tokens)) + 90 * len(index.name_text)
    )
    return posting_bytes + delete_bytes + name_bytes + int(index.entries.estimated_size())
