"""A screening index as plain arrays (numbers and UTF-8 bytes) and back: what the on-disk cache stores, in
a data format that cannot run code when read (npz with allow_pickle=False: ops/screen_index.py).

The list table itself is not stored: the caller passes the one it loaded from the data version, and
`from_arrays` checks that the arrays were built from that table (`lists_digest`) and hang together
(lengths, id ranges, offsets); anything else raises CacheMismatchError, and the caller rebuilds.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from exportctl.engine.screening.index import BuildStats, ScreeningIndex
from exportctl.engine.screening.postings import Postings

FORMAT = 1  # bumped when the arrays change shape
_SEP = "\x00"
_COUNTRY_SEP = "\x1f"
_LIST_COLUMNS = ("list", "entity_id", "name", "aliases", "type", "countries")


class CacheMismatchError(ValueError):
    """The stored arrays are not an index of the given lists (or not an index at all)."""


def lists_digest(lists: pl.DataFrame) -> str:
    """A digest of the list-table columns an index is built from (entries, names, aliases, types,
    countries): an index stored for other lists never matches."""
    h = hashlib.sha256(f"{lists.height}\n".encode())
    for col in _LIST_COLUMNS:
        if col not in lists.columns:
            h.update(f"-{col}\n".encode())
            continue
        series = lists[col]
        if series.dtype == pl.List(pl.Utf8):
            series = series.list.join(_COUNTRY_SEP)
        values = series.cast(pl.Utf8).fill_null("\x01").to_list()
        h.update(f"+{col}\n".encode())
        h.update(_SEP.join(values).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _pack(strings: Sequence[str]) -> np.ndarray:
    text = _SEP.join(strings)
    if text.count(_SEP) != max(len(strings) - 1, 0):
        raise CacheMismatchError("a string holds the separator: not storable")
    return np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)


def _unpack(blob: np.ndarray, count: int) -> list[str]:
    if count == 0:
        return []
    out = blob.tobytes().decode("utf-8", "surrogatepass").split(_SEP)
    if len(out) != count:
        raise CacheMismatchError(f"expected {count} strings, found {len(out)}")
    return out


def _postings_arrays(prefix: str, p: Postings) -> dict[str, np.ndarray]:
    keys = sorted(p.index, key=p.index.__getitem__)
    return {
        f"{prefix}_keys": _pack(keys),
        f"{prefix}_n": np.asarray([len(keys)], dtype=np.int64),
        f"{prefix}_offsets": p.offsets,
        f"{prefix}_ids": p.ids,
    }


def _postings(prefix: str, a: dict[str, np.ndarray], names: int) -> Postings:
    n = int(a[f"{prefix}_n"][0])
    keys = _unpack(a[f"{prefix}_keys"], n)
    offsets = np.asarray(a[f"{prefix}_offsets"], dtype=np.int64)
    ids = np.asarray(a[f"{prefix}_ids"], dtype=np.int32)
    if len(offsets) != n + 1 or offsets[0] != 0 or offsets[-1] != len(ids) or np.any(np.diff(offsets) < 0):
        raise CacheMismatchError(f"{prefix}: offsets do not frame the ids")
    if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= names):
        raise CacheMismatchError(f"{prefix}: a name id out of range")
    p = Postings({})
    p.index = {k: i for i, k in enumerate(keys)}
    if len(p.index) != n:
        raise CacheMismatchError(f"{prefix}: repeated keys")
    p.offsets, p.ids = offsets, ids
    return p


def to_arrays(index: ScreeningIndex, digest: str) -> dict[str, np.ndarray]:
    """The index as named arrays (numbers, UTF-8 bytes), with a header naming the lists' digest."""
    lengths = np.asarray([len(t) for t in index.name_tokens], dtype=np.int32)
    header = {
        "format": FORMAT,
        "lists_digest": digest,
        "entries": index.entries.height,
        "names": len(index.name_text),
        "stats": index.stats.as_dict(),
    }
    df_keys = list(index.df)
    del_keys = list(index.deletes)
    return {
        "header": np.frombuffer(json.dumps(header, sort_keys=True).encode(), dtype=np.uint8),
        "name_entry": np.asarray(index.name_entry, dtype=np.int32),
        "name_text": _pack(index.name_text),
        "name_tokens": _pack([t for toks in index.name_tokens for t in toks]),
        "name_lengths": lengths,
        "name_weights": np.asarray([w for ws in index.name_weights for w in ws], dtype=np.float64),
        "name_weight": np.asarray(index.name_weight, dtype=np.float64),
        "name_family": np.asarray(index.name_family, dtype=np.int8),
        **_postings_arrays("keys", index.keys),
        **_postings_arrays("postings", index.postings),
        "df_keys": _pack(df_keys),
        "df_values": np.asarray([index.df[k] for k in df_keys], dtype=np.int64),
        "deletes_n": np.asarray([len(del_keys)], dtype=np.int64),
        "deletes_keys": _pack(del_keys),
        "deletes_values": _pack([index.deletes[k] for k in del_keys]),
        "entry_type": _pack(index.entry_type),
        "entry_countries": _pack([_COUNTRY_SEP.join(sorted(c)) for c in index.entry_countries]),
    }


