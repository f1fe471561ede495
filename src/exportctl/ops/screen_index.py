"""The screening indexes the fronts screen against: over the active data version, a profile's lists or
user list files, cached in memory and on disk (user cache dir, keyed by data version and matcher
version), so a CLI call after the first does not rebuild it.

The disk cache is arrays in an npz read with allow_pickle=False (engine/screening/index_arrays.py:
plain numbers and bytes, nothing that runs code when loaded), signed with a per-user secret kept outside
the cache folder (HMAC-SHA256 in a `.sig` file beside it), and checked on load against the lists of the
data version it is for (a digest of their entries, names and aliases, the entry count, lengths and id
ranges). A file that fails any check is rebuilt, with a CacheRebuilt warning.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from exportctl.engine.screening import (
    LIST_TABLES,
    MATCHER_VERSION,
    ScreeningIndex,
    build_index,
    list_table,
    read_list_file,
)
from exportctl.engine.screening.index_arrays import (
    CacheMismatchError,
    from_arrays,
    from_bytes,
    lists_digest,
    to_arrays,
    to_bytes,
)
from exportctl.engine.screening.terms import TERMS_FILE
from exportctl.errors import DataError
from exportctl.ops.cache_sign import ENV_CACHE, ENV_CACHE_KEY, cache_root, key_secret, signature, write_signed
from exportctl.ops.screen_profiles import Profile, require_lists
from exportctl.ops.warm import settled
from exportctl.store import Dataset, active_dataset

__all__ = [
    "ENV_CACHE",
    "ENV_CACHE_KEY",
    "CacheRebuilt",
    "cache_dir",
    "cached_list_index",
    "dataset_lists",
    "default_index",
    "index_for",
    "profile_lists",
]


class CacheRebuilt(UserWarning):
    """A cached screening index failed verification and was rebuilt."""


_lock = threading.Lock()
_memory: dict[str, ScreeningIndex] = {}


def cache_dir() -> Path:
    """Where built indexes are kept ($EXPORTCTL_CACHE_DIR, else the user cache dir)."""
    return cache_root() / "screening"


@functools.cache
def _matcher_key() -> str:
    # The word lists, the gazetteer and the code are part of the matcher: an index stored by other code
    # (a new attribute, a changed normaliser), other terms or other places must never be reused.
    h = hashlib.sha256()
    folder = TERMS_FILE.parent
    for pattern in ("*.py", "*.yml", "*.tsv.gz"):
        for path in sorted(folder.glob(pattern)):
            h.update(path.read_bytes())
    return f"{MATCHER_VERSION}-{h.hexdigest()[:12]}"


def _key_secret() -> bytes:
    return key_secret()


def _signature(data: bytes) -> str:
    return signature(data)


def _load(path: Path, lists: pl.DataFrame, digest: str) -> ScreeningIndex:
    """The index stored at `path` for `lists`, verified (signature beside it, then the arrays against the
    lists); CacheMismatchError or OSError when it is not one."""
    data = path.read_bytes()
    signed = path.with_name(path.name + ".sig").read_text(encoding="ascii").strip()
    if not hmac.compare_digest(signed, _signature(data)):
        raise CacheMismatchError("its signature does not match its content")
    return from_arrays(from_bytes(data), lists, digest)


def _store(path: Path, index: ScreeningIndex, digest: str) -> None:
    write_signed(path, to_bytes(to_arrays(index, digest)))


def _cached(key: str, lists_of: Callable[[], pl.DataFrame]) -> ScreeningIndex:
    with _lock:
        hit = _memory.get(key)
        if hit is not None:
            return hit
        lists = lists_of()
        digest = lists_digest(lists)
        path = cache_dir() / f"{key}.npz"
        index: ScreeningIndex | None = None
        if path.is_file():
            try:
                index = _load(path, lists, digest)
            except (CacheMismatchError, OSError, UnicodeError) as err:
                # a torn, stale or tampered cache file is rebuilt, never trusted: and said so
                warnings.warn(
                    f"screening index cache {path.name} failed verification ({err}): rebuilt",
                    CacheRebuilt,
                    stacklevel=2,
                )
                index = None
        if index is None:
            index = build_index(lists)
            # a read-only cache dir (or a name with a NUL) only costs a rebuild next time
            with contextlib.suppress(OSError, CacheMismatchError):
                _store(path, index, digest)
        if len(_memory) > 4:
            _memory.clear()
        _memory[key] = settled(index)  # out of the collector's walks (ops.warm.settled)
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
    return _cached(f"{ds.version}-{_matcher_key()}", lambda: dataset_lists(ds))


def _file_digest(paths: Sequence[Path]) -> str:
    """The digest of user list files as their list table holds them: each file's name (its entries' `list`
    and `list_name`) and bytes. The bytes alone gave two files of one content but other names one cache
    key for two different tables, and the second failed verification (CacheRebuilt)."""
    h = hashlib.sha256()
    for p in paths:
        try:
            data = p.read_bytes()
        except OSError as err:
            raise DataError(f"cannot read list file: {err.strerror}", file=str(p)) from None
        h.update(f"{p.name}\0{len(data)}\0".encode())
        h.update(data)
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
        return _cached(f"lists-{digest}-{_matcher_key()}", lambda: lists), f"lists:{digest}"
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
            return _cached(f"{key}-{_matcher_key()}", base), ds.version
    user = pl.concat([read_list_file(p) for p in extra])
    digest = _file_digest(extra)
    index = _cached(
        f"{key}-lists-{digest}-{_matcher_key()}",
        lambda: pl.concat([base(), user], how="vertical"),
    )
    return index, f"{ds.version}+lists:{digest}"


def cached_list_index(key: str, lists: pl.DataFrame) -> ScreeningIndex:
    """The index over `lists`, kept on disk under `key` (plus the matcher version) between runs."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return _cached(f"lists-{digest}-{_matcher_key()}", lambda: lists)
