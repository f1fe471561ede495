"""The screening index: every listed name and alias as tokens, an inverted index over tokens and
adjacent-token joins, token weights (IDF over the lists), a deletion index for typo lookup and a
character-trigram fallback. `build.py` builds it; `retrieval.py` finds the candidates of a batch of
queries in it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from exportctl.engine.screening.align import VARIANT_SIM
from exportctl.engine.screening.normalise import near_legal_word
from exportctl.engine.screening.postings import Postings
from exportctl.engine.screening.score import ALPHA, COVERED_EXTRA
from exportctl.engine.screening.similarity import (
    edit_budget,
    may_align,
    skeleton_key,
    token_sim,
    translit_sim,
    vowel_skeleton,
)
from exportctl.engine.screening.terms import terms
from exportctl.engine.screening.titles import name_weights
from exportctl.engine.screening.variants import cognate_spellings, variant_spellings

W_LEGAL = 0.1
W_PARTICLE = 0.1
W_GENERIC = 0.2
W_NUMBER = 0.5
W_INITIAL = 0.5  # a middle initial that aligns with nothing states a different middle name
W_FLOOR = 0.25
W_PATRONYMIC = 0.35  # "Viktorovich": often left out of a name, and shared by many unrelated people
_PATRONYMIC = re.compile(r"^[a-z]{3,}(?:ovich|evich|ovych|evych|ovna|evna|ivna|ovitch|evitch)$")
_PATRONYMIC_WORDS = frozenset({"ogly", "oglu", "ugli", "kyzy", "qizi", "gizi"})
_VOWELS = frozenset("aeiou")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
BIG_POSTING = 3000  # tokens on more names than this are never merged: they are checked per name


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


def _inherits(near: str) -> bool:
    """Whether an unknown token near `near` may take its weight: not from a particle, a title or a short
    word ("dost" is not "dos", "Sencora" is not "Senora"): those neighbours are more often another name."""
    return len(near) >= 5 and near not in terms().particles


def _mode(tok: str, abjad: bool, vowelled: bool) -> tuple[bool, bool, str]:
    """How a query token is looked up: as a vowel-less abjad reading, as an alphabet's romanisation (a
    word with vowels) or plainly; and its cache key."""
    abjad = abjad and _VOWELS.isdisjoint(tok)
    vowelled = vowelled and not abjad and not _VOWELS.isdisjoint(tok)
    return abjad, vowelled, ("\x00" + tok if abjad else "\x01" + tok if vowelled else tok)


def _deletes(token: str) -> Iterable[str]:
    return (token[:i] + token[i + 1 :] for i in range(len(token)))


def _deletes2(token: str) -> set[str]:
    """Every spelling of `token` with two letters deleted (the deletions of its deletions)."""
    n = len(token)
    return {token[:i] + token[i + 1 : j] + token[j + 1 :] for i in range(n) for j in range(i + 1, n)}


def _trigrams(token: str) -> set[str]:
    padded = f"#{token}#"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class _Identity(dict[str, bool]):
    """`ScreeningIndex.identity` of plain tokens, each worked out once (`weigh`) on first read."""

    def __init__(self, index: ScreeningIndex) -> None:
        super().__init__()
        self.index = index

    def __missing__(self, tok: str) -> bool:
        got = self[tok] = len(tok) > 1 and self.index.weigh(tok) > W_GENERIC
        return got


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
    # per name, where its family-name words are (normalise.family_span)
    name_family: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    _weights: dict[str, float] = field(default_factory=dict)
    name_weights: list[tuple[float, ...]] = field(default_factory=list)
    name_sets: list[frozenset[str]] = field(default_factory=list)
    _expansions: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    _reach: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    _merged: dict[str, tuple[np.ndarray, np.ndarray] | None] = field(default_factory=dict)
    _sizes: dict[str, int] = field(default_factory=dict)
    _probed2: set[str] = field(default_factory=set)  # `expand` keys whose two-deletion spellings it probed
    _identity: _Identity = field(init=False, repr=False, compare=False)  # `identity` of plain tokens
    _name_weights: dict[tuple[tuple[str, ...], frozenset[str]], list[float]] = field(default_factory=dict)
    _tri: dict[str, np.ndarray] | None = None
    _vocab: list[str] | None = None
    _skeletons: dict[str, tuple[str, ...]] | None = None
    _vowel_skeletons: dict[str, tuple[str, ...]] | None = None

    def __post_init__(self) -> None:
        self._identity = _Identity(self)

    # -- weights ------------------------------------------------------------------------------------
    def weigh(self, tok: str, abjad: bool = False) -> float:
        """Token weight: little for legal forms, generic words and particles; IDF for the rest. `abjad`: the
        token is a vowel-less romanisation of an abjad (`similarity.abjad_set`)."""
        abjad = abjad and _VOWELS.isdisjoint(tok)
        key = "\x00" + tok if abjad else tok  # an abjad reading weighs apart from the same Latin letters
        w = self._weights.get(key)
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
        elif self.df.get(tok, 0) <= 3 and near_legal_word(tok) is not None:
            w = W_LEGAL  # "joont", "stok": a misspelt legal-form word (lists have typos too)
        elif abjad and (common := self._abjad_near(tok)) and common != tok:
            w = self.weigh(common)  # a consonant skeleton weighs what its commonest listed spelling weighs
        elif (
            tok not in self.df
            and len(tok) >= 4
            and (near := [k for k, _ in self.expand(tok) if k in self.df and _inherits(k)])
        ):
            w = self.weigh(near[0])  # a misspelling weighs what the word it misspells weighs
        else:
            df = self.df.get(tok, 0)
            n = max(len(self.name_text), 10)
            w = 1.0 if df <= 3 else max(W_FLOOR, min(1.0, math.log(n / df) / math.log(n / 3)))
            if tok in _PATRONYMIC_WORDS or _PATRONYMIC.match(tok):
                w = min(w, W_PATRONYMIC)
        self._weights[key] = w
        return w

    def weights(self, toks: Sequence[str], abjad: frozenset[str] = frozenset()) -> list[float]:
        """The weight of each token of one name: `weigh`, with the place words of an organisation's name
        (one holding a legal form or a generic word) lowered (places.place_weights)."""
        key = (tuple(toks), abjad)
        got = self._name_weights.get(key)
        if got is None:  # a query's weights are read by its retrieval plan and by its scoring: made once
            got = name_weights(toks, [self.weigh(t, t in abjad) for t in toks])
            if len(self._name_weights) < 1 << 18:
                self._name_weights[key] = got
        return list(got)

    def identity(self, tok: str, abjad: bool = False) -> bool:
        """Whether a token can identify a party (not a legal form, generic word, particle or initial)."""
        if not abjad:
            return self._identity[tok]
        return len(tok) > 1 and self.weigh(tok, abjad) > W_GENERIC

    def identity_of(self, abjad: frozenset[str]) -> Callable[[str], bool]:
        """`identity` for the tokens of a query whose abjad readings are `abjad` (`similarity.abjad_set`)."""
        if not abjad:
            return self._identity.__getitem__  # a dict read: the scorer asks it ~40 times per query
        return lambda tok: self.identity(tok, tok in abjad)

    def weigh_of(self, abjad: frozenset[str]) -> Callable[[str], float]:
        """`weigh` for the tokens of a query whose abjad readings are `abjad`."""
        if not abjad:
            return self.weigh
        return lambda tok: self.weigh(tok, tok in abjad)

    # -- token lookup -------------------------------------------------------------------------------
    def expand(self, tok: str, abjad: bool = False, vowelled: bool = False) -> tuple[tuple[str, float], ...]:
        """Indexed tokens (or joins) within the edit budget of `tok`, with their similarity (`abjad`: a
        vowel-less romanisation of an abjad, which meets the listed spellings of its skeleton too;
        `vowelled`: a romanisation of an alphabet, which meets the listed words of its vowel skeleton)."""
        abjad, vowelled, key = _mode(tok, abjad, vowelled)
        got = self._expansions.get(key)
        if got is not None:
            return got
        found: dict[str, float] = {}
        if tok in self.postings.index:
            found[tok] = 1.0
        if len(tok) == 3 and not found and tok.isalpha():
            self._probe(tok, {tok}, found, abjad)  # a listed word one letter longer (Pak / Park, Yee / Yeee)
        if not tok.isdigit() and len(tok) >= 4:
            probes = {tok, *_deletes(tok)}
            self._probe(tok, probes, found, abjad)
            # Second-order deletions for a token with no neighbour one edit away (a known token has found
            # its names, and a typo its word): they are many. `reach` need not probe them again.
            if not found and edit_budget(len(tok)) >= 2:
                self._probe(tok, _deletes2(tok), found, abjad)
                self._probed2.add(key)
        if abjad and tok not in terms().legal:
            # A vowel-less romanisation (Arabic, Persian, Hebrew): the listed spellings of its skeleton.
            for cand in self.skeletons().get(skeleton_key(tok), ()):
                if cand not in found and (s := token_sim(tok, cand, True)) > 0.0:
                    found[cand] = s
        if vowelled:
            # A word romanised from an alphabet: the listed words of its vowel skeleton (Hizballah).
            for cand in self.vowel_skeletons().get(vowel_skeleton(tok), ()):
                if (s := translit_sim(tok, cand)) > found.get(cand, 0.0):
                    found[cand] = s
        result = tuple(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))  # ties: a fixed order
        if len(self._expansions) < 1 << 20:
            self._expansions[key] = result
        return result

    def reach(self, tok: str, abjad: bool = False, vowelled: bool = False) -> tuple[tuple[str, float], ...]:
        """Every indexed token the scorer can align with `tok` at a similarity above 0, with that similarity:
        `expand`, plus the spellings two edits away that `expand` leaves out once it has a nearer one (the
        budget of a pair is the longer word's: "miles" / "miller"), plus the listed spellings of the same
        person name (`variants`). Retrieval reads this, so that its bound is a true upper bound."""
        abjad, vowelled, key = _mode(tok, abjad, vowelled)
        got = self._reach.get(key)
        if got is not None:
            return got
        found = dict(self.expand(tok, abjad, vowelled))
        if not tok.isdigit() and len(tok) >= 4:
            # Unless `expand` probed them already (what it left out there scored 0: the same token_sim), or
            # a plain word is too short for two edits: what they find that `expand`'s one-edit probe did
            # not is two edits away, beyond the budget of one (token_sim 0); an abjad skeleton is not bound.
            if key not in self._probed2 and (abjad or edit_budget(len(tok)) >= 2):
                self._probe(tok, _deletes2(tok), found, abjad)
        elif tok.isalpha() and 2 <= len(tok) <= 3:
            # Short words: the deletion index holds words of four letters or more ("nd", "nad" / "and").
            near = {tok[:i] + c + tok[i + k :] for i in range(len(tok) + 1) for k in (0, 1) for c in _LETTERS}
            near |= {tok[:i] + tok[i + 1] + tok[i] + tok[i + 2 :] for i in range(len(tok) - 1)}
            self._probe(tok, (near | set(_deletes(tok))) - {tok}, found, abjad)
        for cand in variant_spellings(tok) | cognate_spellings(tok):
            if cand in self.postings.index and found.get(cand, 0.0) < VARIANT_SIM:
                found[cand] = VARIANT_SIM
        result = tuple(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
        if len(self._reach) < 1 << 20:
            self._reach[key] = result
        return result

    def merged(
        self, tok: str, abjad: bool = False, vowelled: bool = False
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The names holding `tok` or a near spelling of it: sorted ids and the best similarity of each;
        None when a near spelling is too common to probe. Cached: query tokens repeat across a batch."""
        abjad, vowelled, key = _mode(tok, abjad, vowelled)
        got = self._merged.get(key, False)
        if got is not False:
            return got  # type: ignore[return-value]
        result = self._merge(self.reach(tok, abjad, vowelled))
        if len(self._merged) < 1 << 18:
            self._merged[key] = result
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
        if any(a < b for (_, a), (_, b) in itertools.pairwise(exp)):
            order = np.argsort(-sims, kind="stable")
            ids, sims = ids[order], sims[order]
        # Most similar spellings first (as `reach` and `fallback` list them): a name's first occurrence
        # holds its best similarity.
        first_ids, first = np.unique(ids, return_index=True)
        return first_ids, sims[first]

    def _probe(self, tok: str, probes: set[str], found: dict[str, float], abjad: bool = False) -> None:
        # Most probes are in neither table: the set intersections drop them in C. The order cannot matter:
        # a token's similarity to `tok` is the same whichever probe finds it.
        # The candidates are gathered first and those beyond the edit budget dropped in one call
        # (`may_align`): most candidates two deletions away are three or four edits away.
        deletes = self.deletes
        cands = {cand for p in probes & deletes.keys() for cand in deletes[p].split()}
        cands.update(probes & self.postings.index.keys())
        cands.difference_update(found)
        for cand in may_align(tok, list(cands), abjad):
            s = token_sim(tok, cand, abjad)
            if s > 0.0:
                found[cand] = s

    def _abjad_near(self, tok: str) -> str:
        """The commonest listed word (not a particle, legal form or generic word: a name never weighs what
        "Asia" or "Sea" weighs) spelling the skeleton of a vowel-less token, or ''."""
        t = terms()
        near = [
            k for k, _ in self.expand(tok, True) if k in self.df and k not in t.particles and k not in t.light
        ]
        return max(near, key=lambda k: (self.df[k], k), default="")

    def skeletons(self) -> dict[str, tuple[str, ...]]:
        """Listed words (with vowels) by their consonant skeleton, built on first use."""
        if self._skeletons is None:
            out: dict[str, list[str]] = defaultdict(list)
            for tok in self.df:
                if tok.isalpha() and len(tok) >= 2 and not _VOWELS.isdisjoint(tok):
                    out[skeleton_key(tok)].append(tok)
            self._skeletons = {k: tuple(v) for k, v in out.items()}
        return self._skeletons

    def vowel_skeletons(self) -> dict[str, tuple[str, ...]]:
        """Listed words (with vowels) by their vowel skeleton (`similarity.vowel_skeleton`), built on first
        use."""
        if self._vowel_skeletons is None:
            out: dict[str, list[str]] = defaultdict(list)
            for tok in self.df:
                if tok.isalpha() and len(tok) > 3 and not _VOWELS.isdisjoint(tok):
                    out[vowel_skeleton(tok)].append(tok)
            self._vowel_skeletons = {k: tuple(v) for k, v in out.items()}
        return self._vowel_skeletons

    def fallback(self, tok: str, abjad: bool = False) -> tuple[tuple[str, float], ...]:
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
            s = token_sim(tok, cand, abjad)
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
    def bound_weights(self, q: tuple[str, ...], wq: list[float]) -> tuple[list[float], float]:
        """Per query position, the weight the retrieval bound counts, and the cost factor of a missed query
        token, both as low as the scorer can make them: a repeated word and the pieces of a broken legal form
        count once; a personal name (no legal form or generic word) may carry extra names at COVERED_EXTRA."""
        t = terms()
        seen: set[str] = set()
        out: list[float] = []
        legal_seen = False
        for tok, w in zip(q, wq, strict=True):
            legal = tok in t.legal
            if tok in seen or (
                (legal or tok in t.particles or len(tok) == 1) and (legal_seen or len(tok) == 1)
            ):
                out.append(0.0)  # counted once, through the first legal word, or a possible piece of one
                continue
            seen.add(tok)
            legal_seen = legal_seen or legal
            out.append(w)
        personal = not any(tok in t.light for tok in q)
        return out, (COVERED_EXTRA if personal else ALPHA)

    def posting_size(self, tok: str, abjad: bool = False, vowelled: bool = False) -> int:
        """How many names hold `tok` or a near spelling of it (with repeats): what probing it costs."""
        abjad, vowelled, key = _mode(tok, abjad, vowelled)
        got = self._sizes.get(key)
        if got is None:
            offsets, index = self.postings.offsets, self.postings.index
            got = 0
            for near, _ in self.reach(tok, abjad, vowelled):
                i = index[near]
                got += int(offsets[i + 1] - offsets[i])
            if len(self._sizes) < 1 << 20:
                self._sizes[key] = got
        return got

    def candidates(
        self, q: tuple[str, ...], threshold: float, abjad: frozenset[str] = frozenset()
    ) -> tuple[np.ndarray, np.ndarray]:
        """Name ids whose score could reach `threshold`, and that upper bound, best first (a batch of
        one: see `retrieval.candidates_batch`)."""
        from exportctl.engine.screening.retrieval import candidates_batch

        return candidates_batch(self, [q], threshold, [abjad])[0]

    def fallback_merged(self, tok: str, abjad: bool = False) -> tuple[np.ndarray, np.ndarray] | None:
        """`merged` for the tokens the trigram fallback finds near `tok`."""
        return self._merge(self.fallback(tok, abjad))
