"""`exportctl tariff`: one duty stack (--hts ...), a batch file (FILE -o OUT), or a history (history ...).

The group routes by its first argument: a known subcommand (`history`) runs as such; an option
(`--hts ...`) runs the single lookup; anything else is a batch input file.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
import typer
from rich.table import Table
from typer._click.core import Context  # typer vendors click; TyperGroup takes its Context
from typer.core import TyperGroup

from exportctl.engine.tariff.hts import digits, valid_shape
from exportctl.errors import InputError
from exportctl.fronts.cli.options import KnownOnOption, ScenarioOption, scenario_path
from exportctl.fronts.cli.output import (
    Format,
    FormatOption,
    dumps,
    emit_object,
    handle_errors,
    require_object_format,
    stdout,
)
from exportctl.ops import tariff as ops
from exportctl.ops import tariff_compare, tariff_history
from exportctl.ops.cells import write_csv
from exportctl.ops.check_columns import column_options, load_column_map
from exportctl.ops.files import read_table
from exportctl.ops.tariff_columns import place_tariff_columns, price_lines, tariff_field, tariff_target


class _TariffGroup(TyperGroup):
    """Route `tariff --hts ...` to `lookup` and `tariff FILE ...` to `batch`, keeping `tariff history`."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            code = digits(args[0])
            if len(code) >= 6 and valid_shape(code) and not Path(args[0]).exists():
                # `tariff 9503.00.0073 --origin CN`: a code, not a file; `tariff 9503.00.0073 CN 2025-04-10`
                # as the library reads it (exportctl.tariff(hts, origin, date)): origin, then date
                rest, head = args[1:], ["lookup", "--hts", args[0]]
                for opt in ("--origin", "--date"):
                    if not rest or rest[0].startswith("-"):
                        break
                    head += [opt, rest.pop(0)]
                args = head + rest
            else:
                args = ["lookup" if args[0].startswith("-") else "batch", *args]
        return super().parse_args(ctx, args)


tariff_app = typer.Typer(
    cls=_TariffGroup,
    name="tariff",
    help="Duty stacks: MFN base plus every additional duty (Section 301, IEEPA, 232, PRC retaliation).\n\n"
    "exportctl tariff --hts 8471.30.0100 --origin CN --date 2025-05-01\n\n"
    "exportctl tariff 8471.30.0100 CN 2025-05-01\n\n"
    "exportctl tariff lines.csv [-o stacks.jsonl]\n\n"
    "exportctl tariff history --hts 8481.80.1030 --origin CN --from 2018-01-01 --to 2025-12-31 "
    "--plot out.png\n\n"
    "exportctl tariff compare --hts 8471.30.0100 --origins CN,VN,MX,IN --date 2025-09-01 --chart c.png",
    no_args_is_help=True,
)


def _usd(amount: float | None) -> str:
    return "" if amount is None else f"${amount:,.2f}"


def _render(obj: Mapping[str, Any]) -> None:
    duty = obj["duty"]
    dollars = duty.get("value") is not None
    title = f"HTS {obj['hts_matched']} from {obj['origin']} to {obj['destination']} on {obj['date']}"
    table = Table(title=title + (f", customs value {_usd(duty['value'])}" if dollars else ""))
    for col in ("layer", "heading", "rate", *(["duty"] if dollars else []), "instrument"):
        table.add_column(col, justify="right" if col == "duty" else "left")

    def row(layer: str, heading: str, rate: str, amount: float | None, cite: str) -> None:
        table.add_row(layer, heading, rate, *([_usd(amount)] if dollars else []), cite)

    mfn = obj["mfn"]
    row(f"MFN ({mfn['column']})", "", mfn["text"] or "n/a", mfn.get("amount_usd"), "HTSUS")
    if mfn.get("special_text") and mfn.get("column") != "special":
        row("special (not applied)", "", mfn["special_text"], None, "--special PROGRAM to apply")
    for c in obj["components"]:
        rate = f"{c['rate_pct']:g}%"
        if c.get("basis", "value") != "value":
            rate += f" x {c['basis_share']:.0%} {c['basis']}"
        row(c["program"], c["heading"] or "", rate, c.get("amount_usd"), c["citation"])
    total = f"{obj['total_ad_valorem_pct']:g}%"
    if mfn.get("specific"):
        ave = obj.get("total_ave_pct")
        total += " + specific" + (f" (AVE {ave:g}%)" if ave is not None else "")
    row("total ad valorem" if not dollars else "total duties", "", total, duty["amount"], "")
    for f in duty.get("fees") or []:
        limits = ""
        if f["min_usd"] is not None and f["max_usd"] is not None:
            limits = f" (min {_usd(f['min_usd'])}, max {_usd(f['max_usd'])})"
        row(f"fee: {f['fee']}", "", f"{f['rate_pct']:g}%{limits}", f["amount_usd"], f["citation"])
    if duty.get("fees"):
        row("total duties and fees", "", "", duty.get("total_usd"), "")
    stdout.print(table)
    if dollars and duty["amount"] is None:
        stdout.print(f"duty on {duty['value']:g}: not computable (see notes)")
    for x in obj["excluded"]:
        stdout.print(f"not applied: {x['program']} {x['heading'] or ''} ({x['excluded_by']})")
    for a in obj["advisories"]:
        rate = "" if a["rate_pct"] is None else f" {a['rate_pct']}%"
        stdout.print(f"may apply (product-level scope): {a['measure']}{rate} — {a['description']}")
    for n in obj["notes"]:
        stdout.print(f"note: {n}")
    stdout.print(f"data {obj['data_version'][:12]} · {ops.NOT_LEGAL_ADVICE}")


