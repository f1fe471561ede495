"""Every source exportctl can read: its name, title, parser, default snapshot and how to recognise its files.

`detect(path)` picks the one SourceSpec for a file or a folder (by file name, then by content); `detect_all`
lists every source inside a folder (ear-2026-07-23/ holds four); `parse_path` parses them all. Parsers are
imported only when called, so the catalog works while a parser module is missing or broken.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exportctl.errors import DataError
from exportctl.sources.base import SourceTable

__all__ = ["SOURCES", "SourceSpec", "by_name", "detect", "detect_all", "parse_path", "schema_of"]

_HEAD = 65536  # bytes read to recognise a file
_UNKNOWN = "not a format exportctl can import (no known source recognised)"


@dataclass(frozen=True)
class SourceSpec:
    """One source: `parser` reads `default_path` (relative to shared/data) or any file of its `formats`."""

    name: str
    title: str
    target: str  # "module:function" of the parser
    default_path: str
    formats: tuple[str, ...]
    schema_ref: str  # "module:ATTRIBUTE" of the column schema
    file_names: tuple[str, ...] = ()  # lower-case names that identify the file outright
    markers: tuple[str, ...] = ()  # substrings of the file's first bytes that identify it (all must appear)
    folder: bool = False  # the parser takes a folder (OFAC sets, HTS chapters)

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File name endings this source's files have (content markers are only tried on those)."""
        fmt = self.formats[0]
        if fmt.endswith("json"):
            return (".json",)
        if fmt.endswith("xml"):
            return (".xml",)
        return (".txt",) if fmt == "bis-dpl-txt" else (".csv",)

    @property
    def parser(self) -> Callable[..., SourceTable]:
        """The parser function (imported now)."""
        module_name, func_name = self.target.split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        if not callable(func):
            raise TypeError(f"{self.target} is not callable")
        return func  # type: ignore[no-any-return]

    @property
    def schema(self) -> Mapping[str, Any]:
        """The column layout of the table (name -> polars type)."""
        module_name, attr = self.schema_ref.split(":")
        value = getattr(importlib.import_module(module_name), attr)
        if not isinstance(value, Mapping):
            raise TypeError(f"{self.schema_ref} is not a mapping")
        return value

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns every table of this source must have."""
        return tuple(self.schema)

    def parse(self, path: Path | str, *, date: str | None = None) -> SourceTable:
        """Parse `path` with this source's parser (passing `date` to parsers that take one)."""
        func = self.parser
        if date and "date" in inspect.signature(func).parameters:
            return func(Path(path), date=date)
        return func(Path(path))


def _spec(
    name: str, title: str, target: str, default: str, formats: tuple[str, ...], schema: str, **kw: Any
) -> SourceSpec:
    return SourceSpec(name, title, target, default, formats, schema, **kw)


