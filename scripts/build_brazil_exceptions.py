"""Rebuild data/tariff_annexes/ieepa/brazil-exceptions.csv: the products of Brazil not subject to the 40%
of heading 9903.01.77 (EO 14323) under heading 9903.01.81, dated by the instrument that listed them.

Sources (official texts, read as they are printed):

- HTSUS 2026 Revision 6, chapter 99, U.S. note 2(x)(iii)(a) to subchapter III: the list of 9903.01.81 as
  it stood when the duty ended (../shared/data/hts-2026-ch99/chapter99_2026_rev_6.txt, the text
  rendering of the USITC PDF).
- Annex II, paragraph 1(e)(i) of the Executive Order of November 20, 2025 (Modifying the Scope of Tariffs
  on the Government of Brazil): the provisions it inserted in (x)(iii)(a), for entries on or after
  12:01 a.m. EST November 13, 2025. Read from the order's annexes PDF (a copy is kept in the
  Budget-Lab-Yale/tariff-rate-tracker repository, docs/federal-register/brazil_eo/
  brazil_eo_nov2025_annexes.pdf) or from a text extraction of it.

The provisions of the Revision 6 list that Annex II did not insert are those of EO 14323's own Annex I
(from Aug 6, 2025); the inserted ones apply from Nov 13, 2025. The script checks that every inserted
provision is in the Revision 6 list, so a mis-read of either text fails loudly.

    python scripts/build_brazil_exceptions.py --annex brazil_eo_nov2025_annexes.pdf [--rev6 REV6_TEXT]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch99_rev6 import IEEPA_ANNEXES, PAGE_FURNITURE, rev6_parser, write_annex

OUT = IEEPA_ANNEXES / "brazil-exceptions.csv"
ARTICLES_OUT = OUT.with_name("brazil-particular-articles.csv")
CODE = re.compile(r"\b\d{4}\.\d{2}\.\d{2}(?:\.\d{2})?\b")

AUG = (
    "us-tariff-2025-08-06-eo14323-brazil",
    "brazil-annex-i",
    "HTSUS 2026 Rev 6, chapter 99 U.S. note 2(x)(iii)(a), less the provisions inserted by Annex II "
    "1(e)(i) of the EO of Nov 20, 2025 (EO 14323 Annex I, from Aug 6, 2025)",
)
NOV = (
    "us-tariff-2025-11-13-brazil-agriculture-exceptions",
    "brazil-annex-i-agriculture",
    "Annex II 1(e)(i) of the EO of Nov 20, 2025 (Modifying the Scope of Tariffs on the Government of "
    "Brazil), from Nov 13, 2025; equal to its rows in HTSUS 2026 Rev 6 U.S. note 2(x)(iii)(a)",
)


def rev6_list(path: Path) -> list[str]:
    """The provisions of U.S. note 2(x)(iii)(a): from its opening words to subdivision (b)."""
    lines = path.read_bytes().decode("latin-1").splitlines()
    start = next(i for i, s in enumerate(lines) if "As provided in heading 9903.01.81, the additional" in s)
    end = next(i for i, s in enumerate(lines) if "As provided in heading 9903.01.90, the additional" in s)
    # "Annotated ..." lines can carry list codes in the text rendering, so only these are dropped here
    body = [s for s in lines[start + 1 : end] if not s.lstrip().startswith(PAGE_FURNITURE[:3])]
    codes = CODE.findall("\n".join(body))
    if len(codes) != len(set(codes)):
        raise SystemExit("note 2(x)(iii)(a): a provision is printed twice")
    return codes


ARTICLE = re.compile(r"\((\d+)\)\s+(.*?)\(classifiable\s+in\s+subheading\s+(\d{4}\.\d{2}\.\d{2})\)", re.S)
ARTICLES = (
    "us-tariff-2025-11-13-brazil-agriculture-exceptions",
    "brazil-particular-articles",
    "HTSUS 2026 Rev 6, chapter 99 U.S. note 2(x)(iii)(b) (9903.01.90), inserted by Annex II 1(e)(ii) of the "
    "EO of Nov 20, 2025, from Nov 13, 2025",
)


def rev6_articles(path: Path) -> list[tuple[str, str]]:
    """U.S. note 2(x)(iii)(b): the particular articles of 9903.01.90, each `(n) description (classifiable in
    subheading XXXX.XX.XX)`, page furniture removed."""
    text = path.read_bytes().decode("latin-1")
    start = text.find("As provided in heading 9903.01.90, the additional duty")
    end = text.find("As provided in heading 9903.01.82", start)
    lines = [s for s in text[start:end].splitlines() if not s.lstrip().startswith(PAGE_FURNITURE)]
    found = [(code, " ".join(desc.split())) for _n, desc, code in ARTICLE.findall("\n".join(lines))]
    if not found:
        raise SystemExit("U.S. note 2(x)(iii)(b) not found")
    return found


def annex_text(path: Path) -> str:
    if path.suffix.lower() != ".pdf":
        return path.read_text(encoding="utf-8")
    try:
        import pypdf  # only this script needs it
    except ImportError as exc:  # pragma: no cover - tool dependency
        raise SystemExit("reading the PDF needs pypdf, or pass a text extraction") from exc
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages)


def inserted(text: str) -> list[str]:
    """Annex II 1(e)(i): the provisions listed after 'the following provisions of the HTSUS in numerical
    order:' up to '(ii) by inserting the following new subdivision (x)(iii)(b)'."""
    start = text.find("the following provisions of the HTSUS in numerical order")
    end = text.find("by inserting the following new subdivision (x)(iii)(b)", start)
    if start < 0 or end < 0:
        raise SystemExit("Annex II 1(e)(i) not found in the annex text")
    body = "\n".join(s for s in text[start:end].splitlines()[1:] if not re.fullmatch(r"\s*\d{1,3}\s*", s))
    return CODE.findall(body)


def main(argv: list[str] | None = None) -> int:
    ap = rev6_parser(__doc__, OUT)
    ap.add_argument("--annex", type=Path, required=True, help="the Nov 20, 2025 order's annexes (PDF/text)")
    args = ap.parse_args(argv)
    full = rev6_list(args.rev6)
    added = inserted(annex_text(args.annex))
    missing = sorted(set(added) - set(full))
    if missing:
        raise SystemExit(f"inserted but not in Rev 6 note 2(x)(iii)(a): {missing}")
    added_set = set(added)
    rows = []
    for code in sorted(full):
        measure, effect, source = NOV if code in added_set else AUG
        rows.append([code, measure, effect, "9903.01.81", source])
    write_annex(args.out, rows)
    measure, effect, source = ARTICLES
    write_annex(
        ARTICLES_OUT,
        ([code, measure, effect, "9903.01.90", source, desc] for code, desc in rev6_articles(args.rev6)),
        header=("hts", "measure", "effect", "heading", "source", "description"),
    )
    n_aug = len(full) - len(added_set)
    print(f"{len(full)} provisions: {n_aug} from Aug 6, 2025, {len(added_set)} from Nov 13, 2025")
    return 0


if __name__ == "__main__":
    sys.exit(main())
