"""The bundled data pack: the default data version as zstd Parquet, so that exportctl works offline.

Built by scripts/build_datapack.py from the shared snapshots; manifest.json describes every table (name,
title, format, date, rows, sha256 of its Parquet file, the files it came from, documented skips and the
attribution); ATTRIBUTION.md gathers the attributions. Loading checks every file against the manifest:
a missing or altered file is a DataError (fail closed), never a silently smaller data version.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError
from exportctl.sources.base import SourceTable

__all__ = ["PACK_DIR", "load_pack", "pack_manifest"]

PACK_DIR = Path(str(resources.files(__name__)))
_MANIFEST = "manifest.json"


def pack_manifest(folder: Path | None = None) -> dict[str, Any]:
    """The pack's manifest.json: {"pack_version", "sources": [{name, title, date, rows, sha256 ...}]}."""
    path = (folder or PACK_DIR) / _MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("the bundled data pack has no manifest", file=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"unreadable data pack manifest: {exc}", file=str(path)) from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("sources"), list):
        raise DataError("data pack manifest has no 'sources' list", file=str(path), field="sources")
    return manifest


def _load(entry: dict[str, Any], folder: Path) -> SourceTable:
    name = entry.get("name")
    file = folder / str(entry.get("file", ""))
    if not isinstance(name, str) or not file.is_file():
        raise DataError(f"data pack file of {name!r} is missing", file=str(file), field="file")
    data = file.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise DataError(
            "data pack file does not match its sha256 in the manifest", file=str(file), field="sha256"
        )
    try:
        records = pl.read_parquet(file)
    except Exception as exc:  # polars raises several error types for a damaged file
        raise DataError(f"unreadable Parquet file: {exc}", file=str(file)) from exc
    if records.height != entry.get("rows"):
        raise DataError(
            f"{records.height} rows where the manifest says {entry.get('rows')}", file=str(file), field="rows"
        )
    return SourceTable(
        name=name,
        title=str(entry["title"]),
        format=str(entry["format"]),
        date=str(entry["date"]),
        records=records,
        files=tuple(entry.get("files", ())),
        skipped=int(entry.get("skipped", 0)),
        skip_reasons={str(k): int(v) for k, v in dict(entry.get("skip_reasons", {})).items()},
        attribution=str(entry.get("attribution", "")),
    )


def load_pack(folder: Path | None = None) -> list[SourceTable]:
    """Every table of the bundled data pack, checked against the manifest, in manifest order (by name)."""
    folder = folder or PACK_DIR
    return [_load(entry, folder) for entry in pack_manifest(folder)["sources"]]
