"""Rebuild data/tariff_annexes/ieepa/civil-aircraft.csv: the provisions under which civil aircraft, their
engines, parts and components (meeting general note 6) escape the IEEPA duties of Brazil (9903.01.82, U.S.
note 2(x)(iv)), the European Union (9903.02.76, note 2(v)(xxii)) and Switzerland / Liechtenstein
(9903.02.85 / .90, note 2(v)(xxv)(c)), South Korea (9903.02.81, note 2(v)(xxiv)(b)), and the IEEPA
and Section 232 metals duties of the United Kingdom (9903.96.01, U.S. note 35(a)) and Japan (9903.96.02,
note 35(b)), whose lists are printed inline (separated by semicolons).

Source: HTSUS 2026 Revision 6, chapter 99, U.S. note 2 to subchapter III
(../shared/data/hts-2026-ch99/chapter99_2026_rev_6.txt, the text rendering of the USITC PDF). Whether an
article is one of civil aircraft depends on its use, so the measures show these lists as advisories.

    python scripts/build_civil_aircraft.py [--rev6 REV6_TEXT]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch99_rev6 import IEEPA_ANNEXES, listed_provisions, read_rev6, rev6_parser, write_annex

OUT = IEEPA_ANNEXES / "civil-aircraft.csv"
# (measure, effect, heading, note subdivision, start of the subdivision, start of the next one)
LISTS = (
    (
        "us-tariff-2025-08-06-eo14323-brazil",
        "brazil-civil-aircraft",
        "9903.01.82",
        "U.S. note 2(x)(iv)",
        "(iv) As provided in heading 9903.01.82",
        "(v) ",
    ),
    (
        "us-tariff-2025-09-01-eu-framework-reciprocal-exceptions",
        "eu-civil-aircraft",
        "9903.02.76",
        "U.S. note 2(v)(xxii)",
        "(xxii)  As provided in heading 9903.02.76",
        "(xxiii) As provided in heading 9903.02.77",
    ),
    (
        "us-tariff-2025-11-14-korea-deal",
        "korea-civil-aircraft",
        "9903.02.81",
        "U.S. note 2(v)(xxiv)(b)",
        "(b) As provided in heading 9903.02.81",
        "[Compiler's note: List may begin on an earlier page",
    ),
    (
        "us-tariff-2025-11-14-switzerland-liechtenstein-framework",
        "swiss-civil-aircraft",
        "9903.02.85",
        "U.S. note 2(v)(xxv)(c)",
        "(c) As provided in headings 9903.02.85 and 9903.02.90",
        "(d) As provided in headings 9903.02.86",
    ),
)


# (measure, effect, heading, note, start, end) of the inline lists of U.S. note 35
INLINE = (
    (
        "us-tariff-2025-06-30-s232-autos-uk-eo14309",
        "uk-civil-aircraft",
        "9903.96.01",
        "U.S. note 35(a)",
        "(a) As provided in heading 9903.96.01",
        "(b) As provided in heading 9903.96.02",
    ),
    (
        "us-tariff-2025-09-16-s232-japan-agreement",
        "japan-civil-aircraft",
        "9903.96.02",
        "U.S. note 35(b)",
        "(b) As provided in heading 9903.96.02",
        "\n36. ",
    ),
)
CODE8 = re.compile(r"\b\d{4}\.\d{2}\.\d{2}\b")


def inline_provisions(text: str, start: str, end: str) -> list[str]:
    """The 8-digit provisions after the words 'subcolumn:' of a paragraph that lists them inline."""
    i = text.find(start)
    j = text.find(end, i + len(start))
    if i < 0 or j < 0:
        raise SystemExit(f"not found: {start!r}")
    body = text[i:j].split("subcolumn:", 1)[1]
    codes = [c for c in CODE8.findall(body) if not c.startswith("9903.")]
    if len(codes) != len(set(codes)):
        raise SystemExit(f"{start!r}: a provision is printed twice")
    return codes


def main(argv: list[str] | None = None) -> int:
    ap = rev6_parser(__doc__, OUT)
    args = ap.parse_args(argv)
    text = read_rev6(args.rev6)
    rows: list[list[str]] = []
    for lists, read in ((LISTS, listed_provisions), (INLINE, inline_provisions)):
        for measure, effect, heading, note, start, end in lists:
            codes = read(text, start, end)
            source = f"HTSUS 2026 Rev 6, chapter 99 {note} ({heading}, civil aircraft: an advisory)"
            rows += [[code, measure, effect, heading, source] for code in sorted(codes)]
            print(f"{effect}: {len(codes)} provisions")
    write_annex(args.out, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
