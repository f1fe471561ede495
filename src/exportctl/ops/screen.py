"""Party screening for the fronts: names or a parties file in, hits out (contract shapes of the issue).

Queries may carry evidence (dob, nationality, id_number, country: engine/screening/evidence.py), a
profile names the lists and threshold (ops.screen_profiles), and reviewers' decisions are applied to the
hits (ops.reviews.annotate). The indexes are built and cached by ops.screen_index.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import polars as pl

from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.screening import (
    DEFAULT_THRESHOLD,
    MATCHER_VERSION,
    screen,
)
from exportctl.engine.screening.hits import hit_records, hits_frame
from exportctl.engine.screening.name_part import name_part, screenable
from exportctl.engine.screening.normalise import MAX_NAME_CHARS
from exportctl.engine.screening.screen import screen_rows
from exportctl.errors import InputError
from exportctl.model.countries import resolve_country
from exportctl.ops import screen_profiles
from exportctl.ops.answers import ScreenAnswer
from exportctl.ops.cells import write_csv
from exportctl.ops.defaults import check_screen_fail_on, fail_fields, screen_fails
from exportctl.ops.files import file_format, title_warning
from exportctl.ops.list_dates import DATED_KEYS, as_of_lists
from exportctl.ops.party_file import check_dob, check_id_number, party_evidence, read_parties
from exportctl.ops.screen_index import index_for
from exportctl.ops.screen_profiles import Profile
from exportctl.ops.xlsx import write_xlsx
from exportctl.store import Dataset, active_dataset

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
    "evidence",
)
CHUNK = 5000  # names per progress step


def check_name(name: Any, field: str = "name", line: int | None = None, file: str | None = None) -> str:
    """A usable query name, or InputError naming what is wrong."""
    if not isinstance(name, str):
        raise InputError("a name must be text", field=field, line=line, file=file)
    text = name.strip()
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise InputError("name is not valid UTF-8", field=field, line=line, file=file)
    if not text:
        raise InputError("empty name", field=field, line=line, file=file)
    if not screenable(text):
        # a long text (a name with its address pasted after it) is screened on its name part
        # (engine/screening/name_part.py): only a text with no name in it is refused
        raise InputError(
            "name has no letters or digits to screen"
            if len(text) <= MAX_NAME_CHARS
            else f"no name to screen in {len(text)} characters of text",
            field=field,
            line=line,
            file=file,
        )
    return text


def resolve_profile(
    name: str | None, profiles_file: Path | str | None, threshold: float | None
) -> tuple[Profile | None, float]:
    """The profile named (or None) and the threshold to use: the one given, else the profile's, else 0.7."""
    prof = screen_profiles.profile(name, profiles_file) if name else None
    if threshold is None:
        threshold = prof.threshold if prof is not None else DEFAULT_THRESHOLD
    return prof, check_threshold(threshold)


def check_threshold(threshold: float) -> float:
    """A threshold in (0, 1]."""
    if not 0.0 < threshold <= 1.0:
        raise InputError(f"threshold must be in (0, 1], got {threshold}", field="threshold")
    return float(threshold)


def _hit_dicts(hits: pl.DataFrame, threshold: float) -> dict[int, tuple[list[dict[str, Any]], list[Any]]]:
    """Per qid: its hits, and the hits its evidence cleared (scored below the threshold)."""
    cols = ["qid", *HIT_KEYS, *[k for k in DATED_KEYS if k in hits.columns]]
    return _by_query(hits.select(cols).iter_rows(named=True), threshold)


def _by_query(
    hits: Iterable[dict[str, Any]], threshold: float
) -> dict[int, tuple[list[dict[str, Any]], list[Any]]]:
    """Per qid: its hits (each a dict of its qid and the keys shown), then the ones its evidence cleared."""
    out: dict[int, tuple[list[dict[str, Any]], list[Any]]] = {}
    for row in hits:
        qid = row.pop("qid")
        alerts, cleared = out.setdefault(qid, ([], []))
        (alerts if row["score"] >= threshold else cleared).append(row)
    return out


