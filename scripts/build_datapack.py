"""Build the bundled data pack (src/exportctl/data/pack/) from the snapshots in ../shared/data.

    .venv/bin/python scripts/build_datapack.py [--shared PATH] [--out DIR] [--only NAME ...] [--check]

Each source is parsed by its exportctl parser and written as zstd Parquet; manifest.json records per source
its name, title, format, date, rows, the sha256 of the Parquet file, the files it came from, documented skips
and the attribution (the snapshot's SOURCE.txt); ATTRIBUTION.md gathers the attributions. The same inputs
give byte-identical files: rows keep the parsers' file order, nothing carries a timestamp, JSON keys are
sorted. `--check` rebuilds into a temporary folder and fails when anything differs from the committed pack.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from exportctl.sources.base import SourceTable  # noqa: E402

PACK_VERSION = 1
COMPRESSION_LEVEL = 19


@dataclass(frozen=True)
class Entry:
    """One source of the default data version: the snapshot it is built from and how."""

    name: str
    path: str  # relative to shared/data
    parser: str  # module:function
    date: str | None = None  # when the files carry no date of their own (from the snapshot's SOURCE.txt)
    note: str = ""
    additions: tuple[str, ...] = ()  # later delta files of the same layout (relative to shared/data)


P = "exportctl.sources."
ENTRIES: tuple[Entry, ...] = (
    Entry("csl", "csl-2026-07-31/screening-list.json", P + "csl:parse_csl_compact"),
    Entry(
        "ofac_sdn",
        "ofac-sdn-2024-05-03",
        P + "ofac:parse_sdn",
        date="2024-05-03",
        note=(
            "sdn.csv of 2024-05-03 alone: that snapshot has no add.csv, alt.csv or sdn_comments.csv, so"
            " aliases, addresses and countries are empty and remarks longer than the main file holds are cut."
            " The CSL (2026-07-31) carries the SDN entries with aliases and countries."
        ),
    ),
    Entry("ofac_sdn_dates", ".", P + "ofac_dates:parse_sdn_dates",
          note=("Bounds of each SDN entry's designation date from its presence in the SDN snapshots of"
                " 2021-07-07 and 2024-05-03 and the CSL of 2026-07-31; no shipped source states the dates.")),
    Entry("ofac_cons", "ofac-consolidated-2025-12", P + "ofac:parse_consolidated", date="2025-12-19"),
    Entry("bis_entity_list", "bis-lists-2026-07/bis_entity_list.json", P + "bis_lists:parse_entity_list",
          note="License Review Policy not in this source: use the CSL's Entity List rows for it."),
    Entry("bis_meu", "bis-lists-2026-07/bis_meu.json", P + "bis_lists:parse_meu"),
    Entry("bis_dpl", "bis-lists-2026-07/bis_dpl.json", P + "bis_lists:parse_bis_dpl_json"),
    Entry("cn_parties", "china-2026-07/cn_entity_lists.json", P + "china_lists:parse_cn_parties",
          additions=("china-2026-08/cn_entity_lists_additions_2026-07-24.json",),
          note=("china-2026-07 (240 records) plus the 14 records added on 2026-07-24 (MOFCOM Announcement"
                " 2026 No. 30) from china-2026-08; that snapshot saw no other change to 2026-08-30.")),
    Entry("cn_dual_use_hs", "china-2026-07/dual_use_hs_codes_2026.json",
          P + "china_lists:parse_cn_dual_use_hs"),
    Entry("ccl", "ear-2026-07-23/ccl.json", P + "ecfr:parse_ccl"),
    Entry("country_chart", "ear-2026-07-23/country-chart.json", P + "ecfr:parse_country_chart"),
    Entry("country_groups", "ear-2026-07-23/country-groups.json", P + "ecfr:parse_country_groups"),
    Entry("license_exceptions", "ear-2026-07-23/license-exception-catalog.json",
          P + "ecfr:parse_license_exceptions"),
    Entry("hts", "hts-2025-json", P + "hts:parse_hts_json"),
)  # fmt: skip


def parse(entry: Entry, shared: Path) -> SourceTable:
    """Run the entry's parser on its snapshot."""
    module_name, func_name = entry.parser.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    path = shared / entry.path
    extra = [shared / a for a in entry.additions]
    table = func(path, date=entry.date) if entry.date else func(path, *extra)
    if not isinstance(table, SourceTable) or table.name != entry.name:
        raise SystemExit(f"{entry.parser} did not give the table {entry.name!r}")
    return table


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_txt(entry: Entry, shared: Path) -> str:
    """The SOURCE.txt of the entry's snapshot folder (origin, commit, licence)."""
    texts = []
    for rel in (entry.path, *entry.additions):
        folder = (shared / rel).parent if (shared / rel).is_file() else shared / rel
        src = folder / "SOURCE.txt"
        if src.is_file():
            texts.append(src.read_text(encoding="utf-8").strip())
    return "\n\n".join(texts)


