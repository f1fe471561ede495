"""How `exportctl check` shows one determination at a terminal, and a book's results as a person scans them
(the few columns of a row, its reasons as codes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from rich.table import Table

from exportctl.fronts.cli.output import NOT_LEGAL_ADVICE, stderr, stdout

__all__ = ["reasons_short", "render_answer", "render_checks", "scan_columns"]


def render_answer(obj: Mapping[str, Any]) -> None:
    """One determination for a person at a terminal: the verdict, the checks made, the reasons with their
    citations and listed entries, the licence exceptions considered and the parties found."""
    colour = {
        "prohibited": "red",
        "hold": "yellow",
        "license_required": "red",
        "license_exception_available": "cyan",
    }.get(str(obj["verdict"]), "green")
    stdout.print(
        f"[bold {colour}]{obj['verdict']}[/]  (as of {obj['as_of']}, data {str(obj['data_version'])[:12]})"
    )
    if obj.get("review_policy"):
        stdout.print(f"review policy: {obj['review_policy']}")
    render_checks(obj.get("checks") or [])
    if not obj["reasons"]:
        stdout.print("reasons: none (no rule checked requires a license)")
    else:
        table = Table(title="reasons", show_lines=False)
        for col in ("step", "code", "column", "effect", "measure", "citation"):
            table.add_column(col)
        for r in obj["reasons"]:
            table.add_row(
                *[str(r.get(c) or "") for c in ("step", "code", "column", "effect", "measure", "citation")]
            )
        stdout.print(table)
    for r in obj["reasons"]:
        stdout.print(f"- {r.get('code')}: {str(r.get('text') or '').strip()}", markup=False)
        for e in r.get("entries") or []:
            stdout.print(f"    · {e.get('name')} ({e.get('list')} {e.get('entity_id')})", markup=False)
    if obj["exceptions"]:
        ex = Table(title="license exceptions considered")
        for col in ("code", "section", "applies", "why"):
            ex.add_column(col)
        for e in obj["exceptions"]:
            ex.add_row(str(e["code"]), str(e["section"]), "yes" if e["applies"] else "no", str(e["why"]))
        stdout.print(ex)
    for p in obj.get("parties") or []:
        stdout.print(
            f"party {p.get('role')} '{p.get('name')}' on {p.get('list')} "
            f"as '{p.get('listed_name')}' (score {p.get('match_score')})",
            markup=False,
        )
    stderr.print(NOT_LEGAL_ADVICE)


def render_checks(checks: list[Mapping[str, Any]]) -> None:
    """The checks made, one line each beneath the verdict: step, result, and what was consulted."""
    if not checks:
        return
    table = Table(title="checks made", show_header=True, box=None, pad_edge=False)
    table.add_column("step", style="bold", no_wrap=True)
    table.add_column("result")
    table.add_column("what was checked", style="dim")
    for c in checks:
        table.add_row(str(c.get("step") or ""), str(c.get("result") or ""), str(c.get("what") or ""))
    stdout.print(table)


def reasons_short(reasons: Any) -> str:
    """The codes of the reasons that are not information, each once, as one cell of a book's results."""
    codes = [
        f"{r['code']}{'/' + r['column'] if r.get('column') else ''}"
        for r in (reasons or [])
        if r["effect"] != "info"
    ]
    return ", ".join(dict.fromkeys(codes))


def scan_columns(rows: pl.DataFrame, placement: Any) -> tuple[pl.DataFrame, list[str]]:
    """Fold a result table into the few columns a person scans: id, date, item, route, party, verdict."""

    def col(*names: str) -> pl.Expr | None:
        headers = [h for h in (placement.header(n) for n in names) if h is not None and h in rows.columns]
        found = [pl.col(h).cast(pl.Utf8) for h in dict.fromkeys(headers)]
        return pl.coalesce(found) if found else None

    route = [e for e in (col("exporting_country"), col("destination")) if e is not None]
    party = col("ultimate_consignee", "end_user", "purchaser", "intermediate_consignee")
    unscreened = ~pl.col("parties_screened").fill_null(False)
    parts: dict[str, pl.Expr | None] = {
        "id": col("order_id"),
        "date": pl.coalesce(pl.col("as_of").cast(pl.Utf8), col("date"))
        if col("date") is not None
        else pl.col("as_of").cast(pl.Utf8),
        "item": col("eccn", "product", "description"),
        # an order book may lack both columns (each row then holds with its error)
        "route": pl.concat_str(route, separator="→", ignore_nulls=True) if route else None,
        # a row whose parties were not screened says so where its party would be
        "party": pl.when(unscreened)
        .then(pl.lit("NOT SCREENED"))
        .otherwise(party if party is not None else None),
        "verdict": pl.col("verdict"),
        "why": pl.col("reasons_short"),
        "error": pl.col("error"),
    }
    exprs = [e.alias(name) for name, e in parts.items() if e is not None]
    out = rows.select(exprs)
    if "error" in out.columns and out["error"].null_count() == out.height:
        out = out.drop("error")
    return out, out.columns
