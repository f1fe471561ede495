"""Batch screening machinery: many query keys retrieved together, split over forked workers, each
answered by `screen.screen_tokens` over the forms (romanisations) of its name."""

from __future__ import annotations

import gc
import multiprocessing as mp
from collections.abc import Iterator
from typing import Any

from exportctl.engine.screening import weak
from exportctl.engine.screening.forms import cjk_person, explain_form, form_abjad, query_forms
from exportctl.engine.screening.index import ScreeningIndex
from exportctl.engine.screening.normalise import cjk_chars, has_han
from exportctl.engine.screening.retrieval import Candidates, candidates_batch
from exportctl.engine.screening.score import Scored
from exportctl.engine.screening.screen import Hit, Key, screen_tokens
from exportctl.engine.screening.translit import scripts

__all__ = ["BATCH", "CHUNK_MIN", "CROSS_SCRIPT_MARGIN", "PARALLEL_MIN", "SCORES_KEPT", "screen_all"]

_WORKER: tuple[ScreeningIndex, float, int] | None = None  # a forked worker's index, threshold, max hits
PARALLEL_MIN = 2000  # fewer distinct names than this are screened in-process
CHUNK_MIN = 500  # names a worker takes at a time, at least


BATCH = 256  # queries whose candidates are retrieved together
SCORES_KEPT = 50_000  # name scores a worker keeps for the next queries (checked every BATCH queries)
CROSS_SCRIPT_MARGIN = 0.2  # how much lower the retrieval threshold of a name in another script is


def _screen_keys(index: ScreeningIndex, threshold: float, max_hits: int, keys: list[Key]) -> list[list[Hit]]:
    """The hits of each key, its candidates retrieved BATCH keys at a time."""
    out: list[list[Hit]] = []
    scores: dict[Any, Scored] = {}  # a name asked with several countries is scored once (screen_tokens)
    for start in range(0, len(keys), BATCH):
        if len(scores) > SCORES_KEPT:
            scores.clear()
        part = keys[start : start + BATCH]
        forms = [query_forms(k[0]) for k in part]
        latin = [k[0].isascii() for k in part]
        # Romanised forms are retrieved with a wider margin: their words align through name variants,
        # skeletons and joins that the retrieval bound does not count (Yi / Lee, vnymyn / Benjamin).
        found_latin = iter(
            _retrieve(index, [t for fs, a in zip(forms, latin, strict=True) if a for _x, t in fs], threshold)
        )
        wide = threshold - CROSS_SCRIPT_MARGIN
        other = [(k[0], t) for k, fs, a in zip(part, forms, latin, strict=True) if not a for _x, t in fs]
        found_other = iter(
            _retrieve(index, [t for _n, t in other], wide, [form_abjad(n, t) for n, t in other])
        )
        for k, fs, a in zip(part, forms, latin, strict=True):
            out.append(
                _screen_forms(index, k, fs, found_latin if a else found_other, threshold, max_hits, scores)
            )
    return out


def _retrieve(
    index: ScreeningIndex,
    queries: list[tuple[str, ...]],
    threshold: float,
    abjad: list[frozenset[str]] | None = None,
) -> list[Candidates]:
    """`candidates_batch` of each distinct query once (a name asked with several countries is one)."""
    first: dict[tuple[tuple[str, ...], frozenset[str] | None], int] = {}
    back = [first.setdefault((q, abjad[k] if abjad else None), len(first)) for k, q in enumerate(queries)]
    if len(first) == len(queries):
        return candidates_batch(index, queries, threshold, abjad)
    distinct = list(first)
    abjads = [a or frozenset() for _q, a in distinct] if abjad else None
    found = candidates_batch(index, [q for q, _a in distinct], threshold, abjads)
    return [found[i] for i in back]