def header_of(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """The stored header (format, lists digest, counts)."""
    try:
        header = json.loads(arrays["header"].tobytes().decode())
    except (KeyError, ValueError) as err:
        raise CacheMismatchError(f"no readable header: {err}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CacheMismatchError("another cache format")
    return header


def from_arrays(arrays: dict[str, np.ndarray], lists: pl.DataFrame, digest: str) -> ScreeningIndex:
    """The index stored as `arrays` over `lists` (whose `lists_digest` is `digest`); CacheMismatchError when
    the arrays were built from other lists or do not hang together."""
    try:
        return _from_arrays(arrays, lists, digest)
    except KeyError as err:
        raise CacheMismatchError(f"array {err} missing") from None


def _from_arrays(a: dict[str, np.ndarray], lists: pl.DataFrame, digest: str) -> ScreeningIndex:
    header = header_of(a)
    if header.get("lists_digest") != digest or header.get("entries") != lists.height:
        raise CacheMismatchError("built from other lists than the data version's")
    names = int(header.get("names", -1))
    name_entry = np.asarray(a["name_entry"], dtype=np.int32)
    lengths = np.asarray(a["name_lengths"], dtype=np.int32)
    if len(name_entry) != names or len(lengths) != names:
        raise CacheMismatchError("name counts differ")
    if names and (int(name_entry.min()) < 0 or int(name_entry.max()) >= lists.height):
        raise CacheMismatchError("a name of no entry")
    flat = _unpack(a["name_tokens"], int(lengths.sum()))
    weights = np.asarray(a["name_weights"], dtype=np.float64).tolist()
    if len(weights) != len(flat):
        raise CacheMismatchError("token weights do not match the tokens")
    ends = list(itertools.accumulate(lengths.tolist()))
    starts = [0, *ends[:-1]]
    name_tokens = [tuple(flat[s:e]) for s, e in zip(starts, ends, strict=True)]
    df_keys = _unpack(a["df_keys"], len(a["df_values"]))
    n_del = int(a["deletes_n"][0])
    countries = _unpack(a["entry_countries"], lists.height)
    index = ScreeningIndex(
        entries=lists,
        name_entry=name_entry,
        name_text=_unpack(a["name_text"], names),
        name_tokens=name_tokens,
        name_weight=np.asarray(a["name_weight"], dtype=np.float64),
        keys=_postings("keys", a, names),
        postings=_postings("postings", a, names),
        df=dict(zip(df_keys, np.asarray(a["df_values"]).tolist(), strict=True)),
        deletes=dict(
            zip(_unpack(a["deletes_keys"], n_del), _unpack(a["deletes_values"], n_del), strict=True)
        ),
        entry_type=_unpack(a["entry_type"], lists.height),
        entry_countries=[frozenset(c.split(_COUNTRY_SEP)) if c else frozenset() for c in countries],
        name_family=np.asarray(a["name_family"], dtype=np.int8),
    )
    if len(index.name_weight) != names or len(index.name_family) != names:
        raise CacheMismatchError("per-name arrays differ in length")
    index.name_weights = [tuple(weights[s:e]) for s, e in zip(starts, ends, strict=True)]
    index.name_sets = [frozenset(toks) for toks in name_tokens]
    stats = header.get("stats") or {}
    index.stats = BuildStats(
        entries=lists.height,
        names=names,
        tokens=len(index.df),
        seconds=float(stats.get("seconds", 0.0)),
        approx_bytes=int(float(stats.get("approx_mb", 0.0)) * 1e6),
    )
    return index


def to_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """The arrays as npz bytes (every array is numbers or bytes: no Python objects)."""
    buf = io.BytesIO()
    np.savez(buf, allow_pickle=False, **arrays)
    return buf.getvalue()


def from_bytes(data: bytes) -> dict[str, np.ndarray]:
    """npz bytes as named arrays, refusing arrays of Python objects (CacheMismatchError: not an npz)."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except (ValueError, OSError, EOFError) as err:
        raise CacheMismatchError(f"not a readable npz: {err}") from None
