"""Official files into SourceTables for the store, through the sources catalog (which format is it?)."""

from __future__ import annotations

import importlib
from pathlib import Path

from exportctl.errors import InputError, StoreError
from exportctl.sources.base import SourceTable

__all__ = ["parse_path"]


def parse_path(path: str | Path) -> list[SourceTable]:
    """Detect and parse the source(s) in a file or snapshot folder (DataError names file, line, field)."""
    target = Path(path)
    if not target.exists():
        raise InputError(f"no such file or folder: {target}", field="path", file=str(target))
    try:
        catalog = importlib.import_module("exportctl.sources.catalog")
    except ImportError:
        raise StoreError("this installation has no source parsers (exportctl.sources.catalog)") from None
    tables: list[SourceTable] = list(catalog.parse_path(target))
    return tables
