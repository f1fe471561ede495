"""`data verify`: re-read a whole version and list what differs from its import (issue #16).

Unlike the cheap checks on load (`integrity`: stored-bytes hashes), this decodes every table and checks
its content hash, rows and columns, and the version id against its sources. A version imported before
per-table checks existed that verifies clean gets them recorded, so loads check it from then on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.engine import Engine

from exportctl.store import codec, integrity
from exportctl.store.dataset import SourceInfo, version_hash
from exportctl.store.validate import check_source

__all__ = ["verify_version"]


def verify_version(
    engine: Engine,
    writer: Engine,
    vid: str,
    infos: Sequence[SourceInfo],
    checks: Mapping[str, integrity.Check],
) -> list[str]:
    """Problems found by re-reading version `vid` (its sources and recorded checks given); [] when whole."""
    problems: list[str] = []
    if not infos:
        problems.append(f"version {vid[:12]}: has no sources")
    if version_hash(infos) != vid:
        problems.append(f"version {vid[:12]}: id does not match the hash of its sources")
    for name in sorted(set(checks) - {info.name for info in infos}):
        problems.append(f"source {name!r}: recorded at import, missing from data_sources")
    seen: dict[str, str] = {}  # stored-bytes hash of each blob read back
    for info in infos:
        problems.extend(check_source(info, None))
        check = checks.get(info.name)
        if check is not None and (check.sha256, check.date) != (info.sha256, info.date):
            problems.append(f"source {info.name!r}: hash or date changed after import")
        with engine.connect() as conn:
            data = integrity.blob_bytes(conn, info.sha256)
        if data is None:
            problems.append(f"source {info.name!r}: records {info.sha256[:12]} are missing from the store")
            continue
        seen[info.sha256] = integrity.stored_hash(data)
        if check is not None and seen[info.sha256] != check.stored_sha256:
            problems.append(f"source {info.name!r}: stored bytes changed after import")
        problems.extend(_content_problems(info, data))
    if not problems and not checks:
        _record_checks(writer, vid, infos, seen)
    return problems


def _content_problems(info: SourceInfo, data: bytes) -> list[str]:
    """What differs between a blob's decoded records and the source's recorded hash, rows and columns."""
    try:
        df = codec.decode(data)
    except Exception as exc:  # any failure to read back is a finding, not a crash
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        return [f"source {info.name!r}: records unreadable: {first}"]
    problems = []
    if codec.content_hash(df) != info.sha256:
        problems.append(f"source {info.name!r}: records do not match their sha256")
    if df.height != info.rows:
        problems.append(f"source {info.name!r}: {df.height} rows stored, {info.rows} recorded")
    if [list(c) for c in codec.columns_of(df)] != [list(c) for c in info.columns]:
        problems.append(f"source {info.name!r}: columns differ from those recorded")
    return problems


def _record_checks(writer: Engine, vid: str, infos: Sequence[SourceInfo], seen: dict[str, str]) -> None:
    # A version imported before per-table checks, just verified whole on its content hashes: record
    # the hashes of its stored bytes, so that loads check it cheaply from now on (all tables or none).
    with writer.begin() as conn:
        if integrity.read_checks(conn, vid):
            return  # another process recorded them meanwhile
        for info in infos:
            data = integrity.blob_bytes(conn, info.sha256)
            if data is None or integrity.stored_hash(data) != seen[info.sha256]:
                return  # changed since it was verified: record nothing
        integrity.record(conn, vid, infos, seen, {})
