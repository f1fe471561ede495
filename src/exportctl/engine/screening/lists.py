"""One list table from the dataset's party lists (csl, ofac_sdn, ofac_cons, cn_parties) and user lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError

LIST_TABLES = ("csl", "ofac_sdn", "ofac_cons", "cn_parties")

LIST_SCHEMA: dict[str, Any] = {
    "list": pl.Utf8,
    "list_name": pl.Utf8,
    "entity_id": pl.Utf8,
    "name": pl.Utf8,
    "aliases": pl.List(pl.Utf8),
    "type": pl.Utf8,
    "countries": pl.List(pl.Utf8),
    "license_requirement": pl.Utf8,
    "license_policy": pl.Utf8,
    "federal_register_notice": pl.Utf8,
    "programs": pl.List(pl.Utf8),
    "source_url": pl.Utf8,
    "dates_of_birth": pl.List(pl.Utf8),
    "nationalities": pl.List(pl.Utf8),
    "ids": pl.List(pl.Utf8),
}

# Column names other parsers may use for the same thing.
_SYNONYMS = {
    "list": ("list", "list_id"),
    "name": ("name", "entity_name", "sdn_name"),
    "entity_id": ("entity_id", "id", "ent_num", "uid"),
    "type": ("type", "entity_type", "sdn_type"),
    "countries": ("countries", "country"),
    "programs": ("programs", "program"),
    "list_name": ("list_name", "source_list_name"),
}


def _pick(df: pl.DataFrame, col: str) -> str | None:
    for cand in _SYNONYMS.get(col, (col,)):
        if cand in df.columns:
            return cand
    return None


def conform(df: pl.DataFrame, default_list: str) -> pl.DataFrame:
    """Bring one party table to LIST_SCHEMA (missing columns become null, scalars become lists)."""
    exprs = []
    for col, dtype in LIST_SCHEMA.items():
        src = _pick(df, col)
        if col == "list" and src is None:
            exprs.append(pl.lit(default_list).alias(col))
            continue
        if src is None:
            exprs.append(pl.lit(None, dtype=dtype).alias(col))
            continue
        expr = pl.col(src)
        if isinstance(dtype, pl.List) and df.schema[src] == pl.Utf8:
            expr = (
                expr.str.split(";")
                .list.eval(pl.element().str.strip_chars())
                .list.eval(pl.element().filter(pl.element() != ""))
            )
        exprs.append(expr.cast(dtype).alias(col))
    return df.select(exprs)


def list_table(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Concatenate the party tables (keyed by table name) into one list table."""
    frames = [conform(df, name) for name, df in tables.items() if df.height]
    if not frames:
        return pl.DataFrame(schema=LIST_SCHEMA)
    return share_evidence(pl.concat(frames, how="vertical"))


OFAC_TABLES = ("ofac_sdn", "ofac_cons")
_EVIDENCE = ("dates_of_birth", "nationalities", "ids")


def share_evidence(lists: pl.DataFrame) -> pl.DataFrame:
    """Give the CSL's Treasury entries the evidence of the OFAC entry with the same number where they have
    none (the CSL file we ship carries no dates of birth or ids; OFAC's remarks do)."""
    ofac = pl.col("list").is_in(list(OFAC_TABLES))
    treasury = pl.col("list_name").fill_null("").str.contains("Treasury")
    empty = pl.all_horizontal([pl.col(c).list.len().fill_null(0) == 0 for c in _EVIDENCE])
    donors = (
        lists.filter(ofac & ~empty)
        .select("entity_id", *[pl.col(c).alias(f"_{c}") for c in _EVIDENCE], pl.col("list").alias("_from"))
        .unique("entity_id", keep="first", maintain_order=True)
    )
    if donors.height == 0:
        return lists
    take = treasury & empty & pl.col("_from").is_not_null()
    out = lists.join(donors, on="entity_id", how="left", maintain_order="left")
    return out.with_columns(
        *[pl.when(take).then(pl.col(f"_{c}")).otherwise(pl.col(c)).alias(c) for c in _EVIDENCE],
    ).drop([f"_{c}" for c in _EVIDENCE] + ["_from"])


REQUIRED = ("id", "name")


def read_list_file(path: Path | str) -> pl.DataFrame:
    """A user's list (CSV: id,name,aliases,country,type; aliases separated by ';') as a list table."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError("list file not found", file=str(p)) from None
    except UnicodeDecodeError as err:
        line = p.read_bytes()[: err.start].count(b"\n") + 1
        raise DataError("list file is not valid UTF-8", file=str(p), line=line) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    for col in REQUIRED:
        if col not in header:
            raise DataError(
                f"list file lacks the {col!r} column (need id,name[,aliases,country,type])",
                file=str(p),
                field=col,
            )
    rows: list[dict[str, Any]] = []
    for line_no, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not row.get("name"):
            raise DataError("empty name", file=str(p), line=line_no, field="name")
        if not row.get("id"):
            raise DataError("empty id", file=str(p), line=line_no, field="id")
        rows.append(
            {
                "list": p.stem,
                "list_name": f"user list {p.name}",
                "entity_id": row["id"],
                "name": row["name"],
                "aliases": [a.strip() for a in row.get("aliases", "").split(";") if a.strip()],
                "type": row.get("type") or None,
                "countries": [c.strip().upper() for c in row.get("country", "").split(";") if c.strip()],
                "license_requirement": None,
                "license_policy": None,
                "federal_register_notice": None,
                "programs": [],
                "source_url": None,
            }
        )
    if not rows:
        raise DataError("list file has no rows", file=str(p))
    return pl.DataFrame(rows, schema=LIST_SCHEMA)
