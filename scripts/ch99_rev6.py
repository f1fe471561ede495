"""What the scripts that read HTSUS 2026 Revision 6 chapter 99 (the text rendering of the USITC PDF in
../shared/data/hts-2026-ch99/) share: where the text and the annex CSVs live, how a subdivision's list of
provisions is cut out of the page furniture, and the CSV layout of data/tariff_annexes/ieepa/*.csv."""

from __future__ import annotations

import argparse
import csv
import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REV6 = ROOT.parent / "shared" / "data" / "hts-2026-ch99" / "chapter99_2026_rev_6.txt"
IEEPA_ANNEXES = ROOT / "src" / "exportctl" / "data" / "tariff_annexes" / "ieepa"
PROVISION = re.compile(r"\d{4}(?:\.\d{2}){0,3}")
PAGE_FURNITURE = ("Harmonized", "XXII", "99 - III", "U.S. Notes", "Annotated")
ANNEX_HEADER = ("hts", "measure", "effect", "heading", "source")


def read_rev6(path: Path) -> str:
    """The Rev 6 text as printed (latin-1, as the rendering was saved)."""
    return path.read_bytes().decode("latin-1")


def listed_provisions(text: str, start: str, end: str) -> list[str]:
    """The provisions listed after the opening paragraph of a subdivision (it ends at a page break)."""
    i = text.find(start)
    j = text.find(end, i + len(start))
    if i < 0 or j < 0:
        raise SystemExit(f"not found: {start!r}")
    lines = text[i:j].splitlines()
    first_break = next(n for n, s in enumerate(lines) if s.lstrip().startswith("Harmonized"))
    body = [s for s in lines[first_break:] if not s.lstrip().startswith(PAGE_FURNITURE)]
    tokens = " ".join(body).split()
    odd = [t for t in tokens if not PROVISION.fullmatch(t)]
    if odd:
        raise SystemExit(f"{start!r}: not a provision: {odd[:10]}")
    if len(tokens) != len(set(tokens)):
        raise SystemExit(f"{start!r}: a provision is printed twice")
    return tokens


def write_annex(out: Path, rows: Iterable[Iterable[str]], header: Iterable[str] = ANNEX_HEADER) -> None:
    """Write an annex CSV (LF line ends, the header first)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(list(header))
        w.writerows(list(r) for r in rows)


def rev6_parser(doc: str | None, out: Path) -> argparse.ArgumentParser:
    """The command line every annex builder takes: `--rev6 TEXT` and `--out CSV` (a script may add more)."""
    ap = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    ap.add_argument("--rev6", type=Path, default=REV6)
    ap.add_argument("--out", type=Path, default=out)
    return ap
