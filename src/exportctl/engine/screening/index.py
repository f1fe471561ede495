"""The screening index: every listed name and alias as tokens, an inverted index over tokens and
adjacent-token joins, token weights (IDF over the lists), a deletion index for typo lookup and a
character-trigram fallback.

Retrieval (`ScreeningIndex.candidates`) probes only the rare query tokens that any passing candidate must
share (prefix filtering), bounds every candidate's score from the tokens it shares, and hands the few
survivors to the scorer.
"""

from __future__ import annotations

import itertools
import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from exportctl.engine.screening.normalise import legal_deletes, name_key, normalise, split_listed_name
from exportctl.engine.screening.score import ALPHA, BETA, edit_budget, token_sim
from exportctl.engine.screening.terms import terms

W_LEGAL = 0.1
W_PARTICLE = 0.1
W_GENERIC = 0.2
W_NUMBER = 0.5
W_INITIAL = 0.5  # a middle initial that aligns with nothing states a different middle name
W_FLOOR = 0.25
W_PATRONYMIC = 0.35  # "Viktorovich": often left out of a name, and shared by many unrelated people
_PATRONYMIC = re.compile(r"^[a-z]{3,}(?:ovich|evich|ovych|evych|ovna|evna|ivna|ovitch|evitch)$")
_PATRONYMIC_WORDS = frozenset({"ogly", "oglu", "ugli", "kyzy", "qizi", "gizi"})
BIG_POSTING = 3000  # tokens on more names than this are never probed: they are assumed to match
MAX_CANDIDATES = 64
PROBE_MARGIN = 0.05  # probe as if the threshold were this much lower, so fuzzy pairs are not lost


