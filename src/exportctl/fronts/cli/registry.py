"""`exportctl timeline`, `diff`, `regime` and `exportctl registry check|coverage|history|claims|new`."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import typer

from exportctl.fronts.cli.options import JurisdictionOption, KnownOnOption, ScenarioOption, scenario_path
from exportctl.fronts.cli.output import (
    Format,
    FormatOption,
    dumps,
    emit_object,
    emit_rows,
    handle_errors,
    stdout,
)
from exportctl.ops import registry as ops

registry_app = typer.Typer(
    name="registry",
    help="The measure registry: lint it, its coverage by family, its claims.",
    no_args_is_help=True,
)

# CSV gets every column; a terminal table the ones that fit (JSON has everything, citations in full)
TIMELINE_COLUMNS = ("effective", "end", "status", "jurisdiction", "id", "title", "citations")
TIMELINE_TABLE = ("effective", "end", "status", "id")
DIFF_COLUMNS = ("date", "change", "jurisdiction", "measure", "title", "by", "citations")
DIFF_TABLE = ("date", "change", "measure", "by")
CLAIM_COLUMNS = ("id", "verdict", "check", "date", "source", "measures", "why")
CLAIM_TABLE = ("id", "verdict", "check", "why")


def _short_citations(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """For tables and CSV: citations as one readable cell ('title <url>; ...')."""
    out = []
    for row in rows:
        r = dict(row)
        if isinstance(r.get("citations"), list):
            r["citations"] = "; ".join(
                f"{c.get('document') or c.get('title')} <{c.get('url') or '-'}>" for c in r["citations"]
            )
        for key in ("by", "measures", "effects", "provenance", "waived_parties", "causes"):
            if isinstance(r.get(key), list):
                r[key] = ", ".join(r[key])
        out.append(r)
    return out


def _emit(
    doc: Mapping[str, Any],
    key: str,
    fmt: Format,
    columns: tuple[str, ...],
    table: tuple[str, ...],
    title: str,
) -> None:
    rows = doc[key]
    if fmt == Format.json:
        sys.stdout.write(dumps(doc) + "\n")
    elif fmt == Format.jsonl:
        for row in rows:
            sys.stdout.write(dumps(row) + "\n")
    else:
        emit_rows(_short_citations(rows), fmt, columns if fmt == Format.csv else table, title=title)


@handle_errors
def timeline_cmd(
    start: str | None = typer.Option(None, "--from", help="First day of the window (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="Last day of the window (YYYY-MM-DD)."),
    jurisdiction: str | None = JurisdictionOption,
    known_on: str | None = KnownOnOption,
    scenario: Path | None = ScenarioOption,
    fmt: Format = FormatOption,
) -> None:
    """List the measures in force at some time in a window, with status, dates and citations."""
    doc = ops.timeline(start, end, jurisdiction, known_on, scenario_path(scenario))
    _emit(
        doc,
        "measures",
        fmt,
        TIMELINE_COLUMNS,
        TIMELINE_TABLE,
        f"Measures ({len(doc['measures'])}), known on {doc['known_on']}",
    )


@handle_errors
def diff_cmd(
    start: str = typer.Option(..., "--from", help="The earlier day (YYYY-MM-DD); changes after it count."),
    end: str = typer.Option(..., "--to", help="The later day (YYYY-MM-DD), included."),
    jurisdiction: str | None = JurisdictionOption,
    known_on: str | None = KnownOnOption,
    scenario: Path | None = ScenarioOption,
    fmt: Format = FormatOption,
) -> None:
    """What entered into force, ended, was suspended, resumed or amended between two days."""
    doc = ops.diff(start, end, jurisdiction, known_on, scenario_path(scenario))
    _emit(doc, "changes", fmt, DIFF_COLUMNS, DIFF_TABLE, f"Changes after {doc['from']} through {doc['to']}")


@handle_errors
def regime_cmd(
    as_of: str = typer.Option(..., "--as-of", help="The day the rules are applied for (YYYY-MM-DD)."),
    jurisdiction: str | None = JurisdictionOption,
    known_on: str | None = KnownOnOption,
    scenario: Path | None = ScenarioOption,
    fmt: Format = FormatOption,
) -> None:
    """Show the regime on a day: every effect in force (and suspended) with what produced it."""
    doc = ops.regime_summary(as_of, jurisdiction, known_on, scenario_path(scenario))
    if fmt == Format.csv or fmt == Format.table:
        rows = [{**e, "state": "active"} for e in doc["effects"]] + [
            {**e, "state": "suspended"} for e in doc["suspended"]
        ]
        cols: tuple[str, ...] = ("state", "ref", "kind", "jurisdiction", "from", "until", "provenance")
        cols = (
            (*cols, "waived_parties")
            if fmt == Format.csv
            else ("state", "ref", "from", "until", "provenance")
        )
        if fmt == Format.table:
            stdout.print(
                f"regime {doc['regime'][:12]}  as of {doc['as_of']}  known on {doc['known_on']}"
                f"  covered: {doc['covered']}"
            )
        emit_rows(_short_citations(rows), fmt, cols)
    else:
        emit_object(doc, fmt, lambda d: None)


@registry_app.command("check")
@handle_errors
def check_cmd(
    extra: list[Path] = typer.Option([], "--dir", help="Also check the measure files under this directory."),
    only: bool = typer.Option(
        False, "--only", help="Check only the --dir directories, not the bundled registry."
    ),
    fmt: Format = FormatOption,
) -> None:
    """Lint the registry: citations, dates, targets, conflicts, claims. Exit 1 when there are errors."""
    doc = ops.check([str(p) for p in extra], bundled=not only)
    if fmt in (Format.json, Format.jsonl):
        sys.stdout.write(dumps(doc) + "\n")
    else:
        rows = [
            {**f, "where": f"{f['file'] or '-'}" + (f":{f['line']}" if f["line"] else "")}
            for f in doc["findings"]
        ]
        if rows:
            cols = ("severity", "code", "where", "message") if fmt == Format.table else tuple(rows[0])
            emit_rows(rows, fmt, cols)
        sys.stderr.write(
            f"{doc['measures']} measures and {doc['claims']} claims checked: "
            f"{doc['errors']} errors, {doc['warnings']} warnings\n"
        )
    if not doc["ok"]:
        raise typer.Exit(1)


@registry_app.command("coverage")
@handle_errors
def coverage_cmd(fmt: Format = FormatOption) -> None:
    """Show each family of measures and the last day its research is complete (later dates hold)."""
    doc = ops.families()
    if fmt == Format.json:
        sys.stdout.write(dumps(doc) + "\n")
        return
    if fmt == Format.jsonl:
        for fam in doc["families"]:
            sys.stdout.write(dumps(fam) + "\n")
        return
    rows = [
        {
            **{k: f[k] for k in ("jurisdiction", "family", "researched_through")},
            "sources": "; ".join(f"{s['title']} <{s['url'] or '-'}> ({s['checked']})" for s in f["sources"]),
        }
        for f in doc["families"]
    ]
    emit_rows(
        rows, fmt, ("jurisdiction", "family", "researched_through", "sources"), title="Coverage by family"
    )
    if fmt == Format.table:
        for fam in ops.families(gaps=True)["families"]:
            for gap in fam["gaps"]:
                typer.echo(f"gap, {fam['jurisdiction']} {fam['family']}: {gap}")


@registry_app.command("history")
@handle_errors
def history_cmd(
    measure: str = typer.Argument(..., help="A measure id, e.g. us-ear-2025-05-eda-letters."),
    known_on: str | None = KnownOnOption,
    scenario: Path | None = ScenarioOption,
    fmt: Format = FormatOption,
) -> None:
    """Show the resolved life of one measure: each effect's states over time and what caused them."""
    doc = ops.history(measure, known_on, scenario_path(scenario))
    if fmt in (Format.json, Format.jsonl):
        sys.stdout.write(dumps(doc) + "\n")
        return
    rows = [
        {"effect": e["effect"], **{k: s[k] for k in ("from", "until", "state", "values", "causes")}}
        for e in doc["effects"]
        for s in e["segments"]
    ]
    rows += [
        {"effect": e["effect"], "from": e["segments"][-1]["until"], "state": "ended", "causes": e["ended_by"]}
        for e in doc["effects"]
        if e["ended_by"]
    ]
    rows += [
        {
            "effect": f"{a['kind']} {a['target']}",
            "from": a["from"],
            "until": a["until"],
            "state": "applies" if a["applies"] else "not known",
            "causes": a["moved_by"],
        }
        for a in doc["actions"]
    ]
    if fmt == Format.table:
        stdout.print(f"{doc['measure']}: {doc['title']} ({doc['effective']} to {doc['end'] or 'open'})")
    emit_rows(_short_citations(rows), fmt, ("effect", "from", "until", "state", "values", "causes"))


