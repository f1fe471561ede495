"""One data version as the engines see it: its sources' metadata and their tables, loaded on demand."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from exportctl.errors import DataError, NoDataError
from exportctl.sources.base import SourceTable
from exportctl.store import codec

__all__ = ["Dataset", "SourceInfo", "version_hash"]


@dataclass(frozen=True)
class SourceInfo:
    """The metadata of one source in a data version (what `data status` shows)."""

    name: str
    title: str
    format: str
    date: str
    rows: int
    sha256: str
    columns: tuple[tuple[str, str], ...] = ()
    files: tuple[str, ...] = ()
    skipped: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)
    attribution: str = ""

    @classmethod
    def of(cls, table: SourceTable, sha256: str | None = None) -> SourceInfo:
        """Describe a parsed SourceTable (hashing its records unless the hash is given)."""
        return cls(
            name=table.name,
            title=table.title,
            format=table.format,
            date=table.date,
            rows=table.records.height,
            sha256=sha256 or codec.content_hash(table.records),
            columns=tuple((n, t) for n, t in codec.columns_of(table.records)),
            files=tuple(table.files),
            skipped=table.skipped,
            skip_reasons=dict(table.skip_reasons),
            attribution=table.attribution,
        )

    def to_dict(self) -> dict[str, Any]:
        """The contract shape of one source (plus files, skipped rows and attribution)."""
        return {
            "name": self.name,
            "title": self.title,
            "date": self.date,
            "rows": self.rows,
            "sha256": self.sha256,
            "format": self.format,
            "files": list(self.files),
            "skipped": self.skipped,
            "skip_reasons": dict(self.skip_reasons),
            "attribution": self.attribution,
        }


def version_hash(sources: Iterable[SourceInfo]) -> str:
    """A version's id: sha256 over the sorted lines 'name<TAB>date<TAB>sha256' of its sources."""
    lines = sorted(f"{s.name}\t{s.date}\t{s.sha256}" for s in sources)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


class Dataset:
    """A whole data version: metadata of every source, tables loaded once and cached."""

    def __init__(
        self,
        version: str,
        sources: Sequence[SourceInfo],
        loader: Callable[[SourceInfo], pl.DataFrame],
    ) -> None:
        self.version = version
        self._sources = {s.name: s for s in sorted(sources, key=lambda s: s.name)}
        self._loader = loader
        self._cache: dict[str, pl.DataFrame] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_tables(cls, tables: Sequence[SourceTable]) -> Dataset:
        """A Dataset held in memory (for tests and one-off runs); version = content hash, no database."""
        names = [t.name for t in tables]
        if len(set(names)) != len(names):
            raise DataError(f"table names given more than once: {sorted(names)}", field="name")
        infos = [SourceInfo.of(t) for t in tables]
        frames = {t.name: t.records for t in tables}
        ds = cls(version_hash(infos), infos, lambda info: frames[info.name])
        ds._cache.update(frames)
        return ds

    @property
    def sources(self) -> list[SourceInfo]:
        """The sources of this version, sorted by name."""
        return list(self._sources.values())

    @property
    def names(self) -> list[str]:
        """The table names of this version, sorted."""
        return list(self._sources)

    def has(self, name: str) -> bool:
        """True when the version holds a table of that name."""
        return name in self._sources

    def source(self, name: str) -> SourceInfo:
        """The metadata of one source; NoDataError when the version lacks it."""
        try:
            return self._sources[name]
        except KeyError:
            raise NoDataError(
                f"data version {self.version[:12]} has no table {name!r}",
                field="table",
                suggestions=self.names,
            ) from None

    def table(self, name: str) -> pl.DataFrame:
        """The records of one source as a DataFrame; NoDataError when the version lacks it."""
        info = self.source(name)
        with self._lock:
            cached = self._cache.get(name)
            if cached is None:
                cached = self._loader(info)
                self._cache[name] = cached
        return cached

    def __repr__(self) -> str:
        return f"Dataset(version={self.version[:12]!r}, tables={self.names!r})"
