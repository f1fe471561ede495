"""Shared parts of the screening benchmarks: the real lists, the mutated query set, the baselines."""

from __future__ import annotations

import itertools
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from exportctl.engine.screening import build_index, list_table, normalise  # noqa: E402
from exportctl.engine.screening.index import ScreeningIndex  # noqa: E402
from exportctl.engine.screening.normalise import has_han, split_listed_name  # noqa: E402

DATA = REPO.parent / "shared" / "data"
BENCH = DATA / "screening-bench"


def load_tables(sdn: bool = True, extra: bool = True) -> dict[str, pl.DataFrame]:
    """The full CSL (+ OFAC SDN, OFAC consolidated, China's party lists) as parsed by exportctl.sources."""
    from exportctl.sources.csl import parse_csl_compact

    tables = {"csl": parse_csl_compact(DATA / "csl-2026-07-31" / "screening-list.json").records}
    if sdn:
        from exportctl.sources.ofac import parse_sdn

        tables["ofac_sdn"] = parse_sdn(DATA / "ofac-sdn-2024-05-03" / "sdn.csv").records
    if extra:
        from exportctl.sources.china_lists import parse_cn_parties
        from exportctl.sources.ofac import parse_consolidated

        tables["ofac_cons"] = parse_consolidated(DATA / "ofac-consolidated-2025-12").records
        tables["cn_parties"] = parse_cn_parties(DATA / "china-2026-07" / "cn_entity_lists.json").records
    return tables


def load_index(sdn: bool = True, extra: bool = True) -> tuple[ScreeningIndex, float]:
    """Build the index over the lists; returns it and the seconds taken (parse excluded)."""
    lists = list_table(load_tables(sdn, extra))
    start = time.perf_counter()
    index = build_index(lists)
    return index, time.perf_counter() - start


# -- mutations ------------------------------------------------------------------------------------------

LEGAL_SUFFIXES = ["Co., Ltd.", "LLC", "Limited", "GmbH", "JSC", "Inc.", "S.A. de C.V.", "OOO", "Corporation"]
_LEGAL_WORDS = re.compile(
    r"\b(co\.?,? ?ltd\.?|company limited|limited|ltd\.?|llc|l\.l\.c\.|inc\.?|incorporated|gmbh|jsc|ojsc|"
    r"cjsc|pjsc|ooo|oao|zao|corp\.?|corporation|s\.a\.?|plc|pte\.? ltd\.?|co\.?)\s*$",
    re.IGNORECASE,
)


def _tokens(name: str) -> list[str]:
    return name.split()


def _pick_word(rng: random.Random, words: list[str]) -> int | None:
    idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    return rng.choice(idx) if idx else None


def _edit(rng: random.Random, name: str, kind: str) -> str | None:
    words = _tokens(name)
    i = _pick_word(rng, words)
    if i is None:
        return None
    w = words[i]
    p = rng.randrange(1, len(w) - 1)
    if kind == "typo_substitute":
        c = rng.choice("aeioulnrst")
        if c == w[p].lower():
            c = "x"
        w = w[:p] + c + w[p + 1 :]
    elif kind == "typo_delete":
        w = w[:p] + w[p + 1 :]
    elif kind == "typo_insert":
        w = w[:p] + rng.choice("aeioulnrst") + w[p:]
    elif kind == "swap":
        w = w[: p - 1] + w[p] + w[p - 1] + w[p + 1 :]
    elif kind == "double":
        w = w[:p] + w[p] + w[p:]
    words[i] = w
    return " ".join(words)