def write_source(table: SourceTable, entry: Entry, shared: Path, out: Path) -> dict[str, Any]:
    """Write one table as Parquet and return its manifest record."""
    target = out / f"{table.name}.parquet"
    table.records.write_parquet(
        target, compression="zstd", compression_level=COMPRESSION_LEVEL, statistics=False
    )
    return {
        "name": table.name,
        "title": table.title,
        "format": table.format,
        "date": table.date,
        "rows": table.rows,
        "columns": list(table.records.columns),
        "file": target.name,
        "sha256": sha256(target),
        "bytes": target.stat().st_size,
        "snapshot": entry.path,
        "files": list(table.files),
        "skipped": table.skipped,
        "skip_reasons": dict(sorted(table.skip_reasons.items())),
        "attribution": source_txt(entry, shared) or table.attribution,
        "note": entry.note,
    }


def attribution_md(records: list[dict[str, Any]]) -> str:
    """ATTRIBUTION.md: for every table, where its data comes from, as its snapshot's SOURCE.txt says."""
    lines = [
        "# Attribution of the bundled data pack",
        "",
        "Each table of this pack was parsed from a snapshot in the project's shared data folder by",
        "`scripts/build_datapack.py`. Below, per table, the snapshot's SOURCE.txt: the public repository,",
        "path and commit it was taken from, its format, its date and its licence as stated there. Keep this",
        "file with the pack wherever the data is shipped.",
        "",
    ]
    by_snapshot: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for rec in records:
        by_snapshot.setdefault(rec["snapshot"].split("/")[0], []).append(rec["name"])
        texts[rec["snapshot"].split("/")[0]] = rec["attribution"]
    for snapshot in sorted(by_snapshot):
        lines += [
            f"## {snapshot}: {', '.join(sorted(by_snapshot[snapshot]))}",
            "",
            "```",
            texts[snapshot],
            "```",
            "",
        ]
    return "\n".join(lines)


def build(shared: Path, out: Path, only: set[str] | None = None) -> dict[str, Any]:
    """Parse every entry and write the pack into `out` (existing pack files of other sources are kept)."""
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / "manifest.json"
    old: dict[str, dict[str, Any]] = {}
    if only and manifest_path.is_file():
        old = {s["name"]: s for s in json.loads(manifest_path.read_text(encoding="utf-8"))["sources"]}
    records: list[dict[str, Any]] = []
    for entry in ENTRIES:
        if only and entry.name not in only:
            if entry.name in old:
                records.append(old[entry.name])
            continue
        table = parse(entry, shared)
        records.append(write_source(table, entry, shared, out))
        print(
            f"{table.name:20} {table.rows:>7} rows  {records[-1]['bytes'] / 1e6:6.2f} MB  {table.date}",
            file=sys.stderr,
        )
    records.sort(key=lambda r: r["name"])
    manifest = {
        "pack_version": PACK_VERSION,
        "built_by": "scripts/build_datapack.py",
        "compression": f"zstd level {COMPRESSION_LEVEL}",
        "sources": records,
    }
    manifest_path.write_text(
        json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "ATTRIBUTION.md").write_text(attribution_md(records), encoding="utf-8")
    total = sum(r["bytes"] for r in records)
    print(f"total {total / 1e6:.2f} MB in {out}", file=sys.stderr)
    return manifest


def writer(path: Path) -> str:
    """The library (and version) that wrote a Parquet file, from its footer."""
    import pyarrow.parquet as pq

    return str(pq.ParquetFile(path).metadata.created_by)


def same_file(built: Path, kept: Path) -> bool:
    """The rebuilt file is the committed one: the same bytes, or, for Parquet written by another release
    of the writer (whose encoder may lay out the same table in other bytes), the same table."""
    if not kept.is_file():
        return False
    if built.read_bytes() == kept.read_bytes():
        return True
    if built.suffix == ".parquet" and writer(built) != writer(kept):
        return pl.read_parquet(built).equals(pl.read_parquet(kept))
    if built.name == "manifest.json":  # its sha256 and sizes name the files, compared above
        return _unsized(built) == _unsized(kept)
    return False


def _unsized(manifest: Path) -> dict[str, object]:
    """A manifest without the Parquet files' sizes and hashes."""
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    for source in doc.get("sources", []):
        source.pop("bytes", None)
        source.pop("sha256", None)
    return dict(doc)


def check(shared: Path, out: Path) -> int:
    """Rebuild into a temporary folder; 0 when every file equals the committed one (same_file), else 1."""
    with tempfile.TemporaryDirectory() as tmp:
        build(shared, Path(tmp))
        names = sorted(p.name for p in Path(tmp).iterdir())
        bad = [n for n in names if not same_file(Path(tmp) / n, out / n)]
    for name in bad:
        print(f"differs: {name}", file=sys.stderr)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument(
        "--shared", type=Path, default=REPO.parent / "shared" / "data", help="the shared data folder"
    )
    ap.add_argument(
        "--out", type=Path, default=REPO / "src" / "exportctl" / "data" / "pack", help="pack folder"
    )
    ap.add_argument("--only", nargs="*", help="rebuild only these sources (keep the others' files)")
    ap.add_argument("--check", action="store_true", help="rebuild in a temporary folder and compare")
    args = ap.parse_args(argv)
    if not args.shared.is_dir():
        print(f"error: no shared data folder at {args.shared}", file=sys.stderr)
        return 2
    if args.check:
        return check(args.shared, args.out)
    keep = {"__init__.py"}
    if not args.only:
        for stale in args.out.glob("*.parquet"):
            if stale.name not in keep:
                stale.unlink()
    build(args.shared, args.out, set(args.only) if args.only else None)
    shutil.rmtree(args.out / "__pycache__", ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