S = "exportctl.sources."
CSL = S + "csl:CSL_SCHEMA"
BIS = S + "bis_lists:BIS_SCHEMA"
SOURCES: tuple[SourceSpec, ...] = (
    _spec(
        "csl", "Consolidated Screening List", S + "csl:parse_csl_compact",
        "csl-2026-07-31/screening-list.json", ("csl-compact-json",), CSL, markers=('"entries"', '"fieldKey"'),
    ),
    _spec(
        "csl", "Consolidated Screening List", S + "csl:parse_csl_json", "", ("csl-bulk-json",), CSL,
        markers=('"results"',),
    ),
    _spec(
        "csl", "Consolidated Screening List", S + "csl:parse_csl_csv",
        "csl-official-samples/csl_2025_sample_consolidated.csv", ("csl-csv-2025", "csl-csv-2019"), CSL,
        markers=("source,", "name", "federal_register_notice"),
    ),
    _spec(
        "ofac_sdn", "OFAC SDN List", S + "ofac:parse_sdn", "ofac-sdn-2024-05-03", ("ofac-legacy-csv",),
        S + "ofac:OFAC_SCHEMA", file_names=("sdn.csv",), folder=True,
    ),
    _spec(
        "ofac_cons", "OFAC Consolidated (non-SDN) List", S + "ofac:parse_consolidated",
        "ofac-consolidated-2025-12", ("ofac-legacy-csv",), S + "ofac:OFAC_SCHEMA",
        file_names=("cons_prim.csv",), folder=True,
    ),
    _spec(
        "bis_dpl", "Denied Persons List", S + "dpl:parse_dpl_txt", "bis-dpl-official/dpl_2022.txt",
        ("bis-dpl-txt",), BIS, file_names=("dpl.txt",), markers=('"Name"\t"Street_Address"',),
    ),
    _spec(
        "bis_entity_list", "Entity List", S + "bis_lists:parse_entity_list",
        "bis-lists-2026-07/bis_entity_list.json", ("bis-derived-json",), BIS,
        file_names=("bis_entity_list.json",), markers=('"bis-entity-list"',),
    ),
    _spec(
        "bis_meu", "Military End-User List", S + "bis_lists:parse_meu", "bis-lists-2026-07/bis_meu.json",
        ("bis-derived-json",), BIS, file_names=("bis_meu.json",), markers=('"bis-meu"',),
    ),
    _spec(
        "bis_dpl", "Denied Persons List", S + "bis_lists:parse_bis_dpl_json",
        "bis-lists-2026-07/bis_dpl.json", ("bis-derived-json",), BIS, file_names=("bis_dpl.json",),
        markers=('"bis-dpl"',),
    ),
    _spec(
        "cn_parties", "PRC Export Control Party Lists", S + "china_lists:parse_cn_parties",
        "china-2026-07/cn_entity_lists.json", ("cn-parties-derived-json",),
        S + "china_lists:CN_PARTIES_SCHEMA", file_names=("cn_entity_lists.json",),
        markers=('"list_id"', '"cn-'),
    ),
    _spec(
        "cn_dual_use_hs", "PRC Dual-Use Items Export Licence Catalogue (HS codes)",
        S + "china_lists:parse_cn_dual_use_hs", "china-2026-07/dual_use_hs_codes_2026.json",
        ("cn-dual-use-hs-json",), S + "china_lists:CN_HS_SCHEMA", markers=('"codes"', '"code_count"'),
    ),
    _spec(
        "ccl", "Commerce Control List", S + "ecfr:parse_ccl", "ear-2026-07-23/ccl.json",
        ("ecfr-derived-json",), S + "ecfr:CCL_SCHEMA", file_names=("ccl.json",),
        markers=("Part 774, Supplement No. 1",),
    ),
    _spec(
        "country_chart", "Commerce Country Chart", S + "ecfr:parse_country_chart",
        "ear-2026-07-23/country-chart.json", ("ecfr-derived-json",), S + "ecfr:CHART_SCHEMA",
        file_names=("country-chart.json",), markers=("Part 738, Supplement No. 1",),
    ),
    _spec(
        "country_chart", "Commerce Country Chart", S + "ecfr_xml:parse_country_chart_xml", "",
        ("ecfr-versioner-xml",), S + "ecfr:CHART_SCHEMA",
    ),
    _spec(
        "country_groups", "Country Groups", S + "ecfr:parse_country_groups",
        "ear-2026-07-23/country-groups.json", ("ecfr-derived-json",), S + "ecfr:GROUPS_SCHEMA",
        file_names=("country-groups.json",), markers=("Part 740, Supplement No. 1",),
    ),
    _spec(
        "license_exceptions", "License Exception Catalog", S + "ecfr:parse_license_exceptions",
        "ear-2026-07-23/license-exception-catalog.json", ("ecfr-derived-json",), S + "ecfr:EXCEPTIONS_SCHEMA",
        file_names=("license-exception-catalog.json",), markers=("Part 740 (License Exceptions)",),
    ),
    _spec(
        "ofac_sdn_dates", "Designation-date bounds of SDN entries", S + "ofac_dates:parse_sdn_dates", ".",
        ("ofac-snapshot-presence",), S + "ofac_dates:SDN_DATES_SCHEMA", folder=True,
    ),
    _spec(
        "hts", "Harmonized Tariff Schedule", S + "hts:parse_hts_json", "hts-2025-json", ("usitc-hts-json",),
        S + "hts:HTS_SCHEMA", markers=('"htsno"',), folder=True,
    ),
    _spec(
        "hts", "Harmonized Tariff Schedule", S + "hts:parse_hts_csv",
        "hts-2024-basic/hts_2024_basic_edition_csv.csv", ("usitc-hts-csv",), S + "hts:HTS_SCHEMA",
        markers=("HTS Number,Indent,Description",),
    ),
)  # fmt: skip