@tariff_app.command("lookup")
@handle_errors
def lookup(
    hts: str = typer.Option(..., "--hts", help="HTS code, 10 digits (8 or 6 where unambiguous)."),
    origin: str = typer.Option(..., "--origin", help="Country of origin (ISO code or name)."),
    destination: str = typer.Option(
        "US", "--destination", help="Importing country: US, or CN for China's tariffs."
    ),
    date: str = typer.Option(None, "--date", "--as-of", help="Entry date YYYY-MM-DD."),
    value: str = typer.Option(
        None,
        "--value",
        help="Customs value (USD, as written: 12000.50, '12.000,50', '$1,500'): the answer then gives the "
        "duty in dollars and the fees.",
    ),
    quantity: tuple[str, str] | None = typer.Option(
        None, "--quantity", help="Quantity and unit, e.g. --quantity 100 kg (specific and compound rates)."
    ),
    mode: str = typer.Option(
        None,
        "--mode",
        help="Mode of transport: ocean, air, truck, rail, mail, other (ocean adds the harbor maint. fee)",
    ),
    special: str = typer.Option(
        None,
        "--special",
        help="Apply a special-rate program listed for the line (e.g. AU); shown, not applied, otherwise.",
    ),
    steel_content: str = typer.Option(
        None, "--steel-content", help="Value (USD) of the steel content; needs --value (Section 232)."
    ),
    aluminum_content: str = typer.Option(
        None, "--aluminum-content", help="Value (USD) of the aluminum content; needs --value (Section 232)."
    ),
    copper_content: str = typer.Option(
        None, "--copper-content", help="Value (USD) of the copper content; needs --value (Section 232)."
    ),
    known_on: str = KnownOnOption,
    scenario: Path | None = ScenarioOption,
    fmt: Format = FormatOption,
) -> None:
    """The duty stack of one line (shorthand: exportctl tariff --hts ...).

    A Section 232 layer charged on a metal content uses --steel-content/--aluminum-content/
    --copper-content over --value; without them the whole value is assumed (the answer says so).
    """
    require_object_format(fmt)
    qty, unit = quantity if quantity else (None, None)
    obj = ops.lookup(
        hts,
        origin,
        date,
        destination,
        value,
        qty,
        unit,
        known_on=known_on,
        scenario=scenario_path(scenario),
        special_program=special,
        mode=mode,
        steel_content=steel_content,
        aluminum_content=aluminum_content,
        copper_content=copper_content,
    )
    emit_object(obj, fmt, _render)