def mutate(
    rng: random.Random, name: str, kind: str, etype: str, freq: dict[str, int] | None = None
) -> str | None:
    """One mutation of a listed name, or None when the kind does not apply to it (`freq`: how many listed
    names hold each lower-cased word)."""
    words = _tokens(name)
    if kind in ("typo_substitute", "typo_delete", "typo_insert", "swap", "double"):
        return _edit(rng, name, kind)
    if kind == "word_order":
        if len(words) < 2:
            return None
        return " ".join(reversed(words))
    if kind == "last_first":
        if etype != "Individual" or len(words) < 2 or "," in name:
            return None
        return f"{words[-1]}, {' '.join(words[:-1])}"
    if kind == "legal_add":
        if etype == "Individual" or _LEGAL_WORDS.search(name):
            return None
        return f"{name} {rng.choice(LEGAL_SUFFIXES)}"
    if kind == "legal_remove":
        m = _LEGAL_WORDS.search(name)
        if not m or len(name[: m.start()].split()) < 2:
            return None
        return name[: m.start()].rstrip(" ,")
    if kind == "legal_change":
        m = _LEGAL_WORDS.search(name)
        if not m or len(name[: m.start()].split()) < 1:
            return None
        return name[: m.start()].rstrip(" ,") + " " + rng.choice(LEGAL_SUFFIXES)
    if kind == "token_drop":
        # One word of four letters or more left out, never the name's rarest word across the lists: a
        # query without it ("PUBLIC JOINT STOCK COMPANY" for "... ROSBANK") names nobody, and a hit on it
        # would be a false alert.
        long_words = [i for i, w in enumerate(words) if len(w) > 3]
        if len(long_words) < 4:
            return None
        counts = freq or {}
        rarest = min(long_words, key=lambda i: (counts.get(words[i].lower(), 0), i))
        drop = rng.choice([i for i in long_words if i != rarest])
        return " ".join(w for i, w in enumerate(words) if i != drop)
    return None


KINDS = (
    "typo_substitute",
    "typo_delete",
    "typo_insert",
    "swap",
    "double",
    "word_order",
    "last_first",
    "legal_add",
    "legal_remove",
    "legal_change",
    "token_drop",
    "han_to_pinyin",
    "simp_to_trad",
)


def mutated_set(lists: pl.DataFrame, per_kind: int, seed: int = 7) -> pl.DataFrame:
    """Queries made by mutating real listed names: columns name, kind, entry (the source row)."""
    import opencc
    from pypinyin import lazy_pinyin

    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    names = lists["name"].to_list()
    types = lists["type"].to_list()
    aliases = lists["aliases"].to_list()
    rows: list[dict[str, Any]] = []
    order = list(range(len(names)))
    freq = Counter(w for n in names for w in {x.lower() for x in (n or "").split()})
    for kind in KINDS:
        rng.shuffle(order)
        made = 0
        for entry in order:
            if made >= per_kind:
                break
            if kind in ("han_to_pinyin", "simp_to_trad"):
                han = [a for a in (aliases[entry] or []) if has_han(a)] + (
                    [names[entry]] if has_han(names[entry] or "") else []
                )
                if not han:
                    continue
                src = rng.choice(han)
                query = " ".join(lazy_pinyin(src)) if kind == "han_to_pinyin" else s2t.convert(src)
                if query == src:
                    continue
            else:
                src, _ = split_listed_name(names[entry] or "")
                if len(normalise(src)) < 2:
                    continue
                query = mutate(rng, src, kind, types[entry] or "", freq)
                if not query or normalise(query) == normalise(src):
                    continue
            rows.append({"name": query, "kind": kind, "entry": entry, "source": src})
            made += 1
    return pl.DataFrame(rows)


def recall_at_1(
    index: ScreeningIndex, hits: pl.DataFrame, queries: pl.DataFrame
) -> dict[str, tuple[int, int]]:
    """Per kind: (found at rank 1, total). Rank 1 means among the hits tied at the best score, counting an
    entry of another list with the same normalised name (the SDN is both in the CSL and on its own)."""
    lists = index.entries
    names = lists["name"].to_list()
    key_of = [" ".join(normalise(split_listed_name(n or "")[0])) for n in names]
    best: dict[int, set[str]] = {}
    by_q = hits.group_by("qid").agg(pl.col("score").max().alias("top"))
    top = hits.join(by_q, on="qid").filter(pl.col("score") >= pl.col("top") - 1e-9)
    for qid, list_, eid, name in top.select("qid", "list", "entity_id", "name").iter_rows():
        best.setdefault(qid, set()).add(f"{list_}|{eid}")
        best[qid].add(" ".join(normalise(split_listed_name(name or "")[0])))
    out: dict[str, tuple[int, int]] = {}
    lst = lists["list"].to_list()
    eids = lists["entity_id"].to_list()
    for qid, (kind, entry) in enumerate(queries.select("kind", "entry").iter_rows()):
        got = best.get(qid, set())
        ok = f"{lst[entry]}|{eids[entry]}" in got or key_of[entry] in got
        found, total = out.get(kind, (0, 0))
        out[kind] = (found + int(ok), total + 1)
    return out


# -- baselines ------------------------------------------------------------------------------------------


