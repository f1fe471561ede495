"""What every parser returns: one typed table of records with where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class SourceTable:
    """The records parsed from one official source file (or set of files).

    `name` is the stable key used by the store and the engines ('csl', 'ofac_sdn', 'ccl', 'country_chart',
    'country_groups', 'hts', 'cn_parties' ...); `title` is the official name shown to people
    ("Consolidated Screening List", "Commerce Control List" ...). Every row of `records` keeps
    `src_file` and `src_line` columns so that a record can name where it came from.
    """

    name: str
    title: str
    format: str  # e.g. 'csl-compact-json', 'ofac-legacy-csv', 'ecfr-derived-json', 'usitc-hts-json'
    date: str  # the data date, ISO YYYY-MM-DD
    records: pl.DataFrame
    files: tuple[str, ...] = ()
    skipped: int = 0  # rows skipped by a documented rule, shown by `data status`
    skip_reasons: dict[str, int] = field(default_factory=dict)
    attribution: str = ""  # licence and origin, kept wherever the data ships

    @property
    def rows(self) -> int:
        """Number of records."""
        return self.records.height
