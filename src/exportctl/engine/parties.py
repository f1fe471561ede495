"""The one party-matching function the determination engines call.

Exact matching (after normalising case, accents, punctuation and spacing) is the fast path for large
batches; fuzzy matching delegates to the screening engine. Fuzzy hits below a perfect score are
answered `hold`: a person must review them.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl

from exportctl.engine.common.memo import ByIdentity

# Legal-form words are kept: "Huawei Technologies Co Ltd" must not match "Huawei Technologies".
_PUNCT = r"[^\p{L}\p{N}]+"


def normalize_names(names: pl.Expr) -> pl.Expr:
    """Lower-case, drop punctuation and collapse spacing (the exact-match key)."""
    return (
        names.cast(pl.Utf8)
        .str.normalize("NFKD")
        .str.replace_all(r"\p{Mn}", "")
        .str.to_lowercase()
        .str.replace_all(_PUNCT, " ")
        .str.strip_chars()
    )


_ASCII_PUNCT = re.compile(r"[^a-z0-9]+")


def name_keys(names: Sequence[str]) -> list[str | None]:
    """normalize_names of each name, without a frame for names in ASCII (their letters and digits are
    [a-z0-9] once lower-cased, and NFKD and the accents' removal leave them as they are)."""
    if all(n.isascii() for n in names):
        return [_ASCII_PUNCT.sub(" ", n.lower()).strip(" ") for n in names]
    keys = pl.select(normalize_names(pl.lit(pl.Series(list(names), dtype=pl.Utf8))).alias("k"))["k"]
    return keys.to_list()


def list_keys(lists: pl.DataFrame) -> pl.DataFrame:
    """One row per (entry, name or alias) with its normalised key; `lists` needs list/entity_id/name."""
    base = lists.with_row_index("_entry")
    names = base.select("_entry", pl.col("name").alias("_n"))
    frames = [names]
    if "aliases" in base.columns:
        frames.append(base.select("_entry", pl.col("aliases").alias("_n")).explode("_n").drop_nulls("_n"))
    keys = pl.concat(frames).with_columns(normalize_names(pl.col("_n")).alias("_key"))
    keys = keys.filter(pl.col("_key") != "").unique(["_entry", "_key"])
    return keys.join(base, on="_entry").drop("_n")


HIT_COLUMNS = (
    "qid",
    "list",
    "entity_id",
    "listed_name",
    "match_score",
    "match_kind",
    "license_requirement",
    "license_policy",
    "federal_register_notice",
)
_INDEXES: dict[str, Any] = {}


def provide_index(index_key: str, index: Any) -> None:
    """Hand over a screening index the caller built or loaded from its cache, for `index_key`.

    The engine does no I/O: the ops layer keeps indexes on disk between runs and passes them in here.
    """
    version = index_key.rsplit(":", 1)[0]
    for old in [k for k in _INDEXES if k.rsplit(":", 1)[0] != version]:
        del _INDEXES[old]
    _INDEXES[index_key] = index


def match_parties(
    queries: pl.DataFrame, lists: pl.DataFrame, *, fuzzy: bool = False, index_key: str | None = None
) -> pl.DataFrame:
    """Match party names (`qid`, `name`) against list entries: one row per hit (HIT_COLUMNS).

    Exact mode joins on the normalised name (case, accents, punctuation, spacing). Fuzzy mode adds the
    screening engine's hits (`exportctl.engine.screening`, index cached under `index_key`) to the exact
    ones: an exact match is never lost to a fuzzy scorer's threshold (fail closed).
    """
    if queries.height == 0 or lists.height == 0:
        return pl.DataFrame(schema=_HIT_SCHEMA)
    exact = _exact(queries, lists)
    if not fuzzy:
        return exact
    from exportctl.engine import screening

    index = _INDEXES.get(index_key) if index_key else None
    if index is None:
        # the index holds the published lists only: names of measures (lists 'effect:<rkey>:<eid>') depend
        # on the batch's regimes, so a cached index holding them would carry one batch's ids into another
        # (they are matched exactly above)
        published = lists.filter(~pl.col("list").cast(pl.Utf8).fill_null("").str.starts_with("effect:"))
        index = screening.build_index(published)
        if index_key:
            # one data version at a time (the indexes are large); its US and PRC lists side by side
            version = index_key.rsplit(":", 1)[0]
            for old in [k for k in _INDEXES if k.rsplit(":", 1)[0] != version]:
                del _INDEXES[old]
            _INDEXES[index_key] = index
    asked = ["qid", "name", *(["country"] if "country" in queries.columns else [])]
    memory = _MEMORY.get() or _Remembered(ONE_CALL)
    fuzzy_hits = memory.hits(index_key or "", queries.select(asked), index)
    both = pl.concat([exact, fuzzy_hits], how="vertical_relaxed")
    return both.sort("match_score", descending=True).unique(
        ["qid", "list", "entity_id"], keep="first", maintain_order=True
    )


_LIST_KEYS: ByIdentity[pl.DataFrame] = ByIdentity(4)
_KEY_SETS: ByIdentity[frozenset[str]] = ByIdentity(4)


def no_match(
    names: Sequence[str],
    country: str,
    lists: pl.DataFrame,
    *,
    fuzzy: bool = False,
    index_key: str | None = None,
) -> bool | None:
    """Whether `match_parties` finds no hit for any of `names` asked with `country` (True) or some (False),
    without a frame per call: the exact keys of `lists` as a set, the fuzzy hits from the memory or the
    same scorer. None when it cannot tell (fuzzy, and no index kept under `index_key`)."""
    if not names or lists.height == 0:
        return True
    keys = _KEY_SETS.get_or_build(lists, lambda: frozenset(_list_keys(lists)["_key"].to_list()))
    if any(k and k in keys for k in name_keys(names)):
        return False
    if not fuzzy:
        return True
    index = _INDEXES.get(index_key) if index_key else None
    if index is None:
        return None
    memory = _MEMORY.get() or _Remembered(ONE_CALL)
    return memory.clean(index_key or "", index, [(n, country) for n in names])


def _list_keys(lists: pl.DataFrame) -> pl.DataFrame:
    """list_keys of `lists`, built once per frame (the exact join's right side)."""
    return _LIST_KEYS.get_or_build(lists, lambda: list_keys(lists))


class _Remembered:
    """The fuzzy hits of each distinct (index, name, country) screened so far, so that a book's later
    chunks reuse them (a name's hits depend on nothing else: the screening engine screens each distinct
    key once and copies its hits to every query asking it).

    A new name asked with several countries is screened first without one: a party's country is its
    destination unless the book says otherwise, so a customer shipped to thirty countries is thirty keys.
    A name that hits nothing without a country hits nothing with one (a country only lowers a score the
    name reached, x0.9 when the entry lists other countries, or raises a hit the name found:
    screen.COUNTRY_MISMATCH, evidence.yml 'country'), so only the names with a hit, a few in a hundred in
    a book, are screened again with each of their countries. A new name asked with one country is screened
    with it (a single check costs one screening, as before). At most `limit` names and keys; then it
    starts over. `workers` > 1: large sets of new names are screened in forked processes."""

    def __init__(self, limit: int, workers: int = 1, max_bytes: int | None = None) -> None:
        self.limit = limit
        self.workers = workers
        self.max_bytes = max_bytes  # the kept hits' bound in bytes (None: names and keys only)
        self._lock = threading.Lock()  # a Context's memory is asked by concurrent requests
        self.probed: dict[tuple[str, str], bool] = {}  # (index, name) -> hits without a country (or with one)
        self.ids: dict[tuple[str, str, str], int] = {}  # (index, name, country) screened -> its _k
        self.hit_ids: set[int] = set()  # the _k with a hit in `known`
        self.known = _conform(pl.DataFrame()).rename({"qid": "_k"}).with_columns(_rank=pl.lit(0, pl.Int64))

    def _screen(self, index_key: str, index: Any, keys: list[tuple[str, str]]) -> None:
        """Screen new (name, country) keys, remembering their hits under new ids."""
        from exportctl.engine import screening

        base = len(self.ids)
        for i, (n, c) in enumerate(keys):
            self.ids[(index_key, n, c)] = base + i
        ask = pl.DataFrame(
            {
                "qid": range(base, base + len(keys)),
                "name": [n for n, _ in keys],
                "country": [c for _, c in keys],
            },
            schema={"qid": pl.Int64, "name": pl.Utf8, "country": pl.Utf8},
        )
        found = _conform(screening.match_parties(index, ask, workers=self.workers))
        # the order within a key is the screening engine's (best first), kept as _rank
        found = found.rename({"qid": "_k"}).with_columns(_rank=pl.int_range(pl.len(), dtype=pl.Int64))
        self.known = pl.concat([self.known, found], how="vertical_relaxed")
        for n, c in keys:
            if not c:
                self.probed[(index_key, n)] = False
        for k in found["_k"].unique().to_list():  # a hit with a country is one without (the superset)
            self.probed[(index_key, keys[k - base][0])] = True
            self.hit_ids.add(k)

    def _room(self, asked: int) -> None:
        """Start over when `asked` more keys would pass the bound of names and keys (or the hits' bytes)."""
        full = self.max_bytes is not None and self.known.estimated_size() > self.max_bytes
        if full or len(self.probed) + len(self.ids) + 2 * asked > self.limit:
            self.probed.clear()
            self.ids.clear()
            self.hit_ids.clear()
            self.known = self.known.clear()

    def clean(self, index_key: str, index: Any, keys: list[tuple[str, str]]) -> bool:
        """Whether no (name, country) of `keys` has a fuzzy hit as `hits` would find them: remembered, else
        screened by the same scorer without a frame (one name's path). New keys without a hit are
        remembered as `hits` remembers them; a key with a hit is left to `hits` (False)."""
        from exportctl.engine.screening.screen import screen_rows

        with self._lock:
            new = []
            for n, c in dict.fromkeys(keys):
                k = self.ids.get((index_key, n, c))
                probed = self.probed.get((index_key, n))
                if k is not None:
                    if k in self.hit_ids:
                        return False
                elif probed:  # a hit without a country, not yet screened with this one
                    return False
                elif probed is None:
                    new.append((n, c))
            if not new:
                return True
            asked = {"name": [n for n, _ in new], "country": [c for _, c in new]}
            rows, _items = screen_rows(index, asked, workers=self.workers)
            if rows:
                return False
            self._room(len(new))
            base = len(self.ids)
            for i, (n, c) in enumerate(new):
                self.ids[(index_key, n, c)] = base + i
                if not c:
                    self.probed[(index_key, n)] = False
            return True

    def hits(self, index_key: str, queries: pl.DataFrame, index: Any) -> pl.DataFrame:
        """The fuzzy hits of `queries` (qid, name[, country]), each new key screened once."""
        with self._lock:
            return self._hits(index_key, queries, index)

    def _hits(self, index_key: str, queries: pl.DataFrame, index: Any) -> pl.DataFrame:
        has_country = "country" in queries.columns
        country = pl.col("country").cast(pl.Utf8) if has_country else pl.lit(None, pl.Utf8).alias("country")
        pairs = queries.select(pl.col("name").cast(pl.Utf8), country).fill_null("")
        distinct = list(pairs.unique(maintain_order=True).iter_rows())
        self._room(len(distinct))
        new: dict[str, list[str]] = {}  # a name not screened without a country -> its new countries
        for n, c in distinct:
            if (index_key, n) not in self.probed and (index_key, n, c) not in self.ids:
                new.setdefault(n, []).append(c)
        first = [(n, cs[0] if len(cs) == 1 else "") for n, cs in new.items()]
        if first:  # each new name once: with its one new country, else without one
            self._screen(index_key, index, first)
        again = [
            (n, c) for n, c in distinct
            if c and self.probed.get((index_key, n)) and (index_key, n, c) not in self.ids
        ]  # fmt: skip
        if again:  # the names with a hit, with each of their countries (a name's next to each other: its
            # scores are reused, batch_screen._screen_keys)
            self._screen(index_key, index, sorted(again))
        ids = pl.DataFrame(
            {
                "name": [n for n, _ in distinct],
                "country": [c for _, c in distinct],
                "_k": [self.ids.get((index_key, n, c)) for n, c in distinct],
            },
            schema={"name": pl.Utf8, "country": pl.Utf8, "_k": pl.Int64},
        )
        asked = (
            pairs.with_columns(queries["qid"].cast(pl.Int64))
            .with_row_index("_q")
            .join(ids.drop_nulls("_k"), on=["name", "country"], how="inner")
            .select("_q", "qid", "_k")
        )
        got = asked.join(self.known, on="_k", how="inner").sort("_q", "_rank").drop("_q", "_k", "_rank")
        return _conform(got)


_MEMORY: contextvars.ContextVar[_Remembered | None] = contextvars.ContextVar("party_hits", default=None)
ONE_CALL = 1 << 62  # a call outside `remembering` remembers its own names only


def party_memory(limit: int, max_bytes: int) -> _Remembered:
    """A memory of fuzzy hits to keep beyond one block (a Context's: `remembering(memory=...)`), at most
    `limit` names and keys and `max_bytes` of hits; then it starts over."""
    return _Remembered(limit, max_bytes=max_bytes)


@contextlib.contextmanager
def remembering(limit: int = 0, workers: int = 1, memory: _Remembered | None = None) -> Iterator[None]:
    """Within the block, each distinct party name is fuzzy-screened once (at most `limit` names and keys
    kept), in `workers` processes when many are new; with `memory`, in that memory (kept by its owner
    across blocks) and unless a block around this one remembers already (a book's)."""
    if memory is not None and _MEMORY.get() is not None:
        yield
        return
    token = _MEMORY.set(memory if memory is not None else _Remembered(limit, workers))
    try:
        yield
    finally:
        _MEMORY.reset(token)


def _exact(queries: pl.DataFrame, lists: pl.DataFrame) -> pl.DataFrame:
    # the keys of the same lists frame (a data version's, kept by the engine) are built once per process
    keys = _list_keys(lists)
    q = queries.select("qid", normalize_names(pl.col("name")).alias("_key")).filter(pl.col("_key") != "")
    hits = q.join(keys, on="_key", how="inner").with_columns(
        pl.col("name").alias("listed_name"),
        pl.lit(1.0).alias("match_score"),
        pl.lit("exact").alias("match_kind"),
    )
    return _conform(hits.unique(["qid", "list", "entity_id"], keep="first", maintain_order=True))


_HIT_SCHEMA: dict[str, Any] = {
    "qid": pl.Int64,
    "list": pl.Utf8,
    "entity_id": pl.Utf8,
    "listed_name": pl.Utf8,
    "match_score": pl.Float64,
    "match_kind": pl.Utf8,
    "license_requirement": pl.Utf8,
    "license_policy": pl.Utf8,
    "federal_register_notice": pl.Utf8,
}


def _conform(hits: pl.DataFrame) -> pl.DataFrame:
    cols = [
        (pl.col(c) if c in hits.columns else pl.lit(None)).cast(t).alias(c) for c, t in _HIT_SCHEMA.items()
    ]
    return hits.select(cols)