def screen_names(
    names: Sequence[str] | str,
    *,
    country: str | None = None,
    party_type: str | None = None,
    threshold: float | None = None,
    list_files: Sequence[Path | str] = (),
    only_list_files: Sequence[Path | str] = (),
    dataset: Dataset | None = None,
    as_of: dt.date | None = None,
    dob: str | None = None,
    nationality: str | None = None,
    id_number: str | None = None,
    profile: str | None = None,
    profiles_file: Path | str | None = None,
    decisions: bool = True,
    engine: Any = None,
) -> list[ScreenAnswer]:
    """Screen names: one ops.answers.ScreenAnswer {"query", "hits", "cleared", "matcher", "data_version",
    "threshold", "profile"} per name. `cleared`: hits whose name scored an alert but whose evidence took
    them below the threshold. With `decisions`, each hit carries `review` and `suppressed`
    (ops.reviews.annotate). With `as_of`, the lists as they stood on that day (as_of_lists); the result also
    carries `as_of`. One name given as a string is screened as that name (a list of one answer), not as
    its characters.
    """
    checked = [check_name(n) for n in ([names] if isinstance(names, str) else names)]
    code = resolve_country(country).code if country else ""
    nat = resolve_country(nationality, field="nationality").code if nationality else ""
    born = check_dob(dob)
    ident = check_id_number(id_number)
    prof, threshold = resolve_profile(profile, profiles_file, threshold)
    index, version = index_for(list_files, only_list_files, dataset, prof)
    n = len(checked)
    queries = {  # columns, not a table: the screening's own table was most of a single name's cost
        "name": checked,
        "country": [code] * n,
        "type": [party_type or ""] * n,
        "dob": [born] * n,
        "nationality": [nat] * n,
        "id_number": [ident] * n,
    }
    rows, items = screen_rows(index, queries, threshold, cleared=True)
    dating = _dating(only_list_files, dataset, as_of)
    if as_of is None or dating is None or not rows:  # as_of_lists would change nothing
        records = hit_records(index, rows, items, MATCHER_VERSION)
        by_q = _by_query(({k: r[k] for k in ("qid", *HIT_KEYS)} for r in records), threshold)
    else:
        hits = as_of_lists(hits_frame(index, rows, items, MATCHER_VERSION), dating, as_of)
        by_q = _hit_dicts(hits, threshold)
    results = [
        result_of(name, *by_q.get(i, ([], [])), version, threshold, as_of, prof)
        for i, name in enumerate(checked)
    ]
    for result in results:
        if note := unmet_script_warning(str(result["query"]), result["hits"], index):
            result.setdefault("warnings", []).append(note)
    return cast(list[ScreenAnswer], _decided(results, dataset, engine) if decisions else results)


def result_of(
    query: str,
    hits: list[dict[str, Any]],
    cleared: list[dict[str, Any]],
    version: str,
    threshold: float,
    as_of: dt.date | None,
    prof: Profile | None,
) -> dict[str, Any]:
    """One name's screening result: {"query", "hits", "cleared", "matcher", "data_version", "threshold",
    ["as_of"], "profile", ["warnings"]}, the shape of every front."""
    from exportctl.ops.gate import warn_forced

    answer: dict[str, Any] = {
        "query": query,
        "hits": hits,
        "cleared": cleared,
        "matcher": MATCHER_VERSION,
        "data_version": version,
        "threshold": threshold,
        **({"as_of": as_of.isoformat()} if as_of else {}),
        "profile": prof.name if prof else None,
        **({"warnings": [cut.note()]} if (cut := name_part(query)).rest else {}),
    }
    return warn_forced(answer, version)


_LIST_SCRIPTS: ByIdentity[dict[str, frozenset[str]]] = ByIdentity(4)


def unmet_script_warning(name: str, hits: Sequence[Any], index: Any) -> str | None:
    """The warning for a company's name in a script that the names of some screened list never use, with
    no hit: no hit is not a clearance against those lists (engine.common.party_scripts; a determination
    holds such a row); None for any other name. A single name and a parties file's rows both carry it."""
    from exportctl.engine.common.party_scripts import foreign_scripts, script_note, unmet_scripts

    if hits or not name or not foreign_scripts(name):
        return None
    carried = _LIST_SCRIPTS.get_or_build(index, lambda: _scripts_by_list(index))
    lacking = {
        listed: unmet for listed, scripts in carried.items() if (unmet := unmet_scripts(name, scripts))
    }
    if not lacking:
        return None
    scripts = sorted({s for unmet in lacking.values() for s in unmet})
    return script_note(name, scripts, lists=sorted(lacking))


def _scripts_by_list(index: Any) -> dict[str, frozenset[str]]:
    """Each list of a screening index -> the scripts (Latin aside) its names and aliases are written in."""
    from exportctl.engine.common.party_scripts import written_scripts

    names: dict[str, list[str]] = {}
    lists = index.entries["list"].cast(pl.Utf8).to_list()
    for entry, text in zip(index.name_entry.tolist(), index.name_text, strict=True):
        names.setdefault(str(lists[entry]), []).append(text)
    return {listed: written_scripts(texts) for listed, texts in names.items()}


def _decided(results: list[dict[str, Any]], dataset: Dataset | None, engine: Any) -> list[dict[str, Any]]:
    from exportctl.ops.reviews import annotate

    return annotate(results, dataset=dataset, engine=engine)


def alerts(hits: Sequence[Mapping[str, Any]]) -> int:
    """How many hits are alerts: not suppressed by a reviewer's current false-positive decision."""
    return sum(1 for h in hits if not h.get("suppressed"))


def _dating(only: Sequence[Path | str], dataset: Dataset | None, as_of: dt.date | None) -> Dataset | None:
    """The dataset whose lists are dated, when a date is asked and the data version's lists are used."""
    if as_of is None or only:
        return None
    return dataset or active_dataset()