class RapidfuzzBaseline:
    """Brute force: rapidfuzz process.extract(WRatio) over every listed name and alias."""

    def __init__(self, lists: pl.DataFrame) -> None:
        self.choices: list[str] = []
        self.entry: list[int] = []
        self._processed: list[str] | None = None
        for row, (name, aliases) in enumerate(
            zip(lists["name"].to_list(), lists["aliases"].to_list(), strict=True)
        ):
            for n in [name, *(aliases or [])]:
                if n:
                    self.choices.append(n)
                    self.entry.append(row)

    def extract(self, name: str, limit: int = 10, cutoff: float = 90.0) -> list[tuple[int, float]]:
        """(choice index, score in [0, 1]) of the best list names."""
        from rapidfuzz import fuzz, process, utils

        # The same scores as process.extract(..., processor=utils.default_process) over the raw choices, with
        # the choices processed once instead of on every call.
        if self._processed is None:
            self._processed = [utils.default_process(c) for c in self.choices]
        got = process.extract(
            utils.default_process(name),
            self._processed,
            scorer=fuzz.WRatio,
            processor=None,
            limit=limit,
            score_cutoff=cutoff,
        )
        return [(i, s / 100.0) for _, s, i in got]

    def screen(self, name: str, limit: int = 10, cutoff: float = 90.0) -> list[tuple[int, float]]:
        """(entry row, score in [0, 1]) of the best list names."""
        return [(self.entry[i], s) for i, s in self.extract(name, limit, cutoff)]


class NomenklaturaBaseline:
    """nomenklatura logic-v2 behind rapidfuzz candidate retrieval (the way yente runs it)."""

    def __init__(self, lists: pl.DataFrame, candidates: int = 5) -> None:
        from nomenklatura.matching import LogicV2, ScoringConfig

        self.algo = LogicV2
        self.config = ScoringConfig.defaults()
        self.retrieval = RapidfuzzBaseline(lists)
        self.lists = lists
        self.candidates = candidates
        self._ids = itertools.count()
        self._types = lists["type"].to_list()

    @staticmethod
    def schema_of(etype: str | None) -> str:
        """FtM schema for a list type."""
        t = (etype or "").lower()
        if t in ("individual", "person"):
            return "Person"
        if t == "vessel":
            return "Vessel"
        if t in ("entity", "company", "organization"):
            return "Organization"
        return "LegalEntity"

    def entity(self, schema: str, name: str, ident: str) -> Any:
        """An FtM entity holding one name."""
        from followthemoney import model

        # Unique ids: logic-v2 caches its answers by entity id, so reused ids return stale scores.
        ent = model.make_entity(schema)
        ent.id = f"{ident}-{next(self._ids)}"
        ent.add("name", name)
        return ent

    def pair(self, a: str, b: str, schema: str = "LegalEntity") -> float:
        """logic-v2 score of two names."""
        return float(
            self.algo.compare(self.entity(schema, a, "q"), self.entity(schema, b, "r"), self.config).score
        )

    def screen(self, name: str, schema: str = "LegalEntity") -> list[tuple[int, float]]:
        """(entry row, logic-v2 score) for the rapidfuzz top candidates, best first."""
        cands = self.retrieval.extract(name, limit=self.candidates, cutoff=0.0)
        out = []
        for choice, _ in cands:
            entry = self.retrieval.entry[choice]
            listed = self.retrieval.choices[choice]
            cand_schema = self.schema_of(self._types[entry])
            s = float(
                self.algo.compare(
                    self.entity(schema if schema != "LegalEntity" else cand_schema, name, "q"),
                    self.entity(cand_schema, listed or "", "r"),
                    self.config,
                ).score
            )
            out.append((entry, s))
        return sorted(out, key=lambda x: -x[1])


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """Result and seconds."""
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def sample(seq: Sequence[Any], n: int, seed: int = 3) -> list[Any]:
    """A reproducible sample."""
    rng = random.Random(seed)
    items = list(seq)
    return items if len(items) <= n else rng.sample(items, n)


def homonym_only(hits: pl.DataFrame) -> set[int]:
    """The qids whose every hit is marked homonym review (engine/screening/homonym.py)."""
    from exportctl.engine.screening.homonym import HOMONYM

    if hits.is_empty():
        return set()
    marked = hits.group_by("qid").agg(
        pl.col("explanation").str.contains(HOMONYM, literal=True).all().alias("m")
    )
    return set(marked.filter(pl.col("m"))["qid"].to_list())
