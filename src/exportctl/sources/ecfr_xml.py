"""The Commerce Country Chart from the eCFR XML of Supplement No. 1 to 15 CFR Part 738.

Two layouts carry the same grid:
- the eCFR versioner API (`/api/versioner/v1/full/{date}/title-15.xml?part=738`): an HTML-like
  `<TABLE>` with `<THEAD>` (the "CB 1" .. "AT 2" header cells), `<TBODY>` rows of `<TD>` cells (an empty
  cell is an empty `<TD>`), footnote markers as `<sup>`, the footnotes in `<TFOOT>`, and the embargoed
  destinations as a two-cell row whose second cell spans the 16 columns;
- the GPO e-CFR bulk XML: a `<GPOTABLE>` with `<BOXHD>`/`<CHED>` headers, `<ROW>`/`<ENT>` cells, `<SU>`
  markers and `<TNOTE>` footnotes.
The result is the `country_chart` table of docs/tables.md (own rows only: the territories that inherit a
row, such as Hong Kong, are not in the regulation's table). Hostile input: DOCTYPE and entity
declarations are refused before any expansion, and every shape error names the file, line and field.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError, InputError
from exportctl.model.countries import resolve_country
from exportctl.model.dates import parse_date
from exportctl.sources._strict import MAX_BYTES, attribution
from exportctl.sources.base import SourceTable
from exportctl.sources.ccl_text import CHART_COLUMNS
from exportctl.sources.ecfr_schema import CHART_SCHEMA

__all__ = ["parse_country_chart_xml"]

FORMAT = "ecfr-versioner-xml"
SUPPLEMENT = "Supplement No. 1 to Part 738"
_ATTRIBUTION = "eCFR, 15 CFR Part 738 Supplement No. 1 (US Government work)"
_MARKERS = {"sup", "SU"}
_MAX_DEPTH = 200


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    parts: list[_Node | str] = field(default_factory=list)

    def children(self, *tags: str) -> list[_Node]:
        return [p for p in self.parts if isinstance(p, _Node) and (not tags or p.tag in tags)]

    def walk(self) -> list[_Node]:
        out, stack = [], [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children()))
        return out

    def text(self, skip_markers: bool = False) -> str:
        pieces: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                pieces.append(part)
            elif not (skip_markers and part.tag in _MARKERS):
                pieces.append(" " + part.text(skip_markers) + " ")
        return " ".join("".join(pieces).split())

    def markers(self) -> list[str]:
        return [n.text() for n in self.walk() if n.tag in _MARKERS]


def _parse_xml(path: Path) -> _Node:
    name = path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DataError(f"file larger than {MAX_BYTES} bytes", file=name)
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"cannot read file: {err.strerror or err}", file=name) from None
    if not data.strip():
        raise DataError("empty file", file=name)
    parser = xml.parsers.expat.ParserCreate()
    root: list[_Node] = []
    stack: list[_Node] = []

    def refuse(*_: Any) -> None:
        raise DataError(
            "DOCTYPE or entity declarations are not accepted", file=name, line=parser.CurrentLineNumber
        )

    def start(tag: str, attrs: dict[str, str]) -> None:
        if len(stack) >= _MAX_DEPTH:
            raise DataError("XML nested too deeply", file=name, line=parser.CurrentLineNumber)
        node = _Node(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].parts if stack else root).append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].parts.append(text)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as err:
        raise DataError(
            f"malformed XML: {xml.parsers.expat.errors.messages[err.code]}", file=name, line=err.lineno
        ) from None
    return root[0]


def _grid(root: _Node, file: str) -> tuple[_Node, str]:
    supplements = [n for n in root.walk() if n.attrs.get("N", "").strip() == SUPPLEMENT]
    scope = supplements[0] if supplements else None
    if scope is None:
        raise DataError(f"no element with N={SUPPLEMENT!r}", file=file, line=root.line)
    for table in scope.walk():
        if table.tag in ("TABLE", "GPOTABLE") and any(
            n.tag in ("TH", "CHED") and n.text() == "CB 1" for n in table.walk()
        ):
            return table, "gpo" if table.tag == "GPOTABLE" else "html"
    raise DataError("no Country Chart table (no 'CB 1' header cell)", file=file, line=scope.line)


def _footnotes(table: _Node, layout: str) -> dict[int, str]:
    notes: dict[int, str] = {}
    holders = (
        [n for n in table.walk() if n.tag == "TNOTE"]
        if layout == "gpo"
        else [
            td for tfoot in table.children("TFOOT") for tr in tfoot.children("TR") for td in tr.children("TD")
        ]
    )
    for holder in holders:
        marks = holder.markers()
        if marks and marks[0].isdigit():
            notes[int(marks[0])] = holder.text(skip_markers=True)
    return notes


def _rows(table: _Node, layout: str) -> tuple[list[str], list[_Node]]:
    if layout == "gpo":
        heads = [n.text() for n in table.walk() if n.tag == "CHED"]
        rows = [n for n in table.walk() if n.tag == "ROW"]
    else:
        heads = [n.text() for head in table.children("THEAD") for n in head.walk() if n.tag == "TH"]
        rows = [tr for body in table.children("TBODY") for tr in body.children("TR")]
    columns = [h for h in heads if re.fullmatch(r"[A-Z]{2} \d", h)]
    return columns, rows


def parse_country_chart_xml(path: Path, date: str = "") -> SourceTable:
    """Parse Supplement No. 1 to Part 738 (eCFR versioner or GPO XML) into the long-form chart."""
    path = Path(path)
    file = path.name
    root = _parse_xml(path)
    table, layout = _grid(root, file)
    columns, rows = _rows(table, layout)
    if [c.replace(" ", "") for c in columns] != list(CHART_COLUMNS):
        raise DataError(
            f"chart columns {columns} are not the 16 known columns in order", file=file, line=table.line
        )
    notes = _footnotes(table, layout)
    cell_tag = "ENT" if layout == "gpo" else "TD"
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in rows:
        cells = row.children(cell_tag)
        if not cells:
            continue
        name = cells[0].text(skip_markers=True)
        if not name:
            raise DataError("row without a destination name", file=file, line=row.line, field="Countries")
        try:
            code = resolve_country(name, field="Countries").code
        except InputError as err:
            raise DataError(
                err.message, file=file, line=row.line, field="Countries", suggestions=err.suggestions
            ) from None
        if code in seen:
            raise DataError(f"{name} has two rows", file=file, line=row.line, field="Countries")
        seen.add(code)
        foot: list[int] = []
        for marker in cells[0].markers():
            if not marker.isdigit() or int(marker) not in notes:
                raise DataError(
                    f"footnote {marker[:10]!r} is not in the table's notes",
                    file=file,
                    line=row.line,
                    field=name,
                )
            foot.append(int(marker))
        base = {
            "country": code,
            "country_name": name,
            "footnotes": foot,
            "footnote_texts": [notes[n] for n in foot],
            "inherited_from": None,
            "basis": None,
            "src_file": file,
            "src_line": row.line,
        }
        if len(cells) == 2:
            pointer = cells[1].text()
            if not pointer:
                raise DataError(
                    "a two-cell row must point elsewhere (embargo row)", file=file, line=row.line, field=name
                )
            records += [
                {**base, "column": c, "mark": None, "embargoed": True, "pointer": pointer}
                for c in CHART_COLUMNS
            ]
            continue
        if len(cells) != len(CHART_COLUMNS) + 1:
            raise DataError(
                f"expected {len(CHART_COLUMNS) + 1} cells, got {len(cells)}",
                file=file,
                line=row.line,
                field=name,
            )
        for column, cell in zip(CHART_COLUMNS, cells[1:], strict=True):
            value = cell.text().upper()
            if value not in ("", "X"):
                raise DataError(
                    f"cell is {value[:20]!r}, expected X or empty",
                    file=file,
                    line=cell.line,
                    field=f"{name}.{column}",
                )
            records.append(
                {**base, "column": column, "mark": value == "X", "embargoed": False, "pointer": None}
            )
    if not records:
        raise DataError("no destination rows", file=file, line=table.line)
    return SourceTable(
        name="country_chart",
        title="Commerce Country Chart",
        format=FORMAT,
        date=_date(date, path),
        records=pl.DataFrame(records, schema=CHART_SCHEMA),
        files=(file,),
        attribution=attribution(path) or _ATTRIBUTION,
    )


def _date(date: str, path: Path) -> str:
    """The eCFR issue date: given, else the YYYY-MM-DD in the file name (the API's URL carries it)."""
    if not date:
        found = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
        if found is None:
            raise DataError("no data date: pass date= (the eCFR issue date)", file=path.name, field="date")
        date = found.group(1)
    try:
        return parse_date(date, field="date").isoformat()
    except InputError as err:
        raise DataError(err.message, file=path.name, field="date") from None
