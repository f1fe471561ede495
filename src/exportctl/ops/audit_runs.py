"""A checked book in the audit trail, and a results file checked against it.

A book is recorded as it is answered: one `check_chunk` record per chunk (its source, first row, row
count, count per verdict, input errors, and the SHA-256 of its result rows as written to the output file
with their offset and length there; with no file to write, or XLSX written whole at the end, the SHA-256
of the chunk's rows as polars writes them in Arrow IPC), then one `check_run` record when the output file
is complete (its name, format, size and SHA-256, the totals, and the seqs of its chunk records). All on
the one hash chain (`store.audit`); single checks keep their one record per answer (`ops.audit.record`).

`verify_output` re-hashes a results file against the run that wrote it: the whole file, then each chunk's
bytes, so a changed row is named by the chunk of rows it lies in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.engine import Engine

from exportctl.ops import audit
from exportctl.ops.check_write import Written, file_digest
from exportctl.store import audit as trail
from exportctl.store.audit import AuditEntry, iso_utc

__all__ = ["CHUNK_KIND", "RUN_KIND", "RunTrail", "chunk_digest", "verify_output"]

CHUNK_KIND = "check_chunk"
RUN_KIND = "check_run"
IPC = "arrow_ipc"  # how a chunk with no bytes of its own in a file is hashed
OUTPUT = "output"  # a chunk hashed as its bytes in the output file


def chunk_digest(results: pl.DataFrame) -> str:
    """SHA-256 of a chunk's result rows as polars writes them in Arrow IPC (uncompressed)."""
    buf = io.BytesIO()
    results.write_ipc(buf, compression="uncompressed")
    return hashlib.sha256(buf.getbuffer()).hexdigest()


def _verdicts(results: pl.DataFrame) -> dict[str, int]:
    if not results.height or "verdict" not in results.columns:
        return {}
    counts = results.group_by("verdict").len().drop_nulls("verdict").iter_rows()
    return {str(v): int(n) for v, n in sorted(counts)}


def _input_hash(results: pl.DataFrame, head: str) -> str:
    """sha256 of the chunk's input rows as JSON (the same orders hash alike whatever the answers)."""
    from exportctl.ops.check_answer import RESULT_COLUMNS

    inputs = results.select([c for c in results.columns if c not in RESULT_COLUMNS])
    rows = inputs.write_json() if inputs.height else "[]"
    return hashlib.sha256((head + ',"rows":' + rows + "}").encode("utf-8")).hexdigest()


@dataclass
class RunTrail:
    """The audit records of one checked book, appended chunk by chunk (`chunk`), then `close`."""

    source: str
    data_version: str
    output: Path | None = None
    actor: str | None = None
    at: dt.datetime | None = None
    engine: Engine | None = None
    seqs: list[int] = field(default_factory=list)
    rows: int = 0
    errors: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    engine_versions: set[str] = field(default_factory=set)
    inputs: list[str] = field(default_factory=list)

    def _append(self, entry: AuditEntry) -> int:
        acting = audit._acting.get()
        (seq,) = trail.append(self.engine or (acting or {}).get("engine") or audit.engine_of(), [entry])
        if acting is not None:  # every record of the run, in order (the API names them all)
            acting["seqs"] = [*acting.get("seqs", []), seq]
        self.seqs.append(seq)
        return seq

    def _who(self) -> tuple[str, str | None]:
        acting = audit._acting.get()
        who = self.actor or (acting["actor"] if acting else audit.current_actor())
        when = iso_utc(self.at) if self.at is not None else (acting or {}).get("at")
        return who, when

    def chunk(self, results: pl.DataFrame, first_row: int, written: Written | None = None) -> int:
        """Record one answered chunk (rows `first_row`...), with its bytes as written when it has them."""
        head = json.dumps({"first_row": first_row, "source": self.source})[:-1]
        versions = (
            sorted(str(v) for v in results["engine_version"].drop_nulls().unique())
            if "engine_version" in results.columns
            else []
        )
        verdicts = _verdicts(results)
        errors = int(results["error"].is_not_null().sum()) if "error" in results.columns else 0
        outputs: dict[str, Any] = {
            "source": self.source, "first_row": first_row, "rows": results.height, "verdicts": verdicts,
            "errors": errors,
        }  # fmt: skip
        if written is not None:
            outputs.update(hashed=OUTPUT, sha256=written.sha256, offset=written.offset, length=written.length)
        else:
            outputs.update(hashed=IPC, sha256=chunk_digest(results))
        who, when = self._who()
        digest = _input_hash(results, head)
        seq = self._append(
            AuditEntry(
                kind=CHUNK_KIND,
                actor=who,
                input_hash=digest,
                outputs=outputs,
                data_version=self.data_version,
                engine_version=",".join(versions) or "unknown",
                at=when,
            )
        )
        self.rows += results.height
        self.errors += errors
        self.verdicts.update(verdicts)
        self.engine_versions.update(versions)
        self.inputs.append(digest)
        return seq

    def close(self, whole: Written | None = None) -> int:
        """Record the end of the run: the output file's bytes (`whole`), the totals, the chunks' seqs."""
        chunks = list(self.seqs)
        outputs = {
            "source": self.source,
            "output": self.output.name if self.output is not None else None,
            "format": self.output.suffix.lower().lstrip(".") if self.output is not None else None,
            "rows": self.rows,
            "verdicts": dict(sorted(self.verdicts.items())),
            "errors": self.errors,
            "chunks": chunks,
            "sha256": whole.sha256 if whole is not None else None,
            "size": whole.length if whole is not None else None,
        }
        who, when = self._who()
        return self._append(
            AuditEntry(
                kind=RUN_KIND,
                actor=who,
                input_hash=audit.input_hash({"source": self.source, "chunks": self.inputs}),
                outputs=outputs,
                data_version=self.data_version,
                engine_version=",".join(sorted(self.engine_versions)) or "unknown",
                at=when,
            )
        )


