"""The screening indexes the fronts screen against: over the active data version, a profile's lists or
user list files, cached in memory and on disk (user cache dir, keyed by data version and matcher
version), so a CLI call after the first does not rebuild it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import platformdirs
import polars as pl

from exportctl.engine.screening import (
    LIST_TABLES,
    MATCHER_VERSION,
    ScreeningIndex,
    build_index,
    list_table,
    read_list_file,
)
from exportctl.engine.screening.terms import TERMS_FILE
from exportctl.errors import DataError
from exportctl.ops.screen_profiles import Profile, require_lists
from exportctl.store import Dataset, active_dataset

__all__ = [
    "ENV_CACHE",
    "cache_dir",
    "cached_list_index",
    "dataset_lists",
    "default_index",
    "index_for",
    "profile_lists",
]

ENV_CACHE = "EXPORTCTL_CACHE_DIR"
_lock = threading.Lock()
_memory: dict[str, ScreeningIndex] = {}


def cache_dir() -> Path:
    """Where built indexes are kept ($EXPORTCTL_CACHE_DIR, else the user cache dir)."""
    root = os.environ.get(ENV_CACHE) or platformdirs.user_cache_dir("exportctl")
    return Path(root) / "screening"


@functools.cache
def _matcher_key() -> str:
    # The word lists, the gazetteer and the code are part of the matcher: an index pickled by other code
    # (a new attribute, a changed normaliser), other terms or other places must never be reused.
    h = hashlib.sha256()
    folder = TERMS_FILE.parent
    for pattern in ("*.py", "*.yml", "*.tsv.gz"):
        for path in sorted(folder.glob(pattern)):
            h.update(path.read_bytes())
    return f"{MATCHER_VERSION}-{h.hexdigest()[:12]}"


def _cached(key: str, build: Callable[[], ScreeningIndex]) -> ScreeningIndex:
    with _lock:
        hit = _memory.get(key)
        if hit is not None:
            return hit
        path = cache_dir() / f"{key}.pickle"
        index: ScreeningIndex | None = None
        if path.is_file():
            try:
                with path.open("rb") as fh:
                    loaded = pickle.load(fh)
                if isinstance(loaded, ScreeningIndex):
                    index = loaded
            except Exception:  # a torn or stale cache file is rebuilt, never trusted
                index = None
        if index is None:
            index = build()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.replace(path)
            except OSError:
                pass  # a read-only cache dir only costs a rebuild next time
        if len(_memory) > 4:
            _memory.clear()
        _memory[key] = index
        return index


def dataset_lists(dataset: Dataset) -> pl.DataFrame:
    """The dataset's party lists as one list table; the CSL is required (screening fails closed)."""
    tables = {"csl": dataset.table("csl")}  # NoDataError when missing
    for name in LIST_TABLES[1:]:
        if dataset.has(name):
            tables[name] = dataset.table(name)
    return list_table(tables)


def default_index(dataset: Dataset | None = None) -> ScreeningIndex:
    """The index over the (active) dataset's lists, cached by data version and matcher version."""
    ds = dataset or active_dataset()
    return _cached(f"{ds.version}-{_matcher_key()}", lambda: build_index(dataset_lists(ds)))


def _file_digest(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        try:
            h.update(p.read_bytes())
        except OSError as err:
            raise DataError(f"cannot read list file: {err.strerror}", file=str(p)) from None
    return h.hexdigest()[:16]


def profile_lists(ds: Dataset, prof: Profile) -> pl.DataFrame:
    """The dataset's lists a profile screens (DataError when it names a list the data version lacks)."""
    lists = dataset_lists(ds)
    require_lists(prof, lists["list"].unique().to_list(), str(ds.version))
    return lists.filter(pl.col("list").is_in(list(prof.lists)))


def index_for(
    list_files: Sequence[Path | str] = (),
    only_list_files: Sequence[Path | str] = (),
    dataset: Dataset | None = None,
    prof: Profile | None = None,
) -> tuple[ScreeningIndex, str]:
    """The index to screen against and the data version it stands for (a profile keeps its lists only)."""
    only = [Path(p) for p in only_list_files]
    extra = [Path(p) for p in list_files]
    if only:
        tables = [read_list_file(p) for p in only + extra]
        lists = pl.concat(tables)
        digest = _file_digest(only + extra)
        return _cached(f"lists-{digest}-{_matcher_key()}", lambda: build_index(lists)), f"lists:{digest}"
    ds = dataset or active_dataset()
    if prof is None and not extra:
        return default_index(ds), ds.version
    base: Callable[[], pl.DataFrame] = lambda: dataset_lists(ds)  # noqa: E731
    key = str(ds.version)
    if prof is not None:
        chosen = prof
        base = lambda: profile_lists(ds, chosen)  # noqa: E731
        key += "-profile-" + hashlib.sha256("\x1f".join(sorted(prof.lists)).encode()).hexdigest()[:12]
        if not extra:
            return _cached(f"{key}-{_matcher_key()}", lambda: build_index(base())), ds.version
    user = pl.concat([read_list_file(p) for p in extra])
    digest = _file_digest(extra)
    index = _cached(
        f"{key}-lists-{digest}-{_matcher_key()}",
        lambda: build_index(pl.concat([base(), user], how="vertical")),
    )
    return index, f"{ds.version}+lists:{digest}"


def cached_list_index(key: str, lists: pl.DataFrame) -> ScreeningIndex:
    """The index over `lists`, kept on disk under `key` (plus the matcher version) between runs."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return _cached(f"lists-{digest}-{_matcher_key()}", lambda: build_index(lists))
