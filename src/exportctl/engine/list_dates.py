"""From when each party-list entry applies: dates from the Federal Register notices its row cites, and from
the dated snapshots of the SDN list.

Every entry gets `listed_from` and `listed_by`: before `listed_from` the entry did not apply; from
`listed_by` on it surely did; in between the data cannot tell (the engines answer `hold`). A null
`listed_from` means no lower bound is known. The `listed_basis` says in words where the dates come from.

- BIS lists (Entity List, MEU, Unverified List, DPL, and any list row citing the Federal Register): the
  first notice cited is the listing. A rule of known effective date (notices.yaml) fixes both dates. Else
  the notice's publication date (from a date written beside it, or from the page table) bounds them: the
  entry surely applies from publication, and may have applied up to `window_days` earlier.
- SDN: `absent_on` < designation <= `seen_on` (table ofac_sdn_dates).
- Rows with neither: listed by the snapshot date of the list, date unknown before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from exportctl.sources.fr_pages import (
    Notices,
    PageDates,
    parse_citations,
    parse_dated_citations,
    parse_issue_date,
)

__all__ = ["DATE_COLUMNS", "date_entries", "notice_dates"]

DATE_COLUMNS = ("listed_from", "listed_by", "listed_basis")
_SCHEMA: dict[str, Any] = {
    "list": pl.Utf8,
    "entity_id": pl.Utf8,
    "listed_from": pl.Date,
    "listed_by": pl.Date,
    "listed_basis": pl.Utf8,
}


def notice_dates(
    notice: str | None, notices: Notices, pages: PageDates
) -> tuple[dt.date | None, dt.date | None, str | None]:
    """(listed_from, listed_by, basis) of a notice field, or (None, None, None) when it cites nothing."""
    cites = parse_citations(notice)
    if not cites:
        issue = parse_issue_date(notice)
        if issue is None:
            return None, None, None
        day = issue[1]
        basis = (
            f"listed by the issue of {day} of volume {issue[0]} (no page cited); its effective date is "
            f"not in the data and may precede publication by up to {notices.window_days} days"
        )
        return day - dt.timedelta(days=notices.window_days), day, basis
    first = min(cites)
    where = f"{first.volume} FR {first.page}"
    rule = notices.rule_for(first, pages)
    if rule is not None:
        basis = (
            f"listed by {where}, a page of the rule {rule.citation()} published {rule.published}, "
            f"effective {rule.effective} ({rule.sources[0]})"
        )
        return rule.effective, rule.effective, basis
    written = [d for c, d in parse_dated_citations(notice) if c == first]
    if written:
        lo = hi = min(written)
        how = f"dated {lo} in the list"
    else:
        lo, hi = pages.bounds(first)
        how = (
            f"published {lo}"
            if lo == hi
            else f"published between {lo} and {hi} (Federal Register page table)"
        )
    basis = (
        f"listed by {where}, {how}; its effective date is not in the data and may precede publication "
        f"by up to {notices.window_days} days"
    )
    return lo - dt.timedelta(days=notices.window_days), hi, basis


def date_entries(
    lists: pl.DataFrame,
    notices: Notices,
    pages: PageDates,
    sdn_dates: pl.DataFrame | None,
    snapshot: dt.date,
) -> pl.DataFrame:
    """(list, entity_id, listed_from, listed_by, listed_basis) for every row of a list table."""
    if lists.height == 0:
        return pl.DataFrame(schema=_SCHEMA)
    notice = (
        lists["federal_register_notice"]
        if "federal_register_notice" in lists.columns
        else pl.Series([None] * lists.height, dtype=pl.Utf8)
    )
    memo: dict[str | None, tuple[dt.date | None, dt.date | None, str | None]] = {}
    for text in notice.unique().to_list():
        memo[text] = notice_dates(text, notices, pages)
    base = lists.select(pl.col("list").cast(pl.Utf8), pl.col("entity_id").cast(pl.Utf8), notice.alias("_n"))
    by_notice = pl.DataFrame(
        {
            "_n": list(memo),
            "_from": [v[0] for v in memo.values()],
            "_by": [v[1] for v in memo.values()],
            "_basis": [v[2] for v in memo.values()],
        },
        schema={"_n": pl.Utf8, "_from": pl.Date, "_by": pl.Date, "_basis": pl.Utf8},
    )
    out = base.join(by_notice, on="_n", how="left", nulls_equal=True)
    if sdn_dates is not None and sdn_dates.height:
        sdn = sdn_dates.select(
            pl.lit("SDN").alias("list"),
            pl.col("entity_id").cast(pl.Utf8),
            (pl.col("absent_on") + pl.duration(days=1)).alias("_s_from"),
            pl.col("seen_on").alias("_s_by"),
            pl.when(pl.col("absent_on").is_not_null())
            .then(
                pl.concat_str(
                    [
                        pl.lit("not on the SDN list of "),
                        pl.col("absent_on").cast(pl.Utf8),
                        pl.lit(", on that of "),
                        pl.col("seen_on").cast(pl.Utf8),
                        pl.lit(": designated in between (no source states the day)"),
                    ]
                )
            )
            .otherwise(
                pl.concat_str(
                    [
                        pl.lit("on the SDN list of "),
                        pl.col("seen_on").cast(pl.Utf8),
                        pl.lit(", the oldest snapshot in the data: designated on or before that day"),
                    ]
                )
            )
            .alias("_s_basis"),
        ).unique(["list", "entity_id"])
        out = out.join(sdn, on=["list", "entity_id"], how="left").with_columns(
            pl.coalesce("_from", "_s_from").alias("_from"),
            pl.when(pl.col("_by").is_null()).then(pl.col("_s_by")).otherwise(pl.col("_by")).alias("_by"),
            pl.coalesce("_basis", "_s_basis").alias("_basis"),
        )
    unknown = pl.col("_by").is_null()
    return out.select(
        "list",
        "entity_id",
        pl.when(unknown).then(None).otherwise(pl.col("_from")).cast(pl.Date).alias("listed_from"),
        pl.when(unknown).then(pl.lit(snapshot)).otherwise(pl.col("_by")).cast(pl.Date).alias("listed_by"),
        pl.when(unknown)
        .then(pl.lit(f"no listing date in the data; on the list of {snapshot}"))
        .otherwise(pl.col("_basis"))
        .alias("listed_basis"),
    ).unique(["list", "entity_id"], keep="first", maintain_order=True)
