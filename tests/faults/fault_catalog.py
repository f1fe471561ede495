"""The injected file faults (issue #16 part 7): each one damages one table of the bundled pack, or one
official-format file, the way an unlucky operator or an attacker could, and stays well-formed."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from exportctl.sources.base import SourceTable

Mutation = Callable[[pl.DataFrame], pl.DataFrame]


@dataclass(frozen=True)
class Fault:
    """One fault: its id, the table it damages and how."""

    id: str
    table: str
    mutate: Mutation
    date: str | None = None  # a data date that replaces the table's


def apply(fault: Fault, clean: SourceTable) -> SourceTable:
    """The damaged table."""
    return dataclasses.replace(clean, records=fault.mutate(clean.records), date=fault.date or clean.date)


def _mojibake(col: str, every: int = 1) -> Mutation:
    def go(df: pl.DataFrame) -> pl.DataFrame:
        fix = pl.col(col).map_elements(
            lambda v: (v + " café ünd ß").encode("utf-8").decode("latin-1"), return_dtype=pl.String
        )
        idx = pl.int_range(pl.len()) % every == 0
        return df.with_columns(pl.when(idx).then(fix).otherwise(pl.col(col)).alias(col))

    return go


def _repeat(head: int, times: int) -> Mutation:
    return lambda df: pl.concat([df, *[df.head(head)] * times])


def _half(df: pl.DataFrame) -> pl.DataFrame:
    return df.head(df.height // 2)


def _drop_controls(eccn: str, reason: str) -> Mutation:
    def go(df: pl.DataFrame) -> pl.DataFrame:
        hit = pl.col("eccn") == eccn
        keep = pl.col("controls").list.eval(
            pl.element().filter(pl.element().struct.field("reason") != reason)
        )
        return df.with_columns(
            controls=pl.when(hit).then(keep).otherwise(pl.col("controls")),
            reasons=pl.when(hit)
            .then(pl.col("reasons").list.eval(pl.element().filter(pl.element() != reason)))
            .otherwise(pl.col("reasons")),
        )

    return go


def _blank_controls(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(controls=pl.col("controls").list.head(0), reasons=pl.col("reasons").list.head(0))


def _shift_columns(df: pl.DataFrame) -> pl.DataFrame:
    shifted = pl.col("controls").list.eval(
        pl.element().struct.with_fields(
            pl.field("column").str.replace("NS1", "NS2").str.replace("RS1", "RS2")
        )
    )
    return df.with_columns(controls=shifted)


def _rename(col: str, old: str, new: str) -> Mutation:
    return lambda df: df.with_columns(
        pl.when(pl.col(col) == old).then(pl.lit(new)).otherwise(pl.col(col)).alias(col)
    )


def _without(col: str, values: list[str]) -> Mutation:
    return lambda df: df.filter(~pl.col(col).is_in(values))


def _marks_off(countries: list[str] | None) -> Mutation:
    def go(df: pl.DataFrame) -> pl.DataFrame:
        where = pl.col("country").is_in(countries) if countries else pl.lit(True)
        return df.with_columns(mark=pl.when(where).then(pl.lit(False)).otherwise(pl.col("mark")))

    return go


def _swap(a: str, b: str) -> Mutation:
    return lambda df: df.with_columns(pl.col(a).alias(b), pl.col(b).alias(a))


def _names_containing(col: str, text: str) -> Mutation:
    return lambda df: df.filter(~pl.col(col).str.to_lowercase().str.contains(text))


def _blank_rates(chapter: str | None) -> Mutation:
    def go(df: pl.DataFrame) -> pl.DataFrame:
        where = (pl.col("chapter") == chapter) if chapter else pl.lit(True)
        cols = ("general", "general_kind")
        return df.with_columns(
            [pl.when(where).then(pl.lit(None, dtype=pl.String)).otherwise(pl.col(c)).alias(c) for c in cols]
            + [
                pl.when(where)
                .then(pl.lit(None, dtype=pl.Float64))
                .otherwise(pl.col("general_ad_valorem_pct"))
                .alias("general_ad_valorem_pct")
            ]
        )

    return go


def _halve_rates(chapter: str) -> Mutation:
    return lambda df: df.with_columns(
        general_ad_valorem_pct=pl.when(pl.col("chapter") == chapter)
        .then(pl.col("general_ad_valorem_pct") / 2)
        .otherwise(pl.col("general_ad_valorem_pct"))
    )


def _later(col: str, years: int) -> Mutation:
    def go(df: pl.DataFrame) -> pl.DataFrame:
        if df.schema[col] == pl.Date:
            return df.with_columns(pl.col(col).dt.offset_by(f"{years}y"))
        shifted = pl.col(col).str.to_date(strict=False).dt.offset_by(f"{years}y").cast(pl.String)
        return df.with_columns(shifted.alias(col))

    return go


def _blank(col: str, n: int) -> Mutation:
    return lambda df: df.with_columns(
        pl.when(pl.int_range(pl.len()) < n).then(pl.lit("")).otherwise(pl.col(col)).alias(col)
    )


def _lower(col: str) -> Mutation:
    return lambda df: df.with_columns(pl.col(col).str.to_lowercase())


def _set(col: str, value: object) -> Mutation:
    return lambda df: df.with_columns(pl.lit(value).alias(col))


def _sort_shuffle(df: pl.DataFrame) -> pl.DataFrame:
    return df.reverse()


FAULTS: tuple[Fault, ...] = (
    # the Commerce Control List
    Fault("ccl: RS controls of 3A090 stripped", "ccl", _drop_controls("3A090", "RS")),
    Fault("ccl: NS controls of 3B001 stripped", "ccl", _drop_controls("3B001", "NS")),
    Fault("ccl: NS controls of 1C010 stripped", "ccl", _drop_controls("1C010", "NS")),
    Fault("ccl: every control blanked", "ccl", _blank_controls),
    Fault("ccl: 3A090 renamed 3A09O", "ccl", _rename("eccn", "3A090", "3A09O")),
    Fault("ccl: 1C010 removed", "ccl", _without("eccn", ["1C010"])),
    Fault("ccl: one entry duplicated x1000", "ccl", _repeat(1, 1000)),
    Fault("ccl: truncated to half", "ccl", _half),
    Fault("ccl: NS1/RS1 columns shifted to NS2/RS2", "ccl", _shift_columns),
    Fault("ccl: headings mis-decoded (mojibake)", "ccl", _mojibake("heading")),
    Fault("ccl: ECCNs lower-cased", "ccl", _lower("eccn")),
    Fault("ccl: data date a year older", "ccl", lambda df: df, date="2025-07-23"),
    # the Commerce Country Chart
    Fault("chart: every mark removed", "country_chart", _marks_off(None)),
    Fault("chart: China's marks removed", "country_chart", _marks_off(["CN"])),
    Fault("chart: China's rows removed", "country_chart", _without("country", ["CN"])),
    Fault("chart: country code CN changed to CH", "country_chart", _rename("country", "CN", "CH")),
    Fault("chart: country code CN changed to ZZ", "country_chart", _rename("country", "CN", "ZZ")),
    Fault("chart: columns NS1 and NS2 swapped", "country_chart", _rename("column", "NS1", "NS2")),
    Fault(
        "chart: embargo flags cleared", "country_chart", lambda df: df.with_columns(embargoed=pl.lit(False))
    ),
    Fault("chart: rows duplicated x1000", "country_chart", _repeat(5, 1000)),
    Fault("chart: truncated to half", "country_chart", _half),
    Fault("chart: rows in reverse order", "country_chart", _sort_shuffle),
    # the Country Groups
    Fault("groups: China and Macau removed", "country_groups", _without("country", ["CN", "MO"])),
    Fault("groups: D:5 emptied", "country_groups", _without("group", ["D:5"])),
    Fault("groups: D:5 renamed D5", "country_groups", _rename("group", "D:5", "D5")),
    Fault("groups: country codes lower-cased", "country_groups", _lower("country")),
    Fault("groups: rows duplicated x1000", "country_groups", _repeat(3, 1000)),
    Fault("groups: names mis-decoded (mojibake)", "country_groups", _mojibake("country_name")),
    # party lists
    Fault("entity list: Huawei removed", "bis_entity_list", _names_containing("name", "huawei")),
    Fault("entity list: entries duplicated x1000", "bis_entity_list", _repeat(3, 1000)),
    Fault("entity list: names mis-decoded", "bis_entity_list", _mojibake("name", 50)),
    Fault("entity list: truncated to half", "bis_entity_list", _half),
    Fault("CSL: Huawei removed", "csl", _names_containing("name", "huawei")),
    Fault("CSL: entries duplicated x1000", "csl", _repeat(2, 1000)),
    Fault("CSL: 20 names blanked", "csl", _blank("name", 20)),
    Fault("CSL: names mis-decoded", "csl", _mojibake("name", 100)),
    Fault("CSL: truncated to half", "csl", _half),
    Fault("CSL: data date older than the active", "csl", lambda df: df, date="2025-01-01"),
    Fault("SDN: entries duplicated x1000", "ofac_sdn", _repeat(1, 1000)),
    Fault("SDN: names mis-decoded (UTF-8 as Latin-1)", "ofac_sdn", _mojibake("name", 100)),
    Fault("SDN: truncated to half", "ofac_sdn", _half),
    Fault("SDN dates: first seen shifted 5 years later", "ofac_sdn_dates", _later("seen_on", 5)),
    Fault("PRC lists: listing dates shifted 10 years later", "cn_parties", _later("date_added", 10)),
    Fault("PRC lists: entries duplicated x1000", "cn_parties", _repeat(2, 1000)),
    Fault("PRC dual-use HS: dates shifted 5 years later", "cn_dual_use_hs", _later("effective_from", 5)),
    Fault("MEU list: truncated to half", "bis_meu", _half),
    Fault("DPL: entries duplicated x1000", "bis_dpl", _repeat(1, 1000)),
    # the Harmonized Tariff Schedule
    Fault("HTS: every general rate blanked", "hts", _blank_rates(None)),
    Fault("HTS: chapter 99 rates blanked", "hts", _blank_rates("99")),
    Fault("HTS: chapter 61 rates blanked", "hts", _blank_rates("61")),
    Fault("HTS: chapter 61 rates halved", "hts", _halve_rates("61")),
    Fault("HTS: lines duplicated x1000", "hts", _repeat(3, 1000)),
    Fault("HTS: truncated to half", "hts", _half),
    Fault("HTS: descriptions mis-decoded", "hts", _mojibake("description", 20)),
    Fault("HTS: general and special columns swapped", "hts", _swap("general", "special")),
    # licence exceptions
    Fault("licence exceptions: truncated to half", "license_exceptions", _half),
    Fault("licence exceptions: rows duplicated x1000", "license_exceptions", _repeat(1, 1000)),
)


# -- faults in the official-format files themselves, read through the real parsers -------------------

Damage = Callable[[bytes], bytes]


@dataclass(frozen=True)
class FileFault:
    """A fault in one official file of a snapshot folder (under shared/data): the table it feeds, the
    file damaged and how, and (`meant`) the bytes the damaged file stands for, when it can be read right:
    accepted, the stored table must equal the parse of those."""

    id: str
    table: str
    snapshot: str
    file: str
    damage: Damage
    meant: Damage | None = None


# Spanish names as their owners write them: the SDN spells them in ASCII; a re-publisher that restores
# the accents gives a file with non-ASCII names, the case where an encoding matters.
ACCENTS = {
    "JOSE": "JOSÉ",
    "MARIA": "MARÍA",
    "GONZALEZ": "GONZÁLEZ",
    "RODRIGUEZ": "RODRÍGUEZ",
    "HERNANDEZ": "HERNÁNDEZ",
    "PEREZ": "PÉREZ",
    "GARCIA": "GARCÍA",
    "MUNOZ": "MUÑOZ",
}
_ACCENT_WORDS = re.compile(r"\b(" + "|".join(ACCENTS) + r")\b")


def _accented(data: bytes) -> bytes:
    """The file with its names accented, in UTF-8 (what the faults below stand for)."""
    return _ACCENT_WORDS.sub(lambda m: ACCENTS[m.group(1)], data.decode("utf-8")).encode("utf-8")


def _latin1(data: bytes) -> bytes:
    return _accented(data).decode("utf-8").encode("latin-1")


def _cp1252(data: bytes) -> bytes:
    return _accented(data).decode("utf-8").encode("cp1252")


def _twice_utf8(data: bytes) -> bytes:
    return _accented(data).decode("utf-8").encode("utf-8").decode("latin-1").encode("utf-8")


def _swap_csv_columns(a: int, b: int) -> Damage:
    def go(data: bytes) -> bytes:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        for row in rows:
            if len(row) > max(a, b):
                row[a], row[b] = row[b], row[a]
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("utf-8")

    return go


BLANKED_LINE = "6110.20.20"  # cotton sweaters, 16.5% general; not a canary line


def _blank_one_rate(data: bytes) -> bytes:
    lines = json.loads(data)
    hit = [line for line in lines if line.get("htsno") == BLANKED_LINE]
    assert len(hit) == 1 and hit[0]["general"], "the chapter file no longer has the line"
    hit[0]["general"] = ""
    return json.dumps(lines).encode("utf-8")


SDN = "ofac-sdn-2024-05-03"
FILE_FAULTS: tuple[FileFault, ...] = (
    FileFault("sdn.csv: written in Latin-1 (accented names)", "ofac_sdn", SDN, "sdn.csv", _latin1, _accented),
    FileFault("sdn.csv: written in cp1252 (accented names)", "ofac_sdn", SDN, "sdn.csv", _cp1252, _accented),
    FileFault("sdn.csv: UTF-8 encoded twice (mojibake)", "ofac_sdn", SDN, "sdn.csv", _twice_utf8),
    FileFault("sdn.csv: name and type columns swapped", "ofac_sdn", SDN, "sdn.csv", _swap_csv_columns(1, 2)),
    FileFault(
        "sdn.csv: ent_num and name columns swapped", "ofac_sdn", SDN, "sdn.csv", _swap_csv_columns(0, 1)
    ),
    FileFault(
        "sdn.csv: program and remarks columns swapped", "ofac_sdn", SDN, "sdn.csv", _swap_csv_columns(3, 11)
    ),
    FileFault(
        f"HTS 61.json: general rate of {BLANKED_LINE} blanked",
        "hts",
        "hts-2025-json",
        "61.json",
        _blank_one_rate,
    ),
)
