"""Rebuild data/tariff_annexes/ieepa/swiss-exceptions.csv: the products of Switzerland (9903.02.84) and of
Liechtenstein (9903.02.89) not subject to their 15% all-in reciprocal duty (9903.02.82-.83, .87-.88).

Sources (official texts):

- HTSUS 2026 Revision 6, chapter 99, U.S. note 2(v)(xxv)(b) to subchapter III
  (../shared/data/hts-2026-ch99/chapter99_2026_rev_6.txt, the text rendering of the USITC PDF): the list.
- Optionally, to check it: Annex II, new note 2(v)(xxv)(b) of the ITA/USTR notice "Implementing Certain
  Tariff-Related Elements of the Framework for a United States-Switzerland-Liechtenstein Agreement"
  (90 FR 59281, Dec 18, 2025; effective for entries from 12:01 a.m. ET Nov 14, 2025), as a PDF or a text
  extraction (a copy of the PDF is in the Budget-Lab-Yale/tariff-rate-tracker repository,
  docs/federal-register/2025-23316.pdf). The two lists must be equal.

    python scripts/build_swiss_exceptions.py [--notice 2025-23316.pdf] [--rev6 REV6_TEXT]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch99_rev6 import IEEPA_ANNEXES, rev6_parser, write_annex

OUT = IEEPA_ANNEXES / "swiss-exceptions.csv"
CODE = re.compile(r"\b\d{4}\.\d{2}\.\d{2}(?:\.\d{2})?\b")
MEASURE = "us-tariff-2025-11-14-switzerland-liechtenstein-framework"
SOURCE = (
    "HTSUS 2026 Rev 6, chapter 99 U.S. note 2(v)(xxv)(b); equal to Annex II of the notice of Dec 18, 2025 "
    "(90 FR 59281), from Nov 14, 2025"
)
EFFECTS = (("CH", "swiss-annex-products", "9903.02.84"), ("LI", "liechtenstein-annex-products", "9903.02.89"))


def _between(text: str, start: str, end: str) -> str:
    i = text.find(start)
    j = text.find(end, i)
    if i < 0 or j < 0:
        raise SystemExit(f"not found: {start!r} ... {end!r}")
    return text[i + len(start) : j]


def rev6_list(path: Path) -> list[str]:
    text = path.read_bytes().decode("latin-1")
    start = "(b) As provided in headings 9903.02.84 and 9903.02.89"
    body = _between(text, start, "(c) As provided in headings")
    body = body.split("[Compiler's note", 1)[1]
    codes = CODE.findall(body)
    if len(codes) != len(set(codes)):
        raise SystemExit("note 2(v)(xxv)(b): a provision is printed twice")
    return codes


def notice_list(path: Path) -> list[str]:
    if path.suffix.lower() == ".pdf":
        try:
            import pypdf  # only this script needs it
        except ImportError as exc:  # pragma: no cover - tool dependency
            raise SystemExit("reading the PDF needs pypdf, or pass a text extraction") from exc
        text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages)
    else:
        text = path.read_text(encoding="utf-8")
    body = _between(text, "(b) As provided in headings 9903.02.84", "(c) As provided in headings 9903.02.85")
    # the paragraph's opening words name the chapter 99 headings; the list itself has none
    return [c for c in CODE.findall(body) if not c.startswith("9903.")]


def main(argv: list[str] | None = None) -> int:
    ap = rev6_parser(__doc__, OUT)
    ap.add_argument("--notice", type=Path, help="the Dec 18, 2025 notice (PDF or text), to check the list")
    args = ap.parse_args(argv)
    codes = rev6_list(args.rev6)
    if args.notice:
        other = notice_list(args.notice)
        if sorted(other) != sorted(codes):
            diff = sorted(set(codes) ^ set(other))
            raise SystemExit(f"Rev 6 and the notice differ: {diff}")
        print(f"checked against the notice: {len(other)} provisions, equal")
    rows = (
        [code, MEASURE, effect, heading, SOURCE] for _o, effect, heading in EFFECTS for code in sorted(codes)
    )
    write_annex(args.out, rows)
    print(f"{len(codes)} provisions, for Switzerland and for Liechtenstein")
    return 0


if __name__ == "__main__":
    sys.exit(main())