@registry_app.command("claims")
@handle_errors
def claims_cmd(
    verdict: str | None = typer.Option(None, "--verdict", help="Only claims with this verdict."),
    fmt: Format = FormatOption,
) -> None:
    """List the claims of news reports, each with its verdict against the official record and why."""
    doc = ops.claims(verdict)
    _emit(doc, "claims", fmt, CLAIM_COLUMNS, CLAIM_TABLE, f"Claims ({len(doc['claims'])})")


@registry_app.command("new")
@handle_errors
def new_cmd(
    measure: str = typer.Argument(..., help="The new measure's id, e.g. us-ear-2026-12-new-rule."),
    effective: str = typer.Option(..., "--effective", help="The day it takes effect (YYYY-MM-DD)."),
    jurisdiction: str | None = typer.Option(
        None, "--jurisdiction", help="US-EAR, US-OFAC, US-TARIFF, CN-EXPORT or CN-TARIFF (default: the id's)."
    ),
    family: str | None = typer.Option(None, "--family", help="Its family of measures (registry.yaml)."),
    folder: Path | None = typer.Option(
        None, "--dir", help="The measures folder to write in (default: the bundled registry's)."
    ),
    golden_dir: Path | None = typer.Option(
        None, "--golden-dir", help="Where its goldens go (default: the checkout's tests/golden/registry)."
    ),
) -> None:
    """Write a skeleton measure file and its goldens (day before, of and after): fill in every TODO."""
    doc = ops.new_measure(
        measure,
        effective,
        jurisdiction=jurisdiction,
        family=family,
        measures_dir=folder,
        golden_dir=golden_dir,
    )
    typer.echo(f"measure: {doc['measure']}")
    typer.echo(f"goldens: {doc['golden']}")
    typer.echo("Fill in every TODO; `exportctl registry check` and the golden run fail until then.")


def register(app: typer.Typer) -> None:
    """Add `timeline`, `diff`, `regime` and the `registry` group to the main app."""
    app.command("timeline")(timeline_cmd)
    app.command("diff")(diff_cmd)
    app.command("regime")(regime_cmd)
    app.add_typer(registry_app)
