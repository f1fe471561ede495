"""The versioned data store: import, validate, activate, roll back, verify (SQLAlchemy Core).

The URL comes from the argument, else EXPORTCTL_DATABASE_URL, else a SQLite file `store.db` in the
user data directory (see `engine`). PostgreSQL works by URL (`postgresql+psycopg://...`); a test or a
deployment may pick a schema with libpq's `options=-csearch_path=<schema>` in the URL.

Life of a version: `import_tables` hashes each table (`codec.content_hash`), validates the new sources
against the active version (`validate`), stores the blobs not yet stored and writes the version and its
sources in one transaction; nothing of a failed import remains. `activate` validates again against the
then-active version and swaps the one state row, so readers switch versions atomically; the version it
replaces becomes `previous`, and `rollback` swaps the two back. Versions are never modified or deleted,
so a Dataset bound to a version id stays whole while others activate.

The activation gate (issue #16): given a `gate` (ops.gate builds it: canaries through the engines plus
`invariants`), `import_tables` runs it on the candidate version, merged as it would be stored, before
anything is written. A failed invariant refuses the import (InvariantFailed naming it) unless `force`
with a `reason`; the outcome, and a forced reason with the server's time, are kept in `data_gate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from exportctl.errors import DamagedDataError, DataError, InputError, InvariantFailed, NoDataError, StoreError
from exportctl.sources.base import SourceTable
from exportctl.store import codec, gate_records, integrity, metadata, tables
from exportctl.store.dataset import Dataset, SourceInfo, version_hash
from exportctl.store.engine import ENV_URL, WRITE, create_tables, default_url, driver_row, iso, make_engine
from exportctl.store.fresh import FreshReads
from exportctl.store.gate_records import Gate
from exportctl.store.intake import parse_path
from exportctl.store.invariants import GateReport
from exportctl.store.validate import check_version
from exportctl.store.verify import verify_version

__all__ = ["ENV_URL", "Store", "default_url", "open_store"]

_STATE_ID = 1
_ACTIVE_SQL = f"SELECT active FROM {tables.state.name} WHERE id = {_STATE_ID}"
_active_reads: FreshReads[str | None] = FreshReads()


def open_store(url: str | None = None) -> Store:
    """Open (and create if needed) the store at `url` or the default location."""
    return Store(url or default_url())


class Store:
    """A database of data versions; one row of state names the active and previous versions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # Write transactions: BEGIN IMMEDIATE on SQLite; on PostgreSQL they lock the state row first.
        self._writer = self.engine.execution_options(**{WRITE: True})
        dbapi = self.engine.dialect.dbapi
        self._driver_errors: tuple[type[BaseException], ...] = (dbapi.Error,) if dbapi is not None else ()
        try:
            self._create()
        except (sa.exc.OperationalError, sa.exc.DatabaseError) as exc:  # also "file is not a database"
            self.engine.dispose()
            raise StoreError(
                f"cannot open the data store at {self.engine.url!r}: {str(exc.orig).strip()}", field=ENV_URL
            ) from None

    def _create(self) -> None:
        create_tables(tables.metadata, self.engine)
        try:
            with self._writer.begin() as conn:
                if conn.execute(sa.select(tables.state.c.id)).first() is None:
                    conn.execute(sa.insert(tables.state).values(id=_STATE_ID, active=None, previous=None))
        except sa.exc.IntegrityError:
            pass  # another process inserted the state row first: that is all we wanted

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- reading ------------------------------------------------------------------------------------

    def _state(self, conn: Connection, *, lock: bool = False) -> tuple[str | None, str | None]:
        query = sa.select(tables.state.c.active, tables.state.c.previous).where(
            tables.state.c.id == _STATE_ID
        )
        row = conn.execute(query.with_for_update() if lock else query).one()
        return row.active, row.previous

    def active_version(self) -> str | None:
        """The id of the active version, or None on an empty store."""
        # every single answer asks this: through the driver (SQLAlchemy's statement building and
        # execution were four fifths of its ~110 us), shared by concurrent callers (store.fresh); a driver
        # error takes the SQLAlchemy path, which names a damaged store (engine._sqlite_corrupt)
        try:
            return _active_reads.read(id(self), self._active_raw)
        except self._driver_errors:
            with self.engine.connect() as conn:
                return self._state(conn)[0]

    def _active_raw(self) -> str | None:
        row = driver_row(self.engine, _ACTIVE_SQL)
        return None if row is None else row[0]

    def previous_version(self) -> str | None:
        """The id of the version `rollback` would restore, or None."""
        with self.engine.connect() as conn:
            return self._state(conn)[1]

    def versions(self) -> list[dict[str, Any]]:
        """Every version, newest first: id, parent, created_at, note, sources, active/previous flags."""
        with self.engine.connect() as conn:
            return metadata.read_versions(conn, *self._state(conn))

    def sources_of(self, version: str) -> list[SourceInfo]:
        """The sources of a version (id or unique prefix), sorted by name."""
        with self.engine.connect() as conn:
            return metadata.read_sources(conn, metadata.resolve(conn, version))

    def resolve(self, version: str) -> str:
        """The full id of a version given by id or unique prefix (at least 6 characters)."""
        with self.engine.connect() as conn:
            return metadata.resolve(conn, version)

    def load(self, sha256: str) -> pl.DataFrame:
        """The records stored under a content hash (unchecked: `dataset` checks what engines load)."""
        with self.engine.connect() as conn:
            data = integrity.blob_bytes(conn, sha256)
        if data is None:
            raise NoDataError(f"records {sha256[:12]} are missing from the store", field="sha256")
        try:
            return codec.decode(bytes(data))
        except Exception as exc:  # a damaged blob (polars, pyarrow or OS errors): never a guess
            first = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
            raise DamagedDataError(
                f"records {sha256[:12]} in the data store are damaged ({first}); run `exportctl data verify`"
            ) from None

    def dataset(self, version: str | None = None) -> Dataset:
        """A version (default: the active one) as a Dataset whose tables are checked as they load.

        NoDataError when there is no version; DamagedDataError (naming the table) when the version's
        sources or any table's stored bytes differ from what its import recorded (checked here, without
        decoding), or a table's records when it loads (see `integrity`).
        """
        with self.engine.connect() as conn:
            vid = metadata.resolve(conn, version) if version else self._state(conn)[0]
            if vid is None:
                raise NoDataError(
                    "no active data version: run `exportctl data import PATH` or `exportctl data sync`"
                )
            infos = metadata.read_sources(conn, vid)
            checks = integrity.read_checks(conn, vid)
            integrity.check_version(vid, infos, checks)
            # every table, not only those this process will use: a damaged version answers nothing
            integrity.check_stored(conn, vid, infos, checks)
        return Dataset(vid, infos, lambda info: self._checked(vid, info, checks.get(info.name)))

    def _checked(self, vid: str, info: SourceInfo, check: integrity.Check | None) -> pl.DataFrame:
        with self.engine.connect() as conn:
            data = integrity.blob_bytes(conn, info.sha256)
        return integrity.checked_frame(vid, info, data, check)

    def status(self) -> dict[str, Any]:
        """The active version and its sources in the contract shape (plus previous version and note).

        Fails closed (DamagedDataError naming the table) when the active version's metadata or any of
        its stored tables differs from what its import recorded: status never vouches for damaged data.
        """
        with self.engine.connect() as conn:
            active, previous = self._state(conn)
            row = None
            try:
                if active is not None:
                    row = conn.execute(sa.select(tables.versions).where(tables.versions.c.id == active)).one()
                created = iso(row.created_at) if row is not None else None
            except (sa.exc.NoResultFound, ValueError, TypeError) as exc:
                what = f"its row in data_versions is missing or damaged ({type(exc).__name__})"
                raise integrity.damaged(str(active), None, what) from None
            infos = metadata.read_sources(conn, active)
            if active is not None:
                checks = integrity.read_checks(conn, active)
                integrity.check_version(active, infos, checks)
                integrity.check_stored(conn, active, infos, checks)
            gate = gate_records.read(conn, active) if active is not None else None
        return {
            "active_version": active,
            "previous_version": previous,
            "created_at": created,
            "note": row.note if row is not None else "",
            "sources": [info.to_dict() for info in infos],
            "invariants": gate["invariants"] if gate else None,
            "forced": gate["forced"] if gate else None,
        }

    def gate_record(self, version: str) -> dict[str, Any] | None:
        """What the activation gate found for a version (invariants, forced, comparison), or None."""
        with self.engine.connect() as conn:
            return gate_records.read(conn, metadata.resolve(conn, version))

    def record_gate(self, version: str, gate: Gate) -> dict[str, Any] | None:
        """Run the gate on a stored version that has no record yet (the bundled pack) and keep the result."""
        with self.engine.connect() as conn:
            vid = metadata.resolve(conn, version)
            found = gate_records.read(conn, vid)
            parent = conn.execute(
                sa.select(tables.versions.c.parent).where(tables.versions.c.id == vid)
            ).scalar()
        if found is not None:
            return found
        report = gate(self.dataset(vid), self.dataset(parent) if parent else None)
        with self._writer.begin() as conn:
            gate_records.write(conn, vid, report, None)
            return gate_records.read(conn, vid)

    # -- writing ------------------------------------------------------------------------------------

    def import_tables(
        self,
        tables_in: Sequence[SourceTable],
        *,
        force: bool = False,
        note: str = "",
        activate: bool = False,
        merge: bool = False,
        gate: Gate | None = None,
        reason: str | None = None,
    ) -> str:
        """Store the tables as a new validated version (`merge`: plus the active version's other sources).

        Returns the version id. The version becomes active only with `activate=True`. Importing the same
        content twice returns the same id and stores nothing new. With a `gate`, the candidate must pass
        its invariants (InvariantFailed names the first that fails) unless `force` with a `reason`.
        """
        if not tables_in:
            raise DataError("nothing to import: no tables", field="tables")
        names = [t.name for t in tables_in]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise DataError(f"table(s) {', '.join(dupes)} given more than once", field="name")
        new = [SourceInfo.of(t) for t in tables_in]
        frames = {info.sha256: t.records for info, t in zip(new, tables_in, strict=True)}
        with self.engine.connect() as conn:
            active, _ = self._state(conn)
            before = metadata.read_sources(conn, active)
            have = set(
                conn.execute(
                    sa.select(tables.blobs.c.sha256).where(tables.blobs.c.sha256.in_(list(frames)))
                ).scalars()
            )
        check_version(new, before, force=force)
        report = None
        if gate is not None:
            report = self._run_gate(gate, new, frames, before if merge else [], names, active)
            if not report.ok and not force:
                raise gate_records.refuse(report)
            if not report.ok and not (reason or "").strip():
                raise InputError(
                    "--force needs --reason TEXT: why activate a version that failed", field="reason"
                )
        forced_reason = reason.strip() if force and reason and reason.strip() else None
        # Encode outside the write transaction: it is the slow part, and SQLite holds one writer.
        blobs = {sha: codec.encode(df) for sha, df in frames.items() if sha not in have}
        # The stored-bytes hash of every table the version will hold, for checks on load (`integrity`);
        # reused blobs are vouched for first, outside the write transaction.
        repair: dict[str, bytes] = {}
        kept_now = [s for s in before if s.name not in set(names)] if merge else []
        with self.engine.connect() as conn:
            hashes = integrity.stored_hashes(conn, [*new, *kept_now], blobs, frames, repair)
        with self._writer.begin() as conn:
            now_active, _ = self._state(conn, lock=True)
            if now_active != active:  # another writer activated meanwhile: validate against that one
                active, before = now_active, metadata.read_sources(conn, now_active)
                check_version(new, before, force=force)
            kept = [s for s in before if s.name not in set(names)] if merge else []
            combined = sorted([*kept, *new], key=lambda s: s.name)
            vid = version_hash(combined)
            late = [s for s in combined if s.sha256 not in hashes]  # another writer changed the active
            hashes.update(integrity.stored_hashes(conn, late, blobs, frames, repair))
            self._write(conn, vid, active, note, combined, blobs)
            integrity.record(conn, vid, combined, hashes, repair)
            gate_records.write(conn, vid, report, forced_reason)
            if activate:
                self._activate(conn, vid, force=force)
        return vid

    def _run_gate(
        self,
        gate: Gate,
        new: Sequence[SourceInfo],
        frames: dict[str, pl.DataFrame],
        before: Sequence[SourceInfo],
        names: Sequence[str],
        active: str | None,
    ) -> GateReport:
        """The gate's report on the candidate as it would be stored (the kept sources read from the store)."""
        kept = [s for s in before if s.name not in set(names)]
        combined = sorted([*kept, *new], key=lambda s: s.name)
        candidate = Dataset(
            version_hash(combined),
            combined,
            lambda info: frames[info.sha256] if info.sha256 in frames else self.load(info.sha256),
        )
        return gate(candidate, self.dataset(active) if active is not None else None)

    def import_path(
        self,
        path: str | Path,
        *,
        force: bool = False,
        note: str = "",
        activate: bool = False,
        gate: Gate | None = None,
        reason: str | None = None,
    ) -> str:
        """Parse an official file or folder into a new version: the active version's other sources + these."""
        parsed = parse_path(path)
        return self.import_tables(
            parsed,
            force=force,
            note=note or f"import {path}",
            activate=activate,
            merge=True,
            gate=gate,
            reason=reason,
        )

    def _write(
        self,
        conn: Connection,
        vid: str,
        parent: str | None,
        note: str,
        infos: Sequence[SourceInfo],
        blobs: dict[str, bytes],
    ) -> None:
        present = set(
            conn.execute(
                sa.select(tables.blobs.c.sha256).where(tables.blobs.c.sha256.in_(list(blobs)))
            ).scalars()
        )
        rows = [
            {"sha256": sha, "size": len(data), "data": data}
            for sha, data in blobs.items()
            if sha not in present
        ]
        if rows:
            conn.execute(sa.insert(tables.blobs), rows)
        if (
            conn.execute(sa.select(tables.versions.c.id).where(tables.versions.c.id == vid)).first()
            is not None
        ):
            return  # same content imported before: the version exists, whole
        conn.execute(sa.insert(tables.versions).values(id=vid, parent=parent, note=note))
        conn.execute(
            sa.insert(tables.sources),
            [
                {
                    "version": vid,
                    "name": s.name,
                    "title": s.title,
                    "format": s.format,
                    "date": s.date,
                    "rows": s.rows,
                    "sha256": s.sha256,
                    "columns": [list(c) for c in s.columns],
                    "files": list(s.files),
                    "skipped": s.skipped,
                    "skip_reasons": dict(s.skip_reasons),
                    "attribution": s.attribution,
                }
                for s in infos
            ],
        )

    def _activate(self, conn: Connection, vid: str, *, force: bool, reason: str | None = None) -> None:
        active, _ = self._state(conn, lock=True)
        if active == vid:
            return
        check_version(metadata.read_sources(conn, vid), metadata.read_sources(conn, active), force=force)
        record = gate_records.read(conn, vid)
        if record is not None and record["invariants"]["failed"] and record["forced"] is None:
            if not force or not (reason or "").strip():
                first = record["invariants"]["failed"][0]
                raise InvariantFailed(
                    f"version {vid[:12]} failed invariant {first['name']} when imported: {first['message']} "
                    "(to activate anyway: --force --reason TEXT)",
                    field=str(first["name"]),
                )
            gate_records.write(conn, vid, None, (reason or "").strip())
        conn.execute(
            sa.update(tables.state).where(tables.state.c.id == _STATE_ID).values(active=vid, previous=active)
        )

    def activate(self, version: str, *, force: bool = False, reason: str | None = None) -> str:
        """Make a stored version active (validated against the active one); returns its full id."""
        with self._writer.begin() as conn:
            vid = metadata.resolve(conn, version)
            self._activate(conn, vid, force=force, reason=reason)
        return vid

    def rollback(self) -> str:
        """Restore the previous version (the replaced one becomes previous); returns the now-active id."""
        with self._writer.begin() as conn:
            active, previous = self._state(conn, lock=True)
            if previous is None:
                raise StoreError("nothing to roll back to: no previous data version", field="version")
            conn.execute(
                sa.update(tables.state)
                .where(tables.state.c.id == _STATE_ID)
                .values(active=previous, previous=active)
            )
        return previous

    def verify(self, version: str | None = None) -> list[str]:
        """Problems found by re-reading a version (default: active): hashes, rows, columns, version id.

        A version imported before per-table checks that verifies clean gets them recorded here.
        """
        with self.engine.connect() as conn:
            vid = metadata.resolve(conn, version) if version else self._state(conn)[0]
            if vid is None:
                raise NoDataError("no active data version to verify")
            try:
                infos = metadata.read_sources(conn, vid)
            except DamagedDataError as exc:  # a damaged metadata cell is a finding, not a crash
                return [exc.message]
            checks = integrity.read_checks(conn, vid)
        return verify_version(self.engine, self._writer, vid, infos, checks)
