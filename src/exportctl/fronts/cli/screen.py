"""`exportctl screen NAME|PARTIES`: screen a name or a parties file against the restricted-party lists."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import typer

from exportctl.engine.screening import DEFAULT_THRESHOLD
from exportctl.errors import InputError
from exportctl.fronts.cli.output import (
    NOT_LEGAL_ADVICE,
    Format,
    FormatOption,
    dumps,
    emit_rows,
    handle_errors,
    say_warnings,
    stdout,
)
from exportctl.model.dates import parse_date
from exportctl.ops import screen as ops
from exportctl.ops.check_columns import column_options
from exportctl.ops.defaults import SCREEN_FAIL_ON_DEFAULT, check_screen_fail_on, screen_fails
from exportctl.ops.files import READ_FORMATS
from exportctl.ops.party_columns import party_field, party_target

FILE_SUFFIXES = tuple(READ_FORMATS)


def _is_file(target: str) -> bool:
    if not target.lower().endswith(FILE_SUFFIXES):
        return False
    if not Path(target).is_file():
        # a mistyped path screened as a party name would clear silently: fail closed
        raise InputError(f"no such parties file: {target}", field="parties")
    return True


def _progress() -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from rich.progress import Progress

    bar = Progress(transient=True, console=None)
    bar.console.stderr = True
    task = bar.add_task("screening", total=None)
    bar.start()

    def step(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return step, bar.stop


def _render_hits(result: Mapping[str, Any]) -> None:
    """Each hit in a few lines: score, list and id, the name matched, licence terms, and why."""
    hits = result["hits"]
    stdout.print(
        f"query: {result['query']}  (matcher {result['matcher']}, data {str(result['data_version'])[:12]}, "
        f"threshold {result['threshold']})",
        highlight=False,
    )
    if result.get("profile"):
        stdout.print(f"profile: {result['profile']}", highlight=False)
    for note in result.get("warnings", ()):
        stdout.print(f"note: {note}", highlight=False)
    if not hits:
        stdout.print("no hits")
    for h in hits:
        where = f" [{h['country']}]" if h.get("country") else ""
        stdout.print(
            f"{h['score']:.3f}  {h['list']} {h['entity_id']}  {h['matched_name']}{where}", highlight=False
        )
        if h.get("name") and h["name"] != h["matched_name"]:
            stdout.print(f"       listed as: {h['name']}", highlight=False)
        lic = " / ".join(x for x in (h.get("license_requirement"), h.get("license_policy")) if x)
        if lic:
            stdout.print(f"       license: {lic}", highlight=False)
        if h.get("federal_register_notice"):
            stdout.print(f"       FR: {h['federal_register_notice']}", highlight=False)
        if h.get("listed_status"):
            stdout.print(
                f"       listed: {h['listed_status']} on {result.get('as_of')}"
                f" ({h.get('listed_date_basis')})",
                highlight=False,
            )
        stdout.print(f"       why: {h['explanation']}", style="dim", highlight=False)
        done = h.get("suppressed")
        if done:
            stdout.print(
                f"       SUPPRESSED by review {done['review_id']} ({done['by']}, {done['at']}): "
                f"{done['reason']}",
                highlight=False,
            )
    for h in result.get("cleared") or []:
        stdout.print(
            f"cleared {h['score']:.3f}  {h['list']} {h['entity_id']}  {h['matched_name']}: "
            f"{h['explanation']}",
            style="dim",
            highlight=False,
        )
    stdout.print(NOT_LEGAL_ADVICE, style="dim")


def screen_cmd(
    target: str = typer.Argument(
        ..., help="A party name, or a parties file (.csv, .tsv, .txt, .xlsx, .parquet, .jsonl)."
    ),
    country: str = typer.Option(None, "--country", "-c", help="The party's country (ISO code or name)."),
    party_type: str = typer.Option(None, "--type", help="person, entity, vessel or aircraft."),
    dob: str = typer.Option(None, "--dob", help="The party's date of birth (YYYY-MM-DD, YYYY-MM or YYYY)."),
    nationality: str = typer.Option(
        None, "--nationality", help="The party's nationality (ISO code or name)."
    ),
    id_number: str = typer.Option(
        None, "--id-number", help="An identifier of the party: NUMBER or KIND:NUMBER (passport:E646989)."
    ),
    threshold: float = typer.Option(
        None,
        "--threshold",
        "-t",
        help=f"Least score of a hit, in (0, 1] (default: the profile's, else {DEFAULT_THRESHOLD}).",
    ),
    profile: str = typer.Option(
        None,
        "--profile",
        help="A screening profile: its lists and threshold (export-us, export-cn, payments ...).",
    ),
    profiles: Path = typer.Option(
        None, "--profiles", help="A YAML file of profiles that adds to the bundled ones."
    ),
    list_file: list[Path] = typer.Option(
        [], "--list-file", help="Also screen against this list (CSV id,name,aliases,country,type)."
    ),
    only_list_file: list[Path] = typer.Option([], "--only-list-file", help="Screen against this list alone."),
    output: Path = typer.Option(
        None, "--output", "-o", help="Write one row per party with its hits (.jsonl, .csv, .xlsx, .parquet)."
    ),
    workers: int = typer.Option(None, "--workers", help="Processes for large files (default: all cores)."),
    date: str = typer.Option(
        None,
        "--date",
        "--as-of",
        help="Screen the lists as they stood on this day (YYYY-MM-DD): entries listed later are left out, "
        "entries whose listing date is uncertain on it are marked listed_status=uncertain.",
    ),
    fail_on: str = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 when a hit is at least: suppressed (any hit, even one a reviewer's false-positive "
        "decision suppresses), hit (the default: a hit not suppressed) or match (a hit a reviewer "
        "confirmed).",
    ),
    column: list[str] = typer.Option(
        [],
        "--column",
        help="Parties file: read column HEADER as FIELD (HEADER=FIELD; the fields: name, country, "
        "nationality, dob, id_number, type, id).",
    ),
    ignore_column: list[str] = typer.Option(
        [], "--ignore-column", help="Parties file: leave out column HEADER (repeatable)."
    ),
    encoding: str | None = typer.Option(
        None,
        "--encoding",
        help="Parties file: its text encoding when not UTF-8 (CSV/JSONL), e.g. cp1252, cp1251, gb18030.",
    ),
    sheet: str | None = typer.Option(
        None,
        "--sheet",
        help="Parties file: the sheet of an XLSX workbook to read, by name or number from 1 (without it, "
        "the one sheet whose header names known columns).",
    ),
    fmt: Format = FormatOption,
) -> None:
    """Screen a name or a parties file against the restricted-party lists. Exit 1 when anything hit that no
    reviewer's false-positive decision suppresses (`exportctl audit review`), or as --fail-on says."""
    check_screen_fail_on(fail_on)  # refused before any work
    level = fail_on or SCREEN_FAIL_ON_DEFAULT
    as_of = parse_date(date, "date") if date else None
    if _is_file(target):
        step, stop = _progress()
        try:
            summary = ops.screen_file(
                target,
                output=output,
                threshold=threshold,
                list_files=list_file,
                only_list_files=only_list_file,
                progress=step,
                workers=workers,
                as_of=as_of,
                profile=profile,
                profiles_file=profiles,
                fail_on=fail_on,
                columns=column_options(column, party_field, party_target),
                ignore_columns=ignore_column,
                encoding=encoding,
                sheet=sheet,
            )
        finally:
            stop()
        _emit_file(summary, fmt)
        say_warnings(summary)  # a title skipped above the header, a forced data version
        if summary.get("unread_columns"):
            sys.stderr.write(
                "note: columns carried through to the output unread (not screening evidence): "
                + ", ".join(repr(c) for c in summary["unread_columns"])
                + "; read one with --column HEADER=FIELD, or leave it out with --ignore-column HEADER\n"
            )
        raise typer.Exit(1 if (summary["failed"] if fail_on else summary["hit_rows"]) else 0)
    if output is not None or column or ignore_column or encoding or sheet:
        from exportctl.errors import InputError

        given = (
            "--output"
            if output is not None
            else "--column"
            if column
            else "--ignore-column"
            if ignore_column
            else "--encoding"
            if encoding
            else "--sheet"
        )
        raise InputError(
            f"{given} needs a parties file, not a name", field=given.lstrip("-").replace("-", "_")
        )
    result = ops.screen_names(
        [target],
        country=country,
        party_type=party_type,
        threshold=threshold,
        list_files=list_file,
        only_list_files=only_list_file,
        as_of=as_of,
        dob=dob,
        nationality=nationality,
        id_number=id_number,
        profile=profile,
        profiles_file=profiles,
    )[0]
    if fmt in (Format.json, Format.jsonl):
        sys.stdout.write(dumps(result) + "\n")
    elif fmt == Format.csv:
        emit_rows([{"query": result["query"], **h} for h in result["hits"]], fmt, ["query", *ops.HIT_KEYS])
    else:
        _render_hits(result)
    say_warnings(result)
    raise typer.Exit(1 if screen_fails(result["hits"], level) else 0)