@tariff_app.command("batch")
@handle_errors
def batch(
    file: Path = typer.Argument(
        ...,
        help="CSV, XLSX, JSONL or Parquet with hts, origin, date [, destination, value, quantity, unit, "
        "steel_content, aluminum_content, copper_content, mode, entry] under their names or as brokers write "
        "them ('HTS Code', 'Country of Origin', 'Entry Date', 'Entered Value (USD)'): mode (ocean ...) and "
        "entry (lines of one entry) give the mpf_usd and hmf_usd columns.",
    ),
    out: Path | None = typer.Option(
        None,
        "-o",
        "--out",
        help="Output file: .jsonl, .csv or .parquet (without it: a table on the terminal).",
    ),
    columns_file: Path | None = typer.Option(
        None, "--columns", help="A YAML mapping of the file's headers to fields, e.g. 'Zolltarifnummer: hts'."
    ),
    column: list[str] = typer.Option(
        [],
        "--column",
        help="HEADER=FIELD (their header first), repeatable: 'Tariff No=hts', 'Ursprungsland=origin'.",
    ),
    ignore_column: list[str] = typer.Option(
        [],
        "--ignore-column",
        help="Leave this column out (repeatable). Any column neither recognised, mapped nor ignored "
        "stops the run (exit 2).",
    ),
    date_format: str | None = typer.Option(
        None,
        "--date-format",
        help="How the file writes dates that are not ISO, e.g. %m/%d/%Y; without it an ambiguous date "
        "(04/03/2025) leaves its line unanswered.",
    ),
    known_on: str = KnownOnOption,
    scenario: Path | None = ScenarioOption,
) -> None:
    """Duty stacks for every line of a file (shorthand: exportctl tariff FILE [-o OUT])."""
    if out is not None:
        _out_format(out)  # refused before the batch runs, not after
    lines = read_table(file, "file")
    mapping = {
        **(load_column_map(columns_file, tariff_target) if columns_file else {}),
        **column_options(column, reads=tariff_field, target=tariff_target),
    }
    result = price_lines(
        lines,
        mapping,
        ignore_column,
        date_format,
        known_on=known_on,
        scenario=scenario_path(scenario),
    )
    if out is None:
        placed = place_tariff_columns(lines.columns, mapping, ignore_column)
        refs = {h for headers in placed.references.values() for h in headers}
        _table(result, [h for h in lines.columns if h in refs])
    else:
        _write(result, out)
    bad = result.filter(pl.col("status") != "ok").height
    late = result.filter(pl.col("status") == "out_of_coverage").height
    sys.stderr.write(
        f"{result.height} lines, {bad} not answered ({late} out_of_coverage: after a tariff family's "
        f"researched_through, see `exportctl registry coverage`; see status)"
        + (f" -> {out}\n" if out is not None else "\n")
    )
    if "warnings" in result.columns:  # said on every row (a forced data version): said once here too
        for warning in result["warnings"].explode().drop_nulls().unique(maintain_order=True):
            sys.stderr.write(f"warning: {warning}\n")
    if out is None:
        sys.stderr.write(f"{ops.NOT_LEGAL_ADVICE}\n")


def _table(result: pl.DataFrame, refs: list[str]) -> None:
    """The lines as a person scans them: their references, code, origin, date, status, rates and duty."""
    refs = [c for c in refs if c in result.columns]
    table = Table(title="duty stacks")
    shown = [*refs, "hts", "origin", "date", "status", "total %", "duty", "why not answered"]
    for col in shown:
        table.add_column(col, justify="right" if col in ("total %", "duty") else "left")
    for row in result.iter_rows(named=True):
        ok = row["status"] == "ok"
        total = row.get("total_ad_valorem_pct")
        table.add_row(
            *[str(row.get(c) if row.get(c) is not None else "") for c in refs],
            str(row["hts"] or ""),
            str(row["origin"] or ""),
            str(row.get("date") or row.get("date_as_written") or ""),
            str(row["status"]),
            f"{total:g}" + (" + specific" if row.get("mfn_specific") else "")
            if ok and total is not None
            else "",
            _usd(row.get("duty_amount")) if ok else "",
            "" if ok else _why(row),
        )
    stdout.print(table)


def _why(row: Mapping[str, Any]) -> str:
    """Why a line was not answered, as a person reads it."""
    if row.get("error"):
        return str(row["error"])
    close = row.get("suggestions") or []
    if row["status"] in ("unknown_hts", "ambiguous_hts") and close:
        return f"{row['status'].replace('_', ' ')}: did you mean {', '.join(str(c) for c in close[:3])}?"
    return _STATUS_WHY.get(row["status"], str(row["status"]))


_STATUS_WHY = {
    "unknown_hts": "no such HTS code",
    "invalid_date": "the date is not one",
    "invalid_origin": "unknown country of origin",
    "out_of_coverage": "after the research's last day",
}


def _out_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".jsonl", ".ndjson", ".csv"):
        raise InputError(f"output must be .jsonl, .csv or .parquet, not {suffix or 'nothing'!r}", field="out")
    return suffix


def _write(frame: pl.DataFrame, path: Path) -> None:
    try:
        _write_as(frame, path, _out_format(path))
    except OSError as err:  # a directory, a missing folder, a read-only place
        raise InputError(f"cannot write {path}: {err.strerror or err}", field="out") from None


