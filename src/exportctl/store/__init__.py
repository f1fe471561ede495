"""Data versions: import, validate, activate, roll back (SQLAlchemy Core; SQLite default, PostgreSQL by URL).

    store = open_store()            # EXPORTCTL_DATABASE_URL, else SQLite in the user data directory
    ds = active_dataset()           # the active version; on an empty store, the bundled pack first
    ds.version, ds.table("csl"), ds.sources

See `core` for the life of a version, `tables` for the database layout, `codec` for content hashes
and `validate` for what a version must pass before it becomes active.
"""

from __future__ import annotations

import importlib
import threading

from exportctl.errors import NoDataError
from exportctl.sources.base import SourceTable
from exportctl.store.core import ENV_URL, Store, default_url, open_store
from exportctl.store.dataset import Dataset, SourceInfo, version_hash

__all__ = [
    "ENV_URL",
    "PACK_NOTE",
    "Dataset",
    "SourceInfo",
    "Store",
    "active_dataset",
    "clear_cache",
    "default_url",
    "ensure_active",
    "open_store",
    "shared_store",
    "version_hash",
]

_lock = threading.Lock()
_stores: dict[str, Store] = {}
_datasets: dict[tuple[str, str], Dataset] = {}

PACK_NOTE = "bundled data pack"


def ensure_active(store: Store) -> str:
    """The active version id; on an empty store, import and activate the bundled data pack first."""
    active = store.active_version()
    if active is not None:
        return active
    try:
        # Imported by name: the pack (exportctl.data.pack) is optional in a slim install.
        pack = importlib.import_module("exportctl.data.pack")
    except ImportError:
        raise NoDataError(
            "no active data version and no bundled data pack: run `exportctl data import PATH`"
        ) from None
    tables: list[SourceTable] = list(pack.load_pack())
    return store.import_tables(tables, note=PACK_NOTE, activate=True)


def shared_store(url: str | None = None) -> Store:
    """One open Store per URL and process (its connection pool is reused by every caller)."""
    key = url or default_url()
    with _lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = open_store(key)
        return store


def active_dataset(url: str | None = None) -> Dataset:
    """The active data version, cached per process and per version (a new activation is seen at once)."""
    key = url or default_url()
    store = shared_store(key)
    with _lock:
        version = ensure_active(store)
        dataset = _datasets.get((key, version))
        if dataset is None:
            dataset = _datasets[(key, version)] = store.dataset(version)
        return dataset


def clear_cache() -> None:
    """Forget cached stores and datasets (tests, or after changing EXPORTCTL_DATABASE_URL)."""
    with _lock:
        for store in _stores.values():
            store.close()
        _stores.clear()
        _datasets.clear()