def _emit_file(summary: Mapping[str, Any], fmt: Format) -> None:
    rows = summary.get("results")
    head = {k: v for k, v in summary.items() if k != "results"}
    if fmt == Format.json:
        sys.stdout.write(dumps(dict(summary)) + "\n")
    elif fmt == Format.jsonl:
        for row in rows or []:
            sys.stdout.write(dumps(row) + "\n")
        if rows is None:
            sys.stderr.write(dumps(head) + "\n")
    elif fmt == Format.csv:
        flat = [{**{k: v for k, v in r.items() if k != "hits"}, **h} for r in rows or [] for h in r["hits"]]
        emit_rows(flat, fmt)
    else:
        stdout.print(
            f"{head['rows']} parties, {head['hit_rows']} with hits ({head['hits']} hits), "
            f"{head.get('suppressed', 0)} suppressed, {head['errors']} unusable; "
            f"matcher {head['matcher']}, data {str(head['data_version'])[:12]}"
            + (f"; written to {head['output']}" if "output" in head else "")
        )
        if rows:
            flat = [
                {
                    "row": i + 1,
                    "name": r.get("name"),
                    "score": h["score"],
                    "list": h["list"],
                    "entity_id": h["entity_id"],
                    "matched": h["matched_name"],
                    "why": h["explanation"],
                }
                for i, r in enumerate(rows)
                for h in r["hits"]
            ]
            if flat:
                emit_rows(flat, fmt)
            for i, r in enumerate(rows):
                for note in r.get("warnings") or ():
                    stdout.print(f"note: row {i + 1}: {note}", highlight=False)
        stdout.print(NOT_LEGAL_ADVICE, style="dim")


def register(app: typer.Typer) -> None:
    """Add `screen` to the main app."""
    app.command("screen")(handle_errors(screen_cmd))
