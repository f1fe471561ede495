"""Party screening for the fronts: names or a parties file in, hits out (contract shapes of the issue).

The index over the active data version is cached in memory and on disk (user cache dir, keyed by data
version and matcher version), so a CLI call after the first does not rebuild it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import pickle
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import platformdirs
import polars as pl

from exportctl.engine.screening import (
    DEFAULT_THRESHOLD,
    LIST_TABLES,
    MATCHER_VERSION,
    ScreeningIndex,
    build_index,
    list_table,
    read_list_file,
    screen,
)
from exportctl.engine.screening.normalise import MAX_NAME_CHARS, normalise
from exportctl.engine.screening.terms import TERMS_FILE
from exportctl.errors import DataError, InputError
from exportctl.model.countries import resolve_country
from exportctl.ops.files import file_format, read_table, write_xlsx
from exportctl.ops.list_dates import DATED_KEYS, as_of_lists
from exportctl.store import Dataset, active_dataset

ENV_CACHE = "EXPORTCTL_CACHE_DIR"
HIT_KEYS = (
    "list",
    "entity_id",
    "name",
    "matched_name",
    "score",
    "country",
    "list_name",
    "type",
    "license_requirement",
    "license_policy",
    "federal_register_notice",
    "programs",
    "source_url",
    "explanation",
)
CHUNK = 5000  # names per progress step

_lock = threading.Lock()
_memory: dict[str, ScreeningIndex] = {}


def cache_dir() -> Path:
    """Where built indexes are kept ($EXPORTCTL_CACHE_DIR, else the user cache dir)."""
    root = os.environ.get(ENV_CACHE) or platformdirs.user_cache_dir("exportctl")
    return Path(root) / "screening"


@functools.cache
def _matcher_key() -> str:
    # The word lists, the gazetteer and the code are part of the matcher: an index pickled by other code
    # (a new attribute, a changed normaliser), other terms or other places must never be reused.
    h = hashlib.sha256()
    for path in [
        *sorted(TERMS_FILE.parent.glob("*.py")),
        TERMS_FILE,
        *sorted(TERMS_FILE.parent.glob("*.tsv.gz")),
    ]:
        h.update(path.read_bytes())
    return f"{MATCHER_VERSION}-{h.hexdigest()[:12]}"


def _cached(key: str, build: Callable[[], ScreeningIndex]) -> ScreeningIndex:
    with _lock:
        hit = _memory.get(key)
        if hit is not None:
            return hit
        path = cache_dir() / f"{key}.pickle"
        index: ScreeningIndex | None = None
        if path.is_file():
            try:
                with path.open("rb") as fh:
                    loaded = pickle.load(fh)
                if isinstance(loaded, ScreeningIndex):
                    index = loaded
            except Exception:  # a torn or stale cache file is rebuilt, never trusted
                index = None
        if index is None:
            index = build()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.replace(path)
            except OSError:
                pass  # a read-only cache dir only costs a rebuild next time
        if len(_memory) > 4:
            _memory.clear()
        _memory[key] = index
        return index


def dataset_lists(dataset: Dataset) -> pl.DataFrame:
    """The dataset's party lists as one list table; the CSL is required (screening fails closed)."""
    tables = {"csl": dataset.table("csl")}  # NoDataError when missing
    for name in LIST_TABLES[1:]:
        if dataset.has(name):
            tables[name] = dataset.table(name)
    return list_table(tables)


def default_index(dataset: Dataset | None = None) -> ScreeningIndex:
    """The index over the (active) dataset's lists, cached by data version and matcher version."""
    ds = dataset or active_dataset()
    return _cached(f"{ds.version}-{_matcher_key()}", lambda: build_index(dataset_lists(ds)))


