"""Official files into SourceTables for the store, through the sources catalog (which format is it?)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path

from exportctl.errors import InputError, StoreError
from exportctl.sources.base import SourceTable

__all__ = ["parse_path"]


def parse_path(path: str | Path) -> list[SourceTable]:
    """Detect the format of a file or folder and parse it (DataError names file, line and field)."""
    target = Path(path)
    if not target.exists():
        raise InputError(f"no such file or folder: {target}", field="path", file=str(target))
    try:
        catalog = importlib.import_module("exportctl.sources.catalog")
    except ImportError:
        raise StoreError("this installation has no source parsers (exportctl.sources.catalog)") from None
    found = catalog.detect(target)
    if isinstance(found, SourceTable):
        return [found]
    if isinstance(found, Iterable):
        tables = [t for t in found if isinstance(t, SourceTable)]
        if tables:
            return tables
    raise InputError(f"{target}: not a format exportctl can import", field="path", file=str(target))