def screen_table(
    parties: pl.DataFrame,
    *,
    threshold: float | None = None,
    list_files: Sequence[Path | str] = (),
    only_list_files: Sequence[Path | str] = (),
    dataset: Dataset | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    file: str | None = None,
    first_line: int = 2,
    as_of: dt.date | None = None,
    profile: str | None = None,
    profiles_file: Path | str | None = None,
    decisions: bool = True,
    engine: Any = None,
) -> tuple[list[dict[str, Any]], str]:
    """Screen a parties table: one dict per input row (its columns plus `hits` and `cleared`), and the
    data version. Optional columns dob, nationality and id_number are evidence (an invalid value is an
    InputError naming its line of `file`, the first row on `first_line`); `country` is too.

    Rows whose name is empty or unusable get no hits and an `error` naming the problem.
    """
    prof, threshold = resolve_profile(profile, profiles_file, threshold)
    where = file or ""
    dobs, nats, idents, countries = party_evidence(parties, where, first_line)
    index, version = index_for(list_files, only_list_files, dataset, prof)
    names = ["" if v is None else str(v) for v in parties["name"].to_list()]
    errors: dict[int, str] = {}
    usable = []
    for i, n in enumerate(names):
        try:
            names[i] = check_name(n)  # as a single screening takes it: stripped (its evidence names it so)
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
            "dob": dobs,
            "nationality": nats,
            "id_number": idents,
        }
    )
    by_q: dict[int, tuple[list[dict[str, Any]], list[Any]]] = {}
    for start in range(0, max(queries.height, 1), CHUNK * max(1, workers)):
        part = queries.slice(start, CHUNK * max(1, workers))
        found = screen(index, part, threshold, workers=workers, cleared=True)
        by_q.update(
            _hit_dicts(as_of_lists(found, _dating(only_list_files, dataset, as_of), as_of), threshold)
        )
        if progress is not None:
            progress(min(start + part.height, queries.height), queries.height)
    if decisions:  # a reviewer's decisions on (party, entry) pairs: shown, and false positives suppress
        hit = [i for i in sorted(by_q) if by_q[i][0]]
        shown = _decided([{"query": names[i], "hits": by_q[i][0]} for i in hit], dataset, engine)
        for i, done in zip(hit, shown, strict=True):
            by_q[i] = (done["hits"], by_q[i][1])
    rows = []
    for i, row in enumerate(parties.iter_rows(named=True)):
        out = {k: _plain(v) for k, v in row.items()}
        out["hits"], out["cleared"] = by_q.get(i, ([], []))
        if i in errors:
            out["error"] = errors[i]
        elif note := unmet_script_warning(names[i], out["hits"], index):
            out["warnings"] = [note]  # the single screen's `warnings`, same words (party-script)
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
    threshold: float | None = None,
    list_files: Sequence[Path | str] = (),
    only_list_files: Sequence[Path | str] = (),
    dataset: Dataset | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    as_of: dt.date | None = None,
    profile: str | None = None,
    profiles_file: Path | str | None = None,
    fail_on: str | None = None,
    columns: Mapping[str, str] | None = None,
    ignore_columns: Sequence[str] = (),
    encoding: str | None = None,
    sheet: str | None = None,
) -> dict[str, Any]:
    """Screen a parties file (CSV, XLSX, Parquet, JSONL; a text file in `encoding` when it is not UTF-8;
    an XLSX workbook's `sheet` by name or number from 1); write the rows to `output` when given.

    Returns {"rows", "hit_rows", "hits", "suppressed", "errors", "data_version", "matcher", "threshold",
    "profile", "results", ["warnings"]} (`results` only when no output file is written; `warnings` names
    a title skipped above the header, and a forced data version); `hit_rows` counts the rows
    with an alert, a hit no reviewer's current false-positive decision suppresses. With `fail_on`
    (ops.defaults.SCREEN_FAIL_ON), also `fail_on` and `failed`: whether any hit is at that level or above.
    """
    check_screen_fail_on(fail_on)  # refused before any work
    _, threshold = resolve_profile(profile, profiles_file, threshold)
    p = Path(path)
    out_fmt = file_format(Path(output), "output") if output is not None else None
    parties, placement = read_parties(p, columns, ignore_columns, encoding, sheet)
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
        first_line=len(placement.title) + 2,  # the header's line is after the title's
        as_of=as_of,
        profile=profile,
        profiles_file=profiles_file,
    )
    summary: dict[str, Any] = {
        "rows": len(rows),
        "hit_rows": sum(1 for r in rows if alerts(r["hits"])),
        "hits": sum(len(r["hits"]) for r in rows),
        "suppressed": sum(len(r["hits"]) - alerts(r["hits"]) for r in rows),
        "errors": sum(1 for r in rows if "error" in r),
        "data_version": version,
        "matcher": MATCHER_VERSION,
        "threshold": threshold,
        **({"as_of": as_of.isoformat()} if as_of else {}),
        "profile": profile,
        "unread_columns": placement.carried,
        **fail_fields(any(screen_fails(r["hits"], fail_on) for r in rows), fail_on),
        **(
            {
                "warnings": ([title_warning(p.name, placement.title)] if placement.title else [])
                + placement.notes
            }
            if placement.title or placement.notes
            else {}
        ),
    }
    from exportctl.ops.gate import warn_forced

    warn_forced(summary, version)
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
        write_csv(df, path)
    elif fmt == "parquet":
        df.write_parquet(path)
    else:
        write_xlsx(df, path, "hits")
