"""PRC export-control party lists and the HS codes of the dual-use export licence catalogue (derived JSON).

Party lists (china-2026-07/cn_entity_lists.json): a JSON array of {id, list_id, source_list_name,
entity_name, aliases, country, entity_type, addresses, date_added, reason, source_url, last_verified}.
The source's `country` is the listing jurisdiction ("cn" on every row), not the party's own country:
it is kept as `jurisdiction` and `country` is null (the source does not give it; we do not guess).
`reason` is in Japanese in this source. Ids repeat in the source (two different parties under
"cn-uel-20240520-1"): repeats within a list get "-2", "-3" ... in file order.

Dual-use HS codes (dual_use_hs_codes_2026.json): {"metadata": {...}, "codes": ["1211500011", ...]}, the ten-
digit reference customs codes of the export part of the 2026 catalogue (MOFCOM/GAC Announcement 2025 No. 91,
effective 2026-01-01). Codes only: no control codes or item descriptions are in the source.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from exportctl.errors import DataError
from exportctl.sources._party import (
    LIST_STR,
    Fields,
    attribution_for,
    frame,
    load_json,
    require_rows,
    stable_id,
    unique_ids,
)
from exportctl.sources.base import SourceTable
from exportctl.sources.bis_lists import iso_date

CN_PARTIES_SCHEMA: dict[str, Any] = {
    "list_id": pl.String,
    "list_name": pl.String,
    "entity_id": pl.String,
    "name": pl.String,
    "aliases": LIST_STR,
    "country": pl.String,
    "jurisdiction": pl.String,
    "type": pl.String,
    "addresses": LIST_STR,
    "date_added": pl.String,
    "reason": pl.String,
    "source_url": pl.String,
    "last_verified": pl.String,
    "src_file": pl.String,
    "src_line": pl.Int64,
}

CN_HS_SCHEMA: dict[str, Any] = {
    "hs_code": pl.String,
    "hs6": pl.String,
    "chapter": pl.String,
    "effective_from": pl.String,
    "announcement": pl.String,
    "source_url": pl.String,
    "src_file": pl.String,
    "src_line": pl.Int64,
}

_HS10 = re.compile(r"^\d{10}$")


def _party_records(path: Path) -> list[Any]:
    """The JSON array of parties of one file (a bare array, or {"entities": [...]})."""
    doc = load_json(path)
    if isinstance(doc, dict) and isinstance(doc.get("entities"), list):
        doc = doc["entities"]
    if not isinstance(doc, list):
        raise DataError("not a PRC party list file: expected a JSON array of parties", file=str(path))
    return doc


def parse_cn_parties(path: Path | str, *additions: Path | str) -> SourceTable:
    """Parse the PRC party lists (export control control list, unreliable entity list, attention list);
    `additions` are later delta files of the same layout (e.g. china-2026-08's additions of 2026-07-24),
    appended after the base file's rows."""
    path = Path(path)
    files = [path, *(Path(a) for a in additions)]
    cols: dict[str, list[Any]] = {k: [] for k in CN_PARTIES_SCHEMA}
    rows = [(f, i, raw) for f in files for i, raw in enumerate(_party_records(f), start=1)]
    for src, i, raw in rows:
        rec = Fields(raw, src, i, "party")
        list_id = rec.text("list_id", required=True)
        name = rec.text("entity_name", required=True, field="entity_name")
        jurisdiction = rec.text("country")
        values = {
            "list_id": list_id,
            "list_name": rec.text("source_list_name"),
            "entity_id": rec.text("id") or f"{list_id}-{stable_id(str(list_id), str(name))}",
            "name": name,
            "aliases": rec.texts("aliases"),
            "country": None,
            "jurisdiction": jurisdiction.upper() if jurisdiction else None,
            "type": rec.text("entity_type"),
            "addresses": rec.texts("addresses"),
            "date_added": iso_date(rec.text("date_added"), src, i, "date_added"),
            "reason": rec.text("reason"),
            "source_url": rec.text("source_url"),
            "last_verified": iso_date(rec.text("last_verified"), src, i, "last_verified"),
            "src_file": src.name,
            "src_line": i,
        }
        for key, col in cols.items():
            col.append(values[key])
    require_rows(len(cols["name"]), path, "parties")
    cols["entity_id"] = unique_ids(cols["entity_id"], cols["list_id"])
    verified = [d for d in cols["last_verified"] if d]
    added = [d for d in cols["date_added"] if d]
    if not (verified or added):
        raise DataError(
            "no last_verified or date_added date in any party: cannot date this file", file=str(path)
        )
    return SourceTable(
        name="cn_parties",
        title="PRC Export Control Party Lists",
        format="cn-parties-derived-json",
        date=max(verified or added),
        records=frame(cols, CN_PARTIES_SCHEMA),
        files=tuple(f.name for f in files),
        attribution=attribution_for(path),
    )


def parse_cn_dual_use_hs(path: Path | str) -> SourceTable:
    """Parse the ten-digit HS reference codes of the PRC dual-use export licence catalogue."""
    path = Path(path)
    doc = load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("codes"), list):
        raise DataError(
            "not a dual-use HS code file: expected an object with 'codes'", file=str(path), field="codes"
        )
    meta = Fields(doc.get("metadata") or {}, path, 1, "metadata")
    effective = iso_date(meta.text("effective_from", required=True), path, 1, "metadata.effective_from")
    assert effective is not None
    announcement = meta.text("source")
    url = meta.text("source_url")
    codes: list[str] = []
    seen: set[str] = set()
    for i, code in enumerate(doc["codes"], start=1):
        if not isinstance(code, str) or not _HS10.match(code.strip()):
            raise DataError(
                f"code {code!r} is not a ten-digit HS code", file=str(path), line=i, field="codes"
            )
        code = code.strip()
        if code in seen:
            raise DataError(f"code {code} is listed twice", file=str(path), line=i, field="codes")
        seen.add(code)
        codes.append(code)
    require_rows(len(codes), path, "HS codes")
    declared = doc["metadata"].get("code_count") if isinstance(doc.get("metadata"), dict) else None
    if isinstance(declared, int) and not isinstance(declared, bool) and declared != len(codes):
        raise DataError(
            f"metadata declares {declared} codes but the file holds {len(codes)} (truncated?)",
            file=str(path),
            field="metadata.code_count",
        )
    cols: dict[str, list[Any]] = {
        "hs_code": codes,
        "hs6": [c[:6] for c in codes],
        "chapter": [c[:2] for c in codes],
        "effective_from": [effective] * len(codes),
        "announcement": [announcement] * len(codes),
        "source_url": [url] * len(codes),
        "src_file": [path.name] * len(codes),
        "src_line": list(range(1, len(codes) + 1)),
    }
    return SourceTable(
        name="cn_dual_use_hs",
        title="PRC Dual-Use Items Export Licence Catalogue (HS codes)",
        format="cn-dual-use-hs-json",
        date=effective,
        records=frame(cols, CN_HS_SCHEMA),
        files=(path.name,),
        attribution=attribution_for(path),
    )
