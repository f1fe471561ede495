"""How a table of records becomes bytes in the store, and how its content hash is computed.

Two different encodings, on purpose:

* The **content hash** (`content_hash`) is a sha256 over a canonical text form: one line with the
  column names and dtypes, then the rows as newline-delimited JSON in their given order (polars'
  `write_ndjson`, which is deterministic for a given schema and values). It does not depend on the
  Parquet writer, its version or its compression settings, so the same records always get the same
  hash, and `verify` can recompute it from what was stored.
* The **stored bytes** (`encode`) are zstd-compressed Parquet: small, and fast to load back into polars.
  They are addressed by the content hash, so a source that did not change between two data versions is
  stored once.
"""

from __future__ import annotations

import hashlib
import io

import polars as pl

from exportctl.errors import DataError

__all__ = ["columns_of", "content_hash", "decode", "encode"]


def columns_of(df: pl.DataFrame) -> list[list[str]]:
    """The schema as [[name, dtype], ...], kept with each source for schema checks without loading it."""
    return [[name, str(dtype)] for name, dtype in df.schema.items()]


def content_hash(df: pl.DataFrame) -> str:
    """Deterministic sha256 (hex) of a table's schema and rows."""
    digest = hashlib.sha256()
    header = "\t".join(f"{name}:{dtype}" for name, dtype in columns_of(df))
    digest.update(header.encode("utf-8") + b"\n")
    try:
        # Chunked so that a large table never needs its whole JSON text in memory at once.
        step = 50_000
        for offset in range(0, df.height, step):
            digest.update(df.slice(offset, step).write_ndjson().encode("utf-8"))
    except Exception as exc:  # polars raises several types for unserialisable dtypes
        raise DataError(f"records cannot be hashed: {exc}", field="records") from exc
    return digest.hexdigest()


def encode(df: pl.DataFrame) -> bytes:
    """Records as zstd Parquet bytes."""
    buf = io.BytesIO()
    df.write_parquet(buf, compression="zstd", compression_level=3, statistics=False)
    return buf.getvalue()


def decode(data: bytes) -> pl.DataFrame:
    """Parquet bytes back to a polars DataFrame; damaged bytes are DataError, never a panic."""
    try:
        return pl.read_parquet(io.BytesIO(data))
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # polars' Rust panics (pyo3 PanicException) are not Exceptions
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise DataError(f"stored records cannot be decoded: {first}", field="records") from None
