"""Column layouts of the EAR tables parsed from the eCFR (derived JSON and versioner XML alike).

One schema per table: the CCL, the Country Chart, the Country Groups and the License Exception catalog.
docs/tables.md describes each column.
"""

from __future__ import annotations

from typing import Any

import polars as pl

__all__ = [
    "CCL_SCHEMA",
    "CHART_SCHEMA",
    "CONTROL",
    "EXCEPTION",
    "EXCEPTIONS_SCHEMA",
    "GROUPS_SCHEMA",
    "LIST_STR",
]

LIST_STR = pl.List(pl.String)
CONTROL = pl.Struct(
    {
        "reason": pl.String,
        "column": pl.String,
        "applies_to": pl.String,
        "chart_text": pl.String,
        "scope": pl.String,
        "paragraphs": LIST_STR,
        "destinations": pl.String,
        "countries": LIST_STR,
        "groups": LIST_STR,
        "except_countries": LIST_STR,
        "except_groups": LIST_STR,
    }
)
EXCEPTION = pl.Struct({"symbol": pl.String, "status": pl.String, "text": pl.String})
CCL_SCHEMA: dict[str, Any] = {
    "eccn": pl.String,
    "category": pl.String,
    "product_group": pl.String,
    "heading": pl.String,
    "reasons_text": pl.String,
    "reasons": LIST_STR,
    "controls": pl.List(CONTROL),
    "lvs_text": pl.String,
    "lvs_usd": pl.Int64,
    "lvs_conditional": pl.Boolean,
    "gbs": pl.String,
    "exceptions": pl.List(EXCEPTION),
    "sta_conditions": pl.String,
    "related_controls": pl.String,
    "deep": pl.Boolean,
    "paragraphs": LIST_STR,
    "src_file": pl.String,
    "src_line": pl.Int64,
}
CHART_SCHEMA: dict[str, Any] = {
    "country": pl.String,
    "country_name": pl.String,
    "column": pl.String,
    "mark": pl.Boolean,
    "footnotes": pl.List(pl.Int64),
    "footnote_texts": LIST_STR,
    "embargoed": pl.Boolean,
    "pointer": pl.String,
    "inherited_from": pl.String,
    "basis": pl.String,
    "src_file": pl.String,
    "src_line": pl.Int64,
}
GROUPS_SCHEMA: dict[str, Any] = {
    "group": pl.String,
    "group_label": pl.String,
    "country": pl.String,
    "country_name": pl.String,
    "src_file": pl.String,
    "src_line": pl.Int64,
}
EXCEPTIONS_SCHEMA: dict[str, Any] = {
    "symbol": pl.String,
    "section": pl.String,
    "citation": pl.String,
    "title": pl.String,
    "src_file": pl.String,
    "src_line": pl.Int64,
}