def _screen_forms(
    index: ScreeningIndex,
    key: Key,
    forms: tuple[tuple[str, tuple[str, ...]], ...],
    found: Iterator[Candidates],
    threshold: float,
    max_hits: int,
    scores: dict[Any, Scored] | None = None,
) -> list[Hit]:
    """The hits of one query over all its forms (romanisations): the best form per entry."""
    name, country, qtype = key
    if len(forms) == 1 and name.isascii():
        return screen_tokens(
            index, forms[0][1], threshold, country, qtype, max_hits, "", next(found), scores=scores
        )
    chars = cjk_chars(name)
    whole = cjk_person(name)
    best: dict[int, Hit] = {}
    written_in = scripts(name)
    no_initials = not weak.NO_INITIALS.isdisjoint(written_in)
    hebrew = "hebrew" in written_in
    for text, toks in forms:
        han = text == name and has_han(name)
        hits = screen_tokens(
            index,
            toks,
            threshold,
            country,
            qtype,
            max_hits,
            chars,
            next(found),
            whole,
            han,
            no_initials,
            hebrew,
            bool(written_in),
            form_abjad(name, toks),
            scores,
        )
        for entry, nid, score, explanation in hits:
            if entry not in best or score > best[entry][2]:
                best[entry] = (entry, nid, score, explain_form(text, name, explanation))
    return sorted(best.values(), key=lambda h: (-h[2], h[0]))[:max_hits]


def _by_tokens(keys: list[Key]) -> tuple[list[Key], list[int]]:
    """The keys to screen (one per Latin name of one form with the same tokens, country and type: their
    hits are the same, `_screen_forms`) and, per key, which of them answers it."""
    first: dict[Any, int] = {}
    distinct: list[Key] = []
    back: list[int] = []
    for key in keys:
        forms = query_forms(key[0]) if key[0].isascii() else ()
        sig: Any = (forms[0][1], key[1], key[2]) if len(forms) == 1 else key
        at = first.get(sig)
        if at is None:
            at = first[sig] = len(distinct)
            distinct.append(key)
        back.append(at)
    return distinct, back


def _screen_distinct(
    index: ScreeningIndex, threshold: float, max_hits: int, keys: list[Key]
) -> list[list[Hit]]:
    """`_screen_keys` of the keys with distinct tokens, each answer given to every key that shares them
    ("ACME GmbH" and "Acme GmbH." are screened once)."""
    distinct, back = _by_tokens(keys)
    if len(distinct) == len(keys):
        return _screen_keys(index, threshold, max_hits, keys)
    found = _screen_keys(index, threshold, max_hits, distinct)
    return [found[i] for i in back]


WORKER_GC = (50_000, 50, 100)  # a worker's collector thresholds (CPython's default: 700, 10, 10)


def _start_worker(index: ScreeningIndex, threshold: float, max_hits: int) -> None:
    """A forked worker's start: what its chunks are screened with (inherited by the fork, not pickled),
    and its collector made rare: a worker's memos (token similarities, expansions, name scores) are
    millions of long-lived tuples that each full collection walked again (~15% of a worker's CPU), while
    screening leaves next to no reference cycles behind; the process ends with its batch."""
    global _WORKER
    _WORKER = (index, threshold, max_hits)
    gc.set_threshold(*WORKER_GC)
    gc.enable()  # forked from a parent that paused it (collector.py): rare, not never


def _worker_chunk(keys: list[Key]) -> list[list[Hit]]:
    """`_screen_distinct` of a chunk in a forked worker, with what `_start_worker` gave it."""
    assert _WORKER is not None
    return _screen_distinct(*_WORKER, keys)


def screen_all(
    index: ScreeningIndex, keys: list[Key], threshold: float, max_hits: int, workers: int
) -> list[list[Hit]]:
    """The hits of each key (name, country, type), best first: in `workers` forked processes for many."""
    # The index and threshold are passed along, never left in a module global: screenings at once in
    # threads (the API's thread pool) each keep their own. A forked worker gets them at its start.
    if workers <= 1 or len(keys) < PARALLEL_MIN or "fork" not in mp.get_all_start_methods():
        return _screen_distinct(index, threshold, max_hits, keys)
    # Forked workers share the index copy-on-write; chunks keep the progress of each worker even. Each
    # worker reads its own keys' forms (`_by_tokens`): the parent would read all of them alone.
    size = max(CHUNK_MIN, len(keys) // (workers * 32))
    chunks = [keys[i : i + size] for i in range(0, len(keys), size)]
    # the objects of this process frozen: the workers' collector leaves them (and their pages) alone,
    # ~100 MB less copied per worker; unfrozen after unless the process froze its own (the CLI's
    # start, fronts/cli/startup.py: unfreezing would undo it)
    frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        start = mp.get_context("fork")
        with start.Pool(workers, _start_worker, (index, threshold, max_hits)) as pool:
            parts = pool.map(_worker_chunk, chunks, chunksize=1)
    finally:
        if not frozen:
            gc.unfreeze()
    return [hits for part in parts for hits in part]