def _write_as(frame: pl.DataFrame, path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        frame.write_parquet(path)
    elif suffix in (".jsonl", ".ndjson"):
        with path.open("w", encoding="utf-8") as fh:
            for row in frame.iter_rows(named=True):
                fh.write(dumps(row) + "\n")
    elif suffix == ".csv":
        flat = frame.with_columns(
            [
                # list cells reach map_elements as Series: JSON text of their plain values
                pl.col(c).map_elements(lambda v: dumps(_plain(v)), return_dtype=pl.Utf8, skip_nulls=True)
                for c, t in frame.schema.items()
                if isinstance(t, pl.List | pl.Struct)
            ]
        )
        write_csv(flat, path)


def _plain(value: Any) -> Any:
    if isinstance(value, pl.Series):
        return [_plain(v) for v in value.to_list()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@tariff_app.command("history")
@handle_errors
def history(
    hts: str = typer.Option(..., "--hts", help="HTS code."),
    origin: str = typer.Option(..., "--origin", help="Country of origin."),
    start: str = typer.Option(..., "--from", help="First date YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Last date YYYY-MM-DD."),
    destination: str = typer.Option("US", "--destination", help="Importing country: US or CN."),
    plot: Path = typer.Option(None, "--plot", help="Also draw the chart to this .png or .svg file."),
    known_on: str = KnownOnOption,
    scenario: Path | None = ScenarioOption,
    fmt: Format = FormatOption,
) -> None:
    """The series of changes of one line's duty stack, each with its instrument; --plot draws it."""
    require_object_format(fmt)
    obj = tariff_history.history(
        hts, origin, start, end, destination, known_on=known_on, scenario=scenario_path(scenario)
    )
    if plot is not None:
        try:
            ops.plot(obj, plot)
        except OSError as err:  # a missing folder, a directory, a read-only place
            raise InputError(f"cannot write {plot}: {err.strerror or err}", field="plot") from None
        sys.stderr.write(f"chart -> {plot}\n")
    emit_object(obj, fmt, _render_history)


def _render_history(obj: Mapping[str, Any]) -> None:
    title = f"HTS {obj['hts_matched']} from {obj['origin']} to {obj['destination']}"
    table = Table(title=f"{title}, {obj['from']} to {obj['to']}")
    for col in ("from", "total", "components", "changed by"):
        table.add_column(col)
    for p in obj["series"]:
        comps = ", ".join(f"{c['program']} {c['rate_pct']:g}%" for c in p["components"])
        table.add_row(str(p["date"]), f"{p['total_ad_valorem_pct']:g}%", comps, ", ".join(p["labels"]))
    stdout.print(table)
    stdout.print(f"data {obj['data_version'][:12]} · {ops.NOT_LEGAL_ADVICE}")


@tariff_app.command("compare")
@handle_errors
def compare(
    hts: str = typer.Option(..., "--hts", help="HTS code, 10 digits (8 or 6 where unambiguous)."),
    origins: str = typer.Option(..., "--origins", help="Countries of origin, comma-separated: CN,VN,MX,IN."),
    date: str = typer.Option(None, "--date", "--as-of", help="Entry date YYYY-MM-DD."),
    destination: str = typer.Option("US", "--destination", help="Importing country: US or CN."),
    special: str = typer.Option(None, "--special", help="A special-rate program claimed for every origin."),
    chart: Path = typer.Option(None, "--chart", help="Also draw the bars to this .png or .svg file."),
    known_on: str = KnownOnOption,
    scenario: Path | None = ScenarioOption,
    fmt: Format = FormatOption,
) -> None:
    """The duty stacks of one line from several origins on one date, side by side."""
    require_object_format(fmt)
    obj = tariff_compare.compare(
        hts, origins, date, destination, known_on=known_on, scenario=scenario_path(scenario),
        special_program=special,
    )  # fmt: skip
    if chart is not None:
        try:
            tariff_compare.chart(obj, chart)
        except OSError as err:  # a missing folder, a directory, a read-only place
            raise InputError(f"cannot write {chart}: {err.strerror or err}", field="chart") from None
        sys.stderr.write(f"chart -> {chart}\n")
    emit_object(obj, fmt, _render_compare)


def _render_compare(obj: Mapping[str, Any]) -> None:
    programs = list(dict.fromkeys(c["program"] for o in obj["origins"] for c in o["components"]))
    table = Table(title=f"HTS {obj['hts']} on {obj['date']}, by origin")
    for col in ("origin", *programs, "total ad valorem"):
        table.add_column(col)
    for o in obj["origins"]:
        rates = {p: sum(c["rate_pct"] for c in o["components"] if c["program"] == p) for p in programs}
        cells = [
            f"{rates[p]:g}%" if any(c["program"] == p for c in o["components"]) else "" for p in programs
        ]
        table.add_row(o["origin"], *cells, f"{o['total_ad_valorem_pct']:g}%")
    stdout.print(table)
    stdout.print(
        f"each origin's layers and citations: exportctl tariff --hts ... --origin X · {ops.NOT_LEGAL_ADVICE}"
    )


def register(app: typer.Typer) -> None:
    """Add the `tariff` group to the main app."""
    app.add_typer(tariff_app, name="tariff")
