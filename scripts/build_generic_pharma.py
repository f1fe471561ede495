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

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch99_rev6 import IEEPA_ANNEXES, listed_provisions, read_rev6, rev6_parser, write_annex

OUT = IEEPA_ANNEXES / "generic-pharma.csv"
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


def main(argv: list[str] | None = None) -> int:
    ap = rev6_parser(__doc__, OUT)
    args = ap.parse_args(argv)
    text = read_rev6(args.rev6)
    rows: list[list[str]] = []
    for measure, effect, heading, note, start, end in LISTS:
        codes = listed_provisions(text, start, end)
        source = f"HTSUS 2026 Rev 6, chapter 99 {note} ({heading}, non-patented pharma, advisory)"
        rows += [[code, measure, effect, heading, source] for code in sorted(codes)]
        print(f"{effect}: {len(codes)} provisions")
    write_annex(args.out, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
