"""Rebuild data/tariff_annexes/ieepa/generic-pharma.csv: the provisions under which articles not patented in
the United States, for use in pharmaceutical applications, escape the reciprocal duty of the European Union
(9903.02.77, U.S. note 2(v)(xxiii), from Sep 1, 2025) and of Switzerland / Liechtenstein (9903.02.86 / .91,
note 2(v)(xxv)(d), from Nov 14, 2025).

Source: HTSUS 2026 Revision 6, chapter 99, U.S. note 2 to subchapter III
(../shared/data/hts-2026-ch99/chapter99_2026_rev_6.txt, the text rendering of the USITC PDF). Whether an
article qualifies depends on its patent status and use, so the measures show these lists as advisories.

    python scripts/build_generic_pharma.py [--rev6 REV6_TEXT]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "exportctl" / "data" / "tariff_annexes" / "ieepa" / "generic-pharma.csv"
REV6 = ROOT.parent / "shared" / "data" / "hts-2026-ch99" / "chapter99_2026_rev_6.txt"
PROVISION = re.compile(r"\d{4}(?:\.\d{2}){0,3}")
PAGE_FURNITURE = ("Harmonized", "XXII", "99 - III", "U.S. Notes", "Annotated")
# (measure, effect, heading, note subdivision, start of the subdivision, start of the next one)
LISTS = (
    (
        "us-tariff-2025-09-01-eu-framework-reciprocal-exceptions",
        "eu-generic-pharma",
        "9903.02.77",
        "U.S. note 2(v)(xxiii)",
        "(xxiii) As provided in heading 9903.02.77",
        "(xxiv)",
    ),
    (
        "us-tariff-2025-11-14-switzerland-liechtenstein-framework",
        "swiss-generic-pharma",
        "9903.02.86",
        "U.S. note 2(v)(xxv)(d)",
        "(d) As provided in headings 9903.02.86 and 9903.02.91",
        "\n(x)\n",
    ),
)


def provisions(text: str, start: str, end: str) -> list[str]:
    """The provisions listed after the opening paragraph of the subdivision (it ends at a page break)."""
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rev6", type=Path, default=REV6)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    text = args.rev6.read_bytes().decode("latin-1")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["hts", "measure", "effect", "heading", "source"])
        for measure, effect, heading, note, start, end in LISTS:
            codes = provisions(text, start, end)
            source = f"HTSUS 2026 Rev 6, chapter 99 {note} ({heading}, non-patented pharma, advisory)"
            for code in sorted(codes):
                w.writerow([code, measure, effect, heading, source])
            print(f"{effect}: {len(codes)} provisions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
