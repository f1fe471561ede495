"""Results written as they are answered, chunk by chunk, each chunk's bytes counted and hashed for the
audit trail (`ops.audit_runs`): CSV and JSONL appended, Parquet one row group per chunk, XLSX at the end."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import polars as pl

from exportctl.errors import InputError
from exportctl.ops.cells import safe_frame
from exportctl.ops.check_io import flat_cells, jsonl_text, write_as
from exportctl.ops.files import file_format

__all__ = ["ResultWriter", "Written", "file_digest"]


def _result_types() -> dict[str, pl.DataType]:
    """The type of each result column a chunk may leave untyped (a chunk of only malformed rows)."""
    from exportctl.engine.common.checks import CHECK_DTYPE
    from exportctl.engine.common.reasons import EXCEPTION_DTYPE, REASON_DTYPE

    hit = pl.Struct(
        {
            **{c: pl.Utf8 for c in ("role", "name", "list", "entity_id", "listed_name")},
            "match_score": pl.Float64,
            "suppressed_by": pl.Utf8,
        }
    )
    text: dict[str, pl.DataType] = {
        c: pl.Utf8()
        for c in ("verdict", "review_policy", "data_version", "engine_version", "regime", "error")
    }
    return {
        **text,
        "license_required": pl.Boolean(),
        "parties_screened": pl.Boolean(),
        "reasons": pl.List(REASON_DTYPE),
        "exceptions": pl.List(EXCEPTION_DTYPE),
        "screening": pl.List(hit),
        "checks": pl.List(CHECK_DTYPE),
        "as_of": pl.Date(),
        "known_on": pl.Date(),
    }


@dataclass(frozen=True)
class Written:
    """Bytes of a results file: where they start, how many, their SHA-256 (a chunk's rows as written,
    or, from `ResultWriter.close`, the whole file: offset 0)."""

    offset: int
    length: int
    sha256: str


class _Hashing(io.RawIOBase):
    """A file written through: its bytes counted and hashed, the whole file's and the current chunk's."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self.size = 0
        self._start = 0
        self._whole = hashlib.sha256()
        self._part = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._raw.write(data)
        self._whole.update(data)
        self._part.update(data)
        length = memoryview(data).nbytes
        self.size += length
        return length

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self._raw.flush()

    def close(self) -> None:
        if not self.closed:  # pyarrow's ParquetWriter closes its sink itself
            super().close()
            self._raw.close()

    def cut(self) -> Written:
        """The bytes written since the last cut."""
        done = Written(self._start, self.size - self._start, self._part.hexdigest())
        self._start, self._part = self.size, hashlib.sha256()
        return done

    def whole(self) -> Written:
        """The whole file so far."""
        return Written(0, self.size, self._whole.hexdigest())


def file_digest(path: Path, offset: int = 0, length: int | None = None) -> str:
    """SHA-256 of `length` bytes of a file from `offset` (to its end when None), read 1 MB at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        fh.seek(offset)
        left = length
        while left is None or left > 0:
            block = fh.read(1 << 20 if left is None else min(1 << 20, left))
            if not block:
                break
            digest.update(block)
            if left is not None:
                left -= len(block)
    return digest.hexdigest()


class ResultWriter:
    """Results written as they are produced, in the format of the path's suffix: CSV and JSONL appended,
    Parquet one row group per chunk (every chunk in the first one's column types), XLSX at the end.

    Each `write` returns the chunk's bytes as written (offset, length, SHA-256) for the audit trail, and
    `close` the whole file's; XLSX, written whole at the end, has no chunk bytes (`write` returns None).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.format = file_format(path, "output")
        self._fh: _Hashing | None = None
        self._parquet: Any = None
        self._schema: dict[str, pl.DataType] | None = None
        self._held: list[pl.DataFrame] = []
        self._guard(lambda: path.parent.mkdir(parents=True, exist_ok=True))

    def _guard(self, work: Callable[[], Any]) -> Any:
        try:
            return work()
        except OSError as err:  # a directory, a read-only place, a full disk
            raise InputError(f"cannot write {self.path}: {err.strerror or err}", field="output") from None

    def write(self, part: pl.DataFrame) -> Written | None:
        """Append one chunk of results; its bytes as written (None for XLSX, written at `close`)."""
        if self.format == "xlsx":
            self._held.append(part)
            return None
        if self._fh is None:
            self._fh = self._guard(lambda: _Hashing(self.path.open("wb")))
            first = True
        else:
            first = False
        assert self._fh is not None
        fh = cast(IO[bytes], self._fh)
        if self.format == "csv":
            self._guard(lambda: safe_frame(flat_cells(part)).write_csv(fh, include_header=first))
        elif self.format == "parquet":
            self._guard(lambda: self._write_parquet(fh, part))
        else:
            self._guard(lambda: fh.write(jsonl_text(part).encode("utf-8")))
        return self._fh.cut()

    def _write_parquet(self, fh: IO[bytes], part: pl.DataFrame) -> None:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        if self._schema is None:
            types = _result_types()
            self._schema = {
                c: (types.get(c, pl.Utf8()) if t == pl.Null else t) for c, t in part.schema.items()
            }
        cast: dict[Any, Any] = {c: t for c, t in self._schema.items() if part.schema[c] != t}
        table = (part.cast(cast) if cast else part).select(list(self._schema)).to_arrow()
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(fh, table.schema)
        self._parquet.write_table(table)
        # the row group is in the file now (pyarrow writes it whole when write_table returns): the chunk's
        # bytes are exactly its row group (the first chunk's begin with the file's magic number)

    def close(self) -> Written:
        """Finish the file (XLSX is written here, from the chunks held); the whole file's bytes."""
        if self.format == "xlsx":
            results = pl.concat(self._held, how="diagonal_relaxed")
            self._guard(lambda: write_as(results, self.path, "xlsx"))
            return Written(0, self.path.stat().st_size, file_digest(self.path))
        if self._parquet is not None:
            self._guard(self._parquet.close)
        assert self._fh is not None  # every book has at least one chunk, if empty
        self._guard(self._fh.close)
        return self._fh.whole()