def by_name(name: str) -> SourceSpec:
    """The default spec of a table name (the first listed: the format of the bundled snapshot)."""
    for spec in SOURCES:
        if spec.name == name:
            return spec
    raise KeyError(name)


def schema_of(name: str) -> Mapping[str, Any]:
    """The column layout of the table `name` (used by the store to validate new versions)."""
    return by_name(name).schema


def _head(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            raw = fh.read(_HEAD)
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", file=str(path), field="path") from exc
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def _is_sdn_like(head: str) -> bool:
    """A headerless OFAC legacy primary file: 'ent_num,"Name",...' on the first line."""
    first = head.split("\n", 1)[0]
    return bool(re.match(r'^\d+,"', first)) and first.count(",") >= 11


def _detect_file(path: Path) -> SourceSpec | None:
    name = path.name.lower()
    head = _head(path)
    by_file = [s for s in SOURCES if name in s.file_names]
    if len(by_file) == 1:
        return by_file[0]
    if name.endswith(".xml"):
        # eCFR XML: only Part 738 (the Country Chart) has a parser; other parts are not sources here.
        xml = next(s for s in SOURCES if "ecfr-versioner-xml" in s.formats)
        return xml if re.search(r"part[-_ ]?738", name) or re.search(r"PART 738|Part 738", head) else None
    for spec in SOURCES:
        if spec.markers and name.endswith(spec.suffixes) and all(m in head for m in spec.markers):
            return spec
    if name.endswith(".csv") and _is_sdn_like(head):
        # A primary file under another name: sdn.csv layout; cons_prim has the same layout.
        return by_name("ofac_cons") if "cons" in name else by_name("ofac_sdn")
    return None


def detect_all(path: Path | str) -> list[tuple[SourceSpec, Path]]:
    """Every source found at `path`: one for a file, one per recognised file (or set) for a folder."""
    path = Path(path)
    if not path.exists():
        raise DataError("no such file or folder", file=str(path), field="path")
    if path.is_file():
        spec = _detect_file(path)
        return [(spec, path)] if spec else []
    entries = {p.name.lower(): p for p in path.iterdir()}
    if "sdn.csv" in entries:
        return [(by_name("ofac_sdn"), path)]
    if "cons_prim.csv" in entries:
        return [(by_name("ofac_cons"), path)]
    chapters = [p for p in entries.values() if p.is_file() and p.suffix == ".json" and p.stem.isdigit()]
    if chapters and len(chapters) >= len([p for p in entries.values() if p.suffix == ".json"]) / 2:
        return [(next(s for s in SOURCES if s.target.endswith("parse_hts_json")), path)]
    found: list[tuple[SourceSpec, Path]] = []
    for child in sorted(entries.values(), key=lambda p: p.name):
        if child.is_file() and child.suffix.lower() in (".json", ".csv", ".txt", ".xml"):
            spec = _detect_file(child)
            if spec:
                found.append((spec, child))
    return found


def detect(path: Path | str) -> SourceSpec:
    """The one source a file or folder holds; DataError naming the file when none or several fit."""
    found = detect_all(path)
    if not found:
        raise DataError(_UNKNOWN, file=str(path), field="path")
    specs = {spec for spec, _ in found}
    if len(specs) > 1:
        names = ", ".join(f"{p.name} ({s.name})" for s, p in found)
        raise DataError(
            f"folder holds several sources: {names}; import them one by one", file=str(path), field="path"
        )
    return found[0][0]


def parse_path(path: Path | str, *, date: str | None = None) -> list[SourceTable]:
    """Recognise and parse every source at `path` (a file or one snapshot folder such as ear-2026-07-23/)."""
    found = detect_all(path)
    if not found:
        raise DataError(_UNKNOWN, file=str(path), field="path")
    return [spec.parse(p, date=date) for spec, p in found]
