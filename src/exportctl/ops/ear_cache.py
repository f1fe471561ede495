"""The EAR tables of a data version, kept on disk as Arrow IPC files: a cold `exportctl check` maps six
small files instead of decoding the store's CCL, Country Chart and Country Groups and reading every
control row through the chart's destination tests (~0.1 s CPU of a one-row check; ~10 ms from the files).

The files are keyed by a sha256 of everything EarTables is a function of: the data version (a content
hash), the content hash of the EAR rules file the engine reads (the bundled one or $EXPORTCTL_EAR_RULES:
its worded destination tests decide each control row's `dest_rule`), the source of the code that builds
them (engine/ear/tables.py, chart.py, engine/common/keying.py), the polars and Python versions. Importing
another data version, editing the rules file or the code gives another key, so a stale file is never
read. The folder holds one `meta.json`, signed with the per-user secret of the other caches
(ops.cache_sign), which names the sha256 of each Arrow file: a frame is read from the same memory map its
hash was checked on (never opened again by name, so a file swapped in after the check is not read;
polars copies the mapped bytes: the six files hold ~0.6 MB), so a writer of the cache folder cannot make
answers of its own. A missing, torn or tampered file is rebuilt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import mmap
import os
import sys
import threading
from pathlib import Path
from typing import IO, Any, cast

import polars as pl

from exportctl.engine.common import keying
from exportctl.engine.common.memo import Lru
from exportctl.engine.ear import chart
from exportctl.engine.ear import tables as ear_tables
from exportctl.engine.ear.tables import EarTables
from exportctl.engine.protocols import DatasetLike
from exportctl.ops.cache_sign import cache_root, read_signed, write_signed
from exportctl.registry.rules import ear_rules_hash

__all__ = ["FRAMES", "cache_dir", "cached_tables", "tables_key"]

FORMAT = "1"  # bump when the kept shape changes in a way the code hash would not show
FRAMES = ("rows", "eccns", "marks", "chart", "groups", "inherit")
_KEPT: Lru[EarTables] = Lru(4)  # per key: a process maps each version's files once (a few versions)


def tables_key(version: str) -> str:
    """The content key of a data version's EarTables under the current rules file and code."""
    h = hashlib.sha256(f"{FORMAT}|{sys.version}|{pl.__version__}|{version}|{ear_rules_hash()}".encode())
    for module in (ear_tables, chart, keying):
        source = Path(str(module.__file__))
        h.update(f"\0code:{source.name}\0".encode())
        h.update(source.read_bytes())
    return h.hexdigest()[:32]


def cache_dir(key: str) -> Path:
    """The folder of the EarTables kept under `key`."""
    return cache_root() / "ear" / key


def cached_tables(ds: DatasetLike) -> EarTables:
    """The EarTables of `ds`: from the signed files of its key, else built (tables.from_dataset) and kept."""
    version = str(getattr(ds, "version", None) or "")
    if not version:  # no content hash names these tables: nothing to key a file by
        return ear_tables.from_dataset(ds)
    key = tables_key(version)
    kept = _KEPT.get(key)
    if kept is not None:
        return kept
    folder = cache_dir(key)
    found = _read(folder)
    if found is None:
        found = ear_tables.from_dataset(ds)
        with contextlib.suppress(OSError):  # a read-only cache only costs a rebuild next time
            _write(folder, found)
    return _KEPT.put(key, found)


def _write(folder: Path, tables: EarTables) -> None:
    """The six frames as uncompressed Arrow IPC files (mapped as they are), then the signed meta."""
    folder.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    for name in FRAMES:
        path = folder / f"{name}.arrow"
        # one temporary file per process and thread: two writers never share one
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        getattr(tables, name).write_ipc(tmp, compression="uncompressed")
        hashes[name] = hashlib.sha256(tmp.read_bytes()).hexdigest()
        tmp.replace(path)
    meta: dict[str, Any] = {
        "format": FORMAT,
        "files": hashes,
        "footnotes": {str(k): v for k, v in tables.footnotes.items()},
        "source": tables.source,
        "dates": {k: v.isoformat() for k, v in tables.dates.items()},
        "exception_sections": tables.exception_sections,
    }
    write_signed(folder / "meta.json", json.dumps(meta, sort_keys=True).encode("utf-8"))


def _frame(path: Path, digest: str) -> pl.DataFrame | None:
    """The frame at `path` when the bytes mapped hash to `digest` (read from that same mapping)."""
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            if hashlib.sha256(mapped).hexdigest() != digest:
                return None
            return pl.read_ipc(cast(IO[bytes], mapped))  # a file-like view of the mapping
    except (OSError, ValueError, pl.exceptions.PolarsError):
        return None


def _read(folder: Path) -> EarTables | None:
    """The EarTables kept in `folder`, or None (missing, torn, unsigned or tampered)."""
    data = read_signed(folder / "meta.json")
    if data is None:
        return None
    try:
        meta = json.loads(data)
        if meta.get("format") != FORMAT:
            return None
        frames: dict[str, pl.DataFrame] = {}
        for name in FRAMES:
            frame = _frame(folder / f"{name}.arrow", str(meta["files"][name]))
            if frame is None:
                return None
            frames[name] = frame
        return EarTables(
            **frames,
            footnotes={int(k): str(v) for k, v in meta["footnotes"].items()},
            source=str(meta["source"]),
            dates={k: dt.date.fromisoformat(v) for k, v in meta["dates"].items()},
            exception_sections={str(k): str(v) for k, v in meta["exception_sections"].items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
