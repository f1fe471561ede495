"""Rebuild data/tariff_annexes/ieepa/annex-ii-2025-11-13.csv: Annex II of EO 14257 as amended by EO 14346 and
EO 14360 (heading 9903.01.32), the provisions not subject to the reciprocal duties, as printed in U.S. note
2(v)(iii)(a) to subchapter III of chapter 99 of HTSUS 2026 Revision 6
(../shared/data/hts-2026-ch99/chapter99_2026_rev_6.txt, the text rendering of the USITC PDF).

That text is the list as it stood when the reciprocal duties ended (Feb 24, 2026); EO 14360 of Nov 14,
2025 (in force for entries from 12:01 a.m. EST Nov 13, 2025) is the last amendment of Annex II found, so the
measure dates the whole list from Nov 13, 2025. The list mixes 4-, 6-, 8- and 10-digit provisions; each is
kept as printed.

    python scripts/build_annex_ii.py [--rev6 REV6_TEXT]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch99_rev6 import IEEPA_ANNEXES, rev6_parser, write_annex

OUT = IEEPA_ANNEXES / "annex-ii-2025-11-13.csv"
PROVISION = re.compile(r"\d{4}(?:\.\d{2}){0,2}(?:\.?\d{2})?")
MEASURE = "us-tariff-2025-11-13-eo14360-agricultural-products"
EFFECT = "annex-ii-as-amended"
SOURCE = (
    "HTSUS 2026 Rev 6, chapter 99 U.S. note 2(v)(iii)(a) (Annex II of EO 14257 as amended by EO 14346 and "
    "EO 14360)"
)
ARTICLES_OUT = OUT.with_name("annex-ii-particular-articles.csv")
ARTICLE = re.compile(r"\((\d+)\)\s+(.*?)\(classifiable\s+in\s+subheading\s+(\d{4}\.\d{2}\.\d{2})\)", re.S)
ARTICLES_EFFECT = "annex-ii-particular-articles"
ARTICLES_SOURCE = (
    "HTSUS 2026 Rev 6, chapter 99 U.S. note 2(v)(iii)(b) (9903.02.78, EO 14360, from Nov 13, 2025)"
)
PAGE_FURNITURE = ("Harmonized", "XXII", "99 - III", "U.S. Notes", "Annotated", "[Compiler")


def rev6_list(path: Path) -> list[str]:
    text = path.read_bytes().decode("latin-1")
    start = text.find("(a) As provided for in heading 9903.01.32, the additional duties")
    end = text.find("(b) As provided in heading 9903.02.78", start)
    if start < 0 or end < 0:
        raise SystemExit("U.S. note 2(v)(iii)(a) not found")
    body = text[start:end].split("subheadings of the HTSUS:", 1)[1]
    tokens = " ".join(s for s in body.splitlines() if not s.lstrip().startswith(PAGE_FURNITURE)).split()
    odd = [t for t in tokens if not PROVISION.fullmatch(t)]
    if odd:
        raise SystemExit(f"not a provision: {odd[:10]}")
    if len(tokens) != len(set(tokens)):
        raise SystemExit("a provision is printed twice")
    return tokens


def rev6_articles(path: Path) -> list[tuple[str, str]]:
    """U.S. note 2(v)(iii)(b): the particular articles of 9903.02.78, `(n) description (classifiable in
    subheading XXXX.XX.XX)`."""
    text = path.read_bytes().decode("latin-1")
    start = text.find("(b) As provided in heading 9903.02.78")
    end = text.find("(vi) The additional duties", start)
    if start < 0 or end < 0:
        raise SystemExit("U.S. note 2(v)(iii)(b) not found")
    lines = [s for s in text[start:end].splitlines() if not s.lstrip().startswith(PAGE_FURNITURE)]
    return [(code, " ".join(desc.split())) for _n, desc, code in ARTICLE.findall("\n".join(lines))]


def main(argv: list[str] | None = None) -> int:
    ap = rev6_parser(__doc__, OUT)
    args = ap.parse_args(argv)
    codes = rev6_list(args.rev6)
    write_annex(args.out, ([code, MEASURE, EFFECT, "9903.01.32", SOURCE] for code in sorted(codes)))
    articles = rev6_articles(args.rev6)
    write_annex(
        ARTICLES_OUT,
        ([code, MEASURE, ARTICLES_EFFECT, "9903.02.78", ARTICLES_SOURCE, desc] for code, desc in articles),
        header=("hts", "measure", "effect", "heading", "source", "description"),
    )
    print(f"{len(codes)} provisions, {len(articles)} particular articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