def _file_digest(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        try:
            h.update(p.read_bytes())
        except OSError as err:
            raise DataError(f"cannot read list file: {err.strerror}", file=str(p)) from None
    return h.hexdigest()[:16]


def index_for(
    list_files: Sequence[Path | str] = (),
    only_list_files: Sequence[Path | str] = (),
    dataset: Dataset | None = None,
) -> tuple[ScreeningIndex, str]:
    """The index to screen against and the data version it stands for."""
    only = [Path(p) for p in only_list_files]
    extra = [Path(p) for p in list_files]
    if only:
        tables = [read_list_file(p) for p in only + extra]
        lists = pl.concat(tables)
        digest = _file_digest(only + extra)
        return _cached(f"lists-{digest}-{_matcher_key()}", lambda: build_index(lists)), f"lists:{digest}"
    ds = dataset or active_dataset()
    if not extra:
        return default_index(ds), ds.version
    user = pl.concat([read_list_file(p) for p in extra])
    digest = _file_digest(extra)
    key = f"{ds.version}-lists-{digest}-{_matcher_key()}"
    index = _cached(key, lambda: build_index(pl.concat([dataset_lists(ds), user], how="vertical")))
    return index, f"{ds.version}+lists:{digest}"


def check_name(name: Any, field: str = "name", line: int | None = None, file: str | None = None) -> str:
    """A usable query name, or InputError naming what is wrong."""
    if not isinstance(name, str):
        raise InputError("a name must be text", field=field, line=line, file=file)
    text = name.strip()
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise InputError("name is not valid UTF-8", field=field, line=line, file=file)
    if not text:
        raise InputError("empty name", field=field, line=line, file=file)
    if len(text) > MAX_NAME_CHARS:
        raise InputError(
            f"name too long ({len(text)} characters, at most {MAX_NAME_CHARS})",
            field=field,
            line=line,
            file=file,
        )
    if not normalise(text):
        raise InputError("name has no letters or digits to screen", field=field, line=line, file=file)
    return text


def check_threshold(threshold: float) -> float:
    """A threshold in (0, 1]."""
    if not 0.0 < threshold <= 1.0:
        raise InputError(f"threshold must be in (0, 1], got {threshold}", field="threshold")
    return float(threshold)


def _hit_dicts(hits: pl.DataFrame) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    cols = ["qid", *HIT_KEYS, *[k for k in DATED_KEYS if k in hits.columns]]
    for row in hits.select(cols).iter_rows(named=True):
        qid = row.pop("qid")
        out.setdefault(qid, []).append(row)
    return out


def screen_names(
    names: Sequence[str],
    *,
    country: str | None = None,
    party_type: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    list_files: Sequence[Path | str] = (),
    only_list_files: Sequence[Path | str] = (),
    dataset: Dataset | None = None,
    as_of: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Screen names: one {"query", "hits", "matcher", "data_version", "threshold"} per name.

    With `as_of`, the lists as they stood on that day (as_of_lists); the result also carries `as_of`.
    """
    checked = [check_name(n) for n in names]
    code = resolve_country(country).code if country else ""
    threshold = check_threshold(threshold)
    index, version = index_for(list_files, only_list_files, dataset)
    queries = pl.DataFrame(
        {"name": checked, "country": [code] * len(checked), "type": [party_type or ""] * len(checked)}
    )
    hits = as_of_lists(screen(index, queries, threshold), _dating(only_list_files, dataset, as_of), as_of)
    by_q = _hit_dicts(hits)
    extra = {"as_of": as_of.isoformat()} if as_of else {}
    return [
        {
            "query": name,
            "hits": by_q.get(i, []),
            "matcher": MATCHER_VERSION,
            "data_version": version,
            "threshold": threshold,
            **extra,
        }
        for i, name in enumerate(checked)
    ]


def _dating(only: Sequence[Path | str], dataset: Dataset | None, as_of: dt.date | None) -> Dataset | None:
    """The dataset whose lists are dated, when a date is asked and the data version's lists are used."""
    if as_of is None or only:
        return None
    return dataset or active_dataset()


# -- files ---------------------------------------------------------------------------------------------


def read_parties(path: Path | str) -> pl.DataFrame:
    """A parties file (name column, optional id and country) with every column as read."""
    p = Path(path)
    df = read_table(p, "parties")
    lower = {c: c.strip().lower() for c in df.columns}
    if "name" not in lower.values():
        raise DataError("parties file needs a 'name' column", file=str(p), field="name")
    return df.rename({c: lc for c, lc in lower.items() if lc in ("name", "id", "country", "type")})


def _countries(values: list[Any], file: str) -> list[str]:
    out = []
    memo: dict[str, str] = {}
    for line, v in enumerate(values, start=2):
        text = "" if v is None else str(v).strip()
        if text and text not in memo:
            try:
                memo[text] = resolve_country(text).code
            except InputError as err:
                raise InputError(
                    err.message, field="country", file=file, line=line, suggestions=err.suggestions
                ) from None
        out.append(memo.get(text, ""))
    return out


def screen_table(
    parties: pl.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    list_files: Sequence[Path | str] = (),
    only_list_files: Sequence[Path | str] = (),
    dataset: Dataset | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    file: str | None = None,
    as_of: dt.date | None = None,
) -> tuple[list[dict[str, Any]], str]:
    """Screen a parties table: one dict per input row (its columns plus `hits`), and the data version.

    Rows whose name is empty or unusable get no hits and an `error` naming the problem.
    """
    threshold = check_threshold(threshold)
    index, version = index_for(list_files, only_list_files, dataset)
    names = ["" if v is None else str(v) for v in parties["name"].to_list()]
    countries = _countries(parties["country"].to_list(), file or "") if "country" in parties.columns else None
    errors: dict[int, str] = {}
    usable = []
    for i, n in enumerate(names):
        try:
            check_name(n)
            usable.append(True)
        except InputError as err:
            errors[i] = err.message
            usable.append(False)
    queries = pl.DataFrame(
        {
            "qid": list(range(len(names))),
            "name": [n if ok else "" for n, ok in zip(names, usable, strict=True)],
            "country": countries or [""] * len(names),
            "type": [str(v or "") for v in parties["type"].to_list()]
            if "type" in parties.columns
            else [""] * len(names),
        }
    )
    by_q: dict[int, list[dict[str, Any]]] = {}
    for start in range(0, max(queries.height, 1), CHUNK * max(1, workers)):
        part = queries.slice(start, CHUNK * max(1, workers))
        found = screen(index, part, threshold, workers=workers)
        by_q.update(_hit_dicts(as_of_lists(found, _dating(only_list_files, dataset, as_of), as_of)))
        if progress is not None:
            progress(min(start + part.height, queries.height), queries.height)
    rows = []
    for i, row in enumerate(parties.iter_rows(named=True)):
        out = {k: _plain(v) for k, v in row.items()}
        out["hits"] = by_q.get(i, [])
        if i in errors:
            out["error"] = errors[i]
        rows.append(out)
    return rows, version


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def screen_file(
    path: Path | str,
    *,
    output: Path | str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    list_files: Sequence[Path | str] = (),
    only_list_files: Sequence[Path | str] = (),
    dataset: Dataset | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """Screen a parties file (CSV, XLSX, Parquet, JSONL); write the rows to `output` when given.

    Returns {"rows", "hit_rows", "hits", "errors", "data_version", "matcher", "threshold", "results"}
    (`results` only when no output file is written).
    """
    p = Path(path)
    out_fmt = file_format(Path(output), "output") if output is not None else None
    parties = read_parties(p)
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    rows, version = screen_table(
        parties,
        threshold=threshold,
        list_files=list_files,
        only_list_files=only_list_files,
        dataset=dataset,
        progress=progress,
        workers=n_workers,
        file=str(p),
        as_of=as_of,
    )
    summary: dict[str, Any] = {
        "rows": len(rows),
        "hit_rows": sum(1 for r in rows if r["hits"]),
        "hits": sum(len(r["hits"]) for r in rows),
        "errors": sum(1 for r in rows if "error" in r),
        "data_version": version,
        "matcher": MATCHER_VERSION,
        "threshold": threshold,
        **({"as_of": as_of.isoformat()} if as_of else {}),
    }
    if output is None:
        summary["results"] = rows
        return summary
    write_rows(rows, Path(output), out_fmt or "jsonl")
    summary["output"] = str(output)
    return summary


def write_rows(rows: list[dict[str, Any]], path: Path, fmt: str) -> None:
    """JSONL: one line per input row (its columns plus hits); CSV/XLSX/Parquet: hits as JSON text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        return
    flat = [
        {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v) for k, v in r.items()}
        for r in rows
    ]
    df = pl.DataFrame(flat, infer_schema_length=None) if flat else pl.DataFrame({"hits": []})
    if fmt == "csv":
        df.write_csv(path)
    elif fmt == "parquet":
        df.write_parquet(path)
    else:
        write_xlsx(df, path, "hits")


def cached_list_index(key: str, lists: pl.DataFrame) -> ScreeningIndex:
    """The index over `lists`, kept on disk under `key` (plus the matcher version) between runs."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return _cached(f"lists-{digest}-{_matcher_key()}", lambda: build_index(lists))