@dataclass
class BuildStats:
    """What building the index took."""

    entries: int = 0
    names: int = 0
    tokens: int = 0
    seconds: float = 0.0
    approx_bytes: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for reports."""
        return {
            "entries": self.entries,
            "names": self.names,
            "tokens": self.tokens,
            "seconds": round(self.seconds, 3),
            "approx_mb": round(self.approx_bytes / 1e6, 1),
        }


def _near_legal_word(tok: str) -> bool:
    """An unknown token one edit from a legal-form word ("joont" for "joint"; "cubic" is not "public")."""
    from rapidfuzz.distance import OSA

    if tok in terms().legal_words:
        return True
    if len(tok) < 4:
        return False
    table = legal_deletes()
    probes = (tok, *(tok[:i] + tok[i + 1 :] for i in range(len(tok))))
    return any(OSA.distance(tok, w, score_cutoff=1) <= 1 for p in probes for w in table.get(p, ()))


def _deletes(token: str) -> Iterable[str]:
    return (token[:i] + token[i + 1 :] for i in range(len(token)))


def _trigrams(token: str) -> set[str]:
    padded = f"#{token}#"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Postings:
    """Key -> array of name ids, stored as one id array and offsets (compact, and quick to unpickle)."""

    def __init__(self, lists: dict[str, list[int]]) -> None:
        self.index: dict[str, int] = {}
        offsets = [0]
        chunks: list[int] = []
        for i, (key, ids) in enumerate(lists.items()):
            self.index[key] = i
            chunks.extend(ids)
            offsets.append(len(chunks))
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.ids = np.asarray(chunks, dtype=np.int32)

    def get(self, key: str) -> np.ndarray | None:
        """The ids of a key, or None."""
        i = self.index.get(key)
        if i is None:
            return None
        return self.ids[self.offsets[i] : self.offsets[i + 1]]

    def __getitem__(self, key: str) -> np.ndarray:
        got = self.get(key)
        if got is None:
            raise KeyError(key)
        return got

    def __contains__(self, key: object) -> bool:
        return key in self.index

    def __len__(self) -> int:
        return len(self.index)

    def nbytes(self) -> int:
        """Approximate memory."""
        return int(self.ids.nbytes + self.offsets.nbytes + 90 * len(self.index))


@dataclass
class ScreeningIndex:
    """Everything screening needs about the lists, built once per data version."""

    entries: pl.DataFrame  # the list table, one row per listed entry
    name_entry: np.ndarray  # name id -> entry row
    name_text: list[str]  # name id -> name or alias as listed
    name_tokens: list[tuple[str, ...]]
    name_weight: np.ndarray  # name id -> total token weight
    keys: Postings  # exact-match key -> name ids
    postings: Postings  # token or adjacent join -> name ids
    df: dict[str, int]
    deletes: dict[str, str]  # one deletion -> the space-joined tokens it comes from
    entry_type: list[str]
    entry_countries: list[frozenset[str]]
    stats: BuildStats = field(default_factory=BuildStats)
    _weights: dict[str, float] = field(default_factory=dict)
    name_weights: list[tuple[float, ...]] = field(default_factory=list)
    name_sets: list[frozenset[str]] = field(default_factory=list)
    _expansions: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    _merged: dict[str, tuple[np.ndarray, np.ndarray] | None] = field(default_factory=dict)
    _tri: dict[str, np.ndarray] | None = None
    _vocab: list[str] | None = None

    # -- weights ------------------------------------------------------------------------------------
    def weigh(self, tok: str) -> float:
        """Token weight: little for legal forms, generic words and particles; IDF for the rest."""
        w = self._weights.get(tok)
        if w is not None:
            return w
        t = terms()
        if len(tok) == 1 and not tok.isdigit():
            w = W_INITIAL
        elif tok in t.legal_forms or tok in t.legal_words:
            w = W_LEGAL
        elif tok in t.particles:
            w = W_PARTICLE
        elif tok in t.generic_words:
            w = W_GENERIC
        elif tok.isdigit():
            w = W_NUMBER
        elif self.df.get(tok, 0) <= 3 and _near_legal_word(tok):
            w = W_LEGAL  # "joont", "stok": a misspelt legal-form word (lists have typos too)
        elif (
            tok not in self.df
            and len(tok) >= 4
            and (near := [k for k, _ in self.expand(tok) if k in self.df])
        ):
            w = self.weigh(near[0])  # a misspelling weighs what the word it misspells weighs
        else:
            df = self.df.get(tok, 0)
            n = max(len(self.name_text), 10)
            w = 1.0 if df <= 3 else max(W_FLOOR, min(1.0, math.log(n / df) / math.log(n / 3)))
            if tok in _PATRONYMIC_WORDS or _PATRONYMIC.match(tok):
                w = min(w, W_PATRONYMIC)
        self._weights[tok] = w
        return w

    def __getstate__(self) -> dict[str, Any]:
        # Caches and derived sets are rebuilt on load: they are large and quick to recompute.
        state = dict(self.__dict__)
        state.update(_weights={}, _expansions={}, _merged={}, _tri=None, _vocab=None, name_sets=[])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.name_sets = [frozenset(toks) for toks in self.name_tokens]

    def identity(self, tok: str) -> bool:
        """Whether a token can identify a party (not a legal form, generic word, particle or initial)."""
        return len(tok) > 1 and self.weigh(tok) > W_GENERIC

    # -- token lookup -------------------------------------------------------------------------------
    def expand(self, tok: str) -> tuple[tuple[str, float], ...]:
        """Indexed tokens (or joins) within the edit budget of `tok`, with their similarity."""
        got = self._expansions.get(tok)
        if got is not None:
            return got
        found: dict[str, float] = {}
        if tok in self.postings:
            found[tok] = 1.0
        if not tok.isdigit() and len(tok) >= 4:
            probes = {tok, *_deletes(tok)}
            self._probe(tok, probes, found)
            # Second-order deletions for an unknown long token, or one with no one-edit neighbour: they
            # are many, and a known token has already found its names.
            if (len(found) == 0 or (tok not in self.postings and len(tok) >= 8)) and edit_budget(
                len(tok)
            ) >= 2:
                self._probe(tok, {d2 for d1 in probes for d2 in _deletes(d1)} - probes, found)
        result = tuple(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))  # ties: a fixed order
        if len(self._expansions) < 1 << 20:
            self._expansions[tok] = result
        return result

    def merged(self, tok: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The names holding `tok` or a near spelling of it: sorted ids and the best similarity of each;
        None when a near spelling is too common to probe. Cached: query tokens repeat across a batch."""
        got = self._merged.get(tok, False)
        if got is not False:
            return got  # type: ignore[return-value]
        result = self._merge(self.expand(tok))
        if len(self._merged) < 1 << 18:
            self._merged[tok] = result
        return result

    def _merge(self, exp: tuple[tuple[str, float], ...]) -> tuple[np.ndarray, np.ndarray] | None:
        arrays = [(self.postings[k], s) for k, s in exp]
        if any(len(a) > BIG_POSTING for a, _ in arrays):
            return None
        if not arrays:
            return np.empty(0, dtype=np.int32), np.empty(0)
        if len(arrays) == 1:
            # One posting list: its ids are sorted and distinct already (built in id order).
            return arrays[0][0], np.full(len(arrays[0][0]), arrays[0][1])
        ids = np.concatenate([a for a, _ in arrays])
        sims = np.repeat(np.asarray([g for _, g in arrays]), [len(a) for a, _ in arrays])
        order = np.argsort(-sims, kind="stable")
        first_ids, first = np.unique(ids[order], return_index=True)
        return first_ids, sims[order][first]

    def _probe(self, tok: str, probes: set[str], found: dict[str, float]) -> None:
        for p in probes:
            for cand in self.deletes.get(p, "").split():
                if cand not in found:
                    s = token_sim(tok, cand)
                    if s > 0.0:
                        found[cand] = s
            if p in self.postings and p not in found:
                s = token_sim(tok, p)
                if s > 0.0:
                    found[p] = s

    def fallback(self, tok: str) -> tuple[tuple[str, float], ...]:
        """Trigram search over the vocabulary for a token the deletion index missed."""
        if self._tri is None or self._vocab is None:
            self._build_trigrams()
        assert self._tri is not None and self._vocab is not None
        grams = [self._tri[g] for g in _trigrams(tok) if g in self._tri]
        if not grams:
            return ()
        counts = np.bincount(np.concatenate(grams), minlength=len(self._vocab))
        need = max(2, int(0.4 * (len(tok) + 2 - 2)))
        out = []
        for vid in np.flatnonzero(counts >= need)[:200]:
            cand = self._vocab[int(vid)]
            s = token_sim(tok, cand)
            if s > 0.0:
                out.append((cand, s))
        return tuple(sorted(out, key=lambda kv: -kv[1])[:10])

    def _build_trigrams(self) -> None:
        vocab = [t for t in self.df if len(t) >= 4 and not t.isdigit()]
        tri: dict[str, list[int]] = defaultdict(list)
        for vid, tok in enumerate(vocab):
            for g in _trigrams(tok):
                tri[g].append(vid)
        self._vocab = vocab
        self._tri = {g: np.asarray(v, dtype=np.int32) for g, v in tri.items()}

    # -- retrieval ----------------------------------------------------------------------------------
    def candidates(self, q: tuple[str, ...], threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """Name ids whose score could reach `threshold`, and that upper bound, best first.

        The bound counts, for each query token, its best similarity to any token of the name (found
        through the postings of the token's near spellings), so a name that shares too little is never
        scored.
        """
        empty = (np.empty(0, dtype=np.int64), np.empty(0))
        if not q:
            return empty
        wq = [self.weigh(t) for t in q]
        total = sum(wq)
        t = max(0.05, threshold - PROBE_MARGIN)
        # A candidate that misses query tokens of weight m scores at most (W-m)/(W-m+ALPHA*m).
        max_missed = (1.0 - t) * total / (1.0 - t + t * ALPHA)
        # One group per probed query token (positions, postings with gains); joins of two tokens last.
        groups: list[Group] = []
        big: list[tuple[tuple[tuple[str, float], ...], float]] = []
        assumed = probed = 0.0
        size = 0
        merged = [self.merged(tok) for tok in q]
        if all(m is not None and len(m[0]) == 0 for m in merged):
            # No token hit, not even within its edit budget: trigram search keeps recall.
            merged = [
                self._merge(self.fallback(tok)) if self.identity(tok) and len(tok) >= 5 else None for tok in q
            ]
            merged = [(np.empty(0, dtype=np.int32), np.empty(0)) if m is None else m for m in merged]
        for i, m in enumerate(merged):
            if m is None:
                assumed += wq[i]  # too common to probe: checked on the few candidates below
                big.append((self.expand(q[i]), wq[i]))
                continue
            if len(m[0]):
                groups.append(((i,), m[0], m[1] * wq[i]))
                size += len(m[0])
            probed += wq[i]
        for i in range(len(q) - 1):
            post = self.postings.get(q[i] + q[i + 1])
            if post is not None and len(post) <= BIG_POSTING:
                groups.append(((i, i + 1), post, np.full(len(post), wq[i] + wq[i + 1])))
                size += len(post)
        if not groups or (probed <= max_missed and assumed > 0):
            return empty  # nothing probed, or only very common tokens: nothing identifies
        uniq, acc = _accumulate(groups, size)
        coarse = np.minimum(acc + assumed, total)
        bound = coarse / (
            coarse + ALPHA * (total - coarse) + BETA * np.maximum(self.name_weight[uniq] - coarse, 0) + 1e-9
        )
        ok = bound >= t
        uniq, acc = uniq[ok], acc[ok]
        if big and len(uniq):
            # The common tokens count only where the name has them (or a near spelling of them).
            sets = self.name_sets
            acc = acc + np.asarray(
                [
                    sum(w * max((s for k, s in exp if k in sets[nid]), default=0.0) for exp, w in big)
                    for nid in uniq.tolist()
                ],
                dtype=np.float64,
            )
        acc = np.minimum(acc, total)
        bound = acc / (
            acc + ALPHA * (total - acc) + BETA * np.maximum(self.name_weight[uniq] - acc, 0) + 1e-9
        )
        ok = bound >= t
        uniq, bound = uniq[ok], bound[ok]
        order = np.argsort(-bound, kind="stable")[:MAX_CANDIDATES]
        return uniq[order], bound[order]


Group = tuple[tuple[int, ...], np.ndarray, np.ndarray]  # query positions, sorted name ids, their gains


def _accumulate(groups: list[Group], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate name: the sum over query tokens of the best gain; a join of two tokens adds only
    what it brings beyond the two tokens matched on their own (no double counting)."""
    by_pos: dict[int, dict[int, float]] = {}
    sums: dict[int, float] = {}
    if size <= 160:
        # Small candidate sets: dicts beat numpy's fixed costs.
        for pos, ids, gains in groups:
            local = dict(zip(ids.tolist(), gains.tolist(), strict=True))
            if len(pos) == 1:
                by_pos[pos[0]] = local
                for nid, g in local.items():
                    sums[nid] = sums.get(nid, 0.0) + g
            else:
                a, b = by_pos.get(pos[0], {}), by_pos.get(pos[1], {})
                for nid, g in local.items():
                    extra = g - a.get(nid, 0.0) - b.get(nid, 0.0)
                    if extra > 0.0:
                        sums[nid] = sums.get(nid, 0.0) + extra
        uniq = np.fromiter(sums.keys(), dtype=np.int64, count=len(sums))
        return uniq, np.fromiter(sums.values(), dtype=np.float64, count=len(sums))
    single: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    all_ids: list[np.ndarray] = []
    all_gains: list[np.ndarray] = []
    for pos, first_ids, best in groups:
        if len(pos) == 1:
            single[pos[0]] = (first_ids, best)
        else:
            for p in pos:
                if p in single:
                    best = best - _gains_of(single[p], first_ids)
            best = np.maximum(best, 0.0)
        all_ids.append(first_ids)
        all_gains.append(best)
    uniq_ids, inv = np.unique(np.concatenate(all_ids), return_inverse=True)
    return uniq_ids.astype(np.int64), np.bincount(inv, weights=np.concatenate(all_gains)).astype(np.float64)


def _gains_of(group: tuple[np.ndarray, np.ndarray], ids: np.ndarray) -> np.ndarray:
    """The gains a group gives `ids` (0 where it has none); the group's ids are sorted."""
    gids, gains = group
    at = np.searchsorted(gids, ids)
    at = np.minimum(at, len(gids) - 1)
    hit = gids[at] == ids
    return np.where(hit, gains[at], 0.0)


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


def build_index(lists: pl.DataFrame) -> ScreeningIndex:
    """Build the index over a list table (columns list, entity_id, name, aliases, type, countries ...)."""
    start = time.perf_counter()
    for col in ("list", "entity_id", "name"):
        if col not in lists.columns:
            raise ValueError(f"list table lacks column {col!r}")
    entries = lists
    name_entry: list[int] = []
    name_text: list[str] = []
    name_tokens: list[tuple[str, ...]] = []
    aliases_col = entries["aliases"].to_list() if "aliases" in entries.columns else [None] * entries.height
    for row, (name, aliases) in enumerate(zip(entries["name"].to_list(), aliases_col, strict=True)):
        seen: set[str] = set()
        variants: list[str] = []
        for raw in [name or "", *_as_list(aliases)]:
            primary, more = split_listed_name(raw)
            variants.append(primary)
            variants.extend(more)
        for text in variants:
            toks = normalise(text)
            key = name_key(toks)
            if not toks or key in seen:
                continue
            seen.add(key)
            name_entry.append(row)
            name_text.append(text)
            name_tokens.append(toks)
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
            joined = a + b
            if not post[joined] or post[joined][-1] != nid:
                post[joined].append(nid)
    deletes: dict[str, list[str]] = defaultdict(list)
    for tok in df:
        if len(tok) >= 4 and not tok.isdigit():
            for d in set(_deletes(tok)):
                deletes[d].append(tok)
    types = entries["type"].to_list() if "type" in entries.columns else [None] * entries.height
    countries = entries["countries"].to_list() if "countries" in entries.columns else [None] * entries.height
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
        entry_countries=[frozenset(c.upper() for c in _as_list(v)) for v in countries],
    )
    index.name_sets = [frozenset(toks) for toks in name_tokens]
    index.name_weights = [tuple(index.weigh(t) for t in toks) for toks in name_tokens]
    # For the retrieval bound only: short tokens may be joined in pairs ("hua wei" = "huawei"), so they
    # count half; an optimistic weight keeps the bound an upper bound.
    index.name_weight = np.asarray(
        [
            sum(w * (0.5 if len(t) <= 4 and not t.isdigit() else 1.0) for t, w in zip(toks, ws, strict=True))
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


def _approx_bytes(index: ScreeningIndex) -> int:
    posting_bytes = index.postings.nbytes() + index.keys.nbytes()
    delete_bytes = sum(110 + len(k) + len(v) for k, v in index.deletes.items())
    name_bytes = sum(64 + 56 * len(t) for t in index.name_tokens) + sum(50 + len(s) for s in index.name_text)
    return posting_bytes + delete_bytes + name_bytes + int(index.entries.estimated_size())
