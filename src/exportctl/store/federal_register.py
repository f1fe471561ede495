"""Federal Register documents of the Bureau of Industry and Security (federalregister.gov API v1 JSON).

Kept beside `sync` because only sync fetches this source: the API's `documents.json` search answer
(pages of `results`, concatenated by sync into one file) becomes the table `fr_bis`, one row per
document. `src_line` is the 1-based position of the document in the concatenated `results`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError
from exportctl.sources.base import SourceTable

__all__ = ["FIELDS", "NAME", "TITLE", "parse_fr_documents"]

NAME = "fr_bis"
TITLE = "Federal Register documents of the Bureau of Industry and Security"
FORMAT = "federalregister-api-json"
ATTRIBUTION = "Federal Register (federalregister.gov API), a US Government work in the public domain"

# The fields sync asks the API for (fields[]=...), all kept as text.
FIELDS = (
    "document_number",
    "type",
    "title",
    "action",
    "publication_date",
    "effective_on",
    "citation",
    "html_url",
    "pdf_url",
)
REQUIRED = ("document_number", "type", "title", "publication_date")


def parse_fr_documents(path: str | Path) -> SourceTable:
    """Parse a documents.json answer ({"results": [...]}) into the `fr_bis` table."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"not a Federal Register API JSON file: {exc}", file=str(path)) from None
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, list):
        raise DataError("expected an object with a 'results' list", file=str(path), field="results")
    cols: dict[str, list[Any]] = {f: [] for f in (*FIELDS, "src_file", "src_line")}
    for line, item in enumerate(results, start=1):
        if not isinstance(item, dict):
            raise DataError("a result is not an object", file=str(path), line=line, field="results")
        for f in FIELDS:
            value = item.get(f)
            if value is not None and not isinstance(value, str):
                raise DataError(
                    f"expected text, got {type(value).__name__}", file=str(path), line=line, field=f
                )
            if f in REQUIRED and not value:
                raise DataError("missing", file=str(path), line=line, field=f)
            cols[f].append(value)
        cols["src_file"].append(path.name)
        cols["src_line"].append(line)
    if not results:
        raise DataError("no documents", file=str(path), field="results")
    records = pl.DataFrame(
        cols, schema={**dict.fromkeys(FIELDS, pl.String), "src_file": pl.String, "src_line": pl.Int64}
    )
    return SourceTable(
        name=NAME,
        title=TITLE,
        format=FORMAT,
        date=max(str(d) for d in cols["publication_date"]),
        records=records,
        files=(path.name,),
        attribution=ATTRIBUTION,
    )
