"""Rebuild the 2025 versions of Annex II of EO 14257 (heading 9903.01.32) before Nov 13, 2025:

    annex-ii-2025-04-05.csv  Annex II as corrected, with the Apr 11, 2025 memorandum (Apr 5 - Sep 7)
    annex-ii-2025-09-08.csv  the updated Annex II attached to EO 14346 (Sep 8 - Oct 13)
    annex-ii-2025-10-14.csv  less chapter 44, Proclamation 10976 clause (12) (Oct 14 - Nov 12)

No 2025 chapter 99 text is on disk (Rev 6 of 2026 prints only the last list). The lists are read from the
transcriptions of U.S. note 2(v)(iii) kept in brendanxmac/hts-hero,
`tariffs/exclusion-lists.ts/reciprocal-tariff-exlcusions.ts`, at the commits below (the lines that file
comments out, "Removed Sept 5th", are not on the list). The script refuses to write unless:

* the Nov 16, 2025 transcription is equal to U.S. note 2(v)(iii)(a) of HTSUS 2026 Rev 6 (`build_annex_ii.py`),
  so the source is checked against the official text where both exist;
* the EO 14346 list differs from the earlier one only by the removals the transcription marks and additions;
* the Oct 14 list is the EO 14346 list less chapter 44 provisions only (Proclamation 10976 (12)) and every
  chapter 44 provision left is still in Rev 6;
* Rev 6 less the Oct 14 list is the 237 classifications CBP counted as added by EO 14360.

    python scripts/build_annex_ii_2025.py --hts-hero GIT_DIR [--rev6 REV6_TEXT]
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_annex_ii import rev6_list
from ch99_rev6 import IEEPA_ANNEXES, rev6_parser, write_annex

TS_PATH = "tariffs/exclusion-lists.ts/reciprocal-tariff-exlcusions.ts"
REPO = "https://github.com/brendanxmac/hts-hero"
COMMITS = {
    "2025-04-05": "4ac9f32d7446efecd9fcbd4176d373c51fa27a67",  # Aug 26, 2025: before EO 14346
    "2025-09-08": "cda624cad1f5d920fd6ca02ef190b7f489d5c425",  # Sep 6, 2025: EO 14346
    "2025-10-14": "9da1843c041503e569720f8710e1c0aaa6d90892",  # Oct 13, 2025: chapter 44 out (10976)
    "check": "390e8eff9f745a479dbf360ad734a558017f2264",  # Nov 16, 2025: after EO 14360 (= the Rev 6 note)
}
EO14360_ADDED = 237  # CBP guidance of Nov 14, 2025: 237 HTSUS classifications added to Annex II
OUT = IEEPA_ANNEXES / "annex-ii-2025-04-05.csv"
VERSIONS = {
    "2025-04-05": (
        "us-tariff-2025-04-02-eo14257-reciprocal",
        "annex-ii",
        "Annex II of EO 14257 (90 FR 15041) as corrected, with the Apr 11, 2025 memorandum's electronics: "
        "U.S. note 2(v)(iii) as transcribed on Aug 26, 2025 in brendanxmac/hts-hero commit 4ac9f32 (no "
        "change found between Apr 5 and Sep 7, 2025)",
    ),
    "2025-09-08": (
        "us-tariff-2025-09-08-eo14346-annex-ii",
        "annex-ii-eo14346",
        "Updated Annex II attached to EO 14346 (FR Doc 2025-17507), from Sep 8, 2025: U.S. note 2(v)(iii) as "
        "transcribed on Sep 6, 2025 in brendanxmac/hts-hero commit cda624c",
    ),
    "2025-10-14": (
        "us-tariff-2025-10-14-proclamation-10976-annex-ii",
        "annex-ii-without-chapter-44",
        "Annex II less chapter 44 (Proclamation 10976 clause (12), 90 FR 48127), from Oct 14, 2025: U.S. "
        "note 2(v)(iii) as transcribed on Oct 13, 2025 in brendanxmac/hts-hero commit 9da1843",
    ),
}
ENTRY = re.compile(r'^\s*"(\d{4}(?:\.\d{2}){0,2}(?:\.\d{2,4})?)",', re.M)


def ts_list(text: str) -> list[str]:
    """The provisions of one version of the TS file, as Rev 6 prints them (10 digits as `8505.11.0070`)."""
    codes = [re.sub(r"^(\d{4}\.\d{2}\.\d{2})\.(\d{2})$", r"\1\2", c) for c in ENTRY.findall(text)]
    if len(codes) != len(set(codes)):
        raise SystemExit("a provision is listed twice")
    return codes


def git_show(git_dir: Path, commit: str) -> str:
    """The TS file at one commit of the hts-hero repository."""
    out = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{TS_PATH}"], check=True, capture_output=True
    )
    return out.stdout.decode("utf-8")


def removed_marked(text: str) -> set[str]:
    """The provisions the transcription comments out as removed by EO 14346."""
    return set(re.findall(r'//\s*"(\d{4}\.\d{2}\.\d{2})",\s*Removed Sept', text))


def check(lists: dict[str, list[str]], marked: set[str], rev6: list[str]) -> None:
    """The relations the docstring lists; SystemExit naming the first that fails."""
    v1, v2, v3, v4 = (set(lists[k]) for k in ("2025-04-05", "2025-09-08", "2025-10-14", "check"))
    if v4 != set(rev6):
        raise SystemExit(f"Nov 16, 2025 transcription differs from Rev 6: {sorted(v4 ^ set(rev6))[:10]}")
    if v1 - v2 != marked or not marked:
        raise SystemExit(f"EO 14346 removals not the marked ones: {sorted((v1 - v2) ^ marked)}")
    if not v3 <= v2 or any(not c.startswith("44") for c in v2 - v3):
        raise SystemExit("Oct 14 list is not the EO 14346 list less chapter 44")
    if any(c.startswith("44") and c not in v4 for c in v3):
        raise SystemExit("a chapter 44 provision kept on Oct 14 is not in Rev 6")
    if not v3 <= v4 or len(v4 - v3) != EO14360_ADDED:
        raise SystemExit(f"Rev 6 less the Oct 14 list: {len(v4 - v3)} provisions, not {EO14360_ADDED}")


def main(argv: list[str] | None = None) -> int:
    ap = rev6_parser(__doc__, OUT)
    ap.add_argument("--hts-hero", type=Path, required=True, help="git dir of brendanxmac/hts-hero")
    args = ap.parse_args(argv)
    texts = {k: git_show(args.hts_hero, c) for k, c in COMMITS.items()}
    lists = {k: ts_list(t) for k, t in texts.items()}
    check(lists, removed_marked(texts["2025-09-08"]), rev6_list(args.rev6))
    out_dir = args.out.parent
    for day, (measure, effect, source) in VERSIONS.items():
        rows = ([c, measure, effect, "9903.01.32", source] for c in sorted(lists[day]))
        write_annex(out_dir / f"annex-ii-{day}.csv", rows)
        print(f"{day}: {len(lists[day])} provisions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
