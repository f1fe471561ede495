"""Rebuild data/tariff_annexes/ieepa/eu-exceptions.csv: the products of the European Union not subject to the
EU reciprocal duty (9903.02.19/.20) under heading 9903.02.74 (unavailable natural resources and the other
Annex I provisions of the Commerce/USTR notice implementing the U.S.-EU Framework, FR Doc 2025-18660,
published Sep 25, 2025, in force for entries from 12:01 a.m. EDT Sep 1, 2025).

Source: HTSUS 2026 Revision 6, chapter 99, U.S. note 2(v)(xx) to subchapter III
(../shared/data/hts-2026-ch99/chapter99_2026_rev_6.txt, the text rendering of the USITC PDF).

    python scripts/build_eu_exceptions.py [--rev6 REV6_TEXT]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch99_rev6 import IEEPA_ANNEXES, rev6_parser, write_annex

OUT = IEEPA_ANNEXES / "eu-exceptions.csv"
CODE = re.compile(r"\b\d{4}\.\d{2}\.\d{2}(?:\.\d{2})?\b")
MEASURE = "us-tariff-2025-09-01-eu-framework-reciprocal-exceptions"
EFFECT = "eu-annex-i"
SOURCE = "HTSUS 2026 Rev 6, chapter 99 U.S. note 2(v)(xx) (9903.02.74; FR Doc 2025-18660, from Sep 1, 2025)"


def rev6_list(path: Path) -> list[str]:
    text = path.read_bytes().decode("latin-1")
    start = text.find("(xx) As provided in heading 9903.02.74")
    end = text.find("(xxi) As provided in heading 9903.02.75", start)
    if start < 0 or end < 0:
        raise SystemExit("U.S. note 2(v)(xx) not found")
    body = text[start:end].split("[Compiler's note", 1)[1]
    codes = CODE.findall(body)
    if len(codes) != len(set(codes)):
        raise SystemExit("a provision is printed twice")
    return codes


def main(argv: list[str] | None = None) -> int:
    ap = rev6_parser(__doc__, OUT)
    args = ap.parse_args(argv)
    codes = rev6_list(args.rev6)
    write_annex(args.out, ([code, MEASURE, EFFECT, "9903.02.74", SOURCE] for code in sorted(codes)))
    print(f"{len(codes)} provisions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