def _runs(engine: Engine) -> list[dict[str, Any]]:
    """The trail's book-run records (newest first), outputs decoded; runs of the old shape are left out."""
    found = []
    # a few at a time: a run recorded before the chunk records kept up to 20,000 result rows in each
    for row in trail.iter_records(engine, kind=RUN_KIND, batch=20):
        outputs = json.loads(row["outputs"])
        if isinstance(outputs, dict) and "chunks" in outputs:
            found.append({**row, "outputs": outputs})
    return found[::-1]


def _run(engine: Engine, path: Path, sha: str, seq: int | None) -> tuple[dict[str, Any] | None, str | None]:
    """The run record to check `path` against, or why there is none."""
    runs = _runs(engine)
    if seq is not None:
        named = [r for r in runs if int(r["seq"]) == seq]
        return (
            (named[0], None) if named else (None, f"audit record {seq} is not the record of a checked book")
        )
    same = [r for r in runs if r["outputs"].get("sha256") == sha]
    if same:
        return same[0], None
    named = [r for r in runs if r["outputs"].get("output") == path.name]
    if named:  # the newest run that wrote a file of this name: say which of its rows differ
        return named[0], None
    return None, f"no checked book in the audit trail wrote {path.name} or a file with its content"


def verify_output(
    path: str | Path, *, seq: int | None = None, engine: Engine | None = None
) -> dict[str, Any]:
    """Check a results file against the run that wrote it (the run of audit record `seq`, else the one
    whose file has this SHA-256, else the newest that wrote a file of this name):
    {"ok", "file", "sha256", "size", "run_seq", "rows", "chunks", "bad_rows", "problem"}."""
    from exportctl.errors import InputError

    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such file: {path}", field="file", file=str(path))
    eng = engine or audit.engine_of()
    sha, size = file_digest(path), path.stat().st_size
    out: dict[str, Any] = {"ok": False, "file": path.name, "sha256": sha, "size": size, "run_seq": None,
                           "rows": None, "chunks": None, "bad_rows": None, "problem": None}  # fmt: skip
    run, why = _run(eng, path, sha, seq)
    if run is None:
        return {**out, "problem": why}
    got = run["outputs"]
    out.update(run_seq=int(run["seq"]), rows=got["rows"], chunks=len(got["chunks"]))
    chunks = {int(r["seq"]): json.loads(r["outputs"]) for r in trail.iter_records(eng, seqs=got["chunks"])}
    if sorted(chunks) != sorted(got["chunks"]):
        return {**out, "problem": f"the chunk records of run {run['seq']} are not all in the trail"}
    if sum(c["rows"] for c in chunks.values()) != got["rows"]:
        return {**out, "problem": f"the chunk records of run {run['seq']} do not add up to its rows"}
    end = 0
    for cseq in got["chunks"]:
        c = chunks[cseq]
        if c.get("hashed") != OUTPUT:
            continue  # no bytes of its own in the file (XLSX): the whole file's hash stands for it
        if c["offset"] + c["length"] > size or file_digest(path, c["offset"], c["length"]) != c["sha256"]:
            first = int(c["first_row"])
            out["bad_rows"] = [first, first + int(c["rows"]) - 1]
            return {**out, "problem": f"rows {first:,}-{first + int(c['rows']) - 1:,} of {got['source']} "
                                      f"differ from audit record {cseq}"}  # fmt: skip
        end = c["offset"] + c["length"]
    if sha != got["sha256"] or size != got["size"]:
        where = "after its last recorded row" if end else "(no chunk of it has bytes of its own to compare)"
        return {**out, "problem": f"{path.name} differs from the file recorded by audit record {run['seq']} "
                                  f"{where}"}  # fmt: skip
    return {**out, "ok": True}
